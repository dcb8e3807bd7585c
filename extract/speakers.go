package extract

import (
	"sort"
	"strings"

	"github.com/briefbot/briefbot/corpus"
)

// NameUse is one name as one article uses it: the article's fullest
// spelling of a person (or an institution's name), how often it names
// them, how often they are quoted, and the titles it gives them.
type NameUse struct {
	Name   string   `json:"name"`
	Person bool     `json:"person,omitempty"`
	Count  int      `json:"count"`
	Quotes int      `json:"quotes,omitempty"`
	Titles []string `json:"titles,omitempty"`
	// Gender is what the article's pronouns and honorifics say: "m", "f"
	// or "" when they say nothing.
	Gender string `json:"gender,omitempty"`
}

// Key is how documents name the speaker of a quotation: the article's
// name for them, folded.
func (u NameUse) Key() string { return foldName(u.Name) }

// Speaker is one person or institution, under all the names the corpus uses.
type Speaker struct {
	Key     string   `json:"key"`     // the folded display name
	Name    string   `json:"name"`    // the fullest well-formed spelling
	Aliases []string `json:"aliases"` // the articles' names for them
	Titles  []string `json:"titles,omitempty"`
	// Affiliations are actors the titles name ("Pakistani Foreign Minister" → pakistan).
	Affiliations []string `json:"affiliations,omitempty"`
	Person       bool     `json:"person,omitempty"`
	Quotes       int      `json:"quotes"`
	// Mentions counts the times the articles name them.
	Mentions int `json:"mentions"`
	// Gender is "m" or "f" when more of the articles that say so say it
	// than the other; else "".
	Gender string `json:"gender,omitempty"`
}

// nameTotal is one article-level name summed over the corpus.
type nameTotal struct {
	Name     string         `json:"name"`
	Person   bool           `json:"person,omitempty"`
	Count    int            `json:"count"`
	Quotes   int            `json:"quotes,omitempty"`
	Articles int            `json:"articles"`
	Titles   map[string]int `json:"titles,omitempty"`
	// Male and Female count the articles whose pronouns or honorifics say so.
	Male   int `json:"male,omitempty"`
	Female int `json:"female,omitempty"`
}

// Registry is the corpus's speakers: the article-level names summed (its
// only state, which updates add to and take from) and, computed from them
// the same way whatever order the articles came in, the speakers they form.
// Full names of one person join into one speaker ("Qamar Bajwa", "Qamar
// Javed Bajwa"; "Mehmood"/"Mahmood"); different given names never do
// ("Bill Clinton", "Hillary Clinton"); a surname alone is a speaker of its
// own, since only its article could say whose it is (and already did).
type Registry struct {
	Names map[string]*nameTotal `json:"names"` // by key

	// Computed by Rebuild.
	Speakers  []*Speaker          `json:"-"`
	byKey     map[string]*Speaker // every name key → its speaker
	bySurname map[string][]*Speaker
	// byPatron lists, by a name word its titles hold, the speakers who
	// work for someone of that name ("Trump campaign spokesman").
	byPatron map[string][]*Speaker
	g        *Gazetteer
}

// NewRegistry is an empty registry; g names the actors titles stand for.
func NewRegistry(g *Gazetteer) *Registry {
	r := &Registry{Names: map[string]*nameTotal{}, g: g}
	r.Rebuild()
	return r
}

// SetGazetteer gives a registry read from JSON its gazetteer.
func (r *Registry) SetGazetteer(g *Gazetteer) {
	r.g = g
	r.Rebuild()
}

// Add counts an article's names in (sign 1) or out (sign -1). Call
// Rebuild after the last change.
func (r *Registry) Add(uses []NameUse, sign int) {
	for _, u := range uses {
		k := u.Key()
		if k == "" {
			continue
		}
		t := r.Names[k]
		if t == nil {
			if sign < 0 {
				continue
			}
			t = &nameTotal{Name: u.Name, Titles: map[string]int{}}
			r.Names[k] = t
		}
		t.Count += sign * u.Count
		t.Quotes += sign * u.Quotes
		t.Articles += sign
		t.Person = t.Person || u.Person
		switch u.Gender {
		case "m":
			t.Male += sign
		case "f":
			t.Female += sign
		}
		for _, ti := range u.Titles {
			if t.Titles == nil {
				t.Titles = map[string]int{}
			}
			t.Titles[ti] += sign
			if t.Titles[ti] <= 0 {
				delete(t.Titles, ti)
			}
		}
		if t.Articles <= 0 {
			delete(r.Names, k)
		}
	}
}

