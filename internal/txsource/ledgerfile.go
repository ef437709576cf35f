package txsource

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/redress-project/redress/internal/complaint"
	"github.com/redress-project/redress/internal/intake/records"
	"github.com/redress-project/redress/internal/store"
)

// LedgerColumns are the columns of a ledger export in CSV (see
// docs/intake.md).
var LedgerColumns = records.Columns{
	Required: []string{"txn_id", "time", "currency"},
	AnyOf:    [][]string{{"amount", "amount_minor"}},
}

// ledgerJSON is one transaction of a ledger export in JSON.
type ledgerJSON struct {
	TxnID        string          `json:"txn_id"`
	Time         string          `json:"time"`
	Amount       json.RawMessage `json:"amount"`       // decimal, as a string or a number: "128.50"
	AmountMinor  json.RawMessage `json:"amount_minor"` // whole minor units: 12850
	Currency     string          `json:"currency"`
	CustomerID   string          `json:"customer_id"`
	Counterparty string          `json:"counterparty"`
	MerchantID   string          `json:"merchant_id"`
	Status       string          `json:"status"`
}

// DecodeLedger turns one record of a ledger export into an entry, checked
// as a case would check its transaction.
func DecodeLedger(rec records.Record, format records.Format) (store.LedgerEntry, error) {
	var j ledgerJSON
	var amount, minor string
	switch format {
	case records.CSV:
		j = ledgerJSON{TxnID: rec.Get("txn_id"), Time: rec.Get("time"), Currency: rec.Get("currency"),
			CustomerID: rec.Get("customer_id"), Counterparty: rec.Get("counterparty"), MerchantID: rec.Get("merchant_id"),
			Status: rec.Get("status")}
		amount, minor = rec.Get("amount"), rec.Get("amount_minor")
	default:
		if err := records.Unmarshal(rec.Raw, &j); err != nil {
			return store.LedgerEntry{}, err
		}
		var err error
		if amount, err = numberText("amount", j.Amount); err != nil {
			return store.LedgerEntry{}, err
		}
		if minor, err = numberText("amount_minor", j.AmountMinor); err != nil {
			return store.LedgerEntry{}, err
		}
	}
	if strings.TrimSpace(j.TxnID) == "" {
		return store.LedgerEntry{}, errors.New("txn_id is required")
	}
	at, err := records.ParseTime(j.Time)
	if err != nil {
		return store.LedgerEntry{}, fmt.Errorf("time: %v", err)
	}
	money := complaint.Money{Currency: strings.ToUpper(strings.TrimSpace(j.Currency))}
	switch {
	case minor != "":
		n, err := strconv.ParseInt(minor, 10, 64)
		if err != nil {
			return store.LedgerEntry{}, fmt.Errorf("amount_minor %q is not a whole number of minor units", minor)
		}
		money.Minor = n
	case amount != "":
		if err := money.Validate("amount"); err != nil { // the currency decides the decimals
			return store.LedgerEntry{}, err
		}
		if money.Minor, err = records.ParseAmount(amount, money.MinorDigits()); err != nil {
			return store.LedgerEntry{}, err
		}
	default:
		return store.LedgerEntry{}, errors.New("amount (or amount_minor) is required")
	}
	t := complaint.Transaction{ID: strings.TrimSpace(j.TxnID), Time: complaint.Timestamp(at), Amount: money,
		Counterparty: strings.TrimSpace(j.Counterparty), MerchantID: strings.TrimSpace(j.MerchantID), Status: strings.TrimSpace(j.Status)}
	if err := t.Validate("transaction"); err != nil {
		var v *complaint.ValidationError
		if errors.As(err, &v) {
			return store.LedgerEntry{}, fmt.Errorf("%s: %s", strings.TrimPrefix(v.Field, "transaction."), v.Message)
		}
		return store.LedgerEntry{}, err
	}
	e := store.LedgerEntry{CustomerID: strings.TrimSpace(j.CustomerID), Transaction: t}
	if len(e.CustomerID) > complaint.MaxIdentifier {
		return store.LedgerEntry{}, fmt.Errorf("customer_id is over %d characters", complaint.MaxIdentifier)
	}
	return e, nil
}

// numberText returns a JSON number or string as text ("" when absent or null).
func numberText(field string, raw json.RawMessage) (string, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return "", nil
	}
	if raw[0] == '"' {
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return "", fmt.Errorf("field %q: %v", field, err)
		}
		return strings.TrimSpace(s), nil
	}
	var n json.Number
	if err := json.Unmarshal(raw, &n); err != nil {
		return "", fmt.Errorf("field %q must be a number or a string", field)
	}
	return n.String(), nil
}
