package store

import (
	"context"
	"strings"
	"time"

	"github.com/redress-project/redress/internal/access"
	"github.com/redress-project/redress/internal/complaint"
)

// CaseFilter selects and orders cases for a listing. Empty fields do not
// filter; Scope always applies.
type CaseFilter struct {
	// Scope is what the caller may see (see access.Scope): a customer only
	// their cases, a merchant the cases naming it (as the case's merchant or
	// a linked transaction's), None nothing at all.
	Scope      access.CaseScope
	Statuses   []complaint.Status
	Priorities []complaint.Priority
	// AssigneeID filters by assignee when not nil; a pointer to 0 selects
	// unassigned cases.
	AssigneeID *int64
	Team       string
	Category   string
	Channels   []complaint.Channel
	// CreatedFrom and CreatedTo bound the creation time to [from, to); a
	// zero bound is open.
	CreatedFrom, CreatedTo time.Time
	// Query matches a substring of the reference, subject, description or
	// customer name, case-insensitively for Latin letters. Any length works,
	// two Chinese characters included; % and _ match themselves.
	Query string
	// Sort is "-created" (the default, newest first), "created",
	// "-updated", "updated" or "priority" (p1 first, then oldest first).
	Sort string
	// Limit is the page size: default 50, at most 200.
	Limit int
	// Cursor continues from the page that returned it as NextCursor.
	Cursor string
}

// CasePage is one page of a listing. NextCursor is empty on the last page.
type CasePage struct {
	Cases      []*complaint.Case
	NextCursor string
}

// Page sizes.
const (
	DefaultLimit = 50
	MaxLimit     = 200
)

// sortSpec is one way to order a listing: keyset pagination compares the
// key columns (the last is always the id, so the order is total) with the
// cursor's values as a row.
type sortSpec struct {
	code byte
	keys []sortKey
	desc bool
}

type sortKey struct {
	column  string
	instant bool // a time column; the cursor holds Unix microseconds
}

var (
	keyID       = sortKey{column: "c.id"}
	keyCreated  = sortKey{column: "c.created_at", instant: true}
	keyUpdated  = sortKey{column: "c.updated_at", instant: true}
	keyPriority = sortKey{column: "c.priority_rank"}
)

var sorts = map[string]*sortSpec{
	"-created": {code: 1, keys: []sortKey{keyCreated, keyID}, desc: true},
	"created":  {code: 2, keys: []sortKey{keyCreated, keyID}},
	"-updated": {code: 3, keys: []sortKey{keyUpdated, keyID}, desc: true},
	"updated":  {code: 4, keys: []sortKey{keyUpdated, keyID}},
	"priority": {code: 5, keys: []sortKey{keyPriority, keyCreated, keyID}},
}

func sortByCode(code byte) *sortSpec {
	for _, s := range sorts {
		if s.code == code {
			return s
		}
	}
	return nil
}

// ErrBadSort is returned for a Sort that is not one of the known orders.
var ErrBadSort = &complaint.ValidationError{Code: complaint.CodeInvalid, Field: "sort",
	Message: `sort must be one of -created, created, -updated, updated, priority`}

// ListCases returns one page of the cases f selects, in f's order.
func (s *Store) ListCases(ctx context.Context, f CaseFilter) (CasePage, error) {
	page := CasePage{Cases: []*complaint.Case{}}
	spec := sorts[f.Sort]
	if f.Sort == "" {
		spec = sorts["-created"]
	}
	if spec == nil {
		return page, ErrBadSort
	}
	var after *cursor
	if f.Cursor != "" {
		c, err := decodeCursor(f.Cursor)
		if err != nil || c.sort != spec.code {
			return page, ErrBadCursor
		}
		after = &c
	}
	if f.Scope.None {
		return page, nil
	}
	limit := f.Limit
	if limit <= 0 {
		limit = DefaultLimit
	}
	limit = min(limit, MaxLimit)

	b := &builder{d: s.d}
	b.write("SELECT ", caseColumns, " FROM cases c WHERE 1 = 1")
	s.filter(b, f)
	if after != nil {
		s.keyset(b, spec, after)
	}
	b.write(" ORDER BY ", spec.orderBy(), " LIMIT ", b.arg(limit+1))

	rows, err := s.db.QueryContext(ctx, b.String(), b.args...)
	if err != nil {
		return page, wrap("listing cases", err)
	}
	defer rows.Close()
	for rows.Next() {
		c, err := scanCase(rows)
		if err != nil {
			return page, wrap("listing cases", err)
		}
		page.Cases = append(page.Cases, c)
	}
	if err := rows.Err(); err != nil {
		return page, wrap("listing cases", err)
	}
	if len(page.Cases) > limit {
		page.Cases = page.Cases[:limit]
		page.NextCursor = encodeCursor(spec.cursorAt(page.Cases[limit-1]))
	}
	return page, nil
}

