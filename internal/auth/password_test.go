package auth

import (
	"errors"
	"strings"
	"testing"

	"golang.org/x/crypto/argon2"
)

func TestHashVerifyRoundTrip(t *testing.T) {
	h, err := HashPassword("correct horse battery staple")
	if err != nil {
		t.Fatal(err)
	}
	if ok, err := VerifyPassword(h, "correct horse battery staple"); err != nil || !ok {
		t.Errorf("right password: got %v, %v; want true, nil", ok, err)
	}
	if ok, err := VerifyPassword(h, "correct horse battery stapl"); err != nil || ok {
		t.Errorf("wrong password: got %v, %v; want false, nil", ok, err)
	}
	h2, _ := HashPassword("correct horse battery staple")
	if h == h2 {
		t.Error("two hashes of one password are equal; the salt is not random")
	}
}

func TestHashEncodesParameters(t *testing.T) {
	h, err := HashPassword("correct horse battery staple")
	if err != nil {
		t.Fatal(err)
	}
	if want := "$argon2id$v=19$m=19456,t=2,p=1$"; !strings.HasPrefix(h, want) {
		t.Fatalf("hash %q does not start with %q", h, want)
	}
	p, err := decodePHC(h)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.salt) != 16 || len(p.key) != 32 {
		t.Errorf("salt %d bytes, key %d bytes; want 16 and 32", len(p.salt), len(p.key))
	}
}

// Verification must use the parameters recorded in the hash, so that they
// can be changed without locking out existing users.
func TestVerifyUsesParametersInHash(t *testing.T) {
	salt := []byte("0123456789abcdef")
	old := encodePHC(8192, 1, 2, salt, argon2.IDKey([]byte("an older password"), salt, 1, 8192, 2, 32))
	if ok, err := VerifyPassword(old, "an older password"); err != nil || !ok {
		t.Errorf("got %v, %v; want true, nil", ok, err)
	}
}

func TestVerifyMalformed(t *testing.T) {
	good, _ := HashPassword("correct horse battery staple")
	parts := strings.Split(good, "$") // "", argon2id, v=19, params, salt, key
	with := func(i int, v string) string {
		p := append([]string(nil), parts...)
		p[i] = v
		return strings.Join(p, "$")
	}
	for name, encoded := range map[string]string{
		"empty":          "",
		"plain text":     "correct horse battery staple",
		"bcrypt":         "$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy",
		"argon2i":        with(1, "argon2i"),
		"old version":    with(2, "v=16"),
		"no params":      with(3, ""),
		"missing p":      with(3, "m=19456,t=2"),
		"zero time":      with(3, "m=19456,t=0,p=1"),
		"huge memory":    with(3, "m=4194304,t=2,p=1"),
		"trailing junk":  with(3, "m=19456,t=2,p=1x"),
		"salt not b64":   with(4, "!!!"),
		"short salt":     with(4, "AAAA"),
		"key not b64":    with(5, "***"),
		"short key":      with(5, "AAAAAAAA"),
		"extra field":    good + "$x",
		"missing fields": strings.Join(parts[:4], "$"),
	} {
		if ok, err := VerifyPassword(encoded, "correct horse battery staple"); err == nil || ok {
			t.Errorf("%s: VerifyPassword(%q) = %v, %v; want an error", name, encoded, ok, err)
		}
	}
}

func TestDummyHashHasCurrentParameters(t *testing.T) {
	d, err := decodePHC(dummyHash)
	if err != nil {
		t.Fatal(err)
	}
	if d.memory != argonMemory || d.time != argonTime || d.threads != argonThreads || len(d.key) != argonKeyLen {
		t.Errorf("dummy hash %q does not use the current parameters, so unknown emails answer faster", dummyHash)
	}
}

func TestCheckPassword(t *testing.T) {
	if err := CheckPassword("123456789"); !errors.Is(err, ErrWeakPassword) {
		t.Errorf("9 characters: got %v, want ErrWeakPassword", err)
	}
	if err := CheckPassword("ünïcödé!!!"); err != nil { // 10 characters, more bytes
		t.Errorf("10 characters: %v", err)
	}
}
