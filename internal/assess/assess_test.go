package assess

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/redress-project/redress/internal/assess/classify"
	"github.com/redress-project/redress/internal/assess/lang"
	"github.com/redress-project/redress/internal/assess/pii"
	"github.com/redress-project/redress/internal/assess/sentiment"
)

func TestAnalyze(t *testing.T) {
	text := "我的帳戶被凍結了，錢還沒退回！！客服不理，再不處理我就向銀保監會投訴。電話13812345678"
	r := Analyze(text, nil)
	if r.Language != lang.Traditional {
		t.Errorf("language %s, want zh-Hant", r.Language)
	}
	if r.Sentiment >= 0 {
		t.Errorf("sentiment %.2f, want negative", r.Sentiment)
	}
	if !r.Urgency.Escalation || !slices.Equal(r.Urgency.Targets, []sentiment.Target{sentiment.Regulator}) {
		t.Errorf("urgency %+v, want escalation to a regulator", r.Urgency)
	}
	if len(r.PII) != 1 || r.PII[0].Kind != pii.Mobile || !strings.HasSuffix(r.Masked, "138****5678") {
		t.Errorf("PII %+v, masked %q", r.PII, r.Masked)
	}
	if r.Category != nil {
		t.Errorf("category %+v without a model", r.Category)
	}
	// The JSON form never carries the raw personal data.
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(b), "13812345678") {
		t.Errorf("JSON leaks the phone number: %s", b)
	}
}

func TestAnalyzeWithModel(t *testing.T) {
	m, err := classify.Train([]classify.Example{
		{Text: "退款没到账", Label: "refund"}, {Text: "申请退款被拒", Label: "refund"}, {Text: "refund not received", Label: "refund"},
		{Text: "快递丢了", Label: "delivery"}, {Text: "快递一直没送到", Label: "delivery"}, {Text: "parcel lost", Label: "delivery"},
	}, classify.Options{MinDocFreq: 1})
	if err != nil {
		t.Fatal(err)
	}
	r := Analyze("I am very happy, the refund arrived", m)
	if r.Category == nil || r.Category.Label != "refund" {
		t.Fatalf("category %+v, want refund", r.Category)
	}
	u := r.Urgency
	if r.Language != lang.English || r.Sentiment <= 0 || u.Anger || u.Escalation || u.Distress || u.SelfHarm || len(r.PII) != 0 {
		t.Errorf("result %+v", r)
	}
}
