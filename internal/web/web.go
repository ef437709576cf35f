// Package web is the server-rendered user interface of redress: the
// customer portal (/my), the agent console (/console) and the merchant
// portal (/merchant), in Simplified Chinese, Traditional Chinese and
// English.
//
// Pages are html/template with embedded templates and assets; there is no
// JavaScript build and every page works without JavaScript (one small
// script only records the viewer's time zone and prevents double submits).
// Every change goes through desk.Desk, which authorizes it; this package
// only decides what to show. Every form carries the session's CSRF token
// and every POST handler checks it; forms answer with a redirect
// (Post/Redirect/Get) and a flash message, or re-render the page with the
// errors next to the fields.
package web

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"
	_ "time/tzdata" // viewers' time zones must load on hosts without zoneinfo

	"github.com/redress-project/redress/internal/access"
	"github.com/redress-project/redress/internal/auth"
	"github.com/redress-project/redress/internal/complaint"
	"github.com/redress-project/redress/internal/desk"
	"github.com/redress-project/redress/internal/i18n"
	"github.com/redress-project/redress/internal/taxonomy"
)

// Options configures the web UI. The zero value is usable.
type Options struct {
	// Logger receives errors; default slog.Default().
	Logger *slog.Logger
	// TimeZone is the IANA zone times are shown in until the browser has
	// told its own (cookie redress_tz); default "Asia/Shanghai".
	TimeZone string
	// DefaultLanguage is the catalog code ("zh-CN", "zh-TW", "en") used
	// when neither the redress_lang cookie nor Accept-Language picks one;
	// default "zh-CN".
	DefaultLanguage string
	// SecureCookies sets the Secure flag on the cookies this package sets
	// (preferences, flash messages, the login form's CSRF token).
	SecureCookies bool
	// Teams are the team ids offered when transferring a case; the case's
	// own team and the agent's team are always offered too. Default
	// {"general"}.
	Teams []string
	// PageSize is the number of cases per listing page; default 25.
	PageSize int
	// Taxonomy is the category tree: the complaint types the filing form
	// offers (its top-level categories), those staff classify into, and
	// their names. Default taxonomy.Default().
	Taxonomy *taxonomy.Taxonomy
}

// Cookie names.
const (
	cookieLang     = "redress_lang"
	cookieFont     = "redress_font"
	cookieTZ       = "redress_tz"
	cookieFlash    = "redress_flash"
	cookiePrelogin = "redress_prelogin"
)

type server struct {
	desk        *desk.Desk
	auth        *auth.Authenticator
	log         *slog.Logger
	tz          *time.Location
	defaultLang *i18n.Catalog
	secure      bool
	teams       []string
	pageSize    int
	tax         *taxonomy.Taxonomy
	pages       *pageSet
	static      http.Handler
	assetV      string // cache-busting version of the static assets
}

// New returns the handler of every page of the web UI. It expects to run
// behind auth.Middleware (for the principal) and, ideally, a request-id
// middleware (obs.WithRequestID) so that error pages can quote an id that
// the logs carry too.
func New(d *desk.Desk, a *auth.Authenticator, opts Options) (http.Handler, error) {
	if d == nil || a == nil {
		return nil, errors.New("web: a desk and an authenticator are required")
	}
	if err := i18n.Load(); err != nil {
		return nil, err
	}
	s := &server{desk: d, auth: a, log: opts.Logger, secure: opts.SecureCookies, teams: opts.Teams, pageSize: opts.PageSize,
		tax: opts.Taxonomy}
	if s.tax == nil {
		s.tax = taxonomy.Default()
	}
	if s.log == nil {
		s.log = slog.Default()
	}
	if s.pageSize <= 0 {
		s.pageSize = 25
	}
	if len(s.teams) == 0 {
		s.teams = []string{complaint.DefaultTeam}
	}
	tzName := opts.TimeZone
	if tzName == "" {
		tzName = "Asia/Shanghai"
	}
	tz, err := time.LoadLocation(tzName)
	if err != nil {
		return nil, fmt.Errorf("web: time zone %q: %w", tzName, err)
	}
	s.tz = tz
	langCode := opts.DefaultLanguage
	if langCode == "" {
		langCode = "zh-CN"
	}
	var ok bool
	if s.defaultLang, ok = i18n.Lookup(langCode); !ok {
		return nil, fmt.Errorf("web: no catalog for default language %q", langCode)
	}
	if s.pages, err = parsePages(s.tax); err != nil {
		return nil, err
	}
	s.static, s.assetV = staticHandler()
	return s.routes(), nil
}

