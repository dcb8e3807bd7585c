// Package synth generates seeded, news-like articles for tests and
// benchmarks: headlines, datelines, quotations with speakers, dated events
// and page furniture, in the shapes real articles come in.
package synth

import (
	"fmt"
	"io/fs"
	"math/rand"
	"os"
	"path/filepath"
	"strings"
	"testing/fstest"
	"time"
)

var (
	countries = []string{"Norway", "Brazil", "Kenya", "Japan", "Canada", "Egypt", "Poland", "Chile", "India", "Turkey", "Vietnam", "Morocco"}
	capitals  = map[string]string{"Norway": "Oslo", "Brazil": "Brasilia", "Kenya": "Nairobi", "Japan": "Tokyo", "Canada": "Ottawa",
		"Egypt": "Cairo", "Poland": "Warsaw", "Chile": "Santiago", "India": "New Delhi", "Turkey": "Ankara", "Vietnam": "Hanoi", "Morocco": "Rabat"}
	topics = []string{"trade", "climate", "sanctions", "elections", "water rights", "fisheries", "energy prices", "migration",
		"border security", "vaccines", "shipping lanes", "debt relief", "tariffs", "drought", "cyber attacks", "refugees"}
	firstNames = []string{"Amara", "Lars", "Keiko", "Jonas", "Ines", "Omar", "Priya", "Tomas", "Lena", "Rafael", "Sofia", "Yusuf", "Marta", "Chen", "Ada", "Pavel"}
	lastNames  = []string{"Okafor", "Berg", "Tanaka", "Novak", "Ruud", "Haddad", "Sharma", "Silva", "Costa", "Eriksen", "Demir", "Nguyen", "Kowalski", "Mendes", "Alami", "Ivanova"}
	roles      = []string{"Foreign Minister", "Trade Minister", "Prime Minister", "spokesman", "Ambassador", "Finance Minister"}
	outlets    = []string{"Daily Ledger", "Coastal Gazette", "The Meridian", "Northern Star", "Global Wire"}
	verbs      = []string{"urged", "rejected", "welcomed", "condemned", "supported", "offered", "refused"}
	fillers    = []string{
		"Analysts said the move reflected growing pressure at home.",
		"The decision followed weeks of talks between officials.",
		"Markets reacted calmly to the announcement.",
		"Critics warned that the plan could backfire.",
		"The government has not published the full text.",
		"Observers expect further talks in the coming months.",
	}
	weekdays = []string{"Monday", "Tuesday", "Wednesday", "Thursday", "Friday"}
	months   = []string{"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"}
)

// Article is one generated file.
type Article struct {
	Name string
	Text string
}

// Generate returns n articles, the same for the same seed.
func Generate(seed int64, n int) []Article {
	r := rand.New(rand.NewSource(seed))
	out := make([]Article, n)
	base := time.Date(2015, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range out {
		pub := base.AddDate(0, 0, r.Intn(3650))
		out[i] = Article{Name: fmt.Sprintf("%06d_synth.txt", i), Text: article(r, pub)}
	}
	return out
}

func pick(r *rand.Rand, list []string) string { return list[r.Intn(len(list))] }

func article(r *rand.Rand, pub time.Time) string {
	country, other := pick(r, countries), pick(r, countries)
	topic := pick(r, topics)
	outlet := pick(r, outlets)
	speaker := pick(r, firstNames) + " " + pick(r, lastNames)
	role := pick(r, roles)
	surname := speaker[strings.LastIndex(speaker, " ")+1:]
	headline := fmt.Sprintf("%s %s %s proposal on %s", country, pick(r, verbs), other, topic)

	var b strings.Builder
	switch r.Intn(3) {
	case 0: // front matter
		fmt.Fprintf(&b, "---\ntitle: %q\noutlet: %s\npublished: %s\n---\n", headline, outlet, pub.Format("2006-01-02"))
	case 1: // headline with site name, publication line
		fmt.Fprintf(&b, "%s | %s\n\n%s\n\nPublished %s\n\n", headline, outlet, headline, pub.Format("January 2, 2006"))
	default: // headline, dateline
		fmt.Fprintf(&b, "%s\n\n%s\n\n", headline, pub.Format("Jan 2, 2006"))
	}
	paras := []string{
		fmt.Sprintf("%s: %s on %s %s a proposal from %s on %s, officials said.", strings.ToUpper(capitals[country]), country, pick(r, weekdays), pick(r, verbs), other, topic),
		fmt.Sprintf("“We cannot accept terms that ignore our interests on %s. Our position has not changed,” %s %s %s told reporters.", topic, country+"'s", role, speaker),
		pick(r, fillers) + " " + pick(r, fillers),
		fmt.Sprintf("Talks on %s began in %s and resumed last month, according to %s officials.", topic, pick(r, months), other),
		fmt.Sprintf("“The door remains open for dialogue,” %s added. %s", surname, pick(r, fillers)),
		fmt.Sprintf("In %s %d, %s had %s a similar plan on %s.", pick(r, months), pub.Year()-1-r.Intn(5), capitals[country], pick(r, verbs), pick(r, topics)),
		pick(r, fillers),
	}
	for _, p := range paras {
		b.WriteString(p + "\n\n")
	}
	if r.Intn(2) == 0 {
		b.WriteString("A delegate arrives for the talks. (Photo by Staff Photographer/" + outlet + ")\n\n")
	}
	if r.Intn(3) == 0 {
		b.WriteString("Related Articles\n\n" + pick(r, countries) + " weighs new " + pick(r, topics) + " rules\n")
	}
	b.WriteString("Source link\n")
	return b.String()
}

// FS returns the articles as a file system, for corpus.Load.
func FS(articles []Article) fs.FS {
	m := fstest.MapFS{}
	for _, a := range articles {
		m[a.Name] = &fstest.MapFile{Data: []byte(a.Text)}
	}
	return m
}

// WriteDir writes the articles into dir.
func WriteDir(dir string, articles []Article) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for _, a := range articles {
		if err := os.WriteFile(filepath.Join(dir, a.Name), []byte(a.Text), 0o644); err != nil {
			return err
		}
	}
	return nil
}

// Topics lists the topics articles are about, for queries.
func Topics() []string { return append([]string(nil), topics...) }

// Speakers lists the surnames speakers may have.
func Speakers() []string { return append([]string(nil), lastNames...) }

// Small returns Generate's articles with the topics and speakers to ask.
func Small(seed int64, n int) Set {
	return Set{Articles: Generate(seed, n), Topics: Topics(), Speakers: Speakers()}
}
