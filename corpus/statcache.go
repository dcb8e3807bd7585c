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
	// Manifest is the manifest of Files' hashes ("" when not summed).
	Manifest string `json:"manifest,omitempty"`
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
	stats := old.vouch(entries, infos)
	read := 0
	for i, e := range entries {
		switch {
		case stats[i] == nil:
			continue // not an article file
		case stats[i].vouched:
			l.Hashes[e.Name()] = stats[i].Hash
			continue
		}
		_, hash, _ := readArticleFile(fsys, e.Name())
		read++
		stats[i].Hash = hash
		if hash != "" {
			l.Hashes[e.Name()] = hash
		}
	}
	if read == 0 && old != nil && len(old.Files) == len(l.Hashes) && old.Manifest != "" {
		// The same files as the cache says: nothing to keep anew, and the
		// listing's manifest is the cache's.
		l.manifest = old.Manifest
		return l, old, 0, nil
	}
	next := &StatCache{Taken: now, Files: make(map[string]FileStat, len(entries))}
	var sum ManifestSum
	for i, e := range entries {
		if st := stats[i]; st != nil && st.Hash != "" && st.regular {
			next.Files[e.Name()] = st.FileStat
			sum.Add(e.Name(), st.Hash)
		}
	}
	next.Manifest = sum.String()
	if len(next.Files) == len(l.Hashes) {
		l.manifest = next.Manifest // every file listed is in the cache
	}
	return l, next, read, nil
}

// entryStat is an article file as stated, with its hash when known.
type entryStat struct {
	FileStat
	regular bool // a regular file stated: its stat can vouch for it next time
	vouched bool // the cache vouches for Hash
}

// vouch says, for each entry, what it is (nil: not an article file) and
// whether the cache vouches for its hash, comparing several at a time.
func (c *StatCache) vouch(entries []fs.DirEntry, infos []fs.FileInfo) []*entryStat {
	stats := make([]*entryStat, len(entries))
	var trustedBefore time.Time
	if c != nil {
		trustedBefore = c.Taken.Add(-racyWindow)
	}
	eachAtOnce(len(entries), func(i int) {
		e := entries[i]
		if !isArticleFile(e) {
			return
		}
		st := &entryStat{}
		stats[i] = st
		info := infos[i]
		if !e.Type().IsRegular() || info == nil {
			return
		}
		st.regular = true
		st.Size, st.ModTime = info.Size(), info.ModTime().UnixNano()
		if prev, ok := c.lookup(e.Name()); ok && prev.Size == st.Size && prev.ModTime == st.ModTime &&
			time.Unix(0, st.ModTime).Before(trustedBefore) {
			st.Hash, st.vouched = prev.Hash, true
		}
	})
	return stats
}

// statAll stats the regular article files among entries, several at a
// time (a corpus of 100,000 files spends most of a warm start here); nil
// where a file could not be stated.
func statAll(entries []fs.DirEntry) []fs.FileInfo {
	infos := make([]fs.FileInfo, len(entries))
	eachAtOnce(len(entries), func(i int) {
		if e := entries[i]; isArticleFile(e) && e.Type().IsRegular() {
			if info, err := e.Info(); err == nil {
				infos[i] = info
			}
		}
	})
	return infos
}

// eachAtOnce runs do for 0…n-1 on several goroutines (a few per core:
// stating files waits on the system as much as it computes).
func eachAtOnce(n int, do func(i int)) {
	workers := min(4*runtime.GOMAXPROCS(0), max(n/256, 1))
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < n; i += workers {
				do(i)
			}
		}()
	}
	wg.Wait()
}

func (c *StatCache) lookup(name string) (FileStat, bool) {
	if c == nil || c.Files == nil {
		return FileStat{}, false
	}
	st, ok := c.Files[name]
	return st, ok && st.Hash != ""
}
