// Package classify is a trainable text classifier for complaint texts in
// Chinese and English, in pure Go.
//
// Text is turned into hashed features: runs of Chinese characters give
// character uni-, bi- and trigrams (no word segmenter needed), other
// scripts give lower-cased words and word bigrams (optionally character
// n-grams inside words), and numbers give only their length. Features
// seen in fewer than MinDocFreq training texts are dropped; the rest are
// weighted by sublinear term frequency times inverse document frequency
// and each text's vector is scaled to unit length. A linear model on top
// (multinomial logistic regression by default, or complement naive Bayes)
// gives a probability for every label.
package classify

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"sync"
)

// Example is one labelled text.
type Example struct {
	Text  string
	Label string
}

// Model is a trained classifier. Its methods are safe for concurrent use.
type Model struct {
	labels      []string
	labelCounts []int // training examples per label
	algorithm   Algorithm
	features    FeatureOptions
	ext         extractor

	rowOf   []int32  // bucket → row of the vocabulary, or -1
	buckets []uint32 // row → bucket
	// params holds, per row, the idf and then one weight per label, so
	// that prediction finds all it needs about a feature in one place.
	params []float32
	bias   []float32 // per label

	pool sync.Pool // *scratch
}

// Prediction is a model's answer for one text.
type Prediction struct {
	// Label is the most probable label and Confidence its probability.
	Label      string
	Confidence float64
	// Scores holds every label's probability, most probable first.
	Scores []LabelScore
}

// LabelScore is the probability of one label.
type LabelScore struct {
	Label       string
	Probability float64
}

// Labels returns the labels the model knows, sorted.
func (m *Model) Labels() []string { return slices.Clone(m.labels) }

// TrainingCounts returns how many training examples each label had.
func (m *Model) TrainingCounts() map[string]int {
	c := make(map[string]int, len(m.labels))
	for i, l := range m.labels {
		c[l] = m.labelCounts[i]
	}
	return c
}

// MajorityLabel returns the label most frequent in training (the first
// in sort order on a tie): the answer of a classifier that ignores text.
func (m *Model) MajorityLabel() string {
	best := 0
	for i, n := range m.labelCounts {
		if n > m.labelCounts[best] {
			best = i
		}
	}
	return m.labels[best]
}

// Algorithm returns the algorithm the model was trained with.
func (m *Model) Algorithm() Algorithm { return m.algorithm }

// Features returns the feature options the model was trained with.
func (m *Model) Features() FeatureOptions { return m.features }

// VocabularySize returns the number of hashed features the model uses.
func (m *Model) VocabularySize() int { return len(m.buckets) }

// Predict returns the most probable label of text and the probabilities
// of all labels.
func (m *Model) Predict(text string) Prediction {
	s := m.getScratch()
	defer m.pool.Put(s)
	probs := m.probabilities(text, s)
	p := Prediction{Scores: make([]LabelScore, len(m.labels))}
	for i, l := range m.labels {
		p.Scores[i] = LabelScore{Label: l, Probability: probs[i]}
	}
	slices.SortStableFunc(p.Scores, func(a, b LabelScore) int {
		switch {
		case a.Probability > b.Probability:
			return -1
		case a.Probability < b.Probability:
			return 1
		}
		return 0
	})
	p.Label, p.Confidence = p.Scores[0].Label, p.Scores[0].Probability
	return p
}

func (m *Model) getScratch() *scratch {
	if s, ok := m.pool.Get().(*scratch); ok {
		return s
	}
	return &scratch{}
}

// probabilities returns the softmax over labels for text, in s.scores.
// It folds vectorize's scaling to unit length into one pass: the scores
// are sums over features, so dividing them by the norm at the end is the
// same as dividing every feature value first.
func (m *Model) probabilities(text string, s *scratch) []float64 {
	feats := m.ext.extract(text, s)
	L := len(m.labels)
	stride := L + 1
	if cap(s.scores) < L {
		s.scores = make([]float64, L)
	}
	z := s.scores[:L]
	clear(z)
	var norm float64
	for _, f := range feats {
		r := m.rowOf[f.bucket]
		if r < 0 {
			continue
		}
		p := m.params[int(r)*stride : int(r)*stride+stride]
		v := termWeight(f.count) * p[0]
		norm += float64(v) * float64(v)
		for l := range z {
			z[l] += float64(p[1+l] * v)
		}
	}
	inv := 0.0
	if norm > 0 {
		inv = 1 / math.Sqrt(norm)
	}
	for l := range z {
		z[l] = float64(m.bias[l]) + z[l]*inv
	}
	softmax(z)
	return z
}

// packParams interleaves idf and weights into params.
func (m *Model) packParams(idf, weights []float32) {
	L := len(m.labels)
	m.params = make([]float32, 0, len(idf)*(L+1))
	for r, v := range idf {
		m.params = append(m.params, v)
		m.params = append(m.params, weights[r*L:r*L+L]...)
	}
}

// vectorize keeps the features in the vocabulary and weights them by
// sublinear tf × idf, scaled to unit length. It returns row numbers and
// values in s.rows and s.vals.
func vectorize(feats []feature, rowOf []int32, idf []float32, s *scratch) ([]int32, []float32) {
	s.rows, s.vals = s.rows[:0], s.vals[:0]
	var norm float64
	for _, f := range feats {
		r := rowOf[f.bucket]
		if r < 0 {
			continue
		}
		v := termWeight(f.count) * idf[r]
		s.rows = append(s.rows, r)
		s.vals = append(s.vals, v)
		norm += float64(v) * float64(v)
	}
	if norm > 0 {
		inv := float32(1 / math.Sqrt(norm))
		for i := range s.vals {
			s.vals[i] *= inv
		}
	}
	return s.rows, s.vals
}

// softmax turns scores into probabilities in place.
func softmax(z []float64) {
	hi := math.Inf(-1)
	for _, v := range z {
		hi = max(hi, v)
	}
	var sum float64
	for i, v := range z {
		z[i] = math.Exp(v - hi)
		sum += z[i]
	}
	for i := range z {
		z[i] /= sum
	}
}

// errInvalid marks errors in what the caller asked for.
var errInvalid = errors.New("classify")

func errorf(format string, a ...any) error {
	return fmt.Errorf("%w: %s", errInvalid, fmt.Sprintf(format, a...))
}
