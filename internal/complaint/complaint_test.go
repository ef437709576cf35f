package complaint

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"
)

var (
	t0    = time.Date(2026, 3, 2, 1, 30, 0, 0, time.UTC)
	agent = Actor{ID: 7, Role: RoleAgent, Name: "Li Na"}
	cust  = Actor{ID: 3, Role: RoleCustomer, Name: "张伟"}
)

func validDraft() Draft {
	d := Draft{
		Customer:    Customer{ID: "u-1001", Name: "张伟", Email: "ZW@example.com ", Phone: "+86 138 0013 8000"},
		Channel:     ChannelApp,
		Language:    "zh-Hans",
		Subject:     "退款一直没有到账",
		Description: "商家已同意退款，七天了还没收到。\n订单号 123。",
		Transactions: []Transaction{{
			ID: "T2026030100001", Time: t0.Add(-48 * time.Hour), Amount: Money{Minor: 12850, Currency: "CNY"},
			Counterparty: "某某旗舰店", MerchantID: "M100", Status: "refund_pending",
		}},
	}
	d.Normalize()
	return d
}

func openCase(t *testing.T) *Case {
	t.Helper()
	c, _, err := Open(validDraft(), "CP-2026-7K3M9Q2X", cust, t0)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	return c
}

func TestOpenNormalizesAndRecordsCreatedEvent(t *testing.T) {
	c, e, err := Open(validDraft(), "CP-2026-7K3M9Q2X", cust, t0.Add(123456789*time.Nanosecond))
	if err != nil {
		t.Fatal(err)
	}
	if c.Status != StatusNew || c.Stage != StageComplaint || c.Category != DefaultCategory ||
		c.Severity != SeverityMedium || c.Priority != PriorityP3 || c.Team != DefaultTeam {
		t.Errorf("defaults not applied: %+v", c)
	}
	if c.Customer.Email != "zw@example.com" {
		t.Errorf("email not normalized: %q", c.Customer.Email)
	}
	if c.CreatedAt.Nanosecond()%1000 != 0 || c.CreatedAt.Location() != time.UTC {
		t.Errorf("created_at must be UTC microseconds, got %v", c.CreatedAt)
	}
	if e.Kind != KindCreated || e.Seq != 1 || e.PrevHash != "" || e.Hash == "" || c.Version != 1 || c.LastHash != e.Hash {
		t.Errorf("created event/version wrong: event %+v, case version %d", e, c.Version)
	}
	if c.Merchants()[0] != "M100" {
		t.Errorf("merchants = %v", c.Merchants())
	}
}

func TestLifecycleTransitions(t *testing.T) {
	// Every edge of the documented lifecycle, and a sample of illegal ones.
	legal := map[Status][]Status{
		StatusNew:              {StatusAcknowledged, StatusWithdrawn},
		StatusAcknowledged:     {StatusInProgress, StatusWithdrawn},
		StatusInProgress:       {StatusResolved, StatusAwaitingCustomer, StatusAwaitingMerchant, StatusAwaitingInternal, StatusWithdrawn},
		StatusAwaitingCustomer: {StatusInProgress, StatusWithdrawn},
		StatusAwaitingMerchant: {StatusInProgress, StatusWithdrawn},
		StatusAwaitingInternal: {StatusInProgress, StatusWithdrawn},
		StatusResolved:         {StatusClosed, StatusReopened},
		StatusClosed:           {StatusReopened},
		StatusReopened:         {StatusInProgress, StatusResolved, StatusAwaitingCustomer, StatusAwaitingMerchant, StatusAwaitingInternal, StatusWithdrawn},
		StatusWithdrawn:        {},
	}
	for _, from := range Statuses {
		for _, to := range Statuses {
			want := contains(legal[from], to)
			if got := from.CanTransition(to); got != want {
				t.Errorf("%s → %s: CanTransition = %v, want %v", from, to, got, want)
			}
		}
	}
}

// walk drives c through statuses in order, failing on the first refusal.
func walk(t *testing.T, c *Case, at time.Time, path ...Status) {
	t.Helper()
	for _, s := range path {
		if _, err := c.Transition(s, "", agent, at, DefaultRules); err != nil {
			t.Fatalf("transition to %s: %v", s, err)
		}
	}
}

