package index

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/blevesearch/bleve/v2"

	"github.com/briefbot/briefbot/corpus"
	"github.com/briefbot/briefbot/extract"
	"github.com/briefbot/briefbot/internal/atomicfile"
)

// BuilderBatch is how many documents make one segment file of the
// builder: fewer, larger segments leave less to merge (see BENCHMARKS.md),
// at the cost of holding a batch in memory. (Exported for the benchmark's
// plain Bleve baseline, built the same way.)
const BuilderBatch = 16000

// mergeMax is how many segment files the builder merges at a time.
const mergeMax = 20

// Build indexes corpus c into a new generation under dir and makes it
// current, whatever is there already. It holds the folder's lock as Open
// does; articles the old generation had keep their arrival times.
func Build(ctx context.Context, dir string, c *corpus.Corpus, opts Options) (*Index, error) {
	return BuildStream(ctx, dir, corpus.StreamOf(c), opts)
}

// BuildStream is Build reading the corpus as it goes (briefbot index
// --rebuild): only the articles being indexed are held, whatever the
// corpus's size. s.Corpus() says afterwards which files could not be used.
func BuildStream(ctx context.Context, dir string, s *corpus.Stream, opts Options) (*Index, error) {
	lock, err := lockFolder(ctx, dir, opts.Resident)
	if err != nil {
		return nil, err
	}
	removeBuildLeftovers(dir)
	var ingested map[string]time.Time
	if name, why := currentGeneration(dir); why == "" {
		if old, err := openGeneration(filepath.Join(dir, name), false); err == nil {
			ingested = ingestedByFile(old.Meta())
			old.Close()
		}
	}
	ix, err := build(ctx, dir, s, opts, ingested)
	if err != nil {
		lock.release()
		return nil, err
	}
	ix.lock = lock
	return ix, nil
}

// build writes a new generation of the corpus s streams, keeping the
// Ingested stamps of articles an earlier generation had (by file), so that
// a rebuild does not make them new. The caller holds the folder's lock.
func build(ctx context.Context, dir string, s *corpus.Stream, opts Options, ingested map[string]time.Time) (*Index, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("create index folder %s: %w", dir, err)
	}
	tmp, err := os.MkdirTemp(dir, "build-")
	if err != nil {
		return nil, fmt.Errorf("create build folder in %s: %w", dir, err)
	}
	done := false
	defer func() {
		if !done {
			os.RemoveAll(tmp)
		}
	}()

	b, err := newBuilder(tmp, s.Len() == 0)
	if err != nil {
		return nil, err
	}
	now := opts.now()
	settings := s.Settings()
	meta := &Meta{
		Format: Format, Extractor: extract.Version(), SettingsHash: s.SettingsHash(), Built: now, Updated: now,
		SubjectSet: settings.Subject != "", ActorAliases: settings.ActorAliases,
	}
	// Articles are read on all cores while this goroutine indexes them in
	// order; each one and its facts are dropped once indexed, and what the
	// corpus as a whole says (its speakers, its subject) is tallied on the
	// way.
	tally := extract.NewTally(settings)
	up := make(map[string]*upkeep, s.Len())
	hashes := make([]string, s.Len())
	read := func(i int) *corpus.Article {
		a, hash := s.Article(i)
		hashes[i] = hash // read by the indexing goroutine after Each hands a over
		return a
	}
	err = extract.Each(ctx, s.Len(), read, tally.Gazetteer, func(i int, a *corpus.Article, facts *extract.Facts) error {
		for _, doc := range documents(a, facts) {
			if err := b.Index(doc.id, doc.fields); err != nil {
				return fmt.Errorf("index %s: %w", a.File, err)
			}
		}
		tally.Add(facts)
		when, ok := ingested[a.File]
		if !ok {
			when = now
		}
		m, u := articleMeta(a, facts, hashes[i], when)
		meta.Articles = append(meta.Articles, m)
		up[a.ID] = u
		if opts.Progress != nil {
			opts.Progress(i+1, s.Len())
		}
		return nil
	})
	if err != nil {
		b.Close()
		return nil, err
	}
	// The final merge maps the whole index: give back first what the
	// batches and the articles left behind.
	debug.FreeOSMemory()
	if err := b.Close(); err != nil {
		return nil, fmt.Errorf("finish new index: %w", err)
	}
	c := s.Corpus()
	meta.Problems = c.Problems
	meta.Speakers, meta.Subject = tally.Finish()
	meta.Topics, meta.Actors = newTally(meta.Articles, up).suggestions()
	if err := writeMeta(filepath.Join(tmp, "bleve"), meta, up); err != nil {
		return nil, err
	}

	name := generationOf(c.Fingerprint)
	final := filepath.Join(dir, name)
	// A generation of the same corpus may be there already, damaged: this
	// build replaces it. No other process has it open (the lock).
	if err := os.RemoveAll(final); err != nil {
		return nil, fmt.Errorf("remove the old index %s: %w", final, err)
	}
	if err := os.Rename(tmp, final); err != nil {
		return nil, fmt.Errorf("move new index into place: %w", err)
	}
	done = true
	if err := atomicfile.Write(filepath.Join(dir, "CURRENT"), []byte(name+"\n"), 0o644); err != nil {
		return nil, err
	}
	removeOldGenerations(dir, name)
	return openGeneration(final, opts.Writable)
}

