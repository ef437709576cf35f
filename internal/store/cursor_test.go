package store

import (
	"testing"
)

func TestCursorRoundTrip(t *testing.T) {
	for _, c := range []cursor{
		{sort: 1, keys: []int64{1772442000123456, 42}},
		{sort: 5, keys: []int64{4, -1, 1 << 62}},
		{sort: 2, keys: []int64{0, 0}},
	} {
		s := encodeCursor(c)
		got, err := decodeCursor(s)
		if err != nil || got.sort != c.sort || len(got.keys) != len(c.keys) {
			t.Fatalf("decode(encode(%v)) = %v, %v", c, got, err)
		}
		for i := range c.keys {
			if got.keys[i] != c.keys[i] {
				t.Fatalf("decode(encode(%v)) = %v", c, got)
			}
		}
	}
}

func FuzzDecodeCursor(f *testing.F) {
	f.Add(encodeCursor(cursor{sort: 1, keys: []int64{1772442000123456, 42}}))
	f.Add(encodeCursor(cursor{sort: 5, keys: []int64{1, 2, 3}}))
	f.Add("")
	f.Add("AQ")
	f.Add("AQEA")
	f.Add("////////////////")
	f.Fuzz(func(t *testing.T, s string) {
		c, err := decodeCursor(s)
		if err != nil {
			if err != ErrBadCursor {
				t.Fatalf("error %v, want ErrBadCursor", err)
			}
			return
		}
		spec := sortByCode(c.sort)
		if spec == nil || len(c.keys) != len(spec.keys) {
			t.Fatalf("accepted a cursor of unknown shape: %+v", c)
		}
		if again := encodeCursor(c); again != s {
			t.Fatalf("accepted a non-canonical cursor %q (canonical %q)", s, again)
		}
	})
}

func TestRebind(t *testing.T) {
	got := postgresDialect.rebind(`SELECT '?', "a?" FROM t WHERE a = ? AND b LIKE '%?' ESCAPE '\' AND c IN (?, ?)`)
	want := `SELECT '?', "a?" FROM t WHERE a = $1 AND b LIKE '%?' ESCAPE '\' AND c IN ($2, $3)`
	if got != want {
		t.Fatalf("got  %s\nwant %s", got, want)
	}
}
