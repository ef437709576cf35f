package sla

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/redress-project/redress/internal/complaint"
	"github.com/redress-project/redress/internal/store"
)

var (
	cst      = mustZone("Asia/Shanghai")
	customer = complaint.Actor{ID: 1, Role: complaint.RoleCustomer, Name: "王女士"}
	agentA   = complaint.Actor{ID: 3, Role: complaint.RoleAgent, Name: "李娜"}
)

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

func at(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, cst)
	if err != nil {
		panic(err)
	}
	return t
}

// book is a case and its history, built with domain commands, with the
// service's reconciliation run in memory after each step.
type book struct {
	t       *testing.T
	p       *Policies
	c       *complaint.Case
	history []complaint.Event
	timers  []store.Timer
}

func newBook(t *testing.T, p *Policies, opened time.Time, mods ...func(*complaint.Draft)) *book {
	t.Helper()
	d := complaint.Draft{Customer: complaint.Customer{ID: "c1", Name: "王女士"}, Channel: complaint.ChannelApp,
		Subject: "退款未到账", Description: "商家同意退款但一直没到账。"}
	for _, m := range mods {
		m(&d)
	}
	d.Normalize()
	c, e, err := complaint.Open(d, complaint.NewRef(opened), customer, opened)
	if err != nil {
		t.Fatal(err)
	}
	b := &book{t: t, p: p, c: c, history: []complaint.Event{e}}
	b.reconcile(opened)
	return b
}

// do runs a command at now and reconciles.
func (b *book) do(now time.Time, cmd func(c *complaint.Case, now time.Time) (complaint.Event, error)) {
	b.t.Helper()
	e, err := cmd(b.c, now)
	if err != nil {
		b.t.Fatalf("command at %s: %v", now, err)
	}
	b.history = append(b.history, e)
	b.reconcile(now)
}

// reconcile runs what the outbox handler runs and returns the deadline
// events it recorded.
func (b *book) reconcile(now time.Time) []complaint.Event {
	b.t.Helper()
	events, timers, problems, err := b.p.reconcile(b.c, b.history, "", now, nil)
	if err != nil || len(problems) > 0 {
		b.t.Fatalf("reconcile: %v %v", err, problems)
	}
	var out []complaint.Event
	for _, e := range events {
		b.history = append(b.history, *e)
		out = append(out, *e)
	}
	b.timers = timers
	return out
}

func (b *book) deadline(name string) complaint.Deadline {
	b.t.Helper()
	d, ok := b.c.DeadlineNamed(name)
	if !ok {
		b.t.Fatalf("no %s deadline; have %+v", name, b.c.Deadlines)
	}
	return d
}

func (b *book) want(name string, state complaint.DeadlineState, due time.Time) {
	b.t.Helper()
	d := b.deadline(name)
	if d.State != state || !d.Due.Equal(due) {
		b.t.Errorf("%s: %s due %s, want %s due %s", name, d.State, d.Due.In(cst), state, due.In(cst))
	}
}

// timerAt returns the firing time of a pending timer.
func (b *book) timerAt(clock, kind string) (time.Time, bool) {
	i := slices.IndexFunc(b.timers, func(tm store.Timer) bool { return tm.Clock == clock && tm.Kind == kind })
	if i < 0 {
		return time.Time{}, false
	}
	return b.timers[i].FireAt, true
}

func (b *book) wantTimer(clock, kind string, fireAt time.Time) {
	b.t.Helper()
	got, ok := b.timerAt(clock, kind)
	if !ok || !got.Equal(fireAt) {
		b.t.Errorf("timer %s/%s at %s (pending %v), want %s", clock, kind, got.In(cst), ok, fireAt.In(cst))
	}
}

func (b *book) wantNoTimers(clock string) {
	b.t.Helper()
	for _, tm := range b.timers {
		if tm.Clock == clock {
			b.t.Errorf("timer %s/%s still pending", tm.Clock, tm.Kind)
		}
	}
}

func transition(to complaint.Status, who complaint.Actor) func(*complaint.Case, time.Time) (complaint.Event, error) {
	return func(c *complaint.Case, now time.Time) (complaint.Event, error) {
		return c.Transition(to, "", who, now, complaint.Rules{ReopenWindow: 30 * 24 * time.Hour})
	}
}

func message(body string, who complaint.Actor) func(*complaint.Case, time.Time) (complaint.Event, error) {
	return func(c *complaint.Case, now time.Time) (complaint.Event, error) { return c.Message(body, who, now) }
}

