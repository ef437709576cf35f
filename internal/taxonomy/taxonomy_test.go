package taxonomy

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/redress-project/redress/internal/complaint"
)

func TestDefault(t *testing.T) {
	tax := Default()
	want := []string{"transaction_failure", "refund", "fraud", "account_security", "account_frozen", "privacy",
		"fees", "merchant_dispute", "credit", "marketing", "service", "other"}
	if got := tax.IDs(); !slices.Equal(got, want) {
		t.Errorf("ids %v, want %v", got, want)
	}
	if got := tax.CustomerChoices(); slices.Contains(got, "account_security") || len(got) != len(want)-1 {
		t.Errorf("customer choices %v: every top-level category, not the finer account_security", got)
	}
	teams := map[string]string{"transaction_failure": "payments", "refund": "refunds", "fraud": "fraud",
		"account_security": "fraud", "account_frozen": "fraud", "privacy": "privacy", "fees": "payments",
		"merchant_dispute": "merchant_disputes", "credit": "payments", "marketing": "service", "service": "service", "other": "general"}
	for id, team := range teams {
		if got := tax.Team(id); got != team {
			t.Errorf("team of %s: %q, want %q", id, got, team)
		}
	}
	for _, c := range tax.Categories() {
		for _, l := range ExampleLanguages {
			if n := len(c.Examples[l]); n < 10 || n > 30 {
				t.Errorf("%s has %d %s seed examples, want 10 to 30", c.ID, n, l)
			}
		}
		for _, l := range Languages {
			if c.Names[l] == "" {
				t.Errorf("%s has no %s name", c.ID, l)
			}
		}
	}
	if c, _ := tax.Category("account_security"); c.Parent != "fraud" || c.Depth != 1 || c.Severity != complaint.SeverityMedium {
		t.Errorf("account_security = %+v", c)
	}
	if !tax.IsA("account_security", "fraud") || tax.IsA("fraud", "account_security") || tax.IsA("nope", "fraud") {
		t.Error("IsA is wrong")
	}
	if n, ok := tax.Name("refund", "zh-Hant"); !ok || n != "退款問題" {
		t.Errorf("Name(refund, zh-Hant) = %q", n)
	}
	if n, ok := tax.Name("refund", "fr"); !ok || n != "Refund" {
		t.Errorf("Name(refund, fr) = %q (English is the fallback)", n)
	}
	if n, ok := tax.Name("chargeback", "en"); ok || n != "chargeback" {
		t.Errorf("an unknown id is its own name: %q %v", n, ok)
	}
	if tax.TriageThreshold() != 0.5 || tax.Source() != "embedded default" {
		t.Errorf("threshold %v source %q", tax.TriageThreshold(), tax.Source())
	}
	// The seed examples are all distinct.
	seen := map[string]string{}
	for _, e := range tax.Examples() {
		if prev, dup := seen[e.Text]; dup {
			t.Errorf("seed %q is in %s and %s", e.Text, prev, e.Category)
		}
		seen[e.Text] = e.Category
	}
}

// TestDefaultMatchesDemo checks that the categories the demo generator
// files complaints under are the taxonomy's (one list of ids).
func TestDefaultMatchesDemo(t *testing.T) {
	src, err := os.ReadFile("../demo/scenarios.go")
	if err != nil {
		t.Skipf("demo not readable: %v", err)
	}
	ids := regexp.MustCompile(`(?m)^\s*Category\w+\s*=\s*"([a-z_]+)"`).FindAllStringSubmatch(string(src), -1)
	if len(ids) == 0 {
		t.Skip("the demo declares its categories differently now")
	}
	for _, m := range ids {
		if !Default().Has(m[1]) {
			t.Errorf("the demo files complaints under %q, which the taxonomy lacks", m[1])
		}
	}
}

func TestLoadFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "tax.json")
	if err := os.WriteFile(path, DefaultJSON(), 0o644); err != nil {
		t.Fatal(err)
	}
	tax, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if tax.Source() != path || len(tax.IDs()) != len(Default().IDs()) {
		t.Errorf("loaded %s with %d categories", tax.Source(), len(tax.IDs()))
	}
	if _, err := Load(filepath.Join(t.TempDir(), "missing.json")); err == nil || !strings.Contains(err.Error(), "no such file") {
		t.Errorf("missing file: %v", err)
	}
}

// minimal is a small valid taxonomy to break in the tests.
func minimal() map[string]any {
	cat := func(id, team string, examples ...string) map[string]any {
		return map[string]any{"id": id, "team": team,
			"names":    map[string]any{"en": id, "zh-CN": id, "zh-TW": id},
			"examples": map[string]any{"en": examples}}
	}
	return map[string]any{
		"format": Format,
		"categories": []any{
			cat("refund", "refunds", "refund please", "where is my refund"),
			cat("fraud", "fraud", "I was scammed", "stolen money"),
		},
		"severity_rules": []any{
			map[string]any{"code": "big", "reason": "≥ {threshold}", "when": map[string]any{"at_stake": map[string]any{"currency": "CNY", "at_least": "100"}}, "at_least": "high"},
		},
		"vulnerability_terms": []any{"elderly", "老人"},
	}
}

