package extract

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// token is one word of a paragraph's normalised text, with what around it
// matters for reading names and attributions.
type token struct {
	core  string // the word without edge punctuation, quote marks or "'s"
	lower string
	// start and end are rune offsets of the whole token (punctuation too).
	start, end int
	// brk is the punctuation right after the word: ',' (also ';'), ':' or
	// '.' (also '!' and '?').
	brk byte
	// quoteBefore/quoteAfter: a double quote opens before or closes after it.
	quoteBefore, quoteAfter bool
	parenBefore, parenAfter bool
	// dash is a token that is a dash (—, ―, –, --) standing alone.
	dash bool
	// initial: the first word of its sentence, or after a quote opening, a
	// colon or a dash: its capital says nothing about it being a name.
	initial bool
	// possessive: the word ended in 's, which core leaves out.
	possessive bool
}

func isDashRune(r rune) bool { return r == '—' || r == '―' || r == '–' }

// tokenize splits the runes of norm between from and to into tokens. Dashes
// become tokens of their own ("said.”― Pamela" is "said.”", "―", "Pamela").
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
		// A hyphen standing alone is a dash (normalised text writes "—" so).
		if chunk := string(norm[i:j]); chunk == "-" || chunk == "--" {
			out = append(out, token{core: "—", lower: "—", start: i, end: j, dash: true})
			i = j
			continue
		}
		// Split dashes off either end and out of the middle of a chunk.
		k := i
		for k < j {
			if isDashRune(norm[k]) || (norm[k] == '-' && k+1 < j && norm[k+1] == '-') {
				e := k + 1
				for e < j && (isDashRune(norm[e]) || norm[e] == '-') {
					e++
				}
				out = append(out, token{core: "—", lower: "—", start: k, end: e, dash: true})
				k = e
				continue
			}
			e := k
			for e < j && !isDashRune(norm[e]) && !(norm[e] == '-' && e+1 < j && norm[e+1] == '-') {
				e++
			}
			out = append(out, makeToken(norm, k, e))
			k = e
		}
		i = j
	}
	for n := range out {
		t := &out[n]
		t.initial = n == 0 || out[n-1].brk == ':' || out[n-1].brk == '.' || t.quoteBefore
	}
	return out
}

func makeToken(norm []rune, i, j int) token {
	t := token{start: i, end: j}
	w := string(norm[i:j])
	lead := strings.TrimLeft(w, `"'([`)
	t.quoteBefore = strings.Contains(w[:len(w)-len(lead)], `"`)
	t.parenBefore = strings.ContainsAny(w[:len(w)-len(lead)], "([")
	trimmed := strings.TrimRight(lead, `"'),;:!?.]`)
	rest := lead[len(trimmed):]
	// "(D-Wis.)": a period inside the parenthesis is the abbreviation's.
	if i := strings.IndexAny(rest, ")]"); i > 0 && strings.HasPrefix(rest, ".") && !strings.Contains(rest[i:], ".") {
		trimmed += "."
		rest = rest[1:]
	}
	t.quoteAfter = strings.Contains(rest, `"`)
	t.parenAfter = strings.ContainsAny(rest, ")]")
	switch {
	case strings.ContainsAny(rest, ",;"):
		t.brk = ','
	case strings.Contains(rest, ":"):
		t.brk = ':'
	case strings.ContainsAny(rest, "!?"):
		t.brk = '.'
	case strings.Contains(rest, "."):
		// "Jr." and "Sen." keep their period; a sentence's last word does not.
		if abbreviation(trimmed + ".") {
			trimmed += "."
			if rest != "." {
				t.brk = '.'
			}
		} else {
			t.brk = '.'
		}
	}
	if s, ok := strings.CutSuffix(trimmed, "'s"); ok && s != "" {
		trimmed, t.possessive = s, true
	} else if s, ok := strings.CutSuffix(trimmed, "s'"); ok && s != "" {
		trimmed, t.possessive = s+"s", true
	}
	t.core = strings.TrimRight(trimmed, "'")
	t.lower = strings.ToLower(t.core)
	return t
}

// abbreviation: a word with a period that is not a sentence's end: an
// honorific ("Sen."), an initial ("J."), an acronym with periods ("U.S.").
func abbreviation(w string) bool {
	base := strings.TrimSuffix(w, ".")
	if base == "" {
		return false
	}
	lw := strings.ToLower(base)
	if honorifics[lw] || strings.Contains(base, ".") {
		return true
	}
	r, size := utf8.DecodeRuneInString(base)
	return size == len(base) && unicode.IsUpper(r)
}

func isCapitalized(w string) bool {
	for _, r := range w {
		return unicode.IsUpper(r)
	}
	return false
}

func startsLower(w string) bool {
	for _, r := range w {
		return unicode.IsLower(r)
	}
	return false
}

func hasLetter(w string) bool {
	for _, r := range w {
		if unicode.IsLetter(r) {
			return true
		}
	}
	return false
}

// allCaps: every letter a capital, and at least two letters.
func allCaps(w string) bool {
	letters := 0
	for _, r := range w {
		if unicode.IsLetter(r) {
			if !unicode.IsUpper(r) {
				return false
			}
			letters++
		}
	}
	return letters >= 2
}

// titleCased turns "PENCE" into "Pence" and leaves "McCain" alone.
func titleCased(w string) string {
	if !allCaps(w) {
		return w
	}
	rs := []rune(strings.ToLower(w))
	up := true
	for i, r := range rs {
		if up && unicode.IsLetter(r) {
			rs[i] = unicode.ToUpper(r)
		}
		up = !unicode.IsLetter(r) && r != '\''
	}
	return string(rs)
}
