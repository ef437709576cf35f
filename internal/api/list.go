package api

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/redress-project/redress/internal/access"
	"github.com/redress-project/redress/internal/complaint"
	"github.com/redress-project/redress/internal/store"
)

// maxQuery bounds the search words of a listing, in characters.
const maxQuery = complaint.MaxShortText

// Sorts are the orders a listing may be sorted in; the first is the default.
var Sorts = []string{"-created", "created", "-updated", "updated", "priority"}

// listParams are the query parameters GET /complaints takes.
var listParams = []string{"status", "priority", "assignee", "team", "channel", "category",
	"created_from", "created_to", "q", "sort", "limit", "cursor"}

// parseListQuery reads the filter of GET /complaints from its raw query.
// Unknown, repeated (where only one is allowed) or malformed parameters are
// a 400 invalid_parameter naming the parameter: a typo such as ?stauts=new
// must not silently list everything. p resolves assignee=me.
func parseListQuery(rawQuery string, p access.Principal) (store.CaseFilter, error) {
	var f store.CaseFilter
	q, err := url.ParseQuery(rawQuery)
	if err != nil {
		return f, badRequest(CodeInvalidParameter, "", "the query string is malformed: %v", err)
	}
	for name, values := range q {
		if !slices.Contains(listParams, name) {
			return f, badRequest(CodeInvalidParameter, name, "unknown query parameter %q; known: %s", name, strings.Join(listParams, ", "))
		}
		for _, v := range values {
			if !utf8.ValidString(v) {
				return f, badRequest(CodeInvalidUTF8, name, "query parameter %s is not valid UTF-8", name)
			}
		}
	}
	if f.Statuses, err = enumList(q, "status", complaint.Statuses); err != nil {
		return f, err
	}
	if f.Priorities, err = enumList(q, "priority", complaint.Priorities); err != nil {
		return f, err
	}
	if f.Channels, err = enumList(q, "channel", complaint.Channels); err != nil {
		return f, err
	}
	if f.Team, err = single(q, "team", complaint.MaxIdentifier); err != nil {
		return f, err
	}
	if f.Category, err = single(q, "category", complaint.MaxIdentifier); err != nil {
		return f, err
	}
	if f.Query, err = single(q, "q", maxQuery); err != nil {
		return f, err
	}
	if f.Cursor, err = single(q, "cursor", 1024); err != nil {
		return f, err
	}
	if f.AssigneeID, err = assignee(q, p); err != nil {
		return f, err
	}
	if f.CreatedFrom, err = instant(q, "created_from", false); err != nil {
		return f, err
	}
	if f.CreatedTo, err = instant(q, "created_to", true); err != nil {
		return f, err
	}
	if !f.CreatedFrom.IsZero() && !f.CreatedTo.IsZero() && !f.CreatedFrom.Before(f.CreatedTo) {
		return f, badRequest(CodeInvalidParameter, "created_to", "created_to must be after created_from")
	}
	sort, err := single(q, "sort", 16)
	if err != nil {
		return f, err
	}
	if sort != "" && !slices.Contains(Sorts, sort) {
		return f, badRequest(CodeInvalidParameter, "sort", "sort must be one of %s", strings.Join(Sorts, ", "))
	}
	f.Sort = sort
	if f.Sort == "" {
		f.Sort = Sorts[0]
	}
	limit, err := single(q, "limit", 8)
	if err != nil {
		return f, err
	}
	f.Limit = store.DefaultLimit
	if limit != "" {
		n, err := strconv.Atoi(limit)
		if err != nil || n < 1 || n > store.MaxLimit {
			return f, badRequest(CodeInvalidParameter, "limit", "limit must be a whole number from 1 to %d", store.MaxLimit)
		}
		f.Limit = n
	}
	return f, nil
}

// single returns the one value of parameter name ("" when absent).
func single(q url.Values, name string, maxLen int) (string, error) {
	values := q[name]
	switch {
	case len(values) == 0:
		return "", nil
	case len(values) > 1:
		return "", badRequest(CodeInvalidParameter, name, "give %s at most once", name)
	}
	v := strings.TrimSpace(values[0])
	if n := utf8.RuneCountInString(v); n > maxLen {
		return "", badRequest(CodeInvalidParameter, name, "%s must be at most %d characters (got %d)", name, maxLen, n)
	}
	return v, nil
}

// enumList reads a parameter that may be repeated or comma-separated
// (?status=new&status=acknowledged or ?status=new,acknowledged).
func enumList[T ~string](q url.Values, name string, known []T) ([]T, error) {
	var out []T
	for _, v := range q[name] {
		for item := range strings.SplitSeq(v, ",") {
			item = strings.TrimSpace(item)
			if item == "" {
				continue
			}
			if !slices.Contains(known, T(item)) {
				names := make([]string, len(known))
				for i, k := range known {
					names[i] = string(k)
				}
				return nil, badRequest(CodeInvalidParameter, name, "unknown %s %q; use one of %s", name, item, strings.Join(names, ", "))
			}
			if !slices.Contains(out, T(item)) {
				out = append(out, T(item))
			}
		}
	}
	return out, nil
}

// assignee reads assignee=<user id>, assignee=none (unassigned) or
// assignee=me (the caller).
func assignee(q url.Values, p access.Principal) (*int64, error) {
	v, err := single(q, "assignee", 20)
	if err != nil || v == "" {
		return nil, err
	}
	var id int64
	switch v {
	case "none":
		id = 0
	case "me":
		id = p.UserID
	default:
		id, err = strconv.ParseInt(v, 10, 64)
		if err != nil || id < 1 {
			return nil, badRequest(CodeInvalidParameter, "assignee", "assignee must be a user id, none or me")
		}
	}
	return &id, nil
}

// instant reads an RFC 3339 timestamp or a YYYY-MM-DD date (a UTC day).
// A date in created_from means the start of that day; in created_to, the
// end of it, so created_from=2026-03-01&created_to=2026-03-31 is all of
// March. The filter itself is from inclusive, to exclusive.
func instant(q url.Values, name string, endOfDay bool) (time.Time, error) {
	v, err := single(q, name, 40)
	if err != nil || v == "" {
		return time.Time{}, err
	}
	if t, err := time.Parse(time.RFC3339Nano, v); err == nil {
		return t.UTC(), nil
	}
	if t, err := time.Parse(time.DateOnly, v); err == nil {
		if endOfDay {
			t = t.AddDate(0, 0, 1)
		}
		return t, nil
	}
	return time.Time{}, badRequest(CodeInvalidParameter, name,
		"%s must be an RFC 3339 timestamp (2026-03-01T09:30:00+08:00) or a date (2026-03-01)", name)
}

func (s *server) listComplaints(w http.ResponseWriter, r *http.Request, p access.Principal) error {
	f, err := parseListQuery(r.URL.RawQuery, p)
	if err != nil {
		return err
	}
	page, err := s.desk.List(r.Context(), p, f)
	if err != nil {
		return err
	}
	v := viewerOf(p)
	out := CaseList{Items: make([]CaseView, 0, len(page.Cases)), NextCursor: page.NextCursor}
	for _, c := range page.Cases {
		out.Items = append(out.Items, caseView(c, v))
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}
