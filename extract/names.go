package extract

import (
	"strings"
	"unicode"

	"github.com/briefbot/briefbot/corpus"
)

// titleWords describe a speaker without naming them: ranks, roles and the
// heads of institutions' names. In "Pakistani Foreign Minister Shah Mehmood
// Qureshi" they are the title; a phrase made only of them ("White House",
// "Wall Street Journal", "Foreign Office") names an institution.
var titleWords = setOf(`foreign minister ministry prime president vice secretary general attorney army chief
ambassador envoy fm pm defense defence state interior finance justice treasury commerce labor labour
assistant spokesman spokeswoman spokesperson senator representative congressman congresswoman
governor lieutenant king queen prince princess sheikh supreme leader ayatollah pope judge chairman
chairwoman chair ceo cfo founder director commander colonel major captain admiral marshal field
sergeant officer deputy acting former permanent mayor premier chancellor speaker whip majority minority
information affairs staff official officials adviser advisor aide aides strategist manager
embassy office department mission council government military police agency committee parliament
assembly court party statement spokesmen house white central bank national security forces force
corps guard guards revolutionary media press united nations un nato eu european union commission
team de facto top senior junior external home trade economic economy health education
economist analyst lawyer professor researcher expert activist journalist editor author writer
scientist doctor historian columnist diplomat negotiator observer critic residents witness witnesses
sources source analysts experts critics host anchor correspondent reporter candidate nominee
journal times post tribune herald network channel show magazine newspaper company corporation corp inc
group institute university college school foundation association society organization organisation
fund board authority administration bureau service services congress senate campaign coalition
alliance federation league club church hospital center centre program programme project report memo
letter website street road avenue city county province district region republic kingdom island
islands fort mount lake port bay county`)

// personRoles are titles that make the name after them a person's.
var personRoles = setOf(`minister president secretary general attorney ambassador envoy fm pm senator
representative congressman congresswoman governor lieutenant king queen prince princess sheikh ayatollah
pope judge chairman chairwoman chair ceo cfo founder director commander colonel major captain admiral
marshal sergeant officer deputy mayor premier chancellor speaker whip spokesman spokeswoman spokesperson
adviser advisor aide strategist manager chief leader economist analyst lawyer professor researcher
activist journalist editor author writer scientist doctor historian columnist diplomat negotiator
host anchor correspondent reporter candidate nominee steward`)

// connectors may stand inside a title ("Secretary of State", "Minister for Human Rights").
var connectors = setOf(`of for the and`)

// particles are lower-case parts of names ("Ursula von der Leyen", "al-Muhandis").
func particle(w string) bool {
	lw := strings.ToLower(w)
	switch lw {
	case "bin", "ibn", "van", "von", "de", "da", "di", "du", "der", "le", "la", "del", "dos", "das", "ter", "ten":
		return true
	}
	for _, p := range []string{"al-", "el-", "bin-", "abu-"} {
		if strings.HasPrefix(lw, p) && len(lw) > len(p) {
			return true
		}
	}
	return false
}

func setOf(words string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(words) {
		m[w] = true
	}
	return m
}

// evidence is how an article writes each word: capitalised in the middle
// of a sentence (a name, or part of one), or in lower case (a common word).
// A capital at the start of a sentence is a name's only when the article
// also writes the word so elsewhere: "Now Melania" keeps "Melania" only.
type evidence struct {
	capMid map[string]int
	lower  map[string]int
	g      *Gazetteer
}

func newEvidence(g *Gazetteer) *evidence {
	return &evidence{capMid: map[string]int{}, lower: map[string]int{}, g: g}
}

func (ev *evidence) add(toks []token) {
	for _, t := range toks {
		switch {
		case !hasLetter(t.core):
		case startsLower(t.core):
			ev.lower[t.lower]++
		case !t.initial && !allCaps(t.core):
			ev.capMid[t.lower]++
		}
	}
}

// headingLike: a line set in title case or capitals (a headline, a
// section heading, a list of links), which says nothing about names.
func headingLike(toks []token) bool {
	content, capital, letters := 0, 0, 0
	for _, t := range toks {
		if !hasLetter(t.core) {
			continue
		}
		letters++
		if allCaps(t.core) {
			capital++
			content++
			continue
		}
		if len([]rune(t.core)) < 4 || functionWords[t.lower] {
			continue
		}
		content++
		if isCapitalized(t.core) {
			capital++
		}
	}
	return letters >= 3 && content >= 3 && capital*10 >= content*8
}

