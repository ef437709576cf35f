package demo

import (
	"math/rand/v2"
	"strings"
	"time"

	"github.com/redress-project/redress/internal/complaint"
)

// op is a desk command a plan runs.
type op uint8

const (
	opMessage op = iota
	opNote
	opTransition
	opAssign
	opClassify
	opStage
	opLink
)

// action is one desk command in a case's history, at an offset from filing.
type action struct {
	at        time.Duration
	op        op
	by        who
	staff     int    // staff index, for byStaff
	text      string // message, note or reason; a template until fill
	status    complaint.Status
	stage     complaint.Stage
	assign    complaint.Assignment // AssigneeID holds a staff index + 1 (0 for none) until run
	class     complaint.Classification
	tx        complaint.Transaction
	txAgo     time.Duration // for opLink: how long before filing the payment happened
	after     complaint.Status
	agentName string // fills {agent}: the staff member acting, else the case's agent
}

// afterKind is what happens once a case is first resolved.
type afterKind uint8

const (
	afterUnset afterKind = iota
	afterCloseAuto
	afterCloseConfirmed
	afterReopen
	afterAppeal
	afterReferral
)

// features are the turns a case's story takes.
type features struct {
	misrouted                                bool
	awaitCustomer, awaitMerchant, awaitInter bool
	link, reclassify, chaser, escalate       bool
	rejected                                 bool
	withdraw                                 int // 0 never, 1 early, 2 after the waits
	after                                    afterKind
}

func (p *plan) features(r *rand.Rand) features {
	sc, t := p.scenario, p.force.target
	f := features{
		misrouted:     p.filer == byCustomer && TeamFor(sc.category) != TeamService && r.IntN(100) < 8,
		awaitCustomer: r.IntN(100) < 35 || t == complaint.StatusAwaitingCustomer,
		awaitMerchant: p.merchant != nil && sc.payee == toMerchant && r.IntN(100) < 45 || t == complaint.StatusAwaitingMerchant,
		link:          sc.name == "duplicate_charge" || sc.name == "stolen_account" && r.IntN(2) == 0,
		reclassify:    r.IntN(100) < 10,
		chaser:        r.IntN(100) < 20,
		escalate:      p.draft.Stage == complaint.StageInquiry && r.IntN(100) < 35,
		after:         p.force.after,
	}
	internal := 20
	if sc.category == CategoryFraud || sc.category == CategoryAccountSecurity || sc.category == CategoryAccountFrozen {
		internal = 50
	}
	f.awaitInter = r.IntN(100) < internal || t == complaint.StatusAwaitingInternal
	if t == complaint.StatusAwaitingMerchant && p.merchant == nil {
		m := merchants[1+r.IntN(len(merchants)-1)]
		p.merchant = &m
		p.slots["merchant"] = m.names[p.script]
	}
	switch n := r.IntN(100); {
	case t == complaint.StatusWithdrawn || t == "" && n < 5:
		f.withdraw = 1 + r.IntN(2)
	}
	if f.after == afterUnset {
		f.after = pickAfter(r, p.full.Stage, t)
	}
	f.rejected = f.after == afterAppeal || r.IntN(100) < 8
	return f
}

func pickAfter(r *rand.Rand, stage complaint.Stage, target complaint.Status) afterKind {
	if target == complaint.StatusReopened {
		return afterReopen + afterKind(r.IntN(2)) // reopened, or appealed
	}
	switch n := r.IntN(1000); {
	case n < 60:
		return afterReopen
	case n < 100:
		return afterAppeal
	case n < 125 && stage != complaint.StageExternalReferral:
		return afterReferral
	case n < 450:
		return afterCloseConfirmed
	}
	return afterCloseAuto
}

