package ingest

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"time"

	"github.com/fsnotify/fsnotify"

	"github.com/briefbot/briefbot/index"
)

// WatchCorpus keeps the index in step with article files edited, added or
// removed by hand in the corpus folders while the bot runs (fsys shows them
// as the index reads them): each file that has stopped changing for settle
// is applied, with the others due then, as one update; unchanged files are
// not read. Files that changed after since (when the index was opened) but
// before the watch began are picked up too, and so are articles whose files
// went in that time.
func (in *Ingester) WatchCorpus(ctx context.Context, fsys fs.FS, dirs []string, settle time.Duration, since time.Time) error {
	missed := func() []string {
		present := map[string]bool{}
		var names []string
		for _, d := range dirs {
			entries, _ := os.ReadDir(d)
			for _, e := range entries {
				present[e.Name()] = true
				// A second of slack for file systems with coarse times.
				if info, err := e.Info(); err == nil && !info.ModTime().Before(since.Add(-time.Second)) {
					names = append(names, e.Name())
				}
			}
		}
		for _, a := range in.index.Meta().Articles {
			if !present[a.File] {
				names = append(names, a.File)
			}
		}
		return names
	}
	return in.watch(ctx, "corpus", dirs, settle, missed, func(ctx context.Context, names []string) {
		in.refresh(ctx, fsys, names)
	})
}

// watch calls act with the names of the files that changed in dirs, each
// once it has been quiet for settle, so that a file being copied is not read
// half-way while a steady stream of other files does not hold it back. The
// names list returns are handled as if they had just changed; it is called
// after the watch has started, so that no file falls between the two. watch
// returns when ctx ends.
func (in *Ingester) watch(ctx context.Context, what string, dirs []string, settle time.Duration, list func() []string,
	act func(ctx context.Context, names []string)) error {
	w, err := fsnotify.NewWatcher()
	if err != nil {
		return fmt.Errorf("watch the %s: %w", what, err)
	}
	defer w.Close()
	for _, d := range dirs {
		if err := w.Add(d); err != nil {
			return fmt.Errorf("watch the %s %s: %w", what, d, err)
		}
	}
	changed := map[string]time.Time{} // file name → when it last changed
	if list != nil {
		for _, n := range list() {
			changed[n] = time.Now()
		}
	}
	timer := time.NewTimer(settle)
	defer timer.Stop()
	// rearm sets the timer for the file that settles first.
	rearm := func() {
		if len(changed) == 0 {
			return
		}
		first := time.Time{}
		for _, t := range changed {
			if first.IsZero() || t.Before(first) {
				first = t
			}
		}
		timer.Reset(max(time.Until(first.Add(settle)), time.Millisecond))
	}
	for {
		select {
		case <-ctx.Done():
			return nil
		case ev, ok := <-w.Events:
			if !ok {
				return nil
			}
			first := len(changed) == 0
			changed[filepath.Base(ev.Name)] = time.Now()
			if first {
				rearm()
			}
		case err, ok := <-w.Errors:
			if !ok {
				return nil
			}
			in.log.Warn(what+" watcher", "err", err)
		case <-timer.C:
			var due []string
			for n, t := range changed {
				if time.Since(t) >= settle {
					due = append(due, n)
					delete(changed, n)
				}
			}
			if len(due) > 0 {
				sort.Strings(due)
				act(ctx, due)
			}
			rearm()
		}
	}
}

// refresh applies what changed on disk, between ingestions (which it
// would otherwise race: a file stored but not yet applied would look removed).
func (in *Ingester) refresh(ctx context.Context, fsys fs.FS, names []string) {
	in.mu.Lock()
	defer in.mu.Unlock()
	note, err := in.index.Refresh(ctx, fsys, names, index.Options{Now: in.now})
	switch {
	case err != nil:
		in.log.Error("could not apply the corpus folder's changes", "err", err)
	case note != "":
		in.log.Info(note)
	}
}

// KeepSound rebuilds the index whenever a search has found it damaged,
// checking every interval, between ingestions, until ctx ends: the bot
// answers again without a restart.
func (in *Ingester) KeepSound(ctx context.Context, fsys fs.FS, every time.Duration) {
	tick := time.NewTicker(every)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		if in.index.Damaged() == "" {
			continue
		}
		in.mu.Lock()
		note, err := in.index.Repair(ctx, fsys, index.Options{Now: in.now})
		in.mu.Unlock()
		switch {
		case err != nil:
			in.log.Error("could not rebuild the damaged index", "err", err)
		case note != "":
			in.log.Warn(note)
		}
	}
}
