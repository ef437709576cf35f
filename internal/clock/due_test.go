package clock

import (
	"errors"
	"testing"
	"time"
)

// nyCalendar is a test fixture, not real US holiday data: New York office
// hours with two holidays and a short make-up Saturday.
const nyCalendar = `
name  ny
zone  America/New_York
years 2025-2026
hours mon-fri 09:00-17:00
holiday 2025-07-04                # Fri
holiday 2025-11-27                # Thu
workday 2025-11-29 10:00-14:00    # Sat, short hours
`

// testCalendar returns a built-in calendar or "ny", with the overrides the
// CLI's --tz and --hours would apply.
func testCalendar(t testing.TB, name, tz, hours string) *Calendar {
	t.Helper()
	var cal *Calendar
	var err error
	if name == "ny" {
		cal, err = ParseCalendar([]byte(nyCalendar))
	} else {
		cal, err = Lookup(name)
	}
	if err != nil {
		t.Fatal(err)
	}
	if tz != "" {
		loc, err := time.LoadLocation(tz)
		if err != nil {
			t.Fatal(err)
		}
		cal = cal.WithLocation(loc)
	}
	if hours != "" {
		h, err := ParseHours(hours)
		if err != nil {
			t.Fatal(err)
		}
		if cal, err = cal.WithHours(h); err != nil {
			t.Fatal(err)
		}
	}
	return cal
}

func mustTime(t testing.TB, s string) time.Time {
	t.Helper()
	v, err := ParseTime(s)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func mustPauses(t testing.TB, ss []string) []Interval {
	t.Helper()
	var out []Interval
	for _, s := range ss {
		iv, err := ParseInterval(s)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, iv)
	}
	return out
}

type dueCase struct {
	cal, tz, hours string // calendar name and CLI-style overrides
	from, add      string
	pauses         []string
	want           string
}

const (
	ny     = "America/New_York"
	london = "Europe/London"
	lunch  = "09:00-12:00,13:30-18:00"
)

