package intake_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redress-project/redress/internal/access"
	"github.com/redress-project/redress/internal/complaint"
	"github.com/redress-project/redress/internal/desk"
	"github.com/redress-project/redress/internal/intake"
	"github.com/redress-project/redress/internal/intake/records"
	"github.com/redress-project/redress/internal/store"
	"github.com/redress-project/redress/internal/store/storetest"
	"github.com/redress-project/redress/internal/txsource"
)

var ctx = context.Background()

// harness is intake over a store, with the ledger fixture imported.
type harness struct {
	t    *testing.T
	st   *store.Store
	desk *desk.Desk
	svc  *intake.Service
	im   *intake.Importer
}

func newHarness(t *testing.T, st *store.Store, opts intake.Options) *harness {
	t.Helper()
	d := desk.New(st)
	if opts.Transactions == nil {
		opts.Transactions = txsource.NewLedger(st)
	}
	h := &harness{t: t, st: st, desk: d, svc: intake.New(st, d, opts)}
	h.im = &intake.Importer{Service: h.svc, Store: st, CheckpointEvery: 1}
	h.importOK(intake.KindLedger, "ledger.csv")
	return h
}

func fixture(name string) string { return filepath.Join("testdata", name) }

// importFile imports a fixture (or any path) and fails on a database error.
func (h *harness) importFile(kind intake.Kind, path string) *intake.Report {
	h.t.Helper()
	if !filepath.IsAbs(path) && !strings.Contains(path, string(filepath.Separator)) {
		path = fixture(path)
	}
	format, _ := records.FormatOf(path)
	rep, err := h.im.ImportFile(ctx, kind, format, path)
	if err != nil {
		h.t.Fatalf("importing %s: %v", path, err)
	}
	return rep
}

func (h *harness) importOK(kind intake.Kind, path string) *intake.Report {
	h.t.Helper()
	rep := h.importFile(kind, path)
	if rep.Failed > 0 {
		h.t.Fatalf("importing %s: %d failed: %v", path, rep.Failed, rep.Problems)
	}
	return rep
}

func (h *harness) caseOf(ch complaint.Channel, sourceID string) *complaint.Case {
	h.t.Helper()
	m, err := h.st.IntakeMessageBySource(ctx, ch, sourceID)
	if err != nil {
		h.t.Fatalf("intake message %s %s: %v", ch, sourceID, err)
	}
	c, err := h.st.CaseByRef(ctx, m.CaseRef)
	if err != nil {
		h.t.Fatalf("case %q of %s %s: %v", m.CaseRef, ch, sourceID, err)
	}
	return c
}

func (h *harness) cases() []*complaint.Case {
	h.t.Helper()
	page, err := h.st.ListCases(ctx, store.CaseFilter{Limit: store.MaxLimit, Sort: "created"})
	if err != nil {
		h.t.Fatal(err)
	}
	return page.Cases
}

func (h *harness) timeline(ref string) []complaint.Event {
	h.t.Helper()
	ev, err := h.desk.Timeline(ctx, access.SystemPrincipal, ref)
	if err != nil {
		h.t.Fatal(err)
	}
	return ev
}

func kinds(events []complaint.Event) []complaint.EventKind {
	var out []complaint.EventKind
	for _, e := range events {
		out = append(out, e.Kind)
	}
	return out
}

func txnIDs(c *complaint.Case) []string {
	var ids []string
	for _, t := range c.Transactions {
		ids = append(ids, t.ID)
	}
	return ids
}

// checkKept checks that the original of a message is kept, with its hash.
func (h *harness) checkKept(ch complaint.Channel, sourceID string, want []byte) {
	h.t.Helper()
	m, err := h.st.IntakeMessageBySource(ctx, ch, sourceID)
	if err != nil {
		h.t.Fatal(err)
	}
	if want != nil && !bytes.Equal(m.Payload, want) {
		h.t.Errorf("%s %s: payload %q, want %q", ch, sourceID, m.Payload, want)
	}
	if len(m.Payload) == 0 || len(m.SHA256) != 64 || m.Status == store.IntakePending {
		h.t.Errorf("%s %s: kept %+v", ch, sourceID, m)
	}
}