// nameish: a word that can be part of a name: capitalised, an initial, a
// particle, or a suffix such as "Jr.".
func nameish(t token) bool {
	return (isCapitalized(t.core) && hasLetter(t.core)) || particle(t.core)
}

// nameWord: a word this article uses as (part of) a name here.
func (ev *evidence) nameWord(t token) bool {
	if !nameish(t) || t.lower == "i" || weekdayWord(t.core) {
		return false // "on Monday": a day, never a person
	}
	if particle(t.core) && !isCapitalized(t.core) {
		return true
	}
	if ev.g.Known(t.core) {
		return true // a place the gazetteer knows ("US")
	}
	if allCaps(t.core) {
		// An acronym ("NATO"); a long word or a function word in capitals
		// belongs to a heading ("CONGRESS HAS INVESTIGATED HIM").
		return len(t.core) <= 6 && !functionWords[t.lower]
	}
	if functionWords[t.lower] || (t.initial && introducers[t.lower]) {
		// "Now Melania", "Should Mr. Clarke": a name only when the article
		// writes the word so in the middle of its sentences.
		return !t.initial && ev.capMid[t.lower] > 0 && ev.capMid[t.lower] >= ev.lower[t.lower]
	}
	if t.initial {
		// At a sentence's start, a word the article otherwise writes in
		// lower case is a common word.
		return ev.lower[t.lower] <= ev.capMid[t.lower]
	}
	return true
}

func titleWord(t token) bool {
	lw := strings.TrimSuffix(t.lower, ".")
	return titleWords[lw] || honorifics[lw] || (strings.HasSuffix(lw, "s") && titleWords[strings.TrimSuffix(lw, "s")])
}

func personRole(w string) bool {
	lw := strings.TrimSuffix(strings.ToLower(w), ".")
	return personRoles[lw] || honorifics[lw] || (strings.HasSuffix(lw, "s") && personRoles[strings.TrimSuffix(lw, "s")])
}

// partyTag: "(R-Ohio)", "R-Wis.", "(Vt.)", "D-N.J.": a legislator's party
// and state after the name, not part of it.
func partyTag(t token) bool {
	c := t.core
	if len(c) >= 3 && strings.ContainsRune("RDI", rune(c[0])) && c[1] == '-' && unicode.IsUpper(rune(c[2])) {
		return true
	}
	if t.parenBefore && t.parenAfter && strings.HasSuffix(c, ".") && len(c) <= 6 && isCapitalized(c) {
		return true // "(Vt.)"
	}
	return false
}

// ageTag: ", 25," after a name.
func ageTag(t token) bool {
	if t.core == "" || len(t.core) > 3 {
		return false
	}
	for _, r := range t.core {
		if !unicode.IsDigit(r) {
			return false
		}
	}
	return true
}

// name is a naming phrase read from the text.
type name struct {
	// text is the person's or institution's name as written (titles apart).
	text string
	// title is what the text calls them ("Foreign Ministry spokesman").
	title string
	// person: the phrase names a person (a personal title, or name words
	// only), not an institution, place or work.
	person bool
	// pronoun is set instead of text for "he", "she", "they", "it".
	pronoun string
	// nominal is a description without a name ("a spokeswoman", "the
	// campaign", "officials").
	nominal string
	first   int // the index of the phrase's first token
	last    int // for a name read forwards, the index after its last token
	// at is a pronoun's rune offset in its paragraph: it stands for
	// someone named before it, never for a name later in its sentence.
	at int
}

func (n name) empty() bool { return n.text == "" && n.pronoun == "" && n.nominal == "" }

