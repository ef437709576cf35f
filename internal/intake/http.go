package intake

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"strconv"
	"time"

	"github.com/redress-project/redress/internal/access"
	"github.com/redress-project/redress/internal/auth"
	"github.com/redress-project/redress/internal/complaint"
	"github.com/redress-project/redress/internal/intake/email"
)

// EmailPath is where the lead mounts the inbound email handler.
const EmailPath = "/api/v1/intake/email"

// HandlerOptions configure the inbound email handler.
type HandlerOptions struct {
	// MaxBytes bounds a message; 0 means 25 MiB.
	MaxBytes int64
	// Logger receives server faults; nil means slog.Default().
	Logger *slog.Logger
}

// EmailHandler takes in emails that a mail gateway posts, one raw RFC 5322
// message per request (Content-Type message/rfc822). It must be mounted
// behind auth.Authenticator.Middleware: the caller is a staff account (an
// agent or supervisor: the gateway's API token). The answer is 201 with
// {"case_ref", "created", …} for a new case, 200 for a repeat or a message
// taken in before, and the API's error shape otherwise:
//
//	400 malformed_email, invalid_charset (the message cannot be read)
//	401 unauthenticated, 403 forbidden or csrf_failed
//	413 body_too_large, 415 unsupported_media_type
//	422 required (no From), or a complaint field that is not acceptable
//	503 unavailable (the same message is being handled; retry after Retry-After)
func EmailHandler(svc *Service, opts HandlerOptions) http.Handler {
	if opts.MaxBytes <= 0 {
		opts.MaxBytes = 25 << 20
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	return &emailHandler{svc: svc, opts: opts}
}

type emailHandler struct {
	svc  *Service
	opts HandlerOptions
}

// apiError is the API's error shape: {"error": {"code", "message", "field"}}.
type apiError struct {
	status  int
	Code    string `json:"code"`
	Message string `json:"message"`
	Field   string `json:"field,omitempty"`
}

func (h *emailHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	defer func() {
		if v := recover(); v != nil {
			if v == http.ErrAbortHandler {
				panic(v)
			}
			h.opts.Logger.ErrorContext(r.Context(), "intake: panic", "path", r.URL.Path, "panic", v)
			writeError(w, &apiError{status: http.StatusInternalServerError, Code: "internal", Message: "something went wrong on our side; it has been logged"})
		}
	}()
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		writeError(w, &apiError{status: http.StatusMethodNotAllowed, Code: "method_not_allowed", Message: r.Method + " is not allowed here; allowed: POST"})
		return
	}
	p, ok := auth.PrincipalFrom(r.Context())
	if !ok {
		w.Header().Set("WWW-Authenticate", `Bearer realm="redress"`)
		writeError(w, &apiError{status: http.StatusUnauthorized, Code: "unauthenticated", Message: "send an Authorization: Bearer token of the mail gateway's account"})
		return
	}
	if err := access.Authorize(p, access.FileComplaint, nil); err != nil || !p.Role.Staff() {
		writeError(w, &apiError{status: http.StatusForbidden, Code: "forbidden", Message: "only staff accounts may post inbound email"})
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, h.opts.MaxBytes)
	if err := auth.CheckCSRF(r); err != nil {
		writeError(w, &apiError{status: http.StatusForbidden, Code: "csrf_failed", Message: "missing or wrong X-CSRF-Token header for a signed-in browser session"})
		return
	}
	if media, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil ||
		media != "message/rfc822" && media != "text/plain" && media != "application/octet-stream" {
		writeError(w, &apiError{status: http.StatusUnsupportedMediaType, Code: "unsupported_media_type",
			Message: "post the raw message with Content-Type: message/rfc822"})
		return
	}
	raw, err := io.ReadAll(r.Body)
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		writeError(w, &apiError{status: http.StatusRequestEntityTooLarge, Code: "body_too_large",
			Message: fmt.Sprintf("the message must be at most %d bytes", tooBig.Limit)})
		return
	case err != nil:
		writeError(w, &apiError{status: http.StatusBadRequest, Code: "malformed_email", Message: "the request body could not be read"})
		return
	}
	m, err := FromEmail(raw, h.svc.now())
	if err == nil {
		var res Result
		if res, err = h.svc.Submit(r.Context(), m); err == nil {
			status := http.StatusOK
			if res.Created {
				status = http.StatusCreated
			}
			writeJSON(w, status, res)
			return
		}
	}
	h.fail(w, r, err)
}

func (h *emailHandler) fail(w http.ResponseWriter, r *http.Request, err error) {
	var (
		em      *email.Error
		invalid *complaint.ValidationError
		busy    *ErrBusy
	)
	switch {
	case errors.As(err, &em):
		status := http.StatusBadRequest
		switch em.Code {
		case email.CodeRequired:
			status = http.StatusUnprocessableEntity
		case email.CodeTooLarge:
			status = http.StatusRequestEntityTooLarge
			em = &email.Error{Code: "body_too_large", Message: em.Message}
		}
		writeError(w, &apiError{status: status, Code: em.Code, Field: em.Field, Message: em.Message})
	case errors.As(err, &invalid):
		writeError(w, &apiError{status: http.StatusUnprocessableEntity, Code: invalid.Code, Field: invalid.Field, Message: invalid.Message})
	case errors.As(err, &busy):
		secs := max(1, int(time.Until(busy.Until).Seconds()+1))
		w.Header().Set("Retry-After", strconv.Itoa(secs))
		writeError(w, &apiError{status: http.StatusServiceUnavailable, Code: "unavailable", Message: "the same message is being handled right now; try again shortly"})
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		writeError(w, &apiError{status: http.StatusServiceUnavailable, Code: "unavailable", Message: "the request was cancelled or took too long; try again"})
	default:
		h.opts.Logger.ErrorContext(r.Context(), "intake: inbound email failed", "err", err)
		writeError(w, &apiError{status: http.StatusInternalServerError, Code: "internal", Message: "something went wrong on our side; it has been logged"})
	}
}

func writeError(w http.ResponseWriter, e *apiError) {
	writeJSON(w, e.status, struct {
		Error *apiError `json:"error"`
	}{e})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
