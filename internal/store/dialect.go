package store

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// dialect holds everything that differs between SQLite and PostgreSQL. The
// queries are shared; they are written with ? placeholders.
type dialect struct {
	name string
	// numbered placeholders ($1, $2, …) instead of ?.
	numbered bool
	// ilike is the case-insensitive LIKE operator.
	ilike string
	// skipLocked ends a SELECT that picks rows to claim, so that nodes
	// claiming at the same time take different rows. SQLite needs none:
	// its writes are serialised.
	skipLocked string
	// micros stores instants as INTEGER microseconds since the epoch
	// (SQLite STRICT tables have no time type) instead of TIMESTAMPTZ.
	micros bool
}

var (
	sqliteDialect   = &dialect{name: "sqlite", ilike: "LIKE", micros: true}
	postgresDialect = &dialect{name: "postgres", numbered: true, ilike: "ILIKE", skipLocked: " FOR UPDATE SKIP LOCKED"}
)

// ts is the query argument for a NOT NULL instant.
func (d *dialect) ts(t time.Time) any {
	if d.micros {
		return t.UnixMicro()
	}
	return t.UTC()
}

// nullTS is the query argument for an instant that is NULL when zero.
func (d *dialect) nullTS(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return d.ts(t)
}

// placeholder is the nth (1-based) query parameter.
func (d *dialect) placeholder(n int) string {
	if d.numbered {
		return "$" + strconv.Itoa(n)
	}
	return "?"
}

// rebind turns the ? placeholders of q into the dialect's; a ? inside a
// quoted string or identifier stays as it is.
func (d *dialect) rebind(q string) string {
	if !d.numbered {
		return q
	}
	var b strings.Builder
	b.Grow(len(q) + 16)
	n := 0
	var quote byte
	for i := 0; i < len(q); i++ {
		c := q[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '\'' || c == '"':
			quote = c
		case c == '?':
			n++
			b.WriteString(d.placeholder(n))
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

// q returns query in the store's dialect, rebinding each query once.
func (s *Store) q(query string) string {
	if !s.d.numbered {
		return query
	}
	if v, ok := s.rebound.Load(query); ok {
		return v.(string)
	}
	r := s.d.rebind(query)
	s.rebound.Store(query, r)
	return r
}

// instant scans a time column of either dialect into a UTC time.Time; NULL
// becomes the zero time.
type instant struct{ t *time.Time }

func (i instant) Scan(v any) error {
	switch x := v.(type) {
	case nil:
		*i.t = time.Time{}
	case int64:
		*i.t = time.UnixMicro(x).UTC()
	case time.Time:
		*i.t = x.UTC()
	default:
		return fmt.Errorf("store: cannot scan %T into a time", v)
	}
	return nil
}

// builder assembles a query with a variable shape, numbering placeholders as
// it goes.
type builder struct {
	d    *dialect
	sb   strings.Builder
	args []any
}

// arg records v and returns its placeholder.
func (b *builder) arg(v any) string {
	b.args = append(b.args, v)
	return b.d.placeholder(len(b.args))
}

// list records vs and returns their placeholders separated by commas.
func (b *builder) list(vs ...any) string {
	ph := make([]string, len(vs))
	for i, v := range vs {
		ph[i] = b.arg(v)
	}
	return strings.Join(ph, ", ")
}

func (b *builder) write(parts ...string) {
	for _, p := range parts {
		b.sb.WriteString(p)
	}
}

func (b *builder) String() string { return b.sb.String() }

// anys converts a slice of string-like values to query arguments.
func anys[T ~string](vs []T) []any {
	out := make([]any, len(vs))
	for i, v := range vs {
		out[i] = string(v)
	}
	return out
}
