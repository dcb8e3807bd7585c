package synth

import (
	"reflect"
	"regexp"
	"strings"
	"testing"
)

// The realistic corpus must look like real news in the ways that cost:
// article sizes, distinct people, surname collisions, a long tail of words.
func TestRealisticShape(t *testing.T) {
	const n = 1500
	set := Realistic(1, n)
	if !reflect.DeepEqual(set, Realistic(1, n)) {
		t.Fatal("the same seed gave another corpus")
	}
	var bytes, paras int
	people := map[string]bool{}
	surnames := map[string]map[string]bool{}
	words := map[string]int{}
	name := regexp.MustCompile(`(?:said|Minister|Senator|Gov\.|Rep\.|Mayor|President|Ambassador|Gen\.) ([A-Z][a-z]+) ([A-Z][a-z]+)`)
	for _, a := range set.Articles {
		bytes += len(a.Text)
		paras += strings.Count(a.Text, "\n\n")
		for _, m := range name.FindAllStringSubmatch(a.Text, -1) {
			people[m[1]+" "+m[2]] = true
			if surnames[m[2]] == nil {
				surnames[m[2]] = map[string]bool{}
			}
			surnames[m[2]][m[1]] = true
		}
		for _, f := range strings.Fields(a.Text) {
			words[strings.ToLower(strings.Trim(f, ".,“”\""))]++
		}
	}
	if avg := bytes / n; avg < 2500 || avg > 5500 {
		t.Errorf("articles average %d bytes, want real news's 3-5 KB", avg)
	}
	if avg := paras / n; avg < 10 || avg > 26 {
		t.Errorf("articles average %d paragraphs", avg)
	}
	if len(people) < n/8 {
		t.Errorf("%d distinct people in %d articles, want about one in three", len(people), n)
	}
	shared := 0
	for _, given := range surnames {
		if len(given) > 1 {
			shared++
		}
	}
	if shared < len(surnames)/10 {
		t.Errorf("only %d of %d surnames are shared by different people", shared, len(surnames))
	}
	if len(words) < 15000 {
		t.Errorf("a vocabulary of %d words, want tens of thousands", len(words))
	}
	if len(set.Topics) == 0 || len(set.Speakers) == 0 {
		t.Error("no topics or speakers to ask about")
	}
}
