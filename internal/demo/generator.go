package demo

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/redress-project/redress/internal/complaint"
)

// Generator writes realistic complaints from templates with varied slots:
// customers, merchants, amounts, transactions and times are invented for
// each one. It is deterministic: the same seed and now give the same
// complaints, and complaint i does not depend on any other.
type Generator struct {
	seed     int64
	now      time.Time
	regulars []customer // customers who complain more than once
}

// NewGenerator returns a generator whose complaints are set in the ~120
// days before now.
func NewGenerator(seed int64, now time.Time) *Generator {
	g := &Generator{seed: seed, now: now}
	r := g.rand(math.MaxUint32 + 1)
	g.regulars = make([]customer, 300)
	for i := range g.regulars {
		g.regulars[i] = newCustomer(r)
	}
	return g
}

// Draft returns a complaint as an intake channel submits it, fully
// classified and routed, filed at a time in the window before now and with
// transactions dated before that. It writes the complaint only, not the
// history Seed gives it, so it is cheap enough to feed a load test; the
// same seed, now and i give the same draft.
func (g *Generator) Draft(i int) complaint.Draft {
	r := g.rand(uint64(i))
	p := g.begin(r, i)
	p.filedAt = complaint.Timestamp(g.now.Add(-between(r, time.Minute, Window)))
	p.fillDraft()
	return p.full
}

func (g *Generator) rand(stream uint64) *rand.Rand {
	return rand.New(rand.NewPCG(uint64(g.seed), stream))
}

// who is the kind of person who acts on a case.
type who uint8

const (
	byCustomer who = iota // the complainant (a demo account or a stand-in principal)
	byStaff               // the staff member plan action names
	byMerchant            // the demo merchant's account
	bySystem              // redress itself: routing and automatic closing
)

// plan is everything about one demo case, decided before anything is
// stored: what is filed, when, by whom, and what happens to it after.
type plan struct {
	index    int
	scenario *scenario
	customer customer
	script   script
	merchant *merchant
	draft    complaint.Draft // as filed
	full     complaint.Draft // as classified and routed
	filer    who
	filerIdx int // staff index when staff file the complaint
	filedAt  time.Time
	actions  []action
	slots    map[string]string

	txAgo []time.Duration // how long before filing each transaction happened
	force force
}

// force pins parts of a plan so that a small demo still shows every
// category, channel, status and stage.
type force struct {
	scenario int // index+1 into scenarios, 0 for none
	channel  complaint.Channel
	target   complaint.Status
	after    afterKind
	inquiry  bool
}

// forced returns what plan i must contain: the first cases cover every
// scenario, channel, status and stage once.
func forced(i int) force {
	var f force
	if i < len(scenarios) {
		f.scenario = i + 1
	}
	if i < len(complaint.Channels) {
		f.channel = complaint.Channels[i]
	}
	if i < len(complaint.Statuses) {
		f.target = complaint.Statuses[i]
	}
	switch i {
	case 12, 15:
		f.after, f.target = afterAppeal, complaint.StatusClosed
	case 13, 16:
		f.after, f.target = afterReferral, complaint.StatusClosed
	case 14, 17:
		f.inquiry = true
	}
	return f
}

// plan decides case i.
func (g *Generator) plan(i int) *plan {
	r := g.rand(uint64(i))
	p := g.begin(r, i)
	p.story(r)
	p.schedule(r, g.now)
	p.fillDraft()
	p.fillActions()
	return p
}

// begin decides who complains about what, through which channel, and
// writes the draft.
func (g *Generator) begin(r *rand.Rand, i int) *plan {
	p := &plan{index: i, force: forced(i)}
	p.customer = g.pickCustomer(r)
	p.script = p.customer.region.script
	p.scenario = pickScenario(r, p.force.scenario)
	channel := p.force.channel
	if channel == "" {
		channel = pickChannel(r, p.script)
		if referred(channel) && (p.force.inquiry || p.force.after != afterUnset) {
			channel = complaint.ChannelApp // referrals arrive at the last stage already
		}
	}
	p.write(r, channel)
	return p
}

