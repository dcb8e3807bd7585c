package extract

import (
	"math/rand"
	"sort"
	"strings"
	"testing"
)

// quoteOf returns the speaker's display name and the attribution of the
// quotation that holds words.
func quoteOf(t *testing.T, an *Analysis, id, words string) (speaker, how string, found bool) {
	t.Helper()
	for _, q := range an.Facts[id].Quotes {
		if strings.Contains(q.Text, words) {
			if q.SpeakerKey == "" {
				return "", q.Attribution, true
			}
			if s, ok := an.Speakers.Get(q.SpeakerKey); ok {
				return s.Name, q.Attribution, true
			}
			return q.Speaker, q.Attribution, true
		}
	}
	return "", "", false
}

// Each kind of attribution news uses, in invented articles of several
// shapes: wire copy, a transcript, an op-ed's readers' list, a profile.
func TestAttributionKinds(t *testing.T) {
	tests := []struct {
		name, body, words, speaker, how string
	}{
		{"apposition and party tag",
			`“The budget hides a deficit,” Rep. Dana Whitlock (D-Ore.), a member of the budget panel, said on Tuesday.`,
			"hides a deficit", "Dana Whitlock", ByDirect},
		{"state tag after the name",
			`“We have the votes,” Senate leader Marta Novak, R-Kan., said Tuesday.`,
			"have the votes", "Marta Novak", ByDirect},
		{"age",
			`“They want us to go home and forget it,” Lena Varga, 34, said as the march reached the bridge.`,
			"go home and forget", "Lena Varga", ByDirect},
		{"question, inverted",
			`The hall was quiet. “Why should the harbour pay for a road it never uses?” asked Mayor Tomas Reyes.`,
			"harbour pay for a road", "Tomas Reyes", ByDirect},
		{"attribution as its own sentence",
			`Nobody expected the vote to pass. “We won because the farmers turned out in the rain.” Petra Lindqvist said. “That is all.”`,
			"farmers turned out", "Petra Lindqvist", ByDirect},
		{"dash",
			"The union's members wrote to the paper.\n\n“The strike is about safety, not money, and everyone on the quay knows it.” ― Ada Okafor",
			"about safety", "Ada Okafor", ByDirect},
		{"transcript",
			"“MORALES: Well, the question is whether the council read the report at all.”",
			"whether the council read", "Morales", ByTranscript},
		{"called someone something",
			`Senator Ines Ruud called the plan “a betrayal of every voter in the valley.”`,
			"betrayal of every voter", "Ines Ruud", ByDirect},
		{"a pronoun stands for someone named before it, not after it in its sentence",
			"The report said Governor Tom Berg was right when he said on Monday that under Mayor Lisa Strand, \u201cthe harbour has been left to rot.\u201d",
			"harbour has been left to rot", "Tom Berg", ByPronoun},
		{"says of someone: the someone is the topic",
			"Harbour master Tom Berg spoke for an hour in the hall.\n\nMayor Lisa Strand was not there. Berg says of Strand, \u201cIf she gets the chance, she will sell the quay to the highest bidder.\u201d",
			"sell the quay", "Tom Berg", ByDirect},
		{"a pronoun after a long relative clause in the subject",
			"Governor Tom Berg, who has campaigned hard for the nominee Ana Lind since she left her own race in February, blasted Senator Ruth Olsen as a “disgrace” Wednesday on a radio show.\n\n“She is a disgrace and those comments are a disgrace,” he said.",
			"those comments are a disgrace", "Tom Berg", ByPronoun},
		{"a weekday or a place is nobody a pronoun stands for",
			"Mayor Karl Dahl spoke first.\n\nAt a forum with farmers in Telemark on Monday, the crowd asked about prices.\n\n“We have a plan for the harbour and we will keep it,” he said.",
			"plan for the harbour", "Karl Dahl", ByPronoun},
		{"an acronym or a country is not he",
			"Don Fowler, a former party chairman, spoke in Ohio.\n\nThe letter went to the DNC.\n\n“It is something you would be a fool not to prepare for,” he said.",
			"a fool not to prepare", "Don Fowler", ByPronoun},
		{"accused of",
			`Governor Paul Demir accused the union of “holding the whole city hostage.”`,
			"holding the whole city", "Paul Demir", ByDirect},
		{"a clause the quotation is part of",
			`Governor Paul Demir signed the order to keep “every school in the county open through the winter.”`,
			"every school in the county", "Paul Demir", ByEmbedded},
		{"according to, after",
			`The port will close at night, “for at least the rest of the year,” according to harbour master Olav Berge.`,
			"rest of the year", "Olav Berge", ByDirect},
		{"according to, before",
			`According to Pavel Novak, “the ferry company never asked for the subsidy.”`,
			"never asked for the subsidy", "Pavel Novak", ByDirect},
		{"the subject of the verb, not the first name",
			`When Clinton noted the cost of the plan, Trump boasted, “Nobody builds cheaper walls than me.”`,
			"builds cheaper walls", "Trump", ByDirect},
		{"possessive claim",
			`Fact-checkers examined Tomas Berg's claim that the port made “record profits every single year.”`,
			"record profits", "Tomas Berg", ByDirect},
		{"a reported clause",
			`The statement said Rahman “regretted the delay and hoped the talks would resume.”`,
			"regretted the delay", "Rahman", ByDirect},
		{"a passive with its agent",
			`“Harbour Lights Are Burning” was written by Ada Lund after the fire.`,
			"Harbour Lights Are Burning", "Ada Lund", ByDirect},
		{"a verb that opens the sentence",
			`The plan has critics. Said Jonas Berg: “It costs more than the bridge it replaces.”`,
			"costs more than the bridge", "Jonas Berg", ByDirect},
		{"attribution ending the sentence",
			`A fisherman who “takes one crate too many” is fined at once, Berit Moe said. Shipping firms are not.`,
			"takes one crate", "Berit Moe", ByDirect},
		{"a description",
			`“We are reviewing the footage,” a spokeswoman for the harbour police said.`,
			"reviewing the footage", "spokeswoman for the harbour police", ByNominal},
		{"a show's name is no quotation",
			`Minister Kari Holm appeared on “Morning Coast Today” to defend the plan.`,
			"Morning Coast Today", "", ""},
		{"a name after a determiner is no quotation",
			`The mayor spoke at a “Harbour Renewal Summit” last week about the ferries.`,
			"Harbour Renewal Summit", "", ""},
		{"a slogan after a year",
			`The party ran on its 1994 “Contract for the Coast” platform.`,
			"Contract for the Coast", "", ""},
		{"markup is no one's words",
			`<embed author="Kari Holm" caption="the ferry will run all winter long"> The council met on Friday.`,
			"the ferry will run", "", ""},
		{"a closing mark without an opening opens nothing",
			`The doctor gave a review of [his] systems" including his heart. The only "medical records" released were short.`,
			"including his heart", "", ""},
		{"inches are no quotation mark",
			`The new mayor is 6'3" tall and weighs 190 pounds, the town's paper said with some pride.`,
			"tall and weighs", "", ""},
		{"a short quotation's speaker goes on speaking",
			`“I would,” Melanie said to the screen. “I would, Donald, every single time.”`,
			"every single time", "Melanie", ByContinued},
		{"a short quotation in the paragraph before",
			"Senator Ines Ruud called the bank's conduct “outrageous” in a statement on Tuesday.\n\n“If any bank cannot be managed, it should be broken up.”",
			"should be broken up", "Ines Ruud", ByContinued},
		{"an epithet for the subject just named",
			"Marlow, speaking after Ortiz at the forum, listed the problems of the port.\n\n“We need change,” the New York businessman said.",
			"We need change", "Marlow", ByNominal},
		{"an epithet with no one before it stays a description",
			"“We need change,” the New York businessman said.",
			"We need change", "New York businessman", ByNominal},
		{"a speech participle in the opening phrase",
			"Senator Ines Ruud described her week in the clinic.\n\nAfter saying her ankle was “so swollen I could not walk at all,” she was taken to hospital.",
			"so swollen I could not", "Ines Ruud", ByEmbedded},
		{"a long description for the subject just named",
			"Ines Ruud spoke on Tuesday about the harbour.\n\nOn the morning show, the former harbour master and current candidate for governor said she wanted to speak “directly to the fishermen of the coast.”",
			"directly to the fishermen", "Ines Ruud", ByNominal},
		{"as a document put it",
			`The main test is a "lawful source of investment income," as a Treasury memo put it.`,
			"lawful source of investment", "Treasury", ByDirect},
		{"a participle after the speech verb, then a second quotation",
			`"The voters do not agree with the mayor," Ruud said, suggesting a few questions, including, "Mayor Berg, do you really think the ferry can wait?"`,
			"do you really think the ferry", "Ruud", ByDirect},
		{"a role in lower case is the person given it",
			"Foreign Minister Lena Varga of Norway arrived in Oslo on Monday.\n\nBefore leaving, the Norwegian foreign minister discussed “matters of common interest on the fisheries” with her hosts.",
			"matters of common interest", "Lena Varga", ByEmbedded},
		{"a quotation's own sentences name no one who speaks",
			"The leader has vowed to avenge the killing.\n\nIn his message, Leader Omar Haddad said that “revenge awaits the criminals. Martyr Karimi is a figure of resistance”. The message suggested that the response could be slow.",
			"revenge awaits", "Omar Haddad", ByDirect},
		{"a show's name in the sentence that says who",
			`On “Morning Coast Today,” Senator Ines Ruud listed the reasons for the delay. “The money was never there in the first place.”`,
			"money was never there", "Ines Ruud", ByContinued},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, an := analyzeTexts(t, map[string]string{"a.txt": article("2024-05-10", tt.body)})
			got, how, found := quoteOf(t, an, "a.txt", tt.words)
			if tt.speaker == "" {
				if found {
					t.Errorf("%q should not be a quotation (speaker %q)", tt.words, got)
				}
				return
			}
			if !found {
				t.Fatalf("quotation %q not found", tt.words)
			}
			if got != tt.speaker || how != tt.how {
				t.Errorf("speaker %q (%s), want %q (%s)", got, how, tt.speaker, tt.how)
			}
		})
	}
}

