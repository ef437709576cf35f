// Package records splits an import file into records: JSON (an array of
// objects, JSON Lines, or a single object) or CSV with a header row (read
// through textio, which detects GBK/GB18030 and UTF-16 and refuses binary
// content). Each record comes with the line it starts on, and a record
// that cannot be read is reported with its line while reading goes on
// wherever the format allows it.
package records

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/redress-project/redress/internal/textio"
)

// Format is how a file is written.
type Format string

// The formats.
const (
	JSON Format = "json"
	CSV  Format = "csv"
)

// ParseFormat checks a --format value.
func ParseFormat(s string) (Format, error) {
	switch f := Format(strings.ToLower(strings.TrimSpace(s))); f {
	case JSON, CSV:
		return f, nil
	}
	return "", fmt.Errorf("unknown format %q: use json or csv", s)
}

// FormatOf guesses the format from a file name: .csv is CSV, .json,
// .jsonl and .ndjson are JSON; ok is false otherwise.
func FormatOf(name string) (Format, bool) {
	lower := strings.ToLower(name)
	switch {
	case strings.HasSuffix(lower, ".csv"):
		return CSV, true
	case strings.HasSuffix(lower, ".json"), strings.HasSuffix(lower, ".jsonl"), strings.HasSuffix(lower, ".ndjson"):
		return JSON, true
	}
	return "", false
}

// Record is one record of a file.
type Record struct {
	Index int // 0-based position among the records of the file, unreadable ones included
	Line  int // the line it starts on
	// Raw is the record as it is in the file (JSON), or, for a CSV row,
	// a JSON object of its columns in header order, decoded to UTF-8.
	Raw []byte
	// Fields are a CSV row's values by lower-cased column name; nil for JSON.
	Fields map[string]string
}

// Get returns a CSV field by (lower-case) column name, trimmed.
func (r Record) Get(column string) string { return strings.TrimSpace(r.Fields[column]) }

// Options tune Read. The zero value is ready to use.
type Options struct {
	// MaxRecordBytes caps one record (JSON) or one field (CSV); 0 means 1 MiB.
	MaxRecordBytes int
	// Columns, for CSV, are checked against the header before any row is
	// read: a required column that is missing stops the file with an
	// error naming it and listing the columns there are.
	Columns Columns
}

// Columns are the columns a CSV file must or may have.
type Columns struct {
	Required []string
	// AnyOf lists groups of columns of which at least one must be there,
	// such as {"amount", "amount_minor"}.
	AnyOf [][]string
}

const defaultMaxRecord = 1 << 20

// ErrFile marks an error after which the rest of the file cannot be read.
var ErrFile = errors.New("the rest of the file cannot be read")

// FileError is a problem with the file as a whole, or one after which the
// rest of it cannot be read. Line is 0 when no line is to blame.
type FileError struct {
	Line int
	Err  error
}

func (e *FileError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("line %d: %v", e.Line, e.Err)
	}
	return e.Err.Error()
}

func (e *FileError) Unwrap() []error { return []error{e.Err, ErrFile} }

// LineError is a problem with one record; reading goes on after it.
type LineError = textio.LineError

// Handler receives each record, or the error that kept one from being
// read (a *LineError). Returning an error stops Read, which returns it.
type Handler func(rec Record, err error) error

// Read reads the records of r in format and passes each to fn. It returns
// fn's error, or a *FileError when the file (or its rest) cannot be read.
func Read(r io.Reader, format Format, opts Options, fn Handler) error {
	if opts.MaxRecordBytes <= 0 {
		opts.MaxRecordBytes = defaultMaxRecord
	}
	switch format {
	case CSV:
		return readCSV(r, opts, fn)
	case JSON:
		return readJSON(r, opts, fn)
	}
	return fmt.Errorf("records: unknown format %q", format)
}

// --- CSV ---

