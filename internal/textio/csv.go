// Package textio reads delimited text files safely: it detects the
// character encoding (UTF-8, UTF-8 with BOM, UTF-16 with BOM, GB18030 and
// so GBK), refuses binary content and enormous fields, looks columns up by
// name with errors that list the available ones, and reports problems with
// the line they occur on.
package textio

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// Options tune a Reader. The zero value is ready to use.
type Options struct {
	// Comma is the field delimiter; 0 means ','.
	Comma rune
	// LazyQuotes accepts a quote in an unquoted field and a non-doubled
	// quote in a quoted field, as encoding/csv does.
	LazyQuotes bool
	// MaxFieldBytes caps the size of one field; 0 means 1 MiB.
	MaxFieldBytes int
	// MaxRecordBytes caps the size of one record (line or lines); 0 means 8 MiB.
	MaxRecordBytes int
	// SniffBytes is how much of a non-seekable input is examined to detect
	// its encoding; 0 means 1 MiB. A seekable input (a file) is examined
	// whole and then rewound.
	SniffBytes int
}

func (o Options) withDefaults() Options {
	if o.Comma == 0 {
		o.Comma = ','
	}
	if o.MaxFieldBytes <= 0 {
		o.MaxFieldBytes = 1 << 20
	}
	if o.MaxRecordBytes <= 0 {
		o.MaxRecordBytes = 8 << 20
	}
	if o.MaxRecordBytes < o.MaxFieldBytes {
		o.MaxRecordBytes = o.MaxFieldBytes
	}
	if o.SniffBytes <= 0 {
		o.SniffBytes = 1 << 20
	}
	return o
}

// Record is one row of a CSV file.
type Record struct {
	// Line is the line on which the record starts (the header is line 1
	// unless blank lines precede it).
	Line   int
	Fields []string
}

// Reader reads CSV records with a header row, decoded to UTF-8.
type Reader struct {
	opts     Options
	enc      Encoding
	csv      *csv.Reader
	limit    *limitReader
	header   []string
	nextLine int // the earliest line the next record can start on
}

// NewReader detects the encoding of r, reads the header row and returns a
// Reader positioned on the first data row.
func NewReader(r io.Reader, opts Options) (*Reader, error) {
	opts = opts.withDefaults()
	det, replay, err := detect(r, opts.SniffBytes)
	if err != nil {
		return nil, err
	}
	src := io.MultiReader(bytes.NewReader(replay), r)
	var text io.Reader
	switch det.enc {
	case UTF8, UTF8BOM:
		hint := ""
		if !det.complete {
			hint = fmt.Sprintf("the input was read as UTF-8 because its first %d bytes were valid UTF-8", opts.SniffBytes)
		}
		if det.enc == UTF8BOM {
			if _, err := io.CopyN(io.Discard, src, 3); err != nil {
				return nil, err
			}
		}
		// Not x/text's UTF-8 decoder: it would hide invalid bytes behind U+FFFD.
		text = newCheckedReader(src, scanUTF8, hint)
	case UTF16LE, UTF16BE:
		endian := unicode.LittleEndian
		if det.enc == UTF16BE {
			endian = unicode.BigEndian
		}
		dec := unicode.UTF16(endian, unicode.ExpectBOM).NewDecoder()
		text = newCheckedReader(transform.NewReader(src, dec), scanUTF8, "")
	case GB18030:
		checked := newCheckedReader(src, newGBChecker().scan, "")
		text = transform.NewReader(checked, simplifiedchinese.GB18030.NewDecoder())
	}
	rd := &Reader{opts: opts, enc: det.enc, limit: &limitReader{src: text}}
	rd.csv = csv.NewReader(rd.limit)
	rd.csv.Comma = opts.Comma
	rd.csv.LazyQuotes = opts.LazyQuotes
	rd.nextLine = 1
	header, err := rd.Read()
	if err == io.EOF {
		return nil, errors.New("empty input: no header row")
	}
	if err != nil {
		return nil, err
	}
	rd.header = make([]string, len(header.Fields))
	for i, h := range header.Fields {
		rd.header[i] = strings.TrimSpace(h)
	}
	return rd, nil
}

