package api

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/redress-project/redress/internal/complaint"
	"github.com/redress-project/redress/internal/route"
)

// doc is the OpenAPI document, parsed loosely.
type doc map[string]any

func loadDoc(t *testing.T) doc {
	t.Helper()
	var d doc
	dec := json.NewDecoder(bytes.NewReader(openAPIDocument))
	if err := dec.Decode(&d); err != nil {
		t.Fatalf("openapi.json is not JSON: %v", err)
	}
	return d
}

// get walks a path of keys through nested objects.
func get(v any, keys ...string) any {
	if d, ok := v.(doc); ok {
		v = map[string]any(d)
	}
	for _, k := range keys {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[k]
	}
	return v
}

func obj(v any) map[string]any { m, _ := v.(map[string]any); return m }

// resolve follows a local $ref.
func (d doc) resolve(t *testing.T, v any) map[string]any {
	t.Helper()
	m := obj(v)
	ref, ok := m["$ref"].(string)
	if !ok {
		return m
	}
	target := get(map[string]any(d), strings.Split(strings.TrimPrefix(ref, "#/"), "/")...)
	if target == nil {
		t.Fatalf("$ref %s does not resolve", ref)
	}
	return obj(target)
}

var methods = []string{"get", "put", "post", "delete", "options", "head", "patch", "trace"}

func TestOpenAPIMatchesRoutes(t *testing.T) {
	d := loadDoc(t)
	if v, _ := d["openapi"].(string); !strings.HasPrefix(v, "3.1.") {
		t.Fatalf("openapi %q, want 3.1.x", v)
	}
	if get(d, "servers") == nil || get(d, "servers").([]any)[0].(map[string]any)["url"] != Prefix {
		t.Fatalf("the server URL must be %s", Prefix)
	}
	paths := obj(d["paths"])
	routed := map[string]Route{}
	for _, r := range Routes() {
		key := strings.ToLower(r.Method) + " " + strings.TrimPrefix(r.Pattern, Prefix)
		if _, dup := routed[key]; dup {
			t.Errorf("route %s twice", r)
		}
		routed[key] = r
		op := obj(get(paths, strings.TrimPrefix(r.Pattern, Prefix), strings.ToLower(r.Method)))
		if op == nil {
			t.Errorf("route %s is not documented", r)
			continue
		}
		if op["operationId"] != r.OperationID {
			t.Errorf("route %s: operationId %v in the document, %s in the code", r, op["operationId"], r.OperationID)
		}
	}
	for p, item := range paths {
		for m := range obj(item) {
			if !slices.Contains(methods, m) {
				continue
			}
			if _, ok := routed[m+" "+p]; !ok {
				t.Errorf("documented operation %s %s is not routed", strings.ToUpper(m), p)
			}
		}
	}
}

// TestOpenAPIErrorResponses checks that every operation documents the
// errors it can answer with, each in the Error shape.
func TestOpenAPIErrorResponses(t *testing.T) {
	d := loadDoc(t)
	for _, e := range endpoints {
		op := obj(get(d, "paths", strings.TrimPrefix(e.Pattern, Prefix), strings.ToLower(e.Method)))
		responses := obj(op["responses"])
		want := []string{"500"}
		if !e.public {
			want = append(want, "401")
		}
		if strings.Contains(e.Pattern, "{ref}") {
			want = append(want, "404")
		}
		if e.Method == "POST" {
			want = append(want, "400", "403", "413", "415", "422")
		}
		if e.OperationID == "listComplaints" {
			want = append(want, "400")
		}
		success := false
		for status, resp := range responses {
			if strings.HasPrefix(status, "2") {
				success = true
				continue
			}
			schema := get(d.resolve(t, resp), "content", "application/json", "schema", "$ref")
			if schema != "#/components/schemas/ErrorResponse" {
				t.Errorf("%s: response %s is not an ErrorResponse", e.Route, status)
			}
		}
		if !success {
			t.Errorf("%s documents no success response", e.Route)
		}
		for _, status := range want {
			if responses[status] == nil {
				t.Errorf("%s does not document its %s response", e.Route, status)
			}
		}
		if strings.Contains(e.Pattern, "{ref}") {
			params := get(d, "paths", strings.TrimPrefix(e.Pattern, Prefix), "parameters")
			if params == nil || d.resolve(t, params.([]any)[0])["name"] != "ref" {
				t.Errorf("%s does not document the ref parameter", e.Route)
			}
		}
		if e.public && get(op, "security") == nil {
			t.Errorf("%s is public but the document does not say so (security: [])", e.Route)
		}
	}
}

