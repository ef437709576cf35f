package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"os"
	"runtime/pprof"
	"slices"
	"strings"
	"time"

	"github.com/redress-project/redress/internal/bench"
)

func init() {
	register(command{name: "bench intake", summary: "measure complaint intake over the HTTP API", run: runBenchIntake})
}

// intakeReport is what "bench intake --json" prints: the measurements and
// what was measured.
type intakeReport struct {
	bench.IntakeResult
	Target   string `json:"target"`   // the URL driven
	Database string `json:"database"` // sqlite, postgres, or external
}

func runBenchIntake(ctx context.Context, env *cliEnv, args []string) error {
	fs := newFlagSet(env, "bench intake")
	n := fs.Int("n", 1000, "how many complaints to file")
	concurrency := fs.Int("concurrency", 8, "how many requests are in flight at once")
	target := fs.String("url", "", "base `URL` of a running redress server on a loopback address (default: start one in-process)")
	token := fs.String("token", "", "API token for --url")
	database := fs.String("database", "", "database `URL` for the in-process server (default: a fresh temporary SQLite file)")
	timeout := fs.Duration("timeout", bench.DefaultTimeout, "stop after this long, reporting what was done")
	seed := fs.Int64("seed", 1, "seed of the complaint generator")
	asJSON := fs.Bool("json", false, "print one JSON object instead of a table")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of this process (client and in-process server) to `file`")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	opts := bench.IntakeOptions{URL: *target, Token: *token, N: *n, Concurrency: *concurrency, Timeout: *timeout, Seed: *seed}
	if err := checkBenchFlags(ctx, &opts, *database); err != nil {
		return err
	}
	report := intakeReport{Database: "external"}
	if opts.URL == "" {
		local, err := bench.StartLocal(ctx, *database)
		if err != nil {
			return fmt.Errorf("starting the in-process server: %w", err)
		}
		defer local.Close()
		opts.URL, opts.Token, report.Database = local.URL, local.Token, local.Dialect
	}
	report.Target = opts.URL
	res, err := profiledIntake(ctx, opts, *cpuProfile)
	if err != nil {
		return err
	}
	report.IntakeResult = res
	if err := writeIntake(env.stdout, report, *asJSON); err != nil {
		return err
	}
	switch {
	case ctx.Err() != nil:
		return fmt.Errorf("interrupted with %d of %d requests done", res.Requests, res.N)
	case res.TimedOut:
		return fmt.Errorf("timed out after %s with %d of %d requests done", opts.Timeout, res.Requests, res.N)
	case res.Errors > 0:
		return fmt.Errorf("%d of %d requests failed", res.Errors, res.Requests)
	}
	return nil
}

// profiledIntake runs the benchmark, under the CPU profiler when
// profilePath is set.
func profiledIntake(ctx context.Context, opts bench.IntakeOptions, profilePath string) (bench.IntakeResult, error) {
	if profilePath != "" {
		stop, err := startBenchProfile(profilePath)
		if err != nil {
			return bench.IntakeResult{}, err
		}
		defer stop()
	}
	return bench.Intake(ctx, opts)
}

// writeIntake prints the report as a table, or as one JSON object.
func writeIntake(w io.Writer, r intakeReport, asJSON bool) error {
	if asJSON {
		return json.NewEncoder(w).Encode(r)
	}
	printIntake(w, r)
	return nil
}

// checkBenchFlags turns bad flag combinations, and a target that is not
// on loopback, into usage errors.
func checkBenchFlags(ctx context.Context, opts *bench.IntakeOptions, database string) error {
	switch {
	case opts.URL != "" && opts.Token == "":
		return usageErrorf("--url needs --token")
	case opts.URL == "" && opts.Token != "":
		return usageErrorf("--token is only for --url")
	case opts.URL != "" && database != "":
		return usageErrorf("--database is only for the in-process server; leave it out with --url")
	}
	check := *opts
	if check.Token == "" {
		check.Token = "in-process" // issued once the server is up
	}
	if err := check.Validate(); err != nil {
		return usageErrorf("%v", err)
	}
	opts.Timeout = check.Timeout
	if opts.URL != "" {
		if _, err := bench.CheckLoopback(ctx, opts.URL); err != nil {
			return usageErrorf("--url: %v", err)
		}
	}
	return nil
}

func printIntake(w io.Writer, r intakeReport) {
	fmt.Fprintf(w, "redress bench intake: %d complaints, concurrency %d, %s (%s)\n", r.N, r.Concurrency, r.Target, r.Database)
	fmt.Fprintf(w, "  requests     %d\n", r.Requests)
	fmt.Fprintf(w, "  succeeded    %d\n", r.Succeeded)
	fmt.Fprintf(w, "  errors       %d%s\n", r.Errors, benchErrorBreakdown(r.ErrorsByStatus))
	fmt.Fprintf(w, "  wall time    %.3fs\n", r.WallSeconds)
	fmt.Fprintf(w, "  throughput   %.1f complaints/s\n", r.Throughput)
	l := r.Latency
	fmt.Fprintf(w, "  latency      p50 %s  p95 %s  p99 %s  max %s\n", benchMillis(l.P50), benchMillis(l.P95), benchMillis(l.P99), benchMillis(l.Max))
	if r.TimedOut {
		fmt.Fprintln(w, "  (timed out before all requests were sent)")
	}
}

func benchErrorBreakdown(byStatus map[string]int) string {
	if len(byStatus) == 0 {
		return ""
	}
	var parts []string
	for _, code := range slices.Sorted(maps.Keys(byStatus)) {
		parts = append(parts, fmt.Sprintf("%s×%d", code, byStatus[code]))
	}
	return " (" + strings.Join(parts, ", ") + ")"
}

// startBenchProfile profiles the process into path until stop is called.
func startBenchProfile(path string) (stop func(), err error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}, nil
}

func benchMillis(d time.Duration) string {
	return fmt.Sprintf("%.2fms", float64(d.Microseconds())/1000)
}
