// Package taxonomy is what redress knows about kinds of complaint: the
// category tree (ids, names in Simplified Chinese, Traditional Chinese and
// English, the team that handles each, and seed example texts that train
// the starter classifier), the severity rules, the terms that mark a
// vulnerable customer, and the confidence below which a person must
// classify a complaint.
//
// A taxonomy is a JSON file (docs/taxonomy.md describes the format); the
// default for payment platforms is embedded (default.json) and returned by
// Default. Load and Parse check a file completely and report the first
// problem with where it is. A Taxonomy is immutable and safe for
// concurrent use.
package taxonomy

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/redress-project/redress/internal/complaint"
)

// Format is the value of a taxonomy file's "format" member.
const Format = "redress-taxonomy/1"

// Uncategorized is the category of a case nobody (and no model) could
// place yet: the triage queue. It is not part of any taxonomy.
const Uncategorized = complaint.DefaultCategory

// DefaultTriageThreshold is the model confidence below which a case goes
// to the triage queue when the file does not say.
const DefaultTriageThreshold = 0.5

// Languages are the languages a category and a rule are named in, as the
// web catalogs name them.
var Languages = []string{"zh-CN", "zh-TW", "en"}

// ExampleLanguages are the keys of a category's seed examples.
var ExampleLanguages = []string{"zh", "en"}

// Taxonomy is a loaded, validated taxonomy.
type Taxonomy struct {
	source     string
	threshold  float64
	roots      []*Category
	all        []*Category // depth first, in file order
	byID       map[string]*Category
	rules      []SeverityRule
	vulnerable []term
	teams      []string
}

// Category is one node of the tree. Treat it as read-only.
type Category struct {
	ID string `json:"id"`
	// Names maps each of Languages to the category's name.
	Names map[string]string `json:"names"`
	// Team is the team that handles the category (a child inherits its
	// parent's when it names none).
	Team string `json:"team,omitempty"`
	// Severity is where a complaint of this category starts before the
	// severity rules (a child inherits its parent's; default medium).
	Severity complaint.Severity `json:"severity,omitempty"`
	// Examples are seed texts by language ("zh", "en") that train the
	// starter model; a category without any is never predicted.
	Examples map[string][]string `json:"examples,omitempty"`
	Children []*Category         `json:"children,omitempty"`

	// Parent is the parent's id, "" for a top-level category.
	Parent string `json:"-"`
	// Depth is 0 for a top-level category.
	Depth int `json:"-"`
}

// file is the JSON form.
type file struct {
	Format             string         `json:"format"`
	TriageThreshold    *float64       `json:"triage_threshold,omitempty"`
	Categories         []*Category    `json:"categories"`
	SeverityRules      []SeverityRule `json:"severity_rules"`
	VulnerabilityTerms []string       `json:"vulnerability_terms"`
}

//go:embed default.json
var defaultJSON []byte

var (
	defaultOnce sync.Once
	defaultTax  *Taxonomy
)

// Default returns the embedded taxonomy for payment platforms. It panics if
// the embedded file is invalid, which the package's tests rule out.
func Default() *Taxonomy {
	defaultOnce.Do(func() {
		t, err := Parse(defaultJSON, "embedded default")
		if err != nil {
			panic(err)
		}
		defaultTax = t
	})
	return defaultTax
}

// DefaultJSON returns the embedded default file, as a starting point for
// a deployment's own.
func DefaultJSON() []byte { return bytes.Clone(defaultJSON) }

// maxFileSize bounds what Load reads.
const maxFileSize = 16 << 20

// Load reads and validates the taxonomy file at path.
func Load(path string) (*Taxonomy, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("taxonomy: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("taxonomy: reading %s: %w", path, err)
	}
	if len(data) > maxFileSize {
		return nil, fmt.Errorf("taxonomy: %s: larger than %d MiB", path, maxFileSize>>20)
	}
	return Parse(data, path)
}

// Error is a problem in a taxonomy file: where (a line or a JSON path such
// as categories[2].children[0].team) and what.
type Error struct {
	Source string
	Where  string
	Msg    string
}

