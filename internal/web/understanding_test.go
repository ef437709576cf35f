package web

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redress-project/redress/internal/access"
	"github.com/redress-project/redress/internal/assess/classify"
	"github.com/redress-project/redress/internal/complaint"
	"github.com/redress-project/redress/internal/outbox"
	"github.com/redress-project/redress/internal/store"
	"github.com/redress-project/redress/internal/store/storetest"
	"github.com/redress-project/redress/internal/taxonomy"
	"github.com/redress-project/redress/internal/triage"
)

var starterModel = sync.OnceValue(func() *classify.Model {
	m, err := triage.TrainStarter(context.Background(), taxonomy.Default())
	if err != nil {
		panic(err)
	}
	return m
})

// assessAll runs the triage handler over everything in the outbox.
func (h *harness) assessAll() {
	h.t.Helper()
	th, err := triage.New(h.desk, taxonomy.Default(), starterModel(), triage.Options{ModelName: "starter-test",
		Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		h.t.Fatal(err)
	}
	d := outbox.New(h.st, slog.New(slog.DiscardHandler), th)
	for {
		n, err := d.RunOnce(context.Background())
		if err != nil {
			h.t.Fatal(err)
		}
		if n == 0 {
			return
		}
	}
}

func piiDraft() complaint.Draft {
	return complaint.Draft{
		Customer: complaint.Customer{Name: "李娜", Phone: "+86 139 1234 5678"},
		Subject:  "退款没到账 13812345678",
		Description: "商家同意退款十天了还没到账。请打我电话 13812345678 或发邮件到 li.na@example.com，" +
			"身份证 11010519491231002X。",
		Transactions: []complaint.Transaction{{ID: "T-77", Time: time.Now().Add(-72 * time.Hour),
			Amount: complaint.Money{Minor: 12850, Currency: "CNY"}, MerchantID: "m-100"}},
	}
}

func countKind(t *testing.T, h *harness, ref string, kind complaint.EventKind) int {
	t.Helper()
	events, err := h.desk.Timeline(context.Background(), access.SystemPrincipal, ref)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range events {
		if e.Kind == kind {
			n++
		}
	}
	return n
}

func TestPIIMaskedAndRevealed(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		var logs bytes.Buffer
		h := newHarness(t, st, Options{Logger: slog.New(slog.NewTextHandler(&logs, nil))})
		c := h.file(h.customer, piiDraft())
		if _, _, err := h.desk.Message(context.Background(), access.PrincipalOf(h.customer), c.Ref, "我的新号码是 13698765432"); err != nil {
			t.Fatal(err)
		}
		path := "/console/" + c.Ref
		agent := h.loggedIn(h.agent)
		full := []string{"13812345678", "li.na@example.com", "11010519491231002X", "13698765432", "1234 5678", "cust-1"}
		page := agent.get(path).want(http.StatusOK)
		page.contains("138****5678", "l***@example.com", "110105********002X", "136****5432", "139 **** 5678", "cu**-1", "139 **** 5678",
			`action="/console/`+c.Ref+`/reveal"`, `name="field" value="description"`, `name="field" value="customer.phone"`,
			`name="field" value="subject"`).lacks(full...)
		if n := countKind(t, h, c.Ref, complaint.KindPIIRevealed); n != 0 {
			t.Fatalf("viewing recorded %d reveals", n)
		}
		// The queue masks subjects too.
		agent.get("/console").contains("退款没到账 138****5678").lacks("13812345678")

		// Revealing needs the CSRF token.
		agent.postRaw(path+"/reveal", url.Values{"field": {"description"}}).want(http.StatusForbidden)
		// Only fields with something masked can be revealed.
		agent.post(path+"/reveal", url.Values{"field": {"customer.name"}}).want(http.StatusBadRequest)
		agent.post(path+"/reveal", url.Values{"field": {"event.999"}}).want(http.StatusBadRequest)

		res := agent.post(path+"/reveal", url.Values{"field": {"description"}}).want(http.StatusOK)
		res.contains("13812345678", "li.na@example.com", "11010519491231002X").
			lacks("13698765432", "139 1234 5678") // only the description
		if !strings.Contains(res.body, "退款没到账 138****5678") {
			t.Error("revealing the description revealed the subject")
		}
		if n := countKind(t, h, c.Ref, complaint.KindPIIRevealed); n != 1 {
			t.Errorf("%d pii_revealed events, want 1", n)
		}
		res.contains("viewed the full description", `name="back" value="/console/`+c.Ref+`"`)
		// The reveal lasts for that response only.
		agent.get(path).lacks("13812345678")

		// The customer's phone, and a message in the history.
		agent.post(path+"/reveal", url.Values{"field": {"customer.phone"}}).want(http.StatusOK).contains("139 1234 5678").lacks("13812345678")
		events, _ := h.desk.Timeline(context.Background(), access.SystemPrincipal, c.Ref)
		var msgSeq int64
		for _, e := range events {
			if e.Kind == complaint.KindMessage {
				msgSeq = e.Seq
			}
		}
		agent.post(path+"/reveal", url.Values{"field": {eventField(msgSeq)}}).want(http.StatusOK).contains("13698765432").lacks("13812345678")
		if n := countKind(t, h, c.Ref, complaint.KindPIIRevealed); n != 3 {
			t.Errorf("%d pii_revealed events, want 3", n)
		}

		// An admin sees the masked page without the buttons and may not reveal.
		admin := h.loggedIn(h.admin)
		admin.get(path).want(http.StatusOK).contains("138****5678").lacks("13812345678", `/reveal"`)
		admin.post(path+"/reveal", url.Values{"field": {"description"}}).want(http.StatusForbidden)

		// The customer sees their own data in full.
		h.loggedIn(h.customer).get("/my/"+c.Ref).want(http.StatusOK).contains("13812345678", "li.na@example.com", "13698765432").lacks(`/reveal"`)

		// The merchant sees it masked, without a way to reveal.
		m := h.loggedIn(h.merchant)
		m.get("/merchant").want(http.StatusOK).contains("退款没到账 138****5678").lacks("13812345678")
		m.get("/merchant/"+c.Ref).want(http.StatusOK).contains("138****5678", "136****5432").lacks(append(full, `/reveal"`)...)
		m.post("/console/"+c.Ref+"/reveal", url.Values{"field": {"description"}}).want(http.StatusForbidden)

		// Nothing of it reaches the logs.
		for _, s := range full {
			if strings.Contains(logs.String(), s) {
				t.Errorf("the log holds %q", s)
			}
		}
	})
}

