package brief_test

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/briefbot/briefbot/brief"
	"github.com/briefbot/briefbot/render"
)

// stanceNews is invented news in which an actor's own positions, what
// others say about it, analysts, a reader's letter and background are
// mixed, in the shapes real reporting takes.
var stanceNews = fstest.MapFS{
	"norway-quota.md": {Data: []byte(`---
title: Norway rejects fishing quota plan
outlet: North Wire
published: 2023-05-02
---
Norway rejects fishing quota plan

Norway on Tuesday rejected the European fishing quota plan, saying it would ruin coastal towns.

Norwegian Foreign Minister Kari Lund urged Brussels to reopen talks on the quotas.

"We will not accept a plan that empties our harbours," Lund said.

Analysts say the fishing quota dispute could hurt exports from Norway.

Sweden, by contrast, welcomed the fishing quota plan.

Fish stocks in the North Sea have fallen by a third since 2010.
`)},
	"letters.md": {Data: []byte(`---
title: Letters to the editor
outlet: North Wire
published: 2023-05-10
---
In a letter to the editor, reader Ola Berg wrote that Norway should accept the fishing quota plan.
`)},
	"marlow-tariffs.md": {Data: []byte(`---
title: Marlow promises tariffs in Ohio
outlet: Daily Ledger
published: 2024-03-01
---
Sam Marlow, the Republican nominee, vowed on Friday to impose tariffs on imported steel to protect trade.

"Our trade deals have been a disaster for this state," Marlow told supporters in Ohio.

He also promised to renegotiate trade deals within a year.

Marlow campaign spokeswoman Dana Reyes said the nominee would not back any new trade pact.

Senator Jane Ortiz criticized the trade plan of Marlow, saying it would raise prices.

"Marlow has no idea how trade works," Ortiz said.

The Wall Street Journal reported that advisers to Marlow were split on trade.
`)},
	"marlow-2022.md": {Data: []byte(`---
title: Marlow speaks at the state fair
outlet: Daily Ledger
published: 2022-06-01
---
Sam Marlow said in a speech that free trade had served his state well.

The Wall Street Journal said Marlow had met donors at the fair.

Marlow said Wall Street banks must pay more in tax.

Marlow praised Israeli farmers at the fair.
`)},
	"kestrel.md": {Data: []byte(`---
title: Kestrel shares slide
outlet: Market Desk
published: 2024-01-09
---
Kestrel Corp, a publicly traded firm, said on Monday that cap-and-trade rules would raise its costs.
`)},
}

type ref struct {
	file string
	para int
}

func refsOf(items []brief.Item) []ref {
	var out []ref
	for _, it := range items {
		out = append(out, ref{it.Citation.File, it.Citation.Paragraph})
	}
	return out
}

