// Package intake takes complaints in from every channel — email, hotline
// call records, chat transcripts, social media posts, referrals from
// regulators and consumer associations — and turns each into exactly one
// case, or into a repeat of the open case it is about.
//
// Every channel normalises what it receives into a Message: a
// complaint.Draft, the transaction ids it names, and the original payload.
// Service.Submit then, for each message:
//
//  1. keeps the original (intake_messages), once per channel and source
//     id, so the same message arriving twice (a re-import, a retried
//     delivery) changes nothing;
//  2. resolves the transaction ids through a txsource.Source and puts the
//     snapshots into the draft, so the case shows the payments as they
//     were when it was opened;
//  3. asks the Deduper whether the customer already has an open case about
//     the same matter: then the message is linked to it as a repeat
//     (desk.AddRepeat), the case's priority goes up one step and any new
//     transactions are linked; otherwise a case is filed (desk.File, with
//     an idempotency key derived from the message);
//  4. records a referring body's deadline on the case (desk.SetDeadline).
//
// The work is done as access.SystemPrincipal. Each step can be retried:
// a message whose handler died is taken over once its lease runs out and
// finishes the way it was decided.
package intake

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/redress-project/redress/internal/access"
	"github.com/redress-project/redress/internal/complaint"
	"github.com/redress-project/redress/internal/desk"
	"github.com/redress-project/redress/internal/store"
	"github.com/redress-project/redress/internal/txsource"
)

// Message is one complaint as a channel received it.
type Message struct {
	Channel complaint.Channel
	// SourceID is the message's id at its source (an email's Message-ID,
	// a call id, a post id, a referral's reference number). Empty means
	// the SHA-256 of Payload is used: identical payloads are one message.
	SourceID string
	// ReceivedAt is when the channel received it; zero means now.
	ReceivedAt time.Time
	// Payload is the message exactly as it arrived; it is kept.
	Payload []byte
	// Draft is the complaint; Channel is set from the message's.
	Draft complaint.Draft
	// TransactionIDs name payments the complaint is about; they are looked
	// up in the transaction source and snapshotted into the case. Ids the
	// source does not know are noted on the case for an agent.
	TransactionIDs []string
	// MentionedIDs are possible transaction ids found in free text (an
	// email's body): linked if the source knows them, else ignored.
	MentionedIDs []string
	// MatchText is the text compared with open cases to find a repeat;
	// empty means the draft's subject and description.
	MatchText string
	// Deadline, if set, is a referring body's deadline for the answer.
	Deadline *complaint.Deadline
}

// Limits of a message.
const (
	// MaxPayload is the largest original kept.
	MaxPayload = 32 << 20
	// MaxSourceID bounds a source id, in bytes.
	MaxSourceID = 512
)

// Result is what became of a message.
type Result struct {
	CaseRef string `json:"case_ref"`
	// Created: the message opened a new case.
	Created bool `json:"created"`
	// Repeat: the message was linked to an open case as a repeat.
	Repeat bool `json:"repeat"`
	// Duplicate: the message had been taken in before; nothing changed.
	Duplicate bool `json:"duplicate"`
	// Changed, with Duplicate: the earlier message under the same source
	// id had different content (it was not taken in again).
	Changed bool `json:"changed,omitempty"`
	// Reason says why a repeat was matched to its case.
	Reason string `json:"reason,omitempty"`
	// Unresolved lists the transaction ids the source did not know.
	Unresolved []string `json:"unresolved_transactions,omitempty"`
}

// ErrBusy means another handler is working on the same message right now;
// try again after Until.
type ErrBusy struct{ Until time.Time }

func (e *ErrBusy) Error() string {
	return "intake: the message is being handled by another process; try again after " + e.Until.Format(time.RFC3339)
}

// Options configure a Service.
type Options struct {
	// Transactions resolves transaction ids; nil leaves them unresolved
	// (noted on the case).
	Transactions txsource.Source
	// RepeatWindow and MinSimilarity tune the Deduper (0: the defaults).
	RepeatWindow  time.Duration
	MinSimilarity float64
	// Now is the clock for receipt times; nil means time.Now. (Leases run
	// on the store's clock.)
	Now func() time.Time
	// Lease is how long a handler holds a message before another may take
	// it over; 0 means one minute.
	Lease time.Duration
}

