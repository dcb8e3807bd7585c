package index

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/blevesearch/bleve/v2"

	"github.com/briefbot/briefbot/corpus"
	"github.com/briefbot/briefbot/extract"
)

// batchDocs is how many documents go to Bleve at once: large enough to
// amortise segment creation, small enough to bound memory.
const batchDocs = 4000

// indexers is how many batches Bleve builds segments for at once.
const indexers = 2

// Build indexes corpus c into a new generation under dir and makes it current.
func Build(ctx context.Context, dir string, c *corpus.Corpus, opts Options) (*Index, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("create index folder %s: %w", dir, err)
	}
	an := extract.Analyze(c)
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

	b, err := bleve.New(filepath.Join(tmp, "bleve"), buildMapping())
	if err != nil {
		return nil, fmt.Errorf("create index in %s: %w", tmp, err)
	}
	meta := Meta{
		Format: Format, Fingerprint: c.Fingerprint, Built: opts.now().UTC(),
		Subject: an.Subject, ActorAliases: c.Settings.ActorAliases, Speakers: an.Speakers, Problems: c.Problems,
	}
	// Two goroutines hand batches to Bleve while the next one is being
	// filled: preparation, analysis and segment building overlap on all cores.
	batches := make(chan *bleve.Batch, 1)
	indexed := make(chan error, indexers)
	for w := 0; w < indexers; w++ {
		go func() {
			var first error
			for batch := range batches {
				if first == nil {
					if err := b.Batch(batch); err != nil {
						first = fmt.Errorf("index batch: %w", err)
					}
				}
			}
			indexed <- first
		}()
	}
	wait := func() error {
		var first error
		for w := 0; w < indexers; w++ {
			if err := <-indexed; err != nil && first == nil {
				first = err
			}
		}
		return first
	}
	stop := func(err error) (*Index, error) {
		close(batches)
		wait()
		b.Close()
		return nil, err
	}
	batch := b.NewBatch()
	for i, a := range c.Articles {
		if err := ctx.Err(); err != nil {
			return stop(err)
		}
		facts := an.Facts[a.ID]
		for id, doc := range documents(a, facts) {
			if err := batch.Index(id, doc); err != nil {
				return stop(fmt.Errorf("index %s: %w", a.File, err))
			}
		}
		meta.Articles = append(meta.Articles, ArticleMeta{
			ID: a.ID, File: a.File, Title: a.Title, Outlet: a.Outlet, Author: a.Author, URL: a.URL,
			Published: a.Published, Paragraphs: len(a.Paragraphs), Quotes: len(facts.Quotes), Events: len(facts.Events),
		})
		if batch.Size() >= batchDocs {
			batches <- batch
			batch = b.NewBatch()
		}
		if opts.Progress != nil {
			opts.Progress(i+1, len(c.Articles))
		}
	}
	if batch.Size() > 0 {
		batches <- batch
	}
	close(batches)
	if err := wait(); err != nil {
		b.Close()
		return nil, err
	}
	if err := b.Close(); err != nil {
		return nil, fmt.Errorf("close new index: %w", err)
	}
	data, err := json.Marshal(meta)
	if err != nil {
		return nil, fmt.Errorf("encode index meta: %w", err)
	}
	if err := os.WriteFile(filepath.Join(tmp, "meta.json"), data, 0o644); err != nil {
		return nil, fmt.Errorf("write index meta: %w", err)
	}

	name := generation(c)
	final := filepath.Join(dir, name)
	if _, err := os.Stat(final); err == nil {
		// Another build of the same corpus finished first; its result is as good.
		os.RemoveAll(tmp)
	} else if err := os.Rename(tmp, final); err != nil {
		return nil, fmt.Errorf("move new index into place: %w", err)
	}
	done = true
	if err := writeAtomic(filepath.Join(dir, "CURRENT"), []byte(name+"\n")); err != nil {
		return nil, err
	}
	removeOldGenerations(dir, name)
	return openGeneration(final)
}

// documents turns one article into index documents keyed by ID.
func documents(a *corpus.Article, f *extract.Facts) map[string]map[string]interface{} {
	docs := map[string]map[string]interface{}{}
	// The headline is the context of every unit: it says what a paragraph,
	// quotation or event is about even when the unit itself does not.
	title := corpus.Normalize(a.Title)
	base := func(kind string, para int) map[string]interface{} {
		d := map[string]interface{}{fKind: kind, fArticle: a.ID, fPara: float64(para)}
		if kind == KindQuote && !a.Published.IsZero() {
			d[fPublished] = a.Published // "newest first" sorts quotes by it
		}
		return d
	}
	for i, p := range a.Paragraphs {
		d := base(KindParagraph, p.N)
		d[fText] = corpus.Normalize(p.Text)
		// The headline says what every paragraph is about, even one that
		// never names the topic ("we abstained" in a story on Ukraine).
		d[fContext] = title
		d[fOrig] = p.Text
		d[fStance] = f.Stance[i]
		d[fMentions] = f.Mentions[i]
		docs[docID(KindParagraph, a.ID, p.N)] = d
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
		d[fText] = corpus.Normalize(snippet)
		d[fContext] = title
		d[fOrig] = snippet
		d[fQuote] = q.Text
		if q.SpeakerKey != "" {
			d[fSpeaker] = q.SpeakerKey
		}
		quoteDocs[k] = d
		docs[docID(KindQuote, a.ID, i)] = d
	}
	for i, e := range f.Events {
		p := a.Paragraphs[e.Para-1]
		d := base(KindEvent, e.Para)
		sentence := p.Slice(e.Sentence)
		d[fText] = corpus.Normalize(sentence)
		d[fContext] = title
		d[fOrig] = sentence
		d[fStart] = e.Start
		d[fEnd] = e.End
		d[fPrecision] = string(e.Precision)
		d[fExpr] = e.Expr
		docs[docID(KindEvent, a.ID, i)] = d
	}
	return docs
}

// QuoteJoin separates several quotations that share one snippet.
const QuoteJoin = " … "

// docID is kind:article:n, with n the paragraph number or the quote's or
// event's position in the article, zero-padded so that IDs sort in reading order.
func docID(kind, article string, n int) string {
	return fmt.Sprintf("%s:%s:%06d", kind, article, n)
}

func kindOfID(id string) string {
	kind, _, _ := strings.Cut(id, ":")
	return kind
}

func writeAtomic(path string, data []byte) error {
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, data, 0o644); err != nil {
		return fmt.Errorf("write %s: %w", tmp, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("replace %s: %w", path, err)
	}
	return nil
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
