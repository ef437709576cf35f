package store

import (
	"context"
	"slices"
	"time"

	"github.com/redress-project/redress/internal/complaint"
)

// ClaimOutbox leases up to limit of the oldest outbox items not yet done,
// for the caller to carry out and then pass to MarkOutboxDone. Items whose
// lease ran out (their worker died) are claimed again, so side effects are
// at least once: consumers deduplicate by EventID. Several nodes may claim
// at once; each item goes to one of them.
func (s *Store) ClaimOutbox(ctx context.Context, limit int) ([]OutboxItem, error) {
	if limit <= 0 {
		return []OutboxItem{}, nil
	}
	now := complaint.Timestamp(s.now())
	var items []OutboxItem
	err := s.write(ctx, func(t *tx) error {
		d := t.s.d
		rows, err := t.query(`UPDATE outbox SET lease_until = ?, attempts = attempts + 1 WHERE id IN (
			SELECT id FROM outbox WHERE done_at IS NULL AND (lease_until IS NULL OR lease_until <= ?)
			ORDER BY id LIMIT ?`+d.skipLocked+`) RETURNING id, event_id, case_ref, kind, created_at`,
			d.ts(now.Add(s.outboxLease)), d.ts(now), limit)
		if err != nil {
			return wrap("claiming outbox", err)
		}
		defer rows.Close()
		items = []OutboxItem{}
		for rows.Next() {
			var it OutboxItem
			if err := rows.Scan(&it.ID, &it.EventID, &it.CaseRef, &it.Kind, instant{&it.CreatedAt}); err != nil {
				return wrap("claiming outbox", err)
			}
			items = append(items, it)
		}
		return wrap("claiming outbox", rows.Err())
	})
	if err != nil {
		return nil, err
	}
	slices.SortFunc(items, func(a, b OutboxItem) int { return int(a.ID - b.ID) })
	return items, nil
}

// MarkOutboxDone records that the items with these ids were carried out.
func (s *Store) MarkOutboxDone(ctx context.Context, ids ...int64) error {
	if len(ids) == 0 {
		return nil
	}
	now := complaint.Timestamp(s.now())
	return s.write(ctx, func(t *tx) error {
		b := &builder{d: t.s.d}
		b.write("UPDATE outbox SET done_at = ", b.arg(t.s.d.ts(now)), ", lease_until = NULL WHERE id IN (")
		args := make([]any, len(ids))
		for i, id := range ids {
			args[i] = id
		}
		b.write(b.list(args...), ")")
		_, err := t.tx.ExecContext(t.ctx, b.String(), b.args...)
		return wrap("marking outbox done", err)
	})
}

// SetOutboxLease sets how long a claimed outbox item stays with its
// claimer before another dispatcher may claim it again (default two
// minutes): longer than the slowest handler, short enough that a crashed
// node's items are soon picked up.
func (s *Store) SetOutboxLease(d time.Duration) { s.outboxLease = d }