// Service takes messages in. It is safe for concurrent use.
type Service struct {
	st    *store.Store
	desk  *desk.Desk
	tx    txsource.Source
	dedup *Deduper
	now   func() time.Time
	lease time.Duration
	as    access.Principal
	locks [64]sync.Mutex
}

// New returns a service filing through d into st.
func New(st *store.Store, d *desk.Desk, opts Options) *Service {
	s := &Service{st: st, desk: d, tx: opts.Transactions, now: opts.Now, lease: opts.Lease, as: access.SystemPrincipal,
		dedup: &Deduper{Store: st, Window: opts.RepeatWindow, MinSimilarity: opts.MinSimilarity}}
	if s.now == nil {
		s.now = time.Now
	}
	if s.lease <= 0 {
		s.lease = time.Minute
	}
	return s
}

// Deduper returns the service's repeat detector.
func (s *Service) Deduper() *Deduper { return s.dedup }

// Prepare normalises and checks a message without storing anything: the
// draft must be valid once its transactions are resolved. Submit calls it;
// importers call it to report a bad record before submitting anything.
func (m *Message) Prepare(now time.Time) error {
	if !m.Channel.Valid() {
		return &complaint.ValidationError{Code: complaint.CodeInvalid, Field: "channel", Message: fmt.Sprintf("unknown channel %q", m.Channel)}
	}
	if len(m.Payload) > MaxPayload {
		return &complaint.ValidationError{Code: complaint.CodeTooLong, Field: "payload",
			Message: fmt.Sprintf("the original message is %d bytes, over the limit of %d", len(m.Payload), MaxPayload)}
	}
	m.SourceID = strings.TrimSpace(m.SourceID)
	if len(m.SourceID) > MaxSourceID || !utf8.ValidString(m.SourceID) {
		return &complaint.ValidationError{Code: complaint.CodeInvalid, Field: "source_id",
			Message: fmt.Sprintf("the source id must be UTF-8 text of at most %d bytes", MaxSourceID)}
	}
	if m.ReceivedAt.IsZero() {
		m.ReceivedAt = now
	}
	m.ReceivedAt = complaint.Timestamp(m.ReceivedAt)
	if m.ReceivedAt.Year() < 2000 || m.ReceivedAt.After(now.Add(24*time.Hour)) {
		return &complaint.ValidationError{Code: complaint.CodeInvalid, Field: "received_at",
			Message: "the time received must be after 2000 and not in the future"}
	}
	m.Draft.Channel = m.Channel
	m.Draft.Normalize()
	m.TransactionIDs = cleanIDs(m.TransactionIDs)
	m.MentionedIDs = slices.DeleteFunc(cleanIDs(m.MentionedIDs), func(id string) bool { return slices.Contains(m.TransactionIDs, id) })
	for _, id := range m.TransactionIDs {
		if utf8.RuneCountInString(id) > complaint.MaxIdentifier {
			return &complaint.ValidationError{Code: complaint.CodeTooLong, Field: "transaction_ids",
				Message: fmt.Sprintf("transaction id %q is over %d characters", cut(id, 20), complaint.MaxIdentifier)}
		}
	}
	if len(m.TransactionIDs) > complaint.MaxTransactions {
		return &complaint.ValidationError{Code: complaint.CodeTooLong, Field: "transaction_ids",
			Message: fmt.Sprintf("at most %d transactions (got %d)", complaint.MaxTransactions, len(m.TransactionIDs))}
	}
	if m.Deadline != nil {
		dl := *m.Deadline
		if dl.State == "" {
			dl.State = complaint.DeadlineRunning
		}
		if dl.Name == "" || !dl.State.Valid() || dl.Due.IsZero() {
			return &complaint.ValidationError{Code: complaint.CodeInvalid, Field: "deadline", Message: "a deadline needs a name, a due time and a state"}
		}
		m.Deadline = &dl
	}
	return m.Draft.Validate()
}

