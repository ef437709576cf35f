package web

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redress-project/redress/internal/access"
	"github.com/redress-project/redress/internal/assess/pii"
	"github.com/redress-project/redress/internal/auth"
	"github.com/redress-project/redress/internal/complaint"
	"github.com/redress-project/redress/internal/desk"
	"github.com/redress-project/redress/internal/i18n"
	"github.com/redress-project/redress/internal/store"
	"github.com/redress-project/redress/internal/store/storetest"
	"github.com/redress-project/redress/internal/taxonomy"
	"github.com/redress-project/redress/internal/triage"
)

func TestTemplatesParse(t *testing.T) {
	ps, err := parsePages(taxonomy.Default())
	if err != nil {
		t.Fatal(err)
	}
	for _, cat := range i18n.Catalogs() {
		for _, name := range pageNames {
			if ps.byLang[cat.Code()][name] == nil {
				t.Errorf("no %s page for %s", name, cat.Code())
			}
		}
	}
}

// TestTemplateKeysExist checks that every message key a template or the Go
// code names literally is in the catalogs, so no page shows a raw key.
func TestTemplateKeysExist(t *testing.T) {
	cat, _ := i18n.Lookup("en")
	keyRe := regexp.MustCompile(`\(?\bt "([a-z0-9_.\-]+)"`)
	entries, _ := templateFS.ReadDir("templates")
	for _, e := range entries {
		b, _ := templateFS.ReadFile("templates/" + e.Name())
		for _, m := range keyRe.FindAllStringSubmatch(string(b), -1) {
			if !cat.Has(m[1]) {
				t.Errorf("%s uses missing key %q", e.Name(), m[1])
			}
		}
	}
	// Keys the Go code names as string literals.
	goFiles, _ := filepath.Glob("*.go")
	goKeyRe := regexp.MustCompile(`"((?:error|flash|login|queue|holder|event|actor|filed|status\.explain)\.[a-z0-9_.\-]*[a-z0-9_])"`)
	for _, f := range goFiles {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range goKeyRe.FindAllStringSubmatch(string(b), -1) {
			if !cat.Has(m[1]) {
				t.Errorf("%s uses missing key %q", f, m[1])
			}
		}
	}
	var keys []string
	for _, s := range complaint.Statuses {
		keys = append(keys, "status."+string(s), "status.explain."+string(s), "flash.status."+string(s))
	}
	for _, c := range complaint.Channels {
		keys = append(keys, "channel."+string(c))
	}
	for _, s := range complaint.Severities {
		keys = append(keys, "severity."+string(s))
	}
	for _, p := range complaint.Priorities {
		keys = append(keys, "priority."+string(p))
	}
	for _, s := range complaint.Stages {
		keys = append(keys, "stage."+string(s))
	}
	for _, r := range append(complaint.Roles, complaint.RoleSystem) {
		keys = append(keys, "role."+string(r))
	}
	keys = append(keys, "category."+taxonomy.Uncategorized)
	for _, s := range taxonomy.Signals {
		keys = append(keys, "signal."+s)
	}
	for _, team := range taxonomy.Default().Teams() {
		keys = append(keys, "team."+team)
	}
	for _, k := range []pii.Kind{pii.ResidentID, pii.Mobile, pii.BankCard, pii.Email, pii.IBAN} {
		keys = append(keys, "pii."+string(k))
	}
	for _, s := range []string{"very_negative", "negative", "neutral", "positive"} {
		keys = append(keys, "sentiment."+s)
	}
	for _, s := range []string{"zh-Hans", "zh-Hant", "en", "other"} {
		keys = append(keys, "lang."+s)
	}
	for _, f := range []string{fieldSubject, fieldDescription, fieldCustomerPhone, fieldCustomerEmail, fieldCustomerID} {
		keys = append(keys, "field."+f)
	}
	for _, d := range knownDeadlines {
		keys = append(keys, "deadline."+d)
	}
	for _, d := range append(slices.Clone(knownDeadlines), "other") {
		for _, st := range publicDeadlineStates {
			keys = append(keys, "deadline.customer."+d+"."+string(st))
		}
	}
	for _, st := range []complaint.DeadlineState{complaint.DeadlineRunning, complaint.DeadlinePaused, complaint.DeadlineWarning,
		complaint.DeadlineBreached, complaint.DeadlineMet, complaint.DeadlineCancelled} {
		keys = append(keys, "deadline.state."+string(st))
	}
	// Every reason the default rules and Prioritize give has a message.
	for _, r := range taxonomy.Default().Rules() {
		keys = append(keys, "reason."+r.Code)
	}
	for _, code := range []string{triage.ReasonSeverity, triage.ReasonRegulator, triage.ReasonConsumerAssoc, triage.ReasonSelfHarm,
		triage.ReasonEscalationThreat, triage.ReasonRepeat, triage.ReasonAnger, triage.ReasonKept, triage.ReasonStaffClassified,
		triage.ReasonSeverityKept} {
		keys = append(keys, "reason."+code)
	}
	for _, t := range []string{"regulator", "media", "police", "court"} {
		keys = append(keys, "target."+t)
	}
	for _, c := range currencies {
		keys = append(keys, "currency."+c)
	}
	for _, s := range sorts {
		keys = append(keys, "queue.sort."+s)
	}
	for _, k := range keys {
		if strings.HasPrefix(k, "flash.status.") && k != "flash.status.withdrawn" && k != "flash.status.reopened" {
			continue // customers only withdraw and reopen
		}
		if !cat.Has(k) {
			t.Errorf("missing key %q", k)
		}
	}
}

