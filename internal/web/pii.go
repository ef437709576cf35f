package web

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/redress-project/redress/internal/assess/pii"
	"github.com/redress-project/redress/internal/complaint"
)

// Personal data on staff and merchant pages is masked (pii.Mask): the
// customer's phone, email and id, and personal data inside the subject,
// the description and every message, note and reason. A member of staff
// who may (access.RevealPII) sees a "Show" button by each masked value;
// pressing it posts to /console/{ref}/reveal, which records a pii_revealed
// event on the case (desk.RevealPII) and shows the case page again with
// that one value in full, for that response only. Customers see their
// own case unmasked; merchants never see the masked values.

// The fields that can be revealed. Timeline bodies are "event.<seq>".
const (
	fieldSubject       = "subject"
	fieldDescription   = "description"
	fieldCustomerPhone = "customer.phone"
	fieldCustomerEmail = "customer.email"
	fieldCustomerID    = "customer.id"
	eventFieldPrefix   = "event."
)

// shown is a value as a page shows it: masked (with the field that reveals
// it) or in full.
type shown struct {
	Text   string
	Field  string // what to post to reveal it
	Masked bool   // Text is masked; the full value differs
}

// masker decides what a page shows of personal data.
type masker struct {
	mask     bool   // mask at all (false for the customer's own page)
	revealed string // the one field shown in full for this response
}

func (m masker) show(field, full string, maskFn func(string) string) shown {
	if !m.mask || field == m.revealed {
		return shown{Text: full, Field: field}
	}
	masked := maskFn(full)
	return shown{Text: masked, Field: field, Masked: masked != full}
}

func (m masker) text(field, full string) shown  { return m.show(field, full, pii.Mask) }
func (m masker) phone(full string) shown        { return m.show(fieldCustomerPhone, full, maskPhone) }
func (m masker) email(full string) shown        { return m.show(fieldCustomerEmail, full, maskEmail) }
func (m masker) customerID(full string) shown   { return m.show(fieldCustomerID, full, maskID) }
func eventField(seq int64) string               { return eventFieldPrefix + strconv.FormatInt(seq, 10) }
func (m masker) body(seq int64, s string) shown { return m.text(eventField(seq), s) }

// maskPhone masks a phone number the way pii masks a mainland mobile (the
// first three and last four digits stay), also when pii does not
// recognise it as one (a landline, a foreign number).
func maskPhone(s string) string {
	if m := pii.Mask(s); m != s {
		return m
	}
	digits := 0
	for _, r := range s {
		if r >= '0' && r <= '9' {
			digits++
		}
	}
	if digits < 5 {
		return strings.Repeat("*", utf8.RuneCountInString(s))
	}
	var b strings.Builder
	i := 0
	for _, r := range s {
		if r >= '0' && r <= '9' {
			i++
			if i > 3 && i <= digits-4 || digits < 8 && i <= digits-2 {
				r = '*'
			}
		}
		b.WriteRune(r)
	}
	return b.String()
}

// maskEmail keeps the first character of the local part and the domain.
func maskEmail(s string) string {
	if m := pii.Mask(s); m != s {
		return m
	}
	local, domain, ok := strings.Cut(s, "@")
	if !ok || local == "" {
		return strings.Repeat("*", utf8.RuneCountInString(s))
	}
	first, _ := utf8.DecodeRuneInString(local)
	return string(first) + "***@" + domain
}

// maskID keeps the first two and last two characters of an id.
func maskID(s string) string {
	rs := []rune(s)
	if len(rs) <= 4 {
		return strings.Repeat("*", len(rs))
	}
	return string(rs[:2]) + strings.Repeat("*", len(rs)-4) + string(rs[len(rs)-2:])
}

// customerView is the customer's contact details as a page shows them.
type customerView struct {
	Name             string
	ID, Email, Phone shown // empty Text when the case has none
}

func (m masker) customer(c complaint.Customer) customerView {
	return customerView{Name: c.Name, ID: m.customerID(c.ID), Email: m.email(c.Email), Phone: m.phone(c.Phone)}
}

// revealable reports whether field names something of case c (with its
// events) that a page masks, so that a reveal is worth recording.
func revealable(field string, c *complaint.Case, events []complaint.Event) bool {
	m := masker{mask: true}
	switch field {
	case fieldSubject:
		return m.text(field, c.Subject).Masked
	case fieldDescription:
		return m.text(field, c.Description).Masked
	case fieldCustomerPhone:
		return m.phone(c.Customer.Phone).Masked
	case fieldCustomerEmail:
		return m.email(c.Customer.Email).Masked
	case fieldCustomerID:
		return m.customerID(c.Customer.ID).Masked
	}
	seq, err := strconv.ParseInt(strings.TrimPrefix(field, eventFieldPrefix), 10, 64)
	if !strings.HasPrefix(field, eventFieldPrefix) || err != nil {
		return false
	}
	for _, e := range events {
		if e.Seq == seq {
			return m.body(seq, eventBody(e)).Masked
		}
	}
	return false
}
