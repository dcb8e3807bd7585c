package extract

import (
	"strings"
	"testing"
)

// TestPositionKinds: the kind of position a sentence states, from its verb
// and negation, who holds it, and the verbatim words that carry it.
func TestPositionKinds(t *testing.T) {
	// Every paragraph follows an introduction of the people it names, so
	// that surnames, roles and pronouns have someone to stand for.
	intro := "Norwegian Foreign Minister Kari Lund said she would travel to Brussels. Sen. Tom Reyes said he would meet her there."
	tests := []struct {
		sentence, holder, kind, words string
	}{
		{"Norway abstained in the vote on the resolution.", "norway", Neutral, "abstained in the vote"},
		{"Norway refused to condemn the invasion.", "norway", Neutral, "refused to condemn the invasion"},
		{"Norway refrained from criticizing the strikes.", "norway", Neutral, "refrained from criticizing the strikes"},
		{"Norway will not take sides in the dispute.", "norway", Neutral, "will not take sides in the dispute"},
		{"Norway did not support the resolution.", "norway", Opposes, "did not support the resolution"},
		{"Oslo backed the proposal on Tuesday.", "norway", Supports, "backed the proposal"},
		{"Lund condemned the attack on the embassy.", "kari lund", Condemns, "condemned the attack"},
		{"Lund called for an immediate ceasefire.", "kari lund", CallsFor, "called for an immediate ceasefire"},
		{"Lund urged both sides to show restraint.", "kari lund", CallsFor, "urged both sides"},
		{"Lund offered to mediate between the two.", "kari lund", Offers, "offered to mediate between the two"},
		{"Lund expressed deep concern over the clashes.", "kari lund", Concern, "expressed deep concern over the clashes"},
		{"Lund denied reports of a rift with Washington.", "kari lund", Denies, "denied reports"},
		{"Lund has repeatedly warned against escalation.", "kari lund", Concern, "has repeatedly warned against escalation"},
		{"She also rejected the plan.", "kari lund", Opposes, "also rejected the plan"},
		{"The senator vowed to block the bill.", "tom reyes", Offers, "vowed to block the bill"},
		{"Reyes took to Twitter to accuse the ministry of lying.", "tom reyes", Opposes, "accuse the ministry"},
		{"Reyes spoke for an hour, praising the deal.", "tom reyes", Supports, "praising the deal"},
		{`"We condemn this attack without reservation," Lund said.`, "kari lund", Condemns, "We condemn this attack"},
		{`"The talks were useful," Lund said.`, "kari lund", Statement, ""},
	}
	for _, tc := range tests {
		t.Run(tc.sentence, func(t *testing.T) {
			ps := statedAfter(t, intro, tc.sentence)
			for _, p := range ps {
				if p.Holder == tc.holder && p.Kind == tc.kind && p.Words == tc.words {
					return
				}
			}
			t.Errorf("want %s %s %q, got %+v", tc.holder, tc.kind, tc.words, ps)
		})
	}
}

// TestPositionHolders: whose position a sentence states, and whose it
// does not: another speaker next to the actor's name, an analyst, a
// reader, a campaign speaking for its candidate.
func TestPositionHolders(t *testing.T) {
	body := strings.Join([]string{
		"Sam Marlow, the Republican nominee, spoke in Ohio on Friday.",
		"Senator Jane Ortiz criticized Marlow over the plan.",
		`"Marlow has no idea how trade works," Ortiz said.`,
		"Analysts said the plan by Marlow would cost jobs.",
		"In a letter to the editor, reader Ola Berg wrote that Marlow was right.",
		"The Marlow campaign denied the report.",
		"Pakistani officials welcomed the talks.",
		"The nominee rejected the criticism.",
	}, "\n\n")
	_, an := analyzeTexts(t, map[string]string{"a.txt": article("2024-02-01", body)})
	f := an.Facts["a.txt"]
	holders := func(i int) []string {
		var out []string
		for _, p := range f.Stated[i] {
			out = append(out, p.Holder)
		}
		return out
	}
	tests := []struct {
		para        int
		want, never string
	}{
		{1, "jane ortiz", "sam marlow"},
		{2, "jane ortiz", "sam marlow"},
		{3, "", "sam marlow"},
		{4, "ola berg", "sam marlow"},
		{5, "sam marlow", ""},
		{6, "pakistan", ""},
		{7, "sam marlow", ""},
	}
	for _, tc := range tests {
		hs := holders(tc.para)
		if tc.want != "" && !contains(hs, tc.want) {
			t.Errorf("¶%d: want %q among %v", tc.para+1, tc.want, hs)
		}
		if tc.never != "" && contains(hs, tc.never) {
			t.Errorf("¶%d: %q takes no position there: %v", tc.para+1, tc.never, hs)
		}
	}
}

