package store

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/redress-project/redress/internal/complaint"
)

// Timer is one alarm of a service clock (see internal/sla): "warn when 75%
// of the resolution clock is used", "breach when it runs out", "escalate
// when a department's task is overdue". Timers live only in the database,
// so they survive restarts, and any node's scheduler may fire them.
//
// A timer is identified by its case, clock and kind. Its epoch names the
// clock instance it was set for (say, the resolution clock started at the
// reopening of the case): setting a fired timer again with the same epoch
// leaves it fired, with another epoch re-arms it.
type Timer struct {
	ID        int64
	CaseRef   string
	Clock     string    // the deadline it belongs to: first_response, resolution, regulator, task:T1
	Kind      string    // what firing means: warning-75, breach, overdue
	Epoch     string    // the clock instance
	Due       time.Time // the deadline's due when the timer was set
	FireAt    time.Time
	FiredAt   time.Time // zero while pending
	Attempts  int       // firings tried, including failed ones
	LastError string    // why the last attempt failed
}

func (tm Timer) key() string { return tm.Clock + "\x00" + tm.Kind }

const timerColumns = "id, case_ref, clock, kind, epoch, due, fire_at, fired_at, attempts, last_error"

func scanTimer(r rowScanner) (Timer, error) {
	var tm Timer
	err := r.Scan(&tm.ID, &tm.CaseRef, &tm.Clock, &tm.Kind, &tm.Epoch, instant{&tm.Due}, instant{&tm.FireAt},
		instant{&tm.FiredAt}, &tm.Attempts, &tm.LastError)
	return tm, err
}

// CaseTimersFunc decides, for a case locked against concurrent changes,
// which events to record and which timers the case should have pending.
// history is the case's complete event history. The events must have been
// made by domain commands on c, in order (so c is already their fold). It
// may run more than once for one call (a transaction that does not commit
// is retried), so it must not change anything outside itself.
type CaseTimersFunc func(c *complaint.Case, history []complaint.Event) ([]*complaint.Event, []Timer, error)

// CaseUpdate is what UpdateCaseTimers stored.
type CaseUpdate struct {
	Case   *complaint.Case    // the case as stored
	Events []*complaint.Event // the events recorded, with their ids
	Armed  []Timer            // the timers inserted, moved or re-armed (pending and changed)
}

// UpdateCaseTimers loads the case ref, locked for the rest of the
// transaction, calls fn and, in one transaction, stores the events fn
// recorded and makes fn's timers the case's pending timers: pending timers
// not among them are deleted, the others inserted or moved; fired timers
// stay fired unless set again with another epoch. An unknown ref is
// complaint.ErrNotFound.
//
// On PostgreSQL the case row is locked (FOR NO KEY UPDATE, as the desk's
// updates lock it), so fn sees the latest state. A scheduler never waits
// for a lock (it skips locked cases and timers), so the two cannot
// deadlock.
func (s *Store) UpdateCaseTimers(ctx context.Context, ref string, fn CaseTimersFunc) (CaseUpdate, error) {
	var up CaseUpdate
	err := s.write(ctx, func(t *tx) error {
		c, err := t.lockCase(ref)
		if err != nil {
			return err
		}
		history, err := t.caseEvents(c.ID)
		if err != nil {
			return err
		}
		events, timers, err := fn(c, history)
		if err != nil {
			return err
		}
		if err := t.appendEvents(c, events); err != nil {
			return err
		}
		armed, err := t.syncTimers(ref, timers)
		if err != nil {
			return err
		}
		up = CaseUpdate{Case: c, Events: events, Armed: armed}
		return nil
	})
	if err != nil {
		return CaseUpdate{}, err
	}
	return up, nil
}

// ScheduleTimers inserts or moves timers like UpdateCaseTimers, without
// touching the cases' other timers: for bulk loads and tests.
func (s *Store) ScheduleTimers(ctx context.Context, timers []Timer) error {
	const chunk = 1000 // rows per statement: 6 parameters each, well under PostgreSQL's 65535
	for len(timers) > 0 {
		n := min(chunk, len(timers))
		part := timers[:n]
		timers = timers[n:]
		if err := s.write(ctx, func(t *tx) error { _, err := t.upsertTimers(part); return err }); err != nil {
			return err
		}
	}
	return nil
}

// CaseTimers returns every timer of a case, pending and fired, in firing order.
func (s *Store) CaseTimers(ctx context.Context, ref string) ([]Timer, error) {
	rows, err := s.query(ctx, "SELECT "+timerColumns+" FROM timers WHERE case_ref = ? ORDER BY fire_at, id", ref)
	if err != nil {
		return nil, wrap("reading timers", err)
	}
	defer rows.Close()
	timers := []Timer{}
	for rows.Next() {
		tm, err := scanTimer(rows)
		if err != nil {
			return nil, wrap("reading timers", err)
		}
		timers = append(timers, tm)
	}
	return timers, wrap("reading timers", rows.Err())
}

