package triage_test

import (
	"context"
	"encoding/json"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redress-project/redress/internal/access"
	"github.com/redress-project/redress/internal/assess/classify"
	"github.com/redress-project/redress/internal/complaint"
	"github.com/redress-project/redress/internal/desk"
	"github.com/redress-project/redress/internal/outbox"
	"github.com/redress-project/redress/internal/store"
	"github.com/redress-project/redress/internal/store/storetest"
	"github.com/redress-project/redress/internal/taxonomy"
	"github.com/redress-project/redress/internal/triage"
)

var (
	customer = access.Principal{UserID: 1, Name: "王芳", Role: complaint.RoleCustomer, CustomerID: "c-1"}
	agent    = access.Principal{UserID: 2, Name: "李娜", Role: complaint.RoleAgent, Team: "refunds"}
	system   = access.SystemPrincipal
)

var modelOnce = sync.OnceValue(func() *classify.Model {
	m, err := triage.TrainStarter(context.Background(), taxonomy.Default())
	if err != nil {
		panic(err)
	}
	return m
})

// rig is a desk over a fresh store with the triage handler behind an
// outbox dispatcher.
type rig struct {
	t    *testing.T
	st   *store.Store
	desk *desk.Desk
	h    *triage.Handler
	disp *outbox.Dispatcher
}

