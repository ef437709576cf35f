package triage

import (
	"context"
	"encoding/json"

	"github.com/redress-project/redress/internal/assess/classify"
	"github.com/redress-project/redress/internal/complaint"
	"github.com/redress-project/redress/internal/store"
	"github.com/redress-project/redress/internal/taxonomy"
)

// CorrectionStats counts what StaffExamples found.
type CorrectionStats struct {
	Cases int // cases read
	// Labelled is how many cases staff classified (and so became examples).
	Labelled int
	// UnknownCategory counts cases staff put in a category the taxonomy no
	// longer has; they are left out.
	UnknownCategory int
	// ByCategory counts the examples per category.
	ByCategory map[string]int
}

// StaffLabel returns the category a person gave the case, from its
// history: the last classification by a member of staff, or the category
// staff chose when filing the case on the customer's behalf. ok is false
// when no person classified it (the system's own guesses are not labels).
func StaffLabel(events []complaint.Event) (category string, ok bool) {
	for _, e := range events {
		switch {
		case e.Kind == complaint.KindCreated && isPerson(e.Actor):
			var filed complaint.Case
			if json.Unmarshal(e.After, &filed) == nil && filed.Category != "" && filed.Category != complaint.DefaultCategory {
				category, ok = filed.Category, true
			}
		case e.Kind == complaint.KindClassified && isPerson(e.Actor):
			var cl complaint.Classification
			if json.Unmarshal(e.After, &cl) == nil {
				category, ok = cl.Category, cl.Category != complaint.DefaultCategory
			}
		}
	}
	return category, ok
}

// StaffExamples reads every case in st and returns, as training examples,
// the text of each case a person classified (see StaffLabel) labelled with
// that category: the corrections agents made in the triage queue and on
// misclassified cases. Categories tax does not have are skipped.
func StaffExamples(ctx context.Context, st *store.Store, tax *taxonomy.Taxonomy) ([]classify.Example, CorrectionStats, error) {
	stats := CorrectionStats{ByCategory: map[string]int{}}
	var out []classify.Example
	f := store.CaseFilter{Sort: "created", Limit: store.MaxLimit}
	for {
		page, err := st.ListCases(ctx, f)
		if err != nil {
			return nil, stats, err
		}
		for _, c := range page.Cases {
			stats.Cases++
			events, err := st.Events(ctx, c.ID)
			if err != nil {
				return nil, stats, err
			}
			label, ok := StaffLabel(events)
			if !ok {
				continue
			}
			if !tax.Has(label) {
				stats.UnknownCategory++
				continue
			}
			stats.Labelled++
			stats.ByCategory[label]++
			out = append(out, classify.Example{Text: CaseText(c, readHistory(events).repeats), Label: label})
		}
		if page.NextCursor == "" {
			return out, stats, nil
		}
		f.Cursor = page.NextCursor
	}
}
