package extract

import (
	"cmp"
	"slices"
	"strings"
	"unicode"

	"github.com/briefbot/briefbot/corpus"
)

// Position is a stand someone takes in a paragraph: who, what kind of
// stand the words state, and those words.
type Position struct {
	// Holder is the name key of who takes it (see Registry), or an actor
	// key from the gazetteer ("pakistan" for "Islamabad says").
	Holder string `json:"h"`
	// Kind is what the words state (see the Kind constants).
	Kind string `json:"k"`
	// Words are the verbatim words that state it ("will not take sides",
	// "called for talks"); empty for a plain quotation.
	Words string `json:"w,omitempty"`
	// At and End are the rune offsets of Words in the paragraph (or of
	// the quotation, for a plain one), so a snippet can keep them.
	At  int `json:"a"`
	End int `json:"e"`
	// Via says how the holder was found: "subject" (the clause's subject
	// names it), "pronoun", "description" ("the senator"), "representative"
	// ("the Trump campaign", "Pakistani officials"), or "quote" (a
	// quotation attributed to it).
	Via string `json:"v"`
	// Aside: the position is told in a clause of someone else's sentence
	// ("Her call came after Trump attacked Machado", "she pointed to
	// reports that Trump called"): narrated as circumstance, less surely
	// a position the holder states.
	Aside bool `json:"s,omitempty"`
}

// Kinds of position, from the verb that states them and its negation.
const (
	Supports  = "supports"
	Opposes   = "opposes"
	Condemns  = "condemns"
	Neutral   = "neutral"
	CallsFor  = "calls for"
	Offers    = "offers"
	Concern   = "concern"
	Denies    = "denies"
	Other     = "other"
	Statement = "statement"
)

// Kinds lists the kinds in the order summaries show them when counts tie.
var Kinds = []string{Supports, Opposes, Condemns, Neutral, CallsFor, Offers, Concern, Denies, Other, Statement}

// kindLemmas are the verbs of position by the kind they state. A verb
// names a kind by what it means, so this is a lexicon, not a rule; every
// inflection of each is found by lemmas().
var kindLemmas = func() map[string]string {
	out := map[string]string{}
	for kind, words := range map[string]string{
		Supports: `support back endorse favor favour welcome praise hail laud applaud defend champion embrace
			approve commend thank congratulate compliment agree side`,
		Opposes: `oppose reject resist criticize criticise attack slam blast hammer assail lambaste fault
			question challenge dispute accuse blame mock ridicule veto block fight rebuke scold disparage insult
			deride berate knock shame protest object disagree`,
		Condemns: `condemn denounce decry deplore censure`,
		Neutral:  `abstain refrain`,
		CallsFor: `urge demand appeal press push seek propose recommend plead request implore`,
		Offers:   `offer pledge promise vow commit mediate volunteer`,
		Concern:  `warn caution worry fear fret lament`,
		Denies:   `deny refute rebut dismiss contradict`,
		Statement: `say tell state add note explain argue assert claim contend maintain insist suggest write
			tweet post predict acknowledge admit concede declare describe cite recall reiterate stress emphasize
			emphasise remind speak respond reply answer call ask think believe testify charge complain`,
		Other: `announce vote sign plan want decline refuse threaten avoid sanction ban reveal take express
			voice show extend renew signal`,
	} {
		for _, w := range strings.Fields(words) {
			out[w] = kind
		}
	}
	return out
}()

// positionVerbs are all the verbs above, as a lemma set.
var positionVerbs = func() map[string]bool {
	out := map[string]bool{}
	for w := range kindLemmas {
		out[w] = true
	}
	return out
}()

// nounKinds are the nouns a light verb ("expressed concern", "voiced
// support", "offered its backing") takes its kind from.
var nounKinds = map[string]string{
	"concern": Concern, "concerns": Concern, "worry": Concern, "alarm": Concern, "fear": Concern, "fears": Concern,
	"regret": Concern, "dismay": Concern, "support": Supports, "backing": Supports, "solidarity": Supports,
	"approval": Supports, "opposition": Opposes, "objection": Opposes, "objections": Opposes,
	"disapproval": Opposes, "condemnation": Condemns, "neutrality": Neutral,
}

// lightVerbs take their kind from the noun after them.
var lightVerbs = setOf(`express voice show offer extend renew signal reiterate register`)