// jsonNames lists the JSON member names of a struct type.
func jsonNames(t reflect.Type) []string {
	var names []string
	for f := range t.Fields() {
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" || !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}

// TestOpenAPISchemas checks that the schemas name exactly the members the
// code reads and writes, and the enums exactly the domain's values.
func TestOpenAPISchemas(t *testing.T) {
	d := loadDoc(t)
	schemas := obj(get(d, "components", "schemas"))
	for _, name := range []string{"Case", "Draft", "Event", "Error"} {
		if schemas[name] == nil {
			t.Errorf("no %s schema", name)
		}
	}
	types := map[string]any{
		// requests
		"Draft": complaint.Draft{}, "Customer": complaint.Customer{}, "Transaction": complaint.Transaction{},
		"Money": complaint.Money{}, "Attachment": complaint.Attachment{},
		"MessageRequest": messageRequest{}, "TransitionRequest": transitionRequest{}, "StageRequest": stageRequest{},
		"AssignmentRequest": assignmentRequest{}, "ClassificationRequest": classificationRequest{},
		// responses
		"Case": CaseView{}, "CustomerView": CustomerView{}, "TransactionView": TransactionView{}, "MoneyView": MoneyView{},
		"Event": EventView{}, "Actor": ActorView{}, "Timeline": TimelineView{}, "Change": ChangeView{},
		"CaseList": CaseList{}, "Principal": PrincipalView{}, "Error": Error{}, "ErrorResponse": errorBody{},
		"Assessment": AssessmentView{}, "Reason": ReasonView{},
		"AvailabilityRequest": availabilityRequest{}, "AvailabilityChange": AvailabilityView{}, "Move": MoveView{},
		"ProfileRequest": profileRequest{}, "Profile": ProfileView{}, "ProfileChange": ProfileChangeView{},
	}
	for name, v := range types {
		s := obj(schemas[name])
		if s == nil {
			t.Errorf("no schema %s", name)
			continue
		}
		var documented []string
		for p := range obj(s["properties"]) {
			documented = append(documented, p)
		}
		sort.Strings(documented)
		if code := jsonNames(reflect.TypeOf(v)); !slices.Equal(documented, code) {
			t.Errorf("schema %s has %v; the code has %v", name, documented, code)
		}
		if s["additionalProperties"] != false {
			t.Errorf("schema %s should say additionalProperties: false", name)
		}
		required, _ := s["required"].([]any)
		for _, req := range required {
			if obj(s["properties"])[req.(string)] == nil {
				t.Errorf("schema %s requires %v, which it does not have", name, req)
			}
		}
	}
	enums := map[string][]string{
		"Status": strs(complaint.Statuses), "Stage": strs(complaint.Stages), "Channel": strs(complaint.Channels),
		"Severity": strs(complaint.Severities), "Priority": strs(complaint.Priorities),
		"Role":         append(strs(complaint.Roles), string(complaint.RoleSystem)),
		"Visibility":   {string(complaint.Public), string(complaint.Internal)},
		"Availability": strs([]route.Availability{route.Online, route.Away, route.OffShift}),
	}
	for name, want := range enums {
		var got []string
		for _, v := range obj(schemas[name])["enum"].([]any) {
			got = append(got, v.(string))
		}
		if !slices.Equal(got, want) {
			t.Errorf("enum %s is %v in the document, %v in the code", name, got, want)
		}
	}
	// The list's query parameters are the ones the code reads, and its sorts.
	var params []string
	for _, p := range get(d, "paths", "/complaints", "get", "parameters").([]any) {
		params = append(params, d.resolve(t, p)["name"].(string))
	}
	if !slices.Equal(params, listParams) {
		t.Errorf("list parameters %v in the document, %v in the code", params, listParams)
	}
}

func strs[T ~string](vs []T) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = string(v)
	}
	return out
}

// TestOpenAPIRefsResolve checks every $ref in the document points somewhere.
func TestOpenAPIRefsResolve(t *testing.T) {
	d := loadDoc(t)
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			if _, ok := v["$ref"]; ok {
				d.resolve(t, v)
			}
			for _, x := range v {
				walk(x)
			}
		case []any:
			for _, x := range v {
				walk(x)
			}
		}
	}
	walk(map[string]any(d))
}

// TestOpenAPIErrorCodes checks the description's table lists every code
// the API and the domain send.
func TestOpenAPIErrorCodes(t *testing.T) {
	desc, _ := get(loadDoc(t), "info", "description").(string)
	for _, code := range []string{
		CodeMalformedJSON, CodeInvalidUTF8, CodeInvalidType, CodeUnknownField, CodeDuplicateField,
		CodeInvalidParameter, CodeBadCursor, CodeUnauthenticated, "invalid_token", CodeForbidden, CodeCSRFFailed,
		CodeNotFound, CodeMethodNotAllowed, CodeBodyTooLarge, CodeUnsupportedMedia, CodeIdempotencyKeyReused,
		CodeInternal, CodeUnavailable,
		complaint.CodeInvalid, complaint.CodeRequired, complaint.CodeTooLong, complaint.CodeInvalidAmount,
		complaint.CodeUnknownCurrency, complaint.CodeIllegalTransition, complaint.CodeReopenWindowPassed,
		complaint.CodeStageBackwards, complaint.CodeNoChange, complaint.CodeConflict,
	} {
		if !strings.Contains(desc, "`"+code+"`") {
			t.Errorf("the error table does not list %s", code)
		}
	}
}

func TestOpenAPIServed(t *testing.T) {
	h := New(nil, Options{})
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/api/v1/openapi.json", nil))
	if rec.Code != http.StatusOK || !bytes.Equal(rec.Body.Bytes(), openAPIDocument) || !bytes.Equal(OpenAPI(), openAPIDocument) {
		t.Fatalf("GET /api/v1/openapi.json: %d", rec.Code)
	}
	if ct := rec.Header().Get("Content-Type"); ct != "application/json; charset=utf-8" {
		t.Errorf("Content-Type %q", ct)
	}
}
