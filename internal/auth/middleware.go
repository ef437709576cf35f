package auth

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"strings"

	"github.com/redress-project/redress/internal/access"
	"github.com/redress-project/redress/internal/complaint"
	"github.com/redress-project/redress/internal/store"
)

type ctxKey struct{}

// identity is what Middleware puts in the request context.
type identity struct {
	principal  access.Principal
	viaSession bool
	csrfToken  string
}

// WithPrincipal returns ctx carrying p, as if p had authenticated with an
// API token (so CSRF checks do not apply).
func WithPrincipal(ctx context.Context, p access.Principal) context.Context {
	return context.WithValue(ctx, ctxKey{}, identity{principal: p})
}

// PrincipalFrom returns the principal of the request with context ctx; ok is
// false for anonymous requests.
func PrincipalFrom(ctx context.Context) (p access.Principal, ok bool) {
	id, ok := ctx.Value(ctxKey{}).(identity)
	return id.principal, ok
}

// ViaSession reports whether the principal came from a session cookie, so
// that requests which change something must pass CheckCSRF.
func ViaSession(ctx context.Context) bool {
	id, _ := ctx.Value(ctxKey{}).(identity)
	return id.viaSession
}

// CSRFToken returns the CSRF token of the session, for forms (a hidden
// field named csrf_token) and for scripts (a <meta> tag, sent back as the
// X-CSRF-Token header). It is "" without a session.
func CSRFToken(ctx context.Context) string {
	id, _ := ctx.Value(ctxKey{}).(identity)
	return id.csrfToken
}

// CheckCSRF returns ErrCSRF if r is an unsafe request (POST, PUT, PATCH,
// DELETE, …) authenticated by a session cookie that does not carry the
// session's CSRF token in the X-CSRF-Token header or the csrf_token form
// field. Requests with a bearer token or without a principal pass: browsers
// never add an Authorization header on their own.
func CheckCSRF(r *http.Request) error {
	switch r.Method {
	case http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodTrace:
		return nil
	}
	id, _ := r.Context().Value(ctxKey{}).(identity)
	if !id.viaSession {
		return nil
	}
	got := r.Header.Get("X-CSRF-Token")
	if got == "" {
		got = r.PostFormValue("csrf_token")
	}
	if got == "" || subtle.ConstantTimeCompare([]byte(got), []byte(id.csrfToken)) != 1 {
		return ErrCSRF
	}
	return nil
}

// Middleware authenticates requests. It resolves the principal from an
// "Authorization: Bearer <token>" header or, failing that, from the session
// cookie, and puts it in the request context for PrincipalFrom. Requests
// with neither pass through anonymously; handlers decide whether that will
// do. A malformed Authorization header or an unknown token is answered with
// 401 and the JSON error code invalid_token. An unknown or expired session
// cookie is cleared and the request treated as anonymous.
func (a *Authenticator) Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		if header := r.Header.Get("Authorization"); header != "" {
			scheme, token, _ := strings.Cut(header, " ")
			if !strings.EqualFold(scheme, "Bearer") || !plausibleToken(token) {
				invalidToken(w, "the Authorization header must be \"Bearer <token>\" with a redress API token")
				return
			}
			u, err := a.store.UserByTokenHash(ctx, HashToken(token))
			switch {
			case errors.Is(err, complaint.ErrNotFound) || err == nil && u.Disabled:
				invalidToken(w, "the API token is unknown or has been revoked")
				return
			case err != nil:
				internalError(w, r, err)
				return
			}
			next.ServeHTTP(w, r.WithContext(WithPrincipal(ctx, access.PrincipalOf(u))))
			return
		}
		if c, err := r.Cookie(CookieName); err == nil {
			sess, u, err := a.session(ctx, c.Value)
			switch {
			case errors.Is(err, complaint.ErrNotFound) || err == nil && u.Disabled:
				http.SetCookie(w, a.cookie("", -1))
			case err != nil:
				internalError(w, r, err)
				return
			default:
				id := identity{principal: access.PrincipalOf(u), viaSession: true, csrfToken: sess.CSRFToken}
				r = r.WithContext(context.WithValue(ctx, ctxKey{}, id))
			}
		}
		next.ServeHTTP(w, r)
	})
}

// session looks up the session with the given cookie value.
func (a *Authenticator) session(ctx context.Context, id string) (store.Session, access.User, error) {
	if len(id) != 43 { // not made by randomString: spare the database
		return store.Session{}, access.User{}, complaint.ErrNotFound
	}
	return a.store.SessionByHash(ctx, HashToken(id), a.now())
}

func invalidToken(w http.ResponseWriter, msg string) {
	w.Header().Set("WWW-Authenticate", `Bearer error="invalid_token"`)
	writeError(w, http.StatusUnauthorized, "invalid_token", msg)
}

func internalError(w http.ResponseWriter, r *http.Request, err error) {
	slog.ErrorContext(r.Context(), "auth: cannot authenticate request", "method", r.Method, "path", r.URL.Path, "err", err)
	writeError(w, http.StatusInternalServerError, "internal", "authentication is unavailable; try again later")
}

func writeError(w http.ResponseWriter, status int, code, msg string) {
	type body struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]body{"error": {code, msg}})
}
