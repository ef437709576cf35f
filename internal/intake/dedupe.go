package intake

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"github.com/redress-project/redress/internal/complaint"
	"github.com/redress-project/redress/internal/store"
)

// Defaults of a Deduper.
const (
	// DefaultRepeatWindow is how long after a customer last complained
	// about an open case a new complaint about the same matter is taken
	// for a repeat of it.
	DefaultRepeatWindow = 30 * 24 * time.Hour
	// DefaultMinSimilarity is the Similarity from which two texts are
	// taken to be about the same matter.
	DefaultMinSimilarity = 0.5
)

// Deduper finds the open case a new complaint repeats: one of the same
// customer (the same customer id, email or phone number; two different
// customer ids are never the same customer), last complained about within
// the window, that names one of the same transactions or, when the two do
// not name different transactions, whose text is similar enough.
type Deduper struct {
	Store *store.Store
	// Window is DefaultRepeatWindow when 0.
	Window time.Duration
	// MinSimilarity is DefaultMinSimilarity when 0.
	MinSimilarity float64
}

// Match is the case a complaint repeats, and why.
type Match struct {
	Case          *complaint.Case
	TransactionID string  // the transaction both name, if that is the reason
	Similarity    float64 // of the texts, if that is the reason
	Reason        string  // for people: "same transaction T1", "similar text (0.72)"
}

func (d *Deduper) window() time.Duration {
	if d.Window > 0 {
		return d.Window
	}
	return DefaultRepeatWindow
}

func (d *Deduper) minSimilarity() float64 {
	if d.MinSimilarity > 0 {
		return d.MinSimilarity
	}
	return DefaultMinSimilarity
}

// Find returns the open case that a complaint with draft d, naming the
// transactions txnIDs and received at, repeats; nil if there is none.
// matchText is the text compared with the cases' ("" means the draft's
// subject and description).
func (d *Deduper) Find(ctx context.Context, draft complaint.Draft, txnIDs []string, matchText string, at time.Time) (*Match, error) {
	keys := customerKeys(draft.Customer)
	if keys.ID == "" && keys.Email == "" && len(keys.Phones) == 0 {
		return nil, nil
	}
	since := at.Add(-d.window())
	byCustomer, err := d.Store.OpenCasesOfCustomer(ctx, keys, since)
	if err != nil {
		return nil, err
	}
	byTxn, err := d.Store.OpenCasesWithTransactions(ctx, txnIDs, since)
	if err != nil {
		return nil, err
	}
	candidates := append(byCustomer, byTxn...)
	refs := make([]string, len(candidates))
	for i, rc := range candidates {
		refs[i] = rc.Case.Ref
	}
	senders, err := d.Store.CustomersOfCases(ctx, refs)
	if err != nil {
		return nil, err
	}
	seen := map[int64]bool{}
	if matchText == "" {
		matchText = draft.Subject + "\n" + draft.Description
	}
	var best *Match
	var bestSeen time.Time
	for _, rc := range candidates {
		c := rc.Case
		if seen[c.ID] || !ofCustomer(draft.Customer, c, senders[c.Ref]) || rc.LastSeen.After(at.Add(d.window())) {
			continue
		}
		seen[c.ID] = true
		m := d.compare(c, txnIDs, matchText)
		if m == nil {
			continue
		}
		// A shared transaction beats similar text; then the more similar;
		// then the case complained about most recently.
		if best == nil || better(m, rc.LastSeen, best, bestSeen) {
			best, bestSeen = m, rc.LastSeen
		}
	}
	return best, nil
}

func better(m *Match, seen time.Time, than *Match, thanSeen time.Time) bool {
	if (m.TransactionID != "") != (than.TransactionID != "") {
		return m.TransactionID != ""
	}
	if m.Similarity != than.Similarity {
		return m.Similarity > than.Similarity
	}
	return seen.After(thanSeen)
}

// compare decides whether a complaint about txnIDs with text repeats case c.
func (d *Deduper) compare(c *complaint.Case, txnIDs []string, text string) *Match {
	for _, id := range txnIDs {
		if slices.ContainsFunc(c.Transactions, func(t complaint.Transaction) bool { return t.ID == id }) {
			return &Match{Case: c, TransactionID: id, Reason: "same transaction " + id}
		}
	}
	// Two complaints naming different payments are about different matters
	// however alike their words (the same double charge, twice).
	if len(txnIDs) > 0 && len(c.Transactions) > 0 {
		return nil
	}
	sim := Similarity(text, c.Subject+"\n"+c.Description)
	if sim < d.minSimilarity() {
		return nil
	}
	return &Match{Case: c, Similarity: sim, Reason: fmt.Sprintf("similar text (%.2f)", sim)}
}

