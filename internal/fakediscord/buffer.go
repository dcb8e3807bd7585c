package fakediscord

import (
	"strings"
	"sync"
)

// Buffer collects what a bot logs while a test reads it: a strings.Builder
// that is safe to write from one goroutine and read from another.
type Buffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *Buffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *Buffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}
