package textio

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/transform"
)

// Encoding names the character encoding a Reader detected in its input.
type Encoding string

// The encodings a Reader recognises. GBK and GB2312 files are read as
// GB18030, which is a superset of both.
const (
	UTF8    Encoding = "UTF-8"
	UTF8BOM Encoding = "UTF-8 with BOM"
	UTF16LE Encoding = "UTF-16LE"
	UTF16BE Encoding = "UTF-16BE"
	GB18030 Encoding = "GB18030"
)

// Errors that Reader wraps, for use with errors.Is.
var (
	// ErrBinary reports input that is not text (a NUL byte, or a known
	// binary file signature such as a spreadsheet).
	ErrBinary = errors.New("binary content, not CSV text")
	// ErrEncoding reports bytes that are not valid in the detected encoding.
	ErrEncoding = errors.New("invalid character encoding")
	// ErrTooLarge reports a field or record over the configured limit.
	ErrTooLarge = errors.New("too large")
	// ErrColumn reports a column that is missing or ambiguous.
	ErrColumn = errors.New("column not found")
)

// LineError is an error tied to a (1-based, physical) line of the input.
type LineError struct {
	Line int
	Err  error
}

func (e *LineError) Error() string { return fmt.Sprintf("line %d: %v", e.Line, e.Err) }

// Unwrap returns the underlying error.
func (e *LineError) Unwrap() error { return e.Err }

// scanFunc reports how many leading bytes of p form complete, valid
// characters. A non-nil error means the byte at that offset is invalid; a
// short count with a nil error means p ends inside a character and more
// input is needed (never the case when atEOF).
type scanFunc func(p []byte, atEOF bool) (int, error)

var errNUL = fmt.Errorf("%w (NUL byte)", ErrBinary)

func scanUTF8(p []byte, atEOF bool) (int, error) {
	i := 0
	for i < len(p) {
		b := p[i]
		if b < utf8.RuneSelf {
			if b == 0 {
				return i, errNUL
			}
			i++
			continue
		}
		if !utf8.FullRune(p[i:]) {
			if atEOF {
				return i, fmt.Errorf("%w: truncated UTF-8 sequence at end of input", ErrEncoding)
			}
			return i, nil
		}
		r, size := utf8.DecodeRune(p[i:])
		if r == utf8.RuneError && size == 1 {
			return i, fmt.Errorf("%w: byte 0x%02X is not valid UTF-8", ErrEncoding, b)
		}
		i += size
	}
	return i, nil
}

// gbReplacement is U+FFFD encoded in GB18030; decoding it legitimately
// yields the replacement character, which is otherwise the decoder's
// signal for an invalid sequence.
var gbReplacement = []byte{0x84, 0x31, 0xA4, 0x37}

// gbChecker validates GB18030 byte sequences. The structure (one, two or
// four bytes) is checked here; whether a well-formed sequence is mapped to a
// character is asked of the x/text decoder, which would otherwise silently
// turn it into U+FFFD.
type gbChecker struct {
	dec transform.Transformer
	out [8]byte
}

func newGBChecker() *gbChecker {
	return &gbChecker{dec: simplifiedchinese.GB18030.NewDecoder()}
}

func (g *gbChecker) mapped(seq []byte) bool {
	n, _, err := g.dec.Transform(g.out[:], seq, true)
	if err != nil {
		return false
	}
	r, _ := utf8.DecodeRune(g.out[:n])
	return r != utf8.RuneError || bytes.Equal(seq, gbReplacement)
}

func (g *gbChecker) scan(p []byte, atEOF bool) (int, error) {
	i := 0
	for i < len(p) {
		c0 := p[i]
		switch {
		case c0 == 0:
			return i, errNUL
		case c0 < 0x80:
			i++
			continue
		case c0 == 0x80: // the euro sign in Code Page 936, accepted by the decoder
			i++
			continue
		case c0 == 0xFF:
			return i, fmt.Errorf("%w: byte 0xFF is not valid GB18030", ErrEncoding)
		}
		size := 2
		if i+1 < len(p) && p[i+1] >= 0x30 && p[i+1] <= 0x39 {
			size = 4
		}
		if i+size > len(p) {
			if atEOF {
				return i, fmt.Errorf("%w: truncated GB18030 sequence at end of input", ErrEncoding)
			}
			return i, nil
		}
		if !gbWellFormed(p[i:i+size]) || !g.mapped(p[i:i+size]) {
			return i, fmt.Errorf("%w: bytes % X are not valid GB18030", ErrEncoding, p[i:i+size])
		}
		i += size
	}
	return i, nil
}

func gbWellFormed(s []byte) bool {
	if len(s) == 2 {
		c1 := s[1]
		return (c1 >= 0x40 && c1 <= 0x7E) || (c1 >= 0x80 && c1 <= 0xFE)
	}
	return s[2] >= 0x81 && s[2] <= 0xFE && s[3] >= 0x30 && s[3] <= 0x39
}

// checkedReader passes through only bytes that its scanFunc accepts and
// turns the first rejected byte into a LineError, so that bad input is
// reported with its line instead of being decoded into mojibake.
type checkedReader struct {
	src  io.Reader
	scan scanFunc
	hint string // appended to encoding errors, to explain the detection

	buf        []byte
	r, ok, w   int // buf[r:ok] checked and deliverable, buf[ok:w] pending
	line       int // line of the next byte to deliver
	pendingErr error
	eof        bool
}

func newCheckedReader(src io.Reader, scan scanFunc, hint string) *checkedReader {
	return &checkedReader{src: src, scan: scan, hint: hint, buf: make([]byte, 64<<10), line: 1}
}

