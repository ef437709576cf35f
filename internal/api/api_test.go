package api

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redress-project/redress/internal/access"
	"github.com/redress-project/redress/internal/complaint"
)

func TestFileAndGet(t *testing.T) {
	each(t, func(t *testing.T, h *harness) {
		d := draft()
		d["customer"].(map[string]any)["id"] = "someone-else" // a customer files for themself only
		d["priority"] = "p2"
		rec := h.do(&custA, "POST", "/api/v1/complaints", d)
		c := must[CaseView](t, rec, http.StatusCreated)
		if !complaint.ValidRef(c.Ref) {
			t.Fatalf("ref %q", c.Ref)
		}
		if loc := rec.Header().Get("Location"); loc != "/api/v1/complaints/"+c.Ref {
			t.Errorf("Location %q", loc)
		}
		if rec.Header().Get("Idempotent-Replayed") != "" {
			t.Error("a first request is not a replay")
		}
		if c.Status != complaint.StatusNew || c.Customer.ID != "cust-A" || c.Channel != "app" || c.Team != complaint.DefaultTeam {
			t.Errorf("case %+v", c)
		}
		if c.Severity != "" || c.Priority != "" {
			t.Errorf("a customer sees triage: severity %q priority %q", c.Severity, c.Priority)
		}
		if len(c.Transactions) != 1 || c.Transactions[0].Amount != (MoneyView{12345, "CNY", "CNY 123.45"}) {
			t.Errorf("transactions %+v", c.Transactions)
		}
		if got := c.Transactions[0].Time; !got.Equal(time.Date(2026, 2, 27, 2, 15, 0, 0, time.UTC)) || got.Location() != time.UTC {
			t.Errorf("transaction time %v, want UTC", got)
		}
		if c.CreatedAt.Location() != time.UTC || c.ResolvedAt != nil {
			t.Errorf("times %v %v", c.CreatedAt, c.ResolvedAt)
		}
		if strings.Contains(rec.Body.String(), `"id":1`) || strings.Contains(rec.Body.String(), "last_hash") {
			t.Errorf("internal ids leak: %s", rec.Body)
		}

		got := must[CaseView](t, h.do(&custA, "GET", path("/complaints/%s", c.Ref), nil), http.StatusOK)
		if got.Ref != c.Ref || got.Subject != c.Subject || got.Version != 1 {
			t.Errorf("GET %+v", got)
		}
		staff := must[CaseView](t, h.do(&agent, "GET", path("/complaints/%s", c.Ref), nil), http.StatusOK)
		// Triage is staff's: the p2 the customer asked for is dropped.
		if staff.Priority != complaint.PriorityP3 || staff.Severity != complaint.SeverityMedium {
			t.Errorf("staff view: want the default triage p3/medium, got %+v", staff)
		}
	})
}

func TestFileOnBehalf(t *testing.T) {
	each(t, func(t *testing.T, h *harness) {
		d := draft()
		d["channel"] = "hotline"
		d["customer"] = map[string]any{"id": "cust-A", "name": "  Li Wei ", "phone": "+86 138 0000 0000"}
		c := h.file(agent, d)
		if c.Customer.ID != "cust-A" || c.Customer.Name != "Li Wei" || c.Channel != "hotline" {
			t.Errorf("case %+v", c)
		}
		// The customer it names sees it; the merchant cannot file at all.
		must[CaseView](t, h.do(&custA, "GET", path("/complaints/%s", c.Ref), nil), http.StatusOK)
		before := h.snapshot("")
		wantError(t, h.do(&merchM, "POST", "/api/v1/complaints", draft()), 403, CodeForbidden, "")
		wantError(t, h.do(&auditor, "POST", "/api/v1/complaints", draft()), 403, CodeForbidden, "")
		h.unchanged(before, "")
	})
}

