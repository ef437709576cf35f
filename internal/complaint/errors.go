package complaint

import "errors"

// Machine-readable error codes of the domain. The API sends them unchanged.
const (
	CodeInvalid            = "invalid"            // a field's value is not acceptable
	CodeRequired           = "required"           // a required field is missing
	CodeTooLong            = "too_long"           // a field exceeds its length limit
	CodeInvalidAmount      = "invalid_amount"     // an amount is negative or out of range
	CodeUnknownCurrency    = "unknown_currency"   // not an ISO 4217 currency code
	CodeIllegalTransition  = "illegal_transition" // the lifecycle has no such edge
	CodeReopenWindowPassed = "reopen_window_passed"
	CodeStageBackwards     = "stage_backwards"
	CodeNoChange           = "no_change"
	CodeConflict           = "conflict" // the case changed underneath the caller
)

// ValidationError says which field of the input is wrong and why. Nothing is
// stored when one is returned.
type ValidationError struct {
	Code    string
	Field   string
	Message string
}

func (e *ValidationError) Error() string { return e.Field + ": " + e.Message }

// RuleError says that a command breaks a lifecycle rule. Nothing is stored
// when one is returned.
type RuleError struct {
	Code    string
	Message string
}

func (e *RuleError) Error() string { return e.Message }

// ErrConflict is returned by stores when the case changed between reading it
// and appending events to it; the caller may reload and retry.
var ErrConflict = &RuleError{Code: CodeConflict, Message: "the case was changed by someone else; reload and try again"}

// ErrNotFound is returned when a case does not exist (or is not visible to
// the caller, who must not learn which).
var ErrNotFound = errors.New("complaint not found")

func invalid(field, msg string) *ValidationError {
	return &ValidationError{Code: CodeInvalid, Field: field, Message: msg}
}
