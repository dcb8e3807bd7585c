package bot

import (
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// limiter is a token bucket per user: burst commands at once, one more
// every interval. It reads time from the caller, so tests can use a fake clock.
type limiter struct {
	mu       sync.Mutex
	burst    int
	every    time.Duration
	buckets  map[string]*rate.Limiter
	lastSeen map[string]time.Time
}

func newLimiter(burst int, every time.Duration) *limiter {
	return &limiter{burst: burst, every: every, buckets: map[string]*rate.Limiter{}, lastSeen: map[string]time.Time{}}
}

// allow takes a token for user at now, or says how long until one is free.
func (l *limiter) allow(user string, now time.Time) (time.Duration, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	b, ok := l.buckets[user]
	if !ok {
		b = rate.NewLimiter(rate.Every(l.every), l.burst)
		l.buckets[user] = b
		l.forgetIdle(now)
	}
	l.lastSeen[user] = now
	r := b.ReserveN(now, 1)
	if d := r.DelayFrom(now); d > 0 {
		r.CancelAt(now)
		return d, false
	}
	return 0, true
}

// forgetIdle drops buckets that have been full for a while, so the map
// does not grow with every user ever seen.
func (l *limiter) forgetIdle(now time.Time) {
	if len(l.buckets) < 1024 {
		return
	}
	idle := l.every * time.Duration(l.burst) * 2
	for u, t := range l.lastSeen {
		if now.Sub(t) > idle {
			delete(l.buckets, u)
			delete(l.lastSeen, u)
		}
	}
}