// phraseName turns a run of tokens into a name: the last run of name words
// is the name, the title words before it the title; a run of title words
// alone (or with a place) names an institution.
func phraseName(toks []token, ev *evidence, g *Gazetteer) name {
	// Edges: connectors and words that are not names start no phrase.
	for len(toks) > 0 && (connectors[toks[0].lower] || (!ev.nameWord(toks[0]) && !titleWord(toks[0]))) {
		toks = toks[1:]
	}
	for len(toks) > 0 && (connectors[toks[len(toks)-1].lower] || partyTag(toks[len(toks)-1]) || ageTag(toks[len(toks)-1])) {
		toks = toks[:len(toks)-1]
	}
	if len(toks) == 0 || len(toks) == 1 && calendarWord(toks[0].core) {
		return name{} // "in March": a month alone names no one
	}
	// "Foreign Minister Lena Varga of Norway": the place after the name is
	// part of the title, not the name.
	for o := len(toks) - 2; o >= 2; o-- {
		if toks[o].lower != "of" {
			continue
		}
		place := toks[o+1:]
		if len(place) > 0 && place[0].lower == "the" {
			place = place[1:]
		}
		if len(place) > 0 && g.Known(joinCores(place)) && ev.nameWord(toks[o-1]) && !titleWord(toks[o-1]) {
			if n := phraseName(toks[:o], ev, g); n.person {
				n.title = strings.TrimSpace(n.title + " of " + joinCores(place))
				return n
			}
		}
		break
	}
	i := len(toks)
	for i > 0 {
		t := toks[i-1]
		if titleWord(t) || connectors[t.lower] || g.Known(t.core) || !(ev.nameWord(t) || particle(t.core)) {
			break
		}
		i--
	}
	t := i
	for t > 0 {
		w := toks[t-1]
		if w.lower == "and" || !(titleWord(w) || connectors[w.lower] || g.Known(w.core) || (ev.nameWord(w) && t < i)) {
			break
		}
		t--
	}
	for t < i && connectors[toks[t].lower] {
		t++
	}
	words := func(ts []token) []string {
		var out []string
		for _, x := range ts {
			out = append(out, x.core)
		}
		return out
	}
	nameWords := words(toks[i:])
	titleText := strings.Join(words(toks[t:i]), " ")
	hasRole := false
	for _, w := range toks[t:i] {
		if personRole(w.core) {
			hasRole = true
		}
	}
	n := name{first: 0}
	switch {
	case len(nameWords) == 0:
		// Only title and place words: an institution ("the White House").
		n.text = strings.Join(words(toks[t:]), " ")
		if !hasCapital(n.text) {
			return name{}
		}
	case len(nameWords) == 1 && !hasRole && i > t:
		// "Fort Myers", "State Department": a place or institution.
		n.text = strings.Join(words(toks[t:]), " ")
	default:
		n.text, n.title = strings.Join(nameWords, " "), titleText
		n.person = hasRole || len(nameWords) <= 4
		for _, w := range toks[i:] {
			if g.Known(w.core) {
				n.person = false
			}
		}
	}
	return n
}

func hasCapital(s string) bool {
	for _, r := range s {
		if unicode.IsUpper(r) {
			return true
		}
	}
	return false
}

// pronounOf: "he", "she", "they", "it" (and "I", "we" in quotations).
func pronounOf(t token) string {
	switch t.lower {
	case "he", "she", "they", "it":
		return t.lower
	}
	return ""
}

// inName: a token a naming phrase may hold.
func inName(t token, ev *evidence) bool {
	return ev.nameWord(t) || titleWord(t) || connectors[t.lower] || particle(t.core) || partyTag(t)
}

