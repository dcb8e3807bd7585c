package index

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/fstest"
	"time"

	"github.com/briefbot/briefbot/corpus"
	"github.com/briefbot/briefbot/synth"
)

func article(title, body string) *fstest.MapFile {
	return &fstest.MapFile{Data: []byte("---\ntitle: " + title + "\npublished: 2024-02-01\n---\n" + body)}
}

// clock returns a fixed time that tests move by hand.
type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

func TestUpdatesAddChangeRemove(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	clk := &clock{time.Date(2026, 11, 1, 8, 0, 0, 0, time.UTC)}
	opts := Options{Now: clk.now}
	fsys := small()
	ix, _, err := Open(ctx, dir, fsys, opts)
	if err != nil {
		t.Fatal(err)
	}
	ix.Close()
	quotes := func(ix *Index, words string) []Hit {
		t.Helper()
		hits, _, err := ix.Search(ctx, Query{Kind: KindQuote, Words: words, Size: 10})
		if err != nil {
			t.Fatal(err)
		}
		return hits
	}

	steps := []struct {
		name   string
		change func()
		check  func(*Index)
	}{
		{"add", func() {
			fsys["b.md"] = article("Herring talks", "“The herring stock is recovering fast,” Minister Ana Petrov told reporters on Monday.")
		}, func(ix *Index) {
			hits := quotes(ix, "herring stock")
			if len(hits) != 1 || hits[0].Source == nil || hits[0].Source.Title != "Herring talks" {
				t.Fatalf("the added article's quote: %+v", hits)
			}
			if hits[0].Speaker != "ana petrov" {
				t.Errorf("the new quote should join the known speaker, got %q", hits[0].Speaker)
			}
			s, _ := ix.Meta().Speakers.Get("ana petrov")
			if s == nil || s.Quotes != 2 {
				t.Errorf("speaker after the add: %+v", s)
			}
			if a, _ := ix.Article("b.md"); !a.Ingested.Equal(clk.t) {
				t.Errorf("new article ingested at %v, want %v", a.Ingested, clk.t)
			}
		}},
		{"change", func() {
			fsys["b.md"] = article("Mackerel talks", "“The mackerel quota will be cut by a tenth,” said Jonas Berg, the fisheries commissioner.")
		}, func(ix *Index) {
			if hits := quotes(ix, "herring stock"); len(hits) != 0 {
				t.Errorf("the old text should be gone: %+v", hits)
			}
			hits := quotes(ix, "mackerel quota")
			if len(hits) == 0 || hits[0].Source.Title != "Mackerel talks" || hits[0].Speaker != "jonas berg" {
				t.Fatalf("the changed article's quote: %+v", hits)
			}
			if s, _ := ix.Meta().Speakers.Get("ana petrov"); s.Quotes != 1 {
				t.Errorf("the replaced quote should no longer count: %+v", s)
			}
			if a, _ := ix.Article("b.md"); !a.Ingested.Before(clk.t) {
				t.Errorf("a changed article keeps its first ingested time, got %v", a.Ingested)
			}
		}},
		{"broken", func() {
			fsys["c.txt"] = &fstest.MapFile{Data: []byte{0xff, 0xfe, 0}}
		}, func(ix *Index) {
			if ps := ix.Meta().Problems; len(ps) != 1 || ps[0].File != "c.txt" {
				t.Errorf("problems %+v", ps)
			}
		}},
		{"remove", func() {
			delete(fsys, "b.md")
			delete(fsys, "c.txt")
		}, func(ix *Index) {
			if hits := quotes(ix, "mackerel"); len(hits) != 0 {
				t.Errorf("a removed article should be gone: %+v", hits)
			}
			if _, ok := ix.Article("b.md"); ok || len(ix.Meta().Articles) != 1 || len(ix.Meta().Problems) != 0 {
				t.Errorf("meta after removal: %+v", ix.Meta())
			}
			n, _ := ix.DocCount()
			if n != 4 {
				t.Errorf("%d documents, want the first article's 4", n)
			}
		}},
	}
	for _, st := range steps {
		clk.t = clk.t.Add(time.Hour)
		st.change()
		ix, note, err := Open(ctx, dir, fsys, opts)
		if err != nil || !strings.Contains(note, "updated") {
			t.Fatalf("%s: %q %v", st.name, note, err)
		}
		st.check(ix)
		ix.Close()
		// What was applied is on disk: the next open has nothing to do.
		ix, note, err = Open(ctx, dir, fsys, opts)
		if err != nil || note != "" {
			t.Fatalf("%s: reopen %q %v", st.name, note, err)
		}
		st.check(ix)
		ix.Close()
	}
}

