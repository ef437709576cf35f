package api

import (
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/redress-project/redress/internal/complaint"
	"github.com/redress-project/redress/internal/desk"
	"github.com/redress-project/redress/internal/store/storetest"
)

// FuzzFileComplaint feeds arbitrary bodies to POST /complaints. The API
// must never fail with a 500 or panic, must answer 201 exactly for the
// bodies that are a valid draft, and must answer anything else with a
// well-formed 4xx error.
//
//	go test -run '^$' -fuzz FuzzFileComplaint -fuzztime 1m ./internal/api/
func FuzzFileComplaint(f *testing.F) {
	valid, _ := json.Marshal(draft())
	for _, seed := range []string{
		string(valid),
		`{"customer":{"name":"A"},"channel":"web","subject":"s","description":"d"}`,
		`{"customer":{"name":"A"},"channel":"web","subject":"s","description":"d","transactions":[{"id":"1","time":"2025-01-01T00:00:00Z","amount":{"minor":-1,"currency":"CNY"}}]}`,
		`{"customer":{"name":"A"},"channel":"web","subject":"s","description":"d","transactions":[{"id":"1","time":"2025-01-01T00:00:00Z","amount":{"minor":1.5,"currency":"CNY"}}]}`,
		`{"customer":{"name":"A"},"channel":"fax","subject":"s","description":"d"}`,
		`{"subject":"\udc00"}`, `{"subject":"a","subject":"b"}`, `{} {}`, `[]`, `null`, ``, "{\"subject\":\"\xff\"}",
		`{"transactions":[{"amount":{"minor":99999999999999999999}}]}`, `{"attachments":[{"size":-1}]}`,
	} {
		f.Add([]byte(seed))
	}
	st := storetest.Open(f, "sqlite")
	h := New(desk.New(st), Options{Logger: slog.New(slog.DiscardHandler)})
	f.Fuzz(func(t *testing.T, body []byte) {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req(&agent, "POST", "/api/v1/complaints", body))

		var d complaint.Draft
		validDraft := decodeBody(body, &d) == nil
		if validDraft {
			d.Normalize()
			validDraft = d.Validate() == nil
		}
		switch {
		case rec.Code == http.StatusCreated:
			if !validDraft {
				t.Fatalf("201 for an invalid draft %q: %s", body, rec.Body)
			}
			var c CaseView
			if err := json.Unmarshal(rec.Body.Bytes(), &c); err != nil || !complaint.ValidRef(c.Ref) {
				t.Fatalf("201 without a case: %s", rec.Body)
			}
		case rec.Code >= 400 && rec.Code < 500:
			if validDraft && rec.Code != http.StatusRequestEntityTooLarge {
				t.Fatalf("%d for a valid draft %q: %s", rec.Code, body, rec.Body)
			}
			var e struct{ Error *Error }
			if err := json.Unmarshal(rec.Body.Bytes(), &e); err != nil || e.Error == nil || e.Error.Code == "" ||
				strings.Contains(e.Error.Message, "panic") {
				t.Fatalf("%d without an error body: %s", rec.Code, rec.Body)
			}
		default:
			t.Fatalf("status %d for %q: %s", rec.Code, body, rec.Body)
		}
	})
}
