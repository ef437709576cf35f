package complaint

// Channel is the door a complaint came in through.
type Channel string

// The channels a complaint can arrive by.
const (
	ChannelApp                 Channel = "app"
	ChannelWeb                 Channel = "web"
	ChannelHotline             Channel = "hotline"
	ChannelChat                Channel = "chat"
	ChannelEmail               Channel = "email"
	ChannelSocial              Channel = "social"
	ChannelRegulator           Channel = "regulator"
	ChannelConsumerAssociation Channel = "consumer_association"
)

// Channels lists every channel in display order.
var Channels = []Channel{ChannelApp, ChannelWeb, ChannelHotline, ChannelChat, ChannelEmail, ChannelSocial, ChannelRegulator, ChannelConsumerAssociation}

// Valid reports whether c is a known channel.
func (c Channel) Valid() bool { return contains(Channels, c) }

// Severity is how much harm the matter does to the customer.
type Severity string

// Severities from least to most harmful.
const (
	SeverityLow      Severity = "low"
	SeverityMedium   Severity = "medium"
	SeverityHigh     Severity = "high"
	SeverityCritical Severity = "critical"
)

// Severities lists every severity from least to most harmful.
var Severities = []Severity{SeverityLow, SeverityMedium, SeverityHigh, SeverityCritical}

// Valid reports whether s is a known severity.
func (s Severity) Valid() bool { return contains(Severities, s) }

// Priority orders the work: P1 is handled first.
type Priority string

// Priorities from most to least urgent.
const (
	PriorityP1 Priority = "p1"
	PriorityP2 Priority = "p2"
	PriorityP3 Priority = "p3"
	PriorityP4 Priority = "p4"
)

// Priorities lists every priority from most to least urgent.
var Priorities = []Priority{PriorityP1, PriorityP2, PriorityP3, PriorityP4}

// Valid reports whether p is a known priority.
func (p Priority) Valid() bool { return contains(Priorities, p) }

// Rank is 1 for P1 up to 4 for P4, 0 for an unknown priority.
func (p Priority) Rank() int { return index(Priorities, p) + 1 }

// Stage is how far a matter has been taken; it only moves forward.
type Stage string

// Stages in the order a matter goes through them.
const (
	StageInquiry          Stage = "inquiry"
	StageComplaint        Stage = "complaint"
	StageAppeal           Stage = "appeal"
	StageExternalReferral Stage = "external_referral"
)

// Stages lists every stage in order.
var Stages = []Stage{StageInquiry, StageComplaint, StageAppeal, StageExternalReferral}

// Valid reports whether s is a known stage.
func (s Stage) Valid() bool { return contains(Stages, s) }

// Visibility says who may see an event.
type Visibility string

// Public events are shown to the customer (and a named merchant); internal
// events only to staff.
const (
	Public   Visibility = "public"
	Internal Visibility = "internal"
)

// Role is what a user is to the system; it decides what they may do.
type Role string

// The roles.
const (
	RoleCustomer   Role = "customer"
	RoleAgent      Role = "agent"
	RoleSupervisor Role = "supervisor"
	RoleMerchant   Role = "merchant"
	RoleAdmin      Role = "admin"
	RoleAuditor    Role = "auditor"
	// RoleSystem is the actor of automatic changes (routing, clocks).
	RoleSystem Role = "system"
)

// Roles lists the roles a user can hold (RoleSystem is not one of them).
var Roles = []Role{RoleCustomer, RoleAgent, RoleSupervisor, RoleMerchant, RoleAdmin, RoleAuditor}

// Valid reports whether r is a role a user can hold.
func (r Role) Valid() bool { return contains(Roles, r) }

// Staff reports whether r works on cases from the inside.
func (r Role) Staff() bool {
	return r == RoleAgent || r == RoleSupervisor || r == RoleAdmin || r == RoleAuditor || r == RoleSystem
}

func contains[T comparable](list []T, v T) bool { return index(list, v) >= 0 }

func index[T comparable](list []T, v T) int {
	for i, x := range list {
		if x == v {
			return i
		}
	}
	return -1
}