// TestStanceOwnPositionsOnly checks, for several questions, that the
// answer is the actor's own positions (P@5) and all of them (recall), and
// that what others say about it, analysts, letters and mere word matches
// stay out or go to background.
func TestStanceOwnPositionsOnly(t *testing.T) {
	f := newFixture(t, stanceNews)
	tests := []struct {
		name, topic, actor string
		want               []ref // the actor's positions on the topic, any order
		notWant            []ref // never a position: others, letters, analysts
	}{
		{
			name: "a country and its foreign minister", topic: "fishing quota", actor: "Norway",
			want:    []ref{{"norway-quota.md", 1}, {"norway-quota.md", 2}, {"norway-quota.md", 3}},
			notWant: []ref{{"norway-quota.md", 4}, {"norway-quota.md", 5}, {"norway-quota.md", 6}, {"letters.md", 1}},
		},
		{
			name: "a candidate, his pronoun, his campaign; not his critic", topic: "trade", actor: "Sam Marlow",
			want: []ref{{"marlow-tariffs.md", 1}, {"marlow-tariffs.md", 2}, {"marlow-tariffs.md", 3}, {"marlow-tariffs.md", 4},
				{"marlow-2022.md", 1}},
			notWant: []ref{{"marlow-tariffs.md", 5}, {"marlow-tariffs.md", 6}, {"marlow-tariffs.md", 7}},
		},
		{
			name: "a name inside a longer name is not the topic", topic: "Wall Street", actor: "Marlow",
			want:    []ref{{"marlow-2022.md", 3}},
			notWant: []ref{{"marlow-2022.md", 2}, {"marlow-tariffs.md", 7}},
		},
		{
			name: "a demonym is not the country", topic: "Israel", actor: "Marlow",
			notWant: []ref{{"marlow-2022.md", 4}},
		},
		{
			name: "traded and cap-and-trade are not trade", topic: "trade", actor: "Kestrel Corp",
			notWant: []ref{{"kestrel.md", 1}},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ans, err := f.e.Stance(context.Background(), brief.StanceQuery{Topic: tc.topic, Actors: []string{tc.actor}}, brief.Page{Limit: 10})
			if err != nil {
				t.Fatal(err)
			}
			checkCited(t, f.c, ans)
			got := refsOf(ans.Items)
			top5 := got[:min(5, len(got))]
			relevant := 0
			for _, r := range top5 {
				if contains(tc.want, r) {
					relevant++
				}
			}
			if want := min(5, len(tc.want)); relevant < want {
				t.Errorf("P@5: %d of the first %d are the actor's positions, want %d\n%s", relevant, len(top5), want, show(ans))
			}
			for _, w := range tc.want {
				if !contains(got, w) {
					t.Errorf("recall: position %v missing\n%s", w, show(ans))
				}
			}
			for _, n := range tc.notWant {
				if contains(got, n) {
					t.Errorf("%v is not the actor's position on %q\n%s", n, tc.topic, show(ans))
				}
			}
			for _, it := range ans.Items {
				if it.Role != "position" || it.Position == "" {
					t.Errorf("an unlabelled item: %+v", it)
				}
			}
			if len(tc.want) == 0 && ans.Note == "" {
				t.Errorf("no positions should be said so")
			}
		})
	}
}

func contains(list []ref, r ref) bool {
	for _, x := range list {
		if x == r {
			return true
		}
	}
	return false
}

func show(ans *brief.Answer) string {
	var b bytes.Buffer
	render.Text(&b, ans)
	return b.String()
}

