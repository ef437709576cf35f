package obs

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"testing"
)

func TestLoggerAddsRequestID(t *testing.T) {
	var buf bytes.Buffer
	log := NewLogger(&buf, slog.LevelInfo).With("component", "test")
	log.InfoContext(WithRequestID(context.Background(), "abc-123"), "hello", "n", 1)
	log.InfoContext(context.Background(), "no id")

	lines := bytes.Split(bytes.TrimSpace(buf.Bytes()), []byte("\n"))
	if len(lines) != 2 {
		t.Fatalf("want 2 log lines, got %d: %s", len(lines), buf.String())
	}
	var first, second map[string]any
	if err := json.Unmarshal(lines[0], &first); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(lines[1], &second); err != nil {
		t.Fatal(err)
	}
	if first["request_id"] != "abc-123" || first["component"] != "test" || first["msg"] != "hello" {
		t.Errorf("first line = %v", first)
	}
	if _, ok := second["request_id"]; ok {
		t.Errorf("a line without a request id in its context must not carry one: %v", second)
	}
}

func TestValidRequestID(t *testing.T) {
	for id, want := range map[string]bool{
		"abc-DEF_123": true, "": false, "has space": false, "new\nline": false,
		string(bytes.Repeat([]byte("a"), 64)): true, string(bytes.Repeat([]byte("a"), 65)): false,
	} {
		if got := ValidRequestID(id); got != want {
			t.Errorf("ValidRequestID(%q) = %v, want %v", id, got, want)
		}
	}
	if a, b := NewRequestID(), NewRequestID(); a == b || !ValidRequestID(a) {
		t.Errorf("NewRequestID gave %q and %q", a, b)
	}
}
