package sla_test

import (
	"context"
	"database/sql"
	"os"
	"runtime"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/redress-project/redress/internal/complaint"
	"github.com/redress-project/redress/internal/sla"
	"github.com/redress-project/redress/internal/store"
	"github.com/redress-project/redress/internal/store/storetest"
)

func envInt(name string, def int) int {
	if n, err := strconv.Atoi(os.Getenv(name)); err == nil && n > 0 {
		return n
	}
	return def
}

// BenchmarkTimers1M schedules 1,000,000 clocks' timers on PostgreSQL and
// runs two schedulers (two nodes) against them: 990,000 fall due between
// an hour and 30 days ahead, 10,000 during a 10-second window that starts
// once everything is loaded. Each firing records an internal note on its
// case. It reports how late the near timers fired (from their due time to
// the commit of their firing) and the Go heap while firing, which must not
// grow with the number of far-future timers: the schedulers keep none of
// them in memory.
//
//	go test -run '^$' -bench BenchmarkTimers1M -benchtime 1x ./internal/sla/
//
// REDRESS_SLA_BENCH_TIMERS changes the total (for a quick run).
func BenchmarkTimers1M(b *testing.B) {
	total := envInt("REDRESS_SLA_BENCH_TIMERS", 1_000_000)
	const cases, near, window = 1000, 10_000, 10 * time.Second
	u := storetest.URL(b, "postgres")
	nodes := []*store.Store{openNode(b, u, "bench-a"), openNode(b, u, "bench-b")}
	admin, err := sql.Open("pgx", u)
	if err != nil {
		b.Fatal(err)
	}
	defer admin.Close()
	refs := make([]string, cases)
	for i, c := range seed(b, nodes[0], cases, 0) {
		refs[i] = c.Ref
	}

	loadStart := time.Now()
	far := make([]store.Timer, 0, 10_000)
	for i := range total - near {
		fire := loadStart.Add(time.Hour + time.Duration(i)*(30*24*time.Hour/time.Duration(total)))
		far = append(far, store.Timer{CaseRef: refs[i%cases], Clock: "far-" + strconv.Itoa(i), Kind: sla.KindBreach,
			Epoch: "1", Due: fire, FireAt: fire})
		if len(far) == cap(far) || i == total-near-1 {
			if err := nodes[0].ScheduleTimers(context.Background(), far); err != nil {
				b.Fatal(err)
			}
			far = far[:0]
		}
	}
	loaded := time.Since(loadStart)
	if _, err := admin.Exec("ANALYZE timers"); err != nil {
		b.Fatal(err)
	}
	start := time.Now().Add(2 * time.Second)
	soon := make([]store.Timer, near)
	for i := range soon {
		fire := start.Add(time.Duration(i) * window / near)
		soon[i] = store.Timer{CaseRef: refs[i%cases], Clock: "near-" + strconv.Itoa(i), Kind: sla.KindBreach,
			Epoch: "1", Due: fire, FireAt: fire}
	}
	if err := nodes[0].ScheduleTimers(context.Background(), soon); err != nil {
		b.Fatal(err)
	}

	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	heapBefore := ms.HeapInuse
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	var scheds []*sla.Scheduler
	b.ResetTimer()
	for _, st := range nodes {
		s := sla.NewScheduler(st, notePerTimer, sla.Options{Log: quiet})
		scheds = append(scheds, s)
		wg.Go(func() { s.Run(ctx) })
	}
	var heapPeak uint64
	goroutines := 0
	for deadline := start.Add(window + 30*time.Second); time.Now().Before(deadline); {
		time.Sleep(50 * time.Millisecond)
		runtime.ReadMemStats(&ms)
		heapPeak, goroutines = max(heapPeak, ms.HeapInuse), max(goroutines, runtime.NumGoroutine())
		if next, ok, err := nodes[0].NextTimer(ctx); err == nil && ok && next.After(start.Add(window)) {
			break
		}
	}
	cancel()
	wg.Wait()
	b.StopTimer()

	var fired int64
	var late []time.Duration
	for _, s := range scheds {
		st := s.Stats()
		fired += st.Fired
		late = append(late, st.LateP50, st.LateP99, st.LateMax)
		b.Logf("scheduler: %+v", st)
	}
	if fired != near {
		b.Errorf("%d timers fired, want %d", fired, near)
	}
	var tableBytes int64
	admin.QueryRow("SELECT pg_total_relation_size('timers')").Scan(&tableBytes)
	b.ReportMetric(float64(total), "timers")
	b.ReportMetric(float64(total)/loaded.Seconds(), "load-rows/s")
	b.ReportMetric(ms2(max(late[0], late[3])), "p50-late-ms")
	b.ReportMetric(ms2(max(late[1], late[4])), "p99-late-ms")
	b.ReportMetric(ms2(max(late[2], late[5])), "max-late-ms")
	b.ReportMetric(float64(heapBefore)/(1<<20), "heap-before-MB")
	b.ReportMetric(float64(heapPeak)/(1<<20), "heap-peak-MB")
	b.ReportMetric(float64(goroutines), "goroutines")
	b.ReportMetric(float64(tableBytes)/(1<<20), "table-MB")
}

func ms2(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// notePerTimer fires each timer by recording an internal note on its case.
func notePerTimer(now time.Time) store.FireFunc {
	return func(c *complaint.Case, due []store.Timer) ([]*complaint.Event, error) {
		events := make([]*complaint.Event, 0, len(due))
		for _, tm := range due {
			e, err := c.Note("SLA breach: "+tm.Clock, complaint.System, now)
			if err != nil {
				return nil, err
			}
			events = append(events, &e)
		}
		return events, nil
	}
}
