package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/redress-project/redress/internal/complaint"
)

// CreateCase stores a case opened by complaint.Open: the case, its first
// event and an outbox row for that event, in one transaction. It sets c.ID,
// e.CaseID and e.ID.
//
// A case with the same reference exists: ErrRefTaken (retry with a new
// reference). With idem non-nil and its key used before, nothing is stored
// and the error is an *IdempotentReplay naming the earlier case when the
// request hash is the same, else ErrIdempotencyMismatch. Concurrent
// requests with one key open exactly one case.
func (s *Store) CreateCase(ctx context.Context, c *complaint.Case, e *complaint.Event, idem *Idempotency) error {
	if err := checkNew(c, e); err != nil {
		return err
	}
	now := complaint.Timestamp(s.now())
	var caseID, eventID int64
	err := s.write(ctx, func(t *tx) error {
		if idem != nil {
			if err := t.claimIdempotencyKey(idem, c.Ref, now); err != nil {
				return err
			}
		}
		var err error
		if caseID, err = t.insertCase(c); err != nil {
			return err
		}
		if err := t.indexTransactions(caseID, c.Transactions); err != nil {
			return err
		}
		eventID, err = t.insertEvent(caseID, e)
		return err
	})
	if err != nil {
		return err
	}
	c.ID, e.CaseID, e.ID = caseID, caseID, eventID
	return nil
}

// AppendEvents stores events, already applied to c in order, together with
// the new state of c and one outbox row per event, in one transaction. The
// stored case must still be at the version (and hash) the first event
// follows, else nothing is stored and the error is complaint.ErrConflict.
// It sets each event's ID and CaseID.
func (s *Store) AppendEvents(ctx context.Context, c *complaint.Case, events ...*complaint.Event) error {
	if len(events) == 0 {
		return nil
	}
	if err := checkAppend(c, events); err != nil {
		return err
	}
	return s.write(ctx, func(t *tx) error { return t.appendEvents(c, events) })
}

// changesTransactions reports whether events change Case.Transactions, whose
// index rows must then be rewritten. A new event kind that changes them
// belongs here.
func changesTransactions(events []*complaint.Event) bool {
	for _, e := range events {
		if e.Kind == complaint.KindTransactionLinked {
			return true
		}
	}
	return false
}

// checkNew refuses a case and first event that complaint.Open did not make
// together; storing them would break the hash chain.
func checkNew(c *complaint.Case, e *complaint.Event) error {
	switch {
	case c == nil || e == nil:
		return errors.New("store: CreateCase needs a case and its first event")
	case e.Seq != 1 || c.Version != 1 || e.PrevHash != "" || e.Hash != c.LastHash || e.CaseRef != c.Ref:
		return fmt.Errorf("store: event %d of %q is not the first event of case %q", e.Seq, e.CaseRef, c.Ref)
	}
	return nil
}

// checkAppend refuses events that are not the chained tail of c.
func checkAppend(c *complaint.Case, events []*complaint.Event) error {
	if c.ID == 0 {
		return errors.New("store: AppendEvents to a case that was never stored")
	}
	base := c.Version - int64(len(events))
	for i, e := range events {
		chained := i == 0 || e.PrevHash == events[i-1].Hash
		if e.Seq != base+int64(i)+1 || !chained || e.CaseRef != c.Ref {
			return fmt.Errorf("store: event %d does not follow version %d of case %q", e.Seq, base+int64(i), c.Ref)
		}
	}
	if last := events[len(events)-1]; last.Hash != c.LastHash {
		return fmt.Errorf("store: case %q was not left at its last event by the events given", c.Ref)
	}
	return nil
}

// CaseByRef returns the case with reference ref, or complaint.ErrNotFound.
func (s *Store) CaseByRef(ctx context.Context, ref string) (*complaint.Case, error) {
	row := s.queryRow(ctx, "SELECT "+caseColumns+" FROM cases c WHERE c.ref = ?", ref)
	c, err := scanCase(row)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, complaint.ErrNotFound
	}
	return c, wrap("reading case "+ref, err)
}

