package sla_test

import (
	"context"
	"database/sql"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/redress-project/redress/internal/complaint"
	"github.com/redress-project/redress/internal/sla"
	"github.com/redress-project/redress/internal/store"
	"github.com/redress-project/redress/internal/store/storetest"
)

// openNode opens a store on the database at u as one node of a cluster
// would; on PostgreSQL its connections carry the node's name.
func openNode(t testing.TB, u, name string) *store.Store {
	t.Helper()
	if strings.HasPrefix(u, "postgres") {
		parsed, err := url.Parse(u)
		if err != nil {
			t.Fatal(err)
		}
		q := parsed.Query()
		q.Set("application_name", name)
		parsed.RawQuery = q.Encode()
		u = parsed.String()
	}
	s, err := store.Open(context.Background(), u)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// seed creates cases and timers spread over them, due in the second
// before it returns, earliest first. The
// timers come in runs of five per case, the runs of the cases taking turns,
// so that the batches of two schedulers share cases.
func seed(t testing.TB, st *store.Store, cases, timers int) []*complaint.Case {
	t.Helper()
	var cs []*complaint.Case
	for i := range cases {
		d := complaint.Draft{Customer: complaint.Customer{Name: "客户" + strconv.Itoa(i)}, Channel: complaint.ChannelApp,
			Subject: "重复扣款", Description: "同一笔订单被扣了两次。"}
		d.Normalize()
		c, e, err := complaint.Open(d, complaint.NewRef(time.Now()), complaint.System, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		if err := st.CreateCase(context.Background(), c, &e, nil); err != nil {
			t.Fatal(err)
		}
		cs = append(cs, c)
	}
	const run = 5
	due := time.Now()
	ts := make([]store.Timer, timers)
	for j := range ts {
		fire := due.Add(-time.Duration(timers-j) * 100 * time.Microsecond)
		ts[j] = store.Timer{CaseRef: cs[j/run%cases].Ref, Clock: "clock-" + strconv.Itoa(j), Kind: sla.KindBreach,
			Epoch: "1", Due: fire, FireAt: fire}
	}
	if err := st.ScheduleTimers(context.Background(), ts); err != nil {
		t.Fatal(err)
	}
	return cs
}

// noteFire fires a case's due timers by recording a note naming them, so
// that the effects of every firing can be counted in the cases' histories.
func noteFire(now time.Time) store.FireFunc {
	return func(c *complaint.Case, due []store.Timer) ([]*complaint.Event, error) {
		ids := make([]string, len(due))
		for i, tm := range due {
			ids[i] = strconv.FormatInt(tm.ID, 10)
		}
		e, err := c.Note("fired "+strings.Join(ids, " "), complaint.System, now)
		if err != nil {
			return nil, err
		}
		return []*complaint.Event{&e}, nil
	}
}

// effects counts the "fired N" notes by timer id, and the timers marked fired.
func effects(t testing.TB, st *store.Store, cases []*complaint.Case) (notes map[int64]int, marked int) {
	t.Helper()
	notes = map[int64]int{}
	for _, c := range cases {
		events, err := st.Events(context.Background(), c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if err := complaint.VerifyChain(events); err != nil {
			t.Fatalf("case %s: %v", c.Ref, err)
		}
		for _, e := range events {
			if ids, ok := strings.CutPrefix(e.Body, "fired "); ok {
				for _, id := range strings.Fields(ids) {
					n, _ := strconv.ParseInt(id, 10, 64)
					notes[n]++
				}
			}
		}
		timers, err := st.CaseTimers(context.Background(), c.Ref)
		if err != nil {
			t.Fatal(err)
		}
		for _, tm := range timers {
			if !tm.FiredAt.IsZero() {
				marked++
			}
		}
	}
	return notes, marked
}

func wantExactlyOnce(t *testing.T, notes map[int64]int, marked, want int) {
	t.Helper()
	if len(notes) != want || marked != want {
		t.Errorf("%d timers have an effect and %d are marked fired; want %d of each", len(notes), marked, want)
	}
	twice := 0
	for _, n := range notes {
		if n != 1 {
			twice++
		}
	}
	if twice > 0 {
		t.Errorf("%d timers fired more than once", twice)
	}
}

// waitIdle waits until no timer is pending.
func waitIdle(t *testing.T, st *store.Store, limit time.Duration) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for time.Now().Before(deadline) {
		if _, ok, err := st.NextTimer(context.Background()); err == nil && !ok {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("timers still pending after %s", limit)
}

// TestTwoSchedulersFireEachTimerExactlyOnce runs two scheduler instances,
// each with its own connection pool (two nodes), against one PostgreSQL
// database holding 10,000 due timers.
func TestTwoSchedulersFireEachTimerExactlyOnce(t *testing.T) {
	t.Parallel()
	u := storetest.URL(t, "postgres")
	nodes := []*store.Store{openNode(t, u, "node-a"), openNode(t, u, "node-b")}
	const timers = 10_000
	cases := seed(t, nodes[0], 200, timers)

	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	var scheds []*sla.Scheduler
	for _, st := range nodes {
		s := sla.NewScheduler(st, noteFire, sla.Options{Log: quiet, MaxSleep: 50 * time.Millisecond})
		scheds = append(scheds, s)
		wg.Go(func() { s.Run(ctx) })
	}
	waitIdle(t, nodes[0], time.Minute)
	cancel()
	wg.Wait()

	notes, marked := effects(t, nodes[0], cases)
	wantExactlyOnce(t, notes, marked, timers)
	a, b := scheds[0].Stats(), scheds[1].Stats()
	if a.Fired+b.Fired != timers || a.Fired == 0 || b.Fired == 0 {
		t.Errorf("node a fired %d, node b %d: want both to share %d", a.Fired, b.Fired, timers)
	}
	t.Logf("node a: %+v", a)
	t.Logf("node b: %+v", b)
}

// TestSchedulerNodeKilledMidBatch kills a node in the middle of a batch,
// after it has committed one: by terminating its database connections (a
// crash, a network partition) or by cancelling its context (a shutdown).
// The cut batch must leave no trace, and a node started afterwards (a
// restart: nothing is kept in memory) fires everything else, once.
func TestSchedulerNodeKilledMidBatch(t *testing.T) {
	t.Parallel()
	for _, how := range []string{"connections terminated", "context cancelled"} {
		t.Run(strings.ReplaceAll(how, " ", "_"), func(t *testing.T) {
			t.Parallel()
			u := storetest.URL(t, "postgres")
			name := "node-a-" + strconv.FormatInt(time.Now().UnixNano(), 36)
			a := openNode(t, u, name)
			const timers, batch, perBatch = 2000, 100, 20 // runs of 5 timers: every batch fires 20 cases
			cases := seed(t, a, 40, timers)
			admin, err := sql.Open("pgx", u)
			if err != nil {
				t.Fatal(err)
			}
			defer admin.Close()

			ctxA, killA := context.WithCancel(context.Background())
			calls := 0
			fireA := func(now time.Time) store.FireFunc {
				fire := noteFire(now)
				return func(c *complaint.Case, due []store.Timer) ([]*complaint.Event, error) {
					if calls++; calls == perBatch+5 { // the fifth case of the second batch
						if how == "connections terminated" {
							if _, err := admin.Exec("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1", name); err != nil {
								t.Error(err)
							}
						}
						killA()
					}
					return fire(c, due)
				}
			}
			sa := sla.NewScheduler(a, fireA, sla.Options{Log: quiet, Batch: batch})
			if err := sa.Run(ctxA); err != nil {
				t.Fatal(err)
			}
			notes, marked := effects(t, a, cases)
			if len(notes) != batch || marked != batch {
				t.Fatalf("after the kill: %d effects and %d marked, want the first batch's %d", len(notes), marked, batch)
			}

			b := openNode(t, u, "node-b")
			ctxB, stopB := context.WithCancel(context.Background())
			done := make(chan struct{})
			go func() {
				sla.NewScheduler(b, noteFire, sla.Options{Log: quiet, Batch: batch}).Run(ctxB)
				close(done)
			}()
			waitIdle(t, b, time.Minute)
			stopB()
			<-done
			notes, marked = effects(t, b, cases)
			wantExactlyOnce(t, notes, marked, timers)
		})
	}
}

// TestSchedulerSleepsUntilDueAndWakesOnNotify checks that a scheduler
// fires a timer when it is due although it polls rarely, and that Notify
// wakes it for a timer scheduled while it sleeps.
func TestSchedulerSleepsUntilDueAndWakesOnNotify(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		cases := seed(t, st, 1, 0)
		ref := cases[0].Ref
		schedule := func(clock string, in time.Duration) time.Time {
			t.Helper()
			due := time.Now().Add(in)
			err := st.ScheduleTimers(context.Background(), []store.Timer{{CaseRef: ref, Clock: clock, Kind: sla.KindBreach, Epoch: "1", Due: due, FireAt: due}})
			if err != nil {
				t.Fatal(err)
			}
			return due
		}
		// lateness waits for the timer on clock to fire and returns how long
		// after its due time the scheduler claimed it.
		lateness := func(clock string) time.Duration {
			t.Helper()
			deadline := time.Now().Add(10 * time.Second)
			for time.Now().Before(deadline) {
				ts, err := st.CaseTimers(context.Background(), ref)
				if err != nil {
					t.Fatal(err)
				}
				for _, tm := range ts {
					if tm.Clock == clock && !tm.FiredAt.IsZero() {
						return tm.FiredAt.Sub(tm.FireAt)
					}
				}
				time.Sleep(5 * time.Millisecond)
			}
			t.Fatalf("%s did not fire", clock)
			return 0
		}
		s := sla.NewScheduler(st, noteFire, sla.Options{Log: quiet, MaxSleep: time.Minute})
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan struct{})
		due := schedule("first", 400*time.Millisecond)
		go func() { s.Run(ctx); close(done) }()
		stopped := false
		stop := func() {
			if !stopped {
				cancel()
				<-done
				stopped = true
			}
		}
		defer stop()

		// The scheduler polls once a minute at most, so firing in time
		// means it slept until the timer was due.
		if late := lateness("first"); late < 0 || late > time.Second {
			t.Errorf("claimed %s after its due time", late)
		}
		// Now nothing is pending, and the scheduler sleeps for a minute.
		time.Sleep(50 * time.Millisecond)
		due = schedule("second", 300*time.Millisecond)
		s.Notify(due)
		if late := lateness("second"); late < 0 || late > time.Second {
			t.Errorf("a notified timer was claimed %s after its due time", late)
		}
		stop()
		if st := s.Stats(); st.Fired != 2 || st.Rounds < 2 {
			t.Errorf("stats %+v", st)
		}
	})
}
