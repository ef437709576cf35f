package triage

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/redress-project/redress/internal/assess"
	"github.com/redress-project/redress/internal/assess/classify"
	"github.com/redress-project/redress/internal/assess/sentiment"
	"github.com/redress-project/redress/internal/complaint"
	"github.com/redress-project/redress/internal/taxonomy"
)

// Analyzer works out what a case is and how urgent: the part of the
// handler that reads and decides but changes nothing. Its fields must not
// change once it is in use.
type Analyzer struct {
	Taxonomy *taxonomy.Taxonomy
	// Model predicts categories; nil means no predictions (every case
	// without a category of its own goes to triage).
	Model *classify.Model
	// ModelName identifies the model in assessments.
	ModelName string
	// Threshold is the confidence below which a prediction is not used;
	// 0 means the taxonomy's triage threshold.
	Threshold float64
}

// Decision is what the analyzer makes of a case.
type Decision struct {
	// Assessment is to be recorded on the case.
	Assessment complaint.Assessment
	// Classification is what the case should be classified as.
	Classification complaint.Classification
	// Apply is false when staff have classified the case: Classification
	// is then only redress's suggestion, and is not applied.
	Apply bool
	// Team is the team of the category, "" for a case in triage.
	Team string
}

// Reason codes the analyzer adds to those of the rules.
const (
	ReasonSeverityKept = "severity_kept" // arg: the severity kept from before
)

func (a *Analyzer) threshold() float64 {
	if a.Threshold > 0 {
		return a.Threshold
	}
	return a.Taxonomy.TriageThreshold()
}

// history is what the analyzer needs from a case's events.
type history struct {
	filed           complaint.Case  // the case as it was opened
	filer           complaint.Actor // who opened it
	repeats         []complaint.Repeat
	lastRepeatSeq   int64
	lastAssessedSeq int64
	classified      bool            // the case was classified after filing (by anyone)
	staffClassified bool            // … by a person
	staff           complaint.Actor // that person (the last one)
	assigned        bool            // the case was assigned after filing
}

// isPerson reports whether a is a member of staff, not the system.
func isPerson(a complaint.Actor) bool { return a.Role.Staff() && a.Role != complaint.RoleSystem }

func readHistory(events []complaint.Event) history {
	var h history
	for _, e := range events {
		switch e.Kind {
		case complaint.KindCreated:
			_ = json.Unmarshal(e.After, &h.filed)
			h.filer = e.Actor
			if isPerson(e.Actor) && (h.filed.Category != complaint.DefaultCategory && h.filed.Category != "" ||
				h.filed.Severity != "" && h.filed.Severity != complaint.SeverityMedium ||
				h.filed.Priority != "" && h.filed.Priority != complaint.PriorityP3) {
				// Staff filing on a customer's behalf chose the triage.
				h.staffClassified, h.staff = true, e.Actor
			}
		case complaint.KindClassified:
			h.classified = true
			if isPerson(e.Actor) {
				h.staffClassified, h.staff = true, e.Actor
			}
		case complaint.KindAssigned:
			h.assigned = true
		case complaint.KindRepeat:
			var r complaint.Repeat
			if json.Unmarshal(e.After, &r) == nil {
				h.repeats = append(h.repeats, r)
			}
			h.lastRepeatSeq = e.Seq
		case complaint.KindAssessed:
			h.lastAssessedSeq = e.Seq
		}
	}
	return h
}

// Current reports whether the case's latest assessment covers all of its
// text: it was recorded after the last repeat complaint was linked.
func Current(events []complaint.Event) bool {
	h := readHistory(events)
	return h.lastAssessedSeq > 0 && h.lastAssessedSeq > h.lastRepeatSeq
}

// CaseText is the text a case is assessed on: its subject and
// description, then those of each repeat complaint.
func CaseText(c *complaint.Case, repeats []complaint.Repeat) string {
	var b strings.Builder
	add := func(s string) {
		if s = strings.TrimSpace(s); s != "" {
			if b.Len() > 0 {
				b.WriteString("\n")
			}
			b.WriteString(s)
		}
	}
	add(c.Subject)
	add(c.Description)
	for _, r := range repeats {
		add(r.Subject)
		add(r.Description)
	}
	return b.String()
}

