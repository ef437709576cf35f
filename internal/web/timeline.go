package web

import (
	"encoding/json"
	"time"

	"github.com/redress-project/redress/internal/access"
	"github.com/redress-project/redress/internal/complaint"
	"github.com/redress-project/redress/internal/i18n"
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
	Body     string // a message, a note, or the reason given for a change
}

// viewerKind is who is looking at a timeline, which decides how people are
// named: customers and merchants see "Customer service", staff see roles.
type viewerKind int

const (
	viewerCustomer viewerKind = iota
	viewerMerchant
	viewerStaff
)

// buildTimeline puts events (already filtered to what the viewer may see
// by desk.Timeline) into words in language c.
func buildTimeline(c *i18n.Catalog, viewer access.Principal, kind viewerKind, events []complaint.Event) []entry {
	out := make([]entry, 0, len(events))
	for _, e := range events {
		en := entry{
			Seq: e.Seq, At: e.At, Kind: string(e.Kind), Internal: e.Visibility != complaint.Public,
			Mine:    e.Actor.ID != 0 && e.Actor.ID == viewer.UserID,
			ByStaff: e.Actor.Role.Staff() && e.Actor.Role != complaint.RoleSystem,
		}
		en.Who = actorLabel(c, viewer, kind, e.Actor)
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
			en.Body = e.Body
		case complaint.KindStageChanged:
			var to complaint.Stage
			_ = json.Unmarshal(e.After, &to)
			en.Text = c.T("event.stage", "stage", named(c, "stage.", string(to)))
			en.Body = e.Body
		case complaint.KindMessage:
			en.Text = c.T("event.message", "who", en.Who)
			en.Body = e.Body
		case complaint.KindNote:
			en.Text = c.T("event.note", "who", en.Who)
			en.Body = e.Body
		case complaint.KindAssigned:
			var to complaint.Assignment
			_ = json.Unmarshal(e.After, &to)
			team := named(c, "team.", to.Team)
			if to.AssigneeName != "" {
				en.Text = c.T("event.assigned", "team", team, "agent", to.AssigneeName)
			} else {
				en.Text = c.T("event.assigned.team", "team", team)
			}
		case complaint.KindClassified:
			var to complaint.Classification
			_ = json.Unmarshal(e.After, &to)
			en.Text = c.T("event.classified", "category", named(c, "category.", to.Category),
				"severity", named(c, "severity.", string(to.Severity)), "priority", named(c, "priority.", string(to.Priority)))
		case complaint.KindTransactionLinked:
			var t complaint.Transaction
			_ = json.Unmarshal(e.After, &t)
			en.Text = c.T("event.transaction", "id", t.ID, "amount", t.Amount.String())
		case complaint.KindAttachmentAdded:
			var a complaint.Attachment
			_ = json.Unmarshal(e.After, &a)
			en.Text = c.T("event.attachment", "name", a.Name)
		default:
			en.Text = string(e.Kind)
		}
		out = append(out, en)
	}
	return out
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