func parse(t *testing.T, v any) (*Taxonomy, error) {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return Parse(b, "test.json")
}

func TestParseErrors(t *testing.T) {
	if _, err := parse(t, minimal()); err != nil {
		t.Fatalf("the minimal taxonomy: %v", err)
	}
	edit := func(f func(m map[string]any)) map[string]any {
		m := minimal()
		f(m)
		return m
	}
	cats := func(m map[string]any) []any { return m["categories"].([]any) }
	cat := func(m map[string]any, i int) map[string]any { return cats(m)[i].(map[string]any) }
	rule := func(m map[string]any) map[string]any { return m["severity_rules"].([]any)[0].(map[string]any) }
	cases := []struct {
		name string
		data any // a map, or raw text
		want []string
	}{
		{"syntax", "{\n  \"format\": \"redress-taxonomy/1\",\n  \"categories\": [\n}", []string{"test.json", "line 4", "invalid character"}},
		{"empty", "", []string{"the file is empty"}},
		{"truncated", `{"format": "redress-taxonomy/1", "categories": [`, []string{"ends in the middle"}},
		{"not UTF-8", "{\"format\": \"\xff\"}", []string{"not valid UTF-8"}},
		{"trailing", `{"format": "redress-taxonomy/1"} {}`, []string{"after the taxonomy"}},
		{"wrong type", `{"format": "redress-taxonomy/1", "categories": {"id": "x"}}`, []string{"line 1", "categories", "an object where a list was expected"}},
		{"unknown field", edit(func(m map[string]any) { cat(m, 0)["colour"] = "red" }), []string{`unknown field "colour"`}},
		{"format", edit(func(m map[string]any) { m["format"] = "v2" }), []string{"format", `"v2"`, Format}},
		{"threshold", edit(func(m map[string]any) { m["triage_threshold"] = 1.5 }), []string{"triage_threshold", "at most 1"}},
		{"no categories", edit(func(m map[string]any) { m["categories"] = []any{} }), []string{"no categories"}},
		{"bad id", edit(func(m map[string]any) { cat(m, 0)["id"] = "Refund" }), []string{"categories[0] (Refund)", "not an identifier"}},
		{"reserved id", edit(func(m map[string]any) { cat(m, 0)["id"] = "uncategorized" }), []string{"reserved"}},
		{"duplicate id", edit(func(m map[string]any) {
			cat(m, 1)["children"] = []any{map[string]any{"id": "refund", "names": map[string]any{"en": "a", "zh-CN": "a", "zh-TW": "a"}}}
		}), []string{"categories[1] (fraud).children[0] (refund)", "already used by categories[0] (refund)"}},
		{"missing name", edit(func(m map[string]any) { delete(cat(m, 1)["names"].(map[string]any), "zh-TW") }), []string{"categories[1] (fraud)", "names.zh-TW is missing"}},
		{"unknown name language", edit(func(m map[string]any) { cat(m, 1)["names"].(map[string]any)["fr"] = "x" }), []string{`unknown language "fr"`}},
		{"no team", edit(func(m map[string]any) { delete(cat(m, 0), "team") }), []string{"categories[0] (refund)", "team is missing"}},
		{"bad severity", edit(func(m map[string]any) { cat(m, 0)["severity"] = "urgent" }), []string{`severity "urgent"`, "low, medium, high, critical"}},
		{"bad example language", edit(func(m map[string]any) { cat(m, 0)["examples"] = map[string]any{"de": []any{"x"}} }), []string{`unknown language "de"`}},
		{"empty example", edit(func(m map[string]any) { cat(m, 0)["examples"] = map[string]any{"en": []any{" "}} }), []string{"examples.en[0] is empty"}},
		{"one trainable", edit(func(m map[string]any) { delete(cat(m, 1), "examples") }), []string{"at least two categories need seed examples"}},
		{"rule without effect", edit(func(m map[string]any) { delete(rule(m), "at_least") }), []string{"severity_rules[0] (big)", "does nothing"}},
		{"rule with both effects", edit(func(m map[string]any) { rule(m)["raise"] = 1 }), []string{"not both"}},
		{"rule unknown category", edit(func(m map[string]any) { rule(m)["when"] = map[string]any{"category": []any{"frud"}} }), []string{`unknown category "frud"`}},
		{"rule unknown channel", edit(func(m map[string]any) { rule(m)["when"] = map[string]any{"channel": []any{"fax"}} }), []string{`unknown channel "fax"`}},
		{"rule unknown signal", edit(func(m map[string]any) { rule(m)["when"] = map[string]any{"signal": []any{"sad"}} }), []string{`unknown signal "sad"`}},
		{"rule empty condition", edit(func(m map[string]any) { rule(m)["when"] = map[string]any{} }), []string{"when is empty"}},
		{"rule bad currency", edit(func(m map[string]any) {
			rule(m)["when"].(map[string]any)["at_stake"].(map[string]any)["currency"] = "RMB"
		}), []string{`"RMB" is not an ISO 4217`}},
		{"rule bad amount", edit(func(m map[string]any) {
			rule(m)["when"].(map[string]any)["at_stake"].(map[string]any)["at_least"] = "5,000"
		}), []string{`"5,000" is not an amount`}},
		{"rule too many decimals", edit(func(m map[string]any) {
			rule(m)["when"].(map[string]any)["at_stake"].(map[string]any)["at_least"] = "1.005"
		}), []string{"at most 2 decimals"}},
		{"rule threshold without amount", edit(func(m map[string]any) { rule(m)["when"] = map[string]any{"channel": []any{"app"}} }), []string{"{threshold}"}},
		{"rule no code", edit(func(m map[string]any) { delete(rule(m), "code") }), []string{"code: id is missing"}},
		{"rule raise out of range", edit(func(m map[string]any) { delete(rule(m), "at_least"); rule(m)["raise"] = 7 }), []string{"raise 7"}},
		{"empty term", edit(func(m map[string]any) { m["vulnerability_terms"] = []any{"ok", ""} }), []string{"vulnerability_terms[1]", "is empty"}},
	}
	for _, c := range cases {
		var err error
		if s, ok := c.data.(string); ok {
			_, err = Parse([]byte(s), "test.json")
		} else {
			_, err = parse(t, c.data)
		}
		if err == nil {
			t.Errorf("%s: accepted", c.name)
			continue
		}
		var te *Error
		if !errors.As(err, &te) {
			t.Errorf("%s: error %T is not a *taxonomy.Error", c.name, err)
		}
		for _, w := range c.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: error %q lacks %q", c.name, err, w)
			}
		}
	}
}