// statedAfter is what sentence states, in a paragraph of its own after
// intro's.
func statedAfter(t *testing.T, intro, sentence string) []Position {
	t.Helper()
	_, an := analyzeTexts(t, map[string]string{"a.txt": article("2024-02-01", intro+"\n\n"+sentence)})
	return an.Facts["a.txt"].Stated[1]
}

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// TestPositionAsides: a position told inside someone else's sentence, as a
// circumstance or as what another reports, is marked an aside; the
// sentence's own subject's positions are not.
func TestPositionAsides(t *testing.T) {
	intro := "Sam Marlow, the Republican nominee, spoke in Ohio. Senator Jane Ortiz spoke in Iowa."
	tests := []struct {
		sentence, holder string
		aside            bool
	}{
		{"Her visit came after rival Sam Marlow attacked the plan.", "sam marlow", true},
		{"Ortiz pointed to reports that Marlow condemned the deal.", "sam marlow", true},
		{"Ortiz says Marlow rejected the deal.", "sam marlow", true},
		{"When Marlow criticized the plan, Ortiz stayed silent.", "sam marlow", true},
		{"Marlow said that he rejected the deal.", "sam marlow", false},
		{"Marlow rejected the deal on Friday.", "sam marlow", false},
		{"Ortiz condemned the deal after Marlow spoke.", "jane ortiz", false},
	}
	for _, tc := range tests {
		t.Run(tc.sentence, func(t *testing.T) {
			ps := statedAfter(t, intro, tc.sentence)
			for _, p := range ps {
				if p.Holder == tc.holder {
					if p.Aside != tc.aside {
						t.Errorf("aside %v, want %v: %+v", p.Aside, tc.aside, p)
					}
					return
				}
			}
			t.Errorf("no position of %s: %+v", tc.holder, ps)
		})
	}
}

// TestNotTheSubjectsPosition: what is done to the subject is not its
// position (a state of mind in the passive's form is), nor what the
// narrator says it failed to give.
func TestNotTheSubjectsPosition(t *testing.T) {
	intro := "Sam Marlow, the Republican nominee, spoke in Ohio."
	for _, tc := range []struct {
		sentence string
		want     string // the kind Marlow holds, "" for none
	}{
		{"Marlow has never been charged with any wrongdoing.", ""},
		{"Marlow was widely criticized over the plan.", ""},
		{"Marlow was condemned by the council.", ""},
		{"Marlow is opposed to the plan.", Opposes},
		{"Marlow offered no proof for the claim.", ""},
		{"Marlow criticized the plan.", Opposes},
	} {
		t.Run(tc.sentence, func(t *testing.T) {
			ps := statedAfter(t, intro, tc.sentence)
			got := ""
			for _, p := range ps {
				if p.Holder == "sam marlow" {
					got = p.Kind
				}
			}
			if got != tc.want {
				t.Errorf("Marlow holds %q, want %q: %+v", got, tc.want, ps)
			}
		})
	}
}

// TestInfinitiveOwner: an infinitive's position is the sentence subject's
// only when nothing gives it another subject.
func TestInfinitiveOwner(t *testing.T) {
	intro := "Norwegian Foreign Minister Kari Lund said she would travel to Brussels."
	for _, tc := range []struct {
		sentence, kind string
		held           bool
	}{
		{"Lund was already in Moscow when the general ordered his army to attack the border posts.", Opposes, false},
		{"Lund ordered her staff to condemn the attack.", Condemns, false},
		{"Lund took to Twitter to condemn the attack.", Condemns, true},
	} {
		t.Run(tc.sentence, func(t *testing.T) {
			ps := statedAfter(t, intro, tc.sentence)
			held := false
			for _, p := range ps {
				held = held || p.Holder == "kari lund" && p.Kind == tc.kind
			}
			if held != tc.held {
				t.Errorf("Lund %s: %v, want %v: %+v", tc.kind, held, tc.held, ps)
			}
		})
	}
}

// TestPossessivePlans: a plan given someone by possessive is what they
// call for.
func TestPossessivePlans(t *testing.T) {
	intro := "Sam Marlow, the Republican nominee, spoke in Ohio. Senator Jane Ortiz spoke in Iowa."
	wantStated(t, intro, CallsFor, []statedCase{
		{"Sam Marlow's new proposal for paid leave is vague.", "sam marlow", "Sam Marlow's new proposal"},
		{"Under Ortiz's plan, farmers would pay less.", "jane ortiz", "Ortiz's plan"},
		{"Ortiz said her tax plan would help farmers.", "jane ortiz", "her tax plan"},
	})
	// Not the holder's: a possessive before something else, and others'
	// views of the plan.
	wantNotStated(t, intro, "sam marlow", CallsFor, []string{
		"Marlow's daughter spoke about the plan.",
		"Experts praised Marlow's policy on trade.",
		"Ortiz says Marlow's plan would fail.",
		"Some experts said the wording of Marlow's policy was vague.",
		"If Marlow's plan failed, farmers would suffer.",
		"And with Ortiz, the council should sue to resist Marlow's agenda.",
	})
}