// nameBefore reads the naming phrase that ends just before toks[j+1]: the
// subject of a verb at j+1. It steps over an apposition set off by commas
// ("Flynn, a top Trump surrogate, said"), an age (", 25,") and a party tag
// ("Rep. Jim Jordan (R-Ohio), an oversight panel member, said").
func nameBefore(toks []token, j int, ev *evidence, g *Gazetteer) name {
	if j < 0 {
		return name{}
	}
	if p := pronounOf(toks[j]); p != "" && (j == 0 || toks[j-1].brk != 0 || toks[j-1].quoteAfter || !inName(toks[j-1], ev)) {
		return name{pronoun: p, first: j, at: toks[j].start}
	}
	if toks[j].brk == ',' {
		// An apposition: find the comma that opens it.
		k := j - 1
		for ; k >= 0 && j-k <= 20; k-- {
			if toks[k].quoteAfter || toks[k].brk == '.' || toks[k].brk == ':' || toks[k].dash {
				return name{}
			}
			if toks[k].brk == ',' {
				break
			}
		}
		if k < 0 || j-k > 20 {
			return name{}
		}
		// "His former business partner, Lawrence B. Cummings, called": the
		// apposition is the name.
		if seg := toks[k+1 : j+1]; inNameAll(seg, ev) {
			if n := phraseName(seg, ev, g); n.person && strings.Contains(n.text, " ") {
				n.first = k + 1
				return n
			}
		}
		j = k
	}
	for j >= 0 && (partyTag(toks[j]) || ageTag(toks[j])) {
		j--
		// "Paul Ryan, R-Wis.," and "Quina Jones, 25,": the name before the tag.
		if j >= 0 && toks[j].brk == ',' && !partyTag(toks[j]) {
			break
		}
	}
	if j < 0 {
		return name{}
	}
	end := j + 1
	k := j
	for k >= 0 && inName(toks[k], ev) && !toks[k].quoteAfter && !toks[k].dash && (toks[k].brk == 0 || k == end-1 || partyTag(toks[k])) {
		if k < end-1 && toks[k].quoteBefore {
			k--
			break
		}
		k--
	}
	// "Diplomats in Norway urged": a place after a preposition is not the subject.
	if k >= 0 && locative[toks[k].lower] {
		return name{}
	}
	n := phraseName(toks[k+1:end], ev, g)
	n.first = k + 1
	if n.text == "" {
		if nom := nominalBefore(toks, j, end, ev); nom != "" {
			return name{nominal: nom, first: end - len(strings.Fields(nom))} // one word per token
		}
	}
	return n
}

// nominalBefore reads a description ending at toks[j] that begins with a
// determiner or a plural noun: "a narrator in the Clinton ad", "the
// campaign", "officials". It keeps at most twelve words ("the former
// secretary of state and current Democratic presidential nominee").
func nominalBefore(toks []token, j, end int, ev *evidence) string {
	for k := j; k >= 0 && j-k < 12; k-- {
		t := toks[k]
		if k < j && (t.brk != 0 || t.quoteAfter || t.dash) {
			return ""
		}
		if t.quoteBefore && k < j {
			return ""
		}
		if startsLower(t.core) && (strings.HasSuffix(t.lower, "ly") || strings.HasSuffix(t.lower, "ing") || strings.HasSuffix(t.lower, "ed")) {
			return "" // a verb or an adverb: not a description
		}
		if k < j && startsLower(t.core) && (isSpeechVerb(t.core) && pastForm(t.lower) || t.lower == "was" || t.lower == "is" || t.lower == "were" || t.lower == "are") {
			return "" // "the brief said that was not her view and dismissed": a clause, not a description
		}
		switch t.lower {
		case "a", "an", "the", "one", "another":
			if k < j {
				ws := toks[k+1 : end]
				// A description is of a role ("a spokeswoman", "the campaign
				// manager"), or holds a name ("a narrator in the Clinton ad").
				role := false
				for _, w := range ws {
					if titleWord(w) || isCapitalized(w.core) {
						role = true
					}
				}
				// "the billionaire", "the 70-year-old": a definite
				// epithet, which may stand for someone just named.
				if last := ws[len(ws)-1]; t.lower == "the" && startsLower(last.core) && !functionWords[last.lower] {
					role = true
				}
				if !role {
					return ""
				}
				if t.lower == "the" {
					ws = toks[k:end] // definite: it may refer to someone named ("the senator")
				}
				return joinCores(ws)
			}
		}
		if k == j && strings.HasSuffix(t.lower, "s") && (titleWords[strings.TrimSuffix(t.lower, "s")] || (t.initial && !functionWords[t.lower] && len(t.lower) > 4)) {
			return t.core // "officials", "analysts", "Demonstrators said"
		}
		if k < j && t.possessive && isCapitalized(t.core) && startsLower(toks[j].core) {
			// "Scott's family", "Clinton's campaign": the possessor's group.
			from := k
			for from > 0 && inName(toks[from-1], ev) && toks[from-1].brk == 0 && isCapitalized(toks[from-1].core) {
				from--
			}
			return joinCores(toks[from:end])
		}
	}
	return ""
}