func TestMe(t *testing.T) {
	each(t, func(t *testing.T, h *harness) {
		me := must[PrincipalView](t, h.do(&merchM, "GET", "/api/v1/me", nil), http.StatusOK)
		if me != (PrincipalView{ID: merchM.UserID, Name: "Shop M", Role: complaint.RoleMerchant, MerchantID: "m-1"}) {
			t.Errorf("me %+v", me)
		}
		wantError(t, h.do(nil, "GET", "/api/v1/me", nil), 401, CodeUnauthenticated, "")
	})
}

func TestIdempotency(t *testing.T) {
	each(t, func(t *testing.T, h *harness) {
		key := "3f1c2a7e-5d7b-4c55-9f0e-1a2b3c4d5e6f"
		first := h.do(&custA, "POST", "/api/v1/complaints", draft(), "Idempotency-Key", key)
		c := must[CaseView](t, first, http.StatusCreated)

		replay := h.do(&custA, "POST", "/api/v1/complaints", draft(), "Idempotency-Key", key)
		again := must[CaseView](t, replay, http.StatusCreated)
		if again.Ref != c.Ref || replay.Header().Get("Idempotent-Replayed") != "true" ||
			replay.Header().Get("Location") != first.Header().Get("Location") {
			t.Fatalf("replay: %s %v", again.Ref, replay.Header())
		}
		before := h.snapshot(c.Ref)
		if before.cases != 1 {
			t.Fatalf("%d cases after a replay", before.cases)
		}

		other := draft()
		other["subject"] = "Another matter"
		wantError(t, h.do(&custA, "POST", "/api/v1/complaints", other, "Idempotency-Key", key),
			422, CodeIdempotencyKeyReused, "Idempotency-Key")
		h.unchanged(before, c.Ref)

		// Keys belong to their caller: another customer's same key is theirs.
		mine := h.file(custB, draft())
		if mine.Ref == c.Ref {
			t.Fatal("another caller's key replayed someone else's case")
		}
		wantError(t, h.do(&custA, "POST", "/api/v1/complaints", draft(), "Idempotency-Key", strings.Repeat("k", 129)),
			422, complaint.CodeTooLong, "Idempotency-Key")
		rq := req(&custA, "POST", "/api/v1/complaints", draft())
		rq.Header.Add("Idempotency-Key", "a")
		rq.Header.Add("Idempotency-Key", "b")
		rec := httptest.NewRecorder()
		h.h.ServeHTTP(rec, rq)
		wantError(t, rec, 400, CodeInvalidParameter, "Idempotency-Key")
		if n := h.snapshot("").cases; n != 2 {
			t.Errorf("%d cases, want 2", n)
		}
	})
}

func TestIdempotencyConcurrent(t *testing.T) {
	each(t, func(t *testing.T, h *harness) {
		const n = 8
		body, _ := json.Marshal(draft())
		refs := make([]string, n)
		codes := make([]int, n)
		replays := make([]bool, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() {
				rec := httptest.NewRecorder()
				h.h.ServeHTTP(rec, req(&custA, "POST", "/api/v1/complaints", body, "Idempotency-Key", "same-key"))
				codes[i] = rec.Code
				replays[i] = rec.Header().Get("Idempotent-Replayed") == "true"
				var c CaseView
				json.Unmarshal(rec.Body.Bytes(), &c)
				refs[i] = c.Ref
			})
		}
		wg.Wait()
		firsts := 0
		for i := range n {
			if codes[i] != http.StatusCreated || refs[i] != refs[0] {
				t.Errorf("request %d: %d %q, want 201 %q", i, codes[i], refs[i], refs[0])
			}
			if !replays[i] {
				firsts++
			}
		}
		if firsts != 1 {
			t.Errorf("%d responses were not marked as replays, want 1", firsts)
		}
		if got := h.snapshot("").cases; got != 1 {
			t.Fatalf("%d cases from %d identical requests, want 1", got, n)
		}
	})
}

