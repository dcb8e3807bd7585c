package config

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

const token = "MTAwMDAwMDAwMDAwMDAwMDAx.secret-part-of-the-token"

func env(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func TestLoad(t *testing.T) {
	tests := []struct {
		name    string
		vars    map[string]string
		wantVar string // "" for success
	}{
		{"minimal", map[string]string{"DISCORD_TOKEN": token}, ""},
		{"Bot prefix accepted", map[string]string{"DISCORD_TOKEN": "Bot " + token}, ""},
		{"no token", map[string]string{}, "DISCORD_TOKEN"},
		{"token with space", map[string]string{"DISCORD_TOKEN": "abc def ghi jkl mno pqr stu"}, "DISCORD_TOKEN"},
		{"bad guild", map[string]string{"DISCORD_TOKEN": token, "DISCORD_GUILD_ID": "my-server"}, "DISCORD_GUILD_ID"},
		{"bad app", map[string]string{"DISCORD_TOKEN": token, "DISCORD_APP_ID": "12"}, "DISCORD_APP_ID"},
		{"bad channel list", map[string]string{"DISCORD_TOKEN": token, "BRIEFBOT_ALLOWED_CHANNELS": "123456789012345678, general"}, "BRIEFBOT_ALLOWED_CHANNELS"},
		{"bad rate", map[string]string{"DISCORD_TOKEN": token, "BRIEFBOT_RATE_LIMIT": "fast"}, "BRIEFBOT_RATE_LIMIT"},
		{"missing corpus", map[string]string{"DISCORD_TOKEN": token, "BRIEFBOT_CORPUS": "/no/such/dir"}, "BRIEFBOT_CORPUS"},
		{"bad log format", map[string]string{"DISCORD_TOKEN": token, "LOG_FORMAT": "xml"}, "LOG_FORMAT"},
		{"http loopback ok", map[string]string{"DISCORD_TOKEN": token, "DISCORD_API_BASE": "http://127.0.0.1:8080/api"}, ""},
		{"http remote refused", map[string]string{"DISCORD_TOKEN": token, "DISCORD_API_BASE": "http://proxy.internal:8080/api"}, "DISCORD_API_BASE"},
		{"http remote allowed", map[string]string{"DISCORD_TOKEN": token, "DISCORD_API_BASE": "http://proxy.internal:8080/api", "DISCORD_ALLOW_INSECURE": "1"}, ""},
		{"ws gateway remote refused", map[string]string{"DISCORD_TOKEN": token, "DISCORD_GATEWAY_URL": "ws://gw.internal/"}, "DISCORD_GATEWAY_URL"},
		{"not a URL", map[string]string{"DISCORD_TOKEN": token, "DISCORD_API_BASE": "discord.com/api"}, "DISCORD_API_BASE"},
		{"bad http addr", map[string]string{"DISCORD_TOKEN": token, "HTTP_ADDR": "8080"}, "HTTP_ADDR"},
		{"bad public key", map[string]string{"DISCORD_TOKEN": token, "DISCORD_APP_ID": "123456789012345678", "INTERACTIONS_PUBLIC_KEY": "xyz"}, "INTERACTIONS_PUBLIC_KEY"},
		{"public key needs app id", map[string]string{"DISCORD_TOKEN": token, "INTERACTIONS_PUBLIC_KEY": "aa" + strings.Repeat("00", 31)}, "DISCORD_APP_ID"},
		{"http interactions", map[string]string{"DISCORD_TOKEN": token, "DISCORD_APP_ID": "123456789012345678", "INTERACTIONS_PUBLIC_KEY": "aa" + strings.Repeat("00", 31)}, ""},
		{"feeds", map[string]string{"DISCORD_TOKEN": token, "BRIEFBOT_FEEDS": "https://a.example/rss, https://b.example/atom.xml", "BRIEFBOT_FEED_SCHEDULE": "@hourly"}, ""},
		{"bad feed", map[string]string{"DISCORD_TOKEN": token, "BRIEFBOT_FEEDS": "file:///etc/passwd"}, "BRIEFBOT_FEEDS"},
		{"bad feed schedule", map[string]string{"DISCORD_TOKEN": token, "BRIEFBOT_FEED_SCHEDULE": "often"}, "BRIEFBOT_FEED_SCHEDULE"},
		{"bad private flag", map[string]string{"DISCORD_TOKEN": token, "BRIEFBOT_FETCH_ALLOW_PRIVATE": "maybe"}, "BRIEFBOT_FETCH_ALLOW_PRIVATE"},
		{"bad admin role", map[string]string{"DISCORD_TOKEN": token, "BRIEFBOT_ADMIN_ROLES": "admins"}, "BRIEFBOT_ADMIN_ROLES"},
		{"digest", map[string]string{"DISCORD_TOKEN": token, "DIGEST_CHANNEL_ID": "123456789012345678", "DIGEST_SCHEDULE": "30 7 * * 1-5", "DIGEST_TIMEZONE": "Europe/Oslo", "DIGEST_CATCHUP": "2h", "DIGEST_EMPTY": "skip"}, ""},
		{"bad digest channel", map[string]string{"DISCORD_TOKEN": token, "DIGEST_CHANNEL_ID": "#news"}, "DIGEST_CHANNEL_ID"},
		{"bad digest schedule", map[string]string{"DISCORD_TOKEN": token, "DIGEST_SCHEDULE": "8am"}, "DIGEST_SCHEDULE"},
		{"bad time zone", map[string]string{"DISCORD_TOKEN": token, "DIGEST_TIMEZONE": "Oslo"}, "DIGEST_TIMEZONE"},
		{"bad catch-up", map[string]string{"DISCORD_TOKEN": token, "DIGEST_CATCHUP": "-1h"}, "DIGEST_CATCHUP"},
		{"bad empty choice", map[string]string{"DISCORD_TOKEN": token, "DIGEST_EMPTY": "maybe"}, "DIGEST_EMPTY"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Load(env(tt.vars), "")
			if tt.wantVar == "" {
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				if c.Token != token {
					t.Errorf("token not read")
				}
				return
			}
			var ce *Error
			if !errors.As(err, &ce) || ce.Var != tt.wantVar {
				t.Fatalf("want an error naming %s, got %v", tt.wantVar, err)
			}
			if strings.Contains(err.Error(), "secret-part") || strings.Contains(err.Error(), "ghi jkl") {
				t.Errorf("the token leaked into the error: %v", err)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("error should be one line: %q", err)
			}
		})
	}
}

