package clock

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

func date(t testing.TB, s string) Date {
	t.Helper()
	d, err := ParseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// expand turns "2025-01-28..2025-02-04" or a single date into dates.
func expand(t testing.TB, s string) []Date {
	from, to, err := parseDateRange(s)
	if err != nil {
		t.Fatal(err)
	}
	var out []Date
	for d := from; d.Compare(to) <= 0; d = d.AddDays(1) {
		out = append(out, d)
	}
	return out
}

// The official arrangements, typed again independently of calendars/cn.cal.
var (
	cnHolidays = []string{
		"2025-01-01", "2025-01-28..2025-02-04", "2025-04-04..2025-04-06", "2025-05-01..2025-05-05",
		"2025-05-31..2025-06-02", "2025-10-01..2025-10-08",
		"2026-01-01..2026-01-03", "2026-02-15..2026-02-23", "2026-04-04..2026-04-06", "2026-05-01..2026-05-05",
		"2026-06-19..2026-06-21", "2026-09-25..2026-09-27", "2026-10-01..2026-10-07",
	}
	cnMakeUpDays = []string{
		"2025-01-26", "2025-02-08", "2025-04-27", "2025-09-28", "2025-10-11",
		"2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10",
	}
)

func TestCNCalendar(t *testing.T) {
	cn, err := Lookup("cn")
	if err != nil {
		t.Fatal(err)
	}
	if cn.Name() != "cn" || cn.Location().String() != "Asia/Shanghai" {
		t.Errorf("cn is %s in %s", cn.Name(), cn.Location())
	}
	if first, last := cn.Years(); first != 2025 || last != 2026 {
		t.Errorf("Years = %d-%d", first, last)
	}
	special := map[Date]bool{} // date -> working
	for _, s := range cnHolidays {
		for _, d := range expand(t, s) {
			special[d] = false
		}
	}
	for _, s := range cnMakeUpDays {
		d := date(t, s)
		if wd := d.Weekday(); wd != time.Saturday && wd != time.Sunday {
			t.Errorf("make-up day %s is a %s", d, wd)
		}
		special[d] = true
	}
	workingDays := map[int]int{}
	for d := date(t, "2025-01-01"); d.Year < 2027; d = d.AddDays(1) {
		want, ok := special[d]
		if !ok {
			want = d.Weekday() != time.Saturday && d.Weekday() != time.Sunday
		}
		got, err := cn.IsWorkingDay(d)
		if err != nil || got != want {
			t.Errorf("IsWorkingDay(%s) = %v, %v; want %v", d, got, err, want)
		}
		h, _ := cn.HoursOn(d)
		if want && h.String() != "09:00-18:00" || !want && h != nil {
			t.Errorf("HoursOn(%s) = %v", d, h)
		}
		if want {
			workingDays[d.Year]++
		}
	}
	// 261 weekdays each year; 2025 loses 18 weekdays to holidays and gains 5
	// make-up days, 2026 loses 19 and gains 6: 248 working days in both.
	if workingDays[2025] != 248 || workingDays[2026] != 248 {
		t.Errorf("working days per year = %v, want 248 in 2025 and 2026", workingDays)
	}
	for _, s := range []string{"2024-12-31", "2027-01-01", "2024-01-01", "2027-12-31"} {
		if _, err := cn.IsWorkingDay(date(t, s)); !errors.Is(err, ErrOutsideCoverage) {
			t.Errorf("IsWorkingDay(%s) error = %v, want ErrOutsideCoverage", s, err)
		}
		if _, err := cn.HoursOn(date(t, s)); !errors.Is(err, ErrOutsideCoverage) {
			t.Errorf("HoursOn(%s) error = %v, want ErrOutsideCoverage", s, err)
		}
	}
}

func TestNoneCalendar(t *testing.T) {
	none, err := Lookup("none")
	if err != nil {
		t.Fatal(err)
	}
	if first, last := none.Years(); first != 0 || last != 0 || none.Location() != time.UTC {
		t.Errorf("none covers %d-%d in %v", first, last, none.Location())
	}
	for _, s := range []string{"1970-01-01", "2025-10-01", "2026-02-17", "2099-12-31"} {
		h, err := none.HoursOn(date(t, s))
		if err != nil || h.String() != "00:00-24:00" {
			t.Errorf("HoursOn(%s) = %v, %v", s, h, err)
		}
	}
}

func TestLookup(t *testing.T) {
	if got := BuiltinNames(); !slices.Equal(got, []string{"cn", "none"}) {
		t.Errorf("BuiltinNames = %v", got)
	}
	if _, err := Lookup("us"); !errors.Is(err, ErrUnknownCalendar) {
		t.Errorf("Lookup(us) error = %v", err)
	}
}

func TestWithOverrides(t *testing.T) {
	cn, _ := Lookup("cn")
	if _, err := cn.WithHours(Hours{{600, 540}}); !errors.Is(err, ErrInvalidHours) {
		t.Errorf("WithHours(backwards) error = %v", err)
	}
	if _, err := cn.WithHours(nil); !errors.Is(err, ErrInvalidHours) {
		t.Errorf("WithHours(nil) error = %v", err)
	}
	short, err := cn.WithHours(Hours{{540, 720}, {720, 900}})
	if err != nil {
		t.Fatal(err)
	}
	for s, want := range map[string]string{"2025-09-29": "09:00-15:00", "2025-09-28": "09:00-15:00", "2025-10-01": "", "2025-09-27": ""} {
		if h, _ := short.HoursOn(date(t, s)); h.String() != want {
			t.Errorf("HoursOn(%s) = %q, want %q", s, h, want)
		}
	}
	if h, _ := cn.HoursOn(date(t, "2025-09-29")); h.String() != "09:00-18:00" {
		t.Errorf("WithHours changed the original: %v", h)
	}
	if cn.WithLocation(nil).Location() != time.UTC {
		t.Error("WithLocation(nil) is not UTC")
	}
}

func TestParseCalendar(t *testing.T) {
	cal, err := ParseCalendar([]byte(`# a test calendar
zone Europe/London   # trailing comment
hours Mon-Thu 09:00-12:30,13:30-17:30
hours fri 09:00-16:00
hours sat,sun 10:00-11:00
years 2025
holiday 2025-12-25..2025-12-26
workday 2025-12-27 09:00-13:00
workday 2025-12-28
`))
	if err != nil {
		t.Fatal(err)
	}
	if cal.Name() != "" || cal.Location().String() != "Europe/London" {
		t.Errorf("name %q, zone %v", cal.Name(), cal.Location())
	}
	want := map[string]string{
		"2025-12-22": "09:00-12:30,13:30-17:30", // Mon
		"2025-12-19": "09:00-16:00",             // Fri
		"2025-12-20": "10:00-11:00",             // Sat
		"2025-12-25": "",                        // holiday
		"2025-12-27": "09:00-13:00",             // workday with its own hours
		"2025-12-28": "09:00-12:30,13:30-17:30", // workday: Monday's hours
	}
	for s, w := range want {
		if h, err := cal.HoursOn(date(t, s)); err != nil || h.String() != w {
			t.Errorf("HoursOn(%s) = %q, %v; want %q", s, h, err, w)
		}
	}
}

func TestParseCalendarErrors(t *testing.T) {
	const base = "zone UTC\nhours mon-fri 09:00-17:00\n"
	tests := map[string]string{
		"":                                                       "missing zone",
		"hours mon-fri 09:00-17:00":                              "missing zone",
		"zone UTC":                                               "no working hours",
		base + "frobnicate 1":                                    `line 3: unknown directive "frobnicate"`,
		base + "zone UTC":                                        "line 3: second zone line (first on line 1)",
		"name a\nname b\n" + base:                                "line 2: second name line",
		base + "years 2025\nyears 2026":                          "line 4: second years line",
		base + "name a b":                                        "name takes one value",
		base + "name a/b":                                        `name "a/b"`,
		"zone Local\nhours mon 09:00-10:00":                      "zone Local",
		"zone Mars/Olympus":                                      `unknown time zone "Mars/Olympus"`,
		"zone ../../etc/passwd":                                  "unknown time zone",
		base + "years 2026-2025":                                 `years "2026-2025"`,
		base + "years 25":                                        `years "25"`,
		base + "years 0000":                                      `years "0000"`,
		base + "years 2025-":                                     `years "2025-"`,
		base + "hours sat":                                       "hours takes weekdays and hours",
		base + "hours fri 10:00-11:00":                           "line 3: fri already has hours (line 2)",
		base + "hours sat-xyz 10:00-11:00":                       `weekdays "sat-xyz"`,
		base + "hours sun-sat 10:00-11:00":                       `weekdays "sun-sat"`,
		base + "hours sat,sat 10:00-11:00":                       "sat listed twice",
		base + "hours sat 11:00-10:00":                           "invalid working hours",
		base + "holiday 2025-01-01":                              "line 3: holidays and workdays need a years line",
		base + "years 2025\nholiday 2026-01-01":                  "line 4: 2026-01-01 is outside the years line (2025)",
		base + "years 2025\nholiday 2025-12-31..2026-01-01":      "2026-01-01 is outside",
		base + "years 2025\nholiday 2025-02-30":                  `invalid date "2025-02-30"`,
		base + "years 2025\nholiday 2025-03-01..2025-02-01":      "must run forward",
		base + "years 2025-2026\nholiday 2025-01-01..2026-01-02": "at most 366 days",
		base + "years 2025\nholiday 2025-01-01 2025-01-02":       "holiday takes a date",
		base + "years 2025\nholiday 2025-01-01\nholiday 2025-01-01..2025-01-02": "line 5: 2025-01-01 is already listed on line 4",
		base + "years 2025\nholiday 2025-01-01\nworkday 2025-01-01":             "line 5: 2025-01-01 is already listed on line 4",
		base + "years 2025\nworkday 2025-01-04 09:00":                           "invalid working hours",
		base + "years 2025\nworkday 2025-01-04 09:00-10:00 x":                   "workday takes a date",
	}
	for src, want := range tests {
		_, err := ParseCalendar([]byte(src))
		if !errors.Is(err, ErrInvalidCalendar) || !strings.Contains(err.Error(), want) {
			t.Errorf("ParseCalendar(%q) error = %v, want one mentioning %q", src, err, want)
		}
	}
}

func TestLoadFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "office.cal")
	if err := os.WriteFile(path, []byte("zone Asia/Tokyo\nhours mon-fri 09:00-17:00\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cal, err := LoadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if cal.Name() != "office" || cal.Location().String() != "Asia/Tokyo" {
		t.Errorf("LoadFile: name %q, zone %v", cal.Name(), cal.Location())
	}
	if _, err := LoadFile(filepath.Join(dir, "missing.cal")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("LoadFile(missing) error = %v", err)
	}
	bad := filepath.Join(dir, "bad.cal")
	if err := os.WriteFile(bad, []byte("zone UTC\nhours mon 9-5\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadFile(bad); !errors.Is(err, ErrInvalidCalendar) || !strings.HasPrefix(err.Error(), bad+": ") || !strings.Contains(err.Error(), "line 2") {
		t.Errorf("LoadFile(bad) error = %v", err)
	}
	huge := filepath.Join(dir, "huge.cal")
	if err := os.WriteFile(huge, []byte(strings.Repeat("#\n", maxFileSize)), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadFile(huge); !errors.Is(err, ErrInvalidCalendar) {
		t.Errorf("LoadFile(huge) error = %v", err)
	}
}

// A wall-clock time in a gap moves later by the gap; a repeated one takes
// the earlier instant. Santiago springs forward at midnight, so the day
// itself starts at 01:00.
func TestWallTime(t *testing.T) {
	load := func(name string) *time.Location {
		loc, err := time.LoadLocation(name)
		if err != nil {
			t.Fatal(err)
		}
		return loc
	}
	tests := []struct {
		loc       *time.Location
		day       string
		hour, min int
		want      string
	}{
		{load(ny), "2025-03-09", 2, 0, "2025-03-09T03:00:00-04:00"},
		{load(ny), "2025-03-09", 2, 59, "2025-03-09T03:59:00-04:00"},
		{load(ny), "2025-03-09", 3, 0, "2025-03-09T03:00:00-04:00"},
		{load(ny), "2025-11-02", 1, 0, "2025-11-02T01:00:00-04:00"},
		{load(ny), "2025-11-02", 2, 0, "2025-11-02T02:00:00-05:00"},
		{load("America/Santiago"), "2025-09-07", 0, 0, "2025-09-07T01:00:00-03:00"},
		{load("Asia/Shanghai"), "2025-10-01", 24, 0, "2025-10-02T00:00:00+08:00"},
	}
	for _, tc := range tests {
		got := wallTime(tc.loc, date(t, tc.day), tc.hour, tc.min, 0, 0).Format(time.RFC3339)
		if got != tc.want {
			t.Errorf("wallTime(%s %s %02d:%02d) = %s, want %s", tc.loc, tc.day, tc.hour, tc.min, got, tc.want)
		}
	}
}
