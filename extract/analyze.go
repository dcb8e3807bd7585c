// Package extract reads what articles say: direct quotations and who said
// them, dated events, and which actors take positions in which paragraphs.
// Every rule is general; nothing here knows any particular article.
package extract

import (
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

// Analyze extracts quotes, events and stances from every article, on all cores.
func Analyze(c *corpus.Corpus) *Analysis {
	g := NewGazetteer(c.Settings.ActorAliases)
	an := analyze(c.Articles, g, NewRegistry(g))
	// The subject takes positions in the most paragraphs, directly or
	// through the people its titles name.
	an.Subject = corpus.Fold(c.Settings.Subject)
	if an.Subject != "" {
		an.Subject = g.Actor(an.Subject)
		return an
	}
	positions := map[string]int{}
	for _, f := range an.Facts {
		for k, n := range f.Positions() {
			positions[k] += n
		}
	}
	an.Subject = Subject(positions, an.Speakers, g)
	return an
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

// analyze reads every article on its own, then counts its names in.
func analyze(articles []*corpus.Article, g *Gazetteer, speakers *Registry) *Analysis {
	an := &Analysis{Gazetteer: g, Speakers: speakers, Facts: ReadAll(articles, g)}
	for _, a := range articles {
		speakers.Add(an.Facts[a.ID].Names, 1)
	}
	speakers.g = g
	speakers.Rebuild()
	return an
}

// ReadAll reads articles on all cores; the facts are by article ID.
func ReadAll(articles []*corpus.Article, g *Gazetteer) map[string]*Facts {
	facts := make([]*Facts, len(articles))
	parallel(len(articles), func(i int) { facts[i] = ArticleFacts(articles[i], g) })
	out := make(map[string]*Facts, len(articles))
	for i, a := range articles {
		out[a.ID] = facts[i]
	}
	return out
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

// parallel runs work(0..n-1) on all cores.
func parallel(n int, work func(i int)) {
	workers := min(runtime.GOMAXPROCS(0), max(n, 1))
	next := make(chan int, workers)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				work(i)
			}
		}()
	}
	for i := 0; i < n; i++ {
		next <- i
	}
	close(next)
	wg.Wait()
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
