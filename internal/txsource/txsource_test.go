package txsource_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/redress-project/redress/internal/complaint"
	"github.com/redress-project/redress/internal/intake/records"
	"github.com/redress-project/redress/internal/store"
	"github.com/redress-project/redress/internal/store/storetest"
	"github.com/redress-project/redress/internal/txsource"
)

var (
	ctx = context.Background()
	t0  = time.Date(2026, 3, 1, 2, 15, 0, 0, time.UTC)
)

func txn(id string, at time.Time, minor int64) complaint.Transaction {
	return complaint.Transaction{ID: id, Time: at, Amount: complaint.Money{Minor: minor, Currency: "CNY"}, MerchantID: "M1", Status: "settled"}
}

// checkSource checks any Source holding T1, T2 of C1 and T3 of C2.
func checkSource(t *testing.T, src txsource.Source) {
	t.Helper()
	got, err := src.Lookup(ctx, "T2")
	if err != nil || got != txn("T2", t0.Add(time.Hour), 200) {
		t.Errorf("Lookup(T2) = %+v, %v", got, err)
	}
	if _, err := src.Lookup(ctx, "nope"); !errors.Is(err, txsource.ErrNotFound) {
		t.Errorf("Lookup(nope): %v", err)
	}
	all, err := src.ByCustomer(ctx, "C1", time.Time{}, time.Time{})
	if err != nil || len(all) != 2 || all[0].ID != "T1" || all[1].ID != "T2" {
		t.Errorf("ByCustomer(C1) = %+v, %v", all, err)
	}
	some, _ := src.ByCustomer(ctx, "C1", t0.Add(time.Minute), t0.Add(2*time.Hour))
	if len(some) != 1 || some[0].ID != "T2" {
		t.Errorf("ByCustomer in [from, to) = %+v", some)
	}
	if none, err := src.ByCustomer(ctx, "C9", time.Time{}, time.Time{}); err != nil || len(none) != 0 {
		t.Errorf("ByCustomer(C9) = %+v, %v", none, err)
	}
}

func TestMemory(t *testing.T) {
	m := txsource.NewMemory()
	m.Put("C1", txn("T2", t0.Add(time.Hour), 200))
	m.Put("C1", txn("T1", t0, 100))
	m.Put("C2", txn("T3", t0, 300))
	checkSource(t, m)
}

func TestLedger(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		err := st.UpsertLedger(ctx, []store.LedgerEntry{
			{CustomerID: "C1", Transaction: txn("T1", t0, 100)},
			{CustomerID: "C1", Transaction: txn("T2", t0.Add(time.Hour), 200)},
			{CustomerID: "C2", Transaction: txn("T3", t0, 300)},
		})
		if err != nil {
			t.Fatal(err)
		}
		checkSource(t, txsource.NewLedger(st))
	})
}

