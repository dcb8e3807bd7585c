//go:build unix

package ingest

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/briefbot/briefbot/corpus"
	"github.com/briefbot/briefbot/index"
)

// A FIFO or a symlink to a device dropped into the inbox fails at once with
// its reason; the watcher goes on with the next file.
func TestInboxSpecialFiles(t *testing.T) {
	f := newFixture(t, FetchOptions{})
	inbox := filepath.Join(f.data, "inbox")
	os.MkdirAll(inbox, 0o755)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	stopped := make(chan error, 1)
	go func() { stopped <- f.in.WatchInbox(ctx, inbox, 50*time.Millisecond) }()
	time.Sleep(50 * time.Millisecond)
	syscall.Mkfifo(filepath.Join(inbox, "pipe.txt"), 0o644)
	os.Symlink("/dev/zero", filepath.Join(inbox, "zero.html"))
	os.WriteFile(filepath.Join(inbox, "after.txt"), []byte("Pier rebuilt\n\nThe old pier was rebuilt by volunteers on Saturday."), 0o644)
	waitFor(t, func() bool {
		_, e1 := os.Stat(filepath.Join(inbox, InboxFailed, "pipe.txt.reason.txt"))
		_, e2 := os.Stat(filepath.Join(inbox, InboxFailed, "zero.html.reason.txt"))
		_, e3 := os.Stat(filepath.Join(inbox, InboxDone, "after.txt"))
		return e1 == nil && e2 == nil && e3 == nil
	})
	for _, n := range []string{"pipe.txt", "zero.html"} {
		if reason, _ := os.ReadFile(filepath.Join(inbox, InboxFailed, n+".reason.txt")); !strings.Contains(string(reason), "not a regular file") {
			t.Errorf("%s: reason %q", n, reason)
		}
	}
	cancel()
	if err := <-stopped; err != nil {
		t.Fatal(err)
	}
}

// Under a steady stream of new files each is read once it has settled,
// not when the whole folder falls quiet.
func TestInboxSteadyStream(t *testing.T) {
	f := newFixture(t, FetchOptions{})
	inbox := filepath.Join(f.data, "inbox")
	os.MkdirAll(inbox, 0o755)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	stopped := make(chan error, 1)
	go func() { stopped <- f.in.WatchInbox(ctx, inbox, 200*time.Millisecond) }()
	time.Sleep(50 * time.Millisecond)
	firstDone := false
	for i := 0; i < 25 && !firstDone; i++ {
		text := fmt.Sprintf("Stream story %d\n\nStory number %d of the stream says the ferry %d left on time.", i, i, i)
		os.WriteFile(filepath.Join(inbox, fmt.Sprintf("s%02d.txt", i)), []byte(text), 0o644)
		time.Sleep(100 * time.Millisecond)
		_, err := os.Stat(filepath.Join(inbox, InboxDone, "s00.txt"))
		firstDone = err == nil
	}
	if !firstDone {
		t.Fatal("with a file arriving every 100 ms, the first was never read while the stream went on")
	}
	cancel()
	<-stopped
}

// A file written after the index was opened but before the watch began is
// applied without waiting for another change.
func TestWatchCorpusPicksUpTheGap(t *testing.T) {
	f := newFixture(t, FetchOptions{})
	opened := time.Now()
	os.WriteFile(filepath.Join(f.library, "gap.md"), []byte("---\ntitle: Gap story\n---\nThe gap story says the lock gates were replaced on Friday."), 0o644)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	stopped := make(chan error, 1)
	go func() {
		stopped <- f.in.WatchCorpus(ctx, corpus.Overlay(base(), corpus.DirFS(f.library)), []string{f.library}, 50*time.Millisecond, opened)
	}()
	waitFor(t, func() bool { _, ok := f.ix.Article("gap.md"); return ok })
	cancel()
	<-stopped
}

// damagedIndex is an index a search found damaged, until repaired.
type damagedIndex struct {
	Index
	repaired atomic.Int32
}

func (d *damagedIndex) Damaged() string {
	if d.repaired.Load() > 0 {
		return ""
	}
	return "a segment failed its checksum"
}

func (d *damagedIndex) Repair(context.Context, fs.FS, index.Options) (string, error) {
	d.repaired.Add(1)
	return "rebuilt", nil
}

// A damaged index is rebuilt by the running bot, once.
func TestKeepSoundRepairs(t *testing.T) {
	f := newFixture(t, FetchOptions{})
	d := &damagedIndex{Index: f.ix}
	f.in.index = d
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { f.in.KeepSound(ctx, base(), 10*time.Millisecond); close(done) }()
	waitFor(t, func() bool { return d.repaired.Load() > 0 })
	time.Sleep(50 * time.Millisecond)
	cancel()
	<-done
	if n := d.repaired.Load(); n != 1 {
		t.Errorf("repaired %d times, want once", n)
	}
}