// NextTimer returns when the earliest pending timer is due; ok is false
// when none is pending. A scheduler sleeps until then instead of keeping
// anything per timer in memory.
func (s *Store) NextTimer(ctx context.Context) (at time.Time, ok bool, err error) {
	err = s.queryRow(ctx, "SELECT fire_at FROM timers WHERE fired_at IS NULL ORDER BY fire_at LIMIT 1").Scan(instant{&at})
	if errors.Is(err, sql.ErrNoRows) {
		return time.Time{}, false, nil
	}
	if err != nil {
		return time.Time{}, false, wrap("reading the next timer", err)
	}
	return at, true, nil
}

// FireFunc carries out the due timers of one case: it runs domain commands
// on c (the case, locked) and returns the events they recorded, in order.
// Returning no events fires the timers without effect (a stale timer).
// An error fires none of them: they are tried again after a backoff. Like
// CaseTimersFunc, it may run more than once for the same timers, and only
// the run whose transaction commits counts.
type FireFunc func(c *complaint.Case, due []Timer) ([]*complaint.Event, error)

// FireReport says what one FireTimers call did.
type FireReport struct {
	Fired  []Timer // fired, their effects stored (FiredAt set)
	Busy   int     // left for the next round: their case was being changed
	Failed []Timer // the fire function failed (LastError says why); they are retried after a backoff
}

// Backoff bounds for timers whose fire function fails.
const (
	timerRetryMin = 30 * time.Second
	timerRetryMax = time.Hour
)

// FireTimers claims up to limit timers due at now, earliest first, and for
// each of their cases calls fire, in one transaction: the events fire
// records and the timers' fired_at are stored together, so a timer fires
// exactly once even with several schedulers and crashes.
//
// On PostgreSQL the timers are claimed with FOR UPDATE SKIP LOCKED, so
// several schedulers take different timers, and their cases are locked
// the same way: a case another transaction is changing is skipped (Busy)
// rather than waited for, so a scheduler never waits for a lock. If the
// node dies mid-batch the transaction dies with it, the locks go, and
// nothing of the batch happened: another scheduler fires the timers. On
// SQLite the batch runs through the single writer.
func (s *Store) FireTimers(ctx context.Context, now time.Time, limit int, fire FireFunc) (FireReport, error) {
	if limit <= 0 {
		return FireReport{}, nil
	}
	now = complaint.Timestamp(now)
	var report FireReport
	err := s.write(ctx, func(t *tx) error {
		report = FireReport{} // the function may run twice
		due, err := t.claimTimers(now, limit)
		if err != nil || len(due) == 0 {
			return err
		}
		groups := byCase(due)
		cases, err := t.lockCases(groups)
		if err != nil {
			return err
		}
		var rep FireReport
		for _, group := range groups {
			if err := t.fireCase(now, cases[group[0].CaseRef], group, fire, &rep); err != nil {
				return err
			}
		}
		if err := t.markFired(now, rep.Fired); err != nil {
			return err
		}
		report = rep
		return nil
	})
	return report, err
}

// claimTimers selects (and on PostgreSQL locks) the due timers.
func (t *tx) claimTimers(now time.Time, limit int) ([]Timer, error) {
	rows, err := t.query("SELECT "+timerColumns+" FROM timers WHERE fired_at IS NULL AND fire_at <= ? ORDER BY fire_at, id LIMIT ?"+
		t.s.d.skipLocked, t.s.d.ts(now), limit)
	if err != nil {
		return nil, wrap("claiming timers", err)
	}
	defer rows.Close()
	var due []Timer
	for rows.Next() {
		tm, err := scanTimer(rows)
		if err != nil {
			return nil, wrap("claiming timers", err)
		}
		due = append(due, tm)
	}
	return due, wrap("claiming timers", rows.Err())
}

// byCase groups timers by case, cases in reference order and each case's
// timers in firing order.
func byCase(timers []Timer) [][]Timer {
	slices.SortStableFunc(timers, func(a, b Timer) int { return cmp.Compare(a.CaseRef, b.CaseRef) })
	var groups [][]Timer
	for i := 0; i < len(timers); {
		j := i + 1
		for j < len(timers) && timers[j].CaseRef == timers[i].CaseRef {
			j++
		}
		groups = append(groups, timers[i:j:j])
		i = j
	}
	return groups
}

