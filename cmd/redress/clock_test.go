package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// runClock runs "redress clock due ARGS" and returns the exit code, stdout
// and stderr.
func runClock(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	env := &cliEnv{stdin: strings.NewReader(""), stdout: &stdout, stderr: &stderr, getenv: func(string) string { return "" }}
	code := runCLI(context.Background(), env, append([]string{"clock", "due"}, args...))
	return code, stdout.String(), stderr.String()
}

func TestClockDue(t *testing.T) {
	dir := t.TempDir()
	london := filepath.Join(dir, "london.cal")
	src := "zone Europe/London\nyears 2025\nhours mon-fri 09:00-17:30\nholiday 2025-12-25..2025-12-26\n"
	if err := os.WriteFile(london, []byte(src), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		args []string
		want string
	}{
		// Oct 1-8 holidays; Oct 9 (1), Oct 10 (2), Sat Oct 11 make-up (3).
		{"bd over National Day", []string{"--from", "2025-09-30T10:00:00+08:00", "--add", "3bd"}, "2025-10-11T18:00:00+08:00"},
		// cn is the default calendar; Sep 30 10-18 = 8 h, Oct 9 09:00 + 8 h = 17:00.
		{"default calendar", []string{"--from", "2025-09-30T10:00:00+08:00", "--add", "16bh"}, "2025-10-09T17:00:00+08:00"},
		// Oct 4 is a holiday; 24:00 Oct 9 is printed as 00:00 Oct 10.
		{"ld prints 24:00 as 00:00", []string{"--from", "2025-10-03T10:00:00+08:00", "--add", "1ld", "--calendar", "cn"}, "2025-10-10T00:00:00+08:00"},
		// 02:30 on Mar 9 does not exist in New York; moved 1 h later.
		{"d across DST", []string{"--calendar", "none", "--tz", "America/New_York", "--from", "2025-03-08T02:30:00-05:00", "--add", "1d"}, "2025-03-09T03:30:00-04:00"},
		// The input offset does not matter; output is in --tz: 02:00Z = 10:00 +08:00.
		{"tz sets output zone", []string{"--calendar", "none", "--tz", "Asia/Shanghai", "--from", "2025-10-01T02:00:00Z", "--add", "2h"}, "2025-10-01T12:00:00+08:00"},
		// Lunch hours: 11-12 = 1 h, 13:30 + 3 h = 16:30.
		{"hours override", []string{"--from", "2025-09-29T11:00:00+08:00", "--add", "4bh", "--hours", "09:00-12:00,13:30-18:00"}, "2025-09-29T16:30:00+08:00"},
		// Overlapping pauses 11:00-12:00 and 11:30-12:30: 10-11, then 12:30 + 3 h.
		{"repeated pauses", []string{"--from", "2025-10-01T10:00:00+08:00", "--add", "4h",
			"--pause", "2025-10-01T11:00:00+08:00/2025-10-01T12:00:00+08:00",
			"--pause", "2025-10-01T11:30:00+08:00/2025-10-01T12:30:00+08:00"}, "2025-10-01T15:30:00+08:00"},
		// File calendar: Wed Dec 24 17:00-17:30 = 0.5 h; Dec 25-26 holidays;
		// Sat, Sun off; Mon Dec 29 09:00 + 1.5 h = 10:30 GMT.
		{"file calendar", []string{"--calendar", london, "--from", "2025-12-24T17:00:00Z", "--add", "2bh"}, "2025-12-29T10:30:00Z"},
		{"fractional seconds kept", []string{"--calendar", "none", "--from", "2025-10-01T10:00:00.25Z", "--add", "1m"}, "2025-10-01T10:01:00.25Z"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := runClock(t, tc.args...)
			if code != 0 || out != tc.want+"\n" || errOut != "" {
				t.Errorf("exit %d, stdout %q, stderr %q; want %s", code, out, errOut, tc.want)
			}
		})
	}
}

func TestClockDueErrors(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.cal")
	if err := os.WriteFile(bad, []byte("zone UTC\nhours mon-fri 9-5\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	from := "2025-09-30T10:00:00+08:00"
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"missing add", []string{"--from", from}, 2, "--from and --add are required"},
		{"missing from", []string{"--add", "3bd"}, 2, "--from and --add are required"},
		{"unknown unit", []string{"--from", from, "--add", "3x"}, 2, `unknown unit "x"`},
		{"zero", []string{"--from", from, "--add", "0h"}, 2, "N must be positive"},
		{"missing unit", []string{"--from", from, "--add", "12"}, 2, "missing unit"},
		{"too large", []string{"--from", from, "--add", "9999999bd"}, 2, "too large"},
		{"unknown calendar", []string{"--from", from, "--add", "3bd", "--calendar", "mars"}, 2, `unknown calendar "mars"`},
		{"bad calendar file", []string{"--from", from, "--add", "3bd", "--calendar", bad}, 1, "line 2"},
		{"before coverage", []string{"--from", "2024-12-30T10:00:00+08:00", "--add", "3bd"}, 1, `calendar "cn" covers 2025-2026, not 2024-12-31`},
		{"after coverage", []string{"--from", "2026-12-31T10:00:00+08:00", "--add", "1ld"}, 1, `calendar "cn" covers 2025-2026, not 2027-01-01`},
		{"bad from", []string{"--from", "2025-09-30 10:00", "--add", "3bd"}, 2, "--from: \"2025-09-30 10:00\" is not an RFC 3339 time"},
		{"from without offset", []string{"--from", "2025-09-30T10:00:00", "--add", "3bd"}, 2, "not an RFC 3339 time"},
		{"bad tz", []string{"--from", from, "--add", "3bd", "--tz", "Mars/Olympus"}, 2, `unknown time zone "Mars/Olympus"`},
		{"bad hours", []string{"--from", from, "--add", "3bh", "--hours", "18:00-09:00"}, 2, "--hours: invalid working hours"},
		{"backward pause", []string{"--from", from, "--add", "3h", "--pause", "2025-09-30T12:00:00+08:00/2025-09-30T11:00:00+08:00"}, 2, "ends before it starts"},
		{"bad pause", []string{"--from", from, "--add", "3h", "--pause", "2025-09-30T12:00:00+08:00"}, 2, "--pause: invalid interval"},
		{"pause with bd", []string{"--from", from, "--add", "3bd", "--pause", "2025-09-30T11:00:00+08:00/2025-09-30T12:00:00+08:00"}, 2, "pauses apply only to m, h and bh"},
		{"stray argument", []string{"--from", from, "--add", "3bd", "extra"}, 2, "unexpected arguments: extra"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := runClock(t, tc.args...)
			if code != tc.code || out != "" || !strings.Contains(errOut, tc.want) {
				t.Errorf("exit %d, stdout %q, stderr %q; want exit %d and %q", code, out, errOut, tc.code, tc.want)
			}
			if n := strings.Count(errOut, "\n"); n != 1 {
				t.Errorf("stderr has %d lines, want one: %q", n, errOut)
			}
		})
	}
}
