package bot

import (
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/bwmarrin/discordgo"
)

// MaxInteractionBody bounds an interaction request; Discord's are a few KiB.
const MaxInteractionBody = 1 << 20

// MaxClockSkew is how old (or how far ahead) a signed timestamp may be:
// older requests are refused as replays.
const MaxClockSkew = 5 * time.Minute

// ParsePublicKey reads the application's public key (hex, from the developer portal).
func ParsePublicKey(s string) (ed25519.PublicKey, error) {
	b, err := hex.DecodeString(s)
	if err != nil || len(b) != ed25519.PublicKeySize {
		return nil, errors.New("not a hex Ed25519 public key of 32 bytes")
	}
	return ed25519.PublicKey(b), nil
}

// StartHTTP prepares the bot to take interactions over HTTP instead of the
// gateway: it registers the commands by REST and marks the bot ready. Serve
// InteractionsHandler at the URL set as the application's Interactions
// Endpoint URL.
func (b *Bot) StartHTTP(ctx context.Context) error {
	if _, err := b.newSession(); err != nil {
		return err
	}
	if err := b.retrying(ctx, "register slash commands", b.register); err != nil {
		return err
	}
	if ctx.Err() != nil {
		return ctx.Err()
	}
	b.notReady.Store("")
	b.connected.Store(true)
	b.once.Do(func() { close(b.ready) })
	b.deps.Logger.Info("briefbot is answering over HTTP", "app", b.appID.Load(), "guild", b.cfg.GuildID)
	return nil
}

// StopHTTP stops taking interactions and waits for those in flight.
func (b *Bot) StopHTTP() { b.drain() }

// InteractionsHandler answers Discord's POSTs: every request's Ed25519
// signature is checked, stale timestamps are refused, PING gets PONG and
// the rest go to the same handlers as the gateway's interactions.
func (b *Bot) InteractionsHandler(key ed25519.PublicKey) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			http.Error(w, "POST only", http.StatusMethodNotAllowed)
			return
		}
		if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "application/json" {
			http.Error(w, "interactions are application/json", http.StatusUnsupportedMediaType)
			return
		}
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxInteractionBody))
		if err != nil {
			http.Error(w, "request too large", http.StatusRequestEntityTooLarge)
			return
		}
		if msg := verify(key, r.Header, body, b.deps.Now()); msg != "" {
			http.Error(w, msg, http.StatusUnauthorized)
			return
		}
		var in discordgo.Interaction
		if err := json.Unmarshal(body, &in); err != nil {
			http.Error(w, "not an interaction", http.StatusBadRequest)
			return
		}
		if in.Type == discordgo.InteractionPing {
			writeJSON(w, discordgo.InteractionResponse{Type: discordgo.InteractionResponsePong})
			return
		}
		if !handled(in.Type) {
			http.Error(w, "unknown interaction type", http.StatusBadRequest)
			return
		}
		if b.session == nil || !b.Ready() {
			http.Error(w, "not ready", http.StatusServiceUnavailable)
			return
		}
		// A signed request may be replayed within the timestamp window:
		// each interaction is answered once.
		if !b.seen.first(in.ID, b.deps.Now()) {
			http.Error(w, "interaction already received", http.StatusConflict)
			return
		}
		first := make(chan *discordgo.InteractionResponse, 1)
		b.direct.Store(in.ID, first)
		go b.onInteraction(b.session, &discordgo.InteractionCreate{Interaction: &in})
		// The handler defers within AckAfter, so a response comes well
		// inside Discord's three seconds.
		select {
		case resp := <-first:
			writeJSON(w, resp)
		case <-time.After(3 * time.Second):
			b.direct.Delete(in.ID)
			http.Error(w, "no response in time", http.StatusServiceUnavailable)
		case <-r.Context().Done():
			b.direct.Delete(in.ID)
		}
	})
}

// verify checks X-Signature-Ed25519 over X-Signature-Timestamp + body and
// the timestamp's age; it returns why a request is refused ("" if accepted).
func verify(key ed25519.PublicKey, h http.Header, body []byte, now time.Time) string {
	sig, err := hex.DecodeString(h.Get("X-Signature-Ed25519"))
	ts := h.Get("X-Signature-Timestamp")
	if err != nil || len(sig) != ed25519.SignatureSize || ts == "" {
		return "missing or malformed signature"
	}
	if !ed25519.Verify(key, append([]byte(ts), body...), sig) {
		return "invalid request signature"
	}
	secs, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return "malformed timestamp"
	}
	if d := now.Sub(time.Unix(secs, 0)); d > MaxClockSkew || d < -MaxClockSkew {
		return fmt.Sprintf("timestamp is %v away from now; refusing a possible replay", d.Round(time.Second))
	}
	return ""
}

// handled: the interaction types the bot answers (PING aside).
func handled(t discordgo.InteractionType) bool {
	switch t {
	case discordgo.InteractionApplicationCommand, discordgo.InteractionApplicationCommandAutocomplete,
		discordgo.InteractionMessageComponent, discordgo.InteractionModalSubmit:
		return true
	}
	return false
}

// seenIDs remembers the interaction IDs received in the last replay window.
type seenIDs struct {
	mu  sync.Mutex
	ids map[string]time.Time
}

// first records id and says whether it is new. Entries older than twice
// the window are forgotten: a replay that old fails its timestamp check.
func (s *seenIDs) first(id string, now time.Time) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ids == nil {
		s.ids = map[string]time.Time{}
	}
	if _, ok := s.ids[id]; ok {
		return false
	}
	if len(s.ids) > 1024 {
		for k, t := range s.ids {
			if now.Sub(t) > 2*MaxClockSkew {
				delete(s.ids, k)
			}
		}
	}
	s.ids[id] = now
	return true
}

func writeJSON(w http.ResponseWriter, v interface{}) {
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(v)
}
