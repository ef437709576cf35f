package store_test

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redress-project/redress/internal/complaint"
	"github.com/redress-project/redress/internal/store"
	"github.com/redress-project/redress/internal/store/storetest"
)

var system = complaint.System

// timer returns a pending timer of case ref.
func timer(ref, clock, kind, epoch string, fireAt time.Time) store.Timer {
	return store.Timer{CaseRef: ref, Clock: clock, Kind: kind, Epoch: epoch, Due: fireAt.Add(time.Hour), FireAt: fireAt}
}

// byKey indexes timers by clock/kind.
func byKey(ts []store.Timer) map[string]store.Timer {
	m := map[string]store.Timer{}
	for _, tm := range ts {
		m[tm.Clock+"/"+tm.Kind] = tm
	}
	return m
}

func caseTimers(t *testing.T, s *store.Store, ref string) map[string]store.Timer {
	t.Helper()
	ts, err := s.CaseTimers(ctx, ref)
	if err != nil {
		t.Fatal(err)
	}
	return byKey(ts)
}

// noteEach is a fire function that records one internal note per timer,
// naming it, so a test can count each timer's effects in the history.
func noteEach(at time.Time) store.FireFunc {
	return func(c *complaint.Case, due []store.Timer) ([]*complaint.Event, error) {
		var events []*complaint.Event
		for _, tm := range due {
			e, err := c.Note("fired "+strconv.FormatInt(tm.ID, 10), system, at)
			if err != nil {
				return nil, err
			}
			events = append(events, &e)
		}
		return events, nil
	}
}

