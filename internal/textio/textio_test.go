package textio

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/iotest"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"
)

func readAll(t *testing.T, r io.Reader, opts Options) (*Reader, []Record, error) {
	t.Helper()
	rd, err := NewReader(r, opts)
	if err != nil {
		return nil, nil, err
	}
	var recs []Record
	for {
		rec, err := rd.Read()
		if err == io.EOF {
			return rd, recs, nil
		}
		if err != nil {
			return rd, recs, err
		}
		recs = append(recs, rec)
	}
}

func wantLineError(t *testing.T, err error, line int, target error) {
	t.Helper()
	var le *LineError
	if !errors.As(err, &le) {
		t.Fatalf("error %v (%T) is not a *LineError", err, err)
	}
	if le.Line != line {
		t.Errorf("error %q on line %d, want line %d", err, le.Line, line)
	}
	if target != nil && !errors.Is(err, target) {
		t.Errorf("error %q does not wrap %v", err, target)
	}
}

func gbk(t *testing.T, s string) []byte {
	t.Helper()
	b, err := simplifiedchinese.GBK.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

const zhCSV = "id,content,label\n1,商家不给退款，客服也不回复,退款\n2,\"快递丢了, 已经三天\",物流\n"

func TestReadUTF8AndLines(t *testing.T) {
	in := "id,text,label\n1,\"first\nsecond line\",a\n\n2,plain,b\n"
	rd, recs, err := readAll(t, strings.NewReader(in), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if rd.Encoding() != UTF8 {
		t.Errorf("encoding %q, want UTF-8", rd.Encoding())
	}
	if len(recs) != 2 {
		t.Fatalf("got %d records, want 2", len(recs))
	}
	if recs[0].Line != 2 || recs[1].Line != 5 {
		t.Errorf("record lines %d, %d; want 2, 5", recs[0].Line, recs[1].Line)
	}
	if recs[0].Fields[1] != "first\nsecond line" {
		t.Errorf("multi-line field = %q", recs[0].Fields[1])
	}
}

func TestEncodings(t *testing.T) {
	utf16le, _ := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().Bytes([]byte(zhCSV))
	utf16be, _ := unicode.UTF16(unicode.BigEndian, unicode.UseBOM).NewEncoder().Bytes([]byte(zhCSV))
	gb18030, _ := simplifiedchinese.GB18030.NewEncoder().Bytes([]byte(zhCSV + "3,𠮷 and 😀 and �,其他\n"))
	cases := []struct {
		name string
		in   []byte
		enc  Encoding
	}{
		{"utf8", []byte(zhCSV), UTF8},
		{"utf8 bom", append([]byte{0xEF, 0xBB, 0xBF}, zhCSV...), UTF8BOM},
		{"utf16le", utf16le, UTF16LE},
		{"utf16be", utf16be, UTF16BE},
		{"gbk", gbk(t, zhCSV), GB18030},
		{"gb18030 four-byte", gb18030, GB18030},
	}
	for _, c := range cases {
		for _, seekable := range []bool{true, false} {
			var r io.Reader = bytes.NewReader(c.in)
			if !seekable {
				r = iotest.HalfReader(r) // not a Seeker, and short reads
			}
			rd, recs, err := readAll(t, r, Options{})
			if err != nil {
				t.Fatalf("%s (seekable %v): %v", c.name, seekable, err)
			}
			if rd.Encoding() != c.enc {
				t.Errorf("%s: encoding %q, want %q", c.name, rd.Encoding(), c.enc)
			}
			if got := strings.Join(rd.Header(), "|"); got != "id|content|label" {
				t.Errorf("%s: header %q (BOM not stripped?)", c.name, got)
			}
			if recs[0].Fields[1] != "商家不给退款，客服也不回复" || recs[1].Fields[1] != "快递丢了, 已经三天" {
				t.Errorf("%s: decoded %q, %q", c.name, recs[0].Fields[1], recs[1].Fields[1])
			}
			if c.name == "gb18030 four-byte" && recs[2].Fields[1] != "𠮷 and 😀 and �" {
				t.Errorf("four-byte sequences decoded as %q", recs[2].Fields[1])
			}
		}
	}
}

func TestInvalidEncodingNamesLine(t *testing.T) {
	// Line 3 holds 0xFF, which is neither UTF-8 nor GB18030.
	in := append([]byte("a,b\n1,ok\n2,"), 0xFF, 'x', '\n')
	_, _, err := readAll(t, bytes.NewReader(in), Options{})
	wantLineError(t, err, 3, ErrEncoding)
	if !strings.Contains(err.Error(), "GB18030") {
		t.Errorf("error %q should say GB18030 was tried too", err)
	}

	// GBK on line 2, invalid GB18030 (a lead byte followed by a newline) on line 4.
	in = append(gbk(t, "a,b\n1,退款\n2,ok\n3,"), 0x81, '\n')
	_, _, err = readAll(t, bytes.NewReader(in), Options{})
	if err == nil || !strings.Contains(err.Error(), "line 4") {
		t.Errorf("error %v should name line 4, where GB18030 fails", err)
	}
}

func TestLateInvalidUTF8WhenNotSeekable(t *testing.T) {
	// The sniffed prefix is valid UTF-8, so the GBK bytes that come later
	// must be reported, with their line, not decoded into mojibake.
	in := append([]byte("a,b\n1,好\n2,ok\n"), gbk(t, "3,退款\n")...)
	_, recs, err := readAll(t, iotest.OneByteReader(bytes.NewReader(in)), Options{SniffBytes: 8})
	wantLineError(t, err, 4, ErrEncoding)
	if len(recs) != 2 {
		t.Errorf("read %d good records before the error, want 2", len(recs))
	}
	// A seekable input is examined whole, so the same bytes are an error
	// up front (the file is neither all UTF-8 nor all GB18030).
	_, err = NewReader(bytes.NewReader(in), Options{SniffBytes: 8})
	if !errors.Is(err, ErrEncoding) {
		t.Errorf("seekable: error %v, want ErrEncoding", err)
	}
}

func TestBinary(t *testing.T) {
	for name, in := range map[string][]byte{
		"nul":  []byte("a,b\n1,x\x00y\n"),
		"xlsx": []byte("PK\x03\x04\x14\x00\x06\x00rest"),
		"xls":  {0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0},
		"gzip": {0x1F, 0x8B, 0x08, 0, 0, 0},
	} {
		_, _, err := readAll(t, bytes.NewReader(in), Options{})
		if !errors.Is(err, ErrBinary) {
			t.Errorf("%s: error %v, want ErrBinary", name, err)
		}
	}
	_, _, err := readAll(t, bytes.NewReader([]byte("a,b\n1,x\x00y\n")), Options{})
	wantLineError(t, err, 2, ErrBinary)
}

func TestTooLarge(t *testing.T) {
	big := strings.Repeat("x", 2000)
	_, _, err := readAll(t, strings.NewReader("a,b\n1,ok\n2,"+big+"\n"), Options{MaxFieldBytes: 1000})
	wantLineError(t, err, 3, ErrTooLarge)

	// An unclosed quote swallows the rest of the input; the reader must
	// stop near the record limit instead of buffering everything.
	src := &countingReader{r: io.MultiReader(strings.NewReader("a,b\n1,ok\n2,\"open"), endless{})}
	_, _, err = readAll(t, src, Options{MaxFieldBytes: 1 << 10, MaxRecordBytes: 1 << 10, SniffBytes: 1024})
	wantLineError(t, err, 3, ErrTooLarge)
	if src.n > 1<<20 {
		t.Errorf("read %d bytes before giving up on a runaway record", src.n)
	}
}

type endless struct{}

func (endless) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = 'z'
	}
	return len(p), nil
}

