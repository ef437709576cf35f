package complaint

import (
	"fmt"
	"time"
)

// The commands below check the rules, and on success record an event: the
// event is applied to the case and returned for the caller to store. On
// error the case is unchanged.

// Open starts a case from a normalized, valid draft. The case has no store
// id yet; ref is its public reference (see NewRef).
func Open(d Draft, ref string, actor Actor, now time.Time) (*Case, Event, error) {
	if err := d.Validate(); err != nil {
		return nil, Event{}, err
	}
	now = Timestamp(now)
	c := &Case{
		Ref: ref, Customer: d.Customer, Channel: d.Channel, Language: d.Language,
		Subject: d.Subject, Description: d.Description, Category: d.Category,
		Severity: d.Severity, Priority: d.Priority, Status: StatusNew, Stage: d.Stage,
		Team: d.Team, MerchantID: d.MerchantID,
		Transactions: append([]Transaction{}, d.Transactions...),
		Attachments:  append([]Attachment{}, d.Attachments...),
		ExternalRef:  d.ExternalRef, Deadlines: []Deadline{}, Tasks: []Task{},
		CreatedAt: now, UpdatedAt: now,
	}
	opened := &Case{Ref: ref}
	e, err := opened.record(KindCreated, Public, actor, now, nil, c, "")
	if err != nil {
		return nil, Event{}, err
	}
	return opened, e, nil
}

// Transition moves the case to status to, with an optional reason.
func (c *Case) Transition(to Status, reason string, actor Actor, now time.Time, rules Rules) (Event, error) {
	return c.transition(to, reason, actor, now, rules, false)
}

// ResolveOverridingTasks resolves the case although tasks with other
// departments are still open: a supervisor's decision, so the reason is
// required and recorded.
func (c *Case) ResolveOverridingTasks(reason string, actor Actor, now time.Time, rules Rules) (Event, error) {
	if reason == "" {
		return Event{}, &ValidationError{Code: CodeRequired, Field: "reason", Message: "an override needs a reason"}
	}
	return c.transition(StatusResolved, reason, actor, now, rules, true)
}

func (c *Case) transition(to Status, reason string, actor Actor, now time.Time, rules Rules, overrideTasks bool) (Event, error) {
	now = Timestamp(now)
	if err := rules.checkTransition(c, to, now, overrideTasks); err != nil {
		return Event{}, err
	}
	if err := checkOptionalMessage(reason); err != nil {
		return Event{}, err
	}
	return c.record(KindStatusChanged, Public, actor, now, c.Status, to, reason)
}

// AdvanceStage moves the case forward to stage to.
func (c *Case) AdvanceStage(to Stage, reason string, actor Actor, now time.Time) (Event, error) {
	if !to.Valid() {
		return Event{}, invalid("stage", fmt.Sprintf("unknown stage %q", to))
	}
	if !c.Stage.CanAdvanceStage(to) {
		return Event{}, &RuleError{Code: CodeStageBackwards,
			Message: fmt.Sprintf("a case at stage %s cannot move to stage %s: stages only move forward", c.Stage, to)}
	}
	if err := checkOptionalMessage(reason); err != nil {
		return Event{}, err
	}
	return c.record(KindStageChanged, Public, actor, Timestamp(now), c.Stage, to, reason)
}

// Message posts body on the case's public thread.
func (c *Case) Message(body string, actor Actor, now time.Time) (Event, error) {
	if err := CheckMessage(body); err != nil {
		return Event{}, err
	}
	return c.record(KindMessage, Public, actor, Timestamp(now), nil, nil, body)
}

// Note adds an internal note that only staff can see.
func (c *Case) Note(body string, actor Actor, now time.Time) (Event, error) {
	if err := CheckMessage(body); err != nil {
		return Event{}, err
	}
	return c.record(KindNote, Internal, actor, Timestamp(now), nil, nil, body)
}

// Assign hands the case to a team and optionally an agent (id 0 for none).
func (c *Case) Assign(to Assignment, actor Actor, now time.Time) (Event, error) {
	if err := to.Validate(); err != nil {
		return Event{}, err
	}
	from := Assignment{Team: c.Team, AssigneeID: c.AssigneeID, AssigneeName: c.AssigneeName}
	if from == to {
		return Event{}, &RuleError{Code: CodeNoChange, Message: "the case is already held by that team and assignee"}
	}
	return c.record(KindAssigned, Internal, actor, Timestamp(now), from, to, "")
}

// Validate checks an assignment's fields.
func (a Assignment) Validate() error {
	if err := checkText("team", a.Team, MaxIdentifier, true, false); err != nil {
		return err
	}
	if a.AssigneeID < 0 {
		return invalid("assignee_id", "assignee_id must be a user id, or 0 for nobody")
	}
	if err := checkText("assignee_name", a.AssigneeName, MaxName, false, false); err != nil {
		return err
	}
	return checkText("reason", a.Reason, MaxMessage, false, true)
}

// Classify sets (or corrects) the category, severity and priority.
func (c *Case) Classify(to Classification, actor Actor, now time.Time) (Event, error) {
	for _, err := range []error{
		checkText("category", to.Category, MaxIdentifier, true, false),
		checkEnum("severity", to.Severity, Severity.Valid),
		checkEnum("priority", to.Priority, Priority.Valid),
	} {
		if err != nil {
			return Event{}, err
		}
	}
	from := Classification{Category: c.Category, Severity: c.Severity, Priority: c.Priority}
	if from == to {
		return Event{}, &RuleError{Code: CodeNoChange, Message: "the case already has that classification"}
	}
	return c.record(KindClassified, Internal, actor, Timestamp(now), from, to, "")
}

// LinkTransaction attaches a transaction snapshot to the case as evidence.
func (c *Case) LinkTransaction(t Transaction, actor Actor, now time.Time) (Event, error) {
	t.Time = Timestamp(t.Time)
	if err := t.Validate("transaction"); err != nil {
		return Event{}, err
	}
	if len(c.Transactions) >= MaxTransactions {
		return Event{}, checkCount("transactions", len(c.Transactions)+1, MaxTransactions)
	}
	for _, have := range c.Transactions {
		if have.ID == t.ID {
			return Event{}, &RuleError{Code: CodeNoChange, Message: "transaction " + t.ID + " is already linked"}
		}
	}
	return c.record(KindTransactionLinked, Public, actor, Timestamp(now), nil, t, "")
}

// Timestamp is how redress stores instants: UTC, to the microsecond (the
// precision both SQLite and PostgreSQL keep), so a replayed case equals the
// stored one.
func Timestamp(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

func checkOptionalMessage(s string) error {
	if s == "" {
		return nil
	}
	return CheckMessage(s)
}

// record makes the next event of the case, chains and applies it.
func (c *Case) record(kind EventKind, vis Visibility, actor Actor, now time.Time, before, after any, body string) (Event, error) {
	e := Event{
		CaseID: c.ID, CaseRef: c.Ref, Seq: c.Version + 1, At: now, Actor: actor,
		Kind: kind, Visibility: vis, Body: body, PrevHash: c.LastHash,
	}
	if before != nil {
		e.Before = mustJSON(before)
	}
	if after != nil {
		e.After = mustJSON(after)
	}
	e.Hash = e.ComputeHash()
	if err := c.Apply(e); err != nil {
		return Event{}, err
	}
	return e, nil
}
