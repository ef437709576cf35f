package api

import (
	"context"
	"log/slog"
	"net/http"
	"slices"
	"testing"

	"github.com/redress-project/redress/internal/assign"
	"github.com/redress-project/redress/internal/complaint"
	"github.com/redress-project/redress/internal/store"
)

func TestSetAgentProfile(t *testing.T) {
	each(t, func(t *testing.T, h *harness) {
		quiet := slog.New(slog.DiscardHandler)
		assigner := assign.New(h.desk, h.st, assign.Options{Logger: quiet})
		h.h = New(h.desk, Options{Logger: quiet, Profile: assigner.Profile})
		ctx := context.Background()
		// The supervisor is off shift: the agent's cases can only go to agent2.
		if err := h.st.SetAgentAvailability(ctx, supervisor.UserID, store.AvailabilityOffShift); err != nil {
			t.Fatal(err)
		}
		url := path("/agents/%d/profile", agent.UserID)
		got := must[ProfileChangeView](t, h.do(&supervisor, "POST", url, map[string]any{"capacity": 4}), http.StatusOK)
		if got.AgentID != agent.UserID || got.Profile.Capacity != 4 || got.Profile.Languages == nil || len(got.Moved)+len(got.Stuck) != 0 {
			t.Fatalf("answer %+v", got)
		}
		var refs []string
		for range 4 {
			c := h.fileFor("cust-A", nil)
			if _, _, err := h.desk.Assign(ctx, agent, c.Ref, complaint.Assignment{Team: "payments", AssigneeID: agent.UserID}); err != nil {
				t.Fatal(err)
			}
			refs = append(refs, c.Ref)
		}

		lower := map[string]any{"languages": []string{"zh-Hans"}, "categories": []string{}, "channels": []string{},
			"capacity": 1, "calendar": "none", "hours": ""}
		wantError(t, h.do(&agent, "POST", url, lower), http.StatusForbidden, CodeForbidden, "")
		wantError(t, h.do(&custA, "POST", url, lower), http.StatusForbidden, CodeForbidden, "")
		wantError(t, h.do(nil, "POST", url, lower), http.StatusUnauthorized, CodeUnauthenticated, "")
		wantError(t, h.do(&supervisor, "POST", path("/agents/%d/profile", 99999), lower), http.StatusNotFound, CodeNotFound, "")
		wantError(t, h.do(&supervisor, "POST", path("/agents/%d/profile", custA.UserID), lower), http.StatusNotFound, CodeNotFound, "")
		wantError(t, h.do(&supervisor, "POST", url, map[string]any{}), http.StatusUnprocessableEntity, complaint.CodeRequired, "capacity")
		wantError(t, h.do(&supervisor, "POST", url, map[string]any{"capacity": -1}), http.StatusUnprocessableEntity, complaint.CodeInvalid, "capacity")
		wantError(t, h.do(&supervisor, "POST", url, map[string]any{"capacity": 1, "calendar": "atlantis"}), http.StatusUnprocessableEntity, complaint.CodeInvalid, "calendar")
		wantError(t, h.do(&supervisor, "POST", url, map[string]any{"capacity": 1, "calendar": "cn", "hours": "9 to 5"}), http.StatusUnprocessableEntity, complaint.CodeInvalid, "hours")
		wantError(t, h.do(&supervisor, "POST", url, map[string]any{"capacity": 1, "shift": "x"}), http.StatusBadRequest, CodeUnknownField, "shift")
		for _, ref := range refs {
			if c, err := h.desk.Get(ctx, agent, ref); err != nil || c.AssigneeID != agent.UserID {
				t.Fatalf("a refused request moved %s: %+v, %v", ref, c, err)
			}
		}

		got = must[ProfileChangeView](t, h.do(&supervisor, "POST", url, lower), http.StatusOK)
		want := ProfileView{Languages: []string{"zh-Hans"}, Categories: []string{}, Channels: []string{}, Capacity: 1, Calendar: "none"}
		if got.AgentID != agent.UserID || !slices.Equal(got.Profile.Languages, want.Languages) || got.Profile.Capacity != 1 ||
			got.Profile.Calendar != "none" || len(got.Moved) != 3 || len(got.Stuck) != 0 {
			t.Fatalf("answer %+v", got)
		}
		for _, m := range got.Moved {
			c, err := h.desk.Get(ctx, supervisor, m.CaseRef)
			if err != nil {
				t.Fatal(err)
			}
			if m.ToAgentID != agent2.UserID || c.AssigneeID != agent2.UserID {
				t.Errorf("move %+v; the case is with %d", m, c.AssigneeID)
			}
		}

		// Without the option the route is not served.
		h.h = New(h.desk, Options{Logger: quiet})
		wantError(t, h.do(&supervisor, "POST", url, lower), http.StatusNotFound, CodeNotFound, "")
	})
}
