package classify

import (
	"testing"
	"time"

	"github.com/redress-project/redress/internal/assess/internal/datasets"
	"github.com/redress-project/redress/internal/textio"
)

func load(t testing.TB, dataset, file, text, label string) []Example {
	t.Helper()
	rows, _, err := textio.ReadLabelledFile(datasets.File(t, dataset, file), text, label, textio.Options{})
	if err != nil {
		t.Fatal(err)
	}
	ex := make([]Example, len(rows))
	for i, r := range rows {
		ex[i] = Example{Text: r.Text, Label: r.Label}
	}
	return ex
}

// everyKth keeps at most n examples, evenly spread over the file.
func everyKth(ex []Example, n int) []Example {
	if len(ex) <= n {
		return ex
	}
	out := make([]Example, 0, n)
	for i := range n {
		out = append(out, ex[i*len(ex)/n])
	}
	return out
}

// TestDevQuality trains on each data set's train.csv and checks the dev
// figures against the majority-class baseline. Thresholds sit a little
// under what was measured (docs/quality.md), so a real regression fails
// while run-to-run noise does not. Under -race, which makes training
// about ten times slower, the larger sets train on an evenly spread
// subset (raceRows), and the thresholds hold for that too.
func TestDevQuality(t *testing.T) {
	cases := []struct {
		dataset, text, label string
		raceRows             int // training rows kept under -race; 0 keeps all
		// Minimums for dev accuracy, its lead over the baseline, and macro-F1.
		minAccuracy, minLead, minMacroF1 float64
	}{
		// Text-only accuracy has a low ceiling here (the label describes
		// the dispute case, not the text), so the lead is small; macro-F1
		// shows the model does far better than the baseline's ~0.04.
		{"zh_ecommerce_dispute_appeals", "content", "label_l1", 0, 0.43, 0.0, 0.19},
		{"cfpb_complaints", "narrative", "product_group", 1200, 0.74, 0.20, 0.38},
		{"waimai_10k", "review", "label", 4000, 0.85, 0.18, 0.83},
		{"online_shopping_10_cats", "review", "label", 6000, 0.90, 0.38, 0.90},
	}
	for _, c := range cases {
		t.Run(c.dataset, func(t *testing.T) {
			train := load(t, c.dataset, "train.csv", c.text, c.label)
			dev := load(t, c.dataset, "dev.csv", c.text, c.label)
			if raceEnabled && c.raceRows > 0 {
				train = everyKth(train, c.raceRows)
			}
			start := time.Now()
			m, err := Train(train, Options{})
			if err != nil {
				t.Fatal(err)
			}
			r, err := Evaluate(m, dev, false)
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("trained on %d, dev n=%d: accuracy %.4f (baseline %.4f), macro-F1 %.4f, in %s",
				len(train), r.N, r.Accuracy, r.BaselineAccuracy, r.MacroF1, time.Since(start).Round(time.Millisecond))
			if r.Accuracy < c.minAccuracy || r.Accuracy-r.BaselineAccuracy < c.minLead || r.MacroF1 < c.minMacroF1 {
				t.Errorf("dev accuracy %.4f (baseline %.4f), macro-F1 %.4f; want accuracy ≥ %.2f, lead ≥ %.2f, macro-F1 ≥ %.2f",
					r.Accuracy, r.BaselineAccuracy, r.MacroF1, c.minAccuracy, c.minLead, c.minMacroF1)
			}
		})
	}
}
