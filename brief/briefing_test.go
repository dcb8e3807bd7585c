package brief_test

import (
	"context"
	"strings"
	"testing"
)

func TestBriefOnAText(t *testing.T) {
	f := bundled(t)
	ctx := context.Background()
	b, err := f.e.BriefOn(ctx, "Did you see this? Qureshi says Pakistan will not take sides between Iran and the United States.")
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Speakers) == 0 || !strings.Contains(b.Speakers[0], "Qureshi") || len(b.Actors) == 0 || b.Topic == "" {
		t.Fatalf("found %+v", b)
	}
	kinds := map[string]bool{}
	for _, a := range b.Answers {
		kinds[a.Command] = true
		checkCited(t, f.c, a)
		if len(a.Items) > 3 {
			t.Errorf("%s: %d items in a briefing", a.Command, len(a.Items))
		}
	}
	if !kinds["quote"] || !kinds["stance"] {
		t.Errorf("want positions and quotations: %v", kinds)
	}
	for _, text := range []string{"", "lunch at noon?", "\x00\u202e" + strings.Repeat("zz ", 5000)} {
		b, err := f.e.BriefOn(ctx, text)
		if err != nil || len(b.Answers) != 0 || b.Note == "" {
			t.Errorf("%.20q: want a note and nothing else: %+v %v", text, b, err)
		}
	}
	// A lower-case word is not a surname ("rice" is not Condoleezza Rice).
	if b, _ := f.e.BriefOn(ctx, "qureshi"); len(b.Speakers) != 0 {
		t.Errorf("a name in lower case matched a speaker: %+v", b)
	}
}