func readCSV(r io.Reader, opts Options, fn Handler) error {
	rd, err := textio.NewReader(r, textio.Options{MaxFieldBytes: opts.MaxRecordBytes, MaxRecordBytes: max(8<<20, 2*opts.MaxRecordBytes)})
	if err != nil {
		return fileError(err)
	}
	header := rd.Header()
	names := make([]string, len(header))
	seen := map[string]bool{}
	for i, h := range header {
		names[i] = strings.ToLower(h)
		if names[i] == "" {
			continue
		}
		if seen[names[i]] {
			return &FileError{Line: 1, Err: fmt.Errorf("column %q appears more than once in the header", h)}
		}
		seen[names[i]] = true
	}
	if err := opts.Columns.check(header, seen); err != nil {
		return &FileError{Line: 1, Err: err}
	}
	index, lastErrLine := 0, 0
	for {
		rec, err := rd.Read()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			var le *LineError
			if !errors.As(err, &le) || fatalCSV(err) || le.Line == lastErrLine {
				return fileError(err)
			}
			lastErrLine = le.Line
			if err := fn(Record{Index: index, Line: le.Line}, le); err != nil {
				return err
			}
			index++
			continue
		}
		fields := make(map[string]string, len(header))
		var raw bytes.Buffer
		raw.WriteByte('{')
		for i, v := range rec.Fields {
			if names[i] == "" {
				continue
			}
			fields[names[i]] = v
			if raw.Len() > 1 {
				raw.WriteByte(',')
			}
			writeJSONString(&raw, header[i])
			raw.WriteByte(':')
			writeJSONString(&raw, v)
		}
		raw.WriteByte('}')
		if err := fn(Record{Index: index, Line: rec.Line, Raw: raw.Bytes(), Fields: fields}, nil); err != nil {
			return err
		}
		index++
	}
}

// fatalCSV reports whether a CSV error leaves the reader unable to go on:
// the input is not text in a known encoding, or a record ran past the
// record limit (an unclosed quote), after which reading would resume in
// the middle of it. A field over the limit spoils only its own row.
//
// textio does not tell a record over the limit from a field over it but
// by its message; the check on the wording goes once textio exports the
// difference.
func fatalCSV(err error) bool {
	return errors.Is(err, textio.ErrEncoding) || errors.Is(err, textio.ErrBinary) ||
		errors.Is(err, textio.ErrTooLarge) && strings.Contains(err.Error(), "the record starting here")
}

func fileError(err error) error {
	var le *LineError
	if errors.As(err, &le) {
		return &FileError{Line: le.Line, Err: le.Err}
	}
	return &FileError{Err: err}
}

func (c Columns) check(header []string, have map[string]bool) error {
	var missing []string
	for _, name := range c.Required {
		if !have[name] {
			missing = append(missing, fmt.Sprintf("%q", name))
		}
	}
	for _, group := range c.AnyOf {
		found := false
		for _, name := range group {
			found = found || have[name]
		}
		if !found {
			missing = append(missing, "one of "+strings.Join(quoteAll(group), " or "))
		}
	}
	if len(missing) == 0 {
		return nil
	}
	noun := "column"
	if len(missing) > 1 {
		noun = "columns"
	}
	return fmt.Errorf("missing %s %s; the columns are %s", noun, strings.Join(missing, ", "), strings.Join(quoteAll(header), ", "))
}

func quoteAll(names []string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = fmt.Sprintf("%q", n)
	}
	return out
}

func writeJSONString(b *bytes.Buffer, s string) {
	enc, _ := json.Marshal(s) // a string always encodes
	b.Write(enc)
}

// --- JSON ---

// lineTracker counts the lines of the bytes read through it, so that an
// offset reached by a json.Decoder (which reads ahead) can be turned into
// a line number. Offsets must be asked in increasing order.
type lineTracker struct {
	r        io.Reader
	read     int64   // bytes read so far
	newlines []int64 // offsets of newlines read but not yet passed
	line     int     // line of the last offset asked
	allow    int64   // reading past this fails with errRecordTooLarge
}

var errRecordTooLarge = errors.New("record too large")

func (t *lineTracker) Read(p []byte) (int, error) {
	if t.read >= t.allow {
		return 0, errRecordTooLarge
	}
	if room := t.allow - t.read; int64(len(p)) > room {
		p = p[:room]
	}
	n, err := t.r.Read(p)
	for i, b := range p[:n] {
		if b == '\n' {
			t.newlines = append(t.newlines, t.read+int64(i))
		}
	}
	t.read += int64(n)
	return n, err
}

// lineAt returns the line of offset off.
func (t *lineTracker) lineAt(off int64) int {
	i := 0
	for i < len(t.newlines) && t.newlines[i] < off {
		i++
	}
	t.line += i
	t.newlines = t.newlines[i:]
	return t.line
}

