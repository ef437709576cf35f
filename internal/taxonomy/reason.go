package taxonomy

import "strings"

// Reason is one reason for a case's severity or priority: a machine code
// (regulator_referral, amount_at_stake, …), an optional argument (the
// threshold reached, the repeat count, …) and a short English phrase.
//
// In a complaint.Assessment's PriorityReasons a reason is kept as one
// string, "code: text" or "code=arg: text", so that the history stays
// readable and a user interface can translate it by its code.
type Reason struct {
	Code string
	Arg  string
	Text string
}

// String encodes the reason as "code: text" or "code=arg: text".
func (r Reason) String() string {
	head := r.Code
	if r.Arg != "" {
		head += "=" + strings.ReplaceAll(r.Arg, ": ", ", ")
	}
	if r.Text == "" {
		return head
	}
	return head + ": " + r.Text
}

// ParseReason decodes what String encoded. A string that is not in that
// form comes back as the text of a reason without a code.
func ParseReason(s string) Reason {
	head, text, found := strings.Cut(s, ": ")
	if !found {
		head, text = s, ""
	}
	code, arg, _ := strings.Cut(head, "=")
	if checkID(code) != nil {
		return Reason{Text: s}
	}
	return Reason{Code: code, Arg: arg, Text: text}
}

// ReasonStrings encodes reasons for an assessment.
func ReasonStrings(rs []Reason) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.String()
	}
	return out
}
