// Package index keeps the briefing index on disk: a Bleve (scorch) index of
// paragraphs, quotations and dated events, plus a small meta.json with what
// answers need beside it (articles, speakers, the corpus subject).
//
// An index folder holds generations: gen-<format>-<fingerprint>/ folders and a
// CURRENT file naming the one readers use. A build writes a new generation
// beside the others and then replaces CURRENT atomically, so readers never
// see a half-written index.
package index

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/mapping"

	"github.com/briefbot/briefbot/corpus"
	"github.com/briefbot/briefbot/extract"
)

// Format changes whenever documents, fields or extraction change meaning;
// an index of another format is rebuilt.
const Format = 14

// Document kinds.
const (
	KindParagraph = "para"
	KindQuote     = "quote"
	KindEvent     = "event"
)

// Field names.
const (
	fArticle = "article"
	// fKind selects every document of a kind, for questions without words.
	fKind = "kind"
	// Each kind of document has its own text field, so that a query on one
	// kind needs no filter on the kind: the field's postings are the filter.
	fParaText  = "ptext" // a paragraph, normalised
	fQuoteText = "qtext" // a quotation's sentences
	fEventText = "etext" // an event's sentence
	// Each document's article headline, for topics the unit does not name
	// ("we abstained" in a story on Ukraine), per kind for the same reason.
	fParaTitle  = "ptitle"
	fQuoteTitle = "qtitle"
	fEventTitle = "etitle"
	fOrig       = "orig" // the unit's text as received, stored only
	fPara       = "para"
	// fSortKey orders events by date and quotes by publication, ties broken
	// by article and reading order, in one docvalue read per match.
	fSortKey   = "sortkey"
	fStance    = "stance"
	fMentions  = "mentions"
	fSpeaker   = "speaker"
	fQuote     = "quote"
	fStart     = "start"
	fEnd       = "end"
	fPrecision = "precision"
	fExpr      = "expr"
)

// ArticleMeta is what a citation needs of an article.
type ArticleMeta struct {
	ID         string    `json:"id"`
	File       string    `json:"file"`
	Title      string    `json:"title,omitempty"`
	Outlet     string    `json:"outlet,omitempty"`
	Author     string    `json:"author,omitempty"`
	URL        string    `json:"url,omitempty"`
	Published  time.Time `json:"published,omitempty"`
	Paragraphs int       `json:"paragraphs"`
	Quotes     int       `json:"quotes"`
	Events     int       `json:"events"`
}

// Meta is stored beside the Bleve index as meta.json.
type Meta struct {
	Format       int                 `json:"format"`
	Fingerprint  string              `json:"fingerprint"`
	Built        time.Time           `json:"built"`
	Subject      string              `json:"subject"`
	ActorAliases map[string][]string `json:"actor_aliases,omitempty"`
	Articles     []ArticleMeta       `json:"articles"`
	Speakers     *extract.Registry   `json:"speakers"`
	// Topics are words and names worth suggesting, most frequent first.
	Topics []string `json:"topics"`
	// Actors are the actors named in the corpus, most frequent first.
	Actors   []string         `json:"actors"`
	Problems []corpus.Problem `json:"problems,omitempty"`
}

// Index is an open, read-only generation. Its methods are safe for
// concurrent use.
type Index struct {
	Path      string // the generation folder
	Meta      Meta
	Gazetteer *extract.Gazetteer
	bleve     bleve.Index
	articles  map[string]*ArticleMeta
	size      int64
}

// ErrLocked means another process holds the index.
var ErrLocked = errors.New("index is locked by another process")

// Options tune opening and building.
type Options struct {
	// Progress, when set, is told how many articles have been indexed.
	Progress func(done, total int)
	// Now is the clock for the Built stamp.
	Now func() time.Time
}

func (o Options) now() time.Time {
	if o.Now != nil {
		return o.Now()
	}
	return time.Now()
}

// generation names the folder for a corpus at the current format.
func generation(c *corpus.Corpus) string { return generationOf(c.Fingerprint) }

func generationOf(fp string) string {
	if len(fp) > 16 {
		fp = fp[:16]
	}
	return fmt.Sprintf("gen-%d-%s", Format, fp)
}

// Open opens the index of corpus c under dir, building it first when it is
// missing, out of date or unreadable. rebuilt says why a build happened ("" if not).
func Open(ctx context.Context, dir string, c *corpus.Corpus, opts Options) (ix *Index, rebuilt string, err error) {
	return OpenLazy(ctx, dir, c.Fingerprint, func() (*corpus.Corpus, error) { return c, nil }, opts)
}

// OpenLazy is Open for a corpus known by its fingerprint: load is called
// only when the index must be built, so a current index opens without
// reading every article.
func OpenLazy(ctx context.Context, dir, fingerprint string, load func() (*corpus.Corpus, error), opts Options) (ix *Index, rebuilt string, err error) {
	want := generationOf(fingerprint)
	cur, _ := os.ReadFile(filepath.Join(dir, "CURRENT"))
	switch name := strings.TrimSpace(string(cur)); {
	case name == "":
		rebuilt = "no index yet"
	case name != want:
		rebuilt = "the corpus or the index format changed"
	default:
		ix, err = openGeneration(filepath.Join(dir, name))
		if err == nil {
			return ix, "", nil
		}
		if errors.Is(err, ErrLocked) {
			return nil, "", err
		}
		rebuilt = fmt.Sprintf("the index was unreadable (%v)", err)
		if rmErr := os.RemoveAll(filepath.Join(dir, name)); rmErr != nil {
			return nil, "", fmt.Errorf("remove unreadable index %s: %w", name, rmErr)
		}
	}
	c, err := load()
	if err != nil {
		return nil, "", err
	}
	ix, err = Build(ctx, dir, c, opts)
	return ix, rebuilt, err
}

