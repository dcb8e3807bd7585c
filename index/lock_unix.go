//go:build unix

package index

import (
	"errors"
	"os"
	"syscall"
)

// tryLock takes f's exclusive lock without waiting; ok is false when
// another process holds it. The lock goes with the process: a killed
// holder leaves none behind.
func tryLock(f *os.File) (ok bool, err error) {
	for {
		err = syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if !errors.Is(err, syscall.EINTR) {
			break
		}
	}
	if errors.Is(err, syscall.EWOULDBLOCK) {
		return false, nil
	}
	return err == nil, err
}

func unlock(f *os.File) { syscall.Flock(int(f.Fd()), syscall.LOCK_UN) }