func TestLoginFlow(t *testing.T) {
	h := newHarness(t, sqlite(t), Options{})
	c := h.client()

	if loc := c.get("/").want(http.StatusSeeOther).location(); loc != "/login" {
		t.Errorf("anonymous / redirects to %q, want /login", loc)
	}
	if loc := c.get("/my").want(http.StatusSeeOther).location(); loc != "/login?next=%2Fmy" {
		t.Errorf("anonymous /my redirects to %q", loc)
	}
	c.get("/login").want(http.StatusOK).contains(`<label for="email">`, `<label for="password">`, `autocomplete="current-password"`)

	// A wrong password: a clear error, the email kept, 401.
	res := c.post("/login", url.Values{"email": {h.customer.Email}, "password": {"not the password"}}).want(http.StatusUnauthorized)
	res.contains("The email address or password is not right", `value="li.na@example.com"`, `role="alert"`)

	// Missing fields are named.
	c.post("/login", url.Values{"email": {""}, "password": {""}}).want(http.StatusUnprocessableEntity).
		contains("Enter your email address.", "Enter your password.", `aria-describedby="email-error"`)

	// Without the form's token the login is refused (login CSRF).
	c.postRaw("/login", url.Values{"email": {h.customer.Email}, "password": {testPassword}}).want(http.StatusForbidden)

	// The right password goes to the page the visitor wanted.
	res = c.post("/login", url.Values{"email": {h.customer.Email}, "password": {testPassword}, "next": {"/my/new"}})
	if res.want(http.StatusSeeOther).location() != "/my/new" {
		t.Errorf("login redirects to %q, want /my/new", res.location())
	}
	if loc := c.get("/").location(); loc != "/my" {
		t.Errorf("customer / redirects to %q", loc)
	}
	c.get("/my").want(http.StatusOK).contains("Signed in as 李娜")
	// An open redirect is not followed.
	if loc := c.get("/login?next=//evil.example/").location(); loc != "/my" {
		t.Errorf("logged-in /login?next=//evil redirects to %q", loc)
	}

	// Logging out ends the session.
	stale := c.token()
	res = c.post("/logout", url.Values{}).want(http.StatusSeeOther)
	c.follow(res).want(http.StatusOK).contains("You have signed out.")
	c.get("/my").want(http.StatusSeeOther)
	// A page from before (its session gone) can still sign out and switch language.
	c.postRaw("/logout", url.Values{"csrf_token": {stale}}).want(http.StatusSeeOther)
	c.postRaw("/prefs", url.Values{"csrf_token": {stale}, "lang": {"zh-CN"}, "back": {"/login"}}).want(http.StatusSeeOther)
	c.get("/login").contains(`<html lang="zh-Hans"`)
	c.post("/prefs", url.Values{"lang": {"en"}, "back": {"/login"}}).want(http.StatusSeeOther)

	// Each role starts at its own page.
	for u, want := range map[string]string{h.agent.Email: "/console", h.merchant.Email: "/merchant", h.admin.Email: "/console"} {
		c := h.client()
		c.get("/login")
		if loc := c.post("/login", url.Values{"email": {u}, "password": {testPassword}}).location(); loc != want {
			t.Errorf("%s lands on %q, want %q", u, loc, want)
		}
	}
}

func TestLoginRateLimitMessage(t *testing.T) {
	h := newHarness(t, sqlite(t), Options{})
	c := h.client()
	var res *response
	for range 6 {
		res = c.post("/login", url.Values{"email": {h.other.Email}, "password": {"wrong password"}})
	}
	res.want(http.StatusTooManyRequests).contains("Too many failed sign-in attempts")
	if res.header.Get("Retry-After") == "" {
		t.Error("no Retry-After header")
	}
}

