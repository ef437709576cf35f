package auth

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redress-project/redress/internal/access"
	"github.com/redress-project/redress/internal/complaint"
	"github.com/redress-project/redress/internal/store"
	"github.com/redress-project/redress/internal/store/storetest"
)

const password = "correct horse battery staple"

// clock is a settable time source for Options.Now.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func newClock() *clock { return &clock{t: time.Now().UTC().Truncate(time.Second)} }

func agent(email string) access.User {
	return access.User{Email: email, Name: "Ann Agent", Role: complaint.RoleAgent, Team: "cards"}
}

func mustCreate(t *testing.T, a *Authenticator, u access.User) access.User {
	t.Helper()
	u, err := a.CreateUser(context.Background(), u, password)
	if err != nil {
		t.Fatalf("CreateUser: %v", err)
	}
	return u
}

// seen records what the handler behind Middleware saw.
type seen struct {
	called     bool
	principal  access.Principal
	ok         bool
	viaSession bool
	csrf       string
	csrfErr    error
}

// serve sends r through a.Middleware to a handler that records what it saw
// and runs CheckCSRF.
func serve(a *Authenticator, r *http.Request) (*httptest.ResponseRecorder, *seen) {
	var s seen
	h := a.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.called = true
		s.principal, s.ok = PrincipalFrom(r.Context())
		s.viaSession = ViaSession(r.Context())
		s.csrf = CSRFToken(r.Context())
		s.csrfErr = CheckCSRF(r)
	}))
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w, &s
}

func TestCreateUser(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		a := New(st, Options{})
		u, err := a.CreateUser(ctx, agent("  Ann@Example.com "), password)
		if err != nil {
			t.Fatal(err)
		}
		if u.ID == 0 || u.Email != "ann@example.com" || u.PasswordHash != "" {
			t.Errorf("created %+v; want an ID, the normalized email, no hash", u)
		}
		stored, err := st.UserByID(ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		if ok, err := VerifyPassword(stored.PasswordHash, password); !ok || err != nil {
			t.Errorf("stored hash %q does not verify: %v", stored.PasswordHash, err)
		}
		if _, err := a.CreateUser(ctx, agent("ANN@example.com"), password); !errors.Is(err, store.ErrEmailTaken) {
			t.Errorf("duplicate email: got %v, want store.ErrEmailTaken", err)
		}
		if _, err := a.CreateUser(ctx, agent("bob@example.com"), "short"); !errors.Is(err, ErrWeakPassword) {
			t.Errorf("short password: got %v, want ErrWeakPassword", err)
		}

		for _, tc := range []struct {
			field string
			edit  func(*access.User)
		}{
			{"email", func(u *access.User) { u.Email = "" }},
			{"email", func(u *access.User) { u.Email = "not an email" }},
			{"email", func(u *access.User) { u.Email = "Bob <bob@example.com>" }},
			{"name", func(u *access.User) { u.Name = "  " }},
			{"role", func(u *access.User) { u.Role = "wizard" }},
			{"role", func(u *access.User) { u.Role = complaint.RoleSystem }},
			{"customer_id", func(u *access.User) { u.Role = complaint.RoleCustomer }},
			{"merchant_id", func(u *access.User) { u.Role = complaint.RoleMerchant }},
		} {
			u := agent("carol@example.com")
			tc.edit(&u)
			_, err := a.CreateUser(ctx, u, password)
			var ve *complaint.ValidationError
			if !errors.As(err, &ve) || ve.Field != tc.field {
				t.Errorf("%+v: got %v, want a validation error on %s", u, err, tc.field)
			}
		}
	})
}

func TestBearerToken(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		a := New(st, Options{})
		u := mustCreate(t, a, agent("ann@example.com"))
		token, err := a.IssueToken(ctx, "ANN@example.com", "ci")
		if err != nil {
			t.Fatal(err)
		}

		r := httptest.NewRequest("POST", "/api/cases", nil)
		r.Header.Set("Authorization", "Bearer "+token)
		w, s := serve(a, r)
		if w.Code != 200 || !s.ok || s.principal.UserID != u.ID || s.principal.Role != complaint.RoleAgent || s.principal.Team != "cards" {
			t.Fatalf("status %d, principal %+v (%v); want user %d", w.Code, s.principal, s.ok, u.ID)
		}
		if s.viaSession || s.csrf != "" || s.csrfErr != nil {
			t.Errorf("bearer request: viaSession %v, csrf %q, CheckCSRF %v; want false, \"\", nil", s.viaSession, s.csrf, s.csrfErr)
		}

		if _, err := a.IssueToken(ctx, "nobody@example.com", "ci"); !errors.Is(err, complaint.ErrNotFound) {
			t.Errorf("token for unknown email: got %v, want ErrNotFound", err)
		}
	})
}

