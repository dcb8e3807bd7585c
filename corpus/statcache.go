package corpus

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"runtime"
	"sync"
	"time"
)

// StatCache remembers each article file's content hash by its size and
// modification time, so that listing a folder whose files did not change
// reads none of them. It is only a cache: an entry is trusted only for a
// regular file (a symbolic link's target may change under the same link)
// whose size and time are the same as when it was hashed, and whose time
// is older than the listing that hashed it by more than the file system's
// time resolution (a file rewritten within that second could keep its size
// and time: it is hashed again until the cache is older than it).
type StatCache struct {
	Taken time.Time           `json:"taken"`
	Files map[string]FileStat `json:"files"`
}

// FileStat is what a file looked like when it was hashed.
type FileStat struct {
	Size    int64  `json:"size"`
	ModTime int64  `json:"mtime"` // Unix nanoseconds
	Hash    string `json:"hash"`
}

// racyWindow is how close to the listing a file's time may be and still be
// trusted: coarser than any file system's time resolution.
const racyWindow = 2 * time.Second

// ListCached is List, reading only the files the cache cannot vouch for.
// cache, when set, gives the cache: it is called once the folder has been
// read and its files stated, so that the caller can decode it meanwhile.
// It returns the listing and the cache to keep for next time (taken at
// now), and how many files it read.
func ListCached(fsys fs.FS, cache func() *StatCache, now time.Time) (*Listing, *StatCache, int, error) {
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, nil, 0, fmt.Errorf("read corpus folder: %w", err)
	}
	l := &Listing{Hashes: make(map[string]string, len(entries))}
	settings := sha256.New()
	for _, name := range []string{"sources.json", "briefbot.yaml"} {
		if data, err := fs.ReadFile(fsys, name); err == nil {
			hashFile(settings, name, data)
		}
	}
	l.SettingsHash = hex.EncodeToString(settings.Sum(nil))
	infos := statAll(entries)
	var old *StatCache
	if cache != nil {
		old = cache()
	}
	next := &StatCache{Taken: now, Files: make(map[string]FileStat, len(entries))}
	read := 0
	for i, e := range entries {
		if !isArticleFile(e) {
			continue
		}
		var st FileStat
		regular := e.Type().IsRegular()
		if regular {
			if info := infos[i]; info != nil {
				st = FileStat{Size: info.Size(), ModTime: info.ModTime().UnixNano()}
				if prev, ok := old.lookup(e.Name()); ok && prev.Size == st.Size && prev.ModTime == st.ModTime &&
					time.Unix(0, st.ModTime).Before(old.Taken.Add(-racyWindow)) {
					l.Hashes[e.Name()] = prev.Hash
					next.Files[e.Name()] = prev
					continue
				}
			} else {
				regular = false
			}
		}
		_, hash, _ := readArticleFile(fsys, e.Name())
		read++
		if hash == "" {
			continue
		}
		l.Hashes[e.Name()] = hash
		if regular {
			st.Hash = hash
			next.Files[e.Name()] = st
		}
	}
	return l, next, read, nil
}

// Cached is a cache already at hand, for ListCached.
func Cached(c *StatCache) func() *StatCache { return func() *StatCache { return c } }

// statAll stats the regular article files among entries, several at a
// time (a corpus of 100,000 files spends most of a warm start here); nil
// where a file could not be stated.
func statAll(entries []fs.DirEntry) []fs.FileInfo {
	infos := make([]fs.FileInfo, len(entries))
	workers := min(4*runtime.GOMAXPROCS(0), max(len(entries)/256, 1))
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < len(entries); i += workers {
				if e := entries[i]; isArticleFile(e) && e.Type().IsRegular() {
					if info, err := e.Info(); err == nil {
						infos[i] = info
					}
				}
			}
		}()
	}
	wg.Wait()
	return infos
}

func (c *StatCache) lookup(name string) (FileStat, bool) {
	if c == nil || c.Files == nil {
		return FileStat{}, false
	}
	st, ok := c.Files[name]
	return st, ok && st.Hash != ""
}