// A full rebuild (new settings here) keeps when each article arrived.
func TestRebuildKeepsIngestedTimes(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	first := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	ix, _, err := Open(ctx, dir, small(), Options{Now: func() time.Time { return first }})
	if err != nil {
		t.Fatal(err)
	}
	ix.Close()
	fsys := small()
	fsys["briefbot.yaml"] = &fstest.MapFile{Data: []byte("subject: Norway\n")}
	ix, note, err := Open(ctx, dir, fsys, Options{Now: func() time.Time { return first.AddDate(0, 1, 0) }})
	if err != nil || !strings.Contains(note, "built") {
		t.Fatalf("%q %v", note, err)
	}
	defer ix.Close()
	if a, _ := ix.Article("a.md"); !a.Ingested.Equal(first) {
		t.Errorf("ingested %v after a rebuild, want %v", a.Ingested, first)
	}
}

// Readers querying throughout updates see the article before or after each
// update, whole: its text always matches the citation it comes with.
func TestReadersDuringUpdates(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	version := func(n int) *corpus.Corpus {
		fsys := small()
		fsys["b.md"] = article(fmt.Sprintf("Version %d", n), fmt.Sprintf("Quota version %d was agreed by the council.\n\nThe council met in Bergen for version %d.", n, n))
		c, err := corpus.Load(fsys)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	ix, err := Build(ctx, dir, version(0), Options{Writable: true})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()

	var stop atomic.Bool
	var wg sync.WaitGroup
	var searches atomic.Int64
	for r := 0; r < 4; r++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for !stop.Load() {
				hits, total, err := ix.Search(ctx, Query{Kind: KindParagraph, Words: "council", Size: 10})
				searches.Add(1)
				if err != nil {
					t.Errorf("search during an update: %v", err)
					return
				}
				if total != 2 || len(hits) != 2 {
					t.Errorf("want both paragraphs of one version, got %d: %+v", total, hits)
					return
				}
				for _, h := range hits {
					if h.Source == nil {
						t.Errorf("hit without its article: %+v", h)
						return
					}
					want := strings.TrimPrefix(h.Source.Title, "Version ")
					if !strings.Contains(h.Text, "version "+want) {
						t.Errorf("text %q cited as %q", h.Text, h.Source.Title)
						return
					}
				}
			}
		}()
	}
	for n := 1; n <= 30; n++ {
		c := version(n)
		if err := ix.Apply(ctx, ChangeOf(c, []string{"b.md"}, nil), Options{Writable: true}); err != nil {
			t.Fatal(err)
		}
	}
	stop.Store(true)
	wg.Wait()
	if searches.Load() == 0 {
		t.Fatal("no search ran during the updates")
	}
	if a, _ := ix.Article("b.md"); a.Title != "Version 30" {
		t.Errorf("last version %q", a.Title)
	}
}

func TestRefreshWhileOpen(t *testing.T) {
	ctx := context.Background()
	fsys := small()
	ix, _, err := Open(ctx, t.TempDir(), fsys, Options{Writable: true})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if note, err := ix.Refresh(ctx, fsys, []string{"a.md", ".a.md.tmp", "notes.pdf"}, Options{}); note != "" || err != nil {
		t.Errorf("nothing changed: %q %v", note, err)
	}
	fsys["b.md"] = article("Herring talks", "“The herring stock is recovering fast,” Minister Ana Petrov told reporters.")
	fsys["c.md"] = article("Not named", "A file no event named is not read.")
	if note, err := ix.Refresh(ctx, fsys, []string{"b.md", "b.md"}, Options{}); !strings.Contains(note, "1 articles added or changed, 0 removed") || err != nil {
		t.Errorf("one added: %q %v", note, err)
	}
	if _, ok := ix.Article("c.md"); ok {
		t.Error("a file no event named was read")
	}
	delete(fsys, "a.md")
	if note, err := ix.Refresh(ctx, fsys, []string{"a.md"}, Options{}); !strings.Contains(note, "0 articles added or changed, 1 removed") || err != nil {
		t.Errorf("one removed: %q %v", note, err)
	}
	fsys["briefbot.yaml"] = &fstest.MapFile{Data: []byte("subject: Norway\n")}
	if _, err := ix.Refresh(ctx, fsys, []string{"briefbot.yaml"}, Options{}); err == nil || !strings.Contains(err.Error(), "restart") {
		t.Errorf("new settings need a restart: %v", err)
	}
}

