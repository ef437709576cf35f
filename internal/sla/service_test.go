package sla_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redress-project/redress/internal/access"
	"github.com/redress-project/redress/internal/complaint"
	"github.com/redress-project/redress/internal/desk"
	"github.com/redress-project/redress/internal/outbox"
	"github.com/redress-project/redress/internal/sla"
	"github.com/redress-project/redress/internal/store"
	"github.com/redress-project/redress/internal/store/storetest"
)

var (
	ctx        = context.Background()
	cst        = time.FixedZone("CST", 8*3600)
	alice      = access.Principal{UserID: 1, Name: "Alice", Role: complaint.RoleCustomer, CustomerID: "c-alice"}
	agent      = access.Principal{UserID: 3, Name: "李娜", Role: complaint.RoleAgent, Team: "refunds"}
	supervisor = access.Principal{UserID: 9, Name: "Zhao", Role: complaint.RoleSupervisor, Team: "supervisors"}
	quiet      = slog.New(slog.NewTextHandler(io.Discard, nil))
)

func at(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, cst)
	if err != nil {
		panic(err)
	}
	return t
}

// fakeClock is the time the desk and the service read.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *fakeClock) Set(t time.Time)     { c.mu.Lock(); defer c.mu.Unlock(); c.t = t }
func (c *fakeClock) Add(d time.Duration) { c.mu.Lock(); defer c.mu.Unlock(); c.t = c.t.Add(d) }

// world is a desk and the SLA service over one store, with an outbox
// dispatcher delivering events to the service's handler.
type world struct {
	t     *testing.T
	st    *store.Store
	clock *fakeClock
	desk  *desk.Desk
	svc   *sla.Service
	disp  *outbox.Dispatcher
}

func newWorld(t *testing.T, st *store.Store, start time.Time) *world {
	clk := &fakeClock{t: start}
	svc := sla.New(st, nil, sla.Options{Now: clk.Now, Log: quiet})
	return &world{t: t, st: st, clock: clk, desk: desk.New(st, desk.WithClock(clk.Now)), svc: svc,
		disp: outbox.New(st, quiet, svc.Handler())}
}

// dispatch delivers every outbox item, including those the deliveries cause.
func (w *world) dispatch() {
	w.t.Helper()
	for range 50 {
		n, err := w.disp.RunOnce(ctx)
		if err != nil {
			w.t.Fatal(err)
		}
		if n == 0 {
			return
		}
	}
	w.t.Fatal("the outbox does not drain")
}

func (w *world) file(p access.Principal, mods ...func(*complaint.Draft)) *complaint.Case {
	w.t.Helper()
	d := complaint.Draft{Customer: complaint.Customer{ID: "c-alice", Name: "Alice"}, Channel: complaint.ChannelHotline,
		Subject: "退款一直没有到账", Description: "商家同意退款七天了还没到账。"}
	for _, m := range mods {
		m(&d)
	}
	c, _, err := w.desk.File(ctx, p, d, "")
	if err != nil {
		w.t.Fatal(err)
	}
	w.dispatch()
	return w.get(c.Ref)
}

func (w *world) get(ref string) *complaint.Case {
	w.t.Helper()
	c, err := w.st.CaseByRef(ctx, ref)
	if err != nil {
		w.t.Fatal(err)
	}
	return c
}

func (w *world) step(what string, err error) {
	w.t.Helper()
	if err != nil {
		w.t.Fatalf("%s: %v", what, err)
	}
	w.dispatch()
}

func (w *world) deadline(ref, name string) complaint.Deadline {
	w.t.Helper()
	d, ok := w.get(ref).DeadlineNamed(name)
	if !ok {
		w.t.Fatalf("case %s has no %s deadline", ref, name)
	}
	return d
}

func (w *world) want(ref, name string, state complaint.DeadlineState, due time.Time) {
	w.t.Helper()
	if d := w.deadline(ref, name); d.State != state || !d.Due.Equal(due) {
		w.t.Errorf("%s: %s due %s, want %s due %s", name, d.State, d.Due.In(cst), state, due.In(cst))
	}
}

