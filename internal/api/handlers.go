package api

import (
	"net/http"
	"time"

	"github.com/redress-project/redress/internal/access"
	"github.com/redress-project/redress/internal/complaint"
)

// caseURL is the location of a case.
func caseURL(ref string) string { return Prefix + "/complaints/" + ref }

// fileComplaint opens a case. With an Idempotency-Key header, a repeated
// request (same key, same body, same caller) opens nothing new and answers
// like the first one: 201, the case as it is now, and Idempotent-Replayed:
// true. The same key with another body is a 422 idempotency_key_reused.
func (s *server) fileComplaint(w http.ResponseWriter, r *http.Request, p access.Principal) error {
	keys := r.Header.Values("Idempotency-Key")
	if len(keys) > 1 {
		return badRequest(CodeInvalidParameter, "Idempotency-Key", "send one Idempotency-Key header")
	}
	var key string
	if len(keys) == 1 {
		key = keys[0]
	}
	var d complaint.Draft
	if err := s.decode(w, r, &d); err != nil {
		return err
	}
	c, replayed, err := s.desk.File(r.Context(), p, d, key)
	if err != nil {
		return err
	}
	w.Header().Set("Location", caseURL(c.Ref))
	if replayed {
		w.Header().Set("Idempotent-Replayed", "true")
	}
	writeJSON(w, http.StatusCreated, caseView(c, viewerOf(p)))
	return nil
}

func (s *server) getComplaint(w http.ResponseWriter, r *http.Request, p access.Principal) error {
	c, err := s.desk.Get(r.Context(), p, r.PathValue("ref"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, caseView(c, viewerOf(p)))
	return nil
}

// TimelineView is the history of a case as the caller may see it.
type TimelineView struct {
	Ref    string      `json:"ref"`
	Events []EventView `json:"events"`
}

func (s *server) timeline(w http.ResponseWriter, r *http.Request, p access.Principal) error {
	ref := r.PathValue("ref")
	events, err := s.desk.Timeline(r.Context(), p, ref)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, TimelineView{Ref: ref, Events: eventViews(events, viewerOf(p))})
	return nil
}

// The request bodies of the commands on a case.
type (
	messageRequest struct {
		Body string `json:"body"`
	}
	transitionRequest struct {
		To     complaint.Status `json:"to"`
		Reason string           `json:"reason,omitempty"`
	}
	stageRequest struct {
		To     complaint.Stage `json:"to"`
		Reason string          `json:"reason,omitempty"`
	}
	assignmentRequest struct {
		Team         string `json:"team"`
		AssigneeID   int64  `json:"assignee_id,omitempty"`
		AssigneeName string `json:"assignee_name,omitempty"`
	}
	classificationRequest struct {
		Category string             `json:"category"`
		Severity complaint.Severity `json:"severity"`
		Priority complaint.Priority `json:"priority"`
	}
	taskRequest struct {
		Department string    `json:"department"`
		Title      string    `json:"title"`
		Due        time.Time `json:"due,omitzero"`
	}
	taskCloseRequest struct {
		Outcome string `json:"outcome"`
	}
	overrideRequest struct {
		Reason string `json:"reason"`
	}
)

// command decodes a request body into req and runs do, which calls the
// desk; names renames domain field names in validation errors to the
// request's. Every command answers 200 with a ChangeView.
func command[T any](s *server, w http.ResponseWriter, r *http.Request, p access.Principal,
	names map[string]string, do func(req *T) (*complaint.Case, []*complaint.Event, error)) error {
	var req T
	if err := s.decode(w, r, &req); err != nil {
		return err
	}
	c, events, err := do(&req)
	if err != nil {
		return renameFields(err, names)
	}
	writeJSON(w, http.StatusOK, changeView(c, events, p))
	return nil
}

func (s *server) postMessage(w http.ResponseWriter, r *http.Request, p access.Principal) error {
	return command(s, w, r, p, nil, func(req *messageRequest) (*complaint.Case, []*complaint.Event, error) {
		return s.desk.Message(r.Context(), p, r.PathValue("ref"), req.Body)
	})
}

