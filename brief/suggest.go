package brief

import (
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/briefbot/briefbot/corpus"
)

// Choice is one autocomplete suggestion: what people see and what is sent.
type Choice struct {
	Name  string
	Value string
}

// What autocomplete can suggest.
const (
	SuggestTopic   = "topic"
	SuggestActor   = "actor"
	SuggestSpeaker = "speaker"
	SuggestArticle = "article"
)

// MaxChoices and MaxChoiceRunes are Discord's limits for autocomplete.
const (
	MaxChoices     = 25
	MaxChoiceRunes = 100
)

// Suggest offers up to MaxChoices completions of typed for a kind of
// option, best first: names that start with it, then names that contain it.
func (e *Engine) Suggest(kind, typed string) []Choice {
	m := e.Index().Head()
	var cands []Choice
	switch kind {
	case SuggestTopic:
		for _, t := range m.Topics {
			cands = append(cands, Choice{t, t})
		}
		for _, a := range m.Actors {
			cands = append(cands, Choice{a, a})
		}
	case SuggestActor:
		for _, a := range m.Actors {
			cands = append(cands, Choice{a, a})
		}
		for _, s := range e.speakersByQuotes() {
			cands = append(cands, Choice{s, s})
		}
	case SuggestSpeaker:
		for _, s := range e.speakersByQuotes() {
			cands = append(cands, Choice{s, s})
		}
	case SuggestArticle:
		for _, a := range e.Index().Meta().Articles {
			name := a.Title
			if name == "" {
				name = a.File
			}
			if !a.Published.IsZero() {
				name = a.Published.Format("2006-01-02") + " · " + name
			}
			cands = append(cands, Choice{name, a.File})
		}
	}
	f := corpus.Fold(typed)
	var prefix, inside []Choice
	seen := map[string]bool{}
	for _, c := range cands {
		c = Choice{clip(c.Name), clipValue(c.Value)}
		if seen[c.Value] || c.Value == "" {
			continue
		}
		fn := corpus.Fold(c.Name)
		switch {
		case strings.HasPrefix(fn, f):
			prefix = append(prefix, c)
		case strings.Contains(fn, f) || strings.Contains(corpus.Fold(c.Value), f):
			inside = append(inside, c)
		default:
			continue
		}
		seen[c.Value] = true
	}
	out := append(prefix, inside...)
	return out[:min(len(out), MaxChoices)]
}

func (e *Engine) speakersByQuotes() []string {
	ss := e.Index().Head().Speakers.Speakers
	idx := make([]int, 0, len(ss))
	for i, s := range ss {
		if s.Quotes > 0 {
			idx = append(idx, i)
		}
	}
	sort.SliceStable(idx, func(a, b int) bool { return ss[idx[a]].Quotes > ss[idx[b]].Quotes })
	out := make([]string, len(idx))
	for i, j := range idx {
		out[i] = ss[j].Name
	}
	return out
}

// clip shortens s to MaxChoiceRunes, ending with "…" when cut.
func clip(s string) string {
	if utf8.RuneCountInString(s) <= MaxChoiceRunes {
		return s
	}
	return string([]rune(s)[:MaxChoiceRunes-1]) + "…"
}

// clipValue shortens a value without marking it: a clipped file name still
// finds its article, as words of it do.
func clipValue(s string) string {
	if utf8.RuneCountInString(s) <= MaxChoiceRunes {
		return s
	}
	return string([]rune(s)[:MaxChoiceRunes])
}

// Examples are words of the corpus in use to show in help: its subject,
// its most frequent topic and actor (other than the subject), its most
// quoted speaker and the year of its newest article. Any may be "".
type Examples struct {
	Subject, Topic, Actor, Speaker, Year string
}

// Examples picks the help's examples from the corpus.
func (e *Engine) Examples() Examples {
	m := e.Index().Head()
	ex := Examples{Subject: e.SubjectName()}
	if e.Index().ArticleCount() == 0 {
		return ex
	}
	other := func(list []string) string {
		for _, w := range list {
			if corpus.Fold(w) != m.Subject && corpus.Fold(w) != corpus.Fold(ex.Subject) {
				return w
			}
		}
		return ""
	}
	ex.Topic, ex.Actor = other(m.Topics), other(m.Actors)
	if ex.Topic == "" {
		ex.Topic = ex.Actor
	}
	if sp := e.speakersByQuotes(); len(sp) > 0 {
		ex.Speaker = sp[0]
	}
	if newest := e.Index().Newest(); !newest.IsZero() {
		ex.Year = newest.Format("2006")
	}
	return ex
}
