package server

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/redress-project/redress/internal/access"
	"github.com/redress-project/redress/internal/complaint"
	"github.com/redress-project/redress/internal/obs"
	"github.com/redress-project/redress/internal/store/storetest"
)

func newTestServer(t *testing.T, backend string) (*Server, *bytes.Buffer) {
	t.Helper()
	var logs bytes.Buffer
	s, err := New(context.Background(), Config{
		DatabaseURL: storetest.URL(t, backend),
		Logger:      obs.NewLogger(&logs, slog.LevelInfo),
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s, &logs
}

func get(t *testing.T, h http.Handler, path string, header ...string) *httptest.ResponseRecorder {
	t.Helper()
	r := httptest.NewRequest("GET", path, nil)
	for i := 0; i+1 < len(header); i += 2 {
		r.Header.Set(header[i], header[i+1])
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

func TestOperationalEndpoints(t *testing.T) {
	for _, backend := range storetest.Backends {
		t.Run(backend, func(t *testing.T) {
			s, logs := newTestServer(t, backend)
			h := s.Handler()
			if w := get(t, h, "/healthz"); w.Code != 200 {
				t.Errorf("/healthz: %d", w.Code)
			}
			if w := get(t, h, "/readyz"); w.Code != 200 || !strings.Contains(w.Body.String(), "ready") {
				t.Errorf("/readyz: %d %s", w.Code, w.Body)
			}

			fileOne(t, s)
			get(t, h, "/api/v1/openapi.json")
			get(t, h, "/api/v1/complaints/CP-2026-AAAAAAAA") // 401: anonymous
			w := get(t, h, "/metrics")
			body := w.Body.String()
			for _, want := range []string{
				`redress_http_requests_total{code="200",method="GET",route="/api/v1/openapi.json"} 1`,
				`redress_http_requests_total{code="401",method="GET",route="/api/v1/complaints/{ref}"} 1`,
				`redress_http_request_duration_seconds_count{method="GET",route="/healthz"} 1`,
				`redress_cases{status="new"} 1`,
				`redress_cases{status="closed"} 0`,
			} {
				if !strings.Contains(body, want) {
					t.Errorf("/metrics lacks %q", want)
				}
			}
			if strings.Contains(body, "CP-2026-AAAAAAAA") {
				t.Error("metrics labels must not carry case references")
			}
			if !strings.Contains(logs.String(), `"msg":"request"`) || !strings.Contains(logs.String(), `"request_id"`) {
				t.Errorf("request logs lack request ids: %s", logs)
			}
		})
	}
}

func fileOne(t *testing.T, s *Server) *complaint.Case {
	t.Helper()
	p := access.Principal{UserID: 1, Name: "Wang", Role: complaint.RoleCustomer, CustomerID: "c-1"}
	c, _, err := s.Desk().File(context.Background(), p, complaint.Draft{Subject: "扣款成功但订单失败", Description: "支付了两次"}, "")
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestReadyzFailsWhenTheDatabaseIsGone(t *testing.T) {
	s, _ := newTestServer(t, "sqlite")
	s.Store().Close()
	if w := get(t, s.Handler(), "/readyz"); w.Code != http.StatusServiceUnavailable {
		t.Errorf("/readyz with a closed database: %d", w.Code)
	}
}

func TestRequestIDs(t *testing.T) {
	s, logs := newTestServer(t, "sqlite")
	w := get(t, s.Handler(), "/healthz", "X-Request-Id", "client-chosen-42")
	if got := w.Header().Get("X-Request-Id"); got != "client-chosen-42" {
		t.Errorf("a well-formed client id must be kept, got %q", got)
	}
	w = get(t, s.Handler(), "/healthz", "X-Request-Id", "bad id\twith tab")
	if got := w.Header().Get("X-Request-Id"); !obs.ValidRequestID(got) || strings.Contains(got, "bad") {
		t.Errorf("a malformed client id must be replaced, got %q", got)
	}
	if !strings.Contains(logs.String(), `"request_id":"client-chosen-42"`) {
		t.Errorf("log lines lack the request id: %s", logs)
	}
}

func TestPanicsBecome500(t *testing.T) {
	s, logs := newTestServer(t, "sqlite")
	h := s.recoverPanics(withRequestID(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic("boom") })))
	w := get(t, h, "/anything")
	if w.Code != 500 || !strings.Contains(logs.String(), "boom") {
		t.Errorf("panic: status %d, logs %s", w.Code, logs)
	}
}

// TestGracefulShutdown starts a real listener, begins a slow request, then
// ends the serve context: the in-flight request must complete, and new
// connections must be refused afterwards.
func TestGracefulShutdown(t *testing.T) {
	s, _ := newTestServer(t, "sqlite")
	started, release := make(chan struct{}), make(chan struct{})
	inner := s.handler
	s.handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/slow" {
			close(started)
			<-release
			io.WriteString(w, "finished")
			return
		}
		inner.ServeHTTP(w, r)
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- s.Serve(ctx, ln) }()

	base := "http://" + ln.Addr().String()
	result := make(chan string, 1)
	go func() {
		resp, err := http.Get(base + "/slow")
		if err != nil {
			result <- "error: " + err.Error()
			return
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		result <- string(b)
	}()
	<-started
	cancel()
	time.Sleep(100 * time.Millisecond) // let Shutdown close the listener
	close(release)
	if got := <-result; got != "finished" {
		t.Errorf("in-flight request during shutdown: %q", got)
	}
	if err := <-served; err != nil {
		t.Errorf("Serve: %v", err)
	}
	if _, err := http.Get(base + "/healthz"); err == nil {
		t.Error("the server still accepts connections after shutdown")
	}
	// The store is still usable until Close: nothing was half-written.
	if _, err := s.Store().CountCasesByStatus(context.Background()); err != nil {
		t.Errorf("store after shutdown: %v", err)
	}
}

func TestInboundEmailEndpoint(t *testing.T) {
	s, _ := newTestServer(t, "sqlite")
	ctx := context.Background()
	if _, err := s.Auth().CreateUser(ctx, access.User{Email: "gateway@example.com", Name: "Mail gateway", Role: complaint.RoleAgent, Team: "general"}, "a long gateway passphrase"); err != nil {
		t.Fatal(err)
	}
	token, err := s.Auth().IssueToken(ctx, "gateway@example.com", "mail")
	if err != nil {
		t.Fatal(err)
	}
	raw := "From: Wang Lei <wang.lei@example.com>\r\nTo: complaints@pay.example\r\nSubject: =?UTF-8?B?6YCA5qy+5rKh5pyJ5Yiw6LSm?=\r\n" +
		"Message-ID: <abc-1@example.com>\r\nDate: Mon, 2 Mar 2026 10:00:00 +0800\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" +
		"商家同意退款已经七天了，钱还没有退回我的余额。\r\n"
	post := func() *httptest.ResponseRecorder {
		r := httptest.NewRequest("POST", "/api/v1/intake/email", strings.NewReader(raw))
		r.Header.Set("Authorization", "Bearer "+token)
		r.Header.Set("Content-Type", "message/rfc822")
		w := httptest.NewRecorder()
		s.Handler().ServeHTTP(w, r)
		return w
	}
	if w := post(); w.Code != http.StatusCreated || !strings.Contains(w.Body.String(), `"created":true`) {
		t.Fatalf("first delivery: %d %s", w.Code, w.Body)
	}
	if w := post(); w.Code != http.StatusOK || !strings.Contains(w.Body.String(), `"duplicate":true`) {
		t.Errorf("redelivery must change nothing: %d %s", w.Code, w.Body)
	}
	counts, _ := s.Store().CountCasesByStatus(ctx)
	if counts[complaint.StatusNew] != 1 {
		t.Errorf("want one case, got %v", counts)
	}
	r := httptest.NewRequest("POST", "/api/v1/intake/email", strings.NewReader(raw))
	w := httptest.NewRecorder()
	s.Handler().ServeHTTP(w, r)
	if w.Code != http.StatusUnauthorized {
		t.Errorf("anonymous email intake: %d", w.Code)
	}
}

func TestWorkersAssessFiledComplaints(t *testing.T) {
	s, _ := newTestServer(t, "sqlite")
	ctx := context.Background()
	c := fileOne(t, s)
	if err := s.RunWorkersOnce(ctx); err != nil {
		t.Fatal(err)
	}
	got, err := s.Desk().Get(ctx, access.SystemPrincipal, c.Ref)
	if err != nil {
		t.Fatal(err)
	}
	if got.Assessment == nil || got.Assessment.Language != "zh-Hans" || len(got.Assessment.PriorityReasons) == 0 {
		t.Errorf("a filed complaint must be assessed by the workers: %+v", got.Assessment)
	}
	first, ok := got.DeadlineNamed("first_response")
	if !ok || first.State != complaint.DeadlineRunning || !first.Due.Equal(got.CreatedAt.Add(24*time.Hour)) {
		t.Errorf("a filed complaint is owed a first response within 24 hours: %+v (filed %v)", first, got.CreatedAt)
	}
}

func TestAvailabilityEndpointIsWired(t *testing.T) {
	s, _ := newTestServer(t, "sqlite")
	ctx := context.Background()
	u, err := s.Auth().CreateUser(ctx, access.User{Email: "ann@example.com", Name: "Ann", Role: complaint.RoleAgent, Team: "refunds"}, "a long agent passphrase")
	if err != nil {
		t.Fatal(err)
	}
	token, err := s.Auth().IssueToken(ctx, "ann@example.com", "cli")
	if err != nil {
		t.Fatal(err)
	}
	r := httptest.NewRequest("POST", "/api/v1/agents/"+strconv.FormatInt(u.ID, 10)+"/availability", strings.NewReader(`{"availability":"away"}`))
	r.Header.Set("Authorization", "Bearer "+token)
	r.Header.Set("Content-Type", "application/json")
	w := httptest.NewRecorder()
	s.Handler().ServeHTTP(w, r)
	if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), `"availability":"away"`) {
		t.Errorf("an agent going away: %d %s", w.Code, w.Body)
	}
}
