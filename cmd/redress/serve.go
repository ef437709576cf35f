package main

import (
	"context"
	"flag"
	"fmt"
	"net"

	"github.com/redress-project/redress/internal/server"
	"github.com/redress-project/redress/internal/triage"
)

func init() {
	register(command{name: "serve", summary: "serve the web UI and the API", run: runServe})
	register(command{name: "migrate", summary: "apply database migrations and exit", run: runMigrate})
}

// listenFlag adds --listen, defaulting to $REDRESS_LISTEN or 127.0.0.1:8080.
func listenFlag(fs *flag.FlagSet, env *cliEnv) *string {
	def := env.getenv(server.EnvListen)
	if def == "" {
		def = server.DefaultListen
	}
	return fs.String("listen", def, "address to listen on (env "+server.EnvListen+")")
}

func runServe(ctx context.Context, env *cliEnv, args []string) error {
	fs := newFlagSet(env, "serve")
	dbURL := databaseFlag(fs, env)
	listen := listenFlag(fs, env)
	insecure := fs.Bool("insecure-cookies", false, "omit the Secure cookie flag even when not on loopback (plain-HTTP testing only)")
	taxonomyFile := fs.String("taxonomy", "", "category tree file (default: the built-in payments taxonomy)")
	model := fs.String("model", env.getenv(triage.ModelEnv), "classifier model file from `redress train` (env "+triage.ModelEnv+"; default: a starter model trained from the taxonomy)")
	policies := fs.String("policies", "", "service-level policy file (default: the built-in policies; see docs/sla.md)")
	noWorkers := fs.Bool("no-workers", false, "do not run background work (assessment, clocks) on this node")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		return fmt.Errorf("listening on %s: %w", *listen, err)
	}
	return serveOn(ctx, env, ln, server.Config{
		DatabaseURL:   *dbURL,
		SecureCookies: !*insecure && !isLoopback(ln.Addr()),
		TaxonomyFile:  *taxonomyFile,
		ModelFile:     *model,
		PoliciesFile:  *policies,
		NoWorkers:     *noWorkers,
	}, nil)
}

// serveOn starts a server on ln, calls ready (if any) once it is built, and
// serves until ctx ends.
func serveOn(ctx context.Context, env *cliEnv, ln net.Listener, cfg server.Config, ready func(*server.Server) error) error {
	defer ln.Close()
	cfg.Listen = ln.Addr().String()
	srv, err := server.New(ctx, cfg)
	if err != nil {
		return err
	}
	defer srv.Close()
	if ready != nil {
		if err := ready(srv); err != nil {
			return err
		}
	}
	fmt.Fprintf(env.stderr, "redress is serving on http://%s\n", ln.Addr())
	return srv.Serve(ctx, ln)
}

func isLoopback(addr net.Addr) bool {
	tcp, ok := addr.(*net.TCPAddr)
	return ok && tcp.IP.IsLoopback()
}

func runMigrate(ctx context.Context, env *cliEnv, args []string) error {
	fs := newFlagSet(env, "migrate")
	dbURL := databaseFlag(fs, env)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	st, err := openStore(ctx, *dbURL)
	if err != nil {
		return err
	}
	defer st.Close()
	if err := st.Migrate(ctx); err != nil {
		return err
	}
	fmt.Fprintf(env.stdout, "migrations applied (%s)\n", st.Dialect())
	return nil
}
