package index

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/blevesearch/bleve/v2"

	"github.com/briefbot/briefbot/corpus"
	"github.com/briefbot/briefbot/synth"
)

func small() fstest.MapFS {
	return fstest.MapFS{
		"a.md": {Data: []byte("---\ntitle: Ministers meet\npublished: 2024-01-10\n---\n“We agreed on the fishing quota,” Minister Ana Petrov said on Tuesday.\n\nThe deal covers cod and herring.")},
	}
}

func currentName(t *testing.T, dir string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "CURRENT"))
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimSpace(string(b))
}

func TestOpenBuildsThenReuses(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	ix, note, err := Open(ctx, dir, small(), Options{})
	if err != nil || !strings.Contains(note, "no index yet") {
		t.Fatalf("first open: %q %v", note, err)
	}
	n, _ := ix.DocCount()
	if n != 4 { // two paragraphs, one quote, one event
		t.Errorf("%d documents, want 4", n)
	}
	ix.Close()

	ix, note, err = Open(ctx, dir, small(), Options{})
	if err != nil || note != "" {
		t.Fatalf("second open should reuse: %q %v", note, err)
	}
	ix.Close()

	// One new file is an update of the same generation, not a rebuild.
	before := currentName(t, dir)
	changed := small()
	changed["b.txt"] = &fstest.MapFile{Data: []byte("A new article about herring quotas arrived today.")}
	ix, note, err = Open(ctx, dir, changed, Options{})
	if err != nil || !strings.Contains(note, "updated") {
		t.Fatalf("one new article should be an update: %q %v", note, err)
	}
	if len(ix.Meta().Articles) != 2 || currentName(t, dir) != before {
		t.Errorf("updated index has %d articles, generation %s (was %s)", len(ix.Meta().Articles), currentName(t, dir), before)
	}
	ix.Close()

	// New corpus settings change every article: a full build.
	changed["briefbot.yaml"] = &fstest.MapFile{Data: []byte("subject: Norway\n")}
	ix, note, err = Open(ctx, dir, changed, Options{})
	if err != nil || !strings.Contains(note, "settings changed") {
		t.Fatalf("new settings should rebuild: %q %v", note, err)
	}
	ix.Close()
	gens, _ := filepath.Glob(filepath.Join(dir, "gen-*"))
	if len(gens) != 1 {
		t.Errorf("old generations should be removed, have %v", gens)
	}
}

