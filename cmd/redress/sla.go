package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/redress-project/redress/internal/clock"
	"github.com/redress-project/redress/internal/complaint"
	"github.com/redress-project/redress/internal/sla"
)

func init() {
	register(command{name: "sla check", summary: "check an SLA policy file and preview a case's deadlines", run: runSLACheck})
	register(command{name: "sla defaults", summary: "print the built-in SLA policy file", run: runSLADefaults})
}

func runSLADefaults(_ context.Context, env *cliEnv, args []string) error {
	fs := newFlagSet(env, "sla defaults")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageErrorf("unexpected argument %q", fs.Arg(0))
	}
	_, err := env.stdout.Write(sla.DefaultPoliciesJSON())
	return err
}

func runSLACheck(_ context.Context, env *cliEnv, args []string) error {
	fs := newFlagSet(env, "sla check")
	path := fs.String("policy", "", "policy `file` to check (default: the built-in policies)")
	filed := fs.String("filed", "", "preview the deadlines of a case filed at this `instant` (RFC 3339)")
	channel := fs.String("channel", string(complaint.ChannelApp), "the previewed case's `channel`")
	category := fs.String("category", complaint.DefaultCategory, "the previewed case's `category`")
	severity := fs.String("severity", string(complaint.SeverityMedium), "the previewed case's `severity`")
	tier := fs.String("tier", sla.DefaultTier, "the previewed customer's service `tier`")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageErrorf("unexpected argument %q", fs.Arg(0))
	}
	p, name, err := loadSLAPolicies(*path)
	if err != nil {
		return err
	}
	printPolicies(env.stdout, p, name)
	if *filed == "" {
		return nil
	}
	at, err := clock.ParseTime(*filed)
	if err != nil {
		return usageErrorf("--filed: %v", err)
	}
	d := complaint.Draft{Customer: complaint.Customer{Name: "preview"}, Channel: complaint.Channel(*channel),
		Category: *category, Severity: complaint.Severity(*severity), Subject: "preview", Description: "preview"}
	d.Normalize()
	c, e, err := complaint.Open(d, complaint.NewRef(at), complaint.System, at)
	if err != nil {
		return usageErrorf("the previewed case: %v", err)
	}
	return printPreview(env.stdout, p, c, e, *tier, at)
}

// loadSLAPolicies loads the policy file at path, or the built-in ones.
func loadSLAPolicies(path string) (*sla.Policies, string, error) {
	if path == "" {
		return sla.DefaultPolicies(), "built-in policies", nil
	}
	p, err := sla.LoadPolicies(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, "", usageErrorf("--policy: %v", err)
	}
	return p, path, err
}

func printPolicies(w io.Writer, p *sla.Policies, name string) {
	fmt.Fprintf(w, "%s: OK, %d rules, calendar %s, escalations to %s\n", name, len(p.Rules), p.Calendar, p.SupervisorTeam)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for i, r := range p.Rules {
		fmt.Fprintf(tw, "%d.\t%s\t%s\t%s\n", i+1, r.Name, describeMatch(r.Match), describeClocks(r))
	}
	tw.Flush()
}

func describeMatch(m sla.Match) string {
	var parts []string
	add := func(key string, values []string) {
		if len(values) > 0 {
			parts = append(parts, key+"="+strings.Join(values, ","))
		}
	}
	add("category", m.Category)
	add("severity", strs(m.Severity))
	add("channel", strs(m.Channel))
	add("tier", m.Tier)
	if len(parts) == 0 {
		return "every case"
	}
	return strings.Join(parts, " ")
}

func describeClocks(r *sla.Rule) string {
	var parts []string
	for _, name := range []string{sla.FirstResponse, sla.NextResponse, sla.Resolution} {
		cp := r.Clock(name)
		if cp == nil {
			continue
		}
		s := name + " " + cp.Spec.String()
		for _, ext := range cp.Extensions {
			s += "→" + ext.String()
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, ", ") + " (" + r.Calendar + ")"
}

func strs[T ~string](vs []T) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = string(v)
	}
	return out
}

// printPreview prints the deadlines and timers of case c, opened by e.
func printPreview(w io.Writer, p *sla.Policies, c *complaint.Case, e complaint.Event, tier string, at time.Time) error {
	rule := p.Select(c, tier)
	fmt.Fprintf(w, "\nA case filed %s via %s (%s, %s, tier %s) gets rule %q:\n",
		at.Format(time.RFC3339), c.Channel, c.Category, c.Severity, tier, rule.Name)
	deadlines, timers, err := p.Preview(c, []complaint.Event{e}, tier, at)
	if err != nil {
		return err
	}
	loc := rule.CalendarOf().Location()
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, d := range deadlines {
		fmt.Fprintf(tw, "%s\t%s\tdue %s", d.Name, d.Spec, d.Due.In(loc).Format(time.RFC3339))
		for _, tm := range timers {
			if tm.Clock == d.Name && tm.Kind != sla.KindBreach {
				fmt.Fprintf(tw, "\t%s %s", tm.Kind, tm.FireAt.In(loc).Format(time.RFC3339))
			}
		}
		fmt.Fprintln(tw)
	}
	return tw.Flush()
}