// pending returns the case's pending timers as "clock/kind" → firing time.
func (w *world) pending(ref string) map[string]time.Time {
	w.t.Helper()
	ts, err := w.st.CaseTimers(ctx, ref)
	if err != nil {
		w.t.Fatal(err)
	}
	m := map[string]time.Time{}
	for _, tm := range ts {
		if tm.FiredAt.IsZero() {
			m[tm.Clock+"/"+tm.Kind] = tm.FireAt
		}
	}
	return m
}

func (w *world) fire(at time.Time) store.FireReport {
	w.t.Helper()
	w.clock.Set(at)
	rep, err := w.svc.FireDue(ctx)
	if err != nil {
		w.t.Fatal(err)
	}
	return rep
}

// notes returns the bodies of the case's internal notes.
func (w *world) notes(ref string) []string {
	w.t.Helper()
	events, err := w.st.Events(ctx, w.get(ref).ID)
	if err != nil {
		w.t.Fatal(err)
	}
	var out []string
	for _, e := range events {
		if e.Kind == complaint.KindNote {
			out = append(out, e.Body)
		}
	}
	return out
}

// redeliver hands every event of the case to the handler again.
func (w *world) redeliver(ref string) {
	w.t.Helper()
	events, err := w.st.Events(ctx, w.get(ref).ID)
	if err != nil {
		w.t.Fatal(err)
	}
	h := w.svc.Handler()
	for _, e := range events {
		if err := h.Handle(ctx, store.OutboxItem{EventID: e.ID, CaseRef: ref, Kind: string(e.Kind)}); err != nil {
			w.t.Fatal(err)
		}
	}
}

func TestHandlerDrivesTheClocks(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		w := newWorld(t, st, at("2026-03-02 10:00"))
		c := w.file(alice)
		ref := c.Ref
		// Standard policy: 24h to the first response, 15ld to resolution.
		w.want(ref, sla.FirstResponse, complaint.DeadlineRunning, at("2026-03-03 10:00"))
		w.want(ref, sla.Resolution, complaint.DeadlineRunning, at("2026-03-18 00:00"))
		timers := w.pending(ref)
		if len(timers) != 6 || !timers["first_response/warning-75"].Equal(at("2026-03-03 04:00")) {
			t.Fatalf("pending timers %v", timers)
		}
		// The customer sees the deadlines they are owed.
		public, err := w.desk.Timeline(ctx, alice, ref)
		if err != nil {
			t.Fatal(err)
		}
		if n := countKind(public, complaint.KindDeadline); n != 2 {
			t.Errorf("the customer sees %d deadline events, want 2", n)
		}

		// Delivering every event again changes nothing.
		version := w.get(ref).Version
		w.redeliver(ref)
		w.redeliver(ref)
		if got := w.get(ref).Version; got != version || !reflect.DeepEqual(w.pending(ref), timers) {
			t.Fatalf("redelivery changed the case (version %d → %d) or its timers", version, got)
		}

		w.clock.Set(at("2026-03-02 11:00"))
		_, _, err = w.desk.Message(ctx, agent, ref, "您好，我们已收到您的投诉。")
		w.step("agent message", err)
		w.want(ref, sla.FirstResponse, complaint.DeadlineMet, at("2026-03-03 10:00"))
		if timers := w.pending(ref); len(timers) != 3 || !timers["resolution/breach"].Equal(at("2026-03-18 00:00")) {
			t.Errorf("met clocks keep no timers: %v", timers)
		}

		// A customer message starts next_response (48h).
		w.clock.Set(at("2026-03-02 12:00"))
		_, _, err = w.desk.Message(ctx, alice, ref, "请尽快处理")
		w.step("customer message", err)
		w.want(ref, sla.NextResponse, complaint.DeadlineRunning, at("2026-03-04 12:00"))

		// Waiting for the customer pauses the (h) clock; resuming adds the wait.
		w.clock.Set(at("2026-03-02 13:00"))
		_, _, err = w.desk.Transition(ctx, agent, ref, complaint.StatusInProgress, "")
		w.step("in progress", err)
		_, _, err = w.desk.Transition(ctx, agent, ref, complaint.StatusAwaitingCustomer, "")
		w.step("awaiting customer", err)
		w.want(ref, sla.NextResponse, complaint.DeadlinePaused, at("2026-03-04 12:00"))
		w.want(ref, sla.Resolution, complaint.DeadlineRunning, at("2026-03-18 00:00"))
		if _, ok := w.pending(ref)["next_response/breach"]; ok {
			t.Error("a paused clock keeps no timers")
		}
		w.clock.Set(at("2026-03-03 13:00"))
		c, _, err = w.desk.Message(ctx, alice, ref, "截图已上传")
		w.step("customer answers", err)
		if c.Status != complaint.StatusInProgress {
			t.Fatalf("status %s", c.Status)
		}
		w.want(ref, sla.NextResponse, complaint.DeadlineRunning, at("2026-03-05 12:00"))
		if got := w.pending(ref)["next_response/breach"]; !got.Equal(at("2026-03-05 12:00")) {
			t.Errorf("resumed breach timer at %v", got)
		}

		w.clock.Set(at("2026-03-04 09:00"))
		_, _, err = w.desk.Transition(ctx, agent, ref, complaint.StatusResolved, "refunded")
		w.step("resolve", err)
		w.want(ref, sla.Resolution, complaint.DeadlineMet, at("2026-03-18 00:00"))
		w.want(ref, sla.NextResponse, complaint.DeadlineMet, at("2026-03-05 12:00"))
		if timers := w.pending(ref); len(timers) != 0 {
			t.Errorf("a resolved case keeps no timers: %v", timers)
		}

		w.clock.Set(at("2026-03-09 09:00"))
		_, _, err = w.desk.Transition(ctx, alice, ref, complaint.StatusReopened, "still not refunded")
		w.step("reopen", err)
		w.want(ref, sla.Resolution, complaint.DeadlineRunning, at("2026-03-25 00:00"))
		if got := w.pending(ref)["resolution/breach"]; !got.Equal(at("2026-03-25 00:00")) {
			t.Errorf("reopening must re-arm the resolution breach: %v", w.pending(ref))
		}
		w.clock.Set(at("2026-03-10 09:00"))
		_, _, err = w.desk.Transition(ctx, alice, ref, complaint.StatusWithdrawn, "")
		w.step("withdraw", err)
		w.want(ref, sla.Resolution, complaint.DeadlineCancelled, at("2026-03-25 00:00"))
	})
}

