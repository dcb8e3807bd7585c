package brief

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/briefbot/briefbot/corpus"
	"github.com/briefbot/briefbot/extract"
	"github.com/briefbot/briefbot/index"
)

// StanceQuery is a stance question: an actor's positions on a topic.
type StanceQuery struct {
	Topic string
	// Actors are whose positions (the corpus subject when empty); two or
	// more are compared side by side.
	Actors []string
	// By groups the positions by date: "year", "month" or "" for none.
	By string
}

// MaxActors is how many actors one answer compares.
const MaxActors = 3

// Grouping periods.
const (
	ByYear  = "year"
	ByMonth = "month"
)

// SummaryLine sums up the positions of one kind.
type SummaryLine struct {
	Kind  string `json:"kind"`
	Count int    `json:"count"`
	// Words are the commonest verbatim words that state the kind.
	Words []string `json:"words,omitempty"`
	// From and To are the first and last publication dates (YYYY-MM-DD)
	// of the items; empty when none is dated.
	From string `json:"from,omitempty"`
	To   string `json:"to,omitempty"`
}

// Group is the positions of one period, for answers grouped by date.
type Group struct {
	Period  string        `json:"period"` // "2022", "2022-03", or "date unknown"
	Count   int           `json:"count"`
	Summary []SummaryLine `json:"summary"`
}

// Side is one actor's part of a comparison.
type Side struct {
	Actor   string        `json:"actor"`
	Total   int           `json:"total"`
	Summary []SummaryLine `json:"summary"`
	Items   []Item        `json:"items"`
	Note    string        `json:"note,omitempty"`
}

// Stance answers what an actor (by default the corpus's subject) has said
// and done about a topic: the passages where it, or those who speak for
// it, state a position on the topic, strongest first, each labelled with
// the kind of position its words state; a summary of the kinds; and, when
// the positions run out, passages that only name the actor, apart, as
// background.
func (e *Engine) Stance(ctx context.Context, q StanceQuery, page Page) (*Answer, error) {
	page = page.normal()
	topic, terms, err := e.words("topic", q.Topic, true)
	if err != nil {
		return nil, err
	}
	by, err := cleanInput("grouping", q.By)
	if err != nil {
		return nil, err
	}
	switch by = strings.ToLower(by); by {
	case "", ByYear, ByMonth:
	default:
		return nil, inputErrorf("group positions by %q or %q, not %q", ByYear, ByMonth, q.By)
	}
	var actors []string
	for _, a := range q.Actors {
		a, err := cleanInput("actor", a)
		if err != nil {
			return nil, err
		}
		if a != "" && !containsFold(actors, a) {
			actors = append(actors, a)
		}
	}
	if len(actors) > MaxActors {
		return nil, inputErrorf("compare at most %d actors at a time", MaxActors)
	}
	note := ""
	if len(actors) == 0 {
		actors = []string{e.SubjectName()}
		note = fmt.Sprintf("Stance of %s, the main subject of these articles; name another actor to change it.", actors[0])
	}
	only, said, err := e.within(page.Only)
	if err != nil {
		return nil, err
	}
	m := e.topicMatcher(topic, terms)
	query := map[string]string{"topic": topic, "actor": actors[0]}
	for k, v := range said {
		query[k] = v
	}
	if by != "" {
		query["by"] = by
	}
	if len(actors) > 1 {
		return e.compare(ctx, m, actors, query, only, page)
	}
	st, err := e.stanceOf(ctx, m, actors[0])
	if err != nil {
		return nil, err
	}
	st.items, st.background = keep(st.items, only), keep(st.background, only)
	ans := &Answer{Command: "stance", Query: query, Total: len(st.items), Offset: page.Offset, Note: note}
	items := e.demoted(st.items, topic)
	if by != "" {
		items, ans.Groups = groupByPeriod(items, by)
	}
	ans.Summary = summarize(items)
	ans.Items = pageOf(items, page)
	if page.Offset+page.Limit >= len(items) {
		ans.Background = st.background
	}
	switch {
	case len(items) == 0 && !e.named(actors[0]):
		ans.Note = strings.TrimSpace(note + " " + fmt.Sprintf("%s is not named in these articles. Actors named most: %s.", actors[0], strings.Join(e.topActors(5), ", ")))
	case len(items) == 0 && len(st.background) > 0:
		ans.Note = strings.TrimSpace(note + " " + fmt.Sprintf("No passage where %s states a position on %q; below, background passages that name %s.", actors[0], topic, actors[0]))
	case len(items) == 0:
		ans.Note = strings.TrimSpace(note + " " + fmt.Sprintf("Nothing in the articles where %s states a position on %q. Try a broader topic or another actor (named most: %s), or search for the words.",
			actors[0], topic, strings.Join(e.topActors(5), ", ")))
	case len(ans.Background) > 0 && page.Offset+page.Limit >= len(items):
		ans.Note = strings.TrimSpace(note + " " + fmt.Sprintf("That is every position of %s on %q found; background passages that name %s follow, apart.", actors[0], topic, actors[0]))
	}
	return e.finish(ans), nil
}

