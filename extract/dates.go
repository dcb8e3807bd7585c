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
	// Parts of a year: "the third quarter", "the first half", "last fall".
	Quarter Precision = "quarter"
	Half    Precision = "half"
	Season  Precision = "season"
)

// How an event's date was found from its words.
const (
	BasisExplicit    = "explicit"                // the words give the year: "March 3, 2019", "in 2015"
	BasisPublication = "relative to publication" // "yesterday", "last month", "in November" (the nearest)
	BasisFuture      = "tense: future"           // "will meet on Monday": the one after publication
	BasisPast        = "tense: past"             // "met on Monday": the one before
)

// Event is a date expression found in a sentence, resolved to a calendar range.
type Event struct {
	Para      int         `json:"para"`
	Sentence  corpus.Span `json:"-"`
	Expr      string      `json:"expr"` // the words that give the date, as received
	Start     time.Time   `json:"start"`
	End       time.Time   `json:"end"` // last day of the range, inclusive
	Precision Precision   `json:"precision"`
	// Basis says how the date was resolved (see the Basis constants).
	Basis string `json:"basis"`
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
	case Quarter, Half, Season:
		return partLabel(t, p)
	}
	return t.Format("2006-01-02")
}

const (
	weekday = `(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)`
	mon     = corpus.MonthPattern
	ordinal = `(\d{1,2})(?:st|nd|rd|th)?`
	year4   = `((?:1[6-9]|20)\d\d)`
	numWord = numberWordPattern
	// spelledYear: "nineteen ninety-one", "the year two thousand".
	tensYear    = `(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:-(?:one|two|three|four|five|six|seven|eight|nine))?`
	spelledYr   = `((?:nineteen|eighteen) (?:hundred|oh (?:one|two|three|four|five|six|seven|eight|nine)|` + tensYear + `|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen))`
	thousandsYr = `(two thousand(?:(?: and)? (?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen))?)`
)

// reading is what a date pattern needs to resolve its match.
type reading struct {
	m     []string  // the submatches
	pub   time.Time // the publication date (zero when unknown)
	tense int       // +1: the clause looks ahead; -1: it tells the past; 0: neither
}

type resolved3 struct {
	start, end time.Time
	prec       Precision
	basis      string
}

