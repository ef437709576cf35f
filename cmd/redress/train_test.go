package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/redress-project/redress/internal/access"
	"github.com/redress-project/redress/internal/complaint"
	"github.com/redress-project/redress/internal/desk"
	"github.com/redress-project/redress/internal/store"
	"github.com/redress-project/redress/internal/store/storetest"
	"github.com/redress-project/redress/internal/taxonomy"
	"github.com/redress-project/redress/internal/triage"
)

// classifierFixture is a hand-written training set: three labels, each
// with its own words, in Chinese and English.
const classifierFixture = `id,text,label
1,退款申请了一周还没到账,refund
2,"商家拒绝退款，客服也不处理退款",refund
3,我要求全额退款,refund
4,"退款到哪里去了，钱还没退回来",refund
5,I asked for a refund two weeks ago and the refund never came,refund
6,"please refund my money, the refund is still pending",refund
7,"快递三天了还没送到，物流不更新",delivery
8,"包裹丢了，快递员说已经签收",delivery
9,物流显示已签收但是我没收到包裹,delivery
10,快递送错地址了包裹没送到,delivery
11,the parcel never arrived and the tracking shows delivered,delivery
12,"my parcel was lost by the courier, tracking not updated",delivery
13,账户被冻结了无法登录,account
14,"我的账户被盗，密码被改了",account
15,登录账户时提示账户异常冻结,account
16,账户冻结无法登录怎么办,account
17,my account is locked and I cannot log in,account
18,"someone changed my password, account locked after login attempts",account
`

// runClassifierCLI runs redress with args and returns the exit code and
// output streams.
func runClassifierCLI(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	env := &cliEnv{stdin: strings.NewReader(""), stdout: &stdout, stderr: &stderr, getenv: func(string) string { return "" }}
	code := runCLI(context.Background(), env, args)
	return code, stdout.String(), stderr.String()
}

