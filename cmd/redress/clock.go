package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/redress-project/redress/internal/clock"
)

func init() {
	register(command{name: "clock due", summary: "print a deadline: --from TIME --add SPEC", run: runClockDue})
}

// repeated is a flag value that collects every occurrence of the flag.
type repeated []string

func (r *repeated) String() string     { return strings.Join(*r, " ") }
func (r *repeated) Set(s string) error { *r = append(*r, s); return nil }

func runClockDue(_ context.Context, env *cliEnv, args []string) error {
	fs := newFlagSet(env, "clock due")
	from := fs.String("from", "", "start `instant`, RFC 3339, e.g. 2025-10-01T09:00:00+08:00 (required)")
	add := fs.String("add", "", "duration `spec`: Nm, Nh, Nd, Nbh, Nbd or Nld, e.g. 16bh (required)")
	calArg := fs.String("calendar", "cn", "calendar: cn, none or the path of a calendar `file`")
	tz := fs.String("tz", "", "IANA time `zone` for the calendar and the output (default the calendar's)")
	hours := fs.String("hours", "", "working `hours` replacing the calendar's, e.g. 09:00-12:00,13:30-18:00")
	var pauseArgs repeated
	fs.Var(&pauseArgs, "pause", "paused `interval` START/END, RFC 3339 times; may repeat")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *from == "" || *add == "" {
		return usageErrorf("--from and --add are required")
	}
	start, err := clock.ParseTime(*from)
	if err != nil {
		return usageErrorf("--from: %v", err)
	}
	spec, err := clock.ParseSpec(*add)
	if err != nil {
		return usageErrorf("--add: %v", err)
	}
	pauses, err := parsePauses(pauseArgs)
	if err != nil {
		return err
	}
	cal, err := clockCalendar(*calArg, *tz, *hours)
	if err != nil {
		return err
	}
	due, err := cal.Due(start, spec, pauses)
	if errors.Is(err, clock.ErrPauseNotSupported) {
		return usageErrorf("--pause: %v", err)
	}
	if err != nil {
		return err
	}
	fmt.Fprintln(env.stdout, due.Format(time.RFC3339Nano))
	return nil
}

func parsePauses(args []string) ([]clock.Interval, error) {
	pauses := make([]clock.Interval, 0, len(args))
	for _, a := range args {
		iv, err := clock.ParseInterval(a)
		if err != nil {
			return nil, usageErrorf("--pause: %v", err)
		}
		pauses = append(pauses, iv)
	}
	return pauses, nil
}

// clockCalendar opens the calendar named by --calendar and applies the
// --tz and --hours overrides.
func clockCalendar(name, tz, hours string) (*clock.Calendar, error) {
	cal, err := openCalendar(name)
	if err != nil {
		return nil, err
	}
	if tz != "" {
		loc, err := time.LoadLocation(tz)
		if err != nil || tz == "Local" {
			return nil, usageErrorf("--tz: unknown time zone %q; want an IANA name such as Asia/Shanghai", tz)
		}
		cal = cal.WithLocation(loc)
	}
	if hours != "" {
		h, err := clock.ParseHours(hours)
		if err != nil {
			return nil, usageErrorf("--hours: %v", err)
		}
		if cal, err = cal.WithHours(h); err != nil {
			return nil, usageErrorf("--hours: %v", err)
		}
	}
	return cal, nil
}

// openCalendar returns a built-in calendar or, failing that, loads a file.
func openCalendar(name string) (*clock.Calendar, error) {
	if cal, err := clock.Lookup(name); err == nil {
		return cal, nil
	}
	cal, err := clock.LoadFile(name)
	if errors.Is(err, os.ErrNotExist) {
		return nil, usageErrorf("--calendar: unknown calendar %q: neither built in (%s) nor an existing file",
			name, strings.Join(clock.BuiltinNames(), ", "))
	}
	return cal, err
}