func TestVisibility(t *testing.T) {
	each(t, func(t *testing.T, h *harness) {
		mine := h.file(custA, draft())
		theirs := h.fileFor("cust-B", func(d map[string]any) {
			d["merchant_id"] = ""
			d["transactions"] = []any{map[string]any{"id": "T-2", "time": "2026-02-20T00:00:00Z",
				"amount": map[string]any{"minor": 500, "currency": "USD"}, "merchant_id": "m-2"}}
		})

		// Another customer's case does not exist for them, whatever they do.
		for _, p := range []string{"/complaints/%s", "/complaints/%s/timeline"} {
			wantError(t, h.do(&custB, "GET", path(p, mine.Ref), nil), 404, CodeNotFound, "")
		}
		before := h.snapshot(mine.Ref)
		wantError(t, h.do(&custB, "POST", path("/complaints/%s/messages", mine.Ref), map[string]any{"body": "hi"}), 404, CodeNotFound, "")
		wantError(t, h.do(&custB, "POST", path("/complaints/%s/transitions", mine.Ref), map[string]any{"to": "withdrawn"}), 404, CodeNotFound, "")
		h.unchanged(before, mine.Ref)

		list := must[CaseList](t, h.do(&custB, "GET", "/api/v1/complaints", nil), http.StatusOK)
		if len(list.Items) != 1 || list.Items[0].Ref != theirs.Ref {
			t.Errorf("customer B lists %+v", list.Items)
		}

		// Merchant m-1 is named by mine (merchant_id); m-2 by theirs (a transaction).
		m := must[CaseView](t, h.do(&merchM, "GET", path("/complaints/%s", mine.Ref), nil), http.StatusOK)
		if m.Customer != (CustomerView{Name: "Li Wei"}) || m.Severity != "" || m.Priority != "" {
			t.Errorf("merchant sees %+v", m)
		}
		wantError(t, h.do(&merchM, "GET", path("/complaints/%s", theirs.Ref), nil), 404, CodeNotFound, "")
		must[CaseView](t, h.do(&merchN, "GET", path("/complaints/%s", theirs.Ref), nil), http.StatusOK)
		for p, want := range map[*access.Principal]string{&merchM: mine.Ref, &merchN: theirs.Ref} {
			list := must[CaseList](t, h.do(p, "GET", "/api/v1/complaints", nil), http.StatusOK)
			if len(list.Items) != 1 || list.Items[0].Ref != want {
				t.Errorf("merchant %s lists %+v", p.MerchantID, list.Items)
			}
		}
		// The merchant's view of the opening event hides the contact details too.
		tl := must[TimelineView](t, h.do(&merchM, "GET", path("/complaints/%s/timeline", mine.Ref), nil), http.StatusOK)
		if !tl.Events[0].Redacted || strings.Contains(string(tl.Events[0].After), "li.wei@example.com") {
			t.Errorf("merchant's created event: %s", tl.Events[0].After)
		}
		staffList := must[CaseList](t, h.do(&auditor, "GET", "/api/v1/complaints", nil), http.StatusOK)
		if len(staffList.Items) != 2 {
			t.Errorf("auditor lists %d cases", len(staffList.Items))
		}
	})
}