// Context: pronouns go to the last person who can be meant (not an outlet
// or a place in between), continuations to the speaker of the quotation
// they continue, introductions ending in a colon to what follows.
func TestAttributionContext(t *testing.T) {
	body := strings.Join([]string{
		`In an interview with the Coastal Gazette, Amara Okafor criticised the new ferry contract.`,
		`“Nobody on the islands was asked,” she said. “Not one person.”`,
		`Okafor also spoke to the regional council on Friday. Berg continued:`,
		`“The numbers in the contract do not add up, and the council knows it.”`,
		`“It is a bad deal,” Jonas Berg said. “We will fight it in court if we have to.`,
		`“And we will win.”`,
		`The Transport Ministry issued a statement on Monday. “The contract was awarded fairly,” the statement said.`,
	}, "\n\n")
	_, an := analyzeTexts(t, map[string]string{"a.txt": article("2024-03-04", body)})
	for words, want := range map[string][2]string{
		"Nobody on the islands":       {"Amara Okafor", ByPronoun},
		"Not one person":              {"Amara Okafor", ByPronoun},
		"numbers in the contract":     {"Jonas Berg", ByIntroduced},
		"fight it in court":           {"Jonas Berg", ByDirect},
		"And we will win":             {"Jonas Berg", ByContinued},
		"contract was awarded fairly": {"Transport Ministry", ByNominal},
		"It is a bad deal":            {"Jonas Berg", ByDirect},
	} {
		got, how, found := quoteOf(t, an, "a.txt", words)
		if !found || got != want[0] || how != want[1] {
			t.Errorf("%q: %q (%s, found %v), want %q (%s)", words, got, how, found, want[0], want[1])
		}
	}
}

