package index

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/briefbot/briefbot/corpus"
	"github.com/briefbot/briefbot/extract"
)

// Order of results.
type Order int

const (
	ByRelevance Order = iota
	ByEventDate       // oldest event first
	ByNewest          // newest article first (quotes only)
	ByPosition        // article, then paragraph
)

// Query selects documents of one kind. User text only ever reaches Bleve as
// a match query, which analyses it into plain words: no query syntax.
type Query struct {
	Kind string
	// Words, when set, must match the unit, or with InTitle the unit or its
	// article's headline. The wider query costs more: callers use it only
	// when the narrow one finds too little.
	Words   string
	InTitle bool
	// AllWords makes every word of Words required, not just one;
	// MostWords every word but one when there are three or more ("paid
	// leave" for "paid maternity leave").
	AllWords  bool
	MostWords bool
	// Named also matches units that name one of these name keys (a person
	// the unit calls by surname or pronoun-free description), as Words would.
	Named []string
	// Actors rank documents where they take a position first.
	Actors []string
	// Holders keeps paragraphs where one of these keys takes a position.
	Holders []string
	// Articles keeps the documents of these articles (with Article, of one);
	// Docs keeps these documents too (a revised article's new ones).
	Articles []string
	Docs     []string
	// Among keeps only these documents; Exclude leaves these out.
	Among, Exclude []string
	// Speakers keeps quotes by any of these speaker keys, and the quotes of
	// SpeakerDocs (whose speaker the team corrected to one of them).
	Speakers    []string
	SpeakerDocs []string
	// Article keeps one article's documents.
	Article string
	// From and To keep events whose date range meets [From, To]; zero is open.
	From, To time.Time
	Order    Order
	Offset   int
	Size     int
	// TextOnly leaves the positions out of the hits, for callers that read
	// only the text and mentions of many matches.
	TextOnly bool
}

// Hit is one matching document with its stored fields.
type Hit struct {
	ID      string
	Kind    string
	Article string
	Para    int
	Text    string // the unit's text as received
	Quote   string
	Speaker string
	// How says how the quotation's speaker was found (see extract.ByDirect).
	How      string
	Stance   []string
	Mentions []string
	// positions are the positions taken in a paragraph, as stored (see
	// Positions).
	positions string
	Start     time.Time
	End       time.Time
	Precision string
	Expr      string
	Basis     string
	Score     float64
	// Source is the hit's article as the index knew it when it found the hit.
	Source *ArticleMeta
}

// fieldsOf lists the stored fields answers read, by kind.
func fieldsOf(q Query) []string {
	if q.TextOnly && q.Kind == KindParagraph {
		return []string{fArticle, fPara, fOrig, fSum, fMentions}
	}
	return storedOf[q.Kind]
}

var storedOf = map[string][]string{
	KindParagraph: {fArticle, fPara, fOrig, fSum, fStance, fMentions, fPositions},
	KindQuote:     {fArticle, fPara, fOrig, fSum, fQuote, fSpeaker, fHow},
	KindEvent:     {fArticle, fPara, fOrig, fSum, fStart, fEnd, fPrecision, fExpr, fBasis},
}

// stanceBoost makes a stated position outrank a passage that only has the words.
const stanceBoost = 8

// ErrBadQuery is a query Bleve refuses to run (a date out of its range, say).
var ErrBadQuery = errors.New("the index cannot run this query")

// MinDate and MaxDate bound the dates the index can store and search
// (Bleve keeps them as nanoseconds since 1970 in 64 bits).
var (
	MinDate = time.Date(1678, 1, 1, 0, 0, 0, 0, time.UTC)
	MaxDate = time.Date(2261, 12, 31, 0, 0, 0, 0, time.UTC)
)