func TestEmailToCase(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		h := newHarness(t, st, intake.Options{})
		raw, _ := os.ReadFile(fixture("email_gb2312.eml"))
		m, err := intake.FromEmail(raw, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		res, err := h.svc.Submit(ctx, m)
		if err != nil || !res.Created || res.Repeat || res.Duplicate || !complaint.ValidRef(res.CaseRef) {
			t.Fatalf("Submit = %+v, %v", res, err)
		}
		c := h.caseOf(complaint.ChannelEmail, "20260304102000.1@mail.example.com")
		if c.Ref != res.CaseRef || c.Channel != complaint.ChannelEmail || c.Customer.Name != "张伟" || c.Customer.Email != "zhang.wei@example.com" {
			t.Errorf("case %+v", c)
		}
		if c.Subject != "星巴克重复扣款，请退款" || !strings.Contains(c.Description, "被扣了两次款") {
			t.Errorf("subject %q description %q", c.Subject, c.Description)
		}
		// The transaction named in the text is snapshotted from the ledger.
		if len(c.Transactions) != 1 || c.Transactions[0].ID != "2026030122001456780001" || c.Transactions[0].Amount != (complaint.Money{Minor: 12850, Currency: "CNY"}) ||
			c.Transactions[0].MerchantID != "M-100" || c.MerchantID != "M-100" {
			t.Errorf("transactions %+v merchant %q", c.Transactions, c.MerchantID)
		}
		h.checkKept(complaint.ChannelEmail, "20260304102000.1@mail.example.com", raw)

		// The same message again (a retried delivery): nothing new.
		again, err := h.svc.Submit(ctx, m)
		if err != nil || !again.Duplicate || again.CaseRef != c.Ref || again.Created {
			t.Errorf("second Submit = %+v, %v", again, err)
		}
		if n := len(h.cases()); n != 1 {
			t.Errorf("%d cases after a duplicate", n)
		}
	})
}

