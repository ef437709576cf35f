// Package email reads an inbound complaint email (RFC 5322, with MIME):
// who sent it, its subject and text, and what files came with it. Encoded
// headers (=?GB2312?B?…?=, =?UTF-8?Q?…?=) and bodies in UTF-8, GBK,
// GB2312, GB18030, Big5 and the other WHATWG encodings are decoded; plain
// text is preferred to HTML, which is reduced to text when it is all there
// is. Nothing is ever decoded into mojibake: text that is not valid in its
// declared charset, or not UTF-8 when it declares none, is an error.
package email

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/htmlindex"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/transform"
)

// Message is what was understood from an email.
type Message struct {
	From      mail.Address // Address in lower case; Name decoded
	Subject   string       // decoded, on one line
	Date      time.Time    // zero when absent or unreadable
	MessageID string       // without the angle brackets; "" when absent
	// Text is the body as plain text: the text/plain parts, or the
	// text/html parts reduced to text when there is no plain text.
	Text        string
	FromHTML    bool // Text was made from HTML
	Attachments []Attachment
}

// Attachment describes a file that came with the email; the file itself
// stays in the kept original message.
type Attachment struct {
	Name        string
	ContentType string
	Size        int64  // decoded size in bytes
	SHA256      string // hex digest of the decoded content
}

// Limits bound the work one message can cause.
type Limits struct {
	MaxBytes  int // the whole message; 0 means 25 MiB
	MaxParts  int // MIME parts; 0 means 200
	MaxDepth  int // nesting of multiparts; 0 means 10
	MaxText   int // bytes of decoded body text kept; 0 means 1 MiB (the rest is dropped)
	MaxHeader int // bytes of one decoded header value; 0 means 16 KiB
}

func (l Limits) withDefaults() Limits {
	if l.MaxBytes <= 0 {
		l.MaxBytes = 25 << 20
	}
	if l.MaxParts <= 0 {
		l.MaxParts = 200
	}
	if l.MaxDepth <= 0 {
		l.MaxDepth = 10
	}
	if l.MaxText <= 0 {
		l.MaxText = 1 << 20
	}
	if l.MaxHeader <= 0 {
		l.MaxHeader = 16 << 10
	}
	return l
}

// Error codes.
const (
	CodeMalformed = "malformed_email" // not a readable RFC 5322/MIME message
	CodeRequired  = "required"        // a header that must be there is not (Field names it)
	CodeCharset   = "invalid_charset" // text in an unknown charset, invalid in its charset, or undeclared and not UTF-8
	CodeTooLarge  = "too_large"       // over Limits.MaxBytes
)

// Error says why a message cannot be read. Field names the header or part
// to blame, when one is.
type Error struct {
	Code    string
	Field   string
	Message string
}

func (e *Error) Error() string {
	if e.Field != "" {
		return "email: " + e.Field + ": " + e.Message
	}
	return "email: " + e.Message
}

func malformed(field, format string, a ...any) *Error {
	return &Error{Code: CodeMalformed, Field: field, Message: fmt.Sprintf(format, a...)}
}

// Parse reads a raw message.
func Parse(raw []byte, lim Limits) (*Message, error) {
	lim = lim.withDefaults()
	if len(raw) > lim.MaxBytes {
		return nil, &Error{Code: CodeTooLarge, Message: fmt.Sprintf("the message is %d bytes, over the limit of %d", len(raw), lim.MaxBytes)}
	}
	if len(bytes.TrimSpace(raw)) == 0 {
		return nil, malformed("", "the message is empty")
	}
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return nil, malformed("", "the header cannot be read: %v", err)
	}
	p := &parser{lim: lim}
	// The charset of the top-level body is the best guess for raw 8-bit
	// header text that some mail programs send unencoded.
	if _, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type")); err == nil {
		p.fallbackCharset = params["charset"]
	}
	out := &Message{}
	if out.From, err = p.from(msg.Header); err != nil {
		return nil, err
	}
	if out.Subject, err = p.header("Subject", msg.Header.Get("Subject")); err != nil {
		return nil, err
	}
	out.Subject = oneLine(out.Subject)
	if d, err := mail.ParseDate(msg.Header.Get("Date")); err == nil {
		out.Date = d
	}
	out.MessageID = messageID(msg.Header.Get("Message-Id"))

	if err := p.part(msg.Header, msg.Body, 0); err != nil {
		return nil, err
	}
	text := strings.Join(p.plain, "\n\n")
	if strings.TrimSpace(text) == "" && len(p.html) > 0 {
		text, out.FromHTML = strings.Join(p.html, "\n\n"), true
	}
	out.Text = cleanText(text)
	out.Attachments = p.attachments
	return out, nil
}

