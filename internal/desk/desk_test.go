package desk_test

import (
	"context"
	"errors"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/redress-project/redress/internal/access"
	"github.com/redress-project/redress/internal/complaint"
	"github.com/redress-project/redress/internal/desk"
	"github.com/redress-project/redress/internal/store"
	"github.com/redress-project/redress/internal/store/storetest"
)

var (
	alice    = access.Principal{UserID: 1, Name: "Alice", Email: "alice@example.com", Role: complaint.RoleCustomer, CustomerID: "c-alice"}
	bob      = access.Principal{UserID: 2, Name: "Bob", Role: complaint.RoleCustomer, CustomerID: "c-bob"}
	agent    = access.Principal{UserID: 3, Name: "李娜", Role: complaint.RoleAgent, Team: "refunds"}
	merchant = access.Principal{UserID: 4, Name: "Shop", Role: complaint.RoleMerchant, MerchantID: "M100"}
	other    = access.Principal{UserID: 5, Name: "Other shop", Role: complaint.RoleMerchant, MerchantID: "M200"}
	admin    = access.Principal{UserID: 6, Name: "Admin", Role: complaint.RoleAdmin}
)

func draft() complaint.Draft {
	return complaint.Draft{
		Customer:    complaint.Customer{ID: "forged-id", Name: "Alice"},
		Subject:     "退款一直没有到账",
		Description: "商家同意退款七天了还没到账。",
		Transactions: []complaint.Transaction{{
			ID: "T1", Time: time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC),
			Amount: complaint.Money{Minor: 12850, Currency: "CNY"}, MerchantID: "M100",
		}},
	}
}

func file(t *testing.T, d *desk.Desk, p access.Principal) *complaint.Case {
	t.Helper()
	c, _, err := d.File(context.Background(), p, draft(), "")
	if err != nil {
		t.Fatalf("File: %v", err)
	}
	return c
}

func TestFileAndVisibility(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		d := desk.New(st)
		c := file(t, d, alice)
		if c.Customer.ID != "c-alice" || c.Customer.Email != "alice@example.com" || c.Channel != complaint.ChannelWeb {
			t.Errorf("a customer's own complaint must carry their account's identity: %+v", c.Customer)
		}
		for _, p := range []access.Principal{alice, agent, merchant, admin} {
			if _, err := d.Get(ctx, p, c.Ref); err != nil {
				t.Errorf("%s should see the case: %v", p.Name, err)
			}
		}
		for _, p := range []access.Principal{bob, other} {
			if _, err := d.Get(ctx, p, c.Ref); !errors.Is(err, complaint.ErrNotFound) {
				t.Errorf("%s must get not-found, got %v", p.Name, err)
			}
		}
		if _, err := d.Get(ctx, agent, "CP-2026-NOTAREAL"); !errors.Is(err, complaint.ErrNotFound) {
			t.Errorf("malformed ref: %v", err)
		}
		if _, _, err := d.File(ctx, merchant, draft(), ""); !errors.Is(err, access.ErrForbidden) {
			t.Errorf("a merchant may not file complaints: %v", err)
		}
		page, err := d.List(ctx, bob, store.CaseFilter{})
		if err != nil || len(page.Cases) != 0 {
			t.Errorf("bob's list must be empty, got %d cases, %v", len(page.Cases), err)
		}
		page, err = d.List(ctx, merchant, store.CaseFilter{})
		if err != nil || len(page.Cases) != 1 {
			t.Errorf("the named merchant's list: %d cases, %v", len(page.Cases), err)
		}
	})
}

