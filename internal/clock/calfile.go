package clock

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// maxFileSize bounds what LoadFile reads; real calendars are a few KB.
const maxFileSize = 1 << 20

// maxRangeDays bounds a holiday or workday range, which catches typos in
// the end year and keeps a hostile file from expanding into millions of days.
const maxRangeDays = 366

// LoadFile reads a calendar file in the format described in docs/clock.md.
// A calendar without a name line is named after the file, without extension.
func LoadFile(path string) (*Calendar, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	src, err := io.ReadAll(io.LimitReader(f, maxFileSize+1))
	if err != nil {
		return nil, err
	}
	if len(src) > maxFileSize {
		return nil, fmt.Errorf("%s: %w: larger than %d bytes", path, ErrInvalidCalendar, maxFileSize)
	}
	cal, err := ParseCalendar(src)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if cal.name == "" {
		cal.name = strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
	}
	return cal, nil
}

// ParseCalendar parses a calendar in the line-based format described in
// docs/clock.md. Without a name line the calendar's name is empty.
func ParseCalendar(src []byte) (*Calendar, error) {
	p := calParser{once: map[string]int{}, dayLine: map[Date]int{}}
	for i, line := range strings.Split(string(src), "\n") {
		line, _, _ = strings.Cut(line, "#")
		fields := strings.Fields(line)
		if len(fields) == 0 {
			continue
		}
		p.line = i + 1
		if err := p.directive(fields[0], fields[1:]); err != nil {
			return nil, fmt.Errorf("%w: line %d: %v", ErrInvalidCalendar, p.line, err)
		}
	}
	if err := p.finish(); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInvalidCalendar, err)
	}
	return &p.cal, nil
}

// calParser accumulates a calendar line by line.
type calParser struct {
	cal      Calendar
	line     int
	once     map[string]int // line of each directive that may appear once
	weekLine [7]int         // line that gave each weekday its hours
	dated    []datedLine    // holiday and workday lines, checked in finish
	dayLine  map[Date]int   // line that listed each holiday or workday
}

type datedLine struct {
	line     int
	from, to Date
	holiday  bool
	hours    Hours // workday only; nil means the standard hours
}

func (p *calParser) directive(name string, args []string) error {
	switch name {
	case "name", "zone", "years":
		if prev, dup := p.once[name]; dup {
			return fmt.Errorf("second %s line (first on line %d)", name, prev)
		}
		p.once[name] = p.line
		if len(args) != 1 {
			return fmt.Errorf("%s takes one value", name)
		}
	}
	switch name {
	case "name":
		return p.setName(args[0])
	case "zone":
		return p.setZone(args[0])
	case "years":
		return p.setYears(args[0])
	case "hours":
		return p.addHours(args)
	case "holiday", "workday":
		return p.addDated(name == "holiday", args)
	}
	return fmt.Errorf("unknown directive %q (want name, zone, years, hours, holiday or workday)", name)
}

func (p *calParser) setName(s string) error {
	if len(s) > 64 || strings.IndexFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("._-", r))
	}) >= 0 {
		return fmt.Errorf("name %q: use up to 64 letters, digits, '.', '_' or '-'", s)
	}
	p.cal.name = s
	return nil
}

func (p *calParser) setZone(s string) error {
	if s == "Local" {
		return fmt.Errorf("zone Local depends on the host; name an IANA zone such as Asia/Shanghai")
	}
	loc, err := time.LoadLocation(s)
	if err != nil {
		return fmt.Errorf("unknown time zone %q", s)
	}
	p.cal.loc = loc
	return nil
}

// setYears parses "2025" or "2025-2026".
func (p *calParser) setYears(s string) error {
	a, b, isRange := strings.Cut(s, "-")
	if !isRange {
		b = a
	}
	first, err1 := parseYear(a)
	last, err2 := parseYear(b)
	if err1 != nil || err2 != nil || first > last {
		return fmt.Errorf("years %q: want YYYY or YYYY-YYYY, first year not after the last", s)
	}
	p.cal.first, p.cal.last = first, last
	return nil
}

func parseYear(s string) (int, error) {
	if len(s) != 4 || !isDigits(s) || s == "0000" {
		return 0, fmt.Errorf("bad year")
	}
	return strconv.Atoi(s)
}

// addHours handles "hours DAYS HOURS", e.g. "hours mon-fri 09:00-18:00".
func (p *calParser) addHours(args []string) error {
	if len(args) != 2 {
		return fmt.Errorf("hours takes weekdays and hours, e.g. hours mon-fri 09:00-18:00")
	}
	days, err := parseWeekdays(args[0])
	if err != nil {
		return err
	}
	h, err := ParseHours(args[1])
	if err != nil {
		return err
	}
	for _, wd := range days {
		if prev := p.weekLine[wd]; prev != 0 {
			return fmt.Errorf("%s already has hours (line %d)", weekdayNames[wd], prev)
		}
		p.weekLine[wd] = p.line
		p.cal.week[wd] = h
	}
	return nil
}

