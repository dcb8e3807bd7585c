package extract

import (
	"strings"
	"unicode"
)

// English: the closed word classes and the morphology the rules read.
// Closed classes (determiners, pronouns, prepositions, auxiliaries) are
// closed by nature; open ones (verbs) are matched by lemma after their
// inflection is undone by rule, so that "tweets", "tweeted", "tweeting"
// and "has tweeted" are all "tweet".

// functionWords never begin or end a name, whatever their case.
var functionWords = setOf(`a an the this that these those some any each every no all both either neither
in on at by for from to of with about against between into through during before after above below
over under around among across toward towards upon within without via per than as like unlike despite
and or but nor so yet if then else when while where whether because although though since unless until
i me my mine we us our ours you your yours he him his she her hers it its they them their theirs
who whom whose which what how why there here also still even just only not never now
is are was were be been being am has have had having do does did will would shall should can could may might must
said says say told tells`)

// pronounGender is what a personal pronoun says of its referent.
var pronounGender = map[string]byte{"he": 'm', "him": 'm', "his": 'm', "she": 'f', "her": 'f', "hers": 'f'}

// honorifics are abbreviated or short titles that come before a name.
var honorifics = setOf(`mr mrs ms miss dr prof sen sens rep reps gov lt col gen adm sgt capt maj cmdr pres sec amb atty rev fr sr jr st
del sir dame lord lady`)

// irregular maps past forms of irregular verbs to their lemma.
var irregular = map[string]string{
	"said": "say", "told": "tell", "wrote": "write", "written": "write", "spoke": "speak", "spoken": "speak",
	"sang": "sing", "sung": "sing", "thought": "think", "put": "put", "took": "take", "taken": "take",
	"gave": "give", "given": "give", "made": "make", "went": "go", "gone": "go", "came": "come",
	"kept": "keep", "meant": "mean", "felt": "feel", "held": "hold", "stood": "stand", "swore": "swear",
	"sworn": "swear", "bade": "bid", "forbade": "forbid", "forbidden": "forbid", "shot": "shoot",
	"began": "begin", "begun": "begin", "saw": "see", "seen": "see", "knew": "know", "known": "know",
	"drew": "draw", "drawn": "draw", "threw": "throw", "thrown": "throw", "led": "lead", "read": "read",
	"heard": "hear", "sent": "send", "spent": "spend", "brought": "bring", "sought": "seek", "taught": "teach",
	"fought": "fight", "built": "build", "chose": "choose", "chosen": "choose", "broke": "break", "broken": "break",
}

// lemmas returns the words w may be an inflection of, w itself first:
// "tweeted" → tweeted, tweet, tweete; "denies" → denies, deny, denie.
// Callers look the candidates up in a lemma set.
func lemmas(w string) []string {
	w = strings.ToLower(w)
	out := []string{w}
	if l, ok := irregular[w]; ok {
		return append(out, l)
	}
	add := func(s string) {
		if len(s) >= 2 {
			out = append(out, s)
		}
	}
	switch {
	case strings.HasSuffix(w, "ied"):
		add(w[:len(w)-3] + "y") // denied → deny
	case strings.HasSuffix(w, "ed"):
		stem := w[:len(w)-2]
		add(stem)       // warned → warn
		add(stem + "e") // argued → argue
		if n := len(stem); n >= 2 && stem[n-1] == stem[n-2] {
			add(stem[:n-1]) // admitted → admit
		}
	case strings.HasSuffix(w, "ing"):
		stem := w[:len(w)-3]
		add(stem)       // saying → say
		add(stem + "e") // writing → write
		if n := len(stem); n >= 2 && stem[n-1] == stem[n-2] {
			add(stem[:n-1]) // committing → commit
		}
	case strings.HasSuffix(w, "ies"):
		add(w[:len(w)-3] + "y") // denies → deny
	case strings.HasSuffix(w, "es"):
		add(w[:len(w)-2]) // stresses → stress
		add(w[:len(w)-1]) // argues → argue
	case strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss"):
		add(w[:len(w)-1]) // tweets → tweet
	}
	return out
}

