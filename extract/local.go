package extract

import (
	"sort"
	"strings"
)

// localNames is an article's table of the people and institutions it
// names: the variants of one full name are one entry ("Donald J. Trump",
// "Donald Trump"), and a surname alone stands for the full name the article
// gives with it, the one named last when it gives several ("Clinton" after
// "Bill Clinton" is Bill). What the article itself does not say is not
// assumed: a surname the article never gives in full stays a surname.
type localNames struct {
	entries []*localName
	byFold  map[string]*localName // every folded variant → its entry
	// lastBySurname is the full name last resolved for a surname, while the
	// article is read in order.
	lastBySurname map[string]*localName
	lastAt        map[string]int // the sentence of that naming
	// now is the sentence being read.
	now int
}

type localName struct {
	text     string
	variants map[string]int
	titles   []string
	person   bool
	gender   byte
	count    int
	quotes   int
	order    int        // when the article first named it
	root     *localName // the entry it was merged into, or itself
}

func newLocalNames() *localNames {
	return &localNames{byFold: map[string]*localName{}, lastBySurname: map[string]*localName{}, lastAt: map[string]int{}}
}

func (l *localNames) find(e *localName) *localName {
	for e.root != e {
		e.root = e.root.root
		e = e.root
	}
	return e
}

// genderOfTitle: what an honorific says.
func genderOfTitle(title string) byte {
	for _, w := range strings.Fields(strings.ToLower(title)) {
		switch strings.TrimSuffix(w, ".") {
		case "mr", "sir", "lord", "king", "prince", "sheikh", "congressman", "spokesman", "chairman":
			return 'm'
		case "mrs", "ms", "miss", "dame", "lady", "queen", "princess", "congresswoman", "spokeswoman", "chairwoman":
			return 'f'
		}
	}
	return 0
}

// see records one naming of n.
func (l *localNames) see(n name) {
	if n.text == "" {
		return
	}
	f := foldName(n.text)
	e := l.byFold[f]
	if e == nil {
		e = &localName{text: n.text, variants: map[string]int{}, person: n.person, order: len(l.entries)}
		e.root = e
		l.byFold[f] = e
		l.entries = append(l.entries, e)
	}
	e.variants[n.text]++
	e.count++
	e.person = e.person || n.person
	if n.title != "" {
		e.titles = appendUnique(e.titles, n.title)
		if g := genderOfTitle(n.title); g != 0 && e.gender == 0 {
			e.gender = g
		}
	}
}

// settle merges the variants of one full name: the later spelling joins
// the earlier when one's words appear, in order, among the other's.
func (l *localNames) settle() {
	var full []*localName
	for _, e := range l.entries {
		if e.person && len(strings.Fields(e.text)) >= 2 {
			full = append(full, e)
		}
	}
	for i, a := range full {
		for _, b := range full[:i] {
			if compatible(foldName(a.text), foldName(b.text)) && l.find(a) != l.find(b) {
				l.find(a).root = l.find(b)
			}
		}
	}
	// Each merged entry takes its members' counts and the fullest name.
	for _, e := range full {
		root := l.find(e)
		if root == e {
			continue
		}
		root.count += e.count
		for v, n := range e.variants {
			root.variants[v] += n
		}
		root.titles = appendUnique(root.titles, e.titles...)
		if root.gender == 0 {
			root.gender = e.gender
		}
	}
	for _, e := range l.entries {
		if root := l.find(e); root == e {
			e.text = displayName(e.variants)
		}
	}
	// A surname alone with one full name to go with is that person.
	for _, e := range l.entries {
		if e.root == e && e.person && len(strings.Fields(e.text)) == 1 {
			if cands := l.fullNames(e.text); len(cands) == 1 {
				e.root = cands[0]
				cands[0].count += e.count
				cands[0].titles = appendUnique(cands[0].titles, e.titles...)
				if cands[0].gender == 0 {
					cands[0].gender = e.gender
				}
			}
		}
	}
}

