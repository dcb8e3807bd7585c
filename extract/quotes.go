package extract

import (
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/briefbot/briefbot/corpus"
)

// Quote is a direct quotation found in a paragraph.
type Quote struct {
	Para int    `json:"para"`
	Text string `json:"text"` // the quoted words as received, without quote marks
	// Snippet spans the whole sentences that hold the quote and its attribution.
	Snippet corpus.Span `json:"-"`
	// Speaker is the speaker's name as the article writes it in full
	// ("Mohammad Faisal", "US Embassy", "Trump" where the article never
	// gives more); empty when the text does not say who spoke.
	Speaker string `json:"speaker,omitempty"`
	// Title is what the text calls the speaker ("Foreign Ministry spokesman").
	Title string `json:"title,omitempty"`
	// SpeakerKey identifies the speaker's name in the article (see Registry).
	SpeakerKey string `json:"speaker_key,omitempty"`
	// Attribution says how the speaker was found (see the constants).
	Attribution string `json:"attribution,omitempty"`
}

// How a quotation's speaker was found.
const (
	ByDirect     = "direct"     // a name beside a speech verb: “…,” Trump said
	ByPronoun    = "pronoun"    // “…,” she said: the last person she can be
	ByNominal    = "nominal"    // a description: “…,” a campaign spokesman said
	ByContinued  = "continued"  // the next sentence or paragraph of a speaker's quotation
	ByEmbedded   = "embedded"   // words quoted inside what someone said or did: Cruz called Trump a “…”
	ByTranscript = "transcript" // PENCE: …
	ByIntroduced = "introduced" // Caddell continued: then the quotation
)

// MinQuoteWords: shorter quoted phrases are scare quotes ("dangerous"), not quotations.
const MinQuoteWords = 3

// quoteSpans finds the outermost double-quoted runs of a paragraph's text
// as received: curly quotes open (“) and close (”) so that a quotation
// inside one ('“… what he calls “hell” …”') stays inside it; straight
// ones (") open and close in turn. A quote left open at the end of a
// paragraph runs to its end (the convention for quotations that go on
// into the next paragraph).
func quoteSpans(text []rune) []corpus.Span {
	var out []corpus.Span
	open, depth := -1, 0
	straight := false // the open quotation began with a straight quote
	for i, r := range text {
		switch r {
		case '“', '„', '«':
			if depth == 0 {
				open, straight = i, false
			}
			depth++
		case '”', '»':
			if depth == 0 {
				continue
			}
			if straight {
				// A straight quote opened it: a curly one closes it anyway.
				depth = 1
			}
			depth--
			if depth == 0 {
				out = append(out, corpus.Span{Start: open + 1, End: i})
				open = -1
			}
		case '"':
			switch {
			case depth == 0 && strayClose(text, i):
				// 'review of [his] systems" including', '6'3" tall': a
				// closing mark (or inches) with no opening; it opens nothing.
			case depth == 0:
				open, depth, straight = i, 1, true
			case straight || depth == 1:
				out = append(out, corpus.Span{Start: open + 1, End: i})
				open, depth = -1, 0
			}
		}
	}
	if open >= 0 && open+1 < len(text) {
		out = append(out, corpus.Span{Start: open + 1, End: len(text)})
	}
	return out
}

// strayClose: the straight quote at i closes rather than opens: a letter,
// digit or closing punctuation right before it and a space (or the end)
// right after.
func strayClose(text []rune, i int) bool {
	if i == 0 || i+1 < len(text) && !unicode.IsSpace(text[i+1]) {
		return false
	}
	p := text[i-1]
	return unicode.IsLetter(p) || unicode.IsDigit(p) || strings.ContainsRune(".,!?;:)]'’", p)
}

// paraView is a paragraph as the reader sees it.
type paraView struct {
	p       corpus.Paragraph
	norm    []rune
	sents   [][]token
	heading bool
	quotes  []corpus.Span
	// openEnd: the paragraph ends inside a quotation that goes on.
	openEnd bool
}

// articleReader reads one article: its names first, then its quotations.
type articleReader struct {
	a     *corpus.Article
	g     *Gazetteer
	ev    *evidence
	paras []paraView
	local *localNames
	// subjects[k] is the subject of the k-th sentence of the article,
	// resolved, for pronouns; people[k] the persons it names.
	subjects []resolved
	people   [][]resolved
	peopleAt [][]int // where in its paragraph each of people[k] is named
	// stated[i] are the positions taken in paragraph i.
	stated [][]Position
	// voices are the countries each speaker has spoken for so far (see
	// noteVoices), by speaker key.
	voices map[string][]string
}

// resolved is a speaker as the article names it in full.
type resolved struct {
	name   string // the article's fullest name for them
	title  string
	person bool
	gender byte
}