// kindOf is the lemma of a verb of position and its kind.
func kindOf(w string) (lemma, kind string) {
	for _, l := range lemmas(w) {
		if k, ok := kindLemmas[l]; ok {
			return l, k
		}
	}
	return "", ""
}

// negated is the kind a negated verb states: not supporting is opposing,
// not condemning (or refusing to) is holding back, and the rest is other.
func negated(kind string) string {
	switch kind {
	case Supports:
		return Opposes
	case Opposes, Condemns, Neutral:
		return Neutral
	}
	return Other
}

// isNegation: "not", "never", "didn't", "won't".
func isNegation(t token) bool {
	return t.lower == "not" || t.lower == "never" || strings.HasSuffix(t.lower, "n't")
}

// stated reads the kind of position the verb at toks[i] states, and the
// token range [from, to] of the words that state it: the auxiliaries and
// negation before the verb, the verb, and its particle and first words
// after ("will not take sides", "called for a ceasefire", "refrained from
// condemning").
func stated(toks []token, i, from int) (kind string, to int) {
	kind, to = statedCore(toks, i, from)
	if kind == "" {
		return "", i
	}
	if kind == Statement {
		return kind, to // what was said is the quotation or the clause after
	}
	// The first words after the verb say what it is about: its object's
	// noun phrase ("urged restraint", "condemned the attack", "backed
	// Donald Trump's presidential campaign", "abstained from voting"), up
	// to a clause break; four words at most.
	inPhrase, end := false, to
	for n := 0; n < 5; n++ {
		t, ok := following(toks, to+1)
		if !ok || clauseWords[t.lower] || t.dash || timeWords[t.lower] || calendarWord(t.core) {
			break
		}
		content := !functionWords[t.lower] && !(startsLower(t.core) && strings.HasSuffix(t.lower, "ly"))
		if inPhrase && !content {
			break
		}
		to++
		if content && !inPhrase && toks[to-1].lower == "to" && startsLower(t.core) {
			end = to // an infinitive: its object follows ("vowed to block the bill")
			continue
		}
		if content {
			inPhrase, end = true, to
			if t.brk != 0 {
				break
			}
			// A name is taken whole: "between the United States".
			for isCapitalized(toks[end].core) && !toks[end].possessive {
				nx, ok := following(toks, end+1)
				if !ok || !isCapitalized(nx.core) {
					break
				}
				end++
			}
			to = end
		}
	}
	return kind, end // never ending on "on" or "the"
}

// timeWords open a time adverbial ("abstained last week"), not what the
// verb is about.
var timeWords = setOf(`last next yesterday today tomorrow tonight earlier later recently again`)

// clauseWords open a clause of their own after a verb's first words.
var clauseWords = setOf(`that and but which who if as because when while why how what whether`)

// following is toks[k] when it goes on from toks[k-1] in one phrase: no
// punctuation or quotation mark between them.
func following(toks []token, k int) (token, bool) {
	if k < len(toks) && toks[k-1].brk == 0 && !toks[k-1].quoteAfter && !toks[k].quoteBefore {
		return toks[k], true
	}
	return token{}, false
}

// statedCore is stated without the words after the verb's particle.
func statedCore(toks []token, i, from int) (kind string, to int) {
	lemma, kind := kindOf(toks[i].lower)
	neg := false
	for k := from; k < i; k++ {
		if isNegation(toks[k]) {
			neg = true
		}
	}
	next := func(k int) (token, bool) { return following(toks, k) }
	if t, ok := next(i + 1); ok && t.lower == "no" {
		if kind == Offers {
			return "", i // "offered no proof": what was not given, the narrator's remark, no position
		}
		neg = true // "expressed no concern"
	}
	to = i
	switch lemma {
	case "call", "ask":
		if t, ok := next(i + 1); ok && (t.lower == "for" || t.lower == "on") {
			kind, to = CallsFor, i+1
		} else if lemma == "ask" {
			// "asked Congress to act": a request.
			for k := i + 1; k <= i+4 && k < len(toks); k++ {
				if t, ok := next(k); !ok {
					break
				} else if t.lower == "to" {
					kind, to = CallsFor, k
					break
				}
			}
		}
	case "take":
		if t, ok := next(i + 1); ok && (t.lower == "sides" || t.lower == "side") {
			kind, to = Supports, i+1
			if neg {
				kind, neg = Neutral, false // not taking sides is neutrality, not opposition
			}
		} else {
			return "", i
		}
	case "refuse", "decline", "refrain", "avoid", "abstain":
		// "refused to condemn", "refrained from condemning", "avoided taking
		// sides": holding back from what the next verb states.
		k := i + 1
		if t, ok := next(k); ok && (t.lower == "to" || t.lower == "from") {
			k++
		}
		if t, ok := next(k); ok && startsLower(t.core) {
			if inner, end := statedCore(toks, k, k); inner != "" && inner != Other {
				kind, to, neg = negated(inner), end, false
			}
		}
	}
	if lightVerbs[lemma] {
		for k := i + 1; k <= i+4; k++ {
			t, ok := next(k)
			if !ok {
				break
			}
			if nk, ok := nounKinds[t.lower]; ok {
				kind, to = nk, k
				break
			}
		}
	}
	if kind == "" {
		return "", i
	}
	if neg {
		kind = negated(kind)
	}
	return kind, to
}

