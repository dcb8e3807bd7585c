// Package regularfile opens and reads files that must be regular files:
// articles, inbox drops, files named on the command line. A FIFO, a device
// or a socket (directly or through a symlink) is refused at once instead
// of blocking for ever or streaming without end, and sizes are checked
// before anything is read.
package regularfile

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
)

// ErrNotRegular is the reason a FIFO, device, socket or folder is refused.
var ErrNotRegular = errors.New("not a regular file (a folder, FIFO, device or socket)")

// TooLarge is a file over the limit it was read with.
type TooLarge struct{ Size, Limit int64 }

func (e *TooLarge) Error() string {
	return fmt.Sprintf("file is %d bytes, over the %d-byte limit", e.Size, e.Limit)
}

// Open opens path for reading if it is (or a symlink leads to) a regular
// file; it never blocks on a FIFO.
func Open(path string) (*os.File, fs.FileInfo, error) {
	f, err := os.OpenFile(path, os.O_RDONLY|nonBlocking, 0)
	if err != nil {
		return nil, nil, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	if !st.Mode().IsRegular() {
		f.Close()
		return nil, nil, &fs.PathError{Op: "open", Path: path, Err: ErrNotRegular}
	}
	return f, st, nil
}

// ReadFile reads a regular file of at most limit bytes. A file larger
// than limit is a *TooLarge error and is not read.
func ReadFile(path string, limit int64) ([]byte, error) {
	f, st, err := Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return ReadLimited(f, st.Size(), limit)
}

// ReadLimited reads r, a file of the given size, refusing more than limit
// bytes (also when the file grows while it is read).
func ReadLimited(r io.Reader, size, limit int64) ([]byte, error) {
	if size > limit {
		return nil, &TooLarge{Size: size, Limit: limit}
	}
	data, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > limit {
		return nil, &TooLarge{Size: int64(len(data)), Limit: limit}
	}
	return data, nil
}
