package bot

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/briefbot/briefbot/brief"
)

// FuzzButtonID reads arbitrary custom IDs (a button's state is the
// presser's to craft): never a panic, and what is accepted is a request a
// real answer could have made, which encodes back to itself.
func FuzzButtonID(f *testing.F) {
	for _, s := range []string{
		"pg|s|400000000000000004|5|Ukraine|", "pg|f|400000000000000004|9223372036854775807|Iran",
		"pg|t|400000000000000004|0|Iran|2020-01-01|2020-01-31", "pg|q|400000000000000004|-5|x|y",
		"ps|0123456789abcdef0123|400000000000000004|10", "ps|||", "pg|||||||||", "pg|x|1|0", "%7C%25|%",
		"pg|o|400000000000000004|100000|a%7Cb", "pg|s|400000000000000004|01|%ZZ|",
		// Not UTF-8, and too long to be a custom ID once re-encoded.
		"pg|t|00000000000000000|0|" + strings.Repeat("0", 70) + "\xce0",
	} {
		f.Add(s)
	}
	b := New(Settings{}, nil, Deps{})
	// One stored question, so that the server-side path is reached too.
	state, _ := json.Marshal(storedQuestion{Command: "search", Args: []string{strings.Repeat("long words ", 10)}})
	b.deps.Buttons.PutButton("0123456789abcdef0123", state)
	f.Fuzz(func(t *testing.T, id string) {
		r, ok := b.parseButton(id)
		if !ok {
			return
		}
		if len(r.Args) != len(argNames[r.Command]) || r.Offset < 0 || r.Offset > brief.MaxOffset || !snowflake(r.User) {
			t.Fatalf("%q accepted as %+v", id, r)
		}
		again, ok := b.parseButton(mustID(t, b, r))
		if !ok || again.Command != r.Command || again.Offset != r.Offset || again.User != r.User || strings.Join(again.Args, "\x00") != strings.Join(r.Args, "\x00") {
			t.Fatalf("%q: %+v does not survive a round trip: %+v", id, r, again)
		}
	})
}

func mustID(t *testing.T, b *Bot, r request) string {
	id, ok := b.buttonID(r)
	if !ok || len(id) > maxCustomID {
		t.Fatalf("no custom ID for %+v", r)
	}
	return id
}
