package store_test

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redress-project/redress/internal/access"
	"github.com/redress-project/redress/internal/complaint"
	"github.com/redress-project/redress/internal/store"
	"github.com/redress-project/redress/internal/store/storetest"
)

func scopeMerchant(m string) access.CaseScope { return access.CaseScope{MerchantID: m} }
func scopeCustomer(c string) access.CaseScope { return access.CaseScope{CustomerID: c} }

// staff sees every case.
var staff = access.CaseScope{}

// dataset stores n cases whose attributes vary with their index, created in
// an order unlike their creation times (which pair up, to exercise the id
// tie-break), and returns them as stored.
func dataset(t *testing.T, s *store.Store, n int) []*complaint.Case {
	t.Helper()
	cases := make([]*complaint.Case, n)
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Go(func() {
			c, err := datasetCase(s, i, n)
			cases[i] = c
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	return cases
}

func datasetCase(s *store.Store, i, n int) (*complaint.Case, error) {
	created := t0.Add(time.Duration((i*37)%n/2) * time.Minute)
	d := newDraft(func(d *complaint.Draft) {
		d.Customer.ID = fmt.Sprintf("cust-%d", i%5)
		d.Customer.Name = []string{"Alice Smith", "李娜", "Bob"}[i%3]
		d.Priority = complaint.Priorities[i%4]
		d.Channel = complaint.Channels[i%3]
		d.Team = []string{"general", "cards", "wallet"}[i%3]
		d.Category = []string{"refund", "fraud"}[i%2]
		d.Subject = fmt.Sprintf("case %d", i)
		d.Description = []string{"申请退款", "fraud on my card", "100% wrong", "user_name missing", "other"}[i%5]
		if i%4 == 1 {
			d.MerchantID = "m-1"
		}
		if i%6 == 2 {
			d.Transactions = []complaint.Transaction{{ID: fmt.Sprintf("tx-%d", i), Time: t0.Add(-time.Hour),
				Amount: complaint.Money{Minor: int64(i), Currency: "CNY"}, MerchantID: "m-1"}}
		}
	})
	c, e, err := complaint.Open(d, complaint.NewRef(created), agent, created)
	if err != nil {
		return nil, err
	}
	if err := s.CreateCase(ctx, c, &e, nil); err != nil {
		return nil, err
	}
	at := created.Add(time.Duration(n-i) * time.Second)
	var events []*complaint.Event
	add := func(e complaint.Event, err error) {
		if err == nil {
			events = append(events, &e)
		}
	}
	if i%3 >= 1 {
		add(c.Transition(complaint.StatusAcknowledged, "", agent, at, complaint.DefaultRules))
	}
	if i%3 == 2 {
		add(c.Transition(complaint.StatusInProgress, "", agent, at, complaint.DefaultRules))
	}
	if i%4 <= 1 {
		add(c.Assign(complaint.Assignment{Team: c.Team, AssigneeID: int64(7 + i%4), AssigneeName: "agent"}, agent, at))
	}
	if len(events) > 0 {
		return c, s.AppendEvents(ctx, c, events...)
	}
	return c, nil
}

// expect returns the cases keep selects, in the order of sort.
func expect(cases []*complaint.Case, sort string, keep func(*complaint.Case) bool) []string {
	var out []*complaint.Case
	for _, c := range cases {
		if keep == nil || keep(c) {
			out = append(out, c)
		}
	}
	slices.SortFunc(out, func(a, b *complaint.Case) int {
		switch sort {
		case "created":
			return cmp.Or(a.CreatedAt.Compare(b.CreatedAt), cmp.Compare(a.ID, b.ID))
		case "-updated":
			return cmp.Or(b.UpdatedAt.Compare(a.UpdatedAt), cmp.Compare(b.ID, a.ID))
		case "updated":
			return cmp.Or(a.UpdatedAt.Compare(b.UpdatedAt), cmp.Compare(a.ID, b.ID))
		case "priority":
			return cmp.Or(cmp.Compare(a.Priority.Rank(), b.Priority.Rank()), a.CreatedAt.Compare(b.CreatedAt), cmp.Compare(a.ID, b.ID))
		default:
			return cmp.Or(b.CreatedAt.Compare(a.CreatedAt), cmp.Compare(b.ID, a.ID))
		}
	})
	return refs(out)
}

// listAll pages through a listing and fails on a repeated case.
func listAll(t *testing.T, s *store.Store, f store.CaseFilter) []*complaint.Case {
	t.Helper()
	var all []*complaint.Case
	seen := map[string]bool{}
	for pages := 0; ; pages++ {
		if pages > 1000 {
			t.Fatal("pagination does not end")
		}
		page, err := s.ListCases(ctx, f)
		if err != nil {
			t.Fatalf("ListCases(%+v): %v", f, err)
		}
		for _, c := range page.Cases {
			if seen[c.Ref] {
				t.Fatalf("case %s listed twice", c.Ref)
			}
			seen[c.Ref] = true
		}
		all = append(all, page.Cases...)
		if page.NextCursor == "" {
			return all
		}
		if len(page.Cases) == 0 {
			t.Fatal("an empty page has a next cursor")
		}
		f.Cursor = page.NextCursor
	}
}

func TestListCasesFiltersAndSorts(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		cases := dataset(t, s, 60)
		from, to := t0.Add(5*time.Minute), t0.Add(12*time.Minute)
		tests := []struct {
			name string
			f    store.CaseFilter
			keep func(*complaint.Case) bool
		}{
			{"all", store.CaseFilter{}, nil},
			{"statuses", store.CaseFilter{Statuses: []complaint.Status{complaint.StatusNew, complaint.StatusInProgress}},
				func(c *complaint.Case) bool {
					return c.Status == complaint.StatusNew || c.Status == complaint.StatusInProgress
				}},
			{"priorities", store.CaseFilter{Priorities: []complaint.Priority{complaint.PriorityP2}},
				func(c *complaint.Case) bool { return c.Priority == complaint.PriorityP2 }},
			{"assignee", store.CaseFilter{AssigneeID: ptr[int64](8)},
				func(c *complaint.Case) bool { return c.AssigneeID == 8 }},
			{"unassigned", store.CaseFilter{AssigneeID: ptr[int64](0)},
				func(c *complaint.Case) bool { return c.AssigneeID == 0 }},
			{"team", store.CaseFilter{Team: "cards"}, func(c *complaint.Case) bool { return c.Team == "cards" }},
			{"category", store.CaseFilter{Category: "fraud"}, func(c *complaint.Case) bool { return c.Category == "fraud" }},
			{"channels", store.CaseFilter{Channels: []complaint.Channel{complaint.ChannelWeb, complaint.ChannelHotline}},
				func(c *complaint.Case) bool {
					return c.Channel == complaint.ChannelWeb || c.Channel == complaint.ChannelHotline
				}},
			{"created from", store.CaseFilter{CreatedFrom: from},
				func(c *complaint.Case) bool { return !c.CreatedAt.Before(from) }},
			{"created to", store.CaseFilter{CreatedTo: to},
				func(c *complaint.Case) bool { return c.CreatedAt.Before(to) }},
			{"created range", store.CaseFilter{CreatedFrom: from, CreatedTo: to},
				func(c *complaint.Case) bool { return !c.CreatedAt.Before(from) && c.CreatedAt.Before(to) }},
			{"query latin any case", store.CaseFilter{Query: "FRAUD ON"},
				func(c *complaint.Case) bool { return strings.Contains(c.Description, "fraud on") }},
			{"query customer name", store.CaseFilter{Query: "李娜"},
				func(c *complaint.Case) bool { return c.Customer.Name == "李娜" }},
			{"query ref", store.CaseFilter{Query: cases[3].Ref[8:]},
				func(c *complaint.Case) bool { return c.Ref == cases[3].Ref }},
			{"combined", store.CaseFilter{Scope: scopeCustomer("cust-2"), Statuses: []complaint.Status{complaint.StatusAcknowledged},
				Team: "cards", Query: "case"},
				func(c *complaint.Case) bool {
					return c.Customer.ID == "cust-2" && c.Status == complaint.StatusAcknowledged && c.Team == "cards"
				}},
		}
		for _, tt := range tests {
			for _, sort := range []string{"", "-created", "created", "-updated", "updated", "priority"} {
				t.Run(tt.name+"/"+sort, func(t *testing.T) {
					f := tt.f
					f.Sort, f.Limit = sort, 7
					got := refs(listAll(t, s, f))
					want := expect(cases, sort, tt.keep)
					if !slices.Equal(got, want) {
						t.Errorf("got  %v\nwant %v", got, want)
					}
					if tt.keep != nil && len(want) == 0 {
						t.Errorf("the dataset has no case for this filter")
					}
				})
			}
		}
	})
}

