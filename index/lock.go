package index

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// Every open of an index folder holds its lock file exclusively, from
// before it lists the corpus until it closes: what one process lists,
// diffs and applies cannot interleave with another's, so no acknowledged
// article is lost and no live generation is removed under a reader.
//
// A resident holder (the bot) also holds a second lock for its whole life:
// others do not wait for it to finish (it never does) but answer from
// elsewhere or hand their work over.
const (
	lockFile     = "LOCK"
	residentFile = "RESIDENT"
)

// ErrResident means a long-running briefbot (the bot) holds the index: it
// keeps the index current itself, and waiting for it would never end.
var ErrResident = fmt.Errorf("%w by a running bot", ErrLocked)

// lockPoll is how often a waiting open tries the lock again.
const lockPoll = 50 * time.Millisecond

// folderLock is a held lock of an index folder.
type folderLock struct {
	main, resident *os.File
}

// lockFolder takes dir's lock. While another process holds it, the open
// waits (until ctx ends), unless that process is resident: then it is
// ErrResident at once. A resident open takes the resident lock too.
func lockFolder(ctx context.Context, dir string, resident bool) (*folderLock, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("create index folder %s: %w", dir, err)
	}
	main, err := openLockFile(filepath.Join(dir, lockFile))
	if err != nil {
		return nil, err
	}
	for {
		ok, err := tryLock(main)
		if err != nil {
			main.Close()
			return nil, fmt.Errorf("lock index folder %s: %w", dir, err)
		}
		if ok {
			break
		}
		if residentHeld(dir) {
			main.Close()
			return nil, ErrResident
		}
		select {
		case <-ctx.Done():
			main.Close()
			return nil, ctx.Err()
		case <-time.After(lockPoll):
		}
	}
	l := &folderLock{main: main}
	if resident {
		f, err := openLockFile(filepath.Join(dir, residentFile))
		if err != nil {
			l.release()
			return nil, err
		}
		// A waiter probing the resident lock holds it for an instant.
		ok, err := tryLock(f)
		for tries := 0; err == nil && !ok && tries < 20; tries++ {
			time.Sleep(lockPoll)
			ok, err = tryLock(f)
		}
		if err != nil || !ok {
			f.Close()
			l.release()
			if err == nil {
				err = errors.New("held by another process")
			}
			return nil, fmt.Errorf("lock index folder %s: %w", dir, err)
		}
		l.resident = f
	}
	return l, nil
}

// residentHeld: a resident process holds dir now. Probing takes the lock
// for an instant, which a resident starting at that instant waits out.
func residentHeld(dir string) bool {
	f, err := os.OpenFile(filepath.Join(dir, residentFile), os.O_RDWR, 0)
	if err != nil {
		return false
	}
	defer f.Close()
	ok, err := tryLock(f)
	if err != nil {
		return false
	}
	if ok {
		unlock(f)
	}
	return !ok
}

func openLockFile(path string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("open lock %s: %w", path, err)
	}
	return f, nil
}

func (l *folderLock) release() {
	if l == nil {
		return
	}
	for _, f := range []*os.File{l.resident, l.main} {
		if f != nil {
			unlock(f)
			f.Close()
		}
	}
	l.main, l.resident = nil, nil
}
