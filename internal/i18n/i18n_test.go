package i18n

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestCatalogsLoad(t *testing.T) {
	if err := Load(); err != nil {
		t.Fatal(err)
	}
	var codes []string
	for _, c := range Catalogs() {
		codes = append(codes, c.Code())
	}
	if fmt.Sprint(codes) != "[zh-CN zh-TW en]" {
		t.Errorf("catalogs = %v", codes)
	}
}

// TestCatalogsConsistent checks that every catalog has exactly the same
// keys, the same placeholders in each message, and no empty message.
func TestCatalogsConsistent(t *testing.T) {
	all := Catalogs()
	ref := all[len(all)-1] // English
	for _, c := range all {
		if c == ref {
			continue
		}
		refKeys, keys := ref.Keys(), c.Keys()
		for _, k := range refKeys {
			if !c.Has(k) {
				t.Errorf("%s lacks key %q (present in %s)", c.Code(), k, ref.Code())
			}
		}
		for _, k := range keys {
			if !ref.Has(k) {
				t.Errorf("%s has key %q that %s lacks", c.Code(), k, ref.Code())
			}
		}
		for _, k := range refKeys {
			if !c.Has(k) {
				continue
			}
			if want, got := ref.Placeholders(k), c.Placeholders(k); !slices.Equal(want, got) {
				t.Errorf("%s %q has placeholders %v, %s has %v", c.Code(), k, got, ref.Code(), want)
			}
		}
	}
	for _, c := range all {
		for _, k := range c.Keys() {
			msg := c.T(k)
			if strings.TrimSpace(msg) == "" {
				t.Errorf("%s %q is empty", c.Code(), k)
			}
			if strings.Count(msg, "{") != strings.Count(msg, "}") {
				t.Errorf("%s %q has unbalanced braces: %q", c.Code(), k, msg)
			}
		}
	}
}

// TestCatalogFilesAreFlat checks the files are flat objects of strings with
// no duplicate keys (which encoding/json would silently merge).
func TestCatalogFilesAreFlat(t *testing.T) {
	for _, c := range Catalogs() {
		data, err := files.ReadFile("locales/" + c.Code() + ".json")
		if err != nil {
			t.Fatal(err)
		}
		dec := json.NewDecoder(strings.NewReader(string(data)))
		if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
			t.Fatalf("%s: not a JSON object", c.Code())
		}
		seen := map[string]bool{}
		for dec.More() {
			tok, err := dec.Token()
			if err != nil {
				t.Fatalf("%s: %v", c.Code(), err)
			}
			key := tok.(string)
			if seen[key] {
				t.Errorf("%s: duplicate key %q", c.Code(), key)
			}
			seen[key] = true
			var v string
			if err := dec.Decode(&v); err != nil {
				t.Errorf("%s: %q is not a string: %v", c.Code(), key, err)
			}
		}
	}
}

func TestChineseCatalogsAreChinese(t *testing.T) {
	// A message left in English in a Chinese catalog is a translation bug;
	// these keys are allowed to be the same in every language.
	same := map[string]bool{"channel.app": true, "new.txn_amount.hint": true}
	en, _ := Lookup("en")
	for _, code := range []string{"zh-CN", "zh-TW"} {
		c, _ := Lookup(code)
		for _, k := range c.Keys() {
			if strings.HasPrefix(k, "format.") || strings.HasPrefix(k, "priority.") || same[k] {
				continue
			}
			if c.T(k) == en.T(k) && strings.ContainsFunc(c.T(k), func(r rune) bool { return r >= 'a' && r <= 'z' }) {
				t.Errorf("%s %q is untranslated: %q", code, k, c.T(k))
			}
		}
	}
	cn, _ := Lookup("zh-CN")
	tw, _ := Lookup("zh-TW")
	if cn.T("nav.my") == tw.T("nav.my") {
		t.Error("zh-CN and zh-TW should differ in script (我的投诉 / 我的投訴)")
	}
}

