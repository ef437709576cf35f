// Package desk is where complaints are handled: the application service
// that the API, the web UI and the command line call. Every method takes
// the calling principal and checks it with access.Authorize before doing
// anything, loads the case, runs a domain command, and stores the events.
package desk

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/redress-project/redress/internal/access"
	"github.com/redress-project/redress/internal/complaint"
	"github.com/redress-project/redress/internal/store"
)

// Desk handles complaints on behalf of principals.
type Desk struct {
	store *store.Store
	rules complaint.Rules
	now   func() time.Time
}

// Option configures a Desk.
type Option func(*Desk)

// WithClock makes the desk read the time from now (for tests).
func WithClock(now func() time.Time) Option { return func(d *Desk) { d.now = now } }

// WithRules replaces the default lifecycle rules.
func WithRules(r complaint.Rules) Option { return func(d *Desk) { d.rules = r } }

// New returns a desk over st.
func New(st *store.Store, opts ...Option) *Desk {
	d := &Desk{store: st, rules: complaint.DefaultRules, now: time.Now}
	for _, o := range opts {
		o(d)
	}
	return d
}

// maxAttempts bounds retries after a reference collision.
const maxAttempts = 5

// File opens a case from a draft. A customer files for themself: the
// draft's customer id is theirs whatever it says. Staff file on a
// customer's behalf (hotline, referrals). With an idempotency key, a retry
// of the same request returns the case the first one opened and replayed
// is true; the same key with a different request is an error.
func (d *Desk) File(ctx context.Context, p access.Principal, draft complaint.Draft, idemKey string) (c *complaint.Case, replayed bool, err error) {
	if err := access.Authorize(p, access.FileComplaint, nil); err != nil {
		return nil, false, err
	}
	if p.Role == complaint.RoleCustomer {
		draft = asOwnComplaint(p, draft)
	}
	draft.Normalize()
	if err := draft.Validate(); err != nil {
		return nil, false, err
	}
	idem, err := idempotency(p, idemKey, draft)
	if err != nil {
		return nil, false, err
	}
	for range maxAttempts {
		now := d.now()
		c, e, err := complaint.Open(draft, complaint.NewRef(now), p.Actor(), now)
		if err != nil {
			return nil, false, err
		}
		err = d.store.CreateCase(ctx, c, &e, idem)
		var replay *store.IdempotentReplay
		switch {
		case err == nil:
			return c, false, nil
		case errors.As(err, &replay):
			c, err := d.store.CaseByRef(ctx, replay.Ref)
			return c, true, err
		case errors.Is(err, store.ErrRefTaken):
			continue
		default:
			return nil, false, err
		}
	}
	return nil, false, errors.New("desk: could not find a free case reference")
}

// asOwnComplaint fills and pins the customer fields of a customer's own
// complaint from their account. Triage (severity, priority, stage, team) is
// staff's to decide, so whatever the draft says of it is dropped; the
// complaint type the customer chose is kept as a first guess.
func asOwnComplaint(p access.Principal, draft complaint.Draft) complaint.Draft {
	draft.Severity, draft.Priority, draft.Stage, draft.Team = "", "", "", ""
	draft.Customer.ID = p.CustomerID
	if draft.Customer.Name == "" {
		draft.Customer.Name = p.Name
	}
	if draft.Customer.Email == "" {
		draft.Customer.Email = p.Email
	}
	if draft.Channel == "" {
		draft.Channel = complaint.ChannelWeb
	}
	return draft
}

func idempotency(p access.Principal, key string, draft complaint.Draft) (*store.Idempotency, error) {
	if key == "" {
		return nil, nil
	}
	if len(key) > 128 {
		return nil, &complaint.ValidationError{Code: complaint.CodeTooLong, Field: "Idempotency-Key",
			Message: "an idempotency key must be at most 128 characters"}
	}
	body, err := json.Marshal(draft)
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(body)
	return &store.Idempotency{Scope: IdempotencyScope(p), Key: key, RequestHash: hex.EncodeToString(sum[:])}, nil
}

// IdempotencyScope is the scope File records a principal's idempotency
// keys under: keys are per caller.
func IdempotencyScope(p access.Principal) string { return fmt.Sprintf("user:%d", p.UserID) }

// Get returns a case the principal may see.
func (d *Desk) Get(ctx context.Context, p access.Principal, ref string) (*complaint.Case, error) {
	c, err := d.load(ctx, ref)
	if err != nil {
		return nil, err
	}
	if err := access.Authorize(p, access.ViewCase, c); err != nil {
		return nil, err
	}
	return c, nil
}

// Timeline returns the events of a case that the principal may see, oldest
// first: customers and merchants see public events only.
func (d *Desk) Timeline(ctx context.Context, p access.Principal, ref string) ([]complaint.Event, error) {
	_, events, err := d.View(ctx, p, ref)
	return events, err
}

// View returns a case and the events of it the principal may see.
func (d *Desk) View(ctx context.Context, p access.Principal, ref string) (*complaint.Case, []complaint.Event, error) {
	c, err := d.Get(ctx, p, ref)
	if err != nil {
		return nil, nil, err
	}
	events, err := d.store.Events(ctx, c.ID)
	if err != nil {
		return nil, nil, err
	}
	visible := events[:0]
	for _, e := range events {
		if access.CanSeeEvent(p, e) {
			visible = append(visible, e)
		}
	}
	return c, visible, nil
}

// List returns a page of the cases the principal may see that match f.
func (d *Desk) List(ctx context.Context, p access.Principal, f store.CaseFilter) (store.CasePage, error) {
	if err := access.Authorize(p, access.ListCases, nil); err != nil {
		return store.CasePage{}, err
	}
	f.Scope = access.Scope(p)
	return d.store.ListCases(ctx, f)
}

func (d *Desk) load(ctx context.Context, ref string) (*complaint.Case, error) {
	if !complaint.ValidRef(ref) {
		return nil, complaint.ErrNotFound
	}
	return d.store.CaseByRef(ctx, ref)
}