// Search runs q and returns one page of hits and the total number of matches.
func (ix *Index) Search(ctx context.Context, q Query) ([]Hit, int, error) {
	if q.Order == ByRelevance {
		return ix.searchRelevant(ctx, q)
	}
	req := bleve.NewSearchRequestOptions(ix.compile(q), q.Size, q.Offset, false)
	req.Fields = fieldsOf(q)
	req.Score = bleve.ScoreNone // sorted by a field: scores would be computed for nothing
	switch q.Order {
	// Sort keys end with the article and the position, so no two are equal.
	case ByEventDate:
		req.SortBy([]string{fSortKey})
	case ByNewest:
		req.SortBy([]string{"-" + fSortKey})
	case ByPosition:
		req.SortBy([]string{"_id"}) // IDs are zero-padded positions (see docID)
	}
	hits, total, err := ix.run(ctx, req)
	if err != nil {
		return nil, 0, fmt.Errorf("search %s: %w", q.Kind, err)
	}
	return hits, total, nil
}

// tieMargin is how many hits past the page a relevance search fetches to
// see whether equal scores run past the page's end.
const tieMargin = 4

// searchRelevant is a search best first, with equal scores in ID order, so
// that which of them make a page never depends on how the segments were
// built or in which order articles arrived. Sorting on IDs inside Bleve
// reads the ID of every match and costs several times the search; so the
// page and a few hits past it are found by score alone, and only when
// equal scores run past them is the search run again sorted by ID. The
// stored fields, the costly part, are read once, for the page only.
func (ix *Index) searchRelevant(ctx context.Context, q Query) (hits []Hit, total int, err error) {
	want := q.Offset + q.Size
	if q.Size <= 0 {
		return []Hit{}, 0, nil
	}
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	defer recoverDamage(ix, &err)
	// Both passes under one lock: an update landing between them would
	// change what the IDs name.
	probe := bleve.NewSearchRequestOptions(ix.compile(q), want+tieMargin, 0, false)
	if hits, total, err = ix.runLocked(ctx, probe); err != nil {
		return nil, 0, fmt.Errorf("search %s: %w", q.Kind, err)
	}
	sortByScore(hits)
	var req *bleve.SearchRequest
	if len(hits) <= want || hits[len(hits)-1].Score != hits[want-1].Score {
		page := pageOf(hits, q.Offset, want)
		if len(page) == 0 {
			return page, total, nil
		}
		ids := make([]string, len(page))
		for i, h := range page {
			ids[i] = h.ID
		}
		req = bleve.NewSearchRequestOptions(bleve.NewDocIDQuery(ids), len(ids), 0, false)
		req.Fields = fieldsOf(q)
		loaded, _, err := ix.runLocked(ctx, req)
		if err != nil {
			return nil, 0, fmt.Errorf("search %s: %w", q.Kind, err)
		}
		byID := make(map[string]Hit, len(loaded))
		for _, h := range loaded {
			byID[h.ID] = h
		}
		for i, h := range page {
			full, ok := byID[h.ID]
			if !ok {
				return nil, 0, ix.markDamaged("document " + h.ID + " matched but cannot be read")
			}
			full.Score = h.Score
			page[i] = full
		}
		return page, total, nil
	}
	req = bleve.NewSearchRequestOptions(ix.compile(q), q.Size, q.Offset, false)
	req.Fields = fieldsOf(q)
	req.SortBy([]string{"-_score", "_id"})
	if hits, total, err = ix.runLocked(ctx, req); err != nil {
		return nil, 0, fmt.Errorf("search %s: %w", q.Kind, err)
	}
	return hits, total, nil
}

// sortByScore orders hits best first, equal scores in ID order.
func sortByScore(hits []Hit) {
	sort.SliceStable(hits, func(i, j int) bool {
		if hits[i].Score != hits[j].Score {
			return hits[i].Score > hits[j].Score
		}
		return hits[i].ID < hits[j].ID
	})
}

func pageOf(hits []Hit, from, to int) []Hit {
	if from >= len(hits) {
		return []Hit{}
	}
	return hits[from:min(to, len(hits))]
}

// run searches under the read lock, so that an update cannot land between
// the search and the lookup of the articles it cites. A panic or an error
// inside Bleve, or stored text that fails its checksum, is damage.
func (ix *Index) run(ctx context.Context, req *bleve.SearchRequest) (hits []Hit, total int, err error) {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	defer recoverDamage(ix, &err)
	return ix.runLocked(ctx, req)
}

