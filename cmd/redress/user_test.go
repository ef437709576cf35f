package main

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/redress-project/redress/internal/auth"
	"github.com/redress-project/redress/internal/complaint"
)

// authRunResult is the outcome of one runCLI call.
type authRunResult struct {
	code           int
	stdout, stderr string
}

// authRun runs the CLI with args, stdin, and REDRESS_DATABASE_URL=db.
func authRun(t *testing.T, db, stdin string, args ...string) authRunResult {
	t.Helper()
	var stdout, stderr bytes.Buffer
	env := &cliEnv{
		stdin:  strings.NewReader(stdin),
		stdout: &stdout,
		stderr: &stderr,
		getenv: func(k string) string {
			if k == "REDRESS_DATABASE_URL" {
				return db
			}
			return ""
		},
	}
	code := runCLI(context.Background(), env, args)
	return authRunResult{code, stdout.String(), stderr.String()}
}

func TestUserAndTokenAdd(t *testing.T) {
	ctx := context.Background()
	db := filepath.Join(t.TempDir(), "redress.db")

	res := authRun(t, "", "correct horse battery staple\n", "user", "add", "--database", db,
		"--email", "Ann@Example.com", "--name", "Ann Agent", "--role", "agent", "--team", "cards", "--password-stdin")
	if res.code != 0 || !regexp.MustCompile(`^created user \d+ ann@example\.com \(agent\)\n$`).MatchString(res.stdout) {
		t.Fatalf("user add: exit %d, stdout %q, stderr %q", res.code, res.stdout, res.stderr)
	}
	// A customer, with the database from the environment and no newline after the password.
	res = authRun(t, db, "another good password", "user", "add",
		"--email", "cy@example.com", "--name", "Cy", "--role", "customer", "--customer-id", "C-1", "--password-stdin")
	if res.code != 0 || !strings.HasSuffix(res.stdout, "cy@example.com (customer)\n") {
		t.Fatalf("user add customer: exit %d, stdout %q, stderr %q", res.code, res.stdout, res.stderr)
	}

	res = authRun(t, db, "", "token", "add", "--email", "ann@example.com", "--name", "ci")
	token := strings.TrimSuffix(res.stdout, "\n")
	if res.code != 0 || !regexp.MustCompile(`^rdt_[A-Za-z0-9_-]{43}$`).MatchString(token) {
		t.Fatalf("token add: exit %d, stdout %q, stderr %q; want one token line", res.code, res.stdout, res.stderr)
	}
	if !strings.Contains(res.stderr, "only once") {
		t.Errorf("token add: stderr %q lacks the shown-only-once note", res.stderr)
	}

	// The password logs in and the token authenticates.
	st, err := openStore(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	a := auth.New(st, auth.Options{})
	if _, err := a.Login(ctx, httptest.NewRecorder(), "ann@example.com", "correct horse battery staple"); err != nil {
		t.Errorf("login with the password given on stdin: %v", err)
	}
	var got string
	var role complaint.Role
	h := a.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p, _ := auth.PrincipalFrom(r.Context())
		got, role = p.Email, p.Role
	}))
	r := httptest.NewRequest("GET", "/api/cases", nil)
	r.Header.Set("Authorization", "Bearer "+token)
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	if w.Code != 200 || got != "ann@example.com" || role != complaint.RoleAgent {
		t.Errorf("request with the token: status %d, principal %q (%s); want ann@example.com (agent)", w.Code, got, role)
	}
}

