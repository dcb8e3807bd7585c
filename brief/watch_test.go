package brief_test

import (
	"context"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/briefbot/briefbot/brief"
	"github.com/briefbot/briefbot/corpus"
)

// TestWatchNewArticlesOnly: a watch matches only what arrived in its
// period, with the answers' engine: passages about the topic, the actor's
// positions on it, the speaker's quotations; and says when nothing did.
func TestWatchNewArticlesOnly(t *testing.T) {
	ctx := context.Background()
	built := time.Date(2024, 5, 1, 8, 0, 0, 0, time.UTC)
	old, err := corpus.Load(stanceNews)
	if err != nil {
		t.Fatal(err)
	}
	ix := writableAt(t, old, built)
	e := brief.New(ix)
	later := built.Add(24 * time.Hour)

	// Before anything new arrives, a watch finds nothing, and says so.
	ans, err := e.Watch(ctx, brief.WatchQuery{Topic: "fishing quota"}, built, later, brief.Page{})
	if err != nil {
		t.Fatal(err)
	}
	if len(ans.Items) != 0 || !strings.Contains(ans.Note, "0 articles arrived") {
		t.Errorf("nothing new: %d items, note %q", len(ans.Items), ans.Note)
	}

	arrived := built.Add(time.Hour)
	fresh := arriveAt(t, ix, fstest.MapFS{
		"new-quota.md": {Data: []byte("---\ntitle: Norway offers compromise on fishing quota\noutlet: Coast Post\npublished: 2024-05-02\n---\n" +
			"Norway on Thursday offered a compromise on the fishing quota, proposing a five-year phase-in for coastal towns.\n\n" +
			"\"We want a deal that keeps our harbours alive,\" Norwegian Foreign Minister Kari Lund said in Oslo.\n\n" +
			"Fishermen in Bergen said they would wait for the details.")},
		"new-rail.md": {Data: []byte("---\ntitle: Rail strike ends\noutlet: Coast Post\npublished: 2024-05-02\n---\n" +
			"The rail strike in Sweden ended on Thursday after the union accepted a new offer.")},
	}, arrived)
	all := &corpus.Corpus{Articles: append(append([]*corpus.Article(nil), old.Articles...), fresh.Articles...)}

	tests := []struct {
		name string
		q    brief.WatchQuery
		want string // the file every item must cite; "" for no items
	}{
		{"topic", brief.WatchQuery{Topic: "fishing quota"}, "new-quota.md"},
		{"actor's positions", brief.WatchQuery{Topic: "fishing quota", Actor: "Norway"}, "new-quota.md"},
		{"speaker", brief.WatchQuery{Speaker: "Lund"}, "new-quota.md"},
		{"nothing new on it", brief.WatchQuery{Topic: "pipeline"}, ""},
	}
	for _, tc := range tests {
		ans, err := e.Watch(ctx, tc.q, built, later, brief.Page{Limit: 20})
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		checkCited(t, all, ans)
		if tc.want == "" {
			if len(ans.Items) != 0 || !strings.Contains(ans.Note, "Nothing in them matches") {
				t.Errorf("%s: want nothing, got %s", tc.name, show(ans))
			}
			continue
		}
		if len(ans.Items) == 0 || !strings.Contains(ans.Note, "2 articles arrived") {
			t.Errorf("%s: want matches in the new articles: %s", tc.name, show(ans))
		}
		for _, it := range ans.Items {
			if it.Citation.File != tc.want {
				t.Errorf("%s: %s is not new", tc.name, it.Citation.File)
			}
		}
	}
	// The same question over the whole corpus finds the old articles too:
	// the watch's restriction is what keeps them out.
	whole, err := e.Search(ctx, "fishing quota", brief.Page{Limit: 20})
	if err != nil {
		t.Fatal(err)
	}
	if len(whole.Items) <= 1 {
		t.Errorf("the old articles should match the topic too: %s", show(whole))
	}
	if _, err := e.Watch(ctx, brief.WatchQuery{}, built, later, brief.Page{}); err == nil {
		t.Error("a watch of nothing should be refused")
	}
}

// TestWatchRevisedArticles: when an article already in the corpus changes,
// a watch sees only what the change brought, not what it said before.
func TestWatchRevisedArticles(t *testing.T) {
	ctx := context.Background()
	built := time.Date(2024, 5, 1, 8, 0, 0, 0, time.UTC)
	const head = "---\ntitle: Talks on the fishing quota\noutlet: Coast Post\npublished: 2024-05-02\n---\n"
	first := "Talks on the fishing quota opened in Oslo on Thursday.\n\n" +
		"\"We will not give up our harbours,\" Norwegian Foreign Minister Kari Lund said on the fishing quota.\n\n" +
		"Delegates from Iceland arrived late."
	base, err := corpus.Load(fstest.MapFS{"quota.md": {Data: []byte(head + first)}})
	if err != nil {
		t.Fatal(err)
	}
	ix := writableAt(t, base, built)
	e := brief.New(ix)
	revisedAt := built.Add(2 * time.Hour)
	// An edit of the first paragraph, and a new paragraph with a new quotation.
	second := "Talks on the fishing quota opened in Oslo on Thursday morning.\n\n" +
		"\"We will not give up our harbours,\" Norwegian Foreign Minister Kari Lund said on the fishing quota.\n\n" +
		"Delegates from Iceland arrived late.\n\n" +
		"\"A five-year phase-in of the fishing quota is on the table,\" Kari Lund said after the first session."
	now := arriveAt(t, ix, fstest.MapFS{"quota.md": {Data: []byte(head + second)}}, revisedAt)
	all := &corpus.Corpus{Articles: now.Articles}

	tests := []struct {
		name  string
		q     brief.WatchQuery
		paras []int // the paragraphs the items may cite
	}{
		{"topic", brief.WatchQuery{Topic: "fishing quota"}, []int{1, 4}},
		{"speaker", brief.WatchQuery{Speaker: "Kari Lund"}, []int{4}},
	}
	for _, tc := range tests {
		ans, err := e.Watch(ctx, tc.q, built.Add(time.Hour), revisedAt, brief.Page{Limit: 20})
		if err != nil {
			t.Fatal(err)
		}
		checkCited(t, all, ans)
		if len(ans.Items) == 0 || !strings.Contains(ans.Note, "1 article was revised") {
			t.Fatalf("%s: want the revision's new paragraphs: %s", tc.name, show(ans))
		}
		for _, it := range ans.Items {
			ok := false
			for _, p := range tc.paras {
				ok = ok || it.Citation.Paragraph == p
			}
			if !ok {
				t.Errorf("%s: ¶%d was in the article before the revision: %q", tc.name, it.Citation.Paragraph, it.Text)
			}
		}
	}
	// Before the revision, nothing is new; after it, neither.
	for _, period := range [][2]time.Time{{built, built.Add(time.Hour)}, {revisedAt, revisedAt.Add(time.Hour)}} {
		ans, err := e.Watch(ctx, brief.WatchQuery{Topic: "fishing quota"}, period[0], period[1], brief.Page{})
		if err != nil {
			t.Fatal(err)
		}
		if len(ans.Items) != 0 {
			t.Errorf("%v–%v: want nothing, got %s", period[0], period[1], show(ans))
		}
	}
}
