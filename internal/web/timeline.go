package web

import (
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"github.com/redress-project/redress/internal/access"
	"github.com/redress-project/redress/internal/complaint"
	"github.com/redress-project/redress/internal/i18n"
	"github.com/redress-project/redress/internal/taxonomy"
)

// entry is one event of a case's timeline, put into words for the viewer.
type entry struct {
	Seq      int64
	At       time.Time
	Kind     string // the event kind, for styling
	Internal bool   // only staff see it; shown as "Internal"
	Who      string // who did it, as the viewer knows them
	Mine     bool   // the viewer did it
	ByStaff  bool
	Text     string // what happened, in a sentence
	Body     shown  // a message, a note, or the reason given for a change (masked for staff and merchants)
}

// viewerKind is who is looking at a timeline, which decides how people are
// named: customers and merchants see "Customer service", staff see roles.
type viewerKind int

const (
	viewerCustomer viewerKind = iota
	viewerMerchant
	viewerStaff
)

// words puts things into a viewer's language: the catalog, the taxonomy's
// category names and the viewer's time zone.
type words struct {
	lang *i18n.Catalog
	tax  *taxonomy.Taxonomy
	tz   *time.Location
}

// category names a category in the viewer's language: the taxonomy's
// name, the catalog's (for "uncategorized"), or the id.
func (w words) category(id string) string {
	if n, ok := w.tax.Name(id, w.lang.Code()); ok {
		return n
	}
	return named(w.lang, "category.", id)
}

// time formats t in the viewer's zone with the catalog's date-time layout.
func (w words) time(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.In(w.tz).Format(w.lang.T("format.datetime"))
}

// eventBody is the free text of an event: a message, a note, a reason, or
// what a repeat complaint said.
func eventBody(e complaint.Event) string {
	if e.Kind == complaint.KindRepeat {
		var r complaint.Repeat
		if json.Unmarshal(e.After, &r) == nil {
			return strings.TrimSpace(strings.TrimSpace(r.Subject) + "\n" + strings.TrimSpace(r.Description))
		}
	}
	if e.Kind == complaint.KindPIIRevealed {
		return "" // the body names a field, said in the text
	}
	return e.Body
}

