package triage

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/redress-project/redress/internal/complaint"
	"github.com/redress-project/redress/internal/taxonomy"
)

// PriorityFacts are what the priority of a case is worked out from.
type PriorityFacts struct {
	Severity complaint.Severity
	Channel  complaint.Channel
	// Signals are the text's signals (taxonomy.Signals).
	Signals []string
	// Repeats is how many times the customer complained again.
	Repeats int
}

// Priority codes of the reasons Prioritize gives (the severity rules give
// their own).
const (
	ReasonSeverity         = "severity"           // arg: the severity; the starting point
	ReasonRegulator        = "regulator_referral" // a regulator referred the case: P1
	ReasonConsumerAssoc    = "consumer_association_referral"
	ReasonSelfHarm         = "self_harm"         // P1 whatever else
	ReasonEscalationThreat = "escalation_threat" // arg: the targets, e.g. "regulator,media"
	ReasonRepeat           = "repeat_complaint"  // arg: the number of repeats
	ReasonAnger            = "anger"
	ReasonKept             = "priority_kept" // arg: the priority kept from before
	ReasonStaffClassified  = "staff_classified"
)

// Prioritize works out a case's priority and says why. The rules, in
// order:
//
//   - the severity sets the start: critical P1, high P2, medium P3, low P4;
//   - a threat to escalate (regulator, media, police, court) raises it one
//     step;
//   - a repeat complaint raises it one step, three or more repeats two;
//   - anger raises it one step, but not above P2 (angry words alone do
//     not make a case urgent);
//   - a regulator's referral makes it P1, a consumer association's at
//     least P2 ("regulator referrals first");
//   - a customer who speaks of harming themselves makes it P1.
//
// Vulnerability and distress raise the severity (a taxonomy rule), so they
// are not counted again here. Every rule that held is a reason, the
// severity first.
func Prioritize(f PriorityFacts) (complaint.Priority, []taxonomy.Reason) {
	rank := 4 - taxonomy.SeverityRank(f.Severity) // critical 1 … low 4
	reasons := []taxonomy.Reason{{Code: ReasonSeverity, Arg: string(f.Severity),
		Text: fmt.Sprintf("severity %s gives %s", f.Severity, strings.ToUpper(string(priorityOf(rank))))}}
	has := func(s string) bool { return slices.Contains(f.Signals, s) }
	raise := func(steps, best int) {
		rank = max(min(rank, best), rank-steps)
	}

	var targets []string
	for _, s := range []string{taxonomy.SignalRegulatorThreat, taxonomy.SignalMediaThreat, taxonomy.SignalPoliceThreat, taxonomy.SignalCourtThreat} {
		if has(s) {
			targets = append(targets, strings.TrimSuffix(s, "_threat"))
		}
	}
	if len(targets) > 0 {
		raise(1, 1)
		reasons = append(reasons, taxonomy.Reason{Code: ReasonEscalationThreat, Arg: strings.Join(targets, ","),
			Text: "threatens to escalate to " + strings.Join(targets, ", ")})
	}
	if f.Repeats > 0 {
		steps := 1
		if f.Repeats >= 3 {
			steps = 2
		}
		raise(steps, 1)
		reasons = append(reasons, taxonomy.Reason{Code: ReasonRepeat, Arg: strconv.Itoa(f.Repeats),
			Text: fmt.Sprintf("the customer complained again (%d time%s)", f.Repeats, plural(f.Repeats))})
	}
	if has(taxonomy.SignalAnger) {
		if rank > 2 {
			raise(1, 2)
		}
		reasons = append(reasons, taxonomy.Reason{Code: ReasonAnger, Text: "the customer is angry"})
	}
	switch f.Channel {
	case complaint.ChannelRegulator:
		rank = 1
		reasons = append(reasons, taxonomy.Reason{Code: ReasonRegulator, Text: "referred by a regulator"})
	case complaint.ChannelConsumerAssociation:
		rank = min(rank, 2)
		reasons = append(reasons, taxonomy.Reason{Code: ReasonConsumerAssoc, Text: "referred by a consumer association"})
	}
	if has(taxonomy.SignalSelfHarm) {
		rank = 1
		reasons = append(reasons, taxonomy.Reason{Code: ReasonSelfHarm, Text: "the customer speaks of harming themselves"})
	}
	return priorityOf(rank), reasons
}

func priorityOf(rank int) complaint.Priority {
	return complaint.Priorities[min(max(rank, 1), 4)-1]
}

// moreUrgent returns the more urgent of two priorities.
func moreUrgent(a, b complaint.Priority) complaint.Priority {
	if b.Rank() != 0 && (a.Rank() == 0 || b.Rank() < a.Rank()) {
		return b
	}
	return a
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// mergeReasons appends more to rs, a reason whose code is already there
// replacing the earlier one in place.
func mergeReasons(rs []taxonomy.Reason, more ...taxonomy.Reason) []taxonomy.Reason {
	for _, r := range more {
		if i := slices.IndexFunc(rs, func(x taxonomy.Reason) bool { return x.Code == r.Code }); i >= 0 {
			rs[i] = r
			continue
		}
		rs = append(rs, r)
	}
	return rs
}
