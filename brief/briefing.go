package brief

import (
	"context"
	"errors"
	"regexp"
	"strings"
	"unicode"

	"github.com/briefbot/briefbot/corpus"
)

// Briefing is what the articles say about a piece of text (a message, a
// paragraph someone pasted): the actors, speakers and topic words of the
// index it names, and for them the main positions, quotations and dated
// events.
type Briefing struct {
	Topic    string   `json:"topic,omitempty"`
	Actors   []string `json:"actors,omitempty"`
	Speakers []string `json:"speakers,omitempty"`
	// Answers are the stance of the first actor on the topic, the first
	// speaker's quotations and the topic's timeline, those that found
	// something.
	Answers []*Answer `json:"answers"`
	Note    string    `json:"note,omitempty"`
}

// briefingItems is how many items each part of a briefing shows.
const briefingItems = 3

// maxBriefingRunes is how much of a text a briefing reads (a Discord
// message holds 4000 characters at most).
const maxBriefingRunes = 4000

// maxFound bounds the actors and speakers a briefing names.
const maxFound = 3

// BriefOn finds what the index knows in the text and answers about it.
func (e *Engine) BriefOn(ctx context.Context, text string) (*Briefing, error) {
	// A message may be long: only so much of it is read.
	text = strings.Join(strings.Fields(strings.ToValidUTF8(clipRunes(text, maxBriefingRunes), " ")), " ")
	b := &Briefing{Answers: []*Answer{}}
	m := e.Index().Head()
	folded := " " + corpus.Fold(text) + " "
	mentions := func(name string) bool {
		f := corpus.Fold(name)
		return f != "" && strings.Contains(folded, " "+f+" ")
	}
	for _, a := range m.Actors {
		if len(b.Actors) < maxFound && mentions(a) {
			b.Actors = append(b.Actors, a)
		}
	}
	// A speaker is named by surname, capitalised as a name is.
	words := map[string]bool{}
	for _, w := range strings.FieldsFunc(text, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsNumber(r) }) {
		words[w] = true
	}
	for _, s := range e.speakersByQuotes() {
		parts := strings.Fields(s)
		if len(parts) == 0 || len(b.Speakers) == maxFound {
			continue
		}
		surname := parts[len(parts)-1]
		if len([]rune(surname)) >= 3 && wordIn(text, surname, words) && !containsFold(b.Actors, s) {
			b.Speakers = append(b.Speakers, s)
		}
	}
	for _, t := range m.Topics {
		if mentions(t) && !containsFold(b.Actors, t) && !containsFold(b.Speakers, t) {
			b.Topic = t
			break
		}
	}
	if b.Topic == "" && len(b.Actors) > 0 {
		b.Topic = b.Actors[0]
	}
	if b.Topic == "" && len(b.Actors) == 0 && len(b.Speakers) == 0 {
		b.Note = "Nothing in that text names an actor, a speaker or a topic these articles know. Try searching for its words."
		return b, nil
	}
	page := Page{Limit: briefingItems}
	add := func(ans *Answer, err error) error {
		var ie *InputError
		switch {
		case errors.As(err, &ie):
			return nil // that part has nothing to say
		case err != nil:
			return err
		case len(ans.Items) > 0:
			b.Answers = append(b.Answers, ans)
		}
		return nil
	}
	if b.Topic != "" {
		actor := ""
		for _, a := range b.Actors {
			if !strings.EqualFold(a, b.Topic) {
				actor = a
				break
			}
		}
		if err := add(e.Stance(ctx, StanceQuery{Topic: b.Topic, Actors: []string{actor}}, page)); err != nil {
			return nil, err
		}
	}
	if len(b.Speakers) > 0 {
		if err := add(e.Quote(ctx, b.Speakers[0], "", page)); err != nil {
			return nil, err
		}
	}
	if b.Topic != "" {
		if err := add(e.Timeline(ctx, b.Topic, "", "", page)); err != nil {
			return nil, err
		}
	}
	if len(b.Answers) == 0 {
		b.Note = "The articles name what that text is about, but have no positions, quotations or dated events on it."
	}
	return b, nil
}

// wordIn: word stands in text as a whole word, with its capitals. words
// are the text's words; a word with other characters (a hyphen, an
// apostrophe) is looked for in the text itself.
func wordIn(text, word string, words map[string]bool) bool {
	if words[word] {
		return true
	}
	if strings.IndexFunc(word, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsNumber(r) }) < 0 {
		return false
	}
	re, err := regexp.Compile(`(^|[^\p{L}\p{N}])` + regexp.QuoteMeta(word) + `($|[^\p{L}\p{N}])`)
	return err == nil && re.MatchString(text)
}

func clipRunes(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n])
	}
	return s
}
