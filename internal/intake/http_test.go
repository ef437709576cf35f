package intake_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"github.com/redress-project/redress/internal/access"
	"github.com/redress-project/redress/internal/auth"
	"github.com/redress-project/redress/internal/complaint"
	"github.com/redress-project/redress/internal/intake"
	"github.com/redress-project/redress/internal/store"
	"github.com/redress-project/redress/internal/store/storetest"
)

func TestEmailHandler(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		h := newHarness(t, st, intake.Options{})
		handler := intake.EmailHandler(h.svc, intake.HandlerOptions{MaxBytes: 64 << 10})
		gateway := access.Principal{UserID: 42, Name: "mail gateway", Role: complaint.RoleAgent}
		customer := access.Principal{UserID: 43, Name: "c", Role: complaint.RoleCustomer, CustomerID: "C-1"}
		admin := access.Principal{UserID: 44, Name: "a", Role: complaint.RoleAdmin}
		good, _ := os.ReadFile(fixture("email_gb2312.eml"))

		post := func(p *access.Principal, ctype string, body []byte) (*httptest.ResponseRecorder, map[string]any) {
			req := httptest.NewRequest(http.MethodPost, intake.EmailPath, bytes.NewReader(body))
			if ctype != "" {
				req.Header.Set("Content-Type", ctype)
			}
			if p != nil {
				req = req.WithContext(auth.WithPrincipal(req.Context(), *p))
			}
			w := httptest.NewRecorder()
			handler.ServeHTTP(w, req)
			var out map[string]any
			if err := json.Unmarshal(w.Body.Bytes(), &out); err != nil {
				t.Fatalf("response %q is not JSON: %v", w.Body, err)
			}
			return w, out
		}
		errCode := func(out map[string]any) string {
			e, _ := out["error"].(map[string]any)
			code, _ := e["code"].(string)
			return code
		}

		w, out := post(&gateway, "message/rfc822", good)
		if w.Code != http.StatusCreated || out["created"] != true || !complaint.ValidRef(out["case_ref"].(string)) {
			t.Fatalf("first post: %d %v", w.Code, out)
		}
		ref := out["case_ref"].(string)
		w, out = post(&gateway, "message/rfc822", good)
		if w.Code != http.StatusOK || out["duplicate"] != true || out["case_ref"] != ref {
			t.Errorf("the same message again: %d %v", w.Code, out)
		}
		c, _ := st.CaseByRef(ctx, ref)
		if c.Subject != "星巴克重复扣款，请退款" || c.Channel != complaint.ChannelEmail {
			t.Errorf("case %+v", c)
		}

		for _, tc := range []struct {
			name   string
			p      *access.Principal
			ctype  string
			body   []byte
			status int
			code   string
		}{
			{"anonymous", nil, "message/rfc822", good, 401, "unauthenticated"},
			{"customer", &customer, "message/rfc822", good, 403, "forbidden"},
			{"admin", &admin, "message/rfc822", good, 403, "forbidden"},
			{"json", &gateway, "application/json", []byte("{}"), 415, "unsupported_media_type"},
			{"no from", &gateway, "message/rfc822", []byte("Subject: x\r\n\r\nbody"), 422, "required"},
			{"broken mime", &gateway, "message/rfc822", []byte("From: a@b.cn\r\nContent-Type: multipart/mixed; boundary=q\r\n\r\n--q\r\n\r\nx"), 400, "malformed_email"},
			{"charset", &gateway, "message/rfc822", []byte("From: a@b.cn\r\n\r\n\xc4\xe3\xba\xc3"), 400, "invalid_charset"},
			{"too big", &gateway, "message/rfc822", append([]byte("From: a@b.cn\r\n\r\n"), bytes.Repeat([]byte("x"), 70<<10)...), 413, "body_too_large"},
			{"bad address", &gateway, "text/plain", []byte("From: x <not@an@address>\r\n\r\nbody"), 400, "malformed_email"},
		} {
			w, out := post(tc.p, tc.ctype, tc.body)
			if w.Code != tc.status || errCode(out) != tc.code {
				t.Errorf("%s: %d %v, want %d %s", tc.name, w.Code, out, tc.status, tc.code)
			}
		}
		if w.Header().Get("Content-Type") != "application/json; charset=utf-8" {
			t.Errorf("content type %q", w.Header().Get("Content-Type"))
		}
		req := httptest.NewRequest(http.MethodGet, intake.EmailPath, nil)
		rec := httptest.NewRecorder()
		handler.ServeHTTP(rec, req)
		if rec.Code != http.StatusMethodNotAllowed || rec.Header().Get("Allow") != "POST" {
			t.Errorf("GET: %d %q", rec.Code, rec.Header().Get("Allow"))
		}
		if n := len(h.cases()); n != 1 {
			t.Errorf("%d cases", n)
		}
		if !strings.Contains(string(good), "Message-ID") {
			t.Fatal("fixture changed")
		}
	})
}