func joinCores(toks []token) string {
	var ws []string
	for _, t := range toks {
		w := t.core
		if t.possessive {
			w += "'s"
		}
		ws = append(ws, w)
	}
	return strings.Join(ws, " ")
}

// nameAfter reads the naming phrase that begins at toks[i]: "said Raoof
// Hasan", "— Christina N Luis Olidem", "according to the IMF", "said union
// steward Kari Moe" (a lower-case description, then the name).
func nameAfter(toks []token, i int, ev *evidence, g *Gazetteer) name {
	start := i
	for i < len(toks) && (toks[i].lower == "the" || toks[i].lower == "a" || toks[i].lower == "an") && !toks[i].quoteBefore {
		i++
	}
	if i >= len(toks) {
		return name{}
	}
	if p := pronounOf(toks[i]); p != "" {
		return name{pronoun: p, first: i, at: toks[i].start}
	}
	j := i
	for j < len(toks) && (inName(toks[j], ev) || (j > i && nameish(toks[j]))) && !toks[j].quoteBefore && !toks[j].dash {
		if (toks[j].lower == "of" || toks[j].lower == "for" || toks[j].lower == "at") && j > i {
			// "Del. Stacey Plaskett of the Virgin Islands", "Cameron Easley
			// for Morning Consult": the person, not where they are from.
			if p := phraseName(toks[i:j], ev, g); p.person {
				break
			}
		}
		j++
		if partyTag(toks[j-1]) || (toks[j-1].brk != 0) {
			break
		}
	}
	n := phraseName(toks[i:j], ev, g)
	n.first, n.last = i, j
	if n.text != "" {
		return n
	}
	// A description in lower case before the name: it becomes the title.
	for k := i; k < len(toks) && k < i+5; k++ {
		t := toks[k]
		if k == i && nameish(t) {
			break // the phrase at i was read above and names no one
		}
		if nameish(t) && !t.initial && k > i {
			m := nameAfter(toks, k, ev, g)
			if m.text == "" || !m.person {
				return name{}
			}
			m.title = strings.TrimSpace(joinCores(toks[i:k]) + " " + m.title)
			m.first = i
			return m
		}
		if !(startsLower(t.core) || strings.IndexFunc(t.core, unicode.IsDigit) == 0) || t.brk != 0 || functionWords[t.lower] || t.quoteBefore {
			break // "said 9/11 widow Terry Strada" keeps its number
		}
	}
	// Or a description alone: "said a spokeswoman for the campaign".
	var ws []string
	for k := i; k < len(toks) && k < i+8; k++ {
		if toks[k].quoteBefore || toks[k].dash || verbAt(toks, k, speechLemmas, g) || auxiliaryWords[toks[k].lower] {
			break
		}
		ws = append(ws, toks[k].core)
		if toks[k].brk != 0 {
			break
		}
	}
	if len(ws) > 0 && i > start && describesSpeaker(ws) {
		return name{nominal: strings.Join(ws, " "), first: i}
	}
	return name{}
}

// describesSpeaker: a description names a role or a document ("a
// spokeswoman for the campaign", "the mildly worded statement").
func describesSpeaker(ws []string) bool {
	for _, w := range ws {
		lw := strings.ToLower(strings.Trim(w, ",.'"))
		if personRole(lw) || documentNouns[lw] {
			return true
		}
	}
	return false
}

// locative prepositions put an actor in a place, not in the subject.
var locative = setOf(`in at to with against from on over between toward towards into across`)

// introducers begin a sentence with a phrase before its subject, ended
// by a comma: "In an interview with Fox, Ham said", "Though it was
// seamless, he said".
var introducers = setOf(`in on at during after before since following despite amid with without for
from under over by as while when whereas though although if once unless until because according
meanwhile however earlier later also still instead yet then now today yesterday last this
speaking asked pressed told`)