func (g *Generator) pickCustomer(r *rand.Rand) customer {
	switch n := r.IntN(1000); {
	case n < 15:
		return demoCustomers[0]
	case n < 25:
		return demoCustomers[1]
	case n < 250:
		return g.regulars[r.IntN(len(g.regulars))]
	}
	return newCustomer(r)
}

// scenarioWeights says how common each scenario is, per thousand.
var scenarioWeights = map[string]int{
	"charged_order_failed": 70, "duplicate_charge": 45, "transfer_stuck": 40, "topup_failed": 25,
	"refund_delayed": 90, "refund_refused": 60, "refund_partial": 30,
	"scam_transfer": 50, "phishing": 30, "stolen_account": 45,
	"data_leak": 30, "harassment_calls": 30,
	"rude_agent": 35, "no_response": 45,
	"non_delivery": 65, "not_as_described": 55, "prepaid_runaway": 35,
	"unexpected_fee": 30, "auto_renewal": 35, "account_frozen": 40, "credit_instalment_fee": 25, "credit_false_overdue": 20,
	"promo_not_credited": 30,
}

func pickScenario(r *rand.Rand, forced int) *scenario {
	if forced > 0 {
		return &scenarios[forced-1]
	}
	total := 0
	for _, s := range scenarios {
		total += scenarioWeights[s.name]
	}
	n := r.IntN(total)
	for i := range scenarios {
		if n -= scenarioWeights[scenarios[i].name]; n < 0 {
			return &scenarios[i]
		}
	}
	return &scenarios[0]
}

// channelWeights: how customers of each script reach the platform.
var channelWeights = [nScripts][]int{
	hans:  {38, 10, 18, 14, 4, 8, 5, 3},
	hant:  {35, 15, 15, 15, 10, 5, 3, 2},
	latin: {25, 20, 8, 17, 22, 4, 2, 2},
}

func pickChannel(r *rand.Rand, s script) complaint.Channel {
	w := channelWeights[s]
	n := r.IntN(100)
	for i, x := range w {
		if n -= x; n < 0 {
			return complaint.Channels[i]
		}
	}
	return complaint.ChannelApp
}

// referred reports whether the complaint reached the platform through an
// outside body.
func referred(c complaint.Channel) bool {
	return c == complaint.ChannelRegulator || c == complaint.ChannelConsumerAssociation
}

// write decides the facts of the complaint and the draft that reports them.
func (p *plan) write(r *rand.Rand, channel complaint.Channel) {
	sc := p.scenario
	p.slots = map[string]string{}
	p.pickMerchant(r)
	txs, total := p.transactions(r)
	category := sc.category
	sev := severity(sc, total, p.customer.region.rate)
	d := complaint.Draft{
		Customer: p.customer.Customer, Channel: channel, Language: p.customer.region.lang,
		Subject:  pick(r, sc.subjects[p.script]),
		Category: category, Severity: sev, Priority: priority(sev, channel),
		Stage: complaint.StageComplaint, Team: TeamFor(category), Transactions: txs,
	}
	if p.merchant != nil && sc.payee == toMerchant {
		d.MerchantID = p.merchant.id
	}
	body := pick(r, sc.bodies[p.script])
	demand := pick(r, categoryPhrases[category].demands[p.script])
	switch {
	case channel == complaint.ChannelRegulator:
		d.Subject = pick(r, phrases.regulatorPrefix[p.script]) + d.Subject
		d.Description = joinText(p.script, pick(r, phrases.regulatorIntro[p.script]), body, demand)
		d.Stage = complaint.StageExternalReferral
	case channel == complaint.ChannelConsumerAssociation:
		d.Subject = pick(r, phrases.associationPrefix[p.script]) + d.Subject
		d.Description = joinText(p.script, pick(r, phrases.associationIntro[p.script]), body, demand)
		d.Stage = complaint.StageExternalReferral
	default:
		d.Description = joinText(p.script, body, demand, pick(r, phrases.extras[p.script]))
		if p.force.inquiry || (sc.inquiry > 0 && r.Float64() < sc.inquiry) {
			d.Stage = complaint.StageInquiry
		}
	}
	p.full = d
	p.draft = d
	switch {
	case d.Stage == complaint.StageComplaint && (channel == complaint.ChannelApp || channel == complaint.ChannelWeb || channel == complaint.ChannelChat):
		// The customer files in the app: intake routing classifies it after.
		// (Customers cannot file inquiries: triage, the stage included, is
		// staff's; an agent logs those.)
		p.filer = byCustomer
		p.draft.Category, p.draft.Severity, p.draft.Priority, p.draft.Stage, p.draft.Team = "", "", "", "", ""
	case referred(channel):
		p.filer, p.filerIdx = byStaff, supervisor
	default:
		p.filer, p.filerIdx = byStaff, agentFor(TeamService, p.script)
	}
}

