package brief

import (
	"context"
	"fmt"
	"math"
	"sort"
	"time"

	"github.com/briefbot/briefbot/extract"
	"github.com/briefbot/briefbot/index"
)

// Digest is what arrived in the corpus in a period and what it says: the
// new articles grouped by topic, each with its main quotations and dated
// events, verbatim and cited like any answer.
type Digest struct {
	Since time.Time `json:"since"` // exclusive
	Until time.Time `json:"until"` // inclusive
	// Articles counts the articles that arrived; Topics shows at most
	// MaxDigestArticles of them with their quotations and events, and More
	// lists the rest, by citation: none is left out.
	Articles int           `json:"articles"`
	Topics   []DigestTopic `json:"topics"`
	More     []Citation    `json:"more,omitempty"`
	Note     string        `json:"note,omitempty"`
}

// DigestTopic is the new articles about one actor or subject.
type DigestTopic struct {
	Topic    string          `json:"topic"`
	Articles []DigestArticle `json:"articles"`
}

// DigestArticle is one new article with what matters most in it.
type DigestArticle struct {
	Citation Citation  `json:"citation"` // Paragraph is 0: the whole article
	Ingested time.Time `json:"ingested"`
	Quotes   []Item    `json:"quotes"`
	Events   []Item    `json:"events"`
	// AlsoIn are the other new copies of the same story (other outlets,
	// other headlines), shown once here.
	AlsoIn []Citation `json:"also_in,omitempty"`
}

// Digest limits: a digest is a morning read, not the whole corpus.
const (
	MaxDigestArticles = 30
	digestQuotes      = 3
	digestEvents      = 3
)

// Digest describes the articles that reached the index after since and
// no later than until.
func (e *Engine) Digest(ctx context.Context, since, until time.Time) (*Digest, error) {
	ix := e.Index()
	meta := ix.Meta()
	d := &Digest{Since: since.UTC(), Until: until.UTC(), Topics: []DigestTopic{}}
	fresh := arrived(meta, since, until)
	d.Articles = len(fresh)
	if len(fresh) == 0 {
		d.Note = "Nothing new since " + since.UTC().Format("Mon 2 Jan 2006 15:04 MST") + "."
		return d, nil
	}
	// Newest news first; the first MaxDigestArticles are shown.
	sort.SliceStable(fresh, func(i, j int) bool {
		if !fresh[i].Published.Equal(fresh[j].Published) {
			return fresh[i].Published.After(fresh[j].Published)
		}
		return fresh[i].Ingested.After(fresh[j].Ingested)
	})
	// A story that arrived from several outlets is one entry.
	copiesOf := map[string][]Citation{}
	var stories []index.ArticleMeta
	for _, a := range fresh {
		first := -1
		for i, s := range stories {
			if e.copies(s.ID, a.ID) {
				first = i
				break
			}
		}
		if first < 0 {
			stories = append(stories, a)
			continue
		}
		id := stories[first].ID
		copiesOf[id] = append(copiesOf[id], articleCitation(a))
	}
	fresh = stories
	if len(fresh) > MaxDigestArticles {
		for _, a := range fresh[MaxDigestArticles:] {
			d.More = append(d.More, articleCitation(a))
		}
		d.Note = fmt.Sprintf("%d more new articles are listed at the end by title; each can be read whole as a source.", len(d.More))
		fresh = fresh[:MaxDigestArticles]
	}
	byTopic := map[string]*DigestTopic{}
	var order []string
	for _, a := range fresh {
		da, topic, err := e.digestArticle(ctx, ix, meta, a)
		if err != nil {
			return nil, err
		}
		da.AlsoIn = copiesOf[a.ID]
		name := "Other news"
		if topic != "" {
			name = index.ActorName(topic)
		}
		t := byTopic[name]
		if t == nil {
			t = &DigestTopic{Topic: name}
			byTopic[name] = t
			order = append(order, name)
		}
		t.Articles = append(t.Articles, da)
	}
	// Topics with more new articles first; "Other news" last.
	sort.SliceStable(order, func(i, j int) bool {
		ni, nj := len(byTopic[order[i]].Articles), len(byTopic[order[j]].Articles)
		if (order[i] == "Other news") != (order[j] == "Other news") {
			return order[j] == "Other news"
		}
		return ni > nj
	})
	for _, name := range order {
		d.Topics = append(d.Topics, *byTopic[name])
	}
	return d, nil
}