func TestEachChannelFromFixtures(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		h := newHarness(t, st, intake.Options{})
		for _, name := range []string{"email_gb2312.eml", "email_multipart.eml", "email_big5_html.eml"} {
			rep := h.importOK(intake.KindEmail, name)
			if rep.Created != 1 {
				t.Errorf("%s: %+v", name, rep)
			}
		}
		emily := h.caseOf(complaint.ChannelEmail, "CAF=emily-0305@mail.example.hk")
		if len(emily.Attachments) != 1 || emily.Attachments[0].Name != "收据.pdf" || emily.Attachments[0].Size != 70 ||
			!slices.Equal(txnIDs(emily), []string{"2026030422001499990003"}) || emily.Transactions[0].Amount.Currency != "HKD" {
			t.Errorf("multipart email case: attachments %+v transactions %+v", emily.Attachments, emily.Transactions)
		}
		chen := h.caseOf(complaint.ChannelEmail, "tw-0306-1@example.tw")
		if chen.Subject != "退款未到帳" || strings.Contains(chen.Description, "alert") || !strings.Contains(chen.Description, "已經等了兩個星期") {
			t.Errorf("Big5 HTML email case: %q %q", chen.Subject, chen.Description)
		}

		rep := h.importOK(intake.KindHotline, "hotline.json")
		if rep.Records != 2 || rep.Created != 1 || rep.Repeats != 1 {
			// HL-…-0001 is 张伟 again about the transaction of his email.
			t.Errorf("hotline.json: %+v", rep)
		}
		li := h.caseOf(complaint.ChannelHotline, "HL-20260305-0002")
		if li.Channel != complaint.ChannelHotline || li.Customer.ID != "C-1002" || li.Customer.Phone != "139-1111-2222" || li.Subject != "手机未发货" ||
			!slices.Equal(txnIDs(li), []string{"4200001234202603051234567890"}) || li.Transactions[0].Amount.Minor != 199900 {
			t.Errorf("hotline case %+v", li)
		}
		h.checkKept(complaint.ChannelHotline, "HL-20260305-0002", nil)

		rep = h.importOK(intake.KindHotline, "hotline_gbk.csv")
		if rep.Created != 2 {
			t.Errorf("hotline_gbk.csv: %+v", rep)
		}
		wang := h.caseOf(complaint.ChannelHotline, "HL-20260306-0101")
		if wang.Customer.Name != "王芳" || wang.Subject != "花呗分期手续费" ||
			!strings.Contains(wang.Description, "[14:00:12] 客户: 我的分期手续费多收了") {
			t.Errorf("GBK hotline case: %q %q %q", wang.Customer.Name, wang.Subject, wang.Description)
		}
		zhao := h.caseOf(complaint.ChannelHotline, "HL-20260306-0102")
		if zhao.Customer.Name != "赵磊" || zhao.Customer.Phone != "0086 136 2222 3333" || zhao.Subject != "客户称转账给朋友500元，对方未收到" {
			t.Errorf("GBK hotline case 2: %+v", zhao.Customer)
		}
		var kept map[string]string
		m, _ := h.st.IntakeMessageBySource(ctx, complaint.ChannelHotline, "HL-20260306-0101")
		if err := json.Unmarshal(m.Payload, &kept); err != nil || kept["customer_name"] != "王芳" {
			t.Errorf("a CSV row is kept as a JSON object of its columns: %s", m.Payload)
		}

		rep = h.importOK(intake.KindChat, "chat.jsonl")
		if rep.Created != 2 {
			t.Errorf("chat.jsonl: %+v", rep)
		}
		liu := h.caseOf(complaint.ChannelChat, "CS-88001")
		// ledger.csv does not have its transaction (ledger.json does): the
		// case is opened without it, and an agent is told.
		if liu.Customer.ID != "C-1004" || liu.Subject != "外卖没送到，但是钱扣了45元" || len(liu.Transactions) != 0 {
			t.Errorf("chat case %+v", liu)
		}
		if ev := h.timeline(liu.Ref); !slices.ContainsFunc(ev, func(e complaint.Event) bool {
			return e.Kind == complaint.KindNote && e.Visibility == complaint.Internal && strings.Contains(e.Body, "2026030722001400000005") && strings.Contains(e.Body, "not found")
		}) {
			t.Errorf("no note of the unresolved transaction: %v", kinds(ev))
		}

		h.importOK(intake.KindLedger, "ledger.json")
		rep = h.importOK(intake.KindChat, "chat.csv")
		if rep.Records != 2 || rep.Created+rep.Repeats != 2 {
			t.Errorf("chat.csv: %+v", rep)
		}
		taxi := h.caseOf(complaint.ChannelChat, "CS-90001")
		if !strings.Contains(taxi.Description, "customer: 今天早上8点半那一单，扣了12.30") || taxi.Transactions[0].Amount.Minor != 1230 {
			t.Errorf("chat CSV case %q %+v", taxi.Description, taxi.Transactions)
		}
		var rows []map[string]string
		m, _ = h.st.IntakeMessageBySource(ctx, complaint.ChannelChat, "CS-90001")
		if err := json.Unmarshal(m.Payload, &rows); err != nil || len(rows) != 3 {
			t.Errorf("a chat CSV session is kept as its rows: %s", m.Payload)
		}

		rep = h.importOK(intake.KindSocial, "social.json")
		if rep.Records != 2 || rep.Created+rep.Repeats != 2 {
			t.Errorf("social.json: %+v", rep)
		}
		post := h.caseOf(complaint.ChannelSocial, "weibo/4987654321012345")
		if post.Customer.Name != "小王" || !strings.Contains(post.Description, "Posted on weibo by @小王不想加班 (1234567890): https://weibo.com/") ||
			len(post.Attachments) != 1 || post.Attachments[0].Size != 183422 {
			t.Errorf("social case %+v", post)
		}

		rep = h.importOK(intake.KindReferrals, "referrals.csv")
		if rep.Created != 2 {
			t.Errorf("referrals.csv: %+v", rep)
		}
		pboc := h.caseOf(complaint.ChannelRegulator, "中国人民银行上海总部/SH-PBOC-2026-00123")
		dl, ok := pboc.DeadlineNamed(intake.RegulatorDeadline)
		if pboc.ExternalRef != "SH-PBOC-2026-00123" || pboc.Stage != complaint.StageExternalReferral || pboc.Priority != complaint.PriorityP2 ||
			!ok || dl.State != complaint.DeadlineRunning || dl.Due.Format(time.RFC3339) != "2026-03-20T15:59:59Z" {
			t.Errorf("regulator case: ref %q stage %s priority %s deadline %+v", pboc.ExternalRef, pboc.Stage, pboc.Priority, dl)
		}
		ca := h.caseOf(complaint.ChannelConsumerAssociation, "上海市消费者权益保护委员会/12315-SH-88990")
		if dl, _ := ca.DeadlineNamed(intake.RegulatorDeadline); ca.Channel != complaint.ChannelConsumerAssociation || dl.Due.Format(time.RFC3339) != "2026-03-25T09:00:00Z" ||
			ca.MerchantID != "M-700" || ca.Subject == "" {
			t.Errorf("consumer association case %+v", ca)
		}
		rep = h.importOK(intake.KindReferrals, "referrals.json")
		if rep.Created != 1 {
			t.Errorf("referrals.json: %+v", rep)
		}

		// Every case replays from its history and chains.
		for _, c := range h.cases() {
			events, err := st.Events(ctx, c.ID)
			if err != nil {
				t.Fatal(err)
			}
			if err := complaint.VerifyChain(events); err != nil {
				t.Errorf("%s: %v", c.Ref, err)
			}
			replayed, err := complaint.Replay(c.ID, events)
			if err != nil || replayed.Version != c.Version || len(replayed.Transactions) != len(c.Transactions) {
				t.Errorf("%s does not replay: %v", c.Ref, err)
			}
		}
	})
}

