package brief

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/briefbot/briefbot/index"
)

// WatchQuery is what a watch looks for in new articles: passages about a
// topic; with an actor, that actor's positions on it (as Stance); with a
// speaker, their quotations (about the topic, when there is one).
type WatchQuery struct {
	Topic   string
	Actor   string
	Speaker string
}

// Watch answers a watch from the articles that arrived after since and no
// later than until, with the engine of the other answers: the same
// passages, labels and citations, only those of the new articles. An empty
// answer says nothing new matched.
func (e *Engine) Watch(ctx context.Context, q WatchQuery, since, until time.Time, page Page) (*Answer, error) {
	page = page.normal()
	fresh := newsOf(e.Index().Meta(), since, until)
	// An unknown speaker's answer says who is quoted instead: kept below.
	unknownSpeaker := q.Speaker != "" && len(e.Index().Head().Speakers.Resolve(q.Speaker)) == 0
	var ans *Answer
	var err error
	switch {
	case q.Topic == "" && q.Speaker == "":
		return nil, inputErrorf("a watch needs a topic or a speaker")
	case fresh.empty():
		ans = &Answer{Command: "search", Query: map[string]string{"query": q.Topic}, Items: []Item{}}
		switch {
		case q.Speaker != "":
			ans.Command, ans.Query = "quote", map[string]string{"speaker": q.Speaker, "topic": q.Topic}
		case q.Actor != "":
			ans.Command, ans.Query = "stance", map[string]string{"topic": q.Topic, "actor": q.Actor}
		}
		ans = e.finish(ans)
	case q.Speaker != "":
		ans, err = e.quote(ctx, q.Speaker, q.Topic, fresh, page)
	case q.Actor != "":
		ans, err = e.newPositions(ctx, q, fresh, page)
	default:
		ans, err = e.search(ctx, q.Topic, fresh, page)
	}
	if err != nil {
		return nil, err
	}
	ans.Query["since"] = since.UTC().Format(time.RFC3339)
	news := fmt.Sprintf("%s since %s.", fresh.count(), since.UTC().Format("Mon 2 Jan 2006 15:04 MST"))
	switch {
	case len(ans.Items) == 0 && unknownSpeaker && ans.Note != "":
		ans.Note = news + " " + ans.Note
	case len(ans.Items) == 0:
		ans.Note = news + " Nothing in them matches the watch."
	case ans.Note != "":
		ans.Note = news + " " + ans.Note + " What in them matches the watch:"
	default:
		ans.Note = news + " What in them matches the watch:"
	}
	return ans, nil
}

// newPositions is the actor's stance on the topic as Stance finds it in
// the whole corpus (so that what makes a passage topical is the same), kept
// to the passages of the new articles.
func (e *Engine) newPositions(ctx context.Context, q WatchQuery, fresh news, page Page) (*Answer, error) {
	topic, terms, err := e.words("topic", q.Topic, true)
	if err != nil {
		return nil, err
	}
	actor, err := cleanInput("actor", q.Actor)
	if err != nil {
		return nil, err
	}
	st, err := e.stanceOf(ctx, e.topicMatcher(topic, terms), actor)
	if err != nil {
		return nil, err
	}
	isNew := map[string]bool{}
	for _, id := range append(append([]string(nil), fresh.articles...), fresh.docs...) {
		isNew[id] = true
	}
	var items []Item
	for _, it := range st.items {
		if isNew[it.Citation.Article] || isNew[index.ParagraphDoc(it.Citation.Article, it.Citation.Paragraph)] {
			items = append(items, it)
		}
	}
	ans := &Answer{Command: "stance", Query: map[string]string{"topic": topic, "actor": actor}, Total: len(items), Offset: page.Offset}
	ans.Summary = summarize(items)
	ans.Items = pageOf(items, page)
	return e.finish(ans), nil
}

// news is what is new between two times: the articles that arrived, and
// the new documents of the articles revised (their new paragraphs).
type news struct {
	articles, docs []string
	revised        int
}

func newsOf(meta *index.Meta, since, until time.Time) news {
	var n news
	in := func(t time.Time) bool { return t.After(since) && !t.After(until) }
	for _, a := range meta.Articles {
		switch {
		case in(a.Ingested):
			n.articles = append(n.articles, a.ID)
		case in(a.Revised) && len(a.NewDocs) > 0:
			n.docs = append(n.docs, a.NewDocs...)
			n.revised++
		}
	}
	return n
}

func (n news) empty() bool { return len(n.articles) == 0 && len(n.docs) == 0 }

// count says what arrived: "3 articles arrived", "1 article was revised".
func (n news) count() string {
	var parts []string
	switch len(n.articles) {
	case 0:
	case 1:
		parts = append(parts, "1 article arrived")
	default:
		parts = append(parts, fmt.Sprintf("%d articles arrived", len(n.articles)))
	}
	switch n.revised {
	case 0:
	case 1:
		parts = append(parts, "1 article was revised")
	default:
		parts = append(parts, fmt.Sprintf("%d articles were revised", n.revised))
	}
	if len(parts) == 0 {
		return "0 articles arrived"
	}
	return strings.Join(parts, " and ")
}
