package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/redress-project/redress/internal/access"
	"github.com/redress-project/redress/internal/auth"
	"github.com/redress-project/redress/internal/complaint"
	"github.com/redress-project/redress/internal/store"
)

func init() {
	register(command{name: "user add", summary: "create a user (password read from stdin)", run: runUserAdd})
}

func runUserAdd(ctx context.Context, env *cliEnv, args []string) error {
	fs := newFlagSet(env, "user add")
	email := fs.String("email", "", "the user's email `address`, their login (required)")
	name := fs.String("name", "", "the user's display `name` (required)")
	role := fs.String("role", "", "the `role`: "+auth.RoleList()+" (required)")
	customerID := fs.String("customer-id", "", "for a customer: their `id` on the payment platform")
	merchantID := fs.String("merchant-id", "", "for a merchant user: the `id` of the merchant they act for")
	team := fs.String("team", "", "for agents and supervisors: their `team`")
	passwordStdin := fs.Bool("password-stdin", false, "read the password from the first line of standard input (required)")
	dbURL := databaseFlag(fs, env)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	switch {
	case *email == "":
		return usageErrorf("--email is required")
	case *name == "":
		return usageErrorf("--name is required")
	case *role == "":
		return usageErrorf("--role is required (one of %s)", auth.RoleList())
	case !complaint.Role(*role).Valid():
		return usageErrorf("unknown role %q (valid roles: %s)", *role, auth.RoleList())
	case !*passwordStdin:
		// No --password flag: it would end up in shell history and ps output.
		return usageErrorf("--password-stdin is required: pipe the password in, e.g. printf '%%s\\n' \"$PW\" | redress user add … --password-stdin")
	}
	password, err := readLine(env.stdin)
	if err != nil {
		return fmt.Errorf("reading the password from stdin: %w", err)
	}
	// Check before opening (and perhaps creating) the database.
	if err := auth.CheckPassword(password); err != nil {
		return err
	}

	st, err := openStore(ctx, *dbURL)
	if err != nil {
		return err
	}
	defer st.Close()
	u, err := auth.New(st, auth.Options{}).CreateUser(ctx, access.User{
		Email: *email, Name: *name, Role: complaint.Role(*role),
		CustomerID: *customerID, MerchantID: *merchantID, Team: *team,
	}, password)
	var invalid *complaint.ValidationError
	switch {
	case errors.Is(err, store.ErrEmailTaken):
		return fmt.Errorf("a user with email %s already exists", *email)
	case errors.As(err, &invalid):
		return usageErrorf("--%s: %s", strings.ReplaceAll(invalid.Field, "_", "-"), invalid.Message)
	case err != nil:
		return err
	}
	fmt.Fprintf(env.stdout, "created user %d %s (%s)\n", u.ID, u.Email, u.Role)
	return nil
}

// readLine returns the first line of r without its line ending.
func readLine(r io.Reader) (string, error) {
	line, err := bufio.NewReader(r).ReadString('\n')
	switch {
	case errors.Is(err, io.EOF) && line == "":
		return "", errors.New("nothing on standard input")
	case err != nil && !errors.Is(err, io.EOF):
		return "", err
	}
	return strings.TrimRight(line, "\r\n"), nil
}