// datePatterns, most specific first; an expression is read by the first
// pattern that matches it and never again by a later one.
var datePatterns = []struct {
	re      *regexp.Regexp
	resolve func(r reading) (resolved3, bool)
	// relative expressions need the publication date (also inside
	// quotations: news reports what was said as of its day).
	relative bool
	// needs is a cheap test that the sentence could match at all.
	needs clue
}{
	// "Friday Oct. 13", "Friday, Oct. 23, 1998": the day the date gives.
	{re: regexp.MustCompile(`\b` + weekday + `,? (` + mon + `) ` + ordinal + `(?:,? ` + year4 + `)?\b`), relative: true, needs: clueDigitMonth, resolve: func(r reading) (resolved3, bool) {
		if r.m[3] != "" {
			return dayOf(r.m[3], r.m[1], r.m[2])
		}
		return nearestDay(r.m[1], r.m[2], r.pub, r.tense)
	}},
	{re: regexp.MustCompile(`\b(` + mon + `) ` + ordinal + `,? ` + year4 + `\b`), needs: clueDigitMonth, resolve: func(r reading) (resolved3, bool) {
		return dayOf(r.m[3], r.m[1], r.m[2])
	}},
	{re: regexp.MustCompile(`\b` + ordinal + ` (` + mon + `),? ` + year4 + `\b`), needs: clueDigitMonth, resolve: func(r reading) (resolved3, bool) {
		return dayOf(r.m[3], r.m[2], r.m[1])
	}},
	{re: regexp.MustCompile(`\b(` + mon + `),? (?:of )?` + year4 + `\b`), needs: clueDigitMonth, resolve: func(r reading) (resolved3, bool) {
		mo, ok := corpus.MonthOf(r.m[1])
		y, err := strconv.Atoi(r.m[2])
		if !ok || err != nil {
			return resolved3{}, false
		}
		return monthRange(y, mo, BasisExplicit), true
	}},
	// Parts of a year with their year: "the third quarter of 1990", "the
	// 1988 third quarter", "this year's first half", "the winter of 1994".
	{re: regexp.MustCompile(`(?i)\b` + partOrdinal + `[- ](quarter|half)(?:,? of| in)? ` + year4 + `\b`), needs: clueDigit, resolve: func(r reading) (resolved3, bool) {
		return partRange(partPrecision(r.m[2]), ordinalParts[strings.ToLower(r.m[1])], r.m[3], "", 0, r.pub)
	}},
	{re: regexp.MustCompile(`(?i)\b` + year4 + `(?:'s)? ` + partOrdinal + `[- ](quarter|half)\b`), needs: clueDigit, resolve: func(r reading) (resolved3, bool) {
		return partRange(partPrecision(r.m[3]), ordinalParts[strings.ToLower(r.m[2])], r.m[1], "", 0, r.pub)
	}},
	{re: regexp.MustCompile(`(?i)\b((?:last|this|next) year)(?:'s)? ` + partOrdinal + `[- ](quarter|half)\b`), relative: true, needs: clueUnit, resolve: func(r reading) (resolved3, bool) {
		return partRange(partPrecision(r.m[3]), ordinalParts[strings.ToLower(r.m[2])], r.m[1], "", 0, r.pub)
	}},
	{re: regexp.MustCompile(`(?i)\b` + seasonWord + `(?: of)? (` + year4[1:len(year4)-1] + `|` + spelledYr[1:len(spelledYr)-1] + `)\b`), needs: clueSeason, resolve: func(r reading) (resolved3, bool) {
		return partRange(Season, int(seasonStart[strings.ToLower(r.m[1])]), r.m[2], "", 0, r.pub)
	}},
	// Without a year: "the third quarter", "fourth-quarter profit", "the
	// second half", "last fall", "this past spring", "the summer".
	{re: regexp.MustCompile(`(?i)\b(?:the |its |this |a |fiscal )` + partOrdinal + `[- ](quarter|half)\b|\b` + partOrdinal + `-(quarter|half)\b`), relative: true, needs: clueUnit, resolve: func(r reading) (resolved3, bool) {
		ord, unit := r.m[1], r.m[2]
		if ord == "" {
			ord, unit = r.m[3], r.m[4]
		}
		// No tense: "expects to report third-quarter results" looks ahead
		// to the report, not to the quarter.
		return partRange(partPrecision(unit), ordinalParts[strings.ToLower(ord)], "", "", 0, r.pub)
	}},
	// ("the fall" alone is as often a drop: "the fall in prices".)
	{re: regexp.MustCompile(`(?i)\b(?:(last|next|this past|this coming|this|early|late) ` + seasonWord + `|the (spring|summer|autumn|winter))\b`), relative: true, needs: clueSeason, resolve: func(r reading) (resolved3, bool) {
		season := r.m[2] + r.m[3]
		return partRange(Season, int(seasonStart[strings.ToLower(season)]), "", lastWord(strings.ToLower(r.m[1])), r.tense, r.pub)
	}},
	// "June last year", "January this year", "early October of next year".
	{re: regexp.MustCompile(`\b(` + mon + `),? (?:of )?((?i:last|this|next) year)\b`), relative: true, needs: clueMonth, resolve: func(r reading) (resolved3, bool) {
		mo, ok := corpus.MonthOf(r.m[1])
		if !ok {
			return resolved3{}, false
		}
		shift := map[string]int{"last": -1, "this": 0, "next": 1}[strings.ToLower(firstWord(r.m[2]))]
		return monthRange(r.pub.Year()+shift, mo, BasisPublication), true
	}},
	{re: regexp.MustCompile(`(?:\b(?i:(by|until|till)) )?\b(` + mon + `) ` + ordinal + `\b`), relative: true, needs: clueDigitMonth, resolve: func(r reading) (resolved3, bool) {
		if r.m[1] != "" {
			r.tense = 1 // a deadline looks ahead
		}
		return nearestDay(r.m[2], r.m[3], r.pub, r.tense)
	}},
	{re: regexp.MustCompile(`\b` + ordinal + ` (` + mon + `)\b`), relative: true, needs: clueDigitMonth, resolve: func(r reading) (resolved3, bool) {
		return nearestDay(r.m[2], r.m[1], r.pub, r.tense)
	}},
	// A month after a word that makes it one, or as an adjective ("the
	// March accession"): the nearest such month, or by the tense.
	{re: regexp.MustCompile(`(?:\b(?i:(last|next|this|in|since|by|until|till|through|into|during|early|late|mid|from|of|before|after|for|around|the))[ -])(` + mon + `)\b`), relative: true, needs: clueMonth, resolve: func(r reading) (resolved3, bool) {
		mo, ok := corpus.MonthOf(r.m[2])
		if !ok {
			return resolved3{}, false
		}
		switch strings.ToLower(r.m[1]) {
		case "next", "until", "till", "by":
			return nearestMonth(mo, r.pub, 1), true // a deadline looks ahead
		case "through":
			// The end of a span lies where the span reaches, whatever the
			// clause's tense: loans "extended through January" in October
			// run to the coming one, "sales through September" to the last.
			return closestMonth(mo, r.pub), true
		case "last":
			// "last February" in March is the February of a year ago: the
			// month just gone would be "last month".
			y := r.pub.Year()
			if mo >= r.pub.Month()-1 {
				y--
			}
			return monthRange(y, mo, BasisPublication), true
		case "this":
			return monthRange(r.pub.Year(), mo, BasisPublication), true
		}
		return nearestMonth(mo, r.pub, r.tense), true
	}},
	{re: regexp.MustCompile(`(?:\b(?i:(last|next|this|coming|past)) )?\b(` + weekday + `)\b`), relative: true, needs: clueWeekday, resolve: func(r reading) (resolved3, bool) {
		want := weekdayOf(r.m[2])
		dir := r.tense
		switch strings.ToLower(r.m[1]) {
		case "next", "coming":
			dir = 1
		case "last", "past":
			dir = -1
		}
		d := r.pub
		basis := BasisPast
		if dir > 0 {
			// "will meet on Friday" in a Friday story is that day.
			basis = BasisFuture
			for d.Weekday() != want {
				d = d.AddDate(0, 0, 1)
			}
		} else {
			if dir == 0 {
				basis = BasisPublication
			}
			if strings.EqualFold(r.m[1], "last") {
				d = d.AddDate(0, 0, -1) // "last Monday" on a Monday is a week ago
			}
			for d.Weekday() != want {
				d = d.AddDate(0, 0, -1)
			}
		}
		return resolved3{d, d, Day, basis}, true
	}},
	{re: regexp.MustCompile(`(?i)\b(last|next|this|past) (month|year)\b`), relative: true, needs: clueUnit, resolve: func(r reading) (resolved3, bool) {
		rel, unit := strings.ToLower(r.m[1]), strings.ToLower(r.m[2])
		shift := map[string]int{"last": -1, "past": -1, "next": 1}[rel]
		if unit == "month" {
			s := time.Date(r.pub.Year(), r.pub.Month()+time.Month(shift), 1, 0, 0, 0, 0, time.UTC)
			return resolved3{s, s.AddDate(0, 1, -1), Month, BasisPublication}, true
		}
		s := time.Date(r.pub.Year()+shift, 1, 1, 0, 0, 0, 0, time.UTC)
		return resolved3{s, s.AddDate(1, 0, -1), Year, BasisPublication}, true
	}},
	// "for the year", "the full year", "the current year": the publication's.
	{re: regexp.MustCompile(`(?i)\b(for the year|the (?:full|current) year)\b(?:[^-]|$)`), relative: true, needs: clueUnit, resolve: func(r reading) (resolved3, bool) {
		s := time.Date(r.pub.Year(), 1, 1, 0, 0, 0, 0, time.UTC)
		return resolved3{s, s.AddDate(1, 0, -1), Year, BasisPublication}, true
	}},
	// "will mature in five years": that many after publication.
	{re: regexp.MustCompile(`(?i)\b(in ` + numWord + ` (years|months))\b`), relative: true, needs: clueUnit, resolve: func(r reading) (resolved3, bool) {
		n, ok := number(r.m[2])
		if !ok || n < 2 || r.tense != 1 {
			return resolved3{}, false // "the first in 23 years": a span, not a date
		}
		if strings.EqualFold(r.m[3], "months") {
			s := time.Date(r.pub.Year(), r.pub.Month()+time.Month(n), 1, 0, 0, 0, 0, time.UTC)
			return resolved3{s, s.AddDate(0, 1, -1), Month, BasisFuture}, true
		}
		s := time.Date(r.pub.Year()+n, 1, 1, 0, 0, 0, 0, time.UTC)
		return resolved3{s, s.AddDate(1, 0, -1), Year, BasisFuture}, true
	}},
	{re: regexp.MustCompile(`(?i)\b(yesterday|today|tomorrow)\b`), relative: true, needs: clueDayWord, resolve: func(r reading) (resolved3, bool) {
		d := r.pub.AddDate(0, 0, map[string]int{"yesterday": -1, "tomorrow": 1}[strings.ToLower(r.m[1])])
		return resolved3{d, d, Day, BasisPublication}, true
	}},
	// A year said in words: "in nineteen ninety-one", "the year two
	// thousand" (broadcast transcripts).
	{re: regexp.MustCompile(`(?i)\b` + spelledYr + `(?:[^\w-]|$)`), needs: clueSpelled, resolve: func(r reading) (resolved3, bool) {
		return spelledYearRange(r.m[1])
	}},
	{re: regexp.MustCompile(`(?i)\bthe year ` + thousandsYr + `(?:[^\w-]|$)`), needs: clueSpelled, resolve: func(r reading) (resolved3, bool) {
		return spelledYearRange(r.m[1])
	}},
	// "41 years ago", "two months ago", "six weeks ago", "three days ago".
	{re: regexp.MustCompile(`(?i)\b` + numWord + ` ((day|week|month|year)s ago)\b`), relative: true, needs: clueAgo, resolve: func(r reading) (resolved3, bool) {
		n, ok := number(r.m[1])
		if !ok || n < 2 {
			return resolved3{}, false
		}
		switch strings.ToLower(r.m[3]) {
		case "day":
			d := r.pub.AddDate(0, 0, -n)
			return resolved3{d, d, Day, BasisPublication}, true
		case "week":
			monday := mondayOf(r.pub.AddDate(0, 0, -7*n))
			return resolved3{monday, monday.AddDate(0, 0, 6), Week, BasisPublication}, true
		case "month":
			s := time.Date(r.pub.Year(), r.pub.Month()-time.Month(n), 1, 0, 0, 0, 0, time.UTC)
			return resolved3{s, s.AddDate(0, 1, -1), Month, BasisPublication}, true
		}
		s := time.Date(r.pub.Year()-n, 1, 1, 0, 0, 0, 0, time.UTC)
		return resolved3{s, s.AddDate(1, 0, -1), Year, BasisPublication}, true
	}},
	// Holidays with a rule for their day: the nearest one, or by the tense.
	{re: regexp.MustCompile(`\b(Thanksgiving(?: Day)?|Election Day|Christmas(?: Day| Eve)?|New Year's (?:Day|Eve)|Independence Day|Labor Day|Memorial Day|Veterans Day|Valentine's Day|Halloween)\b`), relative: true, needs: clueHoliday, resolve: func(r reading) (resolved3, bool) {
		return nearestHoliday(r.m[1], r.pub, r.tense)
	}},
	// A year with a word that makes it one: "in 2015", "the 1996 law",
	// "the company's 1989 results", "between 1985 and 1987".
	{re: regexp.MustCompile(`(?:\b(?i:in|since|by|during|until|till|through|into|from|of|for|early|late|mid|end of|before|after|the|a|an|its|his|her|their|our|this|that|between|and|to|post|pre)|'s)[ -]` + year4 + `\b(?:[^s'\d,.%-]|[.,]\D|[.,]?$)`), needs: clueDigit, resolve: func(r reading) (resolved3, bool) {
		y, _ := strconv.Atoi(r.m[1])
		s := time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC)
		return resolved3{s, s.AddDate(1, 0, -1), Year, BasisExplicit}, true
	}},
}