func TestRolePages(t *testing.T) {
	h := newHarness(t, sqlite(t), Options{})
	cust := h.loggedIn(h.customer)
	cust.get("/console").want(http.StatusForbidden).contains("Access denied")
	cust.get("/merchant").want(http.StatusForbidden)
	agent := h.loggedIn(h.agent)
	agent.get("/my").want(http.StatusForbidden)
	agent.get("/no/such/page").want(http.StatusNotFound).contains("Page not found")
}

// fileForm is a valid filing form with a transaction.
func fileForm() url.Values {
	return url.Values{
		"category":         {"refund"},
		"subject":          {"退款一直没有到账"},
		"description":      {"3月2日在好物商城申请退款，商家已同意，但至今未到账。\n请帮忙查询。"},
		"txn_id":           {"T2026030212345"},
		"txn_time":         {"2026-03-02T14:30"},
		"txn_amount":       {"128.50"},
		"txn_currency":     {"CNY"},
		"txn_counterparty": {"好物商城"},
		"txn_merchant":     {"m-100"},
		"phone":            {"+86 138 0013 8000"},
	}
}

func TestFileComplaint(t *testing.T) {
	h := newHarness(t, sqlite(t), Options{})
	c := h.loggedIn(h.customer)
	page := c.get("/my/new").want(http.StatusOK)
	page.contains(`<select id="category" name="category"`, `value="CNY" selected`, `for="txn_amount"`, `inputmode="decimal"`, `name="idem"`)
	for _, cat := range taxonomy.Default().CustomerChoices() {
		page.contains(`value="` + cat + `"`)
	}

	res := c.post("/my/new", fileForm()).want(http.StatusSeeOther)
	ref := strings.TrimPrefix(res.location(), "/my/")
	if !complaint.ValidRef(ref) {
		t.Fatalf("filing redirects to %q", res.location())
	}
	page = c.follow(res).want(http.StatusOK)
	page.contains(`class="ref-big" data-ref>`+ref+`<`, "We will respond within 24 hours.",
		"Your complaint was received", "退款一直没有到账", "CNY 128.50", "T2026030212345", "好物商城")
	// The confirmation shows once.
	c.get("/my/" + ref).lacks("ref-big")

	got, err := h.desk.Get(context.Background(), access.PrincipalOf(h.customer), ref)
	if err != nil {
		t.Fatal(err)
	}
	if got.Customer.ID != "cust-1" || got.Category != "refund" || got.Channel != complaint.ChannelWeb || got.Customer.Phone != "+86 138 0013 8000" {
		t.Errorf("stored case = %+v", got)
	}
	if len(got.Transactions) != 1 {
		t.Fatalf("transactions = %+v", got.Transactions)
	}
	txn := got.Transactions[0]
	if txn.Amount != (complaint.Money{Minor: 12850, Currency: "CNY"}) || txn.MerchantID != "m-100" {
		t.Errorf("transaction = %+v", txn)
	}
	// 14:30 in Shanghai (the default zone) is 06:30 UTC.
	if want := time.Date(2026, 3, 2, 6, 30, 0, 0, time.UTC); !txn.Time.Equal(want) {
		t.Errorf("transaction time = %v, want %v", txn.Time, want)
	}
	if got.Language != "en" {
		t.Errorf("language = %q, want en (the page's)", got.Language)
	}

	// The list shows it.
	c.get("/my").want(http.StatusOK).contains(ref, "退款一直没有到账", "New")

	// A double submit (same idempotency key) files once.
	form := fileForm()
	form.Set("idem", "same-key-1")
	first := c.post("/my/new", form).want(http.StatusSeeOther).location()
	second := c.post("/my/new", form).want(http.StatusSeeOther).location()
	if first != second {
		t.Errorf("resubmitting the same form opened %s and %s", first, second)
	}
}

func TestFileComplaintInvalid(t *testing.T) {
	h := newHarness(t, sqlite(t), Options{})
	c := h.loggedIn(h.customer)
	form := fileForm()
	form.Set("subject", "  ")
	form.Set("txn_id", "")
	form.Set("txn_amount", "128,5")
	form.Set("phone", "call me maybe")
	res := c.post("/my/new", form).want(http.StatusUnprocessableEntity)
	res.contains(
		"There is a problem",
		`<a href="#subject">Give your complaint a short subject.</a>`,
		`aria-describedby="subject-error subject-hint"`, `aria-invalid="true"`,
		`id="txn_id-error"`, "Enter the transaction number",
		`id="txn_amount-error"`, "Enter the amount as a number, like 128.50.",
		// What was typed is kept.
		"3月2日在好物商城申请退款", `value="128,5"`, `value="好物商城"`, `value="2026-03-02T14:30"`,
	)
	// Too many decimals for the currency, and a phone only the domain rejects.
	form = fileForm()
	form.Set("txn_amount", "100.5")
	form.Set("txn_currency", "JPY")
	c.post("/my/new", form).want(http.StatusUnprocessableEntity).contains("Amounts in JPY have at most 0 decimal places.")
	form = fileForm()
	form.Set("phone", "call me maybe")
	c.post("/my/new", form).want(http.StatusUnprocessableEntity).
		contains(`id="phone-error"`, "Enter a phone number using only digits")

	page, err := h.desk.List(context.Background(), access.PrincipalOf(h.customer), store.CaseFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Cases) != 0 {
		t.Errorf("invalid forms stored %d cases", len(page.Cases))
	}
}

