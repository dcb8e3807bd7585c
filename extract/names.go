package extract

import (
	"strings"
	"unicode"

	"github.com/briefbot/briefbot/corpus"
)

// token is one white-space separated word of a paragraph's normalised text.
type token struct {
	core       string // the word without edge punctuation
	start, end int    // rune offsets of the whole token
	// brk is the punctuation after the word that ends a name (",", ":", ".").
	brk byte
	// quoteBefore/quoteAfter: a double quote touches the word.
	quoteBefore, quoteAfter bool
}

func tokenize(norm []rune, from, to int) []token {
	var out []token
	i := from
	for i < to {
		for i < to && unicode.IsSpace(norm[i]) {
			i++
		}
		if i >= to {
			break
		}
		j := i
		for j < to && !unicode.IsSpace(norm[j]) {
			j++
		}
		out = append(out, makeToken(norm, i, j))
		i = j
	}
	return out
}

func makeToken(norm []rune, i, j int) token {
	t := token{start: i, end: j}
	w := string(norm[i:j])
	t.quoteBefore = strings.HasPrefix(strings.TrimLeft(w, "(["), `"`)
	t.quoteAfter = strings.HasSuffix(strings.TrimRight(w, ",.;:!?)]"), `"`) || strings.HasSuffix(w, `"`)
	core := strings.TrimLeft(w, `"([`)
	trimmed := strings.TrimRight(core, `"),;:!?]`)
	switch rest := core[len(trimmed):]; {
	case strings.ContainsAny(rest, ",;"):
		t.brk = ','
	case strings.Contains(rest, ":"):
		t.brk = ':'
	case strings.ContainsAny(rest, "!?"):
		t.brk = '.'
	}
	if strings.HasSuffix(trimmed, ".") && !abbrevToken(trimmed) {
		trimmed = strings.TrimSuffix(trimmed, ".")
		t.brk = '.'
	}
	t.core = trimmed
	return t
}

func abbrevToken(w string) bool {
	lw := strings.ToLower(strings.TrimSuffix(w, "."))
	return titleWords[lw] || strings.Contains(lw, ".") || (len([]rune(lw)) == 1 && unicode.IsLetter([]rune(lw)[0]))
}

func isCapitalized(w string) bool {
	for _, r := range w {
		return unicode.IsUpper(r)
	}
	return false
}

// titleWords are words of titles, ranks and institutions: they describe a
// speaker but are not part of a person's name.
var titleWords = setOf(`foreign minister ministry prime president vice secretary general gen army chief
ambassador amb dr mr mrs ms fm pm defense defence state interior finance human rights special
assistant spokesman spokeswoman spokesperson senator sen rep gov governor king queen prince
sheikh supreme leader ayatollah pope judge justice chairman chair ceo director commander colonel
col lt major captain admiral marshal field deputy acting former permanent representative envoy
mayor premier chancellor information affairs staff official officials adviser advisor embassy
office department mission council government military police agency committee parliament
assembly court party statement spokesmen minister's president's house white central bank
national security forces force corps guard guards revolutionary islamic inter-services public
relations ispr media press united nations un nato eu european union commission team
de facto top senior junior external home affairs trade economic economy health education
economist analyst lawyer attorney professor researcher expert activist journalist editor author
writer scientist doctor historian columnist diplomat negotiator observer critic residents
witness witnesses sources source analysts experts critics`)

// connectors may stand inside a title ("Secretary of State", "Minister for Human Rights").
var connectors = setOf(`of for the and`)

// personRoles are titles that make a capitalized phrase a person, not a place.
var personRoles = setOf(`minister president secretary gen general ambassador amb dr mr mrs ms fm pm
senator sen rep gov governor king queen prince sheikh ayatollah pope judge chairman ceo director
commander colonel col lt major captain admiral marshal envoy mayor premier chancellor spokesman
spokeswoman spokesperson adviser advisor chief leader deputy`)

// notNames are capitalized words that begin sentences or name places, times
// and events rather than people.
var notNames = setOf(`the a an in on at during after before however this that these those it its
while although though since when if as but and or so for from to with by of moreover meanwhile
interestingly understandably first second third finally thus also yet still instead
january february march april may june july august september october november december
monday tuesday wednesday thursday friday saturday sunday east west north south middle gulf sea
strait province city charter war cold day week month year there here we i he she they you our
their his her my who what why how some many most all any each both several`)

func setOf(words string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(words) {
		m[w] = true
	}
	return m
}

// phrase is a run of capitalized and title words naming who said or did something.
type phrase struct {
	words []string
}

func (p phrase) String() string { return strings.Join(p.words, " ") }

// split separates the title ("Pakistani Foreign Minister") from the person's
// name ("Shah Mehmood Qureshi"): the name is the last run of words that are
// neither titles nor names the gazetteer knows.
func (p phrase) split(g *Gazetteer) (title, name string) {
	i := len(p.words)
	for i > 0 {
		w := p.words[i-1]
		lw := strings.ToLower(w)
		if titleWords[lw] || connectors[lw] || g.Known(w) || !isNameWord(w) {
			break
		}
		i--
	}
	// The title is the run of title words just before the name, so that in
	// "Zarif and Pakistani Foreign Minister Shah Mehmood Qureshi" it is
	// "Pakistani Foreign Minister".
	t := i
	for t > 0 {
		w := p.words[t-1]
		lw := strings.ToLower(w)
		if lw == "and" || !(titleWords[lw] || connectors[lw] || g.Known(w)) {
			break
		}
		t--
	}
	for t < i && connectors[strings.ToLower(p.words[t])] {
		t++
	}
	return strings.Join(p.words[t:i], " "), strings.Join(p.words[i:], " ")
}

