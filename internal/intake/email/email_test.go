package email

import (
	"encoding/base64"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
)

func fixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func crlf(s string) []byte { return []byte(strings.ReplaceAll(s, "\n", "\r\n")) }

func TestGB2312Email(t *testing.T) {
	m, err := Parse(fixture(t, "email_gb2312.eml"), Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if m.From.Name != "张伟" || m.From.Address != "zhang.wei@example.com" {
		t.Errorf("From = %+v", m.From)
	}
	if m.Subject != "星巴克重复扣款，请退款" {
		t.Errorf("Subject = %q", m.Subject)
	}
	if !strings.Contains(m.Text, "交易号2026030122001456780001，被扣了两次款。\n请尽快退款。") {
		t.Errorf("Text = %q", m.Text)
	}
	if m.MessageID != "20260304102000.1@mail.example.com" || m.Date.IsZero() {
		t.Errorf("MessageID %q, Date %v", m.MessageID, m.Date)
	}
}

func TestMultipartEmail(t *testing.T) {
	m, err := Parse(fixture(t, "email_multipart.eml"), Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if m.Subject != "Refund not received – order returned" || m.From.Name != "Emily Chan" {
		t.Errorf("Subject %q, From %+v", m.Subject, m.From)
	}
	if m.FromHTML || !strings.HasPrefix(m.Text, "Hello,\nI returned my order on 2 March") || strings.Contains(m.Text, "<p>") {
		t.Errorf("plain text must win over HTML: %q", m.Text)
	}
	if len(m.Attachments) != 1 {
		t.Fatalf("attachments %+v", m.Attachments)
	}
	a := m.Attachments[0]
	if a.Name != "收据.pdf" || a.ContentType != "application/pdf" || a.Size != 70 || len(a.SHA256) != 64 {
		t.Errorf("attachment %+v", a)
	}
}

func TestBig5HTMLOnly(t *testing.T) {
	m, err := Parse(fixture(t, "email_big5_html.eml"), Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if m.Subject != "退款未到帳" || m.From.Name != "陳小姐" {
		t.Errorf("Subject %q From %+v", m.Subject, m.From)
	}
	want := "您好，\n我的退款一直未到帳，已經等了兩個星期。\n請盡快處理！ 謝謝"
	if !m.FromHTML || m.Text != want {
		t.Errorf("Text = %q, want %q", m.Text, want)
	}
}

func gbk(s string) []byte {
	b, _ := simplifiedchinese.GBK.NewEncoder().Bytes([]byte(s))
	return b
}

func TestBadMessages(t *testing.T) {
	b64 := func(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }
	cases := []struct {
		name, code, field string
		raw               []byte
	}{
		{"empty", CodeMalformed, "", []byte("  \r\n")},
		{"no header end", CodeMalformed, "", []byte("this is not an email")},
		{"no from", CodeRequired, "From", crlf("Subject: hi\n\nbody\n")},
		{"unreadable from", CodeMalformed, "From", crlf("From: <<<>>>\nSubject: hi\n\nbody\n")},
		{"multipart without boundary", CodeMalformed, "Content-Type", crlf("From: a@b.cn\nContent-Type: multipart/mixed\n\nx\n")},
		{"broken multipart", CodeMalformed, "", crlf("From: a@b.cn\nContent-Type: multipart/mixed; boundary=zz\n\n--zz\nContent-Type: text/plain\n\nhello\n")},
		{"no parts", CodeMalformed, "", crlf("From: a@b.cn\nContent-Type: multipart/mixed; boundary=zz\n\n--zz--\n")},
		{"bad base64", CodeMalformed, "Content-Transfer-Encoding", crlf("From: a@b.cn\nContent-Transfer-Encoding: base64\n\n!!!!\n")},
		{"unknown transfer encoding", CodeMalformed, "Content-Transfer-Encoding", crlf("From: a@b.cn\nContent-Transfer-Encoding: x-uue\n\nbody\n")},
		{"undeclared charset", CodeCharset, "text part", append(crlf("From: a@b.cn\nSubject: x\n\n"), gbk("退款")...)},
		{"declared utf-8 but gbk", CodeCharset, "text part", append(crlf("From: a@b.cn\nContent-Type: text/plain; charset=utf-8\n\n"), gbk("退款")...)},
		{"unknown charset", CodeCharset, "text part", crlf("From: a@b.cn\nContent-Type: text/plain; charset=klingon\n\nbody\n")},
		{"invalid gb18030", CodeCharset, "text part", crlf("From: a@b.cn\nContent-Type: text/plain; charset=gbk\n\n\xff\xfe\n")},
		{"raw 8-bit subject, no charset", CodeCharset, "Subject", append(append(crlf("From: a@b.cn\nSubject: "), gbk("退款")...), crlf("\n\nbody\n")...)},
		{"encoded word in unknown charset", CodeCharset, "Subject", crlf("From: a@b.cn\nSubject: =?x-klingon?B?" + b64("abc") + "?=\n\nbody\n")},
		{"encoded word invalid in its charset", CodeCharset, "Subject", crlf("From: a@b.cn\nSubject: =?GBK?B?" + base64.StdEncoding.EncodeToString([]byte{0xff, 0xff}) + "?=\n\nbody\n")},
		{"too nested", CodeMalformed, "", nested(12)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m, err := Parse(c.raw, Limits{})
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("Parse = %+v, %v; want an *Error", m, err)
			}
			if e.Code != c.code || e.Field != c.field {
				t.Errorf("error %q: code %q field %q, want %q %q", e, e.Code, e.Field, c.code, c.field)
			}
		})
	}
	if _, err := Parse(make([]byte, 100), Limits{MaxBytes: 10}); err == nil || err.(*Error).Code != CodeTooLarge {
		t.Errorf("over the size limit: %v", err)
	}
}

func nested(depth int) []byte {
	var b strings.Builder
	b.WriteString("From: a@b.cn\n")
	for i := range depth {
		b.WriteString("Content-Type: multipart/mixed; boundary=b" + string(rune('a'+i)) + "\n\n--b" + string(rune('a'+i)) + "\n")
	}
	b.WriteString("Content-Type: text/plain\n\nhi\n")
	return crlf(b.String())
}

func TestRawGBKHeaderWithDeclaredCharset(t *testing.T) {
	raw := append(append(crlf("From: a@b.cn\nContent-Type: text/plain; charset=GBK\nSubject: "), gbk("退款未到账")...), append(crlf("\n\n"), gbk("正文")...)...)
	m, err := Parse(raw, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if m.Subject != "退款未到账" || m.Text != "正文" {
		t.Errorf("subject %q text %q", m.Subject, m.Text)
	}
}

func TestAttachmentOnlyAndInlineParts(t *testing.T) {
	raw := crlf(`From: Bob <BOB@example.com>
Subject: =?utf-8?B?5oqV6K+J?=
Content-Type: multipart/mixed; boundary=x

--x
Content-Type: image/png
Content-Transfer-Encoding: base64

iVBORw0KGgo=
--x
Content-Type: text/plain; charset=us-ascii

first
--x
Content-Type: text/plain; charset=utf-8; name="notes.txt"

not the body
--x
Content-Type: text/plain

second
--x--
`)
	m, err := Parse(raw, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if m.Subject != "投诉" || m.From.Address != "bob@example.com" || m.Text != "first\n\nsecond" {
		t.Errorf("%+v", m)
	}
	if len(m.Attachments) != 2 || m.Attachments[0].Name != "attachment-1.png" || m.Attachments[0].Size != 8 || m.Attachments[1].Name != "notes.txt" {
		t.Errorf("attachments %+v", m.Attachments)
	}
}

func TestHTMLToText(t *testing.T) {
	cases := map[string]string{
		"<p>a</p><p>b &lt;c&gt; &#x4E2D;</p>":             "a\nb <c> 中",
		"x<br>y<br/>z":                                    "x\ny\nz",
		"<script>var a = '<p>';</script>kept<!-- hid -->": "kept",
		"a < b and c > d":                                 "a < b and c > d",
		"<td>1</td><td>2</td>":                            "1 2",
		"<a href='x>y'>link</a>":                          "link",
		"unclosed <!-- comment":                           "unclosed",
	}
	for in, want := range cases {
		if got := HTMLToText(in); got != want {
			t.Errorf("HTMLToText(%q) = %q, want %q", in, got, want)
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, name := range []string{"email_gb2312.eml", "email_multipart.eml", "email_big5_html.eml"} {
		f.Add(fixture(f, name))
	}
	f.Add(nested(3))
	f.Add(crlf("From: =?utf-8?q?=E5=BC=A0?= <a@b.cn>\nSubject: =?gb18030?B?xOO6ww==?=\n\nhi"))
	f.Fuzz(func(t *testing.T, raw []byte) {
		m, err := Parse(raw, Limits{MaxBytes: 1 << 16, MaxParts: 20, MaxText: 4096})
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || e.Code == "" || e.Message == "" {
				t.Fatalf("error %v is not a complete *Error", err)
			}
			return
		}
		if m.From.Address == "" {
			t.Fatal("a parsed message without a From address")
		}
		for _, s := range []string{m.From.Name, m.From.Address, m.Subject, m.MessageID} {
			if !utf8.ValidString(s) || strings.ContainsFunc(s, unicode.IsControl) {
				t.Fatalf("header value %q is not clean one-line text", s)
			}
		}
		if !utf8.ValidString(m.Text) || strings.ContainsFunc(m.Text, func(r rune) bool { return unicode.IsControl(r) && r != '\n' && r != '\t' }) {
			t.Fatalf("text %q is not clean", m.Text)
		}
		if len(m.Text) > 4096*2 {
			t.Fatalf("text of %d bytes over the limit", len(m.Text))
		}
		for _, a := range m.Attachments {
			if a.Name == "" || !utf8.ValidString(a.Name) || a.Size < 0 || len(a.SHA256) != 64 || strings.ContainsAny(a.Name, "/\\") {
				t.Fatalf("attachment %+v", a)
			}
		}
	})
}

func FuzzHTMLToText(f *testing.F) {
	f.Add("<p>a<b>b</b></p><script>x</script>&amp;")
	f.Add("<<>><!--<p>--><a href='>'>")
	f.Fuzz(func(t *testing.T, s string) {
		out := HTMLToText(s)
		if utf8.ValidString(s) && !utf8.ValidString(out) {
			t.Fatalf("HTMLToText(%q) = %q: invalid UTF-8", s, out)
		}
	})
}
