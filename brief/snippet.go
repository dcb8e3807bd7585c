package brief

import (
	"strings"
	"unicode/utf8"

	"github.com/briefbot/briefbot/corpus"
	"github.com/briefbot/briefbot/extract"
)

// SnippetRunes is the length a snippet grows to around its best sentence;
// PositionRunes that of a stance item, whose position is often one
// sentence of a long quotation and needs the sentences around it.
const (
	SnippetRunes  = 360
	PositionRunes = 600
)

// snippet picks whole sentences of a paragraph around the one that best
// matches the analysed query terms (and names the actor), and marks what it
// leaves out with an ellipsis. The text between the marks is verbatim.
func snippet(text string, terms, names []string) string {
	if utf8.RuneCountInString(text) <= SnippetRunes {
		return text
	}
	sents := corpus.Sentences(text)
	if len(sents) <= 1 {
		return text
	}
	best, bestScore := 0, -1.0
	for i, s := range sents {
		sentence := string([]rune(text)[s.Start:s.End])
		lower := strings.ToLower(corpus.Normalize(sentence))
		score := 0.0
		for _, t := range terms {
			if containsAny(sentence, []string{t}) {
				score++
			}
		}
		for _, n := range names {
			if strings.Contains(lower, n) {
				score += 0.5
			}
		}
		if score > bestScore {
			best, bestScore = i, score
		}
	}
	return around(text, sents, best, SnippetRunes)
}

// snippetAt is a snippet around a position stated at runes [at, end) of
// text: around the sentence of that span that best matches the terms (a
// long quotation's sentence on the topic), so the position is never left
// out.
func snippetAt(text string, at, end int, terms []string) string {
	if utf8.RuneCountInString(text) <= PositionRunes {
		return text
	}
	sents := corpus.Sentences(text)
	rs := []rune(text)
	best, bestScore := -1, -1
	for i, s := range sents {
		if s.End <= at || (s.Start >= end && !(at >= s.Start && at < s.End)) {
			continue
		}
		sentence := string(rs[s.Start:s.End])
		score := 0
		for _, t := range terms {
			if containsAny(sentence, []string{t}) {
				score += 2
			}
		}
		if extract.NamesKind(sentence) {
			score++ // among equals, the sentence that says what the position is
		}
		if score > bestScore {
			best, bestScore = i, score
		}
	}
	if best < 0 {
		return snippet(text, terms, nil)
	}
	return around(text, sents, best, PositionRunes)
}

// around grows a snippet from sentence best to about limit runes, whole
// sentences only, marking what it leaves out with an ellipsis.
func around(text string, sents []corpus.Span, best, limit int) string {
	rs := []rune(text)
	lo, hi := best, best
	length := func() int { return sents[hi].End - sents[lo].Start }
	for {
		grew := false
		if hi+1 < len(sents) && sents[hi+1].End-sents[lo].Start <= limit {
			hi++
			grew = true
		}
		if lo > 0 && sents[hi].End-sents[lo-1].Start <= limit {
			lo--
			grew = true
		}
		if !grew || length() >= limit {
			break
		}
	}
	out := string(rs[sents[lo].Start:sents[hi].End])
	if lo > 0 {
		out = Ellipsis + " " + out
	}
	if sents[hi].End < len(rs) && strings.TrimSpace(string(rs[sents[hi].End:])) != "" {
		out += " " + Ellipsis
	}
	return out
}