func TestListCasesPagination(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		cases := dataset(t, s, 120)
		for _, sort := range []string{"-created", "created", "-updated", "updated", "priority"} {
			for _, limit := range []int{1, 13, 50, 119, 120, 200} {
				got := refs(listAll(t, s, store.CaseFilter{Sort: sort, Limit: limit}))
				if want := expect(cases, sort, nil); !slices.Equal(got, want) {
					t.Errorf("sort %s limit %d: got %d cases\n%v\nwant %d\n%v", sort, limit, len(got), got, len(want), want)
				}
			}
		}
		page, err := s.ListCases(ctx, store.CaseFilter{})
		if err != nil || len(page.Cases) != store.DefaultLimit || page.NextCursor == "" {
			t.Errorf("default page: %d cases, cursor %q, %v", len(page.Cases), page.NextCursor, err)
		}
		page, err = s.ListCases(ctx, store.CaseFilter{Limit: 1000})
		if err != nil || len(page.Cases) != 120 || page.NextCursor != "" {
			t.Errorf("page of 1000: %d cases, cursor %q, %v", len(page.Cases), page.NextCursor, err)
		}
	})
}

func TestListCasesMaxLimit(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		dataset(t, s, store.MaxLimit+5)
		page, err := s.ListCases(ctx, store.CaseFilter{Limit: 1000})
		if err != nil || len(page.Cases) != store.MaxLimit || page.NextCursor == "" {
			t.Errorf("page of 1000: %d cases, cursor %q, %v", len(page.Cases), page.NextCursor, err)
		}
	})
}

