// Package sentiment scores the tone of a complaint and flags what makes
// it urgent: anger, a threat to escalate (to a regulator, the media, the
// police or a court) and distress, with self-harm as its gravest form.
//
// It is lexicon-based (lexicon.go) and works on Simplified and
// Traditional Chinese and on English. Simple negation is handled: a
// negator shortly before a term flips it (不满意 is negative, 没问题 is
// mildly positive, "not happy" is negative), and a negated flag term
// ("I will not sue") does not raise the flag.
package sentiment

import (
	"math"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/redress-project/redress/internal/assess/lang"
)

// Target is where a complainant threatens to take the complaint.
type Target string

// The escalation targets.
const (
	Regulator Target = "regulator" // 12315, 消协, 银保监, 人民银行, CFPB, …
	Media     Target = "media"     // 黑猫投诉, 微博, 记者, social media, …
	Police    Target = "police"    // 报警, 公安, police report, …
	Court     Target = "court"     // 起诉, 律师, lawsuit, …
)

// CueKind is what a matched term signals.
type CueKind string

// The cue kinds reported in Result.Cues.
const (
	Positive   CueKind = "positive"
	Negative   CueKind = "negative"
	Anger      CueKind = "anger"
	Distress   CueKind = "distress"
	SelfHarm   CueKind = "self_harm"
	Escalation CueKind = "escalation"
)

// Cue is one lexicon term found in the text: the evidence for a score or
// flag.
type Cue struct {
	Kind CueKind
	// Term is the lexicon entry (Simplified for Chinese).
	Term string
	// Start and End are byte offsets into the analysed text.
	Start, End int
	// Target is set for escalation cues.
	Target Target `json:",omitempty"`
	// Negated reports a negator right before the term; a negated flag
	// cue raises no flag.
	Negated bool `json:",omitempty"`
}

// Result is the tone of a text.
type Result struct {
	// Score is in [-1, 1]: negative for complaints, positive for praise,
	// 0 when nothing in the lexicon was found.
	Score float64
	// Anger, Escalation, Distress and SelfHarm are the urgency flags.
	// SelfHarm implies Distress.
	Anger, Escalation, Distress, SelfHarm bool
	// Targets lists the escalation targets named, in a fixed order.
	Targets []Target
	// Cues are the terms behind the score and flags, in text order.
	Cues []Cue
}

// weights of the flag cues in the score; sentiment terms carry their own.
var flagWeight = map[kind]float64{anger: -1.5, distress: -1.5, selfHarm: -2, escalation: -1}

// Analyze scores the tone of text and raises its urgency flags.
func Analyze(text string) Result {
	norm, offsets := normalise(text)
	matches := scan(norm)
	var r Result
	var sum float64
	var lastNeg, lastIntens *match
	for i := range matches {
		m := &matches[i]
		switch m.e.kind {
		case neutral:
			continue
		case negator:
			lastNeg = m
			continue
		case intensifier:
			lastIntens = m
			continue
		}
		negated := lastNeg != nil && closeBefore(norm, lastNeg.end, m.start)
		intensified := !negated && lastIntens != nil && closeBefore(norm, lastIntens.end, m.start)
		cue := Cue{Term: m.e.term, Start: offsets[m.start], End: offsets[m.end], Target: m.e.target, Negated: negated}
		switch m.e.kind {
		case positive, negative:
			w := m.e.weight
			cue.Kind = Positive
			if m.e.kind == negative {
				cue.Kind, w = Negative, -w
			}
			switch {
			case negated && w > 0:
				w *= -0.8 // "not good" is bad
			case negated:
				w *= -0.5 // "not bad" is only mildly good
			case intensified:
				w *= 1.5
			}
			sum += w
		default:
			cue.Kind = flagKinds[m.e.kind]
			if !negated {
				sum += flagWeight[m.e.kind]
				r.raise(m.e)
			}
		}
		r.Cues = append(r.Cues, cue)
	}
	if !r.Anger && sum < -1 && shouting(text) {
		r.Anger = true
	}
	r.Score = math.Tanh(sum / 2)
	return r
}

var flagKinds = map[kind]CueKind{anger: Anger, distress: Distress, selfHarm: SelfHarm, escalation: Escalation}

func (r *Result) raise(e *entry) {
	switch e.kind {
	case anger:
		r.Anger = true
	case distress:
		r.Distress = true
	case selfHarm:
		r.SelfHarm, r.Distress = true, true
	case escalation:
		r.Escalation = true
		if !slices.Contains(r.Targets, e.target) {
			r.Targets = append(r.Targets, e.target)
			slices.SortFunc(r.Targets, func(a, b Target) int { return targetOrder[a] - targetOrder[b] })
		}
	}
}

var targetOrder = map[Target]int{Regulator: 0, Media: 1, Police: 2, Court: 3}

// closeBefore reports whether a modifier ending at rune index end bears
// on a term starting at start: at most three words or Chinese characters
// lie between them, and no clause boundary.
func closeBefore(norm []rune, end, start int) bool {
	if end > start {
		return false
	}
	tokens := 0
	inWord := false
	for _, r := range norm[end:start] {
		switch {
		case strings.ContainsRune("，。！？；：,.!?;:\n", r):
			return false
		case r < utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r) || r == '\''):
			if !inWord {
				tokens++
			}
			inWord = true
			continue
		case unicode.Is(unicode.Han, r):
			tokens++
		}
		inWord = false
	}
	return tokens <= 3
}

// shouting reports several exclamation marks in a row, or a run of
// capitalised English words ("THIS IS UNACCEPTABLE"), ignoring the XXXX
// of redacted text.
func shouting(text string) bool {
	if strings.Contains(text, "!!") || strings.Contains(text, "！！") || strings.Contains(text, "!！") || strings.Contains(text, "！!") {
		return true
	}
	run := 0
	for _, w := range strings.FieldsFunc(text, func(r rune) bool { return !unicode.IsLetter(r) }) {
		if len(w) >= 3 && strings.ToUpper(w) == w && strings.Trim(w, "X") != "" && isASCIIWord(w) {
			run++
			if run >= 3 {
				return true
			}
		} else {
			run = 0
		}
	}
	return false
}

func isASCIIWord(w string) bool {
	for i := 0; i < len(w); i++ {
		if w[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// normalise maps text to lower-case, half-width, Simplified runes and
// keeps, for each rune index (and one past the end), its byte offset in
// text.
func normalise(text string) ([]rune, []int) {
	norm := make([]rune, 0, len(text))
	offsets := make([]int, 0, len(text)+1)
	for i, r := range text {
		switch {
		case r >= 0xFF01 && r <= 0xFF5E:
			r -= 0xFEE0
		case r == '’' || r == '‘':
			r = '\''
		}
		norm = append(norm, lang.SimplifiedRune(unicode.ToLower(r)))
		offsets = append(offsets, i)
	}
	offsets = append(offsets, len(text))
	return norm, offsets
}
