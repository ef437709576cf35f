package api

import (
	"bytes"
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/redress-project/redress/internal/complaint"
)

// with returns a valid draft changed by fn, encoded.
func with(fn func(d map[string]any)) []byte {
	d := draft()
	fn(d)
	b, err := json.Marshal(d)
	if err != nil {
		panic(err)
	}
	return b
}

func amount(minor any, currency string) func(d map[string]any) {
	return func(d map[string]any) {
		d["transactions"].([]any)[0].(map[string]any)["amount"] = map[string]any{"minor": minor, "currency": currency}
	}
}

// TestFileBadInput sends a broken complaint for each way a body can be
// wrong and checks the status, the code, the field, and that nothing was
// stored.
func TestFileBadInput(t *testing.T) {
	valid := with(func(map[string]any) {})
	huge := append([]byte(`{"subject":"`), bytes.Repeat([]byte("a"), DefaultMaxBodyBytes)...)
	huge = append(huge, `"}`...)
	tests := []struct {
		name        string
		body        []byte
		contentType string
		status      int
		code, field string
	}{
		{"malformed JSON", []byte(`{"subject": "x",`), "", 400, CodeMalformedJSON, ""},
		{"empty body", nil, "", 400, CodeMalformedJSON, ""},
		{"not an object", []byte(`["subject"]`), "", 400, CodeInvalidType, ""},
		{"null", []byte(`null`), "", 400, CodeInvalidType, ""},
		{"trailing data", append(valid, `{}`...), "", 400, CodeMalformedJSON, ""},
		{"trailing garbage", append(valid, `x`...), "", 400, CodeMalformedJSON, ""},
		{"unknown field", with(func(d map[string]any) { d["sujet"] = "x" }), "", 400, CodeUnknownField, "sujet"},
		{"unknown nested field", with(func(d map[string]any) { d["customer"].(map[string]any)["vip"] = true }), "", 400, CodeUnknownField, "customer.vip"},
		{"field in the wrong case", with(func(d map[string]any) { d["Subject"] = "x" }), "", 400, CodeUnknownField, "Subject"},
		{"duplicate field", []byte(`{"subject":"a","subject":"b"}`), "", 400, CodeDuplicateField, "subject"},
		{"wrong type", with(func(d map[string]any) { d["subject"] = 42 }), "", 400, CodeInvalidType, "subject"},
		{"wrong type of list", with(func(d map[string]any) { d["transactions"] = map[string]any{} }), "", 400, CodeInvalidType, "transactions"},
		{"fractional amount", with(amount(123.45, "CNY")), "", 400, CodeInvalidType, "transactions[0].amount.minor"},
		{"string amount", with(amount("12345", "CNY")), "", 400, CodeInvalidType, "transactions[0].amount.minor"},
		{"exponent amount", []byte(strings.Replace(string(valid), "12345", "1.2345e4", 1)), "", 400, CodeInvalidType, "transactions[0].amount.minor"},
		{"amount beyond int64", []byte(strings.Replace(string(valid), "12345", "99999999999999999999", 1)), "", 400, CodeInvalidType, "transactions[0].amount.minor"},
		{"bad time", with(func(d map[string]any) { d["transactions"].([]any)[0].(map[string]any)["time"] = "yesterday" }), "", 400, CodeInvalidType, "transactions[0].time"},
		{"invalid UTF-8", []byte("{\"subject\":\"\xff\xfe\",\"description\":\"x\"}"), "", 400, CodeInvalidUTF8, ""},
		{"lone surrogate", []byte(`{"subject":"\udc00"}`), "", 400, CodeMalformedJSON, "subject"},
		{"oversized body", huge, "", 413, CodeBodyTooLarge, ""},
		{"wrong content type", valid, "text/plain", 415, CodeUnsupportedMedia, "Content-Type"},
		{"form content type", valid, "application/x-www-form-urlencoded", 415, CodeUnsupportedMedia, "Content-Type"},
		{"wrong charset", valid, "application/json; charset=latin1", 415, CodeUnsupportedMedia, "Content-Type"},
		{"negative amount", with(amount(-1, "CNY")), "", 422, complaint.CodeInvalidAmount, "transactions[0].amount.minor"},
		{"unknown currency", with(amount(100, "XYZ")), "", 422, complaint.CodeUnknownCurrency, "transactions[0].amount.currency"},
		{"lower-case currency", with(amount(100, "cny")), "", 422, complaint.CodeUnknownCurrency, "transactions[0].amount.currency"},
		{"missing subject", with(func(d map[string]any) { delete(d, "subject") }), "", 422, complaint.CodeRequired, "subject"},
		{"blank description", with(func(d map[string]any) { d["description"] = "  \n " }), "", 422, complaint.CodeRequired, "description"},
		{"missing customer name", with(func(d map[string]any) { delete(d["customer"].(map[string]any), "name") }), "", 422, complaint.CodeRequired, "customer.name"},
		{"too-long subject", with(func(d map[string]any) { d["subject"] = strings.Repeat("退", complaint.MaxSubject+1) }), "", 422, complaint.CodeTooLong, "subject"},
		{"unknown channel", with(func(d map[string]any) { d["channel"] = "fax" }), "", 422, complaint.CodeInvalid, "channel"},
		{"bad email", with(func(d map[string]any) { d["customer"].(map[string]any)["email"] = "Li <li@example.com>" }), "", 422, complaint.CodeInvalid, "customer.email"},
		{"control character", with(func(d map[string]any) { d["subject"] = "a\x00b" }), "", 422, complaint.CodeInvalid, "subject"},
	}
	each(t, func(t *testing.T, h *harness) {
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				var body any = tt.body
				if tt.body == nil {
					body = ""
				}
				headers := []string{"Idempotency-Key", "k-" + tt.name}
				if tt.contentType != "" {
					headers = append(headers, "Content-Type", tt.contentType)
				}
				h.t = t
				before := h.snapshot("")
				wantError(t, h.do(&agent, "POST", "/api/v1/complaints", body, headers...), tt.status, tt.code, tt.field)
				h.unchanged(before, "")
			})
		}
		// A body of unknown length is cut off at the limit too.
		h.t = t
		rq := req(&agent, "POST", "/api/v1/complaints", huge)
		rq.ContentLength = -1
		rec := httptest.NewRecorder()
		h.h.ServeHTTP(rec, rq)
		wantError(t, rec, 413, CodeBodyTooLarge, "")
		if n := h.snapshot("").cases; n != 0 {
			t.Fatalf("%d cases stored by bad requests", n)
		}
	})
}