// builder is what a build writes documents through: Bleve's offline
// builder, or for an empty corpus (which that builder cannot finish) a
// plain index.
type builder interface {
	Index(id string, data interface{}) error
	Close() error
}

func newBuilder(tmp string, empty bool) (builder, error) {
	path := filepath.Join(tmp, "bleve")
	if empty {
		b, err := bleve.New(path, buildMapping())
		if err != nil {
			return nil, fmt.Errorf("create index in %s: %w", tmp, err)
		}
		return b, nil
	}
	// Bleve's offline builder writes each batch as a segment file and merges
	// them once at the end: memory stays bounded by one batch.
	b, err := bleve.NewBuilder(path, buildMapping(), map[string]interface{}{
		"batchSize":       BuilderBatch,
		"mergeMax":        mergeMax,
		"buildPathPrefix": tmp,
	})
	if err != nil {
		return nil, fmt.Errorf("create index in %s: %w", tmp, err)
	}
	return b, nil
}

// articleMeta is what the index keeps of an article beside its documents,
// and what the article adds to suggestions, speakers and subject.
func articleMeta(a *corpus.Article, f *extract.Facts, hash string, ingested time.Time) (ArticleMeta, *upkeep) {
	m := ArticleMeta{
		ID: a.ID, File: a.File, Title: a.Title, Outlet: a.Outlet, Author: a.Author, URL: a.URL,
		Published: a.Published, Paragraphs: len(a.Paragraphs), Quotes: len(f.Quotes), Events: len(f.Events),
		Hash: hash, TextHash: TextHash(a), Sketch: Sketch(a), Ingested: ingested.UTC(),
	}
	if !a.Ingested.IsZero() {
		m.Ingested = a.Ingested
	}
	u := &upkeep{ID: a.ID, Words: headlineWords(a.Title), Names: f.Names, Positions: f.Positions()}
	seen := map[string]bool{}
	for _, ms := range f.Mentions {
		for _, k := range ms {
			if !seen[k] {
				seen[k] = true
				u.Actors = append(u.Actors, k)
			}
		}
	}
	return m, u
}

// sketchSize is how many paragraph hashes a sketch keeps.
const sketchSize = 16