func TestChildInherits(t *testing.T) {
	m := minimal()
	fraud := m["categories"].([]any)[1].(map[string]any)
	fraud["severity"] = "high"
	fraud["children"] = []any{map[string]any{"id": "phishing", "names": map[string]any{"en": "a", "zh-CN": "a", "zh-TW": "a"}}}
	tax, err := parse(t, m)
	if err != nil {
		t.Fatal(err)
	}
	c, ok := tax.Category("phishing")
	if !ok || c.Team != "fraud" || c.Severity != complaint.SeverityHigh || c.Parent != "fraud" {
		t.Errorf("phishing = %+v", c)
	}
	if r, _ := tax.Category("refund"); r.Severity != complaint.SeverityMedium {
		t.Errorf("the default starting severity is medium, got %s", r.Severity)
	}
}

func cny(yuan int64) map[string]int64 { return map[string]int64{"CNY": yuan * 100} }

func TestSeverityRules(t *testing.T) {
	tax := Default()
	cases := []struct {
		name    string
		f       Facts
		want    complaint.Severity
		reasons []string
	}{
		{"plain refund", Facts{Category: "refund", Channel: complaint.ChannelApp, AtStake: cny(128)}, complaint.SeverityMedium, nil},
		{"service starts low", Facts{Category: "service"}, complaint.SeverityLow, nil},
		{"uncategorized is medium", Facts{Category: Uncategorized}, complaint.SeverityMedium, nil},
		{"amount just below", Facts{Category: "refund", AtStake: map[string]int64{"CNY": 499999}}, complaint.SeverityMedium, nil},
		{"amount 5,000", Facts{Category: "refund", AtStake: cny(5000)}, complaint.SeverityHigh,
			[]string{"amount_at_stake=CNY 5,000: amount at stake ≥ CNY 5,000"}},
		{"amount 50,000", Facts{Category: "service", AtStake: cny(80000)}, complaint.SeverityCritical,
			[]string{"amount_at_stake=CNY 50,000: amount at stake ≥ CNY 50,000"}},
		{"other currency", Facts{Category: "refund", AtStake: map[string]int64{"USD": 70000}}, complaint.SeverityHigh,
			[]string{"amount_at_stake=USD 700: amount at stake ≥ USD 700"}},
		{"currency without a rule", Facts{Category: "refund", AtStake: map[string]int64{"EUR": 10_000_000}}, complaint.SeverityMedium, nil},
		{"fraud", Facts{Category: "fraud"}, complaint.SeverityHigh, []string{"unauthorised_or_fraud: unauthorised payment, fraud or account takeover"}},
		{"account takeover is fraud", Facts{Category: "account_security"}, complaint.SeverityHigh, []string{"unauthorised_or_fraud: unauthorised payment, fraud or account takeover"}},
		{"fraud and a large amount", Facts{Category: "fraud", AtStake: cny(60000)}, complaint.SeverityCritical,
			[]string{"unauthorised_or_fraud: unauthorised payment, fraud or account takeover", "amount_at_stake=CNY 50,000: amount at stake ≥ CNY 50,000"}},
		{"regulator referral", Facts{Category: "marketing", Channel: complaint.ChannelRegulator}, complaint.SeverityHigh, []string{"regulator_referral: referred by a regulator"}},
		{"consumer association", Facts{Category: "other", Channel: complaint.ChannelConsumerAssociation}, complaint.SeverityHigh,
			[]string{"consumer_association_referral: referred by a consumer association"}},
		{"privacy at least medium", Facts{Category: "privacy"}, complaint.SeverityMedium, []string{"privacy_leak: personal data may have been leaked or misused"}},
		{"vulnerable raises", Facts{Category: "refund", Signals: []string{SignalVulnerable}}, complaint.SeverityHigh,
			[]string{"vulnerable_customer: the customer may be vulnerable (distress, old age, illness)"}},
		{"distress raises", Facts{Category: "service", Signals: []string{SignalDistress}}, complaint.SeverityMedium,
			[]string{"vulnerable_customer: the customer may be vulnerable (distress, old age, illness)"}},
		{"elderly fraud victim", Facts{Category: "fraud", Signals: []string{SignalVulnerable, SignalDistress}}, complaint.SeverityCritical,
			[]string{"unauthorised_or_fraud: unauthorised payment, fraud or account takeover", "vulnerable_customer: the customer may be vulnerable (distress, old age, illness)"}},
		{"self harm", Facts{Category: "refund", Signals: []string{SignalSelfHarm, SignalDistress}}, complaint.SeverityCritical,
			[]string{"self_harm: the customer speaks of harming themselves", "vulnerable_customer: the customer may be vulnerable (distress, old age, illness)"}},
		{"anger alone changes nothing", Facts{Category: "refund", Signals: []string{SignalAnger, SignalMediaThreat}}, complaint.SeverityMedium, nil},
	}
	for _, c := range cases {
		got, reasons := tax.Severity(c.f)
		if got != c.want {
			t.Errorf("%s: severity %s, want %s", c.name, got, c.want)
		}
		if s := ReasonStrings(reasons); !slices.Equal(s, c.reasons) && len(s)+len(c.reasons) > 0 {
			t.Errorf("%s: reasons\n%q, want\n%q", c.name, s, c.reasons)
		}
	}
}