type parser struct {
	lim             Limits
	fallbackCharset string
	parts           int
	textBytes       int
	plain, html     []string
	attachments     []Attachment
}

// header is a MIME part's header with the lookups the parser needs.
type header interface{ Get(string) string }

var errNoFrom = &Error{Code: CodeRequired, Field: "From", Message: "the message has no From address"}

func (p *parser) from(h mail.Header) (mail.Address, error) {
	raw := h.Get("From")
	if strings.TrimSpace(raw) == "" {
		return mail.Address{}, errNoFrom
	}
	ap := mail.AddressParser{WordDecoder: p.wordDecoder()}
	list, err := ap.ParseList(raw)
	if err != nil || len(list) == 0 {
		// An unencoded 8-bit display name: decode it with the body's
		// charset and try again.
		decoded, derr := p.header("From", raw)
		if derr != nil {
			return mail.Address{}, derr
		}
		if list, err = ap.ParseList(decoded); err != nil || len(list) == 0 {
			return mail.Address{}, malformed("From", "the From address %q cannot be read", clip(raw, 200))
		}
	}
	a := *list[0]
	a.Address = strings.ToLower(a.Address)
	a.Name = oneLine(a.Name)
	if !utf8.ValidString(a.Name) || !utf8.ValidString(a.Address) {
		return mail.Address{}, &Error{Code: CodeCharset, Field: "From", Message: "the From header is not valid text"}
	}
	if strings.ContainsRune(a.Name, utf8.RuneError) {
		return mail.Address{}, &Error{Code: CodeCharset, Field: "From", Message: "the sender's name cannot be decoded in its declared charset"}
	}
	return a, nil
}

// header decodes a header value: RFC 2047 encoded words, or raw 8-bit
// text in the body's declared charset.
func (p *parser) header(field, raw string) (string, error) {
	if len(raw) > p.lim.MaxHeader*4 {
		return "", malformed(field, "the %s header is %d bytes, over the limit of %d", field, len(raw), p.lim.MaxHeader*4)
	}
	if !utf8.ValidString(raw) {
		cs := p.fallbackCharset
		if cs == "" || isUTF8Label(cs) {
			return "", &Error{Code: CodeCharset, Field: field,
				Message: "the " + field + " header has raw 8-bit bytes that are not UTF-8 and no charset to read them in; encode it as RFC 2047 words"}
		}
		text, err := decodeCharset([]byte(raw), cs)
		if err != nil {
			return "", &Error{Code: CodeCharset, Field: field, Message: "the " + field + " header: " + err.Error()}
		}
		raw = text
	}
	s, err := p.wordDecoder().DecodeHeader(raw)
	if err != nil {
		var cs charsetError
		if errors.As(err, &cs) {
			return "", &Error{Code: CodeCharset, Field: field, Message: "the " + field + " header: " + cs.Error()}
		}
		return "", malformed(field, "the %s header has a malformed encoded word: %v", field, err)
	}
	if !utf8.ValidString(s) {
		return "", &Error{Code: CodeCharset, Field: field, Message: "the " + field + " header does not decode to valid text"}
	}
	if strings.ContainsRune(s, utf8.RuneError) && !strings.ContainsRune(raw, utf8.RuneError) {
		return "", &Error{Code: CodeCharset, Field: field, Message: "the " + field + " header is not valid in its declared charset"}
	}
	if len(s) > p.lim.MaxHeader {
		s = truncateUTF8(s, p.lim.MaxHeader)
	}
	return s, nil
}

type charsetError struct{ err error }

func (e charsetError) Error() string { return e.err.Error() }
func (e charsetError) Unwrap() error { return e.err }

func (p *parser) wordDecoder() *mime.WordDecoder {
	return &mime.WordDecoder{CharsetReader: func(charset string, input io.Reader) (io.Reader, error) {
		b, err := io.ReadAll(io.LimitReader(input, int64(p.lim.MaxHeader)*4))
		if err != nil {
			return nil, err
		}
		s, err := decodeCharset(b, charset)
		if err != nil {
			return nil, charsetError{err}
		}
		return strings.NewReader(s), nil
	}}
}

