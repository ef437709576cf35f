package web

import (
	"errors"
	"net/http"
	"strings"

	"github.com/redress-project/redress/internal/auth"
	"github.com/redress-project/redress/internal/i18n"
)

type loginPage struct {
	Form *form
	Next string
}

func (s *server) loginForm(w http.ResponseWriter, r *http.Request) {
	next := localPath(r.URL.Query().Get("next"), "")
	if p, ok := auth.PrincipalFrom(r.Context()); ok {
		redirect(w, r, localPath(next, homeOf(p.Role)))
		return
	}
	s.render(w, r, http.StatusOK, "login", "", loginPage{Form: newForm(), Next: next})
}

func (s *server) login(w http.ResponseWriter, r *http.Request) {
	if err := s.checkForm(w, r); err != nil {
		s.fail(w, r, err)
		return
	}
	email := strings.TrimSpace(r.PostFormValue("email"))
	password := r.PostFormValue("password")
	next := localPath(r.PostFormValue("next"), "")
	f := newForm()
	f.Values["email"] = email
	lang := s.langOf(r)
	if email == "" {
		f.Fail("email", lang.T("login.error.email_required"))
	}
	if password == "" {
		f.Fail("password", lang.T("login.error.password_required"))
	}
	if f.HasErrors() {
		s.render(w, r, http.StatusUnprocessableEntity, "login", "", loginPage{Form: f, Next: next})
		return
	}
	p, err := s.auth.Login(r.Context(), w, email, password)
	switch {
	case errors.Is(err, auth.ErrBadCredentials):
		f.Error = lang.T("login.error.bad_credentials")
		s.render(w, r, http.StatusUnauthorized, "login", "", loginPage{Form: f, Next: next})
		return
	case errors.Is(err, auth.ErrTooManyAttempts):
		f.Error = lang.T("login.error.too_many")
		w.Header().Set("Retry-After", "900")
		s.render(w, r, http.StatusTooManyRequests, "login", "", loginPage{Form: f, Next: next})
		return
	case err != nil:
		s.fail(w, r, err)
		return
	}
	redirect(w, r, localPath(next, homeOf(p.Role)))
}

// logout ends the session. Without one (it expired, say) there is nothing
// to forge, so the form's token is checked only for a live session.
func (s *server) logout(w http.ResponseWriter, r *http.Request) {
	if err := s.checkSessionForm(w, r); err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.auth.Logout(w, r); err != nil {
		s.log.WarnContext(r.Context(), "web: ending a session", "err", err)
	}
	s.setFlash(w, "ok", "flash.logged_out")
	redirect(w, r, "/login")
}

// prefs saves the language and text size chosen with the buttons in every
// page's header, then goes back to the page. Only a session's form needs
// its CSRF token: without one these are display preferences of nobody.
func (s *server) prefs(w http.ResponseWriter, r *http.Request) {
	if err := s.checkSessionForm(w, r); err != nil {
		s.fail(w, r, err)
		return
	}
	const year = 365 * 24 * 60 * 60
	if code := r.PostFormValue("lang"); code != "" {
		if cat, ok := i18n.Lookup(code); ok {
			http.SetCookie(w, s.cookie(cookieLang, cat.Code(), year, true))
		}
	}
	switch r.PostFormValue("font") {
	case "large":
		http.SetCookie(w, s.cookie(cookieFont, "large", year, true))
	case "normal":
		http.SetCookie(w, s.cookie(cookieFont, "", -1, true))
	}
	redirect(w, r, localPath(r.PostFormValue("back"), "/"))
}

// checkForm parses a posted form and checks its CSRF token: the session's
// for a logged-in user, else the login form's double-submitted token.
func (s *server) checkForm(w http.ResponseWriter, r *http.Request) error {
	if err := parsePost(w, r); err != nil {
		return err
	}
	if auth.ViaSession(r.Context()) {
		return auth.CheckCSRF(r)
	}
	if _, ok := auth.PrincipalFrom(r.Context()); ok {
		return auth.CheckCSRF(r) // a bearer token: no CSRF risk
	}
	return checkPrelogin(r)
}

// checkSessionForm parses a posted form and, for a session, checks its CSRF
// token.
func (s *server) checkSessionForm(w http.ResponseWriter, r *http.Request) error {
	if err := parsePost(w, r); err != nil {
		return err
	}
	return auth.CheckCSRF(r) // passes without a session
}