func newRig(t *testing.T, st *store.Store) *rig {
	t.Helper()
	d := desk.New(st)
	h, err := triage.New(d, taxonomy.Default(), modelOnce(), triage.Options{ModelName: "starter-test",
		Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	return &rig{t: t, st: st, desk: d, h: h, disp: outbox.New(st, slog.New(slog.DiscardHandler), h.Handler())}
}

// drain runs the dispatcher until the outbox is empty.
func (r *rig) drain() {
	r.t.Helper()
	for range 20 {
		n, err := r.disp.RunOnce(context.Background())
		if err != nil {
			r.t.Fatal(err)
		}
		if n == 0 {
			return
		}
	}
	r.t.Fatal("the outbox does not drain")
}

func (r *rig) file(p access.Principal, d complaint.Draft) *complaint.Case {
	r.t.Helper()
	if d.Customer.Name == "" {
		d.Customer = complaint.Customer{ID: "c-1", Name: "王芳", Phone: "13812345678"}
	}
	if d.Channel == "" {
		d.Channel = complaint.ChannelApp
	}
	c, _, err := r.desk.File(context.Background(), p, d, "")
	if err != nil {
		r.t.Fatalf("filing: %v", err)
	}
	return c
}

func (r *rig) get(ref string) (*complaint.Case, []complaint.Event) {
	r.t.Helper()
	c, events, err := r.desk.View(context.Background(), system, ref)
	if err != nil {
		r.t.Fatal(err)
	}
	return c, events
}

func count(events []complaint.Event, kind complaint.EventKind) int {
	n := 0
	for _, e := range events {
		if e.Kind == kind {
			n++
		}
	}
	return n
}

func hasReason(a *complaint.Assessment, prefix string) bool {
	return slices.ContainsFunc(a.PriorityReasons, func(s string) bool { return strings.HasPrefix(s, prefix) })
}

func txn(id string, yuan int64) complaint.Transaction {
	return complaint.Transaction{ID: id, Time: time.Now().Add(-48 * time.Hour), Amount: complaint.Money{Minor: yuan * 100, Currency: "CNY"}, MerchantID: "M1"}
}

func TestHandlerEndToEnd(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		r := newRig(t, st)

		// A customer's refund complaint, filed as the web form files it.
		refund := r.file(customer, complaint.Draft{Category: "refund", Language: "zh-CN",
			Subject: "退款一直没有到账", Description: "商家已经同意退款，十天了钱还没有退回来。我的电话13812345678。",
			Transactions: []complaint.Transaction{txn("T1", 128)}})
		// Fraud against an elderly parent with a large sum and a threat to go
		// to the regulator, filed without a category (as the API allows).
		fraud := r.file(customer, complaint.Draft{Subject: "我妈被骗了",
			Description:  "我妈妈七十多岁，接到冒充客服的电话，被骗转账六万元，账户里的钱全被转走了。再不处理我就去12315投诉！",
			Transactions: []complaint.Transaction{txn("T2", 60000)}})
		// Something no category fits.
		vague := r.file(customer, complaint.Draft{Subject: "hello", Description: "see attachment"})
		// A regulator's referral that intake filed with priority P2.
		referral := r.file(system, complaint.Draft{Channel: complaint.ChannelRegulator, Priority: complaint.PriorityP2,
			Customer: complaint.Customer{Name: "Zhao Lei"}, ExternalRef: "REG-1",
			Subject: "Service complaint referred", Description: "The customer says nobody from support answered for two weeks."})
		// A case an agent classified before the handler saw it.
		corrected := r.file(customer, complaint.Draft{Category: "refund", Subject: "退款问题",
			Description: "退款申请了两周还没到账，商家也不回复。"})
		if _, _, err := r.desk.Classify(ctx, agent, corrected.Ref, complaint.Classification{Category: "merchant_dispute",
			Severity: complaint.SeverityLow, Priority: complaint.PriorityP4}); err != nil {
			t.Fatal(err)
		}
		// A case an agent filed on a customer's behalf, classifying it.
		byPhone := r.file(agent, complaint.Draft{Channel: complaint.ChannelHotline, Category: "credit",
			Customer: complaint.Customer{Name: "陈静"}, Subject: "电话投诉", Description: "客户说先享后付账单已还清却显示逾期。"})

		r.drain()

		// The refund: assessed, kept in its category, default urgency, handed to refunds.
		c, events := r.get(refund.Ref)
		a := c.Assessment
		if a == nil {
			t.Fatal("the refund case was not assessed")
		}
		if a.Language != "zh-Hans" || a.Category != "refund" || a.Confidence < 0.5 || a.Triage || a.Model != "starter-test" {
			t.Errorf("refund assessment = %+v", a)
		}
		if !slices.Equal(a.PII, []string{"mobile"}) {
			t.Errorf("PII kinds %v, want [mobile]", a.PII)
		}
		raw, _ := json.Marshal(a)
		if strings.Contains(string(raw), "13812345678") || strings.Contains(string(raw), "5678") {
			t.Errorf("the assessment holds the phone number: %s", raw)
		}
		if c.Category != "refund" || c.Severity != complaint.SeverityMedium || c.Priority != complaint.PriorityP3 || c.Team != "refunds" {
			t.Errorf("refund case: %s %s %s team %s", c.Category, c.Severity, c.Priority, c.Team)
		}
		if !hasReason(a, "severity=medium") || a.Sentiment >= 0 {
			t.Errorf("refund reasons %q, sentiment %v", a.PriorityReasons, a.Sentiment)
		}
		for _, e := range events {
			if e.Kind == complaint.KindAssessed || e.Kind == complaint.KindClassified || e.Kind == complaint.KindAssigned {
				if e.Actor.Role != complaint.RoleSystem || e.Visibility != complaint.Internal {
					t.Errorf("%s event by %+v, %s: want the system, internal", e.Kind, e.Actor, e.Visibility)
				}
			}
		}
		if count(events, complaint.KindClassified) != 0 {
			t.Error("the refund case needed no reclassification but got one")
		}

		// The fraud: critical, P1, with its reasons.
		c, _ = r.get(fraud.Ref)
		a = c.Assessment
		if c.Category != "fraud" || c.Severity != complaint.SeverityCritical || c.Priority != complaint.PriorityP1 || c.Team != "fraud" {
			t.Errorf("fraud case: %s %s %s team %s (assessment %+v)", c.Category, c.Severity, c.Priority, c.Team, a)
		}
		for _, want := range []string{"unauthorised_or_fraud", "amount_at_stake=CNY 50,000", "vulnerable_customer", "severity=critical", "escalation_threat=regulator"} {
			if !hasReason(a, want) {
				t.Errorf("fraud reasons %q lack %s", a.PriorityReasons, want)
			}
		}
		for _, s := range []string{"vulnerable", "regulator_threat"} {
			if !slices.Contains(a.Signals, s) {
				t.Errorf("fraud signals %v lack %s", a.Signals, s)
			}
		}

		// The vague one goes to triage.
		c, events = r.get(vague.Ref)
		if a := c.Assessment; a == nil || !a.Triage || a.Language != "en" {
			t.Errorf("vague assessment %+v: want triage", a)
		}
		if c.Category != taxonomy.Uncategorized || c.Team != complaint.DefaultTeam || count(events, complaint.KindAssigned) != 0 {
			t.Errorf("vague case: category %s team %s", c.Category, c.Team)
		}

		// The referral: P1 whatever else.
		c, _ = r.get(referral.Ref)
		if c.Priority != complaint.PriorityP1 || c.Severity != complaint.SeverityHigh || !hasReason(c.Assessment, "regulator_referral") {
			t.Errorf("referral: %s %s %q", c.Severity, c.Priority, c.Assessment.PriorityReasons)
		}

		// The agent's correction stands; redress's view is recorded.
		c, events = r.get(corrected.Ref)
		if c.Category != "merchant_dispute" || c.Severity != complaint.SeverityLow || c.Priority != complaint.PriorityP4 || c.Team != complaint.DefaultTeam {
			t.Errorf("the agent's classification was overridden: %s %s %s team %s", c.Category, c.Severity, c.Priority, c.Team)
		}
		if count(events, complaint.KindClassified) != 1 || c.Assessment == nil || !strings.HasPrefix(c.Assessment.PriorityReasons[0], "staff_classified") {
			t.Errorf("corrected case: %d classifications, assessment %+v", count(events, complaint.KindClassified), c.Assessment)
		}
		c, events = r.get(byPhone.Ref)
		if c.Category != "credit" || count(events, complaint.KindClassified) != 0 || c.Assessment == nil {
			t.Errorf("the agent's filing was reclassified: %s, %d classifications", c.Category, count(events, complaint.KindClassified))
		}

		// Delivered again, nothing changes.
		before, _ := r.get(fraud.Ref)
		for _, kind := range []complaint.EventKind{complaint.KindCreated, complaint.KindAssessed, complaint.KindMessage} {
			if err := r.h.Handle(ctx, store.OutboxItem{CaseRef: fraud.Ref, Kind: string(kind)}); err != nil {
				t.Fatal(err)
			}
		}
		if after, _ := r.get(fraud.Ref); after.Version != before.Version {
			t.Errorf("redelivery changed the case: version %d → %d", before.Version, after.Version)
		}
		if err := r.h.Handle(ctx, store.OutboxItem{CaseRef: "CP-2026-00000000", Kind: "created"}); err != nil {
			t.Errorf("an unknown case: %v", err)
		}

		// A repeat complaint re-ranks: the refund case goes up, never down.
		if _, _, err := r.desk.AddRepeat(ctx, system, refund.Ref, complaint.Repeat{Channel: complaint.ChannelHotline,
			ReceivedAt: time.Now(), Subject: "又来投诉", Description: "还是没退款，我要去消协投诉，太气人了！"}); err != nil {
			t.Fatal(err)
		}
		r.drain()
		c, events = r.get(refund.Ref)
		if count(events, complaint.KindAssessed) != 2 || c.Repeats != 1 {
			t.Fatalf("after a repeat: %d assessments, %d repeats", count(events, complaint.KindAssessed), c.Repeats)
		}
		if c.Category != "refund" || c.Priority.Rank() > complaint.PriorityP2.Rank() || !hasReason(c.Assessment, "repeat_complaint=1") {
			t.Errorf("after a repeat: %s %s %q", c.Category, c.Priority, c.Assessment.PriorityReasons)
		}
		if !hasReason(c.Assessment, "escalation_threat=regulator") {
			t.Errorf("the repeat's text was not assessed: %q", c.Assessment.PriorityReasons)
		}
		r.drain()
		if _, again := r.get(refund.Ref); count(again, complaint.KindAssessed) != 2 {
			t.Error("a drained outbox assessed again")
		}

		// A repeat on a case an agent had triaged down keeps the agent's priority.
		if _, _, err := r.desk.AddRepeat(ctx, system, corrected.Ref, complaint.Repeat{Channel: complaint.ChannelApp, ReceivedAt: time.Now()}); err != nil {
			t.Fatal(err)
		}
		r.drain()
		if c, _ := r.get(corrected.Ref); c.Priority != complaint.PriorityP4 {
			t.Errorf("a repeat overrode the agent's priority: %s", c.Priority)
		}
	})
}

