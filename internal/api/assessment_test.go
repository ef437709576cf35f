package api

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/redress-project/redress/internal/access"
	"github.com/redress-project/redress/internal/complaint"
)

// TestAssessmentAndMasking: staff see what redress understood, with the
// reasons as codes; customers and merchants do not, and merchants see
// personal data masked.
func TestAssessmentAndMasking(t *testing.T) {
	each(t, func(t *testing.T, h *harness) {
		ctx := context.Background()
		c, _, err := h.desk.File(ctx, custA, complaint.Draft{Subject: "退款 13812345678", MerchantID: "m-1",
			Description: "商家不退款，请打 13812345678"}, "")
		if err != nil {
			t.Fatal(err)
		}
		a := complaint.Assessment{Language: "zh-Hans", Sentiment: -0.8, Signals: []string{"anger"}, PII: []string{"mobile"},
			Category: "refund", Confidence: 0.9, PriorityReasons: []string{"amount_at_stake=CNY 5,000: amount at stake ≥ CNY 5,000", "anger: the customer is angry"},
			Model: "starter-x"}
		if _, _, err := h.desk.Assess(ctx, access.SystemPrincipal, c.Ref, a); err != nil {
			t.Fatal(err)
		}
		if _, _, err := h.desk.AddRepeat(ctx, access.SystemPrincipal, c.Ref, complaint.Repeat{Channel: complaint.ChannelEmail, ReceivedAt: start}); err != nil {
			t.Fatal(err)
		}
		if _, _, err := h.desk.Message(ctx, custA, c.Ref, "我的电话 13812345678"); err != nil {
			t.Fatal(err)
		}

		staff := must[CaseView](t, h.do(&agent, "GET", path("/complaints/%s", c.Ref), nil), http.StatusOK)
		av := staff.Assessment
		if av == nil || av.Category != "refund" || av.Model != "starter-x" || staff.Repeats != 1 || len(av.PriorityReasons) != 2 {
			t.Fatalf("staff assessment %+v, repeats %d", av, staff.Repeats)
		}
		if r := av.PriorityReasons[0]; r != (ReasonView{Code: "amount_at_stake", Arg: "CNY 5,000", Text: "amount at stake ≥ CNY 5,000"}) {
			t.Errorf("reason %+v", r)
		}
		if !strings.Contains(staff.Description, "13812345678") {
			t.Errorf("staff JSON masks the description: %q", staff.Description)
		}
		mine := must[CaseView](t, h.do(&custA, "GET", path("/complaints/%s", c.Ref), nil), http.StatusOK)
		if mine.Assessment != nil || mine.Repeats != 0 || !strings.Contains(mine.Description, "13812345678") {
			t.Errorf("customer view %+v", mine)
		}
		m := must[CaseView](t, h.do(&merchM, "GET", path("/complaints/%s", c.Ref), nil), http.StatusOK)
		if m.Assessment != nil || strings.Contains(m.Subject+m.Description, "13812345678") || !strings.Contains(m.Description, "138****5678") {
			t.Errorf("merchant view %+v", m)
		}
		tl := must[TimelineView](t, h.do(&merchM, "GET", path("/complaints/%s/timeline", c.Ref), nil), http.StatusOK)
		for _, e := range tl.Events {
			if strings.Contains(e.Body+string(e.After), "13812345678") {
				t.Errorf("merchant timeline leaks the phone: %+v", e)
			}
		}
	})
}
