package brief

import (
	"context"
	"fmt"
	"time"
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
	var fresh []string
	for _, a := range arrived(e.Index().Meta(), since, until) {
		fresh = append(fresh, a.ID)
	}
	// An unknown speaker's answer says who is quoted instead: kept below.
	unknownSpeaker := q.Speaker != "" && len(e.Index().Meta().Speakers.Resolve(q.Speaker)) == 0
	var ans *Answer
	var err error
	switch {
	case q.Topic == "" && q.Speaker == "":
		return nil, inputErrorf("a watch needs a topic or a speaker")
	case len(fresh) == 0:
		ans = &Answer{Command: "search", Query: map[string]string{"query": q.Topic}, Items: []Item{}}
		switch {
		case q.Speaker != "":
			ans.Command, ans.Query = "quote", map[string]string{"speaker": q.Speaker, "topic": q.Topic}
		case q.Actor != "":
			ans.Command, ans.Query = "stance", map[string]string{"topic": q.Topic, "actor": q.Actor}
		}
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
	articles := "articles"
	if len(fresh) == 1 {
		articles = "article"
	}
	news := fmt.Sprintf("%d %s arrived since %s.", len(fresh), articles, since.UTC().Format("Mon 2 Jan 2006 15:04 MST"))
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
func (e *Engine) newPositions(ctx context.Context, q WatchQuery, fresh []string, page Page) (*Answer, error) {
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
	for _, id := range fresh {
		isNew[id] = true
	}
	var items []Item
	for _, it := range st.items {
		if isNew[it.Citation.Article] {
			items = append(items, it)
		}
	}
	ans := &Answer{Command: "stance", Query: map[string]string{"topic": topic, "actor": actor}, Total: len(items), Offset: page.Offset}
	ans.Summary = summarize(items)
	ans.Items = pageOf(items, page)
	return e.finish(ans), nil
}
