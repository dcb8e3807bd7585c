package corpus

import (
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Months maps every common spelling of a month ("jan", "jan.", "sept",
// "january") to its number.
var Months = func() map[string]time.Month {
	m := map[string]time.Month{}
	for i := time.January; i <= time.December; i++ {
		full := strings.ToLower(i.String())
		m[full] = i
		m[full[:3]] = i
	}
	m["sept"] = time.September
	return m
}()

// MonthPattern matches any month spelling in Months (with an optional period).
const MonthPattern = `(?:Jan(?:uary|\.)?|Feb(?:ruary|\.)?|Mar(?:ch|\.)?|Apr(?:il|\.)?|May|June?|July?|Aug(?:ust|\.)?|Sept?(?:ember|\.)?|Oct(?:ober|\.)?|Nov(?:ember|\.)?|Dec(?:ember|\.)?)`

var (
	dateMDY = regexp.MustCompile(`^(` + MonthPattern + `)\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})$`)
	dateDMY = regexp.MustCompile(`^(\d{1,2})(?:st|nd|rd|th)?\s+(` + MonthPattern + `),?\s+(\d{4})$`)
)

// MonthOf returns the month a spelling names.
func MonthOf(s string) (time.Month, bool) {
	m, ok := Months[strings.TrimSuffix(strings.ToLower(s), ".")]
	return m, ok
}

// ParseDate reads a whole string as one calendar date: "May 25, 2019",
// "January 4th, 2020", "13 January 2020", "2020-01-13" or RFC 3339.
func ParseDate(s string) (time.Time, bool) {
	s = strings.TrimSpace(strings.TrimRight(Normalize(s), ". "))
	for _, layout := range []string{"2006-01-02", time.RFC3339, "2006-01-02 15:04:05", "2006-01-02T15:04:05"} {
		if t, err := time.Parse(layout, s); err == nil {
			return Day(t), true
		}
	}
	if m := dateMDY.FindStringSubmatch(s); m != nil {
		return makeDate(m[3], m[1], m[2])
	}
	if m := dateDMY.FindStringSubmatch(s); m != nil {
		return makeDate(m[3], m[2], m[1])
	}
	return time.Time{}, false
}

func makeDate(year, month, day string) (time.Time, bool) {
	y, err1 := strconv.Atoi(year)
	d, err2 := strconv.Atoi(day)
	mo, ok := MonthOf(month)
	if err1 != nil || err2 != nil || !ok || d < 1 || d > 31 {
		return time.Time{}, false
	}
	t := time.Date(y, mo, d, 0, 0, 0, 0, time.UTC)
	if t.Day() != d {
		return time.Time{}, false // 31 February and the like
	}
	return t, true
}

// Day drops the time of day, keeping the calendar date in UTC.
func Day(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}