// wordsOf is the verbatim text of toks[from..to] in the paragraph, without
// the punctuation at its edges.
func wordsOf(text []rune, toks []token, from, to int) (string, int) {
	s, e := toks[from].start, toks[to].end
	for s < e && strings.ContainsRune(`"'“‘(—–-`, text[s]) {
		s++
	}
	for e > s && strings.ContainsRune(`"'”’),.;:!?—–-`, text[e-1]) {
		e--
	}
	return string(text[s:e]), s
}

// positions finds who states or shows a position in paragraph pi, and how:
// the subjects of verbs of position outside quotations ("Pakistan
// abstained", "Islamabad says", "He also contradicted", "the senator
// urged", "the Trump campaign denied"), and the speakers of its
// quotations. firstSentence is the article-wide number of its first
// sentence; quotes are the article's quotations.
func (r *articleReader) positions(pi, firstSentence int, quotes []Quote) []Position {
	pv := r.paras[pi]
	if pv.heading || r.headline(pi) {
		return nil
	}
	text := []rune(pv.p.Text)
	var out []Position
	add := func(p Position) {
		for _, o := range out {
			if o.Holder == p.Holder && o.Kind == p.Kind && o.Words == p.Words {
				return
			}
		}
		out = append(out, p)
	}
	for si, toks := range pv.sents {
		k := firstSentence + si
		r.local.now = k
		sentenceFrom := len(out)
		var last []Position // holders of the sentence's last verb, for "and urged"
		consumed := -1      // the last token of the words of the last position
		for i, t := range toks {
			if i <= consumed || (i >= 2 && consumed >= i-4 && toks[i-1].lower == "to") {
				continue // inside or the infinitive of the last ("urged them to show restraint")
			}
			if !verbAt(toks, i, positionVerbs, r.g) {
				continue
			}
			if inside(pv.quotes, t.start) {
				continue
			}
			j := skipAdverbs(toks, i-1)
			if passive(toks, j+1, i) {
				continue // "Trump has never been charged": done to the subject, not by it
			}
			if supposed(toks, j+1, i) {
				continue // "could have sought protection": someone's guess, not a stand taken
			}
			kind, to := stated(toks, i, j+1)
			if kind == "" {
				continue
			}
			words, at := wordsOf(text, toks, j+1, to)
			end := at + len([]rune(words))
			consumed = to
			holders, first := r.holders(toks, j, i, k)
			aside := len(holders) > 0 && r.aside(toks, first, k)
			switch {
			case len(holders) > 0:
			case j >= 0 && (toks[j].lower == "and" || toks[j].lower == "but"):
				holders = last // "Cruz thanked Trump and urged …"
			case j >= 0 && (toks[j].lower == "to" || toks[j].brk == ',' && strings.HasSuffix(t.lower, "ing")):
				// "took to Twitter to accuse", "…, calling it a hoax": the
				// clause's subject is the sentence's; not in "ordered his
				// army to attack" (the army's), nor in a clause of its own
				// ("when Putin ordered …").
				if s := r.subjects[k]; s.name != "" && (s.person || nameLike(s.name)) && !otherSubject(toks, j) {
					holders = []Position{{Holder: foldName(s.name), Via: "subject"}}
				}
			}
			last = nil
			for _, h := range holders {
				h.Kind, h.Words, h.At, h.End = kind, words, at, end
				h.Aside = aside && !r.subjectIs(k, h.Holder)
				add(h)
				last = append(last, h)
			}
		}
		for _, p := range r.ownPlans(toks, text, k, pv.quotes) {
			add(p)
		}
		for _, p := range r.commitments(toks, text, k, pv.quotes, insidePositions(out)) {
			add(p)
		}
		r.noteVoices(out[sentenceFrom:])
	}
	for _, q := range quotes {
		if q.Para != pv.p.N || q.SpeakerKey == "" {
			continue
		}
		at := strings.Index(pv.p.Text, q.Text)
		p := Position{Holder: q.SpeakerKey, Kind: Statement, Via: "quote"}
		if at >= 0 {
			p.At = len([]rune(pv.p.Text[:at]))
			p.End = p.At + len([]rune(q.Text))
			if kind, words, wat := r.firstPerson(pi, p.At, len([]rune(q.Text))); kind != "" {
				p.Kind, p.Words, p.At, p.End = kind, words, wat, wat+len([]rune(words))
			}
		}
		// A verb of position by the same speaker outside the quotation
		// says more than the quotation's "statement".
		if p.Kind == Statement {
			for _, o := range out {
				if o.Holder == p.Holder && o.Kind != Statement {
					p.Kind = ""
				}
			}
		}
		if p.Kind != "" {
			add(p)
		}
		for _, actor := range r.voices[q.SpeakerKey] {
			if speaksAs(q.Text, actor, r.g) {
				add(Position{Holder: actor, Kind: cmp.Or(p.Kind, Statement), Words: p.Words, At: p.At, End: p.End, Via: "representative"})
			}
		}
	}
	return out
}

