package clock

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"
)

func TestParseSpec(t *testing.T) {
	good := map[string]Spec{
		"30m":      {30, UnitMinute},
		"48h":      {48, UnitHour},
		"3d":       {3, UnitDay},
		"16bh":     {16, UnitBusinessHour},
		"15bd":     {15, UnitBusinessDay},
		"30ld":     {30, UnitLegalDay},
		"007h":     {7, UnitHour},
		"5256000m": {5256000, UnitMinute},
		"3650ld":   {3650, UnitLegalDay},
	}
	for in, want := range good {
		got, err := ParseSpec(in)
		if err != nil || got != want {
			t.Errorf("ParseSpec(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	bad := map[string]string{
		"":                      "empty",
		"0h":                    "positive",
		"00bd":                  "positive",
		"-3d":                   "positive whole number",
		"+3d":                   "positive whole number",
		"h":                     "positive whole number",
		"3":                     "missing unit",
		"3x":                    `unknown unit "x"`,
		"3H":                    `unknown unit "H"`,
		"3 d":                   `unknown unit " d"`,
		" 3d":                   "positive whole number",
		"3d ":                   `unknown unit "d "`,
		"1.5h":                  `unknown unit ".5h"`,
		"3bdd":                  `unknown unit "bdd"`,
		"5256001m":              "too large",
		"3651d":                 "too large",
		"87601bh":               "too large",
		"99999999999999999999h": "too large",
	}
	for in, want := range bad {
		_, err := ParseSpec(in)
		if !errors.Is(err, ErrInvalidSpec) || !strings.Contains(err.Error(), want) {
			t.Errorf("ParseSpec(%q) error = %v, want ErrInvalidSpec mentioning %q", in, err, want)
		}
	}
}

func TestSpecText(t *testing.T) {
	var v struct{ SLA Spec }
	if err := json.Unmarshal([]byte(`{"SLA":"16bh"}`), &v); err != nil || v.SLA != (Spec{16, UnitBusinessHour}) {
		t.Fatalf("unmarshal = %v, %v", v.SLA, err)
	}
	out, err := json.Marshal(v)
	if err != nil || string(out) != `{"SLA":"16bh"}` {
		t.Fatalf("marshal = %s, %v", out, err)
	}
	if err := json.Unmarshal([]byte(`{"SLA":"16x"}`), &v); !errors.Is(err, ErrInvalidSpec) {
		t.Errorf("unmarshal bad spec error = %v", err)
	}
	if _, err := json.Marshal(struct{ S Spec }{}); err == nil {
		t.Error("marshalling the zero Spec succeeded")
	}
}

func TestSpecDuration(t *testing.T) {
	tests := []struct {
		spec     Spec
		want     time.Duration
		pausable bool
	}{
		{Spec{90, UnitMinute}, 90 * time.Minute, true},
		{Spec{2, UnitHour}, 2 * time.Hour, true},
		{Spec{16, UnitBusinessHour}, 16 * time.Hour, true},
		{Spec{3, UnitDay}, 0, false},
		{Spec{3, UnitBusinessDay}, 0, false},
		{Spec{3, UnitLegalDay}, 0, false},
	}
	for _, tc := range tests {
		got, ok := tc.spec.Duration()
		if got != tc.want || ok != tc.pausable || tc.spec.Pausable() != tc.pausable {
			t.Errorf("%v: Duration = %v, %v; Pausable = %v", tc.spec, got, ok, tc.spec.Pausable())
		}
	}
}

func TestParseHours(t *testing.T) {
	good := map[string]Hours{
		"09:00-18:00":             {{540, 1080}},
		"09:00-12:00,13:30-18:00": {{540, 720}, {810, 1080}},
		"00:00-24:00":             {{0, 1440}},
		"09:00-12:00,12:00-18:00": {{540, 1080}},
		"23:59-24:00":             {{1439, 1440}},
	}
	for in, want := range good {
		got, err := ParseHours(in)
		if err != nil || got.String() != want.String() {
			t.Errorf("ParseHours(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"", "9:00-18:00", "09:00", "09:00-", "18:00-09:00", "09:00-09:00",
		"09:00-24:01", "25:00-26:00", "09:60-10:00", "09:00-13:00,12:00-18:00", "13:00-18:00,09:00-12:00",
		"09:00-18:00,", "09.00-18.00", "０９:００-18:00", "09:00 - 18:00"} {
		if _, err := ParseHours(in); !errors.Is(err, ErrInvalidHours) {
			t.Errorf("ParseHours(%q) error = %v, want ErrInvalidHours", in, err)
		}
	}
}

func TestParseInterval(t *testing.T) {
	iv, err := ParseInterval("2025-10-09T10:00:00+08:00/2025-10-09T10:00:00.5Z")
	if err != nil {
		t.Fatal(err)
	}
	if iv.Duration() != 8*time.Hour+500*time.Millisecond {
		t.Errorf("Duration = %v", iv.Duration())
	}
	for _, in := range []string{"", "/", "2025-10-09T10:00:00+08:00", "2025-10-09T10:00:00+08:00/",
		"2025-10-09T10:00:00/2025-10-09T11:00:00", "2025-10-09/2025-10-10",
		"2025-10-09T11:00:00+08:00/2025-10-09T10:00:00+08:00"} {
		if _, err := ParseInterval(in); !errors.Is(err, ErrInvalidInterval) {
			t.Errorf("ParseInterval(%q) error = %v, want ErrInvalidInterval", in, err)
		}
	}
}

func TestDate(t *testing.T) {
	d, err := ParseDate("2024-02-28")
	if err != nil {
		t.Fatal(err)
	}
	if got := d.AddDays(1).String(); got != "2024-02-29" {
		t.Errorf("AddDays(1) = %s", got)
	}
	if got := d.AddDays(-59).String(); got != "2023-12-31" {
		t.Errorf("AddDays(-59) = %s", got)
	}
	if d.Weekday() != time.Wednesday || d.Compare(d.AddDays(1)) != -1 || d.Compare(d) != 0 {
		t.Error("Weekday or Compare wrong")
	}
	for _, in := range []string{"2025-02-29", "2025-2-1", "25-01-01", "2025/01/01", ""} {
		if _, err := ParseDate(in); err == nil {
			t.Errorf("ParseDate(%q) succeeded", in)
		}
	}
}