func TestIngestAndDigestDefaults(t *testing.T) {
	c, err := Load(env(map[string]string{"DISCORD_TOKEN": token, "BRIEFBOT_DATA": "/srv/briefbot"}), "")
	if err != nil {
		t.Fatal(err)
	}
	if c.Inbox != filepath.Join("/srv/briefbot", "inbox") || len(c.Feeds) != 0 || c.FetchPrivate {
		t.Errorf("ingestion defaults: %+v", c)
	}
	d := c.Digest
	if d.Channel != "" || d.Schedule.String() != "0 8 * * * (UTC)" || d.CatchUp != 6*time.Hour || !d.PostEmpty {
		t.Errorf("digest defaults: %+v %s", d, d.Schedule)
	}
	c, err = Load(env(map[string]string{"DISCORD_TOKEN": token, "BRIEFBOT_INBOX": "off", "DIGEST_TIMEZONE": "America/New_York"}), "")
	if err != nil {
		t.Fatal(err)
	}
	if c.Inbox != "" || c.Digest.Schedule.Location().String() != "America/New_York" {
		t.Errorf("inbox %q, zone %s", c.Inbox, c.Digest.Schedule.Location())
	}
}

func TestEnvFileAndPrecedence(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, ".env")
	os.WriteFile(file, []byte("DISCORD_TOKEN="+token+"\nDISCORD_GUILD_ID=111111111111111111\nBRIEFBOT_RATE_LIMIT=10/1m\n"), 0o600)
	c, err := Load(env(map[string]string{"DISCORD_GUILD_ID": "222222222222222222"}), file)
	if err != nil {
		t.Fatal(err)
	}
	if c.Token != token || c.GuildID != "222222222222222222" {
		t.Errorf("the environment should win over .env: %+v", c.GuildID)
	}
	if c.RateBurst != 10 || c.RateEvery != 6*time.Second {
		t.Errorf("rate %d/%v", c.RateBurst, c.RateEvery)
	}
	if _, err := Load(env(map[string]string{"DISCORD_TOKEN": token}), filepath.Join(dir, "missing.env")); err != nil {
		t.Errorf("a missing .env is fine: %v", err)
	}
}

// A .env file that cannot be parsed is reported by line, and nothing of
// what it holds (the token least of all) appears in the message.
func TestMalformedEnvFileNeverShowsTheToken(t *testing.T) {
	for _, tt := range []struct {
		name, text string
		line       string
	}{
		{"unterminated quote", "DISCORD_GUILD_ID=123456789012345678\nDISCORD_TOKEN=\"" + token + "\n", "line 2"},
		{"bad line before the token", "this is not a setting\nDISCORD_TOKEN=" + token + "\n", "line 1"},
		{"bad line after the token", "DISCORD_TOKEN=" + token + "\nnot a setting either " + token + "\n", "line 2"},
		{"single quote", "DISCORD_TOKEN='" + token + "\nLOG_LEVEL=debug\n", "line 1"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), ".env")
			os.WriteFile(path, []byte(tt.text), 0o600)
			_, err := Load(env(nil), path)
			if err == nil {
				t.Fatal("a malformed .env file should stop start-up")
			}
			msg := err.Error()
			if strings.Contains(msg, "secret") || strings.Contains(msg, token[:10]) {
				t.Errorf("the message shows the token: %s", msg)
			}
			if !strings.Contains(msg, tt.line) {
				t.Errorf("the message should name %s: %s", tt.line, msg)
			}
		})
	}
}
