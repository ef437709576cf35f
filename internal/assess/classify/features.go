package classify

import (
	"math"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/redress-project/redress/internal/assess/lang"
)

// featureVersion identifies how text is turned into features. A model
// stores it, and a build with a different extractor refuses the model
// instead of predicting garbage.
const featureVersion = 1

// FeatureOptions say which features are extracted from a text.
type FeatureOptions struct {
	// HashBits sets the number of hash buckets to 2^HashBits (10–24).
	HashBits int
	// CJKNgrams is the longest run of Chinese (or Japanese) characters used
	// as a feature: 1 for single characters, 3 for up to trigrams.
	CJKNgrams int
	// WordNgrams is the longest run of consecutive words (of space-separated
	// scripts such as English) used as a feature.
	WordNgrams int
	// SubwordNgrams, if above zero, adds character n-grams of that length
	// from inside each word ("<refund>" → "<re", "ref", …), which helps
	// with inflections and typos.
	SubwordNgrams int
}

// defaultFeatures are the feature options Train uses unless told otherwise
// (see Options.Defaults).
var defaultFeatures = FeatureOptions{HashBits: 20, CJKNgrams: 3, WordNgrams: 2, SubwordNgrams: 4}

func (f FeatureOptions) validate() error {
	switch {
	case f.HashBits < 10 || f.HashBits > 24:
		return errorf("HashBits %d out of range 10–24", f.HashBits)
	case f.CJKNgrams < 1 || f.CJKNgrams > 4:
		return errorf("CJKNgrams %d out of range 1–4", f.CJKNgrams)
	case f.WordNgrams < 1 || f.WordNgrams > 3:
		return errorf("WordNgrams %d out of range 1–3", f.WordNgrams)
	case f.SubwordNgrams < 0 || f.SubwordNgrams > 6:
		return errorf("SubwordNgrams %d out of range 0–6", f.SubwordNgrams)
	}
	return nil
}

// Feature namespaces, so that the character 好 and the word "好" or a
// bigram never share a hash by construction.
const (
	nsCJK uint64 = iota + 1
	nsWord
	nsNumber
	nsSymbol
	nsSubword
)

// extractor turns text into hashed feature indices.
type extractor struct {
	opts  FeatureOptions
	shift uint
}

func newExtractor(o FeatureOptions) extractor {
	return extractor{opts: o, shift: uint(64 - o.HashBits)}
}

// scratch holds the buffers one extraction needs, so that prediction does
// not allocate per text.
type scratch struct {
	idx    []uint32
	cjk    []uint64 // hashes of the CJK n-grams ending at the previous character
	slots  []int32  // hash table of count
	words  []uint64 // hashes of the preceding words
	word   []rune
	feats  []feature
	rows   []int32
	vals   []float32
	scores []float64
}

// feature is one distinct bucket of a text and how often it occurred.
type feature struct {
	bucket uint32
	count  float32
}

func (e extractor) bucket(h uint64) uint32 { return uint32(h >> e.shift) }

// extract returns the distinct buckets of text with their counts, in
// s.feats.
func (e extractor) extract(text string, s *scratch) []feature {
	s.idx, s.cjk, s.words, s.word = s.idx[:0], s.cjk[:0], s.words[:0], s.word[:0]
	if cap(s.cjk) < e.opts.CJKNgrams {
		s.cjk = make([]uint64, 0, e.opts.CJKNgrams)
	}
	for i, r := range text {
		switch {
		case r < 0x80 || (r >= 0x4E00 && r <= 0x9FFF):
			e.add(s, r) // ASCII and CJK ideographs: nothing to normalise
		case r >= 0xFF01 && r <= 0xFF5E:
			e.add(s, r-0xFEE0) // full-width ASCII, by far the commonest case below
		default:
			// Compatibility forms (①, ㎏, half-width katakana, …) are
			// replaced by their NFKC decomposition. Rune by rune is enough
			// for features, and keeps the common cases above cheap.
			d := norm.NFKC.PropertiesString(text[i:]).Decomposition()
			if d == nil {
				e.add(s, r)
				continue
			}
			for len(d) > 0 {
				dr, size := utf8.DecodeRune(d)
				e.add(s, dr)
				d = d[size:]
			}
		}
	}
	e.endWord(s)
	return s.count()
}

