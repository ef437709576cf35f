package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func runSLA(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	env := &cliEnv{stdin: strings.NewReader(""), stdout: &stdout, stderr: &stderr, getenv: func(string) string { return "" }}
	code := runCLI(context.Background(), env, append([]string{"sla"}, args...))
	return code, stdout.String(), stderr.String()
}

func TestSLACheck(t *testing.T) {
	code, out, errOut := runSLA(t, "check", "--filed", "2026-09-30T10:00:00+08:00")
	if code != 0 || errOut != "" {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	for _, want := range []string{
		"built-in policies: OK, 6 rules, calendar cn",
		"6.  standard ",
		`gets rule "standard"`,
		"resolution      15ld  due 2026-10-16T00:00:00+08:00  warning-75 2026-10-14T09:15:00+08:00  warning-90 2026-10-15T10:54:00+08:00",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}

	dir := t.TempDir()
	good := filepath.Join(dir, "sla.json")
	os.WriteFile(good, []byte(`{"rules": [{"name": "vip", "match": {"tier": ["vip"]}, "clocks": {"first_response": {"spec": "2h"}}},
		{"name": "all", "calendar": "none", "clocks": {"first_response": {"spec": "8bh"}}}]}`), 0o600)
	code, out, _ = runSLA(t, "check", "--policy", good, "--filed", "2026-01-01T00:00:00Z", "--tier", "vip")
	if code != 0 || !strings.Contains(out, good+": OK, 2 rules") || !strings.Contains(out, "first_response  2h  due 2026-01-01T10:00:00+08:00  warning-75 2026-01-01T09:30:00+08:00") {
		t.Errorf("exit %d:\n%s", code, out)
	}

	bad := filepath.Join(dir, "bad.json")
	os.WriteFile(bad, []byte(`{"rules": [{"name": "all", "clocks": {"resolution": {"spec": "15 days"}}}]}`), 0o600)
	if code, _, errOut := runSLA(t, "check", "--policy", bad); code != 1 || !strings.Contains(errOut, "invalid SLA policy") {
		t.Errorf("a bad file: exit %d, stderr %q", code, errOut)
	}
	if code, _, errOut := runSLA(t, "check", "--policy", filepath.Join(dir, "none.json")); code != 2 || errOut == "" {
		t.Errorf("a missing file: exit %d, stderr %q", code, errOut)
	}
	if code, _, _ := runSLA(t, "check", "--filed", "yesterday"); code != 2 {
		t.Errorf("a bad --filed: exit %d", code)
	}
	if code, _, _ := runSLA(t, "check", "--filed", "2026-01-01T00:00:00Z", "--channel", "fax"); code != 2 {
		t.Errorf("a bad --channel: exit %d", code)
	}
}

func TestSLADefaults(t *testing.T) {
	code, out, _ := runSLA(t, "defaults")
	var v map[string]any
	if code != 0 || json.Unmarshal([]byte(out), &v) != nil || v["rules"] == nil {
		t.Fatalf("exit %d, output %q", code, out)
	}
	path := filepath.Join(t.TempDir(), "sla.json")
	os.WriteFile(path, []byte(out), 0o600)
	if code, _, errOut := runSLA(t, "check", "--policy", path); code != 0 {
		t.Errorf("the printed defaults must check: %s", errOut)
	}
}
