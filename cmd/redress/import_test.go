package main

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/redress-project/redress/internal/intake"
	"github.com/redress-project/redress/internal/store"
)

func intakeFixture(name string) string {
	return filepath.Join("..", "..", "internal", "intake", "testdata", name)
}

func runImportCLI(t *testing.T, ctx context.Context, db string, args ...string) authRunResult {
	t.Helper()
	var stdout, stderr bytes.Buffer
	env := &cliEnv{stdin: strings.NewReader(""), stdout: &stdout, stderr: &stderr,
		getenv: func(k string) string {
			if k == "REDRESS_DATABASE_URL" {
				return db
			}
			return ""
		}}
	code := runCLI(ctx, env, args)
	return authRunResult{code, stdout.String(), stderr.String()}
}

func countCases(t *testing.T, db string) int {
	t.Helper()
	st, err := store.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	page, err := st.ListCases(context.Background(), store.CaseFilter{Limit: store.MaxLimit})
	if err != nil {
		t.Fatal(err)
	}
	return len(page.Cases)
}

func TestImportCommands(t *testing.T) {
	ctx := context.Background()
	db := filepath.Join(t.TempDir(), "redress.db")

	res := runImportCLI(t, ctx, db, "import", "ledger", intakeFixture("ledger.csv"), "--quiet", intakeFixture("ledger.json"))
	if res.code != 0 || !strings.Contains(res.stdout, "ledger.csv: 4 record(s): 4 stored, 0 already imported, 0 failed") ||
		!strings.Contains(res.stdout, "total of 2 files: 6 record(s): 6 stored") {
		t.Fatalf("import ledger: %+v", res)
	}
	res = runImportCLI(t, ctx, db, "import", "eml", intakeFixture("email_gb2312.eml"), intakeFixture("email_multipart.eml"), intakeFixture("email_big5_html.eml"))
	if res.code != 0 || !strings.Contains(res.stdout, "total of 3 files: 3 record(s): 3 new case(s), 0 repeat(s), 0 already imported, 0 failed") {
		t.Fatalf("import eml: %+v", res)
	}
	res = runImportCLI(t, ctx, db, "import", "hotline", intakeFixture("hotline.json"))
	if res.code != 0 || !strings.Contains(res.stdout, "hotline.json: 2 record(s): 1 new case(s), 1 repeat(s), 0 already imported, 0 failed") {
		t.Fatalf("import hotline: %+v", res)
	}
	for _, args := range [][]string{
		{"hotline", intakeFixture("hotline_gbk.csv")},
		{"chat", intakeFixture("chat.jsonl"), intakeFixture("chat.csv")},
		{"social", intakeFixture("social.json")},
		{"referrals", intakeFixture("referrals.csv"), intakeFixture("referrals.json")},
	} {
		if res := runImportCLI(t, ctx, db, append([]string{"import"}, args...)...); res.code != 0 || !strings.Contains(res.stdout, "0 failed") {
			t.Fatalf("import %v: %+v", args, res)
		}
	}
	n := countCases(t, db)
	// Everything again: nothing new.
	res = runImportCLI(t, ctx, db, "import", "hotline", intakeFixture("hotline.json"), intakeFixture("hotline_gbk.csv"))
	if res.code != 0 || !strings.Contains(res.stdout, "total of 2 files: 4 record(s): 0 new case(s), 0 repeat(s), 4 already imported, 0 failed") {
		t.Errorf("re-import: %+v", res)
	}
	res = runImportCLI(t, ctx, db, "import", "eml", intakeFixture("email_gb2312.eml"))
	if res.code != 0 || !strings.Contains(res.stdout, "1 already imported") {
		t.Errorf("re-import eml: %+v", res)
	}
	if got := countCases(t, db); got != n {
		t.Errorf("%d cases after re-importing, was %d", got, n)
	}
}

