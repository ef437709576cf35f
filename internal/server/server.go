// Package server wires redress together: it opens the store, builds the
// desk, authentication, the JSON API and the web UI, and serves them behind
// the middleware every request passes (recovery, request id, logging,
// metrics, authentication), plus the operational endpoints.
package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"sync"
	"time"

	"github.com/redress-project/redress/internal/api"
	"github.com/redress-project/redress/internal/assign"
	"github.com/redress-project/redress/internal/auth"
	"github.com/redress-project/redress/internal/desk"
	"github.com/redress-project/redress/internal/intake"
	"github.com/redress-project/redress/internal/obs"
	"github.com/redress-project/redress/internal/outbox"
	"github.com/redress-project/redress/internal/sla"
	"github.com/redress-project/redress/internal/store"
	"github.com/redress-project/redress/internal/taxonomy"
	"github.com/redress-project/redress/internal/triage"
	"github.com/redress-project/redress/internal/txsource"
	"github.com/redress-project/redress/internal/web"
)

// Config is what a server needs to start.
type Config struct {
	DatabaseURL string // SQLite path or postgres:// URL
	Listen      string // host:port
	// SecureCookies sets the Secure flag on cookies; leave it on unless the
	// server is reached over plain HTTP on loopback.
	SecureCookies   bool
	Logger          *slog.Logger  // default: JSON to stderr
	ShutdownTimeout time.Duration // how long in-flight requests may finish; default 15s
	// Teams are the teams cases can be transferred to; default DefaultTeams.
	Teams []string
	// TaxonomyFile is a category tree to use instead of the built-in one.
	TaxonomyFile string
	// ModelFile is a trained classifier (redress train); without one a
	// starter model is trained from the taxonomy's seed examples.
	ModelFile string
	// PoliciesFile is a service-level policy file to use instead of the
	// built-in one (see docs/sla.md).
	PoliciesFile string
	// NoWorkers leaves the background work (the outbox dispatcher and the
	// timer scheduler) to other nodes.
	NoWorkers bool
}

// DefaultTeams are the teams of a payment platform's complaint desk.
var DefaultTeams = []string{"general", "payments", "refunds", "fraud", "privacy", "merchant_disputes", "service"}

// Defaults for Config fields and the environment variables that set them.
const (
	DefaultDatabaseURL = "./redress.db"
	DefaultListen      = "127.0.0.1:8080"
	EnvDatabaseURL     = "REDRESS_DATABASE_URL"
	EnvListen          = "REDRESS_LISTEN"
)

// Server is a running redress instance's parts.
type Server struct {
	cfg      Config
	log      *slog.Logger
	store    *store.Store
	desk     *desk.Desk
	auth     *auth.Authenticator
	intake   *intake.Service
	tax      *taxonomy.Taxonomy
	outbox   *outbox.Dispatcher
	sla      *sla.Service
	assigner *assign.Handler
	handler  http.Handler
}

// New opens the database (applying migrations) and builds the handlers.
func New(ctx context.Context, cfg Config) (*Server, error) {
	if cfg.Logger == nil {
		cfg.Logger = obs.NewLogger(os.Stderr, slog.LevelInfo)
	}
	if len(cfg.Teams) == 0 {
		cfg.Teams = DefaultTeams
	}
	if cfg.ShutdownTimeout == 0 {
		cfg.ShutdownTimeout = 15 * time.Second
	}
	st, err := store.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return nil, fmt.Errorf("opening the database: %w", err)
	}
	s := &Server{cfg: cfg, log: cfg.Logger, store: st, desk: desk.New(st)}
	s.auth = auth.New(st, auth.Options{SecureCookies: cfg.SecureCookies})
	s.intake = intake.New(st, s.desk, intake.Options{Transactions: txsource.NewLedger(st)})
	if err := s.buildWorkers(ctx); err != nil {
		st.Close()
		return nil, err
	}
	if err := s.buildHandler(); err != nil {
		st.Close()
		return nil, err
	}
	return s, nil
}