func (e *Error) Error() string {
	if e.Where == "" {
		return fmt.Sprintf("taxonomy %s: %s", e.Source, e.Msg)
	}
	return fmt.Sprintf("taxonomy %s: %s: %s", e.Source, e.Where, e.Msg)
}

// Parse validates a taxonomy file's content; source names it in errors.
func Parse(data []byte, source string) (*Taxonomy, error) {
	fail := func(where, format string, a ...any) error {
		return &Error{Source: source, Where: where, Msg: fmt.Sprintf(format, a...)}
	}
	if !utf8.Valid(data) {
		return nil, fail("", "the file is not valid UTF-8")
	}
	data = bytes.TrimPrefix(data, []byte("\uFEFF"))
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var f file
	if err := dec.Decode(&f); err != nil {
		return nil, fail(jsonErrorPlace(data, err, dec.InputOffset()), "%s", jsonErrorText(err))
	}
	if dec.More() {
		return nil, fail(lineAt(data, dec.InputOffset()), "unexpected content after the taxonomy object")
	}
	if f.Format != Format {
		return nil, fail("format", "is %q; this version of redress reads %q", f.Format, Format)
	}
	t := &Taxonomy{source: source, threshold: DefaultTriageThreshold, byID: map[string]*Category{}}
	if f.TriageThreshold != nil {
		if v := *f.TriageThreshold; !(v > 0 && v <= 1) {
			return nil, fail("triage_threshold", "must be above 0 and at most 1 (got %v)", v)
		}
		t.threshold = *f.TriageThreshold
	}
	if len(f.Categories) == 0 {
		return nil, fail("categories", "the taxonomy has no categories")
	}
	where := map[string]string{}
	var walk func(cs []*Category, path string, parent *Category) error
	walk = func(cs []*Category, path string, parent *Category) error {
		for i, c := range cs {
			p := fmt.Sprintf("%s[%d]", path, i)
			if c == nil {
				return fail(p, "is null")
			}
			if c.ID != "" {
				p += " (" + c.ID + ")"
			}
			if err := checkCategory(c, parent); err != nil {
				return fail(p, "%v", err)
			}
			if prev, dup := where[c.ID]; dup {
				return fail(p, "category id %q is already used by %s", c.ID, prev)
			}
			where[c.ID] = p
			if parent != nil {
				c.Parent, c.Depth = parent.ID, parent.Depth+1
				if c.Team == "" {
					c.Team = parent.Team
				}
				if c.Severity == "" {
					c.Severity = parent.Severity
				}
			}
			if c.Severity == "" {
				c.Severity = complaint.SeverityMedium
			}
			t.all = append(t.all, c)
			t.byID[c.ID] = c
			if !slices.Contains(t.teams, c.Team) {
				t.teams = append(t.teams, c.Team)
			}
			if c.Depth >= maxDepth-1 && len(c.Children) > 0 {
				return fail(p, "the tree is deeper than %d levels", maxDepth)
			}
			if err := walk(c.Children, p+".children", c); err != nil {
				return err
			}
		}
		return nil
	}
	if err := walk(f.Categories, "categories", nil); err != nil {
		return nil, err
	}
	t.roots = f.Categories
	trainable := 0
	for _, c := range t.all {
		if c.ExampleCount() > 0 {
			trainable++
		}
	}
	if trainable < 2 {
		return nil, fail("categories", "at least two categories need seed examples to train the starter model (%d have some)", trainable)
	}
	for i, r := range f.SeverityRules {
		p := fmt.Sprintf("severity_rules[%d]", i)
		if r.Code != "" {
			p += " (" + r.Code + ")"
		}
		if err := t.checkRule(&r); err != nil {
			return nil, fail(p, "%v", err)
		}
		t.rules = append(t.rules, r)
	}
	for i, s := range f.VulnerabilityTerms {
		tm, err := newTerm(s)
		if err != nil {
			return nil, fail(fmt.Sprintf("vulnerability_terms[%d]", i), "%v", err)
		}
		t.vulnerable = append(t.vulnerable, tm)
	}
	return t, nil
}

// maxDepth bounds the tree: a category, its children and grandchildren.
const maxDepth = 3