// buildTimeline puts events (already filtered to what the viewer may see
// by desk.View) into words, masking free text as m says.
func buildTimeline(w words, viewer access.Principal, kind viewerKind, events []complaint.Event, m masker) []entry {
	c := w.lang
	out := make([]entry, 0, len(events))
	for _, e := range events {
		if kind != viewerStaff && e.Kind == complaint.KindDeadline && isTaskDeadline(e) {
			continue // another department's work is staff's business
		}
		en := entry{
			Seq: e.Seq, At: e.At, Kind: string(e.Kind), Internal: e.Visibility != complaint.Public,
			Mine:    e.Actor.ID != 0 && e.Actor.ID == viewer.UserID,
			ByStaff: e.Actor.Role.Staff() && e.Actor.Role != complaint.RoleSystem,
		}
		en.Who = actorLabel(c, viewer, kind, e.Actor)
		if body := eventBody(e); body != "" {
			bm := m
			if en.Mine && kind == viewerMerchant {
				bm.mask = false // a merchant's own words
			}
			en.Body = bm.body(e.Seq, body)
		}
		switch e.Kind {
		case complaint.KindCreated:
			var created complaint.Case
			_ = json.Unmarshal(e.After, &created)
			switch {
			case kind == viewerCustomer:
				en.Text = c.T("event.created.customer")
			default:
				en.Text = c.T("event.created", "channel", named(c, "channel.", string(created.Channel)))
			}
		case complaint.KindStatusChanged:
			var to complaint.Status
			_ = json.Unmarshal(e.After, &to)
			en.Text = c.T("event.status", "status", named(c, "status.", string(to)))
		case complaint.KindStageChanged:
			var to complaint.Stage
			_ = json.Unmarshal(e.After, &to)
			en.Text = c.T("event.stage", "stage", named(c, "stage.", string(to)))
		case complaint.KindMessage:
			en.Text = c.T("event.message", "who", en.Who)
		case complaint.KindNote:
			en.Text = c.T("event.note", "who", en.Who)
		case complaint.KindAssigned:
			var to complaint.Assignment
			_ = json.Unmarshal(e.After, &to)
			team := named(c, "team.", to.Team)
			if to.AssigneeName != "" {
				en.Text = c.T("event.assigned", "team", team, "agent", to.AssigneeName)
			} else {
				en.Text = c.T("event.assigned.team", "team", team)
			}
			if to.Reason != "" && kind == viewerStaff {
				// Routing's explanation: system text, no personal data.
				en.Body = shown{Text: c.T("event.assigned.reason", "reason", to.Reason)}
			}
		case complaint.KindClassified:
			var to complaint.Classification
			_ = json.Unmarshal(e.After, &to)
			en.Text = c.T("event.classified", "category", w.category(to.Category),
				"severity", named(c, "severity.", string(to.Severity)), "priority", named(c, "priority.", string(to.Priority)))
		case complaint.KindTransactionLinked:
			var t complaint.Transaction
			_ = json.Unmarshal(e.After, &t)
			en.Text = c.T("event.transaction", "id", t.ID, "amount", t.Amount.String())
		case complaint.KindAttachmentAdded:
			var a complaint.Attachment
			_ = json.Unmarshal(e.After, &a)
			en.Text = c.T("event.attachment", "name", a.Name)
		case complaint.KindAssessed:
			var a complaint.Assessment
			_ = json.Unmarshal(e.After, &a)
			switch {
			case a.Triage:
				en.Text = c.T("event.assessed.triage")
			case a.Category != "":
				en.Text = c.T("event.assessed", "category", w.category(a.Category), "confidence", percent(a.Confidence))
			default:
				en.Text = c.T("event.assessed.plain")
			}
		case complaint.KindRepeat:
			var r complaint.Repeat
			_ = json.Unmarshal(e.After, &r)
			en.Text = c.T("event.repeat", "channel", named(c, "channel.", string(r.Channel)))
		case complaint.KindDeadline:
			var d complaint.Deadline
			_ = json.Unmarshal(e.After, &d)
			en.Text = c.T("event.deadline", "name", deadlineName(c, d.Name), "state", named(c, "deadline.state.", string(d.State)),
				"due", w.time(d.Due))
		case complaint.KindPIIRevealed:
			en.Text = c.T("event.pii_revealed", "who", en.Who, "field", fieldName(c, e.Body))
		case complaint.KindTaskOpened:
			var t complaint.Task
			_ = json.Unmarshal(e.After, &t)
			en.Text = c.T("event.task_opened", "id", t.ID, "department", named(c, "team.", t.Department), "title", t.Title)
		case complaint.KindTaskClosed:
			var t complaint.Task
			_ = json.Unmarshal(e.After, &t)
			en.Text = c.T("event.task_closed", "id", t.ID)
			if t.Outcome != "" {
				en.Body = m.body(e.Seq, t.Outcome)
			}
		default:
			en.Text = string(e.Kind)
		}
		out = append(out, en)
	}
	return out
}

func isTaskDeadline(e complaint.Event) bool {
	var d complaint.Deadline
	return json.Unmarshal(e.After, &d) == nil && strings.HasPrefix(d.Name, "task:")
}

// percent formats a probability as a whole percentage, "82%".
func percent(p float64) string { return strconv.Itoa(int(p*100+0.5)) + "%" }

// fieldName names a revealable field for the history.
func fieldName(c *i18n.Catalog, field string) string {
	if seq, ok := strings.CutPrefix(field, eventFieldPrefix); ok {
		return c.T("field.event", "seq", seq)
	}
	return named(c, "field.", field)
}

// actorLabel names the actor of an event for the viewer.
func actorLabel(c *i18n.Catalog, viewer access.Principal, kind viewerKind, a complaint.Actor) string {
	switch {
	case a.ID != 0 && a.ID == viewer.UserID:
		return c.T("actor.you")
	case a.Role == complaint.RoleSystem:
		return c.T("actor.system")
	case a.Role.Staff():
		if kind == viewerStaff {
			return c.T("actor.named_role", "name", a.Name, "role", named(c, "role.", string(a.Role)))
		}
		return c.T("actor.service", "name", a.Name)
	case a.Role == complaint.RoleCustomer:
		if kind == viewerMerchant {
			return c.T("actor.customer")
		}
		return c.T("actor.named_role", "name", a.Name, "role", named(c, "role.", string(a.Role)))
	default:
		return c.T("actor.named_role", "name", a.Name, "role", named(c, "role.", string(a.Role)))
	}
}

// named translates an enum value under prefix, falling back to the value.
func named(c *i18n.Catalog, prefix, v string) string {
	if c.Has(prefix + v) {
		return c.T(prefix + v)
	}
	return v
}