func countKind(events []complaint.Event, kind complaint.EventKind) int {
	n := 0
	for _, e := range events {
		if e.Kind == kind {
			n++
		}
	}
	return n
}

func TestSchedulerWarnsBreachesAndEscalates(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		w := newWorld(t, st, at("2026-03-02 10:00"))
		// Filed by an agent on the hotline, critical: first response in 1h,
		// breach: notify, raise priority, escalate.
		ref := w.file(agent, func(d *complaint.Draft) { d.Severity = complaint.SeverityCritical }).Ref
		w.want(ref, sla.FirstResponse, complaint.DeadlineRunning, at("2026-03-02 11:00"))

		if rep := w.fire(at("2026-03-02 10:44")); len(rep.Fired) != 0 {
			t.Fatalf("fired early: %+v", rep)
		}
		if rep := w.fire(at("2026-03-02 10:45")); len(rep.Fired) != 1 {
			t.Fatalf("75%%: %+v", rep)
		}
		d := w.deadline(ref, sla.FirstResponse)
		if d.State != complaint.DeadlineWarning || len(w.notes(ref)) != 1 || !strings.Contains(w.notes(ref)[0], "75%") {
			t.Errorf("after 75%%: %+v, notes %q", d, w.notes(ref))
		}
		if rep := w.fire(at("2026-03-02 10:50")); len(rep.Fired) != 0 {
			t.Errorf("a timer fired twice: %+v", rep)
		}
		w.dispatch()

		w.fire(at("2026-03-02 10:54"))
		if c := w.get(ref); c.Priority != complaint.PriorityP2 || len(w.notes(ref)) != 2 {
			t.Errorf("after 90%%: priority %s, notes %q", c.Priority, w.notes(ref))
		}
		w.fire(at("2026-03-02 11:00"))
		c := w.get(ref)
		d, _ = c.DeadlineNamed(sla.FirstResponse)
		if d.State != complaint.DeadlineBreached || c.Priority != complaint.PriorityP1 || c.Team != "supervisors" {
			t.Errorf("after the breach: %+v, priority %s, team %s", d, c.Priority, c.Team)
		}
		notes := w.notes(ref)
		if len(notes) != 4 || !strings.HasPrefix(notes[2], "SLA breach: first_response ran out at 2026-03-02 11:00 CST") ||
			!strings.HasPrefix(notes[3], "Escalated to supervisors.") {
			t.Errorf("notes %q", notes)
		}
		version := c.Version
		w.dispatch()
		w.fire(at("2026-03-02 12:00"))
		if got := w.get(ref).Version; got != version {
			t.Errorf("the firing's own events must not make the handler or the scheduler act again: version %d → %d", version, got)
		}
		// Staff see the warning and the breach; the customer does not.
		events, _ := w.desk.Timeline(ctx, alice, ref)
		for _, e := range events {
			if e.Kind == complaint.KindDeadline && strings.Contains(string(e.After), "breached") {
				t.Error("the customer saw the breach")
			}
		}
		_, _, err := w.desk.Message(ctx, agent, ref, "抱歉久等")
		w.step("late answer", err)
		if d := w.deadline(ref, sla.FirstResponse); d.State != complaint.DeadlineBreached {
			t.Errorf("a late answer leaves the breach: %+v", d)
		}
	})
}

