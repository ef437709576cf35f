// Package access decides who may do what. Authorize is the one function
// every endpoint's permission check goes through; Scope turns the same rules
// into a filter for listings, so a list never shows what a read would refuse.
package access

import (
	"errors"
	"slices"
	"time"

	"github.com/redress-project/redress/internal/complaint"
)

// User is an account of a person who uses redress.
type User struct {
	ID           int64
	Email        string
	Name         string
	Role         complaint.Role
	PasswordHash string // argon2id, PHC string format
	CustomerID   string // for customers: their id on the payment platform
	MerchantID   string // for merchants: the merchant they act for
	Team         string // for agents and supervisors
	Disabled     bool
	CreatedAt    time.Time
}

// Principal is the authenticated caller of a request.
type Principal struct {
	UserID     int64
	Name       string
	Email      string
	Role       complaint.Role
	CustomerID string
	MerchantID string
	Team       string
}

// PrincipalOf returns the principal a user acts as.
func PrincipalOf(u User) Principal {
	return Principal{UserID: u.ID, Name: u.Name, Email: u.Email, Role: u.Role,
		CustomerID: u.CustomerID, MerchantID: u.MerchantID, Team: u.Team}
}

// SystemPrincipal is the principal of automatic work: clocks, routing,
// assessment, intake.
var SystemPrincipal = Principal{Name: complaint.System.Name, Role: complaint.RoleSystem}

// Actor is how the principal appears in a case's history.
func (p Principal) Actor() complaint.Actor {
	return complaint.Actor{ID: p.UserID, Role: p.Role, Name: p.Name}
}

// Action is something a principal may try to do.
type Action string

// The actions.
const (
	FileComplaint    Action = "complaint.file"     // open a case (for oneself, or on behalf of a customer)
	ViewCase         Action = "case.view"          // see a case and its public timeline
	ViewInternal     Action = "case.view_internal" // see internal notes and events
	ListCases        Action = "case.list"          // list cases (scoped)
	PostMessage      Action = "case.message"       // post on the public thread
	AddNote          Action = "case.note"          // add an internal note
	Transition       Action = "case.transition"    // change status (staff)
	Withdraw         Action = "case.withdraw"      // withdraw one's own case
	Reopen           Action = "case.reopen"        // reopen a resolved or closed case
	AssignCase       Action = "case.assign"        // change team or assignee
	ClassifyCase     Action = "case.classify"      // set or correct category, severity, priority
	AdvanceStage     Action = "case.stage"         // move a case to a later stage
	LinkTransaction  Action = "case.link"          // attach transaction evidence
	ManageUsers      Action = "admin.users"        // create users and tokens
	ViewOperations   Action = "ops.view"           // dashboards and metrics
	OverrideDecision Action = "case.override"      // supervisor overrides
	ViewAudit        Action = "audit.view"         // read the access audit
	SetDeadline      Action = "case.deadline"      // start, pause or settle a service clock (the system)
	RecordAssessment Action = "case.assess"        // record what was understood from the text (the system)
	LinkRepeat       Action = "case.repeat"        // link a repeat complaint to the case
	RevealPII        Action = "case.reveal_pii"    // show a masked personal value in full
	ManageTasks      Action = "case.tasks"         // open and close tasks for other departments
	SetAvailability  Action = "agent.availability" // say whether an agent takes cases (agents their own, supervisors anyone's)
	ManageAgents     Action = "agent.profile"      // set an agent\'s skills, capacity and shift (supervisors)
)

// ErrForbidden means the principal may not do the action. For a case the
// principal may not even see, Authorize returns complaint.ErrNotFound
// instead, so that references cannot be probed.
var ErrForbidden = errors.New("forbidden")

// roleActions lists what each role may do at all; Authorize then narrows
// case actions to the cases the principal is party to.
var roleActions = map[complaint.Role][]Action{
	complaint.RoleCustomer: {FileComplaint, ViewCase, ListCases, PostMessage, Withdraw, Reopen},
	complaint.RoleMerchant: {ViewCase, ListCases, PostMessage},
	complaint.RoleAgent: {FileComplaint, ViewCase, ViewInternal, ListCases, PostMessage, AddNote,
		Transition, Withdraw, Reopen, AssignCase, ClassifyCase, AdvanceStage, LinkTransaction,
		LinkRepeat, RevealPII, ManageTasks, SetAvailability},
	complaint.RoleSupervisor: {FileComplaint, ViewCase, ViewInternal, ListCases, PostMessage, AddNote,
		Transition, Withdraw, Reopen, AssignCase, ClassifyCase, AdvanceStage, LinkTransaction,
		LinkRepeat, RevealPII, ManageTasks, ViewOperations, OverrideDecision, SetAvailability, ManageAgents},
	complaint.RoleAdmin:   {ViewCase, ViewInternal, ListCases, ManageUsers, ViewOperations, ViewAudit},
	complaint.RoleAuditor: {ViewCase, ViewInternal, ListCases, ViewOperations, ViewAudit},
	complaint.RoleSystem: {FileComplaint, ViewCase, ViewInternal, ListCases, PostMessage, AddNote,
		Transition, Withdraw, Reopen, AssignCase, ClassifyCase, AdvanceStage, LinkTransaction,
		SetDeadline, RecordAssessment, LinkRepeat, ManageTasks},
}

// Authorize reports whether p may do action a, on case c when the action
// concerns one (c is nil otherwise). It returns nil, ErrForbidden, or
// complaint.ErrNotFound for a case p is not party to.
func Authorize(p Principal, a Action, c *complaint.Case) error {
	if c != nil && !CanSee(p, c) {
		return complaint.ErrNotFound
	}
	if !slices.Contains(roleActions[p.Role], a) {
		return ErrForbidden
	}
	return nil
}

// AuthorizeAgent is Authorize for an action on an agent's own settings:
// agents may act on themselves only, supervisors on anyone.
func AuthorizeAgent(p Principal, a Action, agentID int64) error {
	if err := Authorize(p, a, nil); err != nil {
		return err
	}
	if p.Role != complaint.RoleSupervisor && p.UserID != agentID {
		return ErrForbidden
	}
	return nil
}

// CanSee reports whether p is party to case c: staff see every case, a
// customer their own, a merchant those that name it.
func CanSee(p Principal, c *complaint.Case) bool {
	switch p.Role {
	case complaint.RoleCustomer:
		return p.CustomerID != "" && c.Customer.ID == p.CustomerID
	case complaint.RoleMerchant:
		return p.MerchantID != "" && slices.Contains(c.Merchants(), p.MerchantID)
	default:
		return p.Role.Staff()
	}
}

// CanSeeEvent reports whether p may see event e of a case it can see:
// internal events are for staff only.
func CanSeeEvent(p Principal, e complaint.Event) bool {
	return e.Visibility == complaint.Public || slices.Contains(roleActions[p.Role], ViewInternal)
}

// CaseScope is the listing filter that matches exactly the cases CanSee
// allows. Empty fields mean no restriction; None means nothing at all.
type CaseScope struct {
	CustomerID string
	MerchantID string
	None       bool
}

// Scope returns the listing filter for p.
func Scope(p Principal) CaseScope {
	switch p.Role {
	case complaint.RoleCustomer:
		return CaseScope{CustomerID: p.CustomerID, None: p.CustomerID == ""}
	case complaint.RoleMerchant:
		return CaseScope{MerchantID: p.MerchantID, None: p.MerchantID == ""}
	default:
		return CaseScope{None: !p.Role.Staff()}
	}
}
