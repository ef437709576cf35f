package route

import (
	"strconv"
	"strings"
)

// The English reasons. Each is built from the fields of a Decision, so a
// translation can be built from the same fields. They are written with
// strings.Builder rather than fmt because every decision makes one.

// assignedReason reads like "李娜: speaks zh-Hans, handles refund, 3/10 open
// — least loaded of 4 available agents (7 qualify; skipped: 1 away, 2 at
// capacity)".
func assignedReason(d *Decision, a *agentState) string {
	var b strings.Builder
	b.Grow(256)
	b.WriteString(a.label())
	b.WriteString(": ")
	writeMatched(&b, d)
	writeInt(&b, d.Load)
	b.WriteByte('/')
	writeInt(&b, d.Capacity)
	b.WriteString(" open — ")
	if d.Available == 1 {
		b.WriteString("the only available agent")
	} else {
		b.WriteString("least loaded of ")
		writeInt(&b, d.Available)
		b.WriteString(" available agents")
	}
	if d.Level > 1 {
		b.WriteString(", level with ")
		writeInt(&b, d.Level-1)
		b.WriteString(plural(d.Level-1, " other", " others"))
		b.WriteString(" and next in turn")
	}
	if hasSkipped(d.Excluded) {
		b.WriteString(" (")
		writeInt(&b, d.Qualified)
		b.WriteString(" qualify; skipped: ")
		writeSkipped(&b, d.Excluded)
		b.WriteByte(')')
	}
	return b.String()
}

// writeMatched writes what the agent was matched on, in the case's words.
func writeMatched(b *strings.Builder, d *Decision) {
	for _, f := range [...]struct{ verb, value string }{
		{"speaks ", d.Language}, {"handles ", d.Category}, {"takes ", d.Channel}, {"in team ", d.Team},
	} {
		if f.value != "" {
			b.WriteString(f.verb)
			b.WriteString(f.value)
			b.WriteString(", ")
		}
	}
}

// whyQueued explains why nobody got the case; population is the roster size.
func whyQueued(d *Decision, it *Item, population int) string {
	var b strings.Builder
	switch {
	case population == 0:
		return "there are no agents on the roster"
	case d.Qualified == 0:
		b.WriteString("no agent qualifies — of ")
		writeInt(&b, population)
		b.WriteString(plural(population, " agent, ", " agents, "))
		writeUnqualified(&b, d.Excluded, it)
	default:
		writeInt(&b, d.Qualified)
		b.WriteString(plural(d.Qualified, " agent qualifies", " agents qualify"))
		b.WriteString(" but none can take it now (")
		writeSkipped(&b, d.Excluded)
		b.WriteByte(')')
	}
	return b.String()
}

func heldReason(d *Decision) string {
	name := d.Agent.Name
	if name == "" {
		name = "agent #" + itoa(d.Agent.ID)
	}
	if d.Outcome == Pinned {
		return "pinned to " + name + " by a supervisor; routing and rebalancing leave it there"
	}
	return "already held by " + name + "; only rebalancing moves an assigned case"
}

// queueName names the queue an unassigned case waits in.
func (r *Router) queueName(it *Item) string {
	if it.Team == "" {
		return "the general queue"
	}
	name := it.Team
	if t, ok := r.teams[it.Team]; ok && t.Name != "" {
		name = t.Name
	}
	return "the queue of team " + name
}

var unavailablePhrases = [numKinds]string{
	kAway:         "away",
	kOffShift:     "off shift",
	kOutsideShift: "outside shift hours",
	kShiftUnknown: "with a shift calendar that does not cover today",
	kAtCapacity:   "at capacity",
}

func hasSkipped(counts []Count) bool {
	for _, c := range counts {
		if !kindOfCode(c.Code).unqualified() {
			return true
		}
	}
	return false
}

// writeSkipped describes the qualified agents who could not take the case.
func writeSkipped(b *strings.Builder, counts []Count) {
	first := true
	for _, c := range counts {
		k := kindOfCode(c.Code)
		if k.unqualified() {
			continue
		}
		if !first {
			b.WriteString(", ")
		}
		first = false
		writeInt(b, c.N)
		b.WriteByte(' ')
		b.WriteString(unavailablePhrases[k])
	}
}

// writeUnqualified describes the agents who do not qualify for it.
func writeUnqualified(b *strings.Builder, counts []Count, it *Item) {
	first := true
	for _, c := range counts {
		one := c.N == 1
		var s string
		switch c.Code {
		case OtherTeam:
			s = pick(one, "is in another team", "are in other teams")
		case NoCategory:
			s = pick(one, "does not handle ", "do not handle ") + it.Category
		case NoLanguage:
			s = pick(one, "does not speak ", "do not speak ") + it.Language
		case NoChannel:
			s = pick(one, "does not take ", "do not take ") + it.Channel
		default:
			continue
		}
		if !first {
			b.WriteString(", ")
		}
		first = false
		writeInt(b, c.N)
		b.WriteByte(' ')
		b.WriteString(s)
	}
}

// describe is the short English phrase for why an agent was passed over or
// why a case left its holder.
func describe(k kind) string {
	switch k {
	case kUnknown:
		return "no longer on the roster"
	case kOtherTeam:
		return "in another team"
	}
	if s := unavailablePhrases[k]; s != "" {
		return s
	}
	return string(k.code())
}

func kindOfCode(c Code) kind {
	for k, code := range kindCodes {
		if code == c {
			return kind(k)
		}
	}
	return kOK
}

func writeInt(b *strings.Builder, n int) {
	var buf [20]byte
	b.Write(strconv.AppendInt(buf[:0], int64(n), 10))
}

func plural(n int, one, many string) string { return pick(n == 1, one, many) }

func pick(cond bool, a, b string) string {
	if cond {
		return a
	}
	return b
}
