package api

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/redress-project/redress/internal/access"
	"github.com/redress-project/redress/internal/complaint"
	"github.com/redress-project/redress/internal/route"
)

type availabilityRequest struct {
	Availability string `json:"availability"`
}

// AvailabilityView is the answer to an availability change: the agent's
// new availability, the cases given to other agents, and those nobody else
// could take, which stay with the agent.
type AvailabilityView struct {
	AgentID      int64      `json:"agent_id"`
	Availability string     `json:"availability"`
	Moved        []MoveView `json:"moved"`
	Stuck        []MoveView `json:"stuck"`
}

// MoveView is one case rebalancing moved (ToAgentID is the new holder) or
// left with its holder (ToAgentID is absent), with the reason.
type MoveView struct {
	CaseRef   string `json:"case_ref"`
	ToAgentID int64  `json:"to_agent_id,omitempty"`
	Reason    string `json:"reason"`
}

func moveViews(moves []route.Move, moved bool) []MoveView {
	out := make([]MoveView, 0, len(moves))
	for _, m := range moves {
		v := MoveView{CaseRef: m.CaseRef, Reason: m.Reason}
		if moved {
			v.ToAgentID = m.To.Agent.ID
		}
		out = append(out, v)
	}
	return out
}

var errNoAgent = &Error{Status: http.StatusNotFound, Code: CodeNotFound, Message: "no such agent"}

// agentID reads the {id} of an agents route; a malformed id names no agent.
func agentID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, errNoAgent
	}
	return id, nil
}

// setAvailability records whether an agent takes cases; going away or off
// shift moves their open cases to other agents.
func (s *server) setAvailability(w http.ResponseWriter, r *http.Request, p access.Principal) error {
	if s.opts.Availability == nil {
		return errNotFound
	}
	id, err := agentID(r)
	if err != nil {
		return err
	}
	var req availabilityRequest
	if err := s.decode(w, r, &req); err != nil {
		return err
	}
	av := route.Availability(req.Availability)
	if req.Availability == "" {
		return required("availability", "online, away or off_shift")
	}
	moves, stuck, err := s.opts.Availability(r.Context(), p, id, av)
	if errors.Is(err, complaint.ErrNotFound) {
		return errNoAgent
	}
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, AvailabilityView{AgentID: id, Availability: string(av),
		Moved: moveViews(moves, true), Stuck: moveViews(stuck, false)})
	return nil
}