// displayName is the fullest well-formed spelling of a name, then the most
// used, then the first in order: the same whatever order it was seen in.
func displayName(variants map[string]int) string {
	best := ""
	for v, n := range variants {
		if best == "" {
			best = v
			continue
		}
		bw, vw := nameLength(best), nameLength(v)
		switch {
		case vw != bw:
			if vw > bw {
				best = v
			}
		case n != variants[best]:
			if n > variants[best] {
				best = v
			}
		case v < best:
			best = v
		}
	}
	return best
}

// nameLength ranks spellings: more words is fuller, up to four; longer
// than that is rather a phrase than a name; a spelling in capitals (a
// dateline, a transcript's tag) comes after any other.
func nameLength(s string) int {
	n := len(strings.Fields(s))
	if n > 4 {
		return 0
	}
	if allCaps(strings.ReplaceAll(s, " ", "")) && len(s) > 4 {
		return n - 10
	}
	return n
}

// fullNames lists the settled full names with a given surname.
func (l *localNames) fullNames(surname string) []*localName {
	var out []*localName
	for _, e := range l.entries {
		if e.root == e && e.person && len(strings.Fields(e.text)) >= 2 {
			for v := range e.variants {
				if sameWord(lastWord(v), surname) {
					out = append(out, e)
					break
				}
			}
		}
	}
	return out
}

// canonical is the article's full name for n, read in order.
func (l *localNames) canonical(n name) resolved {
	e := l.byFold[foldName(n.text)]
	if e == nil {
		l.see(n)
		e = l.byFold[foldName(n.text)]
	}
	e = l.find(e)
	words := strings.Fields(n.text)
	if n.person && len(words) == 1 && len(strings.Fields(e.text)) == 1 {
		sur := foldName(words[0])
		cands := l.fullNames(words[0])
		last := l.lastBySurname[sur]
		switch {
		case len(cands) == 1:
			e = cands[0]
		case last != nil && l.now-l.lastAt[sur] <= 1:
			e = last // "Bill Clinton said … Clinton added"
		case len(cands) > 1:
			// Away from a full naming, a surname shared by several is the
			// one the article named first: news introduces its main person
			// first and names relatives and namesakes in full ("Ivanka
			// Trump … Trump said" is Donald).
			sort.SliceStable(cands, func(i, j int) bool { return cands[i].order < cands[j].order })
			e = cands[0]
		case last != nil:
			e = last
		}
	} else if n.person {
		sur := foldName(lastWord(e.text))
		l.lastBySurname[sur] = e
		l.lastAt[sur] = l.now
	}
	title := n.title
	if title == "" && len(e.titles) > 0 {
		title = e.titles[0]
	}
	return resolved{name: e.text, title: title, person: e.person, gender: e.gender}
}

// quoted counts a quotation of the entry named name (a description of the
// speaker becomes an entry of its own).
func (l *localNames) quoted(sp resolved) {
	e := l.byFold[foldName(sp.name)]
	if e == nil {
		l.see(name{text: sp.name, person: sp.person})
		e = l.byFold[foldName(sp.name)]
	}
	root := l.find(e)
	root.quotes++
	if sp.title != "" {
		root.titles = appendUnique(root.titles, sp.title)
	}
}

func (l *localNames) setGender(name string, g byte) {
	if e := l.byFold[foldName(name)]; e != nil && l.find(e).gender == 0 {
		l.find(e).gender = g
	}
}

// uses are the article's names for the speaker registry.
func (l *localNames) uses() []NameUse {
	var out []NameUse
	seen := map[*localName]bool{}
	for _, e := range l.entries {
		root := l.find(e)
		if seen[root] {
			continue
		}
		seen[root] = true
		u := NameUse{Name: root.text, Person: root.person, Count: root.count, Quotes: root.quotes, Titles: root.titles}
		if root.gender != 0 {
			u.Gender = string(rune(root.gender))
		}
		out = append(out, u)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// titlesOf are the titles the article gives the person keyed key.
func (l *localNames) titlesOf(key string) []string {
	if e := l.byFold[key]; e != nil {
		return l.find(e).titles
	}
	return nil
}
