package brief_test

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/briefbot/briefbot/brief"
	"github.com/briefbot/briefbot/corpus"
	"github.com/briefbot/briefbot/index"
	"github.com/briefbot/briefbot/synth"
)

type fixture struct {
	c *corpus.Corpus
	e *brief.Engine
}

func newFixture(t testing.TB, fsys fs.FS) fixture {
	t.Helper()
	c, err := corpus.Load(fsys)
	if err != nil {
		t.Fatal(err)
	}
	ix, err := index.Build(context.Background(), t.TempDir(), c, index.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	return fixture{c: c, e: brief.New(ix)}
}

// writableAt builds a writable index of base whose articles arrived at
// built; arriveAt brings news in as arriving at a later time, and returns
// them loaded.
func writableAt(t *testing.T, base *corpus.Corpus, built time.Time) *index.Index {
	t.Helper()
	ix, err := index.Build(context.Background(), t.TempDir(), base, index.Options{Writable: true, Now: func() time.Time { return built }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	return ix
}

func arriveAt(t *testing.T, ix *index.Index, news fs.FS, at time.Time) *corpus.Corpus {
	t.Helper()
	c, err := corpus.Load(news)
	if err != nil {
		t.Fatal(err)
	}
	if err := ix.Apply(context.Background(), index.Change{Upsert: c.Articles, Hashes: c.Hashes}, index.Options{Now: func() time.Time { return at }}); err != nil {
		t.Fatal(err)
	}
	return c
}

var (
	bundledOnce sync.Once
	bundledFix  fixture
)

// bundled shares one index of the bundled corpus between tests.
func bundled(t *testing.T) fixture {
	t.Helper()
	bundledOnce.Do(func() {
		c, err := corpus.Load(corpus.Bundled())
		if err != nil {
			t.Fatal(err)
		}
		// A fixed build time keeps the answers' freshness in the golden files.
		built := func() time.Time { return time.Date(2026, 1, 5, 9, 30, 0, 0, time.UTC) }
		ix, err := index.Build(context.Background(), sharedDir, c, index.Options{Now: built})
		if err != nil {
			t.Fatal(err)
		}
		bundledFix = fixture{c: c, e: brief.New(ix)}
	})
	return bundledFix
}

// checkCited asserts the property every answer must keep: each snippet is
// verbatim in the paragraph its citation names, and the citation's fields
// are those of that article.
func checkCited(t *testing.T, c *corpus.Corpus, ans *brief.Answer) {
	t.Helper()
	articles := map[string]*corpus.Article{}
	for _, a := range c.Articles {
		articles[a.ID] = a
	}
	check := func(it brief.Item, cit brief.Citation) {
		a := articles[cit.Article]
		if a == nil {
			t.Fatalf("%s: citation to unknown article %q", ans.Command, cit.Article)
		}
		if cit.File != a.File || cit.Title != a.Title || cit.Outlet != a.Outlet || cit.URL != a.URL {
			t.Errorf("%s: citation %+v does not match article %s", ans.Command, cit, a.File)
		}
		if pub := a.Published; (pub.IsZero() && cit.Published != "") || (!pub.IsZero() && cit.Published != pub.Format("2006-01-02")) {
			t.Errorf("%s: citation date %q, article %v", ans.Command, cit.Published, pub)
		}
		if cit.Paragraph < 1 || cit.Paragraph > len(a.Paragraphs) {
			t.Fatalf("%s: paragraph %d out of range for %s", ans.Command, cit.Paragraph, a.File)
		}
		para := a.Paragraphs[cit.Paragraph-1].Text
		if v := it.Verbatim(); v == "" || !strings.Contains(para, v) {
			t.Errorf("%s: snippet not verbatim in %s ¶%d:\n snippet: %q\n paragraph: %q", ans.Command, a.File, cit.Paragraph, v, para)
		}
		for _, q := range strings.Split(it.Quote, index.QuoteJoin) {
			if !strings.Contains(it.Text, q) {
				t.Errorf("%s: quote %q not inside its snippet %q", ans.Command, q, it.Text)
			}
		}
	}
	all := append(append([]brief.Item(nil), ans.Items...), ans.Background...)
	for _, side := range ans.Sides {
		all = append(all, side.Items...)
	}
	for _, it := range all {
		check(it, it.Citation)
		for _, also := range it.AlsoIn {
			copyItem := it
			if also.Text != "" {
				copyItem = brief.Item{Text: also.Text} // the copy's own words
			}
			check(copyItem, also)
		}
		// A position's words are shown, verbatim, in its snippet.
		if it.Evidence != "" && !strings.Contains(it.Verbatim(), it.Evidence) {
			t.Errorf("%s: evidence %q not in its snippet %q", ans.Command, it.Evidence, it.Text)
		}
	}
}

// The property over many questions, on the bundled articles and on a
// synthetic corpus.
func TestEverySnippetIsCitedVerbatim(t *testing.T) {
	ctx := context.Background()
	synthetic := newFixture(t, synth.FS(synth.Generate(7, 150)))
	for _, tc := range []struct {
		name   string
		f      fixture
		topics []string
		people []string
	}{
		{"bundled", bundled(t), []string{"Ukraine", "Iran", "neutrality", "restraint", "Soleimani", "United States", "Afghan peace", "drone", "visit", "IMF"},
			[]string{"Qureshi", "Faisal", "Pompeo", "Mazari", "Lavrov", "Khan"}},
		{"synthetic", synthetic, synth.Topics(), synth.Speakers()},
	} {
		t.Run(tc.name, func(t *testing.T) {
			n := 0
			for _, topic := range tc.topics {
				for _, page := range []brief.Page{{Limit: 50}, {Offset: 3, Limit: 4}} {
					for _, ask := range []func() (*brief.Answer, error){
						func() (*brief.Answer, error) {
							return tc.f.e.Stance(ctx, brief.StanceQuery{Topic: topic, Actors: []string{""}}, page)
						},
						func() (*brief.Answer, error) { return tc.f.e.Timeline(ctx, topic, "", "", page) },
						func() (*brief.Answer, error) { return tc.f.e.Quote(ctx, "", topic, page) },
						func() (*brief.Answer, error) { return tc.f.e.Search(ctx, topic, page) },
					} {
						ans, err := ask()
						if err != nil {
							t.Fatalf("%q: %v", topic, err)
						}
						checkCited(t, tc.f.c, ans)
						n += len(ans.Items)
					}
				}
			}
			for _, who := range tc.people {
				ans, err := tc.f.e.Quote(ctx, who, "", brief.Page{Limit: 50})
				if err != nil {
					t.Fatal(err)
				}
				checkCited(t, tc.f.c, ans)
				n += len(ans.Items)
			}
			ans, err := tc.f.e.Source(ctx, tc.f.c.Articles[0].File, brief.Page{Limit: 50})
			if err != nil {
				t.Fatal(err)
			}
			checkCited(t, tc.f.c, ans)
			if n < 50 {
				t.Errorf("only %d items checked; the property needs answers to check", n)
			}
		})
	}
}

func TestStanceRanksPositionsFirst(t *testing.T) {
	f := bundled(t)
	ans, err := f.e.Stance(context.Background(), brief.StanceQuery{Topic: "Ukraine", Actors: []string{""}}, brief.Page{Limit: 50})
	if err != nil {
		t.Fatal(err)
	}
	for i, it := range ans.Items {
		if it.Role != "position" || it.Position == "" {
			t.Errorf("item %d is not a labelled position: %+v", i+1, it)
		}
	}
	if len(ans.Items) == 0 || ans.Items[0].Role != "position" || ans.Query["actor"] != "Pakistan" {
		t.Fatalf("want Pakistan's positions first, got %+v", ans)
	}
	texts := ""
	for _, it := range ans.Items {
		if it.Role == "position" {
			texts += it.Text + "\n"
		}
	}
	for _, want := range []string{"abstained", "neutral"} {
		if !strings.Contains(texts, want) {
			t.Errorf("positions on Ukraine should include %q", want)
		}
	}
}

func TestStanceOfOtherActor(t *testing.T) {
	f := bundled(t)
	ans, err := f.e.Stance(context.Background(), brief.StanceQuery{Topic: "Soleimani", Actors: []string{"United States"}}, brief.Page{Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	if len(ans.Items) == 0 || ans.Items[0].Role != "position" {
		t.Fatalf("the US takes positions on Soleimani: %+v", ans.Items)
	}
}

func TestStanceOfUnknownActor(t *testing.T) {
	f := bundled(t)
	ans, err := f.e.Stance(context.Background(), brief.StanceQuery{Topic: "Ukraine", Actors: []string{"Atlantis"}}, brief.Page{Limit: 5})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(ans.Note, "Atlantis is not named") || !strings.Contains(ans.Note, "Pakistan") {
		t.Errorf("an actor the articles never name should be said so, with actors to try: %q", ans.Note)
	}
	if len(ans.Items) > 0 || len(ans.Background) > 0 {
		t.Errorf("nothing can be Atlantis's position or name it: %+v", ans)
	}
}

func TestIdenticalSnippetsMerge(t *testing.T) {
	shared := "“Our country will never accept a deal that harms our farmers,” Minister Ana Petrov said on Monday."
	f := newFixture(t, fstest.MapFS{
		"a.md": {Data: []byte("---\ntitle: Farm deal talks stall\noutlet: Paper A\npublished: 2024-02-07\n---\n" + shared + "\n\nThe talks on the farm deal will resume next month.")},
		"b.md": {Data: []byte("---\ntitle: Farmers protest deal\noutlet: Paper B\npublished: 2024-02-08\n---\nFarmers blocked roads over the farm deal on Tuesday.\n\n" + shared)},
	})
	ans, err := f.e.Stance(context.Background(), brief.StanceQuery{Topic: "farmers deal", Actors: []string{"Ana Petrov"}}, brief.Page{Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	checkCited(t, f.c, ans)
	found := 0
	for _, it := range ans.Items {
		if it.Verbatim() == shared {
			found++
			if len(it.AlsoIn) != 1 || it.AlsoIn[0].Article == it.Citation.Article {
				t.Errorf("identical snippet should cite both articles: %+v", it)
			}
		}
	}
	if found != 1 {
		t.Errorf("identical snippet appears %d times, want once", found)
	}
}

func TestTimelineOrderAndRange(t *testing.T) {
	f := bundled(t)
	ctx := context.Background()
	all, err := f.e.Timeline(ctx, "Iran", "", "", brief.Page{Limit: 50})
	if err != nil {
		t.Fatal(err)
	}
	checkCited(t, f.c, all)
	for i := 1; i < len(all.Items); i++ {
		if all.Items[i].Date[:4] < all.Items[i-1].Date[:4] {
			t.Errorf("timeline out of order: %s after %s", all.Items[i].Date, all.Items[i-1].Date)
		}
	}
	ranged, err := f.e.Timeline(ctx, "Iran", "2020-01-01", "2020-01-31", brief.Page{Limit: 50})
	if err != nil {
		t.Fatal(err)
	}
	if len(ranged.Items) == 0 || len(ranged.Items) >= len(all.Items) {
		t.Fatalf("range filter kept %d of %d", len(ranged.Items), len(all.Items))
	}
	for _, it := range ranged.Items {
		if !strings.HasPrefix(it.Date, "2020-01") {
			t.Errorf("event %s outside January 2020", it.Date)
		}
	}
	swapped, err := f.e.Timeline(ctx, "Iran", "2020-01-31", "2020-01-01", brief.Page{Limit: 50})
	if err != nil {
		t.Fatal(err)
	}
	if len(swapped.Items) != len(ranged.Items) || !strings.Contains(swapped.Note, "other way round") {
		t.Errorf("reversed dates should be swapped with a note: %d items, note %q", len(swapped.Items), swapped.Note)
	}
}

func TestQuoteBySpeakerAlias(t *testing.T) {
	f := bundled(t)
	ctx := context.Background()
	var counts []int
	for _, name := range []string{"Shah Mehmood Qureshi", "Shah Mahmood Qureshi", "qureshi", "QURESHI"} {
		ans, err := f.e.Quote(ctx, name, "", brief.Page{Limit: 50})
		if err != nil {
			t.Fatal(err)
		}
		for _, it := range ans.Items {
			if it.Speaker != "Shah Mehmood Qureshi" {
				t.Errorf("%q gave a quote by %q", name, it.Speaker)
			}
		}
		counts = append(counts, len(ans.Items))
	}
	for _, n := range counts[1:] {
		if n != counts[0] || n < 5 {
			t.Errorf("every spelling should give the same quotes: %v", counts)
		}
	}
	ans, err := f.e.Quote(ctx, "Nobody McUnknown", "", brief.Page{})
	if err != nil {
		t.Fatal(err)
	}
	if len(ans.Items) != 0 || !strings.Contains(ans.Note, "No speaker") {
		t.Errorf("unknown speaker should say so: %+v", ans)
	}
	all, err := f.e.Quote(ctx, "", "", brief.Page{Limit: 50})
	if err != nil {
		t.Fatal(err)
	}
	for i := 1; i < len(all.Items); i++ {
		if all.Items[i].Citation.Published > all.Items[i-1].Citation.Published {
			t.Errorf("all quotes should be newest first")
		}
	}
}

func TestBadInput(t *testing.T) {
	f := bundled(t)
	ctx := context.Background()
	huge := strings.Repeat("Ukraine ", 100)
	tests := []struct {
		name    string
		ask     func() (*brief.Answer, error)
		wantErr bool
	}{
		{"empty topic", func() (*brief.Answer, error) {
			return f.e.Stance(ctx, brief.StanceQuery{Topic: "   ", Actors: []string{""}}, brief.Page{})
		}, true},
		{"huge topic", func() (*brief.Answer, error) {
			return f.e.Stance(ctx, brief.StanceQuery{Topic: huge, Actors: []string{""}}, brief.Page{})
		}, true},
		{"only syntax", func() (*brief.Answer, error) { return f.e.Search(ctx, `+-:"*~^()`, brief.Page{}) }, true},
		{"stop words only", func() (*brief.Answer, error) { return f.e.Search(ctx, "the and of", brief.Page{}) }, true},
		{"query syntax as words", func() (*brief.Answer, error) {
			return f.e.Search(ctx, `+Ukraine -Russia text:neutral "abstained~2" Pak*`, brief.Page{})
		}, false},
		{"field name", func() (*brief.Answer, error) { return f.e.Search(ctx, "kind:quote speaker:qureshi", brief.Page{}) }, false},
		{"odd unicode", func() (*brief.Answer, error) {
			return f.e.Search(ctx, "Ukr\u200baine \u202eneutral 🗞️ \x00", brief.Page{})
		}, false},
		{"invalid utf8", func() (*brief.Answer, error) { return f.e.Search(ctx, "Ukraine \xff\xfe", brief.Page{}) }, false},
		{"bad date", func() (*brief.Answer, error) { return f.e.Timeline(ctx, "Iran", "yesterday", "", brief.Page{}) }, true},
		{"impossible date", func() (*brief.Answer, error) { return f.e.Timeline(ctx, "Iran", "2020-02-30", "", brief.Page{}) }, true},
		{"unknown article", func() (*brief.Answer, error) { return f.e.Source(ctx, "no-such-article", brief.Page{}) }, false},
		{"huge page", func() (*brief.Answer, error) {
			return f.e.Search(ctx, "Iran", brief.Page{Offset: 1 << 30, Limit: 1 << 30})
		}, false},
		{"negative page", func() (*brief.Answer, error) { return f.e.Quote(ctx, "", "", brief.Page{Offset: -5, Limit: -1}) }, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ans, err := tt.ask()
			var ie *brief.InputError
			if tt.wantErr {
				if !errors.As(err, &ie) || ie.Msg == "" {
					t.Fatalf("want a clear input error, got %v", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("unexpected error: %v", err)
			}
			if len(ans.Items) == 0 && ans.Note == "" {
				t.Errorf("an empty answer needs a note saying what to try")
			}
			if len(ans.Items) > brief.MaxLimit {
				t.Errorf("page of %d items exceeds the limit", len(ans.Items))
			}
		})
	}
}

// Answers are served concurrently, also while articles are being added.
func TestConcurrentAnswers(t *testing.T) {
	ctx := context.Background()
	c, err := corpus.Load(corpus.Bundled())
	if err != nil {
		t.Fatal(err)
	}
	ix, err := index.Build(ctx, t.TempDir(), c, index.Options{Writable: true})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	more, err := corpus.Load(synth.FS(synth.Generate(3, 20)))
	if err != nil {
		t.Fatal(err)
	}
	e := brief.New(ix)
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < 20; i++ {
				var err error
				switch (g + i) % 4 {
				case 0:
					_, err = e.Stance(ctx, brief.StanceQuery{Topic: "trade Iran", Actors: []string{""}}, brief.Page{})
				case 1:
					_, err = e.Timeline(ctx, "talks", "", "", brief.Page{})
				case 2:
					_, err = e.Quote(ctx, "", "", brief.Page{})
				default:
					_, err = e.Search(ctx, "minister", brief.Page{})
				}
				if err != nil {
					errs <- fmt.Errorf("goroutine %d: %w", g, err)
					return
				}
			}
		}(g)
	}
	for _, a := range more.Articles {
		if err := ix.Apply(ctx, index.Change{Upsert: []*corpus.Article{a}, Hashes: more.Hashes}, index.Options{}); err != nil {
			t.Fatal(err)
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}
