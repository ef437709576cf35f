package intake_test

import (
	"encoding/json"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/redress-project/redress/internal/access"
	"github.com/redress-project/redress/internal/complaint"
	"github.com/redress-project/redress/internal/desk"
	"github.com/redress-project/redress/internal/intake"
	"github.com/redress-project/redress/internal/store"
	"github.com/redress-project/redress/internal/store/storetest"
	"github.com/redress-project/redress/internal/txsource"
)

var march = time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)

func emailMsg(t *testing.T) intake.Message {
	t.Helper()
	raw, _ := os.ReadFile(fixture("email_gb2312.eml"))
	m, err := intake.FromEmail(raw, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestRepeatAcrossChannels(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		h := newHarness(t, st, intake.Options{})
		first, err := h.svc.Submit(ctx, emailMsg(t))
		if err != nil {
			t.Fatal(err)
		}
		// The same customer rings the hotline about the same payment: the
		// call names the transaction only, and gives the customer's email.
		call := hotline("HL-R1", "", "+86 138 0013 8000", "我打过电话也发过邮件，星巴克的钱还没退")
		call.Draft.Customer.Email = "Zhang.Wei@example.com"
		call.ReceivedAt = time.Date(2026, 3, 6, 9, 0, 0, 0, time.UTC)
		call.TransactionIDs = []string{"2026030122001456780001"}
		res, err := h.svc.Submit(ctx, call)
		if err != nil {
			t.Fatal(err)
		}
		if !res.Repeat || res.Created || res.CaseRef != first.CaseRef || res.Reason != "same transaction 2026030122001456780001" {
			t.Fatalf("hotline after email: %+v", res)
		}
		cases := h.cases()
		if len(cases) != 1 {
			t.Fatalf("%d cases, want 1", len(cases))
		}
		c := cases[0]
		if c.Repeats != 1 || c.Priority != complaint.PriorityP2 {
			t.Errorf("repeats %d priority %s, want 1 and p2 (raised from p3)", c.Repeats, c.Priority)
		}
		ev := h.timeline(c.Ref)
		i := slices.IndexFunc(ev, func(e complaint.Event) bool { return e.Kind == complaint.KindRepeat })
		if i < 0 || ev[i].Visibility != complaint.Internal {
			t.Fatalf("no internal repeat event in %v", kinds(ev))
		}
		var r complaint.Repeat
		json.Unmarshal(ev[i].After, &r)
		if r.Channel != complaint.ChannelHotline || r.Reason != res.Reason || r.Subject != call.Draft.Subject || !r.ReceivedAt.Equal(call.ReceivedAt) {
			t.Errorf("repeat %+v", r)
		}
		if !slices.ContainsFunc(ev, func(e complaint.Event) bool {
			return e.Kind == complaint.KindNote && strings.Contains(e.Body, "priority raised from P3 to P2") && strings.Contains(e.Body, res.Reason)
		}) {
			t.Errorf("no note giving the reason for the raised priority: %v", kinds(ev))
		}
		// The customer's own view shows none of it.
		for _, e := range ev {
			if e.Kind == complaint.KindRepeat && e.Visibility == complaint.Public {
				t.Error("a repeat is public")
			}
		}
		// Both originals are kept, linked to the one case.
		msgs, _ := st.IntakeMessagesOfCase(ctx, c.Ref)
		if len(msgs) != 2 || msgs[0].Channel != complaint.ChannelEmail || msgs[1].Status != store.IntakeRepeat {
			t.Errorf("messages of the case: %+v", msgs)
		}

		// A third complaint, by chat, with a transaction the case lacks.
		chat := hotline("CS-R1", "", "13800138000", "星巴克和京东都多扣了")
		chat.Channel = complaint.ChannelChat
		chat.ReceivedAt = time.Date(2026, 3, 7, 9, 0, 0, 0, time.UTC)
		chat.TransactionIDs = []string{"2026030222001456780002", "2026030122001456780001"}
		res, err = h.svc.Submit(ctx, chat)
		if err != nil || !res.Repeat {
			t.Fatalf("chat: %+v %v", res, err)
		}
		c, _ = st.CaseByRef(ctx, c.Ref)
		if c.Repeats != 2 || c.Priority != complaint.PriorityP1 || !slices.Equal(txnIDs(c), []string{"2026030122001456780001", "2026030222001456780002"}) {
			t.Errorf("after a second repeat: repeats %d priority %s transactions %v", c.Repeats, c.Priority, txnIDs(c))
		}
		// P1 stays P1.
		again := hotline("HL-R2", "", "13800138000", "第三次投诉")
		again.TransactionIDs = []string{"2026030122001456780001"}
		if _, err := h.svc.Submit(ctx, again); err != nil {
			t.Fatal(err)
		}
		c, _ = st.CaseByRef(ctx, c.Ref)
		if c.Repeats != 3 || c.Priority != complaint.PriorityP1 {
			t.Errorf("repeats %d priority %s", c.Repeats, c.Priority)
		}
	})
}