// notDates are date words in uses that say no date of an event: a week
// ("last week": which days, the text does not say), a weekend, a time of
// day (a TIME, not a date: "Wednesday night", "10 p.m. Wednesday"), a
// possessive ("last year's $2.3 billion", "today's computers"), a name
// ("VOA Today"), a part of a year ("the third quarter of 1990").
var (
	vagueWeek         = regexp.MustCompile(`(?i)\b(last|next|this|past|the|that|coming|previous|following) (week|weekend)\b`)
	recurring         = regexp.MustCompile(`(?i)\b(each|every) ` + weekday + `\b`)
	dayShift          = regexp.MustCompile(`(?i)\bthe day (before|after)\s+$`)
	weekOf            = regexp.MustCompile(`(?i)\bthe week of\s+$`)
	periodEnding      = regexp.MustCompile(`^\s+(ending|ended)\b`)
	timeOfDayAft      = regexp.MustCompile(`^(?i:'s)?\s*(?i:night|morning|afternoon|evening|nights|mornings)\b`)
	clockBefore       = regexp.MustCompile(`(?i)(\d{1,2}(:\d\d)?\s*(a\.?m\.?|p\.?m\.?)|noon|midnight|\d{1,2} in the (morning|evening|afternoon))(\s*\(?[A-Z]{2,4}\)?)?\s*$`)
	possessiveAft     = regexp.MustCompile(`^'s\b`)
	possessiveValue   = regexp.MustCompile(`^'s\s+[$£€\d#]`)
	genericPossessive = regexp.MustCompile(`(?i)^(today|this year|last year|next year)$`)
	partOfYear        = regexp.MustCompile(`(?i)\b(quarter|half|fiscal|period|quarters)\s+(of\s+)?$`)
)

