package store

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"

	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
)

// migrationFiles holds the schema versions, one directory per dialect.
//
//go:embed migrations
var migrationFiles embed.FS

func newMigrationProvider(d *dialect, db *sql.DB) (*goose.Provider, error) {
	dir, err := fs.Sub(Migrations(), d.name)
	if err != nil {
		return nil, err
	}
	opts := []goose.ProviderOption{goose.WithDisableGlobalRegistry(true), goose.WithLogger(goose.NopLogger())}
	gd := goose.DialectSQLite3
	if d == postgresDialect {
		gd = goose.DialectPostgres
		// Nodes starting together take turns: an advisory lock, retried
		// every second for up to five minutes.
		locker, err := lock.NewPostgresSessionLocker(lock.WithLockTimeout(1, 300))
		if err != nil {
			return nil, err
		}
		opts = append(opts, goose.WithSessionLocker(locker))
	}
	p, err := goose.NewProvider(gd, db, dir, opts...)
	return p, wrap("loading migrations", err)
}

// Migrate applies the migrations the database lacks. It is idempotent, and
// on PostgreSQL safe to run from several nodes at once.
func (s *Store) Migrate(ctx context.Context) error {
	_, err := s.migrations.Up(ctx)
	return wrap("migrating", err)
}

// Ready reports whether the database is reachable and has every migration
// this build embeds; it is the check behind /readyz. It only reads.
func (s *Store) Ready(ctx context.Context) error {
	if err := s.db.PingContext(ctx); err != nil {
		return wrap("database unreachable", err)
	}
	s.migratedMu.Lock()
	defer s.migratedMu.Unlock()
	if s.migrated {
		return nil
	}
	applied, err := s.appliedVersions(ctx)
	if err != nil {
		return err
	}
	for _, src := range s.migrations.ListSources() {
		if !applied[src.Version] {
			return fmt.Errorf("store: migration %d is not applied (run redress migrate)", src.Version)
		}
	}
	s.migrated = true
	return nil
}

// appliedVersions reads goose's version table: a version is applied when
// its latest row says so.
func (s *Store) appliedVersions(ctx context.Context) (map[int64]bool, error) {
	rows, err := s.db.QueryContext(ctx, "SELECT version_id, is_applied FROM "+goose.DefaultTablename+" ORDER BY id")
	if err != nil {
		return nil, fmt.Errorf("store: the database is not migrated (run redress migrate): %w", err)
	}
	defer rows.Close()
	applied := map[int64]bool{}
	for rows.Next() {
		var v int64
		var ok bool
		if err := rows.Scan(&v, &ok); err != nil {
			return nil, wrap("reading migration versions", err)
		}
		applied[v] = ok
	}
	return applied, wrap("reading migration versions", rows.Err())
}

// Migrations returns the embedded migration files: one directory of goose
// SQL files per dialect (sqlite/, postgres/).
func Migrations() fs.FS {
	dir, _ := fs.Sub(migrationFiles, "migrations")
	return dir
}
