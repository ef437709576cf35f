package api

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"time"

	"github.com/redress-project/redress/internal/access"
	"github.com/redress-project/redress/internal/assess/pii"
	"github.com/redress-project/redress/internal/complaint"
	"github.com/redress-project/redress/internal/taxonomy"
)

// The types in this file are the API's representations of domain values.
// Domain structs that carry state (cases, events, transactions) are never
// sent as they are: a view decides what each caller may see, and it keeps
// the wire format stable when the domain changes. (Plain values such as
// the enums and complaint.Attachment are sent as they are.) Rules:
//   - a case is named by its ref, never by its internal numeric id;
//   - times are RFC 3339 in UTC;
//   - money is {"minor", "currency", "display"};
//   - customers and merchants (who may not view internal details) do not
//     see triage (severity, priority), internal user ids, or anything
//     from internal events; merchants also do not see the customer's
//     contact details, and see personal data in the subject, the
//     description and others' messages masked (pii.Mask), as the web
//     pages show it to them. Both do see the team and the name of the
//     person who holds the case;
//   - staff also see what redress understood of the text (assessment:
//     language, tone, signals, kinds of personal data, predicted category,
//     the reasons for the severity and priority) and the repeat count.

// viewer is what a view needs to know about the caller.
type viewer struct {
	internal bool  // may see internal details (staff)
	merchant bool  // sees the case as a merchant party to it
	userID   int64 // the caller, whose own messages are never masked
}

func viewerOf(p access.Principal) viewer {
	return viewer{
		internal: access.Authorize(p, access.ViewInternal, nil) == nil,
		merchant: p.Role == complaint.RoleMerchant,
		userID:   p.UserID,
	}
}

// CaseView is a case as the API shows it.
type CaseView struct {
	Ref          string                 `json:"ref"`
	Status       complaint.Status       `json:"status"`
	Stage        complaint.Stage        `json:"stage"`
	Channel      complaint.Channel      `json:"channel"`
	Language     string                 `json:"language,omitempty"`
	Subject      string                 `json:"subject"`
	Description  string                 `json:"description"`
	Category     string                 `json:"category"`
	Severity     complaint.Severity     `json:"severity,omitempty"` // staff only
	Priority     complaint.Priority     `json:"priority,omitempty"` // staff only
	Team         string                 `json:"team"`
	AssigneeID   int64                  `json:"assignee_id,omitempty"` // staff only
	AssigneeName string                 `json:"assignee_name,omitempty"`
	Customer     CustomerView           `json:"customer"`
	MerchantID   string                 `json:"merchant_id,omitempty"`
	Transactions []TransactionView      `json:"transactions"`
	Attachments  []complaint.Attachment `json:"attachments"`
	CreatedAt    time.Time              `json:"created_at"`
	UpdatedAt    time.Time              `json:"updated_at"`
	ResolvedAt   *time.Time             `json:"resolved_at,omitempty"`
	ClosedAt     *time.Time             `json:"closed_at,omitempty"`
	Assessment   *AssessmentView        `json:"assessment,omitempty"` // staff only
	Repeats      int                    `json:"repeats,omitempty"`    // staff only
	Deadlines    []DeadlineView         `json:"deadlines"`
	Tasks        []TaskView             `json:"tasks,omitempty"` // staff only
	Version      int64                  `json:"version"`
}

// DeadlineView is a time the platform owes something on the case by.
// Customers and merchants see the clocks owed to them, and a warning as
// running (warnings are for staff).
type DeadlineView struct {
	Name  string                  `json:"name"`
	Spec  string                  `json:"spec,omitempty"`
	Due   *time.Time              `json:"due,omitempty"`
	State complaint.DeadlineState `json:"state"`
}

// TaskView is work the case needs from another department (staff only).
type TaskView struct {
	ID         string     `json:"id"`
	Department string     `json:"department"`
	Title      string     `json:"title"`
	Open       bool       `json:"open"`
	Due        *time.Time `json:"due,omitempty"`
	Outcome    string     `json:"outcome,omitempty"`
}

func deadlineViews(c *complaint.Case, internal bool) []DeadlineView {
	out := []DeadlineView{}
	for _, d := range c.Deadlines {
		if !internal && strings.HasPrefix(d.Name, "task:") {
			continue
		}
		state := d.State
		if !internal && state == complaint.DeadlineWarning {
			state = complaint.DeadlineRunning
		}
		out = append(out, DeadlineView{Name: d.Name, Spec: d.Spec, Due: optionalTime(d.Due), State: state})
	}
	return out
}