func TestIllegalTransitionChangesNothing(t *testing.T) {
	c := openCase(t)
	before := *c
	_, err := c.Transition(StatusResolved, "", agent, t0, DefaultRules)
	var re *RuleError
	if !errors.As(err, &re) || re.Code != CodeIllegalTransition {
		t.Fatalf("want illegal_transition, got %v", err)
	}
	if !reflect.DeepEqual(before, *c) {
		t.Error("a refused transition changed the case")
	}
	if _, err := c.Transition("flying", "", agent, t0, DefaultRules); err == nil {
		t.Error("unknown status accepted")
	}
}

func TestReopenWindow(t *testing.T) {
	c := openCase(t)
	walk(t, c, t0, StatusAcknowledged, StatusInProgress, StatusResolved)
	resolvedAt := c.ResolvedAt
	if resolvedAt.IsZero() {
		t.Fatal("resolved_at not set")
	}
	late := resolvedAt.Add(DefaultReopenWindow + time.Second)
	_, err := c.Transition(StatusReopened, "", cust, late, DefaultRules)
	var re *RuleError
	if !errors.As(err, &re) || re.Code != CodeReopenWindowPassed {
		t.Fatalf("reopen after the window: want reopen_window_passed, got %v", err)
	}
	if _, err := c.Transition(StatusReopened, "still not refunded", cust, resolvedAt.Add(DefaultReopenWindow), DefaultRules); err != nil {
		t.Fatalf("reopen on the last instant of the window: %v", err)
	}

	// The window of a closed case runs from closing.
	d := openCase(t)
	walk(t, d, t0, StatusAcknowledged, StatusInProgress, StatusResolved)
	walk(t, d, t0.Add(20*24*time.Hour), StatusClosed)
	if _, err := d.Transition(StatusReopened, "", cust, t0.Add(45*24*time.Hour), DefaultRules); err != nil {
		t.Errorf("reopen 25 days after closing: %v", err)
	}
}

func TestStageOnlyMovesForward(t *testing.T) {
	c := openCase(t)
	if _, err := c.AdvanceStage(StageExternalReferral, "referred to the regulator", agent, t0); err != nil {
		t.Fatalf("skipping forward: %v", err)
	}
	for _, back := range []Stage{StageInquiry, StageComplaint, StageAppeal, StageExternalReferral} {
		_, err := c.AdvanceStage(back, "", agent, t0)
		var re *RuleError
		if !errors.As(err, &re) || re.Code != CodeStageBackwards {
			t.Errorf("stage %s after external_referral: want stage_backwards, got %v", back, err)
		}
	}
}

func TestReplayEqualsState(t *testing.T) {
	c, created, err := Open(validDraft(), "CP-2026-7K3M9Q2X", cust, t0)
	if err != nil {
		t.Fatal(err)
	}
	events := []Event{created}
	record := func(e Event, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		events = append(events, e)
	}
	at := t0
	next := func() time.Time { at = at.Add(17 * time.Minute); return at }
	record(c.Message("您好，我们正在核实。", agent, next()))
	record(c.Transition(StatusAcknowledged, "", agent, next(), DefaultRules))
	record(c.Assign(Assignment{Team: "refunds", AssigneeID: 7, AssigneeName: "Li Na"}, agent, next()))
	record(c.Classify(Classification{Category: "refund", Severity: SeverityHigh, Priority: PriorityP2}, agent, next()))
	record(c.Note("merchant says refund sent on 3/1", agent, next()))
	record(c.LinkTransaction(Transaction{ID: "T2", Time: t0, Amount: Money{Minor: 500, Currency: "CNY"}}, agent, next()))
	record(c.Transition(StatusInProgress, "", agent, next(), DefaultRules))
	record(c.Transition(StatusAwaitingCustomer, "please send the receipt", agent, next(), DefaultRules))
	record(c.Transition(StatusInProgress, "", cust, next(), DefaultRules))
	record(c.AdvanceStage(StageAppeal, "", agent, next()))
	record(c.Transition(StatusResolved, "refunded", agent, next(), DefaultRules))

	c.ID = 42
	replayed, err := Replay(42, events)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(replayed, c) {
		t.Errorf("replay differs from state:\nreplayed %+v\nstate    %+v", replayed, c)
	}
	if err := VerifyChain(events); err != nil {
		t.Errorf("chain of a genuine history: %v", err)
	}
	if c.Version != int64(len(events)) || c.Category != "refund" || c.Team != "refunds" || len(c.Transactions) != 2 {
		t.Errorf("state after history: %+v", c)
	}
}

