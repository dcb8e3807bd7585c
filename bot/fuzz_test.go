package bot_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/hex"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/internal/fakediscord"
)

// FuzzInteractionBody posts arbitrary bodies, correctly signed, to the HTTP
// interactions endpoint of a running bot: whatever they hold, the answer is
// a status the endpoint documents, within Discord's three seconds, and the
// bot does not crash.
func FuzzInteractionBody(f *testing.F) {
	user := `"member":{"user":{"id":"400000000000000004","username":"u"},"roles":[]}`
	for _, s := range []string{
		`{"id":"1","type":1,"token":"t","version":1}`,
		`{"id":"2","type":2,"token":"t","version":1,` + user + `,"data":{"name":"search","type":1,"options":[{"name":"query","type":3,"value":"Iran"}]}}`,
		`{"id":"3","type":2,"token":"t","version":1,` + user + `,"data":{"name":"stance","options":[{"name":"topic","type":3,"value":7}]}}`,
		`{"id":"4","type":3,"token":"t","version":1,` + user + `,"data":{"custom_id":"pg|f|400000000000000004|9223372036854775807|Iran","component_type":2}}`,
		`{"id":"5","type":4,"token":"t","version":1,` + user + `,"data":{"name":"quote","options":[{"name":"speaker","type":3,"value":"Q","focused":true}]}}`,
		`{"id":"6","type":5,"token":"t","version":1,` + user + `,"data":{"custom_id":"x","components":[]}}`,
		`{"id":"7","type":2,"token":"t","version":1,"data":{"name":"digest","options":[{"name":"subscribe","type":1,"options":[{"name":"time","type":3,"value":"99:99"}]}]}}`,
		`{"id":"8","type":2}`, `{"type":-1}`, `[]`, `null`, `{"id":"9","type":2,"data":null}`, "\x00\xff",
	} {
		f.Add([]byte(s))
	}
	fake, err := fakediscord.Start(fakediscord.Options{})
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(fake.Close)
	client, _ := bot.APIClient(fake.URL+"/api", "", 5*time.Second)
	pub, priv, _ := ed25519.GenerateKey(rand.Reader)
	b := bot.New(bot.Settings{Token: fake.Token, AppID: fake.AppID, GuildID: fake.GuildID, RateBurst: 1 << 20, RateEvery: time.Nanosecond}, engine,
		bot.Deps{HTTPClient: client, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err := b.StartHTTP(context.Background()); err != nil {
		f.Fatal(err)
	}
	f.Cleanup(b.StopHTTP)
	h := b.InteractionsHandler(pub)
	allowed := map[int]bool{200: true, 400: true, 409: true, 503: true}
	f.Fuzz(func(t *testing.T, body []byte) {
		ts := strconv.FormatInt(time.Now().Unix(), 10)
		req := httptest.NewRequest(http.MethodPost, "/interactions", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-Signature-Timestamp", ts)
		req.Header.Set("X-Signature-Ed25519", hex.EncodeToString(ed25519.Sign(priv, append([]byte(ts), body...))))
		rec := httptest.NewRecorder()
		start := time.Now()
		h.ServeHTTP(rec, req)
		if took := time.Since(start); took > 3500*time.Millisecond {
			t.Fatalf("%q: answered after %v", body, took)
		}
		if !allowed[rec.Code] {
			t.Fatalf("%q: HTTP %d %s", body, rec.Code, rec.Body)
		}
	})
}
