package sentiment

import (
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

type kind uint8

const (
	neutral kind = iota
	negator
	intensifier
	positive
	negative
	anger
	distress
	selfHarm
	escalation
)

type group struct {
	kind   kind
	weight float64
	target Target
	terms  string
}

// entry is one term of the lexicon.
type entry struct {
	term   string
	runes  []rune
	kind   kind
	weight float64
	target Target
	// word terms (ASCII letters or digits at an end) must not be glued to
	// more ASCII letters or digits on that side; prefix terms ("refus*")
	// may continue into the rest of a word.
	wordStart, wordEnd, prefix bool
}

type match struct {
	e          *entry
	start, end int // rune indexes
}

// index maps a first rune to the entries starting with it, longest first.
var index = buildIndex(lexicon)

func buildIndex(groups []group) map[rune][]*entry {
	idx := map[rune][]*entry{}
	seen := map[string]bool{}
	for _, g := range groups {
		for _, t := range strings.Split(g.terms, "|") {
			e := &entry{kind: g.kind, weight: g.weight, target: g.target}
			e.prefix = strings.HasSuffix(t, "*")
			e.term = strings.TrimSuffix(t, "*")
			if e.term == "" || seen[e.term] {
				panic(fmt.Sprintf("sentiment: empty or repeated lexicon term %q", t))
			}
			seen[e.term] = true
			e.runes = []rune(e.term)
			e.wordStart = isWordRune(e.runes[0])
			e.wordEnd = isWordRune(e.runes[len(e.runes)-1])
			idx[e.runes[0]] = append(idx[e.runes[0]], e)
		}
	}
	for _, es := range idx {
		slices.SortStableFunc(es, func(a, b *entry) int { return len(b.runes) - len(a.runes) })
	}
	return idx
}

// isWordRune reports ASCII letters, digits and the apostrophe of "don't".
func isWordRune(r rune) bool {
	return r < utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r) || r == '\'')
}

// scan finds lexicon terms in norm, leftmost and then longest first,
// without overlaps.
func scan(norm []rune) []match {
	var out []match
	for i := 0; i < len(norm); {
		m, ok := matchAt(norm, i)
		if !ok {
			i++
			continue
		}
		out = append(out, m)
		i = m.end
	}
	return out
}

func matchAt(norm []rune, i int) (match, bool) {
	for _, e := range index[norm[i]] {
		end := i + len(e.runes)
		if end > len(norm) || !slices.Equal(norm[i:end], e.runes) {
			continue
		}
		if e.wordStart && i > 0 && isWordRune(norm[i-1]) {
			continue
		}
		if e.prefix {
			for end < len(norm) && isWordRune(norm[end]) {
				end++
			}
		} else if e.wordEnd && end < len(norm) && isWordRune(norm[end]) {
			continue
		}
		return match{e: e, start: i, end: end}, true
	}
	return match{}, false
}
