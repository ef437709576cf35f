package lang

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestDetect(t *testing.T) {
	cases := []struct {
		text string
		want Tag
	}{
		{"这个钱还没到我的账户，请尽快处理退款", Simplified},
		{"這個錢還沒到我的賬戶，請盡快處理退款", Traditional},
		{"我的銀行卡被盜刷了，為什麼還沒有退款？", Traditional},
		{"我的银行卡被盗刷了，为什么还没有退款？", Simplified},
		{"我要投诉", Simplified},
		{"我要投訴", Traditional},
		{"退款", Simplified}, // nothing tells the scripts apart: the mainland default
		{"我的PayPal账户被冻结了", Simplified},
		{"I was charged twice for the same order and the merchant will not refund me.", English},
		{"refund please", English},
		{"My Alipay account was frozen, 支付宝 support did not answer for two weeks.", English},
		{"Please refund 退款", English},
		{"注文した商品が届きませんでした。返金をお願いします。", Other},
		{"ありがとう", Other},
		{"환불해 주세요. 주문한 상품이 오지 않았습니다.", Other},
		{"Мне не вернули деньги за заказ", Other},
		{"لم أستلم المبلغ المسترد", Other},
		{"Je n'ai pas reçu mon remboursement pour cette commande", Other},
		{"Ich habe mein Geld nicht bekommen, bitte helfen Sie mir", Other},
		{"Todavía no he recibido mi reembolso por el pedido", Other},
		{"", Other},
		{"12345 !!! ???", Other},
		{"这个商店の东西很好", Simplified}, // one stray kana
		// Mostly Traditional with one Simplified-only character: majority wins.
		{"這個帳戶為什麼還沒有錢，银行說不知道", Traditional},
	}
	for _, c := range cases {
		if got := Detect(c.text); got != c.want {
			t.Errorf("Detect(%q) = %s, want %s (counts %+v)", c.text, got, c.want, Count(c.text))
		}
	}
}

func TestScriptTables(t *testing.T) {
	pairs := []struct{ simp, trad rune }{
		{'这', '這'}, {'为', '為'}, {'钱', '錢'}, {'银', '銀'}, {'还', '還'}, {'没', '沒'}, {'账', '賬'},
		{'说', '說'}, {'么', '麼'}, {'诉', '訴'}, {'单', '單'}, {'货', '貨'}, {'发', '發'},
	}
	for _, p := range pairs {
		if !IsSimplifiedOnly(p.simp) || IsTraditionalOnly(p.simp) {
			t.Errorf("%c should be Simplified-only", p.simp)
		}
		if !IsTraditionalOnly(p.trad) || IsSimplifiedOnly(p.trad) {
			t.Errorf("%c should be Traditional-only", p.trad)
		}
		if got := ToSimplified(string(p.trad)); got != string(p.simp) {
			t.Errorf("ToSimplified(%c) = %s, want %c", p.trad, got, p.simp)
		}
	}
	// Characters both scripts write the same, or that Taiwan or Hong Kong
	// keep (床, 户), must not count for either side.
	for _, r := range "款我的了后台里面床户" {
		if IsSimplifiedOnly(r) || IsTraditionalOnly(r) {
			t.Errorf("%c is shared by both scripts but counted for one", r)
		}
	}
	// The tables must be disjoint.
	for _, r := range traditionalOnly {
		if IsSimplifiedOnly(r) {
			t.Errorf("%c is in both tables", r)
		}
	}
}

func TestToSimplified(t *testing.T) {
	in := "請問為什麼我的錢還沒退回？訂單 No.123"
	want := "请问为什么我的钱还没退回？订单 No.123"
	if got := ToSimplified(in); got != want {
		t.Errorf("ToSimplified(%q) = %q, want %q", in, got, want)
	}
	if s := "already simplified 退款"; ToSimplified(s) != s {
		t.Errorf("ToSimplified changed %q", s)
	}
}

func FuzzDetect(f *testing.F) {
	f.Add("這個錢還沒到")
	f.Add("hello world")
	f.Add("\xff\xfe你")
	f.Fuzz(func(t *testing.T, s string) {
		switch Detect(s) {
		case Simplified, Traditional, English, Other:
		default:
			t.Fatalf("Detect(%q) returned an unknown tag", s)
		}
		out := ToSimplified(s)
		if utf8.ValidString(s) && (utf8.RuneCountInString(out) != utf8.RuneCountInString(s) || strings.IndexFunc(out, IsTraditionalOnly) >= 0) {
			t.Fatalf("ToSimplified(%q) = %q", s, out)
		}
	})
}
