package brief

import (
	"context"
	"fmt"
	"path"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/briefbot/briefbot/corpus"
	"github.com/briefbot/briefbot/extract"
	"github.com/briefbot/briefbot/index"
)

// Engine answers questions from the index. It is safe for concurrent use,
// also while ingestion updates the index.
type Engine struct {
	ix          *index.Index
	corrections Corrector
}

// Corrector is what the team has corrected; *corrections.Book is one.
type Corrector interface {
	// SpeakerOf is the team's speaker of a quotation.
	SpeakerOf(article string, para int, quote string) (string, bool)
	// IrrelevantTo: the passage does not answer a question with these words.
	IrrelevantTo(article string, para int, words string) bool
	// IrrelevantPassages are the passages that do not answer a question
	// with these words.
	IrrelevantPassages(words string) []Passage
	// SpeakerFixes are the quotations whose speaker the team corrected.
	SpeakerFixes() []SpeakerFix
}

// SpeakerFix is a quotation and the speaker the team gives it.
type SpeakerFix struct {
	Passage
	Quote, Speaker string
}

// fixedQuotes sorts the quotations whose speaker the team corrected, for
// a question about speaker keys (and the name asked): the documents that
// are now theirs, and those that no longer are.
func (e *Engine) fixedQuotes(ctx context.Context, keys []string, asked string) (theirs, notTheirs []string, err error) {
	if e.corrections == nil {
		return nil, nil, nil
	}
	ix := e.Index()
	isKey := map[string]bool{}
	for _, k := range keys {
		isKey[k] = true
	}
	for _, fix := range e.corrections.SpeakerFixes() {
		now := strings.Contains(" "+corpus.Fold(fix.Speaker)+" ", " "+corpus.Fold(asked)+" ")
		for _, s := range ix.Head().Speakers.Resolve(fix.Speaker) {
			for _, k := range s.Keys() {
				now = now || isKey[k]
			}
		}
		a, ok := ix.Article(fix.Article)
		if !ok {
			continue
		}
		hits, _, err := ix.Search(ctx, index.Query{Kind: index.KindQuote, Article: a.ID, Order: index.ByPosition, Size: max(a.Quotes, 1)})
		if err != nil {
			return nil, nil, err
		}
		for _, h := range hits {
			if h.Para != fix.Paragraph || corpus.Normalize(h.Quote) != corpus.Normalize(fix.Quote) {
				continue
			}
			switch {
			case now:
				theirs = append(theirs, h.ID)
			case isKey[h.Speaker]:
				notTheirs = append(notTheirs, h.ID)
			}
		}
	}
	return theirs, notTheirs, nil
}

// Passage is a paragraph of an article.
type Passage struct {
	Article   string
	Paragraph int
}

// lowDocs are the documents of a kind in the passages the team marked as
// not answering a question with these words.
func (e *Engine) lowDocs(ctx context.Context, kind, words string) ([]string, error) {
	if e.corrections == nil || words == "" {
		return nil, nil
	}
	ix := e.Index()
	var ids []string
	for _, p := range e.corrections.IrrelevantPassages(words) {
		a, ok := ix.Article(p.Article)
		if !ok {
			continue
		}
		if kind == index.KindParagraph {
			ids = append(ids, index.ParagraphDoc(a.ID, p.Paragraph))
			continue
		}
		hits, _, err := ix.Search(ctx, index.Query{Kind: kind, Article: a.ID, Order: index.ByPosition, Size: max(a.Quotes+a.Events, 1), TextOnly: true})
		if err != nil {
			return nil, err
		}
		for _, h := range hits {
			if h.Para == p.Paragraph {
				ids = append(ids, h.ID)
			}
		}
	}
	slices.Sort(ids)
	return slices.Compact(ids), nil
}

type searchFunc func(ctx context.Context, q index.Query) ([]index.Hit, int, error)