// TestStanceBackgroundApart: once the positions run out, passages that
// only name the actor come apart, labelled, never among the positions.
func TestStanceBackgroundApart(t *testing.T) {
	f := newFixture(t, stanceNews)
	ans, err := f.e.Stance(context.Background(), brief.StanceQuery{Topic: "trade", Actors: []string{"Sam Marlow"}}, brief.Page{Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	checkCited(t, f.c, ans)
	if len(ans.Background) == 0 || !strings.Contains(ans.Note, "every position") {
		t.Fatalf("the critic's lines should be background, said so: %q\n%s", ans.Note, show(ans))
	}
	for _, it := range ans.Background {
		if it.Role != "background" || it.Position != "" {
			t.Errorf("background item labelled as a position: %+v", it)
		}
	}
	// A page that does not reach the end of the positions has no background.
	first, err := f.e.Stance(context.Background(), brief.StanceQuery{Topic: "trade", Actors: []string{"Sam Marlow"}}, brief.Page{Limit: 2})
	if err != nil {
		t.Fatal(err)
	}
	if len(first.Background) != 0 {
		t.Errorf("background before the positions ran out: %+v", first.Background)
	}
}

// TestStanceSummary: the summary is made of the items' labels and counts.
func TestStanceSummary(t *testing.T) {
	f := newFixture(t, stanceNews)
	ans, err := f.e.Stance(context.Background(), brief.StanceQuery{Topic: "trade", Actors: []string{"Sam Marlow"}}, brief.Page{Limit: 50})
	if err != nil {
		t.Fatal(err)
	}
	counts := map[string]int{}
	for _, it := range ans.Items {
		counts[it.Position]++
	}
	total := 0
	for _, l := range ans.Summary {
		total += l.Count
		if counts[l.Kind] != l.Count {
			t.Errorf("summary says %d %q, items have %d", l.Count, l.Kind, counts[l.Kind])
		}
		for _, w := range l.Words {
			found := false
			for _, it := range ans.Items {
				found = found || (it.Position == l.Kind && strings.EqualFold(it.Evidence, w))
			}
			if !found {
				t.Errorf("summary words %q are no %q item's", w, l.Kind)
			}
		}
	}
	if total != len(ans.Items) || total != ans.Total {
		t.Errorf("summary counts %d, items %d, total %d", total, len(ans.Items), ans.Total)
	}
	line := render.Summary("Sam Marlow", "trade", ans.Summary)
	if !strings.HasPrefix(line, "Sam Marlow on trade: offers — vowed") || !strings.Contains(line, "2022–Mar 2024") {
		t.Errorf("summary line: %q", line)
	}
}

// TestStanceByYear: grouped by year, oldest first, each group summed up.
func TestStanceByYear(t *testing.T) {
	f := newFixture(t, stanceNews)
	ans, err := f.e.Stance(context.Background(), brief.StanceQuery{Topic: "trade", Actors: []string{"Sam Marlow"}, By: "year"}, brief.Page{Limit: 50})
	if err != nil {
		t.Fatal(err)
	}
	if len(ans.Groups) != 2 || ans.Groups[0].Period != "2022" || ans.Groups[1].Period != "2024" {
		t.Fatalf("groups: %+v", ans.Groups)
	}
	prev := ""
	for _, it := range ans.Items {
		if it.Period < prev || it.Period != it.Citation.Published[:4] {
			t.Errorf("item of %s in period %s after %s", it.Citation.Published, it.Period, prev)
		}
		prev = it.Period
	}
	if _, err := f.e.Stance(context.Background(), brief.StanceQuery{Topic: "trade", By: "decade"}, brief.Page{}); err == nil {
		t.Error("an unknown grouping should be refused")
	}
}

// TestStanceCompare: two actors side by side, each with its summary.
func TestStanceCompare(t *testing.T) {
	f := newFixture(t, stanceNews)
	ans, err := f.e.Stance(context.Background(), brief.StanceQuery{Topic: "fishing quota", Actors: []string{"Norway", "Sweden"}}, brief.Page{Limit: 5})
	if err != nil {
		t.Fatal(err)
	}
	checkCited(t, f.c, ans)
	if len(ans.Sides) != 2 || ans.Sides[0].Actor != "Norway" || ans.Sides[1].Actor != "Sweden" {
		t.Fatalf("sides: %+v", ans.Sides)
	}
	if len(ans.Sides[1].Items) != 1 || ans.Sides[1].Items[0].Position != "supports" || ans.Sides[1].Items[0].Citation.Paragraph != 5 {
		t.Errorf("Sweden welcomed the plan: %+v", ans.Sides[1].Items)
	}
	for _, it := range ans.Sides[0].Items {
		if it.Citation.Paragraph == 5 {
			t.Errorf("Sweden's position is not Norway's: %+v", it)
		}
	}
	text := show(ans)
	for _, want := range []string{"== Norway (", "== Sweden (1) ==", "Sweden on fishing quota: supports — welcomed the fishing quota plan (1, May 2023)"} {
		if !strings.Contains(text, want) {
			t.Errorf("comparison text lacks %q:\n%s", want, text)
		}
	}
	if _, err := f.e.Stance(context.Background(), brief.StanceQuery{Topic: "quota", Actors: []string{"a", "b", "c", "d"}}, brief.Page{}); err == nil {
		t.Error("too many actors should be refused")
	}
}

// TestStanceJSON: labels, summary, groups and sides are fields.
func TestStanceJSON(t *testing.T) {
	f := newFixture(t, stanceNews)
	ans, err := f.e.Stance(context.Background(), brief.StanceQuery{Topic: "trade", Actors: []string{"Sam Marlow"}, By: "year"}, brief.Page{Limit: 3})
	if err != nil {
		t.Fatal(err)
	}
	js, err := json.Marshal(ans)
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]interface{}
	if err := json.Unmarshal(js, &got); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"summary", "groups", "items"} {
		if _, ok := got[k]; !ok {
			t.Errorf("JSON lacks %q: %s", k, js)
		}
	}
	item := got["items"].([]interface{})[0].(map[string]interface{})
	for _, k := range []string{"position", "period", "role"} {
		if _, ok := item[k]; !ok {
			t.Errorf("item JSON lacks %q: %v", k, item)
		}
	}
}