// story builds a plan's actions, tracking what the case looks like after
// each so that the plan can stop at any status.
type story struct {
	r       *rand.Rand
	p       *plan
	t       time.Duration
	status  complaint.Status
	stage   complaint.Stage
	team    string
	agent   int // staff index of the agent holding the case; -1 for none
	actions []action
	// rejected is set when the last resolution did not uphold the complaint.
	rejected bool
}

func (p *plan) story(r *rand.Rand) {
	f := p.features(r)
	s := &story{r: r, p: p, status: complaint.StatusNew, stage: p.full.Stage, team: p.draft.Team, agent: -1}
	s.intake(f)
	s.dispatch(f)
	s.acknowledge()
	s.investigate(f)
	if f.withdraw == 1 {
		s.withdraw()
		p.actions = s.actions
		return
	}
	waits := []func(){s.awaitCustomer, s.awaitMerchant, s.awaitInternal}
	want := []bool{f.awaitCustomer, f.awaitMerchant, f.awaitInter}
	for _, k := range r.Perm(len(waits)) {
		if want[k] {
			waits[k]()
		}
	}
	if f.chaser {
		s.add(between(r, day, 3*day), action{op: opMessage, by: byCustomer, text: s.say(phrases.chasers)})
	}
	if f.escalate {
		s.add(between(r, 10*time.Minute, day), action{op: opStage, by: byStaff, staff: s.agent, stage: complaint.StageComplaint, text: s.say(phrases.escalated)})
	}
	if f.withdraw == 2 {
		s.withdraw()
		p.actions = s.actions
		return
	}
	s.resolve(f.rejected, s.agent)
	s.afterwards(f.after)
	p.actions = s.actions
}

// add appends a at delay after the previous action and works out the status
// it leaves the case in, as the desk will.
func (s *story) add(delay time.Duration, a action) {
	s.t += max(delay, time.Second)
	a.at = s.t
	switch {
	case a.by == byStaff:
		a.agentName = staff[a.staff].name
	case s.agent >= 0:
		a.agentName = staff[s.agent].name
	}
	switch a.op {
	case opTransition:
		s.status = a.status
	case opStage:
		s.stage = a.stage
	case opAssign:
		s.team = a.assign.Team
		s.agent = int(a.assign.AssigneeID) - 1
	case opMessage:
		switch {
		case a.by != byCustomer && a.by != byMerchant && s.status == complaint.StatusNew:
			s.status = complaint.StatusAcknowledged
		case a.by == byCustomer && s.status == complaint.StatusAwaitingCustomer,
			a.by == byMerchant && s.status == complaint.StatusAwaitingMerchant:
			s.status = complaint.StatusInProgress
		}
	}
	a.after = s.status
	s.actions = append(s.actions, a)
}

// say picks a public line in the case's script.
func (s *story) say(t texts) string { return pick(s.r, t[s.p.script]) }

// note picks an internal line in the script staff write notes in.
func (s *story) note(t texts) string {
	if s.p.script == latin {
		return pick(s.r, t[latin])
	}
	return pick(s.r, t[hans])
}

func (s *story) transition(delay time.Duration, by who, staff int, to complaint.Status, reason string) {
	s.add(delay, action{op: opTransition, by: by, staff: staff, status: to, text: reason})
}

func (s *story) assignTo(delay time.Duration, by who, staff int, team string, agent int) {
	s.add(delay, action{op: opAssign, by: by, staff: staff, assign: complaint.Assignment{Team: team, AssigneeID: int64(agent + 1)}})
}

// urgent reports whether the case is handled first.
func (s *story) urgent() bool { return s.p.full.Priority == complaint.PriorityP1 }