func cleanIDs(ids []string) []string {
	var out []string
	for _, id := range ids {
		if id = strings.TrimSpace(id); id != "" && !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out
}

// sourceKey is the id the message is kept under in its channel.
func (m *Message) sourceKey() (key, sum string) {
	h := sha256.Sum256(m.Payload)
	sum = hex.EncodeToString(h[:])
	if m.SourceID != "" {
		return m.SourceID, sum
	}
	return "sha256:" + sum, sum
}

// Submit takes a message in: it files a case, links the message to the
// open case it repeats, or, for a message taken in before, returns what
// became of it then. A message that is not valid is a
// *complaint.ValidationError and nothing is stored.
func (s *Service) Submit(ctx context.Context, m Message) (res Result, err error) {
	now := s.now()
	if err := m.Prepare(now); err != nil {
		return Result{}, err
	}
	key, sum := m.sourceKey()
	unlock := s.lock(m.Draft.Customer)
	defer unlock()

	sender := m.Draft.Customer
	sender.Name, sender.Phone = "", NormalizePhone(sender.Phone)
	stored, claimed, err := s.st.ClaimIntakeMessage(ctx, store.IntakeMessage{Channel: m.Channel, SourceID: key,
		ReceivedAt: m.ReceivedAt, Payload: m.Payload, SHA256: sum, Customer: sender}, s.lease)
	if err != nil {
		return Result{}, err
	}
	if !claimed {
		if stored.Status == store.IntakePending {
			return Result{}, &ErrBusy{Until: stored.LeaseUntil}
		}
		return Result{CaseRef: stored.CaseRef, Duplicate: true, Changed: stored.SHA256 != sum,
			Repeat: stored.Status == store.IntakeRepeat, Reason: stored.Detail}, nil
	}
	defer func() {
		if err != nil {
			// Let a retry take the message over at once.
			rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
			defer cancel()
			_ = s.st.ReleaseIntakeMessage(rctx, stored.ID)
		}
	}()
	// A message taken over keeps its received time as first stored.
	m.ReceivedAt = stored.ReceivedAt

	draft, unresolved, err := s.resolve(ctx, m)
	if err != nil {
		return Result{}, err
	}
	res.Unresolved = unresolved
	retry := stored.Decision != ""

	decision, ref, reason := stored.Decision, stored.CaseRef, stored.Detail
	if decision == "" {
		ids := append(slices.Clone(m.TransactionIDs), transactionIDs(draft.Transactions)...)
		match, err := s.dedup.Find(ctx, draft, cleanIDs(ids), m.MatchText, m.ReceivedAt)
		if err != nil {
			return Result{}, err
		}
		decision = "file"
		if match != nil {
			decision, ref, reason = "repeat", match.Case.Ref, match.Reason
		}
		if err := s.st.DecideIntakeMessage(ctx, stored.ID, decision, ref, reason); err != nil {
			return Result{}, err
		}
	}
	if decision == "repeat" {
		if err := s.repeat(ctx, ref, m, draft, reason, retry); err != nil {
			return Result{}, err
		}
		if len(unresolved) > 0 {
			if err := s.noteOnce(ctx, ref, unresolvedNote(m.Channel, unresolved, s.tx == nil)); err != nil {
				return Result{}, err
			}
		}
		res.CaseRef, res.Repeat, res.Reason = ref, true, reason
		return res, s.st.FinishIntakeMessage(ctx, stored.ID, store.IntakeRepeat, ref, reason)
	}
	c, created, err := s.file(ctx, m, key, draft)
	if err != nil {
		return Result{}, err
	}
	if err := s.afterFiling(ctx, c, m, unresolved); err != nil {
		return Result{}, err
	}
	res.CaseRef, res.Created = c.Ref, created || retry
	return res, s.st.FinishIntakeMessage(ctx, stored.ID, store.IntakeFiled, c.Ref, "")
}

// lock serialises the messages of one customer within this process, so
// that two arriving together cannot both open a case.
func (s *Service) lock(c complaint.Customer) (unlock func()) {
	var idx []int
	add := func(k string) {
		if k == "" {
			return
		}
		h := fnv.New32a()
		h.Write([]byte(k))
		if i := int(h.Sum32() % uint32(len(s.locks))); !slices.Contains(idx, i) {
			idx = append(idx, i)
		}
	}
	if c.ID != "" {
		add("id:" + c.ID)
	}
	if c.Email != "" {
		add("email:" + strings.ToLower(c.Email))
	}
	if p := NormalizePhone(c.Phone); p != "" {
		add("phone:" + p)
	}
	slices.Sort(idx)
	for _, i := range idx {
		s.locks[i].Lock()
	}
	return func() {
		for _, i := range slices.Backward(idx) {
			s.locks[i].Unlock()
		}
	}
}

// resolve returns the draft with the snapshots of the message's
// transactions and the ids the source did not know.
func (s *Service) resolve(ctx context.Context, m Message) (complaint.Draft, []string, error) {
	d := m.Draft
	d.Transactions = slices.Clone(d.Transactions)
	have := func(id string) bool {
		return slices.ContainsFunc(d.Transactions, func(t complaint.Transaction) bool { return t.ID == id })
	}
	var unresolved []string
	lookup := func(id string, named bool) error {
		if have(id) || len(d.Transactions) >= complaint.MaxTransactions {
			return nil
		}
		if s.tx == nil {
			if named {
				unresolved = append(unresolved, id)
			}
			return nil
		}
		t, err := s.tx.Lookup(ctx, id)
		switch {
		case errors.Is(err, txsource.ErrNotFound):
			if named {
				unresolved = append(unresolved, id)
			}
			return nil
		case err != nil:
			return fmt.Errorf("intake: looking up transaction %s: %w", id, err)
		}
		t.Time = complaint.Timestamp(t.Time)
		if t.Validate("transaction") != nil {
			// A source row a case could not hold: leave it to an agent.
			if named {
				unresolved = append(unresolved, id)
			}
			return nil
		}
		d.Transactions = append(d.Transactions, t)
		return nil
	}
	for _, id := range m.TransactionIDs {
		if err := lookup(id, true); err != nil {
			return d, nil, err
		}
	}
	for i, id := range m.MentionedIDs {
		if i >= maxMentioned {
			break
		}
		if err := lookup(id, false); err != nil {
			return d, nil, err
		}
	}
	if d.MerchantID == "" {
		for _, t := range d.Transactions {
			if t.MerchantID != "" {
				d.MerchantID = t.MerchantID
				break
			}
		}
	}
	return d, unresolved, nil
}

// maxMentioned bounds the lookups of ids guessed from free text.
const maxMentioned = 10

func transactionIDs(ts []complaint.Transaction) []string {
	ids := make([]string, len(ts))
	for i, t := range ts {
		ids[i] = t.ID
	}
	return ids
}

// idempotencyKey is the key a message files its case under.
func idempotencyKey(ch complaint.Channel, key string) string {
	h := sha256.Sum256([]byte(string(ch) + "\x00" + key))
	return "intake:" + hex.EncodeToString(h[:24])
}

// file opens the case of a message, or finds the one an earlier attempt
// opened.
func (s *Service) file(ctx context.Context, m Message, key string, draft complaint.Draft) (*complaint.Case, bool, error) {
	idem := idempotencyKey(m.Channel, key)
	c, replayed, err := s.desk.File(ctx, s.as, draft, idem)
	if errors.Is(err, store.ErrIdempotencyMismatch) {
		// An earlier attempt filed it before the source changed what the
		// draft's snapshots hold: that case stands.
		ref, lerr := s.st.CaseRefByIdempotencyKey(ctx, desk.IdempotencyScope(s.as), idem)
		if lerr != nil {
			return nil, false, errors.Join(err, lerr)
		}
		c, err = s.st.CaseByRef(ctx, ref)
		return c, false, err
	}
	return c, !replayed, err
}

// afterFiling records what the new case owes and lacks: a referring body's
// deadline and the transactions that could not be resolved. Each step is
// skipped if an earlier attempt did it.
func (s *Service) afterFiling(ctx context.Context, c *complaint.Case, m Message, unresolved []string) error {
	if err := s.setDeadline(ctx, c, m.Deadline); err != nil {
		return err
	}
	if len(unresolved) > 0 {
		return s.noteOnce(ctx, c.Ref, unresolvedNote(m.Channel, unresolved, s.tx == nil))
	}
	return nil
}

// noteOnce adds an internal note to case ref unless it has that note.
func (s *Service) noteOnce(ctx context.Context, ref, note string) error {
	events, err := s.desk.Timeline(ctx, s.as, ref)
	if err != nil {
		return err
	}
	if slices.ContainsFunc(events, func(e complaint.Event) bool { return e.Kind == complaint.KindNote && e.Body == note }) {
		return nil
	}
	_, _, err = s.desk.Note(ctx, s.as, ref, note)
	return err
}

func unresolvedNote(ch complaint.Channel, ids []string, noSource bool) string {
	why := "were not found in the transaction source"
	if noSource {
		why = "could not be looked up: no transaction source is configured"
	}
	return fmt.Sprintf("Intake: the transaction(s) %s named in the %s message %s; link them by hand once found.",
		strings.Join(ids, ", "), ch, why)
}

func (s *Service) setDeadline(ctx context.Context, c *complaint.Case, dl *complaint.Deadline) error {
	if dl == nil {
		return nil
	}
	want := *dl
	want.Due = complaint.Timestamp(want.Due)
	if have, ok := c.DeadlineNamed(want.Name); ok && have.Due.Equal(want.Due) && have.State == want.State && have.Spec == want.Spec {
		return nil
	}
	_, _, err := s.desk.SetDeadline(ctx, s.as, c.Ref, want)
	return err
}

// repeat links the message to the open case ref: the repeat event, the
// priority raised one step (with the reason, in an internal note), the
// message's transactions that the case lacks, and a referral's deadline
// and stage. On a retry, the steps an earlier attempt did are skipped.
func (s *Service) repeat(ctx context.Context, ref string, m Message, draft complaint.Draft, reason string, retry bool) error {
	r := complaint.Repeat{Channel: m.Channel, ReceivedAt: m.ReceivedAt, Subject: draft.Subject,
		Description: draft.Description, ExternalRef: draft.ExternalRef, Reason: cut(reason, complaint.MaxShortText)}
	added := true
	if retry {
		events, err := s.desk.Timeline(ctx, s.as, ref)
		if err != nil {
			return err
		}
		added = !slices.ContainsFunc(events, func(e complaint.Event) bool { return e.Kind == complaint.KindRepeat && sameRepeat(e, r) })
	}
	c, err := s.desk.Get(ctx, s.as, ref)
	if err != nil {
		return err
	}
	if added {
		if c, _, err = s.desk.AddRepeat(ctx, s.as, ref, r); err != nil {
			return err
		}
		if up := raise(c.Priority); up != c.Priority {
			from := c.Priority
			if c, _, err = s.desk.Classify(ctx, s.as, ref, complaint.Classification{Category: c.Category, Severity: c.Severity, Priority: up}); err != nil {
				return err
			}
			note := fmt.Sprintf("Intake: priority raised from %s to %s: the customer complained again by %s (%s); %d repeat(s) so far.",
				strings.ToUpper(string(from)), strings.ToUpper(string(up)), m.Channel, reason, c.Repeats)
			if c, _, err = s.desk.Note(ctx, s.as, ref, note); err != nil {
				return err
			}
		}
	}
	for _, t := range draft.Transactions {
		if len(c.Transactions) >= complaint.MaxTransactions {
			break
		}
		if slices.ContainsFunc(c.Transactions, func(x complaint.Transaction) bool { return x.ID == t.ID }) {
			continue
		}
		if c, _, err = s.desk.LinkTransaction(ctx, s.as, ref, t); err != nil {
			return err
		}
	}
	if err := s.setDeadline(ctx, c, m.Deadline); err != nil {
		return err
	}
	if m.Deadline != nil && c.Stage.CanAdvanceStage(complaint.StageExternalReferral) {
		if _, _, err := s.desk.AdvanceStage(ctx, s.as, ref, complaint.StageExternalReferral,
			cut("referred by "+string(m.Channel)+" "+draft.ExternalRef, complaint.MaxMessage)); err != nil {
			return err
		}
	}
	return nil
}

// sameRepeat reports whether event e recorded repeat r.
func sameRepeat(e complaint.Event, r complaint.Repeat) bool {
	var got complaint.Repeat
	if json.Unmarshal(e.After, &got) != nil {
		return false
	}
	return got.Channel == r.Channel && got.ReceivedAt.Equal(r.ReceivedAt) && got.Subject == r.Subject
}