// rankedPage is a page of q's matches, repeats folded, where the passages
// the team marked as not answering these words come after all the others.
func (e *Engine) rankedPage(ctx context.Context, q index.Query, page Page, words string, run searchFunc, item func(index.Hit) Item) ([]Item, int, error) {
	low, err := e.lowDocs(ctx, q.Kind, words)
	if err != nil {
		return nil, 0, err
	}
	rest := q
	rest.Exclude = append(append([]string(nil), q.Exclude...), low...)
	wide, before := windowOf(rest, page)
	hits, total, err := run(ctx, wide)
	if err != nil {
		return nil, 0, err
	}
	var window []Item
	for _, h := range hits {
		window = append(window, item(h))
	}
	items := pageOfRepeats(window, before, page.Limit, e.copies)
	if len(low) == 0 {
		return items, total, nil
	}
	marked := q
	marked.Among, marked.Offset, marked.Size = low, 0, len(low)
	lowHits, lowTotal, err := run(ctx, marked)
	if err != nil {
		return nil, 0, err
	}
	if page.Offset+page.Limit > total {
		for _, h := range lowHits[min(max(page.Offset-total, 0), len(lowHits)):] {
			if len(items) >= page.Limit {
				break
			}
			items = append(items, item(h))
		}
	}
	return items, total + lowTotal, nil
}

// WithCorrections makes every answer apply the team's accepted corrections.
func (e *Engine) WithCorrections(c Corrector) *Engine {
	e.corrections = c
	return e
}

// corrected is an item with the team's speaker, when it has one.
func (e *Engine) corrected(it Item) Item {
	if e.corrections == nil || it.Quote == "" {
		return it
	}
	if s, ok := e.corrections.SpeakerOf(it.Citation.Article, it.Citation.Paragraph, it.Quote); ok {
		it.Speaker, it.SpeakerTitle, it.Attribution = s, "", ByTeam
	}
	return it
}

// ByTeam is the attribution of a speaker the team corrected.
const ByTeam = "team"

// demoted is items with those the team marked as not answering a
// question with these words moved last, in their order.
func (e *Engine) demoted(items []Item, words string) []Item {
	if e.corrections == nil || words == "" {
		return items
	}
	var kept, low []Item
	for _, it := range items {
		if e.corrections.IrrelevantTo(it.Citation.Article, it.Citation.Paragraph, words) {
			low = append(low, it)
		} else {
			kept = append(kept, it)
		}
	}
	if len(low) == 0 {
		return items
	}
	return append(kept, low...)
}

// New returns an engine over ix.
func New(ix *index.Index) *Engine { return &Engine{ix: ix} }

// Index returns the index answers come from.
func (e *Engine) Index() *index.Index { return e.ix }

// Page selects part of an answer.
type Page struct {
	Offset int
	Limit  int
	// Only narrows the answer to some of the articles.
	Only Only
}

// Only narrows an answer to the articles of one outlet, or published in
// one year or month ("2020", "2020-03"), or both.
type Only struct {
	Outlet    string
	Published string
}

// none is an article ID no article has: narrowing to it matches nothing.
const none = "\x00"

// within is the articles an Only keeps, and how the answer says so; with
// nothing to narrow, it keeps all.
func (e *Engine) within(o Only) (news, map[string]string, error) {
	o.Outlet, o.Published = strings.TrimSpace(o.Outlet), strings.TrimSpace(o.Published)
	if o.Outlet == "" && o.Published == "" {
		return news{}, nil, nil
	}
	if o.Published != "" && !publishedForm.MatchString(o.Published) {
		return news{}, nil, inputErrorf("narrow to a year or a month, such as 2020 or 2020-03, not %q", o.Published)
	}
	said := map[string]string{}
	if o.Outlet != "" {
		said["outlet"] = o.Outlet
	}
	if o.Published != "" {
		said["published"] = o.Published
	}
	var n news
	outlet := corpus.Fold(o.Outlet)
	for _, a := range e.Index().Meta().Articles {
		if o.Outlet != "" && corpus.Fold(a.Outlet) != outlet {
			continue
		}
		if o.Published != "" && (a.Published.IsZero() || !strings.HasPrefix(a.Published.Format(time.DateOnly), o.Published)) {
			continue
		}
		n.articles = append(n.articles, a.ID)
	}
	if len(n.articles) == 0 {
		n.articles = []string{none}
	}
	return n, said, nil
}

var publishedForm = regexp.MustCompile(`^[0-9]{4}(-[0-9]{2})?$`)

// narrowed notes the narrowing in the answer's query.
func narrowed(ans *Answer, said map[string]string) *Answer {
	for k, v := range said {
		ans.Query[k] = v
	}
	return ans
}