// Names no reader would accept never become speakers: a headline repeated
// in the body, a word that only opens a sentence, a title, a dateline.
func TestWellFormedNames(t *testing.T) {
	_, an := analyzeTexts(t, map[string]string{"a.txt": "---\ntitle: Fishermen Share Their Fears About The New Harbour Fee\npublished: 2024-04-02\n---\n" +
		"BERGEN — Fishermen Share Their Fears About The New Harbour Fee.\n\n" +
		"Now Maria Lopez says she will fight the fee. “It would ruin the small boats,” Lopez said.\n\n" +
		"“The fee is fair,” Mr. Anders Holm, the harbour director, said. “Everyone pays the same.”"})
	for _, s := range an.Speakers.Speakers {
		if s.Quotes == 0 {
			continue
		}
		for _, bad := range []string{"Share", "Now", "Mr", "BERGEN", ",", "\""} {
			if strings.Contains(s.Name, bad) {
				t.Errorf("malformed speaker %q", s.Name)
			}
		}
	}
	if got, _, _ := quoteOf(t, an, "a.txt", "ruin the small boats"); got != "Maria Lopez" {
		t.Errorf("Lopez's quotation: %q", got)
	}
	if got, _, _ := quoteOf(t, an, "a.txt", "fee is fair"); got != "Anders Holm" {
		t.Errorf("Holm's quotation: %q", got)
	}
}

