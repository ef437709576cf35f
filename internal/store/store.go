package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/pressly/goose/v3"
)

// Errors returned by the store besides complaint.ErrNotFound (a miss) and
// complaint.ErrConflict (a concurrent change to a case).
var (
	// ErrRefTaken means another case already has the reference; the caller
	// retries with a new one.
	ErrRefTaken = errors.New("store: case reference already taken")
	// ErrIdempotencyMismatch means the idempotency key was used before for a
	// different request.
	ErrIdempotencyMismatch = errors.New("store: idempotency key reused for a different request")
	// ErrEmailTaken means a user with that email (in any letter case) exists.
	ErrEmailTaken = errors.New("store: email already taken")
	// ErrBadCursor means a listing cursor is malformed or belongs to another sort.
	ErrBadCursor = errors.New("store: invalid cursor")
	// ErrClosed means the store was closed.
	ErrClosed = errors.New("store: closed")
)

// Idempotency identifies a create request that the caller may retry.
type Idempotency struct {
	Scope       string // who asks, such as "user:42"; keys of different callers never collide
	Key         string // the caller's Idempotency-Key
	RequestHash string // a digest of the request, to tell a retry from a reuse of the key
}

// IdempotentReplay is returned by CreateCase, as the error, when the request
// repeats an earlier one: nothing was stored, and Ref is the case the
// earlier request opened.
type IdempotentReplay struct {
	Ref string
}

func (r *IdempotentReplay) Error() string {
	return "store: request already handled; it opened case " + r.Ref
}

// Session is a browser session. Only a hash of its id is stored.
type Session struct {
	IDHash    []byte
	UserID    int64
	CSRFToken string
	CreatedAt time.Time
	ExpiresAt time.Time
}

// OutboxItem is a side effect owed for one event.
type OutboxItem struct {
	ID        int64
	EventID   int64
	CaseRef   string
	Kind      string // the event's kind
	CreatedAt time.Time
}

// Store is a connection to the database. It is safe for concurrent use.
type Store struct {
	d  *dialect
	db *sql.DB // reads; on PostgreSQL also writes
	w  *groupWriter
	// wdb is the writer's single connection on SQLite; it is db on PostgreSQL.
	wdb *sql.DB
	// rstmts keeps SQLite's static reads prepared; nil on PostgreSQL.
	rstmts *stmtCache

	migrations *goose.Provider
	migrated   bool // Ready saw every migration applied; they are never undone while running
	migratedMu sync.Mutex

	rebound sync.Map // query with ? → query with $n, on PostgreSQL

	now         func() time.Time
	outboxLease time.Duration
	tokenTouch  time.Duration

	closeMu   sync.Mutex
	closing   bool
	bg        sync.WaitGroup // background writes (token last-use times)
	closeOnce sync.Once
	closeErr  error
}

// Open connects to url and applies pending migrations. url is a SQLite
// file path (or a "file:" URI, or ":memory:" for a throwaway database) or a
// postgres:// or postgresql:// URL. A PostgreSQL URL may carry
// pool_max_conns to size the connection pool (default 16).
func Open(ctx context.Context, url string) (*Store, error) {
	s, err := Connect(ctx, url)
	if err != nil {
		return nil, err
	}
	if err := s.Migrate(ctx); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// Connect connects to url like Open but applies no migrations; Ready then
// fails until Migrate has run. It serves nodes that leave migrating to a
// deploy step (redress migrate).
func Connect(ctx context.Context, url string) (*Store, error) {
	var (
		s   *Store
		err error
	)
	if isPostgresURL(url) {
		s, err = connectPostgres(ctx, url)
	} else {
		s, err = connectSQLite(ctx, url)
	}
	if err != nil {
		return nil, err
	}
	s.now = time.Now
	s.outboxLease = 2 * time.Minute
	s.tokenTouch = time.Minute
	if s.migrations, err = newMigrationProvider(s.d, s.wdb); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

func isPostgresURL(url string) bool {
	return strings.HasPrefix(url, "postgres://") || strings.HasPrefix(url, "postgresql://")
}

// Dialect names the backend: "sqlite" or "postgres".
func (s *Store) Dialect() string { return s.d.name }

// Close waits for queued and background writes to finish, then closes the
// database. Calling it again does nothing.
func (s *Store) Close() error {
	s.closeOnce.Do(func() {
		s.closeMu.Lock()
		s.closing = true
		s.closeMu.Unlock()
		s.bg.Wait()
		if s.w != nil {
			s.w.close()
		}
		if s.rstmts != nil {
			s.rstmts.close()
		}
		var errs []error
		errs = append(errs, s.db.Close())
		if s.wdb != s.db {
			errs = append(errs, s.wdb.Close())
		}
		s.closeErr = errors.Join(errs...)
	})
	return s.closeErr
}

// background runs fn on its own goroutine unless the store is closing;
// Close waits for it. It is for writes nobody waits on.
func (s *Store) background(fn func(ctx context.Context)) {
	s.closeMu.Lock()
	defer s.closeMu.Unlock()
	if s.closing {
		return
	}
	s.bg.Add(1)
	go func() {
		defer s.bg.Done()
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		fn(ctx)
	}()
}

func wrap(what string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("store: %s: %w", what, err)
}