func TestBearerTokenRejected(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		a := New(st, Options{})
		mustCreate(t, a, agent("ann@example.com"))
		token, err := a.IssueToken(context.Background(), "ann@example.com", "ci")
		if err != nil {
			t.Fatal(err)
		}
		unknown, _ := NewToken()
		for name, header := range map[string]string{
			"unknown token":     "Bearer " + unknown,
			"not a token":       "Bearer hunter2",
			"no token":          "Bearer",
			"empty token":       "Bearer ",
			"two spaces":        "Bearer  " + token,
			"trailing garbage":  "Bearer " + token + " x",
			"basic auth":        "Basic YW5uOmh1bnRlcjI=",
			"token without tag": token,
		} {
			r := httptest.NewRequest("GET", "/api/cases", nil)
			r.Header.Set("Authorization", header)
			w, s := serve(a, r)
			if s.called {
				t.Errorf("%s: the handler was called", name)
			}
			if w.Code != http.StatusUnauthorized || !strings.HasPrefix(w.Header().Get("WWW-Authenticate"), "Bearer") {
				t.Errorf("%s: status %d, WWW-Authenticate %q; want 401, Bearer", name, w.Code, w.Header().Get("WWW-Authenticate"))
			}
			var body struct {
				Error struct{ Code, Message string }
			}
			if err := json.Unmarshal(w.Body.Bytes(), &body); err != nil || body.Error.Code != "invalid_token" || body.Error.Message == "" {
				t.Errorf("%s: body %s (%v); want error code invalid_token with a message", name, w.Body, err)
			}
		}
		// The scheme is case-insensitive (RFC 9110).
		r := httptest.NewRequest("GET", "/", nil)
		r.Header.Set("Authorization", "bearer "+token)
		if w, s := serve(a, r); w.Code != 200 || !s.ok {
			t.Errorf("lower-case scheme: status %d, principal %v", w.Code, s.ok)
		}
	})
}

func TestAnonymous(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		a := New(st, Options{})
		w, s := serve(a, httptest.NewRequest("POST", "/complaints", nil))
		if w.Code != 200 || !s.called || s.ok || s.viaSession || s.csrfErr != nil {
			t.Errorf("anonymous: status %d, %+v; want the handler called without a principal", w.Code, s)
		}
		// A bogus cookie is anonymous too, and cleared.
		r := httptest.NewRequest("GET", "/", nil)
		r.AddCookie(&http.Cookie{Name: CookieName, Value: "forged"})
		w, s = serve(a, r)
		if !s.called || s.ok || !cookieCleared(w) {
			t.Errorf("forged cookie: %+v, Set-Cookie %q; want anonymous and the cookie cleared", s, w.Header().Values("Set-Cookie"))
		}
	})
}

func sessionCookie(t *testing.T, w *httptest.ResponseRecorder) *http.Cookie {
	t.Helper()
	for _, c := range w.Result().Cookies() {
		if c.Name == CookieName {
			return c
		}
	}
	t.Fatalf("no %s cookie in %q", CookieName, w.Header().Values("Set-Cookie"))
	return nil
}

func cookieCleared(w *httptest.ResponseRecorder) bool {
	for _, c := range w.Result().Cookies() {
		if c.Name == CookieName && c.MaxAge < 0 && c.Value == "" {
			return true
		}
	}
	return false
}

func withCookie(method, target string, c *http.Cookie) *http.Request {
	r := httptest.NewRequest(method, target, nil)
	r.AddCookie(&http.Cookie{Name: c.Name, Value: c.Value})
	return r
}