func TestIdempotentFiling(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		d := desk.New(st)
		first, replayed, err := d.File(ctx, alice, draft(), "key-1")
		if err != nil || replayed {
			t.Fatalf("first filing: replayed=%v err=%v", replayed, err)
		}
		again, replayed, err := d.File(ctx, alice, draft(), "key-1")
		if err != nil || !replayed || again.Ref != first.Ref {
			t.Fatalf("retry: replayed=%v ref=%s (want %s) err=%v", replayed, again.Ref, first.Ref, err)
		}
		changed := draft()
		changed.Subject = "another matter"
		if _, _, err := d.File(ctx, alice, changed, "key-1"); !errors.Is(err, store.ErrIdempotencyMismatch) {
			t.Errorf("reused key with another body: %v", err)
		}
		if _, replayed, err := d.File(ctx, bob, draft(), "key-1"); err != nil || replayed {
			t.Errorf("keys are per caller: bob's key-1 must open a new case (replayed=%v, err=%v)", replayed, err)
		}
		page, _ := d.List(ctx, agent, store.CaseFilter{})
		if len(page.Cases) != 2 {
			t.Errorf("want 2 cases, got %d", len(page.Cases))
		}
	})
}

func TestConversationDrivesStatus(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		d := desk.New(st)
		c := file(t, d, alice)

		c, _, err := d.Message(ctx, agent, c.Ref, "您好，我们已收到您的投诉，正在核实。")
		if err != nil || c.Status != complaint.StatusAcknowledged {
			t.Fatalf("first agent reply must acknowledge: status %s, %v", c.Status, err)
		}
		mustTransition(t, d, agent, c.Ref, complaint.StatusInProgress)
		mustTransition(t, d, agent, c.Ref, complaint.StatusAwaitingCustomer)
		c, _, err = d.Message(ctx, alice, c.Ref, "截图已上传。")
		if err != nil || c.Status != complaint.StatusInProgress {
			t.Fatalf("the customer's reply must resume the case: status %s, %v", c.Status, err)
		}
		if _, _, err := d.Note(ctx, agent, c.Ref, "商家称已于3月1日退款"); err != nil {
			t.Fatal(err)
		}
		if _, _, err := d.Note(ctx, alice, c.Ref, "sneaky"); !errors.Is(err, access.ErrForbidden) {
			t.Errorf("customers may not add internal notes: %v", err)
		}

		staff, _ := d.Timeline(ctx, agent, c.Ref)
		public, _ := d.Timeline(ctx, alice, c.Ref)
		merchantView, _ := d.Timeline(ctx, merchant, c.Ref)
		if len(staff) != len(public)+1 || len(merchantView) != len(public) {
			t.Errorf("timeline lengths staff=%d customer=%d merchant=%d", len(staff), len(public), len(merchantView))
		}
		for _, e := range append(public, merchantView...) {
			if e.Visibility != complaint.Public {
				t.Errorf("customer or merchant saw a %s event: %s", e.Visibility, e.Kind)
			}
		}
		if err := complaint.VerifyChain(staff); err != nil {
			t.Errorf("stored chain: %v", err)
		}
		replayed, err := complaint.Replay(c.ID, staff)
		if err != nil {
			t.Fatal(err)
		}
		stored, _ := d.Get(ctx, agent, c.Ref)
		if !reflect.DeepEqual(replayed, stored) {
			t.Errorf("replayed events differ from the stored case:\n%+v\n%+v", replayed, stored)
		}
	})
}

func mustTransition(t *testing.T, d *desk.Desk, p access.Principal, ref string, to complaint.Status) {
	t.Helper()
	if _, _, err := d.Transition(context.Background(), p, ref, to, ""); err != nil {
		t.Fatalf("transition to %s: %v", to, err)
	}
}

func TestCustomerTransitions(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		d := desk.New(st)
		c := file(t, d, alice)
		if _, _, err := d.Transition(ctx, alice, c.Ref, complaint.StatusAcknowledged, ""); !errors.Is(err, access.ErrForbidden) {
			t.Errorf("a customer may not acknowledge: %v", err)
		}
		if _, _, err := d.Transition(ctx, bob, c.Ref, complaint.StatusWithdrawn, ""); !errors.Is(err, complaint.ErrNotFound) {
			t.Errorf("another customer may not withdraw it: %v", err)
		}
		c, _, err := d.Transition(ctx, alice, c.Ref, complaint.StatusWithdrawn, "solved myself")
		if err != nil || c.Status != complaint.StatusWithdrawn {
			t.Fatalf("withdraw: %s %v", c.Status, err)
		}
		_, _, err = d.Transition(ctx, agent, c.Ref, complaint.StatusInProgress, "")
		var re *complaint.RuleError
		if !errors.As(err, &re) || re.Code != complaint.CodeIllegalTransition {
			t.Errorf("withdrawn is final: %v", err)
		}
	})
}

