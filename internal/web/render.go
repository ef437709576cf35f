package web

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"embed"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"strings"
	"sync"
	"time"

	"github.com/redress-project/redress/internal/access"
	"github.com/redress-project/redress/internal/auth"
	"github.com/redress-project/redress/internal/complaint"
	"github.com/redress-project/redress/internal/i18n"
	"github.com/redress-project/redress/internal/obs"
	"github.com/redress-project/redress/internal/store"
	"github.com/redress-project/redress/internal/taxonomy"
)

//go:embed templates/*.html
var templateFS embed.FS

// pageNames are the page templates; each defines "title" and "content"
// and is rendered through "layout".
var pageNames = []string{
	"login", "error",
	"party_list", "public_case", "my_new",
	"console_list", "console_case",
}

// pageSet is every page parsed once per language, with the language's
// template functions bound, so a request only executes a template.
type pageSet struct {
	byLang map[string]map[string]*template.Template
}

func parsePages(tax *taxonomy.Taxonomy) (*pageSet, error) {
	base, err := template.New("").Funcs(langFuncs(i18n.Catalogs()[0], tax)).
		ParseFS(templateFS, "templates/layout.html", "templates/partials.html")
	if err != nil {
		return nil, fmt.Errorf("web: parsing templates: %w", err)
	}
	ps := &pageSet{byLang: map[string]map[string]*template.Template{}}
	for _, cat := range i18n.Catalogs() {
		ps.byLang[cat.Code()] = map[string]*template.Template{}
	}
	for _, name := range pageNames {
		page, err := template.Must(base.Clone()).ParseFS(templateFS, "templates/"+name+".html")
		if err != nil {
			return nil, fmt.Errorf("web: parsing template %s: %w", name, err)
		}
		for _, cat := range i18n.Catalogs() {
			t, err := page.Clone()
			if err != nil {
				return nil, fmt.Errorf("web: template %s: %w", name, err)
			}
			ps.byLang[cat.Code()][name] = t.Funcs(langFuncs(cat, tax))
		}
	}
	return ps, nil
}

// view is what every page template gets: the request's language, display
// preferences, user and CSRF token, and the page's own Data.
type view struct {
	Lang      *i18n.Catalog
	Langs     []*i18n.Catalog
	Large     bool
	CSRF      string
	User      *access.Principal
	Section   string // "my", "console" or "merchant": the current nav entry
	Back      string // this page's path and query, for forms that come back here
	Flash     *flash
	TZ        *time.Location
	AssetV    string
	RequestID string
	Data      any
}

// langFuncs are the template functions bound to catalog c (and the
// taxonomy, which names the categories).
func langFuncs(c *i18n.Catalog, tax *taxonomy.Taxonomy) template.FuncMap {
	named := func(prefix string) func(v any) string {
		return func(v any) string {
			s := fmt.Sprint(v)
			if c.Has(prefix + s) {
				return c.T(prefix + s)
			}
			return s
		}
	}
	return template.FuncMap{
		"t":        c.T,
		"tn":       c.N,
		"status":   named("status."),
		"channel":  named("channel."),
		"severity": named("severity."),
		"priority": named("priority."),
		"stage":    named("stage."),
		"category": func(v any) string { return words{lang: c, tax: tax}.category(fmt.Sprint(v)) },
		"team":     named("team."),
		"role":     named("role."),
		"currency": named("currency."),
		"explain":  func(s complaint.Status) string { return c.T("status.explain." + string(s)) },
		"when":     func(v *view, t time.Time) template.HTML { return timeHTML(c, v.TZ, t, "format.datetime") },
		"day":      func(v *view, t time.Time) template.HTML { return timeHTML(c, v.TZ, t, "format.date") },
		"flashText": func(f *flash) string {
			args := make([]any, len(f.Args))
			for i, a := range f.Args {
				args[i] = a
			}
			return c.T(f.Key, args...)
		},
		"dict": func(kv ...any) map[string]any {
			m := make(map[string]any, len(kv)/2)
			for i := 0; i+1 < len(kv); i += 2 {
				m[fmt.Sprint(kv[i])] = kv[i+1]
			}
			return m
		},
		"money": func(m complaint.Money) string { return m.String() },
	}
}

// timeHTML renders t in zone tz with the catalog's layout under key, as a
// <time> element whose datetime attribute is exact.
func timeHTML(c *i18n.Catalog, tz *time.Location, t time.Time, key string) template.HTML {
	if t.IsZero() {
		return "—"
	}
	local := t.In(tz)
	return template.HTML(fmt.Sprintf(`<time datetime="%s">%s</time>`,
		local.Format(time.RFC3339), template.HTMLEscapeString(local.Format(c.T(key)))))
}

// env is what a request says about how to show it.
type env struct {
	lang  *i18n.Catalog
	large bool
	tz    *time.Location
}

