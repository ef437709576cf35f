package main

import (
	"bytes"
	"encoding/json"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/redress-project/redress/internal/assess/classify"
)

// evalFixture has 7 rows; two are deliberately labelled against what the
// fixture model predicts, so that the figures below can be counted by hand.
const evalFixture = `text,label
退款还没到账,refund
refund still pending,refund
快递还没送到,refund
包裹丢了,delivery
the parcel never arrived,delivery
账户被冻结,delivery
account locked,account
`

type evalJSON struct {
	N                int     `json:"n"`
	Accuracy         float64 `json:"accuracy"`
	MacroF1          float64 `json:"macro_f1"`
	BaselineLabel    string  `json:"baseline_label"`
	BaselineAccuracy float64 `json:"baseline_accuracy"`
	UnknownCount     int     `json:"unknown_count"`
	Classes          map[string]struct {
		Precision float64 `json:"precision"`
		Recall    float64 `json:"recall"`
		F1        float64 `json:"f1"`
		Support   int     `json:"support"`
	} `json:"classes"`
}

// decodeOne decodes stdout, which must hold exactly one JSON object.
func decodeOne(t *testing.T, stdout string, v any) {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(stdout))
	if err := dec.Decode(v); err != nil {
		t.Fatalf("stdout is not JSON: %v\n%s", err, stdout)
	}
	if _, err := dec.Token(); err != io.EOF {
		t.Fatalf("stdout holds more than one JSON value:\n%s", stdout)
	}
}

func TestEvalHandCount(t *testing.T) {
	dir := t.TempDir()
	model := trainFixture(t, dir)
	data := writeFile(t, dir, "dev.csv", []byte(evalFixture))

	// The hand count assumes these predictions; check them first.
	f, err := os.Open(model)
	if err != nil {
		t.Fatal(err)
	}
	m, err := classify.Load(f)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	wantPred := []string{"refund", "refund", "delivery", "delivery", "delivery", "account", "account"}
	for i, line := range strings.Split(strings.TrimSpace(evalFixture), "\n")[1:] {
		text, _, _ := strings.Cut(line, ",")
		if p := m.Predict(text).Label; p != wantPred[i] {
			t.Fatalf("model predicts %q for %q; the hand count assumes %q", p, text, wantPred[i])
		}
	}

	code, stdout, stderr := runClassifierCLI(t, "eval", "--model", model, "--data", data, "--text", "text", "--label", "label")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var r evalJSON
	decodeOne(t, stdout, &r)
	near := func(a, b float64) bool { return math.Abs(a-b) < 1e-9 }
	// Correct: rows 1, 2, 4, 5, 7 → 5 of 7.
	// refund   TP 2, predicted 2, support 3: P 1,   R 2/3, F1 0.8
	// delivery TP 2, predicted 3, support 3: P 2/3, R 2/3, F1 2/3
	// account  TP 1, predicted 2, support 1: P 1/2, R 1,   F1 2/3
	// Training has 6 of each label; the baseline is the first in sort
	// order, account, right on 1 of 7.
	if r.N != 7 || !near(r.Accuracy, 5.0/7) || !near(r.MacroF1, (0.8+2.0/3+2.0/3)/3) ||
		r.BaselineLabel != "account" || !near(r.BaselineAccuracy, 1.0/7) {
		t.Errorf("totals: %+v", r)
	}
	want := map[string][4]float64{"refund": {1, 2.0 / 3, 0.8, 3}, "delivery": {2.0 / 3, 2.0 / 3, 2.0 / 3, 3}, "account": {0.5, 1, 2.0 / 3, 1}}
	for l, w := range want {
		c := r.Classes[l]
		if !near(c.Precision, w[0]) || !near(c.Recall, w[1]) || !near(c.F1, w[2]) || c.Support != int(w[3]) {
			t.Errorf("%s: got %+v, want P %.3f R %.3f F1 %.3f support %v", l, c, w[0], w[1], w[2], w[3])
		}
	}
}

func TestEvalUnknownLabels(t *testing.T) {
	dir := t.TempDir()
	model := trainFixture(t, dir)
	data := writeFile(t, dir, "dev.csv", []byte(evalFixture+"发票没开,invoice\n"))
	code, stdout, stderr := runClassifierCLI(t, "eval", "--model", model, "--data", data, "--text", "text", "--label", "label")
	if code != 1 || !strings.Contains(stderr, `"invoice"`) || !strings.Contains(stderr, "--allow-unknown-labels") || stdout != "" {
		t.Errorf("unknown label: exit %d, stdout %q, stderr %s", code, stdout, stderr)
	}
	code, stdout, stderr = runClassifierCLI(t, "eval", "--model", model, "--data", data, "--text", "text", "--label", "label", "--allow-unknown-labels")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var r evalJSON
	decodeOne(t, stdout, &r)
	if r.N != 8 || r.UnknownCount != 1 || !(math.Abs(r.Accuracy-5.0/8) < 1e-9) || r.Classes["invoice"].Support != 1 {
		t.Errorf("with --allow-unknown-labels: %+v", r)
	}
}

func TestEvalBadModel(t *testing.T) {
	dir := t.TempDir()
	model := trainFixture(t, dir)
	data := writeFile(t, dir, "dev.csv", []byte(evalFixture))
	good, err := os.ReadFile(model)
	if err != nil {
		t.Fatal(err)
	}
	flipped := bytes.Clone(good)
	flipped[len(flipped)/2] ^= 1
	cases := map[string]struct {
		path string
		want string
	}{
		"missing":   {filepath.Join(dir, "none.bin"), "no such file"},
		"not model": {data, "not a redress classifier model"},
		"truncated": {writeFile(t, dir, "cut.bin", good[:len(good)/3]), "truncated"},
		"corrupt":   {writeFile(t, dir, "flip.bin", flipped), "checksum mismatch"},
	}
	for name, c := range cases {
		code, stdout, stderr := runClassifierCLI(t, "eval", "--model", c.path, "--data", data, "--text", "text", "--label", "label")
		if code != 1 || !strings.Contains(stderr, c.want) || stdout != "" {
			t.Errorf("%s: exit %d, stdout %q, stderr %s; want exit 1 mentioning %q", name, code, stdout, stderr, c.want)
		}
	}
	if code, _, stderr := runClassifierCLI(t, "eval", "--data", data, "--text", "text", "--label", "label"); code != 2 || !strings.Contains(stderr, "missing --model") {
		t.Errorf("no --model: exit %d, %s", code, stderr)
	}
}
