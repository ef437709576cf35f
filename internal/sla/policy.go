package sla

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/redress-project/redress/internal/clock"
	"github.com/redress-project/redress/internal/complaint"
)

// The clocks a policy may start. The regulator's deadline is not among
// them: intake records it (a deadline named regulator), and the service
// keeps its due as given.
const (
	FirstResponse = "first_response" // from filing to the first message of a staff member
	NextResponse  = "next_response"  // from a customer's message to staff's next message
	Resolution    = "resolution"     // from filing (or reopening) to resolution
	Regulator     = "regulator"      // the referring regulator's deadline, set at intake
)

// policyClocks lists the clocks a rule may configure, in display order.
var policyClocks = []string{FirstResponse, NextResponse, Resolution}

// DefaultTier is the customer tier of a case whose customer has none.
const DefaultTier = "standard"

// ErrInvalidPolicy is returned for a policy file that does not parse or
// does not make sense.
var ErrInvalidPolicy = errors.New("invalid SLA policy")

// Policies are the service-level rules of a platform: which clocks a case
// gets, how long each runs, when to warn and what to do on a warning or a
// breach. docs/sla.md describes the file format. Build them with
// ParsePolicies, LoadPolicies or DefaultPolicies; after that they are
// read-only and safe for concurrent use.
type Policies struct {
	// Calendar is the default calendar of the rules: "cn", "none", or the
	// path of a calendar file (relative to the policy file). Default cn.
	Calendar string `json:"calendar,omitempty"`
	// SupervisorTeam is the team an escalation hands a case to. Default
	// "supervisors".
	SupervisorTeam string `json:"supervisor_team,omitempty"`
	// Warnings and Breach are the defaults of every rule and clock.
	Warnings []Warning `json:"warnings,omitempty"`
	Breach   []Action  `json:"breach,omitempty"`
	// TaskOverdue is done when a department's task passes its due time.
	TaskOverdue []Action `json:"task_overdue,omitempty"`
	// Rules are tried in order; the first whose Match fits the case wins.
	// The last one must match every case.
	Rules []*Rule `json:"rules"`
}

// Rule gives the clocks of the cases it matches.
type Rule struct {
	Name  string `json:"name"`
	Match Match  `json:"match,omitzero"`
	// Calendar, Warnings and Breach override the file's for this rule.
	Calendar string                  `json:"calendar,omitempty"`
	Warnings []Warning               `json:"warnings,omitempty"`
	Breach   []Action                `json:"breach,omitempty"`
	Clocks   map[string]*ClockPolicy `json:"clocks"`

	cal *clock.Calendar
}

// Match selects cases. Each list accepts any of its values; an empty list
// accepts everything. A case matches when every list accepts it.
type Match struct {
	Category []string             `json:"category,omitempty"`
	Severity []complaint.Severity `json:"severity,omitempty"`
	Channel  []complaint.Channel  `json:"channel,omitempty"`
	// Tier is the customer's service tier; a customer without one is
	// DefaultTier.
	Tier []string `json:"tier,omitempty"`
}

// ClockPolicy is one clock of a rule.
type ClockPolicy struct {
	// Spec is how long the clock runs, e.g. 24h, 8bh, 15ld (see docs/clock.md).
	Spec clock.Spec `json:"spec"`
	// Extensions are the longer totals a supervisor may extend the clock
	// to, in order, in Spec's unit: 15ld extendable to 30ld and then 60ld.
	Extensions []clock.Spec `json:"extensions,omitempty"`
	// Warnings and Breach override the rule's for this clock.
	Warnings []Warning `json:"warnings,omitempty"`
	Breach   []Action  `json:"breach,omitempty"`
}

// Warning is a threshold of a clock's working time and what to do when it
// is reached.
type Warning struct {
	At      int      `json:"at"` // percent of the clock's working time, 1 to 99
	Actions []Action `json:"actions"`
}

// ActionKind is what an action does.
type ActionKind string

