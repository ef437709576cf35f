// Package lang tells which language a complaint is written in: Simplified
// Chinese, Traditional Chinese, English, or something else.
//
// Chinese script is decided by counting characters that only one of the
// two scripts uses (这/這, 钱/錢, 还/還 …; see script_table.go); characters
// both scripts share (款, 我) say nothing. Mixed text goes to the script
// that makes up most of it.
package lang

//go:generate go run gen_script_table.go

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Tag is a language, as a BCP 47 tag, or "other".
type Tag string

// The languages Detect tells apart.
const (
	Simplified  Tag = "zh-Hans"
	Traditional Tag = "zh-Hant"
	English     Tag = "en"
	Other       Tag = "other"
)

// IsChinese reports whether t is either Chinese script.
func (t Tag) IsChinese() bool { return t == Simplified || t == Traditional }

var (
	simplifiedSet = runeSet(simplifiedOnly)
	toSimplified  = runeMap(traditionalOnly, traditionalAsSimplified)
	// toSimplifiedBMP mirrors toSimplified for the CJK Unified Ideographs
	// block as a flat table: SimplifiedRune runs for every character the
	// classifier sees, and a slice index is several times faster than a map.
	toSimplifiedBMP = flatten(toSimplified)
)

const cjkFirst, cjkLast = 0x4E00, 0x9FFF

func flatten(m map[rune]rune) []rune {
	t := make([]rune, cjkLast-cjkFirst+1)
	for from, to := range m {
		if from >= cjkFirst && from <= cjkLast {
			t[from-cjkFirst] = to
		}
	}
	return t
}

func runeSet(s string) map[rune]bool {
	m := make(map[rune]bool, utf8.RuneCountInString(s))
	for _, r := range s {
		m[r] = true
	}
	return m
}

func runeMap(from, to string) map[rune]rune {
	f, t := []rune(from), []rune(to)
	if len(f) != len(t) {
		panic("lang: script tables are not aligned")
	}
	m := make(map[rune]rune, len(f))
	for i := range f {
		m[f[i]] = t[i]
	}
	return m
}

// IsSimplifiedOnly reports whether r is a Chinese character used in
// Simplified but not in Traditional writing (这, 钱).
func IsSimplifiedOnly(r rune) bool { return simplifiedSet[r] }

// IsTraditionalOnly reports whether r is a Chinese character used in
// Traditional but not in Simplified writing (這, 錢).
func IsTraditionalOnly(r rune) bool { _, ok := toSimplified[r]; return ok }

// SimplifiedRune returns the Simplified form of a Traditional-only
// character, and any other rune unchanged.
func SimplifiedRune(r rune) rune {
	switch {
	case r >= cjkFirst && r <= cjkLast:
		if s := toSimplifiedBMP[r-cjkFirst]; s != 0 {
			return s
		}
		return r
	case r < 0x3400: // below every CJK ideograph
		return r
	}
	if s, ok := toSimplified[r]; ok {
		return s
	}
	return r
}

// ToSimplified replaces the Traditional-only characters of s with their
// Simplified forms, character by character. Characters whose mapping
// depends on the word (乾 is 干 or stays 乾) are left alone, so the result
// is good for matching keywords, not for display.
func ToSimplified(s string) string {
	i := strings.IndexFunc(s, IsTraditionalOnly)
	if i < 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	b.WriteString(s[:i])
	for _, r := range s[i:] {
		if sr, ok := toSimplified[r]; ok {
			r = sr
		}
		b.WriteRune(r)
	}
	return b.String()
}

// Counts are the script statistics Detect decides from.
type Counts struct {
	Han, SimplifiedOnly, TraditionalOnly int
	Kana, Hangul                         int
	Latin, OtherLetters                  int // letters
	LatinWords                           int
	// FunctionWords counts Latin-script words found in the small
	// function-word lists of English and a few other European languages.
	FunctionWords map[string]int
}

