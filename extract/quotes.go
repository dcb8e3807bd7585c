package extract

import (
	"strings"
	"unicode"

	"github.com/briefbot/briefbot/corpus"
)

// Quote is a direct quotation found in a paragraph.
type Quote struct {
	Para int    `json:"para"`
	Text string `json:"text"` // the quoted words as received, without quote marks
	// Snippet spans the whole sentences that hold the quote and its attribution.
	Snippet corpus.Span `json:"-"`
	// Speaker is the name as written ("Mohammad Faisal", "US Embassy"); empty
	// when the text does not say who spoke.
	Speaker string `json:"speaker,omitempty"`
	// Title is what the text calls the speaker ("Foreign Ministry spokesman").
	Title string `json:"title,omitempty"`
	// SpeakerKey identifies the speaker across spellings (see Registry).
	SpeakerKey string `json:"speaker_key,omitempty"`
}

// MinQuoteWords: shorter quoted phrases are scare quotes ("dangerous"), not quotations.
const MinQuoteWords = 3

// speechVerbs introduce or close a quotation.
var speechVerbs = setOf(`said says say told tells added adds noted notes stressed stresses wrote writes
tweeted tweets warned warns observed observes explained explains insisted insists argued argues
declared declares stated remarked asked asks replied responded maintained maintain maintains
continued recalled wished urged urges emphasised emphasized highlighted posted announced announces
acknowledged admitted claimed claims commented confirmed cautioned concluded vowed reminded
reiterated pointed quipped conceded suggested`)

// auxiliaries may stand between a subject and its verb ("he had then wished").
var auxiliaries = setOf(`has had have also then later further previously once again was is had`)

var pronouns = setOf(`he she it they`)

// quoteFinder walks one article in order, remembering who was last named so
// that "he noted" finds its speaker.
type quoteFinder struct {
	g *Gazetteer
	// sentencePeople holds, for each sentence read so far, its first person.
	sentencePeople []string
	// sentenceSubjects holds each sentence's leading phrase, for "it" and "they".
	sentenceSubjects []string
	speakers         map[string]bool
	// mentions are all names seen, for merging spellings across the corpus.
	mentions []mention
}

func (f *quoteFinder) known(name string) bool {
	return f.speakers[foldName(name)] || f.speakers[foldName(lastWord(name))]
}

func (f *quoteFinder) remember(name string) {
	if name != "" {
		f.speakers[foldName(name)] = true
		f.speakers[foldName(lastWord(name))] = true
	}
}

func lastWord(s string) string {
	w := strings.Fields(s)
	if len(w) == 0 {
		return ""
	}
	return w[len(w)-1]
}

// quoteSpans finds double-quoted runs in normalised text. A quote left open
// at the end of a paragraph runs to its end (the convention for quotations
// that go on into the next paragraph).
func quoteSpans(norm []rune) []corpus.Span {
	var out []corpus.Span
	open := -1
	for i, r := range norm {
		if r != '"' {
			continue
		}
		if open < 0 {
			open = i
			continue
		}
		out = append(out, corpus.Span{Start: open + 1, End: i})
		open = -1
	}
	if open >= 0 && open+1 < len(norm) {
		out = append(out, corpus.Span{Start: open + 1, End: len(norm)})
	}
	return out
}

