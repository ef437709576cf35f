package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/redress-project/redress/internal/complaint"
	"github.com/redress-project/redress/internal/store"
)

var (
	ctx   = context.Background()
	t0    = time.Date(2026, 3, 2, 9, 0, 0, 123456000, time.UTC)
	agent = complaint.Actor{ID: 7, Role: complaint.RoleAgent, Name: "王芳"}
)

// newDraft returns a valid, normalized draft changed by mods.
func newDraft(mods ...func(*complaint.Draft)) complaint.Draft {
	d := complaint.Draft{
		Customer:    complaint.Customer{ID: "cust-1", Name: "张伟", Email: "zhang.wei@example.com", Phone: "+86 138 0013 8000"},
		Channel:     complaint.ChannelApp,
		Language:    "zh-CN",
		Subject:     "花呗 charged twice",
		Description: "I paid once but was charged twice.\n请退款。",
	}
	for _, m := range mods {
		m(&d)
	}
	d.Normalize()
	return d
}

// withEvidence gives a draft a merchant, two transactions and attachments.
func withEvidence(d *complaint.Draft) {
	d.MerchantID = "m-shop"
	d.Transactions = []complaint.Transaction{
		{ID: "tx-1", Time: t0.Add(-48 * time.Hour), Amount: complaint.Money{Minor: 12345, Currency: "CNY"},
			Counterparty: "Shop 商店", MerchantID: "m-shop", Status: "settled"},
		{ID: "tx-2", Time: t0.Add(-47*time.Hour + 999*time.Microsecond), Amount: complaint.Money{Minor: 500, Currency: "USD"},
			MerchantID: "m-other"},
	}
	d.Attachments = []complaint.Attachment{
		{Name: "receipt.pdf", ContentType: "application/pdf", Size: 2048, SHA256: "ab12"},
		{Name: "截图.png", ContentType: "image/png", Size: 0},
	}
}

// open makes a case from d at time at, not yet stored.
func open(t testing.TB, d complaint.Draft, at time.Time) (*complaint.Case, *complaint.Event) {
	t.Helper()
	c, e, err := complaint.Open(d, complaint.NewRef(at), complaint.Actor{Role: complaint.RoleCustomer, Name: d.Customer.Name}, at)
	if err != nil {
		t.Fatalf("complaint.Open: %v", err)
	}
	return c, &e
}

// create stores a new case from d opened at time at.
func create(t testing.TB, s *store.Store, d complaint.Draft, at time.Time) *complaint.Case {
	t.Helper()
	c, e := open(t, d, at)
	if err := s.CreateCase(ctx, c, e, nil); err != nil {
		t.Fatalf("CreateCase: %v", err)
	}
	return c
}

// apply runs a domain command on c and stores its event.
func apply(t testing.TB, s *store.Store, c *complaint.Case, cmd func(c *complaint.Case) (complaint.Event, error)) *complaint.Event {
	t.Helper()
	e, err := cmd(c)
	if err != nil {
		t.Fatalf("command: %v", err)
	}
	if err := s.AppendEvents(ctx, c, &e); err != nil {
		t.Fatalf("AppendEvents: %v", err)
	}
	return &e
}

func transition(to complaint.Status, at time.Time) func(c *complaint.Case) (complaint.Event, error) {
	return func(c *complaint.Case) (complaint.Event, error) {
		return c.Transition(to, "", agent, at, complaint.DefaultRules)
	}
}

func mustCase(t testing.TB, s *store.Store, ref string) *complaint.Case {
	t.Helper()
	c, err := s.CaseByRef(ctx, ref)
	if err != nil {
		t.Fatalf("CaseByRef(%s): %v", ref, err)
	}
	return c
}

func refs(cases []*complaint.Case) []string {
	out := make([]string, len(cases))
	for i, c := range cases {
		out[i] = c.Ref
	}
	return out
}

func ptr[T any](v T) *T { return &v }
