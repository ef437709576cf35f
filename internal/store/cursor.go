package store

import (
	"encoding/base64"
	"encoding/binary"
)

// A cursor is where a listing page ended: the sort it belongs to and the
// sort key of the last case shown. It travels as unpadded base64url of
// version byte, sort code, and one signed varint per key column. Cursors
// come from outside: decodeCursor accepts only the canonical encoding.
type cursor struct {
	sort byte
	keys []int64
}

const (
	cursorVersion = 1
	maxCursorLen  = 64
)

var cursorEncoding = base64.RawURLEncoding.Strict()

func encodeCursor(c cursor) string {
	b := []byte{cursorVersion, c.sort}
	for _, k := range c.keys {
		b = binary.AppendVarint(b, k)
	}
	return cursorEncoding.EncodeToString(b)
}

// decodeCursor parses a cursor of any known sort; the caller checks it is
// the sort asked for.
func decodeCursor(s string) (cursor, error) {
	if len(s) > maxCursorLen {
		return cursor{}, ErrBadCursor
	}
	b, err := cursorEncoding.DecodeString(s)
	if err != nil || len(b) < 2 || b[0] != cursorVersion {
		return cursor{}, ErrBadCursor
	}
	spec := sortByCode(b[1])
	if spec == nil {
		return cursor{}, ErrBadCursor
	}
	c := cursor{sort: b[1], keys: make([]int64, len(spec.keys))}
	rest := b[2:]
	for i := range c.keys {
		v, n := binary.Varint(rest)
		if n <= 0 {
			return cursor{}, ErrBadCursor
		}
		c.keys[i], rest = v, rest[n:]
	}
	if len(rest) != 0 || encodeCursor(c) != s {
		return cursor{}, ErrBadCursor
	}
	return c, nil
}