// Two people of one surname stay two speakers, in one article (the
// surname goes to the one named last) or ingested one at a time; a
// surname alone is not joined to a full name from another article.
func TestSurnamesStayWithTheirArticle(t *testing.T) {
	_, an := analyzeTexts(t, map[string]string{
		"a.txt": article("2024-01-02", `Bill Coste and Hillary Coste spoke at the rally. Hillary Coste went first. “We need the bill,” Coste said.`),
		"b.txt": article("2024-01-03", `Sadiq Rahman, the mayor, opened the bridge. “It is finished at last,” Rahman said.`),
		"c.txt": article("2024-01-04", `Aamir Rahman, the actor, watched. “I came for the music,” Rahman said.`),
		"d.txt": article("2024-01-05", `The crowd cheered. “A great day for the city,” Rahman said.`),
	})
	for words, want := range map[string]string{
		"need the bill":       "Hillary Coste",
		"finished at last":    "Sadiq Rahman",
		"came for the music":  "Aamir Rahman",
		"great day for the c": "Rahman",
	} {
		if got, _, _ := quoteOf(t, an, map[string]string{"need the bill": "a.txt", "finished at last": "b.txt",
			"came for the music": "c.txt", "great day for the c": "d.txt"}[words], words); got != want {
			t.Errorf("%q: %q, want %q", words, got, want)
		}
	}
	if ss := an.Speakers.Resolve("Rahman"); len(ss) != 3 {
		t.Errorf("Rahman should match the three Rahmans, got %v", names(ss))
	}
	if ss := an.Speakers.Resolve("Aamir Rahman"); len(ss) != 1 || ss[0].Name != "Aamir Rahman" {
		t.Errorf("Aamir Rahman: %v", names(ss))
	}
}

// The speakers are the same whatever order the articles arrive in, one
// at a time or all at once: names, display names, titles, counts.
func TestSpeakersDoNotDependOnOrder(t *testing.T) {
	files := map[string]string{
		"a.txt": article("2024-01-02", `“We will appeal,” Foreign Minister Shah Mehmood Qureshi said. Qureshi spoke in Multan.`),
		"b.txt": article("2024-01-03", `“The talks go on,” Shah Mahmood Qureshi told reporters.`),
		"c.txt": article("2024-01-04", `“Calm is needed,” Qureshi said on Friday.`),
		"d.txt": article("2024-01-05", `“A fair deal,” said Army Chief Gen Qamar Javed Bajwa. Later Qamar Bajwa met the envoy.`),
		"e.txt": article("2024-01-06", `“No comment,” a Foreign Office spokeswoman said.`),
	}
	c, full := analyzeTexts(t, files)
	want := registryDigest(full.Speakers)
	r := rand.New(rand.NewSource(3))
	for round := 0; round < 5; round++ {
		order := append([]int(nil), r.Perm(len(c.Articles))...)
		reg := NewRegistry(full.Gazetteer)
		for _, i := range order {
			a := c.Articles[i]
			reg.Add(ArticleFacts(a, full.Gazetteer).Names, 1)
			reg.Rebuild()
		}
		if got := registryDigest(reg); got != want {
			t.Fatalf("order %v gives other speakers:\n%s\nwant:\n%s", order, got, want)
		}
	}
	// And taking an article out undoes what it added.
	reg := full.Speakers.Clone()
	reg.Add(full.Facts["b.txt"].Names, -1)
	reg.Add(full.Facts["b.txt"].Names, 1)
	reg.Rebuild()
	if got := registryDigest(reg); got != want {
		t.Errorf("out and in again:\n%s\nwant:\n%s", got, want)
	}
}

func registryDigest(r *Registry) string {
	var lines []string
	for _, s := range r.Speakers {
		lines = append(lines, s.Name+" | "+strings.Join(s.Aliases, ", ")+" | "+strings.Join(s.Titles, ", ")+
			" | "+strings.Repeat("q", s.Quotes))
	}
	sort.Strings(lines)
	return strings.Join(lines, "\n")
}

// A coordinated verb after a clause keeps the clause's subject: never the
// clause itself as a name.
func TestCoordinatedAttribution(t *testing.T) {
	body := "The court heard both sides on Monday.\n\nHowever, Lena Varga's brief said that was not her view and dismissed those reports as “old and misread claims from the divorce.”"
	_, an := analyzeTexts(t, map[string]string{"a.txt": article("2024-02-01", body)})
	sp, _, ok := quoteOf(t, an, "a.txt", "misread claims")
	if !ok || !strings.Contains(sp, "Lena Varga") || len(strings.Fields(sp)) > 3 {
		t.Errorf("speaker %q", sp)
	}
	// A noun that is also a verb of speech ("secretary of state") does not
	// end a description.
	body = "Senator Ines Ruud spoke in Oslo on Monday.\n\nOn Tuesday, the former secretary of state and current Labour nominee said she wanted to speak “directly to the farmers of the valley.”"
	_, an = analyzeTexts(t, map[string]string{"a.txt": article("2024-02-01", body)})
	if sp, _, _ := quoteOf(t, an, "a.txt", "farmers of the valley"); sp != "Ines Ruud" {
		t.Errorf("speaker %q, want Ines Ruud", sp)
	}
}
