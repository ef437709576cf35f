package auth

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"
)

// Argon2id parameters for new hashes: the OWASP Password Storage Cheat
// Sheet's recommendation (19 MiB, 2 passes, 1 lane). Each hash records its
// own parameters, so they can be raised later without breaking old hashes.
const (
	argonMemory  = 19 * 1024 // KiB
	argonTime    = 2
	argonThreads = 1
	argonSaltLen = 16
	argonKeyLen  = 32
)

// MinPasswordLength is the shortest password CreateUser accepts.
const MinPasswordLength = 10

// ErrWeakPassword is returned for a password that is too short.
var ErrWeakPassword = errors.New("password is too weak")

// CheckPassword reports whether password is acceptable for a new account,
// returning an error wrapping ErrWeakPassword if not.
func CheckPassword(password string) error {
	if utf8.RuneCountInString(password) < MinPasswordLength {
		return fmt.Errorf("%w: it must be at least %d characters long", ErrWeakPassword, MinPasswordLength)
	}
	return nil
}

var b64 = base64.RawStdEncoding // the PHC string format's base64: standard alphabet, no padding

// HashPassword hashes password with argon2id and a random salt, returning a
// PHC string: $argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>.
func HashPassword(password string) (string, error) {
	salt := make([]byte, argonSaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key := argon2.IDKey([]byte(password), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	return encodePHC(argonMemory, argonTime, argonThreads, salt, key), nil
}

func encodePHC(m, t uint32, p uint8, salt, key []byte) string {
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, m, t, p, b64.EncodeToString(salt), b64.EncodeToString(key))
}

// VerifyPassword reports whether password matches the PHC string encoded,
// comparing in constant time. A malformed or unsupported encoded string is
// an error.
func VerifyPassword(encoded, password string) (bool, error) {
	h, err := decodePHC(encoded)
	if err != nil {
		return false, err
	}
	key := argon2.IDKey([]byte(password), h.salt, h.time, h.memory, h.threads, uint32(len(h.key)))
	return subtle.ConstantTimeCompare(key, h.key) == 1, nil
}

type phc struct {
	memory, time uint32
	threads      uint8
	salt, key    []byte
}

// Bounds on the parameters VerifyPassword accepts, so that a corrupt or
// planted hash cannot make one login allocate gigabytes or run for minutes.
const (
	maxMemory = 1 << 20 // KiB (1 GiB)
	maxTime   = 100
)

func decodePHC(s string) (phc, error) {
	var h phc
	// "", "argon2id", "v=19", "m=..,t=..,p=..", salt, key
	parts := strings.Split(s, "$")
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" {
		return h, errors.New("auth: malformed password hash: not an argon2id PHC string")
	}
	if parts[2] != fmt.Sprintf("v=%d", argon2.Version) {
		return h, fmt.Errorf("auth: malformed password hash: unsupported version %q", parts[2])
	}
	var rest string
	n, _ := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d%s", &h.memory, &h.time, &h.threads, &rest)
	if n != 3 || h.memory < 8*uint32(max(h.threads, 1)) || h.memory > maxMemory || h.time < 1 || h.time > maxTime || h.threads < 1 {
		return h, fmt.Errorf("auth: malformed password hash: bad parameters %q", parts[3])
	}
	var err error
	if h.salt, err = b64.DecodeString(parts[4]); err != nil || len(h.salt) < 8 {
		return h, errors.New("auth: malformed password hash: bad salt")
	}
	if h.key, err = b64.DecodeString(parts[5]); err != nil || len(h.key) < 16 || len(h.key) > 64 {
		return h, errors.New("auth: malformed password hash: bad hash")
	}
	return h, nil
}

// dummyHash is verified against when a login names an unknown email, so
// that the answer takes as long as for a wrong password and does not reveal
// which emails have accounts. Its key matches no password; the cost of
// verifying depends only on the parameters, which are the current ones.
var dummyHash = encodePHC(argonMemory, argonTime, argonThreads, make([]byte, argonSaltLen), make([]byte, argonKeyLen))