// keep is the items of the articles n keeps (all of them when n is empty).
func keep(items []Item, n news) []Item {
	if len(n.articles) == 0 {
		return items
	}
	in := map[string]bool{}
	for _, id := range n.articles {
		in[id] = true
	}
	var out []Item
	for _, it := range items {
		if in[it.Citation.Article] {
			out = append(out, it)
		}
	}
	return out
}

// DefaultLimit is the page size when none is given; MaxLimit the largest;
// MaxOffset the deepest page (a search keeps offset+limit hits in memory).
const (
	DefaultLimit = 5
	MaxLimit     = 50
	MaxOffset    = 100_000
)

func (p Page) normal() Page {
	if p.Limit <= 0 {
		p.Limit = DefaultLimit
	}
	p.Limit = min(p.Limit, MaxLimit)
	p.Offset = min(max(p.Offset, 0), MaxOffset)
	return p
}

// words checks a user's text and that it has something to search for; it
// returns the cleaned text and its analysed terms (for choosing snippets).
func (e *Engine) words(what, s string, required bool) (string, []string, error) {
	s, err := cleanInput(what, s)
	if err != nil {
		return "", nil, err
	}
	if s == "" {
		if required {
			return "", nil, inputErrorf("give a %s to look for, such as a country, a person or an issue", what)
		}
		return "", nil, nil
	}
	terms := e.Index().Terms(s)
	if len(terms) == 0 {
		return "", nil, inputErrorf("the %s %q has no words to search for (punctuation and words like \"the\" are ignored); try a name or an issue", what, s)
	}
	return s, terms, nil
}

// Timeline lists dated events about a topic, oldest first, within [from, to].
func (e *Engine) Timeline(ctx context.Context, topic, from, to string, page Page) (*Answer, error) {
	page = page.normal()
	topic, _, err := e.words("topic", topic, false)
	if err != nil {
		return nil, err
	}
	start, err := parseDay("from", from, false)
	if err != nil {
		return nil, err
	}
	end, err := parseDay("to", to, true)
	if err != nil {
		return nil, err
	}
	note := ""
	if !start.IsZero() && !end.IsZero() && start.After(end) {
		from, to = to, from
		start, _ = parseDay("from", from, false)
		end, _ = parseDay("to", to, true)
		note = fmt.Sprintf("The dates were the other way round; showing %s to %s.", from, to)
	}
	only, said, err := e.within(page.Only)
	if err != nil {
		return nil, err
	}
	q := index.Query{Kind: index.KindEvent, Words: topic, From: start, To: end, Order: index.ByEventDate, Articles: only.articles}
	ans := narrowed(&Answer{Command: "timeline", Query: map[string]string{"topic": topic, "from": from, "to": to}, Offset: page.Offset, Note: note}, said)
	run := func(ctx context.Context, q index.Query) ([]index.Hit, int, error) {
		return searchWidening(ctx, e.Index(), q)
	}
	// Events the team marked as not about the topic come after the dated
	// run of the others.
	ans.Items, ans.Total, err = e.rankedPage(ctx, q, page, topic, run, eventItem)
	if err != nil {
		return nil, err
	}
	if len(ans.Items) == 0 && page.Offset == 0 {
		ans.Note = strings.TrimSpace(note + " No dated events found" + forTopic(topic) + inRange(from, to) + ". Try a wider date range or another topic.")
	}
	return e.finish(ans), nil
}

// Quote lists direct quotations by a speaker (any spelling of the name),
// about a topic, or both; with neither, all quotations, newest first.
func (e *Engine) Quote(ctx context.Context, speaker, topic string, page Page) (*Answer, error) {
	only, said, err := e.within(page.Only)
	if err != nil {
		return nil, err
	}
	ans, err := e.quote(ctx, speaker, topic, only, page)
	if err != nil {
		return nil, err
	}
	return narrowed(ans, said), nil
}

