package web

import (
	"context"
	"log/slog"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/redress-project/redress/internal/access"
	"github.com/redress-project/redress/internal/auth"
	"github.com/redress-project/redress/internal/complaint"
	"github.com/redress-project/redress/internal/desk"
	"github.com/redress-project/redress/internal/outbox"
	"github.com/redress-project/redress/internal/store/storetest"
	"github.com/redress-project/redress/internal/taxonomy"
	"github.com/redress-project/redress/internal/triage"
)

// chromiumPath is Debian's Chromium. The test never downloads a browser.
const chromiumPath = "/usr/bin/chromium"

// TestBrowser drives the real UI in headless Chromium: a customer files a
// complaint in Chinese with a transaction, an agent finds it in the queue,
// replies in Chinese and moves it to in progress, and the customer sees
// both in the public history. It saves a screenshot of every step in the
// test output directory (REDRESS_TEST_OUTPUT, default <repo>/test-output).
func TestBrowser(t *testing.T) {
	if _, err := exec.LookPath(chromiumPath); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("Chromium is required in CI but %s is missing: install Debian's chromium package", chromiumPath)
		}
		t.Skipf("skipping the browser test: %s not found (apt-get install chromium fonts-wqy-microhei)", chromiumPath)
	}
	if testing.Short() {
		t.Skip("skipping the browser test in -short mode")
	}
	shots := screenshotDir(t)

	st := storetest.Open(t, "sqlite")
	d := desk.New(st)
	a := auth.New(st, auth.Options{SecureCookies: false})
	ui, err := New(d, a, Options{})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(withRequestID(a.Middleware(ui)))
	defer srv.Close()
	ctx := context.Background()
	customer, err := a.CreateUser(ctx, access.User{Email: "chen.jing@example.com", Name: "陈静", Role: complaint.RoleCustomer, CustomerID: "cust-8801"}, testPassword)
	if err != nil {
		t.Fatal(err)
	}
	agent, err := a.CreateUser(ctx, access.User{Email: "liu.yang@example.com", Name: "刘洋", Role: complaint.RoleAgent, Team: "general"}, testPassword)
	if err != nil {
		t.Fatal(err)
	}

	ctx, cancel := context.WithTimeout(ctx, 90*time.Second)
	defer cancel()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromiumPath),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-domain-reliability", true),
		chromedp.Flag("no-pings", true),
		chromedp.Flag("lang", "en-US"), // starts in English; the customer switches
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
		chromedp.Env("TZ=Asia/Shanghai"),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	defer cancelAlloc()
	browserCtx, cancelBrowser := chromedp.NewContext(allocCtx)
	defer cancelBrowser()
	if err := chromedp.Do(browserCtx, chromedp.Navigate("about:blank")); err != nil {
		t.Fatalf("starting Chromium: %v", err)
	}
	// Two isolated browser contexts: two people, two cookie jars.
	custCtx, cancelCust := chromedp.NewContext(browserCtx, chromedp.WithNewBrowserContext())
	defer cancelCust()
	agentCtx, cancelAgent := chromedp.NewContext(browserCtx, chromedp.WithNewBrowserContext())
	defer cancelAgent()

	b := &browser{t: t, shots: shots, base: srv.URL}

	// 1. The customer signs in and switches to Simplified Chinese.
	b.do(custCtx, "open the site", chromedp.Navigate(srv.URL+"/"), chromedp.WaitVisible(chromedp.ID("email")))
	b.shot(custCtx, "01-login")
	if b.eval(custCtx, "document.documentElement.lang") != "zh-Hans" {
		b.navigate(custCtx, "switch to 简体中文", chromedp.Click(chromedp.CSS(`button[name="lang"][value="zh-CN"]`)))
	}
	if lang := b.eval(custCtx, "document.documentElement.lang"); lang != "zh-Hans" {
		t.Fatalf("html lang = %q after choosing 简体中文", lang)
	}
	b.shot(custCtx, "02-login-zh")
	b.do(custCtx, "type credentials",
		chromedp.SendKeys(chromedp.ID("email"), customer.Email),
		chromedp.SendKeys(chromedp.ID("password"), testPassword))
	b.navigate(custCtx, "sign in", chromedp.Click(chromedp.CSS(`form[action="/login"] button[type="submit"]`)))
	b.expectPath(custCtx, "/my")
	b.expectText(custCtx, "我的投诉", "提交新投诉")
	b.shot(custCtx, "03-my-empty")

	// 2. The customer files a complaint in Chinese, with the transaction.
	b.navigate(custCtx, "open the form", chromedp.Click(chromedp.CSS(`main a[href="/my/new"]`)))
	// Sending it half-filled shows what is missing, next to each field,
	// keeps what was typed, and moves the focus to the list of problems.
	b.do(custCtx, "half-fill the form", chromedp.SendKeys(chromedp.ID("txn_amount"), "128,5"))
	if code := b.submit(custCtx, "submit half-filled", chromedp.Click(chromedp.CSS(`form[action="/my/new"] button[type="submit"]`))); code != 422 {
		t.Errorf("a half-filled form answers %d, want 422", code)
	}
	b.expectText(custCtx, "请检查以下问题", "请选择投诉类型。", "请填写投诉标题。", "请描述事情经过。", "请以数字填写金额，例如 128.50。")
	if focus := b.eval(custCtx, "document.activeElement.id"); focus != "error-summary" {
		t.Errorf("after a failed submit the focus is on %q, want the error summary", focus)
	}
	if v := b.eval(custCtx, `document.getElementById("txn_amount").value`); v != "128,5" {
		t.Errorf("the amount typed was not kept: %q", v)
	}
	b.shot(custCtx, "04a-validation-errors")
	b.do(custCtx, "clear the amount", chromedp.Clear(chromedp.ID("txn_amount")))
	paid := time.Now().In(shanghai(t)).Add(-72 * time.Hour).Format("2006-01-02T15:04")
	b.do(custCtx, "fill in the form",
		chromedp.SetValue(chromedp.ID("category"), "refund"),
		chromedp.SendKeys(chromedp.ID("subject"), "退款一直没有到账"),
		chromedp.SendKeys(chromedp.ID("description"), "3天前在好物商城退货，商家已确认收货并同意退款，但退款一直没有到账，余额和银行卡都没有收到。请帮忙查询退款进度。"),
		chromedp.SendKeys(chromedp.ID("txn_id"), "2026031522001488"),
		chromedp.SetValue(chromedp.ID("txn_time"), paid),
		chromedp.SendKeys(chromedp.ID("txn_amount"), "128.50"),
		chromedp.SendKeys(chromedp.ID("txn_counterparty"), "好物商城旗舰店"),
		chromedp.SendKeys(chromedp.ID("phone"), "138 0013 8000"),
	)
	if cur := b.eval(custCtx, `document.getElementById("txn_currency").value`); cur != "CNY" {
		t.Errorf("the currency defaults to %q, want CNY", cur)
	}
	b.shot(custCtx, "04-new-complaint-filled")
	b.navigate(custCtx, "submit", chromedp.Click(chromedp.CSS(`form[action="/my/new"] button[type="submit"]`)))
	ref := b.eval(custCtx, `(document.querySelector("[data-ref]") || {}).textContent || ""`)
	if !complaint.ValidRef(ref) {
		t.Fatalf("no reference shown after filing; page says:\n%s", b.eval(custCtx, "document.body.innerText"))
	}
	b.expectPath(custCtx, "/my/"+ref)
	b.expectText(custCtx, "我们已收到您的投诉", "我们将在24小时内回复您", "CNY 128.50", "好物商城旗舰店", "新提交")
	b.shot(custCtx, "05-complaint-filed")

	// Triage assesses it, as the server's outbox dispatcher would.
	th, err := triage.New(d, taxonomy.Default(), starterModel(), triage.Options{ModelName: "starter", Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := outbox.New(st, slog.New(slog.DiscardHandler), th).RunOnce(ctx); err != nil {
		t.Fatal(err)
	}

	// 3. The agent signs in, finds the case in the queue and opens it.
	b.do(agentCtx, "open the login page", chromedp.Navigate(srv.URL+"/login"), chromedp.WaitVisible(chromedp.ID("email")),
		chromedp.SendKeys(chromedp.ID("email"), agent.Email), chromedp.SendKeys(chromedp.ID("password"), testPassword))
	b.navigate(agentCtx, "agent signs in", chromedp.Click(chromedp.CSS(`form[action="/login"] button[type="submit"]`)))
	b.expectPath(agentCtx, "/console")
	b.do(agentCtx, "find the case", chromedp.WaitVisible(chromedp.CSS(`a[href="/console/`+ref+`"]`)))
	b.expectText(agentCtx, "退款一直没有到账", "陈静")
	b.shot(agentCtx, "06-agent-queue")
	b.navigate(agentCtx, "open the case", chromedp.Click(chromedp.CSS(`a[href="/console/`+ref+`"]`)))
	// The customer's phone is masked until the agent asks to see it, which
	// the history records.
	b.expectText(agentCtx, "CNY 128.50", "2026031522001488", "好物商城旗舰店", "138 **** 8000", "What redress understood",
		"Refund (", "Simplified Chinese", "Severity Medium")
	b.shot(agentCtx, "07-agent-case")
	b.navigate(agentCtx, "show the phone number",
		chromedp.Click(chromedp.CSS(`form[action$="/reveal"] input[value="customer.phone"] ~ button`)))
	b.expectText(agentCtx, "138 0013 8000", "viewed the full phone number")
	b.shot(agentCtx, "07b-agent-revealed-phone")

	// 4. The agent replies in Chinese, then moves the case to in progress.
	const reply = "陈女士您好，我们已联系商户核实退款进度，退款将在3个工作日内原路退回。如有疑问请随时留言。"
	b.do(agentCtx, "write the reply", chromedp.SendKeys(chromedp.ID("body"), reply))
	b.navigate(agentCtx, "send the reply", chromedp.Click(chromedp.CSS(`form[action$="/reply"] button[type="submit"]`)))
	b.expectText(agentCtx, "Your message has been sent.", reply)
	b.navigate(agentCtx, "move to in progress", chromedp.Click(chromedp.CSS(`button[name="to"][value="in_progress"]`)))
	b.expectText(agentCtx, "Status updated.", "Status changed to In progress")
	b.shot(agentCtx, "08-agent-replied")

	// 5. The customer reloads and sees the reply and the new status.
	b.navigate(custCtx, "reload", chromedp.Reload())
	b.expectText(custCtx, reply, "客服 刘洋", "状态变更为“处理中”", "我们正在处理您的投诉。")
	if status := b.eval(custCtx, `document.querySelector(".status-panel .badge").textContent`); status != "处理中" {
		t.Errorf("the status panel says %q, want 处理中", status)
	}
	b.shot(custCtx, "09-customer-sees-reply")

	// 6. The same page on a 360-pixel-wide phone, in large text.
	b.navigate(custCtx, "large text", chromedp.Click(chromedp.CSS(`button[name="font"]`)))
	if cls := b.eval(custCtx, "document.documentElement.className"); cls != "font-large" {
		t.Errorf("html class = %q after choosing larger text", cls)
	}
	b.do(custCtx, "phone size", chromedp.EmulateViewport(360, 780))
	if w := b.eval(custCtx, "String(document.documentElement.scrollWidth)"); w != "360" {
		t.Errorf("the page is %s pixels wide on a 360-pixel screen: it scrolls sideways", w)
	}
	b.shot(custCtx, "10-customer-phone-large-text")
}

// browser runs steps and takes screenshots, failing the test on errors.
type browser struct {
	t     *testing.T
	shots string
	base  string
	n     int
}

func (b *browser) do(ctx context.Context, what string, steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	if err := chromedp.Do(ctx, steps...); err != nil {
		b.t.Fatalf("%s: %v", what, err)
	}
}

// navigate runs steps that load a new page and waits for it.
func (b *browser) navigate(ctx context.Context, what string, steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	res, err := chromedp.RunResponse(ctx, steps...)
	if err != nil {
		b.t.Fatalf("%s: %v", what, err)
	}
	if res.Status >= 400 {
		b.t.Fatalf("%s: HTTP %d at %s:\n%s", what, res.Status, res.URL, b.eval(ctx, "document.body.innerText"))
	}
}

// submit runs steps that post a form and returns the status of the answer.
func (b *browser) submit(ctx context.Context, what string, steps ...chromedp.Action[chromedp.Void]) int64 {
	b.t.Helper()
	res, err := chromedp.RunResponse(ctx, steps...)
	if err != nil {
		b.t.Fatalf("%s: %v", what, err)
	}
	return res.Status
}

func (b *browser) eval(ctx context.Context, js string) string {
	b.t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[string](js))
	if err != nil {
		b.t.Fatalf("evaluating %s: %v", js, err)
	}
	return v
}

