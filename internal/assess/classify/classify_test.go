package classify

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"math"
	"strings"
	"testing"
)

// fixture is a small hand-written training set in Chinese (both scripts)
// and English. Each label has its own vocabulary, so a working classifier
// must get every line, and fresh paraphrases, right.
var fixture = []Example{
	{"退款申请了一周还没到账", "refund"},
	{"商家拒绝退款，客服也不处理退款", "refund"},
	{"我要求全额退款", "refund"},
	{"退款到哪里去了，钱还没退回来", "refund"},
	{"I asked for a refund two weeks ago and the refund never came", "refund"},
	{"please refund my money, the refund is still pending", "refund"},
	{"快递三天了还没送到，物流不更新", "delivery"},
	{"包裹丢了，快递员说已经签收", "delivery"},
	{"物流显示已签收但是我没收到包裹", "delivery"},
	{"快递送错地址了", "delivery"},
	{"the parcel never arrived and the tracking shows delivered", "delivery"},
	{"my parcel was lost by the courier, tracking not updated", "delivery"},
	{"账户被冻结了无法登录", "account"},
	{"我的账户被盗，密码被改了", "account"},
	{"登录账户时提示账户异常冻结", "account"},
	{"帳戶被凍結了無法登錄", "account"},
	{"my account is locked and I cannot log in", "account"},
	{"someone changed my password, account locked after login attempts", "account"},
}

func TestTrainPredictFixture(t *testing.T) {
	for _, alg := range []Algorithm{LogisticRegression, ComplementNB} {
		m, err := Train(fixture, Options{Algorithm: alg, MinDocFreq: 1})
		if err != nil {
			t.Fatal(err)
		}
		unseen := []Example{
			{"退款还没到账", "refund"},
			{"where is my refund", "refund"},
			{"包裹还没送到", "delivery"},
			{"the courier lost the parcel", "delivery"},
			{"帳戶無法登錄", "account"}, // Traditional, mapped onto the Simplified training text
			{"account locked", "account"},
		}
		for _, ex := range append(fixture, unseen...) {
			p := m.Predict(ex.Text)
			if p.Label != ex.Label {
				t.Errorf("%s: Predict(%q) = %s (%.2f), want %s", alg, ex.Text, p.Label, p.Confidence, ex.Label)
			}
			checkPrediction(t, m, p)
		}
	}
}

func checkPrediction(t *testing.T, m *Model, p Prediction) {
	t.Helper()
	if len(p.Scores) != len(m.Labels()) {
		t.Fatalf("prediction has %d scores for %d labels", len(p.Scores), len(m.Labels()))
	}
	var sum float64
	for i, s := range p.Scores {
		sum += s.Probability
		if i > 0 && s.Probability > p.Scores[i-1].Probability {
			t.Errorf("scores not sorted: %+v", p.Scores)
		}
	}
	if math.Abs(sum-1) > 1e-6 || p.Label != p.Scores[0].Label || p.Confidence != p.Scores[0].Probability {
		t.Errorf("inconsistent prediction %+v (probabilities sum to %v)", p, sum)
	}
}

func TestConfidenceReflectsEvidence(t *testing.T) {
	m, err := Train(fixture, Options{MinDocFreq: 1})
	if err != nil {
		t.Fatal(err)
	}
	strong := m.Predict("退款 退款 refund refund 还没到账").Confidence
	none := m.Predict("晴朗 sunny weather").Confidence // no known feature: close to the prior
	if !(strong > 0.6 && none < 0.5 && strong > none) {
		t.Errorf("confidence with strong evidence %.2f, with none %.2f", strong, none)
	}
	if p := m.Predict(""); len(p.Scores) != 3 {
		t.Errorf("empty text: %+v", p)
	}
}

func TestTrainErrors(t *testing.T) {
	one := []Example{{"a", "x"}, {"b", "x"}}
	if _, err := Train(one, Options{}); err == nil || !strings.Contains(err.Error(), "at least 2 distinct labels") {
		t.Errorf("one label: %v", err)
	}
	if _, err := Train([]Example{{"退款", "a"}, {"hello", "b"}}, Options{}); err == nil || !strings.Contains(err.Error(), "no feature occurs") {
		t.Errorf("empty vocabulary: %v", err)
	}
	if _, err := Train(nil, Options{}); err == nil {
		t.Error("no examples: no error")
	}
	if _, err := Train([]Example{{"a", "x"}, {"b", ""}}, Options{}); err == nil || !strings.Contains(err.Error(), "empty label") {
		t.Errorf("empty label: %v", err)
	}
	for _, o := range []Options{
		{Algorithm: "svm"}, {Epochs: -1}, {C: -1}, {ClassWeighting: "heavy"},
		{Features: FeatureOptions{HashBits: 40, CJKNgrams: 3, WordNgrams: 2}},
	} {
		if _, err := Train(fixture, o); err == nil {
			t.Errorf("options %+v: no error", o)
		}
	}
}

