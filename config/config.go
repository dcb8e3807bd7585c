// Package config reads the bot's settings from the environment, with a .env
// file filling in what the environment does not set. Every problem names
// the variable; the token's value never appears in a message.
package config

import (
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/joho/godotenv"
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
		m, err := godotenv.Read(envFile)
		switch {
		case err == nil:
			file = m
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
		c.DataDir = "data"
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
