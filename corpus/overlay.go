package corpus

import (
	"errors"
	"io/fs"
	"slices"
	"strings"
)

// Overlay shows the top-level files of several folders as one: the corpus
// folder and the folder of ingested articles, say. Where two layers hold a
// file of the same name, the first one's wins.
func Overlay(layers ...fs.FS) fs.FS { return overlay(layers) }

type overlay []fs.FS

func (o overlay) Open(name string) (fs.File, error) {
	if name == "." {
		return nil, &fs.PathError{Op: "open", Path: name, Err: errors.New("an overlay is read with ReadDir")}
	}
	var firstErr error
	for _, l := range o {
		f, err := l.Open(name)
		if err == nil || !errors.Is(err, fs.ErrNotExist) {
			return f, err // the first layer that has the name decides
		}
		if firstErr == nil {
			firstErr = err
		}
	}
	return nil, firstErr
}

// ReadDir lists the top level only: corpora have no subfolders.
func (o overlay) ReadDir(name string) ([]fs.DirEntry, error) {
	var lists [][]fs.DirEntry
	read := 0
	var lastErr error
	for _, l := range o {
		entries, err := fs.ReadDir(l, name)
		if err != nil {
			if !errors.Is(err, fs.ErrNotExist) {
				return nil, err // unreadable is not missing: say which
			}
			lastErr = err
			continue
		}
		read++
		if len(entries) > 0 {
			lists = append(lists, entries)
		}
	}
	switch {
	case read == 0:
		return nil, lastErr
	case len(lists) == 0:
		return []fs.DirEntry{}, nil
	case len(lists) == 1:
		return lists[0], nil // fs.ReadDir sorts by name already
	}
	seen := map[string]bool{}
	var out []fs.DirEntry
	for _, entries := range lists {
		for _, e := range entries {
			if !seen[e.Name()] {
				seen[e.Name()] = true
				out = append(out, e)
			}
		}
	}
	slices.SortFunc(out, func(a, b fs.DirEntry) int { return strings.Compare(a.Name(), b.Name()) })
	return out, nil
}

func (o overlay) ReadFile(name string) ([]byte, error) {
	var firstErr error
	for _, l := range o {
		data, err := fs.ReadFile(l, name)
		if err == nil {
			return data, nil
		}
		if firstErr == nil {
			firstErr = err
		}
	}
	return nil, firstErr
}

// Stat reports the file of the first layer that has it.
func (o overlay) Stat(name string) (fs.FileInfo, error) {
	var firstErr error
	for _, l := range o {
		st, err := fs.Stat(l, name)
		if err == nil {
			return st, nil
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
		if firstErr == nil {
			firstErr = err
		}
	}
	return nil, firstErr
}
