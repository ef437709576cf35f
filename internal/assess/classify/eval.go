package classify

import (
	"fmt"
	"math"
	"slices"
	"strings"
)

// ClassReport holds the figures of one label in an evaluation.
type ClassReport struct {
	Precision float64 `json:"precision"`
	Recall    float64 `json:"recall"`
	F1        float64 `json:"f1"`
	// Support is the number of examples with this true label.
	Support int `json:"support"`
	// Predicted is the number of examples predicted as this label.
	Predicted int `json:"predicted"`
}

// Report is the outcome of evaluating a model on labelled examples.
type Report struct {
	N        int     `json:"n"`
	Accuracy float64 `json:"accuracy"`
	// MacroF1 is the unweighted mean F1 over every label that occurs in
	// the examples or in the predictions.
	MacroF1 float64 `json:"macro_f1"`
	// WeightedF1 is the mean F1 weighted by support.
	WeightedF1 float64 `json:"weighted_f1"`
	// BaselineLabel is the label most frequent in training, and
	// BaselineAccuracy the accuracy of always predicting it.
	BaselineLabel    string  `json:"baseline_label"`
	BaselineAccuracy float64 `json:"baseline_accuracy"`
	// LogLoss is the mean negative log probability of the true label, over
	// examples whose label the model knows.
	LogLoss float64 `json:"log_loss"`
	// ECE is the expected calibration error of Confidence over 10 bins:
	// how far, on average, confidence is from accuracy.
	ECE float64 `json:"ece"`
	// UnknownLabels lists the true labels the model never saw, and
	// UnknownCount how many examples carry them (all counted as wrong).
	UnknownLabels []string                  `json:"unknown_labels"`
	UnknownCount  int                       `json:"unknown_count"`
	Classes       map[string]ClassReport    `json:"classes"`
	Confusion     map[string]map[string]int `json:"confusion"`
}

// UnknownLabelsError reports evaluation labels the model was not trained on.
type UnknownLabelsError struct {
	Labels []string
	Count  int
	Known  []string
}

func (e *UnknownLabelsError) Error() string {
	return fmt.Sprintf("%d examples have labels the model was not trained on: %s (the model knows %s)",
		e.Count, quoteList(e.Labels), quoteList(e.Known))
}

func quoteList(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = fmt.Sprintf("%q", s)
	}
	return strings.Join(q, ", ")
}

// Evaluate predicts every example and compares with its label. Labels the
// model never saw make it fail with an *UnknownLabelsError, unless
// allowUnknown is set, in which case those examples count as wrong.
func Evaluate(m *Model, examples []Example, allowUnknown bool) (*Report, error) {
	if len(examples) == 0 {
		return nil, errorf("no examples to evaluate")
	}
	known := map[string]int{}
	for i, l := range m.labels {
		known[l] = i
	}
	r := &Report{N: len(examples), Classes: map[string]ClassReport{}, Confusion: map[string]map[string]int{}, UnknownLabels: []string{}}
	unknown := map[string]bool{}
	for _, ex := range examples {
		if _, ok := known[ex.Label]; !ok {
			unknown[ex.Label] = true
			r.UnknownCount++
		}
	}
	for l := range unknown {
		r.UnknownLabels = append(r.UnknownLabels, l)
	}
	slices.Sort(r.UnknownLabels)
	if len(unknown) > 0 && !allowUnknown {
		return nil, &UnknownLabelsError{Labels: r.UnknownLabels, Count: r.UnknownCount, Known: m.Labels()}
	}

	r.BaselineLabel = m.MajorityLabel()
	var correct, baseline, logLossN int
	var logLoss float64
	var bins [10]struct {
		n          int
		conf, hits float64
	}
	tp, pred, support := map[string]int{}, map[string]int{}, map[string]int{}
	for _, ex := range examples {
		p := m.Predict(ex.Text)
		hit := p.Label == ex.Label
		if hit {
			correct++
			tp[ex.Label]++
		}
		if ex.Label == r.BaselineLabel {
			baseline++
		}
		pred[p.Label]++
		support[ex.Label]++
		if r.Confusion[ex.Label] == nil {
			r.Confusion[ex.Label] = map[string]int{}
		}
		r.Confusion[ex.Label][p.Label]++
		if _, ok := known[ex.Label]; ok {
			logLoss -= math.Log(max(probabilityOf(p, ex.Label), 1e-15))
			logLossN++
		}
		b := min(int(p.Confidence*10), 9)
		bins[b].n++
		bins[b].conf += p.Confidence
		if hit {
			bins[b].hits++
		}
	}
	n := float64(len(examples))
	r.Accuracy = float64(correct) / n
	r.BaselineAccuracy = float64(baseline) / n
	if logLossN > 0 {
		r.LogLoss = logLoss / float64(logLossN)
	}
	for _, b := range bins {
		if b.n > 0 {
			r.ECE += float64(b.n) / n * math.Abs(b.hits/float64(b.n)-b.conf/float64(b.n))
		}
	}
	labels := map[string]bool{}
	for l := range support {
		labels[l] = true
	}
	for l := range pred {
		labels[l] = true
	}
	for l := range labels {
		c := ClassReport{Support: support[l], Predicted: pred[l]}
		if c.Predicted > 0 {
			c.Precision = float64(tp[l]) / float64(c.Predicted)
		}
		if c.Support > 0 {
			c.Recall = float64(tp[l]) / float64(c.Support)
		}
		if c.Precision+c.Recall > 0 {
			c.F1 = 2 * c.Precision * c.Recall / (c.Precision + c.Recall)
		}
		r.Classes[l] = c
		r.MacroF1 += c.F1
		r.WeightedF1 += c.F1 * float64(c.Support)
	}
	r.MacroF1 /= float64(len(labels))
	r.WeightedF1 /= n
	return r, nil
}

func probabilityOf(p Prediction, label string) float64 {
	for _, s := range p.Scores {
		if s.Label == label {
			return s.Probability
		}
	}
	return 0
}

// CrossValidate estimates how a model trained with opts does on unseen
// texts: it splits the examples into k folds (every k-th example, after a
// seeded shuffle), trains on k−1 and evaluates on the one left out, and
// returns the mean accuracy and macro-F1 over the folds.
func CrossValidate(examples []Example, opts Options, k int) (accuracy, macroF1 float64, err error) {
	if k < 2 || k > len(examples) {
		return 0, 0, errorf("cannot cross-validate %d examples in %d folds", len(examples), k)
	}
	order := shuffled(len(examples), opts.Seed)
	for f := range k {
		var train, test []Example
		for i, j := range order {
			if i%k == f {
				test = append(test, examples[j])
			} else {
				train = append(train, examples[j])
			}
		}
		m, err := Train(train, opts)
		if err != nil {
			return 0, 0, fmt.Errorf("fold %d: %w", f+1, err)
		}
		r, err := Evaluate(m, test, true)
		if err != nil {
			return 0, 0, fmt.Errorf("fold %d: %w", f+1, err)
		}
		accuracy += r.Accuracy / float64(k)
		macroF1 += r.MacroF1 / float64(k)
	}
	return accuracy, macroF1, nil
}