// Limits on a file's texts.
const (
	maxName     = 100
	maxExample  = 2000
	maxExamples = 1000 // per category and language
)

func checkCategory(c *Category, parent *Category) error {
	if err := checkID(c.ID); err != nil {
		return err
	}
	if c.ID == Uncategorized {
		return fmt.Errorf("%q is reserved for cases not yet classified", Uncategorized)
	}
	for _, l := range Languages {
		n := strings.TrimSpace(c.Names[l])
		if n == "" {
			return fmt.Errorf("names.%s is missing (every category is named in %s)", l, strings.Join(Languages, ", "))
		}
		if utf8.RuneCountInString(n) > maxName {
			return fmt.Errorf("names.%s is longer than %d characters", l, maxName)
		}
	}
	for l := range c.Names {
		if !slices.Contains(Languages, l) {
			return fmt.Errorf("names has unknown language %q (want %s)", l, strings.Join(Languages, ", "))
		}
	}
	if c.Team == "" && parent == nil {
		return errors.New("team is missing")
	}
	if c.Team != "" {
		if err := checkID(c.Team); err != nil {
			return fmt.Errorf("team: %v", err)
		}
	}
	if c.Severity != "" && !c.Severity.Valid() {
		return fmt.Errorf("severity %q is not one of %s", c.Severity, severityList())
	}
	for l, texts := range c.Examples {
		if !slices.Contains(ExampleLanguages, l) {
			return fmt.Errorf("examples has unknown language %q (want %s)", l, strings.Join(ExampleLanguages, " or "))
		}
		if len(texts) > maxExamples {
			return fmt.Errorf("examples.%s has more than %d texts", l, maxExamples)
		}
		for i, s := range texts {
			if strings.TrimSpace(s) == "" {
				return fmt.Errorf("examples.%s[%d] is empty", l, i)
			}
			if utf8.RuneCountInString(s) > maxExample {
				return fmt.Errorf("examples.%s[%d] is longer than %d characters", l, i, maxExample)
			}
		}
	}
	return nil
}

// checkID accepts lower-case identifiers: a letter, then letters, digits
// and underscores, at most complaint.MaxIdentifier long.
func checkID(id string) error {
	if id == "" {
		return errors.New("id is missing")
	}
	if len(id) > complaint.MaxIdentifier {
		return fmt.Errorf("%q is longer than %d characters", id, complaint.MaxIdentifier)
	}
	for i, r := range id {
		if !(r >= 'a' && r <= 'z' || i > 0 && (r >= '0' && r <= '9' || r == '_')) {
			return fmt.Errorf("%q is not an identifier (a lower-case letter, then lower-case letters, digits and _)", id)
		}
	}
	return nil
}

func severityList() string {
	var s []string
	for _, v := range complaint.Severities {
		s = append(s, string(v))
	}
	return strings.Join(s, ", ")
}

// jsonErrorPlace says where a decoding error is, as "line N" (or the
// member for a type error).
func jsonErrorPlace(data []byte, err error, fallback int64) string {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return lineAt(data, syn.Offset)
	case errors.As(err, &typ):
		if typ.Field != "" {
			return lineAt(data, typ.Offset) + " (" + typ.Field + ")"
		}
		return lineAt(data, typ.Offset)
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return lineAt(data, int64(len(data)))
	}
	return lineAt(data, fallback)
}

func jsonErrorText(err error) string {
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &typ):
		return fmt.Sprintf("%s where %s was expected", article(typ.Value), friendlyType(typ.Type.String()))
	case errors.Is(err, io.EOF):
		return "the file is empty"
	case errors.Is(err, io.ErrUnexpectedEOF):
		return "the file ends in the middle of the JSON"
	}
	return strings.TrimPrefix(err.Error(), "json: ")
}

func article(s string) string {
	if s != "" && strings.ContainsRune("aeiou", rune(s[0])) {
		return "an " + s
	}
	return "a " + s
}

func friendlyType(t string) string {
	switch {
	case strings.HasPrefix(t, "[]"):
		return "a list"
	case strings.HasPrefix(t, "map["), strings.HasPrefix(t, "*taxonomy."), strings.HasPrefix(t, "taxonomy."):
		return "an object"
	case t == "string", strings.HasPrefix(t, "complaint."):
		return "a string"
	case t == "float64", t == "int", t == "*float64":
		return "a number"
	}
	return t
}