func TestTimelineHidesInternal(t *testing.T) {
	each(t, func(t *testing.T, h *harness) {
		c := h.file(custA, draft())
		ref := c.Ref
		must[ChangeView](t, h.do(&agent, "POST", path("/complaints/%s/notes", ref), map[string]any{"body": "Customer has 3 prior refunds; check for abuse."}), http.StatusOK)
		must[ChangeView](t, h.do(&agent, "POST", path("/complaints/%s/assignment", ref),
			map[string]any{"team": "refunds", "assignee_id": agent.UserID, "assignee_name": agent.Name}), http.StatusOK)
		must[ChangeView](t, h.do(&agent, "POST", path("/complaints/%s/classification", ref),
			map[string]any{"category": "refund", "severity": "high", "priority": "p1"}), http.StatusOK)
		must[ChangeView](t, h.do(&agent, "POST", path("/complaints/%s/messages", ref), map[string]any{"body": "We are looking into it."}), http.StatusOK)

		staff := must[TimelineView](t, h.do(&agent, "GET", path("/complaints/%s/timeline", ref), nil), http.StatusOK)
		if got := kinds(staff.Events); got != "created,note,assigned,classified,message,status_changed" {
			t.Fatalf("staff timeline %s", got)
		}
		for i, e := range staff.Events {
			if e.Seq != int64(i+1) || e.Hash == "" || e.At.Location() != time.UTC || e.Actor.Name == "" {
				t.Errorf("event %+v", e)
			}
			if i > 0 && e.PrevHash != staff.Events[i-1].Hash {
				t.Errorf("event %d does not chain", e.Seq)
			}
		}
		if staff.Events[1].Actor.ID != agent.UserID || staff.Events[1].Body == "" {
			t.Errorf("staff note %+v", staff.Events[1])
		}

		for _, p := range []*access.Principal{&custA, &merchM} {
			rec := h.do(p, "GET", path("/complaints/%s/timeline", ref), nil)
			tl := must[TimelineView](t, rec, http.StatusOK)
			if got := kinds(tl.Events); got != "created,message,status_changed" {
				t.Errorf("%s timeline %s", p.Role, got)
			}
			body := rec.Body.String()
			for _, secret := range []string{"abuse", `"severity"`, `"priority"`, `"assignee_id"`, fmt.Sprintf(`"id":%d`, agent.UserID)} {
				if strings.Contains(body, secret) {
					t.Errorf("%s timeline shows %s: %s", p.Role, secret, body)
				}
			}
			if tl.Events[2].Before == nil || string(tl.Events[2].After) != `"acknowledged"` {
				t.Errorf("status change %+v", tl.Events[2])
			}
			cv := must[CaseView](t, h.do(p, "GET", path("/complaints/%s", ref), nil), http.StatusOK)
			if cv.Team != "refunds" || cv.AssigneeName != agent.Name || cv.AssigneeID != 0 || cv.Priority != "" {
				t.Errorf("%s sees %+v", p.Role, cv)
			}
		}
	})
}

func TestCommands(t *testing.T) {
	each(t, func(t *testing.T, h *harness) {
		ref := h.file(custA, draft()).Ref
		post := func(p *access.Principal, what string, body any) ChangeView {
			t.Helper()
			return must[ChangeView](t, h.do(p, "POST", path("/complaints/%s/%s", ref, what), body), http.StatusOK)
		}

		// An agent's first reply acknowledges a new case.
		ch := post(&agent, "messages", map[string]any{"body": "Thank you, we are on it."})
		if ch.Case.Status != complaint.StatusAcknowledged || kinds(ch.Events) != "message,status_changed" {
			t.Fatalf("reply: %s %s", ch.Case.Status, kinds(ch.Events))
		}
		ch = post(&agent, "transitions", map[string]any{"to": "in_progress"})
		if ch.Case.Status != complaint.StatusInProgress {
			t.Fatalf("status %s", ch.Case.Status)
		}
		ch = post(&agent, "transitions", map[string]any{"to": "awaiting_customer", "reason": "Need the return receipt."})
		if ch.Events[0].Body != "Need the return receipt." {
			t.Errorf("reason %+v", ch.Events[0])
		}
		// The customer's reply puts it back in progress.
		ch = post(&custA, "messages", map[string]any{"body": "Receipt attached."})
		if ch.Case.Status != complaint.StatusInProgress || kinds(ch.Events) != "message,status_changed" {
			t.Errorf("customer reply: %s %s", ch.Case.Status, kinds(ch.Events))
		}
		ch = post(&agent, "assignment", map[string]any{"team": "refunds", "assignee_id": agent2.UserID, "assignee_name": agent2.Name})
		if ch.Case.Team != "refunds" || ch.Case.AssigneeID != agent2.UserID || kinds(ch.Events) != "assigned" {
			t.Errorf("assign: %+v", ch)
		}
		ch = post(&agent, "classification", map[string]any{"category": "refund", "severity": "high", "priority": "p1"})
		if ch.Case.Category != "refund" || ch.Case.Priority != "p1" || ch.Case.Severity != "high" {
			t.Errorf("classify: %+v", ch.Case)
		}
		ch = post(&supervisor, "stage", map[string]any{"to": "appeal", "reason": "Customer disputes the decision."})
		if ch.Case.Stage != complaint.StageAppeal || kinds(ch.Events) != "stage_changed" {
			t.Errorf("stage: %+v", ch.Case)
		}
		ch = post(&agent, "transactions", map[string]any{"id": "T-9", "time": "2026-02-28T09:00:00Z",
			"amount": map[string]any{"minor": 100, "currency": "JPY"}, "merchant_id": "m-2"})
		if len(ch.Case.Transactions) != 2 || ch.Case.Transactions[1].Amount.Display != "JPY 100" {
			t.Errorf("link: %+v", ch.Case.Transactions)
		}
		// The newly named merchant can now see the case and reply.
		must[CaseView](t, h.do(&merchN, "GET", path("/complaints/%s", ref), nil), http.StatusOK)
		post(&merchN, "messages", map[string]any{"body": "We will refund today."})
		// Customers' replies to their own commands show only public events.
		ch = post(&agent, "notes", map[string]any{"body": "Merchant confirmed."})
		if kinds(ch.Events) != "note" || ch.Events[0].Visibility != complaint.Internal {
			t.Errorf("note %+v", ch.Events)
		}
		post(&agent, "transitions", map[string]any{"to": "resolved"})
		ch = post(&custA, "transitions", map[string]any{"to": "reopened", "reason": "Still no refund."})
		if ch.Case.Status != complaint.StatusReopened || ch.Case.ResolvedAt == nil {
			t.Errorf("reopen: %+v", ch.Case)
		}
	})
}

