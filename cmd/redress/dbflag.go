package main

import (
	"context"
	"flag"
	"net/url"

	"github.com/redress-project/redress/internal/store"
)

// defaultDatabase is the database used when neither --database nor
// REDRESS_DATABASE_URL names one: a SQLite file in the working directory.
const defaultDatabase = "./redress.db"

// databaseFlag defines the --database flag shared by the commands that use
// the database. Its default comes from REDRESS_DATABASE_URL, else
// defaultDatabase.
func databaseFlag(fs *flag.FlagSet, env *cliEnv) *string {
	def := env.getenv("REDRESS_DATABASE_URL")
	if def == "" {
		def = defaultDatabase
	}
	p := fs.String("database", def, "`URL` of the database: postgres://… or a SQLite file path (env REDRESS_DATABASE_URL)")
	// Keep a password in the URL out of -h output.
	if u, err := url.Parse(def); err == nil && u.User != nil {
		fs.Lookup("database").DefValue = u.Redacted()
	}
	return p
}

// openStore opens the database at url, applying pending migrations.
func openStore(ctx context.Context, url string) (*store.Store, error) {
	return store.Open(ctx, url)
}
