package sla

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/redress-project/redress/internal/complaint"
)

func caseOf(category string, sev complaint.Severity, ch complaint.Channel) *complaint.Case {
	return &complaint.Case{Category: category, Severity: sev, Channel: ch, Priority: complaint.PriorityP3}
}

func TestDefaultPoliciesSelection(t *testing.T) {
	p := DefaultPolicies()
	for _, tc := range []struct {
		name string
		c    *complaint.Case
		tier string
		want string
	}{
		{"a plain refund", caseOf("refund", complaint.SeverityMedium, complaint.ChannelApp), "", "standard"},
		{"a plain refund, tier spelt out", caseOf("refund", complaint.SeverityMedium, complaint.ChannelApp), "standard", "standard"},
		{"a referral wins over its category: rules are tried in order",
			caseOf("fraud", complaint.SeverityCritical, complaint.ChannelRegulator), "vip", "regulator referral"},
		{"consumer association", caseOf("fees", complaint.SeverityLow, complaint.ChannelConsumerAssociation), "", "consumer association referral"},
		{"fraud before critical: the earlier rule wins", caseOf("fraud", complaint.SeverityCritical, complaint.ChannelApp), "", "fraud and account security"},
		{"category matching ignores letter case", caseOf("Account_Frozen", complaint.SeverityLow, complaint.ChannelWeb), "", "fraud and account security"},
		{"critical", caseOf("refund", complaint.SeverityCritical, complaint.ChannelHotline), "vip", "critical severity"},
		{"tier from the customer record", caseOf("refund", complaint.SeverityHigh, complaint.ChannelChat), "vip", "priority customers"},
		{"an unknown tier is not vip", caseOf("refund", complaint.SeverityHigh, complaint.ChannelChat), "gold", "standard"},
	} {
		if got := p.Select(tc.c, tc.tier).Name; got != tc.want {
			t.Errorf("%s: rule %q, want %q", tc.name, got, tc.want)
		}
	}
	std := p.Select(caseOf("refund", complaint.SeverityMedium, complaint.ChannelApp), "")
	if fr := std.Clock(FirstResponse); fr == nil || fr.Spec.String() != "24h" || !fr.Spec.Pausable() {
		t.Errorf("standard first response: %+v", fr)
	}
	res := std.Clock(Resolution)
	if res == nil || res.Spec.String() != "15ld" || len(res.Extensions) != 2 || res.Extensions[1].String() != "60ld" {
		t.Errorf("standard resolution: %+v", res)
	}
	if std.CalendarOf().Name() != "cn" {
		t.Errorf("calendar %s", std.CalendarOf().Name())
	}
	// Inherited thresholds and actions.
	if ws := res.Warnings; len(ws) != 2 || ws[0].At != 75 || ws[1].At != 90 ||
		!slices.Equal(ws[1].Actions, []Action{{Kind: Notify}, {Kind: RaisePriority}}) {
		t.Errorf("resolution warnings %+v", ws)
	}
	if b := res.Breach; !slices.Equal(b, []Action{{Kind: Notify}, {Kind: RaisePriority}, {Kind: Escalate}}) {
		t.Errorf("resolution breach %v", b)
	}
	if b := std.Clock(NextResponse).Breach; !slices.Equal(b, []Action{{Kind: Notify}}) {
		t.Errorf("a clock's own breach actions must win: %v", b)
	}
	reg := p.Select(caseOf("refund", complaint.SeverityLow, complaint.ChannelRegulator), "")
	if ws := reg.Clock(Resolution).Warnings; len(ws) != 3 || ws[0].At != 50 {
		t.Errorf("a rule's warnings must reach its clocks: %+v", ws)
	}
}

const minimal = `{"rules": [{"name": "all", "clocks": {"resolution": {"spec": "15ld"}}}]}`