const readSlack = 64 << 10

func readJSON(r io.Reader, opts Options, fn Handler) error {
	br := bufio.NewReaderSize(r, opts.MaxRecordBytes+readSlack)
	head, err := peekHead(br)
	if err != nil {
		return err
	}
	start := bytes.IndexFunc(head, func(r rune) bool { return !strings.ContainsRune(" \t\r\n", r) })
	if start < 0 {
		return &FileError{Err: errors.New("the file has no JSON in it (or starts with a great deal of white space)")}
	}
	switch head[start] {
	case '[':
		return readJSONArray(br, opts, fn)
	case '{':
		// JSON Lines when the first line with anything on it is a whole
		// value; otherwise objects spread over lines, one after another.
		if end := bytes.IndexByte(head[start:], '\n'); end >= 0 && json.Valid(head[start:start+end]) ||
			end < 0 && len(head) < br.Size() && json.Valid(head[start:]) {
			return readJSONLines(br, opts, fn)
		}
		return readJSONStream(br, opts, fn)
	}
	line := 1 + bytes.Count(head[:start], []byte{'\n'})
	return &FileError{Line: line, Err: fmt.Errorf("a JSON import file holds an array of objects, objects one per line, or one object; it starts with %q", head[start])}
}

// peekHead checks the start of a JSON file and returns as much of it as
// the buffer holds, unread (a UTF-8 byte order mark is dropped).
func peekHead(br *bufio.Reader) ([]byte, error) {
	head, err := br.Peek(br.Size())
	if err != nil && err != io.EOF && err != bufio.ErrBufferFull {
		return nil, &FileError{Err: err}
	}
	switch {
	case len(head) == 0:
		return nil, &FileError{Err: errors.New("the file is empty")}
	case bytes.HasPrefix(head, []byte{0xEF, 0xBB, 0xBF}):
		br.Discard(3) // a UTF-8 byte order mark: harmless
		return peekHead(br)
	case bytes.HasPrefix(head, []byte{0xFF, 0xFE}), bytes.HasPrefix(head, []byte{0xFE, 0xFF}):
		return nil, &FileError{Err: errors.New("the file is UTF-16; JSON import files must be UTF-8")}
	case bytes.HasPrefix(head, []byte("PK\x03\x04")):
		return nil, &FileError{Err: fmt.Errorf("%w: the file is a ZIP archive (an .xlsx workbook?), not JSON", textio.ErrBinary)}
	}
	return head, nil
}

func checkUTF8(raw []byte) error {
	if !utf8.Valid(raw) {
		return fmt.Errorf("%w: the record is not valid UTF-8 (JSON import files must be UTF-8; GBK text belongs in CSV files)", textio.ErrEncoding)
	}
	if bytes.IndexByte(raw, 0) >= 0 {
		return fmt.Errorf("%w (NUL byte)", textio.ErrBinary)
	}
	return nil
}

func readJSONArray(br *bufio.Reader, opts Options, fn Handler) error {
	lt := &lineTracker{r: br, line: 1, allow: int64(opts.MaxRecordBytes) + readSlack}
	dec := json.NewDecoder(lt)
	if _, err := dec.Token(); err != nil { // the '['
		return &FileError{Line: 1, Err: err}
	}
	index := 0
	for dec.More() {
		lt.allow = dec.InputOffset() + int64(opts.MaxRecordBytes) + readSlack
		var raw json.RawMessage
		err := dec.Decode(&raw)
		if err != nil {
			return jsonFileError(err, lt, dec)
		}
		line := lt.lineAt(dec.InputOffset() - int64(len(raw)))
		rec := Record{Index: index, Line: line, Raw: raw}
		index++
		if len(raw) > opts.MaxRecordBytes {
			err = fmt.Errorf("%w: the record is %d bytes, over the limit of %d", textio.ErrTooLarge, len(raw), opts.MaxRecordBytes)
		} else {
			err = checkUTF8(raw)
		}
		if err != nil {
			if err := fn(Record{Index: rec.Index, Line: line}, &LineError{Line: line, Err: err}); err != nil {
				return err
			}
			continue
		}
		if err := fn(rec, nil); err != nil {
			return err
		}
	}
	lt.allow = dec.InputOffset() + readSlack
	if _, err := dec.Token(); err != nil { // the ']'
		return jsonFileError(err, lt, dec)
	}
	if _, err := dec.Token(); err != io.EOF {
		return &FileError{Line: lt.lineAt(dec.InputOffset()), Err: errors.New("unexpected data after the closing ]")}
	}
	return nil
}