// lemmaIn: w is an inflection of a lemma in set.
func lemmaIn(w string, set map[string]bool) bool {
	for _, l := range lemmas(w) {
		if set[l] {
			return true
		}
	}
	return false
}

// speechLemmas are the verbs that attribute words to someone: say, and
// every verb news uses in its place.
var speechLemmas = setOf(`say tell add write tweet post argue ask warn insist note state explain claim declare continue
reply respond answer recall suggest acknowledge admit announce assert charge complain concede confirm contend
counter deny emphasize emphasise estimate joke maintain observe predict promise quip remark report shout sing
stress testify urge vow wonder chant praise attack blast slam criticize criticise condemn laud hail dismiss mock
label dub brand deride decry lament plead pledge proclaim reiterate repeat reveal scoff sneer speak reason
conclude caution boast brag muse exclaim cry yell whisper demand propose advise describe accuse call put
highlight point wish comment told recount retort snap grumble concur agree disagree object protest fume rail
tout offer threaten question query inquire interject elaborate clarify specify mention allege surmise
posit opine venture describe characterize characterise term`)

// isSpeechVerb: a lower-case word that is an inflection of a speech verb.
func isSpeechVerb(w string) bool {
	return startsLower(w) && lemmaIn(w, speechLemmas)
}

// determiners and possessives make the word after them a noun: "an
// Israeli attack", "his calls", "the reports".
var determiners = setOf(`a an the this that these those his her its their our my your whose which each every some any no another other such`)

// verbAt: toks[i] is a verb of lemmas here. A past or -ing form is one
// ("condemned", "saying"); a bare or -s form is one only when no
// determiner, possessive, number or adjective comes before it (not "an
// Israeli attack", "Iran's calls", "three reports").
func verbAt(toks []token, i int, set map[string]bool, g *Gazetteer) bool {
	t := toks[i]
	if !(startsLower(t.core) || (t.initial && !allCaps(t.core))) || !lemmaIn(t.lower, set) {
		return false // "Said Ellis:" opens its sentence with the verb
	}
	if _, irr := irregular[t.lower]; irr || strings.HasSuffix(t.lower, "ed") || strings.HasSuffix(t.lower, "ing") {
		return true
	}
	if i == 0 {
		return !t.initial || t.quoteBefore // right after a quotation: '…,” says Rieckhoff'
	}
	p := toks[i-1]
	switch {
	case p.brk != 0 || p.quoteAfter:
		return false
	case determiners[p.lower] || p.possessive:
		return false
	case startsLower(p.core) && (strings.HasSuffix(p.lower, "ing") || strings.HasSuffix(p.lower, "ed")) && !auxiliaryWords[p.lower]:
		return false // "condemning attacks"
	case g.Demonym(p.core):
		return false
	case strings.IndexFunc(p.core, unicode.IsDigit) >= 0:
		return false
	case i >= 2 && startsLower(p.core) && prepositions[toks[i-2].lower] && toks[i-2].brk == 0:
		return false // "on drone attacks": a noun after a noun after a preposition
	case quantifiers[p.lower]:
		return false // "a few questions", "many calls"
	}
	if !strings.HasSuffix(t.lower, "s") && startsLower(p.core) && !auxiliaryWords[p.lower] && p.lower != "to" && pronounOf(p) == "" &&
		p.lower != "i" && p.lower != "we" && p.lower != "you" && !strings.HasSuffix(p.lower, "s") {
		return false // a bare form after an adjective: "mental state", "an offer"
	}
	return true
}

// quantifiers come before nouns, never before verbs.
var quantifiers = setOf(`few many several various numerous more most fewer multiple both all`)

// prepositions begin a noun phrase, never a clause.
var prepositions = setOf(`on of in for about against with from into over under between among toward towards upon without within via per`)

// auxiliary words may stand between a subject and its verb ("has said",
// "would later say", "is calling").
var auxiliaryWords = setOf(`has have had is are was were be been being do does did will would shall should can could may might must
also then later further previously once again already still never not just only often repeatedly recently
publicly privately reportedly allegedly initially finally quickly immediately first`)
