package auth

import (
	"sync"
	"time"
)

// After maxFailures failed logins for one email within failureWindow,
// further logins for it are refused until the window ends.
const (
	maxFailures   = 5
	failureWindow = 15 * time.Minute
)

// limiter counts failed logins per email, in memory. With several server
// nodes behind a load balancer each node counts on its own, so the limit is
// effectively multiplied by the node count; enforcing it exactly needs the
// counts in the store.
//
// An attempt is counted when it begins, not when it fails, so that a burst
// of parallel guesses cannot all slip in before the first failure is
// recorded; a successful login clears the count.
type limiter struct {
	max    int
	window time.Duration

	mu        sync.Mutex
	entries   map[string]*attempts
	lastSweep time.Time
}

type attempts struct {
	start time.Time // of the window, at the first counted attempt
	count int
}

func newLimiter(max int, window time.Duration) *limiter {
	return &limiter{max: max, window: window, entries: map[string]*attempts{}}
}

// begin counts an attempt for key and reports whether it may go ahead.
func (l *limiter) begin(key string, now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if now.Sub(l.lastSweep) >= l.window { // keep the map from growing without bound
		for k, e := range l.entries {
			if now.Sub(e.start) >= l.window {
				delete(l.entries, k)
			}
		}
		l.lastSweep = now
	}
	e := l.entries[key]
	if e == nil || now.Sub(e.start) >= l.window {
		e = &attempts{start: now}
		l.entries[key] = e
	}
	if e.count >= l.max {
		return false
	}
	e.count++
	return true
}

// cancel uncounts an attempt that neither failed nor succeeded (say, the
// database was unreachable).
func (l *limiter) cancel(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if e := l.entries[key]; e != nil && e.count > 0 {
		e.count--
	}
}

// succeeded clears the failures of key.
func (l *limiter) succeeded(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.entries, key)
}
