package brief

import (
	"math/rand"
	"strings"
	"testing"
)

// TestTopicWords: how squarely a paragraph is about a topic of several
// words: the phrase itself, its words close together in another order,
// its words scattered over unrelated clauses, and a compound that is
// another thing.
func TestTopicWords(t *testing.T) {
	tests := []struct {
		topic, text string
		onTopic     bool
	}{
		{"tax returns", "He refused again to release his tax returns.", true},
		{"tax returns", "The returns he filed showed little federal tax paid.", true},
		{"tax returns", "An adviser on tax and budget issues said the plan would simplify returns for small businesses and people with modest incomes.", false},
		{"police shootings", "The shootings of unarmed men by police drew protests.", true},
		{"police shootings", "Police said the suspect had been arrested; a week of protests followed, with marches downtown and, in the suburbs, two shootings.", false},
		{"trade", "The company is publicly traded.", false},
		{"trade", "Shares in cap-and-trade schemes fell.", false},
		{"paid maternity leave", "Her proposal for paid leave for mothers was welcomed.", true},
	}
	for _, tc := range tests {
		m := &topicMatcher{topic: tc.topic}
		for _, w := range wordsOf(tc.topic) {
			m.words = append(m.words, w.folded)
		}
		if got := m.in(tc.text, nil) >= onTopic; got != tc.onTopic {
			t.Errorf("%q in %q: on topic %v, want %v (%.2f)", tc.topic, tc.text, got, tc.onTopic, m.in(tc.text, nil))
		}
	}
}

// TestMayNamePrefilter: the quick check never turns away a text that
// names the topic in any form the matcher accepts.
func TestMayNamePrefilter(t *testing.T) {
	topics := []string{"tax returns", "policy", "police shootings", "trade", "Wells Fargo", "climate change", "México", "gas"}
	words := []string{"taxes", "tax", "returns", "policies", "Policy", "police", "shooting", "shootings", "trade", "traded", "cap-and-trade",
		"Wells", "Fargo", "climate", "changes", "Mexico", "México", "gases", "gas", "the", "said", "on", "Ünïcode", "—", "«", "\u00a0"}
	r := rand.New(rand.NewSource(7))
	for _, topic := range topics {
		m := &topicMatcher{topic: topic}
		for _, w := range wordsOf(topic) {
			m.words = append(m.words, w.folded)
		}
		for i := 0; i < 3000; i++ {
			var b strings.Builder
			for n := r.Intn(8); n >= 0; n-- {
				b.WriteString(words[r.Intn(len(words))])
				b.WriteString([]string{" ", "-", ", ", ". "}[r.Intn(4)])
			}
			text := b.String()
			if !m.mayName(text) && m.inWords(text, nil) > 0 {
				t.Fatalf("%q: %q names the topic but the quick check turns it away", topic, text)
			}
		}
	}
}
