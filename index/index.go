// Package index keeps the briefing index on disk: a Bleve (scorch) index of
// paragraphs, quotations and dated events, with what answers need beside
// them (articles, speakers, the corpus subject) stored inside it.
//
// An index folder holds generations: gen-<format>-<fingerprint>/ folders and a
// CURRENT file naming the one in use. A full build writes a new generation
// beside the others and then replaces CURRENT atomically; smaller changes
// (an article added, changed or removed) update the current generation in
// one atomic Bleve batch. Either way readers never see a half-written index.
package index

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/mapping"

	"github.com/briefbot/briefbot/corpus"
	"github.com/briefbot/briefbot/extract"
)

// Format changes whenever documents, fields or extraction change meaning;
// an index of another format is rebuilt.
const Format = 25

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
	fSum        = "sum"  // textSum of orig and quote, stored only
	fPara       = "para"
	// fSortKey orders events by date and quotes by publication, ties broken
	// by article and reading order, in one docvalue read per match.
	fSortKey   = "sortkey"
	fStance    = "stance"
	fPositions = "positions" // the paragraph's extract.Positions as JSON, stored only
	fMentions  = "mentions"
	fSpeaker   = "speaker"
	fHow       = "how" // how a quotation's speaker was found (extract.By*)
	fQuote     = "quote"
	fStart     = "start"
	fEnd       = "end"
	fPrecision = "precision"
	fExpr      = "expr"
	fBasis     = "basis" // how an event's date was resolved (extract.Basis*)
)

// ArticleMeta is what a citation needs of an article, and what an update
// needs to tell whether it changed.
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
	// Hash is the file's content hash (corpus.Listing), TextHash the hash of
	// its paragraphs: the same story received twice has the same TextHash.
	Hash     string `json:"hash"`
	TextHash string `json:"text_hash"`
	// Sketch is the article's paragraphs in brief (see Sketch): two copies
	// of one story share most of it whatever their headlines and edits.
	Sketch []uint64 `json:"sketch,omitempty"`
	// Ingested is when the article first reached the index.
	Ingested time.Time `json:"ingested"`
	// Revised is when its text last changed after that (zero: never), and
	// NewDocs are the documents of the paragraphs that change brought: what
	// is new in a revised article.
	Revised time.Time `json:"revised,omitempty"`
	NewDocs []string  `json:"new_docs,omitempty"`
}

// upkeep is what an article adds to the suggestions, the speakers and the
// corpus's subject, so that removing it takes that away again without
// reading it. Only updates need it: it is stored apart from ArticleMeta and
// read when the first update comes, so that opening an index for answers
// does not decode it.
type upkeep struct {
	ID     string            `json:"id"`
	Words  []string          `json:"words,omitempty"`
	Actors []string          `json:"actors,omitempty"`
	Names  []extract.NameUse `json:"names,omitempty"`
	// Positions counts the paragraphs in which each name key takes a
	// position, for the corpus subject.
	Positions map[string]int `json:"positions,omitempty"`
}

// Meta is stored inside the Bleve index (see meta.go), so that it changes
// in the same atomic batch as the documents.
type Meta struct {
	Format int `json:"format"`
	// Extractor is extract.Version() of the build: facts read by other
	// rules are rebuilt, not trusted.
	Extractor    string    `json:"extractor"`
	SettingsHash string    `json:"settings_hash"`
	Built        time.Time `json:"built"`
	Updated      time.Time `json:"updated"`
	Subject      string    `json:"subject"`
	// SubjectSet: the subject comes from briefbot.yaml; otherwise it is the
	// actor taking positions most often, recounted at every update.
	SubjectSet   bool                `json:"subject_set,omitempty"`
	ActorAliases map[string][]string `json:"actor_aliases,omitempty"`
	// Articles are every article, by file. Index.Head leaves them out until
	// something reads them all (see lazyArticles); ArticleCount, Newest and
	// Manifest say what opening needs without them.
	Articles     []ArticleMeta `json:"articles"`
	ArticleCount int           `json:"article_count"`
	Newest       time.Time     `json:"newest"`
	// Manifest sums every article file with its content hash
	// (corpus.ManifestSum): a listing with the same one is the corpus indexed.
	Manifest string            `json:"manifest"`
	Speakers *extract.Registry `json:"speakers"`
	// Topics are words and names worth suggesting, most frequent first.
	Topics []string `json:"topics"`
	// Actors are the actors named in the corpus, most frequent first.
	Actors   []string         `json:"actors"`
	Problems []corpus.Problem `json:"problems,omitempty"`
}