func writeFile(t *testing.T, dir, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// trainFixture trains a model on the fixture and returns its path.
func trainFixture(t *testing.T, dir string) string {
	t.Helper()
	data := writeFile(t, dir, "train.csv", []byte(classifierFixture))
	model := filepath.Join(dir, "model.bin")
	code, _, stderr := runClassifierCLI(t, "train", "--data", data, "--text", "text", "--label", "label", "--out", model)
	if code != 0 {
		t.Fatalf("train exited %d: %s", code, stderr)
	}
	return model
}

func TestTrainSummary(t *testing.T) {
	dir := t.TempDir()
	data := writeFile(t, dir, "train.csv", []byte(classifierFixture+"19,   ,refund\n"))
	model := filepath.Join(dir, "model.bin")
	code, stdout, stderr := runClassifierCLI(t, "train", "--data", data, "--text", "text", "--label", "label", "--out", model)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{"n=18 examples", "3 labels", "skipped 1 rows with empty text", "refund 6", "wrote " + model, " in "} {
		if !strings.Contains(stderr, want) {
			t.Errorf("summary lacks %q:\n%s", want, stderr)
		}
	}
	if stdout != "" {
		t.Errorf("train wrote to stdout: %q", stdout)
	}
	if fi, err := os.Stat(model); err != nil || fi.Size() == 0 {
		t.Fatalf("model not written: %v", err)
	}
	// No temporary file is left behind.
	if entries, _ := os.ReadDir(dir); len(entries) != 2 {
		t.Errorf("directory holds %d entries, want train.csv and model.bin", len(entries))
	}
}

func TestTrainGBK(t *testing.T) {
	dir := t.TempDir()
	gbk, err := simplifiedchinese.GBK.NewEncoder().Bytes([]byte(classifierFixture))
	if err != nil {
		t.Fatal(err)
	}
	data := writeFile(t, dir, "gbk.csv", gbk)
	model := filepath.Join(dir, "model.bin")
	code, _, stderr := runClassifierCLI(t, "train", "--data", data, "--text", "text", "--label", "label", "--out", model)
	if code != 0 || !strings.Contains(stderr, "GB18030") {
		t.Fatalf("GBK input: exit %d: %s", code, stderr)
	}
	// The labels were decoded, not stored as mojibake: eval on the UTF-8
	// file finds no unknown label.
	utf8Data := writeFile(t, dir, "utf8.csv", []byte(classifierFixture))
	if code, _, stderr := runClassifierCLI(t, "eval", "--model", model, "--data", utf8Data, "--text", "text", "--label", "label"); code != 0 {
		t.Fatalf("eval of the GBK-trained model: exit %d: %s", code, stderr)
	}
}

func TestTrainBadInput(t *testing.T) {
	dir := t.TempDir()
	good := writeFile(t, dir, "good.csv", []byte(classifierFixture))
	out := filepath.Join(dir, "m.bin")
	big := "t,l\n" + strings.Repeat("很长", 400_000) + ",a\nshort,b\n"
	cases := []struct {
		name string
		args []string
		code int
		want []string
	}{
		{"no flags", []string{"train"}, 2, []string{"missing --data, --text, --label"}},
		{"no out", []string{"train", "--data", good, "--text", "text", "--label", "label"}, 2, []string{"missing --out"}},
		{"bad algorithm", []string{"train", "--data", good, "--text", "text", "--label", "label", "--out", out, "--algorithm", "svm"}, 2, []string{`unknown algorithm "svm"`}},
		{"stray argument", []string{"train", "--data", good, "extra"}, 2, []string{"unexpected arguments"}},
		{"missing file", []string{"train", "--data", filepath.Join(dir, "nope.csv"), "--text", "text", "--label", "label", "--out", out}, 1, []string{"nope.csv", "no such file"}},
		{"missing column", []string{"train", "--data", good, "--text", "content", "--label", "label", "--out", out}, 1, []string{`no column "content"`, `"id", "text", "label"`}},
		{"one label", []string{"train", "--data", writeFile(t, dir, "one.csv", []byte("t,l\n退款,a\n退货,a\n")), "--text", "t", "--label", "l", "--out", out}, 1, []string{"at least 2 distinct labels", `only "a"`}},
		{"no rows", []string{"train", "--data", writeFile(t, dir, "empty.csv", []byte("t,l\n,a\n")), "--text", "t", "--label", "l", "--out", out}, 1, []string{"no usable examples"}},
		{"invalid bytes", []string{"train", "--data", writeFile(t, dir, "bad.csv", []byte("t,l\nok,a\n\xff\xfe bad,b\n")), "--text", "t", "--label", "l", "--out", out}, 1, []string{"line 3", "not valid UTF-8", "GB18030"}},
		{"binary", []string{"train", "--data", writeFile(t, dir, "bin.csv", []byte("t,l\nab\x00cd,a\n")), "--text", "t", "--label", "l", "--out", out}, 1, []string{"line 2", "binary"}},
		{"spreadsheet", []string{"train", "--data", writeFile(t, dir, "x.csv", []byte("PK\x03\x04rest")), "--text", "t", "--label", "l", "--out", out}, 1, []string{"xlsx", "export it as CSV"}},
		{"enormous field", []string{"train", "--data", writeFile(t, dir, "big.csv", []byte(big)), "--text", "t", "--label", "l", "--out", out}, 1, []string{"line 2", "too large"}},
		{"ragged row", []string{"train", "--data", writeFile(t, dir, "rag.csv", []byte("t,l\na,b\nc,d,e\n")), "--text", "t", "--label", "l", "--out", out}, 1, []string{"line 3", "number of fields"}},
	}
	for _, c := range cases {
		code, _, stderr := runClassifierCLI(t, c.args...)
		if code != c.code {
			t.Errorf("%s: exit %d, want %d; stderr: %s", c.name, code, c.code, stderr)
		}
		for _, w := range c.want {
			if !strings.Contains(stderr, w) {
				t.Errorf("%s: stderr lacks %q: %s", c.name, w, stderr)
			}
		}
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("a failed train left a model file: %v", err)
	}
}

// TestTrainFromDB retrains the classifier from cases agents classified:
// the labels are staff's categories (not the system's guesses), added to
// the taxonomy's seeds.
func TestTrainFromDB(t *testing.T) {
	for _, backend := range storetest.Backends {
		t.Run(backend, func(t *testing.T) {
			ctx := context.Background()
			dbURL := storetest.URL(t, backend)
			st, err := store.Open(ctx, dbURL)
			if err != nil {
				t.Fatal(err)
			}
			d := desk.New(st)
			cust := access.Principal{UserID: 1, Name: "王芳", Role: complaint.RoleCustomer, CustomerID: "c-1"}
			agent := access.Principal{UserID: 2, Name: "李娜", Role: complaint.RoleAgent}
			file := func(subject, description string) string {
				c, _, err := d.File(ctx, cust, complaint.Draft{Subject: subject, Description: description}, "")
				if err != nil {
					t.Fatal(err)
				}
				return c.Ref
			}
			classify := func(p access.Principal, ref, category string) {
				if _, _, err := d.Classify(ctx, p, ref, complaint.Classification{Category: category,
					Severity: complaint.SeverityMedium, Priority: complaint.PriorityP2}); err != nil {
					t.Fatal(err)
				}
			}
			// Agents put three "gift card" complaints in fees, correcting the
			// system's guess on one of them.
			for i, text := range []string{"礼品卡激活要收服务费", "gift card activation charged a fee", "礼品卡余额被扣了管理费"} {
				ref := file("礼品卡", text)
				if i == 0 {
					classify(access.SystemPrincipal, ref, "marketing")
				}
				classify(agent, ref, "fees")
			}
			// The system's own guesses are not training data.
			classify(access.SystemPrincipal, file("退款", "退款没到账"), "refund")
			// Nor is a category the taxonomy does not have.
			classify(agent, file("拒付", "chargeback"), "chargeback")
			st.Close()

			model := filepath.Join(t.TempDir(), "triage.model")
			code, stdout, stderr := runClassifierCLI(t, "train", "--from-db", "--database", dbURL, "--out", model)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			for _, want := range []string{"read 5 cases from the database: 3 classified by staff",
				"1 in categories the taxonomy lacks", "seed examples of the taxonomy (embedded default)",
				"staff's classifications: fees 3", "wrote " + model} {
				if !strings.Contains(stderr, want) {
					t.Errorf("summary lacks %q:\n%s", want, stderr)
				}
			}
			if stdout != "" {
				t.Errorf("stdout: %q", stdout)
			}
			m, name, err := triage.LoadModel(model, taxonomy.Default())
			if err != nil {
				t.Fatalf("the model does not load for triage: %v", err)
			}
			seeds := map[string]int{}
			for _, e := range triage.SeedExamples(taxonomy.Default()) {
				seeds[e.Label]++
			}
			counts := m.TrainingCounts()
			if counts["fees"] != seeds["fees"]+3 || counts["refund"] != seeds["refund"] || counts["marketing"] != seeds["marketing"] {
				t.Errorf("training counts %v (seeds %v)", counts, seeds)
			}
			if _, ok := counts["chargeback"]; ok || !strings.HasPrefix(name, "triage.model@") {
				t.Errorf("labels %v, name %q", m.Labels(), name)
			}
			if p := m.Predict("礼品卡激活收费"); p.Label != "fees" {
				t.Errorf("the retrained model calls a gift card fee %s (%.2f)", p.Label, p.Confidence)
			}
		})
	}
}

func TestTrainFromDBBadInput(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "m.model")
	missing := filepath.Join(dir, "missing.db")
	badTax := writeFile(t, dir, "tax.json", []byte(`{"format": "redress-taxonomy/1"`))
	cases := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"train", "--from-db", "--data", "x.csv", "--out", out}, 2, "takes no --data"},
		{[]string{"train", "--from-db", "--database", missing, "--out", out}, 1, "no such file"},
		{[]string{"train", "--from-db", "--database", missing, "--taxonomy", badTax, "--out", out}, 1, "ends in the middle"},
		{[]string{"train", "--taxonomy", badTax, "--data", "x.csv", "--text", "t", "--label", "l", "--out", out}, 2, "--taxonomy goes with --from-db"},
		{[]string{"train", "--from-db", "--database", missing}, 2, "missing --out"},
	}
	for _, c := range cases {
		code, _, stderr := runClassifierCLI(t, c.args...)
		if code != c.code || !strings.Contains(stderr, c.want) {
			t.Errorf("%v: exit %d, stderr %q; want %d and %q", c.args, code, stderr, c.code, c.want)
		}
	}
	if _, err := os.Stat(missing); !os.IsNotExist(err) {
		t.Errorf("training from a missing SQLite file created it: %v", err)
	}
}
