package index

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// A second open of a folder waits for the first to close, and never sees
// the corpus as it was before the first one's changes.
func TestOpenWaitsForTheHolder(t *testing.T) {
	dir := built(t)
	ctx := context.Background()
	first, _, err := Open(ctx, dir, small(), Options{Writable: true})
	if err != nil {
		t.Fatal(err)
	}
	opened := make(chan error, 1)
	go func() {
		ix, _, err := Open(ctx, dir, small(), Options{})
		if err == nil {
			ix.Close()
		}
		opened <- err
	}()
	select {
	case err := <-opened:
		t.Fatalf("the second open did not wait for the first (err %v)", err)
	case <-time.After(300 * time.Millisecond):
	}
	first.Close()
	select {
	case err := <-opened:
		if err != nil {
			t.Fatalf("second open after the first closed: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the second open still waits after the first closed")
	}
}

// Nobody waits for a resident holder: it never lets go.
func TestResidentHolderIsNotWaitedFor(t *testing.T) {
	dir := built(t)
	ctx := context.Background()
	bot, _, err := Open(ctx, dir, small(), Options{Writable: true, Resident: true})
	if err != nil {
		t.Fatal(err)
	}
	defer bot.Close()
	start := time.Now()
	_, _, err = Open(ctx, dir, small(), Options{})
	if !errors.Is(err, ErrResident) || !errors.Is(err, ErrLocked) {
		t.Fatalf("want ErrResident, got %v", err)
	}
	if time.Since(start) > 2*time.Second {
		t.Errorf("refusing took %v", time.Since(start))
	}
	if _, err := Build(ctx, dir, nil, Options{}); !errors.Is(err, ErrResident) {
		t.Errorf("a rebuild beside a running bot must be refused, got %v", err)
	}
	// A second resident is refused too.
	if _, _, err := Open(ctx, dir, small(), Options{Writable: true, Resident: true}); !errors.Is(err, ErrResident) {
		t.Errorf("second resident: %v", err)
	}
}

// An open that waits gives up when its context ends.
func TestOpenWaitEndsWithContext(t *testing.T) {
	dir := built(t)
	first, _, err := Open(context.Background(), dir, small(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer first.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	if _, _, err := Open(ctx, dir, small(), Options{}); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("want the context's error, got %v", err)
	}
}

// CURRENT is only ever a generation's name: a crafted one cannot make an
// open remove anything outside the index folder.
func TestCraftedCurrentRemovesNothingOutside(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "index")
	victim := filepath.Join(root, "precious")
	os.MkdirAll(victim, 0o755)
	os.WriteFile(filepath.Join(victim, "keep.txt"), []byte("keep"), 0o644)
	for _, name := range []string{"../precious", "/tmp/../" + victim, "gen-17-../../precious", victim} {
		os.MkdirAll(dir, 0o755)
		os.WriteFile(filepath.Join(dir, "CURRENT"), []byte(name+"\n"), 0o644)
		ix, _, err := Open(context.Background(), dir, small(), Options{})
		if err != nil {
			t.Fatalf("CURRENT %q: %v", name, err)
		}
		ix.Close()
		if _, err := os.Stat(filepath.Join(victim, "keep.txt")); err != nil {
			t.Fatalf("CURRENT %q removed a folder outside the index: %v", name, err)
		}
	}
}

// A killed build leaves a build-* folder; the next open removes it.
func TestKilledBuildLeftoversRemoved(t *testing.T) {
	dir := built(t)
	left := filepath.Join(dir, "build-123456")
	os.MkdirAll(filepath.Join(left, "bleve"), 0o755)
	os.WriteFile(filepath.Join(left, "bleve", "x.zap"), make([]byte, 1024), 0o644)
	ix, _, err := Open(context.Background(), dir, small(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	ix.Close()
	if _, err := os.Stat(left); !os.IsNotExist(err) {
		t.Errorf("leftover build folder still there: %v", err)
	}
}
