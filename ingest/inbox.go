package ingest

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/fsnotify/fsnotify"
)

// Inbox sub-folders: files end up in one or the other once read.
const (
	InboxDone   = "done"
	InboxFailed = "failed"
)

// WatchInbox ingests every file dropped into dir (those there at start
// too) once it has stopped changing for settle, then moves it to done/, or
// to failed/ with a .reason.txt beside it. It returns when ctx ends.
func (in *Ingester) WatchInbox(ctx context.Context, dir string, settle time.Duration) error {
	for _, d := range []string{dir, filepath.Join(dir, InboxDone), filepath.Join(dir, InboxFailed)} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return fmt.Errorf("create inbox %s: %w", d, err)
		}
	}
	w, err := fsnotify.NewWatcher()
	if err != nil {
		return fmt.Errorf("watch inbox %s: %w", dir, err)
	}
	defer w.Close()
	if err := w.Add(dir); err != nil {
		return fmt.Errorf("watch inbox %s: %w", dir, err)
	}
	in.log.Info("watching the inbox", "dir", dir)

	// Files seen and when they last changed: a file is read only once it
	// has been quiet for settle, so a copy in progress is not read half-way.
	pending := map[string]time.Time{}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		pending[e.Name()] = time.Time{}
	}
	tick := time.NewTicker(max(settle/4, 10*time.Millisecond))
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case ev, ok := <-w.Events:
			if !ok {
				return nil
			}
			if ev.Has(fsnotify.Create) || ev.Has(fsnotify.Write) || ev.Has(fsnotify.Chmod) {
				pending[filepath.Base(ev.Name)] = time.Now()
			}
		case err, ok := <-w.Errors:
			if !ok {
				return nil
			}
			in.log.Warn("inbox watcher", "dir", dir, "err", err)
		case now := <-tick.C:
			for name, last := range pending {
				if now.Sub(last) < settle {
					continue
				}
				delete(pending, name)
				in.inboxFile(ctx, dir, name)
			}
		}
	}
}

// inboxFile ingests one file of the inbox and moves it out of the way.
func (in *Ingester) inboxFile(ctx context.Context, dir, name string) {
	path := filepath.Join(dir, name)
	st, err := os.Stat(path)
	if err != nil || st.IsDir() || ignoredInInbox(name) {
		return
	}
	results := in.Paths(ctx, []string{path})
	var failures []string
	ok := false
	for _, r := range results {
		if r.Status == Failed {
			failures = append(failures, r.Reason)
		} else {
			ok = true
		}
	}
	dest := InboxDone
	if !ok {
		dest = InboxFailed
	}
	target := freeName(filepath.Join(dir, dest), name)
	if err := os.Rename(path, target); err != nil {
		in.log.Error("could not move an inbox file", "file", path, "err", err)
		return
	}
	if len(failures) > 0 {
		os.WriteFile(target+".reason.txt", []byte(strings.Join(failures, "\n")+"\n"), 0o644)
	}
}

// ignoredInInbox: hidden files and the partial files of downloads and editors.
func ignoredInInbox(name string) bool {
	lower := strings.ToLower(name)
	for _, suffix := range []string{".tmp", ".part", ".crdownload", ".swp", "~", ".reason.txt"} {
		if strings.HasSuffix(lower, suffix) {
			return true
		}
	}
	return strings.HasPrefix(name, ".")
}

// freeName is dir/name, or dir/name with a number when that is taken.
func freeName(dir, name string) string {
	p := filepath.Join(dir, name)
	ext := filepath.Ext(name)
	for i := 2; ; i++ {
		if _, err := os.Stat(p); os.IsNotExist(err) {
			return p
		}
		p = filepath.Join(dir, fmt.Sprintf("%s.%d%s", strings.TrimSuffix(name, ext), i, ext))
	}
}
