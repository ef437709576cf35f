package web

import (
	"strconv"
	"strings"

	"golang.org/x/text/width"

	"github.com/redress-project/redress/internal/complaint"
)

// amountError says why an amount could not be read; Key is its catalog key.
type amountError struct {
	Key    string
	Digits int // the currency's decimals, for "error.amount_decimals"
}

func (e *amountError) Error() string { return e.Key }

// maxAmountDigits bounds the whole part: 10^15 minor units is the domain's
// limit, so 15 digits always fit in an int64 after scaling.
const maxAmountDigits = 15

// parseAmount reads an amount as a person types it — "128.50", "128.5",
// "1,280.50", "¥128.50", or with full-width digits from a Chinese input
// method, "１２８．５０" — and returns it in minor units of currency cur
// (12850 for 128.50 CNY). It parses the decimal string digit by digit and
// never goes through floating point. A comma is accepted only as a
// thousands separator ("128,50" is refused rather than misread), and more
// decimals than the currency has are refused rather than rounded.
func parseAmount(s, cur string) (int64, error) {
	bad := &amountError{Key: "error.amount_format"}
	s = strings.TrimSpace(width.Narrow.String(s))
	for _, sym := range []string{"¥", "$", "€", "£", "元", "RMB", "rmb", cur, strings.ToLower(cur)} {
		if sym != "" {
			s = strings.TrimSpace(strings.TrimSuffix(strings.TrimPrefix(s, sym), sym))
		}
	}
	if s == "" {
		return 0, bad
	}
	whole, frac, hasPoint := strings.Cut(s, ".")
	if strings.Contains(whole, ",") {
		groups := strings.Split(whole, ",")
		if len(groups[0]) == 0 || len(groups[0]) > 3 {
			return 0, bad
		}
		for _, g := range groups[1:] {
			if len(g) != 3 {
				return 0, bad
			}
		}
		whole = strings.Join(groups, "")
	}
	if whole == "" {
		whole = "0"
	}
	if (hasPoint && frac == "") || !digitsOnly(whole) || !digitsOnly(frac) {
		return 0, bad
	}
	whole = strings.TrimLeft(whole, "0")
	if len(whole) > maxAmountDigits {
		return 0, &amountError{Key: "error.amount"}
	}
	digits := complaint.Money{Currency: cur}.MinorDigits()
	if len(frac) > digits {
		// Trailing zeros beyond the currency's decimals change nothing.
		trimmed := strings.TrimRight(frac[digits:], "0")
		if trimmed != "" {
			return 0, &amountError{Key: "error.amount_decimals", Digits: digits}
		}
		frac = frac[:digits]
	}
	frac += strings.Repeat("0", digits-len(frac))
	n, err := strconv.ParseInt("0"+whole+frac, 10, 64)
	if err != nil {
		return 0, &amountError{Key: "error.amount"}
	}
	return n, nil
}

func digitsOnly(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}
