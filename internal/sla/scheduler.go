package sla

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/redress-project/redress/internal/store"
)

// Scheduler fires due timers. It keeps nothing per timer in memory: each
// round it asks the database for one batch of due timers (FireTimers),
// and when there are none it asks when the next one is due and sleeps
// until then, or for MaxSleep at most so that timers other nodes schedule
// are not missed. Any number of schedulers may run against one database;
// each timer fires exactly once (see store.FireTimers).
type Scheduler struct {
	store    *store.Store
	fire     func(now time.Time) store.FireFunc
	now      func() time.Time
	log      *slog.Logger
	batch    int
	maxSleep time.Duration

	wake       chan struct{}
	sleepUntil atomic.Int64 // UnixNano of the planned wake-up; 0 while working

	mu    sync.Mutex
	stats Stats
	late  [lateBuckets + 1]int64 // a histogram of lateness by millisecond; the last bucket holds the rest
}

const lateBuckets = 10_000

// busyWait is how long the scheduler waits before trying again timers
// whose cases were being changed.
const busyWait = 10 * time.Millisecond

// Stats are what a scheduler did since it started.
type Stats struct {
	Rounds int64 // FireTimers calls
	Fired  int64
	Busy   int64 // timers put off because their case was being changed
	Failed int64 // timers whose firing failed (tried again later)
	// How late timers fired: from their due time to the commit of their
	// firing. LateP50 and LateP99 are exact to the millisecond below 10 s.
	LateP50, LateP99, LateMax time.Duration
}

// NewScheduler returns a scheduler over st that fires timers with the
// function fire returns for the time of each round.
func NewScheduler(st *store.Store, fire func(now time.Time) store.FireFunc, opts Options) *Scheduler {
	opts = opts.withDefaults()
	return &Scheduler{store: st, fire: fire, now: opts.Now, log: opts.Log, batch: opts.Batch,
		maxSleep: opts.MaxSleep, wake: make(chan struct{}, 1)}
}

// RunOnce fires one batch of due timers.
func (s *Scheduler) RunOnce(ctx context.Context) (store.FireReport, error) {
	now := s.now()
	rep, err := s.store.FireTimers(ctx, now, s.batch, s.fire(now))
	if err != nil {
		return rep, err
	}
	s.account(rep, s.now())
	for _, tm := range rep.Failed {
		s.log.ErrorContext(ctx, "sla: a timer could not fire; it will be tried again", "case", tm.CaseRef,
			"clock", tm.Clock, "kind", tm.Kind, "attempts", tm.Attempts, "retry_at", tm.FireAt, "err", tm.LastError)
	}
	return rep, nil
}

// Run fires timers until ctx ends.
func (s *Scheduler) Run(ctx context.Context) error {
	for ctx.Err() == nil {
		rep, err := s.RunOnce(ctx)
		switch {
		case ctx.Err() != nil:
		case err != nil:
			s.log.ErrorContext(ctx, "sla: firing timers failed; trying again", "err", err)
			s.sleep(ctx, min(s.maxSleep, time.Second))
		case len(rep.Fired)+len(rep.Failed) == 0 && rep.Busy > 0:
			// Everything due is on cases being changed elsewhere: back off.
			s.sleep(ctx, busyWait)
		case len(rep.Fired)+rep.Busy+len(rep.Failed) >= s.batch:
			// A full batch: more may be due.
		case rep.Busy > 0:
			s.sleep(ctx, busyWait)
		default:
			s.sleep(ctx, s.untilNext(ctx))
		}
	}
	return nil
}

// untilNext returns how long to sleep: until the next timer is due, or
// maxSleep at most.
func (s *Scheduler) untilNext(ctx context.Context) time.Duration {
	at, ok, err := s.store.NextTimer(ctx)
	if err != nil && !errors.Is(err, context.Canceled) {
		s.log.ErrorContext(ctx, "sla: reading the next timer failed", "err", err)
	}
	if err != nil || !ok {
		return s.maxSleep
	}
	return min(s.maxSleep, at.Sub(s.now()))
}

func (s *Scheduler) sleep(ctx context.Context, d time.Duration) {
	if d <= 0 {
		return
	}
	s.sleepUntil.Store(s.now().Add(d).UnixNano())
	defer s.sleepUntil.Store(0)
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	case <-s.wake:
	}
}

// Notify tells the scheduler a timer was set to fire at at, so that it
// wakes up early if it planned to sleep past at.
func (s *Scheduler) Notify(at time.Time) {
	if u := s.sleepUntil.Load(); u == 0 || at.UnixNano() < u {
		select {
		case s.wake <- struct{}{}:
		default:
		}
	}
}

// account adds a round's outcome to the statistics.
func (s *Scheduler) account(rep store.FireReport, committed time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.stats.Rounds++
	s.stats.Fired += int64(len(rep.Fired))
	s.stats.Busy += int64(rep.Busy)
	s.stats.Failed += int64(len(rep.Failed))
	for _, tm := range rep.Fired {
		late := max(committed.Sub(tm.FireAt), 0)
		s.stats.LateMax = max(s.stats.LateMax, late)
		s.late[min(int(late/time.Millisecond), lateBuckets)]++
	}
}

// Stats returns what the scheduler has done so far.
func (s *Scheduler) Stats() Stats {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.stats
	st.LateP50, st.LateP99 = s.percentile(0.50), s.percentile(0.99)
	return st
}

// percentile returns the lateness below which a share q of firings fell.
func (s *Scheduler) percentile(q float64) time.Duration {
	if s.stats.Fired == 0 {
		return 0
	}
	rank := int64(q*float64(s.stats.Fired-1)) + 1
	var seen int64
	for ms, n := range s.late {
		if seen += n; seen >= rank {
			if ms == lateBuckets {
				return s.stats.LateMax
			}
			return time.Duration(ms) * time.Millisecond
		}
	}
	return s.stats.LateMax
}
