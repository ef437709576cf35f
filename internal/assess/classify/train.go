package classify

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
)

// Algorithm is the learning algorithm of a model.
type Algorithm string

// The algorithms Train offers.
const (
	// LogisticRegression is multinomial logistic regression (softmax)
	// trained by stochastic gradient descent with L2 regularisation. Its
	// probabilities are reasonably calibrated.
	LogisticRegression Algorithm = "logreg"
	// ComplementNB is complement naive Bayes (Rennie et al., 2003), with
	// a softmax temperature fitted on the training data for confidences.
	ComplementNB Algorithm = "cnb"
)

// ClassWeighting says how LogisticRegression weighs the examples of rare
// and frequent labels.
type ClassWeighting string

// The class weightings. With n examples, k labels and n_l examples of
// label l, Balanced weighs an example of l by n/(k·n_l), which trades
// accuracy on frequent labels for recall on rare ones; SqrtWeighting uses
// the square root of that, a compromise that cross-validation on the
// project's data sets preferred (docs/quality.md).
const (
	NoWeighting       ClassWeighting = "none"
	SqrtWeighting     ClassWeighting = "sqrt"
	BalancedWeighting ClassWeighting = "balanced"
)

// Options tune Train. Zero fields take the defaults noted.
type Options struct {
	// Algorithm defaults to LogisticRegression.
	Algorithm Algorithm
	// Features defaults to 2^20 hash buckets, CJK n-grams up to 3, word
	// n-grams up to 2 and subword 4-grams.
	Features FeatureOptions
	// MinDocFreq drops features seen in fewer training texts; default 2.
	MinDocFreq int
	// Epochs of SGD for LogisticRegression; default 20.
	Epochs int
	// C is the inverse regularisation strength of LogisticRegression,
	// as in liblinear: the L2 penalty per example is 1/(C·n). Default 30.
	C float64
	// LearningRate is the initial SGD step; default 0.5.
	LearningRate float64
	// ClassWeighting weighs examples by how rare their label is;
	// default SqrtWeighting.
	ClassWeighting ClassWeighting
	// Seed makes the SGD shuffle reproducible; 0 is a fixed default seed.
	Seed uint64
	// Alpha is the smoothing of ComplementNB; default 0.3.
	Alpha float64
}

// Defaults returns o with every zero field set to its default.
func (o Options) Defaults() Options { return o.withDefaults() }

// Validate reports options out of range, after applying defaults.
func (o Options) Validate() error { return o.withDefaults().validate() }

func (o Options) withDefaults() Options {
	if o.Algorithm == "" {
		o.Algorithm = LogisticRegression
	}
	if o.Features == (FeatureOptions{}) {
		o.Features = defaultFeatures
	}
	if o.MinDocFreq == 0 {
		o.MinDocFreq = 2
	}
	if o.Epochs == 0 {
		o.Epochs = 20
	}
	if o.C == 0 {
		o.C = 30
	}
	if o.ClassWeighting == "" {
		o.ClassWeighting = SqrtWeighting
	}
	if o.LearningRate == 0 {
		o.LearningRate = 0.5
	}
	if o.Alpha == 0 {
		o.Alpha = 0.3
	}
	return o
}

func (o Options) validate() error {
	switch {
	case o.Algorithm != LogisticRegression && o.Algorithm != ComplementNB:
		return errorf("unknown algorithm %q (want %q or %q)", o.Algorithm, LogisticRegression, ComplementNB)
	case o.MinDocFreq < 1:
		return errorf("MinDocFreq %d must be at least 1", o.MinDocFreq)
	case o.Epochs < 1 || o.Epochs > 1000:
		return errorf("Epochs %d out of range 1–1000", o.Epochs)
	case !(o.C > 0) || math.IsInf(o.C, 0):
		return errorf("C %v must be positive", o.C)
	case !(o.LearningRate > 0) || o.LearningRate > 100:
		return errorf("LearningRate %v out of range", o.LearningRate)
	case o.ClassWeighting != NoWeighting && o.ClassWeighting != SqrtWeighting && o.ClassWeighting != BalancedWeighting:
		return errorf("unknown class weighting %q (want none, sqrt or balanced)", o.ClassWeighting)
	case !(o.Alpha > 0) || math.IsInf(o.Alpha, 0):
		return errorf("Alpha %v must be positive", o.Alpha)
	}
	return o.Features.validate()
}

