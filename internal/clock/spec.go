package clock

import (
	"fmt"
	"math"
	"strconv"
	"time"
)

// Unit is the unit of a duration spec.
type Unit uint8

// The units of a spec; docs/clock.md states what each one counts.
const (
	UnitMinute       Unit = iota + 1 // m: elapsed minutes
	UnitHour                         // h: elapsed hours
	UnitDay                          // d: calendar days, same wall-clock time
	UnitBusinessHour                 // bh: time inside working hours
	UnitBusinessDay                  // bd: working days, due at closing time
	UnitLegalDay                     // ld: days under PRC Civil Code arts. 201-203
)

// units lists each unit's suffix and the largest N accepted with it: about
// ten years, far beyond any real SLA but small enough to compute quickly.
var units = [...]struct {
	suffix string
	max    int
}{
	UnitMinute:       {"m", 10 * 365 * 24 * 60},
	UnitHour:         {"h", 10 * 365 * 24},
	UnitDay:          {"d", 10 * 365},
	UnitBusinessHour: {"bh", 10 * 365 * 24},
	UnitBusinessDay:  {"bd", 10 * 365},
	UnitLegalDay:     {"ld", 10 * 365},
}

func (u Unit) known() bool { return u >= UnitMinute && u <= UnitLegalDay }

// String returns the unit's suffix, e.g. "bh".
func (u Unit) String() string {
	if !u.known() {
		return fmt.Sprintf("Unit(%d)", uint8(u))
	}
	return units[u].suffix
}

// Spec is a parsed duration spec: N units.
type Spec struct {
	N    int
	Unit Unit
}

// ParseSpec parses a duration spec: a positive whole number followed by a
// unit, e.g. "30m", "48h", "3d", "16bh", "15bd" or "30ld".
func ParseSpec(s string) (Spec, error) {
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	digits, suffix := s[:i], s[i:]
	switch {
	case s == "":
		return Spec{}, fmt.Errorf("%w: empty; want a number and a unit such as 48h or 15bd", ErrInvalidSpec)
	case digits == "":
		return Spec{}, fmt.Errorf("%w %q: must start with a positive whole number", ErrInvalidSpec, s)
	case suffix == "":
		return Spec{}, fmt.Errorf("%w %q: missing unit (m, h, d, bh, bd or ld)", ErrInvalidSpec, s)
	}
	u := unitOf(suffix)
	if u == 0 {
		return Spec{}, fmt.Errorf("%w %q: unknown unit %q (want m, h, d, bh, bd or ld)", ErrInvalidSpec, s, suffix)
	}
	n, err := strconv.Atoi(digits)
	if err != nil { // only overflow makes Atoi fail on plain digits
		n = math.MaxInt
	}
	spec := Spec{N: n, Unit: u}
	if err := spec.validate(); err != nil {
		return Spec{}, fmt.Errorf("%w %q: %v", ErrInvalidSpec, s, err)
	}
	return spec, nil
}

func unitOf(suffix string) Unit {
	for u := UnitMinute; u <= UnitLegalDay; u++ {
		if units[u].suffix == suffix {
			return u
		}
	}
	return 0
}

// validate checks a spec that may not have come from ParseSpec.
func (s Spec) validate() error {
	switch {
	case !s.Unit.known():
		return fmt.Errorf("unknown unit %v", s.Unit)
	case s.N <= 0:
		return fmt.Errorf("N must be positive")
	case s.N > units[s.Unit].max:
		return fmt.Errorf("N is too large: at most %d%s", units[s.Unit].max, units[s.Unit].suffix)
	}
	return nil
}

// String returns the spec in the form ParseSpec reads, e.g. "16bh".
func (s Spec) String() string { return strconv.Itoa(s.N) + s.Unit.String() }

// MarshalText implements encoding.TextMarshaler.
func (s Spec) MarshalText() ([]byte, error) {
	if err := s.validate(); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInvalidSpec, err)
	}
	return []byte(s.String()), nil
}

// UnmarshalText implements encoding.TextUnmarshaler using ParseSpec.
func (s *Spec) UnmarshalText(text []byte) error {
	v, err := ParseSpec(string(text))
	if err != nil {
		return err
	}
	*s = v
	return nil
}

// Pausable reports whether pauses stop this spec's clock (m, h and bh).
func (s Spec) Pausable() bool {
	return s.Unit == UnitMinute || s.Unit == UnitHour || s.Unit == UnitBusinessHour
}

// Duration returns the amount of time the spec stands for when that is a
// fixed amount (m, h and bh); ok is false for the day units.
func (s Spec) Duration() (d time.Duration, ok bool) {
	switch s.Unit {
	case UnitMinute:
		return time.Duration(s.N) * time.Minute, true
	case UnitHour, UnitBusinessHour:
		return time.Duration(s.N) * time.Hour, true
	}
	return 0, false
}
