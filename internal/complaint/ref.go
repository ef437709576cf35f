package complaint

import (
	"crypto/rand"
	"fmt"
	"strings"
	"time"
)

// refAlphabet is Crockford's base32: no I, L, O or U, so a reference read
// over the phone is not misheard.
const refAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

// NewRef returns an unguessable public reference such as CP-2026-7K3M9Q2X:
// the year the case was opened and 40 random bits.
func NewRef(now time.Time) string {
	var b [8]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic("complaint: no randomness: " + err.Error())
	}
	var sb strings.Builder
	fmt.Fprintf(&sb, "CP-%04d-", now.UTC().Year())
	for _, x := range b {
		sb.WriteByte(refAlphabet[x&31])
	}
	return sb.String()
}

// ValidRef reports whether s has the shape of a case reference, so that
// malformed input is refused before any lookup.
func ValidRef(s string) bool {
	if len(s) != 16 || !strings.HasPrefix(s, "CP-") || s[7] != '-' {
		return false
	}
	for _, r := range s[3:7] {
		if r < '0' || r > '9' {
			return false
		}
	}
	for _, r := range s[8:] {
		if !strings.ContainsRune(refAlphabet, r) {
			return false
		}
	}
	return true
}
