package complaint

import (
	"fmt"
	"strings"

	"golang.org/x/text/currency"
)

// Money is an amount in integer minor units (fen for CNY, cents for USD) of
// an ISO 4217 currency. Floating point never touches money.
type Money struct {
	Minor    int64  `json:"minor"`
	Currency string `json:"currency"`
}

// maxMinor bounds amounts to what any payment platform could carry
// (10^15 minor units) so sums of many amounts cannot overflow int64.
const maxMinor = 1_000_000_000_000_000

// Validate checks the amount is non-negative and bounded and the currency is
// a known ISO 4217 code.
func (m Money) Validate(field string) error {
	if m.Minor < 0 || m.Minor > maxMinor {
		return &ValidationError{Code: CodeInvalidAmount, Field: field + ".minor",
			Message: fmt.Sprintf("amount must be a whole number of minor units between 0 and %d", int64(maxMinor))}
	}
	if _, err := parseCurrency(m.Currency); err != nil {
		return &ValidationError{Code: CodeUnknownCurrency, Field: field + ".currency",
			Message: fmt.Sprintf("%q is not an ISO 4217 currency code", m.Currency)}
	}
	return nil
}

func parseCurrency(code string) (currency.Unit, error) {
	if len(code) != 3 || strings.ToUpper(code) != code {
		return currency.Unit{}, fmt.Errorf("currency code must be three capital letters")
	}
	return currency.ParseISO(code)
}

// MinorDigits is the number of decimal places of the currency (2 for CNY,
// 0 for JPY).
func (m Money) MinorDigits() int {
	unit, err := parseCurrency(m.Currency)
	if err != nil {
		return 2
	}
	scale, _ := currency.Standard.Rounding(unit)
	return scale
}

// String formats the amount with its currency's decimals, e.g. "CNY 1234.50".
func (m Money) String() string {
	digits := m.MinorDigits()
	if digits == 0 {
		return fmt.Sprintf("%s %d", m.Currency, m.Minor)
	}
	div := int64(1)
	for range digits {
		div *= 10
	}
	return fmt.Sprintf("%s %d.%0*d", m.Currency, m.Minor/div, digits, m.Minor%div)
}
