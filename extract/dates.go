package extract

import (
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/briefbot/briefbot/corpus"
)

// Precision says how much of an event's date the text pins down.
type Precision string

const (
	Day   Precision = "day"
	Week  Precision = "week"
	Month Precision = "month"
	Year  Precision = "year"
)

// Event is a date expression found in a sentence, resolved to a calendar range.
type Event struct {
	Para      int         `json:"para"`
	Sentence  corpus.Span `json:"-"`
	Expr      string      `json:"expr"` // the words that give the date, as received
	Start     time.Time   `json:"start"`
	End       time.Time   `json:"end"` // last day of the range, inclusive
	Precision Precision   `json:"precision"`
}

// Date formats the start at the event's precision: 2019, 2019-11, 2019-11-03.
func (e Event) Date() string { return FormatDate(e.Start, e.Precision) }

// FormatDate writes t at precision p.
func FormatDate(t time.Time, p Precision) string {
	switch p {
	case Year:
		return t.Format("2006")
	case Month:
		return t.Format("2006-01")
	}
	return t.Format("2006-01-02")
}

const (
	weekday = `(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)`
	mon     = corpus.MonthPattern
	ordinal = `(\d{1,2})(?:st|nd|rd|th)?`
)

// datePatterns, most specific first; an expression is read by the first
// pattern that matches it and never again by a later one.
var datePatterns = []struct {
	re      *regexp.Regexp
	resolve func(m []string, pub time.Time, future bool) (start, end time.Time, p Precision, ok bool)
	// relative expressions need the publication date and are not read
	// inside quotations, where "today" is the speaker's day, not the article's.
	relative bool
	// needs is a cheap test that the sentence could match at all.
	needs clue
}{
	{re: regexp.MustCompile(`\b(` + mon + `) ` + ordinal + `,? (\d{4})\b`), needs: clueDigitMonth, resolve: func(m []string, _ time.Time, _ bool) (time.Time, time.Time, Precision, bool) {
		return dayOf(m[3], m[1], m[2])
	}},
	{re: regexp.MustCompile(`\b` + ordinal + ` (` + mon + `),? (\d{4})\b`), needs: clueDigitMonth, resolve: func(m []string, _ time.Time, _ bool) (time.Time, time.Time, Precision, bool) {
		return dayOf(m[3], m[2], m[1])
	}},
	{re: regexp.MustCompile(`\b(` + mon + `),? (\d{4})\b`), needs: clueDigitMonth, resolve: func(m []string, _ time.Time, _ bool) (time.Time, time.Time, Precision, bool) {
		mo, ok := corpus.MonthOf(m[1])
		y, err := strconv.Atoi(m[2])
		if !ok || err != nil {
			return time.Time{}, time.Time{}, "", false
		}
		s := time.Date(y, mo, 1, 0, 0, 0, 0, time.UTC)
		return s, s.AddDate(0, 1, -1), Month, true
	}},
	{re: regexp.MustCompile(`\b(` + mon + `) ` + ordinal + `\b`), relative: true, needs: clueDigitMonth, resolve: func(m []string, pub time.Time, future bool) (time.Time, time.Time, Precision, bool) {
		return nearestDay(m[1], m[2], pub, future)
	}},
	{re: regexp.MustCompile(`\b` + ordinal + ` (` + mon + `)\b`), relative: true, needs: clueDigitMonth, resolve: func(m []string, pub time.Time, future bool) (time.Time, time.Time, Precision, bool) {
		return nearestDay(m[2], m[1], pub, future)
	}},
	{re: regexp.MustCompile(`(?i:\b(last|next|this|in|since|by|until|during|early|late|mid-|from|of)) ?(` + mon + `)\b`), relative: true, needs: clueMonth, resolve: func(m []string, pub time.Time, future bool) (time.Time, time.Time, Precision, bool) {
		mo, ok := corpus.MonthOf(m[2])
		if !ok {
			return time.Time{}, time.Time{}, "", false
		}
		switch strings.ToLower(m[1]) {
		case "next":
			future = true
		case "last":
			future = false
			if mo == pub.Month() {
				pub = pub.AddDate(0, -1, 0)
			}
		case "this":
			s := time.Date(pub.Year(), mo, 1, 0, 0, 0, 0, time.UTC)
			return s, s.AddDate(0, 1, -1), Month, true
		}
		y := pub.Year()
		if future && mo <= pub.Month() {
			y++
		} else if !future && mo > pub.Month() {
			y--
		}
		s := time.Date(y, mo, 1, 0, 0, 0, 0, time.UTC)
		return s, s.AddDate(0, 1, -1), Month, true
	}},
	{re: regexp.MustCompile(`(?:\b(?i:(last|next|this|coming|past)) )?\b(` + weekday + `)\b`), relative: true, needs: clueWeekday, resolve: func(m []string, pub time.Time, future bool) (time.Time, time.Time, Precision, bool) {
		want := weekdayOf(m[2])
		switch strings.ToLower(m[1]) {
		case "next", "coming":
			future = true
		case "last", "past":
			future = false
		}
		d := pub
		if future {
			d = d.AddDate(0, 0, 1)
			for d.Weekday() != want {
				d = d.AddDate(0, 0, 1)
			}
		} else {
			for d.Weekday() != want {
				d = d.AddDate(0, 0, -1)
			}
		}
		return d, d, Day, true
	}},
	{re: regexp.MustCompile(`(?i)\b(last|next|this|past|the) (week|weekend|month|year)\b`), relative: true, needs: clueUnit, resolve: func(m []string, pub time.Time, _ bool) (time.Time, time.Time, Precision, bool) {
		rel, unit := strings.ToLower(m[1]), strings.ToLower(m[2])
		shift := map[string]int{"last": -1, "past": -1, "next": 1}[rel]
		if rel == "the" && unit != "weekend" {
			return time.Time{}, time.Time{}, "", false // "the week" alone says nothing
		}
		switch unit {
		case "week":
			// "last week" in a story is the seven days before it, whatever the weekday.
			if shift < 0 {
				return pub.AddDate(0, 0, -7), pub.AddDate(0, 0, -1), Week, true
			}
			s := pub.AddDate(0, 0, 7*shift)
			return s, s.AddDate(0, 0, 6), Week, true
		case "weekend":
			d := pub
			if shift > 0 {
				d = d.AddDate(0, 0, 1)
				for d.Weekday() != time.Saturday {
					d = d.AddDate(0, 0, 1)
				}
			} else {
				for d.Weekday() != time.Saturday {
					d = d.AddDate(0, 0, -1)
				}
			}
			return d, d.AddDate(0, 0, 1), Week, true
		case "month":
			s := time.Date(pub.Year(), pub.Month()+time.Month(shift), 1, 0, 0, 0, 0, time.UTC)
			return s, s.AddDate(0, 1, -1), Month, true
		default:
			s := time.Date(pub.Year()+shift, 1, 1, 0, 0, 0, 0, time.UTC)
			return s, s.AddDate(1, 0, -1), Year, true
		}
	}},
	{re: regexp.MustCompile(`(?i)\b(yesterday|today|tomorrow|last night|tonight)\b`), relative: true, needs: clueDayWord, resolve: func(m []string, pub time.Time, _ bool) (time.Time, time.Time, Precision, bool) {
		d := pub.AddDate(0, 0, map[string]int{"yesterday": -1, "last night": -1, "tomorrow": 1}[strings.ToLower(m[1])])
		return d, d, Day, true
	}},
	{re: regexp.MustCompile(`(?i:\b(?:in|since|by|during|until|from|of|early|late|mid-|end of|before|after)) ((?:19|20)\d\d)\b(?:[^s']|$)`), needs: clueDigit, resolve: func(m []string, _ time.Time, _ bool) (time.Time, time.Time, Precision, bool) {
		y, _ := strconv.Atoi(m[1])
		s := time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC)
		return s, s.AddDate(1, 0, -1), Year, true
	}},
}