func newReader(a *corpus.Article, g *Gazetteer) *articleReader {
	r := &articleReader{a: a, g: g, ev: newEvidence(g)}
	for _, p := range a.Paragraphs {
		pv := paraView{p: p, norm: []rune(corpus.Normalize(p.Text))}
		// Markup left in the text (<tweet author="…">) is no one's words:
		// blanked out for reading, so its quoted attributes are no
		// quotations and its words no names. Offsets stay those of the text.
		markup := markupSpans(pv.norm)
		for _, m := range markup {
			for k := m.Start; k < m.End; k++ {
				pv.norm[k] = ' '
			}
		}
		words := 0
		for _, s := range p.Sentences {
			pv.sents = append(pv.sents, tokenize(pv.norm, s.Start, s.End))
			words += len(pv.sents[len(pv.sents)-1])
		}
		// A heading is short. The sentences' tokens are the paragraph's,
		// but for words a sentence break may split in two: a paragraph
		// with more than that many is no heading, and is not tokenized
		// again to tell.
		if words-len(p.Sentences) <= 20 {
			all := tokenize(pv.norm, 0, len(pv.norm))
			pv.heading = headingLike(all) && len(all) <= 20
		}
		for _, q := range quoteSpans([]rune(p.Text)) {
			if !overlapsAny(markup, q) {
				pv.quotes = append(pv.quotes, q)
			}
		}
		if n := len(pv.quotes); n > 0 && pv.quotes[n-1].End == len(pv.norm) && !strings.ContainsAny(string(pv.norm[len(pv.norm)-1:]), `"`) {
			pv.openEnd = true
		}
		if !pv.heading {
			for _, toks := range pv.sents {
				r.ev.add(toks)
			}
		}
		r.paras = append(r.paras, pv)
	}
	return r
}

// read finds the article's names and quotations.
func (r *articleReader) read() []Quote {
	r.local = r.collectNames()
	var quotes []Quote
	var last *Quote // the previous attributed quotation
	prevOpen := false
	sentence := 0
	for pi := range r.paras {
		pv := &r.paras[pi]
		base := sentence
		for si, toks := range pv.sents {
			r.local.now = base + si
			if len(toks) > 0 && inside(pv.quotes, toks[0].start) && !toks[0].quoteBefore {
				// A sentence inside a quotation: its subject is the quoted
				// speaker's topic, not someone the article talks about.
				r.subjects = append(r.subjects, resolved{})
				r.people = append(r.people, nil)
				r.peopleAt = append(r.peopleAt, nil)
				continue
			}
			r.subjects = append(r.subjects, r.sentenceSubject(toks, base+si))
			people, at := r.peopleIn(toks, pv.heading)
			r.people = append(r.people, people)
			r.peopleAt = append(r.peopleAt, at)
		}
		for qi, q := range pv.quotes {
			text := strings.TrimSpace(string([]rune(pv.p.Text)[q.Start:q.End]))
			if !r.realQuote(pi, q) {
				continue
			}
			first, lastS := sentenceOf(pv.p.Sentences, q.Start), sentenceOf(pv.p.Sentences, max(q.End-1, q.Start))
			if first < 0 || lastS < 0 {
				continue
			}
			if corpus.WordCount(text) < MinQuoteWords {
				// Too short to be a quotation ("outrageous"), but who said
				// it is who goes on speaking: '“I would,” Melanie said.
				// “I would, Donald.”'
				if sp, how, _ := r.attribute(pi, qi, q, first, lastS, base); sp.name != "" && how != ByContinued {
					short := Quote{Para: pv.p.N, Speaker: sp.name, Title: sp.title, SpeakerKey: foldName(sp.name), Attribution: how}
					last = &short
				}
				continue
			}
			sp, how, snipEnd := r.attribute(pi, qi, q, first, lastS, base)
			if sp.name == "" && how == "" {
				// A quotation that goes on: in the same paragraph, from the
				// last one; at a paragraph's start, from the paragraph before
				// when that one ended inside the quotation, or when this
				// paragraph is all quotation after an attributed one.
				opensSentence := len(r.before(pi, q, first)) == 0
				switch {
				case last != nil && last.Para == pv.p.N && opensSentence:
					sp, how = resolved{name: last.Speaker, title: last.Title, person: true}, ByContinued
				case last != nil && last.Para == pv.p.N-1 && q.Start <= 1 && (prevOpen || r.wholeQuote(pi)):
					sp, how = resolved{name: last.Speaker, title: last.Title, person: true}, ByContinued
				}
			}
			qt := Quote{Para: pv.p.N, Text: text, Attribution: how,
				Snippet: corpus.Span{Start: pv.p.Sentences[first].Start, End: pv.p.Sentences[max(lastS, snipEnd)].End}}
			if sp.name != "" {
				qt.Speaker, qt.Title = sp.name, sp.title
				qt.SpeakerKey = foldName(sp.name)
				r.local.quoted(sp)
			} else {
				qt.Attribution = ""
			}
			quotes = append(quotes, qt)
			if qt.Speaker != "" {
				last = &quotes[len(quotes)-1]
			}
		}
		// Positions are read in order too, so that names resolve as the
		// reader has met them so far.
		r.stated = append(r.stated, r.positions(pi, base, quotes))
		prevOpen = pv.openEnd
		sentence += len(pv.sents)
	}
	return quotes
}

