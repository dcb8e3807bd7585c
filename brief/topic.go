package brief

import (
	"math"
	"sort"
	"strings"
	"unicode"

	"github.com/briefbot/briefbot/corpus"
	"github.com/briefbot/briefbot/extract"
	"github.com/briefbot/briefbot/index"
)

// topicMatcher tells how squarely a passage is about a topic. Matching is
// on words as written, not on stems: "trade" is named by "trade",
// "trades" and "trade's", not by "publicly traded" or "cap-and-trade";
// "Wall Street" is not named by "Wall Street Journal" when the corpus
// knows that longer name as a name of its own.
type topicMatcher struct {
	topic string
	terms []string // analysed, for choosing snippet sentences
	words []string // the topic's content words, folded, in order
	// keys are the name keys of the people the topic names, so that
	// "Clinton" and "Mrs. Clinton" name the topic "Hillary Clinton".
	keys  []string
	names *extract.Registry
}

func (e *Engine) topicMatcher(topic string, terms []string) *topicMatcher {
	ix := e.Index()
	m := &topicMatcher{topic: topic, terms: terms, names: ix.Head().Speakers}
	for _, w := range wordsOf(topic) {
		if len(ix.Terms(w.folded)) > 0 {
			m.words = append(m.words, w.folded)
		}
	}
	for _, s := range m.names.Resolve(topic) {
		if !s.Person || !allIn(m.words, strings.Fields(corpus.Fold(s.Name))) {
			continue
		}
		for _, k := range s.Keys() {
			m.keys = appendNew(m.keys, k)
		}
	}
	return m
}

func allIn(words, in []string) bool {
	for _, w := range words {
		if !containsString(in, w) {
			return false
		}
	}
	return len(words) > 0
}

// word is one word of a text: folded, and whether it was capitalised;
// first and last mark the parts of a hyphenated compound.
type word struct {
	folded      string
	capital     bool
	first, last bool
}

// wordsOf splits text into words, a possessive "'s" dropped; the parts of
// a hyphenated compound are words marked as such, since a compound names
// a topic only as a whole ("maternity-leave" names "maternity leave";
// "cap-and-trade" does not name "trade").
func wordsOf(text string) []word {
	var out []word
	rs := []rune(corpus.Normalize(text))
	for i := 0; i < len(rs); {
		if !unicode.IsLetter(rs[i]) && !unicode.IsDigit(rs[i]) {
			i++
			continue
		}
		j := i
		for j < len(rs) && (unicode.IsLetter(rs[j]) || unicode.IsDigit(rs[j]) ||
			(rs[j] == '-' || rs[j] == '\'') && j+1 < len(rs) && (unicode.IsLetter(rs[j+1]) || unicode.IsDigit(rs[j+1]))) {
			j++
		}
		w := string(rs[i:j])
		w = strings.TrimSuffix(strings.TrimSuffix(w, "'s"), "'S")
		parts := strings.Split(corpus.Fold(w), "-")
		for k, p := range parts {
			out = append(out, word{folded: p, capital: unicode.IsUpper(rs[i]), first: k == 0, last: k == len(parts)-1})
		}
		i = j
	}
	return out
}

// sameWord: w is the topic word t or its plural, singular or possessive
// ("tax", "taxes"; "policies", "policy"), never a derived word.
func sameWord(w, t string) bool {
	switch {
	case w == t, w == t+"s", w == t+"es", t == w+"s", t == w+"es":
		return true
	case strings.HasSuffix(t, "y") && w == t[:len(t)-1]+"ies":
		return true
	case strings.HasSuffix(w, "y") && t == w[:len(w)-1]+"ies":
		return true
	}
	return false
}

// in is how squarely text (with the name keys its paragraph mentions) is
// about the topic: 1 when it names it as a phrase, 0.9 when it names the
// person the topic is, 0.7 when it has all its words close together, 0.45
// when it has all but one of three or more, 0.35 when its words lie apart,
// else 0.
func (m *topicMatcher) in(text string, mentions []string) float64 {
	if len(m.words) == 0 {
		return 0
	}
	if !m.mayName(text) {
		// Most passages a question reads have none of its words: told
		// apart without splitting them into words.
		if overlap(mentions, m.keys) {
			return 0.9
		}
		return 0
	}
	return m.inWords(text, mentions)
}