func TestDateLayouts(t *testing.T) {
	at := time.Date(2026, 3, 2, 14, 5, 0, 0, time.UTC)
	want := map[string]string{"en": "2 Mar 2026, 14:05", "zh-CN": "2026年3月2日 14:05", "zh-TW": "2026年3月2日 14:05"}
	for code, w := range want {
		c, _ := Lookup(code)
		if got := at.Format(c.T("format.datetime")); got != w {
			t.Errorf("%s: %q, want %q", code, got, w)
		}
	}
}

func TestMatch(t *testing.T) {
	fallback, _ := Lookup("zh-CN")
	for accept, want := range map[string]string{
		"":                             "zh-CN",
		"zh-CN,zh;q=0.9":               "zh-CN",
		"zh":                           "zh-CN",
		"zh-SG":                        "zh-CN",
		"zh-Hans":                      "zh-CN",
		"zh-TW":                        "zh-TW",
		"zh-HK,en;q=0.5":               "zh-TW",
		"zh-MO":                        "zh-TW",
		"zh-Hant":                      "zh-TW",
		"en-US,en;q=0.9":               "en",
		"en-GB":                        "en",
		"fr-FR,en;q=0.5":               "en",
		"fr-FR":                        "zh-CN",
		"de;q=0.9,zh-TW;q=0.8,en;q=.7": "zh-TW",
		"*":                            "zh-CN",
		"garbage;;;q=x":                "zh-CN",
	} {
		if got := Match(accept, fallback).Code(); got != want {
			t.Errorf("Match(%q) = %s, want %s", accept, got, want)
		}
	}
	en, _ := Lookup("en")
	if got := Match("ja-JP", en).Code(); got != "en" {
		t.Errorf("Match with an English fallback = %s", got)
	}
}

func TestLookup(t *testing.T) {
	for in, want := range map[string]string{"zh-CN": "zh-CN", "zh-cn": "zh-CN", "zh-Hans": "zh-CN", "zh-Hant": "zh-TW", "EN": "en"} {
		c, ok := Lookup(in)
		if !ok || c.Code() != want {
			t.Errorf("Lookup(%q) = %v, %v; want %s", in, c, ok, want)
		}
	}
	for _, in := range []string{"", "fr", "zh", "en-US"} {
		if _, ok := Lookup(in); ok {
			t.Errorf("Lookup(%q) found a catalog", in)
		}
	}
}

func TestT(t *testing.T) {
	en, _ := Lookup("en")
	cn, _ := Lookup("zh-CN")
	if got := en.T("holder.agent", "team", "General", "agent", "Zhang"); got != "Handled by Zhang of the General team." {
		t.Errorf("T = %q", got)
	}
	if got := cn.T("holder.agent", "team", "综合", "agent", "张敏"); got != "由综合团队的张敏负责处理。" {
		t.Errorf("T = %q", got)
	}
	if got := en.T("no.such.key"); got != "no.such.key" {
		t.Errorf("missing key = %q", got)
	}
	if got := en.N("queue.count", 1); got != "1 case on this page." {
		t.Errorf("N(1) = %q", got)
	}
	if got := en.N("queue.count", 3); got != "3 cases on this page." {
		t.Errorf("N(3) = %q", got)
	}
	if got := cn.N("queue.count", 3); got != "本页共 3 件工单。" {
		t.Errorf("zh N(3) = %q", got)
	}
	// A value that looks like a placeholder is not expanded again.
	if got := en.T("holder.team", "team", "{agent}"); got != "With the {agent} team; a specialist will be assigned shortly." {
		t.Errorf("T = %q", got)
	}
	if en.Name() != "English" || cn.Name() != "简体中文" || cn.HTMLLang() != "zh-Hans" {
		t.Errorf("names: %s %s %s", en.Name(), cn.Name(), cn.HTMLLang())
	}
}
