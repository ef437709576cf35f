package classify

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"math"
	"slices"
	"unicode/utf8"
)

// The model file is, in little-endian byte order:
//
//	magic        8 bytes  "RDRSCLF\x00"
//	version      uint32   formatVersion
//	body length  uint64
//	body                  see writeBody
//	checksum     uint32   CRC-32C of everything before it
//
// The header is checked first (a file that is not a model, or a newer
// format, says so), then the length (truncation), then the checksum
// (corruption), and only then is the body parsed, with bounds checks.
const (
	magic         = "RDRSCLF\x00"
	formatVersion = 1
	headerSize    = len(magic) + 4 + 8
	// maxModelBytes bounds what Load will read.
	maxModelBytes = 1 << 30
)

// Errors Load wraps, for use with errors.Is.
var (
	// ErrNotModel: the data does not start like a model file.
	ErrNotModel = errors.New("not a redress classifier model")
	// ErrIncompatible: a model from another format or feature version.
	ErrIncompatible = errors.New("incompatible model")
	// ErrCorrupt: the model is truncated, fails its checksum, or its
	// content is inconsistent.
	ErrCorrupt = errors.New("corrupt model")
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// Save writes the model to w.
func (m *Model) Save(w io.Writer) error {
	var body bytes.Buffer
	m.writeBody(&body)
	var out bytes.Buffer
	out.WriteString(magic)
	binary.Write(&out, binary.LittleEndian, uint32(formatVersion))
	binary.Write(&out, binary.LittleEndian, uint64(body.Len()))
	out.Write(body.Bytes())
	binary.Write(&out, binary.LittleEndian, crc32.Checksum(out.Bytes(), castagnoli))
	_, err := w.Write(out.Bytes())
	return err
}

// writeBody writes the model's content:
//
//	feature version uint32; hash bits, CJK n, word n, subword n: uint8 each
//	algorithm: string
//	labels: uint32 count, then per label a string and a uint32 training count
//	bias: float32 per label
//	rows: uint32 count, then per row a uint32 bucket (strictly increasing),
//	      a float32 idf and a float32 weight per label
//
// A string is a uint32 length and that many bytes of UTF-8.
func (m *Model) writeBody(b *bytes.Buffer) {
	le := binary.LittleEndian
	put32 := func(v uint32) { b.Write(le.AppendUint32(nil, v)) }
	putF := func(v float32) { put32(math.Float32bits(v)) }
	putS := func(s string) { put32(uint32(len(s))); b.WriteString(s) }

	put32(featureVersion)
	f := m.features
	b.Write([]byte{byte(f.HashBits), byte(f.CJKNgrams), byte(f.WordNgrams), byte(f.SubwordNgrams)})
	putS(string(m.algorithm))
	put32(uint32(len(m.labels)))
	for i, l := range m.labels {
		putS(l)
		put32(uint32(m.labelCounts[i]))
	}
	for _, v := range m.bias {
		putF(v)
	}
	stride := len(m.labels) + 1
	put32(uint32(len(m.buckets)))
	for r, bucket := range m.buckets {
		put32(bucket)
		for _, v := range m.params[r*stride : r*stride+stride] { // idf, weights
			putF(v)
		}
	}
}

// Load reads a model written by Save. A file that is not a model, of an
// unsupported version, truncated or corrupt gives an error saying which.
func Load(r io.Reader) (*Model, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxModelBytes+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxModelBytes {
		return nil, fmt.Errorf("%w: over %d bytes", ErrNotModel, maxModelBytes)
	}
	if len(data) < len(magic) || string(data[:len(magic)]) != magic {
		if len(data) == 0 {
			return nil, fmt.Errorf("%w: the file is empty", ErrNotModel)
		}
		if len(data) < len(magic) && string(data) == magic[:len(data)] {
			return nil, fmt.Errorf("%w: truncated to %d bytes", ErrCorrupt, len(data))
		}
		return nil, ErrNotModel
	}
	if len(data) < headerSize {
		return nil, fmt.Errorf("%w: truncated to %d bytes, inside the header", ErrCorrupt, len(data))
	}
	le := binary.LittleEndian
	if v := le.Uint32(data[len(magic):]); v != formatVersion {
		return nil, fmt.Errorf("%w: model format version %d, this build reads version %d", ErrIncompatible, v, formatVersion)
	}
	bodyLen := le.Uint64(data[len(magic)+4:])
	want := uint64(headerSize) + bodyLen + 4
	switch {
	case bodyLen > maxModelBytes || uint64(len(data)) < want:
		return nil, fmt.Errorf("%w: truncated: %d bytes, the header announces %d", ErrCorrupt, len(data), want)
	case uint64(len(data)) > want:
		return nil, fmt.Errorf("%w: %d unexpected bytes after the model", ErrCorrupt, uint64(len(data))-want)
	}
	sumAt := len(data) - 4
	if crc32.Checksum(data[:sumAt], castagnoli) != le.Uint32(data[sumAt:]) {
		return nil, fmt.Errorf("%w: checksum mismatch (the file was damaged)", ErrCorrupt)
	}
	m, err := readBody(data[headerSize:sumAt])
	if err != nil {
		return nil, err
	}
	return m, nil
}

// bodyReader reads the body, remembering the first error.
type bodyReader struct {
	b   []byte
	err error
}

func (r *bodyReader) fail(format string, a ...any) {
	if r.err == nil {
		r.err = fmt.Errorf("%w: %s", ErrCorrupt, fmt.Sprintf(format, a...))
	}
}

func (r *bodyReader) take(n int) []byte {
	if r.err != nil {
		return nil
	}
	if n < 0 || n > len(r.b) {
		r.fail("unexpected end of the model body")
		return nil
	}
	p := r.b[:n]
	r.b = r.b[n:]
	return p
}

func (r *bodyReader) u32() uint32 {
	if p := r.take(4); p != nil {
		return binary.LittleEndian.Uint32(p)
	}
	return 0
}

func (r *bodyReader) f32() float32 {
	v := math.Float32frombits(r.u32())
	if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
		r.fail("non-finite number")
	}
	return v
}

