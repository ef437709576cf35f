// Package storetest gives tests a fresh, migrated store on each backend.
//
// The PostgreSQL server is the one REDRESS_TEST_POSTGRES_URL names (default
// postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable); each test
// gets a database of its own, created from a migrated template and dropped
// when the test ends. Without a reachable server the PostgreSQL tests are
// skipped, except with CI=true, where they fail.
package storetest

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/redress-project/redress/internal/store"
)

// Backends lists the backends Each runs on, by subtest name.
var Backends = []string{"sqlite", "postgres"}

const defaultPostgresURL = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"

// Each runs fn once per backend, as subtests named sqlite and postgres,
// each on a fresh, empty, migrated database.
func Each(t *testing.T, fn func(t *testing.T, s *store.Store)) {
	t.Helper()
	for _, backend := range Backends {
		t.Run(backend, func(t *testing.T) {
			fn(t, Open(t, backend))
		})
	}
}

// Open returns a store on a fresh, empty, migrated database of backend
// ("sqlite" or "postgres"), closed (and dropped) when the test ends.
func Open(tb testing.TB, backend string) *store.Store {
	tb.Helper()
	var u string
	switch backend {
	case "sqlite":
		u = URL(tb, backend)
	case "postgres":
		u = newPostgresDB(tb, migratedTemplate(tb))
	default:
		tb.Fatalf("storetest: unknown backend %q", backend)
	}
	s, err := store.Open(context.Background(), u)
	if err != nil {
		tb.Fatalf("storetest: opening %s store: %v", backend, err)
	}
	tb.Cleanup(func() {
		if err := s.Close(); err != nil {
			tb.Errorf("storetest: closing store: %v", err)
		}
	})
	return s
}

// URL returns the URL of a fresh, empty database of backend that has not
// been migrated, for tests of migrating and of opening.
func URL(tb testing.TB, backend string) string {
	tb.Helper()
	switch backend {
	case "sqlite":
		return filepath.Join(tb.TempDir(), "redress.db")
	case "postgres":
		return newPostgresDB(tb, "template1")
	}
	tb.Fatalf("storetest: unknown backend %q", backend)
	return ""
}

var server struct {
	once sync.Once
	url  *url.URL
	db   *sql.DB
	err  error
}

// admin returns a connection to the test server's maintenance database,
// skipping (or in CI failing) the test when there is none.
func admin(tb testing.TB) (*sql.DB, *url.URL) {
	tb.Helper()
	server.once.Do(func() {
		raw := os.Getenv("REDRESS_TEST_POSTGRES_URL")
		if raw == "" {
			raw = defaultPostgresURL
		}
		if server.url, server.err = url.Parse(raw); server.err != nil {
			return
		}
		if server.db, server.err = sql.Open("pgx", raw); server.err != nil {
			return
		}
		server.db.SetMaxOpenConns(4)
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
		defer cancel()
		server.err = server.db.PingContext(ctx)
	})
	if server.err != nil {
		msg := fmt.Sprintf("storetest: no PostgreSQL server at %s (set REDRESS_TEST_POSTGRES_URL): %v",
			redacted(server.url), server.err)
		if os.Getenv("CI") == "true" {
			tb.Fatal(msg)
		}
		tb.Skip(msg)
	}
	return server.db, server.url
}

func redacted(u *url.URL) string {
	if u == nil {
		return "(invalid URL)"
	}
	return u.Redacted()
}

// newPostgresDB creates a database copied from template, dropped when the
// test ends, and returns its URL.
func newPostgresDB(tb testing.TB, template string) string {
	tb.Helper()
	db, base := admin(tb)
	name := "redress_test_" + randomHex(8)
	if _, err := db.Exec(fmt.Sprintf("CREATE DATABASE %s TEMPLATE %s", name, template)); err != nil {
		tb.Fatalf("storetest: creating database: %v", err)
	}
	tb.Cleanup(func() {
		if _, err := db.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)"); err != nil {
			tb.Errorf("storetest: dropping database %s: %v", name, err)
		}
	})
	return databaseURL(base, name)
}

