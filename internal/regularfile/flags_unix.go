//go:build unix

package regularfile

import "syscall"

// nonBlocking opens a FIFO without waiting for a writer (it is then refused).
const nonBlocking = syscall.O_NONBLOCK
