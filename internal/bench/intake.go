// Package bench measures redress from the outside, over its real HTTP API.
//
// Intake files complaints with POST /api/v1/complaints from concurrent
// workers and reports throughput and exact latency quantiles. It only ever
// talks to loopback addresses: load is never sent anywhere else.
package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/redress-project/redress/internal/demo"
)

// IntakeOptions configure Intake.
type IntakeOptions struct {
	URL         string        // base URL of a redress server on a loopback address
	Token       string        // API token of a user who may file complaints
	N           int           // how many complaints to file
	Concurrency int           // how many requests are in flight at once
	Timeout     time.Duration // bound on the whole run; default DefaultTimeout
	Seed        int64         // seed of the complaint generator
}

// Limits and defaults of IntakeOptions.
const (
	DefaultTimeout = 5 * time.Minute
	MaxN           = 10_000_000
	MaxConcurrency = 1024
	// distinctDrafts bounds how many different complaints are prepared;
	// longer runs file them again in turn.
	distinctDrafts = 5_000
)

// IntakeResult is what an intake run measured.
type IntakeResult struct {
	N           int `json:"n"`           // requests asked for
	Concurrency int `json:"concurrency"` // concurrent workers
	Requests    int `json:"requests"`    // requests that got an answer or failed
	Succeeded   int `json:"succeeded"`   // answered 201 Created
	Errors      int `json:"errors"`      // every other outcome
	// ErrorsByStatus counts failures by HTTP status code, with
	// "transport" for requests that got no answer.
	ErrorsByStatus map[string]int `json:"errors_by_status"`
	Wall           time.Duration  `json:"-"`
	WallSeconds    float64        `json:"wall_seconds"`
	// Throughput is complaints filed per second of wall time.
	Throughput float64 `json:"throughput_per_second"`
	Latency    Latency `json:"latency_ms"`
	TimedOut   bool    `json:"timed_out"` // the run hit its timeout before N requests
}

// Latency holds exact quantiles of request durations, over every request
// that got an answer or failed.
type Latency struct {
	P50, P95, P99, Max time.Duration
}

// MarshalJSON writes the quantiles in milliseconds.
func (l Latency) MarshalJSON() ([]byte, error) {
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	return json.Marshal(map[string]float64{"p50": ms(l.P50), "p95": ms(l.P95), "p99": ms(l.P99), "max": ms(l.Max)})
}

// Validate checks the options and fills defaults.
func (o *IntakeOptions) Validate() error {
	switch {
	case o.N < 1 || o.N > MaxN:
		return fmt.Errorf("n must be between 1 and %d", MaxN)
	case o.Concurrency < 1 || o.Concurrency > MaxConcurrency:
		return fmt.Errorf("concurrency must be between 1 and %d", MaxConcurrency)
	case o.Timeout < 0:
		return errors.New("timeout must not be negative")
	case o.Token == "":
		return errors.New("an API token is required")
	}
	if o.Timeout == 0 {
		o.Timeout = DefaultTimeout
	}
	return nil
}

// Intake files opts.N complaints at opts.URL over opts.Concurrency workers
// and reports what it measured. It refuses a URL whose host is not a
// loopback address. It first prepares the request bodies (at most 5,000
// different complaints, filed again in turn on longer runs), then sends
// them, stopping at opts.Timeout (or when ctx ends) with the requests done
// so far.
func Intake(ctx context.Context, opts IntakeOptions) (IntakeResult, error) {
	if err := opts.Validate(); err != nil {
		return IntakeResult{}, err
	}
	endpoint, err := CheckLoopback(ctx, opts.URL)
	if err != nil {
		return IntakeResult{}, err
	}
	bodies, err := drafts(ctx, opts.Seed, min(opts.N, distinctDrafts))
	if err != nil {
		return IntakeResult{}, err
	}
	client := loopbackClient(opts.Concurrency)
	defer client.CloseIdleConnections()

	ctx, cancel := context.WithTimeout(ctx, opts.Timeout)
	defer cancel()
	run := &intakeRun{url: endpoint + "/api/v1/complaints", token: opts.Token, client: client, bodies: bodies, n: opts.N}
	start := time.Now()
	var wg sync.WaitGroup
	for range min(opts.Concurrency, opts.N) {
		wg.Go(func() { run.work(ctx) })
	}
	wg.Wait()
	wall := time.Since(start)
	res := run.result(wall)
	res.N, res.Concurrency = opts.N, opts.Concurrency
	res.TimedOut = res.Requests < opts.N
	return res, nil
}

