package assign_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/redress-project/redress/internal/access"
	"github.com/redress-project/redress/internal/complaint"
	"github.com/redress-project/redress/internal/server"
	"github.com/redress-project/redress/internal/store"
	"github.com/redress-project/redress/internal/store/storetest"
)

// The server's workers assess a filed complaint, route it to an agent of
// its category's team who speaks its language, and then start its clocks.
func TestServerRoutesAssessedComplaints(t *testing.T) {
	for _, backend := range storetest.Backends {
		t.Run(backend, func(t *testing.T) {
			s, err := server.New(ctx, server.Config{DatabaseURL: storetest.URL(t, backend), Logger: quiet})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { s.Close() })
			mk := func(email, name, team string, langs ...string) access.User {
				u, err := s.Auth().CreateUser(ctx, access.User{Email: email, Name: name, Role: complaint.RoleAgent, Team: team},
					"a long enough passphrase")
				if err != nil {
					t.Fatal(err)
				}
				if err := s.Store().UpsertAgentProfile(ctx, store.AgentProfile{UserID: u.ID, Languages: langs, Capacity: 10}); err != nil {
					t.Fatal(err)
				}
				return u
			}
			mk("en@example.com", "English", "refunds", "en")
			hans := mk("hans@example.com", "简体", "refunds", "zh-Hans")
			mk("fraud@example.com", "Fraud", "fraud")

			customer := access.Principal{UserID: 999, Name: "王芳", Role: complaint.RoleCustomer, CustomerID: "c-1"}
			c, _, err := s.Desk().File(ctx, customer, complaint.Draft{Category: "refund",
				Subject: "退款一直没有到账", Description: "商家已经同意退款，十天了钱还没有退回来。"}, "")
			if err != nil {
				t.Fatal(err)
			}
			if err := s.RunWorkersOnce(ctx); err != nil {
				t.Fatal(err)
			}
			got, events, err := s.Desk().View(ctx, access.SystemPrincipal, c.Ref)
			if err != nil {
				t.Fatal(err)
			}
			if got.AssigneeID != hans.ID || got.Team != "refunds" {
				t.Fatalf("the complaint went to %d in %s, want %d in refunds (language %q, assessed %+v)",
					got.AssigneeID, got.Team, hans.ID, got.Language, got.Assessment)
			}
			if _, ok := got.DeadlineNamed("first_response"); !ok {
				t.Error("the clocks did not start")
			}
			var reasons []string
			for _, e := range events {
				if e.Kind == complaint.KindAssigned {
					var a complaint.Assignment
					_ = json.Unmarshal(e.After, &a)
					if a.AssigneeID != 0 {
						reasons = append(reasons, a.Reason)
					}
				}
			}
			if len(reasons) != 1 || !strings.Contains(reasons[0], "zh-Hans") {
				t.Errorf("assignments with an agent: %q", reasons)
			}
		})
	}
}
