package classify

import (
	"math/rand/v2"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// syntheticCorpus makes n labelled texts of about length runes: each label
// prefers its own slice of a character pool, over a shared background, so
// the classifier has something to learn. English texts use words.
func syntheticCorpus(n, labels, length int, english bool, seed uint64) []Example {
	rng := rand.New(rand.NewPCG(seed, 1))
	zh := []rune("的一是不了人我在有他这中大来上个国到说们为子和你地出道也时年得就那要下以生会自着去之过家学对可她里后小么心多天而能好都然没日于起还发成事只作当想看文无开手十用主行方又如前所本见经头面公同三已老从动两长知民样现分将外但身些与二么退款账户商家快递客服投诉银行卡冻结支付宝微信订单物流")
	words := strings.Fields("refund account card payment bank charged twice merchant order delivery fraud dispute credit report loan debt collector fee interest balance transfer wallet locked frozen customer service called said would never received the and to of my was it for on not have with this but they")
	out := make([]Example, n)
	for i := range out {
		l := i % labels
		var b strings.Builder
		for utf8.RuneCountInString(b.String()) < length {
			if english {
				k := rng.IntN(len(words))
				if rng.IntN(3) == 0 {
					k = (l*5 + rng.IntN(5)) % len(words)
				}
				b.WriteString(words[k])
				b.WriteByte(' ')
				continue
			}
			k := rng.IntN(len(zh))
			if rng.IntN(3) == 0 {
				k = (l*15 + rng.IntN(15)) % len(zh)
			}
			b.WriteRune(zh[k])
		}
		out[i] = Example{Text: string([]rune(b.String())[:length]), Label: string(rune('A' + l))}
	}
	return out
}

// benchPredict measures prediction of 200-character texts on one core.
func benchPredict(b *testing.B, train, texts []Example) {
	m, err := Train(train, Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	start := time.Now()
	for i := 0; b.Loop(); i++ {
		m.Predict(texts[i%len(texts)].Text)
	}
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "texts/s")
}

func BenchmarkPredict200Chinese(b *testing.B) {
	ex := syntheticCorpus(4000, 14, 200, false, 1)
	benchPredict(b, ex[:3000], ex[3000:])
}

func BenchmarkPredict200English(b *testing.B) {
	ex := syntheticCorpus(4000, 9, 200, true, 2)
	benchPredict(b, ex[:3000], ex[3000:])
}

// BenchmarkPredict200Real uses the CFPB model and the first 200
// characters of each dev narrative.
func BenchmarkPredict200Real(b *testing.B) {
	train := load(b, "cfpb_complaints", "train.csv", "narrative", "product_group")
	dev := load(b, "cfpb_complaints", "dev.csv", "narrative", "product_group")
	for i := range dev {
		if r := []rune(dev[i].Text); len(r) > 200 {
			dev[i].Text = string(r[:200])
		}
	}
	benchPredict(b, train, dev)
}

// BenchmarkPredict200RealChinese uses the 14-label dispute-type model and
// 200-character texts made by joining online_shopping_10_cats dev reviews.
func BenchmarkPredict200RealChinese(b *testing.B) {
	train := load(b, "zh_ecommerce_dispute_appeals", "train.csv", "content", "label_l1")
	reviews := load(b, "online_shopping_10_cats", "dev.csv", "review", "label")
	benchPredict(b, train, joinTo200(reviews))
}

// joinTo200 concatenates texts into 200-character pieces.
func joinTo200(ex []Example) []Example {
	var out []Example
	var cur []rune
	for _, e := range ex {
		cur = append(cur, []rune(e.Text)...)
		for len(cur) >= 200 {
			out = append(out, Example{Text: string(cur[:200])})
			cur = cur[200:]
		}
	}
	return out
}

// BenchmarkTrain40k trains on 40,000 real review texts: all of
// online_shopping_10_cats/train.csv and the first waimai_10k rows.
func BenchmarkTrain40k(b *testing.B) {
	ex := load(b, "online_shopping_10_cats", "train.csv", "review", "label")
	ex = append(ex, load(b, "waimai_10k", "train.csv", "review", "label")[:40000-len(ex)]...)
	b.ResetTimer()
	for b.Loop() {
		if _, err := Train(ex, Options{}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(ex)), "texts")
}
