package email

import (
	"html"
	"strings"
)

// blockTags end a line of text when they open or close.
var blockTags = map[string]bool{
	"br": true, "p": true, "div": true, "li": true, "tr": true, "table": true, "hr": true,
	"h1": true, "h2": true, "h3": true, "h4": true, "h5": true, "h6": true, "blockquote": true,
	"pre": true, "ul": true, "ol": true, "section": true, "article": true, "header": true, "footer": true,
	"dt": true, "dd": true, "title": true,
}

// skipTags hide their content: it is not text a reader sees.
var skipTags = map[string]bool{"script": true, "style": true, "head": true, "template": true, "noscript": true}

// HTMLToText reduces an HTML document to the text a reader would see:
// tags dropped (block elements end lines), scripts, styles and comments
// left out, character references decoded, white space collapsed. It is
// for reading, not for rendering: it never fails.
func HTMLToText(doc string) string {
	var out strings.Builder
	skip := "" // the tag whose content is being skipped
	for len(doc) > 0 {
		lt := strings.IndexByte(doc, '<')
		if lt < 0 {
			if skip == "" {
				out.WriteString(html.UnescapeString(doc))
			}
			break
		}
		if skip == "" {
			out.WriteString(html.UnescapeString(doc[:lt]))
		}
		doc = doc[lt:]
		if strings.HasPrefix(doc, "<!--") {
			end := strings.Index(doc[4:], "-->")
			if end < 0 {
				break
			}
			doc = doc[4+end+3:]
			continue
		}
		gt := tagEnd(doc)
		if gt < 0 {
			// A lone '<' in text.
			if skip == "" {
				out.WriteByte('<')
			}
			doc = doc[1:]
			continue
		}
		name, closing := tagName(doc[1:gt])
		doc = doc[gt+1:]
		switch {
		case skip != "":
			if closing && name == skip {
				skip = ""
			}
		case skipTags[name] && !closing:
			skip = name
		case blockTags[name]:
			out.WriteByte('\n')
		case name == "td" || name == "th":
			out.WriteByte(' ')
		}
	}
	return collapse(out.String())
}

// tagEnd finds the '>' closing the tag that doc starts with, skipping
// quoted attribute values; -1 if doc does not start a tag.
func tagEnd(doc string) int {
	if len(doc) < 2 {
		return -1
	}
	c := doc[1]
	if !(c == '/' || c == '!' || c == '?' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
		return -1
	}
	var quote byte
	for i := 1; i < len(doc); i++ {
		switch b := doc[i]; {
		case quote != 0:
			if b == quote {
				quote = 0
			}
		case b == '"' || b == '\'':
			quote = b
		case b == '>':
			return i
		}
	}
	return -1
}

func tagName(tag string) (name string, closing bool) {
	if strings.HasPrefix(tag, "/") {
		closing, tag = true, tag[1:]
	}
	end := strings.IndexAny(tag, " \t\r\n/>")
	if end < 0 {
		end = len(tag)
	}
	return strings.ToLower(tag[:end]), closing
}

// collapse turns runs of spaces into one and drops blank lines (tags end
// lines generously: </div><div> would otherwise leave gaps everywhere).
func collapse(s string) string {
	var kept []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.Join(strings.Fields(l), " "); l != "" {
			kept = append(kept, l)
		}
	}
	return strings.Join(kept, "\n")
}