// article extracts the quotations of every paragraph of one article.
func (f *quoteFinder) article(a *corpus.Article) []Quote {
	var quotes []Quote
	var lastSpeaker, lastTitle string // of the previous quotation, for continuations
	for _, p := range a.Paragraphs {
		norm := []rune(corpus.Normalize(p.Text))
		base := len(f.sentencePeople)
		for _, s := range p.Sentences {
			toks := tokenize(norm, s.Start, s.End)
			first := ""
			for _, ps := range peopleIn(toks, f.g, f.known) {
				if first == "" {
					first = ps.name
				}
				f.mentions = append(f.mentions, mention{a.ID, ps.name, ps.title})
			}
			f.sentencePeople = append(f.sentencePeople, first)
			f.sentenceSubjects = append(f.sentenceSubjects, leadingPhrase(toks))
		}
		paraHadSpeaker := false
		prevInSentence := map[int]string{}
		for _, q := range quoteSpans(norm) {
			text := strings.TrimSpace(string([]rune(p.Text)[q.Start:q.End]))
			if corpus.WordCount(text) < MinQuoteWords {
				continue
			}
			first, last := sentenceOf(p.Sentences, q.Start), sentenceOf(p.Sentences, max(q.End-1, q.Start))
			if first < 0 || last < 0 {
				continue
			}
			sent := p.Sentences[last]
			after := tokenize(norm, min(q.End+1, sent.End), sent.End)
			before := tokenize(norm, p.Sentences[first].Start, max(q.Start-1, p.Sentences[first].Start))
			closing := lastNonSpace(norm, q.Start, q.End)

			speaker, title := "", ""
			pronoun := ""
			if name, ok := quotingIn(after, f.g); ok {
				speaker = name
			} else if strings.ContainsRune(",?!-", closing) || (len(after) > 0 && (startsLower(after[0].core) || strings.HasPrefix(string(norm[q.End+1:min(q.End+3, len(norm))]), ","))) {
				speaker, title, pronoun = attributionAfter(after, f.g)
			}
			if speaker == "" && pronoun == "" {
				speaker, title, pronoun = attributionBefore(before, f.g)
			}
			switch {
			case pronoun == "he" || pronoun == "she":
				speaker = f.lastPerson(base + first)
			case pronoun == "it" || pronoun == "they":
				speaker = f.lastSubject(base + first)
			}
			if speaker == "" {
				if s, ok := prevInSentence[first]; ok {
					speaker = s
				} else if paraHadSpeaker && len(before) == 0 && (len(after) == 0 || closing == '.') {
					// A quotation that goes on in the next sentence keeps its speaker.
					speaker, title = lastSpeaker, lastTitle
				}
			}
			if speaker != "" {
				f.remember(speaker)
				f.mentions = append(f.mentions, mention{a.ID, speaker, title})
				paraHadSpeaker = true
				lastSpeaker, lastTitle = speaker, title
				prevInSentence[last] = speaker
				if pronoun == "he" || pronoun == "she" {
					f.sentencePeople[base+first] = speaker
				}
			}
			quotes = append(quotes, Quote{
				Para:    p.N,
				Text:    text,
				Snippet: corpus.Span{Start: p.Sentences[first].Start, End: p.Sentences[last].End},
				Speaker: speaker,
				Title:   title,
			})
		}
	}
	return quotes
}

// quotingIn finds "..., X told him, quoting Lavrov": the words are Lavrov's.
func quotingIn(toks []token, g *Gazetteer) (string, bool) {
	for i, t := range toks {
		if strings.EqualFold(t.core, "quoting") {
			if name, _, _ := nameOf(phraseAfter(toks, i+1), g); name != "" {
				return name, true
			}
		}
	}
	return "", false
}

// attributionAfter reads '..." Qureshi told VOA' or '..." said Raoof Hasan'.
func attributionAfter(toks []token, g *Gazetteer) (speaker, title, pronoun string) {
	for i, t := range toks {
		if i > 7 {
			break
		}
		if !isVerb(t, speechVerbs) {
			if !subjectWord(t.core) {
				break // '..." after President Trump asked': not an attribution
			}
			continue
		}
		if i == 0 {
			speaker, title, pronoun = nameOf(phraseAfter(toks, 1), g)
			if speaker == "" && pronoun == "" {
				speaker, title = describedName(toks, 1, g)
			}
			return speaker, title, pronoun
		}
		return subjectOf(toks, i, g)
	}
	return "", "", ""
}

// describedName reads a person named after a description in lower case,
// '..." said union steward Kari Moe': the description becomes the title.
func describedName(toks []token, i int, g *Gazetteer) (speaker, title string) {
	for k := i; k < len(toks) && k < i+4; k++ {
		w := toks[k].core
		if isCapitalized(w) {
			if k == i {
				return "", ""
			}
			name, t, _ := nameOf(phraseAfter(toks, k), g)
			if name == "" || !isPersonName(name, g) || len(strings.Fields(name)) < 2 {
				return "", ""
			}
			var desc []string
			for _, d := range toks[i:k] {
				desc = append(desc, d.core)
			}
			if t != "" {
				desc = append(desc, t)
			}
			return name, strings.Join(desc, " ")
		}
		lw := strings.ToLower(w)
		if !startsLower(w) || toks[k].brk != 0 || connectors[lw] || pronouns[lw] || auxiliaries[lw] || !isLetters(w) {
			return "", ""
		}
	}
	return "", ""
}

