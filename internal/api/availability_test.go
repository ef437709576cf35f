package api

import (
	"context"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/redress-project/redress/internal/assign"
	"github.com/redress-project/redress/internal/complaint"
	"github.com/redress-project/redress/internal/store"
)

func TestSetAvailability(t *testing.T) {
	each(t, func(t *testing.T, h *harness) {
		quiet := slog.New(slog.DiscardHandler)
		assigner := assign.New(h.desk, h.st, assign.Options{Logger: quiet})
		h.h = New(h.desk, Options{Logger: quiet, Availability: assigner.Availability})
		ctx := context.Background()
		// The supervisor is off shift: the agent's cases can only go to agent2.
		if err := h.st.SetAgentAvailability(ctx, supervisor.UserID, store.AvailabilityOffShift); err != nil {
			t.Fatal(err)
		}
		var refs []string
		for range 2 {
			c := h.fileFor("cust-A", nil)
			if _, _, err := h.desk.Assign(ctx, agent, c.Ref, complaint.Assignment{Team: "payments", AssigneeID: agent.UserID}); err != nil {
				t.Fatal(err)
			}
			refs = append(refs, c.Ref)
		}
		url := path("/agents/%d/availability", agent.UserID)

		wantError(t, h.do(&custA, "POST", url, map[string]any{"availability": "away"}), http.StatusForbidden, CodeForbidden, "")
		wantError(t, h.do(&merchM, "POST", url, map[string]any{"availability": "away"}), http.StatusForbidden, CodeForbidden, "")
		wantError(t, h.do(&agent2, "POST", url, map[string]any{"availability": "away"}), http.StatusForbidden, CodeForbidden, "")
		wantError(t, h.do(&supervisor, "POST", path("/agents/%d/availability", 99999), map[string]any{"availability": "away"}),
			http.StatusNotFound, CodeNotFound, "")
		wantError(t, h.do(&supervisor, "POST", path("/agents/%d/availability", custA.UserID), map[string]any{"availability": "away"}),
			http.StatusNotFound, CodeNotFound, "")
		wantError(t, h.do(&supervisor, "POST", path("/agents/x/availability"), map[string]any{"availability": "away"}),
			http.StatusNotFound, CodeNotFound, "")
		wantError(t, h.do(&agent, "POST", url, map[string]any{"availability": "lunch"}), http.StatusUnprocessableEntity, complaint.CodeInvalid, "availability")
		wantError(t, h.do(&agent, "POST", url, map[string]any{}), http.StatusUnprocessableEntity, complaint.CodeRequired, "availability")
		wantError(t, h.do(&agent, "POST", url, map[string]any{"availability": "away", "until": "5"}), http.StatusBadRequest, CodeUnknownField, "until")
		wantError(t, h.do(nil, "POST", url, map[string]any{"availability": "away"}), http.StatusUnauthorized, CodeUnauthenticated, "")
		for _, ref := range refs {
			if c, err := h.desk.Get(ctx, agent, ref); err != nil || c.AssigneeID != agent.UserID {
				t.Fatalf("a refused request moved %s: %+v, %v", ref, c, err)
			}
		}

		got := must[AvailabilityView](t, h.do(&agent, "POST", url, map[string]any{"availability": "away"}), http.StatusOK)
		if got.AgentID != agent.UserID || got.Availability != "away" || len(got.Moved) != 2 || len(got.Stuck) != 0 {
			t.Fatalf("answer %+v", got)
		}
		for _, m := range got.Moved {
			c, err := h.desk.Get(ctx, supervisor, m.CaseRef)
			if err != nil {
				t.Fatal(err)
			}
			if m.ToAgentID != agent2.UserID || c.AssigneeID != agent2.UserID || !strings.HasPrefix(m.Reason, "from Wang Fang (away) to ") {
				t.Errorf("move %+v; the case is with %d", m, c.AssigneeID)
			}
		}

		// Back online, by a supervisor: nothing to move.
		got = must[AvailabilityView](t, h.do(&supervisor, "POST", url, map[string]any{"availability": "online"}), http.StatusOK)
		if got.Availability != "online" || got.Moved == nil || got.Stuck == nil || len(got.Moved)+len(got.Stuck) != 0 {
			t.Fatalf("answer %+v", got)
		}
		if body := h.do(&supervisor, "POST", url, map[string]any{"availability": "online"}).Body.String(); !strings.Contains(body, `"moved":[]`) {
			t.Errorf("empty lists must be [], not null: %s", body)
		}

		// Without the option the route is not served.
		h.h = New(h.desk, Options{Logger: quiet})
		wantError(t, h.do(&agent, "POST", url, map[string]any{"availability": "away"}), http.StatusNotFound, CodeNotFound, "")
	})
}