// built makes the index of the small corpus in a new folder and closes it.
func built(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	ix, _, err := Open(context.Background(), dir, small(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	ix.Close()
	return dir
}

func TestFormatChangeRebuilds(t *testing.T) {
	dir := built(t)
	old := fmt.Sprintf("gen-%d-0123456789abcdef", Format-1)
	os.Rename(filepath.Join(dir, currentName(t, dir)), filepath.Join(dir, old))
	os.WriteFile(filepath.Join(dir, "CURRENT"), []byte(old+"\n"), 0o644)
	ix, note, err := Open(context.Background(), dir, small(), Options{})
	if err != nil || !strings.Contains(note, "format changed") {
		t.Fatalf("an index of another format should be rebuilt: %q %v", note, err)
	}
	ix.Close()
	if _, err := os.Stat(filepath.Join(dir, old)); !os.IsNotExist(err) {
		t.Errorf("the old format's generation should be removed: %v", err)
	}
}

func TestCorruptIndexRebuilds(t *testing.T) {
	dir := built(t)
	ctx := context.Background()
	gen := filepath.Join(dir, currentName(t, dir))
	// Overwrite every file of the Bleve index with garbage.
	filepath.Walk(filepath.Join(gen, "bleve"), func(p string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() {
			os.WriteFile(p, []byte("garbage"), 0o644)
		}
		return nil
	})
	ix, why, err := Open(ctx, dir, small(), Options{})
	if err != nil {
		t.Fatalf("corrupt index should be rebuilt, got %v", err)
	}
	if !strings.Contains(why, "unreadable") {
		t.Errorf("reason %q should say the index was unreadable", why)
	}
	hits, _, err := ix.Search(ctx, Query{Kind: KindQuote, Words: "fishing quota", Size: 5})
	if err != nil || len(hits) != 1 {
		t.Errorf("rebuilt index should answer: %d hits, %v", len(hits), err)
	}
	ix.Close()
}

func TestLockedIndex(t *testing.T) {
	if testing.Short() {
		t.Skip("waits for the lock timeout")
	}
	dir := built(t)
	ctx := context.Background()
	// A writer holds the exclusive lock.
	w, err := bleve.Open(filepath.Join(dir, currentName(t, dir), "bleve"))
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	_, _, err = Open(ctx, dir, small(), Options{})
	if !errors.Is(err, ErrLocked) {
		t.Fatalf("want ErrLocked, got %v", err)
	}
}

// A build that stops half-way leaves the current index as it was.
func TestCancelledBuildKeepsCurrent(t *testing.T) {
	dir := built(t)
	before := currentName(t, dir)

	big, err := corpus.Load(synth.FS(synth.Generate(1, 300)))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	_, err = Build(ctx, dir, big, Options{Progress: func(done, _ int) {
		if done == 100 {
			cancel()
		}
	}})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("want cancellation, got %v", err)
	}
	if currentName(t, dir) != before {
		t.Error("CURRENT changed after a cancelled build")
	}
	if left, _ := filepath.Glob(filepath.Join(dir, "build-*")); len(left) != 0 {
		t.Errorf("build folders left behind: %v", left)
	}
	ix, why, err := Open(context.Background(), dir, small(), Options{})
	if err != nil || why != "" {
		t.Fatalf("the old index should still open as it was: %q %v", why, err)
	}
	ix.Close()
}

func TestQueryTextIsNeverSyntax(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	ix, _, err := Open(ctx, dir, small(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	for _, words := range []string{`kind:quote`, `+herring -cod`, `"fishing quota"~5`, `herr*`, `cod^10`, `speaker:"ana petrov"`, `(`, `\`} {
		if _, _, err := ix.Search(ctx, Query{Kind: KindParagraph, Words: words, Size: 5}); err != nil {
			t.Errorf("%q: %v", words, err)
		}
	}
	// "kind:quote" as words must not select quote documents.
	hits, _, _ := ix.Search(ctx, Query{Kind: KindParagraph, Words: "kind:quote", Size: 5})
	for _, h := range hits {
		if h.Kind != KindParagraph {
			t.Errorf("field syntax leaked into the query: %+v", h)
		}
	}
}

// An empty library is a valid state: it opens, answers nothing, and fills
// as articles arrive.
func TestEmptyCorpus(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	ix, note, err := Open(ctx, dir, fstest.MapFS{}, Options{Writable: true})
	if err != nil {
		t.Fatalf("an empty corpus should open: %v", err)
	}
	defer ix.Close()
	if !strings.Contains(note, "0 articles") {
		t.Errorf("note %q", note)
	}
	hits, total, err := ix.Search(ctx, Query{Kind: KindParagraph, Words: "herring", Size: 5})
	if err != nil || total != 0 || len(hits) != 0 {
		t.Fatalf("empty index: %d hits, %v", total, err)
	}
	c, err := corpus.Load(small())
	if err != nil {
		t.Fatal(err)
	}
	if err := ix.Apply(ctx, ChangeOf(c, []string{"a.md"}, nil), Options{}); err != nil {
		t.Fatal(err)
	}
	if _, total, _ := ix.Search(ctx, Query{Kind: KindParagraph, Words: "herring", Size: 5}); total != 1 {
		t.Errorf("after the first article: %d hits, want 1", total)
	}
}

// TestWordsRequired: AllWords wants every word; MostWords every word but
// one of three or more, and every word of fewer.
func TestWordsRequired(t *testing.T) {
	fsys := fstest.MapFS{
		"a.md": {Data: []byte("---\ntitle: Leave\npublished: 2024-01-10\n---\nThe plan gives six weeks of paid leave.\n\nIts maternity leave is unpaid.\n\nPaid maternity leave is rare.\n\nLeave them alone.")},
	}
	ix, _, err := Open(context.Background(), t.TempDir(), fsys, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	count := func(q Query) int {
		q.Kind, q.Size = KindParagraph, 10
		hits, _, err := ix.Search(context.Background(), q)
		if err != nil {
			t.Fatal(err)
		}
		return len(hits)
	}
	for _, tc := range []struct {
		q    Query
		want int
	}{
		{Query{Words: "paid maternity leave", AllWords: true}, 1},
		{Query{Words: "paid maternity leave", MostWords: true}, 3},
		{Query{Words: "paid leave", MostWords: true}, 2},
		{Query{Words: "paid maternity leave"}, 4},
	} {
		if got := count(tc.q); got != tc.want {
			t.Errorf("%+v: %d paragraphs, want %d", tc.q, got, tc.want)
		}
	}
}

// TestStatCache: a current index opens without reading the articles, and
// an edit of the same size made right after is still seen.
func TestStatCache(t *testing.T) {
	corpusDir, dir := t.TempDir(), t.TempDir()
	write := func(text string) {
		if err := os.WriteFile(filepath.Join(corpusDir, "a.md"), []byte("---\ntitle: Port\npublished: 2024-01-10\n---\n"+text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("The port reopened on Tuesday.")
	open := func() string {
		ix, note, err := Open(context.Background(), dir, os.DirFS(corpusDir), Options{})
		if err != nil {
			t.Fatal(err)
		}
		ix.Close()
		return note
	}
	open()
	if _, err := os.Stat(filepath.Join(dir, statCacheFile)); err != nil {
		t.Fatalf("no stat cache: %v", err)
	}
	if note := open(); note != "" {
		t.Fatalf("current index: %q", note)
	}
	write("The port reclosed on Tuesday.") // same size, within the second
	if note := open(); !strings.Contains(note, "1 changed") && !strings.Contains(note, "updated") {
		t.Fatalf("the edit was not seen: %q", note)
	}
	// A damaged cache costs only reading the files.
	os.WriteFile(filepath.Join(dir, statCacheFile), []byte("not gob"), 0o644)
	if note := open(); note != "" {
		t.Fatalf("after a damaged cache: %q", note)
	}
}
