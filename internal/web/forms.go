package web

import (
	"errors"
	"strings"

	"github.com/redress-project/redress/internal/complaint"
	"github.com/redress-project/redress/internal/i18n"
)

// form is the state of a form being shown again: the values the user
// entered and a message for each field that is wrong. Error is a message
// for the form as a whole.
type form struct {
	Values map[string]string
	Errors map[string]string
	order  []string
	Error  string
}

func newForm() *form { return &form{Values: map[string]string{}, Errors: map[string]string{}} }

// Get returns the value of field name.
func (f *form) Get(name string) string {
	if f == nil {
		return ""
	}
	return f.Values[name]
}

// Err returns the error message of field name, or "".
func (f *form) Err(name string) string {
	if f == nil {
		return ""
	}
	return f.Errors[name]
}

// Fail records msg as the error of field name (the first error wins).
func (f *form) Fail(name, msg string) {
	if _, dup := f.Errors[name]; dup {
		return
	}
	f.Errors[name] = msg
	f.order = append(f.order, name)
}

// HasErrors reports whether any field or the form failed.
func (f *form) HasErrors() bool { return f != nil && (len(f.Errors) > 0 || f.Error != "") }

// FieldError is one entry of the error summary.
type FieldError struct{ Field, Message string }

// Summary lists the field errors in the order they were found, for the
// summary at the top of the form, which links to each field.
func (f *form) Summary() []FieldError {
	if f == nil {
		return nil
	}
	out := make([]FieldError, 0, len(f.order))
	for _, name := range f.order {
		out = append(out, FieldError{Field: name, Message: f.Errors[name]})
	}
	return out
}

// fieldLimits are the length limits the domain enforces, by the domain's
// field name (after any "transactions[i]." prefix), for messages.
var fieldLimits = map[string]int{
	"subject": complaint.MaxSubject, "description": complaint.MaxDescription,
	"body": complaint.MaxMessage, "customer.phone": complaint.MaxPhone,
	"customer.name": complaint.MaxName, "customer.email": complaint.MaxEmail,
	"id": complaint.MaxIdentifier, "counterparty": complaint.MaxShortText,
	"merchant_id": complaint.MaxIdentifier, "team": complaint.MaxIdentifier,
	"category": complaint.MaxIdentifier,
}

// fieldOf strips the "transactions[0]." prefix from a domain field name.
func fieldOf(domainField string) string {
	if i := strings.Index(domainField, "]."); i >= 0 {
		return domainField[i+2:]
	}
	return domainField
}

// errorText is the message to show for a domain error in language c. The
// domain's codes are translated; where a code is too broad to translate
// well, the domain's own (English) message is quoted.
func errorText(c *i18n.Catalog, err error) string {
	var ve *complaint.ValidationError
	var re *complaint.RuleError
	switch {
	case errors.As(err, &ve):
		field := fieldOf(ve.Field)
		switch ve.Code {
		case complaint.CodeRequired:
			return c.T("error.required")
		case complaint.CodeTooLong:
			if max, ok := fieldLimits[field]; ok {
				return c.T("error.too_long_max", "max", max)
			}
			return c.T("error.too_long")
		case complaint.CodeInvalidAmount:
			return c.T("error.amount")
		case complaint.CodeUnknownCurrency:
			return c.T("error.currency")
		}
		switch {
		case field == "customer.phone":
			return c.T("error.phone")
		case field == "customer.email":
			return c.T("error.email")
		case field == "time":
			return c.T("error.txn_time")
		case field == "category" || field == "severity" || field == "priority" || field == "status" ||
			field == "stage" || field == "channel" || field == "currency":
			return c.T("error.choice")
		case strings.Contains(ve.Message, "control characters"):
			return c.T("error.control_chars")
		}
		return c.T("error.invalid", "detail", ve.Message)
	case errors.As(err, &re):
		switch re.Code {
		case complaint.CodeIllegalTransition:
			return c.T("error.illegal_transition")
		case complaint.CodeReopenWindowPassed:
			return c.T("error.reopen_window")
		case complaint.CodeStageBackwards:
			return c.T("error.stage_backwards")
		case complaint.CodeNoChange:
			return c.T("error.no_change")
		case complaint.CodeConflict:
			return c.T("error.conflict")
		}
		return c.T("error.invalid", "detail", re.Message)
	}
	return c.T("error.500.body")
}

// isDomainError reports whether err is a validation or rule error, which a
// page shows next to the form rather than as an error page.
func isDomainError(err error) bool {
	var ve *complaint.ValidationError
	var re *complaint.RuleError
	return errors.As(err, &ve) || errors.As(err, &re)
}
