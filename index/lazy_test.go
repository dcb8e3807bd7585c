package index

import (
	"context"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/blevesearch/bleve/v2"

	"github.com/briefbot/briefbot/corpus"
	"github.com/briefbot/briefbot/synth"
)

func synthFS(n int) fstest.MapFS {
	fsys := fstest.MapFS{}
	for _, a := range synth.Generate(7, n) {
		fsys[a.Name] = &fstest.MapFile{Data: []byte(a.Text)}
	}
	return fsys
}

// An index opened for answers reads no article until one is asked for,
// and then answers exactly as an index opened for updates does.
func TestReadOnlyOpenReadsArticlesWhenAsked(t *testing.T) {
	ctx := context.Background()
	dir, fsys := t.TempDir(), synthFS(40)
	w, _, err := Open(ctx, dir, fsys, Options{Writable: true})
	if err != nil {
		t.Fatal(err)
	}
	want := w.Meta()
	w.Close()

	ix, note, err := Open(ctx, dir, fsys, Options{})
	if err != nil || note != "" {
		t.Fatalf("reopen: %q %v", note, err)
	}
	defer ix.Close()
	if got := len(ix.Head().Articles); got != 0 {
		t.Errorf("opening for answers decoded %d articles", got)
	}
	if ix.ArticleCount() != 40 || !ix.Newest().Equal(want.Newest) || ix.Newest().IsZero() {
		t.Errorf("count %d newest %v, want 40 and %v", ix.ArticleCount(), ix.Newest(), want.Newest)
	}
	for _, a := range want.Articles[:5] {
		got, ok := ix.Article(a.ID)
		if !ok || !reflect.DeepEqual(*got, a) {
			t.Errorf("article %s: %+v %v, want %+v", a.ID, got, ok, a)
		}
	}
	if _, ok := ix.Article("no such article"); ok {
		t.Error("an unknown ID was found")
	}
	if got := ix.Meta(); !reflect.DeepEqual(got.Articles, want.Articles) {
		t.Errorf("all articles read lazily differ from those read at once")
	}
	hits, _, err := ix.Search(ctx, Query{Kind: KindParagraph, Words: synth.Topics()[0], Size: 5})
	if err != nil || len(hits) == 0 {
		t.Fatalf("search: %d hits, %v", len(hits), err)
	}
	for _, h := range hits {
		if h.Source == nil || h.Source.ID != h.Article {
			t.Errorf("hit %s cites %+v", h.Article, h.Source)
		}
	}
}

// The manifest is the same for the same files in any order, and any
// change of a name, a hash or the set of files changes it.
func TestManifest(t *testing.T) {
	files := map[string]string{}
	for i := range 200 {
		files[fmt.Sprintf("a%03d.md", i)] = fmt.Sprintf("h%d", i*7)
	}
	base := corpus.Manifest(files)
	if base == "" || corpus.Manifest(maps.Clone(files)) != base {
		t.Fatalf("manifest %q is not stable", base)
	}
	changes := map[string]func(m map[string]string){
		"a hash":        func(m map[string]string) { m["a005.md"] = "other" },
		"a file added":  func(m map[string]string) { m["new.md"] = "h" },
		"a file gone":   func(m map[string]string) { delete(m, "a100.md") },
		"a name":        func(m map[string]string) { m["b005.md"] = m["a005.md"]; delete(m, "a005.md") },
		"two swapped":   func(m map[string]string) { m["a001.md"], m["a002.md"] = m["a002.md"], m["a001.md"] },
		"hash unknown":  func(m map[string]string) { m["a007.md"] = "" },
		"all but one":   func(m map[string]string) { maps.DeleteFunc(m, func(k, _ string) bool { return k != "a000.md" }) },
		"another empty": func(m map[string]string) { clear(m) },
	}
	for name, change := range changes {
		m := maps.Clone(files)
		change(m)
		if got := corpus.Manifest(m); got == base {
			t.Errorf("%s: manifest unchanged", name)
		}
	}
	if corpus.Manifest(map[string]string{"a.md": ""}) != "" {
		t.Error("a file of unknown state must make no manifest")
	}
}

// An edited file is found although the manifest spares reading articles.
func TestManifestSeesAnEdit(t *testing.T) {
	ctx := context.Background()
	dir, fsys := t.TempDir(), synthFS(10)
	ix, _, err := Open(ctx, dir, fsys, Options{})
	if err != nil {
		t.Fatal(err)
	}
	ix.Close()
	name := slices.Sorted(maps.Keys(fsys))[0]
	fsys[name] = &fstest.MapFile{Data: append([]byte("Lead paragraph added by an edit.\n\n"), fsys[name].Data...)}
	ix, note, err := Open(ctx, dir, fsys, Options{})
	if err != nil || !strings.Contains(note, "updated") {
		t.Fatalf("an edit should update: %q %v", note, err)
	}
	ix.Close()
}

// A bucket of article metadata that cannot be read marks the index
// damaged when an answer reaches it; the answer goes on without it.
func TestDamagedBucketReadLazily(t *testing.T) {
	ctx := context.Background()
	dir, fsys := t.TempDir(), synthFS(20)
	ix, _, err := Open(ctx, dir, fsys, Options{})
	if err != nil {
		t.Fatal(err)
	}
	victim := ix.Meta().Articles[0]
	path := ix.Path()
	ix.Close()
	b, err := bleve.Open(path + "/bleve")
	if err != nil {
		t.Fatal(err)
	}
	if err := b.SetInternal([]byte(bucketKey(bucketOf(victim.ID))), []byte("not gob")); err != nil {
		t.Fatal(err)
	}
	b.Close()

	ix, _, err = Open(ctx, dir, fsys, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := ix.Article(victim.ID); ok {
		t.Error("an article of a damaged bucket was found")
	}
	if ix.Damaged() == "" {
		t.Error("the damaged bucket did not mark the index")
	}
	ix.Close()
	ix, note, err := Open(ctx, dir, fsys, Options{})
	if err != nil || !strings.Contains(note, "damaged") {
		t.Fatalf("the next open should rebuild: %q %v", note, err)
	}
	if a, ok := ix.Article(victim.ID); !ok || a.File != victim.File {
		t.Errorf("after the rebuild: %+v %v", a, ok)
	}
	ix.Close()
}