func TestReopenUsesTheDeskClock(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		now := time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)
		d := desk.New(st, desk.WithClock(func() time.Time { return now }))
		c := file(t, d, alice)
		for _, s := range []complaint.Status{complaint.StatusAcknowledged, complaint.StatusInProgress, complaint.StatusResolved} {
			mustTransition(t, d, agent, c.Ref, s)
		}
		now = now.Add(31 * 24 * time.Hour)
		_, _, err := d.Transition(ctx, alice, c.Ref, complaint.StatusReopened, "")
		var re *complaint.RuleError
		if !errors.As(err, &re) || re.Code != complaint.CodeReopenWindowPassed {
			t.Errorf("reopen after 31 days: %v", err)
		}
	})
}

func TestConcurrentChangesAllLand(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		d := desk.New(st)
		c := file(t, d, alice)
		const n = 12
		var wg sync.WaitGroup
		errs := make(chan error, n)
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, _, err := d.Note(ctx, agent, c.Ref, "note "+string(rune('a'+i)))
				errs <- err
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Errorf("concurrent note: %v", err)
			}
		}
		events, _ := d.Timeline(ctx, agent, c.Ref)
		if len(events) != n+1 {
			t.Errorf("want %d events, got %d", n+1, len(events))
		}
		if err := complaint.VerifyChain(events); err != nil {
			t.Errorf("chain after concurrent appends: %v", err)
		}
	})
}

func TestCustomersCannotTriageTheirOwnComplaint(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		d := desk.New(st)
		dr := draft()
		dr.Severity, dr.Priority, dr.Team, dr.Stage, dr.Category = complaint.SeverityCritical, complaint.PriorityP1, "vip", complaint.StageExternalReferral, "refund"
		mine, _, err := d.File(ctx, alice, dr, "")
		if err != nil {
			t.Fatal(err)
		}
		if mine.Severity != complaint.SeverityMedium || mine.Priority != complaint.PriorityP3 ||
			mine.Team != complaint.DefaultTeam || mine.Stage != complaint.StageComplaint || mine.Category != "refund" {
			t.Errorf("customer-set triage must be dropped (the chosen type kept): %+v", mine)
		}
		dr.Channel = complaint.ChannelHotline
		onBehalf, _, err := d.File(ctx, agent, dr, "")
		if err != nil {
			t.Fatal(err)
		}
		if onBehalf.Severity != complaint.SeverityCritical || onBehalf.Team != "vip" || onBehalf.Customer.ID != "forged-id" {
			t.Errorf("staff filing on a customer's behalf keeps what they set: %+v", onBehalf)
		}
	})
}

func TestAssignResolvesTheAssignee(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		d := desk.New(st)
		c := file(t, d, alice)
		li := access.User{Email: "li@example.com", Name: "李娜", Role: complaint.RoleAgent, Team: "refunds"}
		cust := access.User{Email: "c@example.com", Name: "C", Role: complaint.RoleCustomer, CustomerID: "c-9"}
		for _, u := range []*access.User{&li, &cust} {
			if err := st.CreateUser(ctx, u); err != nil {
				t.Fatal(err)
			}
		}
		c, _, err := d.Assign(ctx, agent, c.Ref, complaint.Assignment{Team: "refunds", AssigneeID: li.ID, AssigneeName: "forged name"})
		if err != nil || c.AssigneeName != "李娜" || c.AssigneeID != li.ID {
			t.Fatalf("assignee must be named from the account: %q %v", c.AssigneeName, err)
		}
		for name, id := range map[string]int64{"a customer": cust.ID, "nobody": 99999, "a negative id": -1} {
			_, _, err := d.Assign(ctx, agent, c.Ref, complaint.Assignment{Team: "refunds", AssigneeID: id})
			var ve *complaint.ValidationError
			if !errors.As(err, &ve) || ve.Field != "assignee_id" {
				t.Errorf("assigning to %s: want an assignee_id validation error, got %v", name, err)
			}
		}
	})
}

