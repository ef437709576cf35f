package taxonomy

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/redress-project/redress/internal/assess/lang"
	"github.com/redress-project/redress/internal/complaint"
)

// The signals a severity rule can test. The triage package derives them
// from the text's assessment; they are also what Assessment.Signals holds.
const (
	SignalAnger           = "anger"            // angry words
	SignalDistress        = "distress"         // hardship, despair
	SignalSelfHarm        = "self_harm"        // the customer speaks of harming themselves
	SignalVulnerable      = "vulnerable"       // a vulnerability term (elderly, illness, …)
	SignalRegulatorThreat = "regulator_threat" // threatens to go to a regulator
	SignalMediaThreat     = "media_threat"
	SignalPoliceThreat    = "police_threat"
	SignalCourtThreat     = "court_threat"
)

// Signals lists every signal in display order.
var Signals = []string{SignalAnger, SignalDistress, SignalSelfHarm, SignalVulnerable,
	SignalRegulatorThreat, SignalMediaThreat, SignalPoliceThreat, SignalCourtThreat}

// SeverityRule raises a case's severity when its condition holds.
type SeverityRule struct {
	// Code names the rule for programs (and the reason it gives); rules
	// may share a code, e.g. several amount thresholds.
	Code string `json:"code"`
	// Reason is the English phrase given as the reason; "{threshold}" is
	// replaced by the amount of an at_stake condition.
	Reason string `json:"reason"`
	// Names optionally translate Reason, by language (zh-CN, zh-TW, en).
	Names map[string]string `json:"names,omitempty"`
	When  Condition         `json:"when"`
	// AtLeast sets a floor; Raise moves the severity up that many steps.
	// A rule does exactly one of the two.
	AtLeast complaint.Severity `json:"at_least,omitempty"`
	Raise   int                `json:"raise,omitempty"`
}

// Condition is what a rule tests. Every part given must hold; within a
// list, one match is enough. A condition with no parts never holds.
type Condition struct {
	// Category holds when the case's category is one of these or lies
	// below one of them.
	Category []string `json:"category,omitempty"`
	// Channel holds when the case came in through one of these.
	Channel []complaint.Channel `json:"channel,omitempty"`
	// Signal holds when the text raised one of these signals.
	Signal []string `json:"signal,omitempty"`
	// AtStake holds when the linked transactions in Currency add up to at
	// least Amount.
	AtStake *Amount `json:"at_stake,omitempty"`
}

// Amount is a threshold of money, written in major units ("5000",
// "5000.50") so that a file reads naturally.
type Amount struct {
	Currency string `json:"currency"`
	AtLeast  string `json:"at_least"`
	minor    int64
}

// Minor is the amount in minor units.
func (a *Amount) Minor() int64 { return a.minor }

// String formats the amount with thousands separators, e.g. "CNY 5,000"
// or "CNY 5,000.50".
func (a *Amount) String() string {
	return FormatMoney(complaint.Money{Minor: a.minor, Currency: a.Currency})
}

// FormatMoney formats m with thousands separators, leaving out a zero
// fraction: "CNY 50,000", "USD 1,234.50".
func FormatMoney(m complaint.Money) string {
	digits := m.MinorDigits()
	div := int64(1)
	for range digits {
		div *= 10
	}
	whole, frac := m.Minor/div, m.Minor%div
	s := strconv.FormatInt(whole, 10)
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if frac != 0 {
		fmt.Fprintf(&b, ".%0*d", digits, frac)
	}
	return m.Currency + " " + b.String()
}

// parseAmount reads a non-negative decimal in major units.
func parseAmount(s string, digits int) (int64, error) {
	whole, frac, hasFrac := strings.Cut(strings.TrimSpace(s), ".")
	if whole == "" || hasFrac && (frac == "" || len(frac) > digits) {
		return 0, fmt.Errorf("%q is not an amount with at most %d decimals", s, digits)
	}
	for _, part := range []string{whole, frac} {
		for _, r := range part {
			if r < '0' || r > '9' {
				return 0, fmt.Errorf("%q is not an amount with at most %d decimals", s, digits)
			}
		}
	}
	if len(whole) > 13 {
		return 0, fmt.Errorf("%q is too large", s)
	}
	w, _ := strconv.ParseInt(whole, 10, 64)
	for range digits {
		w *= 10
	}
	if frac != "" {
		frac += strings.Repeat("0", digits-len(frac))
		f, _ := strconv.ParseInt(frac, 10, 64)
		w += f
	}
	return w, nil
}

