// Package assign gives new complaints to agents: an outbox handler that,
// once a case's category and language are known, asks internal/route for
// the best agent who can take it now (team, skills, language, capacity,
// availability, least loaded, then turns) and records the assignment on
// the case as the system, with routing's explanation as its reason.
//
// It routes a case when it is assessed (triage has run), and when it is
// filed already classified (a category other than uncategorized). It only
// routes open cases that nobody holds and nobody ever held: a case a
// person assigned, or unassigned, is left to people, and a redelivered
// event finds the case assigned and changes nothing. When no agent can
// take the case it stays in its team's queue.
//
// The roster comes from the store: every active agent and supervisor, their
// profile (store.AgentProfile; an account without one takes anything up
// to store.DefaultAgentCapacity and is online) and the open cases each
// holds. An agent's shift is their profile's calendar and hours (see
// ParseShift; a stored shift that does not parse is logged and ignored),
// and the teams are Options.Teams and the store's team profiles
// (store.TeamProfile, which win), whose skills agents with empty lists
// inherit. It is read again after Options.TTL, and after any failed write.
package assign

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/redress-project/redress/internal/access"
	"github.com/redress-project/redress/internal/clock"
	"github.com/redress-project/redress/internal/complaint"
	"github.com/redress-project/redress/internal/desk"
	"github.com/redress-project/redress/internal/outbox"
	"github.com/redress-project/redress/internal/route"
	"github.com/redress-project/redress/internal/store"
)

// Name is the handler's name in the outbox's logs.
const Name = "assign"

// DefaultTTL is how long a roster read from the store is reused.
const DefaultTTL = 2 * time.Second

// Options configure a Handler. The zero value is usable.
type Options struct {
	// TTL is how long the roster (profiles and loads) read from the store
	// is reused; 0 means DefaultTTL, a negative value reads it for every
	// case. Within it the handler counts its own assignments; changes
	// made elsewhere (cases closed, other nodes' assignments, profile
	// edits) are seen when it is read again.
	TTL time.Duration
	// Teams give teams skills their agents inherit (see route.Team); a
	// team profile stored in the store replaces the team of the same ID.
	Teams []route.Team
	// Now is the clock for routing decisions (shifts); default time.Now.
	Now func() time.Time
	// Logger receives a line per case routed; default slog.Default().
	Logger *slog.Logger
}

// Handler is the outbox handler that assigns cases to agents.
type Handler struct {
	desk  *desk.Desk
	store *store.Store
	teams []route.Team
	ttl   time.Duration
	now   func() time.Time
	log   *slog.Logger

	// mu serialises routing in this process, so that the cached router's
	// loads and turns stay exact.
	mu     sync.Mutex
	router *route.Router
	built  time.Time
}

// New returns the assignment handler.
func New(d *desk.Desk, st *store.Store, opts Options) *Handler {
	h := &Handler{desk: d, store: st, teams: opts.Teams, ttl: opts.TTL, now: opts.Now, log: opts.Logger}
	if h.ttl == 0 {
		h.ttl = DefaultTTL
	}
	if h.now == nil {
		h.now = time.Now
	}
	if h.log == nil {
		h.log = slog.Default()
	}
	return h
}

// Handler returns h as an outbox.Handler, to pass to outbox.New.
func (h *Handler) Handler() outbox.Handler { return h }

// Name is the handler's name, for the outbox's logs.
func (h *Handler) Name() string { return Name }

// Handle routes the case of an assessed event, or of a created event when
// the case was filed with a category; it ignores every other kind.
func (h *Handler) Handle(ctx context.Context, item store.OutboxItem) error {
	kind := complaint.EventKind(item.Kind)
	if kind != complaint.KindAssessed && kind != complaint.KindCreated {
		return nil
	}
	_, err := h.Route(ctx, item.CaseRef, kind == complaint.KindCreated)
	if errors.Is(err, complaint.ErrNotFound) {
		return nil // nothing to route; redelivering would not change that
	}
	return err
}

// Invalidate drops the cached roster, so that the next case is routed on
// the store's current profiles and loads (e.g. after an agent's
// availability changed).
func (h *Handler) Invalidate() {
	h.mu.Lock()
	h.router = nil
	h.mu.Unlock()
}

// Route routes the case ref if it is open and nobody holds or held it, and
// returns what routing decided; a zero Decision means the case was not
// eligible. onlyClassified skips a case still uncategorized (a case just
// filed, which triage will assess).
func (h *Handler) Route(ctx context.Context, ref string, onlyClassified bool) (route.Decision, error) {
	sys := access.SystemPrincipal
	c, events, err := h.desk.View(ctx, sys, ref)
	if err != nil {
		return route.Decision{}, err
	}
	if !eligible(c, events) || onlyClassified && (c.Category == "" || c.Category == complaint.DefaultCategory) {
		return route.Decision{}, nil
	}
	item := route.FromCase(c, earliestRunningDeadline(c), false)
	if item.Language == "" && c.Assessment != nil {
		item.Language = c.Assessment.Language
	}

	h.mu.Lock()
	defer h.mu.Unlock()
	r, err := h.roster(ctx)
	if err != nil {
		return route.Decision{}, err
	}
	d := r.Assign(item, h.now())
	if d.Outcome != route.Assigned {
		h.log.InfoContext(ctx, "assign: case left in its queue", "case", ref, "outcome", d.Outcome, "reason", d.Reason)
		return d, nil
	}
	a, _ := r.Agent(d.Agent.ID)
	team := a.Team
	if team == "" {
		team = c.Team
	}
	_, recorded, err := h.desk.Assign(ctx, sys, ref, complaint.Assignment{Team: team, AssigneeID: d.Agent.ID, Reason: d.Reason})
	if err != nil {
		h.router = nil // the router counted a case the store does not have
		return d, fmt.Errorf("assign: recording the assignment of %s: %w", ref, err)
	}
	if restored, err := h.undoOverride(ctx, ref, recorded); err != nil || restored {
		h.router = nil // the router counted a case the agent does not hold
		return d, err
	}
	h.log.InfoContext(ctx, "assign: case assigned", "case", ref, "agent", d.Agent.ID, "team", team, "reason", d.Reason)
	return d, nil
}

