package api

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redress-project/redress/internal/access"
	"github.com/redress-project/redress/internal/auth"
	"github.com/redress-project/redress/internal/complaint"
	"github.com/redress-project/redress/internal/desk"
	"github.com/redress-project/redress/internal/store"
	"github.com/redress-project/redress/internal/store/storetest"
)

// The people of the tests. Each harness registers them as users of its
// fresh store and adopts the ids the store gives them (tests in this
// package do not run in parallel, so rewriting the ids is safe).
var (
	custA = access.Principal{UserID: 101, Name: "Li Wei", Email: "li.wei@example.com",
		Role: complaint.RoleCustomer, CustomerID: "cust-A"}
	custB = access.Principal{UserID: 102, Name: "Zhang Min", Email: "zhang.min@example.com",
		Role: complaint.RoleCustomer, CustomerID: "cust-B"}
	agent      = access.Principal{UserID: 201, Name: "Wang Fang", Role: complaint.RoleAgent, Team: "payments"}
	agent2     = access.Principal{UserID: 202, Name: "Chen Jie", Role: complaint.RoleAgent, Team: "payments"}
	supervisor = access.Principal{UserID: 203, Name: "Zhao Lei", Role: complaint.RoleSupervisor, Team: "payments"}
	auditor    = access.Principal{UserID: 204, Name: "Sun Li", Role: complaint.RoleAuditor}
	merchM     = access.Principal{UserID: 301, Name: "Shop M", Role: complaint.RoleMerchant, MerchantID: "m-1"}
	merchN     = access.Principal{UserID: 302, Name: "Shop N", Role: complaint.RoleMerchant, MerchantID: "m-2"}
)

// start is the desk clock's first reading; every reading advances it by a
// minute, so cases have distinct, known creation times.
var start = time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)

type harness struct {
	t     *testing.T
	st    *store.Store
	desk  *desk.Desk
	h     http.Handler
	ticks atomic.Int64
}

func newHarness(t *testing.T, st *store.Store) *harness {
	h := &harness{t: t, st: st}
	h.desk = desk.New(st, desk.WithClock(func() time.Time {
		return start.Add(time.Duration(h.ticks.Add(1)) * time.Minute)
	}))
	h.h = New(h.desk, Options{Logger: slog.New(slog.DiscardHandler)})
	registerPeople(t, st)
	return h
}

func registerPeople(t *testing.T, st *store.Store) {
	t.Helper()
	for i, p := range []*access.Principal{&custA, &custB, &agent, &agent2, &supervisor, &auditor, &merchM, &merchN} {
		u := access.User{Email: fmt.Sprintf("person%d@example.com", i), Name: p.Name, Role: p.Role,
			CustomerID: p.CustomerID, MerchantID: p.MerchantID, Team: p.Team}
		if err := st.CreateUser(context.Background(), &u); err != nil {
			t.Fatalf("registering %s: %v", p.Name, err)
		}
		p.UserID = u.ID
	}
}

// each runs fn on a fresh harness over each backend.
func each(t *testing.T, fn func(t *testing.T, h *harness)) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		fn(t, newHarness(t, st))
	})
}

// req builds a request as p (nil: anonymous). body is sent as it is when
// it is a string or []byte and encoded as JSON otherwise; bodies are sent
// as application/json unless headers (name, value pairs) say otherwise.
func req(p *access.Principal, method, path string, body any, headers ...string) *http.Request {
	var r io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		r = strings.NewReader(b)
	case []byte:
		r = bytes.NewReader(b)
	default:
		enc, err := json.Marshal(b)
		if err != nil {
			panic(err)
		}
		r = bytes.NewReader(enc)
	}
	rq := httptest.NewRequest(method, path, r)
	if body != nil {
		rq.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(headers); i += 2 {
		rq.Header.Set(headers[i], headers[i+1])
	}
	if p != nil {
		rq = rq.WithContext(auth.WithPrincipal(rq.Context(), *p))
	}
	return rq
}

// do serves a request as p and returns the response.
func (h *harness) do(p *access.Principal, method, path string, body any, headers ...string) *httptest.ResponseRecorder {
	h.t.Helper()
	rec := httptest.NewRecorder()
	h.h.ServeHTTP(rec, req(p, method, path, body, headers...))
	if ct := rec.Header().Get("Content-Type"); method != http.MethodHead && ct != "application/json; charset=utf-8" {
		h.t.Errorf("%s %s: Content-Type %q", method, path, ct)
	}
	return rec
}