// named: the articles name the actor, as a country or as a speaker.
func (e *Engine) named(actor string) bool {
	ix := e.Index()
	return ix.Gazetteer.Known(actor) || len(ix.Head().Speakers.Resolve(actor)) > 0
}

func (e *Engine) topActors(n int) []string {
	a := e.Index().Head().Actors
	return a[:min(n, len(a))]
}

// compare answers for several actors side by side: each one's summary and
// its strongest positions, paged together.
func (e *Engine) compare(ctx context.Context, m *topicMatcher, actors []string, query map[string]string, only news, page Page) (*Answer, error) {
	query["actor"] = strings.Join(actors, " vs ")
	ans := &Answer{Command: "stance", Query: query, Offset: page.Offset}
	for i, a := range actors {
		query[fmt.Sprintf("actor%d", i+1)] = a
		st, err := e.stanceOf(ctx, m, a)
		if err != nil {
			return nil, err
		}
		st.items = keep(st.items, only)
		side := Side{Actor: a, Total: len(st.items), Summary: summarize(st.items), Items: pageOf(st.items, page)}
		if side.Items == nil {
			side.Items = []Item{}
		}
		switch {
		case len(st.items) == 0 && !e.named(a):
			side.Note = fmt.Sprintf("%s is not named in these articles.", a)
		case len(st.items) == 0:
			side.Note = fmt.Sprintf("No passage where %s states a position on %q.", a, m.topic)
		}
		for _, it := range side.Items {
			it.Actor = a
			ans.Items = append(ans.Items, it)
		}
		ans.Total = max(ans.Total, side.Total)
		ans.Sides = append(ans.Sides, side)
	}
	return e.finish(ans), nil
}

// stance is one actor's positions on a topic, strongest first, and the
// background passages to show when they run out.
type stance struct {
	items      []Item
	background []Item
}

// Retrieval caps: how many topic paragraphs are read for context, in how
// many articles positions are looked for, and how many positions are
// ranked. They bound the work of one question on any corpus.
const (
	topicWindow    = 500
	contextWindow  = 200
	positionWindow = 500
	backgroundMax  = 3
)

// candidate is a paragraph where the actor takes a position.
type candidate struct {
	hit       index.Hit
	positions []extract.Position // the hit's, decoded
	pos       extract.Position
	topical   float64
	strength  float64
}