// What an update keeps up incrementally (suggestions, the article list in
// its buckets) is what a fresh count and a reopen give.
func TestIncrementalMetaMatchesRecount(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	c, err := corpus.Load(synth.FS(synth.Generate(5, 60)))
	if err != nil {
		t.Fatal(err)
	}
	ix, err := Build(ctx, dir, &corpus.Corpus{Articles: c.Articles[:40], Hashes: c.Hashes, SettingsHash: c.SettingsHash, Fingerprint: "x"}, Options{Writable: true})
	if err != nil {
		t.Fatal(err)
	}
	for i := 40; i < 60; i += 5 {
		ch := Change{Upsert: c.Articles[i : i+5], Hashes: c.Hashes, Remove: []string{c.Articles[i-40].ID}}
		if err := ix.Apply(ctx, ch, Options{}); err != nil {
			t.Fatal(err)
		}
	}
	m := ix.Meta()
	topics, actors := newTally(m.Articles, ix.current().upkeep).suggestions()
	if strings.Join(topics, ",") != strings.Join(m.Topics, ",") || strings.Join(actors, ",") != strings.Join(m.Actors, ",") {
		t.Errorf("incremental suggestions differ from a recount:\n%v\n%v", m.Topics, topics)
	}
	if !sort.SliceIsSorted(m.Articles, func(i, j int) bool { return m.Articles[i].File < m.Articles[j].File }) || len(m.Articles) != 56 {
		t.Errorf("%d articles, sorted %v", len(m.Articles), sort.SliceIsSorted(m.Articles, func(i, j int) bool { return m.Articles[i].File < m.Articles[j].File }))
	}
	path := ix.Path()
	ix.Close()
	re, err := openGeneration(path, false)
	if err != nil {
		t.Fatal(err)
	}
	defer re.Close()
	got, _ := json.Marshal(re.Meta().Articles)
	want, _ := json.Marshal(m.Articles)
	if string(got) != string(want) {
		t.Error("the articles read back differ from those written")
	}
	for _, a := range m.Articles {
		if b, ok := re.Article(a.ID); !ok || b.Hash != a.Hash {
			t.Errorf("article %s lost on reopen", a.ID)
		}
	}
	// The upkeep is not read to open for answers, and reads back whole.
	if re.current().upkeep != nil {
		t.Error("opening read the upkeep")
	}
	up, err := readUpkeep(re.bleve)
	if err != nil {
		t.Fatal(err)
	}
	got, _ = json.Marshal(up)
	want, _ = json.Marshal(ix.current().upkeep)
	if string(got) != string(want) || len(up) != 56 {
		t.Errorf("the upkeep read back (%d articles) differs from that written", len(up))
	}
}

// N single-article updates, in any order, give what one full build gives:
// the same speakers with the same display names, titles and counts, and
// the same corpus subject.
func TestUpdatesInAnyOrderEqualABuild(t *testing.T) {
	ctx := context.Background()
	c, err := corpus.Load(corpus.Bundled())
	if err != nil {
		t.Fatal(err)
	}
	digest := func(m *Meta) string {
		var lines []string
		for _, s := range m.Speakers.Speakers {
			lines = append(lines, fmt.Sprintf("%s|%v|%v|%d|%d", s.Name, s.Aliases, s.Titles, s.Quotes, s.Mentions))
		}
		sort.Strings(lines)
		return m.Subject + "\n" + strings.Join(lines, "\n")
	}
	full, err := Build(ctx, t.TempDir(), &corpus.Corpus{Articles: c.Articles, Hashes: c.Hashes, Fingerprint: "full"}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := digest(full.Meta())
	full.Close()
	for _, seed := range []int64{1, 2, 3} {
		order := rand.New(rand.NewSource(seed)).Perm(len(c.Articles))
		ix, err := Build(ctx, t.TempDir(), &corpus.Corpus{Hashes: c.Hashes, Fingerprint: "empty"}, Options{Writable: true})
		if err != nil {
			t.Fatal(err)
		}
		for _, i := range order {
			if err := ix.Apply(ctx, Change{Upsert: []*corpus.Article{c.Articles[i]}, Hashes: c.Hashes}, Options{}); err != nil {
				t.Fatal(err)
			}
		}
		if got := digest(ix.Meta()); got != want {
			t.Errorf("updates in order %v:\n%s\nwant:\n%s", order, got, want)
		}
		ix.Close()
	}
}