// The actions. Each is recorded on the case as events by the system.
const (
	// Notify adds an internal note saying what happened.
	Notify ActionKind = "notify"
	// RaisePriority raises the case's priority one step (p4 → p3 … → p1).
	RaisePriority ActionKind = "raise_priority"
	// Reassign hands the case to Team, unassigned, for its queue.
	Reassign ActionKind = "reassign"
	// Escalate hands the case to the supervisors' team (or Team) and notes why.
	Escalate ActionKind = "escalate"
)

// Action is something done on a warning, a breach or an overdue task. Its
// text form is the kind, with the team after a colon: "notify",
// "raise_priority", "reassign:disputes_l2", "escalate", "escalate:risk_leads".
type Action struct {
	Kind ActionKind
	Team string
}

// String returns the action's text form.
func (a Action) String() string {
	if a.Team == "" {
		return string(a.Kind)
	}
	return string(a.Kind) + ":" + a.Team
}

// MarshalText implements encoding.TextMarshaler.
func (a Action) MarshalText() ([]byte, error) { return []byte(a.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (a *Action) UnmarshalText(text []byte) error {
	kind, team, _ := strings.Cut(string(text), ":")
	a.Kind, a.Team = ActionKind(kind), team
	return a.validate()
}

func (a Action) validate() error {
	switch a.Kind {
	case Notify, RaisePriority:
		if a.Team != "" {
			return fmt.Errorf("action %q takes no team", a.Kind)
		}
	case Reassign:
		if a.Team == "" {
			return fmt.Errorf("action reassign needs a team: reassign:TEAM")
		}
	case Escalate:
	default:
		return fmt.Errorf("unknown action %q (want notify, raise_priority, reassign:TEAM or escalate[:TEAM])", a.String())
	}
	if a.Team == "" {
		return nil
	}
	if err := (complaint.Assignment{Team: a.Team}).Validate(); err != nil {
		return fmt.Errorf("action %s: %v", a, err)
	}
	return nil
}

//go:embed defaults.json
var defaultsJSON []byte

// DefaultPoliciesJSON returns the built-in policy file, to start one's own from.
func DefaultPoliciesJSON() []byte { return bytes.Clone(defaultsJSON) }

// DefaultPolicies returns the built-in policies for a payment platform in
// mainland China (docs/sla.md explains them).
func DefaultPolicies() *Policies {
	p, err := ParsePolicies(defaultsJSON, "")
	if err != nil {
		panic("sla: built-in policies: " + err.Error())
	}
	return p
}

// LoadPolicies reads a policy file. A calendar file it names is read
// relative to the policy file's directory.
func LoadPolicies(path string) (*Policies, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	p, err := ParsePolicies(data, filepath.Dir(path))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return p, nil
}

// ParsePolicies parses a policy file (JSON, unknown fields refused),
// fills in what it leaves to defaults and checks it. dir is where calendar
// files are looked for.
func ParsePolicies(data []byte, dir string) (*Policies, error) {
	var p Policies
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&p); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInvalidPolicy, err)
	}
	if dec.More() {
		return nil, fmt.Errorf("%w: more than one JSON value", ErrInvalidPolicy)
	}
	if err := p.prepare(dir); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInvalidPolicy, err)
	}
	return &p, nil
}

// The defaults of a file that does not say.
var (
	defaultWarnings = []Warning{
		{At: 75, Actions: []Action{{Kind: Notify}}},
		{At: 90, Actions: []Action{{Kind: Notify}, {Kind: RaisePriority}}},
	}
	defaultBreach      = []Action{{Kind: Notify}, {Kind: RaisePriority}, {Kind: Escalate}}
	defaultTaskOverdue = []Action{{Kind: Notify}, {Kind: RaisePriority}}
)