// drafts prepares n different complaints as JSON request bodies, before
// the clock starts, so that writing them costs the server no CPU.
func drafts(ctx context.Context, seed int64, n int) ([][]byte, error) {
	g := demo.NewGenerator(seed, time.Now())
	out := make([][]byte, n)
	for i := range out {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		b, err := json.Marshal(g.Draft(i))
		if err != nil {
			return nil, err
		}
		out[i] = b
	}
	return out, nil
}

// intakeRun is the shared state of the workers of one run.
type intakeRun struct {
	url, token string
	client     *http.Client
	bodies     [][]byte
	n          int
	next       atomic.Int64

	mu        sync.Mutex
	durations []time.Duration
	errors    map[string]int
}

// outcome is how one request ended: an HTTP status, or "transport".
type outcome string

const created outcome = "201"

func (r *intakeRun) work(ctx context.Context) {
	for ctx.Err() == nil {
		i := int(r.next.Add(1) - 1)
		if i >= r.n {
			return
		}
		began := time.Now()
		out := r.file(ctx, r.bodies[i%len(r.bodies)])
		took := time.Since(began)
		if out == "transport" && ctx.Err() != nil {
			return // cut short by the timeout: not a failure of the server
		}
		r.record(out, took)
	}
}

// file sends one complaint and reads the whole answer.
func (r *intakeRun) file(ctx context.Context, body []byte) outcome {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, r.url, bytes.NewReader(body))
	if err != nil {
		return "transport"
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+r.token)
	resp, err := r.client.Do(req)
	if err != nil {
		return "transport"
	}
	defer resp.Body.Close()
	if _, err := io.Copy(io.Discard, resp.Body); err != nil {
		return "transport"
	}
	return outcome(strconv.Itoa(resp.StatusCode))
}

func (r *intakeRun) record(out outcome, took time.Duration) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.durations = append(r.durations, took)
	if out != created {
		if r.errors == nil {
			r.errors = map[string]int{}
		}
		r.errors[string(out)]++
	}
}

func (r *intakeRun) result(wall time.Duration) IntakeResult {
	r.mu.Lock()
	defer r.mu.Unlock()
	res := IntakeResult{Requests: len(r.durations), ErrorsByStatus: map[string]int{}, Wall: wall, WallSeconds: wall.Seconds()}
	for code, n := range r.errors {
		res.ErrorsByStatus[code] = n
		res.Errors += n
	}
	res.Succeeded = res.Requests - res.Errors
	if wall > 0 {
		res.Throughput = float64(res.Succeeded) / wall.Seconds()
	}
	res.Latency = Quantiles(r.durations)
	return res
}

// Quantiles returns the exact p50, p95, p99 and maximum of durations by
// the nearest-rank method: the q-quantile is the smallest duration that at
// least q of the durations do not exceed.
func Quantiles(durations []time.Duration) Latency {
	if len(durations) == 0 {
		return Latency{}
	}
	d := slices.Clone(durations)
	slices.Sort(d)
	// rank returns the quantile q/1000: the element at 1-based rank ⌈q·n/1000⌉,
	// in integers so that no rounding moves it.
	rank := func(q int) time.Duration {
		return d[max((q*len(d)+999)/1000, 1)-1]
	}
	return Latency{P50: rank(500), P95: rank(950), P99: rank(990), Max: d[len(d)-1]}
}