// firedNotes counts the "fired N" notes of the cases by timer id.
func firedNotes(t testing.TB, s *store.Store, cases []*complaint.Case) map[int64]int {
	t.Helper()
	counts := map[int64]int{}
	for _, c := range cases {
		events, err := s.Events(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if err := complaint.VerifyChain(events); err != nil {
			t.Fatalf("case %s: %v", c.Ref, err)
		}
		for _, e := range events {
			if id, ok := strings.CutPrefix(e.Body, "fired "); ok && e.Kind == complaint.KindNote {
				n, _ := strconv.ParseInt(id, 10, 64)
				counts[n]++
			}
		}
	}
	return counts
}

func TestUpdateCaseTimers(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		c := create(t, s, newDraft(), t0)
		at := t0.Add(time.Hour)
		up, err := s.UpdateCaseTimers(ctx, c.Ref, func(c *complaint.Case, history []complaint.Event) ([]*complaint.Event, []store.Timer, error) {
			if len(history) != 1 || history[0].Kind != complaint.KindCreated {
				return nil, nil, fmt.Errorf("history %v, want the created event", history)
			}
			e, err := c.Note("clocks started", system, at)
			return []*complaint.Event{&e}, []store.Timer{
				timer("", "resolution", "warning-75", "e1", at),
				timer("", "resolution", "breach", "e1", at.Add(time.Hour)),
			}, err
		})
		if err != nil {
			t.Fatal(err)
		}
		if up.Case.Version != 2 || len(up.Events) != 1 || up.Events[0].ID == 0 || mustCase(t, s, c.Ref).Version != 2 || len(up.Armed) != 2 {
			t.Fatalf("the note must be stored with the timers: %+v", up)
		}
		ts := caseTimers(t, s, c.Ref)
		if len(ts) != 2 || !ts["resolution/warning-75"].FireAt.Equal(at) || !ts["resolution/breach"].FiredAt.IsZero() {
			t.Fatalf("timers %+v", ts)
		}

		// Fire the warning, then set the timers again.
		rep, err := s.FireTimers(ctx, at, 10, func(*complaint.Case, []store.Timer) ([]*complaint.Event, error) { return nil, nil })
		if err != nil || len(rep.Fired) != 1 || rep.Fired[0].Kind != "warning-75" {
			t.Fatalf("fire: %+v, %v", rep, err)
		}
		sync := func(timers ...store.Timer) []store.Timer {
			t.Helper()
			up, err := s.UpdateCaseTimers(ctx, c.Ref, func(*complaint.Case, []complaint.Event) ([]*complaint.Event, []store.Timer, error) {
				return nil, timers, nil
			})
			if err != nil {
				t.Fatal(err)
			}
			return up.Armed
		}
		later := at.Add(30 * time.Minute)
		armed := sync(timer("", "resolution", "warning-75", "e1", later), timer("", "resolution", "breach", "e1", later.Add(time.Hour)),
			timer("", "first_response", "breach", "f1", later))
		if len(armed) != 2 || armed[0].Kind != "breach" || armed[1].Kind != "breach" {
			t.Errorf("armed %+v: want the moved and the new breach, not the fired warning", armed)
		}
		if armed := sync(timer("", "resolution", "warning-75", "e1", later), timer("", "resolution", "breach", "e1", later.Add(time.Hour)),
			timer("", "first_response", "breach", "f1", later)); len(armed) != 0 {
			t.Errorf("setting the same timers again armed %+v", armed)
		}
		ts = caseTimers(t, s, c.Ref)
		if w := ts["resolution/warning-75"]; w.FiredAt.IsZero() || !w.FireAt.Equal(at) {
			t.Errorf("a fired timer set again with its epoch must stay fired and unmoved: %+v", w)
		}
		if b := ts["resolution/breach"]; !b.FireAt.Equal(later.Add(time.Hour)) || !b.FiredAt.IsZero() {
			t.Errorf("a pending timer must move: %+v", b)
		}
		if len(ts) != 3 {
			t.Errorf("the new timer must be added: %+v", ts)
		}

		sync(timer("", "resolution", "breach", "e1", later.Add(time.Hour)))
		ts = caseTimers(t, s, c.Ref)
		if _, ok := ts["first_response/breach"]; ok || len(ts) != 2 {
			t.Errorf("pending timers left out must go, fired ones stay: %+v", ts)
		}

		sync(timer("", "resolution", "warning-75", "e2", later), timer("", "resolution", "breach", "e2", later.Add(time.Hour)))
		if w := caseTimers(t, s, c.Ref)["resolution/warning-75"]; !w.FiredAt.IsZero() || !w.FireAt.Equal(later) || w.Epoch != "e2" || w.Attempts != 0 {
			t.Errorf("another epoch must re-arm a fired timer: %+v", w)
		}
		if at, ok, err := s.NextTimer(ctx); err != nil || !ok || !at.Equal(later) {
			t.Errorf("NextTimer = %v, %v, %v; want %v", at, ok, err, later)
		}

		boom := errors.New("boom")
		_, err = s.UpdateCaseTimers(ctx, c.Ref, func(c *complaint.Case, _ []complaint.Event) ([]*complaint.Event, []store.Timer, error) {
			return nil, nil, boom
		})
		if !errors.Is(err, boom) || len(caseTimers(t, s, c.Ref)) != 2 {
			t.Errorf("a failing fn must change nothing: %v", err)
		}
		_, err = s.UpdateCaseTimers(ctx, c.Ref, func(*complaint.Case, []complaint.Event) ([]*complaint.Event, []store.Timer, error) {
			return nil, []store.Timer{timer("", "x", "breach", "1", at), timer("", "x", "breach", "1", at)}, nil
		})
		if err == nil {
			t.Error("a timer given twice must be refused")
		}
		_, err = s.UpdateCaseTimers(ctx, "CP-2026-NOSUCH00", func(*complaint.Case, []complaint.Event) ([]*complaint.Event, []store.Timer, error) {
			return nil, nil, nil
		})
		if !errors.Is(err, complaint.ErrNotFound) {
			t.Errorf("unknown case: %v", err)
		}
	})
}

