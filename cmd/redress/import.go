package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/redress-project/redress/internal/desk"
	"github.com/redress-project/redress/internal/intake"
	"github.com/redress-project/redress/internal/intake/records"
	"github.com/redress-project/redress/internal/txsource"
)

func init() {
	summaries := map[intake.Kind]string{
		intake.KindEmail:     "import complaint emails (.eml files)",
		intake.KindHotline:   "import hotline call records (JSON or CSV)",
		intake.KindChat:      "import chat transcripts (JSON or CSV)",
		intake.KindSocial:    "import social media posts (JSON or CSV)",
		intake.KindReferrals: "import referrals from regulators and consumer associations (JSON or CSV)",
		intake.KindLedger:    "import the platform's ledger export, the source of transaction evidence (JSON or CSV)",
	}
	for _, kind := range intake.Kinds {
		register(command{name: "import " + string(kind), summary: summaries[kind],
			run: func(ctx context.Context, env *cliEnv, args []string) error { return runImport(ctx, env, kind, args) }})
	}
}

// progressHook sees every progress report; tests use it to interrupt an
// import half-way.
var progressHook = func(intake.Progress) {}

// isTerminal reports whether w is a terminal, where progress is drawn as a
// bar; tests replace it.
var isTerminal = func(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

func runImport(ctx context.Context, env *cliEnv, kind intake.Kind, args []string) error {
	name := "import " + string(kind)
	fs := newFlagSet(env, name)
	db := databaseFlag(fs, env)
	format := ""
	if kind != intake.KindEmail {
		fs.StringVar(&format, "format", "", "`json or csv`; by default told by each file's extension (.json, .jsonl, .ndjson, .csv)")
	}
	window := durationFlag{d: intake.DefaultRepeatWindow}
	minSim := intake.DefaultMinSimilarity
	if kind != intake.KindLedger {
		fs.Var(&window, "repeat-window", "a complaint about the same matter within this `duration` of the last one (e.g. 30d, 72h) is a repeat")
		fs.Float64Var(&minSim, "min-similarity", minSim, "text similarity (0 to 1) from which complaints are about the same matter")
	}
	quiet := fs.Bool("quiet", false, "show no progress")
	fs.Usage = func() {
		fmt.Fprintf(env.stderr, "Usage: redress %s [flags] FILE...\n\nThe file formats are described in docs/intake.md.\n\nFlags:\n", name)
		fs.PrintDefaults()
	}
	files, err := parseWithFiles(fs, args)
	if err != nil {
		return err
	}
	if len(files) == 0 {
		return usageErrorf("name at least one file to import")
	}
	if minSim <= 0 || minSim > 1 {
		return usageErrorf("--min-similarity must be above 0 and at most 1")
	}
	formats := make([]records.Format, len(files))
	for i, f := range files {
		switch {
		case kind == intake.KindEmail:
		case format != "":
			if formats[i], err = records.ParseFormat(format); err != nil {
				return usageErrorf("%v", err)
			}
		default:
			var ok bool
			if formats[i], ok = records.FormatOf(f); !ok {
				return usageErrorf("cannot tell the format of %s from its name: give --format json or --format csv", f)
			}
		}
	}

	st, err := openStore(ctx, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	svc := intake.New(st, desk.New(st), intake.Options{Transactions: txsource.NewLedger(st), RepeatWindow: window.d, MinSimilarity: minSim})
	bar := newProgressBar(env.stderr, name, !*quiet)
	im := &intake.Importer{Service: svc, Store: st}

	var total intake.Report
	for i, path := range files {
		if kind != intake.KindEmail {
			im.Progress = func(p intake.Progress) {
				progressHook(p)
				bar.update(filepath.Base(path), int64(p.Line), int64(p.Lines), p.Records, p.Failed)
			}
		} else {
			im.Progress = func(p intake.Progress) {
				progressHook(p)
				bar.update(fmt.Sprintf("%d files", len(files)), int64(i+1), int64(len(files)), total.Records+p.Records, total.Failed+p.Failed)
			}
		}
		rep, err := im.ImportFile(ctx, kind, formats[i], path)
		bar.clear()
		for _, p := range rep.Problems {
			if p.Line > 0 {
				fmt.Fprintf(env.stderr, "%s:%d: %v\n", path, p.Line, p.Err)
			} else {
				fmt.Fprintf(env.stderr, "%s: %v\n", path, p.Err)
			}
		}
		if n := rep.Failed - len(rep.Problems); n > 0 {
			fmt.Fprintf(env.stderr, "%s: … and %d more problem(s)\n", path, n)
		}
		if kind != intake.KindEmail || err != nil || len(files) == 1 {
			fmt.Fprintln(env.stdout, summary(kind, path, rep))
		}
		add(&total, rep)
		if err != nil {
			if ctx.Err() != nil {
				return fmt.Errorf("interrupted in %s; run the same command again to continue where it stopped", path)
			}
			return fmt.Errorf("%s: %w (run the same command again to continue where it stopped)", path, err)
		}
	}
	bar.finish()
	if len(files) > 1 {
		fmt.Fprintln(env.stdout, summary(kind, fmt.Sprintf("total of %d files", len(files)), &total))
	}
	if total.Failed > 0 {
		return fmt.Errorf("%d record(s) could not be imported (see above)", total.Failed)
	}
	return nil
}

func add(total, r *intake.Report) {
	total.Records += r.Records
	total.Created += r.Created
	total.Repeats += r.Repeats
	total.Duplicates += r.Duplicates
	total.Changed += r.Changed
	total.Resumed += r.Resumed
	total.Stored += r.Stored
	total.Failed += r.Failed
}

// summary is the one-line outcome of a file.
func summary(kind intake.Kind, what string, r *intake.Report) string {
	var parts []string
	if kind == intake.KindLedger {
		parts = append(parts, fmt.Sprintf("%d stored", r.Stored))
	} else {
		parts = append(parts, fmt.Sprintf("%d new case(s)", r.Created), fmt.Sprintf("%d repeat(s)", r.Repeats))
	}
	already := r.Duplicates + r.Resumed
	if kind == intake.KindLedger {
		already = r.Resumed
	}
	parts = append(parts, fmt.Sprintf("%d already imported", already))
	if r.Changed > 0 {
		parts = append(parts, fmt.Sprintf("%d changed since (not re-imported)", r.Changed))
	}
	parts = append(parts, fmt.Sprintf("%d failed", r.Failed))
	s := fmt.Sprintf("%s: %d record(s): %s", what, r.Records, strings.Join(parts, ", "))
	if r.Stopped {
		s += " (stopped before the end of the file)"
	}
	return s
}

// parseWithFiles parses flags that may come before, between or after the
// file names, and returns the file names. After "--" everything is a file.
func parseWithFiles(fs *flag.FlagSet, args []string) ([]string, error) {
	var files []string
	for {
		rest := args
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, fmt.Errorf("%w: %v", errUsage, err)
		}
		args = fs.Args()
		if len(args) == 0 {
			return files, nil
		}
		consumed := len(rest) - len(args)
		if consumed > 0 && rest[consumed-1] == "--" {
			return append(files, args...), nil
		}
		files = append(files, args[0])
		args = args[1:]
	}
}

// durationFlag is a duration that also takes days ("30d").
type durationFlag struct{ d time.Duration }

func (f *durationFlag) String() string {
	if f.d%(24*time.Hour) == 0 {
		return fmt.Sprintf("%dd", f.d/(24*time.Hour))
	}
	return f.d.String()
}

func (f *durationFlag) Set(s string) error {
	if days, ok := strings.CutSuffix(s, "d"); ok {
		n, err := strconv.Atoi(days)
		if err != nil || n <= 0 {
			return fmt.Errorf("%q is not a number of days", s)
		}
		f.d = time.Duration(n) * 24 * time.Hour
		return nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d <= 0 {
		return fmt.Errorf("%q is not a positive duration such as 30d or 72h", s)
	}
	f.d = d
	return nil
}

// progressBar shows how an import goes on stderr: a bar redrawn in place
// on a terminal, a plain line every few seconds otherwise (a log file).
type progressBar struct {
	w       io.Writer
	label   string
	on, tty bool
	now     func() time.Time
	last    time.Time
	drawn   bool
	every   time.Duration
}

func newProgressBar(w io.Writer, label string, on bool) *progressBar {
	b := &progressBar{w: w, label: label, on: on, tty: isTerminal(w), now: time.Now}
	b.every = 5 * time.Second
	if b.tty {
		b.every = 100 * time.Millisecond
	}
	b.last = b.now()
	return b
}

func (b *progressBar) update(what string, done, total int64, recs, failed int) {
	if !b.on {
		return
	}
	now := b.now()
	if now.Sub(b.last) < b.every {
		return
	}
	b.last = now
	pct := 0.0
	if total > 0 {
		pct = min(100, 100*float64(done)/float64(total))
	}
	if b.tty {
		const width = 30
		fill := int(pct / 100 * width)
		bar := strings.Repeat("=", fill) + strings.Repeat(" ", width-fill)
		if fill > 0 && fill < width {
			bar = strings.Repeat("=", fill-1) + ">" + strings.Repeat(" ", width-fill)
		}
		fmt.Fprintf(b.w, "\r%s %s [%s] %3.0f%%  %d records  %d failed\x1b[K", b.label, what, bar, pct, recs, failed)
		b.drawn = true
		return
	}
	fmt.Fprintf(b.w, "redress %s: %s: %.0f%%, %d records, %d failed\n", b.label, what, pct, recs, failed)
}

// clear removes the bar so that other lines can be written.
func (b *progressBar) clear() {
	if b.drawn {
		fmt.Fprint(b.w, "\r\x1b[K")
		b.drawn = false
		b.last = time.Time{}
	}
}

func (b *progressBar) finish() { b.clear() }
