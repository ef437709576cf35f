// Package outbox delivers stored events to the parts of redress that react
// to them (service clocks, and later routing, the ledger, notifications and
// webhooks). Each event's outbox row is written in the transaction that
// stores the event, so a crash loses nothing; delivery is at least once, so
// every handler must be idempotent.
package outbox

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/redress-project/redress/internal/store"
)

// Handler reacts to one stored event. It is called for every event, in the
// order the handlers were given, and must ignore kinds it does not care
// about. Returning an error leaves the item to be delivered again.
type Handler interface {
	Name() string
	Handle(ctx context.Context, item store.OutboxItem) error
}

// HandlerFunc adapts a function to a Handler.
type HandlerFunc struct {
	ID string
	Fn func(ctx context.Context, item store.OutboxItem) error
}

// Name returns the handler's name, for logs.
func (h HandlerFunc) Name() string { return h.ID }

// Handle calls the function.
func (h HandlerFunc) Handle(ctx context.Context, item store.OutboxItem) error { return h.Fn(ctx, item) }

// Dispatcher claims outbox items and hands each to every handler. Several
// dispatchers (on several nodes) may run against one database: claiming
// leases items, so each is handled by one dispatcher at a time.
type Dispatcher struct {
	store    *store.Store
	handlers []Handler
	log      *slog.Logger
	// Batch is how many items one claim takes; Idle is how long Run waits
	// when there was nothing to do.
	Batch int
	Idle  time.Duration
}

// New returns a dispatcher over st delivering to handlers.
func New(st *store.Store, log *slog.Logger, handlers ...Handler) *Dispatcher {
	if log == nil {
		log = slog.Default()
	}
	return &Dispatcher{store: st, handlers: handlers, log: log, Batch: 100, Idle: 200 * time.Millisecond}
}

// RunOnce claims one batch and delivers it. It returns how many items were
// delivered to every handler (and marked done).
func (d *Dispatcher) RunOnce(ctx context.Context) (int, error) {
	items, err := d.store.ClaimOutbox(ctx, d.Batch)
	if err != nil {
		return 0, err
	}
	done := make([]int64, 0, len(items))
	for _, item := range items {
		if d.deliver(ctx, item) {
			done = append(done, item.ID)
		}
	}
	return len(done), d.store.MarkOutboxDone(ctx, done...)
}

// deliver hands item to each handler and reports whether all succeeded.
func (d *Dispatcher) deliver(ctx context.Context, item store.OutboxItem) bool {
	for _, h := range d.handlers {
		if err := h.Handle(ctx, item); err != nil {
			d.log.ErrorContext(ctx, "outbox handler failed; the event will be delivered again",
				"handler", h.Name(), "event_id", item.EventID, "case", item.CaseRef, "kind", item.Kind, "err", err)
			return false
		}
	}
	return true
}

// Run delivers until ctx ends, waiting Idle between empty claims.
func (d *Dispatcher) Run(ctx context.Context) error {
	for {
		n, err := d.RunOnce(ctx)
		if ctx.Err() != nil {
			return nil
		}
		if err != nil && !errors.Is(err, context.Canceled) {
			d.log.ErrorContext(ctx, "outbox claim failed", "err", err)
		}
		if n > 0 && err == nil {
			continue
		}
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(d.Idle):
		}
	}
}