// TestCommitments: what a subject will or would do is a course it sets
// out; a state, a supposition or a thing's effect is not.
func TestCommitments(t *testing.T) {
	intro := "Senator Jane Ortiz spoke in Iowa. Norway's foreign minister spoke in Oslo."
	wantStated(t, intro, Other, []statedCase{
		{"Ortiz would impose a 4 percent surcharge on the rich.", "jane ortiz", "would impose a 4 percent surcharge"},
		{"She said Norway would work with its allies.", "norway", "would work with its allies"},
		{"Ortiz will not raise taxes on farmers.", "jane ortiz", "will not raise taxes on farmers"},
	})
	wantNotStated(t, intro, "jane ortiz", Other, []string{
		"Ortiz would be a strong candidate.",
		"The plan by Ortiz would cost jobs.",
		"Ortiz would have won in 2020.",
		"Ortiz will also find it difficult to repeat her attacks.",
	})
}

// statedCase is a sentence and the position of kind its holder states in
// exactly words.
type statedCase struct{ sentence, holder, words string }

// wantStated checks each case's sentence, after intro, states its position.
func wantStated(t *testing.T, intro, kind string, cases []statedCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.sentence, func(t *testing.T) {
			ps := statedAfter(t, intro, tc.sentence)
			for _, p := range ps {
				if p.Holder == tc.holder && p.Kind == kind && p.Words == tc.words {
					return
				}
			}
			t.Errorf("want %s %s %q, got %+v", tc.holder, kind, tc.words, ps)
		})
	}
}

// wantNotStated checks no sentence, after intro, gives holder a position
// of kind.
func wantNotStated(t *testing.T, intro, holder, kind string, sentences []string) {
	t.Helper()
	for _, s := range sentences {
		for _, p := range statedAfter(t, intro, s) {
			if p.Holder == holder && p.Kind == kind {
				t.Errorf("%q: not %s's position: %+v", s, holder, p)
			}
		}
	}
}

// TestVoicesOfACountry: a speaker who reports a country's course in their
// own words speaks for it in that article, so their later quotations that
// say "we" or name it are its positions; a rival's leader reporting the
// same does not speak for it, and a speaker who never reported its course
// does not either.
func TestVoicesOfACountry(t *testing.T) {
	tests := []struct {
		name, first, quote string
		want               bool
	}{
		{"minister then we",
			"Foreign Secretary Ann Holt said Norway would work with its partners on new measures.",
			`"We remain ready to talk at any time," she said.`, true},
		{"pronoun speaker then the country named",
			"In a statement, Prime Minister Ivar Dahl condemned the launch. He said Norway and its allies will seek tougher sanctions.",
			`"Let me be clear: Norway does not, and never will, accept these tests," he said.`, true},
		{"quotation names neither we nor the country",
			"Foreign Secretary Ann Holt said Norway would work with its partners on new measures.",
			`"The launch was a provocation," she said.`, false},
		{"a rival's leader",
			"Swedish Prime Minister Lars Berg said Norway would regret its decision.",
			`"We will answer in kind," Berg said.`, false},
		{"never spoke for it",
			"Analyst Mia Strand spoke to reporters about the launch.",
			`"We have seen this before, and Norway has few options," Strand said.`, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ps := statedAfter(t, tc.first, tc.quote)
			got := false
			for _, p := range ps {
				got = got || p.Holder == "norway" && p.Via == "representative"
			}
			if got != tc.want {
				t.Errorf("Norway's position through its speaker: got %v, want %v: %+v", got, tc.want, ps)
			}
		})
	}
}

// TestSuppositionsAreNoPositions: what someone may or could have done is a
// guess about them, not a stand they took; what they did is one.
func TestSuppositionsAreNoPositions(t *testing.T) {
	intro := "Norwegian Foreign Minister Kari Lund said she would travel to Brussels."
	tests := []struct {
		sentence string
		want     bool
	}{
		{"Analysts believe that Lund could have sought guarantees for Norwegian firms.", false},
		{"Lund may have urged restraint in private.", false},
		{"Lund might not have condemned the strike at all.", false},
		{"Lund sought guarantees for Norwegian firms.", true},
		{"Lund has urged restraint.", true},
	}
	for _, tc := range tests {
		got := false
		for _, p := range statedAfter(t, intro, tc.sentence) {
			got = got || p.Holder == "kari lund" && p.Kind != Statement
		}
		if got != tc.want {
			t.Errorf("%q: a position of Lund's %v, want %v", tc.sentence, got, tc.want)
		}
	}
}