// Events returns the complete history of a case in sequence order, internal
// events included; none for an unknown case.
func (s *Store) Events(ctx context.Context, caseID int64) ([]complaint.Event, error) {
	return readEvents(s.query(ctx, selectEventsOfCase, caseID))
}

// selectEventsOfCase selects a case's events, oldest first, for readEvents.
const selectEventsOfCase = `SELECT e.id, e.case_id, c.ref, e.seq, e.at, e.actor_id, e.actor_role,
	e.actor_name, e.kind, e.visibility, e.before_data, e.after_data, e.body, e.prev_hash, e.hash
	FROM events e JOIN cases c ON c.id = e.case_id WHERE e.case_id = ? ORDER BY e.seq`

// readEvents reads the rows of selectEventsOfCase.
func readEvents(rows *sql.Rows, err error) ([]complaint.Event, error) {
	if err != nil {
		return nil, wrap("reading events", err)
	}
	defer rows.Close()
	events := []complaint.Event{}
	for rows.Next() {
		var e complaint.Event
		var before, after []byte
		if err := rows.Scan(&e.ID, &e.CaseID, &e.CaseRef, &e.Seq, instant{&e.At}, &e.Actor.ID, &e.Actor.Role,
			&e.Actor.Name, &e.Kind, &e.Visibility, &before, &after, &e.Body, &e.PrevHash, &e.Hash); err != nil {
			return nil, wrap("reading events", err)
		}
		e.Before, e.After = rawJSON(before), rawJSON(after)
		events = append(events, e)
	}
	return events, wrap("reading events", rows.Err())
}

// CountCasesByStatus returns how many cases are in each status, every
// status included (zero when none), for the metrics endpoint.
func (s *Store) CountCasesByStatus(ctx context.Context) (map[complaint.Status]int, error) {
	rows, err := s.query(ctx, "SELECT status, COUNT(*) FROM cases GROUP BY status")
	if err != nil {
		return nil, wrap("counting cases", err)
	}
	defer rows.Close()
	counts := make(map[complaint.Status]int, len(complaint.Statuses))
	for _, st := range complaint.Statuses {
		counts[st] = 0
	}
	for rows.Next() {
		var st complaint.Status
		var n int
		if err := rows.Scan(&st, &n); err != nil {
			return nil, wrap("counting cases", err)
		}
		counts[st] = n
	}
	return counts, wrap("counting cases", rows.Err())
}

// caseFields are the stored columns of a case, in the order of caseArgs.
var caseFields = []string{
	"ref", "customer_id", "customer_name", "customer_email", "customer_phone", "channel", "language",
	"subject", "description", "category", "severity", "priority", "priority_rank", "status", "stage",
	"team", "assignee_id", "assignee_name", "merchant_id", "transactions", "attachments",
	"created_at", "updated_at", "resolved_at", "closed_at", "version", "last_hash",
	"external_ref", "deadlines", "assessment", "repeats", "tasks",
}

var (
	// caseColumns selects a case for scanCase, from cases aliased c.
	caseColumns = "c.id, c." + strings.Join(caseFields, ", c.")
	insertCase  = "INSERT INTO cases (" + strings.Join(caseFields, ", ") + ") VALUES (" +
		strings.TrimSuffix(strings.Repeat("?, ", len(caseFields)), ", ") + ") ON CONFLICT (ref) DO NOTHING RETURNING id"
	updateCase = "UPDATE cases SET " + strings.Join(slices.DeleteFunc(slices.Clone(caseFields), fixedCaseField), " = ?, ") +
		" = ? WHERE id = ? AND version = ? AND last_hash = ?"
)

// fixedCaseField reports whether a column never changes once the case is
// open; updates leave it (and its index) alone.
func fixedCaseField(column string) bool { return column == "ref" || column == "created_at" }

