package synth

import (
	"fmt"
	"math/rand"
	"sort"
	"strings"
	"time"
)

// Set is a generated corpus with the words to ask it about.
type Set struct {
	Articles []Article
	Topics   []string // most asked first
	Speakers []string // surnames of the people quoted most
}

// Realistic returns n articles shaped like real news, the same for the same
// seed: 3-5 KB in 10-25 paragraphs, a Zipfian vocabulary of tens of
// thousands of words, about one distinct person per three articles whose
// surnames collide as real ones do, and many topics with a long tail. The
// small corpus of Generate hides costs that grow with distinct names and
// words; this one shows them.
func Realistic(seed int64, n int) Set {
	r := rand.New(rand.NewSource(seed))
	w := newWorld(r, n)
	set := Set{Articles: make([]Article, n)}
	base := time.Date(2012, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range set.Articles {
		pub := base.AddDate(0, 0, r.Intn(5000))
		set.Articles[i] = Article{Name: fmt.Sprintf("%06d_news.txt", i), Text: w.article(r, pub)}
	}
	for i := 0; i < len(w.topics) && i < 64; i++ {
		set.Topics = append(set.Topics, w.topics[i])
	}
	seen := map[string]bool{}
	for i := 0; i < len(w.people) && len(set.Speakers) < 64; i++ {
		if s := w.people[i].surname; !seen[s] {
			seen[s] = true
			set.Speakers = append(set.Speakers, s)
		}
	}
	return set
}

type person struct{ given, surname, title, place string }

// world holds the generated vocabulary, people, places and topics; each is
// drawn with a Zipfian popularity so a few recur everywhere and most rarely.
type world struct {
	vocab, places, outlets, topics []string
	people                         []person
	zVocab, zPlaces, zPeople       *rand.Zipf
	zTopics                        *rand.Zipf
}

var (
	onsets  = []string{"b", "c", "d", "f", "g", "h", "j", "k", "l", "m", "n", "p", "r", "s", "t", "v", "w", "z", "br", "ch", "cr", "dr", "gr", "pl", "pr", "sh", "st", "tr", "th"}
	nuclei  = []string{"a", "e", "i", "o", "u", "ai", "ea", "io", "ou"}
	codas   = []string{"", "", "", "n", "r", "s", "l", "m", "t", "nd", "st", "rk"}
	titles  = []string{"Foreign Minister", "Senator", "Gov.", "Rep.", "Mayor", "Prime Minister", "President", "Finance Minister", "Ambassador", "Gen."}
	roleFor = []string{"a spokesman for", "a spokeswoman for", "an adviser to", "the chief economist at", "a lawyer for"}
	pastVbs = []string{"approved", "rejected", "announced", "delayed", "blocked", "signed", "proposed", "criticised", "defended", "reviewed"}
	funcs   = []string{"the", "of", "and", "to", "in", "a", "for", "on", "with", "that", "by", "from", "as", "at", "its", "their"}
)

func syllables(r *rand.Rand, lo, hi int) string {
	var b strings.Builder
	for k := lo + r.Intn(hi-lo+1); k > 0; k-- {
		b.WriteString(onsets[r.Intn(len(onsets))] + nuclei[r.Intn(len(nuclei))] + codas[r.Intn(len(codas))])
	}
	return b.String()
}

func capital(s string) string { return strings.ToUpper(s[:1]) + s[1:] }

// distinct draws n different words from gen.
func distinct(n int, gen func() string) []string {
	seen := make(map[string]bool, n)
	out := make([]string, 0, n)
	for len(out) < n {
		if s := gen(); !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

func newWorld(r *rand.Rand, n int) *world {
	w := &world{}
	// Common words are short ones, as in every language.
	w.vocab = distinct(40000, func() string { return syllables(r, 1, 3) })
	sort.SliceStable(w.vocab, func(i, j int) bool { return len(w.vocab[i]) < len(w.vocab[j]) })
	w.places = distinct(300, func() string { return capital(syllables(r, 2, 3)) })
	w.outlets = distinct(60, func() string {
		return "The " + capital(syllables(r, 2, 3)) + " " + pick(r, []string{"Times", "Post", "Herald", "Wire", "Tribune"})
	})
	given := distinct(2000, func() string { return capital(syllables(r, 2, 3)) })
	surnames := distinct(max(n/6, 40), func() string { return capital(syllables(r, 2, 3)) })
	zSurname := rand.NewZipf(r, 1.1, 4, uint64(len(surnames)-1))
	w.people = make([]person, max(n/3, 60))
	for i := range w.people {
		w.people[i] = person{given: pick(r, given), surname: surnames[zSurname.Uint64()], title: pick(r, titles), place: pick(r, w.places)}
	}
	w.topics = distinct(max(n/25, 80), func() string {
		if r.Intn(3) == 0 {
			return w.vocab[200+r.Intn(8000)] + " " + w.vocab[200+r.Intn(8000)]
		}
		return w.vocab[200+r.Intn(8000)]
	})
	w.zVocab = rand.NewZipf(r, 1.07, 2, uint64(len(w.vocab)-1))
	w.zPlaces = rand.NewZipf(r, 1.2, 2, uint64(len(w.places)-1))
	w.zPeople = rand.NewZipf(r, 1.05, 8, uint64(len(w.people)-1))
	w.zTopics = rand.NewZipf(r, 1.05, 4, uint64(len(w.topics)-1))
	return w
}

// words is a run of n words, Zipfian content words among function words.
func (w *world) words(r *rand.Rand, n int) string {
	out := make([]string, n)
	for i := range out {
		if r.Intn(5) < 2 {
			out[i] = funcs[r.Intn(len(funcs))]
		} else {
			out[i] = w.vocab[w.zVocab.Uint64()]
		}
	}
	return strings.Join(out, " ")
}

func (w *world) sentence(r *rand.Rand) string { return capital(w.words(r, 10+r.Intn(14))) + "." }

func (w *world) article(r *rand.Rand, pub time.Time) string {
	topic := w.topics[w.zTopics.Uint64()]
	place, other := w.places[w.zPlaces.Uint64()], w.places[w.zPlaces.Uint64()]
	cast := make([]person, 2+r.Intn(4))
	for i := range cast {
		cast[i] = w.people[w.zPeople.Uint64()]
	}
	headline := fmt.Sprintf("%s %s %s plan as %s talks stall", place, pick(r, pastVbs), other, topic)
	var b strings.Builder
	fmt.Fprintf(&b, "---\ntitle: %q\noutlet: %s\npublished: %s\n---\n", headline, pick(r, w.outlets), pub.Format("2006-01-02"))
	paras := 10 + r.Intn(12)
	for k := 0; k < paras; k++ {
		p := cast[r.Intn(len(cast))]
		full := p.given + " " + p.surname
		var s string
		switch r.Intn(8) {
		case 0:
			s = fmt.Sprintf("“%s on %s,” said %s %s of %s. %s", capital(w.words(r, 14)), topic, p.title, full, p.place, w.sentence(r))
		case 1:
			s = fmt.Sprintf("%s said the %s %s was “%s.” %s", p.surname, topic, w.vocab[w.zVocab.Uint64()], w.words(r, 6), w.sentence(r))
		case 2:
			s = fmt.Sprintf("“%s,” %s, %s %s, told reporters on %s. %s", capital(w.words(r, 16)), full, roleFor[r.Intn(len(roleFor))], place, pick(r, weekdays), w.sentence(r))
		case 3:
			s = fmt.Sprintf("On %s, %s %s the %s proposal from %s. %s", pick(r, weekdays), place, pick(r, pastVbs), topic, other, w.sentence(r))
		case 4:
			s = fmt.Sprintf("In %s %d, %s %s a %s %s, according to officials. %s", pick(r, months), pub.Year()-1-r.Intn(8), other, pick(r, pastVbs), topic, w.vocab[w.zVocab.Uint64()], w.sentence(r))
		default:
			s = w.sentence(r) + " " + w.sentence(r)
			if r.Intn(2) == 0 {
				s += " " + w.sentence(r)
			}
		}
		b.WriteString(s + "\n\n")
	}
	return b.String()
}
