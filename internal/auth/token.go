package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"strings"
)

// TokenPrefix starts every API token, so that leaked tokens are easy to
// recognise (for secret scanners, too).
const TokenPrefix = "rdt_"

// NewToken returns a new API token and the hash to store for it. Only the
// hash is kept; the plain token is shown to its owner once.
func NewToken() (plain string, hash []byte) {
	plain = TokenPrefix + randomString()
	return plain, HashToken(plain)
}

// HashToken returns the SHA-256 of a token (or session id). A fast hash is
// right for these: they carry 256 random bits, so there is nothing to
// brute-force, and checking one costs a hash and one indexed lookup.
func HashToken(plain string) []byte {
	sum := sha256.Sum256([]byte(plain))
	return sum[:]
}

// randomString returns 32 random bytes in unpadded base64url.
func randomString() string {
	b := make([]byte, 32)
	rand.Read(b) // never fails; crypto/rand crashes the program rather than return an error
	return base64.RawURLEncoding.EncodeToString(b)
}

// plausibleToken reports whether s looks like a token NewToken made, so that
// garbage is turned away without a database lookup.
func plausibleToken(s string) bool {
	rest, ok := strings.CutPrefix(s, TokenPrefix)
	if !ok || len(rest) != 43 {
		return false
	}
	_, err := base64.RawURLEncoding.DecodeString(rest)
	return err == nil
}