// joinText joins sentences the way the script does: Chinese without
// spaces, English with.
func joinText(s script, parts ...string) string {
	var kept []string
	for _, x := range parts {
		if x != "" {
			kept = append(kept, x)
		}
	}
	if s == latin {
		return strings.Join(kept, " ")
	}
	return strings.Join(kept, "")
}

func (p *plan) pickMerchant(r *rand.Rand) {
	sc := p.scenario
	if sc.sector == "" {
		// The story may still mention a purchase, as in a fake refund call.
		m := pick(r, merchantsOf("retail"))
		p.slots["merchant"] = m.names[p.script]
		p.slots["item"] = pick(r, items["retail"][p.script])
		return
	}
	list := merchantsOf(sc.sector)
	m := pick(r, list)
	if sc.sector == "retail" && r.IntN(10) < 4 {
		m = merchants[0] // the demo merchant sells a lot, and is complained about a lot
	}
	p.merchant = &m
	p.slots["merchant"] = m.names[p.script]
	sold := items[sc.sector]
	if len(m.items[p.script]) > 0 {
		sold = m.items
	}
	p.slots["item"] = pick(r, sold[p.script])
}

// transactions invents the payments the complaint is about and the amount
// slots. total is in the customer's currency.
func (p *plan) transactions(r *rand.Rand) ([]complaint.Transaction, int64) {
	sc, reg := p.scenario, p.customer.region
	n := sc.txs[0]
	if sc.txs[1] > sc.txs[0] {
		n += r.IntN(sc.txs[1] - sc.txs[0] + 1)
	}
	ago := between(r, sc.ago[0], sc.ago[1])
	p.slots["days"] = fmt.Sprint(max(1, int(ago/day)))
	p.slots["hours"] = fmt.Sprint(1 + r.IntN(3))
	p.slots["card"] = fmt.Sprintf("%04d", r.IntN(10000))
	p.slots["bank"] = pick(r, banks[p.script])
	p.slots["phone"] = maskedPhone(p.customer.Phone)
	p.slots["order"] = fmt.Sprintf("E%d%010d", 2026, r.Int64N(1e10))
	p.slots["counterparty"] = payeeName(r, p.script)
	p.slots["sla"] = pick(r, phrases.sla[p.script])
	amount := p.amount(r)
	p.slots["amount"] = formatMoney(complaint.Money{Minor: amount, Currency: reg.currency}, p.script)
	p.txAgo = []time.Duration{ago}
	var txs []complaint.Transaction
	total := amount
	if sc.payee != noTransaction && n > 0 {
		total = 0
		spacing := time.Duration(0)
		for k := range n {
			a := amount
			switch {
			case k == 0:
			case sc.name == "auto_renewal": // the same fee, a month earlier each time
				p.txAgo = append(p.txAgo, ago+time.Duration(k)*30*day)
			default: // a burst of payments minutes apart
				a = p.amount(r)
				spacing += between(r, 2*time.Minute, 40*time.Minute)
				p.txAgo = append(p.txAgo, max(ago-spacing, time.Minute))
			}
			total += a
			txs = append(txs, p.transaction(r, a))
		}
	}
	p.slots["txid"] = "-"
	if len(txs) > 0 {
		p.slots["txid"] = txs[0].ID
	}
	p.slots["count"] = fmt.Sprint(max(n, 1))
	p.slots["total"] = formatMoney(complaint.Money{Minor: total, Currency: reg.currency}, p.script)
	return txs, total
}