// noteVoices learns from a sentence's positions who speaks for a country
// in this article: a speaker who reports its course as their own words
// ("Kerry said the United States would work with the council", "He said
// the United States will seek new sanctions"), unless their title ties
// them to another country (a rival's leader reporting what the United
// States will do does not speak for it).
func (r *articleReader) noteVoices(ps []Position) {
	for _, s := range ps {
		if s.Kind != Statement || s.Via != "subject" && s.Via != "pronoun" || r.g.Known(s.Holder) {
			continue
		}
		for _, a := range ps {
			if a.At < s.End || a.Via != "subject" || a.Holder == s.Holder || !r.g.Known(a.Holder) || slices.Contains(r.voices[s.Holder], a.Holder) {
				continue
			}
			if tied := r.g.ActorsIn(strings.Join(r.local.titlesOf(s.Holder), "; ")); len(tied) > 0 && !slices.Contains(tied, a.Holder) {
				continue
			}
			if r.voices == nil {
				r.voices = map[string][]string{}
			}
			r.voices[s.Holder] = append(r.voices[s.Holder], a.Holder)
		}
	}
}

// speaksAs: a quotation speaks as actor when it says "we" or "our", or
// names the actor ("the United States does not, and never will, accept").
func speaksAs(quote, actor string, g *Gazetteer) bool {
	for _, w := range strings.FieldsFunc(strings.ToLower(quote), func(r rune) bool { return !unicode.IsLetter(r) }) {
		if w == "we" || w == "our" || w == "ours" {
			return true
		}
	}
	return slices.Contains(g.ActorsIn(quote), actor)
}

// holders is who the subject before the verb at toks[verb] stands for
// (its last word is toks[j]): the person or institution it names, the one
// a pronoun or a definite description refers to, the one a spokesman or a
// campaign speaks for, and the countries it names ("Pakistani officials").
func (r *articleReader) holders(toks []token, j, verb, k int) (out []Position, first int) {
	n := nameBefore(toks, j, r.ev, r.g)
	first = n.first
	if n.text == "" && n.pronoun == "" && n.nominal == "" {
		first = j + 1
	}
	switch {
	case n.pronoun != "":
		// "he" and "she" are people; "it" and "they" stand for a holder
		// only when what they refer to is a name ("the ministry" is not).
		if sp := r.resolve(n, k); sp.name != "" && (sp.person || nameLike(sp.name)) {
			out = append(out, Position{Holder: foldName(sp.name), Via: "pronoun"})
		}
	case n.text != "" && descriptive(n.text):
		// "GOP candidate", "Trump team": a role or a group, named for
		// whom it is or works for.
		if sp, how := r.represented("the "+n.text, k); sp.name != "" {
			out = append(out, Position{Holder: foldName(sp.name), Via: how})
		}
	case n.text != "":
		if sp := r.resolve(n, k); sp.name != "" && (sp.person || nameLike(sp.name)) {
			out = append(out, Position{Holder: foldName(sp.name), Via: "subject"})
		}
	case n.nominal != "":
		if sp, how := r.represented(n.nominal, k); sp.name != "" {
			out = append(out, Position{Holder: foldName(sp.name), Via: how})
		}
	}
	for _, a := range r.g.ActorsIn(subjectClause(toks, verb)) {
		dup := false
		for _, o := range out {
			dup = dup || o.Holder == a
		}
		if !dup {
			out = append(out, Position{Holder: a, Via: "subject"})
		}
	}
	return out, first
}