// dueCases were computed by hand from the rules in docs/clock.md. Weekdays:
// 2025-01-01 is a Wednesday, 2025-10-01 a Wednesday, 2026-01-01 a Thursday,
// 2026-10-01 a Thursday. cn working hours are 09:00-18:00 (9 h) unless an
// override says otherwise. New York clocks change on 2025-03-09 02:00 EST ->
// 03:00 EDT and 2025-11-02 02:00 EDT -> 01:00 EST; London on 2025-03-30
// 01:00 GMT -> 02:00 BST and 2025-10-26 02:00 BST -> 01:00 GMT.
var dueCases = []dueCase{
	// ---- m and h: elapsed time; holidays and coverage do not matter ----

	// 10:00 + 90 min = 11:30, on a holiday, which elapsed time ignores.
	{cal: "cn", from: "2025-10-01T10:00:00+08:00", add: "90m", want: "2025-10-01T11:30:00+08:00"},
	// 23:00 + 2 h crosses into 2026: 01:00 on New Year's Day.
	{cal: "cn", from: "2025-12-31T23:00:00+08:00", add: "2h", want: "2026-01-01T01:00:00+08:00"},
	// Elapsed time needs no calendar data, so 2027 is fine: 20:00 + 48 h.
	{cal: "cn", from: "2026-12-31T20:00:00+08:00", add: "48h", want: "2027-01-02T20:00:00+08:00"},
	// 00:00Z is 08:00 in Shanghai; +30 min = 08:30, printed in the calendar's zone.
	{cal: "cn", from: "2025-10-01T00:00:00Z", add: "30m", want: "2025-10-01T08:30:00+08:00"},
	// NY spring forward: 12:00 EST = 17:00Z; +24 h = 17:00Z next day = 13:00 EDT.
	{cal: "none", tz: ny, from: "2025-03-08T12:00:00-05:00", add: "24h", want: "2025-03-09T13:00:00-04:00"},
	// NY fall back: 12:00 EDT = 16:00Z; +24 h = 16:00Z next day = 11:00 EST.
	{cal: "none", tz: ny, from: "2025-11-01T12:00:00-04:00", add: "24h", want: "2025-11-02T11:00:00-05:00"},
	// 01:30 EST = 06:30Z; +60 min = 07:30Z, just after the jump, = 03:30 EDT.
	{cal: "none", tz: ny, from: "2025-03-09T01:30:00-05:00", add: "60m", want: "2025-03-09T03:30:00-04:00"},

	// ---- d: same wall-clock time N days later ----

	// Calendar days ignore holidays: Sep 30 + 3 days = Oct 3, 10:00.
	{cal: "cn", from: "2025-09-30T10:00:00+08:00", add: "3d", want: "2025-10-03T10:00:00+08:00"},
	// Jan 31 + 30 days: Jan 31 + 28 = Feb 28, + 2 = Mar 2 (2025 is no leap year).
	{cal: "cn", from: "2025-01-31T15:00:00+08:00", add: "30d", want: "2025-03-02T15:00:00+08:00"},
	// NY spring forward: 12:00 EST Sat -> 12:00 EDT Sun, only 23 h elapsed.
	{cal: "none", tz: ny, from: "2025-03-08T12:00:00-05:00", add: "1d", want: "2025-03-09T12:00:00-04:00"},
	// NY fall back: 12:00 EDT Sat -> 12:00 EST Sun, 25 h elapsed.
	{cal: "none", tz: ny, from: "2025-11-01T12:00:00-04:00", add: "1d", want: "2025-11-02T12:00:00-05:00"},
	// 02:30 on Mar 9 does not exist (02:00 -> 03:00); moved later by the 1 h gap: 03:30 EDT.
	{cal: "none", tz: ny, from: "2025-03-08T02:30:00-05:00", add: "1d", want: "2025-03-09T03:30:00-04:00"},
	// 01:30 on Nov 2 happens twice; the earlier one (EDT, -04:00) is taken.
	{cal: "none", tz: ny, from: "2025-11-01T01:30:00-04:00", add: "1d", want: "2025-11-02T01:30:00-04:00"},
	// Starting at the second 01:30 (EST) on Nov 2: Nov 3 01:30 is unambiguous EST.
	{cal: "none", tz: ny, from: "2025-11-02T01:30:00-05:00", add: "1d", want: "2025-11-03T01:30:00-05:00"},
	// 2026 spring forward is Mar 8: Sat 09:15 EST + 2 days = Mon 09:15 EDT.
	{cal: "none", tz: ny, from: "2026-03-07T09:15:00-05:00", add: "2d", want: "2026-03-09T09:15:00-04:00"},
	// London: 01:30 on Mar 30 is skipped (01:00 GMT -> 02:00 BST); moved 1 h later: 02:30 BST.
	{cal: "none", tz: london, from: "2025-03-29T01:30:00Z", add: "1d", want: "2025-03-30T02:30:00+01:00"},
	// London: 01:30 on Oct 26 happens twice; the earlier is BST (+01:00).
	{cal: "none", tz: london, from: "2025-10-25T01:30:00+01:00", add: "1d", want: "2025-10-26T01:30:00+01:00"},

	// ---- bh: time inside working hours ----

	// 02:00Z is Mon 10:00 in Shanghai, inside working hours; + 1 h = 11:00 +08:00.
	{cal: "cn", from: "2025-09-29T02:00:00Z", add: "1bh", want: "2025-09-29T11:00:00+08:00"},
	// Fri Sep 26 10-18 = 8 h; Sat off; Sun Sep 28 is a make-up day: 09:00 + 8 h = 17:00.
	{cal: "cn", from: "2025-09-26T10:00:00+08:00", add: "16bh", want: "2025-09-28T17:00:00+08:00"},
	// Tue Sep 30 17-18 = 1 h; Oct 1-8 holidays; Thu Oct 9 09:00 + 1 h = 10:00.
	{cal: "cn", from: "2025-09-30T17:00:00+08:00", add: "2bh", want: "2025-10-09T10:00:00+08:00"},
	// 09:00 + 9 h lands exactly at closing: 18:00 that day, not the next opening.
	{cal: "cn", from: "2025-09-30T09:00:00+08:00", add: "9bh", want: "2025-09-30T18:00:00+08:00"},
	// Starting at closing time Mon 18:00: next opening Tue 09:00 + 1 h = 10:00.
	{cal: "cn", from: "2025-09-29T18:00:00+08:00", add: "1bh", want: "2025-09-30T10:00:00+08:00"},
	// Starting before opening Mon 06:00: the clock starts at 09:00; + 1 h = 10:00.
	{cal: "cn", from: "2025-09-29T06:00:00+08:00", add: "1bh", want: "2025-09-29T10:00:00+08:00"},
	// Ordinary Saturday Oct 18: next opening Mon Oct 20 09:00 + 1 h.
	{cal: "cn", from: "2025-10-18T10:00:00+08:00", add: "1bh", want: "2025-10-20T10:00:00+08:00"},
	// Mon Jan 27 15-18 = 3 h; Spring Festival Jan 28-Feb 4; Wed Feb 5 09:00 + 6 h = 15:00.
	{cal: "cn", from: "2025-01-27T15:00:00+08:00", add: "9bh", want: "2025-02-05T15:00:00+08:00"},
	// Fri Feb 13 2026 17-18 = 1 h; Sat Feb 14 make-up day 09:00 + 1 h = 10:00.
	{cal: "cn", from: "2026-02-13T17:00:00+08:00", add: "2bh", want: "2026-02-14T10:00:00+08:00"},
	// Sat Feb 14 2026 (make-up) 17-18 = 1 h; Feb 15-23 holidays; Tue Feb 24 09:00 + 1 h.
	{cal: "cn", from: "2026-02-14T17:00:00+08:00", add: "2bh", want: "2026-02-24T10:00:00+08:00"},
	// Wed Dec 31 16-18 = 2 h; Jan 1-3 2026 holidays; Sun Jan 4 make-up 09:00 + 3 h = 12:00.
	{cal: "cn", from: "2025-12-31T16:00:00+08:00", add: "5bh", want: "2026-01-04T12:00:00+08:00"},
	// 200 h = 22 full days + 2 h. Working days from Mon Mar 3: Mar 3-7, 10-14, 17-21,
	// 24-28 (20), Mar 31 (21), Apr 1 (22) -> Wed Apr 2 09:00 + 2 h = 11:00.
	{cal: "cn", from: "2025-03-03T09:00:00+08:00", add: "200bh", want: "2025-04-02T11:00:00+08:00"},
	// Fri Apr 25 17-18 = 1 h; Sat off; Sun Apr 27 make-up 09:00 + 2 h = 11:00.
	{cal: "cn", from: "2025-04-25T17:00:00+08:00", add: "3bh", want: "2025-04-27T11:00:00+08:00"},
	// Start on holiday Sat May 3; Labour Day to May 5; Tue May 6 09:00 + 1 h.
	{cal: "cn", from: "2025-05-03T10:00:00+08:00", add: "1bh", want: "2025-05-06T10:00:00+08:00"},
	// With a lunch break: 11-12 = 1 h, then 13:30 + 3 h = 16:30.
	{cal: "cn", hours: lunch, from: "2025-09-29T11:00:00+08:00", add: "4bh", want: "2025-09-29T16:30:00+08:00"},
	// 09:00 + 3 h ends exactly when the morning span closes: 12:00, not 13:30.
	{cal: "cn", hours: lunch, from: "2025-09-29T09:00:00+08:00", add: "3bh", want: "2025-09-29T12:00:00+08:00"},
	// Starting during lunch 12:30: clock starts 13:30; + 1 h = 14:30.
	{cal: "cn", hours: lunch, from: "2025-09-29T12:30:00+08:00", add: "1bh", want: "2025-09-29T14:30:00+08:00"},
	// --hours also sets a make-up day's hours: Sat Sep 27 off; Sun Sep 28 10:00 + 1 h.
	{cal: "cn", hours: "10:00-16:00", from: "2025-09-27T12:00:00+08:00", add: "1bh", want: "2025-09-28T11:00:00+08:00"},
	// Calendar none works 24x7, so 30 bh = 30 h: Oct 1 10:00 -> Oct 2 16:00.
	{cal: "none", from: "2025-10-01T10:00:00Z", add: "30bh", want: "2025-10-02T16:00:00Z"},
	// none in New York: 24 bh are 24 real hours, even across spring forward (like 24h above).
	{cal: "none", tz: ny, from: "2025-03-08T12:00:00-05:00", add: "24bh", want: "2025-03-09T13:00:00-04:00"},
	// ny file calendar: Fri Mar 7 16-17 = 1 h; Mon Mar 10 09:00 EDT + 1 h = 10:00 EDT.
	{cal: "ny", from: "2025-03-07T16:00:00-05:00", add: "2bh", want: "2025-03-10T10:00:00-04:00"},
	// ny: Thu Jul 3 16-17 = 1 h; Fri Jul 4 holiday; Mon Jul 7 09:00 + 1 h = 10:00.
	{cal: "ny", from: "2025-07-03T16:00:00-04:00", add: "2bh", want: "2025-07-07T10:00:00-04:00"},
	// ny: Wed Nov 26 16-17 = 1 h; Thu holiday; Fri 09-17 = 8 h (9); Sat Nov 29
	// workday 10:00-14:00: 10:00 + 1 h = 11:00.
	{cal: "ny", from: "2025-11-26T16:00:00-05:00", add: "10bh", want: "2025-11-29T11:00:00-05:00"},

	// ---- pauses (m, h, bh) ----

	// h, one pause 11:00-12:30: 10-11 = 1 h, then 12:30 + 3 h = 15:30.
	{cal: "cn", from: "2025-10-01T10:00:00+08:00", add: "4h",
		pauses: []string{"2025-10-01T11:00:00+08:00/2025-10-01T12:30:00+08:00"}, want: "2025-10-01T15:30:00+08:00"},
	// h, two pauses: 10-11 (1 h), 11:30-13:00 (2.5 h), 14:00 + 1.5 h = 15:30.
	{cal: "cn", from: "2025-10-01T10:00:00+08:00", add: "4h",
		pauses: []string{"2025-10-01T11:00:00+08:00/2025-10-01T11:30:00+08:00", "2025-10-01T13:00:00+08:00/2025-10-01T14:00:00+08:00"},
		want:   "2025-10-01T15:30:00+08:00"},
	// h, overlapping pauses 11:00-12:00 and 11:30-12:30 pause 11:00-12:30 once:
	// 10-11 = 1 h, 12:30 + 3 h = 15:30 (16:00 if counted twice).
	{cal: "cn", from: "2025-10-01T10:00:00+08:00", add: "4h",
		pauses: []string{"2025-10-01T11:30:00+08:00/2025-10-01T12:30:00+08:00", "2025-10-01T11:00:00+08:00/2025-10-01T12:00:00+08:00"},
		want:   "2025-10-01T15:30:00+08:00"},
	// h, a pause wholly before the start changes nothing: 10:00 + 2 h.
	{cal: "cn", from: "2025-10-01T10:00:00+08:00", add: "2h",
		pauses: []string{"2025-10-01T08:00:00+08:00/2025-10-01T09:00:00+08:00"}, want: "2025-10-01T12:00:00+08:00"},
	// h, a pause covering the start: the clock starts at 10:30; + 2 h = 12:30.
	{cal: "cn", from: "2025-10-01T10:00:00+08:00", add: "2h",
		pauses: []string{"2025-10-01T09:00:00+08:00/2025-10-01T10:30:00+08:00"}, want: "2025-10-01T12:30:00+08:00"},
	// m, pauses 00:10-00:20 and 00:15-00:25 (one pause 00:10-00:25) and 00:40-00:50:
	// 0-10 (10), 25-40 (25), 50 + 20 = 01:10.
	{cal: "none", from: "2025-10-01T00:00:00Z", add: "45m",
		pauses: []string{"2025-10-01T00:10:00Z/2025-10-01T00:20:00Z", "2025-10-01T00:15:00Z/2025-10-01T00:25:00Z", "2025-10-01T00:40:00Z/2025-10-01T00:50:00Z"},
		want:   "2025-10-01T01:10:00Z"},
	// h across spring forward: the pause 00:30 EST (05:30Z) - 03:30 EDT (07:30Z) is
	// 2 real hours. 00:00-00:30 = 0.5 h; 07:30Z + 2.5 h = 10:00Z = 06:00 EDT.
	{cal: "none", tz: ny, from: "2025-03-09T00:00:00-05:00", add: "3h",
		pauses: []string{"2025-03-09T00:30:00-05:00/2025-03-09T03:30:00-04:00"}, want: "2025-03-09T06:00:00-04:00"},
	// bh, a pause over the weekend: Fri 16-17 = 1 h; paused Fri 17:00 to Sun 10:00;
	// Sun Sep 28 is a make-up day: 10:00 + 3 h = 13:00.
	{cal: "cn", from: "2025-09-26T16:00:00+08:00", add: "4bh",
		pauses: []string{"2025-09-26T17:00:00+08:00/2025-09-28T10:00:00+08:00"}, want: "2025-09-28T13:00:00+08:00"},
	// bh, a pause wholly outside working hours (Mon 19:00 - Tue 08:00) changes nothing:
	// Mon 17-18 = 1 h; Tue 09:00 + 1 h = 10:00.
	{cal: "cn", from: "2025-09-29T17:00:00+08:00", add: "2bh",
		pauses: []string{"2025-09-29T19:00:00+08:00/2025-09-30T08:00:00+08:00"}, want: "2025-09-30T10:00:00+08:00"},
	// bh, overlapping pauses 15:00-16:00 and 15:30-17:00 (one pause 15-17) before a
	// holiday: Tue Sep 30 14-15 = 1 h, 17-18 = 1 h; Thu Oct 9 09:00 + 4 h = 13:00.
	{cal: "cn", from: "2025-09-30T14:00:00+08:00", add: "6bh",
		pauses: []string{"2025-09-30T15:00:00+08:00/2025-09-30T16:00:00+08:00", "2025-09-30T15:30:00+08:00/2025-09-30T17:00:00+08:00"},
		want:   "2025-10-09T13:00:00+08:00"},
	// bh running out exactly when a pause begins: 09:00 + 2 h = 11:00, the pause start.
	{cal: "cn", from: "2025-09-29T09:00:00+08:00", add: "2bh",
		pauses: []string{"2025-09-29T11:00:00+08:00/2025-09-29T12:00:00+08:00"}, want: "2025-09-29T11:00:00+08:00"},

	// ---- bd: closing time of the N-th working day after the start day ----

	// Tue Sep 30: Oct 1-8 holidays; Thu Oct 9 (1), Fri Oct 10 (2), Sat Oct 11 make-up (3).
	{cal: "cn", from: "2025-09-30T10:00:00+08:00", add: "3bd", want: "2025-10-11T18:00:00+08:00"},
	// Fri Sep 26: Sat off, Sun Sep 28 make-up day (1).
	{cal: "cn", from: "2025-09-26T10:00:00+08:00", add: "1bd", want: "2025-09-28T18:00:00+08:00"},
	// Starting on holiday Sun Oct 5: Oct 6-8 holidays; Thu Oct 9 (1).
	{cal: "cn", from: "2025-10-05T12:00:00+08:00", add: "1bd", want: "2025-10-09T18:00:00+08:00"},
	// Fri Jan 24: Sat off; Sun Jan 26 make-up (1); Mon Jan 27 (2).
	{cal: "cn", from: "2025-01-24T10:00:00+08:00", add: "2bd", want: "2025-01-27T18:00:00+08:00"},
	// The start day never counts, even before opening: Mon 08:00 -> Tue (1).
	{cal: "cn", from: "2025-09-29T08:00:00+08:00", add: "1bd", want: "2025-09-30T18:00:00+08:00"},
	// Wed Dec 31: Jan 1-3 2026 holidays; Sun Jan 4 make-up (1).
	{cal: "cn", from: "2025-12-31T10:00:00+08:00", add: "1bd", want: "2026-01-04T18:00:00+08:00"},
	// 60 working days after Mon Mar 3: Mar 4-7 (4), 10-14 (9), 17-21 (14), 24-28 (19),
	// Mar 31-Apr 3 (23), [Apr 4 holiday], Apr 7-11 (28), 14-18 (33), 21-25 (38),
	// Sun Apr 27 make-up (39), Apr 28-30 (42), [May 1-5], May 6-9 (46), 12-16 (51),
	// 19-23 (56), May 26-29 (60): Thu May 29.
	{cal: "cn", from: "2025-03-03T10:00:00+08:00", add: "60bd", want: "2025-05-29T18:00:00+08:00"},
	// With hours 09:00-12:00,13:30-17:30 the day closes at 17:30.
	{cal: "cn", hours: "09:00-12:00,13:30-17:30", from: "2025-09-29T10:00:00+08:00", add: "1bd", want: "2025-09-30T17:30:00+08:00"},
	// none: every day works until 24:00; Oct 2 (1), Oct 3 (2) -> 24:00 Oct 3.
	{cal: "none", from: "2025-10-01T10:00:00Z", add: "2bd", want: "2025-10-04T00:00:00Z"},
	// Wed Sep 30 2026: Oct 1-7 holidays; Thu Oct 8 (1), Fri Oct 9 (2).
	{cal: "cn", from: "2026-09-30T10:00:00+08:00", add: "2bd", want: "2026-10-09T18:00:00+08:00"},
	// Fri Sep 18 2026: Sat off; Sun Sep 20 make-up (1).
	{cal: "cn", from: "2026-09-18T10:00:00+08:00", add: "1bd", want: "2026-09-20T18:00:00+08:00"},
	// Thu Apr 30 2026: May 1-5 holidays; May 6 (1), 7 (2), 8 (3), Sat May 9 make-up (4).
	{cal: "cn", from: "2026-04-30T10:00:00+08:00", add: "4bd", want: "2026-05-09T18:00:00+08:00"},
	// Thu Jun 18 2026: Dragon Boat Jun 19-21; Mon Jun 22 (1).
	{cal: "cn", from: "2026-06-18T10:00:00+08:00", add: "1bd", want: "2026-06-22T18:00:00+08:00"},
	// Fri Apr 3 2026: Qingming Apr 4-6; Tue Apr 7 (1).
	{cal: "cn", from: "2026-04-03T10:00:00+08:00", add: "1bd", want: "2026-04-07T18:00:00+08:00"},
	// Thu Sep 24 2026: Mid-Autumn Sep 25-27; Mon Sep 28 (1).
	{cal: "cn", from: "2026-09-24T10:00:00+08:00", add: "1bd", want: "2026-09-28T18:00:00+08:00"},
	// Fri Feb 13 2026: Sat Feb 14 make-up (1); Feb 15-23 holidays; Tue Feb 24 (2).
	{cal: "cn", from: "2026-02-13T10:00:00+08:00", add: "2bd", want: "2026-02-24T18:00:00+08:00"},
	// Tue Feb 24 2026: 25 (1), 26 (2), 27 (3), Sat Feb 28 make-up (4).
	{cal: "cn", from: "2026-02-24T10:00:00+08:00", add: "4bd", want: "2026-02-28T18:00:00+08:00"},
	// ny across fall back: Fri Oct 31 -> Mon Nov 3 closes 17:00 EST.
	{cal: "ny", from: "2025-10-31T10:00:00-04:00", add: "1bd", want: "2025-11-03T17:00:00-05:00"},
	// ny: Fri Nov 28 -> Sat Nov 29 workday, which closes at 14:00.
	{cal: "ny", from: "2025-11-28T10:00:00-05:00", add: "1bd", want: "2025-11-29T14:00:00-05:00"},

	// ---- ld: 24:00 of day N, moved past rest days and holidays ----

	// Fri Oct 3 + 1: Sat Oct 4 is a holiday; holidays run to Oct 8; 24:00 Thu Oct 9.
	{cal: "cn", from: "2025-10-03T10:00:00+08:00", add: "1ld", want: "2025-10-10T00:00:00+08:00"},
	// Mon Sep 15 + 15 = Tue Sep 30, a working day: 24:00 Sep 30.
	{cal: "cn", from: "2025-09-15T10:00:00+08:00", add: "15ld", want: "2025-10-01T00:00:00+08:00"},
	// Tue Sep 16 + 15 = Oct 1, a holiday: moved to Thu Oct 9, 24:00.
	{cal: "cn", from: "2025-09-16T10:00:00+08:00", add: "15ld", want: "2025-10-10T00:00:00+08:00"},
	// Tue Jan 28 + 7 = Feb 4, the last Spring Festival day: moved to Wed Feb 5.
	{cal: "cn", from: "2025-01-28T10:00:00+08:00", add: "7ld", want: "2025-02-06T00:00:00+08:00"},
	// Sat Sep 20 + 7 = Sat Sep 27, a rest day; Sun Sep 28 is a make-up working day.
	{cal: "cn", from: "2025-09-20T10:00:00+08:00", add: "7ld", want: "2025-09-29T00:00:00+08:00"},
	// Sat Oct 4 + 7 = Sat Oct 11, itself a make-up working day: 24:00 Oct 11.
	{cal: "cn", from: "2025-10-04T10:00:00+08:00", add: "7ld", want: "2025-10-12T00:00:00+08:00"},
	// Mon Oct 13 + 5 = Sat Oct 18; Sun off; Mon Oct 20, 24:00.
	{cal: "cn", from: "2025-10-13T10:00:00+08:00", add: "5ld", want: "2025-10-21T00:00:00+08:00"},
	// Thu Feb 5 2026 + 10 = Sun Feb 15, in Spring Festival (to Feb 23): Tue Feb 24.
	{cal: "cn", from: "2026-02-05T10:00:00+08:00", add: "10ld", want: "2026-02-25T00:00:00+08:00"},
	// Mon Dec 22 + 10 = Jan 1 2026 (holiday to Jan 3); Sun Jan 4 is a make-up day.
	{cal: "cn", from: "2025-12-22T10:00:00+08:00", add: "10ld", want: "2026-01-05T00:00:00+08:00"},
	// Tue Apr 1 + 30 = Thu May 1, Labour Day to May 5: Tue May 6, 24:00.
	{cal: "cn", from: "2025-04-01T09:00:00+08:00", add: "30ld", want: "2025-05-07T00:00:00+08:00"},
	// Tue Apr 1 + 3 = Fri Apr 4, Qingming to Apr 6: Mon Apr 7.
	{cal: "cn", from: "2025-04-01T10:00:00+08:00", add: "3ld", want: "2025-04-08T00:00:00+08:00"},
	// Wed May 28 + 3 = Sat May 31, Dragon Boat to Mon Jun 2: Tue Jun 3.
	{cal: "cn", from: "2025-05-28T10:00:00+08:00", add: "3ld", want: "2025-06-04T00:00:00+08:00"},
	// Mon 23:59 + 1 = Tue Sep 30: the time of day on the start day does not matter.
	{cal: "cn", from: "2025-09-29T23:59:00+08:00", add: "1ld", want: "2025-10-01T00:00:00+08:00"},
	// 20:00Z Sep 29 is already Tue Sep 30 04:00 in Shanghai, so day 1 is Oct 1,
	// a holiday: moved to Thu Oct 9.
	{cal: "cn", from: "2025-09-29T20:00:00Z", add: "1ld", want: "2025-10-10T00:00:00+08:00"},
	// none: Oct 1 + 3 = Oct 4, 24:00.
	{cal: "none", from: "2025-10-01T10:00:00Z", add: "3ld", want: "2025-10-05T00:00:00Z"},
	// none in New York: Sat Mar 8 + 1 = Sun Mar 9; 24:00 is Mar 10 00:00 EDT.
	{cal: "none", tz: ny, from: "2025-03-08T10:00:00-05:00", add: "1ld", want: "2025-03-10T00:00:00-04:00"},
	// ny: Thu Jul 3 + 1 = Fri Jul 4, a holiday; Sat, Sun off: Mon Jul 7, 24:00.
	{cal: "ny", from: "2025-07-03T10:00:00-04:00", add: "1ld", want: "2025-07-08T00:00:00-04:00"},
}

