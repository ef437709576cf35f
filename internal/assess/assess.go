// Package assess understands a complaint text: its language, its tone
// and urgency, the personal data in it and, given a trained model, its
// category. The work is done by the sub-packages lang, sentiment, pii and
// classify; Analyze runs them all.
package assess

import (
	"github.com/redress-project/redress/internal/assess/classify"
	"github.com/redress-project/redress/internal/assess/lang"
	"github.com/redress-project/redress/internal/assess/pii"
	"github.com/redress-project/redress/internal/assess/sentiment"
)

// Result is what Analyze learns about a text.
type Result struct {
	Language lang.Tag `json:"language"`
	// Sentiment is in [-1, 1], negative for complaints.
	Sentiment float64 `json:"sentiment"`
	Urgency   Urgency `json:"urgency"`
	// PII lists the personal data found. The spans' values are the raw
	// data (never in JSON); Masked is the text with all of it masked.
	PII    []pii.Span `json:"pii"`
	Masked string     `json:"masked"`
	// Category is the model's prediction, nil when Analyze had no model.
	Category *classify.Prediction `json:"category,omitempty"`
	// Cues are the lexicon terms behind Sentiment and Urgency.
	Cues []sentiment.Cue `json:"cues"`
}

// Urgency holds the flags that should move a complaint up the queue.
type Urgency struct {
	Anger      bool `json:"anger"`
	Escalation bool `json:"escalation"`
	// Targets are where the complainant threatens to escalate.
	Targets  []sentiment.Target `json:"targets"`
	Distress bool               `json:"distress"`
	SelfHarm bool               `json:"self_harm"`
}

// Analyze assesses text. m may be nil, in which case there is no category.
func Analyze(text string, m *classify.Model) Result {
	s := sentiment.Analyze(text)
	spans := pii.Find(text)
	r := Result{
		Language:  lang.Detect(text),
		Sentiment: s.Score,
		Urgency: Urgency{
			Anger: s.Anger, Escalation: s.Escalation, Targets: s.Targets,
			Distress: s.Distress, SelfHarm: s.SelfHarm,
		},
		PII:    spans,
		Masked: pii.MaskSpans(text, spans),
		Cues:   s.Cues,
	}
	if m != nil {
		p := m.Predict(text)
		r.Category = &p
	}
	return r
}