func TestVerifyChainDetectsTampering(t *testing.T) {
	c, created, _ := Open(validDraft(), "CP-2026-7K3M9Q2X", cust, t0)
	reply, _ := c.Message("first reply", agent, t0.Add(time.Hour))
	note, _ := c.Note("internal", agent, t0.Add(2*time.Hour))
	genuine := []Event{created, reply, note}

	tamper := map[string]func([]Event) []Event{
		"edited body":   func(es []Event) []Event { es[1].Body = "a different reply"; return es },
		"edited after":  func(es []Event) []Event { es[0].After = json.RawMessage(`{"subject":"x"}`); return es },
		"moved in time": func(es []Event) []Event { es[2].At = es[2].At.Add(time.Second); return es },
		"deleted event": func(es []Event) []Event { return append(es[:1], es[2:]...) },
		"reordered":     func(es []Event) []Event { es[1], es[2] = es[2], es[1]; return es },
		"made public":   func(es []Event) []Event { es[2].Visibility = Public; return es },
	}
	for name, f := range tamper {
		es := f(append([]Event(nil), genuine...))
		if err := VerifyChain(es); err == nil {
			t.Errorf("%s: VerifyChain accepted a tampered history", name)
		}
	}
}

func TestApplyRefusesOutOfOrderEvents(t *testing.T) {
	c, created, _ := Open(validDraft(), "CP-2026-7K3M9Q2X", cust, t0)
	reply, _ := c.Message("hi", agent, t0)
	fresh := &Case{}
	if err := fresh.Apply(reply); err == nil {
		t.Error("applying event 2 to an empty case succeeded")
	}
	if err := fresh.Apply(created); err != nil {
		t.Fatal(err)
	}
	forged := reply
	forged.PrevHash = strings.Repeat("0", 64)
	if err := fresh.Apply(forged); err == nil {
		t.Error("an event that does not chain was applied")
	}
}

