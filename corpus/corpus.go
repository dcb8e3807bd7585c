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
	"maps"
	"os"
	"path"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"gopkg.in/yaml.v3"

	"github.com/briefbot/briefbot/internal/regularfile"
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
	ID        string    `json:"id"`   // the file name: x.txt and x.md are two articles
	File      string    `json:"file"` // the file name in the corpus folder
	Title     string    `json:"title,omitempty"`
	Outlet    string    `json:"outlet,omitempty"`
	Author    string    `json:"author,omitempty"`
	URL       string    `json:"url,omitempty"`
	Published time.Time `json:"published,omitempty"` // zero when unknown
	// Ingested is when briefbot first stored the article (front matter
	// "ingested"); zero for articles that came with the corpus folder.
	Ingested time.Time `json:"ingested,omitempty"`
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
	// Hash is the file's content hash, when it could be read.
	Hash string `json:"hash,omitempty"`
}

// Corpus is a loaded folder of articles.
type Corpus struct {
	Articles []*Article
	Settings Settings
	Problems []Problem
	// Fingerprint changes whenever any file that shapes the corpus changes.
	Fingerprint string
	// SettingsHash and Hashes are as in Listing, for the files read.
	SettingsHash string
	Hashes       map[string]string
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
	Ingested  string `yaml:"ingested"`
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
	return Load(DirFS(dir))
}

// Load reads every .txt and .md file at the top of fsys. Files that cannot be
// used are listed in Problems, not fatal; only an unreadable folder or a
// malformed sources.json or briefbot.yaml is an error.
func Load(fsys fs.FS) (*Corpus, error) { return load(fsys, nil) }

// LoadFiles is Load for the named article files only (with the folder's
// sources.json and briefbot.yaml): what an incremental update reads.
func LoadFiles(fsys fs.FS, names []string) (*Corpus, error) {
	want := make(map[string]bool, len(names))
	for _, n := range names {
		want[n] = true
	}
	return load(fsys, want)
}

func load(fsys fs.FS, only map[string]bool) (*Corpus, error) {
	s, err := openStream(fsys, only)
	if err != nil {
		return nil, err
	}
	var articles []*Article
	for i := range s.Len() {
		if a, _ := s.Article(i); a != nil {
			articles = append(articles, a)
		}
	}
	c := s.Corpus()
	c.Articles = articles
	return c, nil
}

// Stream reads a corpus folder one article at a time, so that a build
// holds only the articles it is working on, not the whole folder. Article
// may be called from several goroutines, once for each index; Corpus says
// what the folder held once every article was read.
type Stream struct {
	settings     Settings
	settingsHash string
	n            int
	read         func(i int) (*Article, string)

	mu       sync.Mutex
	hashes   map[string]string
	problems []Problem
	loaded   *Corpus // a corpus already in memory, streamed as it is
}

// OpenStream reads the folder's settings and names its article files,
// in the order Load gives their articles.
func OpenStream(fsys fs.FS) (*Stream, error) { return openStream(fsys, nil) }

// StreamOf streams a corpus already loaded (nil: an empty one).
func StreamOf(c *Corpus) *Stream {
	if c == nil {
		c = &Corpus{}
	}
	return &Stream{settings: c.Settings, settingsHash: c.SettingsHash, n: len(c.Articles), loaded: c,
		read: func(i int) (*Article, string) { return c.Articles[i], c.Hashes[c.Articles[i].File] }}
}

func openStream(fsys fs.FS, only map[string]bool) (*Stream, error) {
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, fmt.Errorf("read corpus folder: %w", err)
	}
	s := &Stream{hashes: map[string]string{}}
	sources := map[string]source{}
	settings := sha256.New()
	if data, err := fs.ReadFile(fsys, "sources.json"); err == nil {
		var doc struct {
			Articles []source `json:"articles"`
		}
		if err := json.Unmarshal(data, &doc); err != nil {
			return nil, fmt.Errorf("read sources.json: %w", err)
		}
		for _, src := range doc.Articles {
			sources[src.File] = src
		}
		hashFile(settings, "sources.json", data)
	}
	if data, err := fs.ReadFile(fsys, "briefbot.yaml"); err == nil {
		if err := yaml.Unmarshal(data, &s.settings); err != nil {
			return nil, fmt.Errorf("read briefbot.yaml: %w", err)
		}
		hashFile(settings, "briefbot.yaml", data)
	}
	s.settingsHash = hex.EncodeToString(settings.Sum(nil))
	var names []string
	for _, e := range entries {
		if isArticleFile(e) && (only == nil || only[e.Name()]) {
			names = append(names, e.Name())
		}
	}
	sort.Strings(names) // an article's ID is its file name: Load's order
	s.n = len(names)
	s.read = func(i int) (*Article, string) {
		name := names[i]
		data, hash, err := readArticleFile(fsys, name)
		if err == nil {
			var a *Article
			if a, err = parseArticle(name, data, sources[name]); err == nil {
				s.note(name, hash, nil)
				return a, hash
			}
		}
		s.note(name, hash, err)
		return nil, hash
	}
	return s, nil
}

// note records what reading one file found.
func (s *Stream) note(name, hash string, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if hash != "" {
		s.hashes[name] = hash
	}
	if err != nil {
		s.problems = append(s.problems, Problem{File: name, Reason: err.Error(), Hash: hash})
	}
}

// Settings are the folder's briefbot.yaml; SettingsHash is as in Listing.
func (s *Stream) Settings() Settings   { return s.settings }
func (s *Stream) SettingsHash() string { return s.settingsHash }