// arrived are the articles that reached the index after since and no later
// than until.
func arrived(meta *index.Meta, since, until time.Time) []index.ArticleMeta {
	var out []index.ArticleMeta
	for _, a := range meta.Articles {
		if a.Ingested.After(since) && !a.Ingested.After(until) {
			out = append(out, a)
		}
	}
	return out
}

// digestArticle picks an article's main quotations and events, and names
// its topic: the actor its paragraphs name most, the corpus subject only
// when it is the only one (in a corpus about one country, every article
// names it).
func (e *Engine) digestArticle(ctx context.Context, ix *index.Index, meta *index.Meta, a index.ArticleMeta) (DigestArticle, string, error) {
	da := DigestArticle{Ingested: a.Ingested, Quotes: []Item{}, Events: []Item{}, Citation: articleCitation(a)}
	paras, _, err := ix.Search(ctx, index.Query{Kind: index.KindParagraph, Article: a.ID, Order: index.ByPosition, Size: max(a.Paragraphs, 1)})
	if err != nil {
		return da, "", err
	}
	mentions := map[string]int{}
	for _, h := range paras {
		for _, m := range h.Mentions {
			if sp, named := meta.Speakers.Get(m); !named || !sp.Person {
				mentions[m]++
			}
		}
	}
	topic := ""
	for _, k := range extract.TopN(mentions, 2) {
		if topic == "" || (topic == meta.Subject && k != meta.Subject) {
			topic = k
		}
	}

	quotes, _, err := ix.Search(ctx, index.Query{Kind: index.KindQuote, Article: a.ID, Order: index.ByPosition, Size: max(a.Quotes, 1)})
	if err != nil {
		return da, "", err
	}
	// The quotations that matter most: attributed, by people the corpus
	// quotes often, substantial, early in the story.
	score := func(i int) float64 {
		h := quotes[i]
		s := -0.1 * float64(i)
		if sp, ok := meta.Speakers.Get(h.Speaker); ok {
			s += 2 + math.Log1p(float64(sp.Quotes))
		}
		return s + math.Min(float64(len([]rune(h.Quote)))/80, 2)
	}
	for _, i := range best(len(quotes), digestQuotes, score) {
		da.Quotes = append(da.Quotes, e.corrected(quoteItem(quotes[i], meta.Speakers)))
	}

	events, _, err := ix.Search(ctx, index.Query{Kind: index.KindEvent, Article: a.ID, Order: index.ByPosition, Size: max(a.Events, 1)})
	if err != nil {
		return da, "", err
	}
	// Events dated to the day or week, near the publication, are the news.
	escore := func(i int) float64 {
		h := events[i]
		s := -0.05 * float64(i)
		switch extract.Precision(h.Precision) {
		case extract.Day:
			s += 2
		case extract.Week:
			s++
		}
		if !a.Published.IsZero() && math.Abs(a.Published.Sub(h.Start).Hours()) < 24*31 {
			s++
		}
		return s
	}
	picked := best(len(events), digestEvents, escore)
	sort.SliceStable(picked, func(x, y int) bool { return events[picked[x]].Start.Before(events[picked[y]].Start) })
	for _, i := range picked {
		da.Events = append(da.Events, eventItem(events[i]))
	}
	return da, topic, nil
}

// articleCitation cites a whole article (Paragraph 0).
func articleCitation(a index.ArticleMeta) Citation {
	c := Citation{Article: a.ID, File: a.File, Title: a.Title, Outlet: a.Outlet, URL: a.URL}
	if !a.Published.IsZero() {
		c.Published = a.Published.Format("2006-01-02")
	}
	return c
}

// best returns the indexes of the n highest scores among 0..count-1, in
// their original order.
func best(count, n int, score func(int) float64) []int {
	idx := make([]int, count)
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return score(idx[a]) > score(idx[b]) })
	idx = idx[:min(n, count)]
	sort.Ints(idx)
	return idx
}