// filter adds the conditions of f (the scope first) to b.
func (s *Store) filter(b *builder, f CaseFilter) {
	if f.Scope.CustomerID != "" {
		b.write(" AND c.customer_id = ", b.arg(f.Scope.CustomerID))
	}
	if m := f.Scope.MerchantID; m != "" {
		b.write(" AND (c.merchant_id = ", b.arg(m),
			" OR c.id IN (SELECT t.case_id FROM case_transactions t WHERE t.merchant_id = ", b.arg(m), "))")
	}
	in := func(column string, vs []any) {
		if len(vs) > 0 {
			b.write(" AND ", column, " IN (", b.list(vs...), ")")
		}
	}
	in("c.status", anys(f.Statuses))
	in("c.priority", anys(f.Priorities))
	in("c.channel", anys(f.Channels))
	if f.AssigneeID != nil {
		b.write(" AND c.assignee_id = ", b.arg(*f.AssigneeID))
	}
	if f.Team != "" {
		b.write(" AND c.team = ", b.arg(f.Team))
	}
	if f.Category != "" {
		b.write(" AND c.category = ", b.arg(f.Category))
	}
	if !f.CreatedFrom.IsZero() {
		b.write(" AND c.created_at >= ", b.arg(s.d.ts(f.CreatedFrom)))
	}
	if !f.CreatedTo.IsZero() {
		b.write(" AND c.created_at < ", b.arg(s.d.ts(f.CreatedTo)))
	}
	if q := strings.TrimSpace(f.Query); q != "" {
		// A substring scan. pg_trgm (PostgreSQL) or a bigram index (SQLite;
		// FTS5's trigrams miss two-character words) can speed it up later.
		pattern := "%" + escapeLike(q) + "%"
		b.write(" AND (")
		for i, col := range []string{"c.ref", "c.subject", "c.description", "c.customer_name"} {
			if i > 0 {
				b.write(" OR ")
			}
			b.write(col, " ", s.d.ilike, " ", b.arg(pattern), ` ESCAPE '\'`)
		}
		b.write(")")
	}
}

// keyset adds the condition that rows come after the cursor in spec's order.
func (s *Store) keyset(b *builder, spec *sortSpec, after *cursor) {
	cols := make([]string, len(spec.keys))
	vals := make([]any, len(spec.keys))
	for i, k := range spec.keys {
		cols[i] = k.column
		vals[i] = after.keys[i]
		if k.instant {
			vals[i] = s.d.ts(time.UnixMicro(after.keys[i]))
		}
	}
	op := " > "
	if spec.desc {
		op = " < "
	}
	b.write(" AND (", strings.Join(cols, ", "), ")", op, "(", b.list(vals...), ")")
}

func (spec *sortSpec) orderBy() string {
	cols := make([]string, len(spec.keys))
	for i, k := range spec.keys {
		cols[i] = k.column
		if spec.desc {
			cols[i] += " DESC"
		}
	}
	return strings.Join(cols, ", ")
}

// cursorAt is the cursor of a page ending with c.
func (spec *sortSpec) cursorAt(c *complaint.Case) cursor {
	cur := cursor{sort: spec.code, keys: make([]int64, len(spec.keys))}
	for i, k := range spec.keys {
		switch k {
		case keyID:
			cur.keys[i] = c.ID
		case keyCreated:
			cur.keys[i] = c.CreatedAt.UnixMicro()
		case keyUpdated:
			cur.keys[i] = c.UpdatedAt.UnixMicro()
		case keyPriority:
			cur.keys[i] = int64(c.Priority.Rank())
		}
	}
	return cur
}

// escapeLike makes the LIKE wildcards % and _ (and the escape character)
// in s match themselves.
func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}
