package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/redress-project/redress/internal/assess/classify"
	"github.com/redress-project/redress/internal/store"
	"github.com/redress-project/redress/internal/taxonomy"
	"github.com/redress-project/redress/internal/textio"
	"github.com/redress-project/redress/internal/triage"
)

func init() {
	register(command{name: "train", summary: "train the complaint classifier on a labelled CSV, or on staff's classifications (--from-db)", run: runTrain})
}

// dataFlags are the flags train and eval share for reading a labelled CSV.
type dataFlags struct {
	data, text, label string
	lazyQuotes        bool
}

func (d *dataFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&d.data, "data", "", "labelled `CSV` file with a header row (UTF-8 or GB18030/GBK, detected)")
	fs.StringVar(&d.text, "text", "", "name of the text `column`")
	fs.StringVar(&d.label, "label", "", "name of the label `column`")
	fs.BoolVar(&d.lazyQuotes, "lazy-quotes", false, "accept stray quotes inside fields")
}

func (d *dataFlags) check() error {
	var missing []string
	for _, f := range []struct{ name, val string }{{"--data", d.data}, {"--text", d.text}, {"--label", d.label}} {
		if f.val == "" {
			missing = append(missing, f.name)
		}
	}
	if len(missing) > 0 {
		return usageErrorf("missing %s", strings.Join(missing, ", "))
	}
	return nil
}

// read loads the examples, skipping (and counting) rows with an empty
// text or label.
func (d *dataFlags) read() ([]classify.Example, textio.LabelledStats, error) {
	rows, stats, err := textio.ReadLabelledFile(d.data, d.text, d.label, textio.Options{LazyQuotes: d.lazyQuotes})
	if err != nil {
		return nil, stats, err
	}
	ex := make([]classify.Example, len(rows))
	for i, r := range rows {
		ex[i] = classify.Example{Text: r.Text, Label: r.Label}
	}
	return ex, stats, nil
}

func describeRead(w io.Writer, path string, n int, st textio.LabelledStats) {
	fmt.Fprintf(w, "read %d examples from %s (%s)", n, path, st.Encoding)
	if st.Skipped() > 0 {
		fmt.Fprintf(w, "; skipped %d rows with empty text and %d with an empty label", st.SkippedEmptyText, st.SkippedEmptyLabel)
	}
	fmt.Fprintln(w)
}

func runTrain(ctx context.Context, env *cliEnv, args []string) error {
	fs := newFlagSet(env, "train")
	var d dataFlags
	d.register(fs)
	out := fs.String("out", "", "model `file` to write")
	def := classify.Options{}.Defaults()
	alg := fs.String("algorithm", string(def.Algorithm), "logreg (logistic regression) or cnb (complement naive Bayes)")
	epochs := fs.Int("epochs", def.Epochs, "SGD epochs (logreg)")
	c := fs.Float64("c", def.C, "inverse L2 regularisation strength (logreg)")
	weighting := fs.String("class-weight", string(def.ClassWeighting), "weighting of rare labels: none, sqrt or balanced (logreg)")
	minDF := fs.Int("min-df", def.MinDocFreq, "drop features seen in fewer training texts")
	bits := fs.Int("hash-bits", def.Features.HashBits, "log2 of the number of feature hash buckets")
	seed := fs.Uint64("seed", 0, "seed of the SGD shuffle")
	cv := fs.Int("cv", 0, "first estimate accuracy by `K`-fold cross-validation on the training data")
	fromDB := fs.Bool("from-db", false, "train on the cases staff classified or corrected in the database (--database), plus the\ntaxonomy's seed examples, instead of a CSV; --epochs, --c and --min-df then default to the starter model's")
	dbURL := databaseFlag(fs, env)
	taxPath := fs.String("taxonomy", "", "with --from-db: the taxonomy `file` whose categories and seeds to use (default: the embedded one)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	if *fromDB {
		if set["data"] || set["text"] || set["label"] || set["lazy-quotes"] {
			return usageErrorf("--from-db reads the database: it takes no --data, --text, --label or --lazy-quotes")
		}
		starter := triage.StarterOptions().Defaults()
		if !set["epochs"] {
			*epochs = starter.Epochs
		}
		if !set["c"] {
			*c = starter.C
		}
		if !set["min-df"] {
			*minDF = starter.MinDocFreq
		}
	} else {
		if set["taxonomy"] {
			return usageErrorf("--taxonomy goes with --from-db")
		}
		if err := d.check(); err != nil {
			return err
		}
	}
	if *out == "" {
		return usageErrorf("missing --out")
	}
	if *cv == 1 || *cv < 0 {
		return usageErrorf("--cv needs at least 2 folds")
	}
	opts := classify.Options{
		Algorithm: classify.Algorithm(*alg), Epochs: *epochs, C: *c, MinDocFreq: *minDF, Seed: *seed,
		ClassWeighting: classify.ClassWeighting(*weighting),
		Features:       def.Features,
	}
	opts.Features.HashBits = *bits
	if *fromDB {
		opts.LearningRate = triage.StarterOptions().Defaults().LearningRate
	}
	if err := opts.Validate(); err != nil {
		return usageErrorf("%v", err)
	}

	var examples []classify.Example
	if *fromDB {
		var err error
		if examples, err = readFromDB(ctx, env, *dbURL, *taxPath); err != nil {
			return err
		}
	} else {
		var stats textio.LabelledStats
		var err error
		if examples, stats, err = d.read(); err != nil {
			return err
		}
		describeRead(env.stderr, d.data, len(examples), stats)
	}
	if len(examples) == 0 {
		return errors.New("no usable examples")
	}
	if *cv > 0 {
		start := time.Now()
		acc, f1, err := classify.CrossValidate(examples, opts, *cv)
		if err != nil {
			return err
		}
		fmt.Fprintf(env.stderr, "%d-fold cross-validation: accuracy %.4f, macro-F1 %.4f (%s)\n", *cv, acc, f1, time.Since(start).Round(time.Millisecond))
	}
	start := time.Now()
	m, err := classify.TrainContext(ctx, examples, opts)
	if err != nil {
		return err
	}
	took := time.Since(start)
	size, err := writeModel(m, *out)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.stderr, "trained %s on n=%d examples, %d labels, %d features, in %s\n",
		opts, len(examples), len(m.Labels()), m.VocabularySize(), took.Round(time.Millisecond))
	fmt.Fprintf(env.stderr, "labels: %s\n", labelSummary(m.TrainingCounts()))
	fmt.Fprintf(env.stderr, "wrote %s (%.1f MB)\n", *out, float64(size)/1e6)
	return nil
}