// passive: the verb at toks[verb], after the auxiliaries from toks[from],
// is a participle after a form of "be" ("was condemned", "has been
// criticized"), except a state of mind ("is opposed to", "was committed
// to").
func passive(toks []token, from, verb int) bool {
	be := false
	for k := from; k < verb; k++ {
		switch toks[k].lower {
		case "is", "are", "was", "were", "be", "been", "being", "am", "get", "got", "gets":
			be = true
		}
	}
	if !be || !participle(toks[verb].lower) {
		return false
	}
	return verb+1 >= len(toks) || toks[verb+1].lower != "to"
}

// supposed: the auxiliaries from toks[from] before the verb at toks[verb]
// make it a supposition about the past ("could have sought", "may have
// urged", "must have known").
func supposed(toks []token, from, verb int) bool {
	for k := from; k+1 < verb; k++ {
		switch toks[k].lower {
		case "could", "may", "might", "must":
			if toks[k+1].lower == "have" || k+2 < verb && toks[k+1].lower == "not" && toks[k+2].lower == "have" {
				return true
			}
		}
	}
	return false
}

// commitments reads what a subject will or would do ("Clinton would
// impose a surcharge", "the United States will work with its allies"):
// a course it sets out, labelled other, since the words name no kind.
// skip holds the rune offsets already taken by positions of the sentence.
func (r *articleReader) commitments(toks []token, text []rune, k int, quotes []corpus.Span, skip func(int) bool) []Position {
	var out []Position
	for i, t := range toks {
		if (t.lower != "will" && t.lower != "would" && t.lower != "shall") || inside(quotes, t.start) || skip(t.start) {
			continue
		}
		v := i + 1
		for v < len(toks) && (toks[v].lower == "not" || toks[v].lower == "also" || toks[v].lower == "never" || strings.HasSuffix(toks[v].lower, "ly") && len(toks[v].lower) > 4) {
			v++
		}
		if v >= len(toks) || !startsLower(toks[v].core) || auxiliaryWords[toks[v].lower] || functionWords[toks[v].lower] || toks[v].brk != 0 || outcomeVerbs[toks[v].lower] {
			continue // "will be", "would have", "will find it hard": a state, a supposition or a fate, not a course
		}
		j := i - 1
		if j < 0 || toks[j].brk != 0 {
			continue
		}
		holders, first := r.holders(toks, j, i, k)
		if len(holders) == 0 || first > 0 && (prepositions[toks[first-1].lower] || toks[first-1].lower == "by" || toks[first-1].lower == "at") {
			continue // "the plan by Marlow would cost jobs": the plan's course, not Marlow's
		}
		end := v
		for n := 0; n < 4 && end+1 < len(toks) && toks[end].brk == 0 && !clauseWords[toks[end+1].lower] && !toks[end+1].dash; n++ {
			end++
		}
		words, at := wordsOf(text, toks, i, end)
		aside := r.aside(toks, first, k)
		for _, h := range holders {
			h.Kind, h.Words, h.At, h.End = Other, words, at, at+len([]rune(words))
			h.Aside = aside && !r.subjectIs(k, h.Holder)
			out = append(out, h)
		}
	}
	return out
}

// outcomeVerbs say what befalls their subject, not what it does: "will
// find it difficult", "would lose", "will face questions".
var outcomeVerbs = setOf(`find face need get become remain seem appear look lose win fail struggle suffer`)

// insidePositions says whether a rune offset lies in the words of a position
// already read.
func insidePositions(ps []Position) func(int) bool {
	return func(at int) bool {
		for _, p := range ps {
			if p.Via != "quote" && at >= p.At && at < p.End {
				return true
			}
		}
		return false
	}
}

// planNouns name a course someone proposes: "Trump's proposal", "her plan".
var planNouns = setOf(`plan plans proposal proposals policy policies agenda platform pledge pledges`)

// possessivePronouns stand for the subject pronoun they are the
// possessive of.
var possessivePronouns = map[string]string{"his": "he", "her": "she", "its": "it", "their": "they"}