// ofCustomer reports whether case c is the customer's: its own customer
// is, or (unless the case's customer id says otherwise) one of the senders
// of the messages linked to it is.
func ofCustomer(cust complaint.Customer, c *complaint.Case, senders []complaint.Customer) bool {
	if SameCustomer(cust, c.Customer) {
		return true
	}
	if cust.ID != "" && c.Customer.ID != "" {
		return false // the case belongs to another customer id
	}
	for _, s := range senders {
		if SameCustomer(cust, s) {
			return true
		}
	}
	return false
}

// SameCustomer reports whether two customer records are the same person:
// equal customer ids, or (when not both have an id) an equal email or
// phone number.
func SameCustomer(a, b complaint.Customer) bool {
	if a.ID != "" && b.ID != "" {
		return a.ID == b.ID
	}
	if a.Email != "" && strings.EqualFold(a.Email, b.Email) {
		return true
	}
	pa, pb := NormalizePhone(a.Phone), NormalizePhone(b.Phone)
	return pa != "" && pa == pb
}

// NormalizePhone returns a phone number in one form for comparison:
// digits only, a Chinese number without its country code (+86, 0086 or 86
// before an 11-digit mobile number), other international numbers with
// their country code after a +. It is "" for fewer than 7 digits.
func NormalizePhone(s string) string {
	s = strings.TrimSpace(norm.NFKC.String(s))
	plus := strings.HasPrefix(s, "+")
	digits := strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, s)
	if strings.HasPrefix(digits, "00") {
		plus, digits = true, digits[2:]
	}
	switch {
	case plus && strings.HasPrefix(digits, "86"):
		digits = digits[2:]
		plus = false
	case !plus && len(digits) == 13 && strings.HasPrefix(digits, "861"):
		digits = digits[2:]
	}
	if len(digits) < 7 {
		return ""
	}
	if plus {
		return "+" + digits
	}
	return digits
}

// phoneForms are the ways a normalised number may be stored once spaces,
// hyphens and parentheses are taken out.
func phoneForms(n string) []string {
	if n == "" {
		return nil
	}
	if strings.HasPrefix(n, "+") {
		return []string{n, "00" + n[1:]}
	}
	return []string{n, "+86" + n, "0086" + n, "86" + n}
}

func customerKeys(c complaint.Customer) store.CustomerKeys {
	return store.CustomerKeys{ID: c.ID, Email: strings.ToLower(c.Email), Phones: phoneForms(NormalizePhone(c.Phone))}
}

// maxCompare bounds the characters of each text Similarity looks at.
const maxCompare = 4000

// Similarity is the cosine similarity of the character bigrams of two
// texts, between 0 (nothing in common) and 1 (the same bigrams as often).
// Texts are compared after NFKC normalisation (full-width letters and
// digits become ASCII) and lower-casing, on their letters and digits only:
// Chinese is compared two characters at a time, other words by the pairs of
// letters in them (with the word's edges), so it works for Chinese, English
// and a mix of them.
func Similarity(a, b string) float64 {
	va, vb := bigrams(a), bigrams(b)
	if len(va) == 0 || len(vb) == 0 {
		return 0
	}
	var dot, na, nb float64
	for g, x := range va {
		na += float64(x * x)
		if y, ok := vb[g]; ok {
			dot += float64(x * y)
		}
	}
	for _, y := range vb {
		nb += float64(y * y)
	}
	return dot / math.Sqrt(na*nb)
}

func bigrams(s string) map[string]int {
	s = strings.ToLower(norm.NFKC.String(s))
	out := map[string]int{}
	var run []rune
	han := false
	flush := func() {
		switch {
		case len(run) == 0:
		case han && len(run) == 1:
			out[string(run)]++
		case han:
			for i := 0; i+1 < len(run); i++ {
				out[string(run[i:i+2])]++
			}
		default:
			w := append(append([]rune{' '}, run...), ' ')
			for i := 0; i+1 < len(w); i++ {
				out[string(w[i:i+2])]++
			}
		}
		run = run[:0]
	}
	n := 0
	for _, r := range s {
		if n++; n > maxCompare {
			break
		}
		isHan := unicode.Is(unicode.Han, r)
		switch {
		case isHan:
			if !han {
				flush()
			}
			han = true
			run = append(run, r)
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if han {
				flush()
			}
			han = false
			run = append(run, r)
		default:
			flush()
		}
	}
	flush()
	return out
}

// raise is the priority one step more urgent than p (P1 stays P1).
func raise(p complaint.Priority) complaint.Priority {
	if r := p.Rank(); r > 1 {
		return complaint.Priorities[r-2]
	}
	return p
}