func TestLoginSession(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		clk := newClock()
		a := New(st, Options{SessionTTL: time.Hour, SecureCookies: true, Now: clk.Now})
		u := mustCreate(t, a, agent("ann@example.com"))

		w := httptest.NewRecorder()
		p, err := a.Login(ctx, w, "Ann@Example.com", password)
		if err != nil {
			t.Fatal(err)
		}
		if p.UserID != u.ID || p.Email != "ann@example.com" {
			t.Errorf("principal %+v; want user %d", p, u.ID)
		}
		c := sessionCookie(t, w)
		if !c.HttpOnly || !c.Secure || c.SameSite != http.SameSiteLaxMode || c.Path != "/" || c.MaxAge != 3600 || len(c.Value) < 43 {
			t.Errorf("cookie %q: want HttpOnly, Secure, SameSite=Lax, Path=/, Max-Age=3600 and a long random value", w.Header().Get("Set-Cookie"))
		}

		w, s := serve(a, withCookie("GET", "/cases", c))
		if !s.ok || s.principal.UserID != u.ID || !s.viaSession || len(s.csrf) < 32 {
			t.Fatalf("with cookie: %+v; want user %d via session with a CSRF token", s, u.ID)
		}
		if len(w.Header().Values("Set-Cookie")) != 0 {
			t.Errorf("a valid session was answered with Set-Cookie %q", w.Header().Values("Set-Cookie"))
		}

		clk.Advance(time.Hour + time.Second)
		w, s = serve(a, withCookie("GET", "/cases", c))
		if !s.called || s.ok || s.viaSession || !cookieCleared(w) {
			t.Errorf("expired session: %+v, Set-Cookie %q; want anonymous and the cookie cleared", s, w.Header().Values("Set-Cookie"))
		}
	})
}

func TestInsecureCookies(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		a := New(st, Options{})
		mustCreate(t, a, agent("ann@example.com"))
		w := httptest.NewRecorder()
		if _, err := a.Login(context.Background(), w, "ann@example.com", password); err != nil {
			t.Fatal(err)
		}
		if c := sessionCookie(t, w); c.Secure || c.MaxAge != 12*3600 {
			t.Errorf("default options: Secure %v, Max-Age %d; want false, 43200", c.Secure, c.MaxAge)
		}
	})
}

func TestLogout(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		a := New(st, Options{})
		mustCreate(t, a, agent("ann@example.com"))
		w := httptest.NewRecorder()
		if _, err := a.Login(context.Background(), w, "ann@example.com", password); err != nil {
			t.Fatal(err)
		}
		c := sessionCookie(t, w)

		w = httptest.NewRecorder()
		if err := a.Logout(w, withCookie("POST", "/logout", c)); err != nil {
			t.Fatal(err)
		}
		if !cookieCleared(w) {
			t.Errorf("logout did not expire the cookie: %q", w.Header().Values("Set-Cookie"))
		}
		// The old cookie value no longer works, even if the browser keeps it.
		if _, s := serve(a, withCookie("GET", "/", c)); s.ok {
			t.Errorf("session still valid after logout: %+v", s.principal)
		}
		// Logging out without a session is fine.
		if err := a.Logout(httptest.NewRecorder(), httptest.NewRequest("POST", "/logout", nil)); err != nil {
			t.Errorf("logout without session: %v", err)
		}
	})
}

func TestLoginFailures(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		a := New(st, Options{})
		mustCreate(t, a, agent("ann@example.com"))
		var verified []string
		a.verify = func(encoded, pw string) (bool, error) {
			verified = append(verified, encoded)
			return VerifyPassword(encoded, pw)
		}

		w := httptest.NewRecorder()
		if _, err := a.Login(ctx, w, "ann@example.com", "wrong password"); !errors.Is(err, ErrBadCredentials) {
			t.Errorf("wrong password: got %v, want ErrBadCredentials", err)
		}
		if _, err := a.Login(ctx, w, "nobody@example.com", password); !errors.Is(err, ErrBadCredentials) {
			t.Errorf("unknown email: got %v, want ErrBadCredentials", err)
		}
		// Both ran one argon2 verification, so they take as long; the
		// unknown email one against the dummy hash.
		if len(verified) != 2 || verified[0] == dummyHash || verified[1] != dummyHash {
			t.Errorf("verified against %q; want the user's hash, then the dummy hash", verified)
		}
		if len(w.Header().Values("Set-Cookie")) != 0 {
			t.Errorf("failed logins set cookies: %q", w.Header().Values("Set-Cookie"))
		}
	})
}

