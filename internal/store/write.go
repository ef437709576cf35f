package store

import (
	"context"
	"database/sql"
	"fmt"
	"runtime/debug"
)

// tx is a write transaction as the write functions see it: queries take ?
// placeholders and run with the transaction's context.
type tx struct {
	ctx   context.Context
	tx    *sql.Tx
	s     *Store
	stmts *stmtCache // SQLite's writer; nil on PostgreSQL
}

// prepared returns the transaction's handle on query's prepared statement,
// or nil if it is not prepared (yet).
func (t *tx) prepared(query string) *sql.Stmt {
	if t.stmts == nil {
		return nil
	}
	if st := t.stmts.lookup(query); st != nil {
		return t.tx.StmtContext(t.ctx, st)
	}
	return nil
}

// exec, query and queryRow run a static query (one of a bounded set, which
// may be kept prepared); dynamic queries use t.tx directly.
func (t *tx) exec(query string, args ...any) (sql.Result, error) {
	if st := t.prepared(query); st != nil {
		return st.ExecContext(t.ctx, args...)
	}
	return t.tx.ExecContext(t.ctx, t.s.q(query), args...)
}

func (t *tx) query(query string, args ...any) (*sql.Rows, error) {
	if st := t.prepared(query); st != nil {
		return st.QueryContext(t.ctx, args...)
	}
	return t.tx.QueryContext(t.ctx, t.s.q(query), args...)
}

func (t *tx) queryRow(query string, args ...any) *sql.Row {
	if st := t.prepared(query); st != nil {
		return st.QueryRowContext(t.ctx, args...)
	}
	return t.tx.QueryRowContext(t.ctx, t.s.q(query), args...)
}

// query and queryRow run a static read query, on SQLite prepared once.
func (s *Store) query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if s.rstmts != nil {
		if st, err := s.rstmts.prepare(ctx, query); err == nil {
			return st.QueryContext(ctx, args...)
		}
	}
	return s.db.QueryContext(ctx, s.q(query), args...)
}

func (s *Store) queryRow(ctx context.Context, query string, args ...any) *sql.Row {
	if s.rstmts != nil {
		if st, err := s.rstmts.prepare(ctx, query); err == nil {
			return st.QueryRowContext(ctx, args...)
		}
	}
	return s.db.QueryRowContext(ctx, s.q(query), args...)
}

// writeFunc does the statements of one write. It may run more than once
// (see groupWriter), so it must set its results by assignment, never by
// appending to state outside itself.
type writeFunc func(*tx) error

// write runs fn in a transaction: on SQLite through the group-commit writer,
// on PostgreSQL on a pooled connection. It returns fn's error, or the
// commit's.
func (s *Store) write(ctx context.Context, fn writeFunc) error {
	if s.w != nil {
		return s.w.submit(ctx, fn)
	}
	return s.writeTx(ctx, s.db, nil, fn)
}

// writeTx runs fn in a transaction of its own.
func (s *Store) writeTx(ctx context.Context, db *sql.DB, stmts *stmtCache, fn writeFunc) error {
	sqlTx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return wrap("beginning a transaction", err)
	}
	defer sqlTx.Rollback() // after a commit it does nothing; after a panic it frees the connection
	if err := fn(&tx{ctx: ctx, tx: sqlTx, s: s, stmts: stmts}); err != nil {
		return err
	}
	return wrap("committing", sqlTx.Commit())
}

// panicked carries a panic out of the writer goroutine to the goroutine
// whose write function panicked, which panics again: a bug in one write
// must neither kill the writer nor pass unnoticed.
type panicked struct {
	value any
	stack []byte
}

func (p *panicked) Error() string {
	return fmt.Sprintf("store: write panicked: %v\n%s", p.value, p.stack)
}

// call runs fn, turning a panic into a *panicked error.
func call(fn writeFunc, t *tx) (err error) {
	defer func() {
		if v := recover(); v != nil {
			err = &panicked{value: v, stack: debug.Stack()}
		}
	}()
	return fn(t)
}
