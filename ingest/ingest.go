// Package ingest adds articles to a running briefbot: files, web pages and
// feeds are read into articles, stored as Markdown files in the library
// folder (the source of truth) and applied to the index in one update.
package ingest

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/briefbot/briefbot/corpus"
	"github.com/briefbot/briefbot/index"
	"github.com/briefbot/briefbot/internal/atomicfile"
	"github.com/briefbot/briefbot/internal/regularfile"
)

// Index is what ingestion needs of the index.
type Index interface {
	Meta() *index.Meta
	Apply(ctx context.Context, ch index.Change, opts index.Options) error
	Refresh(ctx context.Context, fsys fs.FS, names []string, opts index.Options) (string, error)
	Damaged() string
	Repair(ctx context.Context, fsys fs.FS, opts index.Options) (string, error)
}

// Ingester stores and indexes new articles. Its methods are safe for
// concurrent use; ingestions run one at a time.
type Ingester struct {
	index   Index
	library string
	fetch   *Fetcher
	now     func() time.Time
	log     *slog.Logger

	// mu lets one ingestion run at a time and guards seenLinks, the feed
	// item links read this run.
	mu        sync.Mutex
	seenLinks map[string]bool
}

// Config is what an Ingester is built from.
type Config struct {
	Index Index
	// Library is the folder ingested articles are stored in, one .md file
	// each; the index is rebuilt from it (with the corpus folder) on start.
	Library string
	Fetcher *Fetcher
	Now     func() time.Time
	Logger  *slog.Logger
}

// New makes an Ingester and removes what an interrupted one left behind
// (files half-written before a crash, never acknowledged).
func New(cfg Config) (*Ingester, error) {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Fetcher == nil {
		cfg.Fetcher = NewFetcher(FetchOptions{})
	}
	if err := os.MkdirAll(cfg.Library, 0o755); err != nil {
		return nil, fmt.Errorf("create library folder %s: %w", cfg.Library, err)
	}
	leftovers, _ := filepath.Glob(filepath.Join(cfg.Library, atomicfile.TempPattern))
	for _, f := range leftovers {
		os.Remove(f)
	}
	return &Ingester{index: cfg.Index, library: cfg.Library, fetch: cfg.Fetcher, now: cfg.Now, log: cfg.Logger,
		seenLinks: map[string]bool{}}, nil
}

// Status is what became of one input.
type Status string

const (
	Added     Status = "added"
	Updated   Status = "updated"   // same address as a stored article, new text
	Duplicate Status = "duplicate" // same text or same address and text as a stored article
	// NothingNew is a source read in full with nothing to add (a feed
	// whose items are all stored).
	NothingNew Status = "nothing new"
	Failed     Status = "failed"
)

// Result reports one input.
type Result struct {
	Input  string `json:"input"`
	Status Status `json:"status"`
	File   string `json:"file,omitempty"`
	Title  string `json:"title,omitempty"`
	// Reason says why an input failed or what it duplicates.
	Reason string `json:"reason,omitempty"`
}

func (r Result) String() string {
	switch r.Status {
	case Failed:
		return fmt.Sprintf("failed    %s: %s", r.Input, r.Reason)
	case Duplicate:
		return fmt.Sprintf("duplicate %s: %s", r.Input, r.Reason)
	case NothingNew:
		return fmt.Sprintf("unchanged %s: %s", r.Input, r.Reason)
	}
	return fmt.Sprintf("%-9s %s → %s (%s)", r.Status, r.Input, r.File, orUntitled(r.Title))
}

func orUntitled(t string) string {
	if t == "" {
		return "untitled"
	}
	return t
}

// source is one input, read when its turn comes so that a failure stays its own.
type source struct {
	input string
	read  func(ctx context.Context) ([]*corpus.Article, error)
}

// Paths ingests files (.txt, .md, .html, .htm, or .url with one address
// per line) and the files at the top of folders.
func (in *Ingester) Paths(ctx context.Context, paths []string) []Result {
	var srcs []source
	var results []Result
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			results = append(results, Result{Input: p, Status: Failed, Reason: unwrapPath(err)})
			continue
		}
		if !st.IsDir() {
			srcs = append(srcs, in.fileSource(p))
			continue
		}
		entries, err := os.ReadDir(p)
		if err != nil {
			results = append(results, Result{Input: p, Status: Failed, Reason: unwrapPath(err)})
			continue
		}
		for _, e := range entries {
			if !e.IsDir() && !strings.HasPrefix(e.Name(), ".") {
				srcs = append(srcs, in.fileSource(filepath.Join(p, e.Name())))
			}
		}
	}
	return append(results, in.ingest(ctx, srcs)...)
}

// URLs ingests web pages; an address that serves a feed ingests its items.
func (in *Ingester) URLs(ctx context.Context, urls []string) []Result {
	var srcs []source
	for _, u := range urls {
		srcs = append(srcs, in.urlSource(u))
	}
	return in.ingest(ctx, srcs)
}

