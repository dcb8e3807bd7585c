package ingest

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
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
	in.log.Info("watching the inbox", "dir", dir)
	waiting := func() []string { // files there at start
		var names []string
		entries, _ := os.ReadDir(dir)
		for _, e := range entries {
			names = append(names, e.Name())
		}
		return names
	}
	return in.watch(ctx, "inbox", []string{dir}, settle, waiting, func(ctx context.Context, names []string) {
		for _, name := range names {
			in.inboxFile(ctx, dir, name)
		}
	})
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