// checkRule validates a rule against the taxonomy's categories.
func (t *Taxonomy) checkRule(r *SeverityRule) error {
	if err := checkID(r.Code); err != nil {
		return fmt.Errorf("code: %v", err)
	}
	if strings.TrimSpace(r.Reason) == "" {
		return errors.New("reason is missing (an English phrase shown as the reason)")
	}
	if utf8.RuneCountInString(r.Reason) > complaint.MaxShortText/2 {
		return fmt.Errorf("reason is longer than %d characters", complaint.MaxShortText/2)
	}
	for l := range r.Names {
		if !slices.Contains(Languages, l) {
			return fmt.Errorf("names has unknown language %q (want %s)", l, strings.Join(Languages, ", "))
		}
	}
	switch {
	case r.AtLeast != "" && r.Raise != 0:
		return errors.New("a rule either sets at_least or raises, not both")
	case r.AtLeast == "" && r.Raise == 0:
		return errors.New("the rule does nothing: give at_least (a severity) or raise (steps)")
	case r.AtLeast != "" && !r.AtLeast.Valid():
		return fmt.Errorf("at_least %q is not one of %s", r.AtLeast, severityList())
	case r.Raise < 0 || r.Raise > 3:
		return fmt.Errorf("raise %d must be 1, 2 or 3", r.Raise)
	}
	w := r.When
	if len(w.Category) == 0 && len(w.Channel) == 0 && len(w.Signal) == 0 && w.AtStake == nil {
		return errors.New("when is empty: name a category, channel, signal or at_stake")
	}
	for _, c := range w.Category {
		if !t.Has(c) {
			return fmt.Errorf("when.category: unknown category %q", c)
		}
	}
	for _, c := range w.Channel {
		if !c.Valid() {
			return fmt.Errorf("when.channel: unknown channel %q", c)
		}
	}
	for _, s := range w.Signal {
		if !slices.Contains(Signals, s) {
			return fmt.Errorf("when.signal: unknown signal %q (want one of %s)", s, strings.Join(Signals, ", "))
		}
	}
	if a := w.AtStake; a != nil {
		m := complaint.Money{Currency: a.Currency}
		if err := m.Validate("when.at_stake"); err != nil {
			return fmt.Errorf("when.at_stake.currency: %q is not an ISO 4217 currency code", a.Currency)
		}
		minor, err := parseAmount(a.AtLeast, m.MinorDigits())
		if err != nil {
			return fmt.Errorf("when.at_stake.at_least: %v", err)
		}
		a.minor = minor
	} else if strings.Contains(r.Reason, "{threshold}") {
		return errors.New("reason names {threshold} but the rule has no at_stake condition")
	}
	return nil
}

// Rules returns the severity rules in file order.
func (t *Taxonomy) Rules() []SeverityRule { return slices.Clone(t.rules) }

// RuleName returns the reason of the first rule with code in lang, if the
// file translates it.
func (t *Taxonomy) RuleName(code, lang string) (string, bool) {
	for _, r := range t.rules {
		if r.Code == code {
			n, ok := r.Names[NameLanguage(lang)]
			return n, ok && n != ""
		}
	}
	return "", false
}

// Facts are what the severity rules look at.
type Facts struct {
	Category string
	Channel  complaint.Channel
	Signals  []string
	// AtStake is the amount the case's transactions add up to, in minor
	// units, by currency.
	AtStake map[string]int64
}

// holds reports whether condition w holds for f.
func (t *Taxonomy) holds(w Condition, f Facts) bool {
	if len(w.Category) > 0 && !slices.ContainsFunc(w.Category, func(c string) bool { return t.IsA(f.Category, c) }) {
		return false
	}
	if len(w.Channel) > 0 && !slices.Contains(w.Channel, f.Channel) {
		return false
	}
	if len(w.Signal) > 0 && !slices.ContainsFunc(w.Signal, func(s string) bool { return slices.Contains(f.Signals, s) }) {
		return false
	}
	if a := w.AtStake; a != nil && f.AtStake[a.Currency] < a.minor {
		return false
	}
	return true
}