// ownPlans reads the plans a sentence gives someone by possessive: "Donald
// Trump's new proposal for paid leave", "under her plan": what its holder
// calls for, in the holder's name.
func (r *articleReader) ownPlans(toks []token, text []rune, k int, quotes []corpus.Span) []Position {
	var out []Position
	for i, t := range toks {
		if inside(quotes, t.start) {
			continue
		}
		var n name
		switch {
		case t.possessive && isCapitalized(t.core):
			n = nameBefore(toks, i, r.ev, r.g)
			if n.text == "" {
				continue
			}
		case possessivePronouns[t.lower] != "":
			n = name{pronoun: possessivePronouns[t.lower], first: i, at: t.start}
		default:
			continue
		}
		// The plan noun, after at most two modifiers ("new", "tax").
		end := -1
		for j := i + 1; j < len(toks) && j <= i+3; j++ {
			if planNouns[toks[j].lower] {
				end = j
				break
			}
			if toks[j].brk != 0 || !startsLower(toks[j].core) && !isCapitalized(toks[j].core) {
				break
			}
		}
		if end < 0 {
			continue
		}
		sp := r.resolve(n, k)
		if sp.name == "" || !(sp.person || nameLike(sp.name)) {
			continue
		}
		// Only a sentence that opens with the plan ("Under Marlow's plan,
		// …"), or the holder's own ("Ortiz said her plan …"): in others'
		// sentences it is their view of it ("experts criticized Marlow's
		// plan").
		holder := foldName(sp.name)
		if !opening(toks, n.first) && !(n.pronoun != "" && r.subjectIs(k, holder)) {
			continue
		}
		words, at := wordsOf(text, toks, n.first, end)
		out = append(out, Position{Holder: holder, Kind: CallsFor, Words: words, At: at, End: at + len([]rune(words)), Via: "subject"})
	}
	return out
}

// opening: only function words ("Under", "But in the"), and none that
// opens a clause of circumstance, come before toks[first] in its sentence.
func opening(toks []token, first int) bool {
	for _, t := range toks[:first] {
		if !functionWords[t.lower] || t.brk != 0 || circumstance[t.lower] {
			return false // "If Marlow's plan failed": a supposition
		}
	}
	return first <= 3
}

// objectControl verbs give their infinitive to their object: "ordered his
// army to attack", "urged them to leave".
var objectControl = setOf(`order tell ask urge force allow want persuade invite encourage instruct direct command
require compel permit lead pressure push`)

// otherSubject: the infinitive or participle ending at toks[j] belongs to
// someone other than the sentence's subject: an object-control verb or a
// clause of circumstance comes before it.
func otherSubject(toks []token, j int) bool {
	for k := j - 1; k >= 0 && k >= j-6; k-- {
		if toks[k].brk == '.' || toks[k].quoteAfter {
			break
		}
		if circumstance[toks[k].lower] || lemmaIn(toks[k].lower, objectControl) {
			return true
		}
	}
	return false
}

// circumstance opens a clause that tells what happened around the main
// one ("after Trump attacked", "when she cited").
var circumstance = setOf(`after before since when while because although though until unless once whereas as if`)

// aside: the subject starting at toks[first] opens a clause inside
// another's sentence: after a conjunction of circumstance, after "that"
// ("reports that Trump called"), or after a verb of speech ("Clinton says
// Trump lied").
func (r *articleReader) aside(toks []token, first, k int) bool {
	for i := first - 1; i >= 0 && i >= first-3; i-- {
		t := toks[i]
		if t.brk != 0 || t.quoteAfter {
			return false
		}
		if circumstance[t.lower] || t.lower == "that" || isSpeechVerb(t.core) {
			return true
		}
		if !startsLower(t.core) || !(t.lower == "the" || t.lower == "a" || strings.HasSuffix(t.lower, "al") || len(t.lower) <= 6) {
			return false // only a short modifier ("rival", "former") may come between
		}
	}
	return false
}

// subjectIs: the subject of sentence k is holder.
func (r *articleReader) subjectIs(k int, holder string) bool {
	if k < 0 || k >= len(r.subjects) {
		return false
	}
	s := r.subjects[k]
	return s.name != "" && foldName(s.name) == holder
}

