package triage

import (
	"context"
	"encoding/csv"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redress-project/redress/internal/assess/classify"
	"github.com/redress-project/redress/internal/taxonomy"
)

// heldOut reads testdata/heldout.csv: complaints written for this test,
// none of them a seed example, labelled with the category they belong to.
func heldOut(t *testing.T) []classify.Example {
	t.Helper()
	f, err := os.Open("testdata/heldout.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var out []classify.Example
	for _, r := range rows[1:] {
		out = append(out, classify.Example{Label: r[0], Text: r[1]})
	}
	return out
}

var starterOnce = sync.OnceValues(func() (*classify.Model, time.Duration) {
	start := time.Now()
	m, err := TrainStarter(context.Background(), taxonomy.Default())
	if err != nil {
		panic(err)
	}
	return m, time.Since(start)
})

// starter returns the starter model of the default taxonomy, trained once.
func starter(testing.TB) *classify.Model {
	m, _ := starterOnce()
	return m
}

func TestStarterModel(t *testing.T) {
	tax := taxonomy.Default()
	m, starterTook := starterOnce()
	if raceEnabled {
		t.Logf("trained in %s (with -race)", starterTook)
	} else if starterTook > time.Second {
		t.Errorf("training the starter model took %s; it must take well under a second", starterTook)
	}
	if got, want := len(m.Labels()), len(tax.IDs()); got != want {
		t.Errorf("the model knows %d categories, the taxonomy has %d", got, want)
	}
	held := heldOut(t)
	seeds := map[string]bool{}
	for _, e := range tax.Examples() {
		seeds[e.Text] = true
	}
	perCategory := map[string]int{}
	for _, e := range held {
		if seeds[e.Text] {
			t.Errorf("held-out text %q is a seed", e.Text)
		}
		if !tax.Has(e.Label) {
			t.Errorf("held-out label %q is not a category", e.Label)
		}
		perCategory[e.Label]++
	}
	for _, id := range tax.IDs() {
		if perCategory[id] < 4 {
			t.Errorf("only %d held-out examples of %s", perCategory[id], id)
		}
	}
	rep, err := classify.Evaluate(m, held, false)
	if err != nil {
		t.Fatal(err)
	}
	// Confident answers (those triage uses) must be right nearly always.
	confident, confidentRight := 0, 0
	for _, e := range held {
		if p := m.Predict(e.Text); p.Confidence >= tax.TriageThreshold() {
			confident++
			if p.Label == e.Label {
				confidentRight++
			}
		}
	}
	t.Logf("held-out: n=%d accuracy %.3f macro-F1 %.3f ECE %.3f; %d confident, %d of them right",
		rep.N, rep.Accuracy, rep.MacroF1, rep.ECE, confident, confidentRight)
	if rep.Accuracy < 0.85 || rep.MacroF1 < 0.8 {
		t.Errorf("held-out accuracy %.3f, macro-F1 %.3f: want at least 0.85 and 0.80", rep.Accuracy, rep.MacroF1)
	}
	if confident < len(held)*2/3 || float64(confidentRight) < 0.95*float64(confident) {
		t.Errorf("%d of %d predictions confident, %d of them right: want two thirds confident and 95%% of those right",
			confident, len(held), confidentRight)
	}
}

func TestLoadOrTrain(t *testing.T) {
	tax := taxonomy.Default()
	ctx := context.Background()
	m, name, err := LoadOrTrain(ctx, "", tax)
	if err != nil || m == nil || !strings.HasPrefix(name, "starter-") || name != StarterName(tax) {
		t.Fatalf("no path: %v %q %v", m, name, err)
	}
	path := filepath.Join(t.TempDir(), "triage.model")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Save(f); err != nil {
		t.Fatal(err)
	}
	f.Close()
	loaded, name, err := LoadOrTrain(ctx, path, tax)
	if err != nil || !strings.HasPrefix(name, "triage.model@") {
		t.Fatalf("loading: %q %v", name, err)
	}
	if p, q := m.Predict("退款没到账"), loaded.Predict("退款没到账"); p.Label != q.Label {
		t.Errorf("the loaded model predicts %s, the saved one %s", q.Label, p.Label)
	}

	// A model trained for other labels is refused, naming them.
	other, err := classify.Train([]classify.Example{{Text: "good", Label: "pos"}, {Text: "bad", Label: "neg"}}, classify.Options{MinDocFreq: 1})
	if err != nil {
		t.Fatal(err)
	}
	f, _ = os.Create(path)
	other.Save(f)
	f.Close()
	if _, _, err := LoadOrTrain(ctx, path, tax); err == nil || !strings.Contains(err.Error(), `"neg", "pos"`) {
		t.Errorf("a model with foreign labels: %v", err)
	}
	if _, _, err := LoadOrTrain(ctx, filepath.Join(t.TempDir(), "none"), tax); err == nil {
		t.Error("a missing model file was accepted")
	}
	os.WriteFile(path, []byte("not a model"), 0o644)
	if _, _, err := LoadOrTrain(ctx, path, tax); !errors.Is(err, classify.ErrNotModel) {
		t.Errorf("a file that is not a model: %v", err)
	}
}

// TestStarterCalibration compares, by 5-fold cross-validation on the
// default seeds, how well the confidence of a model trained with
// StarterOptions tracks its accuracy against the classifier's defaults:
// the triage threshold only means something if it does. (The figures are
// in docs/quality.md.)
func TestStarterCalibration(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("ten trainings: not in -short or -race runs")
	}
	seeds := SeedExamples(taxonomy.Default())
	type result struct{ acc, conf, ece float64 }
	cv := func(o classify.Options) result {
		const k = 5
		var n [10]float64
		var right, conf [10]float64
		var r result
		for f := range k {
			var train, test []classify.Example
			for i, e := range seeds {
				if (i*7919)%len(seeds)%k == f {
					test = append(test, e)
				} else {
					train = append(train, e)
				}
			}
			m, err := classify.Train(train, o)
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range test {
				p := m.Predict(e.Text)
				ok := 0.0
				if p.Label == e.Label {
					ok = 1
				}
				b := min(int(p.Confidence*10), 9)
				n[b]++
				right[b] += ok
				conf[b] += p.Confidence
				r.acc += ok / float64(len(seeds))
				r.conf += p.Confidence / float64(len(seeds))
			}
		}
		for b := range n {
			if n[b] > 0 {
				d := right[b]/n[b] - conf[b]/n[b]
				r.ece += n[b] / float64(len(seeds)) * max(d, -d)
			}
		}
		return r
	}
	def := cv(classify.Options{MinDocFreq: 1})
	st := cv(StarterOptions())
	t.Logf("5-fold on %d seeds: defaults accuracy %.3f, mean confidence %.3f, ECE %.3f; starter options %.3f, %.3f, %.3f",
		len(seeds), def.acc, def.conf, def.ece, st.acc, st.conf, st.ece)
	if st.ece > 0.12 || st.ece >= def.ece || st.acc < def.acc-0.03 {
		t.Errorf("the starter options are not better calibrated (ECE %.3f against %.3f) at the same accuracy (%.3f against %.3f)",
			st.ece, def.ece, st.acc, def.acc)
	}
}
