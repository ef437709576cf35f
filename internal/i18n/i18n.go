// Package i18n holds the message catalogs of the web interface (English,
// Simplified and Traditional Chinese) and picks one for a request.
//
// A catalog is a flat JSON object from message key to text, embedded in the
// binary. Texts may name placeholders in braces, such as "{ref}"; T fills
// them from name/value pairs. Every catalog has exactly the same keys and
// the same placeholders in each text (the package test checks it), so a
// key missing from one language is a build failure, not a blank on a page.
package i18n

import (
	"embed"
	"encoding/json"
	"fmt"
	"path"
	"sort"
	"strconv"
	"strings"
	"sync"

	"golang.org/x/text/language"
)

//go:embed locales/*.json
var files embed.FS

// Catalog is the messages of one language.
type Catalog struct {
	code     string // the catalog's code, e.g. "zh-CN"; also its cookie value
	tag      language.Tag
	htmlLang string // the BCP 47 tag for <html lang>, e.g. "zh-Hans"
	messages map[string]string
}

// supported lists the languages in the order the language switcher shows
// them, with the tag used for matching and the one for <html lang>.
var supported = []struct{ code, htmlLang string }{
	{"zh-CN", "zh-Hans"},
	{"zh-TW", "zh-Hant"},
	{"en", "en"},
}

var (
	loadOnce sync.Once
	loaded   []*Catalog
	loadErr  error
	matcher  language.Matcher
)

func load() {
	tags := make([]language.Tag, 0, len(supported))
	for _, s := range supported {
		c, err := parseCatalog(s.code, s.htmlLang)
		if err != nil {
			loadErr = err
			return
		}
		loaded = append(loaded, c)
		tags = append(tags, c.tag)
	}
	matcher = language.NewMatcher(tags)
}

func parseCatalog(code, htmlLang string) (*Catalog, error) {
	name := path.Join("locales", code+".json")
	data, err := files.ReadFile(name)
	if err != nil {
		return nil, fmt.Errorf("i18n: %w", err)
	}
	var messages map[string]string
	if err := json.Unmarshal(data, &messages); err != nil {
		return nil, fmt.Errorf("i18n: %s: %w", name, err)
	}
	tag, err := language.Parse(code)
	if err != nil {
		return nil, fmt.Errorf("i18n: %s: %w", name, err)
	}
	return &Catalog{code: code, tag: tag, htmlLang: htmlLang, messages: messages}, nil
}

// Catalogs returns every catalog in the order a language switcher shows
// them. It panics if the embedded catalogs are malformed, which the
// package's tests rule out.
func Catalogs() []*Catalog {
	if err := Load(); err != nil {
		panic(err)
	}
	return loaded
}

// Load parses the embedded catalogs (once) and reports whether they are
// well-formed. Call it at start-up to fail early rather than on a request.
func Load() error {
	loadOnce.Do(load)
	return loadErr
}

// Lookup returns the catalog with the given code, such as "zh-CN" or "en"
// (case-insensitive), also accepting the <html lang> tags "zh-Hans" and
// "zh-Hant". The second result is false for any other value.
func Lookup(code string) (*Catalog, bool) {
	for _, c := range Catalogs() {
		if strings.EqualFold(code, c.code) || strings.EqualFold(code, c.htmlLang) {
			return c, true
		}
	}
	return nil, false
}

// Match picks the catalog that best serves an Accept-Language header, and
// fallback when no supported language is acceptable (or the header is
// empty or malformed). Chinese variants go by script: zh-HK, zh-MO and
// zh-Hant choose Traditional; zh, zh-SG and zh-Hans choose Simplified.
func Match(acceptLanguage string, fallback *Catalog) *Catalog {
	all := Catalogs()
	tags, _, err := language.ParseAcceptLanguage(acceptLanguage)
	if err != nil || len(tags) == 0 {
		return fallback
	}
	_, i, conf := matcher.Match(tags...)
	if conf == language.No || i < 0 || i >= len(all) {
		return fallback
	}
	return all[i]
}

// Code is the catalog's code, such as "zh-CN"; it is the value of the
// language cookie.
func (c *Catalog) Code() string { return c.code }

// HTMLLang is the language tag for the lang attribute of <html>, which
// tells screen readers and fonts which script to use: "zh-Hans",
// "zh-Hant" or "en".
func (c *Catalog) HTMLLang() string { return c.htmlLang }

// Tag is the catalog's language tag.
func (c *Catalog) Tag() language.Tag { return c.tag }

// Name is the language's name in itself, e.g. "简体中文", for a switcher.
func (c *Catalog) Name() string { return c.T("language.name") }

// Has reports whether the catalog has a message for key.
func (c *Catalog) Has(key string) bool {
	_, ok := c.messages[key]
	return ok
}

// T returns the message for key with its placeholders filled from args,
// which are name/value pairs: T("case.filed", "ref", ref). Values are
// formatted with fmt.Sprint. A missing key returns the key itself, so that
// a mistake shows on the page instead of an empty space.
func (c *Catalog) T(key string, args ...any) string {
	msg, ok := c.messages[key]
	if !ok {
		return key
	}
	if len(args) == 0 || !strings.Contains(msg, "{") {
		return msg
	}
	pairs := make([]string, 0, len(args))
	for i := 0; i+1 < len(args); i += 2 {
		pairs = append(pairs, "{"+fmt.Sprint(args[i])+"}", fmt.Sprint(args[i+1]))
	}
	return strings.NewReplacer(pairs...).Replace(msg)
}

// N returns the plural form of key for the count n: the message
// key+".one" when n is 1, else key+".other", with {n} set to n. (The
// Chinese catalogs have both forms too; they are the same text.)
func (c *Catalog) N(key string, n int, args ...any) string {
	form := key + ".other"
	if n == 1 {
		form = key + ".one"
	}
	return c.T(form, append([]any{"n", strconv.Itoa(n)}, args...)...)
}

// Keys returns the catalog's message keys, sorted.
func (c *Catalog) Keys() []string {
	keys := make([]string, 0, len(c.messages))
	for k := range c.messages {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// Placeholders returns the names of the placeholders in the message for
// key, sorted and without repeats.
func (c *Catalog) Placeholders(key string) []string {
	return placeholders(c.messages[key])
}

func placeholders(msg string) []string {
	seen := map[string]bool{}
	var names []string
	for {
		open := strings.IndexByte(msg, '{')
		if open < 0 {
			break
		}
		end := strings.IndexByte(msg[open:], '}')
		if end < 0 {
			break
		}
		name := msg[open+1 : open+end]
		if name != "" && !seen[name] {
			seen[name] = true
			names = append(names, name)
		}
		msg = msg[open+end+1:]
	}
	sort.Strings(names)
	return names
}