// transaction returns one payment of amount; its time is set by schedule.
func (p *plan) transaction(r *rand.Rand, amount int64) complaint.Transaction {
	t := complaint.Transaction{
		ID:     fmt.Sprintf("%s%018d", []string{"2026", "4200", "1000"}[r.IntN(3)], r.Int64N(1e18)),
		Amount: complaint.Money{Minor: amount, Currency: p.customer.region.currency},
		Status: p.scenario.txStatus,
	}
	switch p.scenario.payee {
	case toMerchant:
		t.Counterparty, t.MerchantID = p.merchant.names[p.script], p.merchant.id
	case toPerson:
		t.Counterparty = p.slots["counterparty"]
	case toPlatform:
		t.Counterparty = pick(r, platformPayees[p.script])
	}
	return t
}

// amount draws a realistic amount in minor units of the customer's
// currency: log-uniform in the scenario's range, priced like goods
// (129.00, 89.90, 39.99) or rounded like transfers.
func (p *plan) amount(r *rand.Rand) int64 {
	sc, reg := p.scenario, p.customer.region
	lo, hi := math.Log(float64(sc.minor[0])), math.Log(float64(sc.minor[1]))
	v := math.Exp(lo+r.Float64()*(hi-lo)) * reg.rate
	if sc.round > 0 {
		step := niceStep(float64(sc.round) * reg.rate)
		return max(step, int64(math.Round(v/float64(step)))*step)
	}
	units := max(int64(v/100), 1)
	if reg.currency == "TWD" {
		return units * 100
	}
	return units*100 + []int64{0, 0, 90, 99, 50, 80}[r.IntN(6)]
}

// niceStep rounds x to 1, 2 or 5 times a power of ten, and at least 100
// minor units.
func niceStep(x float64) int64 {
	if x <= 100 {
		return 100
	}
	p := math.Pow(10, math.Floor(math.Log10(x)))
	for _, m := range []float64{1, 2, 5, 10} {
		if x <= m*p*1.5 {
			return int64(m * p)
		}
	}
	return int64(10 * p)
}

// severity is the scenario's, raised for large amounts; large stolen or
// scammed sums are critical.
func severity(sc *scenario, total int64, rate float64) complaint.Severity {
	cny := float64(total) / rate
	sev := sc.severity
	switch {
	case (sc.category == CategoryFraud || sc.category == CategoryAccountSecurity) && cny >= 1_000_000:
		return complaint.SeverityCritical
	case cny >= 5_000_000 && sc.payee != noTransaction:
		return raise(sev)
	}
	return sev
}

func raise(s complaint.Severity) complaint.Severity {
	for i, x := range complaint.Severities {
		if x == s && i+1 < len(complaint.Severities) {
			return complaint.Severities[i+1]
		}
	}
	return s
}

// priority follows severity; referrals and public posts are one step more
// urgent.
func priority(s complaint.Severity, c complaint.Channel) complaint.Priority {
	rank := map[complaint.Severity]int{complaint.SeverityCritical: 0, complaint.SeverityHigh: 1, complaint.SeverityMedium: 2, complaint.SeverityLow: 3}[s]
	if referred(c) || c == complaint.ChannelSocial {
		rank = max(rank-1, 0)
	}
	return complaint.Priorities[rank]
}

// formatMoney writes an amount the way a customer of the script would.
func formatMoney(m complaint.Money, s script) string {
	digits := m.MinorDigits()
	div := int64(math.Pow10(digits))
	whole, frac := group(m.Minor/div), m.Minor%div
	num := whole
	if digits > 0 && !(m.Currency == "TWD" && frac == 0) {
		num = fmt.Sprintf("%s.%0*d", whole, digits, frac)
	}
	switch m.Currency {
	case "CNY":
		if s == latin {
			return "CNY " + num
		}
		return num + "元"
	case "HKD":
		return "HK$" + num
	case "TWD":
		return "NT$" + num
	case "USD":
		return "$" + num
	case "GBP":
		return "£" + num
	}
	return m.Currency + " " + num
}

// group writes n with thousands separators.
func group(n int64) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// between returns a duration in [lo, hi], log-uniform so that short waits
// are as common as long ones are rare.
func between(r *rand.Rand, lo, hi time.Duration) time.Duration {
	if hi <= lo {
		return lo
	}
	a, b := math.Log(float64(lo)), math.Log(float64(hi))
	return time.Duration(math.Exp(a + r.Float64()*(b-a)))
}