func TestCustomerCannotSeeAnothersCase(t *testing.T) {
	h := newHarness(t, sqlite(t), Options{})
	theirs := h.file(h.other, complaint.Draft{Subject: "别人的投诉", Description: "机密内容"})
	c := h.loggedIn(h.customer)
	notVisible := c.get("/my/"+theirs.Ref).want(http.StatusNotFound).lacks("别人的投诉", "机密内容")
	missing := c.get("/my/CP-2026-ZZZZZZZZ").want(http.StatusNotFound)
	c.get("/my/not-a-ref").want(http.StatusNotFound)
	strip := func(s string) string { return regexp.MustCompile(`(?s)<main.*</main>`).FindString(s) }
	if strip(notVisible.body) != strip(missing.body) {
		t.Error("the 404 page of another's case differs from that of a missing one")
	}
	c.post("/my/"+theirs.Ref+"/reply", url.Values{"body": {"hi"}}).want(http.StatusNotFound)
	c.post("/my/"+theirs.Ref+"/status", url.Values{"to": {"withdrawn"}}).want(http.StatusNotFound)
	// And it is not in their list.
	c.get("/my").lacks(theirs.Ref)
}

func TestCSRF(t *testing.T) {
	h := newHarness(t, sqlite(t), Options{})
	mine := h.file(h.customer, complaint.Draft{Subject: "s", Description: "d"})
	c := h.loggedIn(h.customer)
	c.postRaw("/my/new", fileForm()).want(http.StatusForbidden).contains("This form has expired")
	form := fileForm()
	form.Set("csrf_token", "forged")
	c.postRaw("/my/new", form).want(http.StatusForbidden)
	c.postRaw("/my/"+mine.Ref+"/reply", url.Values{"body": {"x"}}).want(http.StatusForbidden)
	c.postRaw("/prefs", url.Values{"lang": {"en"}}).want(http.StatusForbidden)
	c.postRaw("/logout", url.Values{}).want(http.StatusForbidden)
	agent := h.loggedIn(h.agent)
	agent.postRaw("/console/"+mine.Ref+"/transition", url.Values{"to": {"acknowledged"}}).want(http.StatusForbidden)
	agent.postRaw("/console/"+mine.Ref+"/note", url.Values{"note": {"x"}}).want(http.StatusForbidden)

	events, err := h.desk.Timeline(context.Background(), access.PrincipalOf(h.agent), mine.Ref)
	if err != nil {
		t.Fatal(err)
	}
	if len(events) != 1 {
		t.Errorf("forged posts changed the case: %d events", len(events))
	}
	page, _ := h.desk.List(context.Background(), access.PrincipalOf(h.customer), store.CaseFilter{})
	if len(page.Cases) != 1 {
		t.Errorf("a forged filing stored a case")
	}
	// Every form on every page carries the token.
	for _, path := range []string{"/my", "/my/new", "/my/" + mine.Ref} {
		body := c.get(path).body
		if n, m := strings.Count(body, "<form"), strings.Count(body, `name="csrf_token"`); n != m {
			t.Errorf("%s: %d forms but %d CSRF fields", path, n, m)
		}
	}
	body := agent.get("/console/" + mine.Ref).body
	if n, m := strings.Count(body, `method="post"`), strings.Count(body, `name="csrf_token"`); n != m {
		t.Errorf("console case: %d post forms but %d CSRF fields", n, m)
	}
}