// quote is Quote, within the given articles when there are any.
func (e *Engine) quote(ctx context.Context, speaker, topic string, within news, page Page) (*Answer, error) {
	ix := e.Index()
	page = page.normal()
	speaker, err := cleanInput("speaker", speaker)
	if err != nil {
		return nil, err
	}
	topic, _, err = e.words("topic", topic, false)
	if err != nil {
		return nil, err
	}
	ans := &Answer{Command: "quote", Query: map[string]string{"speaker": speaker, "topic": topic}, Offset: page.Offset}
	q := index.Query{Kind: index.KindQuote, Words: topic, Order: index.ByNewest, Articles: within.articles, Docs: within.docs}
	if topic != "" {
		q.Order = index.ByRelevance
	}
	if speaker != "" {
		found := ix.Head().Speakers.Resolve(speaker)
		var names []string
		for _, s := range found {
			q.Speakers = append(q.Speakers, s.Keys()...)
			names = append(names, s.Name)
		}
		// The team's corrections move quotations to and from speakers.
		theirs, notTheirs, err := e.fixedQuotes(ctx, q.Speakers, speaker)
		if err != nil {
			return nil, err
		}
		q.SpeakerDocs, q.Exclude = theirs, append(q.Exclude, notTheirs...)
		if len(found) == 0 && len(theirs) == 0 {
			ans.Note = fmt.Sprintf("No speaker called %q in these articles. Speakers quoted most: %s.", speaker, strings.Join(e.TopSpeakers(5), ", "))
			return e.finish(ans), nil
		}
		if len(found) > 1 {
			ans.Note = fmt.Sprintf("%q matches %s.", speaker, strings.Join(names, ", "))
		}
	}
	speakers := ix.Head().Speakers
	run := func(ctx context.Context, q index.Query) ([]index.Hit, int, error) { return searchWidening(ctx, ix, q) }
	ans.Items, ans.Total, err = e.rankedPage(ctx, q, page, topic, run, func(h index.Hit) Item { return quoteItem(h, speakers) })
	if err != nil {
		return nil, err
	}
	if len(ans.Items) == 0 && page.Offset == 0 && ans.Note == "" {
		ans.Note = "No quotations found" + forTopic(topic) + ". Try another topic, or quotations by a speaker alone."
	}
	return e.finish(ans), nil
}

// Search finds paragraphs with the words, best first.
func (e *Engine) Search(ctx context.Context, text string, page Page) (*Answer, error) {
	only, said, err := e.within(page.Only)
	if err != nil {
		return nil, err
	}
	ans, err := e.search(ctx, text, only, page)
	if err != nil {
		return nil, err
	}
	return narrowed(ans, said), nil
}

// search is Search, within the given articles when there are any.
func (e *Engine) search(ctx context.Context, text string, within news, page Page) (*Answer, error) {
	ix := e.Index()
	page = page.normal()
	text, terms, err := e.words("query", text, true)
	if err != nil {
		return nil, err
	}
	q := index.Query{Kind: index.KindParagraph, Words: text, Articles: within.articles, Docs: within.docs}
	ans := &Answer{Command: "search", Query: map[string]string{"query": text}, Offset: page.Offset}
	ans.Items, ans.Total, err = e.rankedPage(ctx, q, page, text, ix.Search, func(h index.Hit) Item { return e.item(h, snippet(h.Text, terms, nil)) })
	if err != nil {
		return nil, err
	}
	if len(ans.Items) == 0 && page.Offset == 0 {
		ans.Note = fmt.Sprintf("No paragraph contains %q. Try fewer or other words.", text)
	}
	return e.finish(ans), nil
}

// Source shows an article, found by ID, file name or words of its title,
// paragraph by paragraph. Several matches list the first paragraph of each.
func (e *Engine) Source(ctx context.Context, article string, page Page) (*Answer, error) {
	ix := e.Index()
	page = page.normal()
	article, err := cleanInput("article", article)
	if err != nil {
		return nil, err
	}
	if article == "" {
		return nil, inputErrorf("name an article: its file name, ID or words of its title")
	}
	ans := &Answer{Command: "source", Query: map[string]string{"article": article}, Offset: page.Offset}
	matches := e.FindArticles(article)
	switch len(matches) {
	case 0:
		if arts := ix.Meta().Articles; len(arts) > 0 {
			ans.Note = fmt.Sprintf("No article matches %q. Articles are named by file (such as %s) or by words of their title.", article, arts[0].File)
		}
		return e.finish(ans), nil
	case 1:
		hits, total, err := ix.Search(ctx, index.Query{Kind: index.KindParagraph, Article: matches[0].ID, Order: index.ByPosition, Offset: page.Offset, Size: page.Limit})
		if err != nil {
			return nil, err
		}
		ans.Total = total
		for _, h := range hits {
			ans.Items = append(ans.Items, e.item(h, h.Text))
		}
		return e.finish(ans), nil
	}
	ans.Total = len(matches)
	ans.Note = fmt.Sprintf("%d articles match %q; showing the first paragraph of each. Name one by its file to read it.", len(matches), article)
	for _, a := range pageOf(matches, page) {
		hits, _, err := ix.Search(ctx, index.Query{Kind: index.KindParagraph, Article: a.ID, Order: index.ByPosition, Size: 1})
		if err != nil {
			return nil, err
		}
		for _, h := range hits {
			ans.Items = append(ans.Items, e.item(h, h.Text))
		}
	}
	return e.finish(ans), nil
}

