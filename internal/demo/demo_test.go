package demo

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/redress-project/redress/internal/auth"
	"github.com/redress-project/redress/internal/complaint"
	"github.com/redress-project/redress/internal/store"
	"github.com/redress-project/redress/internal/store/storetest"
	"github.com/redress-project/redress/internal/taxonomy"
)

// testNow is the demo's present in tests, so that runs are comparable.
var testNow = time.Date(2026, 11, 20, 9, 30, 0, 0, time.UTC)

func TestGeneratorWritesValidFilledDrafts(t *testing.T) {
	g := NewGenerator(7, testNow)
	for i := range 3000 {
		p := g.plan(i)
		for _, d := range []complaint.Draft{p.full, p.draft} {
			d.Normalize()
			if err := d.Validate(); err != nil {
				t.Fatalf("plan %d: draft does not validate: %v\n%+v", i, err, d)
			}
			for _, s := range []string{d.Subject, d.Description} {
				if strings.ContainsAny(s, "{}") {
					t.Fatalf("plan %d: unfilled slot in %q", i, s)
				}
			}
		}
		for _, a := range p.actions {
			if rest := strings.ReplaceAll(a.text, "{ref}", ""); strings.ContainsAny(rest, "{}") {
				t.Fatalf("plan %d: unfilled slot in action text %q", i, a.text)
			}
		}
		if p.filedAt.After(testNow) || p.filedAt.Before(testNow.Add(-Window-60*day)) {
			t.Fatalf("plan %d: filed at %v, outside the demo window before %v", i, p.filedAt, testNow)
		}
		for _, tx := range p.full.Transactions {
			if !tx.Time.Before(p.filedAt) {
				t.Fatalf("plan %d: transaction at %v is not before filing at %v", i, tx.Time, p.filedAt)
			}
		}
	}
}

func TestGeneratorIsDeterministic(t *testing.T) {
	a, b, c := NewGenerator(42, testNow), NewGenerator(42, testNow), NewGenerator(43, testNow)
	same := 0
	for i := range 200 {
		da, db := a.Draft(i), b.Draft(i)
		ja, _ := json.Marshal(da)
		jb, _ := json.Marshal(db)
		if string(ja) != string(jb) {
			t.Fatalf("draft %d differs between two generators with one seed:\n%s\n%s", i, ja, jb)
		}
		if c.Draft(i).Description == da.Description {
			same++
		}
	}
	if same > 20 {
		t.Errorf("%d of 200 drafts are the same under another seed", same)
	}
}

func TestAmountsAreRealistic(t *testing.T) {
	g := NewGenerator(1, testNow)
	for i := range 2000 {
		p := g.plan(i)
		for _, tx := range p.full.Transactions {
			if tx.Amount.Minor <= 0 {
				t.Fatalf("plan %d: non-positive amount %v", i, tx.Amount)
			}
			if tx.Amount.Currency == "CNY" && tx.Amount.Minor > 30_000_000 {
				t.Fatalf("plan %d: implausible amount %v", i, tx.Amount)
			}
		}
	}
	if got := formatMoney(complaint.Money{Minor: 128050, Currency: "CNY"}, hans); got != "1,280.50元" {
		t.Errorf("formatMoney CNY = %q", got)
	}
	if got := formatMoney(complaint.Money{Minor: 99, Currency: "USD"}, latin); got != "$0.99" {
		t.Errorf("formatMoney USD = %q", got)
	}
	if got := formatMoney(complaint.Money{Minor: 128000, Currency: "TWD"}, hant); got != "NT$1,280" {
		t.Errorf("formatMoney TWD = %q", got)
	}
}

func TestPhonesAndNames(t *testing.T) {
	g := NewGenerator(3, testNow)
	mainland := 0
	for i := range 1000 {
		c := g.plan(i).customer
		if c.region.lang == "zh-CN" {
			digits := strings.Map(func(r rune) rune {
				if unicode.IsDigit(r) {
					return r
				}
				return -1
			}, strings.TrimPrefix(c.Phone, "+86"))
			if len(digits) != 11 || digits[0] != '1' || digits[1] < '3' {
				t.Fatalf("mainland phone %q is not in the mobile format", c.Phone)
			}
			mainland++
		}
		if c.Email != "" && !strings.HasSuffix(c.Email, ".example.com") && !strings.Contains(c.Email, "@example.") && !strings.HasSuffix(c.Email, "@"+emailDomain) {
			t.Fatalf("customer email %q is not on a reserved domain", c.Email)
		}
	}
	if mainland < 400 {
		t.Errorf("only %d of 1000 customers are in mainland China", mainland)
	}
	if got := maskedPhone("+86 138 1234 5678"); got != "138****5678" {
		t.Errorf("maskedPhone = %q", got)
	}
}