// Clone copies the registry's names; the copy can change while readers
// keep using the original.
func (r *Registry) Clone() *Registry {
	out := &Registry{Names: make(map[string]*nameTotal, len(r.Names)), g: r.g}
	for k, t := range r.Names {
		c := *t
		c.Titles = make(map[string]int, len(t.Titles))
		for ti, n := range t.Titles {
			c.Titles[ti] = n
		}
		out.Names[k] = &c
	}
	return out
}

// fullName: a person's name of two words or more.
func (t *nameTotal) fullName() bool { return t.Person && len(strings.Fields(t.Name)) >= 2 }

// Rebuild forms the speakers from the names: near-linear, comparing a name
// only with those of the same surname.
func (r *Registry) Rebuild() {
	keys := make([]string, 0, len(r.Names))
	for k := range r.Names {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parent := make(map[string]string, len(keys))
	find := func(k string) string {
		for parent[k] != k {
			parent[k] = parent[parent[k]]
			k = parent[k]
		}
		return k
	}
	blocks := map[string][]string{}
	for _, k := range keys {
		parent[k] = k
		if t := r.Names[k]; t.fullName() {
			// Compatible names share the surname's skeleton and the given
			// name's first letter (see sameWord): a name is compared only with
			// those.
			b := skeleton(lastWord(k)) + " " + k[:1]
			blocks[b] = append(blocks[b], k)
		}
	}
	blockNames := make([]string, 0, len(blocks))
	for b := range blocks {
		blockNames = append(blockNames, b)
	}
	sort.Strings(blockNames)
	for _, b := range blockNames {
		ks := blocks[b]
		for i := range ks {
			for j := 0; j < i; j++ {
				if compatible(ks[i], ks[j]) {
					a, c := find(ks[i]), find(ks[j])
					if a != c {
						if a < c {
							parent[c] = a
						} else {
							parent[a] = c
						}
					}
				}
			}
		}
	}
	groups := map[string][]string{}
	for _, k := range keys {
		root := find(k)
		groups[root] = append(groups[root], k)
	}
	r.Speakers = r.Speakers[:0]
	r.byKey = make(map[string]*Speaker, len(keys))
	r.bySurname = map[string][]*Speaker{}
	r.byPatron = map[string][]*Speaker{}
	for _, root := range keys {
		members, ok := groups[root]
		if !ok {
			continue
		}
		s := &Speaker{}
		variants := map[string]int{}
		titles := map[string]int{}
		male, female := 0, 0
		for _, k := range members {
			t := r.Names[k]
			male += t.Male
			female += t.Female
			variants[t.Name] += t.Count
			s.Aliases = append(s.Aliases, t.Name)
			s.Quotes += t.Quotes
			s.Mentions += t.Count
			s.Person = s.Person || t.Person
			for ti, n := range t.Titles {
				titles[ti] += n
			}
			r.byKey[k] = s
		}
		s.Name = displayName(variants)
		s.Key = foldName(s.Name)
		switch {
		case male > female:
			s.Gender = "m"
		case female > male:
			s.Gender = "f"
		}
		sort.Strings(s.Aliases)
		s.Titles = bestTitles(titles)
		for _, ti := range s.Titles {
			s.Affiliations = appendUnique(s.Affiliations, r.gazetteer().ActorsIn(ti)...)
		}
		if !s.Person {
			s.Affiliations = appendUnique(s.Affiliations, r.gazetteer().ActorsIn(s.Name)...)
		}
		r.Speakers = append(r.Speakers, s)
		for _, w := range r.patrons(s.Titles) {
			r.byPatron[w] = append(r.byPatron[w], s)
		}
		if s.Person {
			sk := skeleton(foldName(lastWord(s.Name)))
			r.bySurname[sk] = append(r.bySurname[sk], s)
		}
	}
	sort.SliceStable(r.Speakers, func(i, j int) bool {
		if r.Speakers[i].Name != r.Speakers[j].Name {
			return r.Speakers[i].Name < r.Speakers[j].Name
		}
		return r.Speakers[i].Key < r.Speakers[j].Key
	})
}

// patrons are the names a person's titles say they work for: the
// capitalised words of a title that ends in a role ("Trump campaign
// spokesman", "Clinton communications director"), folded.
func (r *Registry) patrons(titles []string) []string {
	var out []string
	for _, t := range titles {
		ws := strings.Fields(t)
		if len(ws) < 2 || len(roleWords(ws[len(ws)-1])) == 0 {
			continue
		}
		for _, w := range ws[:len(ws)-1] {
			w = strings.TrimSuffix(strings.Trim(w, ",."), "'s")
			lw := strings.ToLower(w)
			if isCapitalized(w) && !titleWords[lw] && !honorifics[lw] && !r.gazetteer().Known(w) && !r.gazetteer().Demonym(w) && !partyWord(w) {
				out = appendUnique(out, foldName(w))
			}
		}
	}
	return out
}

// SpeakingFor lists the speakers whose titles say they work for the
// person of one of these name keys (its surname is enough): a campaign's
// spokesman, a senator's aide.
func (r *Registry) SpeakingFor(keys []string) []*Speaker {
	var out []*Speaker
	seen := map[*Speaker]bool{}
	for _, k := range keys {
		for _, s := range r.byPatron[lastWord(k)] {
			if !seen[s] {
				seen[s] = true
				out = append(out, s)
			}
		}
	}
	return out
}

func (r *Registry) gazetteer() *Gazetteer {
	if r.g == nil {
		r.g = NewGazetteer(nil)
	}
	return r.g
}

// bestTitles orders a speaker's titles: those that say what they do
// ("Pakistani Foreign Minister") before bare honorifics ("Mr."), then by
// use; five at most.
func bestTitles(counts map[string]int) []string {
	ts := make([]string, 0, len(counts))
	for t := range counts {
		ts = append(ts, t)
	}
	bare := func(t string) bool { return honorifics[strings.ToLower(strings.Trim(t, ". "))] }
	sort.Slice(ts, func(i, j int) bool {
		if bare(ts[i]) != bare(ts[j]) {
			return !bare(ts[i])
		}
		if counts[ts[i]] != counts[ts[j]] {
			return counts[ts[i]] > counts[ts[j]]
		}
		return ts[i] < ts[j]
	})
	return ts[:min(5, len(ts))]
}

// Get returns the speaker of a name key (a document's speaker field).
func (r *Registry) Get(key string) (*Speaker, bool) {
	s, ok := r.byKey[key]
	return s, ok
}

// Keys are the name keys of a speaker: what documents call them.
func (s *Speaker) Keys() []string {
	out := make([]string, 0, len(s.Aliases))
	for _, a := range s.Aliases {
		out = append(out, foldName(a))
	}
	return out
}

// Resolve finds the speakers a user means by a name: the speaker with that
// name or spelling, and with a surname alone every person of that surname
// (the most quoted first); a full name also takes in the surname alone
// when that person is most of those the corpus names in full with it.
// Near spellings and, last, parts of names are tried when nothing matches.
func (r *Registry) Resolve(query string) []*Speaker {
	f := foldName(strings.TrimSpace(query))
	if f == "" {
		return nil
	}
	var out []*Speaker
	add := func(s *Speaker) {
		for _, x := range out {
			if x == s {
				return
			}
		}
		out = append(out, s)
	}
	if s, ok := r.byKey[f]; ok {
		add(s)
	}
	words := strings.Fields(f)
	if len(words) == 1 {
		for _, s := range r.bySurname[skeleton(f)] {
			if sameWord(foldName(lastWord(s.Name)), f) {
				add(s)
			}
		}
	}
	if len(out) == 0 {
		for _, s := range r.bySpelling(f) {
			add(s)
		}
	}
	if len(out) > 0 {
		if len(words) >= 2 {
			if bare, ok := r.byKey[lastWord(f)]; ok && !bare.multiWord() && r.dominant(out[0], lastWord(f), bare.Gender) {
				add(bare)
			}
		}
		sort.SliceStable(out, func(i, j int) bool { return out[i].Quotes > out[j].Quotes })
		return out
	}
	// Part of a name ("Mehmood"), as a last resort.
	for _, s := range r.Speakers {
		for _, a := range s.Aliases {
			if strings.Contains(foldName(a), f) {
				add(s)
				break
			}
		}
	}
	return out
}

func (s *Speaker) multiWord() bool { return len(strings.Fields(s.Name)) >= 2 }

// dominant: s accounts for at least two thirds of the mentions of the
// people named in full with this surname, of those of the gender the
// surname alone is used with when that is known ("Mr. Obama" is not
// Michelle Obama).
func (r *Registry) dominant(s *Speaker, surname, gender string) bool {
	if gender != "" && s.Gender != "" && s.Gender != gender {
		return false
	}
	total := 0
	for _, x := range r.bySurname[skeleton(surname)] {
		if gender != "" && x.Gender != "" && x.Gender != gender {
			continue
		}
		if x.multiWord() && sameWord(foldName(lastWord(x.Name)), surname) {
			total += x.Mentions
		}
	}
	return total > 0 && s.Mentions*3 >= total*2
}

// bySpelling finds the speakers with a name that is the same name in
// another spelling or a fuller form ("Shah Mahmood Qureshi").
func (r *Registry) bySpelling(f string) []*Speaker {
	var out []*Speaker
	for _, s := range r.bySurname[skeleton(lastWord(f))] {
		for _, a := range s.Aliases {
			if compatible(foldName(a), f) {
				out = append(out, s)
				break
			}
		}
	}
	return out
}

// Affiliated lists the speakers whose titles (or, for institutions, names)
// name the actor: Pakistan's foreign minister, its embassy.
func (r *Registry) Affiliated(actor string) []*Speaker {
	var out []*Speaker
	for _, s := range r.Speakers {
		for _, a := range s.Affiliations {
			if a == actor {
				out = append(out, s)
				break
			}
		}
	}
	return out
}

// sameWord: equal after folding, or spellings of one transliterated name
// ("Mehmood"/"Mahmood", "Qasem"/"Qassem").
func sameWord(a, b string) bool {
	a, b = corpus.Fold(a), corpus.Fold(b)
	if a == b {
		return true
	}
	if len(a) < 4 || len(b) < 4 || a[0] != b[0] {
		return false
	}
	return skeleton(a) == skeleton(b) || (len(a) >= 6 && editDistance(a, b) <= 1)
}

// skeleton keeps the first letter and the consonants, doubled ones once.
func skeleton(s string) string {
	var b strings.Builder
	var prev rune
	for i, r := range s {
		if i > 0 && strings.ContainsRune("aeiouy", r) {
			continue
		}
		if r != prev {
			b.WriteRune(r)
		}
		prev = r
	}
	return b.String()
}

func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

// compatible: one name's words appear, in order, among the other's, and
// the surnames and given names agree ("Qamar Bajwa" ~ "Qamar Javed Bajwa",
// "Donald J. Trump" ~ "Donald Trump"; not "Bill Clinton" ~ "Hillary
// Clinton", nor "Donald Trump" ~ "Donald Trump Jr.").
func compatible(a, b string) bool {
	wa, wb := strings.Fields(a), strings.Fields(b)
	if len(wa) > len(wb) {
		wa, wb = wb, wa
	}
	if len(wa) == 0 || !sameWord(wa[len(wa)-1], wb[len(wb)-1]) || !sameWord(wa[0], wb[0]) {
		return false
	}
	j := 0
	for _, w := range wa {
		for j < len(wb) && !sameWord(w, wb[j]) {
			j++
		}
		if j == len(wb) {
			return false
		}
		j++
	}
	return true
}