func taskViews(tasks []complaint.Task) []TaskView {
	out := make([]TaskView, 0, len(tasks))
	for _, t := range tasks {
		out = append(out, TaskView{ID: t.ID, Department: t.Department, Title: t.Title, Open: t.Open,
			Due: optionalTime(t.Due), Outcome: t.Outcome})
	}
	return out
}

// AssessmentView is what redress understood of a case's text (staff only).
type AssessmentView struct {
	Language   string   `json:"language,omitempty"`
	Sentiment  float64  `json:"sentiment"`
	Signals    []string `json:"signals"`
	PII        []string `json:"pii"` // kinds of personal data found, never the data
	Category   string   `json:"category,omitempty"`
	Confidence float64  `json:"confidence,omitempty"`
	Triage     bool     `json:"triage"`
	// PriorityReasons say why the severity and priority are what they are.
	PriorityReasons []ReasonView `json:"priority_reasons"`
	Model           string       `json:"model,omitempty"`
}

// ReasonView is one reason: a machine code, an optional argument (a
// threshold, a count) and an English phrase.
type ReasonView struct {
	Code string `json:"code"`
	Arg  string `json:"arg,omitempty"`
	Text string `json:"text"`
}

func assessmentView(a *complaint.Assessment) *AssessmentView {
	if a == nil {
		return nil
	}
	av := &AssessmentView{Language: a.Language, Sentiment: a.Sentiment, Signals: append([]string{}, a.Signals...),
		PII: append([]string{}, a.PII...), Category: a.Category, Confidence: a.Confidence, Triage: a.Triage,
		PriorityReasons: []ReasonView{}, Model: a.Model}
	for _, s := range a.PriorityReasons {
		r := taxonomy.ParseReason(s)
		av.PriorityReasons = append(av.PriorityReasons, ReasonView{Code: r.Code, Arg: r.Arg, Text: r.Text})
	}
	return av
}

// CustomerView is the complainant; merchants see the name only.
type CustomerView struct {
	ID    string `json:"id,omitempty"`
	Name  string `json:"name"`
	Email string `json:"email,omitempty"`
	Phone string `json:"phone,omitempty"`
}

// TransactionView is a linked transaction.
type TransactionView struct {
	ID           string    `json:"id"`
	Time         time.Time `json:"time"`
	Amount       MoneyView `json:"amount"`
	Counterparty string    `json:"counterparty,omitempty"`
	MerchantID   string    `json:"merchant_id,omitempty"`
	Status       string    `json:"status,omitempty"`
}

// MoneyView is an amount: integer minor units, the ISO 4217 code, and a
// display string such as "CNY 123.45" for people (never parse it).
type MoneyView struct {
	Minor    int64  `json:"minor"`
	Currency string `json:"currency"`
	Display  string `json:"display"`
}

func caseView(c *complaint.Case, v viewer) CaseView {
	cv := CaseView{
		Ref: c.Ref, Status: c.Status, Stage: c.Stage, Channel: c.Channel, Language: c.Language,
		Subject: c.Subject, Description: c.Description, Category: c.Category,
		Team: c.Team, AssigneeName: c.AssigneeName,
		Customer:     CustomerView{ID: c.Customer.ID, Name: c.Customer.Name, Email: c.Customer.Email, Phone: c.Customer.Phone},
		MerchantID:   c.MerchantID,
		Transactions: make([]TransactionView, 0, len(c.Transactions)),
		Attachments:  append([]complaint.Attachment{}, c.Attachments...),
		CreatedAt:    c.CreatedAt.UTC(), UpdatedAt: c.UpdatedAt.UTC(),
		ResolvedAt: optionalTime(c.ResolvedAt), ClosedAt: optionalTime(c.ClosedAt),
		Version: c.Version, Deadlines: deadlineViews(c, v.internal),
	}
	if v.internal {
		cv.Severity, cv.Priority, cv.AssigneeID = c.Severity, c.Priority, c.AssigneeID
		cv.Assessment, cv.Repeats = assessmentView(c.Assessment), c.Repeats
		cv.Tasks = taskViews(c.Tasks)
	}
	if v.merchant {
		cv.Customer = CustomerView{Name: c.Customer.Name}
		cv.Subject, cv.Description = pii.Mask(c.Subject), pii.Mask(c.Description)
	}
	for _, t := range c.Transactions {
		cv.Transactions = append(cv.Transactions, transactionView(t))
	}
	return cv
}

func transactionView(t complaint.Transaction) TransactionView {
	return TransactionView{ID: t.ID, Time: t.Time.UTC(), Amount: moneyView(t.Amount),
		Counterparty: t.Counterparty, MerchantID: t.MerchantID, Status: t.Status}
}

func moneyView(m complaint.Money) MoneyView {
	return MoneyView{Minor: m.Minor, Currency: m.Currency, Display: m.String()}
}

func optionalTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	t = t.UTC()
	return &t
}

// EventView is one entry of a case's timeline.
type EventView struct {
	Seq        int64                `json:"seq"`
	At         time.Time            `json:"at"`
	Actor      ActorView            `json:"actor"`
	Kind       complaint.EventKind  `json:"kind"`
	Visibility complaint.Visibility `json:"visibility"`
	Before     json.RawMessage      `json:"before,omitempty"`
	After      json.RawMessage      `json:"after,omitempty"`
	Body       string               `json:"body,omitempty"`
	// Redacted is true when Before or After were left out or shortened for
	// this caller; the hash is then of the full event, as stored.
	Redacted bool   `json:"redacted,omitempty"`
	PrevHash string `json:"prev_hash"`
	Hash     string `json:"hash"`
}

// ActorView is who caused an event; the user id is for staff only.
type ActorView struct {
	ID   int64          `json:"id,omitempty"`
	Role complaint.Role `json:"role"`
	Name string         `json:"name"`
}

// publicData lists the event kinds whose Before and After callers without
// internal access may see as stored: they hold only a status, a stage, a
// transaction or an attachment. A created event is shown as a redacted
// case view; any other kind (such as one added later) hides its data
// until it is added here.
var publicData = map[complaint.EventKind]bool{
	complaint.KindStatusChanged:     true,
	complaint.KindStageChanged:      true,
	complaint.KindMessage:           true,
	complaint.KindTransactionLinked: true,
	complaint.KindAttachmentAdded:   true,
}

func eventView(e complaint.Event, v viewer) EventView {
	ev := EventView{
		Seq: e.Seq, At: e.At.UTC(), Actor: ActorView{Role: e.Actor.Role, Name: e.Actor.Name},
		Kind: e.Kind, Visibility: e.Visibility, Before: compact(e.Before), After: compact(e.After), Body: e.Body,
		PrevHash: e.PrevHash, Hash: e.Hash,
	}
	if v.internal {
		ev.Actor.ID = e.Actor.ID
		return ev
	}
	if v.merchant && e.Actor.ID != v.userID {
		ev.Body = pii.Mask(ev.Body)
	}
	switch {
	case publicData[e.Kind]:
	case e.Kind == complaint.KindCreated:
		ev.Before, ev.Redacted = nil, true
		var opened complaint.Case
		if err := json.Unmarshal(e.After, &opened); err != nil {
			ev.After = nil
			break
		}
		ev.After, _ = json.Marshal(caseView(&opened, v))
	default:
		ev.Before, ev.After, ev.Redacted = nil, nil, len(e.Before)+len(e.After) > 0
	}
	return ev
}

func compact(raw json.RawMessage) json.RawMessage {
	if len(raw) == 0 {
		return nil
	}
	var buf bytes.Buffer
	if err := json.Compact(&buf, raw); err != nil {
		return nil
	}
	return buf.Bytes()
}

func eventViews(events []complaint.Event, v viewer) []EventView {
	out := make([]EventView, 0, len(events))
	for _, e := range events {
		out = append(out, eventView(e, v))
	}
	return out
}

// ChangeView answers a command on a case: the case as it is now and the
// events the command recorded that the caller may see.
type ChangeView struct {
	Case   CaseView    `json:"case"`
	Events []EventView `json:"events"`
}

func changeView(c *complaint.Case, events []*complaint.Event, p access.Principal) ChangeView {
	v := viewerOf(p)
	cv := ChangeView{Case: caseView(c, v), Events: []EventView{}}
	for _, e := range events {
		if access.CanSeeEvent(p, *e) {
			cv.Events = append(cv.Events, eventView(*e, v))
		}
	}
	return cv
}

// PrincipalView is the caller, as GET /me shows it.
type PrincipalView struct {
	ID         int64          `json:"id"`
	Name       string         `json:"name"`
	Email      string         `json:"email,omitempty"`
	Role       complaint.Role `json:"role"`
	CustomerID string         `json:"customer_id,omitempty"`
	MerchantID string         `json:"merchant_id,omitempty"`
	Team       string         `json:"team,omitempty"`
}

// CaseList is a page of a listing.
type CaseList struct {
	Items []CaseView `json:"items"`
	// NextCursor fetches the next page; it is absent on the last page.
	NextCursor string `json:"next_cursor,omitempty"`
}

// writeJSON sends v with status. It encodes before writing anything, so a
// value that cannot be encoded becomes a clean 500, never half a body.
func writeJSON(w http.ResponseWriter, status int, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		status = http.StatusInternalServerError
		body, _ = json.Marshal(errorBody{&Error{Code: CodeInternal, Message: "the response could not be encoded"}})
	}
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	_, _ = w.Write(append(body, '\n'))
}
