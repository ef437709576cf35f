// Command redress is complaint and dispute resolution for payment platforms.
//
// Usage: redress <command> [flags]. Run "redress help" for the list of commands.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sort"
	"strings"
	"syscall"
)

// command is one subcommand. Files in this package register theirs in init
// with register, so that adding a command never means editing this file.
type command struct {
	name    string // may contain a space for nested commands, e.g. "user add"
	summary string
	run     func(ctx context.Context, env *cliEnv, args []string) error
}

// cliEnv carries what a command may touch of the outside world, so that
// tests can run commands with their own streams and environment.
type cliEnv struct {
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	getenv func(string) string
}

var commands = map[string]command{}

func register(c command) {
	if _, dup := commands[c.name]; dup {
		panic("redress: command registered twice: " + c.name)
	}
	commands[c.name] = c
}

// errUsage marks errors caused by how the command was called; they exit 2.
var errUsage = errors.New("usage")

func usageErrorf(format string, a ...any) error {
	return fmt.Errorf("%w: %s", errUsage, fmt.Sprintf(format, a...))
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	env := &cliEnv{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, getenv: os.Getenv}
	os.Exit(runCLI(ctx, env, os.Args[1:]))
}

// runCLI dispatches args to a command and returns the process exit code.
func runCLI(ctx context.Context, env *cliEnv, args []string) int {
	cmd, rest, ok := lookupCommand(args)
	if !ok {
		printHelp(env.stderr)
		if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
			return 0
		}
		fmt.Fprintf(env.stderr, "redress: unknown command %q\n", strings.Join(args, " "))
		return 2
	}
	err := cmd.run(ctx, env, rest)
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.Is(err, errUsage):
		fmt.Fprintf(env.stderr, "redress %s: %v\n", cmd.name, err)
		return 2
	default:
		fmt.Fprintf(env.stderr, "redress %s: %v\n", cmd.name, err)
		return 1
	}
}

// lookupCommand finds the longest registered command name that prefixes args.
func lookupCommand(args []string) (command, []string, bool) {
	for n := min(len(args), 3); n > 0; n-- {
		if c, ok := commands[strings.Join(args[:n], " ")]; ok {
			return c, args[n:], true
		}
	}
	return command{}, nil, false
}

func printHelp(w io.Writer) {
	fmt.Fprintln(w, "redress — complaint and dispute resolution for payment platforms")
	fmt.Fprintln(w, "\nUsage: redress <command> [flags]\n\nCommands:")
	names := make([]string, 0, len(commands))
	for name := range commands {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		fmt.Fprintf(w, "  %-16s %s\n", name, commands[name].summary)
	}
	fmt.Fprintln(w, "\nRun \"redress <command> -h\" for a command's flags.")
}

// newFlagSet returns a flag set that reports errors instead of exiting.
func newFlagSet(env *cliEnv, name string) *flag.FlagSet {
	fs := flag.NewFlagSet("redress "+name, flag.ContinueOnError)
	fs.SetOutput(env.stderr)
	return fs
}

// parseFlags parses args and turns flag errors into usage errors.
func parseFlags(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	if fs.NArg() > 0 {
		return usageErrorf("unexpected arguments: %s", strings.Join(fs.Args(), " "))
	}
	return nil
}