// nameLike: every word of s is capitalised, or a connector or particle
// inside a name ("Ministry of Foreign Affairs", "al-Qaeda").
func nameLike(s string) bool {
	words := strings.Fields(s)
	for i, w := range words {
		if !isCapitalized(w) && !(i > 0 && (connectors[strings.ToLower(w)] || particle(w))) {
			return false
		}
	}
	return len(words) > 0
}

// descriptive: a phrase read as a name that ends in a common noun written
// in lower case ("GOP candidate", "Trump team").
func descriptive(s string) bool {
	words := strings.Fields(s)
	last := words[len(words)-1]
	return len(words) >= 2 && startsLower(last) && titleWords[strings.TrimSuffix(strings.ToLower(last), "s")] || len(words) >= 2 && startsLower(last) && titleWords[strings.ToLower(last)]
}

// represented is who a description of a subject stands for: a definite
// description of a role is the person the article gave that role ("the
// senator" after "Sen. Ted Cruz"); a group or office named for someone
// speaks for them ("the Trump campaign", "Clinton aides", "Trump's
// lawyers").
func (r *articleReader) represented(desc string, k int) (resolved, string) {
	if sp := r.described(desc, k); sp.name != "" {
		return sp, "description"
	}
	words := strings.Fields(desc)
	if len(words) < 2 {
		return resolved{}, ""
	}
	head := strings.ToLower(strings.Trim(words[len(words)-1], ",.'"))
	if !titleWords[head] && !titleWords[strings.TrimSuffix(head, "s")] {
		return resolved{}, ""
	}
	var named []string
	for _, w := range words[:len(words)-1] {
		w = strings.TrimSuffix(strings.Trim(w, ",."), "'s")
		if isCapitalized(w) && !titleWords[strings.ToLower(w)] && !functionWords[strings.ToLower(w)] {
			named = append(named, w)
		} else if len(named) > 0 {
			break
		}
	}
	text := strings.Join(named, " ")
	if len(named) == 0 || partyWord(text) || r.g.Demonym(text) {
		return resolved{}, ""
	}
	// Only a person the article names stands behind a group: "the GOP
	// campaign" is no one's in particular.
	if e := r.local.byFold[foldName(text)]; (e == nil || !r.local.find(e).person) && len(r.local.fullNames(text)) == 0 {
		return resolved{}, ""
	}
	sp := r.local.canonical(name{text: text, person: true})
	if !sp.person {
		return resolved{}, ""
	}
	return sp, "representative"
}

// roleAbbreviations spell out the honorifics that are roles.
var roleAbbreviations = map[string]string{"sen": "senator", "sens": "senator", "rep": "representative",
	"reps": "representative", "gov": "governor", "pres": "president", "sec": "secretary", "gen": "general",
	"amb": "ambassador", "atty": "attorney", "congressman": "representative", "congresswoman": "representative"}

// roleWords are a title's words that are roles, spelled out.
func roleWords(title string) []string {
	var out []string
	for _, w := range strings.Fields(strings.ToLower(title)) {
		w = strings.Trim(w, ",.'")
		if full, ok := roleAbbreviations[w]; ok {
			w = full
		}
		if personRoles[w] {
			out = append(out, w)
		}
	}
	return out
}

// described is the person a definite description of a role refers to at
// sentence k ("the senator", "the Republican nominee", "the former
// secretary of state"): the nearest person named before it whose titles
// in the article hold that role, else the one person the article gives
// it. A role no one was given, or given to several with none near, stays
// unresolved.
func (r *articleReader) described(desc string, k int) resolved {
	words := strings.Fields(desc)
	if len(words) < 2 || !strings.EqualFold(words[0], "the") {
		return resolved{}
	}
	roles := roleWords(strings.Join(words[1:], " "))
	if len(roles) == 0 {
		return r.epithet(words, k)
	}
	for _, w := range words[1:] {
		if isCapitalized(w) && !titleWords[strings.ToLower(w)] && !r.g.Demonym(w) && !partyWord(w) {
			return resolved{} // it names someone: "the Clinton aide"
		}
	}
	role := roles[len(roles)-1]
	has := func(e *localName) bool {
		for _, t := range e.titles {
			for _, w := range roleWords(t) {
				if w == role {
					return true
				}
			}
		}
		return false
	}
	for i := min(k, len(r.people)-1); i >= 0 && i >= k-8; i-- {
		for _, p := range r.people[i] {
			if e := r.local.byFold[foldName(p.name)]; e != nil && has(r.local.find(e)) {
				return p
			}
		}
	}
	var only *localName
	for _, e := range r.local.entries {
		if e = r.local.find(e); e.person && has(e) {
			if only != nil && only != e {
				return resolved{}
			}
			only = e
		}
	}
	if only == nil {
		// No one was given the role: the article varies the name of the
		// person it just made a subject ("Hillary Clinton spoke out … the
		// former secretary of state said").
		return r.epithet(words, k)
	}
	return resolved{name: only.text, person: true, gender: only.gender}
}