// Count gathers script statistics for s.
func Count(s string) Counts {
	c := Counts{FunctionWords: map[string]int{}}
	word := make([]rune, 0, 16)
	endWord := func() {
		if len(word) == 0 {
			return
		}
		c.LatinWords++
		w := strings.ToLower(strings.TrimRight(string(word), "'"))
		for lang, set := range functionWords {
			if set[w] {
				c.FunctionWords[lang]++
			}
		}
		word = word[:0]
	}
	for _, r := range s {
		switch {
		case unicode.Is(unicode.Latin, r):
			c.Latin++
			word = append(word, r)
			continue
		case unicode.Is(unicode.Han, r):
			c.Han++
			if simplifiedSet[r] {
				c.SimplifiedOnly++
			} else if _, ok := toSimplified[r]; ok {
				c.TraditionalOnly++
			}
		case unicode.In(r, unicode.Hiragana, unicode.Katakana):
			c.Kana++
		case unicode.Is(unicode.Hangul, r):
			c.Hangul++
		case unicode.IsLetter(r):
			c.OtherLetters++
		}
		if (r == '\'' || r == '’') && len(word) > 0 {
			word = append(word, '\'') // keep "can't" and "j'ai" whole
			continue
		}
		endWord()
	}
	endWord()
	return c
}

// Detect returns the language of s: zh-Hans, zh-Hant, en, or other (any
// other language, including Japanese, Korean and other Latin-script
// languages, and text with no letters at all).
func Detect(s string) Tag {
	return Count(s).Tag()
}

// Tag decides the language from the counts. Scripts are weighed by how
// much they say: one Han, kana or Hangul character against about three
// letters of an alphabet.
func (c Counts) Tag() Tag {
	zh := float64(c.Han)
	other := float64(c.Hangul) + float64(c.OtherLetters)/3
	// Japanese mixes kanji with kana; a stray の in Chinese does not make it so.
	if c.Kana > 0 && c.Kana*100 >= 15*(c.Han+c.Kana) {
		other += float64(c.Han + c.Kana)
		zh = 0
	} else {
		other += float64(c.Kana)
	}
	latin := float64(c.Latin) / 3
	switch {
	case zh == 0 && latin == 0 && other == 0:
		return Other
	case zh >= latin && zh >= other:
		if c.TraditionalOnly > c.SimplifiedOnly {
			return Traditional
		}
		return Simplified
	case latin > other && c.isEnglish():
		return English
	}
	return Other
}

// isEnglish reports whether Latin-script text reads as English rather than
// another European language, by its function words. Short texts without
// function words ("refund please") are taken as English.
func (c Counts) isEnglish() bool {
	en := c.FunctionWords["en"]
	for lang, n := range c.FunctionWords {
		if lang != "en" && n > en {
			return false
		}
	}
	return en > 0 || c.LatinWords < 4
}

// functionWords are very common words of English and of some languages
// that an English test would otherwise let through. Words shared between
// the lists ("a", "no", "me") are left out of all of them.
var functionWords = map[string]map[string]bool{
	"en": words("the and to of i my is was it in for that on not have with you this but they be are me we at from an by been or their would his her did do does because can can't don't didn't if so what when will which there about any were has had"),
	"fr": words("le la les des du un une je j'ai et est pas mon ma mes nous vous il elle que qui dans pour avec sur ce cette au aux ne n'ai été remboursement"),
	"de": words("der die das und ich nicht ist ein eine mein meine mir mich wir sie es zu mit auf für von den dem des bitte habe wurde kein keine geld"),
	"es": words("el la los las y que de en un una mi mis por para con es lo del pero su sus yo he recibido todavía ha muy reembolso"),
	"pt": words("o os as e que de em um uma meu minha por para com é não do da dos das eu recebi ainda reembolso"),
	"it": words("il lo gli e che di un una mio mia per con è non ho del della sono ancora rimborso"),
	"nl": words("de het een en ik niet is mijn met voor van op dat zijn geen nog geld terugbetaling"),
}

func words(s string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(s) {
		m[w] = true
	}
	return m
}