// maxLabels bounds the label set: a classifier with thousands of labels
// is almost certainly a wrong column.
const maxLabels = 1000

// Train fits a model to the examples. It needs at least two distinct
// labels; texts may be in any mix of Chinese and English.
func Train(examples []Example, opts Options) (*Model, error) {
	return TrainContext(context.Background(), examples, opts)
}

// TrainContext is Train that gives up when ctx is done (checked between
// epochs and every few thousand texts).
func TrainContext(ctx context.Context, examples []Example, opts Options) (*Model, error) {
	opts = opts.withDefaults()
	if err := opts.validate(); err != nil {
		return nil, err
	}
	labels, y, counts, err := indexLabels(examples)
	if err != nil {
		return nil, err
	}
	m := &Model{
		labels:      labels,
		labelCounts: counts,
		algorithm:   opts.Algorithm,
		features:    opts.Features,
		ext:         newExtractor(opts.Features),
	}
	docs, idf, err := m.buildVocabulary(ctx, examples, opts.MinDocFreq)
	if err != nil {
		return nil, err
	}
	if len(idf) == 0 {
		return nil, errorf("no feature occurs in %d or more of the %d texts: add data or lower MinDocFreq", opts.MinDocFreq, len(examples))
	}
	var weights []float32
	switch opts.Algorithm {
	case LogisticRegression:
		weights, m.bias, err = trainLogReg(ctx, docs, y, len(labels), len(m.buckets), opts)
	case ComplementNB:
		weights, m.bias = trainComplementNB(docs, y, len(labels), len(m.buckets), opts.Alpha)
	}
	if err != nil {
		return nil, err
	}
	m.packParams(idf, weights)
	return m, nil
}

// indexLabels numbers the labels in sorted order.
func indexLabels(examples []Example) (labels []string, y []int, counts []int, err error) {
	seen := map[string]int{}
	for _, ex := range examples {
		seen[ex.Label]++
	}
	if _, empty := seen[""]; empty {
		return nil, nil, nil, errorf("an example has an empty label")
	}
	if len(seen) < 2 {
		found := "none"
		for l := range seen {
			found = fmt.Sprintf("only %q", l)
		}
		return nil, nil, nil, errorf("need at least 2 distinct labels to train, found %s", found)
	}
	if len(seen) > maxLabels {
		return nil, nil, nil, errorf("%d distinct labels (over %d): is the label column right?", len(seen), maxLabels)
	}
	for l := range seen {
		labels = append(labels, l)
	}
	slices.Sort(labels)
	index := make(map[string]int, len(labels))
	counts = make([]int, len(labels))
	for i, l := range labels {
		index[l] = i
		counts[i] = seen[l]
	}
	y = make([]int, len(examples))
	for i, ex := range examples {
		y[i] = index[ex.Label]
	}
	return labels, y, counts, nil
}

// docMatrix holds the training texts as sparse unit vectors (CSR).
type docMatrix struct {
	start []int
	rows  []int32
	vals  []float32
}

func (d *docMatrix) doc(i int) ([]int32, []float32) {
	return d.rows[d.start[i]:d.start[i+1]], d.vals[d.start[i]:d.start[i+1]]
}

