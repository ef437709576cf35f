// Package api is the versioned JSON REST API of redress, served under
// /api/v1 and described by the OpenAPI 3.1 document it serves at
// /api/v1/openapi.json (the file openapi.json beside this one).
//
// Handlers only translate: they read the request, call the desk (which
// authorizes every call and keeps every change atomic), and render a view.
// The conventions every endpoint follows:
//
//   - One route table (endpoints) is the source of the mux, of Routes, and
//     of the test that compares the code with the OpenAPI document.
//   - A handler returns an error instead of writing one; toError is the one
//     mapping from errors to statuses and codes, and every error response is
//     {"error": {"code", "message", "field"}}.
//   - 400 means the request could not be read (malformed JSON, wrong types,
//     unknown fields, bad query parameters, invalid UTF-8); 422 means it
//     was read but a value is not acceptable; 409 means it breaks a rule of
//     the case's lifecycle.
//   - Responses are views (views.go), never domain structs, so that each
//     caller sees only what they may.
package api

import (
	"context"
	_ "embed"
	"log/slog"
	"net/http"
	"slices"
	"strings"

	"github.com/redress-project/redress/internal/access"
	"github.com/redress-project/redress/internal/auth"
	"github.com/redress-project/redress/internal/complaint"
	"github.com/redress-project/redress/internal/desk"
	"github.com/redress-project/redress/internal/route"
	"github.com/redress-project/redress/internal/store"
)

// Prefix is the path every route of this version starts with.
const Prefix = "/api/v1"

// DefaultMaxBodyBytes bounds request bodies unless Options say otherwise.
const DefaultMaxBodyBytes = 1 << 20

// Options configure the API.
type Options struct {
	// MaxBodyBytes is the largest request body accepted (413 beyond it);
	// 0 means DefaultMaxBodyBytes.
	MaxBodyBytes int64
	// Logger receives the details of server faults; nil means slog.Default().
	Logger *slog.Logger
	// IntakeEmail serves POST /api/v1/intake/email (internal/intake's
	// EmailHandler); nil answers 404.
	IntakeEmail http.Handler
	// Availability serves POST /api/v1/agents/{id}/availability: it
	// records whether the agent takes cases, as p, and returns the cases
	// it moved to other agents (or, coming back online, the waiting cases
	// it routed) and those that stay with the agent
	// (assign.Handler.Availability). Its errors are access.ErrForbidden,
	// complaint.ErrNotFound for an unknown agent, and a
	// *complaint.ValidationError. nil answers 404.
	Availability func(ctx context.Context, p access.Principal, agentID int64, av route.Availability) (moves, stuck []route.Move, err error)
	// Profile serves POST /api/v1/agents/{id}/profile: it stores the
	// agent's skills, capacity and shift (prof's UserID and account fields
	// aside), as p, then rebalances the agents over capacity, and returns
	// the stored profile, the cases moved and those that stay
	// (assign.Handler.Profile). Its errors are access.ErrForbidden (only
	// supervisors), complaint.ErrNotFound for an unknown agent, and a
	// *complaint.ValidationError (capacity, calendar, hours). nil answers
	// 404.
	Profile func(ctx context.Context, p access.Principal, agentID int64, prof store.AgentProfile) (saved store.AgentProfile, moves, stuck []route.Move, err error)
}

// Route is one operation of the API.
type Route struct {
	Method      string // GET or POST; GET routes also answer HEAD
	Pattern     string // the http.ServeMux path pattern, e.g. /api/v1/complaints/{ref}
	OperationID string // the operationId in the OpenAPI document
}

// String is the route as a ServeMux pattern with method, which is also what
// http.Request.Pattern holds for a request the route served.
func (r Route) String() string { return r.Method + " " + r.Pattern }

// handler serves one route. It returns an error rather than writing one
// (see toError); p is the authenticated caller, zero on public routes.
type handler func(s *server, w http.ResponseWriter, r *http.Request, p access.Principal) error

type endpoint struct {
	Route
	public bool // served without a principal
	// raw routes hand the request, once its caller is known, to a handler
	// that bounds the body and checks CSRF itself (the inbound-email
	// gateway takes 25 MiB).
	raw    bool
	handle handler
}

// endpoints is the route table: the one list of what the API serves.
var endpoints = []endpoint{
	{Route: Route{"GET", Prefix + "/openapi.json", "getOpenAPI"}, public: true, handle: (*server).openAPI},
	{Route: Route{"GET", Prefix + "/me", "getMe"}, handle: (*server).me},
	{Route: Route{"POST", Prefix + "/complaints", "fileComplaint"}, handle: (*server).fileComplaint},
	{Route: Route{"GET", Prefix + "/complaints", "listComplaints"}, handle: (*server).listComplaints},
	{Route: Route{"GET", Prefix + "/complaints/{ref}", "getComplaint"}, handle: (*server).getComplaint},
	{Route: Route{"GET", Prefix + "/complaints/{ref}/timeline", "getTimeline"}, handle: (*server).timeline},
	{Route: Route{"POST", Prefix + "/complaints/{ref}/messages", "postMessage"}, handle: (*server).postMessage},
	{Route: Route{"POST", Prefix + "/complaints/{ref}/notes", "addNote"}, handle: (*server).addNote},
	{Route: Route{"POST", Prefix + "/complaints/{ref}/transitions", "transition"}, handle: (*server).transition},
	{Route: Route{"POST", Prefix + "/complaints/{ref}/assignment", "assign"}, handle: (*server).assign},
	{Route: Route{"POST", Prefix + "/complaints/{ref}/classification", "classify"}, handle: (*server).classify},
	{Route: Route{"POST", Prefix + "/complaints/{ref}/stage", "advanceStage"}, handle: (*server).advanceStage},
	{Route: Route{"POST", Prefix + "/complaints/{ref}/transactions", "linkTransaction"}, handle: (*server).linkTransaction},
	{Route: Route{"POST", Prefix + "/complaints/{ref}/tasks", "openTask"}, handle: (*server).openTask},
	{Route: Route{"POST", Prefix + "/complaints/{ref}/tasks/{task}/close", "closeTask"}, handle: (*server).closeTask},
	{Route: Route{"POST", Prefix + "/complaints/{ref}/resolution-override", "overrideResolve"}, handle: (*server).overrideResolve},
	{Route: Route{"POST", Prefix + "/intake/email", "intakeEmail"}, raw: true, handle: (*server).intakeEmail},
	{Route: Route{"POST", Prefix + "/agents/{id}/availability", "setAvailability"}, handle: (*server).setAvailability},
	{Route: Route{"POST", Prefix + "/agents/{id}/profile", "setAgentProfile"}, handle: (*server).setProfile},
}

