package route

import (
	"errors"
	"testing"
	"time"

	"github.com/redress-project/redress/internal/clock"
)

func TestShiftByCalendar(t *testing.T) {
	cal := cn(t)
	at := func(s string) time.Time {
		tm, err := time.ParseInLocation("2006-01-02 15:04", s, shanghai)
		if err != nil {
			t.Fatal(err)
		}
		return tm
	}
	office := Shift{Calendar: cal}
	late := Shift{Calendar: cal, Hours: mustHours(t, "13:00-22:00")}
	tests := []struct {
		name  string
		shift Shift
		at    string
		want  kind
	}{
		{"working Thursday", office, "2025-10-09 10:00", kOK},
		{"National Day holiday", office, "2025-10-01 10:00", kOutsideShift},
		{"Spring Festival 2026", office, "2026-02-17 10:00", kOutsideShift},
		{"make-up working Saturday", office, "2025-10-11 10:00", kOK},
		{"ordinary Sunday", office, "2025-10-12 10:00", kOutsideShift},
		{"before opening", office, "2025-10-09 08:59", kOutsideShift},
		{"last minute", office, "2025-10-09 17:59", kOK},
		{"closing time", office, "2025-10-09 18:00", kOutsideShift},
		{"own late hours, evening", late, "2025-10-09 20:00", kOK},
		{"own late hours, morning", late, "2025-10-09 10:00", kOutsideShift},
		{"own hours still follow holidays", late, "2025-10-01 15:00", kOutsideShift},
		{"no calendar: always", Shift{}, "2025-10-01 03:00", kOK},
		{"calendar does not cover the year", office, "2030-01-02 10:00", kShiftUnknown},
	}
	for _, tt := range tests {
		got, until, _ := tt.shift.at(at(tt.at))
		if got != tt.want {
			t.Errorf("%s, %s: got %q, want %q", tt.name, tt.at, got.code(), tt.want.code())
		}
		if !until.After(at(tt.at)) {
			t.Errorf("%s: state holds until %v, not after now", tt.name, until)
		}
	}
	if _, err := office.On(at("2030-01-02 10:00")); !errors.Is(err, clock.ErrOutsideCoverage) {
		t.Errorf("On outside coverage: %v", err)
	}
	if on, err := office.On(at("2025-10-09 10:00")); !on || err != nil {
		t.Errorf("On a working morning = %v, %v", on, err)
	}
}

func TestAvailabilityAndShiftInRouting(t *testing.T) {
	cal := cn(t)
	onCN := func(a *Agent) { a.Shift = Shift{Calendar: cal} }
	r := newRouter(t, nil,
		with(ag(1, "cn office hours", 0, 10), onCN),
		with(ag(2, "away", 0, 10), func(a *Agent) { a.Availability = Away }),
		with(ag(3, "off shift", 0, 10), func(a *Agent) { a.Availability = OffShift }),
		ag(4, "around the clock", 5, 10),
	)
	holiday := time.Date(2025, 10, 1, 10, 0, 0, 0, shanghai)
	d := mustAssign(t, r, item("a", "refund", "zh-Hans"), holiday, 4)
	want := "around the clock: speaks zh-Hans, handles refund, takes app, 5/10 open — the only available agent " +
		"(4 qualify; skipped: 1 away, 1 off shift, 1 outside shift hours)"
	if d.Reason != want {
		t.Errorf("reason\n got %s\nwant %s", d.Reason, want)
	}
	// The same router, a working day later: agent 1 is back on shift.
	mustAssign(t, r, item("b", "refund", "zh-Hans"), t0, 1)
	// And at 18:00 off again, without anyone telling the router.
	evening := time.Date(2025, 10, 9, 18, 0, 0, 0, shanghai)
	mustAssign(t, r, item("c", "refund", "zh-Hans"), evening, 4)

	if err := r.SetAvailability(2, Online); err != nil {
		t.Fatal(err)
	}
	mustAssign(t, r, item("d", "refund", "zh-Hans"), evening, 2)
	if err := r.SetAvailability(4, Away); err != nil {
		t.Fatal(err)
	}
	if err := r.SetAvailability(2, Away); err != nil {
		t.Fatal(err)
	}
	d = r.Assign(item("e", "refund", "zh-Hans"), evening)
	want = "stays in the general queue: 4 agents qualify but none can take it now (2 away, 1 off shift, 1 outside shift hours)"
	if d.Outcome != Queued || d.Reason != want {
		t.Errorf("nobody available: %s: %s", d.Outcome, d.Reason)
	}
	checkIndex(t, r)
}

// Going back in time (a replay, a test) must not reuse shift states
// computed for later.
func TestShiftCacheFollowsTimeBothWays(t *testing.T) {
	r := newRouter(t, nil, with(ag(1, "cn", 0, 100), func(a *Agent) { a.Shift = Shift{Calendar: cn(t)} }))
	times := []time.Time{
		t0,                                // on
		t0.Add(-2 * time.Hour),            // 08:00, off
		t0.Add(7*time.Hour + time.Minute), // 17:01, on
		t0.Add(8 * time.Hour),             // 18:00, off
		t0.Add(-time.Hour),                // 09:00, on
		t0.Add(24 * 8 * time.Hour),        // Friday 17 Oct, on
		t0.AddDate(0, 0, -8),              // 1 Oct, holiday
		t0,
	}
	want := []bool{true, false, true, false, true, true, false, true}
	for i, at := range times {
		d := r.Assign(item(ref(i), "refund", "zh-Hans"), at)
		if got := d.Outcome == Assigned; got != want[i] {
			t.Errorf("at %v: %s (%s)", at, d.Outcome, d.Reason)
		}
	}
}
