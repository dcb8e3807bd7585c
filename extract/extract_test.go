package extract

import (
	"strings"
	"testing"
	"time"

	"github.com/briefbot/briefbot/corpus"
)

// analyzeTexts builds a corpus from named texts (front matter allowed).
func analyzeTexts(t *testing.T, files map[string]string) (*corpus.Corpus, *Analysis) {
	t.Helper()
	c := loadTexts(t, files)
	if len(c.Problems) > 0 {
		t.Fatalf("problems: %v", c.Problems)
	}
	return c, Analyze(c)
}

func article(published, body string) string {
	return "---\ntitle: Test article\npublished: " + published + "\n---\n" + body
}

// speakerOf returns the speaker's canonical name of the quote containing words.
func speakerOf(t *testing.T, an *Analysis, id, words string) (string, bool) {
	t.Helper()
	for _, q := range an.Facts[id].Quotes {
		if strings.Contains(q.Text, words) {
			if q.SpeakerKey == "" {
				return "", true
			}
			s, ok := an.Speakers.Get(q.SpeakerKey)
			if !ok {
				return q.SpeakerKey, true
			}
			return s.Name, true
		}
	}
	return "", false
}

func TestQuoteAttribution(t *testing.T) {
	tests := []struct {
		name, body, words, speaker string
	}{
		{"said after", `"The budget is balanced at last," Finance Minister Carla Mendes said on Monday.`, "budget is balanced", "Carla Mendes"},
		{"inverted said", `"We will appeal the ruling," said Omar Haddad, a lawyer for the family.`, "appeal the ruling", "Omar Haddad"},
		{"told outlet", `"Nobody wants another war here," Haddad told Reuters.`, "another war", "Haddad"},
		{"colon before", `Chancellor Ingrid Vogel wrote: "Europe must carry its own weight."`, "carry its own weight", "Ingrid Vogel"},
		{"as X observed", `As Vogel observed, "no budget survives its first winter intact."`, "first winter", "Vogel"},
		{"title and org", `"Talks will resume next week," a Foreign Ministry spokeswoman told reporters.`, "Talks will resume", "Foreign Ministry spokeswoman"},
		{"said, description, name", `"We got what we asked for," said union steward Kari Moe.`, "what we asked for", "Kari Moe"},
		{"said, longer description", `"It is the end of an era," said former lighthouse keeper Arne Vik on Friday.`, "end of an era", "Arne Vik"},
		{"said, then a place: no speaker", `"Prices will rise this winter," said in a statement from Oslo Market Square.`, "Prices will rise", "(unattributed)"},
		{"institution", `"The strike is illegal," the Transport Ministry said in a statement.`, "strike is illegal", "Transport Ministry"},
		{"quoting someone", `"We have no plans to leave the alliance," Haddad told him, quoting the prime minister Lars Eng.`, "plans to leave", "Lars Eng"},
		{"quoted X as saying", `A palace statement quoted King Aldo as telling visitors "the reforms will continue without delay."`, "reforms will continue", "Aldo"},
		{"scare quote ignored", `The minister called the report "biased" and left.`, "biased", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, an := analyzeTexts(t, map[string]string{"a.txt": article("2024-05-10", tt.body)})
			got, found := speakerOf(t, an, "a.txt", tt.words)
			if tt.speaker == "" {
				if found {
					t.Errorf("%q should not be a quotation", tt.words)
				}
				return
			}
			if !found {
				t.Fatalf("quote %q not found", tt.words)
			}
			if tt.speaker == "(unattributed)" {
				tt.speaker = ""
			}
			if got != tt.speaker {
				t.Errorf("speaker %q, want %q", got, tt.speaker)
			}
		})
	}
}

