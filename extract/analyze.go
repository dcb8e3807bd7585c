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

// Facts are what one article says, paragraph by paragraph.
type Facts struct {
	Quotes []Quote
	Events []Event
	// Stance[i] lists the actors that state or show a position in paragraph
	// i+1; Mentions[i] every actor it names.
	Stance   [][]string
	Mentions [][]string
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

// stanceVerbs are how an actor states or shows a position.
var stanceVerbs = setOf(`said says told urged urges called abstained abstains refrained refrains
condemned condemns offered offers refused refuses rejected rejects denied denies dismissed dismisses
warned warns pledged pledges supported supports opposed opposes voted expressed expresses
emphasised emphasized reiterated insisted insists argued argues resisted resists advocated reminded
stressed noted vowed welcomed welcomes declined declines demanded proposed proposes agreed
agrees backed backs sided maintained maintains contradicted defended defends avoided sought seeks
criticised criticized criticizes criticises recognised recognized recognizes announced mediate
mediated accused accuses endorsed endorses threatened threatens`)

// Analyze extracts quotes, events and stances from every article, on all cores.
func Analyze(c *corpus.Corpus) *Analysis {
	g := NewGazetteer(c.Settings.ActorAliases)
	an := analyze(c.Articles, g, func(ms []mention) *Registry { return buildRegistry(ms, g) })
	stanceCount := map[string]int{}
	for _, f := range an.Facts {
		for _, st := range f.Stance {
			for _, s := range st {
				stanceCount[s]++
			}
		}
	}
	an.Subject = corpus.Fold(c.Settings.Subject)
	if an.Subject == "" {
		if top := TopN(stanceCount, 1); len(top) == 1 {
			an.Subject = top[0]
		}
	} else {
		an.Subject = g.Actor(an.Subject)
	}
	return an
}

// Extend analyses articles added to a corpus already analysed into
// speakers: their speakers join the known ones (a copy; speakers is not
// changed), so that answers need no new pass over the whole corpus.
func Extend(speakers *Registry, g *Gazetteer, articles []*corpus.Article) *Analysis {
	return analyze(articles, g, func(ms []mention) *Registry { return speakers.extend(ms, g) })
}

// analyze runs the two passes over articles; registry turns the names they
// use into speakers between the passes. Speakers' quote counts grow by the
// quotes found.
func analyze(articles []*corpus.Article, g *Gazetteer, registry func([]mention) *Registry) *Analysis {
	an := &Analysis{Gazetteer: g, Facts: make(map[string]*Facts, len(articles))}

	// Pass 1, per article: quotations and the names used.
	finders := make([]*quoteFinder, len(articles))
	facts := make([]*Facts, len(articles))
	parallel(len(articles), func(i int) {
		f := &quoteFinder{g: g, speakers: map[string]bool{}}
		facts[i] = &Facts{Quotes: f.article(articles[i])}
		finders[i] = f
	})
	var mentions []mention
	for _, f := range finders {
		mentions = append(mentions, f.mentions...)
	}
	// Between the passes, across the articles: one speaker per person.
	an.Speakers = registry(mentions)

	// Pass 2, per article: speakers resolved, events, stances.
	parallel(len(articles), func(i int) {
		a, f := articles[i], facts[i]
		for qi := range f.Quotes {
			if q := &f.Quotes[qi]; q.Speaker != "" {
				q.SpeakerKey = an.Speakers.keyIn(a.ID, q.Speaker)
			}
		}
		sentence := 0
		for _, p := range a.Paragraphs {
			f.Events = append(f.Events, dates(p, a.Published)...)
			stance := an.paragraphStance(a, p, finders[i], sentence)
			for _, q := range f.Quotes {
				if q.Para == p.N && q.SpeakerKey != "" {
					stance = appendUnique(stance, an.actorsOf(q.SpeakerKey)...)
				}
			}
			f.Stance = append(f.Stance, stance)
			f.Mentions = append(f.Mentions, appendUnique(g.ActorsIn(p.Text), stance...))
			sentence += len(p.Sentences)
		}
		finders[i] = nil // its work is done; let the memory go
	})

	for i, a := range articles {
		an.Facts[a.ID] = facts[i]
		for _, q := range facts[i].Quotes {
			if s, ok := an.Speakers.Get(q.SpeakerKey); ok {
				s.Quotes++
			}
		}
	}
	return an
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

// actorsOf: a speaker stands for itself and for the actors its titles name.
func (an *Analysis) actorsOf(key string) []string {
	out := []string{key}
	if s, ok := an.Speakers.Get(key); ok {
		out = appendUnique(out, s.Affiliations...)
	}
	if a := an.Gazetteer.Actor(key); a != key {
		out = appendUnique(out, a)
	}
	return out
}

// paragraphStance finds the subjects of stance verbs: "Pakistan abstained",
// "Islamabad says", "Qureshi dismissed", "He also contradicted".
func (an *Analysis) paragraphStance(a *corpus.Article, p corpus.Paragraph, f *quoteFinder, firstSentence int) []string {
	norm := []rune(corpus.Normalize(p.Text))
	quoted := quoteSpans(norm)
	var out []string
	for si, s := range p.Sentences {
		toks := tokenize(norm, s.Start, s.End)
		for i, t := range toks {
			if !isVerb(t, stanceVerbs) || inside(quoted, t.start) {
				continue
			}
			speaker, _, pronoun := subjectOf(toks, i, an.Gazetteer)
			if (pronoun == "he" || pronoun == "she") && opensClause(toks, i) {
				speaker = f.lastPerson(firstSentence + si)
			}
			if speaker != "" {
				out = appendUnique(out, an.actorsOf(an.Speakers.keyIn(a.ID, speaker))...)
			}
			out = appendUnique(out, an.Gazetteer.ActorsIn(subjectClause(toks, i))...)
		}
	}
	return out
}

// opensClause: the pronoun before the verb at toks[verb] (over auxiliaries)
// begins its sentence or clause. "He also contradicted" refers back to an
// earlier sentence; "what he said" inside a clause usually does not.
func opensClause(toks []token, verb int) bool {
	j := verb - 1
	for j > 0 && auxiliaries[strings.ToLower(toks[j].core)] {
		j--
	}
	return j == 0 || (j > 0 && toks[j-1].brk != 0)
}

// locative prepositions put an actor in a place, not in the subject:
// "missions in Pakistan urged" is not Pakistan urging.
var locative = setOf(`in at to with against from on over between toward towards into across`)

// subjectClause is the text before a verb in its own clause, without an
// apposition: "In a related development, Pakistan" → "Pakistan".
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
	for k := end - 2; k >= 0; k-- {
		if toks[k].brk != 0 || toks[k].quoteAfter {
			start = k + 1
			break
		}
	}
	var words []string
	skipping := false
	for _, t := range toks[start:end] {
		switch {
		case locative[strings.ToLower(t.core)]:
			skipping = true
		case skipping && (isCapitalized(t.core) || connectors[strings.ToLower(t.core)]):
		default:
			skipping = false
			words = append(words, t.core)
		}
	}
	return strings.Join(words, " ")
}

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