func TestReimportCreatesNothing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		h := newHarness(t, st, intake.Options{})
		first := h.importOK(intake.KindHotline, "hotline.json")
		n := len(h.cases())
		events := 0
		for _, c := range h.cases() {
			events += int(c.Version)
		}
		again := h.importOK(intake.KindHotline, "hotline.json")
		if again.Created != 0 || again.Repeats != 0 || again.Resumed != first.Records {
			t.Errorf("second import %+v: the checkpoint should skip every record", again)
		}
		// A copy with other bytes (so no checkpoint) is caught per message.
		raw, _ := os.ReadFile(fixture("hotline.json"))
		copyPath := filepath.Join(t.TempDir(), "copy.json")
		os.WriteFile(copyPath, append(raw, '\n', '\n'), 0o644)
		third := h.importOK(intake.KindHotline, copyPath)
		if third.Created != 0 || third.Repeats != 0 || third.Duplicates != first.Records {
			t.Errorf("import of a copy %+v", third)
		}
		after := 0
		for _, c := range h.cases() {
			after += int(c.Version)
		}
		if len(h.cases()) != n || after != events {
			t.Errorf("re-import changed things: %d cases (was %d), %d events (was %d)", len(h.cases()), n, after, events)
		}
		counts, _ := st.CountIntakeMessages(ctx)
		if counts[store.IntakeFiled]+counts[store.IntakeRepeat] != first.Records || counts[store.IntakePending] != 0 {
			t.Errorf("intake messages %v", counts)
		}
		// An edited record under the same call id is reported, not taken.
		edited := strings.Replace(string(raw), "手机未发货", "手机一直未发货", 1)
		os.WriteFile(copyPath, []byte(edited), 0o644)
		fourth := h.importOK(intake.KindHotline, copyPath)
		if fourth.Changed != 1 || fourth.Duplicates != 2 || len(h.cases()) != n {
			t.Errorf("import of an edited file %+v", fourth)
		}
	})
}

// manyHotlineRecords writes a JSON Lines hotline file of n calls of n
// different customers.
func manyHotlineRecords(t *testing.T, n int) string {
	var b strings.Builder
	for i := range n {
		rec := map[string]any{
			"call_id": "HL-R-" + pad(i), "started_at": "2026-03-10 09:00:00", "caller_phone": "+86 138 0000 " + pad(i),
			"customer_id": "C-R-" + pad(i), "customer_name": "客户" + pad(i), "summary": "第" + pad(i) + "号客户的投诉：余额宝收益计算有误",
		}
		line, _ := json.Marshal(rec)
		b.Write(line)
		b.WriteByte('\n')
	}
	path := filepath.Join(t.TempDir(), "many.jsonl")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func pad(i int) string { return strings.Repeat("0", 4-len(itoa(i))) + itoa(i) }

func itoa(i int) string {
	if i == 0 {
		return "0"
	}
	var b []byte
	for ; i > 0; i /= 10 {
		b = append([]byte{byte('0' + i%10)}, b...)
	}
	return string(b)
}

func TestResumeAfterInterruption(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		h := newHarness(t, st, intake.Options{})
		const n = 25
		path := manyHotlineRecords(t, n)
		cctx, cancel := context.WithCancel(ctx)
		h.im.CheckpointEvery = 4
		h.im.Progress = func(p intake.Progress) {
			if p.Records == 11 {
				cancel() // interrupted in the middle of the file
			}
		}
		rep, err := h.im.ImportFile(cctx, intake.KindHotline, records.JSON, path)
		if !errors.Is(err, context.Canceled) || rep.Created == 0 || rep.Created >= n {
			t.Fatalf("interrupted import: %+v, %v", rep, err)
		}
		done := rep.Created
		h.im.Progress = nil
		rep, err = h.im.ImportFile(ctx, intake.KindHotline, records.JSON, path)
		if err != nil {
			t.Fatal(err)
		}
		if rep.Resumed != done || rep.Created != n-done || rep.Duplicates != 0 || rep.Failed != 0 {
			t.Errorf("resumed import %+v after %d were done: the checkpoint should skip exactly those", rep, done)
		}
		if got := len(h.cases()); got != n {
			t.Errorf("%d cases, want exactly %d", got, n)
		}
		// A third run does nothing.
		rep, _ = h.im.ImportFile(ctx, intake.KindHotline, records.JSON, path)
		if rep.Resumed != n || rep.Created != 0 {
			t.Errorf("third run %+v", rep)
		}
	})
}