// runLocked is run for a caller that holds the read lock.
func (ix *Index) runLocked(ctx context.Context, req *bleve.SearchRequest) (hits []Hit, total int, err error) {
	st := ix.state
	// A query Bleve cannot run is the question's fault, not damage.
	if err := req.Validate(); err != nil {
		return nil, 0, fmt.Errorf("%w: %v", ErrBadQuery, err)
	}
	res, err := ix.bleve.SearchInContext(ctx, req)
	if err != nil {
		if ctx.Err() != nil {
			return nil, 0, ctx.Err()
		}
		return nil, 0, ix.markDamaged(err.Error())
	}
	hits = make([]Hit, 0, len(res.Hits))
	withFields := len(req.Fields) > 0
	for _, h := range res.Hits {
		hit, sound := hitOf(h)
		if withFields && !sound {
			return nil, 0, ix.markDamaged("stored text of " + h.ID + " fails its checksum")
		}
		hit.Source, _ = st.article(hit.Article)
		hits = append(hits, hit)
	}
	return hits, int(res.Total), nil
}

// compile builds the Bleve query for q.
func (ix *Index) compile(q Query) query.Query {
	var must []query.Query
	if q.Article != "" {
		must = append(must, term(fArticle, q.Article))
	}
	if len(q.Articles)+len(q.Docs) > 0 {
		must = append(must, scope(q.Articles, q.Docs))
	}
	if len(q.Among) > 0 {
		must = append(must, bleve.NewDocIDQuery(q.Among))
	}
	if len(q.Holders) > 0 {
		must = append(must, anyTerm(fStance, q.Holders))
	}
	if q.Words != "" {
		must = append(must, ix.wordsQuery(q))
	} else {
		must = append(must, term(fKind, q.Kind))
	}
	switch {
	case len(q.SpeakerDocs) > 0 && len(q.Speakers) > 0:
		must = append(must, bleve.NewDisjunctionQuery(anyTerm(fSpeaker, q.Speakers), bleve.NewDocIDQuery(q.SpeakerDocs)))
	case len(q.SpeakerDocs) > 0:
		must = append(must, bleve.NewDocIDQuery(q.SpeakerDocs))
	case len(q.Speakers) > 0:
		must = append(must, anyTerm(fSpeaker, q.Speakers))
	}
	if !q.From.IsZero() || !q.To.IsZero() {
		inclusive := true
		if !q.From.IsZero() {
			r := bleve.NewDateRangeInclusiveQuery(q.From, time.Time{}, &inclusive, &inclusive)
			r.SetField(fEnd)
			must = append(must, r)
		}
		if !q.To.IsZero() {
			r := bleve.NewDateRangeInclusiveQuery(time.Time{}, q.To, &inclusive, &inclusive)
			r.SetField(fStart)
			must = append(must, r)
		}
	}
	b := bleve.NewBooleanQuery()
	b.AddMust(must...)
	if len(q.Exclude) > 0 {
		b.AddMustNot(bleve.NewDocIDQuery(q.Exclude))
	}
	for _, a := range q.Actors {
		st := term(fStance, a)
		st.SetBoost(stanceBoost)
		b.AddShould(st)
	}
	return b
}

// textFields are the text and headline fields of a kind of document.
func textFields(kind string) (text, title string) {
	switch kind {
	case KindQuote:
		return fQuoteText, fQuoteTitle
	case KindEvent:
		return fEventText, fEventTitle
	}
	return fParaText, fParaTitle
}