func TestFireTimers(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		a := create(t, s, newDraft(), t0)
		b := create(t, s, newDraft(), t0)
		err := s.ScheduleTimers(ctx, []store.Timer{
			timer(b.Ref, "resolution", "breach", "1", t0.Add(2*time.Minute)),
			timer(a.Ref, "resolution", "warning-75", "1", t0.Add(3*time.Minute)),
			timer(a.Ref, "first_response", "breach", "1", t0.Add(time.Minute)),
			timer(a.Ref, "resolution", "breach", "1", t0.Add(time.Hour)),
		})
		if err != nil {
			t.Fatal(err)
		}
		if next, ok, err := s.NextTimer(ctx); err != nil || !ok || !next.Equal(t0.Add(time.Minute)) {
			t.Fatalf("NextTimer = %v %v %v", next, ok, err)
		}
		var calls []string
		now := t0.Add(5 * time.Minute)
		rep, err := s.FireTimers(ctx, now, 10, func(c *complaint.Case, due []store.Timer) ([]*complaint.Event, error) {
			var kinds []string
			for _, tm := range due {
				kinds = append(kinds, tm.Clock+"/"+tm.Kind)
			}
			calls = append(calls, c.Ref+" "+strings.Join(kinds, ","))
			return noteEach(now)(c, due)
		})
		if err != nil || len(rep.Fired) != 3 || rep.Busy != 0 || len(rep.Failed) != 0 {
			t.Fatalf("FireTimers: %+v, %v", rep, err)
		}
		first, second := a.Ref, b.Ref
		wantA, wantB := a.Ref+" first_response/breach,resolution/warning-75", b.Ref+" resolution/breach"
		if first > second {
			wantA, wantB = wantB, wantA
		}
		if len(calls) != 2 || calls[0] != wantA || calls[1] != wantB {
			t.Errorf("fire calls %q: want one per case, in reference order, timers in firing order", calls)
		}
		for _, tm := range rep.Fired {
			if !tm.FiredAt.Equal(now) || tm.Attempts != 1 {
				t.Errorf("fired timer %+v", tm)
			}
		}
		notes := firedNotes(t, s, []*complaint.Case{a, b})
		if len(notes) != 3 {
			t.Errorf("the effects must be stored with the firing: %v", notes)
		}
		if rep, err := s.FireTimers(ctx, now, 10, noteEach(now)); err != nil || len(rep.Fired) != 0 {
			t.Errorf("fired timers came back: %+v %v", rep, err)
		}
		if next, ok, _ := s.NextTimer(ctx); !ok || !next.Equal(t0.Add(time.Hour)) {
			t.Errorf("NextTimer after firing = %v", next)
		}

		// A failing fire function fires nothing and puts the timer off.
		now = t0.Add(2 * time.Hour)
		rep, err = s.FireTimers(ctx, now, 10, func(c *complaint.Case, due []store.Timer) ([]*complaint.Event, error) {
			if _, err := c.Note("half done", system, now); err != nil {
				return nil, err
			}
			return nil, errors.New("calendar missing")
		})
		if err != nil || len(rep.Failed) != 1 || rep.Failed[0].LastError != "calendar missing" || len(rep.Fired) != 0 {
			t.Fatalf("failing fire: %+v %v", rep, err)
		}
		tm := caseTimers(t, s, a.Ref)["resolution/breach"]
		if !tm.FiredAt.IsZero() || tm.Attempts != 1 || tm.LastError != "calendar missing" || !tm.FireAt.Equal(now.Add(30*time.Second)) {
			t.Errorf("failed timer %+v", tm)
		}
		if got := mustCase(t, s, a.Ref); got.Version != a.Version+2 {
			t.Errorf("a failed firing must store nothing of the case: version %d", got.Version)
		}
	})
}

// TestFireTimersSurvivesACrashMidBatch panics in the middle of a batch, as
// a node dying would end it: nothing of the batch may have happened, and
// the next round fires every timer once.
func TestFireTimersSurvivesACrashMidBatch(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		cases, timers := seedTimers(t, s, 6, 10, t0)
		calls := 0
		func() {
			defer func() {
				if recover() == nil {
					t.Fatal("the fire function's panic was swallowed")
				}
			}()
			s.FireTimers(ctx, t0, 100, func(c *complaint.Case, due []store.Timer) ([]*complaint.Event, error) {
				if calls++; calls == 3 {
					panic("node dies")
				}
				return noteEach(t0)(c, due)
			})
		}()
		if n := len(firedNotes(t, s, cases)); n != 0 {
			t.Fatalf("%d timers' effects stored by a batch that died", n)
		}
		if next, ok, _ := s.NextTimer(ctx); !ok || next.After(t0) {
			t.Fatalf("the timers must still be pending: %v %v", next, ok)
		}
		rep, err := s.FireTimers(ctx, t0, 100, noteEach(t0))
		if err != nil || len(rep.Fired) != timers {
			t.Fatalf("second round: %d fired, %v", len(rep.Fired), err)
		}
		checkOnce(t, firedNotes(t, s, cases), timers)
	})
}