func decodeCSV(t *testing.T, csv string) ([]store.LedgerEntry, []error) {
	t.Helper()
	var out []store.LedgerEntry
	var errs []error
	err := records.Read(strings.NewReader(csv), records.CSV, records.Options{Columns: txsource.LedgerColumns}, func(r records.Record, err error) error {
		if err == nil {
			var e store.LedgerEntry
			if e, err = txsource.DecodeLedger(r, records.CSV); err == nil {
				out = append(out, e)
			}
		}
		if err != nil {
			errs = append(errs, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out, errs
}

func TestDecodeLedger(t *testing.T) {
	csv := "txn_id,time,amount,currency,customer_id,counterparty,merchant_id,status\n" +
		"T1,2026-03-01 10:15:00,128.50,CNY,C1,星巴克,M-100,settled\n" +
		"T2,2026-03-01T10:15:00Z,500,JPY,C1,,,\n" +
		"T3,2026-03-01 10:15:00,1.005,CNY,C1,,,\n" + // too many decimals
		"T4,2026-03-01 10:15:00,-5,CNY,C1,,,\n" + // negative
		"T5,2026-03-01 10:15:00,5,XYZ,C1,,,\n" + // unknown currency
		",2026-03-01 10:15:00,5,CNY,C1,,,\n" + // no id
		"T7,2099-01-01 00:00:00,5,CNY,C1,,,\n" + // in the future
		"T8,2026-03-01 10:15:00,5,cny,C1,,,\n" // lower-case currency is fine
	got, errs := decodeCSV(t, csv)
	if len(got) != 3 || got[0].Transaction.Amount.Minor != 12850 || got[0].Transaction.Time != t0 || got[0].Transaction.Counterparty != "星巴克" ||
		got[1].Transaction.Amount != (complaint.Money{Minor: 500, Currency: "JPY"}) || got[2].Transaction.Amount.Currency != "CNY" {
		t.Errorf("decoded %+v", got)
	}
	want := []string{"decimal places", "negative", "ISO 4217", "txn_id is required", "future"}
	if len(errs) != len(want) {
		t.Fatalf("errors %v", errs)
	}
	for i, w := range want {
		if !strings.Contains(errs[i].Error(), w) {
			t.Errorf("error %d %q, want %q", i, errs[i], w)
		}
	}
	for _, raw := range []string{
		`{"txn_id":"J1","time":"2026-03-01 10:15:00","amount":128.5,"currency":"CNY"}`,
		`{"txn_id":"J2","time":"2026-03-01 10:15:00","amount":"128.50","currency":"CNY"}`,
		`{"txn_id":"J3","time":"2026-03-01 10:15:00","amount_minor":12850,"currency":"CNY"}`,
	} {
		e, err := txsource.DecodeLedger(records.Record{Raw: []byte(raw)}, records.JSON)
		if err != nil || e.Transaction.Amount.Minor != 12850 {
			t.Errorf("%s: %+v %v", raw, e, err)
		}
	}
	for raw, says := range map[string]string{
		`{"txn_id":"J","time":"2026-03-01 10:00","amount_minor":1.5,"currency":"CNY"}`: "whole number",
		`{"txn_id":"J","time":"2026-03-01 10:00","amount":true,"currency":"CNY"}`:      "number or a string",
		`{"txn_id":5,"time":"2026-03-01 10:00","amount":1,"currency":"CNY"}`:           `field "txn_id" must be a string`,
		`[1,2]`: "must be a JSON object",
		`{"txn_id":"J","time":"2026-03-01 10:00","currency":"CNY"}`: "amount (or amount_minor) is required",
	} {
		if _, err := txsource.DecodeLedger(records.Record{Raw: []byte(raw)}, records.JSON); err == nil || !strings.Contains(err.Error(), says) {
			t.Errorf("%s: %v, want %q", raw, err, says)
		}
	}
}

func FuzzDecodeLedger(f *testing.F) {
	f.Add([]byte(`{"txn_id":"J1","time":"2026-03-01 10:15:00","amount":128.5,"currency":"CNY"}`), false)
	f.Add([]byte(`{"txn_id":"J3","time":"2026-03-01T10:15:00Z","amount_minor":"12850","currency":"JPY","customer_id":"C"}`), false)
	f.Add([]byte("T1,2026-03-01 10:15:00,128.50,CNY,C1"), true)
	f.Fuzz(func(t *testing.T, raw []byte, csv bool) {
		check := func(e store.LedgerEntry, err error) {
			if err != nil {
				return
			}
			if verr := e.Transaction.Validate("transaction"); verr != nil {
				t.Fatalf("decoded an invalid transaction %+v: %v", e, verr)
			}
			if len(e.CustomerID) > complaint.MaxIdentifier {
				t.Fatalf("customer id of %d bytes", len(e.CustomerID))
			}
		}
		if !csv {
			check(txsource.DecodeLedger(records.Record{Raw: raw}, records.JSON))
			return
		}
		records.Read(strings.NewReader("txn_id,time,amount,currency,customer_id\n"+string(raw)), records.CSV, records.Options{}, func(r records.Record, err error) error {
			if err == nil {
				check(txsource.DecodeLedger(r, records.CSV))
			}
			return nil
		})
	})
}