func (t *tx) caseArgs(c *complaint.Case) []any {
	d := t.s.d
	return []any{
		c.Ref, c.Customer.ID, c.Customer.Name, c.Customer.Email, c.Customer.Phone, string(c.Channel), c.Language,
		c.Subject, c.Description, c.Category, string(c.Severity), string(c.Priority), c.Priority.Rank(),
		string(c.Status), string(c.Stage), c.Team, c.AssigneeID, c.AssigneeName, c.MerchantID,
		jsonArray(c.Transactions), jsonArray(c.Attachments),
		d.ts(c.CreatedAt), d.ts(c.UpdatedAt), d.nullTS(c.ResolvedAt), d.nullTS(c.ClosedAt), c.Version, c.LastHash,
		c.ExternalRef, jsonArray(c.Deadlines), jsonObject(c.Assessment), c.Repeats, jsonArray(c.Tasks),
	}
}

// insertCase stores a new case and returns its id; ErrRefTaken when its
// reference is taken.
func (t *tx) insertCase(c *complaint.Case) (int64, error) {
	var id int64
	err := t.queryRow(insertCase, t.caseArgs(c)...).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, ErrRefTaken
	}
	return id, wrap("inserting case", err)
}

// updateCase stores the new state of c if the stored case is still at
// version from with hash prevHash, else returns complaint.ErrConflict.
func (t *tx) updateCase(c *complaint.Case, from int64, prevHash string) error {
	all := t.caseArgs(c)
	args := make([]any, 0, len(all)+3)
	for i, v := range all {
		if !fixedCaseField(caseFields[i]) {
			args = append(args, v)
		}
	}
	res, err := t.exec(updateCase, append(args, c.ID, from, prevHash)...)
	if err != nil {
		return wrap("updating case", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return wrap("updating case", err)
	}
	if n == 0 {
		return complaint.ErrConflict
	}
	return nil
}

// indexTransactions writes the index rows of a case's transactions.
func (t *tx) indexTransactions(caseID int64, txns []complaint.Transaction) error {
	if len(txns) == 0 {
		return nil
	}
	b := &builder{d: t.s.d}
	b.write("INSERT INTO case_transactions (case_id, txn_id, merchant_id) VALUES ")
	for i, x := range txns {
		if i > 0 {
			b.write(", ")
		}
		b.write("(", b.list(caseID, x.ID, x.MerchantID), ")")
	}
	_, err := t.tx.ExecContext(t.ctx, b.String(), b.args...)
	return wrap("indexing transactions", err)
}

// insertEvent stores an event and its outbox row and returns the event's id.
func (t *tx) insertEvent(caseID int64, e *complaint.Event) (int64, error) {
	var id int64
	err := t.queryRow(`INSERT INTO events (case_id, seq, at, actor_id, actor_role, actor_name, kind, visibility,
		before_data, after_data, body, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		caseID, e.Seq, t.s.d.ts(e.At), e.Actor.ID, string(e.Actor.Role), e.Actor.Name, string(e.Kind),
		string(e.Visibility), jsonArg(e.Before), jsonArg(e.After), e.Body, e.PrevHash, e.Hash).Scan(&id)
	if err != nil {
		return 0, wrap(fmt.Sprintf("inserting event %d of case %s", e.Seq, e.CaseRef), err)
	}
	_, err = t.exec("INSERT INTO outbox (event_id, case_ref, kind, created_at) VALUES (?, ?, ?, ?)",
		id, e.CaseRef, string(e.Kind), t.s.d.ts(e.At))
	return id, wrap("inserting outbox row", err)
}

// claimIdempotencyKey records that the key opened case ref; if the key was
// used before, it returns the *IdempotentReplay or ErrIdempotencyMismatch.
// The insert waits for a concurrent transaction holding the same key.
func (t *tx) claimIdempotencyKey(idem *Idempotency, ref string, now time.Time) error {
	var got string
	err := t.queryRow(`INSERT INTO idempotency_keys (scope, key, request_hash, case_ref, created_at)
		VALUES (?, ?, ?, ?, ?) ON CONFLICT (scope, key) DO NOTHING RETURNING case_ref`,
		idem.Scope, idem.Key, idem.RequestHash, ref, t.s.d.ts(now)).Scan(&got)
	if !errors.Is(err, sql.ErrNoRows) {
		return wrap("recording idempotency key", err)
	}
	var hash, earlier string
	err = t.queryRow("SELECT request_hash, case_ref FROM idempotency_keys WHERE scope = ? AND key = ?",
		idem.Scope, idem.Key).Scan(&hash, &earlier)
	switch {
	case err != nil:
		return wrap("reading idempotency key", err)
	case hash != idem.RequestHash:
		return ErrIdempotencyMismatch
	}
	return &IdempotentReplay{Ref: earlier}
}

// rowScanner is a *sql.Row or *sql.Rows.
type rowScanner interface{ Scan(dest ...any) error }

// scanCase reads a case selected with caseColumns.
func scanCase(r rowScanner) (*complaint.Case, error) {
	var c complaint.Case
	var txns, atts, deadlines, assessment, tasks []byte
	err := r.Scan(&c.ID, &c.Ref, &c.Customer.ID, &c.Customer.Name, &c.Customer.Email, &c.Customer.Phone,
		&c.Channel, &c.Language, &c.Subject, &c.Description, &c.Category, &c.Severity, &c.Priority, new(int),
		&c.Status, &c.Stage, &c.Team, &c.AssigneeID, &c.AssigneeName, &c.MerchantID, &txns, &atts,
		instant{&c.CreatedAt}, instant{&c.UpdatedAt}, instant{&c.ResolvedAt}, instant{&c.ClosedAt},
		&c.Version, &c.LastHash, &c.ExternalRef, &deadlines, &assessment, &c.Repeats, &tasks)
	if err != nil {
		return nil, err
	}
	for name, field := range map[string]struct {
		raw []byte
		dst any
	}{"deadlines": {deadlines, &c.Deadlines}, "tasks": {tasks, &c.Tasks}} {
		if err := json.Unmarshal(field.raw, field.dst); err != nil {
			return nil, fmt.Errorf("case %s: %s: %w", c.Ref, name, err)
		}
	}
	if assessment != nil {
		c.Assessment = new(complaint.Assessment)
		if err := json.Unmarshal(assessment, c.Assessment); err != nil {
			return nil, fmt.Errorf("case %s: assessment: %w", c.Ref, err)
		}
	}
	if err := json.Unmarshal(txns, &c.Transactions); err != nil {
		return nil, fmt.Errorf("case %s: transactions: %w", c.Ref, err)
	}
	if err := json.Unmarshal(atts, &c.Attachments); err != nil {
		return nil, fmt.Errorf("case %s: attachments: %w", c.Ref, err)
	}
	return &c, nil
}

// jsonArray encodes a slice as a JSON array, [] when nil.
func jsonArray[T any](v []T) string {
	if v == nil {
		return "[]"
	}
	b, err := json.Marshal(v)
	if err != nil {
		panic("store: encoding " + err.Error()) // the domain types always encode
	}
	return string(b)
}

// jsonObject encodes a pointer to a value as JSON, or NULL when nil.
func jsonObject[T any](v *T) any {
	if v == nil {
		return nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		panic("store: encoding " + err.Error()) // the domain types always encode
	}
	return string(b)
}

// jsonArg passes raw JSON as text (SQLite STRICT TEXT refuses a BLOB), or
// NULL when absent.
func jsonArg(raw json.RawMessage) any {
	if len(raw) == 0 {
		return nil
	}
	return string(raw)
}

func rawJSON(b []byte) json.RawMessage {
	if b == nil {
		return nil
	}
	return json.RawMessage(b)
}