// lineAt returns "line N" for a byte offset.
func lineAt(data []byte, off int64) string {
	off = min(max(off, 0), int64(len(data)))
	return fmt.Sprintf("line %d", bytes.Count(data[:off], []byte("\n"))+1)
}

// Source is the file the taxonomy was read from ("embedded default" for
// Default).
func (t *Taxonomy) Source() string { return t.source }

// TriageThreshold is the model confidence below which a case goes to the
// triage queue.
func (t *Taxonomy) TriageThreshold() float64 { return t.threshold }

// Categories returns every category, depth first in file order (a parent
// before its children).
func (t *Taxonomy) Categories() []*Category { return slices.Clone(t.all) }

// Roots returns the top-level categories in file order.
func (t *Taxonomy) Roots() []*Category { return slices.Clone(t.roots) }

// IDs returns every category id, depth first in file order.
func (t *Taxonomy) IDs() []string {
	ids := make([]string, len(t.all))
	for i, c := range t.all {
		ids[i] = c.ID
	}
	return ids
}

// CustomerChoices are the ids a customer chooses from when filing: the
// top-level categories. Children are finer distinctions for staff.
func (t *Taxonomy) CustomerChoices() []string {
	ids := make([]string, len(t.roots))
	for i, c := range t.roots {
		ids[i] = c.ID
	}
	return ids
}

// Category returns the category with id.
func (t *Taxonomy) Category(id string) (*Category, bool) {
	c, ok := t.byID[id]
	return c, ok
}

// Has reports whether id is a category of the taxonomy.
func (t *Taxonomy) Has(id string) bool { _, ok := t.byID[id]; return ok }

// Team returns the team that handles category id, "" for an unknown id.
func (t *Taxonomy) Team(id string) string {
	if c, ok := t.byID[id]; ok {
		return c.Team
	}
	return ""
}

// Teams lists the teams the categories name, in order of first mention.
func (t *Taxonomy) Teams() []string { return slices.Clone(t.teams) }

// IsA reports whether category id is ancestor or lies below it.
func (t *Taxonomy) IsA(id, ancestor string) bool {
	for c, ok := t.byID[id]; ok; c, ok = t.byID[c.Parent] {
		if c.ID == ancestor {
			return true
		}
	}
	return false
}

// Name returns the name of category id in lang (a catalog code such as
// "zh-CN", or a script tag such as "zh-Hant"; anything else is English),
// and false for an id the taxonomy does not have.
func (t *Taxonomy) Name(id, lang string) (string, bool) {
	c, ok := t.byID[id]
	if !ok {
		return id, false
	}
	return c.Names[NameLanguage(lang)], true
}

// NameLanguage maps a language code to one of Languages: Traditional
// Chinese codes (zh-TW, zh-HK, zh-MO, zh-Hant) to zh-TW, other Chinese to
// zh-CN, everything else to en.
func NameLanguage(lang string) string {
	l := strings.ToLower(lang)
	switch {
	case l == "zh-tw" || l == "zh-hk" || l == "zh-mo" || strings.HasPrefix(l, "zh-hant"):
		return "zh-TW"
	case l == "zh" || strings.HasPrefix(l, "zh-"):
		return "zh-CN"
	}
	return "en"
}

// ExampleCount is the number of seed examples of the category.
func (c *Category) ExampleCount() int {
	n := 0
	for _, texts := range c.Examples {
		n += len(texts)
	}
	return n
}

// Example is one seed text and its category.
type Example struct {
	Category string
	Language string // "zh" or "en"
	Text     string
}

// Examples returns the seed examples of every category, in file order
// (within a category, Chinese first).
func (t *Taxonomy) Examples() []Example {
	var out []Example
	for _, c := range t.all {
		for _, l := range ExampleLanguages {
			for _, s := range c.Examples[l] {
				out = append(out, Example{Category: c.ID, Language: l, Text: s})
			}
		}
	}
	return out
}
