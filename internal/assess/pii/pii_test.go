package pii

import (
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"
)

// Test numbers were made with an independent script (ISO 7064 MOD 11-2,
// Luhn); the IBANs are the registry's published examples.
const (
	idX       = "11010519491231002X"
	idDigit   = "310115199003071239"
	idLeapDay = "11010120000229123X"
	visa      = "4111111111111111"
	unionPay  = "6222021234567890128" // 19 digits, BIN 62
	amex      = "378282246310005"
	ibanDE    = "DE89370400440532013000"
	ibanGB    = "GB82WEST12345698765432"
)

type want struct {
	kind  Kind
	value string
}

func TestFind(t *testing.T) {
	cases := []struct {
		text string
		want []want
	}{
		{"身份证号" + idX + "，请核实", []want{{ResidentID, idX}}},
		{"ID: " + strings.ToLower(idX), []want{{ResidentID, strings.ToLower(idX)}}},
		{"身份证 " + idDigit, []want{{ResidentID, idDigit}}},
		{"身份证 110105 19491231 002X", []want{{ResidentID, "110105 19491231 002X"}}},
		{idLeapDay, []want{{ResidentID, idLeapDay}}},
		{"手机13812345678，谢谢", []want{{Mobile, "13812345678"}}},
		{"电话 138 1234 5678 或 138-1234-5678", []want{{Mobile, "138 1234 5678"}, {Mobile, "138-1234-5678"}}},
		{"call +86 139 1234 5678 now", []want{{Mobile, "+86 139 1234 5678"}}},
		{"+8615912345678", []want{{Mobile, "+8615912345678"}}},
		{"8615912345678", []want{{Mobile, "8615912345678"}}},
		{"0086-159-1234-5678", []want{{Mobile, "0086-159-1234-5678"}}},
		{"2024-05-01 13812345678 联系", []want{{Mobile, "13812345678"}}},
		{"手机：１３８１２３４５６７８", []want{{Mobile, "１３８１２３４５６７８"}}},
		{"卡号" + unionPay + "被盗刷", []want{{BankCard, unionPay}}},
		{"card 4111 1111 1111 1111.", []want{{BankCard, "4111 1111 1111 1111"}}},
		{"卡号 6222 0212 3456 7890 128", []want{{BankCard, "6222 0212 3456 7890 128"}}},
		{"amex 3782 822463 10005", []want{{BankCard, "3782 822463 10005"}}},
		{"Visa " + visa + " and mail zhang.san+refund@example.com.cn.", []want{{BankCard, visa}, {Email, "zhang.san+refund@example.com.cn"}}},
		{"邮箱：z@qq.com", []want{{Email, "z@qq.com"}}},
		{"IBAN DE89 3704 0044 0532 0130 00 EUR", []want{{IBAN, "DE89 3704 0044 0532 0130 00"}}},
		{"pay to " + ibanGB + ".", []want{{IBAN, ibanGB}}},
		{"mixed " + idX + " 13812345678 " + ibanDE + " a@b.io",
			[]want{{ResidentID, idX}, {Mobile, "13812345678"}, {IBAN, ibanDE}, {Email, "a@b.io"}}},
	}
	for _, c := range cases {
		got := Find(c.text)
		if len(got) != len(c.want) {
			t.Errorf("Find(%q) = %+v, want %v", c.text, got, c.want)
			continue
		}
		for i, s := range got {
			if s.Kind != c.want[i].kind || s.Value != c.want[i].value || c.text[s.Start:s.End] != s.Value {
				t.Errorf("Find(%q)[%d] = %+v, want %v", c.text, i, s, c.want[i])
			}
		}
	}
}