// seedTimers creates n cases with per timers each, all due at at.
func seedTimers(t testing.TB, s *store.Store, n, per int, at time.Time) ([]*complaint.Case, int) {
	t.Helper()
	var cases []*complaint.Case
	var timers []store.Timer
	for i := range n {
		c := create(t, s, newDraft(), t0)
		cases = append(cases, c)
		for j := range per {
			timers = append(timers, timer(c.Ref, fmt.Sprintf("clock-%d", j), "breach", "1", at.Add(-time.Duration(i*per+j)*time.Millisecond)))
		}
	}
	if err := s.ScheduleTimers(ctx, timers); err != nil {
		t.Fatal(err)
	}
	return cases, len(timers)
}

func checkOnce(t *testing.T, notes map[int64]int, want int) {
	t.Helper()
	if len(notes) != want {
		t.Errorf("%d timers fired, want %d", len(notes), want)
	}
	for id, n := range notes {
		if n != 1 {
			t.Errorf("timer %d fired %d times", id, n)
		}
	}
}

// TestFireTimersTwoStores runs two stores (two nodes) on one database
// against the same timers: each timer's effect is stored exactly once.
// The scheduler's own two-node test with 10,000 timers is in internal/sla.
func TestFireTimersTwoStores(t *testing.T) {
	t.Parallel()
	for _, backend := range storetest.Backends {
		t.Run(backend, func(t *testing.T) {
			url := storetest.URL(t, backend)
			var nodes []*store.Store
			for range 2 {
				s, err := store.Open(ctx, url)
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { s.Close() })
				nodes = append(nodes, s)
			}
			cases, timers := seedTimers(t, nodes[0], 20, 25, t0)
			var wg sync.WaitGroup
			for _, s := range nodes {
				wg.Go(func() {
					for {
						rep, err := s.FireTimers(context.Background(), t0, 25, noteEach(t0))
						if err != nil {
							t.Error(err)
							return
						}
						if len(rep.Fired) == 0 && rep.Busy == 0 {
							return
						}
					}
				})
			}
			wg.Wait()
			checkOnce(t, firedNotes(t, nodes[0], cases), timers)
		})
	}
}

// TestFireTimersSkipsABusyCase holds a case locked (as a concurrent change
// does) and checks that a scheduler skips its timers rather than wait.
func TestFireTimersSkipsABusyCase(t *testing.T) {
	t.Parallel()
	s := storetest.Open(t, "postgres")
	c := create(t, s, newDraft(), t0)
	other := create(t, s, newDraft(), t0)
	if err := s.ScheduleTimers(ctx, []store.Timer{timer(c.Ref, "r", "breach", "1", t0), timer(other.Ref, "r", "breach", "1", t0)}); err != nil {
		t.Fatal(err)
	}
	locked, release := make(chan struct{}), make(chan struct{})
	done := make(chan error)
	go func() {
		_, err := s.UpdateCaseTimers(ctx, c.Ref, func(*complaint.Case, []complaint.Event) ([]*complaint.Event, []store.Timer, error) {
			close(locked)
			<-release
			return nil, []store.Timer{timer(c.Ref, "r", "breach", "1", t0)}, nil
		})
		done <- err
	}()
	<-locked
	rep, err := s.FireTimers(ctx, t0, 10, noteEach(t0))
	close(release)
	if err != nil || rep.Busy != 1 || len(rep.Fired) != 1 || rep.Fired[0].CaseRef != other.Ref {
		t.Fatalf("with %s locked: %+v, %v", c.Ref, rep, err)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if rep, err := s.FireTimers(ctx, t0, 10, noteEach(t0)); err != nil || len(rep.Fired) != 1 {
		t.Fatalf("after the lock: %+v, %v", rep, err)
	}
}