// markupTag is an HTML or XML tag.
var markupTag = regexp.MustCompile(`</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>`)

// markupSpans are the rune spans of the tags in text.
func markupSpans(text []rune) []corpus.Span {
	s := string(text)
	var out []corpus.Span
	for _, m := range markupTag.FindAllStringIndex(s, -1) {
		out = append(out, corpus.Span{Start: utf8.RuneCountInString(s[:m[0]]), End: utf8.RuneCountInString(s[:m[1]])})
	}
	return out
}

func overlapsAny(spans []corpus.Span, q corpus.Span) bool {
	for _, s := range spans {
		if q.Start < s.End && s.Start < q.End {
			return true
		}
	}
	return false
}

// realQuote: the quoted span at q of paragraph pi may be a quotation: not
// the name of a work after a preposition ('on "Face the Nation"'), not an
// attribute of markup.
func (r *articleReader) realQuote(pi int, q corpus.Span) bool {
	rs := []rune(r.paras[pi].p.Text)
	if q.Start >= 2 && rs[q.Start-2] == '=' {
		return false // markup left in the text: <tweet pic="…">
	}
	text := strings.TrimSpace(string(rs[q.Start:q.End]))
	return !(workTitle(text) && r.afterPreposition(pi, q))
}

// quotedIn: a quotation of MinQuoteWords or more is among the tokens of
// paragraph pi, or goes on into them (names of works and scare quotes aside).
func (r *articleReader) quotedIn(pi int, toks []token) bool {
	if len(toks) == 0 {
		return false
	}
	from, to := toks[0].start, toks[len(toks)-1].end
	for _, q := range r.paras[pi].quotes {
		if q.Start < to && from < q.End && r.realQuote(pi, q) &&
			corpus.WordCount(string([]rune(r.paras[pi].p.Text)[q.Start:q.End])) >= MinQuoteWords {
			return true
		}
	}
	return false
}

// wholeQuote: paragraph pi is one quotation from start to end.
func (r *articleReader) wholeQuote(pi int) bool {
	pv := r.paras[pi]
	return len(pv.quotes) == 1 && pv.quotes[0].Start <= 1 && pv.quotes[0].End >= len(pv.norm)-2
}

// workTitle: a short quoted span in title case names a work, a show or a
// slogan ("Face the Nation", "Contract with America"), not a quotation.
func workTitle(text string) bool {
	words := strings.Fields(text)
	if len(words) > 5 {
		return false
	}
	content, capital := 0, 0
	for _, w := range words {
		w = strings.Trim(w, `,.;:!?'"()`)
		if len(w) < 3 || functionWords[strings.ToLower(w)] {
			continue
		}
		content++
		if isCapitalized(w) {
			capital++
		}
	}
	return content > 0 && capital == content
}

// afterPreposition: the word before a quotation is a preposition or a
// possessive, as before a show's or a work's name ('on "Face the
// Nation"', 'CNN's "State of the Union"').
func (r *articleReader) afterPreposition(pi int, q corpus.Span) bool {
	var prev *token
	for _, toks := range r.paras[pi].sents {
		for k := range toks {
			if toks[k].end <= q.Start {
				prev = &toks[k]
			}
		}
	}
	if prev == nil || prev.brk != 0 {
		return false
	}
	// Also after a determiner or a year: 'a "Commander-in-Chief Forum"',
	// 'his "Keepin' It Real" radio program', 'his 1994 "Contract with America"'.
	return locative[prev.lower] || prev.lower == "of" || prev.lower == "for" || prev.possessive ||
		determiners[prev.lower] || ageTag(*prev) || year(prev.core)
}