// FindArticles returns the articles a user names: the file named exactly,
// else files named so but for case or without their extension, else every
// article whose title or file contains the words.
func (e *Engine) FindArticles(name string) []index.ArticleMeta {
	ix := e.Index()
	f := corpus.Fold(name)
	var folded, partial []index.ArticleMeta
	for _, a := range ix.Meta().Articles {
		switch {
		case a.File == name:
			return []index.ArticleMeta{a}
		case corpus.Fold(a.File) == f || corpus.Fold(strings.TrimSuffix(a.File, path.Ext(a.File))) == f:
			folded = append(folded, a)
		case strings.Contains(corpus.Fold(a.Title), f) || strings.Contains(corpus.Fold(a.File), f):
			partial = append(partial, a)
		}
	}
	if len(folded) > 0 {
		return folded
	}
	return partial
}

// TopSpeakers names the speakers with the most quotations.
func (e *Engine) TopSpeakers(n int) []string {
	ss := append([]*extract.Speaker(nil), e.Index().Head().Speakers.Speakers...)
	sort.SliceStable(ss, func(i, j int) bool { return ss[i].Quotes > ss[j].Quotes })
	var out []string
	for _, s := range ss {
		if s.Quotes > 0 && len(out) < n {
			out = append(out, s.Name)
		}
	}
	return out
}

// SubjectName is the corpus subject as people write it ("Pakistan").
func (e *Engine) SubjectName() string {
	m := e.Index().Head()
	if m.Subject == "" {
		return "the main subject"
	}
	for _, a := range m.Actors {
		if corpus.Fold(a) == m.Subject {
			return a
		}
	}
	return m.Subject
}

// actorWords are the spellings to look for when choosing a snippet's sentences.
func actorWords(actor string) []string {
	if actor == "" {
		return nil
	}
	return []string{strings.ToLower(actor)}
}

// item makes an answer item with its citation from a hit.
func (e *Engine) item(h index.Hit, text string) Item {
	return Item{Text: text, Citation: citation(h)}
}

// quoteItem is a quotation hit with its speaker's name and first title.
func quoteItem(h index.Hit, speakers *extract.Registry) Item {
	it := Item{Text: h.Text, Quote: h.Quote, Citation: citation(h), Attribution: h.How}
	if s, ok := speakers.Get(h.Speaker); ok {
		it.Speaker = s.Name
		if len(s.Titles) > 0 {
			it.SpeakerTitle = s.Titles[0]
		}
	} else if h.Speaker != "" {
		it.Speaker = h.Speaker
	}
	return it
}

// eventItem is a dated event hit with its date at its precision.
func eventItem(h index.Hit) Item {
	return Item{Text: h.Text, Citation: citation(h), Date: extract.FormatDate(h.Start, extract.Precision(h.Precision)),
		DatePrecision: h.Precision, DateText: h.Expr, DateBasis: h.Basis}
}

// citation cites a hit from the article the index held when it found it.
func citation(h index.Hit) Citation {
	c := Citation{Article: h.Article, Paragraph: h.Para}
	if a := h.Source; a != nil {
		c.File, c.Title, c.Outlet, c.URL = a.File, a.Title, a.Outlet, a.URL
		if !a.Published.IsZero() {
			c.Published = a.Published.Format("2006-01-02")
		}
	}
	return c
}

// NoArticlesNote is what every answer says while the library is empty.
const NoArticlesNote = "There are no articles yet: add some with `briefbot ingest FILE|URL`, /ingest in Discord, the inbox folder or a feed (BRIEFBOT_FEEDS)."

