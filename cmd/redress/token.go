package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/redress-project/redress/internal/auth"
	"github.com/redress-project/redress/internal/complaint"
)

func init() {
	register(command{name: "token add", summary: "create an API token for a user", run: runTokenAdd})
}

func runTokenAdd(ctx context.Context, env *cliEnv, args []string) error {
	fs := newFlagSet(env, "token add")
	email := fs.String("email", "", "`email` of the user the token acts as (required)")
	name := fs.String("name", "cli", "a `name` for the token, to tell it apart from the user's others")
	dbURL := databaseFlag(fs, env)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *email == "" {
		return usageErrorf("--email is required")
	}
	st, err := openStore(ctx, *dbURL)
	if err != nil {
		return err
	}
	defer st.Close()
	token, err := auth.New(st, auth.Options{}).IssueToken(ctx, *email, *name)
	if errors.Is(err, complaint.ErrNotFound) {
		return fmt.Errorf("no user with email %s", *email)
	}
	if err != nil {
		return err
	}
	// Only the token goes to stdout, so that scripts can capture it.
	fmt.Fprintln(env.stdout, token)
	fmt.Fprintln(env.stderr, "This token is shown only once: store it now. It acts as", *email+".")
	return nil
}
