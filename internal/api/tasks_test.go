package api

import (
	"net/http"
	"testing"

	"github.com/redress-project/redress/internal/complaint"
)

func TestDepartmentTasksBlockResolutionUntilClosedOrOverridden(t *testing.T) {
	each(t, func(t *testing.T, h *harness) {
		c := h.file(custA, draft())
		for _, to := range []string{"acknowledged", "in_progress"} {
			must[ChangeView](t, h.do(&agent, "POST", path("/complaints/%s/transitions", c.Ref), map[string]any{"to": to}), http.StatusOK)
		}
		opened := must[ChangeView](t, h.do(&agent, "POST", path("/complaints/%s/tasks", c.Ref),
			map[string]any{"department": "payments_ops", "title": "核实退款流水", "due": "2026-03-05T10:00:00Z"}), http.StatusOK)
		if len(opened.Case.Tasks) != 1 || opened.Case.Tasks[0].ID != "T1" || !opened.Case.Tasks[0].Open {
			t.Fatalf("opened task: %+v", opened.Case.Tasks)
		}
		wantError(t, h.do(&custA, "POST", path("/complaints/%s/tasks", c.Ref), map[string]any{"department": "x", "title": "y"}), 403, CodeForbidden, "")
		wantError(t, h.do(&agent, "POST", path("/complaints/%s/tasks", c.Ref), map[string]any{"department": "", "title": "y"}), 422, complaint.CodeRequired, "department")

		wantError(t, h.do(&agent, "POST", path("/complaints/%s/transitions", c.Ref), map[string]any{"to": "resolved"}), 409, complaint.CodeOpenTasks, "")
		wantError(t, h.do(&agent, "POST", path("/complaints/%s/resolution-override", c.Ref), map[string]any{"reason": "refunded"}), 403, CodeForbidden, "")
		wantError(t, h.do(&supervisor, "POST", path("/complaints/%s/resolution-override", c.Ref), map[string]any{"reason": ""}), 422, complaint.CodeRequired, "reason")

		customerView := must[CaseView](t, h.do(&custA, "GET", path("/complaints/%s", c.Ref), nil), http.StatusOK)
		if len(customerView.Tasks) != 0 {
			t.Errorf("customers must not see internal tasks: %+v", customerView.Tasks)
		}

		closed := must[ChangeView](t, h.do(&agent, "POST", path("/complaints/%s/tasks/T1/close", c.Ref), map[string]any{"outcome": "退款已于3月2日原路退回"}), http.StatusOK)
		if closed.Case.Tasks[0].Open || closed.Case.Tasks[0].Outcome == "" {
			t.Errorf("closed task: %+v", closed.Case.Tasks[0])
		}
		wantError(t, h.do(&agent, "POST", path("/complaints/%s/tasks/T1/close", c.Ref), map[string]any{"outcome": "again"}), 409, complaint.CodeNoChange, "")
		wantError(t, h.do(&agent, "POST", path("/complaints/%s/tasks/T9/close", c.Ref), map[string]any{"outcome": "x"}), 409, complaint.CodeUnknownTask, "")

		// A second task, then a supervisor resolves without waiting for it.
		must[ChangeView](t, h.do(&agent, "POST", path("/complaints/%s/tasks", c.Ref), map[string]any{"department": "legal", "title": "review"}), http.StatusOK)
		done := must[ChangeView](t, h.do(&supervisor, "POST", path("/complaints/%s/resolution-override", c.Ref), map[string]any{"reason": "customer refunded; legal review not needed"}), http.StatusOK)
		if done.Case.Status != complaint.StatusResolved {
			t.Errorf("after the override: %s", done.Case.Status)
		}
	})
}
