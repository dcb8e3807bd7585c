package ingest

import (
	"context"
	"fmt"
	"io/fs"
	"path/filepath"
	"time"

	"github.com/fsnotify/fsnotify"

	"github.com/briefbot/briefbot/index"
)

// WatchCorpus keeps the index in step with article files edited, added or
// removed by hand in the corpus folders while the bot runs (fsys shows them
// as the index reads them): once the folders have been quiet for settle,
// the files that changed are applied as one update; the others are not read.
func (in *Ingester) WatchCorpus(ctx context.Context, fsys fs.FS, dirs []string, settle time.Duration) error {
	w, err := fsnotify.NewWatcher()
	if err != nil {
		return fmt.Errorf("watch the corpus: %w", err)
	}
	defer w.Close()
	for _, d := range dirs {
		if err := w.Add(d); err != nil {
			return fmt.Errorf("watch %s: %w", d, err)
		}
	}
	var quiet <-chan time.Time
	touched := map[string]bool{} // file names seen changing since the last refresh
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
			in.log.Warn("corpus watcher", "err", err)
		case <-quiet:
			quiet = nil
			names := make([]string, 0, len(touched))
			for n := range touched {
				names = append(names, n)
			}
			touched = map[string]bool{}
			in.refresh(ctx, fsys, names)
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