// TestHandComputedDeadlines checks the standard policy on a complaint filed
// on Wednesday 30 September 2026 at 10:00 in Shanghai, the day before the
// National Day holiday (1-7 October; Saturday 10 October is a make-up
// working day):
//
//   - resolution, 15ld: day 1 is 1 October, day 15 is Thursday 15 October,
//     a working day, so the period ends at 24:00 on the 15th, 2026-10-16
//     00:00 CST. Its working time is 8 h on 30 September (10:00-18:00) and
//     9 h on each of 8, 9, 10, 12, 13, 14 and 15 October: 71 h. 75% is
//     53 h 15 min: 53 h are used by the close of 13 October, so the warning
//     is at 09:15 on the 14th; 90% is 63 h 54 min: 62 h by the close of the
//     14th, so 10:54 on the 15th.
//   - first response, 24h of elapsed time: 1 October 10:00 CST; 75% at
//     04:00 and 90% at 07:36 that day.
func TestHandComputedDeadlines(t *testing.T) {
	b := newBook(t, DefaultPolicies(), at("2026-09-30 10:00"))
	b.want(Resolution, complaint.DeadlineRunning, at("2026-10-16 00:00"))
	b.want(FirstResponse, complaint.DeadlineRunning, at("2026-10-01 10:00"))
	b.wantTimer(Resolution, "warning-75", at("2026-10-14 09:15"))
	b.wantTimer(Resolution, "warning-90", at("2026-10-15 10:54"))
	b.wantTimer(Resolution, KindBreach, at("2026-10-16 00:00"))
	b.wantTimer(FirstResponse, "warning-75", at("2026-10-01 04:00"))
	b.wantTimer(FirstResponse, "warning-90", at("2026-10-01 07:36"))
	b.wantTimer(FirstResponse, KindBreach, at("2026-10-01 10:00"))
	if len(b.timers) != 6 {
		t.Errorf("%d timers, want 6: %+v", len(b.timers), b.timers)
	}
	if _, ok := b.c.DeadlineNamed(NextResponse); ok {
		t.Error("next_response must wait for a customer message after staff answered")
	}
	for _, e := range b.history[1:] {
		if e.Kind != complaint.KindDeadline || e.Visibility != complaint.Public || e.Actor != complaint.System {
			t.Errorf("starting a clock must be a public deadline event by the system: %+v", e)
		}
	}
	if again := b.reconcile(at("2026-09-30 10:05")); len(again) != 0 {
		t.Errorf("reconciling again must record nothing, recorded %d events", len(again))
	}
}

