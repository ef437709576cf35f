package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/redress-project/redress/internal/complaint"
	"github.com/redress-project/redress/internal/demo"
	"github.com/redress-project/redress/internal/obs"
	"github.com/redress-project/redress/internal/server"
)

func init() {
	register(command{name: "demo", summary: "serve a fresh database of realistic demo complaints", run: runDemo})
}

// defaultDemoDatabase is the SQLite file "redress demo" recreates.
const defaultDemoDatabase = "./redress-demo.db"

// maxDemoCases bounds --cases so that a typo cannot fill the disk.
const maxDemoCases = 200_000

func runDemo(ctx context.Context, env *cliEnv, args []string) error {
	began := time.Now()
	fs := newFlagSet(env, "demo")
	listen := listenFlag(fs, env)
	dbPath := fs.String("database", defaultDemoDatabase, "SQLite `file` to recreate for the demo; its name must end in .db")
	cases := fs.Int("cases", demo.DefaultCases, "how many complaints to generate")
	seed := fs.Int64("seed", 1, "generator seed: the same seed gives the same complaints")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *cases < 1 || *cases > maxDemoCases {
		return usageErrorf("--cases must be between 1 and %d", maxDemoCases)
	}
	if err := checkDemoPath(*dbPath); err != nil {
		return err
	}
	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		return fmt.Errorf("listening on %s: %w", *listen, err)
	}
	if err := removeDemoDatabase(*dbPath); err != nil {
		ln.Close()
		return err
	}
	cfg := server.Config{
		DatabaseURL:   *dbPath,
		SecureCookies: !isLoopback(ln.Addr()),
		Logger:        obs.NewLogger(env.stderr, slog.LevelWarn),
	}
	return serveOn(ctx, env, ln, cfg, func(srv *server.Server) error {
		return seedDemo(ctx, env, srv, "http://"+ln.Addr().String(), began, demo.Options{Cases: *cases, Seed: *seed})
	})
}

// seedDemo fills the server's fresh database and prints how to use it;
// began is when the command started, for the time to ready.
func seedDemo(ctx context.Context, env *cliEnv, srv *server.Server, url string, began time.Time, opts demo.Options) error {
	start := time.Now()
	accounts, err := demo.Seed(ctx, srv.Store(), opts)
	if err != nil {
		return fmt.Errorf("seeding the demo: %w", err)
	}
	seeded := time.Since(start)
	agent := accounts.Agent()
	token, err := srv.Auth().IssueToken(ctx, agent.Email, "demo")
	if err != nil {
		return fmt.Errorf("issuing the demo token: %w", err)
	}
	fmt.Fprintf(env.stdout, "redress demo: %d complaints seeded in %.2fs, ready %.2fs after start\n\n",
		opts.Cases, seeded.Seconds(), time.Since(began).Seconds())
	printDemo(env.stdout, url, accounts, token)
	return nil
}

func printDemo(w io.Writer, url string, accounts demo.Accounts, token string) {
	fmt.Fprintf(w, "Open %s and sign in as one of these (password for all: %s):\n\n", url, demo.Password)
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	// The name goes last: tabwriter counts a Chinese character as one column.
	fmt.Fprintln(tw, "  ROLE\tEMAIL\tPASSWORD\tSCOPE\tNAME")
	for _, a := range accounts.All() {
		scope := "team " + a.Team
		switch {
		case a.CustomerID != "":
			scope = "customer " + a.CustomerID
		case a.MerchantID != "":
			scope = "merchant " + a.MerchantID
		case a.Role == complaint.RoleSupervisor:
			scope = "every team"
		case a.Role == complaint.RoleAdmin:
			scope = "users, operations"
		case a.Role == complaint.RoleAuditor:
			scope = "read-only, audit"
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t%s\n", a.Role, a.Email, a.Password, scope, a.Name)
	}
	tw.Flush()
	fmt.Fprintf(w, "\nAPI token of %s:\n  %s\n", accounts.Agent().Email, token)
	fmt.Fprintf(w, "\nTry: curl -H 'Authorization: Bearer %s' %s/api/v1/complaints\n", token, url)
	fmt.Fprintf(w, "\nServing %s until Ctrl-C.\n", url)
}

// demoSQLiteHeader starts every SQLite database file.
var demoSQLiteHeader = []byte("SQLite format 3\x00")

// checkDemoPath refuses a --database that the demo must not delete: it
// must be a plain file path ending in .db, and if the file exists it must
// be a SQLite database (or empty).
func checkDemoPath(path string) error {
	if strings.Contains(path, "://") || strings.HasPrefix(path, "file:") || strings.Contains(path, ":memory:") {
		return usageErrorf("--database must be a SQLite file path for the demo, not %q", path)
	}
	if !strings.HasSuffix(strings.ToLower(path), ".db") {
		return usageErrorf("--database %q: the demo only recreates files whose name ends in .db", path)
	}
	return checkDemoFile(path, true)
}

// checkDemoFile returns nil if path does not exist, or is a regular file
// that is empty or, when header is set, starts with the SQLite header.
func checkDemoFile(path string, header bool) error {
	info, err := os.Lstat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil
	case err != nil:
		return err
	case !info.Mode().IsRegular():
		return fmt.Errorf("refusing to delete %s: not a regular file", path)
	case !header || info.Size() == 0:
		return nil
	}
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	head := make([]byte, len(demoSQLiteHeader))
	if _, err := io.ReadFull(f, head); err != nil || !bytes.Equal(head, demoSQLiteHeader) {
		return fmt.Errorf("refusing to delete %s: it is not a SQLite database", path)
	}
	return nil
}

// removeDemoDatabase deletes the demo database and its WAL and shared-memory
// files, so that the demo starts fresh.
func removeDemoDatabase(path string) error {
	if err := checkDemoFile(path, true); err != nil {
		return err
	}
	for _, p := range []string{path, path + "-wal", path + "-shm", path + "-journal"} {
		if err := checkDemoFile(p, false); err != nil {
			return err
		}
		if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("removing the old demo database: %w", err)
		}
	}
	return nil
}
