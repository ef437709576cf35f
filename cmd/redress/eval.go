package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"

	"github.com/redress-project/redress/internal/assess/classify"
)

func init() {
	register(command{name: "eval", summary: "evaluate a classifier model on a labelled CSV (JSON report)", run: runEval})
}

// evalOutput is the JSON eval prints: the classify report plus where the
// figures came from.
type evalOutput struct {
	Model             string `json:"model"`
	Data              string `json:"data"`
	SkippedEmptyText  int    `json:"skipped_empty_text"`
	SkippedEmptyLabel int    `json:"skipped_empty_label"`
	*classify.Report
}

func runEval(_ context.Context, env *cliEnv, args []string) error {
	fs := newFlagSet(env, "eval")
	var d dataFlags
	d.register(fs)
	modelPath := fs.String("model", "", "model `file` written by redress train")
	allowUnknown := fs.Bool("allow-unknown-labels", false, "count examples whose label the model never saw as wrong, instead of failing")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *modelPath == "" {
		return usageErrorf("missing --model")
	}
	if err := d.check(); err != nil {
		return err
	}
	m, err := loadModel(*modelPath)
	if err != nil {
		return err
	}
	examples, stats, err := d.read()
	if err != nil {
		return err
	}
	if len(examples) == 0 {
		return errors.New("no usable examples to evaluate")
	}
	rep, err := classify.Evaluate(m, examples, *allowUnknown)
	var unknown *classify.UnknownLabelsError
	if errors.As(err, &unknown) {
		return fmt.Errorf("%w; pass --allow-unknown-labels to count them as wrong", err)
	}
	if err != nil {
		return err
	}
	out := evalOutput{Model: *modelPath, Data: d.data, SkippedEmptyText: stats.SkippedEmptyText, SkippedEmptyLabel: stats.SkippedEmptyLabel, Report: rep}
	enc := json.NewEncoder(env.stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

func loadModel(path string) (*classify.Model, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	m, err := classify.Load(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return m, nil
}