// maxFileBytes bounds an input file (HTML pages carry much markup).
const maxFileBytes = 8 << 20

func (in *Ingester) fileSource(path string) source {
	return source{input: path, read: func(ctx context.Context) ([]*corpus.Article, error) {
		data, err := regularfile.ReadFile(path, maxFileBytes)
		if err != nil {
			return nil, errors.New(unwrapPath(err))
		}
		switch ext := strings.ToLower(filepath.Ext(path)); ext {
		case ".txt", ".md":
			a, err := corpus.Parse(filepath.Base(path), data)
			return one(a, err)
		case ".html", ".htm":
			return one(FromHTML(data, nil))
		case ".url":
			return in.readURLList(ctx, data)
		default:
			return nil, fmt.Errorf("unsupported file type %q: use .txt, .md, .html or .url", ext)
		}
	}}
}

func one(a *corpus.Article, err error) ([]*corpus.Article, error) {
	if err != nil {
		return nil, err
	}
	return []*corpus.Article{a}, nil
}

// readURLList reads a .url file: one address per line, # for comments.
func (in *Ingester) readURLList(ctx context.Context, data []byte) ([]*corpus.Article, error) {
	var out []*corpus.Article
	var errs []string
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		as, err := in.readURL(ctx, line)
		if err != nil {
			errs = append(errs, err.Error())
			continue
		}
		out = append(out, as...)
	}
	if len(out) == 0 && len(errs) > 0 {
		return nil, errors.New(strings.Join(errs, "; "))
	}
	for _, e := range errs {
		in.log.Warn("skipped an address of a .url file", "reason", e)
	}
	return out, nil
}

func (in *Ingester) urlSource(raw string) source {
	return source{input: raw, read: func(ctx context.Context) ([]*corpus.Article, error) { return in.readURL(ctx, raw) }}
}

// readURL fetches a page (or a feed, then its new items).
func (in *Ingester) readURL(ctx context.Context, raw string) ([]*corpus.Article, error) {
	page, err := in.fetch.Get(ctx, raw)
	if err != nil {
		return nil, err
	}
	if isFeed(page) {
		return in.feedArticles(ctx, page)
	}
	return one(articleOf(page))
}

// articleOf reads a fetched page as an article.
func articleOf(page *Page) (*corpus.Article, error) {
	switch page.ContentType {
	case "text/plain", "text/markdown":
		a, err := corpus.Parse("page.txt", page.Body)
		if err == nil && a.URL == "" {
			a.URL = corpus.CleanURL(page.URL.String())
		}
		return a, err
	case "", "text/html", "application/xhtml+xml":
		return FromHTML(page.Body, page.URL)
	}
	return nil, fmt.Errorf("%s is %s, not a web page or text", page.URL, page.ContentType)
}

// ingest reads each source, drops what is already stored, stores the rest
// and applies them to the index in one update.
func (in *Ingester) ingest(ctx context.Context, srcs []source) []Result {
	in.mu.Lock()
	defer in.mu.Unlock()
	known := newCatalog(in.index.Meta())
	var results []Result
	ch := index.Change{Hashes: map[string]string{}}
	upserted := map[string]int{} // file → position in ch.Upsert
	var stored []int             // results waiting for the index update
	for _, src := range srcs {
		if err := ctx.Err(); err != nil {
			results = append(results, Result{Input: src.input, Status: Failed, Reason: "interrupted"})
			continue
		}
		articles, err := src.read(ctx)
		var nothing errNothingNew
		switch {
		case errors.As(err, &nothing):
			results = append(results, Result{Input: src.input, Status: NothingNew, Reason: nothing.reason})
			continue
		case err != nil:
			results = append(results, Result{Input: src.input, Status: Failed, Reason: err.Error()})
			continue
		case len(articles) == 0:
			results = append(results, Result{Input: src.input, Status: NothingNew, Reason: "no articles in it"})
			continue
		}
		for _, a := range articles {
			r, article, hash := in.take(src.input, a, known)
			if article != nil {
				// A second version of one address in the same batch replaces the first.
				if i, ok := upserted[r.File]; ok {
					ch.Upsert[i] = article
				} else {
					upserted[r.File] = len(ch.Upsert)
					ch.Upsert = append(ch.Upsert, article)
				}
				ch.Hashes[r.File] = hash
				stored = append(stored, len(results))
			}
			results = append(results, r)
		}
	}
	if len(ch.Upsert) > 0 {
		if err := in.index.Apply(ctx, ch, index.Options{Now: in.now}); err != nil {
			// The files are stored: the next start indexes them.
			in.log.Error("ingested articles are stored but not yet indexed", "err", err)
			for _, i := range stored {
				results[i].Status = Failed
				results[i].Reason = "stored, but not indexed until the next start: " + err.Error()
			}
		}
	}
	for _, r := range results {
		in.log.Info("ingest", "input", r.Input, "status", string(r.Status), "file", r.File, "reason", r.Reason)
	}
	return results
}

// catalog is what is stored already, by address and by text.
type catalog struct {
	byURL, byText map[string]index.ArticleMeta
}