// weekdayNames is indexed by time.Weekday.
var weekdayNames = [7]string{"sun", "mon", "tue", "wed", "thu", "fri", "sat"}

// mondayFirst orders weekdays the way ranges such as mon-sun read.
var mondayFirst = [7]time.Weekday{time.Monday, time.Tuesday, time.Wednesday,
	time.Thursday, time.Friday, time.Saturday, time.Sunday}

// parseWeekdays parses a comma-separated list of days and ranges, such as
// "mon-fri" or "mon,wed,fri-sun". Ranges run Monday to Sunday.
func parseWeekdays(s string) ([]time.Weekday, error) {
	var days []time.Weekday
	seen := [7]bool{}
	for part := range strings.SplitSeq(s, ",") {
		a, b, isRange := strings.Cut(part, "-")
		if !isRange {
			b = a
		}
		from, to := mondayIndex(a), mondayIndex(b)
		if from < 0 || to < 0 || from > to {
			return nil, fmt.Errorf("weekdays %q: want days like mon-fri or sat,sun (mon tue wed thu fri sat sun)", s)
		}
		for _, wd := range mondayFirst[from : to+1] {
			if seen[wd] {
				return nil, fmt.Errorf("weekdays %q: %s listed twice", s, weekdayNames[wd])
			}
			seen[wd] = true
			days = append(days, wd)
		}
	}
	return days, nil
}

// mondayIndex returns 0 for "mon" through 6 for "sun", -1 for anything else.
func mondayIndex(name string) int {
	for i, wd := range mondayFirst {
		if strings.EqualFold(name, weekdayNames[wd]) {
			return i
		}
	}
	return -1
}

// addDated handles "holiday DATES" and "workday DATES [HOURS]", where DATES
// is a date or an inclusive range FROM..TO.
func (p *calParser) addDated(holiday bool, args []string) error {
	if holiday && len(args) != 1 {
		return fmt.Errorf("holiday takes a date or a range FROM..TO")
	}
	if !holiday && len(args) != 1 && len(args) != 2 {
		return fmt.Errorf("workday takes a date or a range FROM..TO, optionally followed by hours")
	}
	from, to, err := parseDateRange(args[0])
	if err != nil {
		return err
	}
	dl := datedLine{line: p.line, from: from, to: to, holiday: holiday}
	if len(args) == 2 {
		if dl.hours, err = ParseHours(args[1]); err != nil {
			return err
		}
	}
	p.dated = append(p.dated, dl)
	return nil
}

func parseDateRange(s string) (from, to Date, err error) {
	a, b, isRange := strings.Cut(s, "..")
	if !isRange {
		b = a
	}
	if from, err = ParseDate(a); err != nil {
		return from, to, err
	}
	if to, err = ParseDate(b); err != nil {
		return from, to, err
	}
	if to.Compare(from) < 0 || to.Compare(from.AddDays(maxRangeDays-1)) > 0 {
		return from, to, fmt.Errorf("range %q: must run forward and span at most %d days", s, maxRangeDays)
	}
	return from, to, nil
}

// finish checks the calendar as a whole and expands the dated lines.
func (p *calParser) finish() error {
	if p.cal.loc == nil {
		return fmt.Errorf("missing zone line, e.g. zone Asia/Shanghai")
	}
	for _, wd := range mondayFirst {
		if p.cal.week[wd] != nil {
			p.cal.standard = p.cal.week[wd]
			break
		}
	}
	if p.cal.standard == nil {
		return fmt.Errorf("no working hours: add an hours line, e.g. hours mon-fri 09:00-18:00")
	}
	p.cal.holidays = map[Date]bool{}
	p.cal.workdays = map[Date]Hours{}
	for _, dl := range p.dated {
		if err := p.expand(dl); err != nil {
			return fmt.Errorf("line %d: %v", dl.line, err)
		}
	}
	return nil
}

func (p *calParser) expand(dl datedLine) error {
	if p.cal.first == 0 {
		return fmt.Errorf("holidays and workdays need a years line saying which years the calendar covers")
	}
	for d := dl.from; d.Compare(dl.to) <= 0; d = d.AddDays(1) {
		if !p.cal.Covers(d) {
			return fmt.Errorf("%s is outside the years line (%s)", d, p.cal.yearsString())
		}
		if prev, dup := p.dayLine[d]; dup {
			return fmt.Errorf("%s is already listed on line %d", d, prev)
		}
		p.dayLine[d] = dl.line
		if dl.holiday {
			p.cal.holidays[d] = true
		} else {
			p.cal.workdays[d] = dl.hours
		}
	}
	return nil
}
