package triage

import (
	"slices"
	"testing"

	"github.com/redress-project/redress/internal/complaint"
	"github.com/redress-project/redress/internal/taxonomy"
)

func TestPrioritize(t *testing.T) {
	const (
		low, medium, high, critical = complaint.SeverityLow, complaint.SeverityMedium, complaint.SeverityHigh, complaint.SeverityCritical
		app, regulator, consumer    = complaint.ChannelApp, complaint.ChannelRegulator, complaint.ChannelConsumerAssociation
	)
	sig := func(s ...string) []string { return s }
	cases := []struct {
		name  string
		f     PriorityFacts
		want  complaint.Priority
		codes []string // reason codes, and the argument after = when it has one
	}{
		{"medium", PriorityFacts{Severity: medium, Channel: app}, complaint.PriorityP3, []string{"severity=medium"}},
		{"low", PriorityFacts{Severity: low, Channel: app}, complaint.PriorityP4, []string{"severity=low"}},
		{"high", PriorityFacts{Severity: high, Channel: app}, complaint.PriorityP2, []string{"severity=high"}},
		{"critical", PriorityFacts{Severity: critical, Channel: app}, complaint.PriorityP1, []string{"severity=critical"}},
		{"regulator referral first", PriorityFacts{Severity: low, Channel: regulator}, complaint.PriorityP1,
			[]string{"severity=low", "regulator_referral"}},
		{"consumer association", PriorityFacts{Severity: medium, Channel: consumer}, complaint.PriorityP2,
			[]string{"severity=medium", "consumer_association_referral"}},
		{"consumer association never lowers", PriorityFacts{Severity: critical, Channel: consumer}, complaint.PriorityP1,
			[]string{"severity=critical", "consumer_association_referral"}},
		{"threats", PriorityFacts{Severity: medium, Signals: sig(taxonomy.SignalRegulatorThreat, taxonomy.SignalMediaThreat)}, complaint.PriorityP2,
			[]string{"severity=medium", "escalation_threat=regulator,media"}},
		{"one repeat", PriorityFacts{Severity: medium, Repeats: 1}, complaint.PriorityP2, []string{"severity=medium", "repeat_complaint=1"}},
		{"three repeats", PriorityFacts{Severity: medium, Repeats: 3}, complaint.PriorityP1, []string{"severity=medium", "repeat_complaint=3"}},
		{"anger lifts low", PriorityFacts{Severity: low, Signals: sig(taxonomy.SignalAnger)}, complaint.PriorityP3, []string{"severity=low", "anger"}},
		{"anger lifts medium to p2", PriorityFacts{Severity: medium, Signals: sig(taxonomy.SignalAnger)}, complaint.PriorityP2, []string{"severity=medium", "anger"}},
		{"anger not above p2", PriorityFacts{Severity: high, Signals: sig(taxonomy.SignalAnger)}, complaint.PriorityP2, []string{"severity=high", "anger"}},
		{"everything on low", PriorityFacts{Severity: low, Repeats: 1, Signals: sig(taxonomy.SignalAnger, taxonomy.SignalCourtThreat)}, complaint.PriorityP2,
			[]string{"severity=low", "escalation_threat=court", "repeat_complaint=1", "anger"}},
		{"self harm", PriorityFacts{Severity: low, Signals: sig(taxonomy.SignalSelfHarm, taxonomy.SignalDistress)}, complaint.PriorityP1,
			[]string{"severity=low", "self_harm"}},
		{"distress counts in severity, not here", PriorityFacts{Severity: medium, Signals: sig(taxonomy.SignalDistress, taxonomy.SignalVulnerable)}, complaint.PriorityP3,
			[]string{"severity=medium"}},
		{"capped at p1", PriorityFacts{Severity: critical, Repeats: 5, Channel: regulator, Signals: sig(taxonomy.SignalPoliceThreat)}, complaint.PriorityP1,
			[]string{"severity=critical", "escalation_threat=police", "repeat_complaint=5", "regulator_referral"}},
	}
	for _, c := range cases {
		got, reasons := Prioritize(c.f)
		if got != c.want {
			t.Errorf("%s: %s, want %s", c.name, got, c.want)
		}
		var codes []string
		for _, r := range reasons {
			code := r.Code
			if r.Arg != "" {
				code += "=" + r.Arg
			}
			codes = append(codes, code)
			if r.Text == "" {
				t.Errorf("%s: reason %s has no text", c.name, r.Code)
			}
		}
		if !slices.Equal(codes, c.codes) {
			t.Errorf("%s: reasons %v, want %v", c.name, codes, c.codes)
		}
	}
}

func TestMoreUrgent(t *testing.T) {
	if moreUrgent(complaint.PriorityP3, complaint.PriorityP2) != complaint.PriorityP2 ||
		moreUrgent(complaint.PriorityP1, complaint.PriorityP4) != complaint.PriorityP1 ||
		moreUrgent("", complaint.PriorityP4) != complaint.PriorityP4 || moreUrgent(complaint.PriorityP4, "") != complaint.PriorityP4 {
		t.Error("moreUrgent is wrong")
	}
}
