package api

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"testing"

	"github.com/go-json-experiment/json/jsontext"

	"github.com/redress-project/redress/internal/access"
	"github.com/redress-project/redress/internal/auth"
	"github.com/redress-project/redress/internal/complaint"
	"github.com/redress-project/redress/internal/store"
)

func TestToError(t *testing.T) {
	wrapped := func(err error) error { return fmt.Errorf("desk: doing things: %w", err) }
	tests := []struct {
		err         error
		status      int
		code, field string
	}{
		{&complaint.ValidationError{Code: "too_long", Field: "subject", Message: "m"}, 422, "too_long", "subject"},
		{wrapped(&complaint.ValidationError{Code: "invalid_amount", Field: "transactions[0].amount.minor", Message: "m"}), 422, "invalid_amount", "transactions[0].amount.minor"},
		{&complaint.RuleError{Code: "illegal_transition", Message: "m"}, 409, "illegal_transition", ""},
		{complaint.ErrConflict, 409, "conflict", ""},
		{wrapped(complaint.ErrNotFound), 404, CodeNotFound, ""},
		{access.ErrForbidden, 403, CodeForbidden, ""},
		{auth.ErrCSRF, 403, CodeCSRFFailed, ""},
		{wrapped(store.ErrBadCursor), 400, CodeBadCursor, "cursor"},
		{wrapped(store.ErrIdempotencyMismatch), 422, CodeIdempotencyKeyReused, "Idempotency-Key"},
		{&http.MaxBytesError{Limit: 10}, 413, CodeBodyTooLarge, ""},
		{errUnauthenticated, 401, CodeUnauthenticated, ""},
		{badRequest(CodeInvalidType, "x", "m"), 400, CodeInvalidType, "x"},
		{wrapped(context.Canceled), 503, CodeUnavailable, ""},
		{context.DeadlineExceeded, 503, CodeUnavailable, ""},
		{errors.New("pq: connection refused to 10.0.0.5"), 500, CodeInternal, ""},
	}
	for _, tt := range tests {
		e := toError(tt.err)
		if e.Status != tt.status || e.Code != tt.code || e.Field != tt.field {
			t.Errorf("%v: got %d %s %q, want %d %s %q", tt.err, e.Status, e.Code, e.Field, tt.status, tt.code, tt.field)
		}
	}
	if e := toError(errors.New("secret detail")); e.Message != errInternal.Message {
		t.Errorf("a 500 says %q", e.Message)
	}
}

func TestRenameFields(t *testing.T) {
	names := map[string]string{"status": "to", "body": "reason", "transaction.": ""}
	tests := []struct{ field, msg, wantField, wantMsg string }{
		{"status", `unknown status "x"`, "to", `unknown status "x"`},
		{"body", "must be at most 5 characters", "reason", "must be at most 5 characters"},
		{"transaction.amount.minor", "m", "amount.minor", "m"},
		{"transaction.id", "transaction.id is required", "id", "id is required"},
		{"transactions", "at most 50", "transactions", "at most 50"},
	}
	for _, tt := range tests {
		err := renameFields(&complaint.ValidationError{Code: "c", Field: tt.field, Message: tt.msg}, names)
		var v *complaint.ValidationError
		if !errors.As(err, &v) || v.Field != tt.wantField || v.Message != tt.wantMsg {
			t.Errorf("%s: got %+v", tt.field, err)
		}
	}
	if err := renameFields(complaint.ErrNotFound, names); err != complaint.ErrNotFound {
		t.Errorf("other errors pass unchanged: %v", err)
	}
}

func TestFieldPath(t *testing.T) {
	for ptr, want := range map[jsontext.Pointer]string{
		"":                             "",
		"/subject":                     "subject",
		"/transactions/0/amount/minor": "transactions[0].amount.minor",
		"/attachments/12":              "attachments[12]",
		"/a~1b":                        "a/b",
	} {
		if got := fieldPath(ptr); got != want {
			t.Errorf("%q: %q, want %q", ptr, got, want)
		}
	}
}

func TestDecodeBody(t *testing.T) {
	var m messageRequest
	if err := decodeBody([]byte(" \n{\"body\": \"你好\"}\n "), &m); err != nil || m.Body != "你好" {
		t.Fatalf("%v %+v", err, m)
	}
	for body, code := range map[string]string{
		"":                      CodeMalformedJSON,
		"{":                     CodeMalformedJSON,
		`{"body":"x"}{}`:        CodeMalformedJSON,
		`"x"`:                   CodeInvalidType,
		`{"body":1}`:            CodeInvalidType,
		`{"body":"x","b":1}`:    CodeUnknownField,
		`{"body":"x","body":1}`: CodeDuplicateField,
		"{\"body\":\"\xc3\"}":   CodeInvalidUTF8,
		"\xef\xbb\xbf{}":        CodeMalformedJSON, // a byte-order mark is not JSON
		"[1]":                   CodeInvalidType,
		"x{}":                   CodeMalformedJSON,
	} {
		err := decodeBody([]byte(body), &messageRequest{})
		var e *Error
		if !errors.As(err, &e) || e.Code != code || e.Status != 400 {
			t.Errorf("%q: %v, want %s", body, err, code)
		}
	}
}

func TestContentType(t *testing.T) {
	for ct, ok := range map[string]bool{
		"application/json": true, "application/json; charset=utf-8": true, "Application/JSON; charset=UTF-8": true,
		"": false, "text/json": false, "application/json; charset=utf-16": false, "application/json;;": false,
		"multipart/form-data; boundary=x": false,
	} {
		r, _ := http.NewRequest("POST", "/", nil)
		if ct != "" {
			r.Header.Set("Content-Type", ct)
		}
		if err := checkContentType(r); (err == nil) != ok {
			t.Errorf("%q: %v", ct, err)
		}
	}
}