// inWords is in, reading every word of text.
func (m *topicMatcher) inWords(text string, mentions []string) float64 {
	ws := wordsOf(text)
	n := len(m.words)
	for i := 0; i+n <= len(ws); i++ {
		match := ws[i].first && ws[i+n-1].last
		for k, t := range m.words {
			if !sameWord(ws[i+k].folded, t) {
				match = false
				break
			}
		}
		if match && !m.longerName(ws, i, n) {
			return 1
		}
	}
	if overlap(mentions, m.keys) {
		return 0.9
	}
	at := make([][]int, 0, n) // where each topic word found stands
	for _, t := range m.words {
		var ks []int
		for k, w := range ws {
			if sameWord(w.folded, t) && m.wholeIn(ws, k) {
				ks = append(ks, k)
			}
		}
		if len(ks) > 0 {
			at = append(at, ks)
		}
	}
	switch {
	case len(at) == n && n > 1 && narrowest(at) <= 3*n:
		return 0.7
	case n >= 3 && len(at) >= n-1:
		return 0.45
	case len(at) == n && n > 1:
		return 0.35 // scattered: "tax" here, "returns" there is not "tax returns"
	}
	return 0
}

// mayName: text may hold one of the topic's words, in some form: its
// folded text holds the start that every form sameWord accepts shares
// ("poli" for policy and policies, "t" for tax and taxes).
func (m *topicMatcher) mayName(text string) bool {
	folded := corpus.Fold(text)
	for _, t := range m.words {
		r := []rune(t)
		if strings.Contains(folded, string(r[:max(1, len(r)-2)])) {
			return true
		}
	}
	return false
}

// narrowest is the fewest words a span must cover to hold one position
// from each list (each ascending).
func narrowest(at [][]int) int {
	best := math.MaxInt
	for _, ks := range at {
		for _, start := range ks {
			// The span from start reaches, for each word, its nearest
			// position at or after start.
			end := start
			for _, other := range at {
				i := sort.SearchInts(other, start)
				if i == len(other) {
					end = math.MaxInt
					break
				}
				end = max(end, other[i])
			}
			if end != math.MaxInt {
				best = min(best, end-start)
			}
		}
	}
	return best
}

// wholeIn: the word at ws[k] is a word of its own, or part of a compound
// made only of the topic's words.
func (m *topicMatcher) wholeIn(ws []word, k int) bool {
	if ws[k].first && ws[k].last {
		return true
	}
	s := k
	for !ws[s].first {
		s--
	}
	for e := s; e < len(ws); e++ {
		ok := false
		for _, t := range m.words {
			ok = ok || sameWord(ws[e].folded, t)
		}
		if !ok {
			return false
		}
		if ws[e].last {
			break
		}
	}
	return true
}

// longerName: the capitalised words at ws[i:i+n] go on into a longer name
// the corpus knows ("Wall Street" in "Wall Street Journal").
func (m *topicMatcher) longerName(ws []word, i, n int) bool {
	if !ws[i].capital || m.names == nil {
		return false
	}
	name := make([]string, 0, n+2)
	for _, w := range ws[i : i+n] {
		name = append(name, w.folded)
	}
	for k := i + n; k < len(ws) && k < i+n+2 && ws[k].capital; k++ {
		name = append(name, ws[k].folded)
		if _, ok := m.names.Names[strings.Join(name, " ")]; ok {
			return true
		}
	}
	return false
}

// topicContext is where the topic is named in each article.
type topicContext struct {
	paras map[string][]int // article → paragraphs naming the topic, ascending
}

// context reads, from the paragraphs that may name the topic, the ones
// that do, by article.
func (m *topicMatcher) context(hits []index.Hit) topicContext {
	c := topicContext{paras: map[string][]int{}}
	for _, h := range hits {
		if m.in(h.Text, h.Mentions) >= onTopic {
			c.paras[h.Article] = append(c.paras[h.Article], h.Para)
		}
	}
	for _, ps := range c.paras {
		sort.Ints(ps)
	}
	return c
}

// articles lists up to n articles that name the topic, those naming it
// most first.
func (c topicContext) articles(n int) []string {
	out := make([]string, 0, len(c.paras))
	for a := range c.paras {
		out = append(out, a)
	}
	sort.Slice(out, func(i, j int) bool {
		if ci, cj := len(c.paras[out[i]]), len(c.paras[out[j]]); ci != cj {
			return ci > cj
		}
		return out[i] < out[j]
	})
	return out[:min(n, len(out))]
}

// around is how much a paragraph's article and neighbours make it about
// the topic: the paragraph right after one that names it, or a few after
// in an article that names it more than once; less surely, any paragraph
// of an article that keeps naming it.
func (c topicContext) around(h index.Hit) float64 {
	ps := c.paras[h.Article]
	best := 0.0
	// An article keeps naming the topic when a sixth of its paragraphs
	// do: a live blog naming it in 5 of 150 is about many things.
	n := 0
	if h.Source != nil {
		n = h.Source.Paragraphs
	}
	if len(ps)*6 >= n {
		switch {
		case len(ps) >= 3:
			best = 0.6
		case len(ps) == 2:
			best = 0.5
		}
	}
	for _, p := range ps {
		switch d := h.Para - p; {
		case d == 1:
			best = max(best, 0.75)
		case d >= 2 && d <= 3 && len(ps) >= 2:
			best = max(best, 0.75-0.05*float64(d))
		}
	}
	return best
}