func TestDraftValidation(t *testing.T) {
	cases := []struct {
		name, field, code string
		edit              func(*Draft)
	}{
		{"missing subject", "subject", CodeRequired, func(d *Draft) { d.Subject = "" }},
		{"missing name", "customer.name", CodeRequired, func(d *Draft) { d.Customer.Name = "" }},
		{"subject too long", "subject", CodeTooLong, func(d *Draft) { d.Subject = strings.Repeat("退", MaxSubject+1) }},
		{"invalid utf-8", "description", CodeInvalid, func(d *Draft) { d.Description = "bad \xff byte" }},
		{"control char", "subject", CodeInvalid, func(d *Draft) { d.Subject = "a\x00b" }},
		{"bad email", "customer.email", CodeInvalid, func(d *Draft) { d.Customer.Email = "not an email" }},
		{"bad phone", "customer.phone", CodeInvalid, func(d *Draft) { d.Customer.Phone = "call me maybe" }},
		{"unknown channel", "channel", CodeInvalid, func(d *Draft) { d.Channel = "pigeon" }},
		{"unknown severity", "severity", CodeInvalid, func(d *Draft) { d.Severity = "apocalyptic" }},
		{"negative amount", "transactions[0].amount.minor", CodeInvalidAmount, func(d *Draft) { d.Transactions[0].Amount.Minor = -1 }},
		{"huge amount", "transactions[0].amount.minor", CodeInvalidAmount, func(d *Draft) { d.Transactions[0].Amount.Minor = maxMinor + 1 }},
		{"unknown currency", "transactions[0].amount.currency", CodeUnknownCurrency, func(d *Draft) { d.Transactions[0].Amount.Currency = "XYZ" }},
		{"lowercase currency", "transactions[0].amount.currency", CodeUnknownCurrency, func(d *Draft) { d.Transactions[0].Amount.Currency = "cny" }},
		{"missing transaction id", "transactions[0].id", CodeRequired, func(d *Draft) { d.Transactions[0].ID = "" }},
		{"missing transaction time", "transactions[0].time", CodeRequired, func(d *Draft) { d.Transactions[0].Time = time.Time{} }},
		{"future transaction", "transactions[0].time", CodeInvalid, func(d *Draft) { d.Transactions[0].Time = time.Now().Add(72 * time.Hour) }},
		{"duplicate transaction", "transactions[1].id", CodeInvalid, func(d *Draft) { d.Transactions = append(d.Transactions, d.Transactions[0]) }},
		{"too many transactions", "transactions", CodeTooLong, func(d *Draft) { d.Transactions = make([]Transaction, MaxTransactions+1) }},
		{"negative attachment", "attachments[0].size", CodeInvalid, func(d *Draft) {
			d.Attachments = []Attachment{{Name: "a.png", ContentType: "image/png", Size: -5}}
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d := validDraft()
			tc.edit(&d)
			err := d.Validate()
			var ve *ValidationError
			if !errors.As(err, &ve) {
				t.Fatalf("want a ValidationError, got %v", err)
			}
			if ve.Field != tc.field || ve.Code != tc.code {
				t.Errorf("got field %q code %q (%s), want field %q code %q", ve.Field, ve.Code, ve.Message, tc.field, tc.code)
			}
		})
	}
	d := validDraft()
	if err := d.Validate(); err != nil {
		t.Errorf("valid draft refused: %v", err)
	}
}

func TestMoney(t *testing.T) {
	for _, tc := range []struct {
		m    Money
		want string
	}{
		{Money{12850, "CNY"}, "CNY 128.50"},
		{Money{5, "USD"}, "USD 0.05"},
		{Money{1200, "JPY"}, "JPY 1200"},
		{Money{1234, "KWD"}, "KWD 1.234"},
	} {
		if got := tc.m.String(); got != tc.want {
			t.Errorf("%+v.String() = %q, want %q", tc.m, got, tc.want)
		}
	}
}

func TestRefs(t *testing.T) {
	seen := map[string]bool{}
	for range 1000 {
		r := NewRef(t0)
		if !ValidRef(r) || !strings.HasPrefix(r, "CP-2026-") {
			t.Fatalf("NewRef gave %q", r)
		}
		if seen[r] {
			t.Fatalf("repeated reference %q in 1000 draws", r)
		}
		seen[r] = true
	}
	for _, bad := range []string{"", "CP-2026-7K3M9Q2", "CP-2026-7K3M9Q2XX", "cp-2026-7K3M9Q2X", "CP-20X6-7K3M9Q2X", "CP-2026-7K3M9Q2U", "CP-2026_7K3M9Q2X"} {
		if ValidRef(bad) {
			t.Errorf("ValidRef(%q) = true", bad)
		}
	}
}

func TestCommandsRejectBadInput(t *testing.T) {
	c := openCase(t)
	v := c.Version
	if _, err := c.Message("", agent, t0); err == nil {
		t.Error("empty message accepted")
	}
	if _, err := c.Note(strings.Repeat("x", MaxMessage+1), agent, t0); err == nil {
		t.Error("oversized note accepted")
	}
	if _, err := c.Assign(Assignment{Team: c.Team}, agent, t0); err == nil {
		t.Error("no-op assignment accepted")
	}
	if _, err := c.Classify(Classification{Category: "refund", Severity: "huge", Priority: PriorityP1}, agent, t0); err == nil {
		t.Error("unknown severity accepted")
	}
	if _, err := c.LinkTransaction(c.Transactions[0], agent, t0); err == nil {
		t.Error("linking the same transaction twice accepted")
	}
	if c.Version != v {
		t.Errorf("refused commands changed the version from %d to %d", v, c.Version)
	}
}