// intake is what happens in the first minutes: routing for complaints
// customers file themselves, a note for referrals.
func (s *story) intake(f features) {
	p, full := s.p, s.p.full
	if p.filer == byCustomer {
		s.add(between(s.r, 3*time.Second, time.Minute), action{op: opClassify, by: bySystem,
			class: complaint.Classification{Category: full.Category, Severity: full.Severity, Priority: full.Priority}})
		team := full.Team
		if f.misrouted {
			team = TeamService
		}
		s.add(between(s.r, time.Second, 5*time.Second), action{op: opAssign, by: bySystem, assign: complaint.Assignment{Team: team}})
		s.team = team
		return
	}
	if referred(full.Channel) {
		s.add(between(s.r, 2*time.Minute, 20*time.Minute), action{op: opNote, by: byStaff, staff: supervisor, text: s.note(phrases.referralNotes)})
	}
}

// dispatch hands the case to an agent of its team, and corrects a misroute.
func (s *story) dispatch(f features) {
	delay := between(s.r, 5*time.Minute, 6*time.Hour)
	if s.urgent() {
		delay = between(s.r, 2*time.Minute, 30*time.Minute)
	}
	by, staff := bySystem, 0
	if s.r.IntN(10) < 3 {
		by, staff = byStaff, supervisor
	}
	s.assignTo(delay, by, staff, s.team, agentFor(s.team, s.p.script))
	if f.misrouted {
		s.acknowledge()
		team := s.p.full.Team
		s.add(between(s.r, time.Hour, 8*time.Hour), action{op: opNote, by: byStaff, staff: supervisor,
			text: strings.ReplaceAll(s.note(phrases.reassigned), "{team}", teamNames[team][noteScript(s.p.script)])})
		s.assignTo(between(s.r, time.Minute, 5*time.Minute), byStaff, supervisor, team, agentFor(team, s.p.script))
	}
}

// acknowledge has the holding agent greet the customer (which acknowledges
// a new case) and start work.
func (s *story) acknowledge() {
	if s.status != complaint.StatusNew {
		return
	}
	delay := between(s.r, 5*time.Minute, 8*time.Hour)
	if s.urgent() {
		delay = between(s.r, 2*time.Minute, 40*time.Minute)
	}
	s.add(delay, action{op: opMessage, by: byStaff, staff: s.agent, text: s.say(phrases.acks)})
	s.transition(between(s.r, time.Minute, 90*time.Minute), byStaff, s.agent, complaint.StatusInProgress, "")
}

// investigate records what the agent finds, links further evidence and
// corrects the classification.
func (s *story) investigate(f features) {
	s.add(between(s.r, 20*time.Minute, day), action{op: opNote, by: byStaff, staff: s.agent, text: s.note(findingsFor(s.p.scenario))})
	if f.link && len(s.p.full.Transactions) > 0 {
		amount := s.p.full.Transactions[0].Amount.Minor // a duplicate charge
		if s.p.scenario.name != "duplicate_charge" {
			amount = s.p.amount(s.r) // one more unauthorised payment
		}
		tx := s.p.transaction(s.r, amount)
		ago := s.p.txAgo[0] - between(s.r, 2*time.Second, 40*time.Second)
		s.add(between(s.r, time.Minute, 30*time.Minute), action{op: opLink, by: byStaff, staff: s.agent, tx: tx, txAgo: max(ago, time.Second)})
	}
	if f.reclassify {
		full := s.p.full
		sev := raise(full.Severity)
		if sev == full.Severity {
			return
		}
		class := complaint.Classification{Category: full.Category, Severity: sev, Priority: priority(sev, full.Channel)}
		s.add(between(s.r, time.Minute, 10*time.Minute), action{op: opClassify, by: byStaff, staff: s.agent, class: class})
	}
}

func (s *story) awaitCustomer() {
	cat := s.p.scenario.category
	s.add(between(s.r, time.Hour, day), action{op: opMessage, by: byStaff, staff: s.agent, text: s.say(categoryPhrases[cat].requests)})
	s.transition(between(s.r, time.Minute, 5*time.Minute), byStaff, s.agent, complaint.StatusAwaitingCustomer, s.say(phrases.awaitingCustomer))
	s.add(between(s.r, 20*time.Minute, 3*day), action{op: opMessage, by: byCustomer, text: s.say(phrases.replies)})
}