func TestAgentWorkflow(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		h := newHarness(t, st, Options{})
		c := h.file(h.customer, complaint.Draft{Subject: "余额提现失败", Description: "提现显示失败但余额已扣除",
			Transactions: []complaint.Transaction{{ID: "W-1", Time: time.Now().Add(-time.Hour), Amount: complaint.Money{Minor: 50000, Currency: "CNY"}}}})
		agent := h.loggedIn(h.agent)
		path := "/console/" + c.Ref
		page := agent.get(path).want(http.StatusOK)
		page.contains("余额提现失败", "CNY 500.00", "李娜", "Move to: Acknowledged", "Move to: Withdrawn", "Assign to me")

		// Reply: the first staff reply acknowledges the case.
		res := agent.post(path+"/reply", url.Values{"body": {"您好，我们已收到，正在核实。"}}).want(http.StatusSeeOther)
		agent.follow(res).contains("Your message has been sent.", `role="status"`, "您好，我们已收到，正在核实。", "Acknowledged")
		agent.post(path+"/transition", url.Values{"to": {"in_progress"}, "reason": {"已联系资金部门"}}).want(http.StatusSeeOther)
		agent.post(path+"/note", url.Values{"note": {"疑似通道超时，待对账 SECRET-NOTE"}}).want(http.StatusSeeOther)
		agent.post(path+"/assign", url.Values{"action": {"me"}}).want(http.StatusSeeOther)
		agent.post(path+"/classify", url.Values{"category": {"transaction_failure"}, "severity": {"high"}, "priority": {"p2"}}).want(http.StatusSeeOther)
		page = agent.get(path).want(http.StatusOK)
		page.contains("SECRET-NOTE", "badge-internal", "Internal note by You", "In progress", "Assigned to 张敏 of the General team",
			"Classified as Payment failed or went wrong", "Release to team queue")

		// A stale page's move that the case no longer allows: 409 and a clear message.
		agent.post(path+"/transition", url.Values{"to": {"acknowledged"}}).want(http.StatusConflict).
			contains("That change is no longer possible", `role="alert"`, "Move to: Resolved")
		// An empty reply: 422 next to the field.
		agent.post(path+"/reply", url.Values{"body": {"  "}}).want(http.StatusUnprocessableEntity).
			contains(`id="body-error"`, "This field is required.")
		// No change is not an error.
		agent.post(path+"/classify", url.Values{"category": {"transaction_failure"}, "severity": {"high"}, "priority": {"p2"}}).
			want(http.StatusSeeOther)

		// The customer sees the reply and the status, not the note or the assignment's internals.
		cust := h.loggedIn(h.customer)
		cp := cust.get("/my/" + c.Ref).want(http.StatusOK)
		cp.contains("您好，我们已收到，正在核实。", "张敏, customer service", "Status changed to In progress", "已联系资金部门",
			"We are working on your complaint.", "Handled by 张敏 of the General team.")
		cp.lacks("SECRET-NOTE", "疑似通道超时", "badge-internal", "Internal note", "Classified as")
	})
}

func TestCustomerWithdrawAndReopen(t *testing.T) {
	h := newHarness(t, sqlite(t), Options{})
	c := h.file(h.customer, complaint.Draft{Subject: "s", Description: "d"})
	cust := h.loggedIn(h.customer)
	path := "/my/" + c.Ref
	cust.get(path).contains("Withdraw this complaint", `name="to" value="withdrawn"`).lacks("Reopen complaint")
	cust.post(path+"/reply", url.Values{"body": {"补充：订单号 123"}}).want(http.StatusSeeOther)
	cust.post(path+"/status", url.Values{"to": {"resolved"}}).want(http.StatusBadRequest)

	// Resolved by staff: the customer may reopen.
	ctx, agent := context.Background(), access.PrincipalOf(h.agent)
	for _, s := range []complaint.Status{"acknowledged", "in_progress", "resolved"} {
		if _, _, err := h.desk.Transition(ctx, agent, c.Ref, s, ""); err != nil {
			t.Fatal(err)
		}
	}
	cust.get(path).contains("Reopen complaint", "We consider your complaint resolved.").lacks("Withdraw this complaint")
	res := cust.post(path+"/status", url.Values{"to": {"reopened"}, "reason": {"钱还没到"}}).want(http.StatusSeeOther)
	cust.follow(res).contains("Your complaint has been reopened.", "Status changed to Reopened", "钱还没到")
	// Reopening twice is stale: 409.
	cust.post(path+"/status", url.Values{"to": {"reopened"}}).want(http.StatusConflict).contains("That change is no longer possible")
	cust.post(path+"/status", url.Values{"to": {"withdrawn"}}).want(http.StatusSeeOther)
	cust.get(path).contains("This complaint was withdrawn.").lacks(`action="` + path + `/reply"`)
}