func TestExtensionEventsRoundTrip(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		d := desk.New(st)
		sys := access.SystemPrincipal
		supervisor := access.Principal{UserID: 9, Name: "Zhao", Role: complaint.RoleSupervisor}
		c := file(t, d, alice)
		due := time.Date(2026, 3, 3, 1, 0, 0, 123456000, time.UTC)
		steps := []func() error{
			func() error {
				_, _, err := d.SetDeadline(ctx, sys, c.Ref, complaint.Deadline{Name: "first_response", Spec: "24h", Due: due, State: complaint.DeadlineRunning})
				return err
			},
			func() error {
				_, _, err := d.Assess(ctx, sys, c.Ref, complaint.Assessment{Language: "zh-Hans", Sentiment: -0.6, Signals: []string{"anger"},
					PII: []string{"mobile"}, Category: "refund", Confidence: 0.83, PriorityReasons: []string{"amount at stake CNY 128.50"}, Model: "m1"})
				return err
			},
			func() error {
				_, _, err := d.AddRepeat(ctx, sys, c.Ref, complaint.Repeat{Channel: complaint.ChannelHotline, ReceivedAt: due, Subject: "又来投诉", Reason: "same transaction T1"})
				return err
			},
			func() error {
				_, _, err := d.OpenTask(ctx, agent, c.Ref, "payments_ops", "核实退款流水", due)
				return err
			},
			func() error { _, err := d.RevealPII(ctx, agent, c.Ref, "customer.phone"); return err },
			func() error {
				_, _, err := d.SetDeadline(ctx, sys, c.Ref, complaint.Deadline{Name: "first_response", Spec: "24h", Due: due, State: complaint.DeadlineMet})
				return err
			},
		}
		for i, step := range steps {
			if err := step(); err != nil {
				t.Fatalf("step %d: %v", i, err)
			}
		}
		for _, s := range []complaint.Status{complaint.StatusAcknowledged, complaint.StatusInProgress} {
			mustTransition(t, d, agent, c.Ref, s)
		}
		_, _, err := d.Transition(ctx, agent, c.Ref, complaint.StatusResolved, "")
		var re *complaint.RuleError
		if !errors.As(err, &re) || re.Code != complaint.CodeOpenTasks {
			t.Fatalf("resolving with an open task: want open_tasks, got %v", err)
		}
		if _, _, err := d.OverrideResolve(ctx, agent, c.Ref, "customer refunded"); !errors.Is(err, access.ErrForbidden) {
			t.Errorf("an agent may not override: %v", err)
		}
		if _, _, err := d.OverrideResolve(ctx, supervisor, c.Ref, "customer refunded manually"); err != nil {
			t.Fatalf("supervisor override: %v", err)
		}
		if _, _, err := d.Assess(ctx, agent, c.Ref, complaint.Assessment{}); !errors.Is(err, access.ErrForbidden) {
			t.Errorf("only the system records assessments: %v", err)
		}

		stored, err := d.Get(ctx, agent, c.Ref)
		if err != nil {
			t.Fatal(err)
		}
		if len(stored.Deadlines) != 1 || stored.Deadlines[0].State != complaint.DeadlineMet || !stored.Deadlines[0].Due.Equal(due) ||
			stored.Assessment == nil || stored.Assessment.Confidence != 0.83 || stored.Repeats != 1 ||
			len(stored.Tasks) != 1 || !stored.Tasks[0].Open || stored.Status != complaint.StatusResolved {
			t.Errorf("stored case: %+v", stored)
		}
		events, _ := d.Timeline(ctx, agent, c.Ref)
		replayed, err := complaint.Replay(stored.ID, events)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(replayed, stored) {
			t.Errorf("replay differs from stored:\n%+v\n%+v", replayed, stored)
		}
		public, _ := d.Timeline(ctx, alice, c.Ref)
		for _, e := range public {
			if e.Kind == complaint.KindAssessed || e.Kind == complaint.KindTaskOpened || e.Kind == complaint.KindPIIRevealed || e.Kind == complaint.KindRepeat {
				t.Errorf("the customer sees an internal %s event", e.Kind)
			}
		}
	})
}
