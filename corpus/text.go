package corpus

import (
	"net/url"
	"strings"
	"unicode"
)

// NormRune maps one display rune to the rune used for matching. The mapping is
// one rune to one rune, so offsets found in normalised text are valid in the
// original text (counted in runes).
func NormRune(r rune) rune {
	switch r {
	case '\u00a0', '\u2007', '\u202f', '\u2009', '\u200a', '\u2002', '\u2003', '\t':
		return ' '
	case '\u2018', '\u2019', '\u201a', '\u201b', '\u2032', '`':
		return '\''
	case '\u201c', '\u201d', '\u201e', '\u201f', '\u2033', '\u00ab', '\u00bb':
		return '"'
	case '\u2013', '\u2014', '\u2212':
		return '-'
	case '\u200b', '\u200c', '\u200d', '\ufeff':
		return ' '
	}
	return r
}

// Normalize returns s with NormRune applied to every rune.
func Normalize(s string) string {
	return strings.Map(NormRune, s)
}

// Fold is the key used to compare names: normalised, lower case, accents
// removed, spaces collapsed.
func Fold(s string) string {
	if isPlainLower(s) {
		return s
	}
	var b strings.Builder
	space := false
	for _, r := range Normalize(s) {
		r = foldAccent(unicode.ToLower(r))
		if unicode.IsSpace(r) {
			space = b.Len() > 0
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	return b.String()
}

// isPlainLower: already folded (lower-case ASCII words, single spaces).
func isPlainLower(s string) bool {
	prevSpace := true
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == ' ':
			if prevSpace {
				return false
			}
			prevSpace = true
			continue
		case c >= 0x80 || (c >= 'A' && c <= 'Z') || c == '\t' || c == '\n' || c == '\r' || c == '`':
			return false
		}
		prevSpace = false
	}
	return !prevSpace || s == ""
}

func foldAccent(r rune) rune {
	if r < 0xc0 {
		return r
	}
	switch {
	case strings.ContainsRune("àáâãäåā", r):
		return 'a'
	case strings.ContainsRune("çćč", r):
		return 'c'
	case strings.ContainsRune("èéêëēė", r):
		return 'e'
	case strings.ContainsRune("ìíîïī", r):
		return 'i'
	case strings.ContainsRune("ñń", r):
		return 'n'
	case strings.ContainsRune("òóôõöøō", r):
		return 'o'
	case strings.ContainsRune("ùúûüū", r):
		return 'u'
	case strings.ContainsRune("ýÿ", r):
		return 'y'
	case strings.ContainsRune("šś", r):
		return 's'
	case strings.ContainsRune("žźż", r):
		return 'z'
	}
	return r
}

// Span is a half-open range of rune offsets into a paragraph's text.
type Span struct{ Start, End int }

// abbreviations end with a period that does not end a sentence.
var abbreviations = map[string]bool{
	"mr": true, "mrs": true, "ms": true, "dr": true, "gen": true, "lt": true, "col": true,
	"sgt": true, "st": true, "jan": true, "feb": true, "mar": true, "apr": true, "jun": true,
	"jul": true, "aug": true, "sep": true, "sept": true, "oct": true, "nov": true, "dec": true,
	"u.s": true, "u.n": true, "u.k": true, "no": true, "vs": true, "etc": true, "inc": true,
	"co": true, "corp": true, "jr": true, "sr": true, "prof": true, "rep": true, "sen": true,
	"gov": true, "amb": true, "capt": true, "maj": true, "adm": true, "rev": true, "e.g": true,
	"i.e": true, "a.m": true, "p.m": true, "mt": true, "ft": true, "del": true, "sens": true, "reps": true,
}

// Sentences splits text into sentences and returns their rune spans, with
// surrounding white space excluded. A sentence ends at . ! or ? (after any
// closing quotes or brackets) followed by space and a capital, a digit or an
// opening quote; common abbreviations and initials do not end sentences.
func Sentences(text string) []Span {
	rs := []rune(Normalize(text))
	var out []Span
	start := skipSpace(rs, 0)
	for i := start; i < len(rs); i++ {
		r := rs[i]
		if r != '.' && r != '!' && r != '?' {
			continue
		}
		end := i + 1
		for end < len(rs) && strings.ContainsRune("\"')]", rs[end]) {
			end++
		}
		if end < len(rs) && !unicode.IsSpace(rs[end]) {
			continue
		}
		next := skipSpace(rs, end)
		if next < len(rs) && !startsSentence(rs[next]) {
			continue
		}
		if r == '.' && isAbbreviation(rs[start:i]) {
			continue
		}
		out = append(out, Span{start, trimRight(rs, start, end)})
		start = next
		i = next - 1
	}
	if start < len(rs) {
		if e := trimRight(rs, start, len(rs)); e > start {
			out = append(out, Span{start, e})
		}
	}
	return out
}

func startsSentence(r rune) bool {
	return unicode.IsUpper(r) || unicode.IsDigit(r) || r == '"' || r == '\'' || r == '(' || r == '['
}

func isAbbreviation(before []rune) bool {
	j := len(before)
	for j > 0 && !unicode.IsSpace(before[j-1]) && before[j-1] != '(' && before[j-1] != '"' {
		j--
	}
	word := strings.ToLower(string(before[j:]))
	if abbreviations[word] {
		return true
	}
	// A single capital letter is an initial ("John F. Kennedy"), and so are
	// capitals joined by periods ("G.K. Butterfield").
	w := []rune(string(before[j:]))
	if len(w) == 1 && unicode.IsUpper(w[0]) {
		return true
	}
	if len(w) >= 3 && len(w) <= 5 {
		for i, r := range w {
			if (i%2 == 0 && !unicode.IsUpper(r)) || (i%2 == 1 && r != '.') {
				return false
			}
		}
		return true
	}
	return false
}

func skipSpace(rs []rune, i int) int {
	for i < len(rs) && unicode.IsSpace(rs[i]) {
		i++
	}
	return i
}

func trimRight(rs []rune, start, end int) int {
	for end > start && unicode.IsSpace(rs[end-1]) {
		end--
	}
	return end
}

// WordCount counts runs of letters or digits.
func WordCount(s string) int {
	n, in := 0, false
	for _, r := range s {
		w := unicode.IsLetter(r) || unicode.IsDigit(r) || r == '\''
		if w && !in {
			n++
		}
		in = w
	}
	return n
}

// CleanURL is an article's address as citations link it: absolute http(s)
// only, with a host, no user name or password, at most 2048 characters,
// and escaped so that no character of it ends a Markdown link; "" for
// anything else.
func CleanURL(raw string) string {
	raw = strings.TrimSpace(raw)
	if raw == "" || len(raw) > 2048 {
		return ""
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil || u.Opaque != "" {
		return ""
	}
	u.Host = strings.ToLower(u.Host)
	return linkUnsafe.Replace(u.String())
}

// linkUnsafe are characters url.URL.String leaves that Markdown reads.
var linkUnsafe = strings.NewReplacer("(", "%28", ")", "%29", "[", "%5B", "]", "%5D", "<", "%3C", ">", "%3E", " ", "%20", "`", "%60")