func TestFindRejects(t *testing.T) {
	for _, text := range []string{
		"身份证 110105194912310021",          // check digit should be X
		"身份证 110105190002291239",          // checksum fine, but 1900-02-29 is no date
		"身份证 110105194913310021",          // month 13
		"990105194912310023",              // no province 99
		"订单号 202305121381234567890",       // mobile digits inside a longer run
		"订单号12345678901234567890123",      // long order number
		"order 2023051213812345",          // 16 digits starting 2023: not a card prefix
		"卡号 4111111111111112",             // Luhn fails
		"卡号 6222021234567890127",          // Luhn fails (UnionPay BIN)
		"tracking TB13812345678",          // glued to letters
		"13812345678abc",                  // glued to letters
		"12812345678",                     // 12x is not a mobile prefix
		"138123456789",                    // 12 digits
		"1381 2345 678",                   // not a mobile grouping
		"DE89 3704 0044 0532 0130 01",     // IBAN mod 97 fails
		"DE89370400440532013000X",         // IBAN glued to a letter
		"XX89370400440532013000",          // unknown country
		"@example.com and a@b and a@b.c1", // no local part / no TLD
		"金额 13800 元，共 5678 件",             // numbers that only look close
	} {
		if got := Find(text); len(got) != 0 {
			t.Errorf("Find(%q) = %+v, want nothing", text, got)
		}
	}
}

func TestMask(t *testing.T) {
	cases := []struct{ in, want string }{
		{"身份证" + idX + "。", "身份证110105********002X。"},
		{"身份证 110105 19491231 002X", "身份证 110105 ******** 002X"},
		{"手机13812345678", "手机138****5678"},
		{"+86 138-1234-5678", "+86 138-****-5678"},
		{"+8613812345678", "+86138****5678"},
		{"１３８１２３４５６７８", "１３８****５６７８"},
		{"卡号" + unionPay, "卡号***************0128"},
		{"4111 1111 1111 1111", "**** **** **** 1111"},
		{"zhang@example.com", "z***@example.com"},
		{"DE89370400440532013000", "DE****************3000"},
		{"DE89 3704 0044 0532 0130 00", "DE** **** **** **** **30 00"},
		{"no pii here 订单 123", "no pii here 订单 123"},
		{"bad \xff utf8 13812345678", "bad \uFFFD utf8 138****5678"},
	}
	for _, c := range cases {
		if got := Mask(c.in); got != c.want {
			t.Errorf("Mask(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// TestIDCheckDigits feeds every wrong check character to the detector.
func TestIDCheckDigits(t *testing.T) {
	for _, c := range "0123456789X" {
		id := idX[:17] + string(c)
		if got := len(Find(id)) == 1; got != (c == 'X') {
			t.Errorf("Find(%s) found=%v", id, got)
		}
	}
}

func FuzzFindMask(f *testing.F) {
	f.Add("身份证" + idX + " 手机 +86 138 1234 5678 卡 " + unionPay + " a@b.cn " + ibanDE)
	f.Add("１３８１２３４５６７８ ６２２２")
	f.Add("x@y.zz@w.com 4111 1111 1111 1111 1")
	f.Add("\xff\xfe138123456789")
	f.Fuzz(func(t *testing.T, text string) {
		spans := Find(text)
		last := 0
		for _, s := range spans {
			if s.Start < last || s.End > len(text) || s.Start >= s.End {
				t.Fatalf("Find(%q): span %+v out of order, bounds or empty", text, s)
			}
			if text[s.Start:s.End] != s.Value {
				t.Fatalf("Find(%q): span %+v value differs from text", text, s)
			}
			last = s.End
		}
		masked := Mask(text)
		if !utf8.ValidString(masked) {
			t.Fatalf("Mask(%q) = %q is not valid UTF-8", text, masked)
		}
		// A detected value may survive only where the text has another
		// copy of it outside every span (inside an undetected longer number).
		var outside strings.Builder
		last = 0
		for _, s := range spans {
			outside.WriteString(text[last:s.Start] + "\x00")
			last = s.End
		}
		outside.WriteString(text[last:])
		for _, s := range spans {
			if strings.Count(masked, s.Value) > strings.Count(outside.String(), s.Value) {
				t.Fatalf("Mask(%q) = %q still contains %q", text, masked, s.Value)
			}
		}
	})
}

func ExampleMask() {
	fmt.Println(Mask("我的手机13812345678，身份证11010519491231002X，邮箱zhang@example.com"))
	// Output: 我的手机138****5678，身份证110105********002X，邮箱z***@example.com
}