func databaseURL(base *url.URL, name string) string {
	u := *base
	u.Path = "/" + name
	return u.String()
}

var template struct {
	once sync.Once
	name string
	err  error
}

// migratedTemplate returns the name of a database with every migration
// applied, to copy for each test: copying is faster than migrating. It is
// named after the migrations' content and kept between test runs; a
// changed migration makes a new one, and templates unused for a while
// (other test binaries may still be copying them) are dropped.
func migratedTemplate(tb testing.TB) string {
	tb.Helper()
	db, base := admin(tb)
	template.once.Do(func() {
		template.name, template.err = ensureTemplate(db, base)
	})
	if template.err != nil {
		tb.Fatalf("storetest: preparing the template database: %v", template.err)
	}
	return template.name
}

func ensureTemplate(db *sql.DB, base *url.URL) (string, error) {
	ctx := context.Background()
	name := "redress_tmpl_" + migrationsDigest()
	var exists bool
	err := db.QueryRowContext(ctx, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", name).Scan(&exists)
	if err != nil || exists {
		return name, err
	}
	// Build under a private name, then rename: concurrent test binaries
	// may race to build it, and a half-built template must never be used.
	building := "redress_tmpl_build_" + randomHex(6)
	if _, err := db.ExecContext(ctx, "CREATE DATABASE "+building); err != nil {
		return "", err
	}
	if _, err := db.ExecContext(ctx, "COMMENT ON DATABASE "+building+" IS '"+templateNote+time.Now().UTC().Format(time.RFC3339)+"'"); err != nil {
		return "", err
	}
	defer db.ExecContext(ctx, "DROP DATABASE IF EXISTS "+building+" WITH (FORCE)")
	s, err := store.Open(ctx, databaseURL(base, building))
	if err != nil {
		return "", err
	}
	if err := s.Close(); err != nil {
		return "", err
	}
	if err := rename(ctx, db, building, name); err != nil {
		// Another test binary won the race; its template is as good.
		if db.QueryRowContext(ctx, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", name).Scan(&exists); exists {
			return name, nil
		}
		return "", err
	}
	dropStaleTemplates(ctx, db, name)
	return name, nil
}

// rename renames a database, waiting for the server to end the sessions of
// a store just closed (it refuses while any remain).
func rename(ctx context.Context, db *sql.DB, from, to string) error {
	var err error
	for range 50 {
		if _, err = db.ExecContext(ctx, "ALTER DATABASE "+from+" RENAME TO "+to); err == nil {
			return nil
		}
		time.Sleep(100 * time.Millisecond)
	}
	return err
}

// templateNote begins the comment on a template database; its creation
// time follows.
const templateNote = "redress test template, created "

// staleAfter is how old a template of other migrations (or one left half
// built) must be before it is dropped.
const staleAfter = time.Hour

// dropStaleTemplates drops the templates of other migrations made more than
// staleAfter ago.
func dropStaleTemplates(ctx context.Context, db *sql.DB, keep string) {
	rows, err := db.QueryContext(ctx, `SELECT datname, COALESCE(shobj_description(oid, 'pg_database'), '')
		FROM pg_database WHERE datname LIKE 'redress\_tmpl\_%' AND datname <> $1`, keep)
	if err != nil {
		return
	}
	var stale []string
	for rows.Next() {
		var name, note string
		if rows.Scan(&name, &note) != nil {
			continue
		}
		created, err := time.Parse(time.RFC3339, strings.TrimPrefix(note, templateNote))
		if err == nil && time.Since(created) > staleAfter {
			stale = append(stale, name)
		}
	}
	rows.Close()
	for _, name := range stale {
		db.ExecContext(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
	}
}

// migrationsDigest is a short hash of the embedded PostgreSQL migrations.
func migrationsDigest() string {
	h := sha256.New()
	dir, _ := fs.Sub(store.Migrations(), "postgres")
	fs.WalkDir(dir, ".", func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			b, _ := fs.ReadFile(dir, path)
			fmt.Fprintf(h, "%s\x00%d\x00", path, len(b))
			h.Write(b)
		}
		return nil
	})
	return hex.EncodeToString(h.Sum(nil))[:12]
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}