// add feeds one normalised rune to the extraction.
func (e extractor) add(s *scratch, r rune) {
	r = lang.SimplifiedRune(unicode.ToLower(r))
	switch {
	case isCJK(r):
		e.endWord(s)
		e.addCJK(s, r)
	case unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r):
		s.cjk = s.cjk[:0]
		s.word = append(s.word, r)
	default:
		e.endWord(s)
		s.cjk = s.cjk[:0]
		if !unicode.IsSpace(r) && (unicode.IsPunct(r) || unicode.IsSymbol(r)) {
			s.idx = append(s.idx, e.bucket(combine(nsSymbol, uint64(r))))
		}
	}
}

func isCJK(r rune) bool {
	if r >= 0x4E00 && r <= 0x9FFF {
		return true
	}
	return r >= 0x3040 && unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana)
}

// addCJK adds the n-grams of CJK characters that end with r. s.cjk holds
// the hashes of the n-grams ending at the previous character (unigram
// first), so each n-gram costs one hash step.
func (e extractor) addCJK(s *scratch, r rune) {
	n := min(len(s.cjk)+1, e.opts.CJKNgrams)
	s.cjk = s.cjk[:n]
	for k := n - 1; k >= 1; k-- {
		s.cjk[k] = combine(s.cjk[k-1], uint64(r))
	}
	s.cjk[0] = combine(nsCJK, uint64(r))
	for _, h := range s.cjk {
		s.idx = append(s.idx, e.bucket(h))
	}
}

// endWord adds the features of the word collected in s.word, if any.
func (e extractor) endWord(s *scratch) {
	if len(s.word) == 0 {
		return
	}
	allDigits := true
	wh := nsWord
	for _, r := range s.word {
		wh = combine(wh, uint64(r))
		allDigits = allDigits && unicode.IsDigit(r)
	}
	if allDigits {
		// The value of a number rarely matters; its length may (amounts,
		// dates, phone numbers).
		wh = combine(nsNumber, uint64(min(len(s.word), 12)))
	} else if e.opts.SubwordNgrams > 0 {
		e.addSubwords(s)
	}
	s.idx = append(s.idx, e.bucket(wh))
	if len(s.words) == e.opts.WordNgrams {
		s.words = append(s.words[:0], s.words[1:]...)
	}
	s.words = append(s.words, wh)
	n := len(s.words)
	for k := 2; k <= n; k++ {
		h := nsWord<<8 | uint64(k)
		for _, w := range s.words[n-k:] {
			h = combine(h, w)
		}
		s.idx = append(s.idx, e.bucket(h))
	}
	s.word = s.word[:0]
}

// addSubwords adds the character n-grams of "<word>".
func (e extractor) addSubwords(s *scratch) {
	n := e.opts.SubwordNgrams
	w := s.word
	padded := len(w) + 2
	if padded < n {
		return
	}
	at := func(i int) uint64 {
		switch i {
		case 0:
			return '<'
		case padded - 1:
			return '>'
		}
		return uint64(w[i-1])
	}
	for i := 0; i+n <= padded; i++ {
		h := nsSubword
		for j := i; j < i+n; j++ {
			h = combine(h, at(j))
		}
		s.idx = append(s.idx, e.bucket(h))
	}
}

// count folds repeated indices into counts. A small open-addressing
// table does it in one pass; sorting was a third of prediction time.
func (s *scratch) count() []feature {
	size := 64
	for size < 2*len(s.idx) {
		size *= 2
	}
	if len(s.slots) < size {
		s.slots = make([]int32, size)
	}
	slots := s.slots[:size]
	mask := uint32(size - 1)
	s.feats = s.feats[:0]
	for _, b := range s.idx {
		i := (b * 0x9E3779B1) >> 7 & mask
		for {
			f := slots[i] - 1 // slots hold feature number + 1; 0 is empty
			if f < 0 {
				slots[i] = int32(len(s.feats)) + 1
				s.feats = append(s.feats, feature{bucket: b, count: 1})
				break
			}
			if s.feats[f].bucket == b {
				s.feats[f].count++
				break
			}
			i = (i + 1) & mask
		}
	}
	clear(slots)
	return s.feats
}

// combine mixes v into the hash h (murmur3's 64-bit finaliser over a
// boost-style combination).
func combine(h, v uint64) uint64 {
	h ^= v + 0x9e3779b97f4a7c15 + (h << 6) + (h >> 2)
	h ^= h >> 33
	h *= 0xff51afd7ed558ccd
	h ^= h >> 33
	h *= 0xc4ceb9fe1a85ec53
	h ^= h >> 33
	return h
}

// termWeight is the weight of a feature seen count times in one text:
// sublinear, so that a word repeated ten times is not ten times as telling.
func termWeight(count float32) float32 {
	if count == 1 {
		return 1
	}
	return 1 + float32(math.Log(float64(count)))
}