func (r *bodyReader) str() string {
	n := r.u32()
	p := r.take(int(min(n, math.MaxInt32)))
	if p != nil && !utf8.Valid(p) {
		r.fail("string is not UTF-8")
	}
	return string(p)
}

// count reads an element count and checks that the rest of the body can
// hold that many elements of at least minSize bytes, before anything is
// allocated for them.
func (r *bodyReader) count(minSize int, what string) int {
	n := int(r.u32())
	if r.err == nil && n > len(r.b)/minSize {
		r.fail("%d %s cannot fit in the %d bytes left", n, what, len(r.b))
		return 0
	}
	return n
}

func readBody(b []byte) (*Model, error) {
	r := &bodyReader{b: b}
	if v := r.u32(); r.err == nil && v != featureVersion {
		return nil, fmt.Errorf("%w: model uses feature extractor version %d, this build has version %d; retrain it", ErrIncompatible, v, featureVersion)
	}
	fb := r.take(4)
	if r.err != nil {
		return nil, r.err
	}
	m := &Model{features: FeatureOptions{HashBits: int(fb[0]), CJKNgrams: int(fb[1]), WordNgrams: int(fb[2]), SubwordNgrams: int(fb[3])}}
	if err := m.features.validate(); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrCorrupt, err)
	}
	m.ext = newExtractor(m.features)
	m.algorithm = Algorithm(r.str())
	if r.err == nil && m.algorithm != LogisticRegression && m.algorithm != ComplementNB {
		return nil, fmt.Errorf("%w: unknown algorithm %q", ErrIncompatible, m.algorithm)
	}

	L := r.count(8, "labels")
	if r.err == nil && (L < 2 || L > maxLabels) {
		r.fail("%d labels", L)
	}
	seen := map[string]bool{}
	for range L {
		l := r.str()
		if seen[l] || (r.err == nil && l == "") {
			r.fail("empty or repeated label %q", l)
		}
		seen[l] = true
		m.labels = append(m.labels, l)
		m.labelCounts = append(m.labelCounts, int(r.u32()))
	}
	if r.err == nil && !slices.IsSorted(m.labels) {
		r.fail("labels out of order")
	}
	for range L {
		m.bias = append(m.bias, r.f32())
	}

	rows := r.count(8+4*L, "rows")
	nb := 1 << m.features.HashBits
	if r.err == nil && rows > nb {
		r.fail("%d rows for %d hash buckets", rows, nb)
	}
	if r.err != nil {
		return nil, r.err
	}
	m.rowOf = make([]int32, nb)
	for i := range m.rowOf {
		m.rowOf[i] = -1
	}
	m.buckets = make([]uint32, 0, rows)
	m.params = make([]float32, 0, rows*(L+1))
	prev := int64(-1)
	for i := range rows {
		bucket := r.u32()
		if r.err == nil && (int64(bucket) <= prev || int(bucket) >= nb) {
			r.fail("row %d has bucket %d out of order or range", i, bucket)
		}
		if r.err != nil {
			return nil, r.err
		}
		prev = int64(bucket)
		m.rowOf[bucket] = int32(i)
		m.buckets = append(m.buckets, bucket)
		for range L + 1 { // idf, weights
			m.params = append(m.params, r.f32())
		}
	}
	if r.err == nil && len(r.b) != 0 {
		r.fail("%d unexpected bytes at the end of the body", len(r.b))
	}
	if r.err != nil {
		return nil, r.err
	}
	return m, nil
}