// TestCommandBadInput checks the commands on a case: their field names in
// errors are the request's, and nothing changes.
func TestCommandBadInput(t *testing.T) {
	each(t, func(t *testing.T, h *harness) {
		ref := h.file(custA, draft()).Ref
		long := strings.Repeat("x", complaint.MaxMessage+1)
		tests := []struct {
			name, what  string
			body        string
			status      int
			code, field string
		}{
			{"message missing body", "messages", `{}`, 422, complaint.CodeRequired, "body"},
			{"message too long", "messages", `{"body":"` + long + `"}`, 422, complaint.CodeTooLong, "body"},
			{"message wrong type", "messages", `{"body":["hi"]}`, 400, CodeInvalidType, "body"},
			{"note unknown field", "notes", `{"body":"x","visibility":"public"}`, 400, CodeUnknownField, "visibility"},
			{"transition missing to", "transitions", `{"reason":"x"}`, 422, complaint.CodeRequired, "to"},
			{"transition unknown status", "transitions", `{"to":"done"}`, 422, complaint.CodeInvalid, "to"},
			{"transition reason too long", "transitions", `{"to":"acknowledged","reason":"` + long + `"}`, 422, complaint.CodeTooLong, "reason"},
			{"stage unknown", "stage", `{"to":"court"}`, 422, complaint.CodeInvalid, "to"},
			{"stage missing to", "stage", `{}`, 422, complaint.CodeRequired, "to"},
			{"assignment without team", "assignment", `{"assignee_id":5}`, 422, complaint.CodeRequired, "team"},
			{"assignment negative id", "assignment", `{"team":"x","assignee_id":-5}`, 422, complaint.CodeInvalid, "assignee_id"},
			{"assignment fractional id", "assignment", `{"team":"x","assignee_id":1.5}`, 400, CodeInvalidType, "assignee_id"},
			{"classification bad priority", "classification", `{"category":"refund","severity":"high","priority":"urgent"}`, 422, complaint.CodeInvalid, "priority"},
			{"classification missing category", "classification", `{"severity":"high","priority":"p1"}`, 422, complaint.CodeRequired, "category"},
			{"transaction negative amount", "transactions", `{"id":"T-2","time":"2026-01-01T00:00:00Z","amount":{"minor":-5,"currency":"CNY"}}`, 422, complaint.CodeInvalidAmount, "amount.minor"},
			{"transaction unknown currency", "transactions", `{"id":"T-2","time":"2026-01-01T00:00:00Z","amount":{"minor":5,"currency":"RMB"}}`, 422, complaint.CodeUnknownCurrency, "amount.currency"},
			{"transaction fractional amount", "transactions", `{"id":"T-2","time":"2026-01-01T00:00:00Z","amount":{"minor":5.5,"currency":"CNY"}}`, 400, CodeInvalidType, "amount.minor"},
			{"transaction missing id", "transactions", `{"time":"2026-01-01T00:00:00Z","amount":{"minor":5,"currency":"CNY"}}`, 422, complaint.CodeRequired, "id"},
			{"transaction missing time", "transactions", `{"id":"T-2","amount":{"minor":5,"currency":"CNY"}}`, 422, complaint.CodeRequired, "time"},
			{"transaction display sent back", "transactions", `{"id":"T-2","time":"2026-01-01T00:00:00Z","amount":{"minor":5,"currency":"CNY","display":"CNY 0.05"}}`, 400, CodeUnknownField, "amount.display"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				h.t = t
				before := h.snapshot(ref)
				e := wantError(t, h.do(&agent, "POST", path("/complaints/%s/%s", ref, tt.what), tt.body), tt.status, tt.code, tt.field)
				if strings.Contains(e.Message, "transaction.") || (tt.field == "reason" && strings.Contains(e.Message, "body")) {
					t.Errorf("message names the domain's field: %q", e.Message)
				}
				h.unchanged(before, ref)
			})
		}
		h.t = t
	})
}
