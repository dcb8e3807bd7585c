// Package corpus loads a folder of news articles: metadata from front matter,
// a sources.json beside them or the text itself; page furniture taken out;
// the body split into paragraphs (the unit of citation) and sentences.
package corpus

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

//go:embed bundled
var bundled embed.FS

// Bundled is the default corpus shipped inside the binary.
func Bundled() fs.FS {
	sub, err := fs.Sub(bundled, "bundled")
	if err != nil {
		panic(err) // the embed pattern above guarantees the folder
	}
	return sub
}

// Article is one news article with its body split into paragraphs.
type Article struct {
	ID        string    `json:"id"`   // the file name without its extension
	File      string    `json:"file"` // the file name in the corpus folder
	Title     string    `json:"title,omitempty"`
	Outlet    string    `json:"outlet,omitempty"`
	Author    string    `json:"author,omitempty"`
	URL       string    `json:"url,omitempty"`
	Published time.Time `json:"published,omitempty"` // zero when unknown
	// Paragraphs are the body without page furniture; Paragraph.N counts from 1.
	Paragraphs []Paragraph `json:"paragraphs"`
	Removed    []Removed   `json:"-"`
}

// Paragraph keeps the characters as received.
type Paragraph struct {
	N         int    `json:"n"`
	Text      string `json:"text"`
	Sentences []Span `json:"-"`
}

// Slice returns the original text between two rune offsets.
func (p Paragraph) Slice(s Span) string {
	rs := []rune(p.Text)
	return string(rs[s.Start:s.End])
}

// Settings are per-corpus choices, read from briefbot.yaml in the folder.
type Settings struct {
	// Subject is the actor /stance describes when none is named.
	Subject string `yaml:"subject" json:"subject,omitempty"`
	// ActorAliases adds names under which an actor appears ("Islamabad" for Pakistan).
	ActorAliases map[string][]string `yaml:"actor_aliases" json:"actor_aliases,omitempty"`
}

// Problem is an article file that could not be used, and why.
type Problem struct {
	File   string `json:"file"`
	Reason string `json:"reason"`
}

// Corpus is a loaded folder of articles.
type Corpus struct {
	Articles []*Article
	Settings Settings
	Problems []Problem
	// Fingerprint changes whenever any file that shapes the corpus changes.
	Fingerprint string
}

// source is one entry of sources.json; null fields stay empty.
type source struct {
	File      string `json:"file"`
	Title     string `json:"title"`
	Outlet    string `json:"outlet"`
	Author    string `json:"author"`
	URL       string `json:"url"`
	Published string `json:"published"`
}

type frontMatter struct {
	Title     string `yaml:"title"`
	Outlet    string `yaml:"outlet"`
	Author    string `yaml:"author"`
	URL       string `yaml:"url"`
	Published string `yaml:"published"`
}

// MaxArticleBytes bounds one article file; larger files are reported and skipped.
const MaxArticleBytes = 4 << 20

// LoadDir loads the articles in a folder on disk.
func LoadDir(dir string) (*Corpus, error) {
	st, err := os.Stat(dir)
	if err != nil {
		return nil, fmt.Errorf("open corpus %s: %w", dir, err)
	}
	if !st.IsDir() {
		return nil, fmt.Errorf("open corpus %s: not a folder", dir)
	}
	return Load(os.DirFS(dir))
}

// Load reads every .txt and .md file at the top of fsys. Files that cannot be
// used are listed in Problems, not fatal; only an unreadable folder or a
// malformed sources.json or briefbot.yaml is an error.
func Load(fsys fs.FS) (*Corpus, error) {
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, fmt.Errorf("read corpus folder: %w", err)
	}
	c := &Corpus{}
	hash := sha256.New()
	sources := map[string]source{}
	if data, err := fs.ReadFile(fsys, "sources.json"); err == nil {
		var doc struct {
			Articles []source `json:"articles"`
		}
		if err := json.Unmarshal(data, &doc); err != nil {
			return nil, fmt.Errorf("read sources.json: %w", err)
		}
		for _, s := range doc.Articles {
			sources[s.File] = s
		}
		hashFile(hash, "sources.json", data)
	}
	if data, err := fs.ReadFile(fsys, "briefbot.yaml"); err == nil {
		if err := yaml.Unmarshal(data, &c.Settings); err != nil {
			return nil, fmt.Errorf("read briefbot.yaml: %w", err)
		}
		hashFile(hash, "briefbot.yaml", data)
	}
	for _, e := range entries {
		name := e.Name()
		if !isArticleFile(e) {
			continue
		}
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			c.Problems = append(c.Problems, Problem{name, "unreadable: " + err.Error()})
			continue
		}
		hashFile(hash, name, data)
		a, err := parseArticle(name, data, sources[name])
		if err != nil {
			c.Problems = append(c.Problems, Problem{name, err.Error()})
			continue
		}
		c.Articles = append(c.Articles, a)
	}
	sort.Slice(c.Articles, func(i, j int) bool { return c.Articles[i].File < c.Articles[j].File })
	c.Fingerprint = hex.EncodeToString(hash.Sum(nil))
	return c, nil
}

