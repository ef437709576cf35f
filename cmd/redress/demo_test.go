package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// demoOutput is an io.Writer that a running command and the test may use
// at once.
type demoOutput struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *demoOutput) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *demoOutput) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func demoCLIEnv(stdout, stderr io.Writer) *cliEnv {
	return &cliEnv{stdin: strings.NewReader(""), stdout: stdout, stderr: stderr, getenv: func(string) string { return "" }}
}

var (
	demoServingLine = regexp.MustCompile(`Serving (http://\S+) until Ctrl-C`)
	demoTokenLine   = regexp.MustCompile(`API token of agent@demo\.redress\.local:\s+(\S+)`)
)

func TestDemoSeedsServesAndShutsDown(t *testing.T) {
	db := filepath.Join(t.TempDir(), "demo.db")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stdout, stderr demoOutput
	exit := make(chan int, 1)
	go func() {
		exit <- runCLI(ctx, demoCLIEnv(&stdout, &stderr), []string{"demo", "--listen", "127.0.0.1:0", "--database", db, "--cases", "40", "--seed", "4"})
	}()

	var url string
	deadline := time.Now().Add(90 * time.Second)
	for url == "" {
		select {
		case code := <-exit:
			t.Fatalf("demo exited early with %d\nstdout:\n%s\nstderr:\n%s", code, stdout.String(), stderr.String())
		case <-time.After(50 * time.Millisecond):
		}
		if m := demoServingLine.FindStringSubmatch(stdout.String()); m != nil {
			url = m[1]
		}
		if time.Now().After(deadline) {
			t.Fatalf("demo did not start serving\nstdout:\n%s\nstderr:\n%s", stdout.String(), stderr.String())
		}
	}
	out := stdout.String()
	for _, want := range []string{"customer@demo.redress.local", "supervisor@demo.redress.local", "merchant@demo.redress.local",
		"admin@demo.redress.local", "auditor@demo.redress.local", "redress-demo-2026", "40 complaints seeded"} {
		if !strings.Contains(out, want) {
			t.Errorf("demo output lacks %q:\n%s", want, out)
		}
	}
	m := demoTokenLine.FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("no agent token in the output:\n%s", out)
	}
	token := m[1]

	if code, _ := demoGet(t, url+"/healthz", ""); code != http.StatusOK {
		t.Fatalf("/healthz = %d", code)
	}
	code, body := demoGet(t, url+"/api/v1/me", token)
	if code != http.StatusOK || !strings.Contains(body, "agent@demo.redress.local") {
		t.Fatalf("/api/v1/me with the printed token = %d %s", code, body)
	}
	code, body = demoGet(t, url+"/api/v1/complaints", token)
	if code != http.StatusOK || !strings.Contains(body, "CP-") {
		t.Fatalf("/api/v1/complaints with the printed token = %d %.300s", code, body)
	}
	var anyJSON map[string]any
	if err := json.Unmarshal([]byte(body), &anyJSON); err != nil {
		t.Errorf("complaint list is not a JSON object: %v", err)
	}

	cancel()
	select {
	case code := <-exit:
		if code != 0 {
			t.Fatalf("demo exited with %d after Ctrl-C\nstderr:\n%s", code, stderr.String())
		}
	case <-time.After(30 * time.Second):
		t.Fatal("demo did not shut down after its context ended")
	}
	if _, err := http.Get(url + "/healthz"); err == nil {
		t.Error("the server still answers after shutdown")
	}
	if err := checkDemoFile(db, true); err != nil {
		t.Errorf("the demo database is not a SQLite file: %v", err)
	}
}

func demoGet(t *testing.T, url, token string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestDemoRefusesToDeleteOtherFiles(t *testing.T) {
	dir := t.TempDir()
	notSQLite := filepath.Join(dir, "notes.db")
	if err := os.WriteFile(notSQLite, []byte("my precious notes"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		args []string
		code int
	}{
		{[]string{"--database", filepath.Join(dir, "keep.txt")}, 2},
		{[]string{"--database", "postgres://localhost/redress.db"}, 2},
		{[]string{"--database", ":memory:"}, 2},
		{[]string{"--database", notSQLite}, 1},
		{[]string{"--database", dir + "/x.db", "--cases", "0"}, 2},
		{[]string{"--database", dir + "/x.db", "extra"}, 2},
	} {
		var stdout, stderr demoOutput
		args := append([]string{"demo", "--listen", "127.0.0.1:0"}, tc.args...)
		if got := runCLI(context.Background(), demoCLIEnv(&stdout, &stderr), args); got != tc.code {
			t.Errorf("redress %v exited %d, want %d (stderr %q)", args, got, tc.code, stderr.String())
		}
	}
	if b, err := os.ReadFile(notSQLite); err != nil || string(b) != "my precious notes" {
		t.Errorf("the non-SQLite .db file was touched: %q, %v", b, err)
	}
}

func TestRemoveDemoDatabaseRemovesWALAndSHM(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "old.db")
	files := map[string][]byte{db: append([]byte("SQLite format 3\x00"), 0, 0), db + "-wal": []byte("wal"), db + "-shm": []byte("shm")}
	for p, b := range files {
		if err := os.WriteFile(p, b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if err := removeDemoDatabase(db); err != nil {
		t.Fatalf("removeDemoDatabase: %v", err)
	}
	for p := range files {
		if _, err := os.Stat(p); !os.IsNotExist(err) {
			t.Errorf("%s still exists", p)
		}
	}
	if err := removeDemoDatabase(db); err != nil {
		t.Errorf("removing a database that is not there: %v", err)
	}
	sub := filepath.Join(dir, "dir.db")
	if err := os.Mkdir(sub, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := removeDemoDatabase(sub); err == nil {
		t.Error("removeDemoDatabase accepted a directory")
	}
}