func TestReasonRoundTrip(t *testing.T) {
	for _, r := range []Reason{
		{Code: "regulator_referral", Text: "referred by a regulator"},
		{Code: "amount_at_stake", Arg: "CNY 5,000", Text: "amount at stake ≥ CNY 5,000"},
		{Code: "anger"},
		{Code: "repeat_complaint", Arg: "2"},
	} {
		if got := ParseReason(r.String()); got != r {
			t.Errorf("%q parsed as %+v, want %+v", r.String(), got, r)
		}
	}
	if got := ParseReason("Some free text: with a colon"); got.Code != "" || got.Text != "Some free text: with a colon" {
		t.Errorf("free text parsed as %+v", got)
	}
}

func TestVulnerabilityTerms(t *testing.T) {
	tax := Default()
	cases := map[string][]string{
		"我父母被骗了，老人家的养老钱全没了":                         {"老人", "老人家", "父母被骗"},
		"我媽媽七十多歲了，被人騙了":                             {"七十多岁"},
		"My elderly mother was scammed":             {"elderly"},
		"My ELDERLY mother":                         {"elderly"},
		"The pensioners' association":               nil, // "pension" must be a whole word
		"I paid for a cancer screening, not a scam": {"cancer"},
		"退款一直没有到账":                                  nil,
	}
	for text, want := range cases {
		if got := tax.VulnerabilityTerms(text); !slices.Equal(got, want) {
			t.Errorf("%q: %q, want %q", text, got, want)
		}
	}
}

func TestFormatMoney(t *testing.T) {
	for m, want := range map[complaint.Money]string{
		{Minor: 500000, Currency: "CNY"}:    "CNY 5,000",
		{Minor: 5000050, Currency: "CNY"}:   "CNY 50,000.50",
		{Minor: 12, Currency: "CNY"}:        "CNY 0.12",
		{Minor: 1234567, Currency: "JPY"}:   "JPY 1,234,567",
		{Minor: 100000000, Currency: "USD"}: "USD 1,000,000",
	} {
		if got := FormatMoney(m); got != want {
			t.Errorf("%v: %q, want %q", m, got, want)
		}
	}
}