func TestCustomerTransitions(t *testing.T) {
	each(t, func(t *testing.T, h *harness) {
		ref := h.file(custA, draft()).Ref
		before := h.snapshot(ref)
		for _, to := range []string{"acknowledged", "in_progress", "resolved", "closed"} {
			wantError(t, h.do(&custA, "POST", path("/complaints/%s/transitions", ref), map[string]any{"to": to}), 403, CodeForbidden, "")
		}
		for _, what := range []string{"notes", "assignment", "classification", "stage", "transactions"} {
			body := map[string]any{"body": "x"}
			switch what {
			case "assignment":
				body = map[string]any{"team": "vip"}
			case "classification":
				body = map[string]any{"category": "fraud", "severity": "low", "priority": "p1"}
			case "stage":
				body = map[string]any{"to": "appeal"}
			case "transactions":
				body = map[string]any{"id": "T-5", "time": "2026-01-01T00:00:00Z", "amount": map[string]any{"minor": 1, "currency": "CNY"}}
			}
			wantError(t, h.do(&custA, "POST", path("/complaints/%s/%s", ref, what), body), 403, CodeForbidden, "")
			wantError(t, h.do(&merchM, "POST", path("/complaints/%s/%s", ref, what), body), 403, CodeForbidden, "")
		}
		h.unchanged(before, ref)
		ch := must[ChangeView](t, h.do(&custA, "POST", path("/complaints/%s/transitions", ref),
			map[string]any{"to": "withdrawn", "reason": "Sorted it out with the shop."}), http.StatusOK)
		if ch.Case.Status != complaint.StatusWithdrawn {
			t.Errorf("withdraw: %s", ch.Case.Status)
		}
	})
}

