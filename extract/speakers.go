package extract

import (
	"sort"
	"strconv"
	"strings"

	"github.com/briefbot/briefbot/corpus"
)

// Speaker is one person or institution, under all the names the corpus uses.
type Speaker struct {
	Key     string   `json:"key"`  // stable identifier: the folded canonical name
	Name    string   `json:"name"` // the fullest common spelling
	Aliases []string `json:"aliases"`
	Titles  []string `json:"titles,omitempty"`
	// Affiliations are actors the titles name ("Pakistani Foreign Minister" → pakistan).
	Affiliations []string `json:"affiliations,omitempty"`
	Quotes       int      `json:"quotes"`
}

// mention is one name found in one article.
type mention struct {
	article, name, title string
}

// Registry merges spelling variants and partial names of one speaker.
type Registry struct {
	Speakers []*Speaker `json:"speakers"`
	byKey    map[string]*Speaker
	// alias maps a folded spelling to its speaker key; ambiguous surnames map
	// per article in local.
	alias map[string]string
	local map[string]string // article + "\x00" + folded name → key
	// bySurname lists, under the skeleton of each alias's last word, the
	// speakers who have it, so that a name is compared with few others.
	bySurname map[string][]*Speaker
}

// isPersonName: every word a name word and none a title or a known place.
func isPersonName(name string, g *Gazetteer) bool {
	ws := strings.Fields(name)
	if len(ws) == 0 {
		return false
	}
	for _, w := range ws {
		if !isNameWord(w) || titleWords[strings.ToLower(w)] || g.Known(w) {
			return false
		}
	}
	return true
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

// compatible: one name's words appear, in order, among the other's, and the
// surnames agree ("Qamar Bajwa" ~ "Qamar Javed Bajwa").
func compatible(a, b string) bool {
	wa, wb := strings.Fields(a), strings.Fields(b)
	if len(wa) > len(wb) {
		wa, wb = wb, wa
	}
	if !sameWord(wa[len(wa)-1], wb[len(wb)-1]) {
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

// buildRegistry groups mentions into speakers.
func buildRegistry(mentions []mention, g *Gazetteer) *Registry {
	r := &Registry{byKey: map[string]*Speaker{}, alias: map[string]string{}, local: map[string]string{}}

	// Full person names (two words or more) form the clusters.
	var full []string
	seen := map[string]bool{}
	for _, m := range mentions {
		if isPersonName(m.name, g) && len(strings.Fields(m.name)) >= 2 && !seen[m.name] {
			seen[m.name] = true
			full = append(full, m.name)
		}
	}
	parent := make([]int, len(full))
	for i := range parent {
		parent[i] = i
	}
	find := func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	for i := range full {
		for j := i + 1; j < len(full); j++ {
			if compatible(full[i], full[j]) {
				parent[find(i)] = find(j)
			}
		}
	}
	clusterOf := map[string]int{}
	for i, n := range full {
		clusterOf[n] = find(i)
	}

	// Surnames alone join the one cluster whose surname they are, or, when
	// several people share it, the one named in the same article.
	surnameClusters := map[string][]int{}
	for i, n := range full {
		sn := corpus.Fold(lastWord(n))
		c := find(i)
		if !containsInt(surnameClusters[sn], c) {
			surnameClusters[sn] = append(surnameClusters[sn], c)
		}
	}
	articleClusters := map[string][]int{}
	for _, m := range mentions {
		if c, ok := clusterOf[m.name]; ok {
			articleClusters[m.article] = append(articleClusters[m.article], c)
		}
	}

	keyOfCluster := func(c int) string { return "c" + strconv.Itoa(c) }
	groupOf := func(m mention) (string, bool) {
		if c, ok := clusterOf[m.name]; ok {
			return keyOfCluster(c), true
		}
		if !isPersonName(m.name, g) {
			return "", false
		}
		var candidates []int
		for sn, cs := range surnameClusters {
			if sameWord(sn, lastWord(m.name)) {
				candidates = append(candidates, cs...)
			}
		}
		if len(candidates) == 1 {
			return keyOfCluster(candidates[0]), true
		}
		for _, c := range candidates {
			if containsInt(articleClusters[m.article], c) {
				return keyOfCluster(c), true
			}
		}
		return "", false
	}

	type group struct {
		names  map[string]int
		order  []string
		titles []string
		affs   []string
	}
	groups := map[string]*group{}
	var groupOrder []string
	assign := map[[2]string]string{} // (article, name) → group
	for _, m := range mentions {
		gk, ok := groupOf(m)
		if !ok {
			gk = "n" + foldName(m.name)
		}
		assign[[2]string{m.article, m.name}] = gk
		gr := groups[gk]
		if gr == nil {
			gr = &group{names: map[string]int{}}
			groups[gk] = gr
			groupOrder = append(groupOrder, gk)
		}
		if gr.names[m.name] == 0 {
			gr.order = append(gr.order, m.name)
		}
		gr.names[m.name]++
		if m.title != "" {
			gr.titles = appendUnique(gr.titles, m.title)
			gr.affs = appendUnique(gr.affs, g.ActorsIn(m.title)...)
		}
		if !isPersonName(m.name, g) {
			gr.affs = appendUnique(gr.affs, g.ActorsIn(m.name)...)
		}
	}

	groupKey := map[string]string{}
	for _, gk := range groupOrder {
		gr := groups[gk]
		best := gr.order[0]
		for _, n := range gr.order[1:] {
			bw, nw := len(strings.Fields(best)), len(strings.Fields(n))
			if nw > bw || (nw == bw && gr.names[n] > gr.names[best]) {
				best = n
			}
		}
		s := &Speaker{Key: foldName(best), Name: best, Titles: gr.titles, Affiliations: gr.affs}
		if old, dup := r.byKey[s.Key]; dup {
			s = old
		} else {
			r.byKey[s.Key] = s
			r.Speakers = append(r.Speakers, s)
		}
		for _, n := range gr.order {
			s.Aliases = appendUnique(s.Aliases, n)
		}
		groupKey[gk] = s.Key
	}
	sort.SliceStable(r.Speakers, func(i, j int) bool { return r.Speakers[i].Name < r.Speakers[j].Name })
	r.Rebuild()
	// A surname that several speakers share is resolved per article.
	for an, gk := range assign {
		r.local[an[0]+"\x00"+foldName(an[1])] = groupKey[gk]
	}
	return r
}

// keyIn returns the speaker key of a name as used in one article.
func (r *Registry) keyIn(article, name string) string {
	if k, ok := r.local[article+"\x00"+foldName(name)]; ok {
		return k
	}
	if k, ok := r.alias[foldName(name)]; ok {
		return k
	}
	if isPersonWords(name) {
		if ss := r.bySpelling(foldName(name)); len(ss) == 1 {
			return ss[0].Key
		}
	}
	return foldName(name)
}

// bySpelling finds the speakers with an alias that is the same name in
// another spelling or a fuller form ("Qureshi" ~ "Shah Mehmood Qureshi").
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

// isPersonWords: capitalized words only, no titles (a bare surname, say).
func isPersonWords(name string) bool {
	for _, w := range strings.Fields(name) {
		if !isNameWord(w) || titleWords[strings.ToLower(w)] {
			return false
		}
	}
	return name != ""
}

// Get returns a speaker by key.
func (r *Registry) Get(key string) (*Speaker, bool) {
	s, ok := r.byKey[key]
	return s, ok
}

// Resolve finds the speakers a user means by a name: any alias, a surname,
// or a near spelling. Exact matches win over partial ones.
func (r *Registry) Resolve(name string) []*Speaker {
	f := foldName(strings.TrimSpace(name))
	if f == "" {
		return nil
	}
	if k, ok := r.alias[f]; ok {
		return []*Speaker{r.byKey[k]}
	}
	var exact []*Speaker
	for _, s := range r.Speakers {
		for _, a := range s.Aliases {
			if foldName(a) == f {
				exact = append(exact, s)
				break
			}
		}
	}
	if len(exact) > 0 {
		return exact
	}
	if similar := r.bySpelling(f); len(similar) > 0 {
		return similar
	}
	// Part of a name ("Mehmood"), as a last resort.
	var partial []*Speaker
	for _, s := range r.Speakers {
		for _, a := range s.Aliases {
			if strings.Contains(foldName(a), f) {
				partial = append(partial, s)
				break
			}
		}
	}
	return partial
}

// Rebuild makes the lookup tables from Speakers (after reading them from JSON):
// a spelling that names one speaker only is an alias everywhere.
func (r *Registry) Rebuild() {
	r.byKey = map[string]*Speaker{}
	r.alias = map[string]string{}
	r.bySurname = map[string][]*Speaker{}
	owners := map[string][]string{}
	for _, s := range r.Speakers {
		r.byKey[s.Key] = s
		for _, a := range s.Aliases {
			f := foldName(a)
			sk := skeleton(lastWord(f))
			if list := r.bySurname[sk]; len(list) == 0 || list[len(list)-1] != s {
				r.bySurname[sk] = append(list, s)
			}
			if !containsString(owners[f], s.Key) {
				owners[f] = append(owners[f], s.Key)
			}
		}
	}
	for f, keys := range owners {
		if len(keys) == 1 {
			r.alias[f] = keys[0]
		}
	}
}

func containsInt(list []int, v int) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

func containsString(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// Clone copies the registry and its speakers, so that the copy can change
// while readers keep using the original.
func (r *Registry) Clone() *Registry {
	out := &Registry{Speakers: make([]*Speaker, len(r.Speakers))}
	for i, s := range r.Speakers {
		c := *s
		c.Aliases = append([]string(nil), s.Aliases...)
		c.Titles = append([]string(nil), s.Titles...)
		c.Affiliations = append([]string(nil), s.Affiliations...)
		out.Speakers[i] = &c
	}
	out.Rebuild()
	return out
}

// extend returns a copy of r with the speakers of new mentions: a name
// already known (under any spelling, or as the one speaker it can be) joins
// that speaker; others become new speakers. Known keys never change, so
// documents indexed earlier keep pointing at the right speaker.
func (r *Registry) extend(mentions []mention, g *Gazetteer) *Registry {
	out := r.Clone()
	fresh := buildRegistry(mentions, g)
	keyOf := map[string]string{} // fresh key → key in out
	for _, s := range fresh.Speakers {
		key := ""
		for _, a := range s.Aliases {
			if k, ok := out.alias[foldName(a)]; ok {
				key = k
				break
			}
		}
		if key == "" && isPersonWords(s.Name) {
			if ss := out.bySpelling(foldName(s.Name)); len(ss) == 1 {
				key = ss[0].Key
			}
		}
		if key == "" {
			if _, taken := out.byKey[s.Key]; taken {
				key = s.Key
			}
		}
		if old, ok := out.byKey[key]; ok {
			old.Aliases = appendUnique(old.Aliases, s.Aliases...)
			old.Titles = appendUnique(old.Titles, s.Titles...)
			old.Affiliations = appendUnique(old.Affiliations, s.Affiliations...)
		} else {
			c := *s
			c.Quotes = 0
			out.Speakers = append(out.Speakers, &c)
			out.byKey[c.Key] = &c
			key = c.Key
		}
		keyOf[s.Key] = key
	}
	sort.SliceStable(out.Speakers, func(i, j int) bool { return out.Speakers[i].Name < out.Speakers[j].Name })
	out.Rebuild()
	out.local = make(map[string]string, len(fresh.local))
	for k, v := range fresh.local {
		out.local[k] = keyOf[v]
	}
	return out
}