func TestDue(t *testing.T) {
	if len(dueCases) < 60 {
		t.Fatalf("only %d hand-computed cases", len(dueCases))
	}
	for _, tc := range dueCases {
		name := tc.cal + "/" + tc.tz + "/" + tc.from + "+" + tc.add
		t.Run(name, func(t *testing.T) {
			cal := testCalendar(t, tc.cal, tc.tz, tc.hours)
			spec, err := ParseSpec(tc.add)
			if err != nil {
				t.Fatal(err)
			}
			got, err := cal.Due(mustTime(t, tc.from), spec, mustPauses(t, tc.pauses))
			if err != nil {
				t.Fatalf("Due: %v", err)
			}
			if s := got.Format(time.RFC3339); s != tc.want {
				t.Errorf("Due = %s, want %s", s, tc.want)
			}
		})
	}
}

func TestDueErrors(t *testing.T) {
	tests := []struct {
		name, cal, from, add string
		pauses               []Interval
		want                 error
	}{
		// bh needs to know whether Tue Dec 31 2024 is a working day.
		{"bh before coverage", "cn", "2024-12-31T10:00:00+08:00", "1bh", nil, ErrOutsideCoverage},
		// Thu Dec 31 2026 17-18 = 1 h, then Jan 1 2027 is unknown.
		{"bh after coverage", "cn", "2026-12-31T17:00:00+08:00", "2bh", nil, ErrOutsideCoverage},
		// The first day counted is Jan 1 2027.
		{"bd after coverage", "cn", "2026-12-31T10:00:00+08:00", "1bd", nil, ErrOutsideCoverage},
		// Day 2 is Jan 1 2027.
		{"ld after coverage", "cn", "2026-12-30T10:00:00+08:00", "2ld", nil, ErrOutsideCoverage},
		{"ld in 2027", "cn", "2027-01-04T10:00:00+08:00", "1ld", nil, ErrOutsideCoverage},
		{"ld in 2024", "cn", "2024-06-03T10:00:00+08:00", "1ld", nil, ErrOutsideCoverage},
		{"ny after coverage", "ny", "2027-03-01T10:00:00-05:00", "1bd", nil, ErrOutsideCoverage},
		{"pause with bd", "cn", "2025-09-29T10:00:00+08:00", "1bd", []Interval{{}}, ErrPauseNotSupported},
		{"pause with d", "none", "2025-09-29T10:00:00Z", "1d", []Interval{{}}, ErrPauseNotSupported},
		{"pause with ld", "cn", "2025-09-29T10:00:00+08:00", "1ld", []Interval{{}}, ErrPauseNotSupported},
		{"backward pause", "cn", "2025-09-29T10:00:00+08:00", "1h", []Interval{{
			Start: time.Date(2025, 9, 29, 12, 0, 0, 0, time.UTC),
			End:   time.Date(2025, 9, 29, 11, 0, 0, 0, time.UTC),
		}}, ErrInvalidInterval},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cal := testCalendar(t, tc.cal, "", "")
			spec, err := ParseSpec(tc.add)
			if err != nil {
				t.Fatal(err)
			}
			_, err = cal.Due(mustTime(t, tc.from), spec, tc.pauses)
			if !errors.Is(err, tc.want) {
				t.Fatalf("Due error = %v, want %v", err, tc.want)
			}
		})
	}
}

