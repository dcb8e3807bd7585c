package brief

import (
	"strings"
	"unicode"

	"github.com/mfonda/simhash"

	"github.com/briefbot/briefbot/corpus"
	"github.com/briefbot/briefbot/index"
)

// Wire stories are republished everywhere, with other headlines, other
// furniture and small edits. An answer shows such a passage once, with the
// citations of every copy: the first copy's words stand, and "also in"
// lists the others, each with its own words where they differ, so that
// every citation still quotes its article verbatim.

// passage is what repeat detection reads of an item.
type passage struct {
	text    string
	article string
	folded  string
	words   map[string]bool
	hash    uint64 // simhash of the words, to skip pairs far apart cheaply
	date    string
	who     string
}

func passageOf(it Item) passage {
	p := passage{text: it.Verbatim(), article: it.Citation.Article, words: map[string]bool{}, date: it.Date + it.DatePrecision, who: it.Speaker}
	p.folded = corpus.Fold(p.text)
	var feats [][]byte
	for _, w := range strings.FieldsFunc(p.folded, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		if !p.words[w] {
			p.words[w] = true
			feats = append(feats, []byte(w))
		}
	}
	p.hash = simhash.SimhashBytes(feats)
	return p
}

// minRepeatWords is the fewest distinct words a passage needs to be judged
// a near repeat: shorter ones must be identical ("He declined to comment."
// in two stories is two refusals).
const minRepeatWords = 10

// copiesFunc says whether two articles are copies of one story.
type copiesFunc func(a, b string) bool

// repeats: two passages say the same thing: the same words once folded;
// or, in two copies of one story and both long enough, four in five of
// their words shared (an edit, a corrected figure, another spelling). Dated
// events must also have the same date, and quotations the same speaker
// where both have one. Two stories that merely share a formula ("We cannot
// accept terms that ignore our interests on …") are not copies.
func (p passage) repeats(q passage, copies copiesFunc) bool {
	if p.date != q.date || p.who != "" && q.who != "" && p.who != q.who {
		return false
	}
	if p.folded == q.folded {
		return true
	}
	// Four in five words shared needs lengths within four fifths of each
	// other; the simhashes of such word sets lie within about ten bits.
	// Both are cheap, and most pairs fail them.
	np, nq := len(p.words), len(q.words)
	if min(np, nq) < minRepeatWords || 5*min(np, nq) < 4*max(np, nq) || simhash.Compare(p.hash, q.hash) > 16 {
		return false
	}
	if p.article == q.article || !copies(p.article, q.article) {
		return false
	}
	shared := 0
	for w := range p.words {
		if q.words[w] {
			shared++
		}
	}
	return 5*shared >= 4*(np+nq-shared)
}

// alsoIn is the citation of a repeat of kept, with its own words when they
// are not kept's.
func alsoIn(kept passage, it Item, p passage) Citation {
	c := it.Citation
	if p.text != kept.text {
		c.Text = p.text
	}
	return c
}

// mergeRepeats keeps the first of each set of repeated passages, with the
// others' citations as also_in.
func mergeRepeats(items []Item, copies copiesFunc) []Item {
	copies = remembered(copies)
	var out []Item
	var kept []passage
	for _, it := range items {
		p := passageOf(it)
		if i := repeatOf(p, kept, copies); i >= 0 {
			out[i].AlsoIn = append(out[i].AlsoIn, alsoIn(kept[i], it, p))
			continue
		}
		out = append(out, it)
		kept = append(kept, p)
	}
	return out
}

// remembered answers each pair of articles once: a long answer asks about
// the same pair many times.
func remembered(copies copiesFunc) copiesFunc {
	known := map[[2]string]bool{}
	return func(a, b string) bool {
		if a > b {
			a, b = b, a
		}
		k := [2]string{a, b}
		same, ok := known[k]
		if !ok {
			same = copies(a, b)
			known[k] = same
		}
		return same
	}
}

func repeatOf(p passage, kept []passage, copies copiesFunc) int {
	for i, k := range kept {
		if p.repeats(k, copies) {
			return i
		}
	}
	return -1
}

// repeatsAround is how many hits on each side of a page are read so that
// repeats across its edges are merged too.
const repeatsAround = 5

// windowOf widens q, the query of a page, by repeatsAround hits on either
// side; before is how many of the hits come before the page.
func windowOf(q index.Query, page Page) (wide index.Query, before int) {
	before = min(page.Offset, repeatsAround)
	q.Offset = page.Offset - before
	q.Size = before + page.Limit + repeatsAround
	return q, before
}

// pageOfRepeats takes a page's items out of its window's (see windowOf):
// an item that repeats one before the page was shown on an earlier page
// and is left out; items after the page that repeat one on it join its
// citations. Every page is made the same way, so paging by offset shows
// each passage once.
func pageOfRepeats(window []Item, before, limit int, copies copiesFunc) []Item {
	copies = remembered(copies)
	var earlier []passage
	for _, it := range window[:min(before, len(window))] {
		earlier = append(earlier, passageOf(it))
	}
	var page []Item
	var kept []passage
	for _, it := range window[min(before, len(window)):min(before+limit, len(window))] {
		p := passageOf(it)
		if repeatOf(p, earlier, copies) >= 0 {
			continue
		}
		if i := repeatOf(p, kept, copies); i >= 0 {
			page[i].AlsoIn = append(page[i].AlsoIn, alsoIn(kept[i], it, p))
			continue
		}
		page = append(page, it)
		kept = append(kept, p)
	}
	for _, it := range window[min(before+limit, len(window)):] {
		p := passageOf(it)
		if i := repeatOf(p, kept, copies); i >= 0 {
			page[i].AlsoIn = append(page[i].AlsoIn, alsoIn(kept[i], it, p))
		}
	}
	return page
}

// copies says whether two articles of the index are copies of one story:
// the same text, or most paragraphs in common (see index.Copies).
func (e *Engine) copies(a, b string) bool {
	ix := e.Index()
	x, okx := ix.Article(a)
	y, oky := ix.Article(b)
	return okx && oky && (x.TextHash == y.TextHash || index.Copies(x.Sketch, y.Sketch) >= copiesAbove)
}

// copiesAbove is the share of paragraphs two copies of a story have in
// common at least: a republished story keeps many of its paragraphs word
// for word (a short one with two edits, three of seven), two stories on
// one subject hardly any.
const copiesAbove = 0.3
