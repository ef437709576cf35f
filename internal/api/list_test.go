package api

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/redress-project/redress/internal/access"
	"github.com/redress-project/redress/internal/complaint"
)

// listRefs lists as p with query and returns the refs in order, following
// every next_cursor.
func (h *harness) listRefs(p access.Principal, query string) []string {
	h.t.Helper()
	var refs []string
	cursor := ""
	for range 100 {
		q := query
		if cursor != "" {
			q += "&cursor=" + url.QueryEscape(cursor)
		}
		page := must[CaseList](h.t, h.do(&p, "GET", "/api/v1/complaints?"+q, nil), http.StatusOK)
		for _, c := range page.Items {
			refs = append(refs, c.Ref)
		}
		if cursor = page.NextCursor; cursor == "" {
			return refs
		}
	}
	h.t.Fatal("listing did not end")
	return nil
}

func TestList(t *testing.T) {
	each(t, func(t *testing.T, h *harness) {
		const day = 24 * 60 // clock ticks (minutes)
		mk := func(customer, channel, priority, category, subject string) string {
			return h.fileFor(customer, func(d map[string]any) {
				d["channel"], d["priority"], d["category"], d["subject"] = channel, priority, category, subject
			}).Ref
		}
		c1 := mk("cust-A", "app", "p1", "refund", "Refund missing") // 2026-03-01
		c2 := mk("cust-B", "hotline", "p3", "uncategorized", "Card charged twice")
		h.ticks.Add(day)
		c3 := mk("cust-A", "web", "p2", "fraud", "花呗 payment I did not make") // 2026-03-02
		c4 := mk("cust-C", "email", "p4", "uncategorized", "Wrong exchange rate")
		must[ChangeView](t, h.do(&agent, "POST", path("/complaints/%s/assignment", c3),
			map[string]any{"team": "refunds", "assignee_id": agent.UserID, "assignee_name": agent.Name}), http.StatusOK)
		must[ChangeView](t, h.do(&agent, "POST", path("/complaints/%s/transitions", c4), map[string]any{"to": "acknowledged"}), http.StatusOK)
		h.ticks.Add(day)
		c5 := mk("cust-A", "app", "p1", "refund", "Refund missing again") // 2026-03-03
		all := []string{c5, c4, c3, c2, c1}

		tests := []struct {
			p     access.Principal
			query string
			want  []string
		}{
			{agent, "", all},
			{agent, "sort=created", []string{c1, c2, c3, c4, c5}},
			{agent, "sort=priority", []string{c1, c5, c3, c2, c4}},
			{agent, "status=new", []string{c5, c3, c2, c1}},
			{agent, "status=acknowledged", []string{c4}},
			{agent, "status=new,acknowledged", all},
			{agent, "status=new&status=acknowledged", all},
			{agent, "status=resolved", nil},
			{agent, "priority=p1", []string{c5, c1}},
			{agent, "priority=p1,p2", []string{c5, c3, c1}},
			{agent, fmt.Sprintf("assignee=%d", agent.UserID), []string{c3}},
			{agent, "assignee=me", []string{c3}},
			{agent2, "assignee=me", nil},
			{agent, "assignee=none", []string{c5, c4, c2, c1}},
			{agent, "team=refunds", []string{c3}},
			{agent, "team=general", []string{c5, c4, c2, c1}},
			{agent, "channel=hotline", []string{c2}},
			{agent, "channel=app,web", []string{c5, c3, c1}},
			{agent, "category=fraud", []string{c3}},
			{agent, "created_from=2026-03-02", []string{c5, c4, c3}},
			{agent, "created_to=2026-03-02", []string{c4, c3, c2, c1}},
			{agent, "created_from=2026-03-02&created_to=2026-03-02", []string{c4, c3}},
			{agent, "created_to=2026-03-02T00:00:00Z", []string{c2, c1}},
			{agent, "created_from=" + url.QueryEscape("2026-03-02T08:00:00+08:00"), []string{c5, c4, c3}},
			{agent, "q=" + url.QueryEscape("花呗"), []string{c3}},
			{agent, "q=refund+missing", []string{c5, c1}},
			{agent, "q=" + c2, []string{c2}},
			{agent, "priority=p1&channel=app&status=new&created_from=2026-03-03", []string{c5}},
			{custA, "", []string{c5, c3, c1}},
			{custA, "priority=p1", []string{c5, c1}},
			{custB, "", []string{c2}},
			{merchM, "", all}, // every draft names m-1
		}
		for _, tt := range tests {
			got := h.listRefs(tt.p, tt.query)
			if !slices.Equal(got, tt.want) {
				t.Errorf("%s ?%s: got %v, want %v", tt.p.Name, tt.query, got, tt.want)
			}
			// Paging one at a time gives the same list.
			sep := "&"
			if tt.query == "" {
				sep = ""
			}
			if paged := h.listRefs(tt.p, tt.query+sep+"limit=1"); !slices.Equal(paged, tt.want) {
				t.Errorf("%s ?%s one per page: got %v, want %v", tt.p.Name, tt.query, paged, tt.want)
			}
		}
		desc := h.listRefs(agent, "sort=-updated")
		asc := h.listRefs(agent, "sort=updated")
		slices.Reverse(asc)
		if !slices.Equal(desc, asc) || len(desc) != 5 {
			t.Errorf("-updated %v is not updated reversed %v", desc, asc)
		}

		// Pages of two: a cursor while more remain, none on the last page.
		first := must[CaseList](t, h.do(&agent, "GET", "/api/v1/complaints?limit=2&sort=created", nil), http.StatusOK)
		if len(first.Items) != 2 || first.NextCursor == "" || first.Items[0].Ref != c1 {
			t.Fatalf("first page %+v", first)
		}
		last := must[CaseList](t, h.do(&agent, "GET", "/api/v1/complaints?limit=3&sort=created&cursor="+url.QueryEscape(first.NextCursor), nil), http.StatusOK)
		if len(last.Items) != 3 || last.NextCursor != "" || last.Items[2].Ref != c5 {
			t.Fatalf("last page %+v", last)
		}
		if rec := h.do(&agent, "GET", "/api/v1/complaints?status=withdrawn", nil); !strings.Contains(rec.Body.String(), `"items":[]`) {
			t.Errorf("an empty page is not an empty array: %s", rec.Body)
		}

		// A cursor belongs to its sort.
		wantError(t, h.do(&agent, "GET", "/api/v1/complaints?sort=-created&cursor="+url.QueryEscape(first.NextCursor), nil), 400, CodeBadCursor, "cursor")
	})
}