// Severity works out a case's severity: the category's starting severity
// (medium for a category the taxonomy does not have), then every rule
// that holds, in file order. The reasons are the rules that held, one per
// code (the last that held wins, so of several amount thresholds the
// highest reached is given).
func (t *Taxonomy) Severity(f Facts) (complaint.Severity, []Reason) {
	sev := complaint.SeverityMedium
	if c, ok := t.byID[f.Category]; ok {
		sev = c.Severity
	}
	var reasons []Reason
	for _, r := range t.rules {
		if !t.holds(r.When, f) {
			continue
		}
		if r.AtLeast != "" {
			sev = maxSeverity(sev, r.AtLeast)
		} else {
			sev = raiseSeverity(sev, r.Raise)
		}
		reason := Reason{Code: r.Code, Text: r.Reason}
		if a := r.When.AtStake; a != nil {
			reason.Arg = a.String()
			reason.Text = strings.ReplaceAll(r.Reason, "{threshold}", reason.Arg)
		}
		reasons = addReason(reasons, reason)
	}
	return sev, reasons
}

// addReason appends r, replacing an earlier reason with the same code.
func addReason(rs []Reason, r Reason) []Reason {
	if i := slices.IndexFunc(rs, func(x Reason) bool { return x.Code == r.Code }); i >= 0 {
		rs[i] = r
		return rs
	}
	return append(rs, r)
}

// SeverityRank is 0 for low up to 3 for critical.
func SeverityRank(s complaint.Severity) int { return max(slices.Index(complaint.Severities, s), 0) }

func maxSeverity(a, b complaint.Severity) complaint.Severity {
	if SeverityRank(b) > SeverityRank(a) {
		return b
	}
	return a
}

func raiseSeverity(s complaint.Severity, steps int) complaint.Severity {
	i := min(SeverityRank(s)+steps, len(complaint.Severities)-1)
	return complaint.Severities[i]
}

// MaxSeverity returns the more severe of a and b.
func MaxSeverity(a, b complaint.Severity) complaint.Severity { return maxSeverity(a, b) }

// ---- vulnerability terms ----

// term is a vulnerability term: Chinese terms match anywhere (after
// Traditional text is mapped to Simplified), others as whole words,
// ignoring case.
type term struct {
	text  string // as written
	match string // normalised
	word  bool
}

func newTerm(s string) (term, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return term{}, errors.New("is empty")
	}
	if utf8.RuneCountInString(s) > 50 {
		return term{}, errors.New("is longer than 50 characters")
	}
	m := normalise(s)
	word := true
	for _, r := range m {
		if r > unicode.MaxASCII {
			word = false
		}
	}
	return term{text: s, match: m, word: word}, nil
}

func normalise(s string) string { return strings.ToLower(lang.ToSimplified(s)) }

// VulnerabilityTerms returns the vulnerability terms text contains, as the
// file writes them, in file order.
func (t *Taxonomy) VulnerabilityTerms(text string) []string {
	if len(t.vulnerable) == 0 {
		return nil
	}
	norm := normalise(text)
	var found []string
	for _, tm := range t.vulnerable {
		if containsTerm(norm, tm) {
			found = append(found, tm.text)
		}
	}
	return found
}

func containsTerm(s string, tm term) bool {
	if !tm.word {
		return strings.Contains(s, tm.match)
	}
	for from := 0; ; {
		i := strings.Index(s[from:], tm.match)
		if i < 0 {
			return false
		}
		start, end := from+i, from+i+len(tm.match)
		before, _ := utf8.DecodeLastRuneInString(s[:start])
		after, _ := utf8.DecodeRuneInString(s[end:])
		if !isWordRune(before) && !isWordRune(after) {
			return true
		}
		from = start + 1
	}
}

func isWordRune(r rune) bool {
	return r != utf8.RuneError && r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r))
}