func TestImportReportsBadRows(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db := filepath.Join(dir, "redress.db")
	path := filepath.Join(dir, "calls.txt")
	os.WriteFile(path, []byte("call_id,started_at,caller_phone,summary\nHL-1,2026-03-06 14:00:00,13800000001,好\nHL-2,never,13800000002,坏\n"), 0o644)

	res := runImportCLI(t, ctx, db, "import", "hotline", path)
	if res.code != 2 || !strings.Contains(res.stderr, "cannot tell the format") {
		t.Errorf("unknown extension: %+v", res)
	}
	res = runImportCLI(t, ctx, db, "import", "hotline", "--format", "csv", path)
	if res.code != 1 || !strings.Contains(res.stderr, path+`:3: started_at: "never" is not a time`) ||
		!strings.Contains(res.stdout, "2 record(s): 1 new case(s), 0 repeat(s), 0 already imported, 1 failed") ||
		!strings.Contains(res.stderr, "1 record(s) could not be imported") {
		t.Errorf("bad row: %+v", res)
	}
	for _, args := range [][]string{
		{"import", "hotline"},
		{"import", "hotline", "--format", "xml", path},
		{"import", "chat", "--repeat-window", "soon", path},
		{"import", "chat", "--min-similarity", "2", "--format", "csv", path},
	} {
		if res := runImportCLI(t, ctx, db, args...); res.code != 2 {
			t.Errorf("%v: %+v, want a usage error", args, res)
		}
	}
	if res := runImportCLI(t, ctx, db, "import", "social", "--repeat-window", "7d", "--format", "json", filepath.Join(dir, "missing.json")); res.code != 1 ||
		!strings.Contains(res.stderr, "no such file") {
		t.Errorf("missing file: %+v", res)
	}
	if res := runImportCLI(t, ctx, db, "import", "hotline", "-h"); res.code != 0 || !strings.Contains(res.stderr, "docs/intake.md") {
		t.Errorf("help: %+v", res)
	}
}

func TestImportInterruptedThenResumed(t *testing.T) {
	db := filepath.Join(t.TempDir(), "redress.db")
	cancelled, cancel := context.WithCancel(context.Background())
	defer func() { progressHook = func(intake.Progress) {} }()
	progressHook = func(p intake.Progress) {
		if p.Records == 1 {
			cancel() // as Ctrl-C would, after the first record
		}
	}
	res := runImportCLI(t, cancelled, db, "import", "hotline", intakeFixture("hotline.json"))
	if res.code != 1 || !strings.Contains(res.stderr, "interrupted") || !strings.Contains(res.stderr, "run the same command again") {
		t.Fatalf("interrupted: %+v", res)
	}
	if n := countCases(t, db); n != 1 {
		t.Fatalf("%d cases after the interruption, want 1", n)
	}
	progressHook = func(intake.Progress) {}
	res = runImportCLI(t, context.Background(), db, "import", "hotline", intakeFixture("hotline.json"))
	if res.code != 0 || !strings.Contains(res.stdout, "1 new case(s), 0 repeat(s), 1 already imported") || countCases(t, db) != 2 {
		t.Errorf("resumed: %+v", res)
	}
}

func TestProgressBar(t *testing.T) {
	var buf bytes.Buffer
	now := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	saved := isTerminal
	defer func() { isTerminal = saved }()
	isTerminal = func(io.Writer) bool { return true }
	b := newProgressBar(&buf, "import hotline", true)
	b.now, b.last = func() time.Time { return now }, now
	b.update("calls.csv", 50, 100, 10, 1) // too soon after starting: not drawn
	now = now.Add(time.Second)
	b.update("calls.csv", 50, 100, 10, 1)
	b.finish()
	if !regexp.MustCompile(`\rimport hotline calls\.csv \[=+> +\]  50%  10 records  1 failed`).MatchString(buf.String()) || !strings.HasSuffix(buf.String(), "\r\x1b[K") {
		t.Errorf("terminal bar %q", buf.String())
	}

	buf.Reset()
	isTerminal = func(io.Writer) bool { return false }
	b = newProgressBar(&buf, "import hotline", true)
	b.now, b.last = func() time.Time { return now }, now
	b.update("calls.csv", 10, 100, 1, 0)
	now = now.Add(6 * time.Second)
	b.update("calls.csv", 30, 100, 3, 0)
	now = now.Add(time.Second)
	b.update("calls.csv", 40, 100, 4, 0)
	if buf.String() != "redress import hotline: calls.csv: 30%, 3 records, 0 failed\n" {
		t.Errorf("log lines %q", buf.String())
	}
}