// epithet is who a definite description that is no role refers to ("the
// New York businessman", "the billionaire", "the 70-year-old"): news
// varies a name so, right after naming the person as a sentence's
// subject. It is the person subject of one of the two sentences before,
// the nearest; a group or an office ("the campaign", "the officials")
// is never one.
func (r *articleReader) epithet(words []string, k int) resolved {
	head := strings.ToLower(strings.Trim(words[len(words)-1], ",.'"))
	if !startsLower(words[len(words)-1]) || !personRole(head) && (titleWords[head] || titleWords[strings.TrimSuffix(head, "s")]) ||
		representatives[head] || documentNouns[head] || strings.HasSuffix(head, "s") && !strings.HasSuffix(head, "ss") {
		return resolved{}
	}
	for i, w := range words[1:] {
		if prev := strings.ToLower(words[i]); (w == "and" || w == "or") && strings.HasSuffix(prev, "s") && !strings.HasSuffix(prev, "ss") {
			return resolved{} // "the dire warnings and personal": things, not one person
		}
	}
	for i := k - 1; i >= 0 && i >= k-2 && i < len(r.subjects); i-- {
		s := r.subjects[i]
		if s.name == "" {
			continue
		}
		// A surname alone says nothing of being a person; a country does.
		if s.person || !strings.Contains(s.name, " ") && isCapitalized(s.name) && !r.g.Known(s.name) {
			s.person = true
			return s
		}
	}
	return resolved{}
}

// representatives speak for someone else: "the spokesman said" after
// "Trump said" is not Trump.
var representatives = setOf(`spokesman spokeswoman spokesperson aide adviser advisor official lawyer attorney
strategist manager surrogate assistant representative envoy deputy secretary`)

// partyWord: a party named by its adjective or initials ("Republican",
// "Democratic", "GOP"): it modifies a role without naming anyone.
func partyWord(w string) bool {
	lw := strings.ToLower(strings.Trim(w, ",."))
	return strings.HasSuffix(lw, "can") || strings.HasSuffix(lw, "tic") || strings.HasSuffix(lw, "ist") || allCaps(w) && len(w) <= 4
}

// firstPerson reads a position the speaker states in their own words
// inside the quotation at runes [at, at+n) of paragraph pi: "We condemn",
// "I will not support".
func (r *articleReader) firstPerson(pi, at, n int) (kind, words string, wordsAt int) {
	pv := r.paras[pi]
	text := []rune(pv.p.Text)
	for _, toks := range pv.sents {
		for i, t := range toks {
			if t.start < at || t.start >= at+n || !verbAt(toks, i, positionVerbs, r.g) {
				continue
			}
			j := skipAdverbs(toks, i-1)
			if j < 0 || toks[j].end <= at || (toks[j].lower != "i" && toks[j].lower != "we") {
				continue
			}
			kind, to := stated(toks, i, j+1)
			if kind == "" || kind == Statement || kind == Other {
				continue
			}
			words, wordsAt = wordsOf(text, toks, j, to)
			return kind, words, wordsAt
		}
	}
	return "", "", 0
}

// headline: paragraph pi repeats the article's title (many files open with
// it): the outlet's summary, not a position anyone stated there.
func (r *articleReader) headline(pi int) bool {
	title := corpus.Fold(r.a.Title)
	p := corpus.Fold(r.paras[pi].p.Text)
	if title == "" || p == "" || pi > 1 {
		return false
	}
	return strings.HasPrefix(title, strings.TrimRight(p, ".;:")) || strings.HasPrefix(p, title)
}

// NamesKind says whether text holds a word of position of a stated kind
// ("support", "condemned", "opposes"): what a snippet of a long passage
// should keep.
func NamesKind(text string) bool {
	for _, w := range strings.FieldsFunc(text, func(r rune) bool { return !unicode.IsLetter(r) && r != '\'' }) {
		if _, k := kindOf(w); k != "" && k != Statement && k != Other {
			return true
		}
	}
	return false
}