func TestParsePoliciesDefaultsAndOverrides(t *testing.T) {
	p, err := ParsePolicies([]byte(minimal), "")
	if err != nil {
		t.Fatal(err)
	}
	r := p.Rules[0]
	if p.Calendar != "cn" || p.SupervisorTeam != "supervisors" || r.CalendarOf().Name() != "cn" ||
		len(r.Clock(Resolution).Warnings) != 2 || len(p.TaskOverdue) != 2 {
		t.Errorf("defaults not filled: %+v %+v", p, r.Clock(Resolution))
	}
	p, err = ParsePolicies([]byte(`{
		"calendar": "none", "warnings": [{"at": 50, "actions": ["notify"]}], "breach": ["reassign:l2"],
		"rules": [
			{"name": "quiet", "match": {"tier": ["vip"]}, "warnings": [],
			 "clocks": {"first_response": {"spec": "4h", "breach": []}}},
			{"name": "all", "calendar": "cn", "clocks": {"resolution": {"spec": "15ld"}}}]}`), "")
	if err != nil {
		t.Fatal(err)
	}
	quiet, all := p.Rules[0], p.Rules[1]
	if quiet.CalendarOf().Name() != "none" || all.CalendarOf().Name() != "cn" {
		t.Errorf("calendars %s %s", quiet.CalendarOf().Name(), all.CalendarOf().Name())
	}
	if fr := quiet.Clock(FirstResponse); len(fr.Warnings) != 0 || len(fr.Breach) != 0 {
		t.Errorf("an empty list given must mean none: %+v", fr)
	}
	if res := all.Clock(Resolution); len(res.Warnings) != 1 || res.Warnings[0].At != 50 ||
		!slices.Equal(res.Breach, []Action{{Kind: Reassign, Team: "l2"}}) {
		t.Errorf("file defaults must reach the clocks: %+v", res)
	}
}

func TestParsePoliciesErrors(t *testing.T) {
	rule := func(s string) string {
		return `{"rules": [` + s + `, {"name": "all", "clocks": {"resolution": {"spec": "15ld"}}}]}`
	}
	for _, tc := range []struct{ name, src, want string }{
		{"not JSON", `{"rules": [`, "unexpected EOF"},
		{"unknown field", `{"rulez": []}`, "unknown field"},
		{"no rules", `{"rules": []}`, "no rules"},
		{"no catch-all", `{"rules": [{"name": "a", "match": {"channel": ["app"]}, "clocks": {"resolution": {"spec": "15ld"}}}]}`, "must match every case"},
		{"shadowed", `{"rules": [{"name": "refunds", "match": {"category": ["refund", "fees"]}, "clocks": {"resolution": {"spec": "15ld"}}},
			{"name": "app refunds", "match": {"category": ["refund"], "channel": ["app"]}, "clocks": {"resolution": {"spec": "10ld"}}},
			{"name": "all", "clocks": {"resolution": {"spec": "15ld"}}}]}`, `rule "app refunds" can never apply: rule "refunds"`},
		{"after the catch-all", `{"rules": [{"name": "all", "clocks": {"resolution": {"spec": "15ld"}}},
			{"name": "late", "match": {"tier": ["vip"]}, "clocks": {"resolution": {"spec": "15ld"}}}]}`, "can never apply"},
		{"nameless", rule(`{"match": {"tier": ["vip"]}, "clocks": {"resolution": {"spec": "1h"}}}`), "has no name"},
		{"duplicate names", `{"rules": [{"name": "all", "match": {"tier": ["vip"]}, "clocks": {"resolution": {"spec": "15ld"}}}, {"name": "all", "clocks": {"resolution": {"spec": "15ld"}}}]}`, "two rules"},
		{"no clocks", rule(`{"name": "a", "match": {"tier": ["vip"]}, "clocks": {}}`), "no clocks"},
		{"unknown clock", rule(`{"name": "a", "match": {"tier": ["vip"]}, "clocks": {"lunch": {"spec": "1h"}}}`), `unknown clock "lunch"`},
		{"regulator clock", rule(`{"name": "a", "match": {"tier": ["vip"]}, "clocks": {"regulator": {"spec": "15ld"}}}`), "set at intake"},
		{"no spec", rule(`{"name": "a", "match": {"tier": ["vip"]}, "clocks": {"resolution": {}}}`), "spec is required"},
		{"bad spec", rule(`{"name": "a", "match": {"tier": ["vip"]}, "clocks": {"resolution": {"spec": "15 days"}}}`), "invalid duration spec"},
		{"extension in another unit", rule(`{"name": "a", "match": {"tier": ["vip"]}, "clocks": {"resolution": {"spec": "15ld", "extensions": ["45d"]}}}`), "same unit"},
		{"extension not longer", rule(`{"name": "a", "match": {"tier": ["vip"]}, "clocks": {"resolution": {"spec": "15ld", "extensions": ["30ld", "20ld"]}}}`), "longer"},
		{"threshold 100", rule(`{"name": "a", "match": {"tier": ["vip"]}, "warnings": [{"at": 100, "actions": []}], "clocks": {"resolution": {"spec": "1h"}}}`), "1 to 99"},
		{"thresholds out of order", `{"warnings": [{"at": 90, "actions": []}, {"at": 75, "actions": []}], "rules": [{"name": "all", "clocks": {"resolution": {"spec": "15ld"}}}]}`, "increasing"},
		{"unknown action", rule(`{"name": "a", "match": {"tier": ["vip"]}, "breach": ["page_the_ceo"], "clocks": {"resolution": {"spec": "1h"}}}`), "unknown action"},
		{"reassign without team", rule(`{"name": "a", "match": {"tier": ["vip"]}, "breach": ["reassign"], "clocks": {"resolution": {"spec": "1h"}}}`), "needs a team"},
		{"notify with team", `{"task_overdue": ["notify:x"], "rules": [{"name": "all", "clocks": {"resolution": {"spec": "15ld"}}}]}`, "takes no team"},
		{"unknown severity", rule(`{"name": "a", "match": {"severity": ["dire"]}, "clocks": {"resolution": {"spec": "1h"}}}`), `unknown severity "dire"`},
		{"unknown channel", rule(`{"name": "a", "match": {"channel": ["fax"]}, "clocks": {"resolution": {"spec": "1h"}}}`), `unknown channel "fax"`},
		{"unknown calendar", rule(`{"name": "a", "match": {"tier": ["vip"]}, "calendar": "mars.cal", "clocks": {"resolution": {"spec": "1h"}}}`), `calendar "mars.cal"`},
	} {
		_, err := ParsePolicies([]byte(tc.src), t.TempDir())
		if !errors.Is(err, ErrInvalidPolicy) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one containing %q", tc.name, err, tc.want)
		}
	}
}