// prepare fills defaults and inherited settings, loads calendars and
// checks everything.
func (p *Policies) prepare(dir string) error {
	p.Calendar = cmpOr(p.Calendar, "cn")
	p.SupervisorTeam = cmpOr(p.SupervisorTeam, "supervisors")
	if err := (complaint.Assignment{Team: p.SupervisorTeam}).Validate(); err != nil {
		return fmt.Errorf("supervisor_team: %v", err)
	}
	p.Warnings = inherit(p.Warnings, defaultWarnings)
	p.Breach = inherit(p.Breach, defaultBreach)
	p.TaskOverdue = inherit(p.TaskOverdue, defaultTaskOverdue)
	if err := checkWarnings(p.Warnings); err != nil {
		return err
	}
	if len(p.Rules) == 0 {
		return errors.New("no rules")
	}
	cals := map[string]*clock.Calendar{}
	names := map[string]bool{}
	for i, r := range p.Rules {
		if r == nil || r.Name == "" {
			return fmt.Errorf("rule %d has no name", i+1)
		}
		if names[r.Name] {
			return fmt.Errorf("two rules are named %q", r.Name)
		}
		names[r.Name] = true
		if err := r.prepare(p, dir, cals); err != nil {
			return fmt.Errorf("rule %q: %v", r.Name, err)
		}
		for _, earlier := range p.Rules[:i] {
			if earlier.Match.covers(r.Match) {
				return fmt.Errorf("rule %q can never apply: rule %q before it matches every case it would", r.Name, earlier.Name)
			}
		}
	}
	if last := p.Rules[len(p.Rules)-1]; !last.Match.any() {
		return fmt.Errorf("the last rule (%q) must match every case: give it no match", last.Name)
	}
	return nil
}

func (r *Rule) prepare(p *Policies, dir string, cals map[string]*clock.Calendar) error {
	if err := r.Match.validate(); err != nil {
		return err
	}
	r.Calendar = cmpOr(r.Calendar, p.Calendar)
	cal, err := loadCalendar(r.Calendar, dir, cals)
	if err != nil {
		return err
	}
	r.cal = cal
	r.Warnings = inherit(r.Warnings, p.Warnings)
	r.Breach = inherit(r.Breach, p.Breach)
	if err := checkWarnings(r.Warnings); err != nil {
		return err
	}
	if len(r.Clocks) == 0 {
		return errors.New("no clocks")
	}
	for name, cp := range r.Clocks {
		if !slices.Contains(policyClocks, name) {
			if name == Regulator {
				return errors.New("the regulator's deadline is set at intake, not by a policy")
			}
			return fmt.Errorf("unknown clock %q (want %s)", name, strings.Join(policyClocks, ", "))
		}
		if err := cp.prepare(r); err != nil {
			return fmt.Errorf("clock %s: %v", name, err)
		}
	}
	return nil
}

func (cp *ClockPolicy) prepare(r *Rule) error {
	if cp == nil || cp.Spec.N == 0 {
		return errors.New("spec is required, e.g. 24h or 15ld")
	}
	prev := cp.Spec
	for _, ext := range cp.Extensions {
		if ext.Unit != prev.Unit || ext.N <= prev.N {
			return fmt.Errorf("extension %s must be longer than %s, in the same unit", ext, prev)
		}
		prev = ext
	}
	cp.Warnings = inherit(cp.Warnings, r.Warnings)
	cp.Breach = inherit(cp.Breach, r.Breach)
	return checkWarnings(cp.Warnings)
}

// loadCalendar returns the calendar named "cn", "none" or a file path.
func loadCalendar(name, dir string, cache map[string]*clock.Calendar) (*clock.Calendar, error) {
	if cal, ok := cache[name]; ok {
		return cal, nil
	}
	cal, err := clock.Lookup(name)
	if errors.Is(err, clock.ErrUnknownCalendar) {
		path := name
		if !filepath.IsAbs(path) {
			path = filepath.Join(dir, path)
		}
		cal, err = clock.LoadFile(path)
	}
	if err != nil {
		return nil, fmt.Errorf("calendar %q: %v", name, err)
	}
	cache[name] = cal
	return cal, nil
}

func checkWarnings(ws []Warning) error {
	for i, w := range ws {
		if w.At < 1 || w.At > 99 {
			return fmt.Errorf("warning at %d%%: a threshold is a percentage from 1 to 99", w.At)
		}
		if i > 0 && w.At <= ws[i-1].At {
			return fmt.Errorf("warnings must be in increasing order: %d%% after %d%%", w.At, ws[i-1].At)
		}
	}
	return nil
}

