package bench

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"path/filepath"

	"github.com/redress-project/redress/internal/access"
	"github.com/redress-project/redress/internal/complaint"
	"github.com/redress-project/redress/internal/server"
)

// Local is a redress server started in this process to be benchmarked over
// real loopback HTTP, with a user and API token to file complaints with.
type Local struct {
	URL     string // http://127.0.0.1:port
	Token   string // API token of the benchmark user, an agent
	Dialect string // the database behind it: sqlite or postgres

	srv    *server.Server
	stop   context.CancelFunc
	served chan error
	tmpDir string
}

// StartLocal starts a server on databaseURL, or on a fresh SQLite file in
// a temporary directory when databaseURL is empty, listening on
// 127.0.0.1 at a free port. Close stops it and removes what it created
// (except the benchmark user and its complaints in a given database).
func StartLocal(ctx context.Context, databaseURL string) (_ *Local, err error) {
	l := &Local{served: make(chan error, 1)}
	defer func() {
		if err != nil {
			l.Close()
		}
	}()
	if databaseURL == "" {
		if l.tmpDir, err = os.MkdirTemp("", "redress-bench-"); err != nil {
			return nil, err
		}
		databaseURL = filepath.Join(l.tmpDir, "bench.db")
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	// Workers off: this measures filing; the reactions to filed cases
	// (assessment, clocks) are background work measured on their own.
	l.srv, err = server.New(ctx, server.Config{DatabaseURL: databaseURL, Listen: ln.Addr().String(),
		Logger: slog.New(slog.DiscardHandler), NoWorkers: true})
	if err != nil {
		ln.Close()
		return nil, err
	}
	l.URL, l.Dialect = "http://"+ln.Addr().String(), l.srv.Store().Dialect()
	if l.Token, err = l.benchUser(ctx); err != nil {
		ln.Close()
		return nil, fmt.Errorf("creating the benchmark user: %w", err)
	}
	serveCtx, stop := context.WithCancel(context.WithoutCancel(ctx))
	l.stop = stop
	go func() { l.served <- l.srv.Serve(serveCtx, ln) }()
	return l, nil
}

// benchUser creates an agent with a random email and password, who files
// complaints on customers' behalf as an intake channel does, and returns
// an API token of theirs.
func (l *Local) benchUser(ctx context.Context) (string, error) {
	suffix := randomHex(6)
	u := access.User{Email: "bench-" + suffix + "@bench.redress.local", Name: "Intake benchmark " + suffix,
		Role: complaint.RoleAgent, Team: "service"}
	if _, err := l.srv.Auth().CreateUser(ctx, u, randomHex(16)); err != nil {
		return "", err
	}
	return l.srv.Auth().IssueToken(ctx, u.Email, "bench")
}

// Close stops the server gracefully, closes its database and removes the
// temporary directory, if any.
func (l *Local) Close() error {
	var errs []error
	if l.stop != nil {
		l.stop()
		errs = append(errs, <-l.served)
		l.stop = nil
	}
	if l.srv != nil {
		errs = append(errs, l.srv.Close())
		l.srv = nil
	}
	if l.tmpDir != "" {
		errs = append(errs, os.RemoveAll(l.tmpDir))
		l.tmpDir = ""
	}
	return errors.Join(errs...)
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}