// Pronouns and continuations go to the last person named; partial names and
// spelling variants are one speaker.
func TestQuoteContextAndAliases(t *testing.T) {
	body := strings.Join([]string{
		`Defence Minister Katarina Novak visited the border on Sunday.`,
		`"The situation is stable but fragile," she added.`,
		`"We will keep our troops in place until spring," Novak said. "No one should doubt our resolve."`,
		`Opposition leader Pieter van Dijk disagreed. "The deployment costs too much and achieves too little," he noted.`,
		`Minister Katharina Novak later met reporters.`,
	}, "\n\n")
	_, an := analyzeTexts(t, map[string]string{"a.txt": article("2024-03-04", body)})
	checks := map[string]string{
		"situation is stable":       "Katarina Novak",
		"keep our troops":           "Katarina Novak",
		"doubt our resolve":         "Katarina Novak",
		"deployment costs too much": "Pieter van Dijk",
	}
	for words, want := range checks {
		got, found := speakerOf(t, an, "a.txt", words)
		if !found || got != want {
			t.Errorf("%q: speaker %q (found %v), want %q", words, got, found, want)
		}
	}
	ss := an.Speakers.Resolve("Katharina Novak")
	if len(ss) != 1 || ss[0].Name != "Katarina Novak" {
		t.Errorf("Katharina Novak should resolve to the one speaker Katarina Novak, got %v", names(ss))
	}
	if ss := an.Speakers.Resolve("novak"); len(ss) != 1 {
		t.Errorf("surname should resolve to one speaker, got %v", names(ss))
	}
	if ss := an.Speakers.Resolve("Nobody Atall"); len(ss) != 0 {
		t.Errorf("unknown speaker resolved to %v", names(ss))
	}
}

func names(ss []*Speaker) []string {
	var out []string
	for _, s := range ss {
		out = append(out, s.Name)
	}
	return out
}

// Two people who share a surname stay apart; the surname alone goes to the
// one named in the same article.
func TestSharedSurname(t *testing.T) {
	_, an := analyzeTexts(t, map[string]string{
		"a.txt": article("2024-01-02", `Senator Maria Costa spoke first. "We need the bill," Costa said.`),
		"b.txt": article("2024-01-03", `Economist Paulo Costa was not convinced. "The bill is too expensive," Costa said.`),
	})
	if got, _ := speakerOf(t, an, "a.txt", "need the bill"); got != "Maria Costa" {
		t.Errorf("a: %q", got)
	}
	if got, _ := speakerOf(t, an, "b.txt", "too expensive"); got != "Paulo Costa" {
		t.Errorf("b: %q", got)
	}
}

func TestBundledQuotes(t *testing.T) {
	c, err := corpus.Load(corpus.Bundled())
	if err != nil {
		t.Fatal(err)
	}
	an := Analyze(c)
	tests := []struct{ id, words, speaker string }{
		{"001_8a1b7ad677bbdcc3.txt", "We expect all sides to show restraint", "Mohammad Faisal"},
		{"001_8a1b7ad677bbdcc3.txt", "Pakistan always supports dialogue", "Mohammad Faisal"}, // continues in the next sentence
		{"002_60f647b1c0ad5a2f.txt", "We don’t want to be part of any side", "Shah Mehmood Qureshi"},
		{"002_60f647b1c0ad5a2f.txt", "I think our relationship with the United States is good", "Shah Mehmood Qureshi"}, // "he noted"
		{"002_60f647b1c0ad5a2f.txt", "We are ready for the third round of talks", "Sergei Lavrov"},                      // quoting Lavrov
		{"002_60f647b1c0ad5a2f.txt", "A lesser leader would have thought", "Raoof Hasan"},
		{"002_60f647b1c0ad5a2f.txt", "Instead of backing down", "Raoof Hasan"}, // "Hasan said"
		{"003_615a9d514c2456a5.txt", "The crisis will have a negative impact", "Shah Mehmood Qureshi"},
		{"004_be0101e0bb6417d3.txt", "Brinkmanship is a dangerous strategy", "Shireen Mazari"}, // "she said"
		{"004_be0101e0bb6417d3.txt", "Hope it works out", "Imran Khan"},                        // "he had then wished"
		{"000_e5c3a51763615d26.txt", "US Ambassador Donald Blome met today", "US Embassy"},
	}
	for _, tt := range tests {
		got, found := speakerOf(t, an, tt.id, tt.words)
		if !found || got != tt.speaker {
			t.Errorf("%s %q: speaker %q (found %v), want %q", tt.id, tt.words, got, found, tt.speaker)
		}
	}
	// One-word scare quotes are not quotations.
	for _, q := range an.Facts["002_60f647b1c0ad5a2f.txt"].Quotes {
		if corpus.WordCount(q.Text) < MinQuoteWords {
			t.Errorf("scare quote %q kept", q.Text)
		}
	}
	qureshi := an.Speakers.Resolve("Shah Mahmood Qureshi")
	if len(qureshi) != 1 || qureshi[0].Name != "Shah Mehmood Qureshi" {
		t.Errorf("spelling variant should find Shah Mehmood Qureshi, got %v", names(qureshi))
	}
	if an.Subject != "pakistan" {
		t.Errorf("subject %q", an.Subject)
	}
}