// fireCase fires the due timers of case c (nil if it is locked by
// another transaction, or missing) and adds the outcome to rep.
func (t *tx) fireCase(now time.Time, c *complaint.Case, due []Timer, fire FireFunc, rep *FireReport) error {
	if c == nil {
		if t.s.d.name == postgresDialect.name {
			rep.Busy += len(due)
			return nil
		}
		return t.failTimers(now, due, complaint.ErrNotFound, rep)
	}
	events, err := fire(c, due)
	if err == nil && len(events) > 0 {
		err = checkAppend(c, events)
	}
	if err != nil {
		return t.failTimers(now, due, err, rep)
	}
	if err := t.appendEvents(c, events); err != nil {
		return err
	}
	for _, tm := range due {
		tm.FiredAt, tm.Attempts, tm.LastError = now, tm.Attempts+1, ""
		rep.Fired = append(rep.Fired, tm)
	}
	return nil
}

// markFired records that timers fired at now.
func (t *tx) markFired(now time.Time, timers []Timer) error {
	if len(timers) == 0 {
		return nil
	}
	b := &builder{d: t.s.d}
	b.write("UPDATE timers SET fired_at = ", b.arg(t.s.d.ts(now)), ", attempts = attempts + 1, last_error = '' WHERE id IN (")
	b.write(b.list(timerIDs(timers)...), ")")
	_, err := t.tx.ExecContext(t.ctx, b.String(), b.args...)
	return wrap("marking timers fired", err)
}

// failTimers records a failed firing and puts the timers off: 30 seconds
// after the first failure, doubling up to an hour.
func (t *tx) failTimers(now time.Time, due []Timer, cause error, rep *FireReport) error {
	msg := cause.Error()
	if len(msg) > 1000 {
		msg = msg[:1000]
	}
	for _, tm := range due {
		wait := min(timerRetryMin<<min(tm.Attempts, 10), timerRetryMax)
		tm.Attempts, tm.LastError, tm.FireAt = tm.Attempts+1, msg, now.Add(wait)
		if _, err := t.exec("UPDATE timers SET attempts = ?, last_error = ?, fire_at = ? WHERE id = ?",
			tm.Attempts, tm.LastError, t.s.d.ts(tm.FireAt), tm.ID); err != nil {
			return wrap("recording a failed timer", err)
		}
		rep.Failed = append(rep.Failed, tm)
	}
	return nil
}

func timerIDs(timers []Timer) []any {
	ids := make([]any, len(timers))
	for i, tm := range timers {
		ids[i] = tm.ID
	}
	return ids
}

// lockCaseRow locks a case row on PostgreSQL against other changes of the
// case (the desk's updates take the same lock), but not against inserting
// timers, whose foreign key only needs the row to stay.
const lockCaseRow = " FOR NO KEY UPDATE"

// lockCase reads case ref for changing it; on PostgreSQL it locks the
// row, waiting for a concurrent change to finish. SQLite's single writer
// needs no lock.
func (t *tx) lockCase(ref string) (*complaint.Case, error) {
	lock := ""
	if t.s.d.name == postgresDialect.name {
		lock = lockCaseRow
	}
	c, err := scanCase(t.queryRow("SELECT "+caseColumns+" FROM cases c WHERE c.ref = ?"+lock, ref))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, complaint.ErrNotFound
	}
	return c, wrap("reading case "+ref, err)
}

// lockCases reads the cases of the timer groups for changing them, in one
// query. On PostgreSQL it locks their rows, skipping (leaving out) those
// another transaction holds: a scheduler never waits for a lock.
func (t *tx) lockCases(groups [][]Timer) (map[string]*complaint.Case, error) {
	b := &builder{d: t.s.d}
	refs := make([]any, len(groups))
	for i, g := range groups {
		refs[i] = g[0].CaseRef
	}
	lock := ""
	if t.s.d.name == postgresDialect.name {
		lock = lockCaseRow + " SKIP LOCKED"
	}
	b.write("SELECT ", caseColumns, " FROM cases c WHERE c.ref IN (", b.list(refs...), ")", lock)
	rows, err := t.tx.QueryContext(t.ctx, b.String(), b.args...)
	if err != nil {
		return nil, wrap("locking cases", err)
	}
	defer rows.Close()
	cases := make(map[string]*complaint.Case, len(groups))
	for rows.Next() {
		c, err := scanCase(rows)
		if err != nil {
			return nil, wrap("locking cases", err)
		}
		cases[c.Ref] = c
	}
	return cases, wrap("locking cases", rows.Err())
}

// caseEvents is Store.Events inside the transaction.
func (t *tx) caseEvents(caseID int64) ([]complaint.Event, error) {
	return readEvents(t.query(selectEventsOfCase, caseID))
}