// clue says which kinds of words a sentence holds, so that only the date
// patterns that could match are run.
type clue uint8

const (
	clueDigit clue = 1 << iota
	clueMonth
	clueWeekday
	clueUnit
	clueDayWord
	clueDigitMonth = clueDigit | clueMonth
)

var monthStems = []string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}

func cluesOf(s string) clue {
	var c clue
	if strings.ContainsAny(s, "0123456789") {
		c |= clueDigit
	}
	for _, m := range monthStems {
		if strings.Contains(s, m) {
			c |= clueMonth
			break
		}
	}
	if strings.Contains(s, "day") {
		c |= clueWeekday
	}
	lower := strings.ToLower(s)
	if strings.Contains(lower, "week") || strings.Contains(lower, "month") || strings.Contains(lower, "year") {
		c |= clueUnit
	}
	if strings.Contains(lower, "day") || strings.Contains(lower, "night") || strings.Contains(lower, "tomorrow") {
		c |= clueDayWord
	}
	return c
}

// futureMarkers, in the words just before a date, point it forward: "due to
// start from Monday" is the Monday after the article, not before.
var futureMarkers = regexp.MustCompile(`(?i)\b(will|would|shall|due|upcoming|scheduled|planned|expected|set to|plans? to|going to|next)\b`)

