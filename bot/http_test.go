package bot_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/internal/discordspec"
	"github.com/briefbot/briefbot/internal/fakediscord"
	"github.com/briefbot/briefbot/ops"
)

type fixedStats struct{}

func (fixedStats) Documents() float64      { return 42 }
func (fixedStats) Bytes() float64          { return 1 << 20 }
func (fixedStats) Updated() time.Time      { return time.Now().Add(-time.Hour) }
func (fixedStats) DigestPosted() time.Time { return time.Time{} }

// The HTTP interactions endpoint and the ops server, with signed requests.
func TestHTTPInteractions(t *testing.T) {
	fake, err := fakediscord.Start(fakediscord.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer fake.Close()
	client, _ := bot.APIClient(fake.URL+"/api", "", 5*time.Second)
	pub, priv, _ := ed25519.GenerateKey(rand.Reader)
	metrics := ops.NewMetrics(fixedStats{}, time.Now)
	b := bot.New(bot.Settings{Token: fake.Token, AppID: fake.AppID, GuildID: fake.GuildID}, engine,
		bot.Deps{HTTPClient: client, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Observer: metrics})
	ready := func() error {
		if !b.Ready() {
			return io.EOF
		}
		return nil
	}
	srv := httptest.NewServer(ops.Handler(ready, metrics, b.InteractionsHandler(pub)))
	defer srv.Close()

	get := func(path string) (int, string) {
		resp, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(body)
	}
	if code, _ := get("/healthz"); code != 200 {
		t.Errorf("/healthz: %d", code)
	}
	if code, _ := get("/readyz"); code != 503 {
		t.Errorf("/readyz before start: %d, want 503", code)
	}
	if err := b.StartHTTP(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer b.StopHTTP()
	if code, _ := get("/readyz"); code != 200 {
		t.Errorf("/readyz after start: %d", code)
	}

	post := func(body []byte, sign func(ts string, body []byte) string, ts string) (int, []byte) {
		req, _ := http.NewRequest(http.MethodPost, srv.URL+"/interactions", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		if sign != nil {
			req.Header.Set("X-Signature-Ed25519", sign(ts, body))
			req.Header.Set("X-Signature-Timestamp", ts)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		out, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, out
	}
	good := func(ts string, body []byte) string {
		return hex.EncodeToString(ed25519.Sign(priv, append([]byte(ts), body...)))
	}
	_, otherKey, _ := ed25519.GenerateKey(rand.Reader)
	wrong := func(ts string, body []byte) string {
		return hex.EncodeToString(ed25519.Sign(otherKey, append([]byte(ts), body...)))
	}
	now := strconv.FormatInt(time.Now().Unix(), 10)
	stale := strconv.FormatInt(time.Now().Add(-10*time.Minute).Unix(), 10)
	ping := []byte(`{"id":"1","application_id":"` + fake.AppID + `","type":1,"token":"t","version":1}`)

	for _, tt := range []struct {
		name string
		body []byte
		sign func(string, []byte) string
		ts   string
		want int
	}{
		{"unsigned", ping, nil, now, 401},
		{"wrong key", ping, wrong, now, 401},
		{"stale timestamp", ping, good, stale, 401},
		{"oversized", append(ping, bytes.Repeat([]byte(" "), bot.MaxInteractionBody+1)...), good, now, 413},
		{"ping", ping, good, now, 200},
	} {
		code, body := post(tt.body, tt.sign, tt.ts)
		if code != tt.want {
			t.Errorf("%s: HTTP %d, want %d (%s)", tt.name, code, tt.want, body)
		}
		if tt.name == "ping" && strings.TrimSpace(string(body)) != `{"type":1}` {
			t.Errorf("PING should get PONG, got %s", body)
		}
	}

	cmd, _ := json.Marshal(map[string]interface{}{
		"id": "910000000000000001", "application_id": fake.AppID, "type": 2, "token": "itoken-http", "version": 1,
		"guild_id": fake.GuildID, "channel_id": fakediscord.DefaultUser.ChannelID,
		"member": map[string]interface{}{"user": map[string]interface{}{"id": fakediscord.DefaultUser.ID, "username": "u"}, "roles": []string{}},
		"data":   map[string]interface{}{"id": "1", "name": "quote", "type": 1, "options": []map[string]interface{}{{"name": "speaker", "type": 3, "value": "Lavrov"}}},
	})
	code, body := post(cmd, good, now)
	if code != 200 {
		t.Fatalf("command over HTTP: %d %s", code, body)
	}
	validate(t, discordspec.InteractionCallback, body)
	if !strings.Contains(string(body), "third round of talks") {
		t.Errorf("answer over HTTP lacks Lavrov's quote: %s", body)
	}

	// The same signed request again, inside the replay window: refused.
	if code, body := post(cmd, good, now); code != http.StatusConflict {
		t.Errorf("a replayed interaction: HTTP %d %s, want 409", code, body)
	}
	// A form submitted to a bot that opened none, and a type it does not
	// know: answered at once, not after three seconds.
	modal, _ := json.Marshal(map[string]interface{}{
		"id": "910000000000000002", "application_id": fake.AppID, "type": 5, "token": "itoken-modal", "version": 1,
		"guild_id": fake.GuildID, "channel_id": fakediscord.DefaultUser.ChannelID,
		"member": map[string]interface{}{"user": map[string]interface{}{"id": fakediscord.DefaultUser.ID, "username": "u"}, "roles": []string{}},
		"data":   map[string]interface{}{"custom_id": "whatever", "components": []interface{}{}},
	})
	began := time.Now()
	if code, body := post(modal, good, now); code != 200 || !strings.Contains(string(body), `"flags":64`) {
		t.Errorf("modal submit: HTTP %d %s", code, body)
	}
	unknown := []byte(`{"id":"910000000000000003","application_id":"` + fake.AppID + `","type":99,"token":"t","version":1}`)
	if code, _ := post(unknown, good, now); code != http.StatusBadRequest {
		t.Errorf("unknown interaction type: HTTP %d, want 400", code)
	}
	if took := time.Since(began); took > 2*time.Second {
		t.Errorf("answering those took %v", took)
	}
	// Another content type is refused.
	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/interactions", bytes.NewReader(ping))
	req.Header.Set("Content-Type", "text/plain")
	req.Header.Set("X-Signature-Ed25519", good(now, ping))
	req.Header.Set("X-Signature-Timestamp", now)
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != http.StatusUnsupportedMediaType {
		t.Errorf("text/plain body: %v %v", resp.StatusCode, err)
	}

	// The command is counted once it has finished, which may be just after
	// its reply went out.
	want := []string{`briefbot_commands_total{command="quote",outcome="ok"} 1`, "briefbot_command_duration_seconds_bucket", "briefbot_index_documents 42", "briefbot_index_age_seconds"}
	deadline := time.Now().Add(5 * time.Second)
	for {
		_, m := get("/metrics")
		missing := ""
		for _, w := range want {
			if !strings.Contains(m, w) {
				missing = w
			}
		}
		if missing == "" {
			break
		}
		if time.Now().After(deadline) {
			t.Errorf("/metrics lacks %q", missing)
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// While Discord (or the proxy before it) does not answer yet, the bot
// keeps trying, and says why it is not ready.
func TestStartWhileDiscordIsDown(t *testing.T) {
	fake, err := fakediscord.Start(fakediscord.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer fake.Close()
	fake.FailNext("/gateway", 3, fakediscord.Failure{Status: 503})
	client, _ := bot.APIClient(fake.URL+"/api", "", 5*time.Second)
	b := bot.New(bot.Settings{Token: fake.Token, GuildID: fake.GuildID}, engine,
		bot.Deps{HTTPClient: client, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), RetryAfter: 20 * time.Millisecond})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- b.Run(ctx) }()
	sawReason := false
	deadline := time.Now().Add(10 * time.Second)
	for !b.Ready() {
		if strings.Contains(b.NotReady(), "trying again") {
			sawReason = true
		}
		if time.Now().After(deadline) {
			t.Fatalf("not ready after Discord came back: %s", b.NotReady())
		}
		time.Sleep(2 * time.Millisecond)
	}
	if !sawReason {
		t.Error("while Discord did not answer, NotReady should say the bot is trying again")
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("Run: %v", err)
	}
}
