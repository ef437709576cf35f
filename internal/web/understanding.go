package web

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/redress-project/redress/internal/complaint"
	"github.com/redress-project/redress/internal/i18n"
	"github.com/redress-project/redress/internal/taxonomy"
	"github.com/redress-project/redress/internal/triage"
)

// assessmentView is what redress understood of a case, in the viewer's
// words, for the console.
type assessmentView struct {
	Assessed   bool
	Category   string // the predicted category's name
	Confidence string // "82%"
	Triage     bool   // a person must classify the case
	Model      string
	Sentiment  string // "-0.85"
	Mood       string // "very negative"
	Signals    []string
	Language   string
	PII        []string // kinds of personal data found
	Reasons    []string // why the severity and priority are what they are
	Repeats    int
}

func buildAssessment(w words, c *complaint.Case) assessmentView {
	v := assessmentView{Repeats: c.Repeats}
	a := c.Assessment
	if a == nil {
		return v
	}
	l := w.lang
	v.Assessed, v.Triage, v.Model = true, a.Triage, a.Model
	if a.Category != "" {
		v.Category, v.Confidence = w.category(a.Category), percent(a.Confidence)
	}
	v.Sentiment = fmt.Sprintf("%+.2f", a.Sentiment)
	v.Mood = l.T("sentiment." + mood(a.Sentiment))
	for _, s := range a.Signals {
		v.Signals = append(v.Signals, named(l, "signal.", s))
	}
	v.Language = languageName(l, a.Language)
	for _, k := range a.PII {
		v.PII = append(v.PII, named(l, "pii.", k))
	}
	for _, r := range a.PriorityReasons {
		v.Reasons = append(v.Reasons, reasonText(l, w.tax, r))
	}
	return v
}

// mood puts a sentiment score into a word's catalog key.
func mood(s float64) string {
	switch {
	case s <= -0.6:
		return "very_negative"
	case s < -0.2:
		return "negative"
	case s <= 0.2:
		return "neutral"
	}
	return "positive"
}

// reasonText translates one of an assessment's priority reasons: by its
// code from the catalog ("reason.<code>", with {arg}), else from the
// taxonomy rule's own names, else the English the reason carries.
func reasonText(l *i18n.Catalog, tax *taxonomy.Taxonomy, s string) string {
	r := taxonomy.ParseReason(s)
	if r.Code == "" {
		return r.Text
	}
	if key := "reason." + r.Code; l.Has(key) {
		arg := r.Arg
		switch r.Code {
		case triage.ReasonSeverity, triage.ReasonSeverityKept:
			arg = named(l, "severity.", arg)
		case triage.ReasonKept, triage.ReasonStaffClassified:
			arg = named(l, "priority.", arg)
		case triage.ReasonEscalationThreat:
			var targets []string
			for _, t := range strings.Split(arg, ",") {
				targets = append(targets, named(l, "target.", t))
			}
			arg = strings.Join(targets, l.T("list.separator"))
		}
		return l.T(key, "arg", arg)
	}
	if n, ok := tax.RuleName(r.Code, l.Code()); ok {
		return strings.ReplaceAll(n, "{threshold}", r.Arg)
	}
	if r.Text == "" {
		return r.Code
	}
	return r.Text
}

// scriptOf maps a language code (a catalog's, a BCP 47 tag, or the
// assessment's) to the key of its name: zh-Hans, zh-Hant, en or other.
func scriptOf(code string) string {
	l := strings.ToLower(code)
	switch {
	case l == "":
		return ""
	case l == "zh-tw" || l == "zh-hk" || l == "zh-mo" || strings.HasPrefix(l, "zh-hant"):
		return "zh-Hant"
	case l == "zh" || strings.HasPrefix(l, "zh-"):
		return "zh-Hans"
	case l == "en" || strings.HasPrefix(l, "en-"):
		return "en"
	}
	return "other"
}

func languageName(l *i18n.Catalog, code string) string {
	if s := scriptOf(code); s != "" {
		return l.T("lang." + s)
	}
	return ""
}

// replyLanguage is the language to answer the customer in: the one the
// case was filed in, else the one its text is written in.
func replyLanguage(l *i18n.Catalog, c *complaint.Case) string {
	if c.Language != "" {
		return languageName(l, c.Language)
	}
	if c.Assessment != nil {
		return languageName(l, c.Assessment.Language)
	}
	return ""
}

// deadlineView is one of a case's deadlines in the console.
type deadlineView struct {
	Name  string
	Due   time.Time
	State complaint.DeadlineState
	Label string // the state in words
}

func staffDeadlines(l *i18n.Catalog, c *complaint.Case) []deadlineView {
	var out []deadlineView
	for _, d := range c.Deadlines {
		out = append(out, deadlineView{Name: deadlineName(l, d.Name), Due: d.Due, State: d.State,
			Label: named(l, "deadline.state.", string(d.State))})
	}
	return out
}

// deadlineName names a deadline: first_response, resolution, … or a
// department task's ("task:T1").
func deadlineName(l *i18n.Catalog, name string) string {
	if id, ok := strings.CutPrefix(name, "task:"); ok {
		return l.T("deadline.task", "id", id)
	}
	return named(l, "deadline.", name)
}

// publicDeadlineStates are the states of a deadline a customer is told of.
var publicDeadlineStates = []complaint.DeadlineState{complaint.DeadlineRunning, complaint.DeadlineMet}

// knownDeadlines have their own sentences for customers.
var knownDeadlines = []string{"first_response", "next_response", "resolution", "regulator"}

// customerDeadlines says what the customer is owed and by when: "We will
// reply by 24 Nov 2026, 14:00." Running and met deadlines only; internal
// department tasks are not the customer's business.
func customerDeadlines(w words, c *complaint.Case) []string {
	var out []string
	for _, d := range c.Deadlines {
		if !slices.Contains(publicDeadlineStates, d.State) || strings.HasPrefix(d.Name, "task:") ||
			d.State == complaint.DeadlineRunning && d.Due.IsZero() {
			continue
		}
		name := "other"
		if slices.Contains(knownDeadlines, d.Name) {
			name = d.Name
		}
		out = append(out, w.lang.T("deadline.customer."+name+"."+string(d.State),
			"due", w.time(d.Due), "name", deadlineName(w.lang, d.Name)))
	}
	return out
}
