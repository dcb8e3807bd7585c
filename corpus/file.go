package corpus

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/briefbot/briefbot/internal/regularfile"
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

// DirFS is a folder of articles on disk, like os.DirFS, except that only
// regular files open (symlinks to them are followed): a FIFO, a device or
// a socket is refused at once, never read.
func DirFS(dir string) fs.FS { return dirFS(dir) }

type dirFS string

func (d dirFS) path(op, name string) (string, error) {
	if !fs.ValidPath(name) || strings.Contains(name, "\\") {
		return "", &fs.PathError{Op: op, Path: name, Err: fs.ErrInvalid}
	}
	return filepath.Join(string(d), filepath.FromSlash(name)), nil
}

func (d dirFS) Open(name string) (fs.File, error) {
	p, err := d.path("open", name)
	if err != nil {
		return nil, err
	}
	if name == "." {
		return os.Open(p)
	}
	f, _, err := regularfile.Open(p)
	if err != nil {
		return nil, err
	}
	return f, nil
}

func (d dirFS) ReadDir(name string) ([]fs.DirEntry, error) {
	p, err := d.path("readdir", name)
	if err != nil {
		return nil, err
	}
	return os.ReadDir(p)
}

func (d dirFS) Stat(name string) (fs.FileInfo, error) {
	p, err := d.path("stat", name)
	if err != nil {
		return nil, err
	}
	return os.Stat(p)
}