func (c *checkedReader) Read(p []byte) (int, error) {
	for {
		if c.r < c.ok {
			n := copy(p, c.buf[c.r:c.ok])
			c.line += bytes.Count(p[:n], []byte{'\n'})
			c.r += n
			return n, nil
		}
		if c.pendingErr != nil {
			return 0, c.pendingErr
		}
		if c.eof && c.ok == c.w {
			return 0, io.EOF
		}
		c.fill()
	}
}

// fill reads more input and checks it.
func (c *checkedReader) fill() {
	if c.r > 0 {
		c.w = copy(c.buf, c.buf[c.r:c.w])
		c.ok -= c.r
		c.r = 0
	}
	if !c.eof {
		n, err := c.src.Read(c.buf[c.w:])
		c.w += n
		switch {
		case err == io.EOF:
			c.eof = true
		case err != nil:
			c.pendingErr = err
		}
	}
	n, err := c.scan(c.buf[c.ok:c.w], c.eof)
	if err != nil {
		line := c.line + bytes.Count(c.buf[c.r:c.ok+n], []byte{'\n'})
		if errors.Is(err, ErrEncoding) && c.hint != "" {
			err = fmt.Errorf("%w (%s)", err, c.hint)
		}
		c.pendingErr = &LineError{Line: line, Err: err}
	}
	c.ok += n
}

// streamScan runs a scanFunc over input that arrives in chunks.
type streamScan struct {
	scan scanFunc
	tail []byte
	line int
	err  error // first problem found, a *LineError
}

func (s *streamScan) feed(p []byte, atEOF bool) {
	if s.err != nil {
		return
	}
	data := p
	if len(s.tail) > 0 {
		data = append(append([]byte(nil), s.tail...), p...)
	}
	n, err := s.scan(data, atEOF)
	s.line += bytes.Count(data[:n], []byte{'\n'})
	if err != nil {
		s.err = &LineError{Line: s.line + 1, Err: err}
		return
	}
	s.tail = append(s.tail[:0:0], data[n:]...)
}

// spreadsheet signatures: the most common non-CSV file handed to an importer.
var signatures = []struct {
	magic []byte
	what  string
}{
	{[]byte("PK\x03\x04"), "a ZIP archive (an .xlsx workbook?); export it as CSV"},
	{[]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, "an OLE document (an .xls workbook?); export it as CSV"},
	{[]byte{0x1F, 0x8B}, "gzip-compressed; decompress it first"},
	{[]byte("%PDF-"), "a PDF document"},
}

// detection is the outcome of sniffing the start (or all) of an input.
type detection struct {
	enc      Encoding
	complete bool // the whole input was examined
}

// detect decides the encoding of an input from its bytes: all of them when
// src can seek (it is then rewound), otherwise the first limit bytes, which
// are returned so that the caller can replay them.
func detect(src io.Reader, limit int) (detection, []byte, error) {
	var start int64
	seeker, seekable := src.(io.Seeker)
	if seekable {
		var err error
		if start, err = seeker.Seek(0, io.SeekCurrent); err != nil {
			seekable = false // a pipe or terminal
		}
	}
	head := make([]byte, 8)
	n, err := io.ReadFull(src, head)
	head = head[:n]
	if err != nil && err != io.EOF && err != io.ErrUnexpectedEOF {
		return detection{}, nil, err
	}
	atEOF := err != nil
	for _, sig := range signatures {
		if bytes.HasPrefix(head, sig.magic) {
			return detection{}, nil, fmt.Errorf("%w: the file is %s", ErrBinary, sig.what)
		}
	}
	switch {
	case bytes.HasPrefix(head, []byte{0xEF, 0xBB, 0xBF}):
		return detection{enc: UTF8BOM}, head, nil
	case bytes.HasPrefix(head, []byte{0xFF, 0xFE}):
		return detection{enc: UTF16LE}, head, nil
	case bytes.HasPrefix(head, []byte{0xFE, 0xFF}):
		return detection{enc: UTF16BE}, head, nil
	}

	u8 := &streamScan{scan: scanUTF8}
	gb := &streamScan{scan: newGBChecker().scan}
	u8.feed(head, atEOF)
	gb.feed(head, atEOF)
	kept := head
	buf := make([]byte, 64<<10)
	for !atEOF && (u8.err == nil || gb.err == nil) && (seekable || len(kept) < limit) {
		chunk := buf
		if !seekable {
			chunk = buf[:min(len(buf), limit-len(kept))]
		}
		n, rerr := src.Read(chunk)
		if rerr != nil && rerr != io.EOF {
			return detection{}, nil, rerr
		}
		atEOF = rerr == io.EOF
		u8.feed(chunk[:n], atEOF)
		gb.feed(chunk[:n], atEOF)
		if !seekable {
			kept = append(kept, chunk[:n]...)
		}
	}
	if seekable {
		if _, err := seeker.Seek(start, io.SeekStart); err != nil {
			return detection{}, nil, err
		}
		kept = nil
	}
	det := detection{complete: atEOF || seekable}
	switch {
	case u8.err == nil:
		det.enc = UTF8
	case errors.Is(u8.err, ErrBinary):
		return detection{}, nil, u8.err
	case gb.err == nil:
		det.enc = GB18030
	default:
		gbLine := gb.err.(*LineError).Line
		return detection{}, nil, fmt.Errorf("%w (nor is it GB18030: first invalid GB18030 sequence on line %d)", u8.err, gbLine)
	}
	return det, kept, nil
}