func (s *server) envOf(r *http.Request) env {
	e := env{lang: s.langOf(r), tz: s.tz}
	if c, err := r.Cookie(cookieFont); err == nil && c.Value == "large" {
		e.large = true
	}
	if c, err := r.Cookie(cookieTZ); err == nil {
		if tz := loadZone(c.Value); tz != nil {
			e.tz = tz
		}
	}
	return e
}

// wordsOf is how request r wants things put: its language, the
// taxonomy's names, its time zone.
func (s *server) wordsOf(r *http.Request) words {
	e := s.envOf(r)
	return words{lang: e.lang, tax: s.tax, tz: e.tz}
}

func (s *server) langOf(r *http.Request) *i18n.Catalog {
	if c, err := r.Cookie(cookieLang); err == nil {
		if cat, ok := i18n.Lookup(c.Value); ok {
			return cat
		}
	}
	return i18n.Match(r.Header.Get("Accept-Language"), s.defaultLang)
}

var zones sync.Map // name → *time.Location; only zones that loaded, so bounded by the tz database

// loadZone returns the IANA zone named by a cookie value (which the script
// sets URL-encoded), or nil if it is not one.
func loadZone(raw string) *time.Location {
	name, err := url.QueryUnescape(raw)
	if err != nil || name == "" || len(name) > 64 || name == "Local" {
		return nil
	}
	for _, r := range name {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("/_+-", r)) {
			return nil
		}
	}
	if tz, ok := zones.Load(name); ok {
		return tz.(*time.Location)
	}
	tz, err := time.LoadLocation(name)
	if err != nil {
		return nil
	}
	zones.Store(name, tz)
	return tz
}