// clue says which kinds of words a sentence holds, so that only the date
// patterns that could match are run.
type clue uint16

const (
	clueDigit clue = 1 << iota
	clueMonth
	clueWeekday
	clueUnit
	clueDayWord
	clueAgo
	clueHoliday
	clueSpelled
	clueSeason
	clueWeek
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
	if strings.Contains(s, "day") || strings.Contains(s, "Day") {
		c |= clueWeekday | clueHoliday
	}
	if strings.Contains(s, "Christmas") || strings.Contains(s, "Thanksgiving") || strings.Contains(s, "Halloween") || strings.Contains(s, "New Year") {
		c |= clueHoliday
	}
	lower := strings.ToLower(s)
	if strings.Contains(lower, "month") || strings.Contains(lower, "year") || strings.Contains(lower, "quarter") || strings.Contains(lower, "half") {
		c |= clueUnit
	}
	for _, w := range []string{"spring", "summer", "fall", "autumn", "winter"} {
		if strings.Contains(lower, w) {
			c |= clueSeason
			break
		}
	}
	if strings.Contains(lower, "day") || strings.Contains(lower, "tomorrow") {
		c |= clueDayWord
	}
	if strings.Contains(lower, "week") {
		c |= clueWeek
	}
	if strings.Contains(lower, " ago") {
		c |= clueAgo
	}
	if strings.Contains(lower, "nineteen ") || strings.Contains(lower, "eighteen ") || strings.Contains(lower, "two thousand") {
		c |= clueSpelled
	}
	return c
}

// futureWords point the clause they stand in forward: "will meet on
// Monday", "planned to leave on Thursday", "is due Nov. 6".
var futureWords = setOf(`will would shall 'll may might due upcoming scheduled planned planning plan plans expected expects expect
intends intend intended aims aim going set next payable likely`)

// resolveVerbs commit to what their infinitive says, which lies ahead of
// the committing: "agreed to meet", "vowed to retaliate".
var resolveVerbs = setOf(`decide agree promise vow pledge threaten hope prepare seek resolve undertake commit`)

// intentions point forward only as verbs: "plans to hold", "planned a
// rally for Saturday", not "vacation plans" or "the hastily planned trip".
var intentions = setOf(`plan plans planned planning intend intends intended aim aims aimed expect expects expected`)

