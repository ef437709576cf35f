package web

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/redress-project/redress/internal/access"
	"github.com/redress-project/redress/internal/auth"
	"github.com/redress-project/redress/internal/complaint"
	"github.com/redress-project/redress/internal/desk"
	"github.com/redress-project/redress/internal/obs"
	"github.com/redress-project/redress/internal/store"
	"github.com/redress-project/redress/internal/store/storetest"
)

const testPassword = "correct horse battery"

// harness is a running web UI over a fresh store, with a few users.
type harness struct {
	t        testing.TB
	st       *store.Store
	desk     *desk.Desk
	auth     *auth.Authenticator
	srv      *httptest.Server
	customer access.User // customer cust-1
	other    access.User // customer cust-2
	agent    access.User
	merchant access.User // merchant m-100
	admin    access.User
}

func newHarness(t testing.TB, st *store.Store, opts Options, deskOpts ...desk.Option) *harness {
	t.Helper()
	h := &harness{t: t, st: st, desk: desk.New(st, deskOpts...)}
	h.auth = auth.New(st, auth.Options{SecureCookies: false})
	ui, err := New(h.desk, h.auth, opts)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	h.srv = httptest.NewServer(withRequestID(h.auth.Middleware(ui)))
	t.Cleanup(h.srv.Close)
	h.customer = h.user(access.User{Email: "li.na@example.com", Name: "李娜", Role: complaint.RoleCustomer, CustomerID: "cust-1"})
	h.other = h.user(access.User{Email: "wang.wei@example.com", Name: "王伟", Role: complaint.RoleCustomer, CustomerID: "cust-2"})
	h.agent = h.user(access.User{Email: "agent.zhang@example.com", Name: "张敏", Role: complaint.RoleAgent, Team: "general"})
	h.merchant = h.user(access.User{Email: "shop@example.com", Name: "好物商城", Role: complaint.RoleMerchant, MerchantID: "m-100"})
	h.admin = h.user(access.User{Email: "admin@example.com", Name: "Admin", Role: complaint.RoleAdmin})
	return h
}

// withRequestID stands in for the server's request-id middleware.
func withRequestID(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := r.Header.Get("X-Request-Id")
		if !obs.ValidRequestID(id) {
			id = obs.NewRequestID()
		}
		w.Header().Set("X-Request-Id", id)
		next.ServeHTTP(w, r.WithContext(obs.WithRequestID(r.Context(), id)))
	})
}

func (h *harness) user(u access.User) access.User {
	h.t.Helper()
	u, err := h.auth.CreateUser(context.Background(), u, testPassword)
	if err != nil {
		h.t.Fatalf("CreateUser %s: %v", u.Email, err)
	}
	return u
}

// file opens a case through the desk, as principal p.
func (h *harness) file(p access.User, d complaint.Draft) *complaint.Case {
	h.t.Helper()
	if d.Channel == "" {
		d.Channel = complaint.ChannelApp
	}
	c, _, err := h.desk.File(context.Background(), access.PrincipalOf(p), d, "")
	if err != nil {
		h.t.Fatalf("filing: %v", err)
	}
	return c
}

// client is a browser: it keeps cookies and does not follow redirects.
type client struct {
	h      *harness
	c      *http.Client
	header http.Header // sent with every request
}

func (h *harness) client() *client {
	jar, _ := cookiejar.New(nil)
	return &client{h: h, header: http.Header{"Accept-Language": {"en"}}, c: &http.Client{
		Jar:           jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

// loggedIn returns a client with a session of u.
func (h *harness) loggedIn(u access.User) *client {
	h.t.Helper()
	c := h.client()
	c.get("/login").want(http.StatusOK)
	res := c.post("/login", url.Values{"email": {u.Email}, "password": {testPassword}})
	if res.code != http.StatusSeeOther {
		h.t.Fatalf("login of %s: status %d: %s", u.Email, res.code, res.body)
	}
	return c
}

type response struct {
	t      testing.TB
	code   int
	body   string
	header http.Header
	path   string
}

func (r *response) want(code int) *response {
	r.t.Helper()
	if r.code != code {
		r.t.Fatalf("%s: status %d, want %d; body:\n%s", r.path, r.code, code, r.body)
	}
	return r
}

func (r *response) location() string { return r.header.Get("Location") }

func (r *response) contains(subs ...string) *response {
	r.t.Helper()
	for _, s := range subs {
		if !strings.Contains(r.body, s) {
			r.t.Errorf("%s: page does not contain %q", r.path, s)
		}
	}
	return r
}

func (r *response) lacks(subs ...string) *response {
	r.t.Helper()
	for _, s := range subs {
		if strings.Contains(r.body, s) {
			r.t.Errorf("%s: page contains %q but must not", r.path, s)
		}
	}
	return r
}

func (c *client) do(req *http.Request) *response {
	c.h.t.Helper()
	for k, v := range c.header {
		if req.Header.Get(k) == "" {
			req.Header[k] = v
		}
	}
	res, err := c.c.Do(req)
	if err != nil {
		c.h.t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return &response{t: c.h.t, code: res.StatusCode, body: string(b), header: res.Header, path: req.Method + " " + req.URL.RequestURI()}
}

func (c *client) get(path string) *response {
	c.h.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, c.h.srv.URL+path, nil)
	return c.do(req)
}

// follow GETs the redirect target of res.
func (c *client) follow(res *response) *response {
	c.h.t.Helper()
	res.want(http.StatusSeeOther)
	return c.get(res.location())
}

var csrfField = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)

// token returns the CSRF token that a page of this client carries.
func (c *client) token() string {
	c.h.t.Helper()
	page := c.get("/login")
	if page.code == http.StatusSeeOther { // logged in: any page has it
		page = c.get(page.location())
	}
	m := csrfField.FindStringSubmatch(page.body)
	if m == nil {
		c.h.t.Fatalf("no CSRF token on %s", page.path)
	}
	return m[1]
}

// post submits a form with the client's CSRF token added.
func (c *client) post(path string, form url.Values) *response {
	c.h.t.Helper()
	if _, set := form["csrf_token"]; !set {
		form.Set("csrf_token", c.token())
	}
	return c.postRaw(path, form)
}

// postRaw submits a form as it is.
func (c *client) postRaw(path string, form url.Values) *response {
	c.h.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, c.h.srv.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return c.do(req)
}

func sqlite(t *testing.T) *store.Store { return storetest.Open(t, "sqlite") }

func httptestRequest(method, path, requestID string) *http.Request {
	r := httptest.NewRequest(method, path, nil)
	r.Header.Set("Accept-Language", "en")
	if requestID != "" {
		r.Header.Set("X-Request-Id", requestID)
	}
	return r
}

func serve(h http.Handler, r *http.Request) *response {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, r)
	return &response{code: rec.Code, body: rec.Body.String(), header: rec.Header(), path: r.URL.Path}
}