func TestDates(t *testing.T) {
	// 2024-04-19 is a Friday.
	const pub = "2024-04-19"
	tests := []struct {
		sentence, expr, start string
		precision             Precision
	}{
		{"The envoys met on Thursday.", "Thursday", "2024-04-18", Day},
		{"The talks took place Friday.", "Friday", "2024-04-19", Day},
		{"The visit is due to start from Monday.", "Monday", "2024-04-22", Day},
		{"The union said the boats would return on Monday.", "Monday", "2024-04-22", Day},
		{"They will meet next Tuesday.", "next Tuesday", "2024-04-23", Day},
		{"The deal was signed last month.", "last month", "2024-03", Month},
		{"The row began in November.", "in November", "2023-11", Month},
		{"Elections are planned for next month.", "next month", "2024-05", Month},
		{"Pakistan condemned the attack on April 2.", "April 2", "2024-04-02", Day},
		{"Talks began on 3 March.", "3 March", "2024-03-03", Day},
		{"The pact dates from December 2018.", "December 2018", "2018-12", Month},
		{"It was first agreed on Sept. 23, 2019.", "Sept. 23, 2019", "2019-09-23", Day},
		{"Prices fell last year.", "last year", "2023", Year},
		{"The law was passed in 2015.", "2015", "2015", Year},
		{"The summit opened yesterday.", "yesterday", "2024-04-18", Day},
		{"Iran had announced on Jan. 5 that it will no longer comply.", "Jan. 5", "2024-01-05", Day},
		{"He visited last August.", "last August", "2023-08", Month},
		{`"We spoke today about the strike," the minister said.`, "today", "2024-04-19", Day}, // news quotes speak of its day
		{"The ship was seized in May.", "in May", "2023-05", Month},
	}
	for _, tt := range tests {
		t.Run(tt.sentence, func(t *testing.T) {
			p := corpus.Paragraph{N: 1, Text: tt.sentence, Sentences: corpus.Sentences(tt.sentence)}
			pubDate, _ := time.Parse("2006-01-02", pub)
			evs := dates(p, pubDate)
			if len(evs) != 1 {
				t.Fatalf("%d events: %+v", len(evs), evs)
			}
			e := evs[0]
			if e.Expr != tt.expr || e.Date() != tt.start || e.Precision != tt.precision {
				t.Errorf("got %q %s %s, want %q %s %s", e.Expr, e.Date(), e.Precision, tt.expr, tt.start, tt.precision)
			}
		})
	}
}