func TestDueRejectsInvalidSpec(t *testing.T) {
	cal := testCalendar(t, "none", "", "")
	start := mustTime(t, "2025-10-01T10:00:00Z")
	for _, spec := range []Spec{{}, {N: 1}, {N: 0, Unit: UnitHour}, {N: -1, Unit: UnitDay}, {N: 1 << 40, Unit: UnitMinute}, {N: 1, Unit: 99}} {
		if _, err := cal.Due(start, spec, nil); !errors.Is(err, ErrInvalidSpec) {
			t.Errorf("Due(%#v) error = %v, want ErrInvalidSpec", spec, err)
		}
	}
}

// The large specs allowed must finish: none works every hour and every day.
func TestDueLargestSpecs(t *testing.T) {
	cal := testCalendar(t, "none", "", "")
	start := mustTime(t, "2025-01-01T00:00:00Z")
	for _, s := range []string{"5256000m", "87600h", "3650d", "87600bh", "3650bd", "3650ld"} {
		spec, err := ParseSpec(s)
		if err != nil {
			t.Fatal(err)
		}
		// 2025-01-01 + 10 years = 2035-01-01 is 3652 days (leap years 2028 and
		// 2032), so 3650 days (3650*24 h) reach 2034-12-30.
		got, err := cal.Due(start, spec, nil)
		if err != nil {
			t.Fatalf("%s: %v", s, err)
		}
		want := "2034-12-30T00:00:00Z"
		if spec.Unit == UnitBusinessDay || spec.Unit == UnitLegalDay {
			want = "2034-12-31T00:00:00Z" // 24:00 of day 3650
		}
		if g := got.Format(time.RFC3339); g != want {
			t.Errorf("%s: Due = %s, want %s", s, g, want)
		}
	}
}

