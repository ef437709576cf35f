package store_test

import (
	"bytes"
	"errors"
	"testing"
	"time"

	"github.com/redress-project/redress/internal/complaint"
	"github.com/redress-project/redress/internal/store"
	"github.com/redress-project/redress/internal/store/storetest"
)

func TestIntakeMessageClaims(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		payload := []byte("From: a@b.cn\r\n\r\n\xff binary \x00 kept as is")
		m := store.IntakeMessage{Channel: complaint.ChannelEmail, SourceID: "msg-1@b.cn", ReceivedAt: t0, Payload: payload, SHA256: "abc"}
		first, claimed, err := s.ClaimIntakeMessage(ctx, m, time.Minute)
		if err != nil || !claimed || first.ID == 0 || first.Status != store.IntakePending || !bytes.Equal(first.Payload, payload) ||
			!first.ReceivedAt.Equal(complaint.Timestamp(t0)) {
			t.Fatalf("first claim: %+v %v %v", first, claimed, err)
		}
		// Leased: another handler may not take it.
		again, claimed, err := s.ClaimIntakeMessage(ctx, m, time.Minute)
		if err != nil || claimed || again.ID != first.ID || again.LeaseUntil.IsZero() {
			t.Fatalf("claim while leased: %+v %v %v", again, claimed, err)
		}
		// Released (its handler failed): taken over at once, payload unchanged.
		if err := s.ReleaseIntakeMessage(ctx, first.ID); err != nil {
			t.Fatal(err)
		}
		m2 := m
		m2.Payload = []byte("other")
		over, claimed, err := s.ClaimIntakeMessage(ctx, m2, time.Minute)
		if err != nil || !claimed || !bytes.Equal(over.Payload, payload) {
			t.Fatalf("take-over: %+v %v %v", over, claimed, err)
		}
		if err := s.DecideIntakeMessage(ctx, first.ID, "repeat", "CP-2026-AAAAAAAA", "same transaction T1"); err != nil {
			t.Fatal(err)
		}
		got, err := s.IntakeMessageBySource(ctx, complaint.ChannelEmail, "msg-1@b.cn")
		if err != nil || got.Decision != "repeat" || got.CaseRef != "CP-2026-AAAAAAAA" || got.Status != store.IntakePending {
			t.Fatalf("decided: %+v %v", got, err)
		}
		if err := s.FinishIntakeMessage(ctx, first.ID, store.IntakeRepeat, "CP-2026-AAAAAAAA", "same transaction T1"); err != nil {
			t.Fatal(err)
		}
		// Finished: a claim returns what became of it, and changes nothing.
		done, claimed, err := s.ClaimIntakeMessage(ctx, m, -time.Minute)
		if err != nil || claimed || done.Status != store.IntakeRepeat || done.CaseRef != "CP-2026-AAAAAAAA" || !done.LeaseUntil.IsZero() {
			t.Fatalf("claim after finishing: %+v %v %v", done, claimed, err)
		}
		if err := s.FinishIntakeMessage(ctx, first.ID, store.IntakeFiled, "x", ""); err == nil {
			t.Error("a finished message finished again")
		}
		if err := s.FinishIntakeMessage(ctx, first.ID, "bogus", "x", ""); err == nil {
			t.Error("finished with an unknown status")
		}
		// Same source id on another channel: another message.
		other := m
		other.Channel = complaint.ChannelChat
		if _, claimed, err := s.ClaimIntakeMessage(ctx, other, time.Minute); err != nil || !claimed {
			t.Errorf("same id, other channel: %v %v", claimed, err)
		}
		if _, err := s.IntakeMessageBySource(ctx, complaint.ChannelSocial, "nope"); !errors.Is(err, complaint.ErrNotFound) {
			t.Errorf("unknown message: %v", err)
		}
		counts, err := s.CountIntakeMessages(ctx)
		if err != nil || counts[store.IntakeRepeat] != 1 || counts[store.IntakePending] != 1 {
			t.Errorf("counts %v %v", counts, err)
		}
		msgs, err := s.IntakeMessagesOfCase(ctx, "CP-2026-AAAAAAAA")
		if err != nil || len(msgs) != 1 || msgs[0].SourceID != "msg-1@b.cn" {
			t.Errorf("messages of case: %+v %v", msgs, err)
		}
	})
}

func TestIntakeLeaseExpires(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		now := t0
		store.SetClock(s, func() time.Time { return now })
		m := store.IntakeMessage{Channel: complaint.ChannelHotline, SourceID: "HL-1", ReceivedAt: t0, Payload: []byte("{}"), SHA256: "x"}
		if _, claimed, _ := s.ClaimIntakeMessage(ctx, m, time.Minute); !claimed {
			t.Fatal("not claimed")
		}
		now = t0.Add(59 * time.Second)
		if _, claimed, _ := s.ClaimIntakeMessage(ctx, m, time.Minute); claimed {
			t.Fatal("claimed within the lease")
		}
		now = t0.Add(61 * time.Second)
		if _, claimed, _ := s.ClaimIntakeMessage(ctx, m, time.Minute); !claimed {
			t.Fatal("not taken over after the lease")
		}
	})
}