func TestDatesNotEvents(t *testing.T) {
	pub, _ := time.Parse("2006-01-02", "2024-04-19")
	for _, s := range []string{
		"The army has fought for 20 years in the 1980s style.",
		"She may visit soon.",
		"It cost $3 billion in total.",
		"The March for Peace drew crowds.",
		"The vote took place last week.",        // which days, the text does not say
		"Fighting resumed during the weekend.",  // nor here
		"Police were called at 10 p.m. Friday.", // a time of day: TimeML's TIME, not a date
		"Crowds gathered Friday night.",
		"Sales rose from last year's $2.3 billion.",
		"This is VOA Today.",
		"The army sent 2000 troops.",
		"The board meets each Thursday.", // a set, not a date
		"The fall of the old regime came fast.",
		"Nineteen twenty-year-olds signed up.",
		"She bought twenty fifty-cent stamps.",
		"Two thousand people marched.",
	} {
		p := corpus.Paragraph{N: 1, Text: s, Sentences: corpus.Sentences(s)}
		if evs := dates(p, pub); len(evs) != 0 {
			t.Errorf("%q gave events %+v", s, evs)
		}
	}
	// Without a publication date only dates with their own year are kept.
	p := corpus.Paragraph{N: 1, Text: "On Monday, after the December 2018 deal, talks resumed.", Sentences: corpus.Sentences("On Monday, after the December 2018 deal, talks resumed.")}
	evs := dates(p, time.Time{})
	if len(evs) != 1 || evs[0].Date() != "2018-12" {
		t.Errorf("unknown publication date: %+v", evs)
	}
}

func TestBundledEvents(t *testing.T) {
	c, err := corpus.Load(corpus.Bundled())
	if err != nil {
		t.Fatal(err)
	}
	an := Analyze(c)
	want := map[string][]string{
		"000_e5c3a51763615d26.txt": {"Thursday=2024-04-18", "Monday=2024-04-22", "April 2=2024-04-02"},
		"001_8a1b7ad677bbdcc3.txt": {"Friday=2019-05-24", "last month=2019-04"},
		"002_60f647b1c0ad5a2f.txt": {"Sunday=2022-03-06", "Saturday=2022-03-05", "Friday=2022-03-04", "last month=2022-02", "last August=2021-08"},
		"003_615a9d514c2456a5.txt": {"Jan. 3=2020-01-03", "December 2018=2018-12", "Jan. 5=2020-01-05"},
		"004_be0101e0bb6417d3.txt": {"in November=2019-11", "Friday=2020-01-03"},
	}
	for id, exprs := range want {
		got := map[string]bool{}
		for _, e := range an.Facts[id].Events {
			got[e.Expr+"="+e.Date()] = true
			if e.Start.Year() == 2020 && e.Start.Month() == time.November {
				t.Errorf("%s: furniture date became an event: %+v", id, e)
			}
		}
		for _, w := range exprs {
			if !got[w] {
				t.Errorf("%s: missing event %s; have %v", id, w, got)
			}
		}
	}
}

func TestStance(t *testing.T) {
	body := strings.Join([]string{
		`Norway, a founding member of the alliance, abstained in the vote on Tuesday.`,
		`Diplomats in Norway urged Sweden to reconsider.`,
		`In a separate statement, Oslo rejected the proposal outright.`,
		`Trade with Norway grew by 4% last year.`,
	}, "\n\n")
	_, an := analyzeTexts(t, map[string]string{"a.txt": article("2024-02-01", body)})
	f := an.Facts["a.txt"]
	has := func(list []string, v string) bool {
		for _, x := range list {
			if x == v {
				return true
			}
		}
		return false
	}
	if !has(f.Stance[0], "norway") {
		t.Errorf("¶1 Norway abstained (apposition skipped): %v", f.Stance[0])
	}
	if has(f.Stance[1], "norway") {
		t.Errorf("¶2 diplomats in Norway are not Norway: %v", f.Stance[1])
	}
	if !has(f.Stance[2], "norway") {
		t.Errorf("¶3 Oslo stands for Norway: %v", f.Stance[2])
	}
	if has(f.Stance[3], "norway") || !has(f.Mentions[3], "norway") {
		t.Errorf("¶4 only mentions Norway: stance %v mentions %v", f.Stance[3], f.Mentions[3])
	}
}

