package complaint

import (
	"fmt"
	"slices"
	"time"
)

// Deadline is a time by which the platform owes something on a case: a
// first response, a resolution, a regulator's answer, a department's task.
// Clocks are kept by the sla package; the case records each change of a
// deadline as an event, so the customer can see what they are owed.
type Deadline struct {
	Name  string        `json:"name"` // e.g. first_response, resolution, regulator, task:T1
	Spec  string        `json:"spec,omitempty"`
	Due   time.Time     `json:"due,omitzero"`
	State DeadlineState `json:"state"`
}

// DeadlineState is where a deadline stands.
type DeadlineState string

// The states of a deadline.
const (
	DeadlineRunning   DeadlineState = "running"
	DeadlinePaused    DeadlineState = "paused"
	DeadlineWarning   DeadlineState = "warning"
	DeadlineBreached  DeadlineState = "breached"
	DeadlineMet       DeadlineState = "met"
	DeadlineCancelled DeadlineState = "cancelled"
)

var deadlineStates = []DeadlineState{DeadlineRunning, DeadlinePaused, DeadlineWarning, DeadlineBreached, DeadlineMet, DeadlineCancelled}

// Valid reports whether s is a known deadline state.
func (s DeadlineState) Valid() bool { return slices.Contains(deadlineStates, s) }

// Assessment is what redress understood from a complaint's text.
type Assessment struct {
	Language        string   `json:"language,omitempty"`   // zh-Hans, zh-Hant, en, other
	Sentiment       float64  `json:"sentiment"`            // -1 (very negative) to 1
	Signals         []string `json:"signals,omitempty"`    // anger, regulator_threat, media_threat, distress, …
	PII             []string `json:"pii,omitempty"`        // kinds of personal data found in the text
	Category        string   `json:"category,omitempty"`   // predicted category
	Confidence      float64  `json:"confidence,omitempty"` // of the predicted category
	Triage          bool     `json:"triage,omitempty"`     // confidence too low: a person must classify
	PriorityReasons []string `json:"priority_reasons,omitempty"`
	Model           string   `json:"model,omitempty"` // which model made the prediction
}

// Repeat is a later complaint about the same matter by the same customer,
// linked to the open case instead of opening another.
type Repeat struct {
	Channel     Channel   `json:"channel"`
	ReceivedAt  time.Time `json:"received_at"`
	Subject     string    `json:"subject,omitempty"`
	Description string    `json:"description,omitempty"`
	ExternalRef string    `json:"external_ref,omitempty"`
	Reason      string    `json:"reason,omitempty"` // why it was matched, e.g. "same transaction T1"
}

// Task is work a case needs from another department (risk, payments
// operations, legal, the merchant team).
type Task struct {
	ID         string    `json:"id"` // T1, T2, … within the case
	Department string    `json:"department"`
	Title      string    `json:"title"`
	Open       bool      `json:"open"`
	Due        time.Time `json:"due,omitzero"`
	Outcome    string    `json:"outcome,omitempty"`
}

// More event kinds; see event.go for the others.
const (
	// KindDeadline: After is the Deadline as it now stands.
	KindDeadline EventKind = "deadline"
	// KindAssessed: After is the Assessment.
	KindAssessed EventKind = "assessed"
	// KindRepeat: After is the Repeat.
	KindRepeat EventKind = "repeat"
	// KindPIIRevealed: Body names the field whose full value was shown.
	KindPIIRevealed EventKind = "pii_revealed"
	// KindTaskOpened: After is the Task. KindTaskClosed: After is the Task as closed.
	KindTaskOpened EventKind = "task_opened"
	KindTaskClosed EventKind = "task_closed"
)

// Error codes of these commands.
const (
	CodeOpenTasks   = "open_tasks"
	CodeUnknownTask = "unknown_task"
)

// SetDeadline records a deadline's new state. Deadlines the customer is
// owed are public; warnings and breaches are for staff.
func (c *Case) SetDeadline(d Deadline, actor Actor, now time.Time) (Event, error) {
	if err := checkText("deadline.name", d.Name, MaxIdentifier, true, false); err != nil {
		return Event{}, err
	}
	if !d.State.Valid() {
		return Event{}, invalid("deadline.state", fmt.Sprintf("unknown deadline state %q", d.State))
	}
	d.Due = Timestamp(d.Due)
	vis := Public
	if d.State == DeadlineWarning || d.State == DeadlineBreached {
		vis = Internal
	}
	return c.record(KindDeadline, vis, actor, Timestamp(now), nil, d, "")
}

// DeadlineNamed returns the case's deadline called name.
func (c *Case) DeadlineNamed(name string) (Deadline, bool) {
	i := slices.IndexFunc(c.Deadlines, func(d Deadline) bool { return d.Name == name })
	if i < 0 {
		return Deadline{}, false
	}
	return c.Deadlines[i], true
}

