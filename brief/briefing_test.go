package brief_test

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/briefbot/briefbot/brief"
	"github.com/briefbot/briefbot/render"
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

// fakeCorrections is a team's accepted corrections.
type fakeCorrections struct {
	speaker    map[string]string // article|para|quote → speaker
	irrelevant map[string]string // article|para → words
}

func (f fakeCorrections) SpeakerOf(article string, para int, quote string) (string, bool) {
	s, ok := f.speaker[fmt.Sprintf("%s|%d|%s", article, para, quote)]
	return s, ok
}

func (f fakeCorrections) IrrelevantTo(article string, para int, words string) bool {
	return f.irrelevant[fmt.Sprintf("%s|%d", article, para)] == words
}

func (f fakeCorrections) SpeakerFixes() []brief.SpeakerFix {
	var out []brief.SpeakerFix
	for k, s := range f.speaker {
		parts := strings.SplitN(k, "|", 3)
		var fix brief.SpeakerFix
		fix.Article, fix.Quote, fix.Speaker = parts[0], parts[2], s
		fmt.Sscanf(parts[1], "%d", &fix.Paragraph)
		out = append(out, fix)
	}
	return out
}

func (f fakeCorrections) IrrelevantPassages(words string) []brief.Passage {
	var out []brief.Passage
	for k, w := range f.irrelevant {
		if w == words {
			var p brief.Passage
			i := strings.LastIndex(k, "|")
			p.Article = k[:i]
			fmt.Sscanf(k[i+1:], "%d", &p.Paragraph)
			out = append(out, p)
		}
	}
	return out
}

// A passage marked as not answering a search's words comes after all the
// others, on every page, once.
func TestNotRelevantComesLastAcrossPages(t *testing.T) {
	f := bundled(t)
	ctx := context.Background()
	for _, tc := range []struct {
		name string
		ask  func(e *brief.Engine, p brief.Page) (*brief.Answer, error)
	}{
		{"search", func(e *brief.Engine, p brief.Page) (*brief.Answer, error) { return e.Search(ctx, "Iran", p) }},
		{"quote", func(e *brief.Engine, p brief.Page) (*brief.Answer, error) { return e.Quote(ctx, "", "Iran", p) }},
		{"timeline", func(e *brief.Engine, p brief.Page) (*brief.Answer, error) { return e.Timeline(ctx, "Iran", "", "", p) }},
	} {
		all, err := tc.ask(f.e, brief.Page{Limit: brief.MaxLimit})
		if err != nil || len(all.Items) < 4 {
			t.Fatalf("%s: %v", tc.name, err)
		}
		first := all.Items[0].Citation
		e := brief.New(f.e.Index()).WithCorrections(fakeCorrections{irrelevant: map[string]string{fmt.Sprintf("%s|%d", first.Article, first.Paragraph): "Iran"}})
		var seen []brief.Item
		total := -1
		for off := 0; off < all.Total+3; off += 3 {
			page, err := tc.ask(e, brief.Page{Offset: off, Limit: 3})
			if err != nil {
				t.Fatal(err)
			}
			total = page.Total
			seen = append(seen, page.Items...)
		}
		if total != all.Total {
			t.Errorf("%s: total %d, was %d", tc.name, total, all.Total)
		}
		var at []int
		for i, it := range seen {
			if it.Citation.Article == first.Article && it.Citation.Paragraph == first.Paragraph {
				at = append(at, i)
			}
		}
		if len(at) == 0 || at[0] < len(seen)-len(at) || seen[0].Citation == first {
			t.Errorf("%s: the marked passage is at %v of %d", tc.name, at, len(seen))
		}
	}
}

func TestCorrectionsApplyToAnswers(t *testing.T) {
	f := bundled(t)
	ctx := context.Background()
	before, err := f.e.Quote(ctx, "Qureshi", "", brief.Page{Limit: 3})
	if err != nil || len(before.Items) < 2 {
		t.Fatal(err, before)
	}
	q := before.Items[1]
	stance, err := f.e.Stance(ctx, brief.StanceQuery{Topic: "Iran"}, brief.Page{Limit: 50})
	if err != nil || len(stance.Items) < 2 {
		t.Fatal(err)
	}
	first := stance.Items[0].Citation
	fc := fakeCorrections{
		speaker:    map[string]string{fmt.Sprintf("%s|%d|%s", q.Citation.Article, q.Citation.Paragraph, q.Quote): "Maleeha Lodhi"},
		irrelevant: map[string]string{fmt.Sprintf("%s|%d", first.Article, first.Paragraph): "Iran"},
	}
	e := brief.New(f.e.Index()).WithCorrections(fc)
	// Asked without a speaker, the quotation shows the team's.
	after, err := e.Quote(ctx, "", "", brief.Page{Limit: brief.MaxLimit})
	if err != nil {
		t.Fatal(err)
	}
	for _, got := range after.Items {
		if got.Quote == q.Quote && got.Citation == q.Citation && (got.Speaker != "Maleeha Lodhi" || got.Attribution != brief.ByTeam || got.SpeakerTitle != "") {
			t.Errorf("corrected quotation: %+v", got)
		}
	}
	if mine, _ := e.Quote(ctx, "Qureshi", "", brief.Page{Limit: 3}); mine.Items[0].Speaker != before.Items[0].Speaker {
		t.Errorf("an uncorrected quotation changed: %+v", mine.Items[0])
	}
	// The quotation moved from one speaker to the other.
	qureshi, _ := e.Quote(ctx, "Qureshi", "", brief.Page{Limit: brief.MaxLimit})
	all, _ := f.e.Quote(ctx, "Qureshi", "", brief.Page{Limit: brief.MaxLimit})
	if qureshi.Total != all.Total-1 {
		t.Errorf("Qureshi's quotations after the correction: %d, before %d", qureshi.Total, all.Total)
	}
	for _, it := range qureshi.Items {
		if it.Quote == q.Quote && it.Citation == q.Citation {
			t.Error("the corrected quotation is still Qureshi's")
		}
	}
	lodhi, err := e.Quote(ctx, "Lodhi", "", brief.Page{Limit: brief.MaxLimit})
	found := false
	for _, it := range lodhi.Items {
		found = found || (it.Quote == q.Quote && it.Citation == q.Citation && it.Speaker == "Maleeha Lodhi")
	}
	if err != nil || !found {
		t.Errorf("the corrected quotation should be Lodhi's: %v %s", err, show(lodhi))
	}
	var text bytes.Buffer
	render.Text(&text, after)
	if !strings.Contains(text.String(), "Maleeha Lodhi (speaker corrected by the team)") {
		t.Errorf("the answer should say the team corrected it:\n%s", text.String())
	}
	low, err := e.Stance(ctx, brief.StanceQuery{Topic: "Iran"}, brief.Page{Limit: 50})
	if err != nil {
		t.Fatal(err)
	}
	if low.Items[0].Citation == first || low.Items[len(low.Items)-1].Citation != first || low.Total != stance.Total {
		t.Errorf("a passage marked not relevant should come last, and stay: first %v last %v", low.Items[0].Citation, low.Items[len(low.Items)-1].Citation)
	}
	// For other words the mark does not apply.
	other, _ := e.Stance(ctx, brief.StanceQuery{Topic: "Iran and the United States"}, brief.Page{Limit: 1})
	plain, _ := f.e.Stance(ctx, brief.StanceQuery{Topic: "Iran and the United States"}, brief.Page{Limit: 1})
	if other.Items[0].Citation != plain.Items[0].Citation {
		t.Errorf("a mark for %q lowered a passage for other words", "Iran")
	}
}
