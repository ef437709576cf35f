package triage_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/redress-project/redress/internal/complaint"
	"github.com/redress-project/redress/internal/store"
	"github.com/redress-project/redress/internal/store/storetest"
	"github.com/redress-project/redress/internal/taxonomy"
	"github.com/redress-project/redress/internal/triage"
)

func TestStaffExamples(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		r := newRig(t, st)
		// Triaged by the handler (a system guess: not a label).
		r.file(customer, complaint.Draft{Subject: "退款", Description: "退款申请了两周还没到账"})
		// Corrected by an agent after the handler (who placed it in
		// merchant_dispute, overriding the customer's choice).
		corrected := r.file(customer, complaint.Draft{Category: "refund", Subject: "预付卡",
			Description: "健身房关门了，预付的年卡余额不退。"})
		// Placed by an agent from the triage queue.
		placed := r.file(customer, complaint.Draft{Subject: "hello", Description: "see attachment"})
		// Filed by an agent with a category.
		r.file(agent, complaint.Draft{Channel: complaint.ChannelHotline, Category: "credit",
			Customer: complaint.Customer{Name: "陈静"}, Subject: "电话", Description: "先享后付账单显示逾期"})
		// Classified by an agent into a category the taxonomy lacks.
		stale := r.file(customer, complaint.Draft{Subject: "chargeback", Description: "card chargeback"})
		r.drain()
		if c, _ := r.get(corrected.Ref); c.Category != "merchant_dispute" {
			t.Errorf("a confident prediction (%+v) must win over the customer's choice", c.Assessment)
		}
		for ref, cat := range map[string]string{corrected.Ref: "fees", placed.Ref: "other", stale.Ref: "chargeback"} {
			c, _ := r.get(ref)
			if _, _, err := r.desk.Classify(ctx, agent, ref, complaint.Classification{Category: cat, Severity: c.Severity, Priority: c.Priority}); err != nil {
				t.Fatal(err)
			}
		}
		// Then the system raises the corrected case's priority (intake, a
		// clock): the agent's category remains the label.
		c, _ := r.get(corrected.Ref)
		if _, _, err := r.desk.Classify(ctx, system, corrected.Ref, complaint.Classification{Category: c.Category, Severity: c.Severity, Priority: complaint.PriorityP1}); err != nil {
			t.Fatal(err)
		}

		examples, stats, err := triage.StaffExamples(ctx, st, taxonomy.Default())
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]string{}
		for _, e := range examples {
			got[e.Text] = e.Label
		}
		want := map[string]string{
			"预付卡\n健身房关门了，预付的年卡余额不退。": "fees",
			"hello\nsee attachment": "other",
			"电话\n先享后付账单显示逾期":        "credit",
		}
		if len(got) != len(want) {
			t.Errorf("examples %q, want %q", got, want)
		}
		for text, label := range want {
			if got[text] != label {
				t.Errorf("%q labelled %q, want %q", text, got[text], label)
			}
		}
		if stats.Cases != 5 || stats.Labelled != 3 || stats.UnknownCategory != 1 || stats.ByCategory["credit"] != 1 {
			t.Errorf("stats %+v", stats)
		}
	})
}

func TestStaffLabel(t *testing.T) {
	c, created, err := complaint.Open(func() complaint.Draft {
		d := complaint.Draft{Customer: complaint.Customer{Name: "x"}, Channel: complaint.ChannelApp, Subject: "s", Description: "d"}
		d.Normalize()
		return d
	}(), "CP-2026-7K3M9Q2X", customer.Actor(), timeNow())
	if err != nil {
		t.Fatal(err)
	}
	events := []complaint.Event{created}
	if _, ok := triage.StaffLabel(events); ok {
		t.Error("a customer's filing is not a label")
	}
	e, _ := c.Classify(complaint.Classification{Category: "refund", Severity: complaint.SeverityMedium, Priority: complaint.PriorityP3}, system.Actor(), timeNow())
	events = append(events, e)
	if _, ok := triage.StaffLabel(events); ok {
		t.Error("the system's classification is not a label")
	}
	e, _ = c.Classify(complaint.Classification{Category: "fees", Severity: complaint.SeverityMedium, Priority: complaint.PriorityP3}, agent.Actor(), timeNow())
	events = append(events, e)
	if l, ok := triage.StaffLabel(events); !ok || l != "fees" {
		t.Errorf("label %q %v, want fees", l, ok)
	}
	e, _ = c.Classify(complaint.Classification{Category: "uncategorized", Severity: complaint.SeverityMedium, Priority: complaint.PriorityP3}, agent.Actor(), timeNow())
	events = append(events, e)
	if _, ok := triage.StaffLabel(events); ok {
		t.Error("an agent sending a case back to triage gives no label")
	}
	if !slices.Contains(taxonomy.Default().IDs(), "fees") {
		t.Fatal("fees is not a category")
	}
}

func timeNow() time.Time { return time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC) }
