package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"github.com/redress-project/redress/internal/complaint"
)

// The statuses of an intake message.
const (
	// IntakePending: being turned into a case, or its handler died before
	// finishing (it can be taken over once its lease has ended).
	IntakePending = "pending"
	// IntakeFiled: the message opened case CaseRef.
	IntakeFiled = "filed"
	// IntakeRepeat: the message was linked to the open case CaseRef as a
	// repeat complaint.
	IntakeRepeat = "repeat"
)

// IntakeMessage is a complaint as it arrived through a channel, kept
// unchanged (Payload) next to the case it led to.
type IntakeMessage struct {
	ID         int64
	Channel    complaint.Channel
	SourceID   string // unique per channel: the source's own id, or sha256:… of the payload
	ReceivedAt time.Time
	Payload    []byte
	SHA256     string // hex SHA-256 of Payload
	Status     string // IntakePending, IntakeFiled or IntakeRepeat
	// Decision is what a pending message is being turned into: "file" or
	// "repeat" (then CaseRef is the case it is linked to), "" before that
	// is decided.
	Decision string
	CaseRef  string
	Detail   string // e.g. why it was taken for a repeat
	// Customer is who sent it: id, lower-case email, and phone number as
	// the caller normalised it (intake: digits only).
	Customer   complaint.Customer
	LeaseUntil time.Time
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

const intakeColumns = `m.id, m.channel, m.source_id, m.received_at, m.payload, m.sha256, m.status, m.decision,
	m.case_ref, m.detail, m.customer_id, m.customer_email, m.customer_phone, m.lease_until, m.created_at, m.updated_at`

func scanIntake(r rowScanner) (IntakeMessage, error) {
	var m IntakeMessage
	err := r.Scan(&m.ID, &m.Channel, &m.SourceID, instant{&m.ReceivedAt}, &m.Payload, &m.SHA256, &m.Status,
		&m.Decision, &m.CaseRef, &m.Detail, &m.Customer.ID, &m.Customer.Email, &m.Customer.Phone,
		instant{&m.LeaseUntil}, instant{&m.CreatedAt}, instant{&m.UpdatedAt})
	if m.Payload == nil {
		m.Payload = []byte{}
	}
	return m, err
}

// ClaimIntakeMessage records m as a pending message leased to the caller
// for lease, and returns it as stored with claimed true. If the
// channel already has a message with m's source id, nothing of m is
// stored: when that message is pending and its lease has ended (its
// handler died), the caller takes it over (claimed true, the stored
// message returned with its decision); otherwise claimed is false and the
// stored message says what became of it.
func (s *Store) ClaimIntakeMessage(ctx context.Context, m IntakeMessage, lease time.Duration) (stored IntakeMessage, claimed bool, err error) {
	if m.Channel == "" || m.SourceID == "" {
		return IntakeMessage{}, false, errors.New("store: an intake message needs a channel and a source id")
	}
	now := complaint.Timestamp(s.now())
	leaseUntil := now.Add(lease)
	payload := m.Payload
	if payload == nil {
		payload = []byte{}
	}
	err = s.write(ctx, func(t *tx) error {
		d := t.s.d
		claimed = false
		var id int64
		err := t.queryRow(`INSERT INTO intake_messages (channel, source_id, received_at, payload, sha256, status,
			customer_id, customer_email, customer_phone, lease_until, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (channel, source_id) DO NOTHING RETURNING id`,
			string(m.Channel), m.SourceID, d.ts(complaint.Timestamp(m.ReceivedAt)), payload, m.SHA256, IntakePending,
			m.Customer.ID, strings.ToLower(m.Customer.Email), m.Customer.Phone, d.ts(leaseUntil), d.ts(now), d.ts(now)).Scan(&id)
		switch {
		case err == nil:
			claimed = true
		case !errors.Is(err, sql.ErrNoRows):
			return wrap("recording intake message", err)
		default:
			res, err := t.exec(`UPDATE intake_messages SET lease_until = ?, updated_at = ?
				WHERE channel = ? AND source_id = ? AND status = ? AND (lease_until IS NULL OR lease_until <= ?)`,
				d.ts(leaseUntil), d.ts(now), string(m.Channel), m.SourceID, IntakePending, d.ts(now))
			if err != nil {
				return wrap("taking over intake message", err)
			}
			n, err := res.RowsAffected()
			if err != nil {
				return wrap("taking over intake message", err)
			}
			claimed = n == 1
		}
		stored, err = scanIntake(t.queryRow("SELECT "+intakeColumns+" FROM intake_messages m WHERE m.channel = ? AND m.source_id = ?",
			string(m.Channel), m.SourceID))
		return wrap("reading intake message", err)
	})
	if err != nil {
		return IntakeMessage{}, false, err
	}
	return stored, claimed, nil
}

// DecideIntakeMessage records what the pending message id is being turned
// into (decision "file", or "repeat" of case ref) before it is done, so a
// retry after a crash does the same.
func (s *Store) DecideIntakeMessage(ctx context.Context, id int64, decision, ref, detail string) error {
	return s.updateIntake(ctx, "deciding intake message", `UPDATE intake_messages SET decision = ?, case_ref = ?, detail = ?,
		updated_at = ? WHERE id = ? AND status = ?`, decision, ref, detail, id, IntakePending)
}

// FinishIntakeMessage records the outcome of the pending message id:
// status IntakeFiled or IntakeRepeat, of case ref. Its lease ends.
func (s *Store) FinishIntakeMessage(ctx context.Context, id int64, status, ref, detail string) error {
	if status != IntakeFiled && status != IntakeRepeat {
		return errors.New("store: an intake message finishes as filed or repeat, not " + status)
	}
	return s.updateIntake(ctx, "finishing intake message", `UPDATE intake_messages SET status = ?, case_ref = ?, detail = ?,
		lease_until = NULL, updated_at = ? WHERE id = ? AND status = ?`, status, ref, detail, id, IntakePending)
}

// ReleaseIntakeMessage ends the lease of the pending message id, so that a
// retry may take it over at once.
func (s *Store) ReleaseIntakeMessage(ctx context.Context, id int64) error {
	now := complaint.Timestamp(s.now())
	return s.write(ctx, func(t *tx) error {
		_, err := t.exec("UPDATE intake_messages SET lease_until = NULL, updated_at = ? WHERE id = ? AND status = ?",
			t.s.d.ts(now), id, IntakePending)
		return wrap("releasing intake message", err)
	})
}

// updateIntake runs an update of one pending intake message whose
// arguments are: its new values, then (added here) the time, the id and
// the status it must have.
func (s *Store) updateIntake(ctx context.Context, what, query string, a ...any) error {
	now := complaint.Timestamp(s.now())
	return s.write(ctx, func(t *tx) error {
		args := append(append([]any{}, a[:len(a)-2]...), t.s.d.ts(now), a[len(a)-2], a[len(a)-1])
		res, err := t.exec(query, args...)
		if err != nil {
			return wrap(what, err)
		}
		if n, err := res.RowsAffected(); err != nil || n != 1 {
			return wrap(what, errors.Join(err, errors.New("it is not pending")))
		}
		return nil
	})
}

// IntakeMessageBySource returns the message a channel received with that
// source id, or complaint.ErrNotFound.
func (s *Store) IntakeMessageBySource(ctx context.Context, channel complaint.Channel, sourceID string) (IntakeMessage, error) {
	m, err := scanIntake(s.queryRow(ctx, "SELECT "+intakeColumns+" FROM intake_messages m WHERE m.channel = ? AND m.source_id = ?",
		string(channel), sourceID))
	if errors.Is(err, sql.ErrNoRows) {
		return IntakeMessage{}, complaint.ErrNotFound
	}
	return m, wrap("reading intake message", err)
}

// IntakeMessagesOfCase returns the messages that opened case ref or were
// linked to it, in the order they were received.
func (s *Store) IntakeMessagesOfCase(ctx context.Context, ref string) ([]IntakeMessage, error) {
	rows, err := s.query(ctx, "SELECT "+intakeColumns+" FROM intake_messages m WHERE m.case_ref = ? ORDER BY m.received_at, m.id", ref)
	if err != nil {
		return nil, wrap("reading intake messages", err)
	}
	defer rows.Close()
	out := []IntakeMessage{}
	for rows.Next() {
		m, err := scanIntake(rows)
		if err != nil {
			return nil, wrap("reading intake messages", err)
		}
		out = append(out, m)
	}
	return out, wrap("reading intake messages", rows.Err())
}

// CountIntakeMessages returns how many intake messages there are in each
// status.
func (s *Store) CountIntakeMessages(ctx context.Context) (map[string]int, error) {
	rows, err := s.query(ctx, "SELECT status, COUNT(*) FROM intake_messages GROUP BY status")
	if err != nil {
		return nil, wrap("counting intake messages", err)
	}
	defer rows.Close()
	counts := map[string]int{}
	for rows.Next() {
		var st string
		var n int
		if err := rows.Scan(&st, &n); err != nil {
			return nil, wrap("counting intake messages", err)
		}
		counts[st] = n
	}
	return counts, wrap("counting intake messages", rows.Err())
}

// CaseRefByIdempotencyKey returns the case that a create request with this
// idempotency key opened, or complaint.ErrNotFound.
func (s *Store) CaseRefByIdempotencyKey(ctx context.Context, scope, key string) (string, error) {
	var ref string
	err := s.queryRow(ctx, "SELECT case_ref FROM idempotency_keys WHERE scope = ? AND key = ?", scope, key).Scan(&ref)
	if errors.Is(err, sql.ErrNoRows) {
		return "", complaint.ErrNotFound
	}
	return ref, wrap("reading idempotency key", err)
}

// CustomerKeys identify a customer for repeat detection: any one that
// matches makes a case the customer's. Empty keys match nothing.
type CustomerKeys struct {
	ID    string
	Email string // lower case, as complaint.Draft.Normalize leaves it
	// Phones are the forms a phone number may be stored in, without
	// spaces, hyphens and parentheses (such as 13800138000 and
	// +8613800138000); intake messages keep the first.
	Phones []string
}

// RecentCase is an open case with the time it was last complained about:
// the latest receipt of the intake messages linked to it or, without
// any, its creation.
type RecentCase struct {
	Case     *complaint.Case
	LastSeen time.Time
}

// phoneKey is cases.customer_phone without separators; the index
// cases_customer_phone is on the same expression.
const phoneKey = "replace(replace(replace(replace(c.customer_phone, ' ', ''), '-', ''), '(', ''), ')', '')"

// maxRecent bounds the candidate cases a lookup returns.
const maxRecent = 100

// OpenCasesOfCustomer returns the open cases (not resolved, closed or
// withdrawn) of the customer that any of keys names, last complained about
// at or after since, the most recent first (at most 100). A case is the
// customer's when its own customer matches, or the sender of an intake
// message linked to it does (a customer who emailed, then rang from a
// phone number, is found by that number too).
func (s *Store) OpenCasesOfCustomer(ctx context.Context, k CustomerKeys, since time.Time) ([]RecentCase, error) {
	b := &builder{d: s.d}
	var terms, msgTerms []string
	// Placeholders are numbered in the order they are made (SQLite's are
	// positional): the message terms come after the case terms.
	if k.ID != "" {
		terms = append(terms, "c.customer_id = "+b.arg(k.ID))
	}
	if k.Email != "" {
		terms = append(terms, "c.customer_email = "+b.arg(k.Email))
	}
	if len(k.Phones) > 0 {
		phones := make([]any, len(k.Phones))
		for i, p := range k.Phones {
			phones[i] = p
		}
		terms = append(terms, phoneKey+" IN ("+b.list(phones...)+")")
	}
	if len(terms) == 0 {
		return []RecentCase{}, nil
	}
	if k.ID != "" {
		msgTerms = append(msgTerms, "mk.customer_id = "+b.arg(k.ID))
	}
	if k.Email != "" {
		msgTerms = append(msgTerms, "mk.customer_email = "+b.arg(k.Email))
	}
	if len(k.Phones) > 0 {
		msgTerms = append(msgTerms, "mk.customer_phone = "+b.arg(k.Phones[0]))
	}
	cond := "(" + strings.Join(terms, " OR ") + " OR c.ref IN (SELECT mk.case_ref FROM intake_messages mk WHERE " +
		strings.Join(msgTerms, " OR ") + "))"
	return s.recentCases(ctx, b, cond, since)
}

// CustomersOfCases returns, for each of the cases, the senders of the
// intake messages linked to it (each sender once).
func (s *Store) CustomersOfCases(ctx context.Context, refs []string) (map[string][]complaint.Customer, error) {
	out := map[string][]complaint.Customer{}
	if len(refs) == 0 {
		return out, nil
	}
	b := &builder{d: s.d}
	args := make([]any, len(refs))
	for i, r := range refs {
		args[i] = r
	}
	b.write("SELECT DISTINCT m.case_ref, m.customer_id, m.customer_email, m.customer_phone FROM intake_messages m WHERE m.case_ref IN (",
		b.list(args...), ") ORDER BY m.case_ref, m.customer_id, m.customer_email, m.customer_phone")
	rows, err := s.db.QueryContext(ctx, b.String(), b.args...)
	if err != nil {
		return nil, wrap("reading senders", err)
	}
	defer rows.Close()
	for rows.Next() {
		var ref string
		var c complaint.Customer
		if err := rows.Scan(&ref, &c.ID, &c.Email, &c.Phone); err != nil {
			return nil, wrap("reading senders", err)
		}
		out[ref] = append(out[ref], c)
	}
	return out, wrap("reading senders", rows.Err())
}

// OpenCasesWithTransactions returns the open cases that name any of the
// transactions, last complained about at or after since, the most recent
// first (at most 100).
func (s *Store) OpenCasesWithTransactions(ctx context.Context, txnIDs []string, since time.Time) ([]RecentCase, error) {
	if len(txnIDs) == 0 {
		return []RecentCase{}, nil
	}
	b := &builder{d: s.d}
	ids := make([]any, len(txnIDs))
	for i, id := range txnIDs {
		ids[i] = id
	}
	return s.recentCases(ctx, b, "c.id IN (SELECT ct.case_id FROM case_transactions ct WHERE ct.txn_id IN ("+b.list(ids...)+"))", since)
}

// recentCases runs the query of the open cases that match cond (whose
// arguments b holds) and were last complained about at or after since.
func (s *Store) recentCases(ctx context.Context, b *builder, cond string, since time.Time) ([]RecentCase, error) {
	closed := anys([]complaint.Status{complaint.StatusResolved, complaint.StatusClosed, complaint.StatusWithdrawn})
	inner := "SELECT " + caseColumns + `, COALESCE((SELECT MAX(m.received_at) FROM intake_messages m WHERE m.case_ref = c.ref),
		c.created_at) AS last_seen FROM cases c WHERE ` + cond + " AND c.status NOT IN (" + b.list(closed...) + ")"
	b.write("SELECT * FROM (", inner, ") x WHERE x.last_seen >= ", b.arg(s.d.ts(complaint.Timestamp(since))),
		" ORDER BY x.last_seen DESC, x.id DESC LIMIT ", b.arg(maxRecent))
	rows, err := s.db.QueryContext(ctx, b.String(), b.args...)
	if err != nil {
		return nil, wrap("finding open cases", err)
	}
	defer rows.Close()
	out := []RecentCase{}
	for rows.Next() {
		var last time.Time
		c, err := scanCase(scanWithExtra{rows, []any{instant{&last}}})
		if err != nil {
			return nil, wrap("finding open cases", err)
		}
		out = append(out, RecentCase{Case: c, LastSeen: last})
	}
	return out, wrap("finding open cases", rows.Err())
}

// scanWithExtra scans the columns of a case followed by extra columns.
type scanWithExtra struct {
	r     rowScanner
	extra []any
}

func (s scanWithExtra) Scan(dest ...any) error { return s.r.Scan(append(dest, s.extra...)...) }

// ImportCheckpoint is how far the import of one file got. The file is
// known by its content, so a renamed copy resumes too and an edited file
// starts again (intake's idempotency keeps that from creating anything
// twice).
type ImportCheckpoint struct {
	Kind       string // what was imported: hotline, chat, ledger, …
	FileSHA256 string
	Path       string // where the file was last imported from, for people
	Next       int    // records before this index (0-based) are done
	Done       bool   // the whole file was imported
	UpdatedAt  time.Time
}

// ImportCheckpoint returns the checkpoint of a file, or the zero
// checkpoint (Next 0) if it was never imported.
func (s *Store) ImportCheckpoint(ctx context.Context, kind, fileSHA256 string) (ImportCheckpoint, error) {
	cp := ImportCheckpoint{Kind: kind, FileSHA256: fileSHA256}
	err := s.queryRow(ctx, "SELECT path, next_record, done, updated_at FROM import_checkpoints WHERE kind = ? AND file_sha256 = ?",
		kind, fileSHA256).Scan(&cp.Path, &cp.Next, &cp.Done, instant{&cp.UpdatedAt})
	if errors.Is(err, sql.ErrNoRows) {
		return cp, nil
	}
	return cp, wrap("reading import checkpoint", err)
}

// SaveImportCheckpoint records how far an import got. A checkpoint never
// moves back: a slower, older import of the same file cannot undo a newer
// one's progress.
func (s *Store) SaveImportCheckpoint(ctx context.Context, cp ImportCheckpoint) error {
	now := complaint.Timestamp(s.now())
	return s.write(ctx, func(t *tx) error {
		_, err := t.exec(`INSERT INTO import_checkpoints (kind, file_sha256, path, next_record, done, updated_at)
			VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (kind, file_sha256) DO UPDATE SET path = excluded.path,
			next_record = CASE WHEN excluded.next_record > import_checkpoints.next_record
				THEN excluded.next_record ELSE import_checkpoints.next_record END,
			done = CASE WHEN excluded.done THEN excluded.done ELSE import_checkpoints.done END,
			updated_at = excluded.updated_at`,
			cp.Kind, cp.FileSHA256, cp.Path, cp.Next, cp.Done, t.s.d.ts(now))
		return wrap("saving import checkpoint", err)
	})
}

// LedgerEntry is one transaction of the platform's ledger export and the
// customer it belongs to.
type LedgerEntry struct {
	CustomerID  string
	Transaction complaint.Transaction
	ImportedAt  time.Time // set by the store
}

// maxLedgerBatch bounds the rows of one insert statement.
const maxLedgerBatch = 500

// UpsertLedger stores ledger entries in one transaction, replacing the
// stored entry of a transaction id that is already there (a later export
// is the truth). Cases keep the snapshots they took.
func (s *Store) UpsertLedger(ctx context.Context, entries []LedgerEntry) error {
	if len(entries) == 0 {
		return nil
	}
	now := complaint.Timestamp(s.now())
	return s.write(ctx, func(t *tx) error {
		for start := 0; start < len(entries); start += maxLedgerBatch {
			batch := entries[start:min(len(entries), start+maxLedgerBatch)]
			b := &builder{d: t.s.d}
			b.write(`INSERT INTO ledger_transactions (txn_id, customer_id, at, amount_minor, currency, counterparty,
				merchant_id, status, imported_at) VALUES `)
			seen := map[string]bool{}
			n := 0
			// A transaction listed twice in one batch: the last one wins, as
			// it would across batches (one statement may not upsert a row twice).
			for i := len(batch) - 1; i >= 0; i-- {
				e := batch[i]
				if seen[e.Transaction.ID] {
					continue
				}
				seen[e.Transaction.ID] = true
				if n > 0 {
					b.write(", ")
				}
				n++
				x := e.Transaction
				b.write("(", b.list(x.ID, e.CustomerID, t.s.d.ts(complaint.Timestamp(x.Time)), x.Amount.Minor, x.Amount.Currency,
					x.Counterparty, x.MerchantID, x.Status, t.s.d.ts(now)), ")")
			}
			b.write(` ON CONFLICT (txn_id) DO UPDATE SET customer_id = excluded.customer_id, at = excluded.at,
				amount_minor = excluded.amount_minor, currency = excluded.currency, counterparty = excluded.counterparty,
				merchant_id = excluded.merchant_id, status = excluded.status, imported_at = excluded.imported_at`)
			if _, err := t.tx.ExecContext(t.ctx, b.String(), b.args...); err != nil {
				return wrap("storing ledger transactions", err)
			}
		}
		return nil
	})
}

const ledgerColumns = "l.txn_id, l.customer_id, l.at, l.amount_minor, l.currency, l.counterparty, l.merchant_id, l.status, l.imported_at"

func scanLedger(r rowScanner) (LedgerEntry, error) {
	var e LedgerEntry
	x := &e.Transaction
	err := r.Scan(&x.ID, &e.CustomerID, instant{&x.Time}, &x.Amount.Minor, &x.Amount.Currency, &x.Counterparty,
		&x.MerchantID, &x.Status, instant{&e.ImportedAt})
	return e, err
}

// LedgerTransaction returns the ledger entry of a transaction, or
// complaint.ErrNotFound.
func (s *Store) LedgerTransaction(ctx context.Context, txnID string) (LedgerEntry, error) {
	e, err := scanLedger(s.queryRow(ctx, "SELECT "+ledgerColumns+" FROM ledger_transactions l WHERE l.txn_id = ?", txnID))
	if errors.Is(err, sql.ErrNoRows) {
		return LedgerEntry{}, complaint.ErrNotFound
	}
	return e, wrap("reading ledger transaction", err)
}

// LedgerByCustomer returns the customer's ledger entries with a time in
// [from, to), oldest first; a zero bound is open. At most limit entries
// are returned (limit <= 0 means 1000).
func (s *Store) LedgerByCustomer(ctx context.Context, customerID string, from, to time.Time, limit int) ([]LedgerEntry, error) {
	if limit <= 0 {
		limit = 1000
	}
	b := &builder{d: s.d}
	b.write("SELECT ", ledgerColumns, " FROM ledger_transactions l WHERE l.customer_id = ", b.arg(customerID))
	if !from.IsZero() {
		b.write(" AND l.at >= ", b.arg(s.d.ts(complaint.Timestamp(from))))
	}
	if !to.IsZero() {
		b.write(" AND l.at < ", b.arg(s.d.ts(complaint.Timestamp(to))))
	}
	b.write(" ORDER BY l.at, l.txn_id LIMIT ", b.arg(limit))
	rows, err := s.db.QueryContext(ctx, b.String(), b.args...)
	if err != nil {
		return nil, wrap("reading ledger", err)
	}
	defer rows.Close()
	out := []LedgerEntry{}
	for rows.Next() {
		e, err := scanLedger(rows)
		if err != nil {
			return nil, wrap("reading ledger", err)
		}
		out = append(out, e)
	}
	return out, wrap("reading ledger", rows.Err())
}