// seedForTest seeds n cases into a fresh SQLite store.
func seedForTest(t *testing.T, n int, seed int64) (*store.Store, Accounts) {
	t.Helper()
	st := storetest.Open(t, "sqlite")
	start := time.Now()
	accounts, err := Seed(context.Background(), st, Options{Cases: n, Seed: seed, Now: testNow})
	if err != nil {
		t.Fatalf("Seed: %v", err)
	}
	t.Logf("seeded %d cases in %v", n, time.Since(start).Round(time.Millisecond))
	return st, accounts
}

// allCases lists every case in the store, oldest first.
func allCases(t *testing.T, st *store.Store) []*complaint.Case {
	t.Helper()
	var out []*complaint.Case
	f := store.CaseFilter{Sort: "created", Limit: store.MaxLimit}
	for {
		page, err := st.ListCases(context.Background(), f)
		if err != nil {
			t.Fatalf("ListCases: %v", err)
		}
		out = append(out, page.Cases...)
		if page.NextCursor == "" {
			return out
		}
		f.Cursor = page.NextCursor
	}
}

func TestSeedCoversEveryStatusStageChannelTeamAndCategory(t *testing.T) {
	const n = 600
	st, accounts := seedForTest(t, n, 1)
	cases := allCases(t, st)
	if len(cases) != n {
		t.Fatalf("store has %d cases, want %d", len(cases), n)
	}
	seen := map[string]map[string]int{}
	count := func(dim, v string) {
		if seen[dim] == nil {
			seen[dim] = map[string]int{}
		}
		seen[dim][v]++
	}
	for _, c := range cases {
		count("status", string(c.Status))
		count("stage", string(c.Stage))
		count("channel", string(c.Channel))
		count("team", c.Team)
		count("category", c.Category)
		count("language", c.Language)
		if slices.Contains(c.Merchants(), DemoMerchantID) {
			count("merchant", DemoMerchantID)
		}
		count("customer", c.Customer.ID)
	}
	want := map[string][]string{
		"status":   strs(complaint.Statuses),
		"stage":    strs(complaint.Stages),
		"channel":  strs(complaint.Channels),
		"team":     Teams,
		"category": Categories,
		"language": {"zh-CN", "zh-HK", "zh-TW", "en", "en-US", "en-GB"},
	}
	for dim, values := range want {
		for _, v := range values {
			if seen[dim][v] == 0 {
				t.Errorf("no case has %s %q; seen: %v", dim, v, seen[dim])
			}
		}
	}
	t.Logf("statuses: %v", seen["status"])
	t.Logf("stages: %v", seen["stage"])
	t.Logf("channels: %v", seen["channel"])
	if got := seen["merchant"][DemoMerchantID]; got < n/20 {
		t.Errorf("the demo merchant is on %d cases, want at least %d", got, n/20)
	}
	for _, acct := range []Account{accounts.Customer, accounts.Customer2} {
		if seen["customer"][acct.CustomerID] == 0 {
			t.Errorf("demo customer %s owns no case", acct.Email)
		}
	}
	if r, a := seen["channel"]["regulator"], seen["channel"]["app"]; r*4 > a {
		t.Errorf("regulator referrals (%d) are not rarer than app complaints (%d)", r, a)
	}
}

func strs[T ~string](vs []T) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = string(v)
	}
	return out
}

func TestSeedTextsAreChineseAndEnglish(t *testing.T) {
	st, _ := seedForTest(t, 120, 2)
	var zh, hantCount, en int
	for _, c := range allCases(t, st) {
		switch {
		case strings.HasPrefix(c.Language, "zh"):
			if !hasHan(c.Subject) || !hasHan(c.Description) {
				t.Errorf("%s: %s case without Chinese text: %q", c.Ref, c.Language, c.Subject)
			}
			zh++
			if c.Language != "zh-CN" {
				hantCount++
			}
		case strings.HasPrefix(c.Language, "en"):
			if hasHan(c.Subject) || hasHan(c.Description) {
				t.Errorf("%s: English case with Chinese text: %q", c.Ref, c.Description)
			}
			en++
		default:
			t.Errorf("%s: unexpected language %q", c.Ref, c.Language)
		}
	}
	if zh == 0 || en == 0 || hantCount == 0 || zh < en {
		t.Errorf("languages: %d Chinese (%d traditional), %d English; want mostly Chinese and some of each", zh, hantCount, en)
	}
}