// buildVocabulary extracts the features of every example, keeps those in
// at least minDF texts as the model's vocabulary, and returns the texts as
// vectors and the idf of each vocabulary row.
func (m *Model) buildVocabulary(ctx context.Context, examples []Example, minDF int) (*docMatrix, []float32, error) {
	s := &scratch{}
	nb := 1 << m.features.HashBits
	df := make([]int32, nb)
	type raw struct {
		start   int
		buckets []uint32
		counts  []float32
	}
	all := raw{}
	starts := make([]int, 0, len(examples)+1)
	for i, ex := range examples {
		if i%4096 == 0 && ctx.Err() != nil {
			return nil, nil, ctx.Err()
		}
		starts = append(starts, len(all.buckets))
		for _, f := range m.ext.extract(ex.Text, s) {
			all.buckets = append(all.buckets, f.bucket)
			all.counts = append(all.counts, f.count)
			df[f.bucket]++
		}
	}
	starts = append(starts, len(all.buckets))

	m.rowOf = make([]int32, nb)
	var idf []float32
	n := float64(len(examples))
	for b, d := range df {
		m.rowOf[b] = -1
		if int(d) >= minDF {
			m.rowOf[b] = int32(len(m.buckets))
			m.buckets = append(m.buckets, uint32(b))
			// Smoothed idf, as in scikit-learn: never zero, so every
			// vocabulary feature counts.
			idf = append(idf, float32(math.Log((1+n)/(1+float64(d)))+1))
		}
	}

	docs := &docMatrix{start: make([]int, 0, len(examples)+1)}
	for i := range examples {
		feats := s.feats[:0]
		for k := starts[i]; k < starts[i+1]; k++ {
			feats = append(feats, feature{bucket: all.buckets[k], count: all.counts[k]})
		}
		s.feats = feats
		rows, vals := vectorize(feats, m.rowOf, idf, s)
		docs.start = append(docs.start, len(docs.rows))
		docs.rows = append(docs.rows, rows...)
		docs.vals = append(docs.vals, vals...)
	}
	docs.start = append(docs.start, len(docs.rows))
	return docs, idf, nil
}

// trainLogReg fits softmax regression by SGD with the step size schedule
// η_t = η₀/(1+η₀λt) and L2 regularisation applied through a global scale
// factor (Bottou's trick), so that each step touches only the features of
// one text.
func trainLogReg(ctx context.Context, docs *docMatrix, y []int, L, V int, o Options) ([]float32, []float32, error) {
	n := len(y)
	lambda := 1 / (o.C * float64(n))
	w := make([]float64, V*L)
	b := make([]float64, L)
	classWeight := classWeights(y, L, o.ClassWeighting)
	scale := 1.0
	z := make([]float64, L)
	order := shuffled(n, o.Seed)
	rng := rand.New(rand.NewPCG(o.Seed, 0x5eed))
	t := 0.0
	for range o.Epochs {
		if err := ctx.Err(); err != nil {
			return nil, nil, err
		}
		rng.Shuffle(n, func(i, j int) { order[i], order[j] = order[j], order[i] })
		for _, i := range order {
			eta := o.LearningRate / (1 + o.LearningRate*lambda*t)
			t++
			rows, vals := docs.doc(i)
			copy(z, b)
			for k, r := range rows {
				v := float64(vals[k]) * scale
				wr := w[int(r)*L : int(r)*L+L]
				for l := range z {
					z[l] += wr[l] * v
				}
			}
			softmax(z)
			z[y[i]] -= 1 // now the gradient of the loss with respect to the scores
			cw := classWeight[y[i]]
			scale *= 1 - eta*lambda
			for k, r := range rows {
				step := eta * cw * float64(vals[k]) / scale
				wr := w[int(r)*L : int(r)*L+L]
				for l := range z {
					wr[l] -= step * z[l]
				}
			}
			for l := range b {
				b[l] -= eta * cw * z[l]
			}
			if scale < 1e-6 {
				for j := range w {
					w[j] *= scale
				}
				scale = 1
			}
		}
	}
	return toFloat32(w, scale), toFloat32(b, 1), nil
}

// shuffled returns a seeded random permutation of 0..n-1.
func shuffled(n int, seed uint64) []int {
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	rng := rand.New(rand.NewPCG(seed, 0xc0ffee))
	rng.Shuffle(n, func(i, j int) { order[i], order[j] = order[j], order[i] })
	return order
}

