package sentiment

import (
	"testing"

	"github.com/redress-project/redress/internal/assess/internal/datasets"
	"github.com/redress-project/redress/internal/textio"
)

// TestLexiconOnReviews checks the lexicon score against the labelled
// review sets: a score above zero should mean label 1 (positive). The
// lexicon is written by hand, not fitted to these files; the thresholds
// sit a little under the measured figures (docs/quality.md).
func TestLexiconOnReviews(t *testing.T) {
	for _, c := range []struct {
		dataset     string
		minAccuracy float64
	}{
		{"waimai_10k", 0.80},
		{"online_shopping_10_cats", 0.82},
	} {
		rows, _, err := textio.ReadLabelledFile(datasets.File(t, c.dataset, "dev.csv"), "review", "label", textio.Options{})
		if err != nil {
			t.Fatal(err)
		}
		var correct, negatives, zero int
		for _, r := range rows {
			s := Analyze(r.Text).Score
			pred := "0"
			if s > 0 {
				pred = "1"
			}
			if s == 0 {
				zero++
			}
			if pred == r.Label {
				correct++
			}
			if r.Label == "0" {
				negatives++
			}
		}
		acc := float64(correct) / float64(len(rows))
		base := max(float64(negatives), float64(len(rows)-negatives)) / float64(len(rows))
		t.Logf("%s dev: n=%d, accuracy of sign(score) %.4f, majority baseline %.4f, no cue in %.1f%%", c.dataset, len(rows), acc, base, 100*float64(zero)/float64(len(rows)))
		if acc < c.minAccuracy {
			t.Errorf("%s: accuracy %.4f under %.2f", c.dataset, acc, c.minAccuracy)
		}
	}
}