// buildWorkers loads the taxonomy and the classifier and builds the outbox
// dispatcher with the handlers that react to events, in order: triage
// first, then routing (internal/assign) on the case as classified, then the
// service clocks.
func (s *Server) buildWorkers(ctx context.Context) error {
	tax := taxonomy.Default()
	if s.cfg.TaxonomyFile != "" {
		var err error
		if tax, err = taxonomy.Load(s.cfg.TaxonomyFile); err != nil {
			return err
		}
	}
	s.tax = tax
	model, modelName, err := triage.LoadOrTrain(ctx, s.cfg.ModelFile, tax)
	if err != nil {
		return fmt.Errorf("loading the classifier: %w", err)
	}
	assessor, err := triage.New(s.desk, tax, model, triage.Options{ModelName: modelName, Logger: s.log})
	if err != nil {
		return err
	}
	policies := sla.DefaultPolicies()
	if s.cfg.PoliciesFile != "" {
		if policies, err = sla.LoadPolicies(s.cfg.PoliciesFile); err != nil {
			return err
		}
	}
	s.sla = sla.New(s.store, policies, sla.Options{Log: s.log})
	s.assigner = assign.New(s.desk, s.store, assign.Options{Logger: s.log})
	s.outbox = outbox.New(s.store, s.log, assessor.Handler(), s.assigner.Handler(), s.sla.Handler())
	return nil
}

func (s *Server) buildHandler() error {
	webUI, err := web.New(s.desk, s.auth, web.Options{Logger: s.log, SecureCookies: s.cfg.SecureCookies,
		Teams: s.cfg.Teams, Taxonomy: s.tax})
	if err != nil {
		return fmt.Errorf("building the web UI: %w", err)
	}
	metrics := newMetrics(s.store)
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", s.healthz)
	mux.HandleFunc("GET /readyz", s.readyz)
	mux.Handle("GET /metrics", metrics.handler())
	mux.Handle("/api/v1/", api.New(s.desk, api.Options{Logger: s.log,
		IntakeEmail:  intake.EmailHandler(s.intake, intake.HandlerOptions{Logger: s.log}),
		Availability: s.assigner.Availability, Profile: s.assigner.Profile}))
	mux.Handle("/", webUI)

	var h http.Handler = mux
	h = s.auth.Middleware(h)
	h = metrics.middleware(h)
	h = s.logRequests(h)
	h = withRequestID(h)
	h = s.recoverPanics(h)
	s.handler = h
	return nil
}

// Handler is the server's complete HTTP handler.
func (s *Server) Handler() http.Handler { return s.handler }

// Store, Desk and Auth expose the server's parts to commands such as demo.
func (s *Server) Store() *store.Store { return s.store }

// Desk is the complaint service the handlers use.
func (s *Server) Desk() *desk.Desk { return s.desk }

// Intake is the service every channel files complaints through.
func (s *Server) Intake() *intake.Service { return s.intake }

// SLA is the service-level clock keeper.
func (s *Server) SLA() *sla.Service { return s.sla }

// Auth is the server's authenticator.
func (s *Server) Auth() *auth.Authenticator { return s.auth }

// Serve serves on ln, and runs the background workers, until ctx ends; then
// it shuts down gracefully: it stops accepting, lets in-flight requests
// finish (up to ShutdownTimeout), stops the workers, and returns. The
// caller then calls Close, which flushes queued writes.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	workers := s.startWorkers(ctx)
	defer workers.Wait()
	srv := &http.Server{
		Handler:           s.handler,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
		BaseContext:       func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	s.log.Info("serving", "addr", ln.Addr().String(), "database", s.store.Dialect())
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	s.log.Info("shutting down: finishing in-flight requests")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), s.cfg.ShutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// startWorkers runs the background work until ctx ends.
func (s *Server) startWorkers(ctx context.Context) *sync.WaitGroup {
	var wg sync.WaitGroup
	if !s.cfg.NoWorkers {
		wg.Go(func() { s.outbox.Run(ctx) })
		wg.Go(func() {
			if err := s.sla.RunScheduler(ctx); err != nil && ctx.Err() == nil {
				s.log.Error("the timer scheduler stopped", "err", err)
			}
		})
	}
	return &wg
}

// RunWorkersOnce delivers every pending outbox event (for commands and
// tests that want the reactions to have happened before they go on).
func (s *Server) RunWorkersOnce(ctx context.Context) error {
	for {
		n, err := s.outbox.RunOnce(ctx)
		if err != nil || n == 0 {
			return err
		}
	}
}

// Close releases the database after flushing queued writes.
func (s *Server) Close() error { return s.store.Close() }

func (s *Server) healthz(w http.ResponseWriter, _ *http.Request) {
	writePlain(w, http.StatusOK, "ok")
}

func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	if err := s.store.Ready(ctx); err != nil {
		s.log.WarnContext(r.Context(), "not ready", "err", err)
		writePlain(w, http.StatusServiceUnavailable, "not ready: "+err.Error())
		return
	}
	writePlain(w, http.StatusOK, "ready")
}

func writePlain(w http.ResponseWriter, code int, body string) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(code)
	fmt.Fprintln(w, body)
}