// TestInterruptedAttempt: an attempt that classified the case but died
// before recording the assessment is finished by the next delivery,
// without a second classification.
func TestInterruptedAttempt(t *testing.T) {
	st := storetest.Open(t, "sqlite")
	r := newRig(t, st)
	ctx := context.Background()
	c := r.file(customer, complaint.Draft{Subject: "被盗刷", Description: "账户里有一笔我没有做过的交易，钱被盗刷了"})
	d := r.h.Analyzer().Decide(r.get(c.Ref))
	if _, _, err := r.desk.Classify(ctx, system, c.Ref, d.Classification); err != nil {
		t.Fatal(err)
	}
	r.drain()
	got, events := r.get(c.Ref)
	if count(events, complaint.KindClassified) != 1 || count(events, complaint.KindAssessed) != 1 {
		t.Errorf("%d classifications, %d assessments; want 1 and 1", count(events, complaint.KindClassified), count(events, complaint.KindAssessed))
	}
	if got.Category != "fraud" || got.Priority != d.Classification.Priority {
		t.Errorf("case %s %s, decided %+v", got.Category, got.Priority, d.Classification)
	}
}

func TestNew(t *testing.T) {
	st := storetest.Open(t, "sqlite")
	d := desk.New(st)
	if _, err := triage.New(nil, taxonomy.Default(), nil, triage.Options{}); err == nil {
		t.Error("no desk accepted")
	}
	foreign, _ := classify.Train([]classify.Example{{Text: "a", Label: "x"}, {Text: "b", Label: "y"}}, classify.Options{MinDocFreq: 1})
	if _, err := triage.New(d, taxonomy.Default(), foreign, triage.Options{}); err == nil {
		t.Error("a model with foreign labels accepted")
	}
	// Without a model, cases without a category go to triage.
	h, err := triage.New(d, taxonomy.Default(), nil, triage.Options{KeepTeam: true, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	c, _, err := d.File(context.Background(), customer, complaint.Draft{Subject: "退款", Description: "退款没到账"}, "")
	if err != nil {
		t.Fatal(err)
	}
	if ok, err := h.AssessCase(context.Background(), c.Ref); !ok || err != nil {
		t.Fatal(ok, err)
	}
	got, _ := d.Get(context.Background(), system, c.Ref)
	if got.Assessment == nil || !got.Assessment.Triage || got.Assessment.Model != "" || got.Category != taxonomy.Uncategorized {
		t.Errorf("without a model: %+v", got.Assessment)
	}
}
