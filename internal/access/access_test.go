package access

import (
	"errors"
	"testing"

	"github.com/redress-project/redress/internal/complaint"
)

func TestAuthorizeAgent(t *testing.T) {
	agent := Principal{UserID: 7, Role: complaint.RoleAgent}
	supervisor := Principal{UserID: 9, Role: complaint.RoleSupervisor}
	customer := Principal{UserID: 3, Role: complaint.RoleCustomer, CustomerID: "c"}
	for _, tc := range []struct {
		name    string
		p       Principal
		action  Action
		agentID int64
		allowed bool
	}{
		{"agent sets own availability", agent, SetAvailability, 7, true},
		{"agent sets another's availability", agent, SetAvailability, 8, false},
		{"supervisor sets anyone's availability", supervisor, SetAvailability, 8, true},
		{"customer sets availability", customer, SetAvailability, 3, false},
		{"agent edits own profile", agent, ManageAgents, 7, false},
		{"supervisor edits a profile", supervisor, ManageAgents, 8, true},
	} {
		err := AuthorizeAgent(tc.p, tc.action, tc.agentID)
		if tc.allowed && err != nil || !tc.allowed && !errors.Is(err, ErrForbidden) {
			t.Errorf("%s: got %v", tc.name, err)
		}
	}
}

func TestScopeMatchesCanSee(t *testing.T) {
	c := &complaint.Case{Customer: complaint.Customer{ID: "c1"}, MerchantID: "M1"}
	for _, p := range []Principal{
		{Role: complaint.RoleCustomer, CustomerID: "c1"}, {Role: complaint.RoleCustomer, CustomerID: "c2"},
		{Role: complaint.RoleCustomer}, {Role: complaint.RoleMerchant, MerchantID: "M1"},
		{Role: complaint.RoleMerchant, MerchantID: "M2"}, {Role: complaint.RoleAgent}, {Role: complaint.RoleAuditor},
	} {
		s := Scope(p)
		inScope := !s.None && (s.CustomerID == "" || s.CustomerID == c.Customer.ID) && (s.MerchantID == "" || s.MerchantID == c.MerchantID)
		if inScope != CanSee(p, c) {
			t.Errorf("%+v: Scope says %v, CanSee says %v", p, inScope, CanSee(p, c))
		}
	}
}