func TestSubmitTakesOverAnAbandonedMessage(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		h := newHarness(t, st, intake.Options{})
		m := hotline("HL-X", "C-1", "13800000001", "余额提现失败，钱被冻结")
		// Its handler died right after keeping the message.
		sum := "0000000000000000000000000000000000000000000000000000000000000000"
		if _, _, err := st.ClaimIntakeMessage(ctx, store.IntakeMessage{Channel: m.Channel, SourceID: "HL-X", ReceivedAt: m.ReceivedAt, Payload: []byte("first"), SHA256: sum}, -time.Second); err != nil {
			t.Fatal(err)
		}
		res, err := h.svc.Submit(ctx, m)
		if err != nil || !res.Created {
			t.Fatalf("Submit = %+v, %v", res, err)
		}
		kept, _ := st.IntakeMessageBySource(ctx, m.Channel, "HL-X")
		if kept.Status != store.IntakeFiled || string(kept.Payload) != "first" {
			t.Errorf("taken over: %+v", kept)
		}
		// Held by a live handler: busy.
		m2 := hotline("HL-Y", "C-2", "13800000002", "text")
		st.ClaimIntakeMessage(ctx, store.IntakeMessage{Channel: m2.Channel, SourceID: "HL-Y", ReceivedAt: m2.ReceivedAt, Payload: []byte("x"), SHA256: sum}, time.Minute)
		var busy *intake.ErrBusy
		if _, err := h.svc.Submit(ctx, m2); !errors.As(err, &busy) {
			t.Errorf("Submit of a message being handled: %v", err)
		}
	})
}

func TestConcurrentSubmissionsOpenOneCase(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		h := newHarness(t, st, intake.Options{})
		var wg sync.WaitGroup
		results := make([]intake.Result, 8)
		errs := make([]error, 8)
		for i := range results {
			wg.Add(1)
			go func() {
				defer wg.Done()
				// The same email delivered eight times at once, and by
				// different channels the same customer about the same payment.
				m := hotline("HL-SAME", "C-1001", "13800138000", "星巴克重复扣款")
				if i%2 == 1 {
					m = hotline("HL-OTHER-"+itoa(i), "C-1001", "13800138000", "星巴克重复扣款")
				}
				m.TransactionIDs = []string{"2026030122001456780001"}
				results[i], errs[i] = h.svc.Submit(ctx, m)
			}()
		}
		wg.Wait()
		for i, err := range errs {
			var busy *intake.ErrBusy
			if err != nil && !errors.As(err, &busy) {
				t.Errorf("submission %d: %v", i, err)
			}
		}
		cases := h.cases()
		if len(cases) != 1 || cases[0].Repeats != 4 {
			t.Errorf("%d cases (want 1), repeats %d (want 4: one per other call)", len(cases), cases[0].Repeats)
		}
	})
}

// hotline returns a valid hotline message.
func hotline(callID, customerID, phone, text string) intake.Message {
	return intake.Message{
		Channel: complaint.ChannelHotline, SourceID: callID, ReceivedAt: time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC),
		Payload: []byte(`{"call_id":"` + callID + `"}`),
		Draft: complaint.Draft{Customer: complaint.Customer{ID: customerID, Name: "来电客户", Phone: phone},
			Subject: text, Description: text},
	}
}
