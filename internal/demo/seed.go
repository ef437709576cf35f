// Package demo fills a redress database with realistic demo data: an
// account for every role, and a few thousand complaints written by a
// template generator (no copied corpus), in simplified and traditional
// Chinese and in English. Each is filed through the desk and given a real
// history by the desk's own commands, access checks and lifecycle rules —
// acknowledged, answered, waited on, resolved, closed, reopened, withdrawn
// or appealed — at times spread over the four months before now.
//
// Seed fills a store; Generator.Draft gives single complaints, for load
// tests such as "redress bench intake".
package demo

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/redress-project/redress/internal/access"
	"github.com/redress-project/redress/internal/complaint"
	"github.com/redress-project/redress/internal/desk"
	"github.com/redress-project/redress/internal/store"
)

// Options configure Seed.
type Options struct {
	Cases   int       // how many complaints; default DefaultCases
	Seed    int64     // the generator's seed: the same seed gives the same data
	Now     time.Time // the demo's present: no event is later; default time.Now()
	Workers int       // cases seeded at once; default DefaultWorkers
	// ViaDesk runs every action of a history as its own desk call, one
	// write each, instead of storing each case's history in one write.
	// The data is the same; it is much slower.
	ViaDesk bool
}

// Defaults for Options.
const (
	DefaultCases   = 2400
	DefaultWorkers = 24
)

// Seed creates the demo accounts and opts.Cases complaints with their
// histories in st, which should be empty. Cases are seeded concurrently,
// so that the store can commit their writes in groups. The accounts'
// passwords are hashed the way auth does (auth.HashPassword), so they sign
// in like any other account.
func Seed(ctx context.Context, st *store.Store, opts Options) (Accounts, error) {
	if opts.Cases <= 0 {
		opts.Cases = DefaultCases
	}
	if opts.Now.IsZero() {
		opts.Now = time.Now()
	}
	if opts.Workers <= 0 {
		opts.Workers = DefaultWorkers
	}
	accounts, err := createAccounts(ctx, st)
	if err != nil {
		return accounts, err
	}
	s := &seeder{st: st, gen: NewGenerator(opts.Seed, opts.Now), accounts: accounts, viaDesk: opts.ViaDesk}
	return accounts, s.run(ctx, opts.Cases, opts.Workers)
}

// seeder runs plans against the store.
type seeder struct {
	st       *store.Store
	gen      *Generator
	accounts Accounts
	viaDesk  bool
}

// run seeds cases 0..n-1 on workers goroutines and returns the first error.
func (s *seeder) run(ctx context.Context, n, workers int) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		next     atomic.Int64
		wg       sync.WaitGroup
		once     sync.Once
		firstErr error
	)
	for range min(workers, n) {
		wg.Go(func() {
			for ctx.Err() == nil {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				if err := s.seedCase(ctx, s.gen.plan(i)); err != nil {
					once.Do(func() { firstErr = err; cancel() })
				}
			}
		})
	}
	wg.Wait()
	return firstErr
}

// seedCase files the plan's complaint through the desk, then runs its
// history: in one write (the default), or one desk call per action.
func (s *seeder) seedCase(ctx context.Context, p *plan) error {
	now := p.filedAt
	dk := desk.New(s.st, desk.WithClock(func() time.Time { return now }))
	c, _, err := dk.File(ctx, s.principal(p, p.filer, p.filerIdx), p.draft, "")
	if err != nil {
		return fmt.Errorf("demo: filing case %d: %w", p.index, err)
	}
	if !s.viaDesk {
		events, err := s.history(p, c)
		if err != nil {
			return err
		}
		return s.st.AppendEvents(ctx, c, events...)
	}
	for k, a := range p.actions {
		now = p.filedAt.Add(a.at)
		if err := s.do(ctx, dk, p, c.Ref, a); err != nil {
			return fmt.Errorf("demo: case %d (%s) action %d (%d): %w", p.index, c.Ref, k, a.op, err)
		}
	}
	return nil
}

// assignment turns a planned assignment, which names a staff index, into
// one naming the staff member's account.
func (s *seeder) assignment(a complaint.Assignment) complaint.Assignment {
	if a.AssigneeID == 0 {
		return a
	}
	u := s.staffUser(int(a.AssigneeID) - 1)
	return complaint.Assignment{Team: a.Team, AssigneeID: u.ID, AssigneeName: u.Name}
}

func (s *seeder) staffUser(i int) access.User {
	if i == supervisor {
		return s.accounts.Supervisor.User
	}
	return s.accounts.Agents[i].User
}

// principal is who acts: a staff account, the demo merchant, redress
// itself, or the complainant. Complainants without a demo account act as a
// principal with their customer id, as a platform's single sign-on would
// present them.
func (s *seeder) principal(p *plan, by who, staffIdx int) access.Principal {
	switch by {
	case byStaff:
		return access.PrincipalOf(s.staffUser(staffIdx))
	case byMerchant:
		return access.PrincipalOf(s.accounts.Merchant.User)
	case bySystem:
		return access.Principal{Role: complaint.RoleSystem, Name: complaint.System.Name}
	}
	switch p.customer.demo {
	case 1:
		return access.PrincipalOf(s.accounts.Customer.User)
	case 2:
		return access.PrincipalOf(s.accounts.Customer2.User)
	}
	c := p.customer
	return access.Principal{Role: complaint.RoleCustomer, Name: c.Name, Email: c.Email, CustomerID: c.ID}
}
