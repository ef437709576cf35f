package store

import (
	"context"
	"database/sql"
	"sync"
)

// stmtCache keeps the static queries of a SQLite database prepared:
// SQLite takes longer to parse a small statement than to run it.
// PostgreSQL needs no such cache; pgx keeps one per connection.
//
// The writer's database has a single connection, which a running batch
// holds; preparing then would wait for it forever. So the writer only
// looks statements up while a batch runs (a miss runs unprepared and is
// noted) and prepares the misses between batches.
type stmtCache struct {
	db      *sql.DB
	mu      sync.Mutex
	stmts   map[string]*sql.Stmt
	missing map[string]bool
}

func newStmtCache(db *sql.DB) *stmtCache {
	return &stmtCache{db: db, stmts: map[string]*sql.Stmt{}, missing: map[string]bool{}}
}

// lookup returns query's prepared statement, or nil and notes the miss.
func (c *stmtCache) lookup(query string) *sql.Stmt {
	c.mu.Lock()
	defer c.mu.Unlock()
	st := c.stmts[query]
	if st == nil {
		c.missing[query] = true
	}
	return st
}

// prepare returns query's prepared statement, preparing it if need be.
func (c *stmtCache) prepare(ctx context.Context, query string) (*sql.Stmt, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if st := c.stmts[query]; st != nil {
		return st, nil
	}
	st, err := c.db.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	c.stmts[query] = st
	return st, nil
}

// prepareMissing prepares the statements lookup missed. A query that does
// not prepare (its table is not migrated yet) is tried again after its next
// miss.
func (c *stmtCache) prepareMissing(ctx context.Context) {
	c.mu.Lock()
	queries := make([]string, 0, len(c.missing))
	for q := range c.missing {
		queries = append(queries, q)
	}
	clear(c.missing)
	c.mu.Unlock()
	for _, q := range queries {
		c.prepare(ctx, q)
	}
}

func (c *stmtCache) close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for q, st := range c.stmts {
		st.Close()
		delete(c.stmts, q)
	}
}
