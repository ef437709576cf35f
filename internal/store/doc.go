// Package store is the one persistence layer of redress. It keeps cases
// (the projection of their events), the events themselves, the outbox of
// side effects, users, API tokens, browser sessions and idempotency keys,
// in SQLite (embedded, the default) or PostgreSQL (several stateless nodes).
//
// Both backends share one code path over database/sql: queries are written
// once with ? placeholders, and the few dialect differences live in
// dialect.go. Each write that changes a case stores the new projection, its
// events and one outbox row per event in one transaction, with optimistic
// concurrency on the case's version.
//
// On SQLite all writes go through one writer goroutine that commits the
// writes queued by concurrent requests together (group commit), each inside
// its own savepoint so that a failing write rolls back only itself; reads use
// a separate pool of read-only connections. On PostgreSQL each write is its
// own transaction on a connection pool.
//
// Read-back conventions: times are UTC; Case.Transactions and
// Case.Attachments are never nil (empty slices when there are none), which
// is also what complaint.Replay yields; Event.Before and Event.After are nil
// when absent.
package store