type countingReader struct {
	r io.Reader
	n int
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += n
	return n, err
}

func TestMalformed(t *testing.T) {
	_, _, err := readAll(t, strings.NewReader("a,b\n1,2\n3,4,5\n"), Options{})
	wantLineError(t, err, 3, nil)
	if !strings.Contains(err.Error(), "number of fields") {
		t.Errorf("error %q should explain the field count", err)
	}
	_, _, err = readAll(t, strings.NewReader("a,b\n1,x\"y\n"), Options{})
	wantLineError(t, err, 2, nil)
	if _, _, err := readAll(t, strings.NewReader("a,b\n1,x\"y\n"), Options{LazyQuotes: true}); err != nil {
		t.Errorf("LazyQuotes: %v", err)
	}
	if _, err := NewReader(strings.NewReader(""), Options{}); err == nil || !strings.Contains(err.Error(), "empty") {
		t.Errorf("empty input: error %v", err)
	}
}

func TestColumn(t *testing.T) {
	rd, err := NewReader(strings.NewReader(" Review ,label,dup,dup\n"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if i, err := rd.Column("Review"); i != 0 || err != nil {
		t.Errorf("Column(Review) = %d, %v", i, err)
	}
	if i, err := rd.Column("LABEL"); i != 1 || err != nil {
		t.Errorf("Column(LABEL) = %d, %v; want the case-insensitive match", i, err)
	}
	_, err = rd.Column("content")
	if !errors.Is(err, ErrColumn) || !strings.Contains(err.Error(), `"content"`) || !strings.Contains(err.Error(), `"Review", "label", "dup", "dup"`) {
		t.Errorf("missing column error %q should name it and list the columns", err)
	}
	if _, err := rd.Column("dup"); !errors.Is(err, ErrColumn) || !strings.Contains(err.Error(), "more than once") {
		t.Errorf("duplicate column error %v", err)
	}
}

func TestReadLabelled(t *testing.T) {
	in := "text,label,extra\n退款慢,refund,x\n   ,refund,x\nno label,,x\n\"  spaced  \", delivery ,x\n"
	rows, stats, err := ReadLabelled(strings.NewReader(in), "text", "label", Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := []LabelledRow{{Line: 2, Text: "退款慢", Label: "refund"}, {Line: 5, Text: "spaced", Label: "delivery"}}
	if len(rows) != len(want) || rows[0] != want[0] || rows[1] != want[1] {
		t.Errorf("rows = %+v, want %+v", rows, want)
	}
	if stats.Rows != 4 || stats.SkippedEmptyText != 1 || stats.SkippedEmptyLabel != 1 || stats.Skipped() != 2 {
		t.Errorf("stats = %+v", stats)
	}
	_, _, err = ReadLabelled(strings.NewReader(in), "review", "label", Options{})
	if !errors.Is(err, ErrColumn) || !strings.Contains(err.Error(), "text column") {
		t.Errorf("missing text column: %v", err)
	}
}

func TestReadLabelledFile(t *testing.T) {
	dir := t.TempDir()
	if _, _, err := ReadLabelledFile(filepath.Join(dir, "nope.csv"), "t", "l", Options{}); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
	if _, _, err := ReadLabelledFile(dir, "t", "l", Options{}); err == nil || !strings.Contains(err.Error(), "directory") {
		t.Errorf("directory: %v", err)
	}
	path := filepath.Join(dir, "gbk.csv")
	if err := os.WriteFile(path, gbk(t, "t,l\n退款,a\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	rows, stats, err := ReadLabelledFile(path, "t", "l", Options{})
	if err != nil || len(rows) != 1 || rows[0].Text != "退款" || stats.Encoding != GB18030 {
		t.Errorf("gbk file: %+v %+v %v", rows, stats, err)
	}
	bad := filepath.Join(dir, "bad.csv")
	if err := os.WriteFile(bad, []byte("t,l\n\xff,a\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, _, err := ReadLabelledFile(bad, "t", "l", Options{}); err == nil || !strings.Contains(err.Error(), bad) || !strings.Contains(err.Error(), "line 2") {
		t.Errorf("bad file error %v should name the file and line", err)
	}
}

func FuzzReader(f *testing.F) {
	f.Add([]byte(zhCSV))
	f.Add([]byte("a,b\n\"x\ny\",2\n"))
	f.Add([]byte{0xEF, 0xBB, 0xBF, 'a', '\n', 0x81, 0x30, 0x81, 0x30, '\n'})
	f.Add([]byte{0xFF, 0xFE, 'a', 0, ',', 0, 'b', 0})
	f.Add([]byte("a\n\xc4\xe3\xba\xc3\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, seekable := range []bool{true, false} {
			var r io.Reader = bytes.NewReader(data)
			if !seekable {
				r = iotest.HalfReader(r)
			}
			opts := Options{MaxFieldBytes: 64, MaxRecordBytes: 256, SniffBytes: 16}
			rd, err := NewReader(r, opts)
			if err != nil {
				continue
			}
			for _, h := range rd.Header() {
				checkField(t, h, opts)
			}
			for {
				rec, err := rd.Read()
				if err != nil {
					break
				}
				if len(rec.Fields) != len(rd.Header()) || rec.Line < 1 {
					t.Fatalf("record %+v for header %q", rec, rd.Header())
				}
				for _, f := range rec.Fields {
					checkField(t, f, opts)
				}
			}
		}
	})
}

func checkField(t *testing.T, f string, opts Options) {
	if !utf8.ValidString(f) || strings.ContainsRune(f, 0) || len(f) > opts.MaxFieldBytes {
		t.Fatalf("field %q: invalid UTF-8, NUL or over the limit", f)
	}
}
