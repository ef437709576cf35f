package bench

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"
	"time"

	"github.com/redress-project/redress/internal/store"
)

func startLocal(t *testing.T) *Local {
	t.Helper()
	l, err := StartLocal(context.Background(), "")
	if err != nil {
		t.Fatalf("StartLocal: %v", err)
	}
	t.Cleanup(func() {
		if err := l.Close(); err != nil {
			t.Errorf("closing the local server: %v", err)
		}
	})
	return l
}

func TestIntakeFilesEveryComplaint(t *testing.T) {
	l := startLocal(t)
	const n = 60
	res, err := Intake(context.Background(), IntakeOptions{URL: l.URL, Token: l.Token, N: n, Concurrency: 6, Seed: 3})
	if err != nil {
		t.Fatalf("Intake: %v", err)
	}
	if res.Requests != n || res.Succeeded != n || res.Errors != 0 || res.TimedOut {
		t.Fatalf("result = %+v, want %d successes", res, n)
	}
	checkQuantileOrder(t, res.Latency)
	if res.Throughput <= 0 || res.Wall <= 0 {
		t.Errorf("throughput %v over %v", res.Throughput, res.Wall)
	}
	page, err := l.srv.Store().ListCases(context.Background(), store.CaseFilter{Limit: store.MaxLimit})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Cases) != n {
		t.Errorf("the server holds %d cases, want %d", len(page.Cases), n)
	}
	if l.Dialect != "sqlite" {
		t.Errorf("dialect = %q", l.Dialect)
	}
}

func checkQuantileOrder(t *testing.T, l Latency) {
	t.Helper()
	if !(0 < l.P50 && l.P50 <= l.P95 && l.P95 <= l.P99 && l.P99 <= l.Max) {
		t.Errorf("latency quantiles out of order: %+v", l)
	}
}

func TestIntakeCountsErrorsByStatus(t *testing.T) {
	l := startLocal(t)
	res, err := Intake(context.Background(), IntakeOptions{URL: l.URL, Token: "not-a-token", N: 12, Concurrency: 3})
	if err != nil {
		t.Fatalf("Intake: %v", err)
	}
	if res.Succeeded != 0 || res.Errors != 12 || res.ErrorsByStatus["401"] != 12 {
		t.Fatalf("result = %+v, want 12 errors with status 401", res)
	}
}

func TestIntakeStopsAtTheTimeout(t *testing.T) {
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(20 * time.Millisecond)
		w.WriteHeader(http.StatusCreated)
	}))
	defer slow.Close()
	start := time.Now()
	res, err := Intake(context.Background(), IntakeOptions{URL: slow.URL, Token: "t", N: 400, Concurrency: 2, Timeout: 200 * time.Millisecond})
	if err != nil {
		t.Fatalf("Intake: %v", err)
	}
	if !res.TimedOut || res.Requests == 0 || res.Requests >= 400 || res.Errors != 0 {
		t.Fatalf("result = %+v, want a timed-out run with some successes and no errors", res)
	}
	if took := time.Since(start); took > 5*time.Second {
		t.Errorf("the run took %v despite a 200ms timeout", took)
	}
}

func TestIntakeRefusesWhatItMustNotDo(t *testing.T) {
	ctx := context.Background()
	if _, err := Intake(ctx, IntakeOptions{URL: "http://192.0.2.7:8080", Token: "t", N: 1, Concurrency: 1}); !errors.Is(err, ErrNotLoopback) {
		t.Errorf("non-loopback target: err = %v, want ErrNotLoopback", err)
	}
	for _, o := range []IntakeOptions{
		{URL: "http://127.0.0.1:1", Token: "t", N: 0, Concurrency: 1},
		{URL: "http://127.0.0.1:1", Token: "t", N: 1, Concurrency: 0},
		{URL: "http://127.0.0.1:1", Token: "t", N: MaxN + 1, Concurrency: 1},
		{URL: "http://127.0.0.1:1", Token: "", N: 1, Concurrency: 1},
		{URL: "http://127.0.0.1:1", Token: "t", N: 1, Concurrency: 1, Timeout: -time.Second},
	} {
		if _, err := Intake(ctx, o); err == nil {
			t.Errorf("Intake(%+v) = nil error", o)
		}
	}
}

func TestCheckLoopback(t *testing.T) {
	ctx := context.Background()
	for _, ok := range []string{"http://127.0.0.1:8080", "http://127.9.9.9:1/", "http://[::1]:8080", "http://localhost:8080", "https://127.0.0.1"} {
		if _, err := CheckLoopback(ctx, ok); err != nil {
			t.Errorf("CheckLoopback(%q) = %v, want nil", ok, err)
		}
	}
	for _, bad := range []string{"http://10.0.0.5:8080", "http://192.168.1.1", "http://8.8.8.8", "http://[2001:db8::1]:80",
		"http://0.0.0.0:8080", "http://does-not-exist.invalid", "ftp://127.0.0.1", "127.0.0.1:8080", "http://user:pw@127.0.0.1"} {
		if _, err := CheckLoopback(ctx, bad); err == nil {
			t.Errorf("CheckLoopback(%q) = nil, want a refusal", bad)
		}
	}
	if got, _ := CheckLoopback(ctx, "http://127.0.0.1:80/"); got != "http://127.0.0.1:80" {
		t.Errorf("trailing slash kept: %q", got)
	}
}

func TestQuantilesAreExact(t *testing.T) {
	var d []time.Duration
	for i := 100; i >= 1; i-- {
		d = append(d, time.Duration(i)*time.Millisecond)
	}
	orig := slices.Clone(d)
	got := Quantiles(d)
	want := Latency{P50: 50 * time.Millisecond, P95: 95 * time.Millisecond, P99: 99 * time.Millisecond, Max: 100 * time.Millisecond}
	if got != want {
		t.Errorf("Quantiles(1..100ms) = %+v, want %+v", got, want)
	}
	if !slices.Equal(d, orig) {
		t.Error("Quantiles reordered its input")
	}
	if got := Quantiles([]time.Duration{7}); got != (Latency{7, 7, 7, 7}) {
		t.Errorf("Quantiles of one = %+v", got)
	}
	if got := Quantiles(nil); got != (Latency{}) {
		t.Errorf("Quantiles(nil) = %+v", got)
	}
	// 10 values: p50 is the 5th, p95 and p99 the 10th (nearest rank).
	ten := []time.Duration{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}
	if got := Quantiles(ten); got.P50 != 5 || got.P95 != 10 || got.P99 != 10 {
		t.Errorf("Quantiles(1..10) = %+v", got)
	}
}