// must checks the status of rec and decodes its body into a T.
func must[T any](t *testing.T, rec *httptest.ResponseRecorder, status int) T {
	t.Helper()
	var v T
	if rec.Code != status {
		t.Fatalf("status %d, want %d; body: %s", rec.Code, status, rec.Body)
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &v); err != nil {
		t.Fatalf("decoding %T from %s: %v", v, rec.Body, err)
	}
	return v
}

// wantError checks that rec is the error status/code, naming field.
func wantError(t *testing.T, rec *httptest.ResponseRecorder, status int, code, field string) Error {
	t.Helper()
	var body struct {
		Error *Error `json:"error"`
	}
	dec := json.NewDecoder(bytes.NewReader(rec.Body.Bytes()))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&body); err != nil || body.Error == nil {
		t.Fatalf("status %d: body is not an error: %s (%v)", rec.Code, rec.Body, err)
	}
	e := *body.Error
	if rec.Code != status || e.Code != code || e.Field != field {
		t.Fatalf("got %d %s field %q (%s), want %d %s field %q", rec.Code, e.Code, e.Field, e.Message, status, code, field)
	}
	if e.Message == "" {
		t.Errorf("error %s has no message", code)
	}
	if ct := rec.Header().Get("Content-Type"); ct != "application/json; charset=utf-8" {
		t.Errorf("error Content-Type %q", ct)
	}
	return e
}

// draft returns a valid complaint body, as a map so tests can break it.
func draft() map[string]any {
	return map[string]any{
		"customer":    map[string]any{"name": "Li Wei", "email": "li.wei@example.com"},
		"channel":     "app",
		"subject":     "Refund not received / 退款未到账",
		"description": "I returned the item on 1 March and the refund has not arrived.",
		"merchant_id": "m-1",
		"transactions": []any{map[string]any{
			"id": "T-1001", "time": "2026-02-27T10:15:00+08:00",
			"amount": map[string]any{"minor": 12345, "currency": "CNY"},
		}},
	}
}

// file files a complaint as p and returns its view.
func (h *harness) file(p access.Principal, body any) CaseView {
	h.t.Helper()
	return must[CaseView](h.t, h.do(&p, "POST", "/api/v1/complaints", body), http.StatusCreated)
}

// fileCustomer files a complaint by a customer of id customerID, on their
// behalf, by an agent (so tests can make cases of any shape).
func (h *harness) fileFor(customerID string, mutate func(d map[string]any)) CaseView {
	h.t.Helper()
	d := draft()
	d["customer"].(map[string]any)["id"] = customerID
	if mutate != nil {
		mutate(d)
	}
	return h.file(agent, d)
}

// state is what a rejected request must leave unchanged.
type state struct {
	cases   int
	events  int
	version int64
}

// snapshot counts all cases and, when ref is given, its events and version.
func (h *harness) snapshot(ref string) state {
	h.t.Helper()
	ctx := auth.WithPrincipal(context.Background(), supervisor)
	var s state
	page, err := h.desk.List(ctx, supervisor, store.CaseFilter{Limit: store.MaxLimit})
	if err != nil {
		h.t.Fatal(err)
	}
	s.cases = len(page.Cases)
	if ref != "" {
		events, err := h.desk.Timeline(ctx, supervisor, ref)
		if err != nil {
			h.t.Fatal(err)
		}
		c, err := h.desk.Get(ctx, supervisor, ref)
		if err != nil {
			h.t.Fatal(err)
		}
		s.events, s.version = len(events), c.Version
	}
	return s
}

func (h *harness) unchanged(before state, ref string) {
	h.t.Helper()
	if after := h.snapshot(ref); after != before {
		h.t.Fatalf("a rejected request changed something: before %+v, after %+v", before, after)
	}
}

func kinds(events []EventView) string {
	var ks []string
	for _, e := range events {
		ks = append(ks, string(e.Kind))
	}
	return strings.Join(ks, ",")
}

func path(format string, a ...any) string { return fmt.Sprintf("/api/v1"+format, a...) }
