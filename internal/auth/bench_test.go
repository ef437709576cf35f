package auth

import (
	"context"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"

	"github.com/redress-project/redress/internal/store"
)

// BenchmarkBearerAuth measures what Middleware adds to a request with an
// API token: a SHA-256 and one indexed lookup (here on SQLite), no argon2.
func BenchmarkBearerAuth(b *testing.B) {
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(b.TempDir(), "bench.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	a := New(st, Options{})
	if _, err := a.CreateUser(ctx, agent("ann@example.com"), password); err != nil {
		b.Fatal(err)
	}
	token, err := a.IssueToken(ctx, "ann@example.com", "bench")
	if err != nil {
		b.Fatal(err)
	}
	h := a.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, ok := PrincipalFrom(r.Context()); !ok {
			b.Fatal("no principal")
		}
	}))
	r := httptest.NewRequest("GET", "/api/cases", nil)
	r.Header.Set("Authorization", "Bearer "+token)
	b.ReportAllocs()
	for b.Loop() {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		if w.Code != http.StatusOK {
			b.Fatalf("status %d", w.Code)
		}
	}
}

// BenchmarkVerifyPassword is the cost of one login, for comparison.
func BenchmarkVerifyPassword(b *testing.B) {
	h, _ := HashPassword(password)
	for b.Loop() {
		VerifyPassword(h, password)
	}
}

// BenchmarkHashToken is the part of BenchmarkBearerAuth that is not the
// database: checking the token's form and hashing it.
func BenchmarkHashToken(b *testing.B) {
	token, _ := NewToken()
	for b.Loop() {
		if !plausibleToken(token) {
			b.Fatal("implausible")
		}
		HashToken(token)
	}
}
