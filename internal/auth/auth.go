// Package auth authenticates the callers of redress: people log in with a
// password and get a browser session (a cookie, with a CSRF token for
// forms), and programs send an API token as "Authorization: Bearer".
// Middleware turns either into an access.Principal in the request context;
// deciding what that principal may do is access.Authorize's job.
//
// Passwords are hashed with argon2id. API tokens and session ids are 256-bit
// random strings, stored only as SHA-256 hashes, so a copy of the database
// does not let anyone sign in.
package auth

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/mail"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/redress-project/redress/internal/access"
	"github.com/redress-project/redress/internal/complaint"
	"github.com/redress-project/redress/internal/store"
)

// CookieName is the name of the session cookie.
const CookieName = "redress_session"

// Errors of Login and CheckCSRF.
var (
	// ErrBadCredentials is the one answer to a failed login, whether the
	// email is unknown, the password wrong or the account disabled.
	ErrBadCredentials = errors.New("wrong email or password")
	// ErrTooManyAttempts is returned while logins for an email are
	// blocked after too many failures.
	ErrTooManyAttempts = errors.New("too many failed logins; try again later")
	// ErrCSRF is returned by CheckCSRF when a cookie-authenticated request
	// that changes something lacks the session's CSRF token.
	ErrCSRF = errors.New("missing or wrong CSRF token")
)

// Options configures an Authenticator. The zero value is usable.
type Options struct {
	SessionTTL    time.Duration    // how long a login lasts; default 12h
	SecureCookies bool             // set the Secure flag on cookies (HTTPS only)
	Now           func() time.Time // the clock; default time.Now
}

// Authenticator creates users, tokens and sessions and recognises them on
// requests. It is safe for concurrent use.
type Authenticator struct {
	store  *store.Store
	ttl    time.Duration
	secure bool
	now    func() time.Time
	limit  *limiter
	verify func(encoded, password string) (bool, error) // VerifyPassword; replaced in tests
}

// New returns an Authenticator that keeps its users, tokens and sessions in st.
func New(st *store.Store, opts Options) *Authenticator {
	a := &Authenticator{store: st, ttl: opts.SessionTTL, secure: opts.SecureCookies, now: opts.Now, verify: VerifyPassword}
	if a.ttl <= 0 {
		a.ttl = 12 * time.Hour
	}
	if a.now == nil {
		a.now = time.Now
	}
	a.limit = newLimiter(maxFailures, failureWindow)
	return a
}

// normalizeEmail is applied to every email stored or looked up, so that
// "Ann@Example.com" and "ann@example.com" are one account.
func normalizeEmail(email string) string { return strings.ToLower(strings.TrimSpace(email)) }

// CreateUser validates u and password, hashes the password and stores the
// user. Invalid fields are reported as *complaint.ValidationError, a short
// password as ErrWeakPassword, a taken email as store.ErrEmailTaken. The
// returned user has its ID and CreatedAt set, and no password hash.
func (a *Authenticator) CreateUser(ctx context.Context, u access.User, password string) (access.User, error) {
	u.Email = normalizeEmail(u.Email)
	u.Name = strings.TrimSpace(u.Name)
	if err := validateUser(u); err != nil {
		return access.User{}, err
	}
	if err := CheckPassword(password); err != nil {
		return access.User{}, err
	}
	hash, err := HashPassword(password)
	if err != nil {
		return access.User{}, err
	}
	u.PasswordHash = hash
	if err := a.store.CreateUser(ctx, &u); err != nil {
		return access.User{}, err
	}
	u.PasswordHash = ""
	return u, nil
}

func validateUser(u access.User) error {
	bad := func(code, field, msg string) error {
		return &complaint.ValidationError{Code: code, Field: field, Message: msg}
	}
	switch addr, err := mail.ParseAddress(u.Email); {
	case u.Email == "":
		return bad(complaint.CodeRequired, "email", "an email address is required")
	case err != nil || addr.Address != u.Email || addr.Name != "":
		return bad(complaint.CodeInvalid, "email", fmt.Sprintf("%q is not a valid email address", u.Email))
	case len(u.Email) > 254:
		return bad(complaint.CodeTooLong, "email", "the email address is longer than 254 characters")
	}
	switch {
	case u.Name == "":
		return bad(complaint.CodeRequired, "name", "a name is required")
	case utf8.RuneCountInString(u.Name) > 200:
		return bad(complaint.CodeTooLong, "name", "the name is longer than 200 characters")
	}
	switch {
	case !u.Role.Valid():
		return bad(complaint.CodeInvalid, "role", fmt.Sprintf("unknown role %q; valid roles: %s", u.Role, RoleList()))
	// Without these ids, access.CanSee shows the user nothing at all.
	case u.Role == complaint.RoleCustomer && u.CustomerID == "":
		return bad(complaint.CodeRequired, "customer_id", "a customer needs their customer id on the payment platform")
	case u.Role == complaint.RoleMerchant && u.MerchantID == "":
		return bad(complaint.CodeRequired, "merchant_id", "a merchant user needs the id of the merchant they act for")
	}
	return nil
}

