package brief_test

import (
	"context"
	"encoding/json"
	"math/rand"
	"testing"
	"time"

	"github.com/briefbot/briefbot/brief"
	"github.com/briefbot/briefbot/corpus"
	"github.com/briefbot/briefbot/index"
	"github.com/briefbot/briefbot/synth"
)

// answers asks a fixed set of questions, two pages each, and returns the
// answers as JSON.
func answers(t *testing.T, e *brief.Engine, speakers bool) []string {
	t.Helper()
	ctx := context.Background()
	var out []string
	add := func(a *brief.Answer, err error) {
		if err != nil {
			t.Fatal(err)
		}
		// When the index last changed is the one thing that may differ.
		if a.Freshness == nil || a.Freshness.Updated.IsZero() {
			t.Fatalf("answer without its freshness: %+v", a.Freshness)
		}
		a.Freshness.Updated = time.Time{}
		b, _ := json.Marshal(a)
		out = append(out, string(b))
	}
	for _, p := range []brief.Page{{Limit: 10}, {Offset: 10, Limit: 10}} {
		for _, w := range []string{"trade", "minister talks", "climate", "the decision followed", "Norway"} {
			add(e.Search(ctx, w, p))
			add(e.Timeline(ctx, w, "", "", p))
			if speakers {
				add(e.Stance(ctx, brief.StanceQuery{Topic: w, Actors: []string{"Norway"}}, p))
				add(e.Quote(ctx, "", w, p))
			}
		}
	}
	return out
}

// The same corpus gives the same answers on every build, and (for answers
// that do not depend on who is a speaker) after any order of updates:
// equal scores are ordered by article and position, not by how the index
// happened to be laid out.
func TestAnswersDoNotDependOnBuildOrUpdateOrder(t *testing.T) {
	ctx := context.Background()
	c, err := corpus.Load(synth.FS(synth.Generate(5, 400)))
	if err != nil {
		t.Fatal(err)
	}
	build := func() *brief.Engine {
		ix, err := index.Build(ctx, t.TempDir(), c, index.Options{})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { ix.Close() })
		return brief.New(ix)
	}
	want := answers(t, build(), true)
	for round := 0; round < 1; round++ {
		if got := answers(t, build(), true); !equal(got, want) {
			t.Fatalf("rebuild %d answers differently:\n%s", round, firstDiff(got, want))
		}
	}
	// Half built, the rest added one article at a time in a shuffled order.
	for _, seed := range []int64{1} {
		r := rand.New(rand.NewSource(seed))
		first := &corpus.Corpus{Articles: c.Articles[:200], Hashes: c.Hashes, Fingerprint: "half"}
		ix, err := index.Build(ctx, t.TempDir(), first, index.Options{Writable: true})
		if err != nil {
			t.Fatal(err)
		}
		rest := append([]*corpus.Article(nil), c.Articles[200:]...)
		r.Shuffle(len(rest), func(i, j int) { rest[i], rest[j] = rest[j], rest[i] })
		for _, a := range rest {
			if err := ix.Apply(ctx, index.Change{Upsert: []*corpus.Article{a}, Hashes: c.Hashes}, index.Options{}); err != nil {
				t.Fatal(err)
			}
		}
		got := answers(t, brief.New(ix), false)
		ix.Close()
		if base := answers(t, build(), false); !equal(got, base) {
			t.Fatalf("updates in order %d answer differently from a build:\n%s", seed, firstDiff(got, base))
		}
	}
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func firstDiff(a, b []string) string {
	for i := range a {
		if i >= len(b) || a[i] != b[i] {
			other := ""
			if i < len(b) {
				other = b[i]
			}
			return "got:  " + a[i][:min(len(a[i]), 1500)] + "\nwant: " + other[:min(len(other), 1500)]
		}
	}
	return "lengths differ"
}

// An index opened for answers reads article metadata when it cites it; one
// opened for updates reads it all at once. Both answer alike, including
// the answers that read every article (narrowing by outlet or month,
// /source by title, digests).
func TestLazyAndEagerMetadataAnswerAlike(t *testing.T) {
	ctx := context.Background()
	c, err := corpus.Load(synth.FS(synth.Generate(11, 120)))
	if err != nil {
		t.Fatal(err)
	}
	built := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	ask := func(writable bool) []string {
		ix, err := index.Build(ctx, t.TempDir(), c, index.Options{Writable: writable, Now: func() time.Time { return built }})
		if err != nil {
			t.Fatal(err)
		}
		defer ix.Close()
		e := brief.New(ix)
		out := answers(t, e, true)
		outlet := ix.Meta().Articles[0].Outlet
		month := ix.Meta().Articles[0].Published.Format("2006-01")
		for _, p := range []brief.Page{{Limit: 5, Only: brief.Only{Outlet: outlet}}, {Limit: 5, Only: brief.Only{Published: month}}} {
			for _, a := range []func() (*brief.Answer, error){
				func() (*brief.Answer, error) { return e.Search(ctx, "trade", p) },
				func() (*brief.Answer, error) { return e.Quote(ctx, "", "trade", p) },
				func() (*brief.Answer, error) { return e.Source(ctx, "synth", p) },
			} {
				ans, err := a()
				if err != nil {
					t.Fatal(err)
				}
				ans.Freshness.Updated = time.Time{}
				b, _ := json.Marshal(ans)
				out = append(out, string(b))
			}
		}
		d, err := e.Digest(ctx, time.Time{}, built.Add(time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		b, _ := json.Marshal(d)
		return append(out, string(b))
	}
	lazy, eager := ask(false), ask(true)
	if !equal(lazy, eager) {
		t.Fatalf("lazy and eager metadata answer differently:\n%s", firstDiff(lazy, eager))
	}
}