func TestNotARepeat(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		h := newHarness(t, st, intake.Options{})
		first, _ := h.svc.Submit(ctx, emailMsg(t))
		// Same customer, another payment and another matter: a new case.
		call := hotline("HL-N1", "", "13800138000", "京东自营的订单退货后退款一直没到")
		call.Draft.Customer.Email = "zhang.wei@example.com"
		call.ReceivedAt = time.Date(2026, 3, 6, 9, 0, 0, 0, time.UTC)
		call.TransactionIDs = []string{"2026030222001456780002"}
		res, err := h.svc.Submit(ctx, call)
		if err != nil || !res.Created || res.CaseRef == first.CaseRef {
			t.Fatalf("%+v %v", res, err)
		}
		// Another customer about the same payment: a new case too.
		other := hotline("HL-N2", "C-9999", "13911112222", "星巴克重复扣款，请退款")
		other.ReceivedAt = call.ReceivedAt
		other.TransactionIDs = []string{"2026030122001456780001"}
		if res, _ := h.svc.Submit(ctx, other); !res.Created {
			t.Errorf("another customer's complaint was linked: %+v", res)
		}
		// Similar words, but each names a different payment: a new case.
		twin := hotline("HL-N3", "", "13800138000", "星巴克重复扣款，请退款")
		twin.Draft.Customer.Email = "zhang.wei@example.com"
		twin.ReceivedAt = call.ReceivedAt
		twin.TransactionIDs = []string{"4200001234202603051234567890"}
		if res, _ := h.svc.Submit(ctx, twin); !res.Created {
			t.Errorf("a complaint about another payment was linked: %+v", res)
		}
		for _, c := range h.cases() {
			if c.Repeats != 0 || c.Priority != complaint.PriorityP3 {
				t.Errorf("%s: repeats %d priority %s", c.Ref, c.Repeats, c.Priority)
			}
		}
		if n := len(h.cases()); n != 4 {
			t.Errorf("%d cases, want 4", n)
		}
	})
}

func TestRepeatBySimilarText(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		h := newHarness(t, st, intake.Options{})
		a := hotline("HL-T1", "C-77", "", "")
		a.Draft.Subject, a.Draft.Description = "自动扣费无法取消", "我开通的会员自动续费一直取消不了，每个月自动扣费30元，客服电话也打不通。"
		b := hotline("HL-T2", "C-77", "", "")
		b.Channel = complaint.ChannelSocial
		b.ReceivedAt = a.ReceivedAt.Add(48 * time.Hour)
		b.Draft.Subject, b.Draft.Description = "会员自动扣费取消不了", "会员自动续费取消不了！每个月都自动扣费30元，打客服电话也打不通，太过分了"
		c := hotline("HL-T3", "C-77", "", "")
		c.ReceivedAt = a.ReceivedAt.Add(72 * time.Hour)
		c.Draft.Subject, c.Draft.Description = "信用卡还款失败", "昨天用信用卡还款功能还款，显示失败但银行卡余额少了。"
		en1 := hotline("HL-T4", "C-88", "", "")
		en1.Draft.Subject, en1.Draft.Description = "Charged twice for my order", "I was charged twice for my order at the bookshop and I want a refund of the second charge."
		en2 := hotline("HL-T5", "C-88", "", "")
		en2.ReceivedAt = en1.ReceivedAt.Add(time.Hour)
		en2.Draft.Subject, en2.Draft.Description = "Refund the double charge", "The bookshop charged my order twice. Please refund the second charge."
		var res []intake.Result
		for _, m := range []intake.Message{a, b, c, en1, en2} {
			r, err := h.svc.Submit(ctx, m)
			if err != nil {
				t.Fatal(err)
			}
			res = append(res, r)
		}
		if !res[1].Repeat || res[1].CaseRef != res[0].CaseRef || !strings.HasPrefix(res[1].Reason, "similar text") {
			t.Errorf("similar Chinese complaint: %+v", res[1])
		}
		if !res[2].Created {
			t.Errorf("dissimilar Chinese complaint: %+v", res[2])
		}
		if !res[4].Repeat || res[4].CaseRef != res[3].CaseRef {
			t.Errorf("similar English complaint: %+v", res[4])
		}
	})
}