// Fingerprint is the Fingerprint Load would give fsys, from the files'
// bytes alone: much cheaper than loading, to tell whether an index is current.
func Fingerprint(fsys fs.FS) (string, error) {
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return "", fmt.Errorf("read corpus folder: %w", err)
	}
	hash := sha256.New()
	for _, name := range []string{"sources.json", "briefbot.yaml"} {
		if data, err := fs.ReadFile(fsys, name); err == nil {
			hashFile(hash, name, data)
		}
	}
	for _, e := range entries {
		if !isArticleFile(e) {
			continue
		}
		if data, err := fs.ReadFile(fsys, e.Name()); err == nil {
			hashFile(hash, e.Name(), data)
		}
	}
	return hex.EncodeToString(hash.Sum(nil)), nil
}

func hashFile(h io.Writer, name string, data []byte) {
	fmt.Fprintf(h, "\x00%s\x00%d\x00", name, len(data))
	h.Write(data)
}

// isArticleFile: a visible .txt or .md file.
func isArticleFile(e fs.DirEntry) bool {
	ext := strings.ToLower(path.Ext(e.Name()))
	return !e.IsDir() && (ext == ".txt" || ext == ".md") && !strings.HasPrefix(e.Name(), ".")
}

func parseArticle(name string, data []byte, src source) (*Article, error) {
	switch {
	case len(data) > MaxArticleBytes:
		return nil, fmt.Errorf("file is %d bytes, over the %d-byte limit", len(data), MaxArticleBytes)
	case !utf8.Valid(data):
		return nil, errors.New("not UTF-8 text")
	case bytes.IndexByte(data, 0) >= 0:
		return nil, errors.New("binary data (NUL bytes), not an article")
	}
	text := strings.TrimPrefix(string(data), "\ufeff")
	fm, text, err := splitFrontMatter(text)
	if err != nil {
		return nil, err
	}
	body, meta, removed := clean(text)

	a := &Article{ID: strings.TrimSuffix(name, path.Ext(name)), File: name, Removed: removed}
	a.Title = first(fm.Title, src.Title, meta.Title)
	a.Outlet = first(fm.Outlet, src.Outlet, meta.Outlet)
	a.Author = first(fm.Author, src.Author, meta.Author)
	a.URL = first(fm.URL, src.URL)
	for _, d := range []string{fm.Published, src.Published} {
		if t, ok := ParseDate(d); ok {
			a.Published = t
			break
		}
	}
	if a.Published.IsZero() {
		a.Published = meta.Published
	}

	// The headline repeated inside the body is furniture, whoever named it.
	titleKey := Fold(a.Title)
	for _, line := range body {
		if titleKey != "" && Fold(line) == titleKey {
			a.Removed = append(a.Removed, Removed{line, "repeated headline"})
			continue
		}
		p := Paragraph{N: len(a.Paragraphs) + 1, Text: line}
		p.Sentences = Sentences(line)
		a.Paragraphs = append(a.Paragraphs, p)
	}
	if len(a.Paragraphs) == 0 {
		return nil, errors.New("no article text after page furniture was removed")
	}
	return a, nil
}

func splitFrontMatter(text string) (frontMatter, string, error) {
	var fm frontMatter
	rest, ok := strings.CutPrefix(text, "---\n")
	if !ok {
		rest, ok = strings.CutPrefix(text, "---\r\n")
	}
	if !ok {
		return fm, text, nil
	}
	head, body, found := strings.Cut(rest, "\n---")
	if !found {
		return fm, text, errors.New("front matter opened with --- but never closed")
	}
	if err := yaml.Unmarshal([]byte(head), &fm); err != nil {
		return fm, text, fmt.Errorf("front matter: %w", err)
	}
	if i := strings.IndexByte(body, '\n'); i >= 0 {
		body = body[i+1:]
	} else {
		body = ""
	}
	return fm, body, nil
}

func first(vals ...string) string {
	for _, v := range vals {
		if v = strings.TrimSpace(v); v != "" {
			return v
		}
	}
	return ""
}