// Decide assesses case c, whose complete history is events.
//
// The category: a case staff classified keeps theirs. Otherwise the
// model's prediction when its confidence reaches the threshold; else the
// category the customer chose when filing (unless "other"); else the case
// goes to triage: category uncategorized, Assessment.Triage set. A case
// re-assessed after a repeat complaint keeps a category it already has.
//
// Severity comes from the taxonomy's rules and priority from Prioritize.
// A re-assessment never lowers what the case already has, nor does the
// first lower what intake set when it filed the case (a referral's
// priority); a reason says so when that decides.
func (a *Analyzer) Decide(c *complaint.Case, events []complaint.Event) Decision {
	tax := a.Taxonomy
	h := readHistory(events)
	text := CaseText(c, h.repeats)
	r := assess.Analyze(text, a.Model)

	as := complaint.Assessment{
		Language:  string(r.Language),
		Sentiment: clamp(r.Sentiment, -1, 1),
		Signals:   signals(r, tax.VulnerabilityTerms(text)),
		PII:       piiKinds(r),
	}
	if a.Model != nil {
		as.Model = a.ModelName
	}
	pred, conf := "", 0.0
	if r.Category != nil && tax.Has(r.Category.Label) {
		pred, conf = r.Category.Label, clamp(r.Category.Confidence, 0, 1)
		as.Category, as.Confidence = pred, conf
	}
	choice := h.filed.Category
	if !tax.Has(choice) || choice == "other" {
		choice = ""
	}
	reassess := h.lastAssessedSeq > 0

	category := taxonomy.Uncategorized
	switch {
	case h.staffClassified:
		category = c.Category
	case reassess && c.Category != taxonomy.Uncategorized:
		category = c.Category
	case pred != "" && conf >= a.threshold():
		category = pred
	case choice != "":
		category = choice
	default:
		as.Triage = true
	}

	atStake := map[string]int64{}
	for _, t := range c.Transactions {
		atStake[t.Amount.Currency] = c.AtStake(t.Amount.Currency)
	}
	sev, reasons := tax.Severity(taxonomy.Facts{Category: category, Channel: c.Channel, Signals: as.Signals, AtStake: atStake})
	d := Decision{Apply: !h.staffClassified}
	if d.Apply && (h.classified || c.Severity != complaint.SeverityMedium) && taxonomy.SeverityRank(c.Severity) > taxonomy.SeverityRank(sev) {
		reasons = mergeReasons(reasons, taxonomy.Reason{Code: ReasonSeverityKept, Arg: string(c.Severity),
			Text: fmt.Sprintf("severity kept at %s, as set before", c.Severity)})
		sev = c.Severity
	}
	prio, why := Prioritize(PriorityFacts{Severity: sev, Channel: c.Channel, Signals: as.Signals, Repeats: len(h.repeats)})
	reasons = mergeReasons(reasons, why...)
	if d.Apply && (h.classified || c.Priority != complaint.PriorityP3) && moreUrgent(prio, c.Priority) != prio {
		reasons = mergeReasons(reasons, taxonomy.Reason{Code: ReasonKept, Arg: string(c.Priority),
			Text: fmt.Sprintf("priority kept at %s, as set before", strings.ToUpper(string(c.Priority)))})
		prio = c.Priority
	}
	if !d.Apply {
		who := "staff"
		if h.staff.Name != "" {
			who = h.staff.Name
		}
		reasons = append([]taxonomy.Reason{{Code: ReasonStaffClassified, Arg: string(prio),
			Text: fmt.Sprintf("classified by %s; redress would suggest severity %s, %s", who, sev, strings.ToUpper(string(prio)))}},
			reasons...)
		sev, prio = c.Severity, c.Priority
	}
	as.PriorityReasons = taxonomy.ReasonStrings(reasons)
	d.Assessment = as
	d.Classification = complaint.Classification{Category: category, Severity: sev, Priority: prio}
	if category != taxonomy.Uncategorized {
		d.Team = tax.Team(category)
	}
	return d
}

// signals lists the text's urgency signals in taxonomy.Signals order.
func signals(r assess.Result, vulnerable []string) []string {
	u := r.Urgency
	on := map[string]bool{
		taxonomy.SignalAnger:      u.Anger,
		taxonomy.SignalDistress:   u.Distress,
		taxonomy.SignalSelfHarm:   u.SelfHarm,
		taxonomy.SignalVulnerable: len(vulnerable) > 0,
	}
	for _, t := range u.Targets {
		switch t {
		case sentiment.Regulator:
			on[taxonomy.SignalRegulatorThreat] = true
		case sentiment.Media:
			on[taxonomy.SignalMediaThreat] = true
		case sentiment.Police:
			on[taxonomy.SignalPoliceThreat] = true
		case sentiment.Court:
			on[taxonomy.SignalCourtThreat] = true
		}
	}
	var out []string
	for _, s := range taxonomy.Signals {
		if on[s] {
			out = append(out, s)
		}
	}
	return out
}

// piiKinds lists the kinds of personal data found, sorted; never values.
func piiKinds(r assess.Result) []string {
	var kinds []string
	for _, s := range r.PII {
		if k := string(s.Kind); !slices.Contains(kinds, k) {
			kinds = append(kinds, k)
		}
	}
	slices.Sort(kinds)
	return kinds
}

func clamp(v, lo, hi float64) float64 {
	if math.IsNaN(v) {
		return 0
	}
	return min(max(v, lo), hi)
}