func (s *server) addNote(w http.ResponseWriter, r *http.Request, p access.Principal) error {
	return command(s, w, r, p, nil, func(req *messageRequest) (*complaint.Case, []*complaint.Event, error) {
		return s.desk.Note(r.Context(), p, r.PathValue("ref"), req.Body)
	})
}

func (s *server) transition(w http.ResponseWriter, r *http.Request, p access.Principal) error {
	return command(s, w, r, p, map[string]string{"status": "to", "body": "reason"},
		func(req *transitionRequest) (*complaint.Case, []*complaint.Event, error) {
			if req.To == "" {
				return nil, nil, required("to", "the status to move to")
			}
			return s.desk.Transition(r.Context(), p, r.PathValue("ref"), req.To, req.Reason)
		})
}

func (s *server) advanceStage(w http.ResponseWriter, r *http.Request, p access.Principal) error {
	return command(s, w, r, p, map[string]string{"stage": "to", "body": "reason"},
		func(req *stageRequest) (*complaint.Case, []*complaint.Event, error) {
			if req.To == "" {
				return nil, nil, required("to", "the stage to move to")
			}
			return s.desk.AdvanceStage(r.Context(), p, r.PathValue("ref"), req.To, req.Reason)
		})
}

func (s *server) assign(w http.ResponseWriter, r *http.Request, p access.Principal) error {
	return command(s, w, r, p, nil, func(req *assignmentRequest) (*complaint.Case, []*complaint.Event, error) {
		if req.AssigneeID < 0 {
			return nil, nil, &complaint.ValidationError{Code: complaint.CodeInvalid, Field: "assignee_id",
				Message: "assignee_id must be a user id, or 0 (or absent) for no assignee"}
		}
		return s.desk.Assign(r.Context(), p, r.PathValue("ref"),
			complaint.Assignment{Team: req.Team, AssigneeID: req.AssigneeID, AssigneeName: req.AssigneeName})
	})
}

func (s *server) classify(w http.ResponseWriter, r *http.Request, p access.Principal) error {
	return command(s, w, r, p, nil, func(req *classificationRequest) (*complaint.Case, []*complaint.Event, error) {
		return s.desk.Classify(r.Context(), p, r.PathValue("ref"),
			complaint.Classification{Category: req.Category, Severity: req.Severity, Priority: req.Priority})
	})
}

func (s *server) linkTransaction(w http.ResponseWriter, r *http.Request, p access.Principal) error {
	return command(s, w, r, p, map[string]string{"transaction.": ""},
		func(req *complaint.Transaction) (*complaint.Case, []*complaint.Event, error) {
			return s.desk.LinkTransaction(r.Context(), p, r.PathValue("ref"), *req)
		})
}

func required(field, what string) error {
	return &complaint.ValidationError{Code: complaint.CodeRequired, Field: field, Message: field + " is required: " + what}
}

func (s *server) openTask(w http.ResponseWriter, r *http.Request, p access.Principal) error {
	return command(s, w, r, p, nil, func(req *taskRequest) (*complaint.Case, []*complaint.Event, error) {
		return s.desk.OpenTask(r.Context(), p, r.PathValue("ref"), req.Department, req.Title, req.Due)
	})
}

func (s *server) closeTask(w http.ResponseWriter, r *http.Request, p access.Principal) error {
	return command(s, w, r, p, nil, func(req *taskCloseRequest) (*complaint.Case, []*complaint.Event, error) {
		return s.desk.CloseTask(r.Context(), p, r.PathValue("ref"), r.PathValue("task"), req.Outcome)
	})
}

func (s *server) overrideResolve(w http.ResponseWriter, r *http.Request, p access.Principal) error {
	return command(s, w, r, p, nil, func(req *overrideRequest) (*complaint.Case, []*complaint.Event, error) {
		return s.desk.OverrideResolve(r.Context(), p, r.PathValue("ref"), req.Reason)
	})
}
