// Package config reads the bot's settings from the environment, with a .env
// file filling in what the environment does not set. Every problem names
// the variable; the token's value never appears in a message.
package config

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/joho/godotenv"

	"github.com/briefbot/briefbot/schedule"
)

// Config is everything `briefbot serve` needs.
type Config struct {
	Token   string // DISCORD_TOKEN, without the "Bot " prefix
	AppID   string // DISCORD_APP_ID; empty: taken from READY
	GuildID string // DISCORD_GUILD_ID; empty: commands are registered globally

	Corpus  string // BRIEFBOT_CORPUS; empty: the bundled corpus
	DataDir string // BRIEFBOT_DATA: index and state live here

	AllowedChannels []string // BRIEFBOT_ALLOWED_CHANNELS; empty: every channel
	AllowedRoles    []string // BRIEFBOT_ALLOWED_ROLES; empty: everyone

	// RateBurst commands per user, refilled one every RateEvery (BRIEFBOT_RATE_LIMIT "5/1m").
	RateBurst int
	RateEvery time.Duration

	LogFormat string // LOG_FORMAT: "text" or "json"; empty: text on a terminal, JSON otherwise
	LogLevel  string // LOG_LEVEL: debug, info, warn, error

	// APIBase is where REST calls go (DISCORD_API_BASE, default
	// https://discord.com/api): a REST proxy, a recorder, the fake Discord.
	APIBase string
	// GatewayURL overrides the gateway address GET /gateway returns (DISCORD_GATEWAY_URL).
	GatewayURL string
	// Insecure is set when plain http:// goes to a non-loopback host (DISCORD_ALLOW_INSECURE=1).
	Insecure bool

	// HTTPAddr is where /healthz, /readyz, /metrics (and /interactions) are
	// served (HTTP_ADDR, default 127.0.0.1:8080; "off" disables it).
	HTTPAddr string
	// PublicKey, when set, makes the bot take interactions over HTTP at POST
	// /interactions instead of the gateway (INTERACTIONS_PUBLIC_KEY, hex).
	PublicKey string

	// AdminRoles may use /ingest and /digest subscribe (BRIEFBOT_ADMIN_ROLES),
	// beside members with the Manage Server permission.
	AdminRoles []string

	// Inbox is the watched folder (BRIEFBOT_INBOX, default DataDir/inbox; "off": none).
	Inbox string
	// Feeds are RSS or Atom addresses polled on FeedSchedule (BRIEFBOT_FEEDS,
	// BRIEFBOT_FEED_SCHEDULE, default every 30 minutes).
	Feeds        []string
	FeedSchedule schedule.Schedule
	// FetchPrivate lets ingestion fetch from private and loopback addresses
	// (BRIEFBOT_FETCH_ALLOW_PRIVATE=1): sources on the team's own network.
	FetchPrivate bool

	// Digest is the scheduled daily digest.
	Digest Digest
}

// Digest configures the scheduled digest.
type Digest struct {
	Channel  string            // DIGEST_CHANNEL_ID; empty: only channels subscribed with /digest
	Schedule schedule.Schedule // DIGEST_SCHEDULE in DIGEST_TIMEZONE, default "0 8 * * *" UTC
	// CatchUp is how late a missed digest may still be posted (DIGEST_CATCHUP, default 6h).
	CatchUp time.Duration
	// PostEmpty posts "nothing new since …" when nothing arrived (DIGEST_EMPTY=post, the
	// default); skip posts nothing.
	PostEmpty bool
}

// Error is one bad or missing variable.
type Error struct {
	Var, Problem string
}

func (e *Error) Error() string { return e.Var + ": " + e.Problem }

var snowflake = regexp.MustCompile(`^[0-9]{17,20}$`)