// Sketch is a bottom-k sketch of an article's paragraphs of five words or
// more: the sketchSize smallest hashes of their folded text, ascending.
// Two sketches estimate how many paragraphs two articles share (see
// Copies), without either article's text.
func Sketch(a *corpus.Article) []uint64 {
	var hs []uint64
	for _, p := range a.Paragraphs {
		if corpus.WordCount(p.Text) < 5 {
			continue // a dateline, a byline, a one-line heading
		}
		h := fnv.New64a()
		io.WriteString(h, corpus.Fold(p.Text))
		hs = append(hs, h.Sum64())
	}
	slices.Sort(hs)
	hs = slices.Compact(hs)
	return hs[:min(len(hs), sketchSize)]
}

// Copies estimates from their sketches the share of paragraphs two
// articles have in common (the Jaccard index of their paragraph sets):
// near 1 for one story republished, near 0 for two stories.
func Copies(a, b []uint64) float64 {
	if len(a) == 0 || len(b) == 0 {
		return 0
	}
	// The smallest hashes of the union are a sample of it; those in both
	// sketches are the shared ones among them. Both are sorted: one walk.
	sample, shared := 0, 0
	for i, j := 0, 0; sample < sketchSize && (i < len(a) || j < len(b)); sample++ {
		switch {
		case j == len(b) || i < len(a) && a[i] < b[j]:
			i++
		case i == len(a) || b[j] < a[i]:
			j++
		default:
			shared++
			i, j = i+1, j+1
		}
	}
	return float64(shared) / float64(sample)
}