func TestRepeatWindow(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		h := newHarness(t, st, intake.Options{RepeatWindow: 30 * 24 * time.Hour})
		at := func(id string, days int) intake.Message {
			m := hotline(id, "C-1001", "", "星巴克重复扣款")
			m.ReceivedAt = march.Add(time.Duration(days) * 24 * time.Hour)
			m.TransactionIDs = []string{"2026030122001456780001"}
			return m
		}
		first, _ := h.svc.Submit(ctx, at("W0", 0))
		in, _ := h.svc.Submit(ctx, at("W29", 29))
		if !in.Repeat || in.CaseRef != first.CaseRef {
			t.Errorf("29 days later: %+v", in)
		}
		// The window runs from the last complaint about the case (day 29).
		still, _ := h.svc.Submit(ctx, at("W58", 58))
		if !still.Repeat {
			t.Errorf("29 days after the last repeat: %+v", still)
		}
		out, _ := h.svc.Submit(ctx, at("W90", 90))
		if !out.Created || out.CaseRef == first.CaseRef {
			t.Errorf("32 days after the last complaint: %+v", out)
		}
		// A closed case takes no repeats.
		d := h.desk
		for _, s := range []complaint.Status{complaint.StatusAcknowledged, complaint.StatusInProgress, complaint.StatusResolved} {
			if _, _, err := d.Transition(ctx, access.SystemPrincipal, out.CaseRef, s, "done"); err != nil {
				t.Fatal(err)
			}
		}
		after, _ := h.svc.Submit(ctx, at("W91", 91))
		if !after.Created {
			t.Errorf("after the case was resolved: %+v", after)
		}
	})
}

func TestShorterWindowOption(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		h := newHarness(t, st, intake.Options{RepeatWindow: 24 * time.Hour})
		a := hotline("S1", "C-5", "", "同一件事")
		a.TransactionIDs = []string{"2026030122001456780001"}
		b := a
		b.SourceID, b.ReceivedAt = "S2", a.ReceivedAt.Add(25*time.Hour)
		h.svc.Submit(ctx, a)
		if res, _ := h.svc.Submit(ctx, b); !res.Created {
			t.Errorf("outside a one-day window: %+v", res)
		}
	})
}

func TestSnapshotDoesNotFollowTheSource(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		h := newHarness(t, st, intake.Options{})
		m := hotline("HL-S1", "C-1001", "", "星巴克重复扣款")
		m.TransactionIDs = []string{"2026030122001456780001"}
		res, err := h.svc.Submit(ctx, m)
		if err != nil {
			t.Fatal(err)
		}
		// The ledger changes after filing: the merchant refunded.
		changed := store.LedgerEntry{CustomerID: "C-1001", Transaction: complaint.Transaction{ID: "2026030122001456780001",
			Time: time.Date(2026, 3, 1, 2, 15, 0, 0, time.UTC), Amount: complaint.Money{Minor: 0, Currency: "CNY"}, MerchantID: "M-100", Status: "refunded"}}
		if err := st.UpsertLedger(ctx, []store.LedgerEntry{changed}); err != nil {
			t.Fatal(err)
		}
		if now, _ := txsource.NewLedger(st).Lookup(ctx, "2026030122001456780001"); now.Status != "refunded" {
			t.Fatalf("the ledger did not change: %+v", now)
		}
		c, _ := st.CaseByRef(ctx, res.CaseRef)
		want := complaint.Transaction{ID: "2026030122001456780001", Time: time.Date(2026, 3, 1, 2, 15, 0, 0, time.UTC),
			Amount: complaint.Money{Minor: 12850, Currency: "CNY"}, Counterparty: "星巴克(国贸店)", MerchantID: "M-100", Status: "settled"}
		if len(c.Transactions) != 1 || c.Transactions[0] != want {
			t.Errorf("case shows %+v, want the original %+v", c.Transactions, want)
		}
		// The snapshot is in the created event itself.
		ev := h.timeline(c.Ref)
		var created complaint.Case
		json.Unmarshal(ev[0].After, &created)
		if ev[0].Kind != complaint.KindCreated || len(created.Transactions) != 1 || created.Transactions[0] != want {
			t.Errorf("created event holds %+v", created.Transactions)
		}
		replayed, _ := complaint.Replay(c.ID, mustEvents(t, st, c.ID))
		if replayed.Transactions[0] != want {
			t.Errorf("replay shows %+v", replayed.Transactions[0])
		}
	})
}

