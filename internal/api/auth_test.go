package api

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/redress-project/redress/internal/access"
	"github.com/redress-project/redress/internal/auth"
	"github.com/redress-project/redress/internal/complaint"
)

// TestBearerAndSession runs requests through the real authentication
// middleware: API tokens, a bad token, no credentials, and a browser
// session that must send its CSRF token on POST.
func TestBearerAndSession(t *testing.T) {
	each(t, func(t *testing.T, h *harness) {
		ctx := context.Background()
		a := auth.New(h.st, auth.Options{})
		const password = "correct horse battery staple"
		if _, err := a.CreateUser(ctx, access.User{Email: "li.wei@example.com", Name: "Li Wei",
			Role: complaint.RoleCustomer, CustomerID: "cust-A"}, password); err != nil {
			t.Fatal(err)
		}
		if _, err := a.CreateUser(ctx, access.User{Email: "wang.fang@example.com", Name: "Wang Fang",
			Role: complaint.RoleAgent, Team: "payments"}, password); err != nil {
			t.Fatal(err)
		}
		customerToken, err := a.IssueToken(ctx, "li.wei@example.com", "test")
		if err != nil {
			t.Fatal(err)
		}
		agentToken, err := a.IssueToken(ctx, "wang.fang@example.com", "test")
		if err != nil {
			t.Fatal(err)
		}
		// The CSRF token of a session is what the web page would embed.
		var csrf string
		handler := a.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if t := auth.CSRFToken(r.Context()); t != "" {
				csrf = t
			}
			h.h.ServeHTTP(w, r)
		}))
		serve := func(method, path string, body any, headers ...string) *httptest.ResponseRecorder {
			rq := req(nil, method, path, body, headers...)
			rec := httptest.NewRecorder()
			handler.ServeHTTP(rec, rq)
			return rec
		}

		rec := serve("POST", "/api/v1/complaints", draft(), "Authorization", "Bearer "+customerToken)
		c := must[CaseView](t, rec, http.StatusCreated)
		if c.Customer.ID != "cust-A" {
			t.Errorf("customer %+v", c.Customer)
		}
		me := must[PrincipalView](t, serve("GET", "/api/v1/me", nil, "Authorization", "Bearer "+customerToken), http.StatusOK)
		if me.Role != complaint.RoleCustomer || me.Email != "li.wei@example.com" || me.ID == 0 {
			t.Errorf("me %+v", me)
		}
		ch := must[ChangeView](t, serve("POST", path("/complaints/%s/messages", c.Ref), map[string]any{"body": "On it."},
			"Authorization", "Bearer "+agentToken), http.StatusOK)
		if ch.Case.Status != complaint.StatusAcknowledged || ch.Events[0].Actor.Name != "Wang Fang" {
			t.Errorf("agent reply %+v", ch)
		}

		before := h.snapshot(c.Ref)
		// A wrong token is refused by the middleware, in the same error shape.
		for _, header := range []string{"Bearer not-a-token", "Bearer " + customerToken + "x", "Basic bGk6d2Vp"} {
			rec := serve("POST", "/api/v1/complaints", draft(), "Authorization", header)
			var body struct{ Error Error }
			if rec.Code != http.StatusUnauthorized || json.Unmarshal(rec.Body.Bytes(), &body) != nil || body.Error.Code == "" {
				t.Errorf("Authorization %q: %d %s", header, rec.Code, rec.Body)
			}
		}
		wantError(t, serve("POST", "/api/v1/complaints", draft()), 401, CodeUnauthenticated, "")
		wantError(t, serve("GET", path("/complaints/%s", c.Ref), nil), 401, CodeUnauthenticated, "")
		// The document needs no credentials.
		if rec := serve("GET", "/api/v1/openapi.json", nil); rec.Code != http.StatusOK {
			t.Errorf("openapi.json: %d", rec.Code)
		}

		// A browser session: reads need no CSRF token, writes do.
		login := httptest.NewRecorder()
		if _, err := a.Login(ctx, login, "li.wei@example.com", password); err != nil {
			t.Fatal(err)
		}
		cookies := login.Result().Cookies()
		if len(cookies) == 0 {
			t.Fatal("no session cookie")
		}
		cookie := cookies[0].Name + "=" + cookies[0].Value
		must[CaseView](t, serve("GET", path("/complaints/%s", c.Ref), nil, "Cookie", cookie), http.StatusOK)
		if csrf == "" {
			t.Fatal("the session has no CSRF token")
		}
		msg := map[string]any{"body": "Any news?"}
		wantError(t, serve("POST", path("/complaints/%s/messages", c.Ref), msg, "Cookie", cookie), 403, CodeCSRFFailed, "")
		wantError(t, serve("POST", path("/complaints/%s/messages", c.Ref), msg, "Cookie", cookie, "X-CSRF-Token", csrf+"x"), 403, CodeCSRFFailed, "")
		wantError(t, serve("POST", "/api/v1/complaints", draft(), "Cookie", cookie), 403, CodeCSRFFailed, "")
		h.unchanged(before, c.Ref)
		must[ChangeView](t, serve("POST", path("/complaints/%s/messages", c.Ref), msg, "Cookie", cookie, "X-CSRF-Token", csrf), http.StatusOK)
	})
}