// Routes lists every route the API serves, for instance to label metrics
// by route pattern. (Inside the handler New returns, a request that no
// route serves has http.Request.Pattern "/" when it is a 404, and the bare
// path pattern, without a method, when it is a 405.)
func Routes() []Route {
	out := make([]Route, len(endpoints))
	for i, e := range endpoints {
		out[i] = e.Route
	}
	return out
}

//go:embed openapi.json
var openAPIDocument []byte

// OpenAPI returns the OpenAPI 3.1 document of the API.
func OpenAPI() []byte { return slices.Clone(openAPIDocument) }

type server struct {
	desk *desk.Desk
	opts Options
	log  *slog.Logger
}

// New returns the handler of every path under /api/v1/. Mount it behind the
// authentication middleware (auth.Authenticator.Middleware), which puts the
// caller's principal in the request's context; requests without one are
// answered 401, except for the OpenAPI document. Unknown paths are a 404
// not_found and known paths with another method a 405 method_not_allowed,
// both in the API's JSON error shape.
func New(d *desk.Desk, opts Options) http.Handler {
	if opts.MaxBodyBytes <= 0 {
		opts.MaxBodyBytes = DefaultMaxBodyBytes
	}
	s := &server{desk: d, opts: opts, log: opts.Logger}
	if s.log == nil {
		s.log = slog.Default()
	}
	mux := http.NewServeMux()
	allowed := map[string][]string{} // path pattern → methods
	for _, e := range endpoints {
		mux.Handle(e.String(), s.serve(e))
		allowed[e.Pattern] = append(allowed[e.Pattern], e.Method)
	}
	// A method-less pattern is less specific than the same path with a
	// method, so it only serves the methods the table does not route.
	for pattern, methods := range allowed {
		if slices.Contains(methods, http.MethodGet) {
			methods = append(methods, http.MethodHead)
		}
		allow := strings.Join(methods, ", ")
		mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Allow", allow)
			writeJSON(w, http.StatusMethodNotAllowed, errorBody{&Error{Code: CodeMethodNotAllowed,
				Message: r.Method + " is not allowed here; allowed: " + allow}})
		})
	}
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusNotFound, errorBody{errNotFound})
	})
	return mux
}

// serve adapts a route's handler: it recovers from panics, requires a
// principal on non-public routes and a CSRF token on unsafe methods of
// cookie sessions, and turns a returned error into the error response.
func (s *server) serve(e endpoint) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.log.ErrorContext(r.Context(), "api: panic", "method", r.Method, "path", r.URL.Path, "panic", v)
				writeJSON(w, http.StatusInternalServerError, errorBody{errInternal})
			}
		}()
		var p access.Principal
		if !e.public {
			var ok bool
			if p, ok = auth.PrincipalFrom(r.Context()); !ok {
				s.fail(w, r, errUnauthenticated)
				return
			}
			if !safeMethod(r.Method) && !e.raw {
				// CheckCSRF may read a form body: bound it first.
				r.Body = http.MaxBytesReader(w, r.Body, s.opts.MaxBodyBytes)
				if err := auth.CheckCSRF(r); err != nil {
					s.fail(w, r, err)
					return
				}
			}
		}
		if err := e.handle(s, w, r, p); err != nil {
			s.fail(w, r, err)
		}
	})
}

func safeMethod(m string) bool {
	return m == http.MethodGet || m == http.MethodHead || m == http.MethodOptions
}

func (s *server) openAPI(w http.ResponseWriter, r *http.Request, _ access.Principal) error {
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Cache-Control", "public, max-age=300")
	h.Set("X-Content-Type-Options", "nosniff")
	_, _ = w.Write(openAPIDocument)
	return nil
}

func (s *server) me(w http.ResponseWriter, r *http.Request, p access.Principal) error {
	writeJSON(w, http.StatusOK, PrincipalView{ID: p.UserID, Name: p.Name, Email: p.Email, Role: p.Role,
		CustomerID: p.CustomerID, MerchantID: p.MerchantID, Team: p.Team})
	return nil
}

// intakeEmail delegates to the inbound-email gateway, which checks the
// caller and bounds the body itself.
func (s *server) intakeEmail(w http.ResponseWriter, r *http.Request, _ access.Principal) error {
	if s.opts.IntakeEmail == nil {
		return complaint.ErrNotFound
	}
	s.opts.IntakeEmail.ServeHTTP(w, r)
	return nil
}