func hasHan(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool { return unicode.Is(unicode.Han, r) }) >= 0
}

func TestSeedHistoriesReplayAndStayInThePast(t *testing.T) {
	st, _ := seedForTest(t, 300, 3)
	ctx := context.Background()
	kinds := map[complaint.EventKind]int{}
	for _, c := range allCases(t, st) {
		events, err := st.Events(ctx, c.ID)
		if err != nil {
			t.Fatalf("Events(%s): %v", c.Ref, err)
		}
		if err := complaint.VerifyChain(events); err != nil {
			t.Fatalf("%s: chain does not verify: %v", c.Ref, err)
		}
		replayed, err := complaint.Replay(c.ID, events)
		if err != nil {
			t.Fatalf("%s: replay: %v", c.Ref, err)
		}
		stored, err := st.CaseByRef(ctx, c.Ref)
		if err != nil {
			t.Fatalf("CaseByRef(%s): %v", c.Ref, err)
		}
		if a, b := caseJSON(t, replayed), caseJSON(t, stored); a != b {
			t.Fatalf("%s: replayed case differs from the stored one:\nreplayed %s\nstored   %s", c.Ref, a, b)
		}
		prev := time.Time{}
		for _, e := range events {
			kinds[e.Kind]++
			if e.At.After(testNow) {
				t.Fatalf("%s: event %d at %v is after now (%v)", c.Ref, e.Seq, e.At, testNow)
			}
			if e.At.Before(prev) || e.At.Before(stored.CreatedAt) {
				t.Fatalf("%s: event %d at %v goes back in time", c.Ref, e.Seq, e.At)
			}
			prev = e.At
		}
		if (c.Category == CategoryFraud || c.Category == CategoryAccountSecurity) &&
			c.Severity != complaint.SeverityHigh && c.Severity != complaint.SeverityCritical {
			t.Errorf("%s: %s case with severity %s", c.Ref, c.Category, c.Severity)
		}
		if c.Team != TeamFor(c.Category) && c.Team != TeamService { // service: misrouted, not yet corrected
			t.Errorf("%s: %s case held by team %s", c.Ref, c.Category, c.Team)
		}
	}
	for _, k := range []complaint.EventKind{complaint.KindCreated, complaint.KindStatusChanged, complaint.KindStageChanged,
		complaint.KindMessage, complaint.KindNote, complaint.KindAssigned, complaint.KindClassified, complaint.KindTransactionLinked} {
		if kinds[k] == 0 {
			t.Errorf("no %s event in the demo histories", k)
		}
	}
	t.Logf("event kinds: %v", kinds)
}