func mustEvents(t *testing.T, st *store.Store, id int64) []complaint.Event {
	t.Helper()
	ev, err := st.Events(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	return ev
}

func TestReferralOfAnOpenCase(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		h := newHarness(t, st, intake.Options{})
		// 李娜 called first …
		h.importOK(intake.KindHotline, "hotline.json")
		li := h.caseOf(complaint.ChannelHotline, "HL-20260305-0002")
		// … then complained to the regulator, who refers it with a deadline.
		ref := `[{"body_type":"regulator","body_name":"中国人民银行","reference":"PBOC-77","received_at":"2026-03-12 09:00:00",
			"respond_by":"2026-03-19","customer_id":"C-1002","customer_name":"李娜","description":"手机付款后不发货",
			"transaction_ids":["4200001234202603051234567890"]}]`
		path := writeTemp(t, "ref.json", ref)
		rep := h.importOK(intake.KindReferrals, path)
		if rep.Repeats != 1 {
			t.Fatalf("referral: %+v", rep)
		}
		c, _ := st.CaseByRef(ctx, li.Ref)
		dl, ok := c.DeadlineNamed(intake.RegulatorDeadline)
		if !ok || dl.Due.Format(time.RFC3339) != "2026-03-19T15:59:59Z" || c.Stage != complaint.StageExternalReferral || c.Repeats != 1 {
			t.Errorf("the open case must take the regulator's deadline and stage: %+v stage %s", c.Deadlines, c.Stage)
		}
		var r complaint.Repeat
		ev := h.timeline(c.Ref)
		json.Unmarshal(ev[slices.IndexFunc(ev, func(e complaint.Event) bool { return e.Kind == complaint.KindRepeat })].After, &r)
		if r.ExternalRef != "PBOC-77" || r.Channel != complaint.ChannelRegulator {
			t.Errorf("repeat %+v", r)
		}
	})
}

func TestNoSourceNotesEveryTransaction(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		svc := intake.New(st, desk.New(st), intake.Options{})
		m := hotline("HL-NS", "C-1", "", "扣款")
		m.TransactionIDs = []string{"T-1", "T-2"}
		res, err := svc.Submit(ctx, m)
		if err != nil || !slices.Equal(res.Unresolved, []string{"T-1", "T-2"}) {
			t.Fatalf("%+v %v", res, err)
		}
	})
}

func TestSimilarity(t *testing.T) {
	cases := []struct {
		a, b     string
		min, max float64
	}{
		{"星巴克重复扣款，请退款", "星巴克重复扣款，请退款", 0.999, 1.001},
		{"会员自动续费取消不了，每个月扣费30元", "我的会员自动续费一直取消不了，每月扣费30元", 0.6, 1},
		{"会员自动续费取消不了", "信用卡还款失败但余额少了", 0, 0.1},
		{"I was charged twice for my order", "My order was charged twice", 0.5, 1},
		{"I was charged twice for my order", "The app crashes when I log in", 0, 0.35},
		{"ＡＢＣ１２３退款", "abc123退款", 0.999, 1.001}, // full-width folds to ASCII
		{"", "x", 0, 0},
		{"!!!", "???", 0, 0},
	}
	for _, c := range cases {
		s := intake.Similarity(c.a, c.b)
		if s < c.min || s > c.max {
			t.Errorf("Similarity(%q, %q) = %.3f, want in [%.2f, %.2f]", c.a, c.b, s, c.min, c.max)
		}
		if r := intake.Similarity(c.b, c.a); r-s > 1e-9 || s-r > 1e-9 {
			t.Errorf("Similarity is not symmetric: %f %f", s, r)
		}
	}
}

func TestNormalizePhone(t *testing.T) {
	for in, want := range map[string]string{
		"+86 138 0013 8000":   "13800138000",
		"0086-138-0013-8000":  "13800138000",
		"8613800138000":       "13800138000",
		"(+86) 138.0013.8000": "13800138000",
		"１３８００１３８０００":         "13800138000",
		"+852 9123 4567":      "+85291234567",
		"00852 9123 4567":     "+85291234567",
		"021-6888 1234":       "02168881234",
		"12345":               "",
		"":                    "",
	} {
		if got := intake.NormalizePhone(in); got != want {
			t.Errorf("NormalizePhone(%q) = %q, want %q", in, got, want)
		}
	}
	same := intake.SameCustomer
	if !same(complaint.Customer{Phone: "+86 138 0013 8000"}, complaint.Customer{Phone: "13800138000"}) ||
		!same(complaint.Customer{Email: "A@x.cn"}, complaint.Customer{Email: "a@x.cn"}) ||
		same(complaint.Customer{ID: "1", Phone: "13800138000"}, complaint.Customer{ID: "2", Phone: "13800138000"}) ||
		same(complaint.Customer{}, complaint.Customer{}) {
		t.Error("SameCustomer")
	}
}

func writeTemp(t *testing.T, name, content string) string {
	t.Helper()
	path := t.TempDir() + "/" + name
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}