// eligible reports whether routing may assign c: it is open, nobody holds
// it, and nobody ever did (a person's assignment or unassignment stands).
func eligible(c *complaint.Case, events []complaint.Event) bool {
	if !c.Status.Open() || c.AssigneeID != 0 {
		return false
	}
	for _, e := range events {
		if e.Kind != complaint.KindAssigned {
			continue
		}
		var a complaint.Assignment
		if json.Unmarshal(e.After, &a) != nil || a.AssigneeID != 0 {
			return false
		}
	}
	return true
}

// undoOverride puts back an assignee a person set between the handler's
// reading of the case and its assignment (the desk assigns whatever the
// case holds then): routing never overrides a person. It reports whether
// it restored one.
func (h *Handler) undoOverride(ctx context.Context, ref string, recorded []*complaint.Event) (bool, error) {
	for _, e := range recorded {
		if e.Kind != complaint.KindAssigned {
			continue
		}
		var before complaint.Assignment
		if err := json.Unmarshal(e.Before, &before); err != nil || before.AssigneeID == 0 {
			return false, err
		}
		before.Reason = "restored: the case was assigned by hand while routing chose an agent"
		if _, _, err := h.desk.Assign(ctx, access.SystemPrincipal, ref, before); err != nil {
			return false, fmt.Errorf("assign: restoring the manual assignment of %s: %w", ref, err)
		}
		h.log.WarnContext(ctx, "assign: routing raced with a manual assignment; restored it", "case", ref,
			"agent", before.AssigneeID)
		return true, nil
	}
	return false, nil
}

// roster returns the router, reading profiles and loads from the store
// when there is none or it is older than the TTL. h.mu is held.
func (h *Handler) roster(ctx context.Context) (*route.Router, error) {
	now := time.Now()
	if h.router != nil && h.ttl > 0 && now.Sub(h.built) < h.ttl {
		return h.router, nil
	}
	profiles, err := h.store.AgentProfiles(ctx)
	if err != nil {
		return nil, err
	}
	loads, err := h.store.OpenCaseLoads(ctx)
	if err != nil {
		return nil, err
	}
	stored, err := h.store.TeamProfiles(ctx)
	if err != nil {
		return nil, err
	}
	teams := append([]route.Team(nil), h.teams...)
	for _, t := range stored { // a stored team profile wins over Options.Teams
		teams = append(teams, route.Team{ID: t.Team, Name: t.Team,
			Skills: route.Skills{Categories: t.Categories, Languages: t.Languages, Channels: t.Channels}})
	}
	agents := make([]route.Agent, 0, len(profiles))
	for _, p := range profiles {
		shift, err := ParseShift(p.Calendar, p.Hours)
		if err != nil {
			h.log.WarnContext(ctx, "assign: ignoring an agent's unusable shift", "agent", p.UserID,
				"calendar", p.Calendar, "hours", p.Hours, "err", err)
			shift = route.Shift{}
		}
		agents = append(agents, route.Agent{ID: p.UserID, Name: p.Name, Team: p.Team,
			Skills:   route.Skills{Categories: p.Categories, Languages: p.Languages, Channels: p.Channels},
			Capacity: p.Capacity, Availability: route.Availability(p.Availability), Shift: shift,
			Load: loads[p.UserID]})
	}
	r, err := route.NewRouter(teams, agents)
	if err != nil {
		return nil, fmt.Errorf("assign: building the roster: %w", err)
	}
	h.router, h.built = r, now
	return r, nil
}

// ShiftError says which field of a shift (calendar or hours) is unusable.
type ShiftError struct {
	Field string // "calendar" or "hours"
	Err   error
}

func (e *ShiftError) Error() string { return "assign: shift " + e.Field + ": " + e.Err.Error() }
func (e *ShiftError) Unwrap() error { return e.Err }

// ParseShift builds the route.Shift of a stored profile: calendar names a
// clock calendar (empty: no shift limit), hours the working hours on its
// working days (empty: the calendar's). Errors are *ShiftError.
func ParseShift(calendar, hours string) (route.Shift, error) {
	var sh route.Shift
	if calendar == "" {
		if hours != "" {
			return route.Shift{}, &ShiftError{Field: "hours", Err: errors.New("hours need a calendar")}
		}
		return sh, nil
	}
	cal, err := clock.Lookup(calendar)
	if err != nil {
		return route.Shift{}, &ShiftError{Field: "calendar", Err: err}
	}
	sh.Calendar = cal
	if hours != "" {
		hh, err := clock.ParseHours(hours)
		if err == nil {
			_, err = cal.WithHours(hh)
		}
		if err != nil {
			return route.Shift{}, &ShiftError{Field: "hours", Err: err}
		}
		sh.Hours = hh
	}
	return sh, nil
}

// earliestRunningDeadline is the earliest due of c's deadlines whose clock
// is still running (running, warning or breached); zero when none is.
func earliestRunningDeadline(c *complaint.Case) time.Time {
	var due time.Time
	for _, dl := range c.Deadlines {
		switch dl.State {
		case complaint.DeadlineRunning, complaint.DeadlineWarning, complaint.DeadlineBreached:
		default:
			continue
		}
		if !dl.Due.IsZero() && (due.IsZero() || dl.Due.Before(due)) {
			due = dl.Due
		}
	}
	return due
}