// part reads one MIME entity with header h and (encoded) body.
func (p *parser) part(h header, body io.Reader, depth int) error {
	p.parts++
	if p.parts > p.lim.MaxParts {
		return malformed("", "the message has more than %d MIME parts", p.lim.MaxParts)
	}
	ctype := h.Get("Content-Type")
	media, params := "text/plain", map[string]string{}
	if strings.TrimSpace(ctype) != "" {
		var err error
		media, params, err = mime.ParseMediaType(ctype)
		if err != nil && !errors.Is(err, mime.ErrInvalidMediaParameter) {
			return malformed("Content-Type", "the Content-Type %q cannot be read: %v", clip(ctype, 200), err)
		}
		media = strings.ToLower(media)
	}
	disposition, dparams := "", map[string]string{}
	if cd := h.Get("Content-Disposition"); strings.TrimSpace(cd) != "" {
		d, dp, err := mime.ParseMediaType(cd)
		if err == nil || errors.Is(err, mime.ErrInvalidMediaParameter) {
			disposition, dparams = strings.ToLower(d), dp
		}
	}
	if strings.HasPrefix(media, "multipart/") {
		return p.multipart(media, params, body, depth)
	}
	data, err := p.decodeTransfer(h.Get("Content-Transfer-Encoding"), body)
	if err != nil {
		return err
	}
	name := dparams["filename"]
	if name == "" {
		name = params["name"]
	}
	isText := media == "text/plain" || media == "text/html"
	if isText && disposition != "attachment" && name == "" {
		text, err := p.text(data, params["charset"], media)
		if err != nil {
			return err
		}
		if media == "text/html" {
			p.html = append(p.html, HTMLToText(text))
		} else {
			p.plain = append(p.plain, text)
		}
		return nil
	}
	return p.attachment(name, media, data)
}

func (p *parser) multipart(media string, params map[string]string, body io.Reader, depth int) error {
	if depth >= p.lim.MaxDepth {
		return malformed("", "the MIME parts are nested more than %d deep", p.lim.MaxDepth)
	}
	boundary := params["boundary"]
	if boundary == "" {
		return malformed("Content-Type", "a %s part has no boundary", media)
	}
	mr := multipart.NewReader(body, boundary)
	// In multipart/alternative each part is the same content in another
	// form: take the plain text if there is one, else the HTML.
	if media == "multipart/alternative" {
		outer := p.plain
		outerHTML := p.html
		p.plain, p.html = nil, nil
		err := p.children(mr, depth)
		plain, html := p.plain, p.html
		p.plain, p.html = outer, outerHTML
		if err != nil {
			return err
		}
		if len(plain) > 0 {
			p.plain = append(p.plain, plain[0])
		} else if len(html) > 0 {
			p.html = append(p.html, html[0])
		}
		return nil
	}
	return p.children(mr, depth)
}

func (p *parser) children(mr *multipart.Reader, depth int) error {
	n := 0
	for {
		part, err := mr.NextRawPart()
		if err == io.EOF {
			if n == 0 {
				return malformed("", "a multipart body has no parts")
			}
			return nil
		}
		if err != nil {
			return malformed("", "broken MIME structure: %v", err)
		}
		n++
		if err := p.part(part.Header, part, depth+1); err != nil {
			return err
		}
	}
}

// decodeTransfer undoes the Content-Transfer-Encoding.
func (p *parser) decodeTransfer(cte string, body io.Reader) ([]byte, error) {
	limit := int64(p.lim.MaxBytes) + 1
	var r io.Reader
	switch strings.ToLower(strings.TrimSpace(cte)) {
	case "", "7bit", "8bit", "binary":
		r = body
	case "base64":
		r = base64.NewDecoder(base64.StdEncoding, &base64Cleaner{r: body})
	case "quoted-printable":
		r = quotedprintable.NewReader(body)
	default:
		return nil, malformed("Content-Transfer-Encoding", "unknown Content-Transfer-Encoding %q", clip(cte, 50))
	}
	data, err := io.ReadAll(io.LimitReader(r, limit))
	if err != nil {
		if errors.Is(err, io.ErrUnexpectedEOF) || strings.Contains(err.Error(), "multipart") {
			return nil, malformed("", "broken MIME structure: %v", err)
		}
		return nil, malformed("Content-Transfer-Encoding", "the %s content cannot be decoded: %v", strings.ToLower(strings.TrimSpace(cte)), err)
	}
	return data, nil
}

// base64Cleaner drops what mail programs put between base64 lines besides
// CR and LF (spaces, tabs), which the decoder would refuse.
type base64Cleaner struct{ r io.Reader }

func (c *base64Cleaner) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	j := 0
	for _, b := range p[:n] {
		if b != ' ' && b != '\t' {
			p[j] = b
			j++
		}
	}
	return j, err
}

func (p *parser) text(data []byte, charset, media string) (string, error) {
	field := "text part"
	if media == "text/html" {
		field = "HTML part"
	}
	var s string
	if charset == "" {
		if !utf8.Valid(data) {
			return "", &Error{Code: CodeCharset, Field: field,
				Message: "the " + field + " declares no charset and is not UTF-8 (declare it, e.g. charset=GB18030)"}
		}
		s = string(data)
	} else {
		var err error
		if s, err = decodeCharset(data, charset); err != nil {
			return "", &Error{Code: CodeCharset, Field: field, Message: "the " + field + ": " + err.Error()}
		}
	}
	if room := p.lim.MaxText - p.textBytes; len(s) > room {
		s = truncateUTF8(s, max(room, 0))
	}
	p.textBytes += len(s)
	return s, nil
}

