package web

import "testing"

func TestParseAmount(t *testing.T) {
	for _, tc := range []struct {
		in, cur string
		want    int64
		err     string
	}{
		{"128.50", "CNY", 12850, ""},
		{"128.5", "CNY", 12850, ""},
		{"128", "CNY", 12800, ""},
		{"0.01", "CNY", 1, ""},
		{".5", "CNY", 50, ""},
		{"1,280.50", "CNY", 128050, ""},
		{"1,234,567.89", "USD", 123456789, ""},
		{"¥128.50", "CNY", 12850, ""},
		{"128.50元", "CNY", 12850, ""},
		{"CNY 128.50", "CNY", 12850, ""},
		{"１２８．５０", "CNY", 12850, ""}, // full-width, from a Chinese input method
		{" 128.50 ", "CNY", 12850, ""},
		{"128.500", "CNY", 12850, ""},
		{"0.07", "CNY", 7, ""},               // 0.07 is not exact in binary floating point
		{"1234567.89", "CNY", 123456789, ""}, // nor is this
		{"999999999999999", "JPY", 999999999999999, ""},
		{"5000", "JPY", 5000, ""},
		{"5000.0", "JPY", 5000, ""},
		{"5000.5", "JPY", 0, "error.amount_decimals"},
		{"128.505", "CNY", 0, "error.amount_decimals"},
		{"128,50", "CNY", 0, "error.amount_format"},
		{"1,28", "CNY", 0, "error.amount_format"},
		{"-5", "CNY", 0, "error.amount_format"},
		{"+5", "CNY", 0, "error.amount_format"},
		{"1e3", "CNY", 0, "error.amount_format"},
		{"12.", "CNY", 0, "error.amount_format"},
		{".", "CNY", 0, "error.amount_format"},
		{"", "CNY", 0, "error.amount_format"},
		{"abc", "CNY", 0, "error.amount_format"},
		{"1 000", "CNY", 0, "error.amount_format"},
		{"9999999999999999", "CNY", 0, "error.amount"},
	} {
		got, err := parseAmount(tc.in, tc.cur)
		switch {
		case tc.err == "" && err != nil:
			t.Errorf("parseAmount(%q, %s): %v", tc.in, tc.cur, err)
		case tc.err != "" && (err == nil || err.(*amountError).Key != tc.err):
			t.Errorf("parseAmount(%q, %s) = %d, %v; want error %s", tc.in, tc.cur, got, err, tc.err)
		case got != tc.want:
			t.Errorf("parseAmount(%q, %s) = %d, want %d", tc.in, tc.cur, got, tc.want)
		}
	}
}
