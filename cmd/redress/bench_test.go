package main

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/redress-project/redress/internal/bench"
)

func TestBenchIntakeInProcess(t *testing.T) {
	var stdout, stderr demoOutput
	code := runCLI(context.Background(), demoCLIEnv(&stdout, &stderr), []string{"bench", "intake", "--n", "30", "--concurrency", "4", "--json"})
	if code != 0 {
		t.Fatalf("exit %d\nstderr: %s", code, stderr.String())
	}
	var got struct {
		N, Requests, Succeeded, Errors int
		Database                       string
		Throughput                     float64                              `json:"throughput_per_second"`
		Latency                        struct{ P50, P95, P99, Max float64 } `json:"latency_ms"`
	}
	if err := json.Unmarshal([]byte(stdout.String()), &got); err != nil {
		t.Fatalf("--json output is not one JSON object: %v\n%s", err, stdout.String())
	}
	if got.N != 30 || got.Requests != 30 || got.Succeeded != 30 || got.Errors != 0 || got.Database != "sqlite" || got.Throughput <= 0 {
		t.Errorf("report = %+v", got)
	}
	l := got.Latency
	if !(0 < l.P50 && l.P50 <= l.P95 && l.P95 <= l.P99 && l.P99 <= l.Max) {
		t.Errorf("latency quantiles out of order: %+v", l)
	}
}

func TestBenchIntakeAgainstURLPrintsATable(t *testing.T) {
	local, err := bench.StartLocal(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	defer local.Close()
	var stdout, stderr demoOutput
	args := []string{"bench", "intake", "--n", "20", "--concurrency", "2", "--url", local.URL, "--token", local.Token}
	if code := runCLI(context.Background(), demoCLIEnv(&stdout, &stderr), args); code != 0 {
		t.Fatalf("exit %d\nstderr: %s", code, stderr.String())
	}
	out := stdout.String()
	for _, want := range []string{"succeeded    20", "errors       0", "complaints/s", "p50", "p99", "(external)"} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
}

func TestBenchIntakeFailsOnErrors(t *testing.T) {
	local, err := bench.StartLocal(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	defer local.Close()
	var stdout, stderr demoOutput
	args := []string{"bench", "intake", "--n", "5", "--url", local.URL, "--token", "wrong"}
	if code := runCLI(context.Background(), demoCLIEnv(&stdout, &stderr), args); code != 1 {
		t.Fatalf("exit %d with a wrong token, want 1\nstdout: %s", code, stdout.String())
	}
	if !strings.Contains(stdout.String(), "401×5") {
		t.Errorf("errors by status missing from the table:\n%s", stdout.String())
	}
}

func TestBenchIntakeBadFlags(t *testing.T) {
	for _, args := range [][]string{
		{"--n", "0"},
		{"--n", "-5"},
		{"--concurrency", "0"},
		{"--n", "ten"},
		{"--bogus"},
		{"--url", "http://127.0.0.1:1"}, // no token
		{"--token", "abc"},              // token without url
		{"--url", "http://10.1.2.3:8080", "--token", "abc"},   // not loopback
		{"--url", "http://192.168.0.10:80", "--token", "abc"}, // not loopback
		{"--url", "http://127.0.0.1:1", "--token", "abc", "--database", "x.db"},
		{"--timeout", "-1s"},
		{"extra"},
	} {
		var stdout, stderr demoOutput
		full := append([]string{"bench", "intake"}, args...)
		if code := runCLI(context.Background(), demoCLIEnv(&stdout, &stderr), full); code != 2 {
			t.Errorf("redress %s exited %d, want 2 (stderr %q)", strings.Join(full, " "), code, stderr.String())
		}
	}
	var stdout, stderr demoOutput
	runCLI(context.Background(), demoCLIEnv(&stdout, &stderr), []string{"bench", "intake", "--url", "http://10.1.2.3:8080", "--token", "t"})
	if !strings.Contains(stderr.String(), "loopback") {
		t.Errorf("refusal does not say why: %q", stderr.String())
	}
}