// Assess records what was understood from the case's text.
func (c *Case) Assess(a Assessment, actor Actor, now time.Time) (Event, error) {
	if a.Sentiment < -1 || a.Sentiment > 1 || a.Confidence < 0 || a.Confidence > 1 {
		return Event{}, invalid("assessment", "sentiment must be within [-1, 1] and confidence within [0, 1]")
	}
	return c.record(KindAssessed, Internal, actor, Timestamp(now), nil, a, "")
}

// AddRepeat links a repeat complaint to the case.
func (c *Case) AddRepeat(r Repeat, actor Actor, now time.Time) (Event, error) {
	r.ReceivedAt = Timestamp(r.ReceivedAt)
	for _, err := range []error{
		checkEnum("channel", r.Channel, Channel.Valid),
		checkText("subject", r.Subject, MaxSubject, false, false),
		checkText("description", r.Description, MaxDescription, false, true),
		checkText("external_ref", r.ExternalRef, MaxIdentifier, false, false),
		checkText("reason", r.Reason, MaxShortText, false, false),
	} {
		if err != nil {
			return Event{}, err
		}
	}
	return c.record(KindRepeat, Internal, actor, Timestamp(now), nil, r, "")
}

// RevealPII records that actor was shown the full value of a masked field.
func (c *Case) RevealPII(field string, actor Actor, now time.Time) (Event, error) {
	if err := checkText("field", field, MaxShortText, true, false); err != nil {
		return Event{}, err
	}
	return c.record(KindPIIRevealed, Internal, actor, Timestamp(now), nil, nil, field)
}

// OpenTask asks a department for work on the case.
func (c *Case) OpenTask(department, title string, due time.Time, actor Actor, now time.Time) (Event, error) {
	for _, err := range []error{
		checkText("department", department, MaxIdentifier, true, false),
		checkText("title", title, MaxShortText, true, false),
	} {
		if err != nil {
			return Event{}, err
		}
	}
	t := Task{ID: fmt.Sprintf("T%d", len(c.Tasks)+1), Department: department, Title: title, Open: true, Due: Timestamp(due)}
	return c.record(KindTaskOpened, Internal, actor, Timestamp(now), nil, t, "")
}

// CloseTask records a department's outcome and closes its task.
func (c *Case) CloseTask(id, outcome string, actor Actor, now time.Time) (Event, error) {
	i := slices.IndexFunc(c.Tasks, func(t Task) bool { return t.ID == id })
	if i < 0 {
		return Event{}, &RuleError{Code: CodeUnknownTask, Message: "the case has no task " + id}
	}
	if !c.Tasks[i].Open {
		return Event{}, &RuleError{Code: CodeNoChange, Message: "task " + id + " is already closed"}
	}
	if err := checkText("outcome", outcome, MaxMessage, true, true); err != nil {
		return Event{}, err
	}
	t := c.Tasks[i]
	t.Open, t.Outcome = false, outcome
	return c.record(KindTaskClosed, Internal, actor, Timestamp(now), c.Tasks[i], t, "")
}

// OpenTasks lists the tasks still open.
func (c *Case) OpenTasks() []Task {
	var open []Task
	for _, t := range c.Tasks {
		if t.Open {
			open = append(open, t)
		}
	}
	return open
}

// applyExtension folds the events of this file; ok is false for other kinds.
func (c *Case) applyExtension(e Event) (ok bool, err error) {
	switch e.Kind {
	case KindDeadline:
		var d Deadline
		if err := unmarshal(e.After, &d); err != nil {
			return true, err
		}
		if i := slices.IndexFunc(c.Deadlines, func(x Deadline) bool { return x.Name == d.Name }); i >= 0 {
			c.Deadlines[i] = d
		} else {
			c.Deadlines = append(c.Deadlines, d)
		}
	case KindAssessed:
		var a Assessment
		if err := unmarshal(e.After, &a); err != nil {
			return true, err
		}
		c.Assessment = &a
	case KindRepeat:
		c.Repeats++
	case KindTaskOpened:
		var t Task
		if err := unmarshal(e.After, &t); err != nil {
			return true, err
		}
		c.Tasks = append(c.Tasks, t)
	case KindTaskClosed:
		var t Task
		if err := unmarshal(e.After, &t); err != nil {
			return true, err
		}
		i := slices.IndexFunc(c.Tasks, func(x Task) bool { return x.ID == t.ID })
		if i < 0 {
			return true, fmt.Errorf("closing unknown task %s", t.ID)
		}
		c.Tasks[i] = t
	case KindPIIRevealed:
	default:
		return false, nil
	}
	return true, nil
}