// Index is an open generation. Its methods are safe for concurrent use:
// searches see the index before or after an update, never part of one.
type Index struct {
	Gazetteer *extract.Gazetteer
	// path is the generation folder and bleve its open index; a repair
	// replaces both (under mu and updating).
	path  string
	bleve bleve.Index

	// mu is held for reading by searches and for writing while an update
	// swaps in its documents and meta, so a search's hits and the meta that
	// cites them always belong together.
	mu    sync.RWMutex
	state *state
	// updating lets one update at a time prepare its change.
	updating sync.Mutex
	writable bool

	// lock is the folder's lock, held from Open until Close.
	lock *folderLock
	// damaged is why a search found the index damaged ("" while sound).
	damageMu sync.Mutex
	damaged  string

	closeOnce sync.Once
	closeErr  error

	// watchers are told of every change to the articles (see Changes).
	watchersMu sync.Mutex
	watchers   map[chan struct{}]bool
}

// Changes returns a channel that receives a value after updates or a
// repair changed what the index holds; values coalesce, so one stands for
// every change since the last was read. stop ends the subscription.
func (ix *Index) Changes() (changes <-chan struct{}, stop func()) {
	ch := make(chan struct{}, 1)
	ix.watchersMu.Lock()
	if ix.watchers == nil {
		ix.watchers = map[chan struct{}]bool{}
	}
	ix.watchers[ch] = true
	ix.watchersMu.Unlock()
	return ch, func() {
		ix.watchersMu.Lock()
		delete(ix.watchers, ch)
		ix.watchersMu.Unlock()
	}
}

// changed tells every subscriber, without waiting for any.
func (ix *Index) changed() {
	ix.watchersMu.Lock()
	defer ix.watchersMu.Unlock()
	for ch := range ix.watchers {
		select {
		case ch <- struct{}{}:
		default:
		}
	}
}

// state is one version of what the index holds; it is replaced, never changed.
type state struct {
	// meta is complete, or for an index opened for answers only its
	// corpus-wide part, with the articles read when asked (lazy).
	meta     *Meta
	articles map[string]*ArticleMeta
	lazy     *lazyArticles
	// upkeep (by article ID) and the tally made from it are nil until an
	// update needs them (see Index.withUpkeep).
	upkeep map[string]*upkeep
	tally  *tally
}

// article is one article's metadata by ID.
func (s *state) article(id string) (*ArticleMeta, bool) {
	if s.lazy != nil {
		return s.lazy.article(id)
	}
	a, ok := s.articles[id]
	return a, ok
}

// full is the meta with every article.
func (s *state) full() *Meta {
	if s.lazy != nil {
		return s.lazy.full(s.meta)
	}
	return s.meta
}

// ErrLocked means another process holds the index.
var ErrLocked = errors.New("index is locked by another process")

// Options tune opening and building.
type Options struct {
	// Progress, when set, is told how many articles have been indexed.
	Progress func(done, total int)
	// Now is the clock for the Built, Updated and Ingested stamps.
	Now func() time.Time
	// Writable opens the index for updates (Apply).
	Writable bool
	// Resident marks a holder that keeps the index open for its whole life
	// (the bot): other opens do not wait for it (see ErrResident).
	Resident bool
}

func (o Options) now() time.Time {
	if o.Now != nil {
		return o.Now().UTC()
	}
	return time.Now().UTC()
}

func generationOf(fp string) string {
	if len(fp) > 16 {
		fp = fp[:16]
	}
	return fmt.Sprintf("gen-%d-%s", Format, fp)
}

func openGeneration(path string, writable bool) (ix *Index, err error) {
	// A damaged segment can make Bleve panic rather than fail; either way
	// the index is unreadable and will be rebuilt.
	defer func() {
		if r := recover(); r != nil {
			ix, err = nil, fmt.Errorf("open index %s: %v", path, r)
		}
	}()
	b, err := bleve.OpenUsing(filepath.Join(path, "bleve"), map[string]interface{}{
		"read_only":    !writable,
		"bolt_timeout": "2s",
	})
	if err != nil {
		if strings.Contains(err.Error(), "timeout") {
			return nil, fmt.Errorf("open index %s: %w", path, ErrLocked)
		}
		return nil, fmt.Errorf("open index %s: %w", path, err)
	}
	meta, err := readHead(b)
	if err == nil && meta.Format == Format && meta.Speakers != nil && writable {
		// Updates work on every article: read them now.
		err = readArticles(b, meta)
	}
	if err != nil {
		b.Close()
		return nil, fmt.Errorf("open index %s: %w", path, err)
	}
	if meta.Format != Format || meta.Speakers == nil {
		b.Close()
		return nil, fmt.Errorf("index %s has format %d, want %d", path, meta.Format, Format)
	}
	ix = &Index{path: path, bleve: b, Gazetteer: extract.NewGazetteer(meta.ActorAliases), writable: writable}
	if writable {
		ix.state = newState(meta)
	} else {
		ix.state = &state{meta: meta, lazy: newLazyArticles(ix)}
	}
	return ix, nil
}