// Encoding reports the encoding the input was decoded from.
func (r *Reader) Encoding() Encoding { return r.enc }

// Header returns the column names, with surrounding spaces trimmed.
func (r *Reader) Header() []string { return r.header }

// Column returns the index of the named column. Names match exactly or,
// failing that, ignoring case. A missing or repeated name gives a
// *ColumnError, which lists the columns that exist.
func (r *Reader) Column(name string) (int, error) {
	want := strings.TrimSpace(name)
	for _, fold := range []bool{false, true} {
		found := -1
		for i, h := range r.header {
			if h == want || (fold && strings.EqualFold(h, want)) {
				if found >= 0 {
					return -1, &ColumnError{Name: name, Columns: r.header, Repeated: true}
				}
				found = i
			}
		}
		if found >= 0 {
			return found, nil
		}
	}
	return -1, &ColumnError{Name: name, Columns: r.header}
}

// ColumnError reports a column that is not in the header, or is in it
// more than once. It matches ErrColumn with errors.Is.
type ColumnError struct {
	Name     string
	Columns  []string
	Repeated bool
}

func (e *ColumnError) Error() string {
	if e.Repeated {
		return fmt.Sprintf("column %q appears more than once in the header", e.Name)
	}
	quoted := make([]string, len(e.Columns))
	for i, h := range e.Columns {
		quoted[i] = fmt.Sprintf("%q", h)
	}
	return fmt.Sprintf("no column %q; the columns are %s", e.Name, strings.Join(quoted, ", "))
}

// Is makes errors.Is(err, ErrColumn) true.
func (e *ColumnError) Is(target error) bool { return target == ErrColumn }

// Read returns the next record, or io.EOF after the last one. Every
// record has as many fields as the header.
func (r *Reader) Read() (Record, error) {
	r.limit.allow = r.csv.InputOffset() + int64(r.opts.MaxRecordBytes) + limitSlack
	fields, err := r.csv.Read()
	if err != nil {
		return Record{}, r.wrapErr(err)
	}
	line, _ := r.csv.FieldPos(0)
	for i, f := range fields {
		if len(f) > r.opts.MaxFieldBytes {
			fl, _ := r.csv.FieldPos(i)
			return Record{}, &LineError{Line: fl, Err: fmt.Errorf("%w: field %d is %d bytes, over the limit of %d", ErrTooLarge, i+1, len(f), r.opts.MaxFieldBytes)}
		}
	}
	last, _ := r.csv.FieldPos(len(fields) - 1)
	r.nextLine = last + strings.Count(fields[len(fields)-1], "\n") + 1
	return Record{Line: line, Fields: fields}, nil
}

func (r *Reader) wrapErr(err error) error {
	var pe *csv.ParseError
	switch {
	case err == io.EOF:
		return io.EOF
	case errors.As(err, &pe):
		if errors.Is(pe.Err, csv.ErrFieldCount) {
			return &LineError{Line: pe.StartLine, Err: fmt.Errorf("record has a different number of fields from the header (%d)", len(r.header))}
		}
		return &LineError{Line: pe.Line, Err: pe.Err}
	case errors.Is(err, errRecordTooLarge):
		return &LineError{Line: r.nextLine, Err: fmt.Errorf("%w: the record starting here is over %d bytes (an unclosed quote?)", ErrTooLarge, r.opts.MaxRecordBytes)}
	}
	return err
}

// limitSlack covers what encoding/csv's bufio.Reader reads ahead of the
// record it is parsing.
const limitSlack = 64 << 10

var errRecordTooLarge = errors.New("record too large")

// limitReader fails once more than allow bytes have been read in total,
// which bounds the memory that one runaway record (say, an unclosed quote
// in a huge file) can take inside encoding/csv.
type limitReader struct {
	src   io.Reader
	n     int64
	allow int64
}

func (l *limitReader) Read(p []byte) (int, error) {
	if l.n >= l.allow {
		return 0, errRecordTooLarge
	}
	if room := l.allow - l.n; int64(len(p)) > room {
		p = p[:room]
	}
	n, err := l.src.Read(p)
	l.n += int64(n)
	return n, err
}