// futureCue: the word w, between prev and next, points forward.
func futureCue(prev, w, next string) bool {
	switch {
	case !futureWords[w]:
		return false
	case w == "next":
		return next != "to" // "next to the embassies"
	case w == "set":
		return next == "to" || next == "for" // not "set Friday as the deadline"
	case w == "may" || w == "might":
		return next != "have" // "may have met": the past
	case intentions[w]:
		if strings.HasSuffix(w, "ed") {
			return !determiners[prev] && !strings.HasSuffix(prev, "ly")
		}
		return next == "to"
	}
	return true
}

// tenseOf reads where the clause before a date points: forward (+1:
// "will meet on Monday", "plans to redeem the shares on Oct. 31"), back
// (-1: "met on Monday", "said Sunday", "was closed in May"), or neither
// said (0). The signal nearest the date wins; a reporting verb further
// away is the narrator's ("He added that guidelines to be published in
// early November…"), and nothing before a clause break counts.
func tenseOf(before string) int {
	words := strings.Fields(before)
	future, past := -1, -1 // distance of the nearest signal of each
	for i, dist := len(words)-1, 0; i >= 0 && dist < 14; i, dist = i-1, dist+1 {
		raw := words[i]
		if strings.ContainsAny(raw, ";:") {
			break
		}
		w, prev, next := wordAt(words, i), wordAt(words, i-1), wordAt(words, i+1)
		lower := startsLower(strings.Trim(raw, `,."'(`))
		nextLower := i+1 < len(words) && startsLower(strings.Trim(words[i+1], `,."'()`))
		switch {
		case w == "to" && lemmaIn(prev, resolveVerbs) && nextLower:
			// "decided to admit them in March": what was resolved lies ahead.
			if future < 0 {
				future = dist
			}
		case futureCue(prev, w, next):
			if future < 0 {
				future = dist
			}
		case past >= 0:
		case (w == "is" || w == "are" || w == "am") && dist <= 3 && future < 0:
			// "when the case is heard in May": the present, nearer than any
			// past said before it.
			return 0
		case (w == "was" || w == "were" || w == "had" || w == "did" || w == "ago" || w == "earlier") && dist <= 5:
			past = dist
		case (w == "has" || w == "have") && dist <= 5 && dist > 0 && participle(next):
			past = dist // "has fallen 2% this year through Oct. 19"
		case lower && pastForm(w) && dist <= 8:
			if lemmaIn(w, speechLemmas) && dist > 2 {
				continue // the narrator reporting, not the event
			}
			switch prev {
			case "be", "to", "been", "being", "is", "are", "am":
				continue // "to be published", "is heard": no past
			}
			if nextLower && !functionWords[next] && dist > 0 {
				continue // "preferred shares": an adjective
			}
			past = dist
		}
	}
	switch {
	case future >= 0 && (past < 0 || future < past):
		return 1
	case past >= 0:
		return -1
	}
	return 0
}

// tenseAfter reads the verb after a date that opens its clause ("On
// Election Day turnout was low", "Saturday will decide", "On Tuesday, the
// league plans to hold a news conference"), up to a clause break.
func tenseAfter(after string) int {
	words := strings.Fields(after)
	for i := 0; i < len(words) && i < 12; i++ {
		raw := words[i]
		w, prev := wordAt(words, i), wordAt(words, i-1)
		switch {
		case futureCue(prev, w, wordAt(words, i+1)):
			return 1
		case w == "was" || w == "were" || w == "had" || w == "did":
			return -1
		case startsLower(raw) && (pastForm(w) || w == "set") && !determiners[prev]:
			return -1 // "In September, it announced plans", not "the revised plan"
		}
		if strings.ContainsAny(raw, ";:") || i > 0 && strings.HasSuffix(raw, ".") {
			break
		}
	}
	return 0
}

// participle: a past participle ("fallen", "risen", "signed").
func participle(w string) bool {
	return pastForm(w) || strings.HasSuffix(w, "en") && len(w) > 4
}