func TestQueueFiltersAndSorting(t *testing.T) {
	base := time.Date(2026, 1, 10, 12, 0, 0, 0, time.UTC)
	var mu sync.Mutex
	now := base
	setNow := func(t time.Time) { mu.Lock(); now = t; mu.Unlock() }
	h := newHarness(t, sqlite(t), Options{PageSize: 2}, desk.WithClock(func() time.Time { mu.Lock(); defer mu.Unlock(); return now }))
	draft := func(subject string, ch complaint.Channel, pr complaint.Priority, cat string) complaint.Draft {
		return complaint.Draft{Customer: complaint.Customer{ID: "cust-9", Name: "赵六"}, Channel: ch, Subject: subject,
			Description: "…", Priority: pr, Category: cat}
	}
	var refs []string
	for i, d := range []complaint.Draft{
		draft("Card charged twice", complaint.ChannelHotline, complaint.PriorityP3, "transaction_failure"),
		draft("退款未到账", complaint.ChannelApp, complaint.PriorityP1, "refund"),
		draft("Account frozen", complaint.ChannelApp, complaint.PriorityP2, "account_frozen"),
		draft("Rude agent", complaint.ChannelWeb, complaint.PriorityP4, "service"),
	} {
		setNow(base.Add(time.Duration(i) * 24 * time.Hour))
		refs = append(refs, h.file(h.agent, d).Ref)
	}
	setNow(base.Add(10 * 24 * time.Hour))
	if _, _, err := h.desk.Assign(context.Background(), access.PrincipalOf(h.agent), refs[2],
		complaint.Assignment{Team: "general", AssigneeID: h.agent.ID, AssigneeName: h.agent.Name}); err != nil {
		t.Fatal(err)
	}
	c := h.loggedIn(h.agent)

	order := func(res *response) []string {
		var got []string
		for _, m := range regexp.MustCompile(`href="/console/(CP-[0-9A-Z-]+)"`).FindAllStringSubmatch(res.body, -1) {
			got = append(got, m[1])
		}
		return got
	}
	check := func(query string, want ...string) *response {
		t.Helper()
		res := c.get("/console?" + query).want(http.StatusOK)
		if got := order(res); fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("/console?%s lists %v, want %v", query, got, want)
		}
		return res
	}
	// Newest first, two a page, with a link to the next.
	res := check("", refs[3], refs[2])
	res.contains("2 cases on this page.", `rel="next"`, "<th scope=\"col\">")
	next := regexp.MustCompile(`href="(/console\?[^"]*cursor=[^"]*)" rel="next"`).FindStringSubmatch(res.body)
	if next == nil {
		t.Fatal("no next-page link")
	}
	res = c.get(strings.ReplaceAll(next[1], "&amp;", "&")).want(http.StatusOK)
	if got := order(res); fmt.Sprint(got) != fmt.Sprint([]string{refs[1], refs[0]}) {
		t.Errorf("second page lists %v", got)
	}
	res.contains("First page")

	check("sort=created", refs[0], refs[1])
	check("sort=priority", refs[1], refs[2])
	check("sort=-updated", refs[2], refs[3])
	check("priority=p1", refs[1])
	check("channel=hotline", refs[0])
	check("category=service", refs[3])
	check("team=general&sort=created", refs[0], refs[1])
	check("team=nosuchteam")
	check("assignee=me", refs[2])
	check("assignee=unassigned&sort=created", refs[0], refs[1])
	check("q=退款", refs[1])
	check("q=frozen", refs[2])
	check("status=new&priority=p4", refs[3])
	check("status=open&channel=app&sort=created", refs[1], refs[2])
	check("status=resolved").contains("No cases match these filters.")
	// The creation range is whole days in the viewer's zone (Shanghai):
	// the cases were filed at 20:00 on the 10th, 11th, 12th and 13th.
	check("from=2026-01-11&to=2026-01-12&sort=created", refs[1], refs[2])
	check("to=2026-01-10", refs[0])
	c.get("/console?from=junk").want(http.StatusOK).contains("Enter dates like 2026-01-31.")
	// Filters stay selected.
	check("priority=p1", refs[1]).contains(`<option value="p1" selected>`, "Clear filters")
	// A cursor from another order starts again instead of failing.
	c.get("/console?sort=priority&cursor=" + url.QueryEscape("garbage")).want(http.StatusOK)
}