func TestConsoleShowsUnderstanding(t *testing.T) {
	h := newHarness(t, sqlite(t), Options{})
	ctx := context.Background()
	fraud := h.file(h.customer, complaint.Draft{Subject: "我妈被骗了",
		Description: "我妈妈七十多岁，被冒充客服的骗子骗走六万元，账户里的钱全被转走了！再不处理我就去12315投诉！",
		Transactions: []complaint.Transaction{{ID: "T-1", Time: time.Now().Add(-24 * time.Hour),
			Amount: complaint.Money{Minor: 6_000_000, Currency: "CNY"}}}})
	vague := h.file(h.customer, complaint.Draft{Subject: "hello", Description: "see attachment"})
	h.assessAll()
	if _, _, err := h.desk.AddRepeat(ctx, access.SystemPrincipal, fraud.Ref, complaint.Repeat{Channel: complaint.ChannelHotline,
		ReceivedAt: time.Now(), Subject: "又打电话", Description: "还没处理"}); err != nil {
		t.Fatal(err)
	}
	h.assessAll()

	agent := h.loggedIn(h.agent)
	page := agent.get("/console/" + fraud.Ref).want(http.StatusOK)
	page.contains("What redress understood", "Predicted type", "Unauthorised payment, fraud or stolen funds",
		"% confident)", "very negative", "angry", "threatens to go to a regulator", "may be vulnerable",
		"Simplified Chinese", "Why this severity and priority",
		"Amount at stake ≥ CNY 50,000", "Unauthorised payment, fraud or account takeover", "Severity Critical",
		"Threatens to escalate to a regulator", "Repeat complaints: 1", "Complained again 1 time",
		"The customer complained again via Hotline", "Model: starter-test",
		"The customer writes in Simplified Chinese").lacks("Needs triage</span>")

	// In Chinese, the reasons are translated.
	agent.header.Set("Accept-Language", "zh-CN")
	agent.get("/console/"+fraud.Ref).contains("涉及金额 ≥ CNY 50,000", "盗刷、诈骗或账户被盗", "扬言投诉至监管部门", "系统分析", "简体中文")
	agent.header.Set("Accept-Language", "zh-TW")
	agent.get("/console/"+fraud.Ref).contains("涉及金額 ≥ CNY 50,000", "盜刷、詐騙或資金遭盜")
	agent.header.Set("Accept-Language", "en")

	page = agent.get("/console/" + vague.Ref).want(http.StatusOK)
	page.contains(`badge-triage">Needs triage`, "Not yet classified", "Assessed automatically: the type is unclear", "English")

	// The triage tab lists the vague case only.
	queue := agent.get("/console").want(http.StatusOK)
	queue.contains(`href="/console?category=uncategorized&amp;sort=priority&amp;status=open"`, "Needs triage")
	tri := agent.get("/console?category=uncategorized&sort=priority&status=open").want(http.StatusOK)
	tri.contains(vague.Ref, `aria-current="page">Needs triage`, "could not tell with confidence").lacks(fraud.Ref)

	// Customers see none of it.
	h.loggedIn(h.customer).get("/my/"+fraud.Ref).lacks("What redress understood", "Amount at stake", "Needs triage", "angry")
}

