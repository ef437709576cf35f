package triage

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/redress-project/redress/internal/assess/classify"
	"github.com/redress-project/redress/internal/taxonomy"
)

// ModelEnv is the environment variable that names a model file for the
// server to load instead of training the starter model.
const ModelEnv = "REDRESS_MODEL"

// StarterOptions are the training options of the starter model (and the
// defaults of redress train --from-db). Seed sets are small, so a feature
// seen in a single text is kept, and regularisation is weak and training
// long: with the classifier's defaults (C 30, 20 epochs) the model's
// confidence is far too low to compare with a threshold (0.33 on average
// in 5-fold cross-validation on the default seeds, where it is right 55 %
// of the time: expected calibration error 0.22); with these it tracks the
// accuracy (0.56 against 0.55, error 0.07) at the same accuracy.
// TestStarterCalibration measures it; docs/quality.md has the figures.
func StarterOptions() classify.Options {
	return classify.Options{MinDocFreq: 1, C: 10000, Epochs: 60, LearningRate: 2}
}

// SeedExamples returns the taxonomy's seed texts as training examples.
func SeedExamples(tax *taxonomy.Taxonomy) []classify.Example {
	seeds := tax.Examples()
	out := make([]classify.Example, len(seeds))
	for i, s := range seeds {
		out[i] = classify.Example{Text: s.Text, Label: s.Category}
	}
	return out
}

// TrainStarter trains the starter model on the taxonomy's seed examples
// (a fraction of a second for the default taxonomy).
func TrainStarter(ctx context.Context, tax *taxonomy.Taxonomy) (*classify.Model, error) {
	m, err := classify.TrainContext(ctx, SeedExamples(tax), StarterOptions())
	if err != nil {
		return nil, fmt.Errorf("triage: training the starter model on the taxonomy's seeds: %w", err)
	}
	return m, nil
}

// StarterName names the starter model of tax in assessments: "starter-"
// and a short hash of the seed examples, so a changed seed set shows.
func StarterName(tax *taxonomy.Taxonomy) string {
	h := sha256.New()
	for _, e := range tax.Examples() {
		fmt.Fprintf(h, "%s\x00%s\x00", e.Category, e.Text)
	}
	return "starter-" + hex.EncodeToString(h.Sum(nil))[:8]
}

// LoadModel reads a model file written by redress train and checks that
// every label it predicts is a category of tax. The name is the file's
// base name and a short hash of its content.
func LoadModel(path string, tax *taxonomy.Taxonomy) (m *classify.Model, name string, err error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, "", fmt.Errorf("triage: model: %w", err)
	}
	m, err = classify.Load(bytes.NewReader(data))
	if err != nil {
		return nil, "", fmt.Errorf("triage: model %s: %w", path, err)
	}
	if err := CheckLabels(m, tax); err != nil {
		return nil, "", fmt.Errorf("triage: model %s: %w", path, err)
	}
	sum := sha256.Sum256(data)
	return m, filepath.Base(path) + "@" + hex.EncodeToString(sum[:])[:8], nil
}

// CheckLabels reports labels of m that are not categories of tax: such a
// model was trained for something else (another data set, an older
// taxonomy) and its answers could not be used.
func CheckLabels(m *classify.Model, tax *taxonomy.Taxonomy) error {
	var unknown []string
	for _, l := range m.Labels() {
		if !tax.Has(l) {
			unknown = append(unknown, l)
		}
	}
	if len(unknown) > 0 {
		return fmt.Errorf("its labels %s are not categories of the taxonomy (%s); retrain it with redress train --from-db",
			quote(unknown), tax.Source())
	}
	return nil
}

func quote(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = fmt.Sprintf("%q", s)
	}
	return strings.Join(q, ", ")
}

// LoadOrTrain is what a server does at start-up: with a path (from
// --model or REDRESS_MODEL), load that model; without one, train the
// starter model on the taxonomy's seeds. name identifies the model in
// assessments.
func LoadOrTrain(ctx context.Context, path string, tax *taxonomy.Taxonomy) (m *classify.Model, name string, err error) {
	if path != "" {
		return LoadModel(path, tax)
	}
	m, err = TrainStarter(ctx, tax)
	if err != nil {
		return nil, "", err
	}
	return m, StarterName(tax), nil
}