func TestOpenCasesOfCustomer(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		store.SetClock(s, func() time.Time { return t0 })
		byID := create(t, s, newDraft(withEvidence, func(d *complaint.Draft) { d.Customer.Email, d.Customer.Phone = "", "" }), t0.Add(-time.Hour))
		byEmail := create(t, s, newDraft(func(d *complaint.Draft) { d.Customer.ID, d.Customer.Phone = "", "" }), t0.Add(-2*time.Hour))
		byPhone := create(t, s, newDraft(func(d *complaint.Draft) {
			d.Customer.ID, d.Customer.Email, d.Customer.Phone = "", "", "(+86) 138-0013-8000"
		}), t0.Add(-3*time.Hour))
		old := create(t, s, newDraft(), t0.Add(-40*24*time.Hour))
		closed := create(t, s, newDraft(), t0.Add(-time.Hour))
		apply(t, s, closed, func(c *complaint.Case) (complaint.Event, error) {
			return c.Transition(complaint.StatusWithdrawn, "", agent, t0, complaint.DefaultRules)
		})
		other := create(t, s, newDraft(func(d *complaint.Draft) {
			d.Customer = complaint.Customer{ID: "cust-2", Name: "Other", Email: "other@example.com", Phone: "13900000000"}
		}), t0)

		since := t0.Add(-30 * 24 * time.Hour)
		keys := store.CustomerKeys{ID: "cust-1", Email: "zhang.wei@example.com", Phones: []string{"13800138000", "+8613800138000"}}
		got, err := s.OpenCasesOfCustomer(ctx, keys, since)
		if err != nil {
			t.Fatal(err)
		}
		want := []string{byID.Ref, byEmail.Ref, byPhone.Ref} // most recently seen first
		if g := recentRefs(got); !equal(g, want) {
			t.Errorf("open cases %v, want %v (old %s, closed %s, other %s)", g, want, old.Ref, closed.Ref, other.Ref)
		}
		if !got[0].LastSeen.Equal(byID.CreatedAt) {
			t.Errorf("last seen %v, want the creation time %v", got[0].LastSeen, byID.CreatedAt)
		}
		for _, k := range []store.CustomerKeys{{ID: "cust-1"}, {Email: "zhang.wei@example.com"}, {Phones: []string{"+8613800138000"}}} {
			got, err := s.OpenCasesOfCustomer(ctx, k, since)
			if err != nil || len(got) == 0 {
				t.Errorf("keys %+v found %v, %v", k, recentRefs(got), err)
			}
		}
		if got, err := s.OpenCasesOfCustomer(ctx, store.CustomerKeys{}, since); err != nil || len(got) != 0 {
			t.Errorf("no keys: %v %v", got, err)
		}
		// An intake message linked to the old case makes it recent again.
		m := store.IntakeMessage{Channel: complaint.ChannelEmail, SourceID: "late", ReceivedAt: t0.Add(-24 * time.Hour), Payload: []byte("x"), SHA256: "x",
			Customer: complaint.Customer{Email: "new@example.com", Phone: "13700000000"}}
		st, _, err := s.ClaimIntakeMessage(ctx, m, time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.FinishIntakeMessage(ctx, st.ID, store.IntakeRepeat, old.Ref, ""); err != nil {
			t.Fatal(err)
		}
		got, _ = s.OpenCasesOfCustomer(ctx, store.CustomerKeys{ID: "cust-1"}, since)
		if g := recentRefs(got); !equal(g, []string{byID.Ref, old.Ref}) {
			t.Errorf("after a repeat the old case is recent: %v", g)
		}

		// The sender of a message linked to a case identifies it too.
		got, _ = s.OpenCasesOfCustomer(ctx, store.CustomerKeys{Phones: []string{"13700000000", "+8613700000000"}}, since)
		if g := recentRefs(got); !equal(g, []string{old.Ref}) {
			t.Errorf("by a linked message's phone: %v", g)
		}
		senders, err := s.CustomersOfCases(ctx, []string{old.Ref, byID.Ref})
		if err != nil || len(senders[old.Ref]) != 1 || senders[old.Ref][0].Email != "new@example.com" || len(senders[byID.Ref]) != 0 {
			t.Errorf("senders %+v %v", senders, err)
		}

		byTxn, err := s.OpenCasesWithTransactions(ctx, []string{"tx-2", "nope"}, since)
		if err != nil || !equal(recentRefs(byTxn), []string{byID.Ref}) {
			t.Errorf("by transaction: %v %v", recentRefs(byTxn), err)
		}
		if got, err := s.OpenCasesWithTransactions(ctx, nil, since); err != nil || len(got) != 0 {
			t.Errorf("no transactions: %v %v", got, err)
		}
	})
}