func TestLoadPoliciesWithCalendarFile(t *testing.T) {
	dir := t.TempDir()
	cal := "zone Europe/London\nhours mon-fri 09:00-17:00\n"
	pol := `{"calendar": "office.cal", "rules": [{"name": "all", "clocks": {"resolution": {"spec": "8bd"}}}]}`
	if err := os.WriteFile(filepath.Join(dir, "office.cal"), []byte(cal), 0o600); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "sla.json")
	if err := os.WriteFile(path, []byte(pol), 0o600); err != nil {
		t.Fatal(err)
	}
	p, err := LoadPolicies(path)
	if err != nil {
		t.Fatal(err)
	}
	if loc := p.Rules[0].CalendarOf().Location().String(); loc != "Europe/London" {
		t.Errorf("calendar file relative to the policy file: zone %s", loc)
	}
	if _, err := LoadPolicies(filepath.Join(dir, "missing.json")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
}

func TestActionText(t *testing.T) {
	for _, s := range []string{"notify", "raise_priority", "reassign:disputes_l2", "escalate", "escalate:risk_leads"} {
		var a Action
		if err := a.UnmarshalText([]byte(s)); err != nil {
			t.Errorf("%s: %v", s, err)
		}
		if b, _ := a.MarshalText(); string(b) != s {
			t.Errorf("%s round-trips as %s", s, b)
		}
	}
	var a Action
	if err := a.UnmarshalText([]byte("reassign:" + strings.Repeat("x", 65))); err == nil {
		t.Error("an over-long team must be refused")
	}
}

func TestDefaultPoliciesJSONIsTheBuiltIn(t *testing.T) {
	p, err := ParsePolicies(DefaultPoliciesJSON(), "")
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Rules) != len(DefaultPolicies().Rules) {
		t.Error("DefaultPoliciesJSON and DefaultPolicies differ")
	}
}
