package route

import "strconv"

// Code says, in a stable machine-readable form, why an agent did not get a
// case: the first four because they do not qualify for it, the rest because
// they cannot take it now.
type Code string

// The codes, in the order reasons list them.
const (
	OtherTeam    Code = "other_team"    // the case names a team the agent is not in
	NoCategory   Code = "no_category"   // does not handle the case's category
	NoLanguage   Code = "no_language"   // does not speak the case's language
	NoChannel    Code = "no_channel"    // does not take the case's channel
	IsAway       Code = "away"          // marked away
	IsOffShift   Code = "off_shift"     // marked off shift
	OutsideShift Code = "outside_shift" // online, but the shift calendar says not working now (holiday, weekend, outside hours)
	ShiftUnknown Code = "shift_unknown" // the shift calendar does not cover today
	AtCapacity   Code = "at_capacity"   // open cases at or above capacity
	Unknown      Code = "unknown_agent" // Rebalance: the holder is no longer in the roster
)

// kind is a Code as a small index, for counters.
type kind uint8

const (
	kOK kind = iota
	kOtherTeam
	kNoCategory
	kNoLanguage
	kNoChannel
	kAway
	kOffShift
	kOutsideShift
	kShiftUnknown
	kAtCapacity
	kUnknown
	numKinds
)

var kindCodes = [numKinds]Code{"", OtherTeam, NoCategory, NoLanguage, NoChannel,
	IsAway, IsOffShift, OutsideShift, ShiftUnknown, AtCapacity, Unknown}

func (k kind) code() Code { return kindCodes[k] }

// unqualified reports whether k says the agent does not qualify at all, as
// opposed to being unable to take the case now.
func (k kind) unqualified() bool { return k >= kOtherTeam && k <= kNoChannel }

// Count is how many agents were passed over for one reason.
type Count struct {
	Code Code `json:"code"`
	N    int  `json:"n"`
}

// Outcome is what a decision did with the case.
type Outcome string

// The outcomes.
const (
	Assigned Outcome = "assigned" // given to Decision.Agent
	Queued   Outcome = "queued"   // no agent can take it now; it waits in its team's queue
	Pinned   Outcome = "pinned"   // a supervisor pinned it to Decision.Agent; routing leaves it there
	Held     Outcome = "held"     // it already has an assignee; Assign leaves it (Rebalance moves cases)
)

// AgentRef names an agent in a decision; the zero value is nobody.
type AgentRef struct {
	ID   int64  `json:"id,omitempty"`
	Name string `json:"name,omitempty"`
}

func refOf(a *Agent) AgentRef { return AgentRef{ID: a.ID, Name: a.Name} }

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