// readFromDB returns the training examples of redress train --from-db: the
// taxonomy's seed examples, then every case staff classified (their latest
// classification is the label; the system's own are not labels).
func readFromDB(ctx context.Context, env *cliEnv, dbURL, taxPath string) ([]classify.Example, error) {
	tax := taxonomy.Default()
	if taxPath != "" {
		var err error
		if tax, err = taxonomy.Load(taxPath); err != nil {
			return nil, err
		}
	}
	if isSQLitePath(dbURL) {
		// Connecting would create a missing file: say it is missing instead.
		if _, err := os.Stat(dbURL); err != nil {
			return nil, fmt.Errorf("database %s: %w", dbURL, err)
		}
	}
	st, err := store.Connect(ctx, dbURL)
	if err != nil {
		return nil, err
	}
	defer st.Close()
	if err := st.Ready(ctx); err != nil {
		return nil, err
	}
	staff, stats, err := triage.StaffExamples(ctx, st, tax)
	if err != nil {
		return nil, err
	}
	seeds := triage.SeedExamples(tax)
	fmt.Fprintf(env.stderr, "read %d cases from the database: %d classified by staff", stats.Cases, stats.Labelled)
	if stats.UnknownCategory > 0 {
		fmt.Fprintf(env.stderr, " (and %d in categories the taxonomy lacks, left out)", stats.UnknownCategory)
	}
	fmt.Fprintf(env.stderr, "; with %d seed examples of the taxonomy (%s)\n", len(seeds), tax.Source())
	if stats.Labelled > 0 {
		fmt.Fprintf(env.stderr, "staff's classifications: %s\n", labelSummary(stats.ByCategory))
	}
	return append(seeds, staff...), nil
}

// isSQLitePath reports whether a database URL is a plain SQLite file path.
func isSQLitePath(u string) bool {
	for _, p := range []string{"postgres://", "postgresql://", "file:", ":memory:"} {
		if strings.HasPrefix(u, p) {
			return false
		}
	}
	return true
}

// labelSummary lists labels by training count, most frequent first.
func labelSummary(counts map[string]int) string {
	labels := make([]string, 0, len(counts))
	for l := range counts {
		labels = append(labels, l)
	}
	slices.SortFunc(labels, func(a, b string) int {
		if counts[a] != counts[b] {
			return counts[b] - counts[a]
		}
		return strings.Compare(a, b)
	})
	parts := make([]string, len(labels))
	for i, l := range labels {
		parts[i] = fmt.Sprintf("%s %d", l, counts[l])
	}
	return strings.Join(parts, ", ")
}

// writeModel saves the model next to its destination and renames it into
// place, so that a failed write never leaves a half model under that name.
func writeModel(m *classify.Model, path string) (int64, error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return 0, err
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return 0, err
	}
	if err := m.Save(tmp); err != nil {
		tmp.Close()
		return 0, err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return 0, err
	}
	fi, err := tmp.Stat()
	if err != nil {
		tmp.Close()
		return 0, err
	}
	if err := tmp.Close(); err != nil {
		return 0, err
	}
	return fi.Size(), os.Rename(tmp.Name(), path)
}