func TestLoginRateLimit(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		clk := newClock()
		a := New(st, Options{Now: clk.Now})
		mustCreate(t, a, agent("ann@example.com"))
		mustCreate(t, a, agent("bob@example.com"))
		login := func(email, pw string) error {
			_, err := a.Login(ctx, httptest.NewRecorder(), email, pw)
			return err
		}

		// A success clears earlier failures.
		for range 4 {
			login("ann@example.com", "wrong password")
		}
		if err := login("ann@example.com", password); err != nil {
			t.Fatalf("login after 4 failures: %v", err)
		}
		for i := range 5 {
			if err := login("ann@example.com", "wrong password"); !errors.Is(err, ErrBadCredentials) {
				t.Fatalf("failure %d: got %v, want ErrBadCredentials", i+1, err)
			}
		}
		clk.Advance(14 * time.Minute)
		if err := login("ANN@example.com", password); !errors.Is(err, ErrTooManyAttempts) {
			t.Errorf("right password after 5 failures: got %v, want ErrTooManyAttempts", err)
		}
		if err := login("bob@example.com", password); err != nil {
			t.Errorf("another email is blocked too: %v", err)
		}
		// Unknown emails are limited alike, so the limit reveals nothing.
		for range 5 {
			login("nobody@example.com", "wrong password")
		}
		if err := login("nobody@example.com", password); !errors.Is(err, ErrTooManyAttempts) {
			t.Errorf("unknown email after 5 failures: got %v, want ErrTooManyAttempts", err)
		}
		clk.Advance(time.Minute)
		if err := login("ann@example.com", password); err != nil {
			t.Errorf("after the window: %v", err)
		}
	})
}

func TestLimiterCountsParallelAttempts(t *testing.T) {
	l := newLimiter(5, time.Minute)
	now := time.Now()
	var wg sync.WaitGroup
	var mu sync.Mutex
	allowed := 0
	for range 50 {
		wg.Go(func() {
			if l.begin("ann@example.com", now) {
				mu.Lock()
				allowed++
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if allowed != 5 {
		t.Errorf("%d of 50 parallel attempts allowed; want 5", allowed)
	}
	l.cancel("ann@example.com")
	if !l.begin("ann@example.com", now) || l.begin("ann@example.com", now) {
		t.Error("cancel did not give back exactly one attempt")
	}
	// Stale entries are swept.
	l.begin("bob@example.com", now)
	l.begin("carol@example.com", now.Add(2*time.Minute))
	if len(l.entries) != 1 {
		t.Errorf("%d entries after the window; want 1", len(l.entries))
	}
}

func TestCSRF(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		a := New(st, Options{})
		mustCreate(t, a, agent("ann@example.com"))
		w := httptest.NewRecorder()
		if _, err := a.Login(ctx, w, "ann@example.com", password); err != nil {
			t.Fatal(err)
		}
		c := sessionCookie(t, w)
		_, s := serve(a, withCookie("GET", "/", c))
		token := s.csrf
		if token == "" {
			t.Fatal("no CSRF token in a session")
		}

		form := func(v string) *http.Request {
			r := httptest.NewRequest("POST", "/cases", strings.NewReader(url.Values{"csrf_token": {v}, "body": {"hi"}}.Encode()))
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			r.AddCookie(&http.Cookie{Name: c.Name, Value: c.Value})
			return r
		}
		header := func(method, v string) *http.Request {
			r := withCookie(method, "/api/cases/1", c)
			r.Header.Set("X-CSRF-Token", v)
			return r
		}
		for name, tc := range map[string]struct {
			r    *http.Request
			want error
		}{
			"POST without token":       {withCookie("POST", "/cases", c), ErrCSRF},
			"POST with wrong field":    {form(token[:len(token)-1] + "x"), ErrCSRF},
			"POST with empty field":    {form(""), ErrCSRF},
			"POST with right field":    {form(token), nil},
			"PATCH with wrong header":  {header("PATCH", "nope"), ErrCSRF},
			"PATCH with right header":  {header("PATCH", token), nil},
			"DELETE with right header": {header("DELETE", token), nil},
			"PUT without token":        {withCookie("PUT", "/cases", c), ErrCSRF},
			"GET without token":        {withCookie("GET", "/cases", c), nil},
			"HEAD without token":       {withCookie("HEAD", "/cases", c), nil},
		} {
			_, s := serve(a, tc.r)
			if !s.ok || !errors.Is(s.csrfErr, tc.want) || (tc.want == nil) != (s.csrfErr == nil) {
				t.Errorf("%s: principal %v, CheckCSRF = %v; want %v", name, s.ok, s.csrfErr, tc.want)
			}
		}
		// Tokens differ between sessions.
		w = httptest.NewRecorder()
		a.Login(ctx, w, "ann@example.com", password)
		if _, s := serve(a, withCookie("GET", "/", sessionCookie(t, w))); s.csrf == token {
			t.Error("two sessions share a CSRF token")
		}
	})
}

func TestWithPrincipal(t *testing.T) {
	p := access.Principal{UserID: 7, Role: complaint.RoleSupervisor}
	ctx := WithPrincipal(context.Background(), p)
	if got, ok := PrincipalFrom(ctx); !ok || got != p {
		t.Errorf("PrincipalFrom = %+v, %v", got, ok)
	}
	if ViaSession(ctx) || CSRFToken(ctx) != "" {
		t.Error("WithPrincipal acts like a session")
	}
	if _, ok := PrincipalFrom(context.Background()); ok {
		t.Error("principal in an empty context")
	}
	r := httptest.NewRequest("POST", "/", nil).WithContext(ctx)
	if err := CheckCSRF(r); err != nil {
		t.Errorf("CheckCSRF without a session: %v", err)
	}
}

func TestDisabledUser(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		clk := newClock()
		a := New(st, Options{Now: clk.Now})
		u := agent("dan@example.com")
		u.Disabled = true
		u = mustCreate(t, a, u)

		if _, err := a.Login(ctx, httptest.NewRecorder(), "dan@example.com", password); !errors.Is(err, ErrBadCredentials) {
			t.Errorf("login: got %v, want ErrBadCredentials", err)
		}
		if _, err := a.IssueToken(ctx, "dan@example.com", "ci"); err == nil {
			t.Error("IssueToken gave a disabled user a token")
		}

		// A token and a session from before the user was disabled stop working.
		token, hash := NewToken()
		if err := st.CreateToken(ctx, u.ID, "old", hash); err != nil {
			t.Fatal(err)
		}
		r := httptest.NewRequest("GET", "/", nil)
		r.Header.Set("Authorization", "Bearer "+token)
		if w, s := serve(a, r); w.Code != http.StatusUnauthorized || s.called {
			t.Errorf("token of a disabled user: status %d, handler called %v; want 401", w.Code, s.called)
		}
		id := randomString()
		err := st.CreateSession(ctx, store.Session{IDHash: HashToken(id), UserID: u.ID, CSRFToken: "x",
			CreatedAt: clk.Now(), ExpiresAt: clk.Now().Add(time.Hour)})
		if err != nil {
			t.Fatal(err)
		}
		if w, s := serve(a, withCookie("GET", "/", &http.Cookie{Name: CookieName, Value: id})); s.ok || !cookieCleared(w) {
			t.Errorf("session of a disabled user: %+v; want anonymous and the cookie cleared", s)
		}
	})
}

