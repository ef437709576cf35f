package sla

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"time"

	"github.com/redress-project/redress/internal/access"
	"github.com/redress-project/redress/internal/clock"
	"github.com/redress-project/redress/internal/complaint"
	"github.com/redress-project/redress/internal/outbox"
	"github.com/redress-project/redress/internal/store"
)

// Options configure a Service (and a Scheduler). Zero values take the
// defaults.
type Options struct {
	Now func() time.Time // default time.Now
	Log *slog.Logger     // default slog.Default()
	// Tier returns the customer's service tier for rule selection; by
	// default every customer is DefaultTier (cases do not carry a tier yet).
	Tier func(*complaint.Case) string
	// Batch is how many timers one scheduler transaction fires (default 100).
	Batch int
	// MaxSleep is the longest the scheduler sleeps between looks at the
	// database (default 500 ms): it bounds how late a timer scheduled by
	// another node can fire.
	MaxSleep time.Duration
}

func (o Options) withDefaults() Options {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Log == nil {
		o.Log = slog.Default()
	}
	if o.Tier == nil {
		o.Tier = func(*complaint.Case) string { return DefaultTier }
	}
	if o.Batch <= 0 {
		o.Batch = 100
	}
	if o.MaxSleep <= 0 {
		o.MaxSleep = 500 * time.Millisecond
	}
	return o
}

// Service keeps the service clocks of every case: its outbox handler
// starts, pauses, resumes and settles them as the case changes, and its
// scheduler fires their warnings and breaches.
type Service struct {
	store    *store.Store
	policies *Policies
	now      func() time.Time
	log      *slog.Logger
	tier     func(*complaint.Case) string
	sched    *Scheduler
}

// New returns a service over st applying policies (DefaultPolicies() if nil).
func New(st *store.Store, policies *Policies, opts Options) *Service {
	if policies == nil {
		policies = DefaultPolicies()
	}
	opts = opts.withDefaults()
	s := &Service{store: st, policies: policies, now: opts.Now, log: opts.Log, tier: opts.Tier}
	s.sched = NewScheduler(st, s.fireFunc, opts)
	return s
}

// Policies returns the policies the service applies.
func (s *Service) Policies() *Policies { return s.policies }

// Scheduler returns the service's timer scheduler (for its statistics).
func (s *Service) Scheduler() *Scheduler { return s.sched }

// RunScheduler fires due timers until ctx ends. Run it on every node (or
// some): the timers are shared through the database and each fires once.
func (s *Service) RunScheduler(ctx context.Context) error { return s.sched.Run(ctx) }

// FireDue fires one batch of due timers and reports what it did.
func (s *Service) FireDue(ctx context.Context) (store.FireReport, error) { return s.sched.RunOnce(ctx) }

// Handler returns the outbox handler that keeps each case's clocks in step
// with its events. It is idempotent: it derives the clocks from the case's
// history and recorded deadlines, so an event delivered twice changes
// nothing the second time.
func (s *Service) Handler() outbox.Handler {
	return outbox.HandlerFunc{ID: "sla", Fn: func(ctx context.Context, item store.OutboxItem) error {
		if !slices.Contains(clockEvents, complaint.EventKind(item.Kind)) {
			return nil
		}
		_, err := s.Reconcile(ctx, item.CaseRef)
		return err
	}}
}

// clockEvents are the kinds of event that can move a clock: the start,
// messages, status changes, deadlines recorded (by intake, say), tasks,
// and classification (which can change the rule).
var clockEvents = []complaint.EventKind{
	complaint.KindCreated, complaint.KindStatusChanged, complaint.KindMessage, complaint.KindDeadline,
	complaint.KindTaskOpened, complaint.KindTaskClosed, complaint.KindClassified,
}

// Reconcile brings the recorded deadlines and pending timers of case ref
// in line with its history and returns the case.
func (s *Service) Reconcile(ctx context.Context, ref string) (*complaint.Case, error) {
	return s.update(ctx, ref, nil)
}

// prelude runs first in a reconciliation, on the locked case; it may
// record events and override clocks' specs.
type prelude func(r *recorder, rule *Rule, f *facts) (map[string]clock.Spec, error)

// update reconciles the case's clocks in one transaction with what pre
// does, then wakes the scheduler if it armed a timer due sooner than the
// scheduler thought.
func (s *Service) update(ctx context.Context, ref string, pre prelude) (*complaint.Case, error) {
	now := s.now()
	var problems []error
	up, err := s.store.UpdateCaseTimers(ctx, ref, func(c *complaint.Case, history []complaint.Event) ([]*complaint.Event, []store.Timer, error) {
		events, timers, probs, err := s.policies.reconcile(c, history, s.tier(c), now, pre)
		problems = probs
		return events, timers, err
	})
	for _, p := range problems {
		s.log.ErrorContext(ctx, "sla: a clock's deadline or warning cannot be worked out", "case", ref, "err", p)
	}
	if err != nil {
		return nil, err
	}
	if at := earliestTimer(up.Armed); !at.IsZero() {
		s.sched.Notify(at)
	}
	return up.Case, nil
}