func recentRefs(rc []store.RecentCase) []string {
	var out []string
	for _, r := range rc {
		out = append(out, r.Case.Ref)
	}
	return out
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestImportCheckpoints(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		cp, err := s.ImportCheckpoint(ctx, "hotline/csv", "abc")
		if err != nil || cp.Next != 0 || cp.Done {
			t.Fatalf("new file: %+v %v", cp, err)
		}
		for _, save := range []store.ImportCheckpoint{
			{Kind: "hotline/csv", FileSHA256: "abc", Path: "a.csv", Next: 100},
			{Kind: "hotline/csv", FileSHA256: "abc", Path: "b.csv", Next: 50}, // an older run: never moves back
		} {
			if err := s.SaveImportCheckpoint(ctx, save); err != nil {
				t.Fatal(err)
			}
		}
		cp, _ = s.ImportCheckpoint(ctx, "hotline/csv", "abc")
		if cp.Next != 100 || cp.Done || cp.Path != "b.csv" {
			t.Errorf("checkpoint %+v", cp)
		}
		s.SaveImportCheckpoint(ctx, store.ImportCheckpoint{Kind: "hotline/csv", FileSHA256: "abc", Path: "a.csv", Next: 120, Done: true})
		s.SaveImportCheckpoint(ctx, store.ImportCheckpoint{Kind: "hotline/csv", FileSHA256: "abc", Path: "a.csv", Next: 10})
		cp, _ = s.ImportCheckpoint(ctx, "hotline/csv", "abc")
		if cp.Next != 120 || !cp.Done {
			t.Errorf("done checkpoint %+v", cp)
		}
		if cp, _ := s.ImportCheckpoint(ctx, "chat/csv", "abc"); cp.Next != 0 {
			t.Errorf("another kind shares the checkpoint: %+v", cp)
		}
	})
}

func TestLedger(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		tx := func(id string, at time.Time, minor int64) complaint.Transaction {
			return complaint.Transaction{ID: id, Time: at, Amount: complaint.Money{Minor: minor, Currency: "CNY"}, Counterparty: "店", MerchantID: "M1", Status: "settled"}
		}
		entries := []store.LedgerEntry{
			{CustomerID: "C1", Transaction: tx("T1", t0, 100)},
			{CustomerID: "C1", Transaction: tx("T2", t0.Add(time.Hour), 200)},
			{CustomerID: "C2", Transaction: tx("T3", t0, 300)},
			{CustomerID: "C1", Transaction: tx("T1", t0, 111)}, // listed twice: the last wins
		}
		if err := s.UpsertLedger(ctx, entries); err != nil {
			t.Fatal(err)
		}
		e, err := s.LedgerTransaction(ctx, "T1")
		if err != nil || e.Transaction.Amount.Minor != 111 || e.CustomerID != "C1" || !e.Transaction.Time.Equal(complaint.Timestamp(t0)) || e.ImportedAt.IsZero() {
			t.Errorf("T1 = %+v, %v", e, err)
		}
		// A later export replaces the row.
		if err := s.UpsertLedger(ctx, []store.LedgerEntry{{CustomerID: "C1", Transaction: tx("T2", t0.Add(time.Hour), 250)}}); err != nil {
			t.Fatal(err)
		}
		got, err := s.LedgerByCustomer(ctx, "C1", time.Time{}, time.Time{}, 0)
		if err != nil || len(got) != 2 || got[0].Transaction.ID != "T1" || got[1].Transaction.Amount.Minor != 250 {
			t.Errorf("by customer: %+v %v", got, err)
		}
		got, _ = s.LedgerByCustomer(ctx, "C1", t0.Add(time.Minute), t0.Add(2*time.Hour), 0)
		if len(got) != 1 || got[0].Transaction.ID != "T2" {
			t.Errorf("by customer in a window: %+v", got)
		}
		if _, err := s.LedgerTransaction(ctx, "nope"); !errors.Is(err, complaint.ErrNotFound) {
			t.Errorf("unknown transaction: %v", err)
		}
		many := make([]store.LedgerEntry, 1200)
		for i := range many {
			many[i] = store.LedgerEntry{CustomerID: "C9", Transaction: tx("B"+string(rune('a'+i%26))+time.Duration(i).String(), t0, int64(i))}
		}
		if err := s.UpsertLedger(ctx, many); err != nil {
			t.Fatal(err)
		}
		if n := store.Count(t, s, "ledger_transactions", "customer_id = ?", "C9"); n != 1200 {
			t.Errorf("stored %d of 1200 in batches", n)
		}
	})
}

func TestCaseRefByIdempotencyKey(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		c, e := open(t, newDraft(), t0)
		if err := s.CreateCase(ctx, c, e, &store.Idempotency{Scope: "user:0", Key: "intake:k", RequestHash: "h"}); err != nil {
			t.Fatal(err)
		}
		if ref, err := s.CaseRefByIdempotencyKey(ctx, "user:0", "intake:k"); err != nil || ref != c.Ref {
			t.Errorf("ref %q, %v", ref, err)
		}
		if _, err := s.CaseRefByIdempotencyKey(ctx, "user:1", "intake:k"); !errors.Is(err, complaint.ErrNotFound) {
			t.Errorf("other scope: %v", err)
		}
	})
}