// Load reads the environment through getenv, after the .env file at envFile
// (if it exists) for variables the environment leaves unset.
func Load(getenv func(string) string, envFile string) (*Config, error) {
	file := map[string]string{}
	if envFile != "" {
		data, err := os.ReadFile(envFile)
		switch {
		case err == nil:
			if file, err = parseEnvFile(data); err != nil {
				return nil, fmt.Errorf("read %s: %w", envFile, err)
			}
		case errors.Is(err, os.ErrNotExist):
		default:
			return nil, fmt.Errorf("read %s: %w", envFile, err)
		}
	}
	get := func(k string) string {
		if v := strings.TrimSpace(getenv(k)); v != "" {
			return v
		}
		return strings.TrimSpace(file[k])
	}

	c := &Config{
		AppID:     get("DISCORD_APP_ID"),
		GuildID:   get("DISCORD_GUILD_ID"),
		Corpus:    get("BRIEFBOT_CORPUS"),
		DataDir:   get("BRIEFBOT_DATA"),
		LogFormat: strings.ToLower(get("LOG_FORMAT")),
		LogLevel:  strings.ToLower(get("LOG_LEVEL")),
		RateBurst: 5,
		RateEvery: 12 * time.Second,
	}
	token := strings.TrimPrefix(get("DISCORD_TOKEN"), "Bot ")
	switch {
	case token == "":
		return nil, &Error{"DISCORD_TOKEN", "not set: copy the bot token from the Discord developer portal (Bot → Reset Token) into .env"}
	case strings.ContainsAny(token, " \t\r\n") || len(token) < 20:
		return nil, &Error{"DISCORD_TOKEN", "does not look like a bot token (too short or contains spaces)"}
	}
	c.Token = token
	for name, v := range map[string]string{"DISCORD_APP_ID": c.AppID, "DISCORD_GUILD_ID": c.GuildID} {
		if v != "" && !snowflake.MatchString(v) {
			return nil, &Error{name, fmt.Sprintf("%q is not a Discord ID (17 to 20 digits)", v)}
		}
	}
	var err error
	if c.AllowedChannels, err = ids("BRIEFBOT_ALLOWED_CHANNELS", get("BRIEFBOT_ALLOWED_CHANNELS")); err != nil {
		return nil, err
	}
	if c.AllowedRoles, err = ids("BRIEFBOT_ALLOWED_ROLES", get("BRIEFBOT_ALLOWED_ROLES")); err != nil {
		return nil, err
	}
	if v := get("BRIEFBOT_RATE_LIMIT"); v != "" {
		if c.RateBurst, c.RateEvery, err = rateLimit(v); err != nil {
			return nil, &Error{"BRIEFBOT_RATE_LIMIT", err.Error()}
		}
	}
	if c.DataDir == "" {
		var err error
		if c.DataDir, err = DefaultDataDir(c.Corpus); err != nil {
			return nil, &Error{"BRIEFBOT_DATA", err.Error()}
		}
	}
	if c.Corpus != "" {
		if st, err := os.Stat(c.Corpus); err != nil || !st.IsDir() {
			return nil, &Error{"BRIEFBOT_CORPUS", fmt.Sprintf("%q is not a folder", c.Corpus)}
		}
	}
	if err := c.endpoints(get("DISCORD_API_BASE"), get("DISCORD_GATEWAY_URL"), get("DISCORD_ALLOW_INSECURE")); err != nil {
		return nil, err
	}
	c.HTTPAddr = get("HTTP_ADDR")
	switch c.HTTPAddr {
	case "":
		c.HTTPAddr = "127.0.0.1:8080"
	case "off":
		c.HTTPAddr = ""
	}
	if c.HTTPAddr != "" {
		if _, _, err := net.SplitHostPort(c.HTTPAddr); err != nil {
			return nil, &Error{"HTTP_ADDR", fmt.Sprintf("%q is not host:port (such as :8080)", c.HTTPAddr)}
		}
	}
	c.PublicKey = get("INTERACTIONS_PUBLIC_KEY")
	if c.PublicKey != "" {
		if b, err := hex.DecodeString(c.PublicKey); err != nil || len(b) != 32 {
			return nil, &Error{"INTERACTIONS_PUBLIC_KEY", "not the application's public key (64 hex digits, General Information → Public Key)"}
		}
		if c.AppID == "" {
			return nil, &Error{"DISCORD_APP_ID", "required with INTERACTIONS_PUBLIC_KEY: there is no gateway READY to learn it from"}
		}
		if c.HTTPAddr == "" {
			return nil, &Error{"HTTP_ADDR", "cannot be off with INTERACTIONS_PUBLIC_KEY: interactions arrive over HTTP"}
		}
	}
	if err := c.ingestion(get); err != nil {
		return nil, err
	}
	if err := c.digest(get); err != nil {
		return nil, err
	}
	switch c.LogFormat {
	case "", "text", "json":
	default:
		return nil, &Error{"LOG_FORMAT", fmt.Sprintf("%q: use text or json", c.LogFormat)}
	}
	switch c.LogLevel {
	case "", "debug", "info", "warn", "error":
	default:
		return nil, &Error{"LOG_LEVEL", fmt.Sprintf("%q: use debug, info, warn or error", c.LogLevel)}
	}
	return c, nil
}