// caseJSON is the case's full state as JSON, including what its JSON form
// leaves out.
func caseJSON(t *testing.T, c *complaint.Case) string {
	t.Helper()
	b, err := json.Marshal(struct {
		*complaint.Case
		ID       int64
		LastHash string
	}{c, c.ID, c.LastHash})
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestSeedIsDeterministic(t *testing.T) {
	subjects := func(seed int64) []string {
		st, _ := seedForTest(t, 60, seed)
		var out []string
		for _, c := range allCases(t, st) {
			out = append(out, c.Subject+" | "+string(c.Status))
		}
		return out
	}
	a, b := subjects(9), subjects(9)
	if !slices.Equal(a, b) {
		t.Fatalf("two seeds with seed 9 differ:\n%v\n%v", a, b)
	}
	if c := subjects(10); slices.Equal(a, c) {
		t.Fatal("seeds 9 and 10 gave the same demo")
	}
}

func TestHistoryMatchesDesk(t *testing.T) {
	ctx := context.Background()
	seed := func(viaDesk bool) *store.Store {
		st := storetest.Open(t, "sqlite")
		if _, err := Seed(ctx, st, Options{Cases: 80, Seed: 11, Now: testNow, ViaDesk: viaDesk}); err != nil {
			t.Fatalf("Seed(ViaDesk=%v): %v", viaDesk, err)
		}
		return st
	}
	batched, desked := seed(false), seed(true)
	a, b := allCases(t, batched), allCases(t, desked)
	if len(a) != len(b) {
		t.Fatalf("%d cases in one write each, %d through the desk", len(a), len(b))
	}
	for i := range a {
		if ja, jb := anonymous(t, a[i]), anonymous(t, b[i]); ja != jb {
			t.Fatalf("case %d differs:\nin one write  %s\nthrough desk  %s", i, ja, jb)
		}
		ea, err := batched.Events(ctx, a[i].ID)
		if err != nil {
			t.Fatal(err)
		}
		eb, err := desked.Events(ctx, b[i].ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(ea) != len(eb) {
			t.Fatalf("case %d: %d events in one write, %d through the desk", i, len(ea), len(eb))
		}
		for k := range ea {
			if x, y := eventShape(ea[k], a[i].Ref), eventShape(eb[k], b[i].Ref); x != y {
				t.Fatalf("case %d event %d differs:\nin one write  %s\nthrough desk  %s", i, k+1, x, y)
			}
		}
	}
}

// anonymous is a case's state without what differs between two stores:
// its id, its random reference and the hashes that cover the reference.
func anonymous(t *testing.T, c *complaint.Case) string {
	cp := *c
	cp.ID, cp.Ref, cp.LastHash = 0, "", ""
	return caseJSON(t, &cp)
}

// eventShape is an event without its ids and hashes, its case reference
// replaced by a placeholder.
func eventShape(e complaint.Event, ref string) string {
	e.ID, e.CaseID, e.CaseRef, e.Hash, e.PrevHash = 0, 0, "", "", ""
	b, _ := json.Marshal(e)
	return strings.ReplaceAll(string(b), ref, "{ref}")
}

// BenchmarkSeed seeds the default demo on SQLite, as "redress demo" does:
//
//	go test -run '^$' -bench Seed -benchtime 1x ./internal/demo
func BenchmarkSeed(b *testing.B) { benchmarkSeed(b, false) }

// BenchmarkSeedViaDesk seeds the default demo with one desk call per
// action, for comparison.
func BenchmarkSeedViaDesk(b *testing.B) { benchmarkSeed(b, true) }

func benchmarkSeed(b *testing.B, viaDesk bool) {
	for b.Loop() {
		b.StopTimer()
		st := storetest.Open(b, "sqlite")
		b.StartTimer()
		if _, err := Seed(context.Background(), st, Options{Cases: DefaultCases, Seed: 1, ViaDesk: viaDesk}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(DefaultCases)*float64(b.N)/b.Elapsed().Seconds(), "cases/s")
}

// BenchmarkDraft measures writing one complaint for the intake benchmark.
func BenchmarkDraft(b *testing.B) {
	g := NewGenerator(1, testNow)
	for i := 0; b.Loop(); i++ {
		if _, err := json.Marshal(g.Draft(i)); err != nil {
			b.Fatal(err)
		}
	}
}

func TestDemoAccountsSignIn(t *testing.T) {
	st, accounts := seedForTest(t, 20, 1)
	au := auth.New(st, auth.Options{})
	roles := map[complaint.Role]bool{}
	for _, a := range accounts.All() {
		p, err := au.Login(context.Background(), httptest.NewRecorder(), a.Email, a.Password)
		if err != nil {
			t.Fatalf("%s cannot sign in with the demo password: %v", a.Email, err)
		}
		if p.Role != a.Role || p.UserID != a.ID {
			t.Errorf("%s signed in as %+v", a.Email, p)
		}
		roles[a.Role] = true
	}
	for _, r := range complaint.Roles {
		if !roles[r] {
			t.Errorf("no demo account with role %s", r)
		}
	}
	if _, err := au.Login(context.Background(), httptest.NewRecorder(), accounts.Agent().Email, "wrong-password"); err == nil {
		t.Error("a wrong password signed in")
	}
	if len(accounts.Agents) < 6 || accounts.Agent().Email != "agent@"+emailDomain {
		t.Errorf("agents: %d, first %s", len(accounts.Agents), accounts.Agent().Email)
	}
}

func TestCategoriesMatchTheTaxonomy(t *testing.T) {
	tax := taxonomy.Default()
	for _, c := range Categories {
		if !tax.Has(c) {
			t.Errorf("demo category %q is not in the default taxonomy", c)
			continue
		}
		// The taxonomy decides the team; the demo must staff it.
		if team := tax.Team(c); !slices.Contains(Teams, team) {
			t.Errorf("category %q goes to team %q, which has no demo agents (%v)", c, team, Teams)
		}
	}
}