func (s *story) awaitMerchant() {
	s.add(between(s.r, 10*time.Minute, day), action{op: opNote, by: byStaff, staff: s.agent, text: s.note(phrases.contactedMerchant)})
	s.transition(between(s.r, time.Minute, 5*time.Minute), byStaff, s.agent, complaint.StatusAwaitingMerchant, s.say(phrases.awaitingMerchant))
	if s.p.full.MerchantID == DemoMerchantID {
		s.add(between(s.r, 2*time.Hour, 3*day), action{op: opMessage, by: byMerchant, text: s.say(phrases.merchantReplies)})
		return
	}
	s.add(between(s.r, day, 5*day), action{op: opNote, by: byStaff, staff: s.agent, text: s.note(phrases.merchantOutcome)})
	s.transition(between(s.r, 5*time.Minute, time.Hour), byStaff, s.agent, complaint.StatusInProgress, "")
}

func (s *story) awaitInternal() {
	s.transition(between(s.r, 30*time.Minute, day), byStaff, s.agent, complaint.StatusAwaitingInternal, s.say(phrases.awaitingInternal))
	s.add(between(s.r, day, 4*day), action{op: opNote, by: byStaff, staff: s.agent, text: s.note(phrases.internalDone)})
	s.transition(between(s.r, 5*time.Minute, time.Hour), byStaff, s.agent, complaint.StatusInProgress, "")
}

func (s *story) withdraw() {
	s.add(between(s.r, time.Hour, 3*day), action{op: opMessage, by: byCustomer, text: s.say(phrases.withdrawMsgs)})
	s.transition(between(s.r, time.Minute, 3*time.Minute), byCustomer, 0, complaint.StatusWithdrawn, s.say(phrases.withdrawn))
}

// resolve answers the customer, upholding the complaint or not, and marks
// the case resolved.
func (s *story) resolve(rejected bool, by int) {
	text := pick(s.r, resolutionsFor(s.p.scenario, s.p.script))
	if rejected {
		text = s.say(phrases.rejected)
		if s.p.scenario.payee == noTransaction {
			text = s.say(phrases.rejectedGeneral)
		}
	}
	s.rejected = rejected
	s.add(between(s.r, 2*time.Hour, 4*day), action{op: opMessage, by: byStaff, staff: by, text: text})
	s.transition(between(s.r, time.Minute, 5*time.Minute), byStaff, by, complaint.StatusResolved, s.say(phrases.resolvedReason))
}

// autoClose closes the case seven days after it was resolved.
func (s *story) autoClose() {
	resolvedAt := s.t
	for i := len(s.actions) - 1; i >= 0; i-- {
		if a := s.actions[i]; a.op == opTransition && a.status == complaint.StatusResolved {
			resolvedAt = a.at
			break
		}
	}
	due := resolvedAt + 7*day + between(s.r, time.Minute, 2*time.Hour)
	s.transition(due-s.t, bySystem, 0, complaint.StatusClosed, s.say(phrases.closedAuto))
}

// afterwards is what happens after the first resolution.
func (s *story) afterwards(k afterKind) {
	switch k {
	case afterCloseConfirmed:
		s.add(between(s.r, time.Hour, 2*day), action{op: opMessage, by: byCustomer, text: s.say(phrases.thanks)})
		s.transition(between(s.r, 10*time.Minute, day), byStaff, s.agent, complaint.StatusClosed, s.say(phrases.closedConfirmed))
	case afterReopen:
		s.reopen()
	case afterAppeal:
		s.appeal()
	case afterReferral:
		s.referral()
	default:
		s.autoClose()
	}
}