func TestTasksHaveTimersAndBlockResolution(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		w := newWorld(t, st, at("2026-03-02 10:00"))
		ref := w.file(alice).Ref
		_, _, err := w.desk.OpenTask(ctx, agent, ref, "payments_ops", "核实退款流水", at("2026-03-02 16:00"))
		w.step("open task", err)
		if got := w.pending(ref)["task:T1/overdue"]; !got.Equal(at("2026-03-02 16:00")) {
			t.Fatalf("task timer %v", w.pending(ref))
		}
		for _, s := range []complaint.Status{complaint.StatusAcknowledged, complaint.StatusInProgress} {
			_, _, err := w.desk.Transition(ctx, agent, ref, s, "")
			w.step(string(s), err)
		}
		_, _, err = w.desk.Transition(ctx, agent, ref, complaint.StatusResolved, "")
		var re *complaint.RuleError
		if !errors.As(err, &re) || re.Code != complaint.CodeOpenTasks {
			t.Fatalf("resolving with an open task: %v", err)
		}

		if rep := w.fire(at("2026-03-02 16:00")); len(rep.Fired) != 1 {
			t.Fatalf("overdue task: %+v", rep)
		}
		c := w.get(ref)
		notes := w.notes(ref)
		if c.Priority != complaint.PriorityP2 || len(notes) != 1 || !strings.Contains(notes[0], "Task T1 for payments_ops (核实退款流水) is overdue") {
			t.Errorf("an overdue task escalates: priority %s, notes %q", c.Priority, notes)
		}
		if rep := w.fire(at("2026-03-02 17:00")); len(rep.Fired) != 0 {
			t.Errorf("fired again: %+v", rep)
		}

		_, _, err = w.desk.OpenTask(ctx, agent, ref, "legal", "确认条款", at("2026-03-03 12:00"))
		w.step("second task", err)
		_, _, err = w.desk.CloseTask(ctx, agent, ref, "T2", "条款无问题")
		w.step("close task", err)
		if _, ok := w.pending(ref)["task:T2/overdue"]; ok {
			t.Error("a closed task keeps its timer")
		}

		if _, _, err := w.desk.OverrideResolve(ctx, agent, ref, "refunded by hand"); !errors.Is(err, access.ErrForbidden) {
			t.Errorf("an agent overriding: %v", err)
		}
		_, _, err = w.desk.OverrideResolve(ctx, supervisor, ref, "refunded by hand")
		w.step("supervisor override", err)
		w.want(ref, sla.Resolution, complaint.DeadlineMet, at("2026-03-18 00:00"))
		if p := w.pending(ref); len(p) != 0 {
			t.Errorf("timers after the override: %v", p)
		}
	})
}