// appendEvents is AppendEvents inside a transaction (the timers' firing
// uses it for a case read in its own): it stores the case's new state and
// the events with their outbox rows, and sets the events' ids.
func (t *tx) appendEvents(c *complaint.Case, events []*complaint.Event) error {
	if len(events) == 0 {
		return nil
	}
	if err := checkAppend(c, events); err != nil {
		return err
	}
	if err := t.updateCase(c, c.Version-int64(len(events)), events[0].PrevHash); err != nil {
		return err
	}
	if changesTransactions(events) {
		if _, err := t.exec("DELETE FROM case_transactions WHERE case_id = ?", c.ID); err != nil {
			return wrap("re-indexing transactions", err)
		}
		if err := t.indexTransactions(c.ID, c.Transactions); err != nil {
			return err
		}
	}
	for _, e := range events {
		id, err := t.insertEvent(c.ID, e)
		if err != nil {
			return err
		}
		e.ID, e.CaseID = id, c.ID
	}
	return nil
}

// syncTimers makes timers the pending timers of case ref and returns
// those it armed.
func (t *tx) syncTimers(ref string, timers []Timer) ([]Timer, error) {
	want := map[string]bool{}
	for i := range timers {
		tm := &timers[i]
		if tm.CaseRef == "" {
			tm.CaseRef = ref
		}
		if tm.CaseRef != ref {
			return nil, fmt.Errorf("store: timer %s/%s of case %s given for case %s", tm.Clock, tm.Kind, tm.CaseRef, ref)
		}
		if want[tm.key()] {
			return nil, fmt.Errorf("store: timer %s/%s of case %s given twice", tm.Clock, tm.Kind, ref)
		}
		want[tm.key()] = true
	}
	lock := ""
	if t.s.d.name == postgresDialect.name {
		lock = " FOR UPDATE"
	}
	rows, err := t.query("SELECT id, clock, kind FROM timers WHERE case_ref = ? AND fired_at IS NULL"+lock, ref)
	if err != nil {
		return nil, wrap("reading timers", err)
	}
	var stale []any
	for rows.Next() {
		var tm Timer
		if err := rows.Scan(&tm.ID, &tm.Clock, &tm.Kind); err != nil {
			rows.Close()
			return nil, wrap("reading timers", err)
		}
		if !want[tm.key()] {
			stale = append(stale, tm.ID)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, wrap("reading timers", err)
	}
	if len(stale) > 0 {
		b := &builder{d: t.s.d}
		b.write("DELETE FROM timers WHERE id IN (", b.list(stale...), ")")
		if _, err := t.tx.ExecContext(t.ctx, b.String(), b.args...); err != nil {
			return nil, wrap("deleting timers", err)
		}
	}
	return t.upsertTimers(timers)
}

// upsertTimers inserts timers or moves existing ones: a pending timer takes
// the new due and firing time, a fired one is re-armed only by another
// epoch. Unchanged rows are not rewritten. It returns the timers it
// inserted or changed.
func (t *tx) upsertTimers(timers []Timer) ([]Timer, error) {
	if len(timers) == 0 {
		return nil, nil
	}
	d := t.s.d
	b := &builder{d: d}
	b.write("INSERT INTO timers (case_ref, clock, kind, epoch, due, fire_at) VALUES ")
	for i, tm := range timers {
		if tm.CaseRef == "" || tm.Clock == "" || tm.Kind == "" || tm.FireAt.IsZero() {
			return nil, fmt.Errorf("store: timer %+v lacks a case, clock, kind or firing time", tm)
		}
		if i > 0 {
			b.write(", ")
		}
		b.write("(", b.list(tm.CaseRef, tm.Clock, tm.Kind, tm.Epoch, d.ts(tm.Due), d.ts(tm.FireAt)), ")")
	}
	b.write(` ON CONFLICT (case_ref, clock, kind) DO UPDATE SET
		due = excluded.due, fire_at = excluded.fire_at, epoch = excluded.epoch,
		fired_at = CASE WHEN timers.epoch = excluded.epoch THEN timers.fired_at END,
		attempts = CASE WHEN timers.epoch = excluded.epoch THEN timers.attempts ELSE 0 END,
		last_error = CASE WHEN timers.epoch = excluded.epoch THEN timers.last_error ELSE '' END
		WHERE timers.epoch <> excluded.epoch
		   OR (timers.fired_at IS NULL AND (timers.fire_at <> excluded.fire_at OR timers.due <> excluded.due))
		RETURNING `, timerColumns)
	rows, err := t.tx.QueryContext(t.ctx, b.String(), b.args...)
	if err != nil {
		return nil, wrap("scheduling timers", err)
	}
	defer rows.Close()
	var armed []Timer
	for rows.Next() {
		tm, err := scanTimer(rows)
		if err != nil {
			return nil, wrap("scheduling timers", err)
		}
		armed = append(armed, tm)
	}
	return armed, wrap("scheduling timers", rows.Err())
}