// Kinds of date expressions, in the shapes wire copy, business news,
// sports and transcripts write them, with how each was resolved.
func TestDateKinds(t *testing.T) {
	// 2026-10-14 is a Wednesday.
	pub := time.Date(2026, 10, 14, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		sentence, expr, date string
		precision            Precision
		basis                string
	}{
		{"The shares will be redeemed on Nov. 6.", "Nov. 6", "2026-11-06", Day, BasisFuture},
		{"The record date is Nov. 6.", "Nov. 6", "2026-11-06", Day, BasisPublication},
		{"The plant closed on Sept. 30.", "Sept. 30", "2026-09-30", Day, BasisPast},
		{"Payment is due by Jan. 15.", "by Jan. 15", "2027-01-15", Day, BasisFuture},
		{"The club will play on Saturday.", "Saturday", "2026-10-17", Day, BasisFuture},
		{"The club played on Saturday.", "Saturday", "2026-10-10", Day, BasisPast},
		{"The coach said Sunday that the team is ready.", "Sunday", "2026-10-11", Day, BasisPast},
		{"The council meets Wednesday.", "Wednesday", "2026-10-14", Day, BasisPublication},
		{"They left last Wednesday.", "last Wednesday", "2026-10-07", Day, BasisPast},
		{"The merger is scheduled for January.", "for January", "2027-01", Month, BasisFuture},
		{"The harbour reopened in June last year.", "June last year", "2025-06", Month, BasisPublication},
		{"In January this year the fleet was sold.", "January this year", "2026-01", Month, BasisPublication},
		{"The firm was founded 41 years ago.", "41 years ago", "1985", Year, BasisPublication},
		{"The strike ended two months ago.", "two months ago", "2026-08", Month, BasisPublication},
		{"The 1996 law still stands.", "1996", "1996", Year, BasisExplicit},
		{"Prices rose between 1994 and 1997.", "1994", "1994", Year, BasisExplicit},
		{"The Thanksgiving Day parade will go ahead.", "Thanksgiving Day", "2026-11-26", Day, BasisFuture},
		{"Turnout on Election Day was low.", "Election Day", "2025-11-04", Day, BasisPast},
		{"The summit is set for March 3, 2027.", "March 3, 2027", "2027-03-03", Day, BasisExplicit},
		{"Sales for the year rose 4%.", "for the year", "2026", Year, BasisPublication},
		{"The bonds will mature in five years.", "in five years", "2031", Year, BasisFuture},
		{"The talks were held in the March round.", "the March", "2026-03", Month, BasisPast},
		{"The deal was signed the day before Oct. 9.", "the day before Oct. 9", "2026-10-08", Day, BasisPast},
		{"Talks resume the week of Nov. 2.", "the week of Nov. 2", "2026-11-02", Week, BasisPublication},
		{"A vote is likely in December.", "in December", "2026-12", Month, BasisFuture},
		{"The firm has signed the lease in December.", "in December", "2025-12", Month, BasisPast},
		{"In September, the company announced plans to close.", "In September", "2026-09", Month, BasisPast},
		{"The shop next to the bank closed in December.", "in December", "2025-12", Month, BasisPast},
		{"The vote was held Friday Oct. 9.", "Oct. 9", "2026-10-09", Day, BasisPast},
		{"The alliance has decided to admit the two states in early November, an official said.", "early November", "2026-11", Month, BasisFuture},
		{"The party returned to power in March.", "in March", "2026-03", Month, BasisPast},
		{"Losses grew in the third quarter of 2023.", "third quarter of 2023", "2023-Q3", Quarter, BasisExplicit},
		{"The firm expects to report third-quarter results next month.", "third-quarter", "2026-Q3", Quarter, BasisPublication},
		{"Sales fell in the fourth quarter.", "fourth quarter", "2026-Q4", Quarter, BasisPublication},
		{"Output fell in the first half of 1990.", "first half of 1990", "1990-H1", Half, BasisExplicit},
		{"The 1988 third quarter was weak.", "1988 third quarter", "1988-Q3", Quarter, BasisExplicit},
		{"It was bitter in the winter of nineteen ninety-four.", "winter of nineteen ninety-four", "1994-WI", Season, BasisExplicit},
		{"The plant opened last fall.", "last fall", "2025-FA", Season, BasisPublication},
		{"The deal closed this past spring.", "this past spring", "2026-SP", Season, BasisPublication},
		{"The plant will open in the spring.", "spring", "2027-SP", Season, BasisFuture},
		{"Talks resume next summer.", "next summer", "2027-SU", Season, BasisPublication},
		{"In nineteen ninety-one the bank failed.", "nineteen ninety-one", "1991", Year, BasisExplicit},
		{"The approach of the year two thousand worried them.", "two thousand", "2000", Year, BasisExplicit},
		{"He said so in a speech six weeks ago.", "six weeks ago", "2026-08-31", Week, BasisPublication},
		{"The firm was founded twenty-five years ago.", "twenty-five years ago", "2001", Year, BasisPublication},
		{"The dispute may be settled at a hearing the week of Nov. 2.", "the week of Nov. 2", "2026-11-02", Week, BasisFuture},
		{"The lawyers say the appeal fails if the case is heard in November.", "in November", "2026-11", Month, BasisPublication},
		{"On Friday, when the mayor set aside holiday plans for the hastily planned visit, the port shut.", "Friday", "2026-10-09", Day, BasisPast},
		{"Farmers planned a large rally in the capital on Saturday.", "Saturday", "2026-10-17", Day, BasisFuture},
		{"The banks have extended the loans through January.", "through January", "2027-01", Month, BasisPublication},
		{"Sales rose 4% in the nine months through September.", "through September", "2026-09", Month, BasisPublication},
		{"The exhibition runs through March.", "through March", "2027-03", Month, BasisPublication},
		{"Revenue through June was flat.", "through June", "2026-06", Month, BasisPublication},
		{"The works lasted through April.", "through April", "2026-04", Month, BasisPublication},
		{"The minister on Tuesday said the port may close.", "Tuesday", "2026-10-13", Day, BasisPast},
	}
	for _, tt := range tests {
		t.Run(tt.sentence, func(t *testing.T) {
			p := corpus.Paragraph{N: 1, Text: tt.sentence, Sentences: corpus.Sentences(tt.sentence)}
			evs := dates(p, pub)
			if len(evs) == 0 {
				t.Fatalf("no event")
			}
			e := evs[0]
			if e.Expr != tt.expr || e.Date() != tt.date || e.Precision != tt.precision || e.Basis != tt.basis {
				t.Errorf("got %q %s %s %q, want %q %s %s %q", e.Expr, e.Date(), e.Precision, e.Basis, tt.expr, tt.date, tt.precision, tt.basis)
			}
		})
	}
	// "April 24 and 25": both days.
	p := corpus.Paragraph{N: 1, Text: "The summit is on Nov. 24 and 25.", Sentences: corpus.Sentences("The summit is on Nov. 24 and 25.")}
	if evs := dates(p, pub); len(evs) != 2 || evs[1].Date() != "2026-11-25" {
		t.Errorf("a day range: %+v", evs)
	}
}

// The closest month is that month, never more than half a year away, and
// the earlier one on a tie.
func TestClosestMonthProperty(t *testing.T) {
	for pm := time.January; pm <= time.December; pm++ {
		pub := time.Date(2026, pm, 15, 0, 0, 0, 0, time.UTC)
		for mo := time.January; mo <= time.December; mo++ {
			got := closestMonth(mo, pub).start
			months := (got.Year()-pub.Year())*12 + int(got.Month()) - int(pub.Month())
			if got.Month() != mo || months < -6 || months > 5 {
				t.Errorf("closest %v to %v: %v (%d months away)", mo, pub.Format("2006-01"), got.Format("2006-01"), months)
			}
		}
	}
}