func TestExtend(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		w := newWorld(t, st, at("2026-03-02 10:00"))
		ref := w.file(alice).Ref
		if _, err := w.svc.Extend(ctx, agent, ref, sla.Resolution, "complex"); !errors.Is(err, access.ErrForbidden) {
			t.Errorf("an agent extending: %v", err)
		}
		if _, err := w.svc.Extend(ctx, alice, ref, sla.Resolution, "please"); !errors.Is(err, access.ErrForbidden) {
			t.Errorf("the customer extending: %v", err)
		}
		w.clock.Set(at("2026-03-05 10:00"))
		_, err := w.svc.Extend(ctx, supervisor, ref, sla.Resolution, "需要商户和清算机构配合调查")
		w.step("extend", err)
		// 30ld from 2 March: day 30 is Wednesday 1 April.
		d := w.deadline(ref, sla.Resolution)
		if d.Spec != "30ld" || d.State != complaint.DeadlineRunning || !d.Due.Equal(at("2026-04-02 00:00")) {
			t.Errorf("extended: %+v", d)
		}
		if got := w.pending(ref)["resolution/breach"]; !got.Equal(at("2026-04-02 00:00")) {
			t.Errorf("breach timer after the extension: %v", got)
		}
		if notes := w.notes(ref); len(notes) != 1 || !strings.HasPrefix(notes[0], "Extended resolution from 15ld to 30ld: 需要") {
			t.Errorf("notes %q", notes)
		}
		_, err = w.svc.Extend(ctx, supervisor, ref, sla.Resolution, "further")
		w.step("extend again", err)
		if d := w.deadline(ref, sla.Resolution); d.Spec != "60ld" {
			t.Errorf("second extension: %+v", d)
		}
		for _, name := range []string{sla.Resolution, sla.FirstResponse, sla.NextResponse} {
			_, err = w.svc.Extend(ctx, supervisor, ref, name, "again")
			var re *complaint.RuleError
			if !errors.As(err, &re) || re.Code != sla.CodeNoExtension && re.Code != sla.CodeClockNotRunning {
				t.Errorf("extending %s: %v", name, err)
			}
		}
		// Restarting the service (policies re-read) keeps the extended spec.
		w.redeliver(ref)
		if d := w.deadline(ref, sla.Resolution); d.Spec != "60ld" {
			t.Errorf("after redelivery: %+v", d)
		}
	})
}

func TestRegulatorDeadlineFromIntake(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		w := newWorld(t, st, at("2026-03-02 10:00"))
		c, _, err := w.desk.File(ctx, agent, complaint.Draft{Customer: complaint.Customer{Name: "Alice"},
			Channel: complaint.ChannelRegulator, ExternalRef: "PBOC-2026-0042",
			Subject: "监管转办：退款未到账", Description: "人民银行转办投诉。"}, "")
		if err != nil {
			t.Fatal(err)
		}
		due := at("2026-03-09 18:00")
		// Intake records the regulator's deadline before the handler runs.
		_, _, err = w.desk.SetDeadline(ctx, access.SystemPrincipal, c.Ref,
			complaint.Deadline{Name: sla.Regulator, Due: due, State: complaint.DeadlineRunning})
		w.step("regulator deadline", err)
		w.want(c.Ref, sla.Regulator, complaint.DeadlineRunning, due)
		if got := w.pending(c.Ref)["regulator/breach"]; !got.Equal(due) {
			t.Errorf("regulator timers %v", w.pending(c.Ref))
		}
		w.fire(due)
		if d := w.deadline(c.Ref, sla.Regulator); d.State != complaint.DeadlineBreached || !d.Due.Equal(due) {
			t.Errorf("after the regulator's due: %+v", d)
		}
		if c := w.get(c.Ref); c.Team != "supervisors" {
			t.Errorf("a breached regulator deadline escalates: team %s", c.Team)
		}
	})
}

func TestDescribe(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		w := newWorld(t, st, at("2026-09-30 10:00"))
		ref := w.file(alice).Ref
		c, history, err := w.desk.View(ctx, alice, ref)
		if err != nil {
			t.Fatal(err)
		}
		views := w.svc.Describe(c, history, at("2026-10-14 09:15"))
		byName := map[string]sla.ClockView{}
		for _, v := range views {
			byName[v.Name] = v
		}
		res := byName[sla.Resolution]
		// 53.25 of 71 working hours: 75%; 38 h 45 min until 24:00 on the 15th.
		if !res.Public || res.PercentUsed != 75 || res.Remaining != 38*time.Hour+45*time.Minute || res.State != complaint.DeadlineRunning {
			t.Errorf("resolution view %+v", res)
		}
		fr := byName[sla.FirstResponse]
		if fr.State != complaint.DeadlineBreached || fr.Remaining >= 0 || fr.PercentUsed <= 100 {
			t.Errorf("an overdue first response shows as breached: %+v", fr)
		}
	})
}