func TestListBadParameters(t *testing.T) {
	tests := []struct {
		query       string
		code, field string
	}{
		{"stauts=new", CodeInvalidParameter, "stauts"},
		{"status=done", CodeInvalidParameter, "status"},
		{"status=new,done", CodeInvalidParameter, "status"},
		{"priority=p9", CodeInvalidParameter, "priority"},
		{"channel=fax", CodeInvalidParameter, "channel"},
		{"assignee=abc", CodeInvalidParameter, "assignee"},
		{"assignee=0", CodeInvalidParameter, "assignee"},
		{"assignee=-3", CodeInvalidParameter, "assignee"},
		{"limit=0", CodeInvalidParameter, "limit"},
		{"limit=201", CodeInvalidParameter, "limit"},
		{"limit=ten", CodeInvalidParameter, "limit"},
		{"sort=newest", CodeInvalidParameter, "sort"},
		{"created_from=yesterday", CodeInvalidParameter, "created_from"},
		{"created_to=2026-02-30", CodeInvalidParameter, "created_to"},
		{"created_from=2026-03-05&created_to=2026-03-01", CodeInvalidParameter, "created_to"},
		{"team=a&team=b", CodeInvalidParameter, "team"},
		{"q=" + strings.Repeat("x", 201), CodeInvalidParameter, "q"},
		{"q=%ff", CodeInvalidUTF8, "q"},
		{"status=%zz", CodeInvalidParameter, ""},
		{"cursor=garbage", CodeBadCursor, "cursor"},
	}
	each(t, func(t *testing.T, h *harness) {
		h.fileFor("cust-A", nil)
		for _, tt := range tests {
			rec := h.do(&agent, "GET", "/api/v1/complaints?"+tt.query, nil)
			if rec.Code != http.StatusBadRequest {
				t.Errorf("?%s: status %d: %s", tt.query, rec.Code, rec.Body)
				continue
			}
			wantError(t, rec, 400, tt.code, tt.field)
		}
	})
}

func TestParseListQuery(t *testing.T) {
	f, err := parseListQuery("status=new,+in_progress&status=new&assignee=none&limit=7", agent)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(f.Statuses, []complaint.Status{"new", "in_progress"}) || f.AssigneeID == nil || *f.AssigneeID != 0 ||
		f.Limit != 7 || f.Sort != "-created" {
		t.Errorf("filter %+v", f)
	}
}