// year: four digits.
func year(w string) bool {
	if len(w) != 4 {
		return false
	}
	for _, r := range w {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// before is the tokens of a quotation's first sentence before it.
func (r *articleReader) before(pi int, q corpus.Span, first int) []token {
	var out []token
	for _, t := range r.paras[pi].sents[first] {
		if t.end <= q.Start {
			out = append(out, t)
		}
	}
	return out
}

// after is the tokens of a quotation's last sentence after it.
func (r *articleReader) after(pi int, q corpus.Span, last int) []token {
	var out []token
	for _, t := range r.paras[pi].sents[last] {
		if t.start > q.End {
			out = append(out, t)
		}
	}
	return out
}

var transcriptTag = regexp.MustCompile(`^\s*([A-Z][A-Z.'\- ]{1,40}):\s`)

// attribute finds who spoke a quotation, and how. snipEnd is the last
// sentence the snippet must hold (an attribution in a sentence of its own).
func (r *articleReader) attribute(pi, qi int, q corpus.Span, first, last, base int) (sp resolved, how string, snipEnd int) {
	pv := r.paras[pi]
	snipEnd = last
	// PENCE: Well, …
	if m := transcriptTag.FindStringSubmatch(string(pv.norm[q.Start:q.End])); m != nil && hasLetter(m[1]) {
		return r.resolve(name{text: titleCased(strings.TrimSpace(m[1])), person: true}, base+first), ByTranscript, snipEnd
	}
	aft := r.after(pi, q, last)
	if len(aft) == 0 && last+1 < len(pv.sents) && !r.hasQuote(pv.sents[last+1]) && len(pv.sents[last+1]) <= 15 && !reports(pv.sents[last+1]) {
		// “… .” Trump said. — the attribution as a sentence of its own.
		if n, how := r.attributionAfter(pv.sents[last+1]); !n.empty() {
			sp, how = r.resolveHow(n, how, base+last)
			return sp, how, last + 1
		}
	}
	if n := r.quotingIn(aft); n.text != "" {
		sp, how = r.resolveHow(n, ByDirect, base+first)
		return sp, how, snipEnd
	}
	if n, how := r.attributionAfter(aft); !n.empty() && !r.laterQuoteBetween(pi, qi, aft) {
		sp, how = r.resolveHow(n, how, base+first)
		return sp, how, snipEnd
	}
	bef := r.before(pi, q, first)
	if n, how := r.attributionBefore(bef, pv.sents[first]); !n.empty() {
		sp, how = r.resolveHow(n, how, base+first)
		return sp, how, snipEnd
	}
	// "…, Schiff said. “The other factor …”": the sentence before, in the
	// same paragraph, ends with its attribution; or names who spoke and
	// the quotation is all its sentence says.
	if len(bef) == 0 && first > 0 {
		prev := pv.sents[first-1]
		if n, how := r.attributionTail(prev); !n.empty() {
			if sp, how = r.resolveHow(n, how, base+first-1); sp.name != "" {
				return sp, how, snipEnd
			}
		}
		whole := last == first && len(aft) == 0
		if n, v := subject(prev, r.ev, r.g); !r.quotedIn(pi, prev) && v >= 0 && (verbAt(prev, v, speechLemmas, r.g) || whole) && (n.text != "" && n.person || n.pronoun != "") {
			// The sentence before says who, and this one is all quotation.
			sp, how = r.resolveHow(n, ByContinued, base+first-1)
			return sp, how, snipEnd
		}
	}
	// Caddell continued: — at the end of the sentence or paragraph before.
	if len(bef) == 0 {
		if toks := r.sentenceBefore(pi, first); len(toks) > 0 && toks[len(toks)-1].brk == ':' {
			if n, _ := r.attributionBefore(toks[:len(toks)-1], toks); !n.empty() {
				sp, _ = r.resolveHow(n, ByIntroduced, base+first-1)
				return sp, ByIntroduced, snipEnd
			}
			if n, _ := subject(toks, r.ev, r.g); !n.empty() {
				sp, _ = r.resolveHow(n, ByIntroduced, base+first-1)
				return sp, ByIntroduced, snipEnd
			}
		}
	}
	return resolved{}, "", snipEnd
}

// reports: a sentence goes on past its verb into a clause of its own ("The
// message suggested that the response could be asymmetric"), so it is no
// bare attribution of the quotation before it.
func reports(toks []token) bool {
	for _, t := range toks {
		if t.lower == "that" {
			return true
		}
	}
	return false
}

// hasQuote: a quotation opens in the tokens.
func (r *articleReader) hasQuote(toks []token) bool {
	for _, t := range toks {
		if t.quoteBefore {
			return true
		}
	}
	return false
}

// attributionTail reads "…, Schiff said." at a sentence's end: a speech
// verb among its last three words, with its subject just before.
func (r *articleReader) attributionTail(toks []token) (name, string) {
	n := len(toks)
	for v := n - 1; v >= 0 && v >= n-3; v-- {
		if !verbAt(toks, v, speechLemmas, r.g) {
			continue
		}
		j := skipAdverbs(toks, v-1)
		if j < 0 || toks[j].brk != 0 {
			return name{}, ""
		}
		nb := nameBefore(toks, j, r.ev, r.g)
		if nb.first > 0 && toks[nb.first-1].brk == ',' {
			return r.named(nb)
		}
		return name{}, ""
	}
	return name{}, ""
}

// sentenceBefore is the sentence before sentence si of paragraph pi,
// in the paragraph before if si is the first.
func (r *articleReader) sentenceBefore(pi, si int) []token {
	if si > 0 {
		return r.paras[pi].sents[si-1]
	}
	if pi > 0 {
		if s := r.paras[pi-1].sents; len(s) > 0 {
			return s[len(s)-1]
		}
	}
	return nil
}

// laterQuoteBetween: another quotation opens in aft before its attribution
// verb, so the attribution is that one's ("…,” he said, “…,” Trump said).
func (r *articleReader) laterQuoteBetween(pi, qi int, aft []token) bool {
	for i, t := range aft {
		if verbAt(aft, i, speechLemmas, r.g) {
			return false
		}
		if t.quoteBefore {
			return true
		}
	}
	return false
}

// attributionAfter reads what follows a quotation: '…,” said Raoof Hasan',
// '…,” Qureshi told VOA', '…” ― Christina Olidem', '…,” according to the
// IMF', '…,” Rep. Jim Jordan (R-Ohio), an oversight panel member, said'.
func (r *articleReader) attributionAfter(aft []token) (name, string) {
	if len(aft) == 0 {
		return name{}, ""
	}
	if aft[0].dash {
		if n := nameAfter(aft, 1, r.ev, r.g); n.text != "" {
			return n, ByDirect
		}
		return name{}, ""
	}
	for i := 0; i < len(aft) && i < 24; i++ {
		t := aft[i]
		if t.quoteBefore {
			return name{}, ""
		}
		if t.lower == "according" && i+1 < len(aft) && aft[i+1].lower == "to" {
			return r.named(nameAfter(aft, i+2, r.ev, r.g))
		}
		if !verbAt(aft, i, speechLemmas, r.g) {
			if t.brk == '.' {
				return name{}, ""
			}
			continue
		}
		// "… was written by Springsteen": a passive with its agent.
		if i+1 < len(aft) && aft[i+1].lower == "by" && i > 0 && auxiliaryWords[aft[i-1].lower] {
			if n := nameAfter(aft, i+2, r.ev, r.g); n.text != "" {
				return n, ByDirect
			}
		}
		// "said Trump", "added a campaign spokesman": the speaker after the verb.
		j := skipAdverbs(aft, i-1)
		if j < 0 {
			return r.named(nameAfter(aft, i+1, r.ev, r.g))
		}
		// The name right after the quotation, whatever stands between it and
		// the verb: '…,” Scott Pruitt, the attorney general of Oklahoma, one
		// of the states suing, said'; '…,” panel Chairman Rep. Jason Chaffetz
		// (R-Utah) said'.
		if n := nameAfter(aft, 0, r.ev, r.g); n.text != "" && n.first < i && n.last > 0 && n.last <= i &&
			(aft[n.last-1].brk == ',' || partyTag(aft[n.last-1]) || n.last == j+1) {
			// The name must end at a comma, a party tag or the verb: in "the
			// New York businessman said", "New York" is not the speaker.
			return r.named(n)
		}
		if n := nameAfter(aft, 0, r.ev, r.g); n.nominal != "" && n.first < i {
			return r.named(n) // '…,” a spokeswoman for the harbour police said'
		}
		n := nameBefore(aft, j, r.ev, r.g)
		if n.empty() || !determinersOnly(aft[:n.first]) {
			// '…,” after President Trump asked': not an attribution, unless
			// it ends the sentence: '“…” is held accountable, Warren said.'
			return r.attributionTail(aft)
		}
		return r.named(n)
	}
	return name{}, ""
}

// speechNouns are what someone said, named: "Trump's claim that …".
var speechNouns = setOf(`claim claims statement statements remark remarks words comment comments promise pledge assertion
suggestion warning vow accusation description characterization tweet tweets message slogan argument contention
allegation insistence prediction boast`)

// clauseLemmas report what was said as a clause, without an object: in
// "A said B “…”" the quoted words are B's.
var clauseLemmas = setOf(`say state report write announce claim add note confirm insist`)

// inNameAll: every token may be part of a name.
func inNameAll(toks []token, ev *evidence) bool {
	for _, t := range toks {
		if !inName(t, ev) {
			return false
		}
	}
	return len(toks) > 0
}

// skipAdverbs steps back over auxiliaries and adverbs between a subject
// and its verb ("has also said", "later told", "repeatedly warned").
func skipAdverbs(toks []token, j int) int {
	for j >= 0 && toks[j].brk == 0 && (auxiliaryWords[toks[j].lower] || (strings.HasSuffix(toks[j].lower, "ly") && startsLower(toks[j].core) && len(toks[j].lower) > 4)) {
		j--
	}
	return j
}

// determinersOnly: nothing but "a", "an", "the", after an "as" that
// opens the attribution ('…," as a Homeland Security memo put it').
func determinersOnly(toks []token) bool {
	for i, t := range toks {
		if t.lower != "a" && t.lower != "an" && t.lower != "the" && !(i == 0 && t.lower == "as") {
			return false
		}
	}
	return true
}

// quotingIn finds "…, X told him, quoting Lavrov": the words are Lavrov's.
func (r *articleReader) quotingIn(toks []token) name {
	for i, t := range toks {
		if t.lower == "quoting" {
			if n := nameAfter(toks, i+1, r.ev, r.g); n.text != "" {
				return n
			}
		}
	}
	return name{}
}

// named labels a name with how it names the speaker.
func (r *articleReader) named(n name) (name, string) {
	switch {
	case n.pronoun != "":
		return n, ByPronoun
	case n.nominal != "":
		return n, ByNominal
	case n.text != "":
		return n, ByDirect
	}
	return name{}, ""
}

// attributionBefore reads what precedes a quotation in its sentence:
// 'Secretary Pompeo tweeted: "…', 'As Qureshi observed, "…', 'Said Ellis:
// "…', 'according to the IMF, "…'. Failing a speech verb, a quotation set
// inside what the sentence's subject said or did is the subject's:
// 'Cruz called Trump a "…"', 'Trump attacked "…"'.
func (r *articleReader) attributionBefore(bef, sentence []token) (name, string) {
	if len(bef) == 0 {
		return name{}, ""
	}
	for i := 0; i+1 < len(bef); i++ {
		if bef[i].lower == "according" && bef[i+1].lower == "to" {
			if n, how := r.named(nameAfter(bef, i+2, r.ev, r.g)); !n.empty() {
				return n, how
			}
		}
		if bef[i].lower == "quoted" {
			for j := i + 1; j < len(bef) && j < i+8; j++ {
				if bef[j].lower == "as" {
					return r.named(phraseName(bef[i+1:j], r.ev, r.g))
				}
			}
		}
	}
	// "Donald Trump's claim that …", "Clinton's remark that …": the words
	// are the possessor's.
	for k := len(bef) - 2; k >= 0 && k >= len(bef)-12; k-- {
		if bef[k].possessive && speechNouns[bef[k+1].lower] && isCapitalized(bef[k].core) &&
			(k+2 == len(bef) || bef[k+2].lower == "that" || bef[k+2].lower == "of" || bef[k+2].lower == "was" || bef[k+2].lower == "is") {
			e := k + 1
			b := k
			for b > 0 && inName(bef[b-1], r.ev) && bef[b-1].brk == 0 {
				b--
			}
			if n := phraseName(bef[b:e], r.ev, r.g); n.text != "" {
				return n, ByDirect
			}
		}
		if bef[k].quoteAfter {
			break
		}
	}
	for v := len(bef) - 1; v >= 0; v-- {
		t := bef[v]
		if t.quoteAfter && v < len(bef)-1 {
			break // another quotation's words: stop there
		}
		if !verbAt(bef, v, speechLemmas, r.g) {
			continue
		}
		j := skipAdverbs(bef, v-1)
		if strings.HasSuffix(t.lower, "ing") && j >= 0 && !(bef[j].brk == 0 && pronounOf(bef[j]) != "") {
			if bef[j].brk == ',' {
				// "Sanders said, suggesting questions, including": the
				// participle is the speaker's of the verb before it.
				continue
			}
			// "a statement condemning": the clause's subject.
			break
		}
		if j < 0 {
			// "Said Ellis:": the speaker after the verb.
			if n, how := r.named(nameAfter(bef, v+1, r.ev, r.g)); !n.empty() {
				return n, how
			}
			break
		}
		// "The statement said Khan “regretted …”": the words are those of the
		// person the reported clause is about.
		if lemmaIn(t.lower, clauseLemmas) && v+1 < len(bef) && !prepositions[bef[v+1].lower] {
			if n := phraseName(bef[v+1:], r.ev, r.g); n.person && inNameAll(bef[v+1:], r.ev) && !bef[len(bef)-1].possessive {
				return n, ByDirect
			}
		}
		if n, how := r.named(nameBefore(bef, j, r.ev, r.g)); !n.empty() {
			return n, how
		}
		break
	}
	// "After saying her foot was “…,” she was": a speech participle in
	// the opening phrase is the main clause's subject's.
	if len(bef) >= 2 && introducers[bef[0].lower] && strings.HasSuffix(bef[1].lower, "ing") && isSpeechVerb(bef[1].core) {
		if n, verb := subject(sentence, r.ev, r.g); verb >= 0 && !n.empty() {
			n, _ := r.named(n)
			return n, ByEmbedded
		}
	}
	// The subject of the clause the quotation is part of.
	if n, verb := subject(sentence, r.ev, r.g); verb >= 0 && verb < len(bef) && !n.empty() {
		n, how := r.named(n)
		if how == ByDirect {
			how = ByEmbedded
		}
		return n, how
	}
	return name{}, ""
}

// resolveHow resolves a name read at sentence k (see resolve), keeping how
// it was found unless it was a pronoun that found no one.
func (r *articleReader) resolveHow(n name, how string, k int) (resolved, string) {
	sp := r.resolve(n, k)
	if sp.name == "" {
		return resolved{}, ""
	}
	return sp, how
}

// resolve turns a name read at sentence k into the article's name for the
// speaker: a surname into the full name the article gives, a pronoun into
// the last person it can stand for, a description into itself (with a
// name it holds as affiliation).
func (r *articleReader) resolve(n name, k int) resolved {
	switch {
	case n.pronoun != "":
		return r.issuer(r.antecedent(n.pronoun, n.at, k), k)
	case n.nominal != "":
		return r.nominalSpeaker(n.nominal, k)
	case n.text == "":
		return resolved{}
	case !nameLike(n.text) && len(roleWords(n.text)) > 0:
		// "the Iranian foreign minister": a role in lower case, read as
		// a name; the person the article gave that role.
		if d := r.described("the "+n.text, k); d.name != "" {
			return d
		}
	}
	return r.issuer(r.local.canonical(n), k)
}

// issuer: a named document ("the FO statement", "a White House memo")
// speaks for whoever issued it.
func (r *articleReader) issuer(sp resolved, k int) resolved {
	if !documentNouns[strings.ToLower(lastWord(sp.name))] {
		return sp
	}
	return r.nominalSpeaker(sp.name, k)
}

// documentNouns are things that say something for someone.
var documentNouns = setOf(`statement report letter memo memorandum release document filing complaint ruling order
message email tweet advertisement video website transcript survey poll study analysis editorial
communique communiqué readout`)

// nominalSpeaker is who a description stands for: a document is its
// issuer's ("the FO statement" is the FO's; "the mildly worded statement"
// is that of the last institution or person the article made the subject),
// anything else the description itself.
func (r *articleReader) nominalSpeaker(desc string, k int) resolved {
	desc = strings.TrimSpace(desc)
	if sp := r.described(desc, k); sp.name != "" {
		return sp
	}
	for _, d := range []string{"the ", "The ", "a ", "A ", "an ", "An "} {
		desc = strings.TrimPrefix(desc, d)
	}
	words := strings.Fields(desc)
	document := false
	var capital []string
	for _, w := range words {
		lw := strings.ToLower(strings.Trim(w, ",.'"))
		if documentNouns[lw] {
			document = true
		} else if isCapitalized(w) {
			capital = append(capital, strings.TrimSuffix(w, "'s"))
		}
	}
	if !document {
		return resolved{name: desc}
	}
	if len(capital) > 0 {
		return r.local.canonical(name{text: strings.Join(capital, " ")})
	}
	for i := min(k, len(r.subjects)-1); i >= 0 && i >= k-4; i-- {
		s := r.subjects[i]
		if s.name != "" && !documentNouns[strings.ToLower(lastWord(s.name))] && (s.person || nameLike(s.name)) {
			return s
		}
	}
	return resolved{name: desc}
}

// antecedent is the person "he" or "she" (or the group "they", the thing
// "it") at sentence k refers to: the subject of the nearest sentence before
// it that has one of the right kind, else the last person named.
func (r *articleReader) antecedent(pronoun string, at, k int) resolved {
	gender := pronounGender[pronoun]
	personal := pronoun == "he" || pronoun == "she"
	for i := min(k, len(r.subjects)-1); i >= 0 && i >= k-6; i-- {
		s := r.subjects[i]
		if s.name != "" && s.person == personal && (gender == 0 || s.gender == 0 || s.gender == gender) && (!personal || r.couldBePerson(s.name)) {
			return s
		}
		if personal {
			for pi, p := range r.people[i] {
				if i == k && r.peopleAt[i][pi] >= at {
					continue // named after the pronoun, in its sentence
				}
				if (gender == 0 || p.gender == 0 || p.gender == gender) && r.couldBePerson(p.name) {
					return p
				}
			}
		}
	}
	return resolved{}
}

// couldBePerson: "he" or "she" may stand for the name: not a country or
// capital the gazetteer knows ("New York" aside, which it may not), not
// an acronym ("DNC", "E.U."), not a people ("Americans").
func (r *articleReader) couldBePerson(name string) bool {
	bare := strings.ReplaceAll(name, ".", "")
	switch {
	case r.g.Known(name), allCaps(bare) && len(bare) >= 2, r.g.Demonym(name):
		return false
	}
	return true
}

// sentenceSubject is sentence k's subject, resolved, for later pronouns.
func (r *articleReader) sentenceSubject(toks []token, k int) resolved {
	n, v := subject(toks, r.ev, r.g)
	// "Reyes said he would": a pronoun right after the subject's speech
	// verb is the subject's, and tells its gender.
	if n.text != "" && n.person && v >= 0 && v+1 < len(toks) && isSpeechVerb(toks[v].core) {
		if g := pronounGender[pronounOf(toks[v+1])]; g != 0 {
			if sp := r.local.canonical(n); sp.gender == 0 {
				r.local.setGender(sp.name, g)
			}
		}
	}
	switch {
	case n.pronoun == "he" || n.pronoun == "she":
		s := r.antecedent(n.pronoun, n.at, k)
		if s.gender == 0 && s.name != "" {
			s.gender = pronounGender[n.pronoun]
			r.local.setGender(s.name, s.gender)
		}
		return s
	case n.text != "" && n.person:
		return r.local.canonical(n)
	case n.text != "":
		return resolved{name: n.text}
	case n.nominal != "":
		if d := r.described(n.nominal, k); d.name != "" {
			return d
		}
		return resolved{name: n.nominal}
	}
	return resolved{}
}

// peopleIn lists the persons a sentence names, the last named first (the
// nearest), and where each is named.
func (r *articleReader) peopleIn(toks []token, heading bool) ([]resolved, []int) {
	if heading {
		return nil, nil
	}
	var out []resolved
	var at []int
	for _, n := range namesIn(toks, r.ev, r.g) {
		// "a forum in Virginia": one word after a preposition of place is
		// a place, not someone a pronoun could stand for.
		if n.first > 0 && placePrepositions[toks[n.first-1].lower] && n.title == "" && !strings.Contains(n.text, " ") {
			continue
		}
		if n.person {
			out = append(out, r.local.canonical(n))
			at = append(at, toks[n.first].start)
		}
	}
	slices.Reverse(out)
	slices.Reverse(at)
	return out, at
}

// placePrepositions put a place after them ("in Virginia", "near Aqaba");
// "with" and "from" as often put a person.
var placePrepositions = setOf(`in at near across into outside inside throughout`)

// namesIn reads the naming phrases of a sentence, quoted words left out.
func namesIn(toks []token, ev *evidence, g *Gazetteer) []name {
	var out []name
	inQuote := false
	for i := 0; i < len(toks); {
		t := toks[i]
		if t.quoteBefore {
			inQuote = true
		}
		if inQuote || !(ev.nameWord(t) || titleWord(t)) {
			if t.quoteAfter {
				inQuote = false
			}
			i++
			continue
		}
		j := i
		for j < len(toks) && inName(toks[j], ev) && !toks[j].quoteBefore && !toks[j].dash {
			j++
			if toks[j-1].brk != 0 || toks[j-1].quoteAfter || toks[j-1].possessive {
				break
			}
		}
		n := phraseName(toks[i:j], ev, g)
		n.first, n.last = i, j
		if j == i {
			j++
		}
		i = j
		if n.text != "" {
			out = append(out, n)
		}
	}
	return out
}

// collectNames reads every name of the article once, for the article's
// table of full names (see localNames).
func (r *articleReader) collectNames() *localNames {
	l := newLocalNames()
	for _, pv := range r.paras {
		if pv.heading {
			continue
		}
		for _, toks := range pv.sents {
			for _, n := range namesIn(toks, r.ev, r.g) {
				if n.person && n.title == "" {
					n.title = appositionTitle(toks, n.last)
				}
				l.see(n)
			}
		}
	}
	l.settle()
	return l
}

// appositionTitle is the role an apposition after a name gives it: "Sam
// Marlow, the Republican nominee, said" → "Republican nominee".
func appositionTitle(toks []token, last int) string {
	if last <= 0 || last >= len(toks) || toks[last-1].brk != ',' {
		return ""
	}
	k := last
	if d := toks[k].lower; d == "the" || d == "a" || d == "an" {
		k++
	}
	for e := k; e < len(toks) && e < k+6; e++ {
		t := toks[e]
		if t.quoteBefore || t.quoteAfter || t.dash || t.possessive {
			return ""
		}
		if t.brk != 0 {
			if t.brk == ',' && len(roleWords(t.core)) > 0 {
				return joinCores(toks[k : e+1])
			}
			return ""
		}
	}
	return ""
}

func sentenceOf(sents []corpus.Span, pos int) int {
	for i, s := range sents {
		if pos >= s.Start && pos < s.End {
			return i
		}
	}
	return -1
}

func lastWord(s string) string {
	w := strings.Fields(s)
	if len(w) == 0 {
		return ""
	}
	return w[len(w)-1]
}

func firstWord(s string) string {
	w := strings.Fields(s)
	if len(w) == 0 {
		return ""
	}
	return w[0]
}