func isLetters(w string) bool {
	for _, r := range w {
		if !unicode.IsLetter(r) && r != '-' {
			return false
		}
	}
	return w != ""
}

// attributionBefore reads 'Secretary Pompeo tweeted: "...' and 'As Qureshi
// observed, "...' and 'quoted Bajwa as telling Zarif "...'.
func attributionBefore(toks []token, g *Gazetteer) (speaker, title, pronoun string) {
	for i := len(toks) - 1; i >= 0; i-- {
		w := strings.ToLower(toks[i].core)
		if w == "quoted" && i+1 < len(toks) {
			for j := i + 1; j < len(toks) && j < i+8; j++ {
				if toks[j].core == "as" {
					return nameOf(trimPhrase(toks[i+1:j]), g)
				}
			}
		}
		if !isVerb(toks[i], speechVerbs) || toks[i].quoteAfter {
			continue
		}
		speaker, title, pronoun = subjectOf(toks, i, g)
		if speaker == "" && pronoun == "" {
			speaker = personIn(toks[:i], g, func(string) bool { return false })
		}
		return speaker, title, pronoun
	}
	return "", "", ""
}

// isVerb: a lower-case word in the list ("States" in "United States" is a name).
func isVerb(t token, verbs map[string]bool) bool {
	return startsLower(t.core) && verbs[t.core]
}

// subjectWord may stand in the subject before an attribution verb.
func subjectWord(w string) bool {
	lw := strings.ToLower(w)
	return inPhrase(w) || pronouns[lw] || auxiliaries[lw] || lw == "a" || lw == "an"
}

// subjectOf reads the subject of the verb at toks[i], over auxiliaries.
func subjectOf(toks []token, i int, g *Gazetteer) (speaker, title, pronoun string) {
	j := i
	for j > 0 && auxiliaries[strings.ToLower(toks[j-1].core)] && toks[j-1].brk == 0 {
		j--
	}
	if j > 0 && pronouns[strings.ToLower(toks[j-1].core)] {
		return "", "", strings.ToLower(toks[j-1].core)
	}
	return nameOf(phraseBefore(toks, j), g)
}

// nameOf turns a phrase into a speaker: the person's name with the title
// apart, or the whole phrase when it names an institution ("US Embassy").
func nameOf(p phrase, g *Gazetteer) (speaker, title, pronoun string) {
	if len(p.words) == 0 {
		return "", "", ""
	}
	if len(p.words) == 1 && pronouns[strings.ToLower(p.words[0])] {
		return "", "", strings.ToLower(p.words[0])
	}
	t, n := p.split(g)
	if n == "" || notNames[strings.ToLower(strings.Fields(n)[0])] {
		return p.String(), "", ""
	}
	return n, t, ""
}

// lastPerson: the first person named in the nearest earlier sentence that names one.
func (f *quoteFinder) lastPerson(current int) string {
	for i := current - 1; i >= 0 && i >= current-8; i-- {
		if f.sentencePeople[i] != "" {
			return f.sentencePeople[i]
		}
	}
	return ""
}

// lastSubject: the leading phrase of the previous sentence ("The FO statement").
func (f *quoteFinder) lastSubject(current int) string {
	for i := current - 1; i >= 0 && i >= current-2; i-- {
		if f.sentenceSubjects[i] != "" {
			return f.sentenceSubjects[i]
		}
	}
	return ""
}

// leadingPhrase is the first naming phrase of a sentence, outside quotes.
func leadingPhrase(toks []token) string {
	for i := 0; i < len(toks) && i < 8; i++ {
		if toks[i].quoteBefore {
			return ""
		}
		if !inPhrase(toks[i].core) {
			continue
		}
		j := i
		for j < len(toks) && inPhrase(toks[j].core) && !toks[j].quoteBefore {
			j++
			if toks[j-1].brk != 0 {
				break
			}
		}
		if p := trimPhrase(toks[i:j]); len(p.words) > 0 {
			return p.String()
		}
		i = j - 1
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

func lastNonSpace(rs []rune, from, to int) rune {
	for i := to - 1; i >= from; i-- {
		if !unicode.IsSpace(rs[i]) {
			return rs[i]
		}
	}
	return 0
}

func startsLower(w string) bool {
	for _, r := range w {
		return unicode.IsLower(r)
	}
	return false
}