func TestMerchantPortal(t *testing.T) {
	h := newHarness(t, sqlite(t), Options{})
	named := h.file(h.customer, complaint.Draft{Subject: "没收到货", Description: "已付款一周未发货",
		Transactions: []complaint.Transaction{{ID: "T-9", Time: time.Now().Add(-48 * time.Hour),
			Amount: complaint.Money{Minor: 9900, Currency: "CNY"}, MerchantID: "m-100", Counterparty: "好物商城"}}})
	other := h.file(h.customer, complaint.Draft{Subject: "其他商户", Description: "x", MerchantID: "m-200"})
	if _, _, err := h.desk.Note(context.Background(), access.PrincipalOf(h.agent), named.Ref, "MERCHANT-MUST-NOT-SEE"); err != nil {
		t.Fatal(err)
	}
	m := h.loggedIn(h.merchant)
	m.get("/merchant").want(http.StatusOK).contains(named.Ref, "没收到货").lacks(other.Ref)
	m.get("/merchant/" + other.Ref).want(http.StatusNotFound)
	page := m.get("/merchant/" + named.Ref).want(http.StatusOK)
	page.contains("没收到货", "CNY 99.00", `action="/merchant/`+named.Ref+`/reply"`, "Customer service is handling this complaint.").lacks("MERCHANT-MUST-NOT-SEE", "li.na@example.com")
	res := m.post("/merchant/"+named.Ref+"/reply", url.Values{"body": {"已于今日补发，单号 SF123"}}).want(http.StatusSeeOther)
	m.follow(res).contains("已于今日补发，单号 SF123", "Your message has been sent.")
	h.loggedIn(h.customer).get("/my/"+named.Ref).contains("已于今日补发", "好物商城 (merchant)")
}

func TestLanguageSelection(t *testing.T) {
	h := newHarness(t, sqlite(t), Options{})
	c := h.loggedIn(h.customer)
	mine := h.file(h.customer, complaint.Draft{Subject: "s", Description: "d"})
	for _, tc := range []struct{ accept, htmlLang, want string }{
		{"zh-CN,zh;q=0.9,en;q=0.8", "zh-Hans", "我的投诉"},
		{"zh-TW,zh;q=0.9", "zh-Hant", "我的投訴"},
		{"zh-HK", "zh-Hant", "我的投訴"},
		{"zh", "zh-Hans", "我的投诉"},
		{"en-GB,en;q=0.9", "en", "My complaints"},
		{"fr-FR", "zh-Hans", "我的投诉"}, // the default language
	} {
		c.header.Set("Accept-Language", tc.accept)
		res := c.get("/my").want(http.StatusOK)
		res.contains(`<html lang="`+tc.htmlLang+`"`, tc.want)
	}
	// The cookie beats Accept-Language, and the switcher sets it.
	c.header.Set("Accept-Language", "en")
	res := c.post("/prefs", url.Values{"lang": {"zh-TW"}, "back": {"/my/" + mine.Ref}}).want(http.StatusSeeOther)
	if res.location() != "/my/"+mine.Ref {
		t.Errorf("prefs redirects to %q", res.location())
	}
	page := c.get("/my/" + mine.Ref).want(http.StatusOK)
	page.contains(`<html lang="zh-Hant"`, "處理紀錄", "新提交", "我們已收到您的投訴", `aria-pressed="true">繁體中文`)
	c.post("/prefs", url.Values{"lang": {"zh-CN"}, "back": {"https://evil.example/"}}).want(http.StatusSeeOther)
	page = c.get("/my/" + mine.Ref)
	page.contains(`<html lang="zh-Hans"`, "处理记录", "我们已收到您的投诉", "当前状态", "投诉编号")
	// Dates follow the language.
	if !regexp.MustCompile(`\d{4}年\d{1,2}月\d{1,2}日 \d\d:\d\d`).MatchString(page.body) {
		t.Error("no Chinese-formatted date on the page")
	}
	// The login page, for an anonymous visitor, too.
	anon := h.client()
	anon.header.Set("Accept-Language", "zh-CN")
	anon.get("/login").contains("登录", "电子邮箱", `lang="zh-Hant"`)
	anon.post("/prefs", url.Values{"lang": {"en"}, "back": {"/login"}}).want(http.StatusSeeOther)
	anon.get("/login").contains(`<html lang="en"`, "Email address")
}

func TestLargeFontAndTimeZone(t *testing.T) {
	h := newHarness(t, sqlite(t), Options{})
	mine := h.file(h.customer, complaint.Draft{Subject: "s", Description: "d"})
	c := h.loggedIn(h.customer)
	c.get("/my").lacks("font-large").contains(`value="large"`, `aria-pressed="false"><span aria-hidden="true">A+</span>`)
	c.post("/prefs", url.Values{"font": {"large"}, "back": {"/my"}}).want(http.StatusSeeOther)
	c.get("/my").contains(`class="font-large"`, `value="normal"`)
	c.post("/prefs", url.Values{"font": {"normal"}, "back": {"/my"}})
	c.get("/my").lacks("font-large")

	// Times are in Shanghai time by default, else in the browser's zone.
	c.get("/my/"+mine.Ref).contains("+08:00", "Asia/Shanghai")
	u, _ := url.Parse(h.srv.URL)
	c.c.Jar.SetCookies(u, []*http.Cookie{{Name: cookieTZ, Value: url.QueryEscape("America/New_York")}})
	page := c.get("/my/" + mine.Ref)
	if !regexp.MustCompile(`datetime="[^"]+-0[45]:00"`).MatchString(page.body) {
		t.Error("times are not in New York time")
	}
	page.contains("America/New_York")
	c.c.Jar.SetCookies(u, []*http.Cookie{{Name: cookieTZ, Value: "../../etc/passwd"}})
	c.get("/my/" + mine.Ref).want(http.StatusOK).contains("+08:00")
}

