package auth

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"strings"
	"testing"
)

func TestNewToken(t *testing.T) {
	plain, hash := NewToken()
	rest, ok := strings.CutPrefix(plain, "rdt_")
	if !ok {
		t.Fatalf("token %q lacks the rdt_ prefix", plain)
	}
	if raw, err := base64.RawURLEncoding.DecodeString(rest); err != nil || len(raw) != 32 {
		t.Errorf("token body %q: %d bytes, %v; want 32 bytes of base64url", rest, len(raw), err)
	}
	if sum := sha256.Sum256([]byte(plain)); !bytes.Equal(hash, sum[:]) || !bytes.Equal(HashToken(plain), hash) {
		t.Error("hash is not SHA-256 of the token")
	}
	if !plausibleToken(plain) {
		t.Error("plausibleToken rejects a new token")
	}
	if other, _ := NewToken(); other == plain {
		t.Error("two tokens are equal")
	}
}