// Len is how many article files the folder names.
func (s *Stream) Len() int { return s.n }

// Article reads the i-th article file, with its content hash; nil when the
// file cannot be used (Corpus lists it among the problems).
func (s *Stream) Article(i int) (*Article, string) { return s.read(i) }

// Corpus is what the folder held, without its articles: settings,
// problems, hashes and fingerprint. It is complete once every article
// was read.
func (s *Stream) Corpus() *Corpus {
	if s.loaded != nil {
		c := *s.loaded
		c.Articles = nil
		return &c
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	problems := slices.Clone(s.problems)
	sort.Slice(problems, func(i, j int) bool { return problems[i].File < problems[j].File })
	hashes := maps.Clone(s.hashes)
	return &Corpus{Settings: s.settings, SettingsHash: s.settingsHash, Problems: problems,
		Hashes: hashes, Fingerprint: fingerprint(s.settingsHash, hashes)}
}

// Listing is what a corpus folder holds, by content hash: enough to tell
// which articles changed since an index was built, without parsing any.
type Listing struct {
	// SettingsHash covers sources.json and briefbot.yaml, which shape every article.
	SettingsHash string
	// Hashes maps each article file (readable or not) to its content hash.
	Hashes map[string]string
	// manifest, when known, is Manifest of Hashes.
	manifest string
}

// List hashes the folder's files without parsing them.
func List(fsys fs.FS) (*Listing, error) {
	l, _, _, err := ListCached(fsys, nil, time.Time{})
	return l, err
}

// ListFiles is List for the named files only: what a few file-system events
// name. Names that are not article files are left out, and so are files
// that no longer exist; Settings says whether sources.json or briefbot.yaml
// is among the names.
func ListFiles(fsys fs.FS, names []string) (hashes map[string]string, settings bool) {
	hashes = map[string]string{}
	for _, n := range names {
		ext := strings.ToLower(path.Ext(n))
		switch {
		case n == "sources.json" || n == "briefbot.yaml":
			settings = true
		case strings.HasPrefix(n, ".") || (ext != ".txt" && ext != ".md"):
		default:
			if _, hash, _ := readArticleFile(fsys, n); hash != "" {
				hashes[n] = hash
			}
		}
	}
	return hashes, settings
}

// fingerprint changes whenever any file that shapes the corpus changes.
func fingerprint(settings string, hashes map[string]string) string {
	names := make([]string, 0, len(hashes))
	for n := range hashes {
		names = append(names, n)
	}
	sort.Strings(names)
	h := sha256.New()
	io.WriteString(h, settings)
	for _, n := range names {
		fmt.Fprintf(h, "\x00%s\x00%s", n, hashes[n])
	}
	return hex.EncodeToString(h.Sum(nil))
}

func hashFile(h io.Writer, name string, data []byte) {
	fmt.Fprintf(h, "\x00%s\x00%d\x00", name, len(data))
	h.Write(data)
}

func hashBytes(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:16])
}

// isArticleFile: a visible .txt or .md file.
func isArticleFile(e fs.DirEntry) bool {
	name := e.Name()
	ext := path.Ext(name)
	return (strings.EqualFold(ext, ".txt") || strings.EqualFold(ext, ".md")) && !strings.HasPrefix(name, ".") && !e.IsDir()
}

// readArticleFile reads an article file of at most MaxArticleBytes that is
// a regular file. hash identifies the file's state for updates: its
// content hash, or for a file that is not read (too large, not a regular
// file, unreadable) its size, time and mode; "" when it does not exist.
func readArticleFile(fsys fs.FS, name string) (data []byte, hash string, err error) {
	st, err := fs.Stat(fsys, name)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, "", err
		}
		return nil, "stat:" + name, fmt.Errorf("unreadable: %w", unwrapPath(err))
	}
	stateHash := fmt.Sprintf("stat:%d:%d:%v", st.Size(), st.ModTime().UnixNano(), st.Mode())
	if !st.Mode().IsRegular() {
		return nil, stateHash, regularfile.ErrNotRegular
	}
	f, err := fsys.Open(name)
	if err != nil {
		return nil, stateHash, fmt.Errorf("unreadable: %w", unwrapPath(err))
	}
	defer f.Close()
	data, err = regularfile.ReadLimited(f, st.Size(), MaxArticleBytes)
	if err != nil {
		return nil, stateHash, err
	}
	return data, hashBytes(data), nil
}

// unwrapPath drops the path from a path error: the problem names the file.
func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

func parseArticle(name string, data []byte, src source) (*Article, error) {
	switch {
	case len(data) > MaxArticleBytes:
		return nil, &regularfile.TooLarge{Size: int64(len(data)), Limit: MaxArticleBytes}
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

	a := &Article{ID: name, File: name, Removed: removed}
	a.Title = first(fm.Title, src.Title, meta.Title)
	a.Outlet = first(fm.Outlet, src.Outlet, meta.Outlet)
	a.Author = first(fm.Author, src.Author, meta.Author)
	a.URL = CleanURL(first(fm.URL, src.URL))
	for _, d := range []string{fm.Published, src.Published} {
		if t, ok := ParseDate(d); ok {
			a.Published = t
			break
		}
	}
	if a.Published.IsZero() {
		a.Published = meta.Published
	}
	if t, err := time.Parse(time.RFC3339, strings.TrimSpace(fm.Ingested)); err == nil {
		a.Ingested = t.UTC()
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
