package api

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/redress-project/redress/internal/access"
	"github.com/redress-project/redress/internal/auth"
	"github.com/redress-project/redress/internal/complaint"
	"github.com/redress-project/redress/internal/store"
)

// Error codes of the API itself. The domain's codes (complaint.Code*) are
// sent unchanged: invalid, required, too_long, invalid_amount,
// unknown_currency (422) and illegal_transition, reopen_window_passed,
// stage_backwards, no_change, conflict (409).
const (
	// 400: the request could not be read.
	CodeMalformedJSON    = "malformed_json"    // not JSON, empty, truncated, or trailing data after the value
	CodeInvalidUTF8      = "invalid_utf8"      // the body or a query parameter is not valid UTF-8
	CodeInvalidType      = "invalid_type"      // a JSON value has the wrong type (string for number, 1.5 for an integer…)
	CodeUnknownField     = "unknown_field"     // the body has a member the operation does not take
	CodeDuplicateField   = "duplicate_field"   // the body names the same member twice
	CodeInvalidParameter = "invalid_parameter" // a query parameter or header is unknown, repeated or malformed
	CodeBadCursor        = "bad_cursor"        // the cursor was not issued for this listing

	CodeUnauthenticated      = "unauthenticated"        // 401: no valid credentials
	CodeForbidden            = "forbidden"              // 403: the caller's role may not do this
	CodeCSRFFailed           = "csrf_failed"            // 403: a cookie session sent no valid X-CSRF-Token
	CodeNotFound             = "not_found"              // 404: no such path, or no such case visible to the caller
	CodeMethodNotAllowed     = "method_not_allowed"     // 405: the path exists, the method does not
	CodeBodyTooLarge         = "body_too_large"         // 413
	CodeUnsupportedMedia     = "unsupported_media_type" // 415: the body is not application/json (UTF-8)
	CodeIdempotencyKeyReused = "idempotency_key_reused" // 422: the key was used with a different request
	CodeInternal             = "internal"               // 500: a fault on the server; details are only in its log
	CodeUnavailable          = "unavailable"            // 503: the request was cancelled or timed out; retry
)

// Error is the one shape of every error response, sent as
// {"error": {"code": …, "message": …, "field": …}}. Field is set only when
// one field of the request is to blame; it is the request's own name for
// it: a JSON path such as transactions[0].amount.minor, a query parameter
// or a header.
type Error struct {
	Status  int    `json:"-"`
	Code    string `json:"code"`
	Message string `json:"message"`
	Field   string `json:"field,omitempty"`
}

func (e *Error) Error() string {
	if e.Field != "" {
		return fmt.Sprintf("%d %s: %s: %s", e.Status, e.Code, e.Field, e.Message)
	}
	return fmt.Sprintf("%d %s: %s", e.Status, e.Code, e.Message)
}

type errorBody struct {
	Error *Error `json:"error"`
}

// badRequest is a 400: the request could not be read.
func badRequest(code, field, format string, a ...any) *Error {
	return &Error{Status: http.StatusBadRequest, Code: code, Field: field, Message: fmt.Sprintf(format, a...)}
}

var (
	errUnauthenticated = &Error{Status: http.StatusUnauthorized, Code: CodeUnauthenticated,
		Message: "sign in or send an Authorization: Bearer token"}
	errNotFound = &Error{Status: http.StatusNotFound, Code: CodeNotFound,
		Message: "no such resource"}
	errInternal = &Error{Status: http.StatusInternalServerError, Code: CodeInternal,
		Message: "something went wrong on our side; it has been logged"}
)

// toError maps any error a handler returns to the response it deserves.
// It is the only place where errors become HTTP statuses:
//
//   - 400: the request could not be read (malformed JSON, wrong types,
//     unknown fields, bad query parameters, invalid UTF-8, a bad cursor);
//   - 422: the request was read but a value is not acceptable
//     (complaint.ValidationError, a reused idempotency key);
//   - 409: the request breaks a lifecycle rule or raced another change
//     (complaint.RuleError);
//   - 401, 403, 404 for who the caller is and what they may see;
//   - 500 for everything else, with a generic message.
func toError(err error) *Error {
	var (
		apiErr  *Error
		tooBig  *http.MaxBytesError
		invalid *complaint.ValidationError
		rule    *complaint.RuleError
	)
	switch {
	case errors.As(err, &apiErr):
		return apiErr
	case errors.Is(err, complaint.ErrNotFound):
		return &Error{Status: http.StatusNotFound, Code: CodeNotFound, Message: "no such complaint"}
	case errors.Is(err, access.ErrForbidden):
		return &Error{Status: http.StatusForbidden, Code: CodeForbidden, Message: "your role may not do this"}
	case errors.Is(err, auth.ErrCSRF):
		return &Error{Status: http.StatusForbidden, Code: CodeCSRFFailed,
			Message: "missing or wrong X-CSRF-Token header for a signed-in browser session"}
	case errors.Is(err, store.ErrBadCursor):
		return badRequest(CodeBadCursor, "cursor", "the cursor is not valid for this listing; start again without it")
	case errors.Is(err, store.ErrIdempotencyMismatch):
		return &Error{Status: http.StatusUnprocessableEntity, Code: CodeIdempotencyKeyReused, Field: "Idempotency-Key",
			Message: "this Idempotency-Key was already used with a different request; use a new key for a new complaint"}
	case errors.As(err, &tooBig):
		return &Error{Status: http.StatusRequestEntityTooLarge, Code: CodeBodyTooLarge,
			Message: fmt.Sprintf("the request body must be at most %d bytes", tooBig.Limit)}
	case errors.As(err, &invalid):
		return &Error{Status: http.StatusUnprocessableEntity, Code: invalid.Code, Field: invalid.Field, Message: invalid.Message}
	case errors.As(err, &rule):
		return &Error{Status: http.StatusConflict, Code: rule.Code, Message: rule.Message}
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return &Error{Status: http.StatusServiceUnavailable, Code: CodeUnavailable,
			Message: "the request was cancelled or took too long; try again"}
	default:
		return errInternal
	}
}

// fail writes the error response for err. Server faults are logged with
// the request's context (so the request id goes with them); the client
// only learns that something went wrong.
func (s *server) fail(w http.ResponseWriter, r *http.Request, err error) {
	e := toError(err)
	switch {
	case e.Status >= 500 && e.Code == CodeInternal:
		s.log.ErrorContext(r.Context(), "api: request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	case e.Status >= 500: // cancelled by the client, or out of time
		s.log.InfoContext(r.Context(), "api: request not completed", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	if e.Status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer realm="redress"`)
	}
	writeJSON(w, e.Status, errorBody{e})
}

// renameFields rewrites the field of a domain ValidationError into the
// request's own name for it, so that a client is told about the member it
// sent. Keys ending in "." rename a prefix ("transaction." → "").
func renameFields(err error, names map[string]string) error {
	var invalid *complaint.ValidationError
	if !errors.As(err, &invalid) {
		return err
	}
	renamed := *invalid
	for from, to := range names {
		switch {
		case renamed.Field == from:
			renamed.Field = to
		case strings.HasSuffix(from, ".") && strings.HasPrefix(renamed.Field, from):
			renamed.Field = to + strings.TrimPrefix(renamed.Field, from)
			// Messages such as "transaction.id is required" name the field.
			renamed.Message = strings.ReplaceAll(renamed.Message, invalid.Field, renamed.Field)
		default:
			continue
		}
		break
	}
	return &renamed
}
