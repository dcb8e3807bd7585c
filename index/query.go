package index

import (
	"context"
	"fmt"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/briefbot/briefbot/corpus"
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
	// Words, when set, must match the unit, or its article's headline (always
	// for quotes and events, with InContext for paragraphs).
	Words     string
	InContext bool
	// Actors rank documents where they take a position first, then those that name them.
	Actors []string
	// Speakers keeps quotes by any of these speaker keys.
	Speakers []string
	// Article keeps one article's documents.
	Article string
	// From and To keep events whose date range meets [From, To]; zero is open.
	From, To time.Time
	Order    Order
	Offset   int
	Size     int
}

// Hit is one matching document with its stored fields.
type Hit struct {
	ID        string
	Kind      string
	Article   string
	Para      int
	Text      string // the unit's text as received
	Quote     string
	Speaker   string
	Stance    []string
	Mentions  []string
	Start     time.Time
	End       time.Time
	Precision string
	Expr      string
	Score     float64
}

// Boosts that make a stated position outrank a mention, and a mention outrank background.
const (
	stanceBoost  = 8
	mentionBoost = 2
)

// Search runs q and returns one page of hits and the total number of matches.
func (ix *Index) Search(ctx context.Context, q Query) ([]Hit, int, error) {
	req := bleve.NewSearchRequestOptions(ix.compile(q), q.Size, q.Offset, false)
	req.Fields = []string{fArticle, fPara, fOrig, fQuote, fSpeaker, fStance, fMentions, fStart, fEnd, fPrecision, fExpr}
	switch q.Order {
	// Document IDs sort by article and position (see docID), so they break ties.
	case ByEventDate:
		req.SortBy([]string{fStart, "_id"})
	case ByNewest:
		req.SortBy([]string{"-" + fPublished, "_id"})
	case ByPosition:
		req.SortBy([]string{"_id"})
	default:
		req.SortBy([]string{"-_score", "_id"})
	}
	res, err := ix.bleve.SearchInContext(ctx, req)
	if err != nil {
		return nil, 0, fmt.Errorf("search %s: %w", q.Kind, err)
	}
	hits := make([]Hit, 0, len(res.Hits))
	for _, h := range res.Hits {
		hits = append(hits, hitOf(h))
	}
	return hits, int(res.Total), nil
}

// compile builds the Bleve query for q.
func (ix *Index) compile(q Query) query.Query {
	must := []query.Query{term(fKind, q.Kind)}
	if q.Article != "" {
		must = append(must, term(fArticle, q.Article))
	}
	if q.Words != "" {
		words := corpus.Normalize(q.Words)
		text := bleve.NewMatchQuery(words)
		text.SetField(fText)
		if q.Kind == KindParagraph && !q.InContext {
			must = append(must, text)
		} else {
			text.SetBoost(2)
			ctx := bleve.NewMatchQuery(words)
			ctx.SetField(fContext)
			must = append(must, bleve.NewDisjunctionQuery(text, ctx))
		}
	}
	if len(q.Speakers) > 0 {
		var any []query.Query
		for _, s := range q.Speakers {
			any = append(any, term(fSpeaker, s))
		}
		must = append(must, bleve.NewDisjunctionQuery(any...))
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
	for _, a := range q.Actors {
		st := term(fStance, a)
		st.SetBoost(stanceBoost)
		mn := term(fMentions, a)
		mn.SetBoost(mentionBoost)
		b.AddShould(st, mn)
	}
	return b
}

func term(field, value string) *query.TermQuery {
	t := bleve.NewTermQuery(value)
	t.SetField(field)
	return t
}

func hitOf(h *search.DocumentMatch) Hit {
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
	out.Stance = strs(fStance)
	out.Mentions = strs(fMentions)
	out.Start, out.End = date(fStart), date(fEnd)
	out.Precision = str(fPrecision)
	out.Expr = str(fExpr)
	out.Kind = kindOfID(h.ID)
	return out
}

// PlainSearch is the baseline for benchmarks: the same words as a bare Bleve
// match query on paragraph text, no filters, ranking or snippets of ours.
func (ix *Index) PlainSearch(ctx context.Context, words string, size int) (int, error) {
	m := bleve.NewMatchQuery(words)
	m.SetField(fText)
	res, err := ix.bleve.SearchInContext(ctx, bleve.NewSearchRequestOptions(m, size, 0, false))
	if err != nil {
		return 0, err
	}
	return len(res.Hits), nil
}
