package demo

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/redress-project/redress/internal/complaint"
)

// Window is how far back demo complaints go.
const Window = 120 * day

// span is a run of consecutive actions that leave the case in one status;
// last is the index of its last action, -1 for the moment of filing.
type span struct {
	status complaint.Status
	last   int
}

func (p *plan) spans() []span {
	out := []span{{complaint.StatusNew, -1}}
	for i, a := range p.actions {
		if a.after == out[len(out)-1].status {
			out[len(out)-1].last = i
		} else {
			out = append(out, span{a.after, i})
		}
	}
	return out
}

// schedule dates the filing and keeps the actions that have happened by
// now. Complaints arrive throughout the window, a little more often lately
// (the platform grows), and each has got as far as its story by now: old
// ones are closed, recent ones still open. A plan with a forced status is
// instead dated so that it is in that status now.
func (p *plan) schedule(r *rand.Rand, now time.Time) {
	if p.force.target != "" {
		p.scheduleAt(r, now, p.force.target)
		return
	}
	age := time.Duration(math.Pow(r.Float64(), 1.25) * float64(Window))
	p.filedAt = complaint.Timestamp(now.Add(-age))
	kept := 0
	for kept < len(p.actions) && p.filedAt.Add(p.actions[kept].at).Before(now) {
		kept++
	}
	p.actions = p.actions[:kept]
}

// scheduleAt dates the filing so that the case is in status target now:
// its last action leaves it there, and the next is still to come.
func (p *plan) scheduleAt(r *rand.Rand, now time.Time, target complaint.Status) {
	var candidates []span
	for _, s := range p.spans() {
		if s.status == target {
			candidates = append(candidates, s)
		}
	}
	if len(candidates) == 0 {
		panic(fmt.Sprintf("demo: plan %d never reaches status %s", p.index, target))
	}
	cut := pick(r, candidates).last
	var last time.Duration
	if cut >= 0 {
		last = p.actions[cut].at
	}
	var gap time.Duration
	switch {
	case cut+1 < len(p.actions):
		gap = time.Duration(r.Int64N(int64(p.actions[cut+1].at - last)))
	case last < Window:
		gap = time.Duration(r.Int64N(int64(Window - last)))
	default:
		gap = time.Duration(r.Int64N(int64(day)))
	}
	p.actions = p.actions[:cut+1]
	p.filedAt = complaint.Timestamp(now.Add(-last - gap))
}

// fillDraft dates the transactions and writes the slots into the drafts.
func (p *plan) fillDraft() {
	reg := p.customer.region
	when := p.filedAt.Add(-p.txAgo[0]).In(reg.zone)
	p.slots["date"] = formatDate(when, reg)
	p.slots["time"] = formatClock(when, p.script)
	p.slots["name"] = p.customer.Name
	p.slots["dept"] = categoryPhrases[p.scenario.category].dept[p.script]
	for k := range p.full.Transactions {
		p.full.Transactions[k].Time = complaint.Timestamp(p.filedAt.Add(-p.txAgo[k]))
	}
	p.draft.Transactions = p.full.Transactions
	rep := p.replacer()
	for _, d := range []*complaint.Draft{&p.full, &p.draft} {
		d.Subject, d.Description = rep.Replace(d.Subject), rep.Replace(d.Description)
	}
}

// fillActions writes the slots into the texts of the history and dates
// linked transactions. Only {ref}, the case reference, is left for when the
// case has been filed.
func (p *plan) fillActions() {
	rep := p.replacer()
	noteDept := categoryPhrases[p.scenario.category].dept[noteScript(p.script)]
	for i := range p.actions {
		a := &p.actions[i]
		text := strings.ReplaceAll(a.text, "{agent}", a.agentName)
		if a.op == opNote {
			text = strings.ReplaceAll(text, "{dept}", noteDept)
		}
		a.text = rep.Replace(text)
		if a.op == opLink {
			a.tx.Time = complaint.Timestamp(p.filedAt.Add(-a.txAgo))
		}
	}
}

func (p *plan) replacer() *strings.Replacer {
	pairs := make([]string, 0, 2*len(p.slots))
	for k, v := range p.slots {
		pairs = append(pairs, "{"+k+"}", v)
	}
	return strings.NewReplacer(pairs...)
}

var monthsEn = [...]string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}

// formatDate writes a date the way customers of the region do.
func formatDate(t time.Time, reg region) string {
	switch {
	case reg.script != latin:
		return fmt.Sprintf("%d月%d日", t.Month(), t.Day())
	case reg.lang == "en-US":
		return fmt.Sprintf("%s %d", monthsEn[t.Month()-1], t.Day())
	default:
		return fmt.Sprintf("%d %s", t.Day(), monthsEn[t.Month()-1])
	}
}

// formatClock writes a time of day loosely, as people recall it:
// 晚上8点多, 8:17 pm.
func formatClock(t time.Time, s script) string {
	h, m := t.Hour(), t.Minute()
	if s == latin {
		suffix := "am"
		if h >= 12 {
			suffix = "pm"
		}
		h12 := h % 12
		if h12 == 0 {
			h12 = 12
		}
		return fmt.Sprintf("%d:%02d %s", h12, m, suffix)
	}
	var period string
	switch {
	case h < 6:
		period = "凌晨"
	case h < 9:
		period = "早上"
	case h < 12:
		period = "上午"
	case h < 13:
		period = "中午"
	case h < 18:
		period = "下午"
	default:
		period = "晚上"
	}
	h12 := h
	if h > 12 {
		h12 = h - 12
	}
	dian := "点"
	if s == hant {
		dian = "點"
	}
	if m >= 10 {
		return fmt.Sprintf("%s%d%s多", period, h12, dian)
	}
	return fmt.Sprintf("%s%d%s", period, h12, dian)
}