// TextHash identifies an article's text whatever its file, metadata or
// spacing: two copies of one story have the same.
func TextHash(a *corpus.Article) string {
	h := sha256.New()
	for _, p := range a.Paragraphs {
		io.WriteString(h, corpus.Fold(p.Text))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// sortKey is date|article|position, so that sorting the strings sorts by date,
// then article, then position. An unknown date sorts first.
func sortKey(date time.Time, article string, pos int) string {
	d := "00000000"
	if !date.IsZero() {
		d = date.Format("20060102")
	}
	return fmt.Sprintf("%s|%s|%06d", d, article, pos)
}

type document struct {
	id     string
	fields map[string]interface{}
}

// documents turns one article into index documents in reading order: the
// index keeps that order, and it breaks ties between equal sort keys.
func documents(a *corpus.Article, f *extract.Facts) []document {
	var docs []document
	// The headline is the context of every unit: it says what a paragraph,
	// quotation or event is about even when the unit itself does not.
	title := corpus.Normalize(a.Title)
	base := func(kind string, para int) map[string]interface{} {
		return map[string]interface{}{fKind: kind, fArticle: a.ID, fPara: float64(para)}
	}
	for i, p := range a.Paragraphs {
		d := base(KindParagraph, p.N)
		d[fParaText] = corpus.Normalize(p.Text)
		// The headline says what every paragraph is about, even one that
		// never names the topic ("we abstained" in a story on Ukraine).
		d[fParaTitle] = title
		d[fOrig] = p.Text
		d[fStance] = f.Stance[i]
		if len(f.Stated[i]) > 0 {
			js, _ := json.Marshal(f.Stated[i])
			d[fPositions] = string(js)
		}
		d[fMentions] = f.Mentions[i]
		docs = append(docs, document{docID(KindParagraph, a.ID, p.N), d})
	}
	// Quotations by one speaker in one snippet ("... restore peace" and
	// urged "all parties ...") are one document: the reader sees the snippet once.
	type quoteKey struct {
		para    int
		snippet corpus.Span
		speaker string
	}
	quoteDocs := map[quoteKey]map[string]interface{}{}
	for i, q := range f.Quotes {
		k := quoteKey{q.Para, q.Snippet, q.SpeakerKey}
		if d, ok := quoteDocs[k]; ok {
			d[fQuote] = d[fQuote].(string) + QuoteJoin + q.Text
			continue
		}
		p := a.Paragraphs[q.Para-1]
		d := base(KindQuote, q.Para)
		snippet := p.Slice(q.Snippet)
		d[fQuoteText] = corpus.Normalize(snippet)
		d[fQuoteTitle] = title
		d[fOrig] = snippet
		d[fQuote] = q.Text
		// Sorted descending for "newest first": the inverted position keeps
		// an article's quotes in reading order.
		d[fSortKey] = sortKey(a.Published, a.ID, 999999-i)
		if q.SpeakerKey != "" {
			d[fSpeaker] = q.SpeakerKey
			d[fHow] = q.Attribution
		}
		quoteDocs[k] = d
		docs = append(docs, document{docID(KindQuote, a.ID, i), d})
	}
	for i, e := range f.Events {
		if e.Start.Before(MinDate) || e.End.After(MaxDate) {
			continue // a date the index cannot hold
		}
		p := a.Paragraphs[e.Para-1]
		d := base(KindEvent, e.Para)
		sentence := p.Slice(e.Sentence)
		d[fEventText] = corpus.Normalize(sentence)
		d[fEventTitle] = title
		d[fOrig] = sentence
		d[fSortKey] = sortKey(e.Start, a.ID, i)
		d[fStart] = e.Start
		d[fEnd] = e.End
		d[fPrecision] = string(e.Precision)
		d[fExpr] = e.Expr
		d[fBasis] = e.Basis
		docs = append(docs, document{docID(KindEvent, a.ID, i), d})
	}
	for _, d := range docs {
		f := d.fields
		quote, _ := f[fQuote].(string)
		speaker, _ := f[fSpeaker].(string)
		start, _ := f[fStart].(time.Time)
		f[fSum] = unitSum(a.ID, int(f[fPara].(float64)), f[fOrig].(string), quote, speaker, start)
	}
	return docs
}

// headlineWords are the words of a headline worth suggesting as topics.
func headlineWords(title string) []string {
	var out []string
	seen := map[string]bool{}
	for _, w := range strings.FieldsFunc(corpus.Normalize(title), func(r rune) bool {
		return !(unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-' || r == '\'')
	}) {
		w = strings.TrimSuffix(strings.Trim(w, "'-"), "'s")
		k := strings.ToLower(w)
		if len(k) < 4 || stopWords[k] || seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, w)
	}
	return out
}

var stopWords = map[string]bool{"with": true, "from": true, "that": true, "this": true, "after": true, "over": true,
	"into": true, "about": true, "says": true, "said": true, "will": true, "have": true, "than": true, "their": true,
	"what": true, "when": true, "where": true, "which": true, "while": true, "amid": true, "more": true, "been": true}

func isUpper(w string) bool {
	for _, r := range w {
		return unicode.IsUpper(r)
	}
	return false
}

// ActorName writes a folded actor key as a name: "united states" → "United States".
func ActorName(s string) string {
	ws := strings.Fields(s)
	for i, w := range ws {
		if len(w) <= 3 && !strings.Contains(w, ".") && i == 0 && len(ws) == 1 {
			ws[i] = strings.ToUpper(w) // "uae", "us"
			continue
		}
		ws[i] = strings.ToUpper(w[:1]) + w[1:]
	}
	return strings.Join(ws, " ")
}

// QuoteJoin separates several quotations that share one snippet.
const QuoteJoin = " … "

// docID is kind:article:n, with n the paragraph number or the quote's or
// event's position in the article, zero-padded so that IDs sort in reading order.
// ParagraphDoc is the ID of an article's paragraph's document.
func ParagraphDoc(article string, n int) string { return docID(KindParagraph, article, n) }

func docID(kind, article string, n int) string {
	return fmt.Sprintf("%s:%s:%06d", kind, article, n)
}

func kindOfID(id string) string {
	kind, _, _ := strings.Cut(id, ":")
	return kind
}

// removeOldGenerations deletes superseded generations. A process that still
// has one open keeps reading it: the files live on until it closes them.
func removeOldGenerations(dir, keep string) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		if e.IsDir() && strings.HasPrefix(e.Name(), "gen-") && e.Name() != keep {
			os.RemoveAll(filepath.Join(dir, e.Name()))
		}
	}
}