// businessHours is a policy with clocks that pause (bh), on cn.
func businessHours(t *testing.T) *Policies {
	t.Helper()
	p, err := ParsePolicies([]byte(`{"rules": [{"name": "all", "clocks": {
		"first_response": {"spec": "16bh"}, "next_response": {"spec": "8bh"},
		"resolution": {"spec": "15ld", "extensions": ["30ld"]}}}]}`), "")
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// TestClockLifecycle follows a case from filing to reopening and
// withdrawal, in March 2026 (no holidays; 2 March is a Monday).
func TestClockLifecycle(t *testing.T) {
	b := newBook(t, businessHours(t), at("2026-03-02 10:00"))
	// 16bh from Monday 10:00: 8 h on Monday, 8 h on Tuesday.
	b.want(FirstResponse, complaint.DeadlineRunning, at("2026-03-03 17:00"))
	b.want(Resolution, complaint.DeadlineRunning, at("2026-03-18 00:00"))
	firstEpoch := b.timers[0].Epoch

	// Waiting for the customer pauses the bh clock, not the ld one.
	b.do(at("2026-03-02 10:30"), transition(complaint.StatusAcknowledged, agentA))
	b.do(at("2026-03-02 10:40"), transition(complaint.StatusInProgress, agentA))
	b.do(at("2026-03-02 11:00"), transition(complaint.StatusAwaitingCustomer, agentA))
	b.want(FirstResponse, complaint.DeadlinePaused, at("2026-03-03 17:00"))
	b.want(Resolution, complaint.DeadlineRunning, at("2026-03-18 00:00"))
	b.wantNoTimers(FirstResponse)
	b.wantTimer(Resolution, KindBreach, at("2026-03-18 00:00"))
	// A day later the paused clock has used 1 of its 16 working hours.
	views := b.p.Describe(b.c, b.history, "", at("2026-03-03 10:00"))
	if i := slices.IndexFunc(views, func(v ClockView) bool { return v.Name == FirstResponse }); i < 0 ||
		views[i].State != complaint.DeadlinePaused || views[i].Remaining != 15*time.Hour || views[i].PercentUsed != 6.3 {
		t.Errorf("paused first response in %+v", views)
	}

	// The customer answers on Tuesday at 15:00: 1 h was used before the
	// wait, 3 h are left on Tuesday, 9 h on Wednesday, 3 h on Thursday.
	b.do(at("2026-03-03 15:00"), message("截图已上传", customer))
	b.do(at("2026-03-03 15:00"), transition(complaint.StatusInProgress, customer))
	b.want(FirstResponse, complaint.DeadlineRunning, at("2026-03-05 12:00"))
	b.wantTimer(FirstResponse, KindBreach, at("2026-03-05 12:00"))
	// 75% of 16 h is 12 h: 1 + 3 + 8 h, Wednesday 17:00.
	b.wantTimer(FirstResponse, "warning-75", at("2026-03-04 17:00"))
	if b.timers[0].Epoch != firstEpoch {
		t.Errorf("resuming is the same run of the clock: epoch %s, was %s", b.timers[0].Epoch, firstEpoch)
	}
	if _, ok := b.c.DeadlineNamed(NextResponse); ok {
		t.Error("a customer message before any staff answer starts no next_response clock")
	}

	b.do(at("2026-03-04 10:00"), message("您好，已为您核实。", agentA))
	b.want(FirstResponse, complaint.DeadlineMet, at("2026-03-05 12:00"))
	b.wantNoTimers(FirstResponse)

	// A customer message starts next_response: 8bh from Wednesday 11:00.
	b.do(at("2026-03-04 11:00"), message("还是没到账", customer))
	b.want(NextResponse, complaint.DeadlineRunning, at("2026-03-05 10:00"))
	b.do(at("2026-03-04 11:30"), message("补充：订单号 123", customer))
	b.want(NextResponse, complaint.DeadlineRunning, at("2026-03-05 10:00"))
	// Answered late: the clock settles as breached, not met.
	b.do(at("2026-03-05 11:00"), message("已加急处理", agentA))
	b.want(NextResponse, complaint.DeadlineBreached, at("2026-03-05 10:00"))
	b.wantNoTimers(NextResponse)

	b.do(at("2026-03-06 09:00"), transition(complaint.StatusResolved, agentA))
	b.want(Resolution, complaint.DeadlineMet, at("2026-03-18 00:00"))
	if len(b.timers) != 0 {
		t.Errorf("a resolved case has no timers: %+v", b.timers)
	}

	// Reopening starts a new run of the resolution clock.
	b.do(at("2026-03-10 09:00"), transition(complaint.StatusReopened, customer))
	b.want(Resolution, complaint.DeadlineRunning, at("2026-03-26 00:00"))
	if tm, ok := b.timerAt(Resolution, KindBreach); !ok || !tm.Equal(at("2026-03-26 00:00")) {
		t.Errorf("the new run needs its timers: %v", b.timers)
	}
	if b.timers[0].Epoch == firstEpoch || !strings.HasPrefix(b.timers[0].Epoch, "2026-03-10T01:00:00Z") {
		t.Errorf("a new run has a new epoch: %s", b.timers[0].Epoch)
	}
	b.want(FirstResponse, complaint.DeadlineMet, at("2026-03-05 12:00"))

	b.do(at("2026-03-11 09:00"), transition(complaint.StatusWithdrawn, customer))
	b.want(Resolution, complaint.DeadlineCancelled, at("2026-03-26 00:00"))
	if len(b.timers) != 0 {
		t.Errorf("a withdrawn case has no timers: %+v", b.timers)
	}

	// Replaying the whole history from scratch gives the same clocks and
	// records nothing new: the handler is idempotent.
	replayed, err := complaint.Replay(0, b.history)
	if err != nil {
		t.Fatal(err)
	}
	events, timers, _, err := b.p.reconcile(replayed, b.history, "", at("2026-04-01 00:00"), nil)
	if err != nil || len(events) != 0 || len(timers) != 0 {
		t.Errorf("reconciling the replayed case: %d events, %d timers, %v", len(events), len(timers), err)
	}
}

func TestWarningAndBreachAreKept(t *testing.T) {
	b := newBook(t, businessHours(t), at("2026-03-02 10:00"))
	// The scheduler records a warning on the first response.
	d := b.deadline(FirstResponse)
	d.State = complaint.DeadlineWarning
	b.do(at("2026-03-03 14:00"), func(c *complaint.Case, now time.Time) (complaint.Event, error) {
		return c.SetDeadline(d, complaint.System, now)
	})
	b.want(FirstResponse, complaint.DeadlineWarning, at("2026-03-03 17:00"))
	// A pause and a resume keep the warning.
	b.do(at("2026-03-03 14:00"), transition(complaint.StatusAcknowledged, agentA))
	b.do(at("2026-03-03 14:00"), transition(complaint.StatusInProgress, agentA))
	b.do(at("2026-03-03 14:00"), transition(complaint.StatusAwaitingInternal, agentA))
	b.want(FirstResponse, complaint.DeadlinePaused, at("2026-03-03 17:00"))
	b.do(at("2026-03-03 15:00"), transition(complaint.StatusInProgress, agentA))
	b.want(FirstResponse, complaint.DeadlineWarning, at("2026-03-03 18:00"))
	// Once breached, always breached: an answer after the breach keeps it.
	d = b.deadline(FirstResponse)
	d.State = complaint.DeadlineBreached
	b.do(at("2026-03-03 18:00"), func(c *complaint.Case, now time.Time) (complaint.Event, error) {
		return c.SetDeadline(d, complaint.System, now)
	})
	b.wantNoTimers(FirstResponse)
	b.do(at("2026-03-03 18:30"), message("抱歉久等", agentA))
	b.want(FirstResponse, complaint.DeadlineBreached, at("2026-03-03 18:00"))
}

func TestRegulatorDeadlineIsNeverOverridden(t *testing.T) {
	regulator := func(d *complaint.Draft) { d.Channel, d.ExternalRef = complaint.ChannelRegulator, "PBOC-2026-0042" }
	b := newBook(t, DefaultPolicies(), at("2026-03-02 10:00"), regulator)
	given := complaint.Deadline{Name: Regulator, Spec: "10bd", Due: at("2026-03-12 12:00"), State: complaint.DeadlineRunning}
	b.do(at("2026-03-02 10:00"), func(c *complaint.Case, now time.Time) (complaint.Event, error) {
		return c.SetDeadline(given, complaint.System, now) // as intake does
	})
	b.want(Regulator, complaint.DeadlineRunning, given.Due)
	if d := b.deadline(Regulator); d.Spec != "10bd" {
		t.Errorf("the regulator's spec changed: %+v", d)
	}
	b.wantTimer(Regulator, KindBreach, given.Due)
	// The regulator rule warns at 50%, 75% and 90% of the working time
	// between filing and the regulator's due.
	for _, kind := range []string{"warning-50", "warning-75", "warning-90"} {
		if _, ok := b.timerAt(Regulator, kind); !ok {
			t.Errorf("no %s timer for the regulator's deadline", kind)
		}
	}
	b.want(Resolution, complaint.DeadlineRunning, at("2026-03-18 00:00"))
	b.do(at("2026-03-03 09:00"), transition(complaint.StatusAcknowledged, agentA))
	b.do(at("2026-03-03 09:00"), transition(complaint.StatusInProgress, agentA))
	b.do(at("2026-03-03 09:00"), transition(complaint.StatusAwaitingCustomer, agentA))
	b.want(Regulator, complaint.DeadlineRunning, given.Due)
	b.do(at("2026-03-04 09:00"), transition(complaint.StatusInProgress, agentA))
	b.do(at("2026-03-05 09:00"), transition(complaint.StatusResolved, agentA))
	b.want(Regulator, complaint.DeadlineMet, given.Due)
	if d := b.deadline(Regulator); d.Spec != "10bd" {
		t.Errorf("settling changed the regulator's spec: %+v", d)
	}
}

// BenchmarkReconcile measures what the outbox handler computes for a case
// (without the store): a filed case under the standard rule, whose
// resolution clock (15ld) and first response (24h) get their dues and
// warning instants.
func BenchmarkReconcile(b *testing.B) {
	p := DefaultPolicies()
	d := complaint.Draft{Customer: complaint.Customer{Name: "王女士"}, Channel: complaint.ChannelApp, Subject: "退款", Description: "没到账"}
	d.Normalize()
	opened := at("2026-09-30 10:00")
	for b.Loop() {
		c, e, _ := complaint.Open(d, "CP-2026-AAAAAAAA", customer, opened)
		if _, _, _, err := p.reconcile(c, []complaint.Event{e}, "", opened, nil); err != nil {
			b.Fatal(err)
		}
	}
}