// subject finds the subject of a sentence: the naming phrase before its
// first verb, after an introductory phrase. verb is the verb's index.
func subject(toks []token, ev *evidence, g *Gazetteer) (n name, verb int) {
	i := 0
	participle := len(toks) > 0 && (strings.HasSuffix(toks[0].lower, "ing") || strings.HasSuffix(toks[0].lower, "ed")) && len(toks[0].lower) > 5
	if len(toks) > 0 && (introducers[toks[0].lower] || participle) {
		for k := 0; k < len(toks) && k < 25; k++ {
			if toks[k].brk == ',' {
				i = k + 1
				break
			}
			// A work's name may stand in it ('On "Face the Nation," Sanders').
			if toks[k].brk == '.' {
				break
			}
		}
	}
	for ; i < len(toks) && toks[i].quoteBefore; i++ {
		// A sentence that opens with a quotation has its subject later.
		for i < len(toks) && !toks[i].quoteAfter {
			i++
		}
		if i+1 < len(toks) && toks[i].brk == ',' {
			continue
		}
		return name{}, -1
	}
	// The subject runs to the first lower-case word that is not part of a
	// title or a description ("Pakistani Foreign Minister Shah Mehmood
	// Qureshi has", "Ivanka Trump acknowledged", "Clinton's campaign is"),
	// over a phrase set off by commas ("The FO statement, in a somewhat
	// encrypted manner, reiterated") or a place ("The Foreign Office in its
	// statement worried").
	end := i // where the subject's words end (exclusive)
	for v := i; v < len(toks) && v < i+40; v++ {
		t := toks[v]
		if t.quoteBefore && v > i {
			return name{}, -1
		}
		if v > i && toks[v-1].brk == ',' && v-1 >= i && (locative[t.lower] || introducers[t.lower] || determiners[t.lower] || t.lower == "who" || t.lower == "which") {
			// A parenthesis: skip to its closing comma.
			k := v
			// ("Christie, who has campaigned heavily for GOP nominee Donald
			// Trump since he suspended his own campaign in February, blasted").
			for k < len(toks) && k < v+30 && toks[k].brk != ',' && toks[k].brk != '.' && !toks[k].quoteBefore {
				k++
			}
			if k < len(toks) && toks[k].brk == ',' {
				if end <= i {
					end = v
				}
				v = k
				continue
			}
		}
		if v > i && locative[t.lower] && end <= i {
			end = v // a place or a means after the subject: "in its statement"
		}
		if v > i && startsLower(t.core) && !connectors[t.lower] && !particle(t.core) && !titleWords[t.lower] {
			if auxiliaryWords[t.lower] || verbAt(toks, v, speechLemmas, g) || verbAt(toks, v, positionVerbs, g) || looksVerb(toks, v) {
				// "His former business partner at Lenox, Lawrence B. Cummings,
				// called": a name set off by commas before the verb.
				if full := nameBefore(toks[:v], v-1, ev, g); full.person && toks[v-1].brk == ',' {
					return full, v
				}
				if end <= i {
					end = v
				}
				sub := toks[:end]
				last := end - 1
				if last >= 0 && sub[last].brk == ',' && end != v {
					// The subject's own comma opened the parenthesis.
					c := sub[last]
					c.brk = 0
					sub = append(append([]token(nil), sub[:last]...), c)
				}
				n := nameBefore(sub, last, ev, g)
				return n, v
			}
			// "the campaign manager of Mr. Trump said" and the like: a
			// description; let the name before the verb decide.
			if functionWords[t.lower] && !auxiliaryWords[t.lower] {
				continue
			}
		}
		if t.brk == '.' {
			break
		}
	}
	return name{}, -1
}

// looksVerb: toks[v] has a verb's form: a past (-ed, or irregular), or
// after a name or a pronoun a present (-s); "-ing" after an auxiliary.
func looksVerb(toks []token, v int) bool {
	w := toks[v].lower
	if _, ok := irregular[w]; ok {
		return true
	}
	if len(w) <= 3 {
		return false
	}
	prev := token{}
	if v > 0 {
		prev = toks[v-1]
	}
	switch {
	case strings.HasSuffix(w, "ed"):
		return true
	case strings.HasSuffix(w, "ing"):
		return auxiliaryWords[prev.lower]
	case strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss"):
		return (isCapitalized(prev.core) && !prev.possessive) || pronounOf(prev) != ""
	}
	return false
}

// foldName is the comparison key of a name: folded, without possessive.
func foldName(s string) string {
	return corpus.Fold(strings.TrimSuffix(corpus.Normalize(s), "'s"))
}