func (b *browser) expectPath(ctx context.Context, path string) {
	b.t.Helper()
	if got := strings.TrimPrefix(b.eval(ctx, "location.href"), b.base); got != path {
		b.t.Fatalf("at %s, want %s", got, path)
	}
}

func (b *browser) expectText(ctx context.Context, texts ...string) {
	b.t.Helper()
	body := b.eval(ctx, "document.body.innerText")
	for _, s := range texts {
		if !strings.Contains(body, s) {
			b.t.Errorf("the page does not say %q; it says:\n%s", s, body)
		}
	}
}

// shot saves a full-page PNG screenshot.
func (b *browser) shot(ctx context.Context, name string) {
	b.t.Helper()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		b.t.Fatalf("screenshot %s: %v", name, err)
	}
	path := filepath.Join(b.shots, name+".png")
	if err := os.WriteFile(path, png, 0o644); err != nil {
		b.t.Fatal(err)
	}
	b.t.Logf("screenshot: %s", path)
}

// screenshotDir is REDRESS_TEST_OUTPUT (or <repo>/test-output) + /browser.
func screenshotDir(t *testing.T) string {
	t.Helper()
	out := os.Getenv("REDRESS_TEST_OUTPUT")
	if out == "" {
		dir, err := os.Getwd()
		if err != nil {
			t.Fatal(err)
		}
		for {
			if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
				break
			}
			parent := filepath.Dir(dir)
			if parent == dir {
				t.Fatal("cannot find the repository root (go.mod) for test-output")
			}
			dir = parent
		}
		out = filepath.Join(dir, "test-output")
	}
	out = filepath.Join(out, "browser")
	if err := os.MkdirAll(out, 0o755); err != nil {
		t.Fatal(err)
	}
	return out
}

func shanghai(t *testing.T) *time.Location {
	tz, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	return tz
}