// reopen: the customer reopens (before or after the automatic close), the
// agent looks again and resolves it.
func (s *story) reopen() {
	delay := between(s.r, day, 6*day)
	if s.r.IntN(2) == 0 {
		s.autoClose()
		delay = between(s.r, day, 10*day)
	}
	reasons := phrases.reopenUnhappy
	if s.p.scenario.payee != noTransaction && !s.rejected {
		reasons = phrases.reopenNoMoney
	}
	s.transition(delay, byCustomer, 0, complaint.StatusReopened, s.say(reasons))
	s.add(between(s.r, 30*time.Minute, day), action{op: opMessage, by: byStaff, staff: s.agent, text: s.say(phrases.afterReopen)})
	s.transition(between(s.r, 5*time.Minute, time.Hour), byStaff, s.agent, complaint.StatusInProgress, "")
	s.resolve(false, s.agent)
	s.autoClose()
}

// appeal: the customer rejects the outcome, and a supervisor reviews it at
// the appeal stage.
func (s *story) appeal() {
	s.transition(between(s.r, day, 6*day), byCustomer, 0, complaint.StatusReopened, s.say(phrases.appealReasons))
	if s.stage != complaint.StageAppeal && s.stage != complaint.StageExternalReferral {
		s.add(between(s.r, time.Hour, day), action{op: opStage, by: byStaff, staff: supervisor, stage: complaint.StageAppeal, text: s.say(phrases.appealStage)})
	}
	s.assignTo(between(s.r, time.Minute, 10*time.Minute), byStaff, supervisor, s.team, supervisor)
	s.transition(between(s.r, 5*time.Minute, time.Hour), byStaff, supervisor, complaint.StatusInProgress, "")
	s.add(between(s.r, time.Hour, 2*day), action{op: opNote, by: byStaff, staff: supervisor, text: s.note(findingsFor(s.p.scenario))})
	s.add(between(s.r, time.Hour, 3*day), action{op: opMessage, by: byStaff, staff: supervisor, text: s.say(phrases.decisions)})
	s.transition(between(s.r, time.Minute, 5*time.Minute), byStaff, supervisor, complaint.StatusResolved, s.say(phrases.resolvedReason))
	s.autoClose()
}

// referral: after the case is closed the customer goes to the regulator,
// whose referral reopens it at the external-referral stage.
func (s *story) referral() {
	s.autoClose()
	if s.stage == complaint.StageExternalReferral {
		return // already there: nothing more to refer
	}
	s.add(between(s.r, 2*day, 15*day), action{op: opStage, by: byStaff, staff: supervisor, stage: complaint.StageExternalReferral, text: s.say(phrases.referralStage)})
	s.add(between(s.r, time.Minute, 30*time.Minute), action{op: opNote, by: byStaff, staff: supervisor, text: s.note(phrases.regulatorNote)})
	s.transition(between(s.r, time.Minute, 10*time.Minute), byStaff, supervisor, complaint.StatusReopened, "")
	s.transition(between(s.r, 5*time.Minute, time.Hour), byStaff, supervisor, complaint.StatusInProgress, "")
	s.add(between(s.r, time.Hour, 3*day), action{op: opMessage, by: byStaff, staff: supervisor, text: s.say(phrases.decisions)})
	s.transition(between(s.r, time.Minute, 5*time.Minute), byStaff, supervisor, complaint.StatusResolved, s.say(phrases.resolvedReason))
	s.autoClose()
}

// noteScript is the script staff write internal notes in for a case.
func noteScript(s script) script {
	if s == latin {
		return latin
	}
	return hans
}

var teamNames = map[string][nScripts]string{
	TeamPayments:         {hans: "支付组", latin: "Payments"},
	TeamRefunds:          {hans: "退款组", latin: "Refunds"},
	TeamFraud:            {hans: "反欺诈组", latin: "Fraud"},
	TeamPrivacy:          {hans: "隐私保护组", latin: "Privacy"},
	TeamMerchantDisputes: {hans: "商户纠纷组", latin: "Merchant Disputes"},
	TeamService:          {hans: "客服组", latin: "Service"},
}