func (s *server) routes() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /static/", s.static)
	mux.HandleFunc("GET /{$}", s.home)
	mux.HandleFunc("GET /login", s.loginForm)
	mux.HandleFunc("POST /login", s.login)
	mux.HandleFunc("POST /logout", s.logout)
	mux.HandleFunc("POST /prefs", s.prefs)

	mux.HandleFunc("GET /my", s.customer(s.myList))
	mux.HandleFunc("GET /my/new", s.customer(s.myNewForm))
	mux.HandleFunc("POST /my/new", s.customer(s.myFile))
	mux.HandleFunc("GET /my/{ref}", s.customer(s.myCase))
	mux.HandleFunc("POST /my/{ref}/reply", s.customer(s.myReply))
	mux.HandleFunc("POST /my/{ref}/status", s.customer(s.myStatus))

	mux.HandleFunc("GET /console", s.staff(s.queue))
	mux.HandleFunc("GET /console/{ref}", s.staff(s.consoleCase))
	mux.HandleFunc("POST /console/{ref}/reply", s.staff(s.consoleReply))
	mux.HandleFunc("POST /console/{ref}/note", s.staff(s.consoleNote))
	mux.HandleFunc("POST /console/{ref}/transition", s.staff(s.consoleTransition))
	mux.HandleFunc("POST /console/{ref}/assign", s.staff(s.consoleAssign))
	mux.HandleFunc("POST /console/{ref}/classify", s.staff(s.consoleClassify))
	mux.HandleFunc("POST /console/{ref}/reveal", s.staff(s.consoleReveal))

	mux.HandleFunc("GET /merchant", s.merchant(s.merchantList))
	mux.HandleFunc("GET /merchant/{ref}", s.merchant(s.merchantCase))
	mux.HandleFunc("POST /merchant/{ref}/reply", s.merchant(s.merchantReply))

	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		s.fail(w, r, complaint.ErrNotFound)
	})
	return securityHeaders(mux)
}

// securityHeaders sets the headers every page gets: a strict content
// security policy (no inline script or style, forms post only here), no
// framing, no sniffing, and no caching of pages with personal data.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "+
			"form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "same-origin")
		if !strings.HasPrefix(r.URL.Path, "/static/") {
			h.Set("Cache-Control", "no-store")
			h.Add("Vary", "Cookie, Accept-Language")
		}
		next.ServeHTTP(w, r)
	})
}

// handlerP is a handler that needs the authenticated principal.
type handlerP func(w http.ResponseWriter, r *http.Request, p access.Principal)

// need returns a handler that sends anonymous visitors to the login page
// (coming back afterwards), shows 403 to a principal whose role is not
// allowed, and otherwise calls h.
func (s *server) need(allowed func(complaint.Role) bool, h handlerP) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		p, ok := auth.PrincipalFrom(r.Context())
		if !ok {
			if r.Method == http.MethodGet || r.Method == http.MethodHead {
				http.Redirect(w, r, "/login?next="+urlQueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
				return
			}
			http.Redirect(w, r, "/login", http.StatusSeeOther)
			return
		}
		if !allowed(p.Role) {
			s.fail(w, r, access.ErrForbidden)
			return
		}
		if r.Method == http.MethodPost {
			if err := parsePost(w, r); err != nil {
				s.fail(w, r, err)
				return
			}
			if err := auth.CheckCSRF(r); err != nil {
				s.fail(w, r, err)
				return
			}
		}
		h(w, r, p)
	}
}

// errTooLarge is a posted form over maxForm.
var errTooLarge = errors.New("web: form too large")

// parsePost parses a posted form of at most maxForm bytes.
func parsePost(w http.ResponseWriter, r *http.Request) error {
	r.Body = http.MaxBytesReader(w, r.Body, maxForm)
	if err := r.ParseForm(); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return errTooLarge
		}
		return errBadRequest
	}
	return nil
}

// errBadRequest is a request this UI never makes, such as a malformed form.
var errBadRequest = errors.New("web: bad request")

// maxForm bounds a posted form: the longest description plus the rest,
// with room for percent-encoding of CJK text (9 bytes a character).
const maxForm = 256 << 10

func (s *server) customer(h handlerP) http.HandlerFunc {
	return s.need(func(r complaint.Role) bool { return r == complaint.RoleCustomer }, h)
}

func (s *server) staff(h handlerP) http.HandlerFunc {
	return s.need(func(r complaint.Role) bool { return r.Staff() }, h)
}

func (s *server) merchant(h handlerP) http.HandlerFunc {
	return s.need(func(r complaint.Role) bool { return r == complaint.RoleMerchant }, h)
}

// homeOf is where a role starts.
func homeOf(r complaint.Role) string {
	switch r {
	case complaint.RoleCustomer:
		return "/my"
	case complaint.RoleMerchant:
		return "/merchant"
	default:
		return "/console"
	}
}

func (s *server) home(w http.ResponseWriter, r *http.Request) {
	p, ok := auth.PrincipalFrom(r.Context())
	if !ok {
		http.Redirect(w, r, "/login", http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, homeOf(p.Role), http.StatusSeeOther)
}