// render executes page name with data and writes it with the status code.
func (s *server) render(w http.ResponseWriter, r *http.Request, status int, name, section string, data any) {
	e := s.envOf(r)
	v := &view{
		Lang: e.lang, Langs: i18n.Catalogs(), Large: e.large, TZ: e.tz,
		Section: section, Back: backOf(r), AssetV: s.assetV,
		RequestID: requestID(r), Data: data,
	}
	if p, ok := auth.PrincipalFrom(r.Context()); ok {
		v.User = &p
		v.CSRF = auth.CSRFToken(r.Context())
	} else {
		v.CSRF = s.preloginToken(w, r)
	}
	if r.Method == http.MethodGet {
		v.Flash = s.takeFlash(w, r)
	}
	t := s.pages.byLang[e.lang.Code()][name]
	var buf bytes.Buffer
	if t == nil {
		s.log.ErrorContext(r.Context(), "web: no such page template", "page", name)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	if err := t.ExecuteTemplate(&buf, "layout", v); err != nil {
		s.log.ErrorContext(r.Context(), "web: rendering a page", "page", name, "err", err)
		http.Error(w, "internal error; request id "+v.RequestID, http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Language", e.lang.Code())
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// backOf is where forms on the page come back to: the page itself. A page
// shown in answer to a post (/console/REF/reveal, a form with errors) is
// the page at the first two segments of the path (/console/REF), which a
// GET can load.
func backOf(r *http.Request) string {
	if r.Method == http.MethodGet || r.Method == http.MethodHead {
		return r.URL.RequestURI()
	}
	parts := strings.SplitN(strings.TrimPrefix(r.URL.Path, "/"), "/", 3)
	return "/" + strings.Join(parts[:min(len(parts), 2)], "/")
}

// requestID is the id the request-id middleware gave the request; without
// one, a fresh id that is then logged with the error.
func requestID(r *http.Request) string {
	if id := obs.RequestID(r.Context()); id != "" {
		return id
	}
	if id := r.Header.Get("X-Request-Id"); obs.ValidRequestID(id) {
		return id
	}
	return ""
}

// redirect answers a form post with 303 See Other to a local path.
func redirect(w http.ResponseWriter, r *http.Request, to string) {
	http.Redirect(w, r, to, http.StatusSeeOther)
}

// localPath returns p if it is a path on this site (not "//host" or a URL),
// else fallback; it keeps redirects from leaving the site.
func localPath(p, fallback string) string {
	if p == "" || p[0] != '/' || strings.HasPrefix(p, "//") || strings.HasPrefix(p, "/\\") || strings.ContainsAny(p, "\r\n\\") {
		return fallback
	}
	u, err := url.Parse(p)
	if err != nil || u.Scheme != "" || u.Host != "" {
		return fallback
	}
	return p
}

func urlQueryEscape(s string) string { return url.QueryEscape(s) }

func (s *server) cookie(name, value string, maxAge int, httpOnly bool) *http.Cookie {
	return &http.Cookie{Name: name, Value: value, Path: "/", MaxAge: maxAge,
		HttpOnly: httpOnly, Secure: s.secure, SameSite: http.SameSiteLaxMode}
}

// ---- flash messages ----

// flash is a one-time message shown on the page a form redirects to. Key
// is a catalog key (always "flash.…"); Args are placeholder name/value pairs.
type flash struct {
	Kind string   `json:"t"` // "ok", "error" or "filed"
	Key  string   `json:"k"`
	Args []string `json:"a,omitempty"`
}

func (s *server) setFlash(w http.ResponseWriter, kind, key string, args ...string) {
	b, _ := json.Marshal(flash{Kind: kind, Key: key, Args: args})
	http.SetCookie(w, s.cookie(cookieFlash, base64.RawURLEncoding.EncodeToString(b), 120, true))
}

// takeFlash returns the pending flash message, if any, and clears it.
func (s *server) takeFlash(w http.ResponseWriter, r *http.Request) *flash {
	c, err := r.Cookie(cookieFlash)
	if err != nil {
		return nil
	}
	http.SetCookie(w, s.cookie(cookieFlash, "", -1, true))
	b, err := base64.RawURLEncoding.DecodeString(c.Value)
	if err != nil {
		return nil
	}
	var f flash
	if json.Unmarshal(b, &f) != nil || !strings.HasPrefix(f.Key, "flash.") || len(f.Args)%2 != 0 {
		return nil
	}
	switch f.Kind {
	case "ok", "error", "filed":
		return &f
	}
	return nil
}

// ---- the login form's CSRF token ----

// preloginToken returns the anonymous visitor's form token, setting its
// cookie when new. It protects the login and preference forms before there
// is a session (login CSRF), by double submission.
func (s *server) preloginToken(w http.ResponseWriter, r *http.Request) string {
	if c, err := r.Cookie(cookiePrelogin); err == nil && len(c.Value) == 43 {
		return c.Value
	}
	var b [32]byte
	rand.Read(b[:])
	tok := base64.RawURLEncoding.EncodeToString(b[:])
	http.SetCookie(w, s.cookie(cookiePrelogin, tok, 0, true))
	return tok
}

// checkPrelogin checks the double-submitted token of an anonymous form.
func checkPrelogin(r *http.Request) error {
	c, err := r.Cookie(cookiePrelogin)
	got := r.PostFormValue("csrf_token")
	if err != nil || got == "" || subtle.ConstantTimeCompare([]byte(got), []byte(c.Value)) != 1 {
		return auth.ErrCSRF
	}
	return nil
}

// ---- error pages ----

type errorPage struct {
	Code      int
	Title     string // catalog keys
	Message   string
	RequestID string
}

// fail shows the error page that err calls for: 404 for a case that does
// not exist or is not the viewer's (the two look the same), 403, 400, 413,
// or 500 with the request id (and the error logged).
func (s *server) fail(w http.ResponseWriter, r *http.Request, err error) {
	ep := errorPage{Code: http.StatusInternalServerError, Title: "error.500.title", Message: "error.500.body"}
	var ve *complaint.ValidationError
	switch {
	case errors.Is(err, complaint.ErrNotFound):
		ep = errorPage{Code: http.StatusNotFound, Title: "error.404.title", Message: "error.404.body"}
	case errors.Is(err, auth.ErrCSRF):
		ep = errorPage{Code: http.StatusForbidden, Title: "error.csrf.title", Message: "error.csrf.body"}
	case errors.Is(err, access.ErrForbidden):
		ep = errorPage{Code: http.StatusForbidden, Title: "error.403.title", Message: "error.403.body"}
	case errors.Is(err, errTooLarge):
		ep = errorPage{Code: http.StatusRequestEntityTooLarge, Title: "error.413.title", Message: "error.413.body"}
	case errors.Is(err, errBadRequest), errors.Is(err, store.ErrBadCursor), errors.As(err, &ve):
		ep = errorPage{Code: http.StatusBadRequest, Title: "error.400.title", Message: "error.400.body"}
	default:
		ep.RequestID = requestID(r)
		if ep.RequestID == "" {
			ep.RequestID = obs.NewRequestID()
		}
		s.log.ErrorContext(r.Context(), "web: request failed", "method", r.Method, "path", r.URL.Path,
			"request_id", ep.RequestID, "err", err)
	}
	s.render(w, r, ep.Code, "error", "", ep)
}

// ---- static assets ----

//go:embed static
var staticFS embed.FS

// staticHandler serves the embedded assets. Pages link them with ?v= the
// hash of their content, so they can be cached for long.
func staticHandler() (http.Handler, string) {
	sub, _ := fs.Sub(staticFS, "static")
	files := http.FileServerFS(sub)
	v := assetVersion(sub)
	return http.StripPrefix("/static", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/") || path.Ext(r.URL.Path) == "" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Cache-Control", "public, max-age=86400")
		files.ServeHTTP(w, r)
	})), v
}

// assetVersion is a short hash of every static file, for cache busting.
func assetVersion(fsys fs.FS) string {
	h := sha256.New()
	fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		b, err := fs.ReadFile(fsys, p)
		if err == nil {
			h.Write([]byte(p))
			h.Write(b)
		}
		return nil
	})
	return hex.EncodeToString(h.Sum(nil))[:12]
}