// dates finds every date expression in one paragraph, resolved against the
// article's publication date (zero when unknown: then only dates that carry
// their own year are kept).
func dates(p corpus.Paragraph, pub time.Time) []Event {
	norm := corpus.Normalize(p.Text)
	rnorm := []rune(norm)
	quoted := quoteSpans([]rune(p.Text))
	var out []Event
	for _, s := range p.Sentences {
		sentence := string(rnorm[s.Start:s.End])
		taken := make([]bool, len(sentence))
		clues := cluesOf(sentence)
		for _, pat := range datePatterns {
			if (pat.relative && pub.IsZero()) || clues&pat.needs != pat.needs {
				continue
			}
			for _, loc := range pat.re.FindAllStringSubmatchIndex(sentence, -1) {
				if overlaps(taken, loc[0], loc[1]) {
					continue
				}
				at := s.Start + utf8.RuneCountInString(sentence[:loc[0]])
				if pat.relative && inside(quoted, at) {
					continue
				}
				m := submatches(sentence, loc)
				future := futureMarkers.MatchString(lastWords(sentence[:loc[0]], 4))
				start, end, prec, ok := pat.resolve(m, pub, future)
				if !ok {
					continue
				}
				for i := loc[0]; i < loc[1]; i++ {
					taken[i] = true
				}
				// The expression ends with its last group: some patterns look one
				// character past it.
				last := loc[1]
				if n := len(loc); n > 2 && loc[n-1] >= 0 {
					last = loc[n-1]
				}
				exprEnd := s.Start + utf8.RuneCountInString(sentence[:last])
				expr := strings.TrimSpace(string([]rune(p.Text)[at:exprEnd]))
				out = append(out, Event{Para: p.N, Sentence: s, Expr: expr, Start: start, End: end, Precision: prec})
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Sentence.Start < out[j].Sentence.Start })
	return out
}

func submatches(s string, loc []int) []string {
	m := make([]string, len(loc)/2)
	for i := range m {
		if loc[2*i] >= 0 {
			m[i] = s[loc[2*i]:loc[2*i+1]]
		}
	}
	return m
}

func overlaps(taken []bool, from, to int) bool {
	for i := from; i < to; i++ {
		if taken[i] {
			return true
		}
	}
	return false
}

func inside(spans []corpus.Span, pos int) bool {
	for _, s := range spans {
		if pos >= s.Start && pos < s.End {
			return true
		}
	}
	return false
}

func lastWords(s string, n int) string {
	w := strings.Fields(s)
	if len(w) > n {
		w = w[len(w)-n:]
	}
	return strings.Join(w, " ")
}

func dayOf(year, month, day string) (time.Time, time.Time, Precision, bool) {
	t, ok := corpus.ParseDate(month + " " + day + ", " + year)
	return t, t, Day, ok
}

// nearestDay resolves "Jan. 3" to the nearest such day on or before the
// publication date, or after it when the sentence looks ahead.
func nearestDay(month, day string, pub time.Time, future bool) (time.Time, time.Time, Precision, bool) {
	t, ok := corpus.ParseDate(month + " " + day + ", " + strconv.Itoa(pub.Year()))
	if !ok {
		return t, t, "", false
	}
	if future && !t.After(pub) {
		t = t.AddDate(1, 0, 0)
	} else if !future && t.After(pub) {
		t = t.AddDate(-1, 0, 0)
	}
	return t, t, Day, true
}

func weekdayOf(s string) time.Weekday {
	for d := time.Sunday; d <= time.Saturday; d++ {
		if strings.EqualFold(d.String(), s) {
			return d
		}
	}
	return time.Sunday
}