// pastForm: a verb's past ("signed", "met").
func pastForm(w string) bool {
	if _, irr := irregular[w]; irr {
		return true
	}
	return strings.HasSuffix(w, "ed") && len(w) > 4
}

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
		// The tense is the narrator's: quoted words are left out of it.
		masked := []rune(sentence)
		for i := range masked {
			if inside(quoted, s.Start+i) {
				masked[i] = ' '
			}
		}
		plain := string(masked)
		taken := make([]bool, len(sentence))
		clues := cluesOf(sentence)
		// Vague weeks are words the reader recognises and sets aside.
		// So are days that recur ("each Thursday"): no one date. (The
		// patterns are slow; most sentences have neither word.)
		for _, re := range []*regexp.Regexp{vagueWeek, recurring} {
			if re == vagueWeek && clues&clueWeek == 0 || re == recurring && clues&clueWeekday == 0 {
				continue
			}
			for _, loc := range re.FindAllStringIndex(sentence, -1) {
				for i := loc[0]; i < loc[1]; i++ {
					taken[i] = true
				}
			}
		}
		for _, pat := range datePatterns {
			if (pat.relative && pub.IsZero()) || clues&pat.needs != pat.needs {
				continue
			}
			for _, loc := range pat.re.FindAllStringSubmatchIndex(sentence, -1) {
				// The expression is the groups the pattern captured (some patterns
				// look one word before or one character past it).
				first, last := exprBounds(loc)
				if overlaps(taken, first, last) {
					continue
				}
				at := s.Start + utf8.RuneCountInString(sentence[:first])
				if notADate(sentence, first, last) {
					continue
				}
				if strings.EqualFold(strings.TrimSpace(submatches(sentence, loc)[1]), "the") && !adjectiveUse(sentence[last:]) {
					continue // "The March for Peace": a name, not a month
				}
				tense := tenseOf(plainBefore(plain, sentence, loc[0]))
				if tense == 0 {
					tense = tenseAfter(sentence[last:])
				}
				// Quoted words speak of the day they were said: 'Pompeo tweeted
				// Jan. 3, “… spoke today …”' is Jan. 3.
				ref := pub
				if pat.relative && inside(quoted, at) {
					if said, ok := saidOn(out, s, quoted); ok {
						ref = said
					}
				}
				r := reading{m: submatches(sentence, loc), pub: ref, tense: tense}
				res, ok := pat.resolve(r)
				if !ok || res.start.IsZero() || (res.prec == Year && countNoun(sentence[last:])) {
					continue
				}
				// "for the year ending tomorrow": a fiscal period, no date.
				if (res.prec == Year || res.prec == Month) && periodEnding.MatchString(sentence[last:]) {
					continue
				}
				// "the day before last Tuesday's hearing", "the week of March 6".
				if res.prec == Day {
					if m := dayShift.FindStringSubmatchIndex(sentence[:first]); m != nil {
						shift := map[string]int{"before": -1, "after": 1}[strings.ToLower(sentence[m[2]:m[3]])]
						res.start = res.start.AddDate(0, 0, shift)
						res.end = res.start
						at = s.Start + utf8.RuneCountInString(sentence[:m[0]])
					} else if m := weekOf.FindStringIndex(sentence[:first]); m != nil {
						monday := mondayOf(res.start)
						res.start, res.end, res.prec = monday, monday.AddDate(0, 0, 6), Week
						at = s.Start + utf8.RuneCountInString(sentence[:m[0]])
					}
				}
				for i := loc[0]; i < last; i++ {
					taken[i] = true
				}
				exprEnd := s.Start + utf8.RuneCountInString(sentence[:last])
				expr := strings.TrimSpace(string([]rune(p.Text)[at:exprEnd]))
				out = append(out, Event{Para: p.N, Sentence: s, Expr: expr, Start: res.start, End: res.end, Precision: res.prec, Basis: res.basis})
				// "April 24 and 25", "March 3-5": the second day too.
				if res.prec == Day {
					if m := dayAfter.FindStringSubmatchIndex(sentence[last:]); m != nil {
						if d, err := strconv.Atoi(sentence[last+m[2] : last+m[3]]); err == nil && d > res.start.Day() && d <= 31 {
							second := time.Date(res.start.Year(), res.start.Month(), d, 0, 0, 0, 0, time.UTC)
							if second.Month() == res.start.Month() {
								a := s.Start + utf8.RuneCountInString(sentence[:last+m[2]])
								b := s.Start + utf8.RuneCountInString(sentence[:last+m[3]])
								out = append(out, Event{Para: p.N, Sentence: s, Expr: string([]rune(p.Text)[a:b]), Start: second, End: second, Precision: Day, Basis: res.basis})
								for i := last; i < last+m[1]; i++ {
									taken[i] = true
								}
							}
						}
					}
				}
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Sentence.Start < out[j].Sentence.Start })
	// One sentence, one date: a second expression of it adds nothing.
	kept := out[:0]
	for i, e := range out {
		dup := false
		for _, k := range out[:i] {
			if k.Sentence == e.Sentence && k.Start.Equal(e.Start) && k.Precision == e.Precision {
				dup = true
				break
			}
		}
		if !dup {
			kept = append(kept, e)
		}
	}
	return kept
}

// saidOn is the day a sentence dates outside its quotations, among the
// events found in it so far (a day, not a month or a year).
func saidOn(found []Event, s corpus.Span, quoted []corpus.Span) (time.Time, bool) {
	for _, e := range found {
		if e.Sentence == s && e.Precision == Day && !inside(quoted, s.Start) {
			return e.Start, true
		}
	}
	return time.Time{}, false
}

// exprBounds are the byte offsets of a match's expression: from its first
// captured group (or the match) to its last.
func exprBounds(loc []int) (first, last int) {
	first, last = loc[0], loc[1]
	if n := len(loc); n > 2 {
		for g := 2; g < n; g += 2 {
			if loc[g] >= 0 {
				first = loc[g]
				break
			}
		}
		last = -1
		for g := 2; g < n; g += 2 {
			if loc[g+1] > last {
				last = loc[g+1]
			}
		}
	}
	// A word before the date ("in", "the") belongs to the expression when
	// it modifies it ("last", "next", "early"); prepositions stay out.
	return first, last
}

