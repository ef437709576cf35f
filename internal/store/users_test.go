package store_test

import (
	"bytes"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/redress-project/redress/internal/access"
	"github.com/redress-project/redress/internal/complaint"
	"github.com/redress-project/redress/internal/store"
	"github.com/redress-project/redress/internal/store/storetest"
)

func newUser(email string) *access.User {
	return &access.User{Email: email, Name: "李雷", Role: complaint.RoleMerchant, PasswordHash: "$argon2id$v=19$m=65536,t=1,p=4$c2FsdA$aGFzaA",
		MerchantID: "m-1", Team: "cards"}
}

func TestUsers(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		u := newUser("Li.Lei@Example.com")
		u.Disabled = true
		if err := s.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		if u.ID == 0 || u.CreatedAt.IsZero() || u.CreatedAt != complaint.Timestamp(u.CreatedAt) {
			t.Fatalf("CreateUser set id %d, created %v", u.ID, u.CreatedAt)
		}
		if err := s.CreateUser(ctx, newUser("li.lei@EXAMPLE.com")); !errors.Is(err, store.ErrEmailTaken) {
			t.Fatalf("duplicate email in other case: %v, want ErrEmailTaken", err)
		}
		byEmail, err := s.UserByEmail(ctx, "LI.LEI@example.COM")
		if err != nil || !reflect.DeepEqual(byEmail, *u) {
			t.Fatalf("UserByEmail: %+v, %v; want %+v", byEmail, err, *u)
		}
		byID, err := s.UserByID(ctx, u.ID)
		if err != nil || !reflect.DeepEqual(byID, *u) {
			t.Fatalf("UserByID: %+v, %v", byID, err)
		}
		if _, err := s.UserByID(ctx, u.ID+100); !errors.Is(err, complaint.ErrNotFound) {
			t.Errorf("unknown id: %v", err)
		}
		if _, err := s.UserByEmail(ctx, "nobody@example.com"); !errors.Is(err, complaint.ErrNotFound) {
			t.Errorf("unknown email: %v", err)
		}
		v := newUser("second@example.com")
		if err := s.CreateUser(ctx, v); err != nil {
			t.Fatal(err)
		}
		all, err := s.ListUsers(ctx)
		if err != nil || !reflect.DeepEqual(all, []access.User{*u, *v}) {
			t.Fatalf("ListUsers: %+v, %v", all, err)
		}
	})
}

func TestTokens(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		now := t0
		store.SetClock(s, func() time.Time { return now })
		u := newUser("token@example.com")
		if err := s.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		hash := bytes.Repeat([]byte{0xab}, 32)
		if err := s.CreateToken(ctx, u.ID, "ci", hash); err != nil {
			t.Fatal(err)
		}
		got, err := s.UserByTokenHash(ctx, hash)
		if err != nil || !reflect.DeepEqual(got, *u) {
			t.Fatalf("UserByTokenHash: %+v, %v", got, err)
		}
		if _, err := s.UserByTokenHash(ctx, []byte("other")); !errors.Is(err, complaint.ErrNotFound) {
			t.Errorf("unknown token: %v", err)
		}

		store.WaitBackground(s)
		if used := store.TokenLastUsed(t, s, hash); !used.Equal(t0) {
			t.Fatalf("last used %v, want %v", used, t0)
		}
		now = t0.Add(30 * time.Second) // within the minute: not recorded
		s.UserByTokenHash(ctx, hash)
		store.WaitBackground(s)
		if used := store.TokenLastUsed(t, s, hash); !used.Equal(t0) {
			t.Errorf("last used %v after a use within the minute, want %v", used, t0)
		}
		now = t0.Add(61 * time.Second)
		s.UserByTokenHash(ctx, hash)
		store.WaitBackground(s)
		if used := store.TokenLastUsed(t, s, hash); !used.Equal(now) {
			t.Errorf("last used %v, want %v", used, now)
		}
	})
}

func TestSessions(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		u := newUser("session@example.com")
		if err := s.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		sess := store.Session{IDHash: []byte("session-hash-1"), UserID: u.ID, CSRFToken: "csrf",
			CreatedAt: t0, ExpiresAt: t0.Add(time.Hour)}
		if err := s.CreateSession(ctx, sess); err != nil {
			t.Fatal(err)
		}
		got, user, err := s.SessionByHash(ctx, sess.IDHash, t0.Add(time.Minute))
		if err != nil || !reflect.DeepEqual(got, sess) || !reflect.DeepEqual(user, *u) {
			t.Fatalf("SessionByHash: %+v %+v %v", got, user, err)
		}
		if _, _, err := s.SessionByHash(ctx, sess.IDHash, t0.Add(time.Hour)); !errors.Is(err, complaint.ErrNotFound) {
			t.Errorf("expired session: %v, want ErrNotFound", err)
		}
		if _, _, err := s.SessionByHash(ctx, []byte("nope"), t0); !errors.Is(err, complaint.ErrNotFound) {
			t.Errorf("unknown session: %v, want ErrNotFound", err)
		}
		if err := s.DeleteSession(ctx, sess.IDHash); err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.SessionByHash(ctx, sess.IDHash, t0); !errors.Is(err, complaint.ErrNotFound) {
			t.Errorf("deleted session: %v, want ErrNotFound", err)
		}

		for i, exp := range []time.Duration{time.Minute, time.Hour, 2 * time.Hour} {
			if err := s.CreateSession(ctx, store.Session{IDHash: []byte{byte(i)}, UserID: u.ID, CreatedAt: t0, ExpiresAt: t0.Add(exp)}); err != nil {
				t.Fatal(err)
			}
		}
		if n, err := s.DeleteExpiredSessions(ctx, t0.Add(time.Hour)); err != nil || n != 2 {
			t.Errorf("DeleteExpiredSessions: %d, %v; want 2", n, err)
		}
	})
}