func (e *Engine) stanceOf(ctx context.Context, m *topicMatcher, actor string) (stance, error) {
	ix := e.Index()
	own, affiliates := e.actorKeySets(actor)
	keys := append(append([]string(nil), own...), affiliates...)
	// The actor's positions: in paragraphs with the topic's words or under
	// a headline with them (searched meanwhile on the other core), and
	// anywhere in the articles about the topic.
	type found struct {
		hits []index.Hit
		err  error
	}
	directDone := make(chan found, 1)
	go func() {
		hits, _, err := ix.Search(ctx, index.Query{Kind: index.KindParagraph, Words: m.topic, InTitle: true, Named: m.keys, Holders: keys, Size: positionWindow})
		directDone <- found{hits, err}
	}()
	// The paragraphs that name the topic, for context: which articles are
	// about it, and where in them it was named.
	topicHits, _, err := ix.Search(ctx, index.Query{Kind: index.KindParagraph, Words: m.topic, MostWords: true, Named: m.keys, Size: topicWindow, TextOnly: true})
	d := <-directDone
	if err != nil {
		return stance{}, err
	}
	if d.err != nil {
		return stance{}, d.err
	}
	ctxt := m.context(topicHits)
	byID := map[string]index.Hit{}
	direct := d.hits
	for _, h := range direct {
		byID[h.ID] = h
	}
	if arts := ctxt.articles(contextWindow); len(arts) > 0 {
		inContext, _, err := ix.Search(ctx, index.Query{Kind: index.KindParagraph, Holders: keys, Articles: arts, Size: positionWindow})
		if err != nil {
			return stance{}, err
		}
		for _, h := range inContext {
			byID[h.ID] = h
		}
	}
	var cands []candidate
	headline := map[string]float64{} // by article: many candidates share one
	for _, h := range byID {
		topical := max(m.in(h.Text, h.Mentions), ctxt.around(h))
		if h.Source != nil {
			t, ok := headline[h.Article]
			if !ok {
				t = headlineWeight(h.Source.Paragraphs) * m.in(h.Source.Title, nil)
				headline[h.Article] = t
			}
			topical = max(topical, t)
		}
		if topical < onTopic {
			continue
		}
		ps := h.Positions()
		p, strength, ok := strongest(ps, own, affiliates)
		if !ok {
			continue
		}
		cands = append(cands, candidate{hit: h, positions: ps, pos: p, topical: topical, strength: strength})
	}
	sort.Slice(cands, func(i, j int) bool {
		a, b := cands[i], cands[j]
		if sa, sb := a.score(), b.score(); sa != sb {
			return sa > sb
		}
		if pa, pb := published(a.hit), published(b.hit); pa != pb {
			return pa > pb
		}
		return a.hit.ID < b.hit.ID
	})
	speakers := ix.Head().Speakers
	var st stance
	seen := map[string]bool{}
	for _, c := range cands {
		at, end := spanOf(c.positions, own, affiliates, c.pos)
		it := e.item(c.hit, snippetAt(c.hit.Text, at, end, m.terms))
		it.Role, it.Position, it.Evidence = "position", c.pos.Kind, c.pos.Words
		if it.Evidence != "" && !strings.Contains(it.Verbatim(), it.Evidence) {
			it.Evidence = "" // the snippet left the words out: never cite words not shown
		}
		it.Holder = holderName(c.pos, speakers, own)
		st.items = append(st.items, it)
		seen[c.hit.ID] = true
	}
	st.items = mergeRepeats(st.items, e.copies)
	// Background: passages on the topic that name the actor but where it
	// takes no position, the most topical first.
	for _, h := range topicHits {
		if len(st.background) == backgroundMax {
			break
		}
		if seen[h.ID] || !overlap(h.Mentions, keys) || m.in(h.Text, h.Mentions) < onTopic {
			continue
		}
		it := e.item(h, snippet(h.Text, m.terms, actorWords(actor)))
		it.Role = "background"
		st.background = append(st.background, it)
	}
	return st, nil
}

// headlineWeight is how far an article's headline makes each of its
// paragraphs about the headline's topic: surely in a report of ordinary
// length, barely in a long one (a live blog of 150 entries has one
// headline for its first story).
func headlineWeight(paragraphs int) float64 {
	if paragraphs > longArticle {
		return 0.45
	}
	return 0.8
}

// longArticle is more paragraphs than a single report has.
const longArticle = 40

// onTopic is the least topicality that makes a position one on the topic.
const onTopic = 0.4

// score ranks candidates: being on the topic counts twice as much as how
// surely the position is the actor's own.
func (c candidate) score() float64 {
	s := 2*c.topical + c.strength
	if c.pos.Kind != extract.Statement && c.pos.Kind != extract.Other {
		s += 0.2 // the words say what kind of position it is
	}
	return s
}

func published(h index.Hit) string {
	if h.Source == nil || h.Source.Published.IsZero() {
		return ""
	}
	return h.Source.Published.Format("2006-01-02")
}

// strongest picks the position in a paragraph that is most surely the
// actor's: its own (not an affiliate's), stated directly (not through a
// pronoun or a description), and of a stated kind.
func strongest(ps []extract.Position, own, affiliates []string) (extract.Position, float64, bool) {
	best, bestW := extract.Position{}, 0.0
	for _, p := range ps {
		w := 0.0
		switch {
		case containsString(own, p.Holder):
			w = 1
		case containsString(affiliates, p.Holder):
			w = 0.7
		default:
			continue
		}
		switch p.Via {
		case "pronoun", "description":
			w *= 0.9
		case "representative":
			w *= 0.7
		}
		if p.Aside {
			w *= 0.4 // told in someone else's sentence
		}
		if p.Kind != extract.Statement {
			w += 0.01
		}
		if w > bestW {
			best, bestW = p, w
		}
	}
	return best, bestW, bestW > 0
}

// spanOf is the runes of a paragraph that the actor's positions in it
// span, so the snippet is chosen from them: the labelled words when they
// say more than a statement, else all the actor's words.
func spanOf(ps []extract.Position, own, affiliates []string, best extract.Position) (at, end int) {
	at, end = best.At, max(best.End, best.At+1)
	if best.Kind != extract.Statement {
		return at, end
	}
	for _, p := range ps {
		if containsString(own, p.Holder) || containsString(affiliates, p.Holder) {
			at, end = min(at, p.At), max(end, p.End)
		}
	}
	return at, end
}