func (p *parser) attachment(name, media string, data []byte) error {
	dec, err := p.header("attachment name", name)
	if err != nil {
		// A name that cannot be read does not make the file less evidence.
		dec = ""
	}
	dec = sanitizeName(dec)
	if dec == "" {
		dec = fmt.Sprintf("attachment-%d", len(p.attachments)+1)
		if exts, _ := mime.ExtensionsByType(media); len(exts) > 0 {
			dec += exts[0]
		}
	}
	if media == "" {
		media = "application/octet-stream"
	}
	sum := sha256.Sum256(data)
	p.attachments = append(p.attachments, Attachment{Name: dec, ContentType: clip(media, 200), Size: int64(len(data)), SHA256: hex.EncodeToString(sum[:])})
	return nil
}

// decodeCharset decodes b from charset to UTF-8, refusing bytes that are
// not valid in it rather than replacing them.
func decodeCharset(b []byte, charset string) (string, error) {
	label := strings.ToLower(strings.Trim(strings.TrimSpace(charset), `"`))
	if isUTF8Label(label) || label == "us-ascii" || label == "ascii" {
		if !utf8.Valid(b) {
			if label == "us-ascii" || label == "ascii" {
				return "", fmt.Errorf("the text is declared %s but has 8-bit bytes that are not UTF-8", charset)
			}
			return "", fmt.Errorf("the text is declared UTF-8 but is not valid UTF-8")
		}
		return string(b), nil
	}
	enc, err := lookupCharset(label)
	if err != nil {
		return "", err
	}
	out, _, err := transform.Bytes(enc.NewDecoder(), b)
	if err != nil {
		return "", fmt.Errorf("the text is not valid %s: %v", charset, err)
	}
	if bytes.ContainsRune(out, utf8.RuneError) {
		return "", fmt.Errorf("the text is not valid %s", charset)
	}
	return string(out), nil
}

func isUTF8Label(label string) bool {
	l := strings.ToLower(strings.TrimSpace(label))
	return l == "utf-8" || l == "utf8"
}

// lookupCharset finds the decoder of a charset label. GB2312 and GBK text
// is decoded as GB18030, their superset, as mail programs that say GB2312
// often send GBK.
func lookupCharset(label string) (encoding.Encoding, error) {
	switch label {
	case "gb2312", "gbk", "x-gbk", "cp936", "ms936", "windows-936", "gb18030", "euc-cn", "csgb2312", "chinese", "iso-ir-58", "gb_2312-80":
		return simplifiedchinese.GB18030, nil
	}
	enc, err := htmlindex.Get(label)
	if err != nil || enc == nil {
		return nil, fmt.Errorf("unknown charset %q", clip(label, 50))
	}
	if n, _ := htmlindex.Name(enc); n == "replacement" {
		return nil, fmt.Errorf("charset %q is not supported", clip(label, 50))
	}
	return enc, nil
}

func messageID(raw string) string {
	id := strings.TrimSpace(raw)
	id = strings.TrimSuffix(strings.TrimPrefix(id, "<"), ">")
	id = strings.TrimSpace(id)
	if id == "" || len(id) > 250 || !utf8.ValidString(id) || strings.IndexFunc(id, func(r rune) bool { return unicode.IsControl(r) || unicode.IsSpace(r) }) >= 0 {
		return ""
	}
	return id
}

// cleanText normalises line ends, drops control characters other than
// newline and tab, and trims trailing space from lines and blank lines from
// the ends.
func cleanText(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	s = strings.Map(func(r rune) rune {
		switch {
		case r == '\n' || r == '\t':
			return r
		case r == '\u00a0':
			return ' '
		case unicode.IsControl(r) || r == '\ufeff':
			return -1
		}
		return r
	}, s)
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRightFunc(l, unicode.IsSpace)
	}
	s = strings.Join(lines, "\n")
	for strings.Contains(s, "\n\n\n") {
		s = strings.ReplaceAll(s, "\n\n\n", "\n\n")
	}
	return strings.TrimSpace(s)
}

func oneLine(s string) string {
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == '\ufeff' {
			return ' '
		}
		return r
	}, s)
	return strings.Join(strings.Fields(s), " ")
}

func sanitizeName(s string) string {
	s = oneLine(s)
	// Only the last path element: a name is never a path.
	if i := strings.LastIndexAny(s, `/\`); i >= 0 {
		s = s[i+1:]
	}
	return clip(strings.TrimSpace(s), 200)
}

// clip shortens s to at most n characters.
func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n])
}

// truncateUTF8 shortens s to at most n bytes without splitting a character.
func truncateUTF8(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