// classWeights returns the loss weight of each label.
func classWeights(y []int, L int, cw ClassWeighting) []float64 {
	w := make([]float64, L)
	counts := make([]int, L)
	for _, l := range y {
		counts[l]++
	}
	for l := range w {
		w[l] = 1
		if cw == NoWeighting || counts[l] == 0 {
			continue
		}
		w[l] = float64(len(y)) / float64(L*counts[l])
		if cw == SqrtWeighting {
			w[l] = math.Sqrt(w[l])
		}
	}
	return w
}

func toFloat32(v []float64, scale float64) []float32 {
	out := make([]float32, len(v))
	for i, x := range v {
		out[i] = float32(x * scale)
	}
	return out
}

// trainComplementNB computes complement naive Bayes weights with weight
// normalisation, then fits one softmax temperature on the training data
// so that Predict's probabilities mean something.
func trainComplementNB(docs *docMatrix, y []int, L, V int, alpha float64) ([]float32, []float32) {
	count := make([]float64, V*L)
	total := make([]float64, L)
	all := make([]float64, V)
	var allTotal float64
	for i, l := range y {
		rows, vals := docs.doc(i)
		for k, r := range rows {
			count[int(r)*L+l] += float64(vals[k])
			all[r] += float64(vals[k])
			total[l] += float64(vals[k])
			allTotal += float64(vals[k])
		}
	}
	w := make([]float64, V*L)
	for l := range L {
		denom := alpha*float64(V) + allTotal - total[l]
		var norm float64
		for r := range V {
			x := math.Log((alpha + all[r] - count[r*L+l]) / denom)
			w[r*L+l] = x
			norm += math.Abs(x)
		}
		// A text is likely of label l when its words are unlikely in the
		// complement of l: score with the negated, normalised weights.
		for r := range V {
			w[r*L+l] = -w[r*L+l] / norm
		}
	}
	temp := fitTemperature(docs, y, w, L)
	for j := range w {
		w[j] *= temp
	}
	return toFloat32(w, 1), make([]float32, L)
}

// fitTemperature finds the factor on the scores that minimises the log
// loss on the given texts, by golden-section search on its logarithm.
func fitTemperature(docs *docMatrix, y []int, w []float64, L int) float64 {
	scores := make([][]float64, len(y))
	for i := range y {
		scores[i] = make([]float64, L)
		rows, vals := docs.doc(i)
		for k, r := range rows {
			for l := range L {
				scores[i][l] += w[int(r)*L+l] * float64(vals[k])
			}
		}
	}
	z := make([]float64, L)
	loss := func(logT float64) float64 {
		t := math.Exp(logT)
		var sum float64
		for i, s := range scores {
			for l := range z {
				z[l] = s[l] * t
			}
			softmax(z)
			sum -= math.Log(max(z[y[i]], 1e-300))
		}
		return sum
	}
	lo, hi := 0.0, 15.0
	const phi = 0.6180339887498949
	for range 60 {
		a := hi - phi*(hi-lo)
		c := lo + phi*(hi-lo)
		if loss(a) < loss(c) {
			hi = c
		} else {
			lo = a
		}
	}
	return math.Exp((lo + hi) / 2)
}

// String describes the options briefly, for logs.
func (o Options) String() string {
	o = o.withDefaults()
	var b strings.Builder
	fmt.Fprintf(&b, "%s, %d hash bits, CJK n≤%d, word n≤%d", o.Algorithm, o.Features.HashBits, o.Features.CJKNgrams, o.Features.WordNgrams)
	if o.Features.SubwordNgrams > 0 {
		fmt.Fprintf(&b, ", subword %d-grams", o.Features.SubwordNgrams)
	}
	fmt.Fprintf(&b, ", min df %d", o.MinDocFreq)
	if o.Algorithm == LogisticRegression {
		fmt.Fprintf(&b, ", %d epochs, C %g", o.Epochs, o.C)
	}
	if o.Algorithm == LogisticRegression {
		fmt.Fprintf(&b, ", class weighting %s", o.ClassWeighting)
	}
	return b.String()
}
