package corpus

import (
	"bytes"
	"fmt"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// Parse reads one article file as Load would (without a sources.json entry).
func Parse(name string, data []byte) (*Article, error) {
	return parseArticle(name, data, source{})
}

// HashBytes is the content hash Listing and Load give a file's bytes.
func HashBytes(data []byte) string { return hashBytes(data) }

// Marshal writes an article as a Markdown file with front matter, the form
// ingested articles are stored in: Parse reads it back with the same
// metadata and paragraphs.
func Marshal(a *Article) []byte {
	fm := struct {
		Title     string `yaml:"title,omitempty"`
		Outlet    string `yaml:"outlet,omitempty"`
		Author    string `yaml:"author,omitempty"`
		URL       string `yaml:"url,omitempty"`
		Published string `yaml:"published,omitempty"`
		Ingested  string `yaml:"ingested,omitempty"`
	}{Title: a.Title, Outlet: a.Outlet, Author: a.Author, URL: a.URL}
	if !a.Published.IsZero() {
		fm.Published = a.Published.Format("2006-01-02")
	}
	if !a.Ingested.IsZero() {
		fm.Ingested = a.Ingested.UTC().Format(time.RFC3339Nano)
	}
	head, err := yaml.Marshal(fm)
	if err != nil {
		panic(fmt.Sprintf("encode front matter: %v", err)) // plain strings always encode
	}
	var b bytes.Buffer
	b.WriteString("---\n")
	b.Write(head)
	b.WriteString("---\n")
	for i, p := range a.Paragraphs {
		if i > 0 {
			b.WriteString("\n")
		}
		b.WriteString(strings.Join(strings.Fields(p.Text), " "))
		b.WriteString("\n")
	}
	return b.Bytes()
}
