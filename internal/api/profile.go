package api

import (
	"errors"
	"net/http"

	"github.com/redress-project/redress/internal/access"
	"github.com/redress-project/redress/internal/complaint"
	"github.com/redress-project/redress/internal/store"
)

type profileRequest struct {
	Languages  []string `json:"languages"`
	Categories []string `json:"categories"`
	Channels   []string `json:"channels"`
	Capacity   *int     `json:"capacity"`
	Calendar   string   `json:"calendar"`
	Hours      string   `json:"hours"`
}

// ProfileView is the routing profile of an agent: the skills they take
// (an empty list means any; their team's, when the team has a profile),
// how many open cases they hold at most, and their shift.
type ProfileView struct {
	Languages  []string `json:"languages"`
	Categories []string `json:"categories"`
	Channels   []string `json:"channels"`
	Capacity   int      `json:"capacity"`
	Calendar   string   `json:"calendar"`
	Hours      string   `json:"hours"`
}

// ProfileChangeView is the answer to a profile change: the stored profile,
// the cases rebalancing gave to other agents, and those nobody else could
// take, which stay with their holder.
type ProfileChangeView struct {
	AgentID int64       `json:"agent_id"`
	Profile ProfileView `json:"profile"`
	Moved   []MoveView  `json:"moved"`
	Stuck   []MoveView  `json:"stuck"`
}

func orEmpty(list []string) []string {
	if list == nil {
		return []string{}
	}
	return list
}

// setProfile stores an agent's skills, capacity and shift, then moves the
// cases of agents over capacity to others.
func (s *server) setProfile(w http.ResponseWriter, r *http.Request, p access.Principal) error {
	if s.opts.Profile == nil {
		return errNotFound
	}
	id, err := agentID(r)
	if err != nil {
		return err
	}
	var req profileRequest
	if err := s.decode(w, r, &req); err != nil {
		return err
	}
	if req.Capacity == nil {
		return required("capacity", "the most open cases the agent holds at once")
	}
	saved, moves, stuck, err := s.opts.Profile(r.Context(), p, id, store.AgentProfile{UserID: id,
		Languages: req.Languages, Categories: req.Categories, Channels: req.Channels,
		Capacity: *req.Capacity, Calendar: req.Calendar, Hours: req.Hours})
	if errors.Is(err, complaint.ErrNotFound) {
		return errNoAgent
	}
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, ProfileChangeView{AgentID: id,
		Profile: ProfileView{Languages: orEmpty(saved.Languages), Categories: orEmpty(saved.Categories),
			Channels: orEmpty(saved.Channels), Capacity: saved.Capacity, Calendar: saved.Calendar, Hours: saved.Hours},
		Moved: moveViews(moves, true), Stuck: moveViews(stuck, false)})
	return nil
}
