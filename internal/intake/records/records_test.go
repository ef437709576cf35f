package records

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"testing/iotest"
	"time"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/redress-project/redress/internal/textio"
)

type got struct {
	recs []Record
	errs []error
}

func readAll(t *testing.T, in string, f Format, opts Options) (got, error) {
	t.Helper()
	var g got
	err := Read(strings.NewReader(in), f, opts, func(r Record, err error) error {
		if err != nil {
			g.errs = append(g.errs, err)
			return nil
		}
		g.recs = append(g.recs, r)
		return nil
	})
	return g, err
}

func lines(g got) []int {
	var out []int
	for _, r := range g.recs {
		out = append(out, r.Line)
	}
	return out
}

func errLines(g got) []int {
	var out []int
	for _, e := range g.errs {
		var le *LineError
		if errors.As(e, &le) {
			out = append(out, le.Line)
		} else {
			out = append(out, -1)
		}
	}
	return out
}

func eq(a, b []int) bool {
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

func TestJSONArray(t *testing.T) {
	in := "\n[\n  {\"a\": 1},\n  {\"a\": \"多行\",\n   \"b\": 2},\n  3\n]\n"
	g, err := readAll(t, in, JSON, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !eq(lines(g), []int{3, 4, 6}) || string(g.recs[1].Raw) != "{\"a\": \"多行\",\n   \"b\": 2}" {
		t.Errorf("lines %v, raw %q", lines(g), g.recs[1].Raw)
	}
	for i, r := range g.recs {
		if r.Index != i {
			t.Errorf("record %d has index %d", i, r.Index)
		}
	}
}

func TestJSONArraySyntaxErrorStopsWithLine(t *testing.T) {
	_, err := readAll(t, "[\n{\"a\":1},\n{\"a\":,}\n]", JSON, Options{})
	var fe *FileError
	if !errors.As(err, &fe) || fe.Line != 3 || !errors.Is(err, ErrFile) {
		t.Errorf("error %v, want a FileError on line 3", err)
	}
	_, err = readAll(t, "[{\"a\":1}", JSON, Options{})
	if !errors.As(err, &fe) {
		t.Errorf("unclosed array: %v", err)
	}
	_, err = readAll(t, "[{\"a\":1}] x", JSON, Options{})
	if !errors.As(err, &fe) {
		t.Errorf("trailing data: %v", err)
	}
}

func TestJSONLinesGoesOnPastBadLines(t *testing.T) {
	in := "{\"a\":1}\n\n{\"a\":\n{\"b\":2}\n\xff\xfe\n{\"c\":3}"
	g, err := readAll(t, in, JSON, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !eq(lines(g), []int{1, 4, 6}) || !eq(errLines(g), []int{3, 5}) {
		t.Errorf("records on %v, errors on %v", lines(g), errLines(g))
	}
	if !errors.Is(g.errs[1], textio.ErrEncoding) {
		t.Errorf("invalid UTF-8: %v", g.errs[1])
	}
}

func TestJSONStreamOfPrettyObjects(t *testing.T) {
	in := "{\n  \"a\": 1\n}\n{\n  \"a\": 2\n}\n"
	g, err := readAll(t, in, JSON, Options{})
	if err != nil || !eq(lines(g), []int{1, 4}) {
		t.Errorf("lines %v, err %v", lines(g), err)
	}
}

func TestJSONLimits(t *testing.T) {
	big := "{\"a\":\"" + strings.Repeat("x", 2000) + "\"}"
	g, err := readAll(t, "{\"a\":1}\n"+big+"\n{\"b\":1}\n", JSON, Options{MaxRecordBytes: 1000})
	if err != nil || !eq(lines(g), []int{1, 3}) || !eq(errLines(g), []int{2}) || !errors.Is(g.errs[0], textio.ErrTooLarge) {
		t.Errorf("JSON Lines over the limit: lines %v errors %v %v", lines(g), g.errs, err)
	}
	// In an array, a record a little over the limit is refused alone…
	g, err = readAll(t, "["+big+",\n{}]", JSON, Options{MaxRecordBytes: 1000})
	if err != nil || !eq(errLines(g), []int{1}) || !eq(lines(g), []int{2}) {
		t.Errorf("array record over the limit: records %v errors %v %v", lines(g), g.errs, err)
	}
	// …and one far over it (or an unclosed string) stops the file.
	_, err = readAll(t, "[\""+strings.Repeat("x", 200<<10), JSON, Options{MaxRecordBytes: 1000})
	if !errors.Is(err, textio.ErrTooLarge) || !errors.Is(err, ErrFile) {
		t.Errorf("runaway array record: %v", err)
	}
	for _, in := range []string{"", "   ", "\xff\xfe{", "PK\x03\x04", "\"str\"", "nul\x00"} {
		if _, err := readAll(t, in, JSON, Options{}); !errors.Is(err, ErrFile) {
			t.Errorf("input %q: %v, want a file error", in, err)
		}
	}
}

func TestCSV(t *testing.T) {
	in := "ID, Text ,extra\n1,\"两行\n文本\",x\n2,b\n3,c,y\n"
	g, err := readAll(t, in, CSV, Options{Columns: Columns{Required: []string{"id", "text"}}})
	if err != nil {
		t.Fatal(err)
	}
	if !eq(lines(g), []int{2, 5}) || !eq(errLines(g), []int{4}) {
		t.Errorf("lines %v errors %v", lines(g), errLines(g))
	}
	r := g.recs[0]
	if r.Get("text") != "两行\n文本" || string(r.Raw) != `{"ID":"1","Text":"两行\n文本","extra":"x"}` || g.recs[1].Index != 2 {
		t.Errorf("record %+v raw %s", r, r.Raw)
	}
	var obj map[string]string
	if json.Unmarshal(r.Raw, &obj) != nil {
		t.Errorf("raw is not JSON: %s", r.Raw)
	}
}

func TestCSVColumnsNamed(t *testing.T) {
	_, err := readAll(t, "id,body\n1,x\n", CSV, Options{Columns: Columns{Required: []string{"id", "text", "at"}, AnyOf: [][]string{{"amount", "amount_minor"}}}})
	for _, want := range []string{`missing columns "text", "at", one of "amount" or "amount_minor"`, `the columns are "id", "body"`} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("error %v should say %s", err, want)
		}
	}
	_, err = readAll(t, "id,ID\n1,2\n", CSV, Options{})
	if err == nil || !strings.Contains(err.Error(), "more than once") {
		t.Errorf("repeated column: %v", err)
	}
}

func TestCSVGBKAndBadBytes(t *testing.T) {
	gbk, _ := simplifiedchinese.GBK.NewEncoder().Bytes([]byte("id,text\n1,退款没到账\n"))
	var recs []Record
	err := Read(bytes.NewReader(gbk), CSV, Options{}, func(r Record, err error) error {
		recs = append(recs, r)
		return err
	})
	if err != nil || len(recs) != 1 || recs[0].Get("text") != "退款没到账" {
		t.Errorf("GBK: %+v %v", recs, err)
	}
	// Neither UTF-8 nor GB18030: refused with the line, nothing read.
	_, err = readAll(t, "id,text\n1,ok\n2,\xff\xff\n", CSV, Options{})
	var fe *FileError
	if !errors.As(err, &fe) || fe.Line != 3 || !errors.Is(err, textio.ErrEncoding) {
		t.Errorf("bad bytes: %v", err)
	}
	// A field over the limit spoils its row only.
	g, err := readAll(t, "id,text\n1,"+strings.Repeat("x", 100)+"\n2,ok\n", CSV, Options{MaxRecordBytes: 50})
	if err != nil || !eq(lines(g), []int{3}) || !eq(errLines(g), []int{2}) {
		t.Errorf("field over the limit: lines %v errors %v %v", lines(g), g.errs, err)
	}
}

func TestNotSeekable(t *testing.T) {
	n := 0
	if err := Read(iotest.OneByteReader(strings.NewReader("id\n1\n2\n")), CSV, Options{}, func(Record, error) error { n++; return nil }); err != nil || n != 2 {
		t.Errorf("one byte reader: %v %d", err, n)
	}
}

func TestValues(t *testing.T) {
	for in, want := range map[string]string{
		"2026-03-01T09:12:05+08:00": "2026-03-01T01:12:05Z",
		"2026-03-01 09:12:05":       "2026-03-01T01:12:05Z",
		"2026/03/01 09:12":          "2026-03-01T01:12:00Z",
		"2026-03-01T01:12:05.5Z":    "2026-03-01T01:12:05.5Z",
	} {
		got, err := ParseTime(in)
		if err != nil || got.Format(time.RFC3339Nano) != want {
			t.Errorf("ParseTime(%q) = %v, %v; want %s", in, got, err, want)
		}
	}
	if _, err := ParseTime("yesterday"); err == nil {
		t.Error("ParseTime accepted yesterday")
	}
	d, err := ParseDeadline("2026-03-20")
	if err != nil || d.Format(time.RFC3339) != "2026-03-20T15:59:59Z" {
		t.Errorf("ParseDeadline = %v, %v", d, err)
	}
	for in, want := range map[string]int64{"128.50": 12850, "128.5": 12850, "99": 9900, "0.01": 1, ".5": 50, "+3": 300, "1.500": 150} {
		if got, err := ParseAmount(in, 2); err != nil || got != want {
			t.Errorf("ParseAmount(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"", "-1", "1.005", "1,000", "abc", "1.", "1e5", "99999999999999999999"} {
		if _, err := ParseAmount(in, 2); err == nil {
			t.Errorf("ParseAmount(%q) accepted", in)
		}
	}
	if got, _ := ParseAmount("500", 0); got != 500 {
		t.Errorf("JPY: %d", got)
	}
	if ids := SplitIDs(" a; b,c |d  a，e"); strings.Join(ids, " ") != "a b c d e" {
		t.Errorf("SplitIDs = %q", ids)
	}
}

func FuzzRead(f *testing.F) {
	f.Add([]byte("[{\"a\":1},\n{\"b\":\"x\"}]"), false)
	f.Add([]byte("{\"a\":1}\n{bad\n{\"c\":3}\n"), false)
	f.Add([]byte("{\n\"a\":1\n}\n{\"b\":2}"), false)
	f.Add([]byte("id,text\n1,\"a\nb\"\n2,c,d\n"), true)
	f.Add([]byte("id,text\n1,\xc4\xe3\xba\xc3\n"), true)
	f.Fuzz(func(t *testing.T, data []byte, csv bool) {
		format := JSON
		if csv {
			format = CSV
		}
		last, index := 0, 0
		err := Read(bytes.NewReader(data), format, Options{MaxRecordBytes: 256}, func(r Record, err error) error {
			if r.Index != index {
				t.Fatalf("record index %d, want %d", r.Index, index)
			}
			index++
			if r.Line < 1 || r.Line < last {
				t.Fatalf("record on line %d after line %d", r.Line, last)
			}
			last = r.Line
			if err != nil {
				var le *LineError
				if !errors.As(err, &le) || le.Line != r.Line {
					t.Fatalf("record error %v is not a LineError on line %d", err, r.Line)
				}
				return nil
			}
			if !utf8.Valid(r.Raw) || !json.Valid(r.Raw) {
				t.Fatalf("raw record %q is not valid UTF-8 JSON", r.Raw)
			}
			if csv && len(r.Fields) == 0 && len(r.Raw) > 2 {
				t.Fatalf("CSV record without fields")
			}
			return nil
		})
		if err != nil && !errors.Is(err, ErrFile) {
			t.Fatalf("Read returned %v, not a file error", err)
		}
	})
}