func TestRuleErrors(t *testing.T) {
	each(t, func(t *testing.T, h *harness) {
		ref := h.file(custA, draft()).Ref
		before := h.snapshot(ref)
		wantError(t, h.do(&agent, "POST", path("/complaints/%s/transitions", ref), map[string]any{"to": "resolved"}), 409, complaint.CodeIllegalTransition, "")
		wantError(t, h.do(&agent, "POST", path("/complaints/%s/stage", ref), map[string]any{"to": "inquiry"}), 409, complaint.CodeStageBackwards, "")
		wantError(t, h.do(&agent, "POST", path("/complaints/%s/assignment", ref), map[string]any{"team": complaint.DefaultTeam}), 409, complaint.CodeNoChange, "")
		wantError(t, h.do(&agent, "POST", path("/complaints/%s/transactions", ref),
			map[string]any{"id": "T-1001", "time": "2026-02-27T02:15:00Z", "amount": map[string]any{"minor": 12345, "currency": "CNY"}}),
			409, complaint.CodeNoChange, "")
		h.unchanged(before, ref)
		if c := must[CaseView](t, h.do(&agent, "GET", path("/complaints/%s", ref), nil), http.StatusOK); c.Status != complaint.StatusNew {
			t.Errorf("status %s after a refused transition", c.Status)
		}
	})
}

func TestNotFoundAndMethodNotAllowed(t *testing.T) {
	each(t, func(t *testing.T, h *harness) {
		for _, p := range []string{"/api/v1/nope", "/api/v1/complaints/CP-2026-00000000/nope", "/api/v1/complaints/", "/elsewhere"} {
			wantError(t, h.do(&agent, "GET", p, nil), 404, CodeNotFound, "")
		}
		rec := h.do(&agent, "DELETE", "/api/v1/complaints", nil)
		wantError(t, rec, 405, CodeMethodNotAllowed, "")
		if allow := rec.Header().Get("Allow"); !strings.Contains(allow, "GET") || !strings.Contains(allow, "POST") {
			t.Errorf("Allow %q", allow)
		}
		rec = h.do(&agent, "GET", "/api/v1/complaints/CP-2026-00000000/messages", nil)
		wantError(t, rec, 405, CodeMethodNotAllowed, "")
		if rec.Header().Get("Allow") != "POST" {
			t.Errorf("Allow %q", rec.Header().Get("Allow"))
		}
		wantError(t, h.do(nil, "PUT", "/api/v1/openapi.json", nil), 405, CodeMethodNotAllowed, "")
		// A well-formed reference that does not exist, and a malformed one.
		for _, ref := range []string{"CP-2026-00000000", "CP-2026-0000000I", "nope", "cp-2026-00000000"} {
			wantError(t, h.do(&agent, "GET", path("/complaints/%s", ref), nil), 404, CodeNotFound, "")
			wantError(t, h.do(&agent, "GET", path("/complaints/%s/timeline", ref), nil), 404, CodeNotFound, "")
			wantError(t, h.do(&agent, "POST", path("/complaints/%s/messages", ref), map[string]any{"body": "x"}), 404, CodeNotFound, "")
		}
	})
}

func TestUnauthenticated(t *testing.T) {
	each(t, func(t *testing.T, h *harness) {
		for _, r := range Routes() {
			if r.OperationID == "getOpenAPI" {
				continue
			}
			p := strings.ReplaceAll(r.Pattern, "{ref}", "CP-2026-00000000")
			var body any
			if r.Method == "POST" {
				body = draft()
			}
			rec := h.do(nil, r.Method, p, body)
			wantError(t, rec, 401, CodeUnauthenticated, "")
			if !strings.HasPrefix(rec.Header().Get("WWW-Authenticate"), "Bearer") {
				t.Errorf("%s: WWW-Authenticate %q", r, rec.Header().Get("WWW-Authenticate"))
			}
		}
		if n := h.snapshot("").cases; n != 0 {
			t.Errorf("%d cases", n)
		}
	})
}

func TestPanicIsInternalError(t *testing.T) {
	s := &server{opts: Options{MaxBodyBytes: DefaultMaxBodyBytes}, log: slog.New(slog.DiscardHandler)}
	h := s.serve(endpoint{Route: Route{"GET", "/api/v1/boom", "boom"}, handle: func(*server, http.ResponseWriter, *http.Request, access.Principal) error {
		panic("boom")
	}})
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req(&agent, "GET", "/api/v1/boom", nil))
	wantError(t, rec, 500, CodeInternal, "")
	if strings.Contains(rec.Body.String(), "boom") {
		t.Errorf("panic value leaks: %s", rec.Body)
	}
}
