package extract

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Parts of a year: quarters ("the third quarter of 1990", "third-quarter
// results"), halves ("the first half of 1990") and seasons ("the winter of
// 1994", "last fall"). Their dates are ranges of months; without a year,
// the one meant is the latest that had begun by publication (news reports
// on the quarter under way or just ended), "last" the one before the
// current, "next" the one after.

// ordinalParts numbers the parts of a year by their ordinal words.
var ordinalParts = map[string]int{"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4}

// seasonStart is the month each season begins (meteorological seasons,
// northern hemisphere: winter runs from December into the year it is
// named for).
var seasonStart = map[string]time.Month{"spring": time.March, "summer": time.June, "fall": time.September, "autumn": time.September, "winter": time.December}

const (
	partOrdinal = `(first|second|third|fourth|1st|2nd|3rd|4th)`
	seasonWord  = `(spring|summer|fall|autumn|winter)`
)

// part is one part of one year.
type part struct {
	prec  Precision
	index int // quarter 1-4, half 1-2, or the season's first month
	year  int
}

func (p part) rangeOf() (time.Time, time.Time) {
	var start time.Time
	months := 3
	switch p.prec {
	case Quarter:
		start = time.Date(p.year, time.Month(3*(p.index-1)+1), 1, 0, 0, 0, 0, time.UTC)
	case Half:
		start, months = time.Date(p.year, time.Month(6*(p.index-1)+1), 1, 0, 0, 0, 0, time.UTC), 6
	default:
		y := p.year
		if time.Month(p.index) == time.December {
			y-- // the winter of 1994 begins in December 1993
		}
		start = time.Date(y, time.Month(p.index), 1, 0, 0, 0, 0, time.UTC)
	}
	return start, start.AddDate(0, months, -1)
}

// partRange resolves a part of a year. year is its year as written ("1990",
// "this year", "last year", "") and shift the "last"/"next"/"this past"
// before it; a clause in the future (tense 1) means the next one once the
// latest has ended.
func partRange(prec Precision, index int, year, shift string, tense int, pub time.Time) (resolved3, bool) {
	p := part{prec: prec, index: index}
	basis := BasisExplicit
	switch y := strings.ToLower(strings.TrimSpace(year)); {
	case y == "":
		if pub.IsZero() {
			return resolved3{}, false
		}
		basis = BasisPublication
		// The latest that had begun by publication.
		p.year = pub.Year() + 1
		for {
			if s, _ := p.rangeOf(); !s.After(pub) {
				break
			}
			p.year--
		}
		switch strings.ToLower(shift) {
		case "last", "past", "previous":
			if _, e := p.rangeOf(); !e.Before(pub) {
				p.year-- // "last fall" during the fall is the one before
			}
		case "next", "coming":
			p.year++
		default:
			if _, e := p.rangeOf(); tense == 1 && e.Before(pub) {
				p.year++
				basis = BasisFuture
			}
		}
	case strings.HasSuffix(y, "year"):
		if pub.IsZero() {
			return resolved3{}, false
		}
		basis = BasisPublication
		p.year = pub.Year() + map[string]int{"last": -1, "next": 1}[firstWord(y)]
	default:
		n, err := strconv.Atoi(y)
		if err != nil {
			if n, ok := spelledYear(y); ok {
				p.year = n
				break
			}
			return resolved3{}, false
		}
		p.year = n
	}
	s, e := p.rangeOf()
	return resolved3{s, e, prec, basis}, true
}

// partLabel writes a part of a year the way TimeML does: 1990-Q3,
// 1990-H1, 1994-WI.
func partLabel(start time.Time, p Precision) string {
	switch p {
	case Quarter:
		return fmt.Sprintf("%d-Q%d", start.Year(), (int(start.Month())-1)/3+1)
	case Half:
		return fmt.Sprintf("%d-H%d", start.Year(), (int(start.Month())-1)/6+1)
	}
	code := map[time.Month]string{time.March: "SP", time.June: "SU", time.September: "FA", time.December: "WI"}[start.Month()]
	y := start.Year()
	if start.Month() == time.December {
		y++
	}
	return fmt.Sprintf("%d-%s", y, code)
}