func TestListCasesScope(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		a := create(t, s, newDraft(func(d *complaint.Draft) { d.Customer.ID = "cust-a" }), t0)
		b := create(t, s, newDraft(func(d *complaint.Draft) { d.Customer.ID = "cust-b"; d.MerchantID = "m-own" }), t0)
		viaTxn := create(t, s, newDraft(func(d *complaint.Draft) {
			d.Customer.ID = "cust-b"
			d.Transactions = []complaint.Transaction{{ID: "t1", Time: t0, Amount: complaint.Money{Minor: 1, Currency: "CNY"}, MerchantID: "m-own"}}
		}), t0)
		linked := create(t, s, newDraft(func(d *complaint.Draft) { d.Customer.ID = "cust-c" }), t0)
		apply(t, s, linked, func(c *complaint.Case) (complaint.Event, error) {
			return c.LinkTransaction(complaint.Transaction{ID: "t2", Time: t0, Amount: complaint.Money{Minor: 2, Currency: "CNY"},
				MerchantID: "m-own"}, agent, t0.Add(time.Minute))
		})
		create(t, s, newDraft(func(d *complaint.Draft) { d.Customer.ID = "cust-d"; d.MerchantID = "m-else" }), t0)

		for _, tt := range []struct {
			name  string
			scope access.CaseScope
			want  []*complaint.Case
		}{
			{"customer a", scopeCustomer("cust-a"), []*complaint.Case{a}},
			{"customer b", scopeCustomer("cust-b"), []*complaint.Case{b, viaTxn}},
			{"unknown customer", scopeCustomer("cust-z"), nil},
			{"merchant", scopeMerchant("m-own"), []*complaint.Case{b, viaTxn, linked}},
			{"unknown merchant", scopeMerchant("m-z"), nil},
			{"none", access.CaseScope{None: true}, nil},
		} {
			t.Run(tt.name, func(t *testing.T) {
				got := listAll(t, s, store.CaseFilter{Scope: tt.scope, Sort: "created"})
				if !slices.Equal(refs(got), refs(tt.want)) {
					t.Errorf("got %v, want %v", refs(got), refs(tt.want))
				}
			})
		}
		if page, err := s.ListCases(ctx, store.CaseFilter{Scope: access.CaseScope{None: true}}); err != nil || page.Cases == nil {
			t.Errorf("scope None: %v, %v; want an empty non-nil page", page.Cases, err)
		}
	})
}

func TestListCasesQuery(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		refund := create(t, s, newDraft(func(d *complaint.Draft) { d.Subject = "申请退款"; d.Description = "已付款" }), t0)
		huabei := create(t, s, newDraft(func(d *complaint.Draft) { d.Subject = "账单问题"; d.Description = "花呗分期多扣了钱" }), t0)
		percent := create(t, s, newDraft(func(d *complaint.Draft) { d.Subject = "charged 100% twice"; d.Description = "x" }), t0)
		under := create(t, s, newDraft(func(d *complaint.Draft) { d.Subject = "field a_b wrong"; d.Description = "x" }), t0)
		slash := create(t, s, newDraft(func(d *complaint.Draft) { d.Subject = "charged 1000 twice, field aXb"; d.Description = `back\slash` }), t0)

		for q, want := range map[string][]*complaint.Case{
			"退款":   {refund},
			"花呗":   {huabei},
			"100%": {percent},
			"%":    {percent},
			"a_b":  {under},
			"_":    {under},
			`\`:    {slash},
			"没有":   nil,
		} {
			got := listAll(t, s, store.CaseFilter{Query: q, Sort: "created"})
			if !slices.Equal(refs(got), refs(want)) {
				t.Errorf("query %q: got %v, want %v", q, refs(got), refs(want))
			}
		}
	})
}

func TestListCasesBadInput(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		dataset(t, s, 5)
		page, err := s.ListCases(ctx, store.CaseFilter{Limit: 2})
		if err != nil || page.NextCursor == "" {
			t.Fatalf("first page: %v, cursor %q", err, page.NextCursor)
		}
		for _, cur := range []string{"garbage", "AQ", page.NextCursor + "A", strings.Repeat("A", 100), "!!!!"} {
			if _, err := s.ListCases(ctx, store.CaseFilter{Cursor: cur}); !errors.Is(err, store.ErrBadCursor) {
				t.Errorf("cursor %q: %v, want ErrBadCursor", cur, err)
			}
		}
		if _, err := s.ListCases(ctx, store.CaseFilter{Cursor: page.NextCursor, Sort: "priority"}); !errors.Is(err, store.ErrBadCursor) {
			t.Errorf("cursor of another sort: %v, want ErrBadCursor", err)
		}
		if _, err := s.ListCases(ctx, store.CaseFilter{Sort: "subject"}); !errors.Is(err, store.ErrBadSort) {
			t.Errorf("unknown sort: %v, want ErrBadSort", err)
		}
	})
}
