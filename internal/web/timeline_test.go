package web

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/redress-project/redress/internal/access"
	"github.com/redress-project/redress/internal/complaint"
	"github.com/redress-project/redress/internal/i18n"
	"github.com/redress-project/redress/internal/taxonomy"
)

// The staff timeline shows why routing chose an agent; an assignment made
// by hand shows no reason.
func TestTimelineAssignmentReason(t *testing.T) {
	assigned := func(seq int64, a complaint.Assignment) complaint.Event {
		after, _ := json.Marshal(a)
		return complaint.Event{Seq: seq, Kind: complaint.KindAssigned, Visibility: complaint.Internal,
			Actor: complaint.System, After: after}
	}
	events := []complaint.Event{
		assigned(1, complaint.Assignment{Team: "refunds", AssigneeID: 7, AssigneeName: "李娜",
			Reason: "李娜: speaks zh-Hant, 0/20 open — the only available agent"}),
		assigned(2, complaint.Assignment{Team: "refunds", AssigneeID: 8, AssigneeName: "Bo"}),
	}
	staff := access.Principal{UserID: 1, Role: complaint.RoleSupervisor}
	for _, code := range []string{"en", "zh-CN", "zh-TW"} {
		cat, ok := i18n.Lookup(code)
		if !ok {
			t.Fatalf("no catalog %s", code)
		}
		w := words{lang: cat, tax: taxonomy.Default(), tz: time.UTC}
		got := buildTimeline(w, staff, viewerStaff, events, masker{mask: true})
		if len(got) != 2 {
			t.Fatalf("%s: %d entries", code, len(got))
		}
		if !strings.Contains(got[0].Body.Text, "the only available agent") || got[0].Body.Masked {
			t.Errorf("%s: routed assignment body %+v", code, got[0].Body)
		}
		if got[1].Body.Text != "" {
			t.Errorf("%s: manual assignment body %+v", code, got[1].Body)
		}
	}
}
