// Package atomicfile writes files so that a crash leaves the old file or
// the new one, never half of one: the data goes to a hidden temporary file
// beside the target, is synced, and is renamed over it; then the folder is
// synced so that the rename itself survives a power cut.
package atomicfile

import (
	"fmt"
	"os"
	"path/filepath"
)

// TempPattern matches the temporary files a crash may leave behind; they
// start with a dot, so corpus and inbox readers skip them.
const TempPattern = ".*.tmp"

// Write replaces path with data.
func Write(path string, data []byte, perm os.FileMode) error {
	dir, name := filepath.Split(path)
	tmp := filepath.Join(dir, "."+name+".tmp")
	f, err := os.OpenFile(tmp, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, perm)
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("write %s: %w", path, err)
	}
	if d, err := os.Open(filepath.Clean(dir)); err == nil {
		d.Sync()
		d.Close()
	}
	return nil
}
