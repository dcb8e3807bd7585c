package corpus

import (
	"fmt"
	"maps"
	"testing"
	"testing/fstest"
	"time"
)

// Cached is a cache already at hand, for ListCached.
func Cached(c *StatCache) func() *StatCache { return func() *StatCache { return c } }

func TestListCachedReadsOnlyWhatChanged(t *testing.T) {
	old := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	now := old.Add(time.Hour)
	fsys := fstest.MapFS{
		"a.md": {Data: []byte("First article.\n"), ModTime: old},
		"b.md": {Data: []byte("Second article.\n"), ModTime: old},
	}
	want, err := List(fsys)
	if err != nil {
		t.Fatal(err)
	}
	l, cache, read, err := ListCached(fsys, nil, now)
	if err != nil || read != 2 || l.Hashes["a.md"] != want.Hashes["a.md"] || l.Hashes["b.md"] != want.Hashes["b.md"] {
		t.Fatalf("first listing: read %d, %v, %v", read, l.Hashes, err)
	}
	// Unchanged files are not read: a poisoned entry shows it was trusted.
	st := cache.Files["a.md"]
	st.Hash = "poisoned"
	cache.Files["a.md"] = st
	l, _, read, _ = ListCached(fsys, Cached(cache), now)
	if read != 0 || l.Hashes["a.md"] != "poisoned" {
		t.Fatalf("unchanged: read %d, %v", read, l.Hashes)
	}
	// A new time, a new size, or a time too close to the cache's (a same-size
	// rewrite within the second could keep it): read again.
	for _, tc := range []struct {
		name   string
		mtime  time.Time
		change func()
	}{
		{"new time", old, func() { fsys["a.md"].ModTime = old.Add(time.Minute) }},
		{"new size", old, func() { fsys["a.md"].Data = []byte("First article, longer.\n") }},
		{"racy", now.Add(-time.Second), func() { fsys["a.md"].Data = []byte("First articlE.\n") }},
	} {
		name := tc.name
		fsys["a.md"] = &fstest.MapFile{Data: []byte("First article.\n"), ModTime: tc.mtime}
		_, cache, _, _ := ListCached(fsys, nil, now)
		tc.change()
		l, _, read, _ := ListCached(fsys, Cached(cache), now)
		fresh, _ := List(fsys)
		if read != 1 || l.Hashes["a.md"] != fresh.Hashes["a.md"] {
			t.Errorf("%s: read %d, hash %q, want %q", name, read, l.Hashes["a.md"], fresh.Hashes["a.md"])
		}
	}
	// A removed file leaves the listing and the cache.
	delete(fsys, "b.md")
	l, cache, _, _ = ListCached(fsys, Cached(cache), now)
	if _, ok := l.Hashes["b.md"]; ok || len(cache.Files) != 1 {
		t.Errorf("removed file still listed: %v %v", l.Hashes, cache.Files)
	}
}

// A large folder is stated several files at a time: the listing is the one
// List gives, and a second listing reads only the file that changed.
func TestListCachedLargeFolder(t *testing.T) {
	old := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	now := old.Add(time.Hour)
	fsys := fstest.MapFS{"notes.bin": {Data: []byte{0, 1}, ModTime: old}}
	for i := 0; i < 1500; i++ {
		fsys[fmt.Sprintf("%04d.md", i)] = &fstest.MapFile{Data: []byte(fmt.Sprintf("Article number %d.\n", i)), ModTime: old}
	}
	want, err := List(fsys)
	if err != nil {
		t.Fatal(err)
	}
	l, cache, read, err := ListCached(fsys, nil, now)
	if err != nil || read != 1500 || !maps.Equal(l.Hashes, want.Hashes) {
		t.Fatalf("first listing: read %d, %d hashes (want %d), %v", read, len(l.Hashes), len(want.Hashes), err)
	}
	fsys["0777.md"].Data = []byte("Article number 777, corrected.\n")
	fsys["0777.md"].ModTime = old.Add(time.Minute)
	l, _, read, _ = ListCached(fsys, Cached(cache), now)
	want, _ = List(fsys)
	if read != 1 || !maps.Equal(l.Hashes, want.Hashes) {
		t.Fatalf("one changed: read %d, hashes equal %v", read, maps.Equal(l.Hashes, want.Hashes))
	}
}

// A listing's manifest is the sum of its hashes, whether summed afresh or
// kept from the cache of an unchanged folder, and a change changes it.
func TestListingManifest(t *testing.T) {
	old := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	now := old.Add(time.Hour)
	fsys := fstest.MapFS{}
	for i := 0; i < 600; i++ {
		fsys[fmt.Sprintf("%04d.md", i)] = &fstest.MapFile{Data: []byte(fmt.Sprintf("Article number %d.\n", i)), ModTime: old}
	}
	first, cache, _, err := ListCached(fsys, nil, now)
	if err != nil || first.Manifest() == "" || first.Manifest() != Manifest(first.Hashes) || cache.Manifest != first.Manifest() {
		t.Fatalf("first listing: manifest %q, cache's %q, %v", first.Manifest(), cache.Manifest, err)
	}
	again, kept, read, _ := ListCached(fsys, Cached(cache), now)
	if read != 0 || kept != cache || again.Manifest() != first.Manifest() {
		t.Errorf("unchanged folder: read %d, cache kept %v, manifest %q", read, kept == cache, again.Manifest())
	}
	// A cache from before manifests gets one.
	bare := &StatCache{Taken: cache.Taken, Files: cache.Files}
	_, fresh, _, _ := ListCached(fsys, Cached(bare), now)
	if fresh.Manifest != first.Manifest() {
		t.Errorf("a cache without a manifest: got %q", fresh.Manifest)
	}
	fsys["0005.md"].Data = []byte("Article number 5, corrected.\n")
	fsys["0005.md"].ModTime = old.Add(time.Minute)
	changed, _, _, _ := ListCached(fsys, Cached(cache), now)
	if changed.Manifest() == first.Manifest() || changed.Manifest() != Manifest(changed.Hashes) {
		t.Errorf("an edit left the manifest %q", changed.Manifest())
	}
}