// isNameWord: capitalized, or a lower-case particle of a name ("al-Muhandis").
func isNameWord(w string) bool {
	if isCapitalized(w) {
		return true
	}
	lw := strings.ToLower(w)
	for _, p := range []string{"al-", "el-", "bin", "ibn", "van", "von", "de", "da", "di", "du", "der", "le"} {
		if lw == p || (strings.HasSuffix(p, "-") && strings.HasPrefix(lw, p) && len(lw) > len(p)) {
			return true
		}
	}
	return false
}

func inPhrase(w string) bool {
	lw := strings.ToLower(w)
	return isNameWord(w) || titleWords[lw] || connectors[lw]
}

// phraseBefore collects the naming phrase that ends just before tokens[i],
// skipping an apposition set off by commas ("Pakistan, a key ally, abstained").
func phraseBefore(toks []token, i int) phrase {
	j := i - 1
	if j >= 0 && toks[j].brk == ',' {
		// Look for the comma that opens the apposition.
		for k := j - 1; k >= 0 && k >= j-15; k-- {
			if toks[k].brk == ',' {
				j = k
				break
			}
			if toks[k].brk != 0 || toks[k].quoteAfter || toks[k].quoteBefore {
				return phrase{}
			}
		}
		if toks[j].brk == ',' && j == i-1 {
			return phrase{}
		}
	}
	end := j + 1
	for j >= 0 && inPhrase(toks[j].core) && !toks[j].quoteAfter && (toks[j].brk == 0 || j == end-1) {
		j--
	}
	// "Diplomats in Norway urged": a place after a preposition is not the subject.
	if j >= 0 && locative[strings.ToLower(toks[j].core)] {
		return phrase{}
	}
	return trimPhrase(toks[j+1 : end])
}

// phraseAfter collects the naming phrase starting at tokens[i] ("said Raoof Hasan, ...").
func phraseAfter(toks []token, i int) phrase {
	for i < len(toks) && (toks[i].core == "the" || toks[i].core == "a" || toks[i].core == "an") {
		i++
	}
	j := i
	for j < len(toks) && inPhrase(toks[j].core) && !toks[j].quoteBefore {
		j++
		if toks[j-1].brk != 0 {
			break
		}
	}
	return trimPhrase(toks[i:j])
}

// trimPhrase drops connectors and sentence-opening words at the edges and
// rejects phrases with no capitalized word or role.
func trimPhrase(toks []token) phrase {
	var words []string
	for _, t := range toks {
		words = append(words, strings.TrimSuffix(t.core, "'s"))
	}
	for len(words) > 0 && (connectors[strings.ToLower(words[0])] || notNames[strings.ToLower(words[0])]) {
		words = words[1:]
	}
	for len(words) > 0 && connectors[strings.ToLower(words[len(words)-1])] {
		words = words[:len(words)-1]
	}
	hasCap := false
	for _, w := range words {
		if isCapitalized(w) || personRoles[strings.ToLower(w)] {
			hasCap = true
		}
	}
	if !hasCap {
		return phrase{}
	}
	return phrase{words: words}
}

// person is a name found in a sentence, with the title before it.
type person struct{ name, title string }

// peopleIn returns the phrases in a sentence that name people: with a
// personal title, or of two or more name words, or a name already known as
// a speaker. Quoted words are skipped.
func peopleIn(toks []token, g *Gazetteer, known func(string) bool) []person {
	var out []person
	inQuote := false
	for i := 0; i < len(toks); {
		if toks[i].quoteBefore {
			inQuote = true
		}
		if inQuote || !inPhrase(toks[i].core) {
			if toks[i].quoteAfter {
				inQuote = false
			}
			i++
			continue
		}
		j := i
		for j < len(toks) && inPhrase(toks[j].core) && !toks[j].quoteBefore {
			j++
			if toks[j-1].brk != 0 || toks[j-1].quoteAfter {
				break
			}
		}
		p := trimPhrase(toks[i:j])
		i = j
		if len(p.words) == 0 {
			continue
		}
		title, name := p.split(g)
		if name == "" || notNames[strings.ToLower(strings.Fields(name)[0])] {
			continue
		}
		hasRole := false
		for _, w := range strings.Fields(title) {
			if personRoles[strings.ToLower(w)] {
				hasRole = true
			}
		}
		if hasRole || len(strings.Fields(name)) >= 2 || known(name) {
			out = append(out, person{name, title})
		}
	}
	return out
}

// personIn returns the first person named in a sentence, or "".
func personIn(toks []token, g *Gazetteer, known func(string) bool) string {
	if ps := peopleIn(toks, g, known); len(ps) > 0 {
		return ps[0].name
	}
	return ""
}

// foldName is the comparison key of a name: folded, without possessive.
func foldName(s string) string {
	return corpus.Fold(strings.TrimSuffix(corpus.Normalize(s), "'s"))
}
