package sentiment

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestScoreSign(t *testing.T) {
	cases := []struct {
		text string
		sign int // -1 negative, 0 zero, 1 positive
	}{
		{"非常满意，客服很耐心", 1},
		{"不满意", -1},
		{"我不是很满意", -1},
		{"没问题，谢谢", 1},
		{"太差了，退款三天还没到账", -1},
		{"非常滿意，客服很耐心", 1}, // Traditional
		{"不滿意，退款一直沒到賬", -1},
		{"The agent was very helpful, thank you", 1},
		{"I am not happy with this", -1},
		{"not bad at all", 1},
		{"They refused my refund and charged me twice", -1},
		{"订单号 123456", 0},
		{"", 0},
	}
	for _, c := range cases {
		r := Analyze(c.text)
		if got := sign(r.Score); got != c.sign {
			t.Errorf("Analyze(%q).Score = %.2f, want sign %d (cues %+v)", c.text, r.Score, c.sign, r.Cues)
		}
		if r.Score < -1 || r.Score > 1 {
			t.Errorf("score %v out of range", r.Score)
		}
	}
}

func sign(x float64) int {
	switch {
	case x > 0:
		return 1
	case x < 0:
		return -1
	}
	return 0
}

func TestNegationAndIntensity(t *testing.T) {
	plain, intense := Analyze("满意").Score, Analyze("非常满意").Score
	if !(intense > plain && plain > 0) {
		t.Errorf("非常满意 %.2f should beat 满意 %.2f", intense, plain)
	}
	notGood, bad := Analyze("not good").Score, Analyze("bad").Score
	if !(notGood < 0 && bad < 0) {
		t.Errorf("not good %.2f, bad %.2f: both should be negative", notGood, bad)
	}
	// A clause boundary stops negation: the 不 belongs to the first clause.
	if s := Analyze("不知道为什么，但是很满意").Score; s <= 0 {
		t.Errorf("negation leaked across a comma: %.2f", s)
	}
}

type flags struct {
	anger, escalation, distress, selfHarm bool
	targets                               []Target
}

func TestFlags(t *testing.T) {
	cases := []struct {
		text string
		want flags
	}{
		{"你们这些骗子，气死我了", flags{anger: true}},
		{"你們這些騙子，氣死我了", flags{anger: true}},
		{"This is a scam and completely unacceptable", flags{anger: true}},
		{"太差了！！！还不退款", flags{anger: true}},
		{"再不处理我就打12315投诉，还要找消协", flags{escalation: true, targets: []Target{Regulator}}},
		{"我已经向银保监会和人民银行反映了", flags{escalation: true, targets: []Target{Regulator}}},
		{"我已經向銀保監會和人民銀行反映了", flags{escalation: true, targets: []Target{Regulator}}},
		{"不解决我就发微博，上黑猫投诉", flags{escalation: true, targets: []Target{Media}}},
		{"被骗了已经报警，也找了律师准备起诉", flags{escalation: true, targets: []Target{Police, Court}, anger: false}},
		{"I filed a complaint with the CFPB and will contact a lawyer", flags{escalation: true, targets: []Target{Regulator, Court}}},
		{"I will go to the media and file a police report", flags{escalation: true, targets: []Target{Media, Police}}},
		{"我不会起诉你们，只想退款", flags{}},
		{"I will not sue, I just want my money back", flags{}},
		{"救命，钱被冻结了，我走投无路", flags{distress: true}},
		{"I can't pay rent because of this hold on my account", flags{distress: true}},
		{"真的不想活了", flags{distress: true, selfHarm: true}},
		{"欠款還不上，活不下去了", flags{distress: true, selfHarm: true}},
		{"I want to kill myself, I lost my life savings", flags{distress: true, selfHarm: true}},
		{"快递很快，包装很好", flags{}},
		{"The agent said the issue was resolved", flags{}},
		{"Please press 1 for the news and the court of appeals", flags{escalation: true, targets: []Target{Media, Court}}},
	}
	for _, c := range cases {
		r := Analyze(c.text)
		got := flags{r.Anger, r.Escalation, r.Distress, r.SelfHarm, r.Targets}
		if got.anger != c.want.anger || got.escalation != c.want.escalation || got.distress != c.want.distress ||
			got.selfHarm != c.want.selfHarm || !slices.Equal(got.targets, c.want.targets) {
			t.Errorf("Analyze(%q) flags %+v, want %+v (cues %+v)", c.text, got, c.want, r.Cues)
		}
	}
}

func TestWordBoundaries(t *testing.T) {
	// "sue" inside "issue"/"pursue", "court" inside "courteous", 315
	// inside a longer number: none of them is the term.
	for _, text := range []string{"there is an issue I will pursue", "the staff were courteous", "金额3150元"} {
		if r := Analyze(text); r.Escalation {
			t.Errorf("Analyze(%q) flags escalation: %+v", text, r.Cues)
		}
	}
	if r := Analyze("They REFUSED and I was scammed"); !r.Anger || r.Cues[len(r.Cues)-1].Term != "scam" {
		t.Errorf("prefix term scam* should match scammed: %+v", r.Cues)
	}
}

func TestCueOffsets(t *testing.T) {
	text := "客服態度差，我要向１２３１５投訴"
	r := Analyze(text)
	if len(r.Cues) == 0 {
		t.Fatal("no cues")
	}
	var terms []string
	for _, c := range r.Cues {
		if c.Start < 0 || c.End > len(text) || c.Start >= c.End || !utf8.ValidString(text[c.Start:c.End]) {
			t.Fatalf("cue %+v out of bounds", c)
		}
		terms = append(terms, text[c.Start:c.End])
	}
	if got := strings.Join(terms, ","); got != "差,１２３１５,投訴" {
		t.Errorf("cue texts %q", got)
	}
}

func FuzzAnalyze(f *testing.F) {
	f.Add("不满意！！我要去12315投诉")
	f.Add("I can't pay rent\xff")
	f.Fuzz(func(t *testing.T, text string) {
		r := Analyze(text)
		if !(r.Score >= -1 && r.Score <= 1) {
			t.Fatalf("score %v", r.Score)
		}
		last := 0
		for _, c := range r.Cues {
			if c.Start < last || c.End > len(text) || c.Start >= c.End {
				t.Fatalf("cue %+v out of order or bounds in %q", c, text)
			}
			last = c.End
		}
		if r.SelfHarm && !r.Distress {
			t.Fatal("self-harm without distress")
		}
	})
}