func TestTrainDeterministic(t *testing.T) {
	var out [2]bytes.Buffer
	for i := range out {
		m, err := Train(fixture, Options{MinDocFreq: 1, Seed: 7})
		if err != nil {
			t.Fatal(err)
		}
		if err := m.Save(&out[i]); err != nil {
			t.Fatal(err)
		}
	}
	if !bytes.Equal(out[0].Bytes(), out[1].Bytes()) {
		t.Error("two trainings with the same seed differ")
	}
}

func savedFixture(t testing.TB) (*Model, []byte) {
	m, err := Train(fixture, Options{MinDocFreq: 1, Features: FeatureOptions{HashBits: 12, CJKNgrams: 3, WordNgrams: 2, SubwordNgrams: 4}})
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := m.Save(&b); err != nil {
		t.Fatal(err)
	}
	return m, b.Bytes()
}

func TestSaveLoad(t *testing.T) {
	m, data := savedFixture(t)
	got, err := Load(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if got.Features() != m.Features() || got.Algorithm() != m.Algorithm() || got.MajorityLabel() != m.MajorityLabel() {
		t.Errorf("loaded model differs in its settings")
	}
	for _, ex := range fixture {
		a, b := m.Predict(ex.Text), got.Predict(ex.Text)
		if a.Label != b.Label || a.Confidence != b.Confidence {
			t.Errorf("Predict(%q): saved %+v, loaded %+v", ex.Text, a, b)
		}
	}
}

// reseal fixes the checksum of a model file after the test edited it.
func reseal(data []byte) []byte {
	sum := crc32.Checksum(data[:len(data)-4], castagnoli)
	binary.LittleEndian.PutUint32(data[len(data)-4:], sum)
	return data
}

func TestLoadErrors(t *testing.T) {
	_, data := savedFixture(t)
	edit := func(f func(d []byte) []byte) []byte { return f(bytes.Clone(data)) }
	cases := []struct {
		name string
		data []byte
		want error
		msg  string
	}{
		{"empty", nil, ErrNotModel, "not a redress"},
		{"text file", []byte("text,label\nhello,x\n"), ErrNotModel, "not a redress"},
		{"magic prefix only", data[:4], ErrCorrupt, "truncated"},
		{"inside header", data[:12], ErrCorrupt, "truncated"},
		{"truncated body", data[:len(data)/2], ErrCorrupt, "truncated"},
		{"missing checksum", data[:len(data)-2], ErrCorrupt, "truncated"},
		{"trailing bytes", append(bytes.Clone(data), 0), ErrCorrupt, "unexpected bytes"},
		{"flipped bit", edit(func(d []byte) []byte { d[len(d)/2] ^= 0x10; return d }), ErrCorrupt, "checksum"},
		{"newer format", edit(func(d []byte) []byte { d[8] = 2; return reseal(d) }), ErrIncompatible, "format version 2"},
		{"other feature version", edit(func(d []byte) []byte { d[headerSize] = 99; return reseal(d) }), ErrIncompatible, "feature extractor version 99"},
		{"bad hash bits", edit(func(d []byte) []byte { d[headerSize+4] = 60; return reseal(d) }), ErrCorrupt, "HashBits"},
		{"label count too big", edit(func(d []byte) []byte {
			at := headerSize + 8 + 4 + len(LogisticRegression)
			binary.LittleEndian.PutUint32(d[at:], 1<<30)
			return reseal(d)
		}), ErrCorrupt, "cannot fit"},
	}
	for _, c := range cases {
		_, err := Load(bytes.NewReader(c.data))
		if !errors.Is(err, c.want) || !strings.Contains(err.Error(), c.msg) {
			t.Errorf("%s: error %v, want %v mentioning %q", c.name, err, c.want, c.msg)
		}
	}
	// Every truncation is an error, never a panic or a half model.
	for n := 0; n < len(data); n += 1 + n/8 {
		if _, err := Load(bytes.NewReader(data[:n])); err == nil {
			t.Fatalf("Load of the first %d of %d bytes succeeded", n, len(data))
		}
	}
}

func TestEvaluateHandCount(t *testing.T) {
	m, err := Train(fixture, Options{MinDocFreq: 1})
	if err != nil {
		t.Fatal(err)
	}
	// Predictions are refund, refund, delivery | delivery, delivery,
	// account | account; true labels as written (two deliberately wrong).
	eval := []Example{
		{"退款还没到账", "refund"},
		{"refund still pending", "refund"},
		{"快递还没送到", "refund"},
		{"包裹丢了", "delivery"},
		{"the parcel never arrived", "delivery"},
		{"账户被冻结", "delivery"},
		{"account locked", "account"},
	}
	wantPred := []string{"refund", "refund", "delivery", "delivery", "delivery", "account", "account"}
	for i, ex := range eval {
		if p := m.Predict(ex.Text).Label; p != wantPred[i] {
			t.Fatalf("fixture model predicts %q for %q; the hand count below assumes %q", p, ex.Text, wantPred[i])
		}
	}
	r, err := Evaluate(m, eval, false)
	if err != nil {
		t.Fatal(err)
	}
	// refund: support 3, predicted 2, correct 2 → P 1, R 2/3, F1 0.8
	// delivery: support 3, predicted 3, correct 2 → P 2/3, R 2/3, F1 2/3
	// account: support 1, predicted 2, correct 1 → P 1/2, R 1, F1 2/3
	want := map[string]ClassReport{
		"refund":   {Precision: 1, Recall: 2.0 / 3, F1: 0.8, Support: 3, Predicted: 2},
		"delivery": {Precision: 2.0 / 3, Recall: 2.0 / 3, F1: 2.0 / 3, Support: 3, Predicted: 3},
		"account":  {Precision: 0.5, Recall: 1, F1: 2.0 / 3, Support: 1, Predicted: 2},
	}
	near := func(a, b float64) bool { return math.Abs(a-b) < 1e-9 }
	for l, w := range want {
		g := r.Classes[l]
		if !near(g.Precision, w.Precision) || !near(g.Recall, w.Recall) || !near(g.F1, w.F1) || g.Support != w.Support || g.Predicted != w.Predicted {
			t.Errorf("%s: got %+v, want %+v", l, g, w)
		}
	}
	// Majority label in training: refund, delivery and account have 6
	// each, so the first in sort order, "account", is the baseline.
	if r.N != 7 || !near(r.Accuracy, 5.0/7) || !near(r.MacroF1, (0.8+2.0/3+2.0/3)/3) ||
		r.BaselineLabel != "account" || !near(r.BaselineAccuracy, 1.0/7) ||
		!near(r.WeightedF1, (3*0.8+3*2.0/3+2.0/3)/7) || r.Confusion["refund"]["delivery"] != 1 {
		t.Errorf("report %+v", r)
	}
}

func TestEvaluateUnknownLabels(t *testing.T) {
	m, err := Train(fixture, Options{MinDocFreq: 1})
	if err != nil {
		t.Fatal(err)
	}
	eval := []Example{{"退款还没到账", "refund"}, {"发票没开", "invoice"}, {"发票", "invoice"}}
	_, err = Evaluate(m, eval, false)
	var unk *UnknownLabelsError
	if !errors.As(err, &unk) || unk.Count != 2 || !strings.Contains(err.Error(), `"invoice"`) {
		t.Fatalf("error %v, want UnknownLabelsError naming invoice", err)
	}
	r, err := Evaluate(m, eval, true)
	if err != nil {
		t.Fatal(err)
	}
	if r.UnknownCount != 2 || !(math.Abs(r.Accuracy-1.0/3) < 1e-9) || r.Classes["invoice"].Recall != 0 {
		t.Errorf("with unknown labels allowed: %+v", r)
	}
}

func TestCrossValidate(t *testing.T) {
	acc, f1, err := CrossValidate(append(append([]Example{}, fixture...), fixture...), Options{MinDocFreq: 1}, 3)
	if err != nil {
		t.Fatal(err)
	}
	if acc < 0.8 || f1 < 0.8 {
		t.Errorf("cross-validated accuracy %.2f, macro-F1 %.2f on an easy set", acc, f1)
	}
	if _, _, err := CrossValidate(fixture, Options{}, 1); err == nil {
		t.Error("1 fold: no error")
	}
}

func FuzzLoad(f *testing.F) {
	_, data := savedFixture(f)
	f.Add(data)
	f.Add(data[:100])
	f.Add([]byte(magic))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := Load(bytes.NewReader(data))
		if err != nil {
			return
		}
		if len(data) < headerSize {
			t.Fatal("loaded a model shorter than its header")
		}
		checkPrediction(t, m, m.Predict("退款 refund 包裹"))
	})
}

// FuzzLoadBody fuzzes the body behind a valid header and checksum, which
// random bytes would almost never reach.
func FuzzLoadBody(f *testing.F) {
	_, data := savedFixture(f)
	f.Add(data[headerSize : len(data)-4])
	f.Fuzz(func(t *testing.T, body []byte) {
		var b bytes.Buffer
		b.WriteString(magic)
		binary.Write(&b, binary.LittleEndian, uint32(formatVersion))
		binary.Write(&b, binary.LittleEndian, uint64(len(body)))
		b.Write(body)
		b.Write([]byte{0, 0, 0, 0})
		m, err := Load(bytes.NewReader(reseal(b.Bytes())))
		if err != nil {
			return
		}
		checkPrediction(t, m, m.Predict("退款 refund 包裹"))
	})
}

func FuzzPredict(f *testing.F) {
	m, _ := savedFixture(f)
	f.Add("退款还没到账")
	f.Add("ＡＢＣ①㎏ｶﾞ\xff")
	f.Fuzz(func(t *testing.T, text string) {
		checkPrediction(t, m, m.Predict(text))
	})
}
