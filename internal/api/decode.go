package api

import (
	"bytes"
	"errors"
	"io"
	"mime"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
)

// decode reads the request body into v, which must point to a struct. The
// body must be application/json, at most MaxBodyBytes long, valid UTF-8,
// and exactly one JSON object whose members are all fields of v, each named
// once and of the right type. Every failure is an *Error that names the
// field to blame.
//
// Request bodies are decoded with the JSON v2 semantics (the package that
// becomes encoding/json/v2): member names match case-sensitively, duplicate
// names and trailing data are errors, and a type error reports the JSON
// path of the offending value.
func (s *server) decode(w http.ResponseWriter, r *http.Request, v any) error {
	if err := checkContentType(r); err != nil {
		return err
	}
	if r.ContentLength > s.opts.MaxBodyBytes {
		return &http.MaxBytesError{Limit: s.opts.MaxBodyBytes}
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, s.opts.MaxBodyBytes))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return err
		}
		return badRequest(CodeMalformedJSON, "", "the request body could not be read: %v", err)
	}
	return decodeBody(body, v)
}

// checkContentType accepts application/json, with no charset or UTF-8.
func checkContentType(r *http.Request) error {
	ct := r.Header.Get("Content-Type")
	mediaType, params, err := mime.ParseMediaType(ct)
	if err == nil && mediaType == "application/json" {
		if cs, ok := params["charset"]; !ok || strings.EqualFold(cs, "utf-8") {
			return nil
		}
	}
	if ct == "" {
		ct = "none"
	}
	return &Error{Status: http.StatusUnsupportedMediaType, Code: CodeUnsupportedMedia, Field: "Content-Type",
		Message: "send the body as Content-Type: application/json (UTF-8); got " + strconv.Quote(ct)}
}

// decodeBody is decode without the HTTP: body is the complete request body.
func decodeBody(body []byte, v any) error {
	if !utf8.Valid(body) {
		return badRequest(CodeInvalidUTF8, "", "the request body is not valid UTF-8")
	}
	trimmed := bytes.TrimLeft(body, " \t\r\n")
	if len(trimmed) == 0 {
		return badRequest(CodeMalformedJSON, "", "the request body is empty; send a JSON object")
	}
	if trimmed[0] != '{' {
		if jsontext.Value(trimmed).IsValid() {
			return badRequest(CodeInvalidType, "", "the request body must be a JSON object")
		}
		return badRequest(CodeMalformedJSON, "", "the request body is not a JSON object")
	}
	err := json.Unmarshal(body, v, json.RejectUnknownMembers(true))
	if err == nil {
		return nil
	}
	var (
		syntax   *jsontext.SyntacticError
		semantic *json.SemanticError
	)
	switch {
	case errors.As(err, &syntax) && errors.Is(syntax.Err, jsontext.ErrDuplicateName):
		return badRequest(CodeDuplicateField, fieldPath(syntax.JSONPointer), "%s is given more than once", quoteField(syntax.JSONPointer))
	case errors.As(err, &syntax):
		return badRequest(CodeMalformedJSON, fieldPath(syntax.JSONPointer), "the request body is not valid JSON: %v (at byte %d)", syntax.Err, syntax.ByteOffset)
	case errors.As(err, &semantic) && errors.Is(semantic.Err, json.ErrUnknownName):
		return badRequest(CodeUnknownField, fieldPath(semantic.JSONPointer), "unknown field %s", quoteField(semantic.JSONPointer))
	case errors.As(err, &semantic):
		field, want := fieldPath(semantic.JSONPointer), describeType(semantic.GoType)
		if field == "minor" || strings.HasSuffix(field, ".minor") {
			want += " of minor units (fen, cents): 123.45 CNY is 12345"
		}
		return badRequest(CodeInvalidType, field, "%s must be %s", quoteField(semantic.JSONPointer), want)
	default:
		return badRequest(CodeMalformedJSON, "", "the request body could not be read as JSON")
	}
}

// fieldPath turns a JSON pointer such as /transactions/0/amount/minor into
// the notation the domain uses for fields: transactions[0].amount.minor.
// (Request bodies hold structs and slices only, so an all-digit token is an
// index.)
func fieldPath(p jsontext.Pointer) string {
	var sb strings.Builder
	for tok := range p.Tokens() {
		if isIndex(tok) {
			sb.WriteString("[" + tok + "]")
			continue
		}
		if sb.Len() > 0 {
			sb.WriteByte('.')
		}
		sb.WriteString(tok)
	}
	return sb.String()
}

func isIndex(tok string) bool {
	if tok == "" {
		return false
	}
	for _, r := range tok {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

func quoteField(p jsontext.Pointer) string {
	if f := fieldPath(p); f != "" {
		return strconv.Quote(f)
	}
	return "the body"
}

var timeType = reflect.TypeFor[time.Time]()

// describeType says in words what JSON a Go type takes.
func describeType(t reflect.Type) string {
	if t == nil {
		return "of another type"
	}
	if t == timeType {
		return "an RFC 3339 timestamp such as 2026-03-01T09:30:00Z"
	}
	switch t.Kind() {
	case reflect.Pointer:
		return describeType(t.Elem())
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "a whole number"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Slice, reflect.Array:
		return "an array"
	case reflect.Struct, reflect.Map:
		return "an object"
	default:
		return "of another type"
	}
}
