package complaint

import (
	"fmt"
	"net/mail"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Draft is what a complainant (or an intake channel on their behalf)
// submits to open a case.
type Draft struct {
	Customer     Customer      `json:"customer"`
	Channel      Channel       `json:"channel"`
	Language     string        `json:"language,omitempty"`
	Subject      string        `json:"subject"`
	Description  string        `json:"description"`
	Category     string        `json:"category,omitempty"`
	Severity     Severity      `json:"severity,omitempty"`
	Priority     Priority      `json:"priority,omitempty"`
	Stage        Stage         `json:"stage,omitempty"`
	Team         string        `json:"team,omitempty"`
	MerchantID   string        `json:"merchant_id,omitempty"`
	Transactions []Transaction `json:"transactions,omitempty"`
	Attachments  []Attachment  `json:"attachments,omitempty"`
	ExternalRef  string        `json:"external_ref,omitempty"`
}

// Field limits, in characters (runes) unless stated.
const (
	MaxSubject      = 200
	MaxDescription  = 20000
	MaxName         = 100
	MaxEmail        = 254
	MaxPhone        = 32
	MaxIdentifier   = 64
	MaxShortText    = 200
	MaxMessage      = 10000
	MaxTransactions = 50
	MaxAttachments  = 20
	MaxAttachment   = 50 << 20 // bytes
)

// Defaults a draft gets for what it leaves out.
const (
	DefaultCategory = "uncategorized"
	DefaultTeam     = "general"
)

// Normalize trims text fields and fills defaults. It does not validate.
func (d *Draft) Normalize() {
	for _, s := range []*string{&d.Customer.ID, &d.Customer.Name, &d.Customer.Email, &d.Customer.Phone,
		&d.Language, &d.Subject, &d.Description, &d.Category, &d.Team, &d.MerchantID, &d.ExternalRef} {
		*s = strings.TrimSpace(*s)
	}
	d.Customer.Email = strings.ToLower(d.Customer.Email)
	if d.Category == "" {
		d.Category = DefaultCategory
	}
	if d.Severity == "" {
		d.Severity = SeverityMedium
	}
	if d.Priority == "" {
		d.Priority = PriorityP3
	}
	if d.Stage == "" {
		d.Stage = StageComplaint
	}
	if d.Team == "" {
		d.Team = DefaultTeam
	}
	for i := range d.Transactions {
		t := &d.Transactions[i]
		t.ID, t.Counterparty, t.MerchantID, t.Status = strings.TrimSpace(t.ID), strings.TrimSpace(t.Counterparty), strings.TrimSpace(t.MerchantID), strings.TrimSpace(t.Status)
		t.Time = t.Time.UTC().Truncate(time.Microsecond)
	}
}

// Validate checks every field of a normalized draft and returns the first
// problem as a *ValidationError.
func (d *Draft) Validate() error {
	checks := []error{
		checkText("customer.name", d.Customer.Name, MaxName, true, false),
		checkText("customer.id", d.Customer.ID, MaxIdentifier, false, false),
		checkEmail("customer.email", d.Customer.Email),
		checkPhone("customer.phone", d.Customer.Phone),
		checkEnum("channel", d.Channel, Channel.Valid),
		checkText("language", d.Language, 35, false, false),
		checkText("subject", d.Subject, MaxSubject, true, false),
		checkText("description", d.Description, MaxDescription, true, true),
		checkText("category", d.Category, MaxIdentifier, true, false),
		checkEnum("severity", d.Severity, Severity.Valid),
		checkEnum("priority", d.Priority, Priority.Valid),
		checkEnum("stage", d.Stage, Stage.Valid),
		checkText("team", d.Team, MaxIdentifier, true, false),
		checkText("merchant_id", d.MerchantID, MaxIdentifier, false, false),
		checkText("external_ref", d.ExternalRef, MaxIdentifier, false, false),
		checkCount("transactions", len(d.Transactions), MaxTransactions),
		checkCount("attachments", len(d.Attachments), MaxAttachments),
	}
	seen := map[string]bool{}
	for i, t := range d.Transactions {
		field := fmt.Sprintf("transactions[%d]", i)
		checks = append(checks, t.Validate(field))
		if seen[t.ID] {
			checks = append(checks, invalid(field+".id", "transaction "+t.ID+" is listed twice"))
		}
		seen[t.ID] = true
	}
	for i, a := range d.Attachments {
		checks = append(checks, a.Validate(fmt.Sprintf("attachments[%d]", i)))
	}
	for _, err := range checks {
		if err != nil {
			return err
		}
	}
	return nil
}

// Validate checks a transaction's fields; field prefixes error fields.
func (t Transaction) Validate(field string) error {
	for _, err := range []error{
		checkText(field+".id", t.ID, MaxIdentifier, true, false),
		checkText(field+".counterparty", t.Counterparty, MaxShortText, false, false),
		checkText(field+".merchant_id", t.MerchantID, MaxIdentifier, false, false),
		checkText(field+".status", t.Status, MaxIdentifier, false, false),
		t.Amount.Validate(field + ".amount"),
	} {
		if err != nil {
			return err
		}
	}
	if t.Time.IsZero() {
		return &ValidationError{Code: CodeRequired, Field: field + ".time", Message: "the transaction time is required"}
	}
	if t.Time.Year() < 2000 || t.Time.After(time.Now().Add(24*time.Hour)) {
		return invalid(field+".time", "the transaction time must be after 2000 and not in the future")
	}
	return nil
}

// Validate checks an attachment's metadata; field prefixes error fields.
func (a Attachment) Validate(field string) error {
	for _, err := range []error{
		checkText(field+".name", a.Name, MaxShortText, true, false),
		checkText(field+".content_type", a.ContentType, MaxShortText, true, false),
		checkText(field+".sha256", a.SHA256, 64, false, false),
	} {
		if err != nil {
			return err
		}
	}
	if a.Size < 0 || a.Size > MaxAttachment {
		return invalid(field+".size", fmt.Sprintf("size must be between 0 and %d bytes", MaxAttachment))
	}
	return nil
}

// checkText enforces UTF-8, a length limit in characters, presence when
// required, and no control characters (newlines and tabs only when multiline).
func checkText(field, s string, max int, required, multiline bool) error {
	if !utf8.ValidString(s) {
		return invalid(field, "must be valid UTF-8 text")
	}
	if required && s == "" {
		return &ValidationError{Code: CodeRequired, Field: field, Message: field + " is required"}
	}
	if n := utf8.RuneCountInString(s); n > max {
		return &ValidationError{Code: CodeTooLong, Field: field,
			Message: fmt.Sprintf("must be at most %d characters (got %d)", max, n)}
	}
	for _, r := range s {
		if unicode.IsControl(r) && !(multiline && (r == '\n' || r == '\t' || r == '\r')) {
			return invalid(field, "must not contain control characters")
		}
	}
	return nil
}

// CheckMessage validates the body of a reply or note.
func CheckMessage(body string) error { return checkText("body", body, MaxMessage, true, true) }

func checkEmail(field, s string) error {
	if s == "" {
		return nil
	}
	if err := checkText(field, s, MaxEmail, false, false); err != nil {
		return err
	}
	if a, err := mail.ParseAddress(s); err != nil || a.Address != s {
		return invalid(field, "must be a plain email address such as name@example.com")
	}
	return nil
}

func checkPhone(field, s string) error {
	if err := checkText(field, s, MaxPhone, false, false); err != nil {
		return err
	}
	for _, r := range s {
		if !strings.ContainsRune("0123456789+-() ", r) {
			return invalid(field, "may contain only digits, spaces and + - ( )")
		}
	}
	return nil
}

func checkEnum[T ~string](field string, v T, valid func(T) bool) error {
	if !valid(v) {
		return invalid(field, fmt.Sprintf("unknown %s %q", field, string(v)))
	}
	return nil
}

func checkCount(field string, n, max int) error {
	if n > max {
		return &ValidationError{Code: CodeTooLong, Field: field, Message: fmt.Sprintf("at most %d allowed (got %d)", max, n)}
	}
	return nil
}