func TestUserAddErrors(t *testing.T) {
	db := filepath.Join(t.TempDir(), "redress.db")
	const pw = "correct horse battery staple\n"
	if res := authRun(t, db, pw, "user", "add", "--email", "ann@example.com", "--name", "Ann", "--role", "agent", "--password-stdin"); res.code != 0 {
		t.Fatalf("setup: %+v", res)
	}
	for _, tc := range []struct {
		name  string
		stdin string
		args  []string
		code  int
		msg   string
	}{
		{"missing email", pw, []string{"--name", "Bob", "--role", "agent", "--password-stdin"}, 2, "--email is required"},
		{"missing name", pw, []string{"--email", "bob@example.com", "--role", "agent", "--password-stdin"}, 2, "--name is required"},
		{"missing role", pw, []string{"--email", "bob@example.com", "--name", "Bob", "--password-stdin"}, 2, "--role is required"},
		{"unknown role", pw, []string{"--email", "bob@example.com", "--name", "Bob", "--role", "wizard", "--password-stdin"}, 2,
			`unknown role "wizard" (valid roles: customer, agent, supervisor, merchant, admin, auditor)`},
		{"no password-stdin", pw, []string{"--email", "bob@example.com", "--name", "Bob", "--role", "agent"}, 2, "--password-stdin is required"},
		{"empty stdin", "", []string{"--email", "bob@example.com", "--name", "Bob", "--role", "agent", "--password-stdin"}, 1, "nothing on standard input"},
		{"weak password", "hunter2\n", []string{"--email", "bob@example.com", "--name", "Bob", "--role", "agent", "--password-stdin"}, 1,
			"password is too weak: it must be at least 10 characters long"},
		{"duplicate email", pw, []string{"--email", "ANN@example.com", "--name", "Ann", "--role", "agent", "--password-stdin"}, 1,
			"a user with email ANN@example.com already exists"},
		{"bad email", pw, []string{"--email", "bob", "--name", "Bob", "--role", "agent", "--password-stdin"}, 2, "--email: \"bob\" is not a valid email address"},
		{"customer without id", pw, []string{"--email", "bob@example.com", "--name", "Bob", "--role", "customer", "--password-stdin"}, 2, "--customer-id:"},
		{"stray argument", pw, []string{"--email", "bob@example.com", "--name", "Bob", "--role", "agent", "--password-stdin", "extra"}, 2, "unexpected arguments"},
	} {
		res := authRun(t, db, tc.stdin, append([]string{"user", "add"}, tc.args...)...)
		if res.code != tc.code || !strings.Contains(res.stderr, tc.msg) || strings.Count(res.stderr, "\n") != 1 || res.stdout != "" {
			t.Errorf("%s: exit %d, stdout %q, stderr %q; want exit %d and one line containing %q", tc.name, res.code, res.stdout, res.stderr, tc.code, tc.msg)
		}
	}
}

func TestTokenAddErrors(t *testing.T) {
	db := filepath.Join(t.TempDir(), "redress.db")
	for _, tc := range []struct {
		name string
		args []string
		code int
		msg  string
	}{
		{"missing email", nil, 2, "--email is required"},
		{"unknown email", []string{"--email", "nobody@example.com"}, 1, "no user with email nobody@example.com"},
	} {
		res := authRun(t, db, "", append([]string{"token", "add"}, tc.args...)...)
		if res.code != tc.code || !strings.Contains(res.stderr, tc.msg) || strings.Count(res.stderr, "\n") != 1 || res.stdout != "" {
			t.Errorf("%s: exit %d, stdout %q, stderr %q; want exit %d and one line containing %q", tc.name, res.code, res.stdout, res.stderr, tc.code, tc.msg)
		}
	}
}

func TestDatabaseFlagDefault(t *testing.T) {
	for env, want := range map[string]string{"": "./redress.db", "postgres://db/redress": "postgres://db/redress"} {
		e := &cliEnv{getenv: func(string) string { return env }, stderr: &bytes.Buffer{}}
		fs := newFlagSet(e, "test")
		db := databaseFlag(fs, e)
		if err := parseFlags(fs, nil); err != nil || *db != want {
			t.Errorf("REDRESS_DATABASE_URL=%q: --database defaults to %q; want %q", env, *db, want)
		}
		if err := parseFlags(fs, []string{"--database", "x.db"}); err != nil || *db != "x.db" {
			t.Errorf("--database x.db: got %q", *db)
		}
	}
}

func TestDatabaseFlagHidesPassword(t *testing.T) {
	var stderr bytes.Buffer
	e := &cliEnv{getenv: func(string) string { return "postgres://redress:s3cret@db/redress" }, stderr: &stderr}
	fs := newFlagSet(e, "test")
	db := databaseFlag(fs, e)
	fs.PrintDefaults()
	if strings.Contains(stderr.String(), "s3cret") || !strings.Contains(stderr.String(), "postgres://redress:xxxxx@db/redress") {
		t.Errorf("help shows %q", stderr.String())
	}
	if parseFlags(fs, nil); *db != "postgres://redress:s3cret@db/redress" {
		t.Errorf("--database = %q; want the URL with its password", *db)
	}
}