func TestStoredHashProblems(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		a := New(st, Options{})
		// An account without a password cannot log in with any.
		if err := st.CreateUser(ctx, &access.User{Email: "sso@example.com", Name: "S", Role: complaint.RoleAgent}); err != nil {
			t.Fatal(err)
		}
		if _, err := a.Login(ctx, httptest.NewRecorder(), "sso@example.com", ""); !errors.Is(err, ErrBadCredentials) {
			t.Errorf("no password hash: got %v, want ErrBadCredentials", err)
		}
		// A corrupt hash is the operator's problem, not a wrong password.
		if err := st.CreateUser(ctx, &access.User{Email: "bad@example.com", Name: "B", Role: complaint.RoleAgent, PasswordHash: "$2a$10$abc"}); err != nil {
			t.Fatal(err)
		}
		if _, err := a.Login(ctx, httptest.NewRecorder(), "bad@example.com", password); err == nil || errors.Is(err, ErrBadCredentials) {
			t.Errorf("corrupt hash: got %v, want an internal error", err)
		}
	})
}

func TestStoreUnavailable(t *testing.T) {
	st := storetest.Open(t, "sqlite")
	a := New(st, Options{})
	mustCreate(t, a, agent("ann@example.com"))
	token, err := a.IssueToken(context.Background(), "ann@example.com", "ci")
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
	r := httptest.NewRequest("GET", "/", nil)
	r.Header.Set("Authorization", "Bearer "+token)
	if w, s := serve(a, r); w.Code != http.StatusInternalServerError || s.called || !strings.Contains(w.Body.String(), `"code":"internal"`) {
		t.Errorf("store closed: status %d, body %s; want 500 with code internal", w.Code, w.Body)
	}
	// A failed lookup is not a failed login: it must not count towards the limit.
	for range 10 {
		if _, err := a.Login(context.Background(), httptest.NewRecorder(), "ann@example.com", password); errors.Is(err, ErrTooManyAttempts) || err == nil {
			t.Fatalf("login with the store closed: got %v, want the store's error", err)
		}
	}
}