func newCatalog(meta *index.Meta) *catalog {
	c := &catalog{byURL: map[string]index.ArticleMeta{}, byText: map[string]index.ArticleMeta{}}
	for _, a := range meta.Articles {
		c.add(a)
	}
	return c
}

func (c *catalog) add(a index.ArticleMeta) {
	if a.URL != "" {
		c.byURL[urlKey(a.URL)] = a
	}
	c.byText[a.TextHash] = a
}

// take decides what becomes of one article read from input and, unless it
// is a duplicate or fails, stores it: it returns the stored article and
// its file's hash for the index update.
func (in *Ingester) take(input string, a *corpus.Article, known *catalog) (Result, *corpus.Article, string) {
	r := Result{Input: input, Title: a.Title, Status: Added}
	fail := func(err error) (Result, *corpus.Article, string) {
		r.Status, r.Reason = Failed, err.Error()
		return r, nil, ""
	}
	a.Ingested = in.now().UTC()
	// Duplicates are judged on the text as it will be stored.
	data, err := prepare(a)
	if err != nil {
		return fail(err)
	}
	if dup, ok := known.byText[index.TextHash(a)]; ok {
		r.Status, r.File, r.Reason = Duplicate, dup.File, "the same text as "+dup.File
		return r, nil, ""
	}
	name := fileName(a)
	if prev, ok := known.byURL[urlKey(a.URL)]; ok && a.URL != "" {
		if !fileIn(in.library, prev.File) {
			// The corpus folder's own copy is not ours to replace.
			r.Status, r.File, r.Reason = Duplicate, prev.File, "the same address as "+prev.File+" of the corpus folder"
			return r, nil, ""
		}
		r.Status, name = Updated, prev.File
		a.Ingested = prev.Ingested // an update is not a new article
		if data, err = prepare(a); err != nil {
			return fail(err)
		}
	}
	article, err := in.store(name, data)
	if err != nil {
		return fail(err)
	}
	r.File = name
	known.add(index.ArticleMeta{File: name, URL: article.URL, Ingested: article.Ingested, TextHash: index.TextHash(article)})
	return r, article, corpus.HashBytes(data)
}

func fileIn(dir, name string) bool {
	_, err := os.Stat(filepath.Join(dir, name))
	return err == nil
}

// prepare turns an article into the bytes stored for it and replaces its
// paragraphs with what reading those bytes back gives, so that what is
// compared, stored and indexed is one text.
func prepare(a *corpus.Article) ([]byte, error) {
	data := corpus.Marshal(a)
	back, err := corpus.Parse("article.md", data)
	if err != nil {
		return nil, fmt.Errorf("the article has no usable text: %w", err)
	}
	a.Paragraphs = back.Paragraphs
	return data, nil
}

// store writes an article's bytes into the library atomically and durably
// and returns the article as the index will read it.
func (in *Ingester) store(name string, data []byte) (*corpus.Article, error) {
	stored, err := corpus.Parse(name, data)
	if err != nil {
		return nil, fmt.Errorf("store %s: %w", name, err)
	}
	if err := atomicfile.Write(filepath.Join(in.library, name), data, 0o644); err != nil {
		return nil, fmt.Errorf("store %s: %w", name, err)
	}
	return stored, nil
}

var nonSlug = regexp.MustCompile(`[^a-z0-9]+`)

// fileName names a stored article by its title and a hash of its address
// (or text), so that the same address always lands in the same file.
func fileName(a *corpus.Article) string {
	slug := strings.Trim(nonSlug.ReplaceAllString(strings.ToLower(corpus.Fold(a.Title)), "-"), "-")
	if len(slug) > 48 {
		slug = strings.TrimRight(slug[:48], "-")
	}
	if slug == "" {
		slug = "article"
	}
	key := urlKey(a.URL)
	if a.URL == "" {
		key = index.TextHash(a)
	}
	sum := sha256.Sum256([]byte(key))
	return slug + "-" + hex.EncodeToString(sum[:5]) + ".md"
}

// urlKey is an address as compared for duplicates: without fragment,
// tracking parameters, "www." or a trailing slash.
func urlKey(raw string) string {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || u.Host == "" {
		return strings.TrimSpace(raw)
	}
	host := strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.")
	q := u.Query()
	for k := range q {
		if strings.HasPrefix(k, "utm_") || k == "fbclid" || k == "gclid" {
			q.Del(k)
		}
	}
	keys := make([]string, 0, len(q))
	for k := range q {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var qs []string
	for _, k := range keys {
		for _, v := range q[k] {
			qs = append(qs, url.QueryEscape(k)+"="+url.QueryEscape(v))
		}
	}
	key := host + strings.TrimSuffix(u.EscapedPath(), "/")
	if len(qs) > 0 {
		key += "?" + strings.Join(qs, "&")
	}
	return key
}

// unwrapPath turns "open /x: no such file or directory" into a reason.
func unwrapPath(err error) string {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}