// ingestion reads the inbox, feed and fetch settings.
func (c *Config) ingestion(get func(string) string) error {
	var err error
	if c.AdminRoles, err = ids("BRIEFBOT_ADMIN_ROLES", get("BRIEFBOT_ADMIN_ROLES")); err != nil {
		return err
	}
	switch c.Inbox = get("BRIEFBOT_INBOX"); c.Inbox {
	case "":
		c.Inbox = filepath.Join(c.DataDir, "inbox")
	case "off":
		c.Inbox = ""
	}
	for _, f := range strings.FieldsFunc(get("BRIEFBOT_FEEDS"), func(r rune) bool { return r == ',' || r == ' ' }) {
		u, err := url.Parse(f)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return &Error{"BRIEFBOT_FEEDS", fmt.Sprintf("%q is not an http:// or https:// address", f)}
		}
		c.Feeds = append(c.Feeds, f)
	}
	expr := get("BRIEFBOT_FEED_SCHEDULE")
	if expr == "" {
		expr = "*/30 * * * *"
	}
	if c.FeedSchedule, err = schedule.Parse(expr, time.UTC); err != nil {
		return &Error{"BRIEFBOT_FEED_SCHEDULE", err.Error()}
	}
	if c.FetchPrivate, err = flag("BRIEFBOT_FETCH_ALLOW_PRIVATE", get("BRIEFBOT_FETCH_ALLOW_PRIVATE")); err != nil {
		return err
	}
	return nil
}

// digest reads the DIGEST_ settings.
func (c *Config) digest(get func(string) string) error {
	d := &c.Digest
	d.Channel = get("DIGEST_CHANNEL_ID")
	if d.Channel != "" && !snowflake.MatchString(d.Channel) {
		return &Error{"DIGEST_CHANNEL_ID", fmt.Sprintf("%q is not a Discord channel ID (17 to 20 digits)", d.Channel)}
	}
	loc := time.UTC
	if tz := get("DIGEST_TIMEZONE"); tz != "" {
		var err error
		if loc, err = time.LoadLocation(tz); err != nil {
			return &Error{"DIGEST_TIMEZONE", fmt.Sprintf("%q is not an IANA time zone (such as Europe/Oslo or America/New_York)", tz)}
		}
	}
	expr := get("DIGEST_SCHEDULE")
	if expr == "" {
		expr = "0 8 * * *"
	}
	var err error
	if d.Schedule, err = schedule.Parse(expr, loc); err != nil {
		return &Error{"DIGEST_SCHEDULE", err.Error()}
	}
	d.CatchUp = 6 * time.Hour
	if v := get("DIGEST_CATCHUP"); v != "" {
		if d.CatchUp, err = time.ParseDuration(v); err != nil || d.CatchUp < 0 {
			return &Error{"DIGEST_CATCHUP", fmt.Sprintf("%q is not a duration such as 6h or 30m", v)}
		}
	}
	switch v := strings.ToLower(get("DIGEST_EMPTY")); v {
	case "", "post":
		d.PostEmpty = true
	case "skip":
	default:
		return &Error{"DIGEST_EMPTY", fmt.Sprintf("%q: use post or skip", v)}
	}
	return nil
}

// DefaultDataDir is the data folder of a corpus ("" for the bundled one)
// when BRIEFBOT_DATA does not name one: a folder per corpus in the user's
// cache, the same for the bot and every command line.
func DefaultDataDir(corpus string) (string, error) {
	cache, err := os.UserCacheDir()
	if err != nil {
		cache = os.TempDir()
	}
	name := "bundled"
	if corpus != "" {
		abs, err := filepath.Abs(corpus)
		if err != nil {
			return "", fmt.Errorf("resolve corpus folder %s: %w", corpus, err)
		}
		sum := sha256.Sum256([]byte(abs))
		name = filepath.Base(abs) + "-" + hex.EncodeToString(sum[:4])
	}
	return filepath.Join(cache, "briefbot", name), nil
}