// reconcile records on c (as the system, at now) every deadline whose
// state differs from what the history says, and returns those events and
// the timers the case should have pending. problems are clocks whose due
// or warnings could not be worked out; they are recorded without a due
// (or without those warnings) rather than holding the case up.
func (p *Policies) reconcile(c *complaint.Case, history []complaint.Event, tier string, now time.Time, pre prelude) (
	events []*complaint.Event, timers []store.Timer, problems []error, err error) {
	rule := p.Select(c, tier)
	f := readHistory(history)
	r := &recorder{c: c, now: now}
	var override map[string]clock.Spec
	if pre != nil {
		if override, err = pre(r, rule, &f); err != nil {
			return nil, nil, nil, err
		}
	}
	states := plan(rule, &f, override)
	for _, cs := range states {
		if cs.err != nil {
			problems = append(problems, fmt.Errorf("case %s: %s: %w", c.Ref, cs.deadline.Name, cs.err))
		}
		if cs.changed() {
			if err := r.setDeadline(cs.deadline); err != nil {
				return nil, nil, nil, err
			}
		}
	}
	timers, more := timersFor(rule, c, states)
	return r.events, timers, append(problems, more...), nil
}

func earliestTimer(timers []store.Timer) time.Time {
	var at time.Time
	for _, tm := range timers {
		if at.IsZero() || tm.FireAt.Before(at) {
			at = tm.FireAt
		}
	}
	return at
}

// Error codes of Extend, in a *complaint.RuleError.
const (
	CodeNoExtension     = "no_extension"      // the clock has no further extension
	CodeClockNotRunning = "clock_not_running" // the clock is not running (stopped, or out of time)
)

// Extend moves a running clock to the policy's next extension, such as a
// resolution clock of 15ld to 30ld for a complex case: a supervisor's
// decision, with a reason that is noted on the case. The due is
// recomputed from the clock's start; warnings start afresh.
func (s *Service) Extend(ctx context.Context, p access.Principal, ref, name, reason string) (*complaint.Case, error) {
	if !complaint.ValidRef(ref) {
		return nil, complaint.ErrNotFound
	}
	if err := complaint.CheckMessage(reason); err != nil {
		return nil, err
	}
	return s.update(ctx, ref, func(r *recorder, rule *Rule, f *facts) (map[string]clock.Spec, error) {
		if err := access.Authorize(p, access.OverrideDecision, r.c); err != nil {
			return nil, err
		}
		next, err := nextExtension(rule, f, name)
		if err != nil {
			return nil, err
		}
		if err := access.Authorize(p, access.AddNote, r.c); err != nil {
			return nil, err
		}
		from, _ := r.c.DeadlineNamed(name)
		note, err := r.c.Note(fmt.Sprintf("Extended %s from %s to %s: %s", name, from.Spec, next, reason), p.Actor(), r.now)
		if err != nil {
			return nil, err
		}
		r.events = append(r.events, &note)
		return map[string]clock.Spec{name: next}, nil
	})
}

// nextExtension returns the spec a running clock is extended to.
func nextExtension(rule *Rule, f *facts, name string) (clock.Spec, error) {
	run := f.runs[name]
	if !slices.Contains(policyClocks, name) || run == nil || !run.stop.IsZero() {
		return clock.Spec{}, &complaint.RuleError{Code: CodeClockNotRunning, Message: "the case has no running " + name + " clock"}
	}
	last, _, _ := f.record(name, run.startSeq, "")
	if last != nil && last.State == complaint.DeadlineBreached {
		return clock.Spec{}, &complaint.RuleError{Code: CodeClockNotRunning,
			Message: "the " + name + " clock has already run out; an extension must be decided before the deadline"}
	}
	current, _ := specFor(rule, name, last, clock.Spec{})
	cp := rule.Clock(name)
	if cp != nil {
		chain := append([]clock.Spec{cp.Spec}, cp.Extensions...)
		if i := slices.Index(chain, current); i >= 0 && i+1 < len(chain) {
			return chain[i+1], nil
		}
	}
	return clock.Spec{}, &complaint.RuleError{Code: CodeNoExtension,
		Message: fmt.Sprintf("the %s clock (%s) cannot be extended further under rule %q", name, current, rule.Name)}
}

// Preview returns the deadlines the service records for case c with this
// history at now, and the timers it sets: Reconcile without a store, for
// tools (redress sla check --filed) and tests. The deadlines are applied
// to c, as the handler applies them.
func (p *Policies) Preview(c *complaint.Case, history []complaint.Event, tier string, now time.Time) ([]complaint.Deadline, []store.Timer, error) {
	events, timers, problems, err := p.reconcile(c, history, tier, now, nil)
	if err == nil {
		err = errors.Join(problems...)
	}
	var ds []complaint.Deadline
	for _, e := range events {
		var d complaint.Deadline
		if json.Unmarshal(e.After, &d) == nil {
			ds = append(ds, d)
		}
	}
	return ds, timers, err
}
