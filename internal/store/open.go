package store

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"runtime"
	"strconv"
	"strings"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" database/sql driver
	_ "modernc.org/sqlite"             // registers the "sqlite" database/sql driver
)

// SQLite connection settings: WAL so readers never block the writer and the
// writer never blocks readers; NORMAL sync, which in WAL mode loses no
// committed data on an application crash (only possibly the last commits on
// a power loss) and spares an fsync per commit. The writer keeps temporary
// data in memory: each savepoint of a group commit journals the pages it
// changes, and in a file that would cost a write per page.
const (
	sqliteCommon = "_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)&_pragma=synchronous(NORMAL)"
	sqliteWriter = sqliteCommon + "&_pragma=journal_mode(WAL)&_pragma=temp_store(MEMORY)&_txlock=immediate"
	sqliteReader = sqliteCommon + "&_pragma=query_only(1)"
)

func connectSQLite(ctx context.Context, dsn string) (*Store, error) {
	base, memory := sqliteBase(dsn)
	wdb, err := sql.Open("sqlite", withParams(base, sqliteWriter))
	if err != nil {
		return nil, wrap("opening sqlite", err)
	}
	// One connection: SQLite has one writer at a time anyway, and a
	// :memory: database lives and dies with its connection.
	wdb.SetMaxOpenConns(1)
	wdb.SetMaxIdleConns(1)
	wdb.SetConnMaxLifetime(0)
	wdb.SetConnMaxIdleTime(0)
	// The writer connects first so the database file exists and is in WAL
	// mode before any reader opens it.
	if err := wdb.PingContext(ctx); err != nil {
		wdb.Close()
		return nil, wrap("opening sqlite "+dsn, err)
	}
	rdb := wdb
	if !memory {
		if rdb, err = sql.Open("sqlite", withParams(base, sqliteReader)); err != nil {
			wdb.Close()
			return nil, wrap("opening sqlite", err)
		}
		n := max(4, 2*runtime.GOMAXPROCS(0))
		rdb.SetMaxOpenConns(n)
		rdb.SetMaxIdleConns(n)
		rdb.SetConnMaxIdleTime(5 * time.Minute)
	}
	s := &Store{d: sqliteDialect, db: rdb, wdb: wdb, rstmts: newStmtCache(rdb)}
	s.w = newGroupWriter(s, wdb)
	return s, nil
}

// sqliteBase turns a path or file: URI into a file: URI for the driver and
// reports whether the database is in memory (and so cannot be shared by a
// separate read pool).
func sqliteBase(dsn string) (base string, memory bool) {
	if dsn == ":memory:" || strings.HasPrefix(dsn, "file::memory:") || strings.Contains(dsn, "mode=memory") {
		if dsn == ":memory:" {
			dsn = "file::memory:"
		}
		return dsn, true
	}
	if strings.HasPrefix(dsn, "file:") {
		return dsn, false
	}
	// A plain path: escape what a URI would read as its query or fragment.
	r := strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23")
	return "file:" + r.Replace(dsn), false
}

func withParams(base, params string) string {
	if strings.Contains(base, "?") {
		return base + "&" + params
	}
	return base + "?" + params
}

// defaultPoolSize bounds the PostgreSQL connections of one node; several
// nodes share the server's max_connections (100 by default).
const defaultPoolSize = 16

func connectPostgres(ctx context.Context, dsn string) (*Store, error) {
	dsn, pool, err := poolSize(dsn)
	if err != nil {
		return nil, err
	}
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		return nil, wrap("opening postgres", err)
	}
	db.SetMaxOpenConns(pool)
	db.SetMaxIdleConns(pool)
	db.SetConnMaxIdleTime(5 * time.Minute)
	db.SetConnMaxLifetime(time.Hour)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, wrap("connecting to postgres", err)
	}
	return &Store{d: postgresDialect, db: db, wdb: db}, nil
}

// poolSize takes the pool_max_conns parameter out of a PostgreSQL URL (the
// server would refuse it as an unknown setting).
func poolSize(dsn string) (string, int, error) {
	u, err := url.Parse(dsn)
	if err != nil {
		return "", 0, fmt.Errorf("store: invalid postgres URL: %w", err)
	}
	q := u.Query()
	v := q.Get("pool_max_conns")
	if v == "" {
		return dsn, defaultPoolSize, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		return "", 0, fmt.Errorf("store: invalid pool_max_conns %q", v)
	}
	q.Del("pool_max_conns")
	u.RawQuery = q.Encode()
	return u.String(), n, nil
}
