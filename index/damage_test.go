package index

import (
	"context"
	"errors"
	"io/fs"
	"math/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/briefbot/briefbot/corpus"
	"github.com/briefbot/briefbot/synth"
)

// copyDir copies a folder tree (an index generation, to damage a copy).
func copyDir(t *testing.T, from, to string) {
	t.Helper()
	err := filepath.Walk(from, func(p string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, p)
		if info.IsDir() {
			return os.MkdirAll(filepath.Join(to, rel), 0o755)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(to, rel), data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// Randomly damaged segments: every question either answers with text that
// is verbatim in the cited paragraph, or fails with ErrDamaged, which
// marks the index; the next open rebuilds it and answers as before.
func TestDamagedSegments(t *testing.T) {
	ctx := context.Background()
	fsys := synth.FS(synth.Generate(7, 40))
	c, err := corpus.Load(fsys)
	if err != nil {
		t.Fatal(err)
	}
	paras := map[string][]string{}
	for _, a := range c.Articles {
		for _, p := range a.Paragraphs {
			paras[a.ID] = append(paras[a.ID], p.Text)
		}
	}
	pristine := t.TempDir()
	ix, _, err := Open(ctx, pristine, fsys, Options{})
	if err != nil {
		t.Fatal(err)
	}
	gen := filepath.Base(ix.Path())
	ix.Close()
	words := []string{"trade", "climate", "minister", "talks", "urged", "Norway", "market", "fisheries", "the"}
	queries := func(ix *Index) (damaged bool) {
		for _, w := range words {
			for _, kind := range []string{KindParagraph, KindQuote, KindEvent} {
				hits, _, err := ix.Search(ctx, Query{Kind: kind, Words: w, Size: 20})
				if err != nil {
					if !errors.Is(err, ErrDamaged) {
						t.Fatalf("a damaged index must say so, got %v", err)
					}
					damaged = true
					continue
				}
				for _, h := range hits {
					ps := paras[h.Article]
					if h.Para < 1 || h.Para > len(ps) || !strings.Contains(ps[h.Para-1], h.Text) {
						t.Fatalf("hit %s is not verbatim in its cited paragraph: %q", h.ID, h.Text)
					}
				}
			}
		}
		return damaged
	}
	r := rand.New(rand.NewSource(1))
	found := 0
	for round := 0; round < 12; round++ {
		dir := t.TempDir()
		copyDir(t, pristine, dir)
		var segs []string
		filepath.WalkDir(filepath.Join(dir, gen), func(p string, d fs.DirEntry, err error) error {
			if err == nil && strings.HasSuffix(p, ".zap") {
				segs = append(segs, p)
			}
			return nil
		})
		if len(segs) == 0 {
			t.Fatal("no segment files")
		}
		seg := segs[r.Intn(len(segs))]
		data, _ := os.ReadFile(seg)
		for k := 0; k < 1+r.Intn(64); k++ {
			data[r.Intn(len(data))] ^= byte(1 + r.Intn(255))
		}
		os.WriteFile(seg, data, 0o644)

		ix, note, err := Open(ctx, dir, fsys, Options{})
		if err != nil {
			t.Fatalf("round %d: open: %v", round, err)
		}
		damaged := queries(ix)
		ix.Close()
		if strings.Contains(note, "unreadable") {
			found++
			continue
		}
		if !damaged {
			continue
		}
		found++
		ix, note, err = Open(ctx, dir, fsys, Options{})
		if err != nil || !strings.Contains(note, "damaged") {
			t.Fatalf("round %d: the open after damage was met should rebuild: %q %v", round, note, err)
		}
		if queries(ix) {
			t.Errorf("round %d: the rebuilt index is damaged too", round)
		}
		ix.Close()
	}
	t.Logf("%d of 12 rounds met their damage", found)
	if found == 0 {
		t.Error("no round found its damage: the test damages nothing")
	}
}

// Check reads the whole index: damage that no question met is found and
// marked, and a sound index is reported as such.
func TestCheckFindsDamage(t *testing.T) {
	ctx := context.Background()
	fsys := synth.FS(synth.Generate(3, 20))
	dir := t.TempDir()
	ix, _, err := Open(ctx, dir, fsys, Options{})
	if err != nil {
		t.Fatal(err)
	}
	gen := ix.Path()
	ix.Close()
	rep, err := Check(ctx, dir, fsys)
	if err != nil || len(rep.Damage) > 0 || rep.Articles != 20 || rep.Stale != 0 {
		t.Fatalf("a sound index: %+v %v", rep, err)
	}
	// Garble stored text: flip bytes across the segment's stored section.
	segs, _ := filepath.Glob(filepath.Join(gen, "bleve", "store", "*.zap"))
	data, _ := os.ReadFile(segs[0])
	for i := 64; i < len(data)/2; i += 97 {
		data[i] ^= 0x20
	}
	os.WriteFile(segs[0], data, 0o644)
	rep, err = Check(ctx, dir, fsys)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Damage) == 0 {
		t.Fatal("garbled segment not found by Check")
	}
	ix, note, err := Open(ctx, dir, fsys, Options{})
	if err != nil || !(strings.Contains(note, "damaged") || strings.Contains(note, "unreadable")) {
		t.Fatalf("after Check found damage the next open should rebuild: %q %v", note, err)
	}
	ix.Close()
}

// A running bot repairs a damaged index without a restart.
func TestRepairInPlace(t *testing.T) {
	ctx := context.Background()
	fsys := synth.FS(synth.Generate(5, 10))
	dir := t.TempDir()
	ix, _, err := Open(ctx, dir, fsys, Options{Writable: true})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	before, _, _ := ix.Search(ctx, Query{Kind: KindParagraph, Words: "minister", Size: 50})
	ix.mu.RLock()
	ix.markDamaged("test")
	ix.mu.RUnlock()
	note, err := ix.Repair(ctx, fsys, Options{})
	if err != nil || !strings.Contains(note, "rebuilt") {
		t.Fatalf("repair: %q %v", note, err)
	}
	if ix.Damaged() != "" {
		t.Errorf("still damaged after repair: %s", ix.Damaged())
	}
	after, _, err := ix.Search(ctx, Query{Kind: KindParagraph, Words: "minister", Size: 50})
	if err != nil || len(after) != len(before) {
		t.Errorf("after repair: %d hits (was %d), %v", len(after), len(before), err)
	}
	if note, _ := ix.Repair(ctx, fsys, Options{}); note != "" {
		t.Errorf("a sound index needs no repair: %q", note)
	}
}
