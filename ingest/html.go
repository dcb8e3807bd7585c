package ingest

import (
	"bytes"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	readability "codeberg.org/readeck/go-readability/v2"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/briefbot/briefbot/corpus"
)

// minArticleRunes is how much text a page needs to count as an article
// rather than an index page, a login wall or an error page.
const minArticleRunes = 200

// ErrNoArticle is a page with no article text in it.
var ErrNoArticle = errors.New("no article text found in the page")

// FromHTML extracts the article of a web page: its body by readability's
// rules, its title, outlet, author and publication date from the page's
// metadata (og: and article: tags, JSON-LD, <time>), its canonical address.
// pageURL, when known, resolves relative addresses.
func FromHTML(data []byte, pageURL *url.URL) (*corpus.Article, error) {
	if !utf8.Valid(data) {
		data = bytes.ToValidUTF8(data, []byte("\uFFFD"))
	}
	doc, err := html.Parse(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("read HTML: %w", err)
	}
	meta := pageMeta(doc, pageURL)
	parsed, err := readability.FromDocument(doc, pageURL)
	if err != nil || parsed.Node == nil {
		return nil, ErrNoArticle
	}
	a := &corpus.Article{
		Title:  clean(parsed.Title()),
		Outlet: clean(parsed.SiteName()),
		Author: clean(strings.TrimPrefix(strings.TrimSpace(parsed.Byline()), "By ")),
		URL:    corpus.CleanURL(meta.canonical),
	}
	if a.Outlet == "" && pageURL != nil {
		a.Outlet = strings.TrimPrefix(pageURL.Hostname(), "www.")
	}
	if t, err := parsed.PublishedTime(); err == nil {
		a.Published = corpus.Day(t)
	} else if !meta.time.IsZero() {
		a.Published = corpus.Day(meta.time)
	}
	total := 0
	for _, p := range paragraphs(parsed.Node) {
		a.Paragraphs = append(a.Paragraphs, corpus.Paragraph{N: len(a.Paragraphs) + 1, Text: p})
		total += utf8.RuneCountInString(p)
	}
	if total < minArticleRunes {
		return nil, ErrNoArticle
	}
	// Bylines and datelines inside the body are furniture by the corpus's
	// rules, as in any other article.
	if _, err := prepare(a); err != nil {
		return nil, ErrNoArticle
	}
	return a, nil
}

type metadata struct {
	canonical string
	time      time.Time
}

// pageMeta reads what readability leaves out: the canonical address and
// the first <time datetime>.
func pageMeta(doc *html.Node, pageURL *url.URL) metadata {
	var m metadata
	var ogURL string
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			switch n.DataAtom {
			case atom.Link:
				if strings.EqualFold(attr(n, "rel"), "canonical") && m.canonical == "" {
					m.canonical = resolve(pageURL, attr(n, "href"))
				}
			case atom.Meta:
				if attr(n, "property") == "og:url" && ogURL == "" {
					ogURL = resolve(pageURL, attr(n, "content"))
				}
			case atom.Time:
				if m.time.IsZero() {
					if t, ok := corpus.ParseDate(attr(n, "datetime")); ok {
						m.time = t
					}
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	if m.canonical == "" {
		m.canonical = ogURL
	}
	if m.canonical == "" && pageURL != nil {
		m.canonical = pageURL.String()
	}
	return m
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if strings.EqualFold(a.Key, key) {
			return strings.TrimSpace(a.Val)
		}
	}
	return ""
}

// resolve makes href absolute against the page; only http(s) results count.
func resolve(base *url.URL, href string) string {
	u, err := url.Parse(href)
	if err != nil || href == "" {
		return ""
	}
	if base != nil {
		u = base.ResolveReference(u)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return ""
	}
	return u.String()
}

// blocks hold a paragraph's text each.
var blocks = map[atom.Atom]bool{
	atom.P: true, atom.H1: true, atom.H2: true, atom.H3: true, atom.H4: true, atom.H5: true, atom.H6: true,
	atom.Li: true, atom.Blockquote: true, atom.Pre: true, atom.Dd: true, atom.Dt: true, atom.Figcaption: true,
}

// paragraphs are the texts of the innermost blocks of the article, in
// reading order; text outside any block becomes a paragraph of its own.
func paragraphs(root *html.Node) []string {
	var out []string
	var loose strings.Builder
	flush := func() {
		if t := clean(loose.String()); t != "" {
			out = append(out, t)
		}
		loose.Reset()
	}
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		switch {
		case n.Type == html.TextNode:
			loose.WriteString(n.Data)
			return
		case n.Type == html.ElementNode && (n.DataAtom == atom.Script || n.DataAtom == atom.Style):
			return
		case n.Type == html.ElementNode && n.DataAtom == atom.Br:
			loose.WriteString(" ")
			return
		case n.Type == html.ElementNode && blocks[n.DataAtom] && !hasBlock(n):
			flush()
			loose.WriteString(text(n))
			flush()
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
		if n.Type == html.ElementNode && n.DataAtom != atom.A && n.DataAtom != atom.Span && n.DataAtom != atom.Em &&
			n.DataAtom != atom.Strong && n.DataAtom != atom.B && n.DataAtom != atom.I {
			flush() // the end of a block-level container ends loose text
		}
	}
	walk(root)
	flush()
	return out
}

func hasBlock(n *html.Node) bool {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode && (blocks[c.DataAtom] || hasBlock(c)) {
			return true
		}
	}
	return false
}

// text is a node's text, with <br> as a space.
func text(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		switch {
		case n.Type == html.TextNode:
			b.WriteString(n.Data)
		case n.Type == html.ElementNode && n.DataAtom == atom.Br:
			b.WriteString(" ")
		case n.Type == html.ElementNode && (n.DataAtom == atom.Script || n.DataAtom == atom.Style):
		default:
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				walk(c)
			}
		}
	}
	walk(n)
	return b.String()
}

// clean collapses white space, as a browser shows text.
func clean(s string) string { return strings.Join(strings.Fields(s), " ") }

// parseLink parses a link for resolving relative addresses; nil when there is none.
func parseLink(link string) *url.URL {
	u, err := url.Parse(link)
	if err != nil || link == "" {
		return nil
	}
	return u
}

func hostOf(link string) string {
	if u := parseLink(link); u != nil {
		return strings.TrimPrefix(u.Hostname(), "www.")
	}
	return ""
}
