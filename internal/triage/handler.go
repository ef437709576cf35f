// Package triage makes redress understand every complaint as it arrives:
// an outbox handler that, when a case is filed or a repeat complaint is
// linked to it, assesses its text (language, tone, urgency signals, kinds
// of personal data, predicted category), works out its severity from the
// taxonomy's rules and its priority from the severity and the urgency of
// the matter, with the reasons, and records all of it on the case as the
// system.
//
// A case staff have classified is never reclassified; its assessment
// still records what redress would suggest. A case whose category the
// model is unsure of (and the customer did not choose) is left in the
// category "uncategorized": the triage queue, where a person classifies
// it, and those corrections train the next model (redress train
// --from-db). docs/taxonomy.md describes the rules.
package triage

import (
	"context"
	"errors"
	"log/slog"

	"github.com/redress-project/redress/internal/access"
	"github.com/redress-project/redress/internal/assess/classify"
	"github.com/redress-project/redress/internal/complaint"
	"github.com/redress-project/redress/internal/desk"
	"github.com/redress-project/redress/internal/outbox"
	"github.com/redress-project/redress/internal/store"
	"github.com/redress-project/redress/internal/taxonomy"
)

// Options configure a Handler. The zero value is usable.
type Options struct {
	// ModelName identifies the model in assessments (LoadOrTrain returns
	// it).
	ModelName string
	// Threshold is the confidence below which the model's prediction is
	// not used; 0 means the taxonomy's triage threshold (default 0.5).
	Threshold float64
	// KeepTeam stops the handler from handing a case it classifies to its
	// category's team. Without it, a case still with the default team
	// (general), never assigned and held by nobody goes to the team of
	// its category.
	KeepTeam bool
	// Logger receives a line per case assessed; default slog.Default().
	Logger *slog.Logger
}

// Handler is the outbox handler that assesses cases.
type Handler struct {
	desk     *desk.Desk
	an       Analyzer
	keepTeam bool
	log      *slog.Logger
}

// Name is the handler's name in the outbox's logs.
const Name = "triage"

// New returns the triage handler. model may be nil (no predictions); a
// model whose labels are not all categories of tax is refused.
func New(d *desk.Desk, tax *taxonomy.Taxonomy, model *classify.Model, opts Options) (*Handler, error) {
	if d == nil || tax == nil {
		return nil, errors.New("triage: a desk and a taxonomy are required")
	}
	if model != nil {
		if err := CheckLabels(model, tax); err != nil {
			return nil, err
		}
	}
	if opts.Threshold < 0 || opts.Threshold > 1 {
		return nil, errors.New("triage: the threshold must be between 0 and 1")
	}
	h := &Handler{desk: d, keepTeam: opts.KeepTeam, log: opts.Logger,
		an: Analyzer{Taxonomy: tax, Model: model, ModelName: opts.ModelName, Threshold: opts.Threshold}}
	if h.log == nil {
		h.log = slog.Default()
	}
	return h, nil
}

// Handler returns h as an outbox.Handler, to pass to outbox.New.
func (h *Handler) Handler() outbox.Handler { return h }

// Analyzer returns the handler's analyzer (its taxonomy and model).
func (h *Handler) Analyzer() *Analyzer { return &h.an }

// Name is the handler's name, for the outbox's logs.
func (h *Handler) Name() string { return Name }

// Handle assesses the case of a created or repeat event; it ignores every
// other kind. It is idempotent: a case whose latest assessment covers all
// of its text is left alone, so a redelivered event adds nothing.
func (h *Handler) Handle(ctx context.Context, item store.OutboxItem) error {
	switch complaint.EventKind(item.Kind) {
	case complaint.KindCreated, complaint.KindRepeat:
	default:
		return nil
	}
	_, err := h.AssessCase(ctx, item.CaseRef)
	if errors.Is(err, complaint.ErrNotFound) {
		return nil // nothing to assess; redelivering would not change that
	}
	return err
}

// AssessCase assesses the case ref now, unless its latest assessment is
// current; it reports whether it recorded one. Steps already done by an
// interrupted earlier attempt are not repeated.
func (h *Handler) AssessCase(ctx context.Context, ref string) (bool, error) {
	sys := access.SystemPrincipal
	c, events, err := h.desk.View(ctx, sys, ref)
	if err != nil {
		return false, err
	}
	if Current(events) {
		return false, nil
	}
	d := h.an.Decide(c, events)
	if d.Apply {
		if d.Classification != (complaint.Classification{Category: c.Category, Severity: c.Severity, Priority: c.Priority}) {
			if c, _, err = h.desk.Classify(ctx, sys, ref, d.Classification); err != nil && !isNoChange(err) {
				return false, err
			}
		}
		if d.Team != "" && !h.keepTeam && c.Team == complaint.DefaultTeam && c.AssigneeID == 0 && !readHistory(events).assigned {
			if _, _, err = h.desk.Assign(ctx, sys, ref, complaint.Assignment{Team: d.Team}); err != nil && !isNoChange(err) {
				return false, err
			}
		}
	}
	if _, _, err := h.desk.Assess(ctx, sys, ref, d.Assessment); err != nil {
		return false, err
	}
	h.log.InfoContext(ctx, "triage: case assessed", "case", ref, "category", d.Classification.Category,
		"severity", d.Classification.Severity, "priority", d.Classification.Priority,
		"triage", d.Assessment.Triage, "applied", d.Apply, "confidence", d.Assessment.Confidence)
	return true, nil
}

func isNoChange(err error) bool {
	var re *complaint.RuleError
	return errors.As(err, &re) && re.Code == complaint.CodeNoChange
}