func (m Match) validate() error {
	for _, s := range m.Severity {
		if !s.Valid() {
			return fmt.Errorf("unknown severity %q", s)
		}
	}
	for _, ch := range m.Channel {
		if !ch.Valid() {
			return fmt.Errorf("unknown channel %q", ch)
		}
	}
	for _, list := range [][]string{m.Category, m.Tier} {
		if slices.Contains(list, "") {
			return errors.New("an empty category or tier in match")
		}
	}
	return nil
}

// any reports whether m matches every case.
func (m Match) any() bool {
	return len(m.Category) == 0 && len(m.Severity) == 0 && len(m.Channel) == 0 && len(m.Tier) == 0
}

// covers reports whether every case that later matches also matches m.
func (m Match) covers(later Match) bool {
	return coversList(m.Category, later.Category) && coversList(m.Severity, later.Severity) &&
		coversList(m.Channel, later.Channel) && coversList(m.Tier, later.Tier)
}

func coversList[T ~string](broad, narrow []T) bool {
	if len(broad) == 0 {
		return true
	}
	if len(narrow) == 0 {
		return false
	}
	for _, v := range narrow {
		if !containsFold(broad, v) {
			return false
		}
	}
	return true
}

func containsFold[T ~string](list []T, v T) bool {
	return slices.ContainsFunc(list, func(x T) bool { return strings.EqualFold(string(x), string(v)) })
}

func acceptsList[T ~string](list []T, v T) bool { return len(list) == 0 || containsFold(list, v) }

// Matches reports whether the rule's match fits a case with this
// category, severity, channel and customer tier.
func (m Match) Matches(c *complaint.Case, tier string) bool {
	return acceptsList(m.Category, c.Category) && acceptsList(m.Severity, c.Severity) &&
		acceptsList(m.Channel, c.Channel) && acceptsList(m.Tier, cmpOr(tier, DefaultTier))
}

// Select returns the first rule that matches the case; tier is the
// customer's service tier ("" for DefaultTier).
func (p *Policies) Select(c *complaint.Case, tier string) *Rule {
	for _, r := range p.Rules {
		if r.Match.Matches(c, tier) {
			return r
		}
	}
	return p.Rules[len(p.Rules)-1] // unreachable: the last rule matches everything
}

// CalendarOf returns the rule's calendar.
func (r *Rule) CalendarOf() *clock.Calendar { return r.cal }

// Clock returns the rule's policy for a clock, or nil if the rule does not
// start it.
func (r *Rule) Clock(name string) *ClockPolicy { return r.Clocks[name] }

// warningActions returns what to do at threshold at of clock name.
func (r *Rule) warningActions(name string, at int) []Action {
	ws := r.Warnings
	if cp := r.Clock(name); cp != nil {
		ws = cp.Warnings
	}
	for _, w := range ws {
		if w.At == at {
			return w.Actions
		}
	}
	return []Action{{Kind: Notify}}
}

// warnings returns the thresholds of clock name.
func (r *Rule) warnings(name string) []Warning {
	if cp := r.Clock(name); cp != nil {
		return cp.Warnings
	}
	return r.Warnings
}

// breachActions returns what to do when clock name runs out.
func (r *Rule) breachActions(name string) []Action {
	if cp := r.Clock(name); cp != nil {
		return cp.Breach
	}
	return r.Breach
}

// inherit returns own, or the inherited value when own was not given
// (nil; an empty list given in the file means none).
func inherit[T any](own, inherited []T) []T {
	if own == nil {
		return slices.Clone(inherited)
	}
	return own
}

func cmpOr(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// warningKind names the timer of a warning threshold: warning-75.
func warningKind(at int) string { return "warning-" + strconv.Itoa(at) }

// warningAt parses a warning timer's kind; ok is false for other kinds.
func warningAt(kind string) (at int, ok bool) {
	s, ok := strings.CutPrefix(kind, "warning-")
	if !ok {
		return 0, false
	}
	at, err := strconv.Atoi(s)
	return at, err == nil
}