func openGeneration(path string) (ix *Index, err error) {
	// A damaged segment can make Bleve panic rather than fail; either way
	// the index is unreadable and will be rebuilt.
	defer func() {
		if r := recover(); r != nil {
			ix, err = nil, fmt.Errorf("open index %s: %v", path, r)
		}
	}()
	data, err := os.ReadFile(filepath.Join(path, "meta.json"))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", filepath.Join(path, "meta.json"), err)
	}
	var meta Meta
	if err := json.Unmarshal(data, &meta); err != nil {
		return nil, fmt.Errorf("read %s: %w", filepath.Join(path, "meta.json"), err)
	}
	if meta.Format != Format || meta.Speakers == nil {
		return nil, fmt.Errorf("index %s has format %d, want %d", path, meta.Format, Format)
	}
	b, err := bleve.OpenUsing(filepath.Join(path, "bleve"), map[string]interface{}{
		"read_only":    true,
		"bolt_timeout": "2s",
	})
	if err != nil {
		if strings.Contains(err.Error(), "timeout") {
			return nil, fmt.Errorf("open index %s: %w", path, ErrLocked)
		}
		return nil, fmt.Errorf("open index %s: %w", path, err)
	}
	return newIndex(path, meta, b), nil
}

func newIndex(path string, meta Meta, b bleve.Index) *Index {
	meta.Speakers.Rebuild()
	ix := &Index{Path: path, Meta: meta, bleve: b, articles: map[string]*ArticleMeta{},
		Gazetteer: extract.NewGazetteer(meta.ActorAliases)}
	for i := range ix.Meta.Articles {
		a := &ix.Meta.Articles[i]
		ix.articles[a.ID] = a
	}
	filepath.Walk(path, func(_ string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() {
			ix.size += info.Size()
		}
		return nil
	})
	return ix
}

// Close releases the index files.
func (ix *Index) Close() error { return ix.bleve.Close() }

// Article returns an article's metadata by ID.
func (ix *Index) Article(id string) (*ArticleMeta, bool) {
	a, ok := ix.articles[id]
	return a, ok
}

// Size is the generation's size on disk in bytes, measured when it was opened.
func (ix *Index) Size() int64 { return ix.size }

// DocCount is the number of indexed documents.
func (ix *Index) DocCount() (uint64, error) { return ix.bleve.DocCount() }

// Terms analyses text the way the index does (lower case, stop words out,
// English stems), so that callers can tell whether a query has any words.
func (ix *Index) Terms(text string) []string {
	return analyze(ix.bleve.Mapping(), text)
}

func analyze(m mapping.IndexMapping, text string) []string {
	a := m.AnalyzerNamed(en.AnalyzerName)
	if a == nil {
		return nil
	}
	var out []string
	for _, t := range a.Analyze([]byte(corpus.Normalize(text))) {
		out = append(out, string(t.Term))
	}
	return out
}

func buildMapping() mapping.IndexMapping {
	// No field goes into the composite _all field, only the fields that sort
	// results keep doc values, and numbers and dates are indexed only where
	// a query needs them (each costs 16 terms): all cost build time.
	field := func(f *mapping.FieldMapping, store, docValues bool) *mapping.FieldMapping {
		f.IncludeInAll = false
		f.IncludeTermVectors = false
		f.Store = store
		f.DocValues = docValues
		return f
	}
	text := func() *mapping.FieldMapping {
		f := field(bleve.NewTextFieldMapping(), false, false)
		f.Analyzer = en.AnalyzerName
		return f
	}
	keyword := func(store, docValues bool) *mapping.FieldMapping {
		return field(bleve.NewKeywordFieldMapping(), store, docValues)
	}
	storedOnly := func() *mapping.FieldMapping {
		f := field(bleve.NewTextFieldMapping(), true, false)
		f.Index = false
		return f
	}

	doc := bleve.NewDocumentStaticMapping()
	doc.AddFieldMappingsAt(fKind, keyword(false, false))
	doc.AddFieldMappingsAt(fArticle, keyword(true, false))
	doc.AddFieldMappingsAt(fParaText, text())
	doc.AddFieldMappingsAt(fQuoteText, text())
	doc.AddFieldMappingsAt(fEventText, text())
	doc.AddFieldMappingsAt(fParaTitle, text())
	doc.AddFieldMappingsAt(fQuoteTitle, text())
	doc.AddFieldMappingsAt(fEventTitle, text())
	doc.AddFieldMappingsAt(fOrig, storedOnly())
	para := field(bleve.NewNumericFieldMapping(), true, false)
	para.Index = false
	doc.AddFieldMappingsAt(fPara, para)
	doc.AddFieldMappingsAt(fSortKey, keyword(false, true))
	doc.AddFieldMappingsAt(fStance, keyword(true, false))
	mentions := keyword(true, false)
	mentions.Index = false // read from hits to tell a mention from background, never queried
	doc.AddFieldMappingsAt(fMentions, mentions)
	doc.AddFieldMappingsAt(fSpeaker, keyword(true, false))
	doc.AddFieldMappingsAt(fQuote, storedOnly())
	doc.AddFieldMappingsAt(fStart, field(bleve.NewDateTimeFieldMapping(), true, false))
	doc.AddFieldMappingsAt(fEnd, field(bleve.NewDateTimeFieldMapping(), true, false))
	doc.AddFieldMappingsAt(fPrecision, keyword(true, false))
	doc.AddFieldMappingsAt(fExpr, storedOnly())

	m := bleve.NewIndexMapping()
	m.DefaultMapping = doc
	m.DefaultAnalyzer = en.AnalyzerName
	m.StoreDynamic = false
	m.IndexDynamic = false
	m.DocValuesDynamic = false
	return m
}