// notADate: the words at [first, last) of sentence are a date word used
// for something else (see notDates).
func notADate(sentence string, first, last int) bool {
	before, after := sentence[:first], sentence[last:]
	expr := sentence[first:last]
	switch {
	case timeOfDayAft.MatchString(after), clockBefore.MatchString(before):
		return true
	case possessiveAft.MatchString(after) && (possessiveValue.MatchString(after) || genericPossessive.MatchString(expr)):
		return true // "last year's $2.3 billion", "today's computers", "this year's campaign"
	case strings.HasPrefix(expr, "Today") && first > 0 && strings.TrimSpace(before) != "" && !strings.HasSuffix(strings.TrimSpace(before), "."):
		return true // "VOA Today": a name
	case partOfYear.MatchString(before):
		return true
	case ofBefore.MatchString(before) && (strings.EqualFold(expr, "tomorrow") || strings.EqualFold(expr, "today")):
		return true // "the people of tomorrow": no day
	case approximate.MatchString(before) && strings.HasSuffix(expr, "ago"):
		return true // "about two years ago": a duration as TimeML has it
	case periodAfter.MatchString(after):
		return true // "the 1988 period", "the 1989 third quarter"
	case yearWord.MatchString(expr) && businessPeriod.MatchString(sentence):
		return true // "earnings of $33 million last year", beside a quarter: a period of it
	}
	return false
}

var ofBefore = regexp.MustCompile(`(?i)\bof\s+$`)

var dayAfter = regexp.MustCompile(`^(?:\s+and\s+|\s*-\s*|\s+to\s+)(\d{1,2})\b`)

var (
	approximate    = regexp.MustCompile(`(?i)\b(about|almost|nearly|some|roughly|around|more than|less than|over)\s+$`)
	periodAfter    = regexp.MustCompile(`^\s+(period|quarter|first|second|third|fourth|half|fiscal)\b`)
	yearWord       = regexp.MustCompile(`(?i)\b(last|this|next) year$`)
	businessPeriod = regexp.MustCompile(`(?i)\b(quarter|period|first half|second half)\b`)
)

// plainBefore is the masked sentence up to byte offset at of sentence.
func plainBefore(plain, sentence string, at int) string {
	n := utf8.RuneCountInString(sentence[:at])
	rs := []rune(plain)
	return string(rs[:min(n, len(rs))])
}

// adjectiveUse: a month after "the" stands before the noun it dates ("the
// March accession", "the October slaying").
func adjectiveUse(after string) bool {
	w := firstWord(after)
	return w != "" && startsLower(w) && !functionWords[strings.ToLower(strings.Trim(w, ".,;:"))]
}