func TestAccessibilityBasics(t *testing.T) {
	h := newHarness(t, sqlite(t), Options{})
	mine := h.file(h.customer, complaint.Draft{Subject: "s", Description: "d"})
	cust, agent := h.loggedIn(h.customer), h.loggedIn(h.agent)
	pages := map[string]*response{
		"login":        h.client().get("/login"),
		"my":           cust.get("/my"),
		"my/new":       cust.get("/my/new"),
		"my/case":      cust.get("/my/" + mine.Ref),
		"console":      agent.get("/console"),
		"console/case": agent.get("/console/" + mine.Ref),
		"404":          agent.get("/console/CP-2026-ZZZZZZZZ"),
	}
	idRe := regexp.MustCompile(`\sid="([^"]+)"`)
	forRe := regexp.MustCompile(`<label for="([^"]+)"`)
	controlRe := regexp.MustCompile(`<(input|select|textarea)\s[^>]*>`)
	for name, p := range pages {
		p.contains(`<a class="skip-link" href="#main">`, `<main id="main"`, "<header", "<footer", `lang="`)
		if n := strings.Count(p.body, "<h1"); n != 1 {
			t.Errorf("%s: %d h1 elements, want 1", name, n)
		}
		ids := map[string]int{}
		for _, m := range idRe.FindAllStringSubmatch(p.body, -1) {
			ids[m[1]]++
		}
		for id, n := range ids {
			if n > 1 {
				t.Errorf("%s: id %q used %d times", name, id, n)
			}
		}
		labelled := map[string]bool{}
		for _, m := range forRe.FindAllStringSubmatch(p.body, -1) {
			labelled[m[1]] = true
			if ids[m[1]] == 0 {
				t.Errorf("%s: label for missing control %q", name, m[1])
			}
		}
		for _, m := range controlRe.FindAllString(p.body, -1) {
			if strings.Contains(m, `type="hidden"`) {
				continue
			}
			id := regexp.MustCompile(`\sid="([^"]+)"`).FindStringSubmatch(m)
			if id == nil || !labelled[id[1]] {
				t.Errorf("%s: control without a label: %s", name, m)
			}
		}
		if strings.Contains(p.body, "<table") && !strings.Contains(p.body, `<th scope="col">`) {
			t.Errorf("%s: table without column headers", name)
		}
	}
}

func TestErrorPages(t *testing.T) {
	st := sqlite(t)
	d := desk.New(st)
	a := auth.New(st, auth.Options{})
	ui, err := New(d, a, Options{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	// A principal without a session, so that the page needs the store only
	// in the handler.
	as := func(p access.Principal) http.Handler {
		return withRequestID(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			ui.ServeHTTP(w, r.WithContext(auth.WithPrincipal(r.Context(), p)))
		}))
	}
	cust := access.Principal{UserID: 1, Name: "x", Role: complaint.RoleCustomer, CustomerID: "c"}
	st.Close()
	req := httptestRequest("GET", "/my", "req-abc-123")
	rec := serve(as(cust), req)
	if rec.code != http.StatusInternalServerError || !strings.Contains(rec.body, "req-abc-123") || !strings.Contains(rec.body, "Sorry, something went wrong") {
		t.Errorf("500 page: %d %s", rec.code, rec.body)
	}
	rec = serve(as(cust), httptestRequest("GET", "/static/style.css", ""))
	if rec.code != http.StatusOK || !strings.HasPrefix(rec.header.Get("Content-Type"), "text/css") {
		t.Errorf("style.css: %d %s", rec.code, rec.header.Get("Content-Type"))
	}
	rec = serve(as(cust), httptestRequest("GET", "/my", ""))
	if csp := rec.header.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") {
		t.Errorf("CSP = %q", csp)
	}
	if rec.header.Get("Cache-Control") != "no-store" {
		t.Errorf("pages must not be cached: %q", rec.header.Get("Cache-Control"))
	}
}

func TestLocalPath(t *testing.T) {
	for in, want := range map[string]string{
		"/my": "/my", "/my?x=1#y": "/my?x=1#y", "": "/", "//evil.example": "/", "/\\evil.example": "/",
		"https://evil.example/": "/", "my": "/", "/a\r\nSet-Cookie: x": "/",
	} {
		if got := localPath(in, "/"); got != want {
			t.Errorf("localPath(%q) = %q, want %q", in, got, want)
		}
	}
}