func TestDeadlinesShown(t *testing.T) {
	h := newHarness(t, sqlite(t), Options{})
	ctx := context.Background()
	c := h.file(h.customer, complaint.Draft{Subject: "退款", Description: "退款没到账"})
	due := time.Date(2026, 11, 24, 6, 0, 0, 0, time.UTC) // 14:00 in Shanghai
	for _, d := range []complaint.Deadline{
		{Name: "first_response", Spec: "1bd", Due: due, State: complaint.DeadlineRunning},
		{Name: "resolution", Spec: "15ld", Due: due.Add(14 * 24 * time.Hour), State: complaint.DeadlineBreached},
		{Name: "task:T1", Due: due, State: complaint.DeadlineRunning},
		{Name: "next_response", Due: due, State: complaint.DeadlineMet},
	} {
		if _, _, err := h.desk.SetDeadline(ctx, access.SystemPrincipal, c.Ref, d); err != nil {
			t.Fatal(err)
		}
	}
	agent := h.loggedIn(h.agent)
	agent.get("/console/"+c.Ref).want(http.StatusOK).contains("Deadlines", "First response", "24 Nov 2026, 14:00", "Running",
		"Resolution", "Overdue", "Task T1", "Next response", "Met")
	cust := h.loggedIn(h.customer)
	page := cust.get("/my/" + c.Ref).want(http.StatusOK)
	page.contains("We will reply by 24 Nov 2026, 14:00.", "We answered your latest message on time.").
		lacks("Overdue", "Task T1", "We aim to resolve")
	cust.header.Set("Accept-Language", "zh-CN")
	cust.get("/my/" + c.Ref).contains("我们将在 2026年11月24日 14:00 前回复您。")
	// The viewer's zone decides the time.
	cust.header.Set("Accept-Language", "en")
	cust.c.Jar.SetCookies(mustURL(h.srv.URL), []*http.Cookie{{Name: cookieTZ, Value: "Europe/London", Path: "/"}})
	cust.get("/my/" + c.Ref).contains("We will reply by 24 Nov 2026, 06:00.")
}

func mustURL(s string) *url.URL {
	u, err := url.Parse(s)
	if err != nil {
		panic(err)
	}
	return u
}

func TestMaskers(t *testing.T) {
	for in, want := range map[string]string{
		"+86 138 0013 8000": "+86 138 **** 8000",
		"010-6552 9988":     "010-**** 9988",
		"+1 415 555 0100":   "+1 41* *** 0100",
		"12345":             "***45",
		"110":               "***",
	} {
		if got := maskPhone(in); got != want {
			t.Errorf("maskPhone(%q) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string]string{"zw@example.com": "z***@example.com", "x": "*"} {
		if got := maskEmail(in); got != want {
			t.Errorf("maskEmail(%q) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string]string{"cust-8801": "cu*****01", "u-1": "***"} {
		if got := maskID(in); got != want {
			t.Errorf("maskID(%q) = %q, want %q", in, got, want)
		}
	}
}