// RoleList returns the roles a user can hold, comma-separated, for messages.
func RoleList() string {
	names := make([]string, len(complaint.Roles))
	for i, r := range complaint.Roles {
		names[i] = string(r)
	}
	return strings.Join(names, ", ")
}

// IssueToken creates an API token called name for the user with the given
// email and returns it. Only its hash is stored: the caller must hand the
// token over now, as it cannot be shown again.
func (a *Authenticator) IssueToken(ctx context.Context, email, name string) (string, error) {
	email = normalizeEmail(email)
	u, err := a.store.UserByEmail(ctx, email)
	if errors.Is(err, complaint.ErrNotFound) {
		return "", fmt.Errorf("no user with email %s: %w", email, err)
	}
	if err != nil {
		return "", err
	}
	if u.Disabled {
		return "", fmt.Errorf("the user %s is disabled", email)
	}
	plain, hash := NewToken()
	if err := a.store.CreateToken(ctx, u.ID, name, hash); err != nil {
		return "", err
	}
	return plain, nil
}

// Login checks email and password and, if they match an enabled user,
// starts a session and sets its cookie on w. Every kind of mismatch is
// ErrBadCredentials and takes about as long; after too many failures for
// the email, Login returns ErrTooManyAttempts without checking anything.
func (a *Authenticator) Login(ctx context.Context, w http.ResponseWriter, email, password string) (access.Principal, error) {
	email = normalizeEmail(email)
	now := a.now()
	if !a.limit.begin(email, now) {
		return access.Principal{}, ErrTooManyAttempts
	}
	u, ok, err := a.checkPassword(ctx, email, password)
	if err != nil {
		a.limit.cancel(email)
		return access.Principal{}, err
	}
	if !ok {
		return access.Principal{}, ErrBadCredentials // the attempt stays counted
	}
	a.limit.succeeded(email)

	id := randomString()
	err = a.store.CreateSession(ctx, store.Session{
		IDHash:    HashToken(id),
		UserID:    u.ID,
		CSRFToken: randomString(),
		CreatedAt: now,
		ExpiresAt: now.Add(a.ttl),
	})
	if err != nil {
		return access.Principal{}, err
	}
	http.SetCookie(w, a.cookie(id, int(a.ttl/time.Second)))
	return access.PrincipalOf(u), nil
}

// checkPassword reports whether password is right for the enabled user with
// email. It runs one argon2 verification whatever the outcome.
func (a *Authenticator) checkPassword(ctx context.Context, email, password string) (access.User, bool, error) {
	u, err := a.store.UserByEmail(ctx, email)
	if errors.Is(err, complaint.ErrNotFound) {
		a.verify(dummyHash, password)
		return access.User{}, false, nil
	}
	if err != nil {
		return access.User{}, false, err
	}
	if u.PasswordHash == "" { // an account without password login
		a.verify(dummyHash, password)
		return access.User{}, false, nil
	}
	match, err := a.verify(u.PasswordHash, password)
	if err != nil {
		return access.User{}, false, fmt.Errorf("user %d: %w", u.ID, err)
	}
	return u, match && !u.Disabled, nil
}

// Logout ends the session of r, if any, and expires its cookie on w.
// Handlers should call CheckCSRF first, lest other sites log users out.
func (a *Authenticator) Logout(w http.ResponseWriter, r *http.Request) error {
	http.SetCookie(w, a.cookie("", -1))
	c, err := r.Cookie(CookieName)
	if err != nil {
		return nil
	}
	return a.store.DeleteSession(r.Context(), HashToken(c.Value))
}

// cookie returns the session cookie; maxAge < 0 deletes it.
func (a *Authenticator) cookie(value string, maxAge int) *http.Cookie {
	return &http.Cookie{
		Name:     CookieName,
		Value:    value,
		Path:     "/",
		MaxAge:   maxAge,
		HttpOnly: true,
		Secure:   a.secure,
		SameSite: http.SameSiteLaxMode,
	}
}
