package ingest

import (
	"context"
	"fmt"
	"io/fs"
	"path/filepath"
	"sort"
	"time"

	"github.com/fsnotify/fsnotify"

	"github.com/briefbot/briefbot/index"
)

// WatchCorpus keeps the index in step with article files edited, added or
// removed by hand in the corpus folders while the bot runs (fsys shows them
// as the index reads them): once the folders have been quiet for settle,
// the files that changed are applied as one update; the others are not read.
func (in *Ingester) WatchCorpus(ctx context.Context, fsys fs.FS, dirs []string, settle time.Duration) error {
	return in.watch(ctx, "corpus", dirs, settle, nil, func(ctx context.Context, names []string) {
		in.refresh(ctx, fsys, names)
	})
}

// watch calls act with the names of the files that changed in dirs (and
// those of initial) each time the folders have been quiet for settle, so
// that a file being copied is not read half-way. It returns when ctx ends.
func (in *Ingester) watch(ctx context.Context, what string, dirs []string, settle time.Duration, initial []string,
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
	touched := map[string]bool{} // file names seen changing since the last act
	var quiet <-chan time.Time
	for _, n := range initial {
		touched[n] = true
		quiet = time.After(settle)
	}
	for {
		select {
		case <-ctx.Done():
			return nil
		case ev, ok := <-w.Events:
			if !ok {
				return nil
			}
			touched[filepath.Base(ev.Name)] = true
			quiet = time.After(settle)
		case err, ok := <-w.Errors:
			if !ok {
				return nil
			}
			in.log.Warn(what+" watcher", "err", err)
		case <-quiet:
			quiet = nil
			names := make([]string, 0, len(touched))
			for n := range touched {
				names = append(names, n)
			}
			sort.Strings(names)
			touched = map[string]bool{}
			act(ctx, names)
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
