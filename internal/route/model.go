package route

import (
	"cmp"
	"slices"
	"strings"
	"time"

	"github.com/redress-project/redress/internal/complaint"
)

// Skills says what work an agent or a team takes. In each list an entry
// matches a case's value regardless of case ("zh-hant" = "zh-Hant"); an
// empty list means any value.
type Skills struct {
	Categories []string `json:"categories,omitempty"`
	Languages  []string `json:"languages,omitempty"` // BCP 47 tags, matched exactly: zh-Hans does not cover zh-Hant
	Channels   []string `json:"channels,omitempty"`
}

// Team is a group of agents with a queue of its own. An agent whose own
// skill list is empty in some dimension takes the team's list for it, so a
// team's scope is set once.
type Team struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	Skills Skills `json:"skills"`
}

// Availability is what an agent says about themselves.
type Availability string

// The availabilities. Only an online agent who is also on shift (see Shift)
// receives cases.
const (
	Online   Availability = "online"
	Away     Availability = "away"
	OffShift Availability = "off_shift"
)

// Valid reports whether a is a known availability.
func (a Availability) Valid() bool { return a == Online || a == Away || a == OffShift }

// Agent is a member of staff who can be given cases.
type Agent struct {
	ID           int64        `json:"id"`
	Name         string       `json:"name"`
	Team         string       `json:"team"` // a Team ID; may be empty
	Skills       Skills       `json:"skills"`
	Capacity     int          `json:"capacity"` // most open cases at once; 0 takes none
	Availability Availability `json:"availability"`
	Shift        Shift        `json:"-"`
	Load         int          `json:"load"` // open cases held now
}

// label is how reasons name the agent.
func (a *Agent) label() string {
	if a.Name != "" {
		return a.Name
	}
	return "agent #" + itoa(a.ID)
}

// Item is a case as routing sees it.
type Item struct {
	CaseRef   string             `json:"case_ref"`
	Category  string             `json:"category"`
	Language  string             `json:"language"`
	Channel   string             `json:"channel"`
	Team      string             `json:"team,omitempty"` // only this team's agents may take it; empty: any team
	Priority  complaint.Priority `json:"priority"`
	Due       time.Time          `json:"due,omitzero"` // earliest deadline; zero: none
	CreatedAt time.Time          `json:"created_at"`
	// AssigneeID is the agent holding the case now; 0 while it waits.
	AssigneeID int64 `json:"assignee_id,omitempty"`
	// Pinned marks an assignment made by a supervisor: Assign and Rebalance
	// leave the case where it is. See Router.Pin.
	Pinned bool `json:"pinned,omitempty"`
}

// FromCase returns the routing view of a case. due is its earliest open
// deadline (zero for none) and pinned whether a supervisor pinned the
// current assignment; neither is part of complaint.Case.
func FromCase(c *complaint.Case, due time.Time, pinned bool) Item {
	return Item{
		CaseRef: c.Ref, Category: c.Category, Language: c.Language, Channel: string(c.Channel),
		Team: c.Team, Priority: c.Priority, Due: due, CreatedAt: c.CreatedAt,
		AssigneeID: c.AssigneeID, Pinned: pinned,
	}
}

// CompareQueue orders waiting items: higher priority first (an unknown
// priority after P4), then the earlier deadline (items without one after
// those with one), then the older, then by reference so the order is total.
func CompareQueue(a, b Item) int {
	if c := cmp.Compare(queueRank(a.Priority), queueRank(b.Priority)); c != 0 {
		return c
	}
	if c := compareDue(a.Due, b.Due); c != 0 {
		return c
	}
	if c := a.CreatedAt.Compare(b.CreatedAt); c != 0 {
		return c
	}
	return strings.Compare(a.CaseRef, b.CaseRef)
}

// SortQueue sorts items in place into the order CompareQueue defines.
func SortQueue(items []Item) { slices.SortFunc(items, CompareQueue) }

func queueRank(p complaint.Priority) int {
	if r := p.Rank(); r > 0 {
		return r
	}
	return len(complaint.Priorities) + 1
}

func compareDue(a, b time.Time) int {
	switch {
	case a.IsZero() && b.IsZero():
		return 0
	case a.IsZero():
		return 1
	case b.IsZero():
		return -1
	}
	return a.Compare(b)
}

// matches reports whether value is in list. An empty list matches anything,
// and an empty value (a case not yet classified in that respect) any list.
func matches(list []string, value string) bool {
	if len(list) == 0 || value == "" {
		return true
	}
	for _, s := range list {
		if strings.EqualFold(s, value) {
			return true
		}
	}
	return false
}
