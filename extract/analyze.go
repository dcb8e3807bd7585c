package extract

import (
	"context"
	"runtime"
	"sort"
	"strings"
	"sync"

	"github.com/briefbot/briefbot/corpus"
)

// Facts are what one article says, paragraph by paragraph. They depend on
// the article alone: the same article gives the same facts whatever else
// the corpus holds, so updates in any order equal one build.
type Facts struct {
	Quotes []Quote
	Events []Event
	// Stance[i] lists the actors and speakers (their name keys) that state
	// or show a position in paragraph i+1; Mentions[i] all it names.
	Stance   [][]string
	Mentions [][]string
	// Stated[i] are the positions taken in paragraph i+1 (Stance[i] are
	// their holders).
	Stated [][]Position
	// Names are the people and institutions the article names.
	Names []NameUse
}

// Analysis is the extraction of a whole corpus.
type Analysis struct {
	Gazetteer *Gazetteer
	Speakers  *Registry
	Facts     map[string]*Facts // by article ID
	// Subject is the corpus's main actor: its setting, or else the actor
	// that takes positions in the most paragraphs.
	Subject string
}

// Analyze extracts quotes, events and stances from every article, on all
// cores, and holds all their facts (a build streams them instead: see
// Each and Tally).
func Analyze(c *corpus.Corpus) *Analysis {
	t := NewTally(c.Settings)
	an := &Analysis{Gazetteer: t.Gazetteer, Facts: make(map[string]*Facts, len(c.Articles))}
	Each(context.Background(), len(c.Articles), inOrder(c.Articles), t.Gazetteer, func(_ int, a *corpus.Article, f *Facts) error {
		an.Facts[a.ID] = f
		t.Add(f)
		return nil
	})
	an.Speakers, an.Subject = t.Finish()
	return an
}

// Tally gathers, article by article, what the corpus as a whole says: the
// speakers its articles name and who takes positions most, so that a build
// can drop each article's facts once they are indexed.
type Tally struct {
	Gazetteer *Gazetteer
	speakers  *Registry
	positions map[string]int
	subject   string
}

// NewTally starts the tally of a corpus with these settings.
func NewTally(s corpus.Settings) *Tally {
	g := NewGazetteer(s.ActorAliases)
	return &Tally{Gazetteer: g, speakers: NewRegistry(g), positions: map[string]int{}, subject: corpus.Fold(s.Subject)}
}

// Add counts one article's facts in, in the corpus's order of articles.
func (t *Tally) Add(f *Facts) {
	t.speakers.Add(f.Names, 1)
	for k, n := range f.Positions() {
		t.positions[k] += n
	}
}

// Finish merges the speakers and names the corpus's subject: its setting,
// or else the actor that takes positions in the most paragraphs, directly
// or through the people its titles name.
func (t *Tally) Finish() (*Registry, string) {
	t.speakers.g = t.Gazetteer
	t.speakers.Rebuild()
	if t.subject != "" {
		return t.speakers, t.Gazetteer.Actor(t.subject)
	}
	return t.speakers, Subject(t.positions, t.speakers, t.Gazetteer)
}

// Positions counts, for each name key, the paragraphs in which it states
// or shows a position.
func (f *Facts) Positions() map[string]int {
	out := map[string]int{}
	for _, st := range f.Stance {
		for _, k := range st {
			out[k]++
		}
	}
	return out
}

// Subject is the actor that takes positions in the most paragraphs,
// directly or through the people and institutions its titles name:
// positions counts paragraphs by name key (see Facts.Positions).
func Subject(positions map[string]int, speakers *Registry, g *Gazetteer) string {
	count := map[string]int{}
	for k, n := range positions {
		for _, a := range actorsOf(k, speakers, g) {
			count[a] += n
		}
	}
	if top := TopN(count, 1); len(top) == 1 {
		return top[0]
	}
	return ""
}

// ReadAll reads articles on all cores; the facts are by article ID.
func ReadAll(articles []*corpus.Article, g *Gazetteer) map[string]*Facts {
	out := make(map[string]*Facts, len(articles))
	Each(context.Background(), len(articles), inOrder(articles), g, func(_ int, a *corpus.Article, f *Facts) error {
		out[a.ID] = f
		return nil
	})
	return out
}

// readAhead is how many articles Each reads before the one it hands over:
// enough to keep the cores reading while the caller is busy for a while
// (the index builder writing a segment), few enough that their facts stay
// small.
const readAhead = 2048

