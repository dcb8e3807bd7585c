package extract

import (
	"strconv"
	"strings"
)

// English number words, by the grammar they are built with: units and
// teens, tens with an optional hyphenated unit ("ninety-one"), hundreds
// and thousands ("two thousand and one"). Broadcast transcripts spell
// out years ("nineteen ninety-one") and counts ("twenty-five years ago").
var (
	unitWords = map[string]int{"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
		"ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
		"seventeen": 17, "eighteen": 18, "nineteen": 19}
	tensWords = map[string]int{"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
)

// numberWordPattern matches a number written in words or digits, for
// regular expressions ("a hundred", "twenty-five", "41").
const numberWordPattern = `(\d+|(?:(?:one|two|three|four|five|six|seven|eight|nine|a) (?:hundred|thousand)(?: and)? )?` +
	`(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:-(?:one|two|three|four|five|six|seven|eight|nine))?|` +
	`one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen)|` +
	`(?:one|two|three|four|five|six|seven|eight|nine|a) (?:hundred|thousand))`

// number reads a count written in digits or words: "41", "two",
// "twenty-five", "a hundred", "two thousand and one".
func number(s string) (int, bool) {
	if n, err := strconv.Atoi(s); err == nil {
		return n, true
	}
	total, part := 0, 0
	seen := false
	for _, w := range strings.Fields(strings.ToLower(s)) {
		switch {
		case w == "and":
			continue
		case w == "a" && !seen:
			part = 1
		case w == "hundred":
			part = max(part, 1) * 100
		case w == "thousand":
			total += max(part, 1) * 1000
			part = 0
		default:
			n, ok := below100(w)
			if !ok {
				return 0, false
			}
			part += n
		}
		seen = true
	}
	return total + part, seen
}

// below100 reads "seven", "seventeen", "seventy", "seventy-seven".
func below100(w string) (int, bool) {
	if n, ok := unitWords[w]; ok {
		return n, true
	}
	tens, unit, hyphen := strings.Cut(w, "-")
	t, ok := tensWords[tens]
	if !ok {
		return 0, false
	}
	if !hyphen {
		return t, true
	}
	u, ok := unitWords[unit]
	if !ok || u > 9 {
		return 0, false
	}
	return t + u, true
}

// spelledYear reads a year said the way people say one: "nineteen
// ninety-one", "nineteen oh five", "nineteen hundred", "two thousand and
// one", "twenty twenty-two".
func spelledYear(s string) (int, bool) {
	words := strings.Fields(strings.ToLower(s))
	if len(words) >= 2 && words[0] != "two" {
		century, ok := below100(words[0])
		if !ok || century < 10 {
			return 0, false
		}
		rest := words[1:]
		switch {
		case len(rest) == 1 && rest[0] == "hundred":
			return century * 100, true
		case len(rest) == 2 && rest[0] == "oh":
			if u, ok := unitWords[rest[1]]; ok && u <= 9 {
				return century*100 + u, true
			}
		case len(rest) == 1:
			if n, ok := below100(rest[0]); ok && n >= 10 {
				return century*100 + n, true
			}
		}
		return 0, false
	}
	n, ok := number(s)
	return n, ok && n >= 2000 && n < 2100
}