// readJSONStream reads JSON objects written one after another (which may
// span lines). A syntax error stops the file: where the next object starts
// cannot be known.
func readJSONStream(br *bufio.Reader, opts Options, fn Handler) error {
	lt := &lineTracker{r: br, line: 1}
	dec := json.NewDecoder(lt)
	for index := 0; ; index++ {
		lt.allow = dec.InputOffset() + int64(opts.MaxRecordBytes) + readSlack
		var raw json.RawMessage
		err := dec.Decode(&raw)
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return jsonFileError(err, lt, dec)
		}
		line := lt.lineAt(dec.InputOffset() - int64(len(raw)))
		if err := checkUTF8(raw); err != nil {
			if err := fn(Record{Index: index, Line: line}, &LineError{Line: line, Err: err}); err != nil {
				return err
			}
			continue
		}
		if err := fn(Record{Index: index, Line: line, Raw: raw}, nil); err != nil {
			return err
		}
	}
}

func jsonFileError(err error, lt *lineTracker, dec *json.Decoder) error {
	var syn *json.SyntaxError
	switch {
	case errors.Is(err, errRecordTooLarge):
		return &FileError{Line: lt.lineAt(dec.InputOffset()), Err: fmt.Errorf("%w: a record is over the limit of %d bytes (or the JSON is not closed)", textio.ErrTooLarge, lt.allow-dec.InputOffset()-readSlack)}
	case errors.As(err, &syn):
		return &FileError{Line: lt.lineAt(syn.Offset), Err: fmt.Errorf("malformed JSON: %v", err)}
	case errors.Is(err, io.ErrUnexpectedEOF):
		return &FileError{Line: lt.lineAt(lt.read), Err: errors.New("malformed JSON: the file ends in the middle of a record")}
	}
	return &FileError{Line: lt.lineAt(dec.InputOffset()), Err: err}
}

// readJSONLines reads one JSON value per line; blank lines are skipped and
// a line that is not valid JSON is reported and skipped.
func readJSONLines(br *bufio.Reader, opts Options, fn Handler) error {
	index := 0
	for line := 1; ; line++ {
		raw, tooLong, err := readLine(br, opts.MaxRecordBytes)
		if err != nil && err != io.EOF {
			return &FileError{Line: line, Err: err}
		}
		trimmed := bytes.TrimSpace(raw)
		var lineErr error
		switch {
		case tooLong:
			lineErr = fmt.Errorf("%w: the line is over the limit of %d bytes", textio.ErrTooLarge, opts.MaxRecordBytes)
		case len(trimmed) == 0:
		default:
			if lineErr = checkUTF8(trimmed); lineErr == nil && !json.Valid(trimmed) {
				var v any
				lineErr = fmt.Errorf("malformed JSON: %v", json.Unmarshal(trimmed, &v))
			}
		}
		switch {
		case lineErr != nil:
			if err := fn(Record{Index: index, Line: line}, &LineError{Line: line, Err: lineErr}); err != nil {
				return err
			}
			index++
		case len(trimmed) > 0:
			if err := fn(Record{Index: index, Line: line, Raw: append([]byte(nil), trimmed...)}, nil); err != nil {
				return err
			}
			index++
		}
		if err == io.EOF {
			return nil
		}
	}
}

// readLine reads one line (without its newline), at most limit bytes of
// it: the rest of a longer line is skipped and tooLong set.
func readLine(br *bufio.Reader, limit int) (line []byte, tooLong bool, err error) {
	for {
		chunk, err := br.ReadSlice('\n')
		if !tooLong {
			if len(line)+len(chunk) > limit+1 {
				tooLong, line = true, nil
			} else {
				line = append(line, chunk...)
			}
		}
		switch {
		case err == bufio.ErrBufferFull:
			continue
		case err != nil:
			if err == io.EOF && len(line) == 0 && !tooLong && len(chunk) == 0 {
				return nil, false, io.EOF
			}
			return bytes.TrimSuffix(line, []byte{'\n'}), tooLong, err
		}
		return bytes.TrimSuffix(line, []byte{'\n'}), tooLong, nil
	}
}