// finish explains an empty page after the last item (or an empty library)
// and makes "no items" an empty list rather than null for JSON readers.
func (e *Engine) finish(ans *Answer) *Answer {
	if ans.Items == nil {
		ans.Items = []Item{}
	}
	ans.Freshness = e.freshness()
	for i := range ans.Items {
		ans.Items[i] = e.corrected(ans.Items[i])
	}
	for s := range ans.Sides {
		for i := range ans.Sides[s].Items {
			ans.Sides[s].Items[i] = e.corrected(ans.Sides[s].Items[i])
		}
	}

	if len(ans.Items) == 0 && e.Index().ArticleCount() == 0 {
		ans.Note = NoArticlesNote
	}
	if len(ans.Items) == 0 && ans.Note == "" && ans.Offset > 0 {
		ans.Note = fmt.Sprintf("No more items: there are %d in all.", ans.Total)
	}
	return ans
}

func (e *Engine) freshness() *Freshness {
	ix := e.Index()
	f := &Freshness{Articles: ix.ArticleCount(), Updated: ix.Updated().UTC()}
	if newest := ix.Newest(); !newest.IsZero() {
		f.Newest = newest.Format(time.DateOnly)
	}
	return f
}

func pageOf[T any](all []T, p Page) []T {
	if p.Offset >= len(all) {
		return nil
	}
	return all[p.Offset:min(len(all), p.Offset+p.Limit)]
}

// wideBelow is how few matches make a question also look at headlines.
const wideBelow = 20

// searchWidening runs q on the units' own text; when that finds fewer than
// wideBelow matches, it runs q again matching headlines too, so a unit that
// never names the topic ("we abstained", in a story on Ukraine) is found
// when there is little else. Whether to widen depends only on the question,
// so every page of an answer comes from the same query.
func searchWidening(ctx context.Context, ix *index.Index, q index.Query) ([]index.Hit, int, error) {
	hits, total, err := ix.Search(ctx, q)
	if err != nil || q.Words == "" || total >= wideBelow {
		return hits, total, err
	}
	q.InTitle = true
	return ix.Search(ctx, q)
}

// containsAny: the text holds one of the analysed terms (stems match as prefixes).
func containsAny(text string, terms []string) bool {
	lower := strings.ToLower(corpus.Normalize(text))
	for _, t := range terms {
		if strings.Contains(lower, t) {
			return true
		}
	}
	return false
}

func overlap(a, b []string) bool {
	for _, x := range a {
		for _, y := range b {
			if x == y {
				return true
			}
		}
	}
	return false
}

func appendNew(list []string, v string) []string {
	for _, x := range list {
		if x == v {
			return list
		}
	}
	return append(list, v)
}

func forTopic(topic string) string {
	if topic == "" {
		return ""
	}
	return fmt.Sprintf(" about %q", topic)
}

func inRange(from, to string) string {
	switch {
	case from != "" && to != "":
		return fmt.Sprintf(" between %s and %s", from, to)
	case from != "":
		return " from " + from
	case to != "":
		return " up to " + to
	}
	return ""
}

// Context is a cited paragraph with the one before and the one after, for
// reading a snippet where it stands. The article is named by its ID.
func (e *Engine) Context(ctx context.Context, article string, paragraph int) (*Answer, error) {
	ix := e.Index()
	a, ok := ix.Article(article)
	if !ok {
		return nil, inputErrorf("That article is no longer in the index; ask again for a fresh answer.")
	}
	if paragraph < 1 || paragraph > a.Paragraphs {
		return nil, inputErrorf("%s has no paragraph %d.", a.File, paragraph)
	}
	from := max(paragraph-1, 1)
	hits, total, err := ix.Search(ctx, index.Query{Kind: index.KindParagraph, Article: a.ID, Order: index.ByPosition, Offset: from - 1, Size: 3})
	if err != nil {
		return nil, err
	}
	ans := &Answer{Command: "context", Query: map[string]string{"article": a.File, "paragraph": strconv.Itoa(paragraph)}, Total: total, Offset: from - 1}
	for _, h := range hits {
		if h.Para >= paragraph-1 && h.Para <= paragraph+1 {
			ans.Items = append(ans.Items, e.item(h, h.Text))
		}
	}
	return e.finish(ans), nil
}