func TestWorkingTimeBetween(t *testing.T) {
	cn := testCalendar(t, "cn", "", "")
	tests := []struct {
		name   string
		cal    *Calendar
		a, b   string
		pauses []string
		want   time.Duration
	}{
		// Tue Sep 30 10-18 = 8 h; Oct 1-8 holidays; Oct 9 09-10 = 1 h.
		{"across National Day", cn, "2025-09-30T10:00:00+08:00", "2025-10-09T10:00:00+08:00", nil, 9 * time.Hour},
		// As above minus the pause 11:00-12:30 on Sep 30.
		{"with pause", cn, "2025-09-30T10:00:00+08:00", "2025-10-09T10:00:00+08:00",
			[]string{"2025-09-30T11:00:00+08:00/2025-09-30T12:30:00+08:00"}, 7*time.Hour + 30*time.Minute},
		// Reversed arguments give the negative amount.
		{"reversed", cn, "2025-10-09T10:00:00+08:00", "2025-09-30T10:00:00+08:00", nil, -9 * time.Hour},
		{"empty", cn, "2025-10-09T10:00:00+08:00", "2025-10-09T10:00:00+08:00", nil, 0},
		// Sat Sep 27 is off, Sun Sep 28 a make-up day: 09:00-12:00 = 3 h.
		{"weekend with make-up day", cn, "2025-09-27T00:00:00+08:00", "2025-09-28T12:00:00+08:00", nil, 3 * time.Hour},
		// Ends at 24:00 Dec 31 2026 without looking at 2027.
		{"to end of coverage", testCalendar(t, "cn", "", "00:00-24:00"),
			"2026-12-31T10:00:00+08:00", "2027-01-01T00:00:00+08:00", nil, 14 * time.Hour},
		// none in New York: Mar 9 2025 has 23 hours.
		{"short DST day", testCalendar(t, "none", ny, ""),
			"2025-03-09T00:00:00-05:00", "2025-03-10T00:00:00-04:00", nil, 23 * time.Hour},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tc.cal.WorkingTimeBetween(mustTime(t, tc.a), mustTime(t, tc.b), mustPauses(t, tc.pauses))
			if err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Errorf("WorkingTimeBetween = %v, want %v", got, tc.want)
			}
		})
	}
	if _, err := cn.WorkingTimeBetween(mustTime(t, "2024-12-31T10:00:00+08:00"), mustTime(t, "2025-01-02T10:00:00+08:00"), nil); !errors.Is(err, ErrOutsideCoverage) {
		t.Errorf("WorkingTimeBetween across 2024 error = %v, want ErrOutsideCoverage", err)
	}
}

// Every bh deadline's working time from the start equals the spec.
func TestDueAgreesWithWorkingTimeBetween(t *testing.T) {
	for _, tc := range dueCases {
		if tc.add[len(tc.add)-2:] != "bh" {
			continue
		}
		cal := testCalendar(t, tc.cal, tc.tz, tc.hours)
		spec, _ := ParseSpec(tc.add)
		start, pauses := mustTime(t, tc.from), mustPauses(t, tc.pauses)
		due, err := cal.Due(start, spec, pauses)
		if err != nil {
			t.Fatal(err)
		}
		got, err := cal.WorkingTimeBetween(start, due, pauses)
		if want, _ := spec.Duration(); err != nil || got != want {
			t.Errorf("%s + %s: WorkingTimeBetween(start, due) = %v, %v; want %v", tc.from, tc.add, got, err, want)
		}
	}
}

func BenchmarkDue(b *testing.B) {
	cal := testCalendar(b, "cn", "", "")
	start := mustTime(b, "2025-01-02T10:00:00+08:00")
	for _, s := range []string{"200bh", "60bd", "60ld"} {
		spec, err := ParseSpec(s)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(s, func(b *testing.B) {
			for b.Loop() {
				if _, err := cal.Due(start, spec, nil); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
