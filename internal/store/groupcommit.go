package store

import (
	"context"
	"database/sql"
	"errors"
	"sync"
	"sync/atomic"
	"time"
)

// groupWriter is the one writer of a SQLite database. Concurrent requests
// queue their write functions; the writer takes every write queued while
// the previous commit ran (up to maxBatch; with a linger it also waits that
// long for more, but by default it does not) and runs them in one transaction, each inside its own SAVEPOINT: a write
// that fails is rolled back alone and gets its own error, the others commit
// together. One commit per batch instead of one per write is where SQLite's
// write throughput comes from.
type groupWriter struct {
	s     *Store
	db    *sql.DB
	stmts *stmtCache
	queue chan *writeReq
	done  chan struct{}

	maxBatch atomic.Int32
	linger   atomic.Int64 // time.Duration

	mu     sync.RWMutex // guards closed against sends on a closed queue
	closed bool

	batches, writes atomic.Int64 // for tests and benchmarks
}

type writeReq struct {
	ctx    context.Context
	fn     writeFunc
	result chan error
}

const (
	defaultMaxBatch = 256
	queueSize       = 1024
)

func newGroupWriter(s *Store, db *sql.DB) *groupWriter {
	w := &groupWriter{s: s, db: db, stmts: newStmtCache(db), queue: make(chan *writeReq, queueSize), done: make(chan struct{})}
	w.maxBatch.Store(defaultMaxBatch)
	go w.run()
	return w
}

// submit queues fn and waits for its outcome. It waits even if ctx ends
// meanwhile: once queued, a write may commit, and the caller must not be
// told otherwise. A write whose ctx has ended before it runs is skipped.
func (w *groupWriter) submit(ctx context.Context, fn writeFunc) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	r := &writeReq{ctx: ctx, fn: fn, result: make(chan error, 1)}
	w.mu.RLock()
	if w.closed {
		w.mu.RUnlock()
		return ErrClosed
	}
	w.queue <- r
	w.mu.RUnlock()
	err := <-r.result
	if p, ok := err.(*panicked); ok {
		panic(p.value)
	}
	return err
}

// close stops taking writes and returns once the queued ones are done.
func (w *groupWriter) close() {
	w.mu.Lock()
	if !w.closed {
		w.closed = true
		close(w.queue)
	}
	w.mu.Unlock()
	<-w.done
}

func (w *groupWriter) run() {
	defer close(w.done)
	defer w.stmts.close()
	for first := range w.queue {
		batch := w.collect(first)
		w.batches.Add(1)
		w.writes.Add(int64(len(batch)))
		w.commit(batch)
		w.stmts.prepareMissing(context.Background())
	}
}

// collect gathers the writes queued behind first.
func (w *groupWriter) collect(first *writeReq) []*writeReq {
	batch := []*writeReq{first}
	limit := int(w.maxBatch.Load())
	var timeout <-chan time.Time
	for len(batch) < limit {
		select {
		case r, ok := <-w.queue:
			if !ok {
				return batch
			}
			batch = append(batch, r)
			continue
		default:
		}
		linger := time.Duration(w.linger.Load())
		if linger <= 0 {
			return batch
		}
		if timeout == nil {
			timeout = time.After(linger)
		}
		select {
		case r, ok := <-w.queue:
			if !ok {
				return batch
			}
			batch = append(batch, r)
		case <-timeout:
			return batch
		}
	}
	return batch
}

// commit runs a batch and answers each of its writes. If the transaction
// as a whole fails (begin, a savepoint, or the commit), nothing of it
// stayed, and each write is run again alone so that each gets its own
// answer.
func (w *groupWriter) commit(batch []*writeReq) {
	if len(batch) == 1 {
		batch[0].result <- w.runAlone(batch[0])
		return
	}
	errs, err := w.runBatch(batch)
	for i, r := range batch {
		if err != nil {
			r.result <- w.runAlone(r)
		} else {
			r.result <- errs[i]
		}
	}
}

// runAlone runs one write in a transaction of its own.
func (w *groupWriter) runAlone(r *writeReq) error {
	if err := r.ctx.Err(); err != nil {
		return err
	}
	// The statements run without the caller's context: cancelling a
	// statement interrupts the connection, which can roll back the whole
	// transaction. The caller waits for the outcome anyway.
	return w.s.writeTx(context.Background(), w.db, w.stmts, func(t *tx) error { return call(r.fn, t) })
}

// runBatch runs the writes of batch in one transaction and returns the
// error of each, or an error of the transaction as a whole.
func (w *groupWriter) runBatch(batch []*writeReq) ([]error, error) {
	ctx := context.Background()
	sqlTx, err := w.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	t := &tx{ctx: ctx, tx: sqlTx, s: w.s, stmts: w.stmts}
	errs := make([]error, len(batch))
	for i, r := range batch {
		if errs[i] = r.ctx.Err(); errs[i] != nil {
			continue
		}
		if errs[i], err = runSavepoint(t, r.fn); err != nil {
			sqlTx.Rollback()
			return nil, err
		}
	}
	return errs, sqlTx.Commit()
}

// runSavepoint runs fn inside a savepoint and returns fn's error, having
// undone fn's writes if it failed. The second error is for a failure of the
// savepoint itself, after which the transaction is unusable.
func runSavepoint(t *tx, fn writeFunc) (fnErr, err error) {
	if _, err := t.exec("SAVEPOINT w"); err != nil {
		return nil, err
	}
	fnErr = call(fn, t)
	if fnErr != nil {
		if _, err := t.exec("ROLLBACK TO w"); err != nil {
			return nil, errors.Join(fnErr, err)
		}
	}
	if _, err := t.exec("RELEASE w"); err != nil {
		return nil, err
	}
	return fnErr, nil
}