// countNoun: the word after a number counts things ("2000 troops"): the
// number is no year.
func countNoun(after string) bool {
	w := strings.ToLower(strings.Trim(firstWord(after), ".,;:"))
	switch w {
	case "people", "troops", "percent", "shares", "dollars", "votes", "miles", "soldiers", "workers", "members",
		"employees", "jobs", "barrels", "tons", "cases", "deaths", "students", "families", "homes", "acres",
		"units", "copies", "cars", "points", "feet", "meters", "kilometers", "pounds", "euros", "yen":
		return true
	}
	return false
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

func monthRange(y int, mo time.Month, basis string) resolved3 {
	s := time.Date(y, mo, 1, 0, 0, 0, 0, time.UTC)
	return resolved3{s, s.AddDate(0, 1, -1), Month, basis}
}

func dayOf(year, month, day string) (resolved3, bool) {
	t, ok := corpus.ParseDate(month + " " + day + ", " + year)
	return resolved3{t, t, Day, BasisExplicit}, ok
}

// nearestDay resolves "Jan. 3": after the publication date when the clause
// looks ahead, before it when it tells the past, else the nearest one
// (news dates without a year are within months of the story).
func nearestDay(month, day string, pub time.Time, tense int) (resolved3, bool) {
	t, ok := corpus.ParseDate(month + " " + day + ", " + strconv.Itoa(pub.Year()))
	if !ok {
		return resolved3{}, false
	}
	cands := []time.Time{t.AddDate(-1, 0, 0), t, t.AddDate(1, 0, 0)}
	switch tense {
	case 1:
		for _, c := range cands {
			if !c.Before(pub) {
				return resolved3{c, c, Day, BasisFuture}, true
			}
		}
	case -1:
		for i := len(cands) - 1; i >= 0; i-- {
			if !cands[i].After(pub) {
				return resolved3{cands[i], cands[i], Day, BasisPast}, true
			}
		}
	}
	// Neither said: the coming one if it is within three months (a record
	// date, a deadline, a meeting), else the last one.
	for _, c := range cands {
		if !c.Before(pub) && c.Sub(pub) <= 90*24*time.Hour {
			return resolved3{c, c, Day, BasisPublication}, true
		}
	}
	for i := len(cands) - 1; i >= 0; i-- {
		if !cands[i].After(pub) {
			return resolved3{cands[i], cands[i], Day, BasisPublication}, true
		}
	}
	return resolved3{t, t, Day, BasisPublication}, true
}

// nearestMonth resolves "in November": the month itself when it is the
// publication's, else the next one (dir 1), the last one (dir -1), or
// the nearest.
func nearestMonth(mo time.Month, pub time.Time, dir int) resolved3 {
	this := time.Date(pub.Year(), mo, 1, 0, 0, 0, 0, time.UTC)
	cur := time.Date(pub.Year(), pub.Month(), 1, 0, 0, 0, 0, time.UTC)
	switch {
	case dir > 0:
		if this.Before(cur) {
			this = this.AddDate(1, 0, 0)
		}
		return monthRange(this.Year(), mo, BasisFuture)
	case dir < 0:
		if this.After(cur) {
			this = this.AddDate(-1, 0, 0)
		}
		return monthRange(this.Year(), mo, BasisPast)
	}
	// Said of the past unless it is the next month or the one after.
	if this.After(cur) && this.Sub(cur) > 62*24*time.Hour {
		this = this.AddDate(-1, 0, 0)
	} else if this.Before(cur) && cur.Sub(this) > 300*24*time.Hour {
		this = this.AddDate(1, 0, 0) // "in January", said in November or December
	}
	return monthRange(this.Year(), mo, BasisPublication)
}

// closestMonth is the occurrence of mo nearest to the publication's month,
// the earlier one when both are as near.
func closestMonth(mo time.Month, pub time.Time) resolved3 {
	ahead := (int(mo) - int(pub.Month()) + 12) % 12
	y := pub.Year()
	if ahead >= 6 {
		ahead -= 12
	}
	if int(pub.Month())+ahead > 12 {
		y++
	} else if int(pub.Month())+ahead < 1 {
		y--
	}
	return monthRange(y, mo, BasisPublication)
}

// fixedHolidays fall on the same day every year.
var fixedHolidays = map[string]struct {
	month time.Month
	day   int
}{
	"Christmas": {time.December, 25}, "Christmas Eve": {time.December, 24}, "New Year's": {time.January, 1},
	"New Year's Eve": {time.December, 31}, "Independence": {time.July, 4}, "Veterans": {time.November, 11},
	"Valentine's": {time.February, 14}, "Halloween": {time.October, 31},
}

// nearestHoliday resolves a holiday by its calendar rule.
func nearestHoliday(name string, pub time.Time, tense int) (resolved3, bool) {
	on := func(y int) time.Time {
		holiday := strings.TrimSuffix(name, " Day")
		if d, ok := fixedHolidays[holiday]; ok {
			return time.Date(y, d.month, d.day, 0, 0, 0, 0, time.UTC)
		}
		switch holiday {
		case "Thanksgiving":
			return nthWeekday(y, time.November, time.Thursday, 4)
		case "Election":
			// The Tuesday after the first Monday of November.
			return nthWeekday(y, time.November, time.Monday, 1).AddDate(0, 0, 1)
		case "Labor":
			return nthWeekday(y, time.September, time.Monday, 1)
		case "Memorial":
			return nthWeekday(y, time.June, time.Monday, 1).AddDate(0, 0, -7)
		}
		return time.Time{}
	}
	if on(pub.Year()).IsZero() {
		return resolved3{}, false
	}
	cands := []time.Time{on(pub.Year() - 1), on(pub.Year()), on(pub.Year() + 1)}
	pick := cands[0]
	basis := BasisPublication
	switch tense {
	case 1:
		basis = BasisFuture
		for _, c := range cands {
			if !c.Before(pub) {
				pick = c
				break
			}
		}
	case -1:
		basis = BasisPast
		for _, c := range cands {
			if !c.After(pub) {
				pick = c
			}
		}
	default:
		for _, c := range cands[1:] {
			if absDays(c, pub) < absDays(pick, pub) {
				pick = c
			}
		}
	}
	return resolved3{pick, pick, Day, basis}, true
}

// nthWeekday is the n-th given weekday of a month.
func nthWeekday(y int, mo time.Month, wd time.Weekday, n int) time.Time {
	d := time.Date(y, mo, 1, 0, 0, 0, 0, time.UTC)
	for d.Weekday() != wd {
		d = d.AddDate(0, 0, 1)
	}
	return d.AddDate(0, 0, 7*(n-1))
}

func absDays(a, b time.Time) float64 {
	d := a.Sub(b).Hours() / 24
	if d < 0 {
		return -d
	}
	return d
}

// number reads a small count in digits or words.
func partPrecision(unit string) Precision {
	if strings.EqualFold(unit, "half") {
		return Half
	}
	return Quarter
}

// mondayOf is the Monday that starts d's week (ISO weeks start on Mondays).
func mondayOf(d time.Time) time.Time {
	return d.AddDate(0, 0, -((int(d.Weekday()) + 6) % 7))
}

// spelledYearRange is the year a spelled-out year names.
func spelledYearRange(s string) (resolved3, bool) {
	y, ok := spelledYear(s)
	if !ok {
		return resolved3{}, false
	}
	start := time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC)
	return resolved3{start, start.AddDate(1, 0, -1), Year, BasisExplicit}, true
}

func weekdayOf(s string) time.Weekday {
	for d := time.Sunday; d <= time.Saturday; d++ {
		if strings.EqualFold(d.String(), s) {
			return d
		}
	}
	return time.Sunday
}

// wordAt is words[i] in lower case without the punctuation around it; ""
// outside words.
func wordAt(words []string, i int) string {
	if i < 0 || i >= len(words) {
		return ""
	}
	return strings.ToLower(strings.Trim(words[i], `,."'()`))
}
