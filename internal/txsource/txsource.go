// Package txsource is where redress looks up the payments a complaint is
// about. A Source answers with transactions as they stand now; intake
// snapshots them into the case when it is opened, so that what the case
// shows does not change when the source does.
//
// Ledger is the built-in source: the platform's ledger export, imported
// into the database with "redress import ledger" (see docs/intake.md).
// Memory is a source held in memory, for tests and demos.
package txsource

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/redress-project/redress/internal/complaint"
	"github.com/redress-project/redress/internal/store"
)

// ErrNotFound means the source does not know the transaction.
var ErrNotFound = errors.New("txsource: transaction not found")

// Source looks up the platform's transactions.
type Source interface {
	// Lookup returns the transaction with the platform's id txnID as it
	// stands now, or an error wrapping ErrNotFound.
	Lookup(ctx context.Context, txnID string) (complaint.Transaction, error)
	// ByCustomer returns the customer's transactions with a time in
	// [from, to), oldest first; a zero bound is open.
	ByCustomer(ctx context.Context, customerID string, from, to time.Time) ([]complaint.Transaction, error)
}

// Ledger is the Source fed by ledger exports imported into the store.
type Ledger struct{ st *store.Store }

// NewLedger returns the source over the ledger imported into st.
func NewLedger(st *store.Store) *Ledger { return &Ledger{st: st} }

// Lookup implements Source.
func (l *Ledger) Lookup(ctx context.Context, txnID string) (complaint.Transaction, error) {
	e, err := l.st.LedgerTransaction(ctx, txnID)
	if errors.Is(err, complaint.ErrNotFound) {
		return complaint.Transaction{}, ErrNotFound
	}
	return e.Transaction, err
}

// maxByCustomer bounds one ByCustomer answer.
const maxByCustomer = 1000

// ByCustomer implements Source; it returns at most 1000 transactions.
func (l *Ledger) ByCustomer(ctx context.Context, customerID string, from, to time.Time) ([]complaint.Transaction, error) {
	entries, err := l.st.LedgerByCustomer(ctx, customerID, from, to, maxByCustomer)
	if err != nil {
		return nil, err
	}
	out := make([]complaint.Transaction, len(entries))
	for i, e := range entries {
		out[i] = e.Transaction
	}
	return out, nil
}

// Memory is a Source held in memory. It is safe for concurrent use.
type Memory struct {
	mu   sync.RWMutex
	txns map[string]store.LedgerEntry
}

// NewMemory returns an empty in-memory source.
func NewMemory() *Memory { return &Memory{txns: map[string]store.LedgerEntry{}} }

// Put adds or replaces a transaction of a customer.
func (m *Memory) Put(customerID string, t complaint.Transaction) {
	m.mu.Lock()
	defer m.mu.Unlock()
	t.Time = complaint.Timestamp(t.Time)
	m.txns[t.ID] = store.LedgerEntry{CustomerID: customerID, Transaction: t}
}

// Lookup implements Source.
func (m *Memory) Lookup(_ context.Context, txnID string) (complaint.Transaction, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	e, ok := m.txns[txnID]
	if !ok {
		return complaint.Transaction{}, ErrNotFound
	}
	return e.Transaction, nil
}

// ByCustomer implements Source.
func (m *Memory) ByCustomer(_ context.Context, customerID string, from, to time.Time) ([]complaint.Transaction, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	out := []complaint.Transaction{}
	for _, e := range m.txns {
		t := e.Transaction
		if e.CustomerID == customerID && (from.IsZero() || !t.Time.Before(from)) && (to.IsZero() || t.Time.Before(to)) {
			out = append(out, t)
		}
	}
	slices.SortFunc(out, func(a, b complaint.Transaction) int {
		if c := a.Time.Compare(b.Time); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	return out, nil
}