func (ix *Index) wordsQuery(q Query) query.Query {
	words := corpus.Normalize(q.Words)
	text, title := textFields(q.Kind)
	match := func(field string, all bool) *query.MatchQuery {
		m := bleve.NewMatchQuery(words)
		m.SetField(field)
		if all {
			m.SetOperator(query.MatchQueryOperatorAnd)
		}
		return m
	}
	// MostWords of fewer than three words is every word.
	alts := []query.Query{match(text, q.AllWords || q.MostWords)}
	if fields := strings.Fields(words); q.MostWords && len(fields) >= 3 {
		b := bleve.NewBooleanQuery()
		for _, w := range fields {
			m := bleve.NewMatchQuery(w)
			m.SetField(text)
			b.AddShould(m)
		}
		b.SetMinShould(float64(len(fields) - 1))
		alts[0] = b
	}
	if q.InTitle {
		t := match(title, q.AllWords)
		t.SetBoost(0.2)
		alts = append(alts, t)
	}
	if len(q.Named) > 0 && q.Kind == KindParagraph {
		alts = append(alts, anyTerm(fMentions, q.Named))
	}
	if len(alts) == 1 {
		return alts[0]
	}
	return bleve.NewDisjunctionQuery(alts...)
}

// anyTerm matches documents whose keyword field holds one of values.
// scope matches the documents of the articles, and the documents named.
func scope(articles, docs []string) query.Query {
	if len(docs) == 0 {
		return anyTerm(fArticle, articles)
	}
	named := bleve.NewDocIDQuery(docs)
	if len(articles) == 0 {
		return named
	}
	return bleve.NewDisjunctionQuery(anyTerm(fArticle, articles), named)
}

func anyTerm(field string, values []string) query.Query {
	var any []query.Query
	for _, v := range values {
		any = append(any, term(field, v))
	}
	return bleve.NewDisjunctionQuery(any...)
}

func term(field, value string) *query.TermQuery {
	t := bleve.NewTermQuery(value)
	t.SetField(field)
	return t
}

// Positions decodes the positions taken in the hit's paragraph. They are
// decoded on demand: a stance answer reads hundreds of hits and looks into
// the positions of only those on its topic.
func (h Hit) Positions() []extract.Position {
	if h.positions == "" {
		return nil
	}
	var ps []extract.Position
	if json.Unmarshal([]byte(h.positions), &ps) != nil {
		return nil
	}
	return ps
}

// hitOf reads a match's stored fields; sound is false when its text does
// not match the checksum stored with it.
func hitOf(h *search.DocumentMatch) (hit Hit, sound bool) {
	out := Hit{ID: h.ID, Score: h.Score}
	str := func(k string) string { s, _ := h.Fields[k].(string); return s }
	strs := func(k string) []string {
		switch v := h.Fields[k].(type) {
		case string:
			return []string{v}
		case []interface{}:
			var out []string
			for _, x := range v {
				if s, ok := x.(string); ok {
					out = append(out, s)
				}
			}
			return out
		}
		return nil
	}
	date := func(k string) time.Time {
		t, _ := time.Parse(time.RFC3339, str(k))
		return t.UTC()
	}
	out.Article = str(fArticle)
	if n, ok := h.Fields[fPara].(float64); ok {
		out.Para = int(n)
	}
	out.Text = str(fOrig)
	out.Quote = str(fQuote)
	out.Speaker = str(fSpeaker)
	out.How = str(fHow)
	out.Stance = strs(fStance)
	out.Mentions = strs(fMentions)
	out.positions = str(fPositions)
	out.Start, out.End = date(fStart), date(fEnd)
	out.Precision = str(fPrecision)
	out.Expr = str(fExpr)
	out.Basis = str(fBasis)
	out.Kind = kindOfID(h.ID)
	sum, _ := h.Fields[fSum].(string)
	return out, sum == unitSum(out.Article, out.Para, out.Text, out.Quote, out.Speaker, out.Start)
}

// PlainSearch is the baseline for benchmarks: the same words as a bare Bleve
// match query on paragraph text, returning the best paragraphs' text (what
// any search needs to show), with no filters, ranking or snippets of ours.
func (ix *Index) PlainSearch(ctx context.Context, words string, size int) (int, error) {
	m := bleve.NewMatchQuery(words)
	m.SetField(fParaText)
	req := bleve.NewSearchRequestOptions(m, size, 0, false)
	req.Fields = []string{fOrig}
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	res, err := ix.bleve.SearchInContext(ctx, req)
	if err != nil {
		return 0, err
	}
	return len(res.Hits), nil
}