func newState(meta *Meta) *state {
	s := &state{meta: meta, articles: make(map[string]*ArticleMeta, len(meta.Articles))}
	for i := range meta.Articles {
		a := &meta.Articles[i]
		s.articles[a.ID] = a
	}
	return s
}

// Path is the folder of the generation in use.
func (ix *Index) Path() string {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	return ix.path
}

// Size is the generation's size on disk in bytes.
func (ix *Index) Size() int64 { return dirSize(ix.Path()) }

func dirSize(path string) int64 {
	var size int64
	filepath.Walk(path, func(_ string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() {
			size += info.Size()
		}
		return nil
	})
	return size
}

func (ix *Index) current() *state {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	return ix.state
}

// Meta is what the index holds now. It is never changed: an update makes a
// new one, so callers may keep and read it without locks.
func (ix *Index) Meta() *Meta { return ix.current().full() }

// Head is the corpus-wide part of Meta (speakers, suggestions, settings,
// counts) without reading every article: its Articles may be empty.
func (ix *Index) Head() *Meta { return ix.current().meta }

// ArticleCount is the number of articles indexed.
func (ix *Index) ArticleCount() int { return ix.current().meta.ArticleCount }

// Newest is the publication date of the newest article (zero when none is dated).
func (ix *Index) Newest() time.Time { return ix.current().meta.Newest }

func newestOf(articles []ArticleMeta) time.Time {
	var newest time.Time
	for _, a := range articles {
		if a.Published.After(newest) {
			newest = a.Published
		}
	}
	return newest
}

// Updated is when the articles last changed.
func (ix *Index) Updated() time.Time { return ix.current().meta.Updated }

// Close releases the index files and the folder's lock; closing again
// does nothing.
func (ix *Index) Close() error {
	ix.closeOnce.Do(func() {
		ix.mu.Lock()
		defer ix.mu.Unlock()
		ix.closeErr = ix.bleve.Close()
		ix.lock.release()
	})
	return ix.closeErr
}

// Article returns an article's metadata by ID.
func (ix *Index) Article(id string) (*ArticleMeta, bool) {
	return ix.current().article(id)
}

// DocCount is the number of indexed documents.
func (ix *Index) DocCount() (n uint64, err error) {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	defer recoverDamage(ix, &err)
	return ix.bleve.DocCount()
}

// Terms analyses text the way the index does (lower case, stop words out,
// English stems), so that callers can tell whether a query has any words.
func (ix *Index) Terms(text string) []string {
	return analyze(indexMapping, text)
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

// indexMapping is the one mapping every generation of this format has.
var indexMapping = buildMapping()

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
	doc.AddFieldMappingsAt(fSum, storedOnly())
	para := field(bleve.NewNumericFieldMapping(), true, false)
	para.Index = false
	doc.AddFieldMappingsAt(fPara, para)
	doc.AddFieldMappingsAt(fSortKey, keyword(false, true))
	doc.AddFieldMappingsAt(fStance, keyword(true, false))
	doc.AddFieldMappingsAt(fPositions, storedOnly())
	doc.AddFieldMappingsAt(fMentions, keyword(true, false))
	doc.AddFieldMappingsAt(fSpeaker, keyword(true, false))
	doc.AddFieldMappingsAt(fHow, storedOnly())
	doc.AddFieldMappingsAt(fQuote, storedOnly())
	doc.AddFieldMappingsAt(fStart, field(bleve.NewDateTimeFieldMapping(), true, false))
	doc.AddFieldMappingsAt(fEnd, field(bleve.NewDateTimeFieldMapping(), true, false))
	doc.AddFieldMappingsAt(fPrecision, keyword(true, false))
	doc.AddFieldMappingsAt(fExpr, storedOnly())
	doc.AddFieldMappingsAt(fBasis, storedOnly())

	m := bleve.NewIndexMapping()
	m.DefaultMapping = doc
	m.DefaultAnalyzer = en.AnalyzerName
	m.StoreDynamic = false
	m.IndexDynamic = false
	m.DocValuesDynamic = false
	return m
}
