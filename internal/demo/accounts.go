package demo

import (
	"context"
	"fmt"

	"github.com/redress-project/redress/internal/access"
	"github.com/redress-project/redress/internal/auth"
	"github.com/redress-project/redress/internal/complaint"
	"github.com/redress-project/redress/internal/store"
)

// Password is the password of every demo account. It is printed by
// "redress demo"; the demo database is for trying redress out, never for
// real complaints.
const Password = "redress-demo-2026"

// Account is a demo user account and how to sign in as it.
type Account struct {
	access.User
	Password string
}

// Accounts are the demo accounts Seed created, one or more per role.
type Accounts struct {
	Customer   Account   // owns some demo complaints (Chinese)
	Customer2  Account   // owns some demo complaints (English)
	Agents     []Account // in several teams; Agents[0] is agent@demo.redress.local
	Supervisor Account
	Merchant   Account // acts for DemoMerchantID
	Admin      Account
	Auditor    Account
}

// All lists every account in the order "redress demo" prints them.
func (a Accounts) All() []Account {
	out := []Account{a.Customer, a.Customer2}
	out = append(out, a.Agents...)
	return append(out, a.Supervisor, a.Merchant, a.Admin, a.Auditor)
}

// Agent is the main agent account, agent@demo.redress.local.
func (a Accounts) Agent() Account { return a.Agents[0] }

// staffMember is a demo employee: the agents of each team and the
// supervisor. Each team has a Chinese-speaking and an English-speaking agent.
type staffMember struct {
	email, name string
	role        complaint.Role
	team        string
	script      script // the script the member writes notes in
}

const emailDomain = "demo.redress.local"

var staff = []staffMember{
	{"agent", "王芳", complaint.RoleAgent, TeamPayments, hans},
	{"daniel.brooks", "Daniel Brooks", complaint.RoleAgent, TeamPayments, latin},
	{"li.na", "李娜", complaint.RoleAgent, TeamRefunds, hans},
	{"emily.carter", "Emily Carter", complaint.RoleAgent, TeamRefunds, latin},
	{"zhang.wei", "张伟", complaint.RoleAgent, TeamFraud, hans},
	{"priya.nair", "Priya Nair", complaint.RoleAgent, TeamFraud, latin},
	{"chen.jing", "陈静", complaint.RoleAgent, TeamPrivacy, hans},
	{"tom.hughes", "Tom Hughes", complaint.RoleAgent, TeamPrivacy, latin},
	{"liu.yang", "刘洋", complaint.RoleAgent, TeamMerchantDisputes, hans},
	{"sarah.lim", "Sarah Lim", complaint.RoleAgent, TeamMerchantDisputes, latin},
	{"zhao.min", "赵敏", complaint.RoleAgent, TeamService, hans},
	{"kevin.oneill", "Kevin O'Neill", complaint.RoleAgent, TeamService, latin},
	{"supervisor", "周志强", complaint.RoleSupervisor, "", hans},
}

// supervisor is the index of the supervisor in staff.
const supervisor = 12

// agentFor returns the index in staff of the agent of team who works in
// the script closest to s.
func agentFor(team string, s script) int {
	want := latin
	if s != latin {
		want = hans
	}
	for i, m := range staff {
		if m.team == team && m.script == want {
			return i
		}
	}
	panic("demo: no agent for team " + team)
}

// The demo customers, who have accounts and own some of the complaints.
var demoCustomers = [2]customer{
	{Customer: complaint.Customer{ID: "CU8000000001", Name: "林晓雯", Email: "customer@" + emailDomain, Phone: "13800000001"}, region: regionCN, demo: 1},
	{Customer: complaint.Customer{ID: "CU8000000002", Name: "Emma Thompson", Email: "customer2@" + emailDomain, Phone: "+44 7700 900123"}, region: regionUK, demo: 2},
}

// demoUsers lists the demo accounts to create, in the order they are
// created (so that their ids are the same on every run).
func demoUsers() []access.User {
	var users []access.User
	for _, c := range demoCustomers {
		users = append(users, access.User{Email: c.Email, Name: c.Name, Role: complaint.RoleCustomer, CustomerID: c.ID})
	}
	for _, m := range staff {
		users = append(users, access.User{Email: m.email + "@" + emailDomain, Name: m.name, Role: m.role, Team: m.team})
	}
	return append(users,
		access.User{Email: "merchant@" + emailDomain, Name: merchants[0].names[hans] + " 客服", Role: complaint.RoleMerchant, MerchantID: DemoMerchantID},
		access.User{Email: "admin@" + emailDomain, Name: "孙丽", Role: complaint.RoleAdmin},
		access.User{Email: "auditor@" + emailDomain, Name: "Grace Ho", Role: complaint.RoleAuditor},
	)
}

// createAccounts creates the demo users, in a fixed order so that their
// ids are the same on every run. Every demo account has the same, printed
// password, so they share one hash: argon2id is slow by design, and
// hashing it once per account would be most of the CPU the demo spends
// before its cases.
func createAccounts(ctx context.Context, st *store.Store) (Accounts, error) {
	hash, err := auth.HashPassword(Password)
	if err != nil {
		return Accounts{}, err
	}
	var a Accounts
	for _, u := range demoUsers() {
		u.PasswordHash = hash
		if err := st.CreateUser(ctx, &u); err != nil {
			return Accounts{}, fmt.Errorf("creating demo user %s: %w", u.Email, err)
		}
		u.PasswordHash = ""
		a.add(Account{User: u, Password: Password})
	}
	return a, nil
}

// add files acct under its role.
func (a *Accounts) add(acct Account) {
	switch acct.Role {
	case complaint.RoleCustomer:
		if acct.CustomerID == demoCustomers[0].ID {
			a.Customer = acct
		} else {
			a.Customer2 = acct
		}
	case complaint.RoleAgent:
		a.Agents = append(a.Agents, acct)
	case complaint.RoleSupervisor:
		a.Supervisor = acct
	case complaint.RoleMerchant:
		a.Merchant = acct
	case complaint.RoleAdmin:
		a.Admin = acct
	case complaint.RoleAuditor:
		a.Auditor = acct
	}
}