// holderName names who took a position when it was not the actor itself
// under its own name: the official, spokesperson or group.
func holderName(p extract.Position, speakers *extract.Registry, own []string) string {
	if containsString(own, p.Holder) && p.Via != "representative" {
		return ""
	}
	if s, ok := speakers.Get(p.Holder); ok {
		if len(s.Titles) > 0 {
			return s.Name + ", " + s.Titles[0]
		}
		return s.Name
	}
	return ""
}

// actorKeySets are the keys an actor's name stands for: its own (the
// country a capital or demonym names, the speakers the name matches) and
// its affiliates' (people and institutions whose titles name it: Pakistan's
// foreign minister).
func (e *Engine) actorKeySets(actor string) (own, affiliates []string) {
	ix := e.Index()
	actorKey := ix.Gazetteer.Actor(actor)
	own = []string{actorKey}
	speakers := ix.Head().Speakers
	for _, s := range speakers.Resolve(actor) {
		for _, k := range s.Keys() {
			own = appendNew(own, k)
		}
	}
	var people []string
	for _, s := range speakers.Resolve(actor) {
		if s.Person {
			people = append(people, s.Key)
		}
	}
	for _, s := range append(speakers.Affiliated(actorKey), speakers.SpeakingFor(people)...) {
		for _, k := range s.Keys() {
			if !containsString(own, k) {
				affiliates = appendNew(affiliates, k)
			}
		}
	}
	return own, affiliates
}

// summarize sums items up by kind: count, commonest words, date range.
func summarize(items []Item) []SummaryLine {
	type acc struct {
		line  SummaryLine
		words map[string]int
		order []string
	}
	byKind := map[string]*acc{}
	for _, it := range items {
		if it.Position == "" {
			continue
		}
		a := byKind[it.Position]
		if a == nil {
			a = &acc{line: SummaryLine{Kind: it.Position}, words: map[string]int{}}
			byKind[it.Position] = a
		}
		a.line.Count++
		if w := it.Evidence; w != "" && it.Position != extract.Statement {
			k := strings.ToLower(w)
			if a.words[k] == 0 {
				a.order = append(a.order, w)
			}
			a.words[k]++
		}
		if d := it.Citation.Published; d != "" {
			if a.line.From == "" || d < a.line.From {
				a.line.From = d
			}
			if d > a.line.To {
				a.line.To = d
			}
		}
	}
	var out []SummaryLine
	for _, k := range extract.Kinds {
		a := byKind[k]
		if a == nil {
			continue
		}
		sort.SliceStable(a.order, func(i, j int) bool {
			return a.words[strings.ToLower(a.order[i])] > a.words[strings.ToLower(a.order[j])]
		})
		a.line.Words = a.order[:min(3, len(a.order))]
		out = append(out, a.line)
	}
	// The kinds the words state come first, most frequent first; then
	// "other", then plain statements.
	rank := func(k string) int {
		switch k {
		case extract.Statement:
			return 2
		case extract.Other:
			return 1
		}
		return 0
	}
	sort.SliceStable(out, func(i, j int) bool {
		if ri, rj := rank(out[i].Kind), rank(out[j].Kind); ri != rj {
			return ri < rj
		}
		return out[i].Count > out[j].Count
	})
	return out
}

// groupByPeriod orders items by period, oldest first (undated last),
// keeping their order within a period, and sums each period up.
func groupByPeriod(items []Item, by string) ([]Item, []Group) {
	period := func(it Item) string {
		d := it.Citation.Published
		switch {
		case d == "":
			return "date unknown"
		case by == ByYear:
			return d[:4]
		}
		return d[:7]
	}
	out := append([]Item(nil), items...)
	sort.SliceStable(out, func(i, j int) bool {
		pi, pj := period(out[i]), period(out[j])
		if (pi == "date unknown") != (pj == "date unknown") {
			return pj == "date unknown"
		}
		return pi < pj
	})
	var groups []Group
	for start := 0; start < len(out); {
		p := period(out[start])
		end := start
		for end < len(out) && period(out[end]) == p {
			out[end].Period = p
			end++
		}
		groups = append(groups, Group{Period: p, Count: end - start, Summary: summarize(out[start:end])})
		start = end
	}
	return out, groups
}

func containsString(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

func containsFold(list []string, v string) bool {
	for _, x := range list {
		if corpus.Fold(x) == corpus.Fold(v) {
			return true
		}
	}
	return false
}