// WithEnvFile is getenv with the .env file at envFile filling in what the
// environment leaves unset, as Load reads it; a file that cannot be read
// or parsed adds nothing (Load reports it).
func WithEnvFile(getenv func(string) string, envFile string) func(string) string {
	data, err := os.ReadFile(envFile)
	if err != nil {
		return getenv
	}
	file, err := parseEnvFile(data)
	if err != nil {
		return getenv
	}
	return func(k string) string {
		if v := getenv(k); v != "" {
			return v
		}
		return strings.TrimSpace(file[k])
	}
}

// parseEnvFile reads a .env file. godotenv's errors quote the file, token
// and all, so a malformed file is reported by line number only.
func parseEnvFile(data []byte) (map[string]string, error) {
	m, err := godotenv.UnmarshalBytes(data)
	if err == nil {
		return m, nil
	}
	// The bad line is the one after the longest prefix that still parses
	// (a quoted value may span lines, so a prefix can fail half-way).
	lines := strings.SplitAfter(string(data), "\n")
	good := 0
	for k := len(lines) - 1; k > 0; k-- {
		if _, err := godotenv.Unmarshal(strings.Join(lines[:k], "")); err == nil {
			good = k
			break
		}
	}
	return nil, fmt.Errorf("line %d is not KEY=value (an unclosed quote, or a line without =); values are not shown", good+1)
}

func flag(name, v string) (bool, error) {
	switch strings.ToLower(v) {
	case "", "0", "false", "no":
		return false, nil
	case "1", "true", "yes":
		return true, nil
	}
	return false, &Error{name, fmt.Sprintf("%q: use 0 or 1", v)}
}

// endpoints checks the API base and gateway: https/wss anywhere, plain
// http/ws only to loopback unless insecure transport is allowed.
func (c *Config) endpoints(base, gateway, allowInsecure string) error {
	allow := allowInsecure == "1" || strings.EqualFold(allowInsecure, "true")
	if base == "" {
		base = "https://discord.com/api"
	}
	c.APIBase, c.GatewayURL = strings.TrimRight(base, "/"), gateway
	for _, e := range []struct{ name, value, secure, plain string }{
		{"DISCORD_API_BASE", c.APIBase, "https", "http"},
		{"DISCORD_GATEWAY_URL", c.GatewayURL, "wss", "ws"},
	} {
		if e.value == "" {
			continue
		}
		u, err := url.Parse(e.value)
		if err != nil || u.Host == "" || (u.Scheme != e.secure && u.Scheme != e.plain) {
			return &Error{e.name, fmt.Sprintf("%q is not a %s:// or %s:// URL", e.value, e.secure, e.plain)}
		}
		if u.Scheme == e.plain && !isLoopback(u.Hostname()) {
			if !allow {
				return &Error{e.name, fmt.Sprintf("%q is plain %s to a host that is not loopback; the token would travel unencrypted (set DISCORD_ALLOW_INSECURE=1 to allow it)", e.value, e.plain)}
			}
			c.Insecure = true
		}
	}
	return nil
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func ids(name, v string) ([]string, error) {
	var out []string
	for _, s := range strings.Split(v, ",") {
		if s = strings.TrimSpace(s); s == "" {
			continue
		}
		if !snowflake.MatchString(s) {
			return nil, &Error{name, fmt.Sprintf("%q is not a Discord ID (17 to 20 digits)", s)}
		}
		out = append(out, s)
	}
	return out, nil
}

// rateLimit reads "N/duration": N commands at once, one more every duration/N.
func rateLimit(v string) (int, time.Duration, error) {
	n, per, ok := strings.Cut(v, "/")
	burst, err := strconv.Atoi(strings.TrimSpace(n))
	if !ok || err != nil || burst < 1 || burst > 1000 {
		return 0, 0, fmt.Errorf("%q: write commands/period, such as 5/1m", v)
	}
	d, err := time.ParseDuration(strings.TrimSpace(per))
	if err != nil || d <= 0 {
		return 0, 0, fmt.Errorf("%q: the period must be a duration such as 30s or 1m", v)
	}
	return burst, d / time.Duration(burst), nil
}