// Each reads n articles on all cores (article(i) gets the i-th, nil when
// there is none to read) and hands each one with its facts to fn in
// order, from one goroutine, reading at most readAhead articles ahead of
// fn. It stops at fn's first error, or when ctx ends, and returns that
// error. An article is held only until fn returns, so a caller that
// keeps none holds at most readAhead of them.
func Each(ctx context.Context, n int, article func(i int) *corpus.Article, g *Gazetteer, fn func(i int, a *corpus.Article, f *Facts) error) error {
	type read struct {
		a *corpus.Article
		f *Facts
	}
	type job struct {
		i   int
		out chan read
	}
	stop := make(chan struct{})
	jobs := make(chan job)
	order := make(chan job, readAhead)
	var wg sync.WaitGroup
	for w := 0; w < min(runtime.GOMAXPROCS(0), max(n, 1)); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				var r read
				if r.a = article(j.i); r.a != nil {
					r.f = ArticleFacts(r.a, g)
				}
				j.out <- r
			}
		}()
	}
	go func() {
		defer close(order)
		defer close(jobs)
		for i := range n {
			j := job{i: i, out: make(chan read, 1)}
			select {
			case order <- j:
			case <-stop:
				return
			}
			select {
			case jobs <- j:
			case <-stop:
				return
			}
		}
	}()
	var err error
	for j := range order {
		if err = ctx.Err(); err != nil {
			break
		}
		if r := <-j.out; r.a != nil {
			if err = fn(j.i, r.a, r.f); err != nil {
				break
			}
		}
	}
	close(stop)
	for range order {
		// Until the producer sees stop; what the workers already took
		// finishes into its buffered channel.
	}
	wg.Wait()
	return err
}

// inOrder hands Each the articles of a slice.
func inOrder(articles []*corpus.Article) func(i int) *corpus.Article {
	return func(i int) *corpus.Article { return articles[i] }
}

// ArticleFacts reads one article.
func ArticleFacts(a *corpus.Article, g *Gazetteer) *Facts {
	r := newReader(a, g)
	f := &Facts{Quotes: r.read()}
	sentence := 0
	for pi, pv := range r.paras {
		f.Events = append(f.Events, dates(pv.p, a.Published)...)
		stated := r.stated[pi]
		var stance, named []string
		for _, p := range stated {
			stance = appendUnique(stance, p.Holder)
		}
		if !pv.heading {
			for _, toks := range pv.sents {
				for _, n := range namesIn(toks, r.ev, g) {
					named = appendUnique(named, foldName(r.local.canonical(n).name))
				}
			}
		}
		f.Stated = append(f.Stated, stated)
		f.Stance = append(f.Stance, stance)
		f.Mentions = append(f.Mentions, appendUnique(appendUnique(g.ActorsIn(pv.p.Text), stance...), named...))
		sentence += len(pv.sents)
	}
	f.Names = r.local.uses()
	return f
}

// actorsOf: a name key stands for itself, for the actors its speaker's
// titles name, and for the actor the gazetteer knows it as.
func actorsOf(key string, speakers *Registry, g *Gazetteer) []string {
	out := []string{key}
	if s, ok := speakers.Get(key); ok {
		out = appendUnique(out, s.Affiliations...)
	}
	if a := g.Actor(key); a != key {
		out = appendUnique(out, a)
	}
	return out
}

// subjectClause is the text before a verb in its own clause, without an
// apposition or a place after a preposition: "In a related development,
// Pakistan" → "Pakistan"; "missions in Norway" → "missions".
func subjectClause(toks []token, verb int) string {
	end := verb
	if end > 0 && toks[end-1].brk == ',' {
		for k := end - 2; k >= 0; k-- {
			if toks[k].brk == ',' {
				end = k + 1
				break
			}
		}
	}
	start := 0
	for k := end - 1; k >= 0; k-- {
		if k < end-1 && (toks[k].brk != 0 || toks[k].quoteAfter) {
			start = k + 1
			break
		}
		// "A Pakistani diplomat claimed that the US has not asked": the
		// subject of "asked" begins after "that".
		if subordinators[toks[k].lower] || k < end-1 && isSpeechVerb(toks[k].core) {
			start = k + 1
			break
		}
	}
	var words []string
	skipping := false
	for _, t := range toks[start:end] {
		switch {
		case locative[t.lower]:
			skipping = true
		case skipping && (isCapitalized(t.core) || connectors[t.lower]):
		default:
			skipping = false
			words = append(words, t.core)
		}
	}
	return strings.Join(words, " ")
}

// subordinators open a clause inside a sentence.
var subordinators = setOf(`that which who whom whose because if when while although though after before since unless whether`)

// TopN returns the n keys with the highest counts, ties in key order.
func TopN(counts map[string]int, n int) []string {
	keys := make([]string, 0, len(counts))
	for k := range counts {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if counts[keys[i]] != counts[keys[j]] {
			return counts[keys[i]] > counts[keys[j]]
		}
		return keys[i] < keys[j]
	})
	return keys[:min(n, len(keys))]
}
