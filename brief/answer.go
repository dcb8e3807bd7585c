// Package brief answers the briefing questions (stance, timeline, quote,
// search, source) from the index, as plain values made of verbatim, cited
// snippets. It knows nothing of Discord or terminals: renderers do.
package brief

import (
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/briefbot/briefbot/index"
)

// Citation says where a snippet comes from.
type Citation struct {
	Article   string `json:"article"`
	File      string `json:"file"`
	Title     string `json:"title"`
	Outlet    string `json:"outlet"`
	Published string `json:"published"` // YYYY-MM-DD, or "" when unknown
	URL       string `json:"url"`
	Paragraph int    `json:"paragraph"`
	// Text, in an item's also_in, is this copy's own words where they are
	// not the item's (a republished story with an edit).
	Text string `json:"text,omitempty"`
}

// Item is one snippet of an answer.
type Item struct {
	// Text is whole sentences of the cited paragraph as received; "… " or
	// " …" mark where neighbouring sentences were left out.
	Text string `json:"text"`
	// Quote is the quoted words alone; several quotations in one snippet
	// are joined by " … ".
	Quote        string `json:"quote,omitempty"`
	Speaker      string `json:"speaker,omitempty"`
	SpeakerTitle string `json:"speaker_title,omitempty"`
	// Attribution says how the speaker was found: "direct" (named beside a
	// speech verb), "pronoun", "nominal" (a description such as "a
	// spokeswoman"), "continued" (the quotation goes on from an attributed
	// one), "embedded" (quoted inside what they said or did), "transcript",
	// "introduced" (by a sentence ending in a colon).
	Attribution string `json:"attribution,omitempty"`
	// Date is the event's date at its precision (2019, 2019-11, 2019-11-03;
	// for a week, its first day).
	Date          string `json:"date,omitempty"`
	DatePrecision string `json:"date_precision,omitempty"`
	DateText      string `json:"date_text,omitempty"` // the words that gave the date
	// DateBasis says how the date was found: "explicit" (the words give
	// the year), "relative to publication", "tense: future", "tense: past".
	DateBasis string `json:"date_basis,omitempty"`
	// Role, for stance: "position" (the actor states or shows it) or
	// "background" (the passage names the actor and the topic, no more).
	Role string `json:"role,omitempty"`
	// Position is the kind of position a stance item's words state
	// (extract.Kinds: "supports", "calls for", …, "statement"), and
	// Evidence those words, verbatim in Text ("will not take sides").
	Position string `json:"position,omitempty"`
	Evidence string `json:"evidence,omitempty"`
	// Holder is who took the position for the actor, when not the actor
	// under its own name ("Shah Mehmood Qureshi, Foreign Minister").
	Holder string `json:"holder,omitempty"`
	// Actor is whose position it is, in a comparison of actors.
	Actor string `json:"actor,omitempty"`
	// Period is the item's date group ("2022", "2022-03") when the answer
	// is grouped by date.
	Period   string     `json:"period,omitempty"`
	Citation Citation   `json:"citation"`
	AlsoIn   []Citation `json:"also_in,omitempty"`
}

// Answer is one reply, ready for any renderer.
type Answer struct {
	Command string            `json:"command"`
	Query   map[string]string `json:"query"`
	// Total counts all matches; Items is the page from Offset.
	Total  int    `json:"total"`
	Offset int    `json:"offset"`
	Items  []Item `json:"items"`
	// Note is a line for the reader: why nothing was found, what to try, or
	// how the question was understood.
	Note string `json:"note,omitempty"`
	// For stance: Summary sums up the positions (all of them, not just
	// this page) by kind; Groups sum them up by period when grouped by
	// date; Background are passages that name the actor without its
	// position, shown apart once the positions run out; Sides are each
	// actor's part when actors are compared.
	Summary    []SummaryLine `json:"summary,omitempty"`
	Groups     []Group       `json:"groups,omitempty"`
	Background []Item        `json:"background,omitempty"`
	Sides      []Side        `json:"sides,omitempty"`
	// Freshness says what the answer was drawn from.
	Freshness *Freshness `json:"freshness,omitempty"`
}

// Freshness is the state of the articles an answer comes from: how many,
// the newest one's date, and when they last changed.
type Freshness struct {
	Articles int       `json:"articles"`
	Newest   string    `json:"newest,omitempty"` // YYYY-MM-DD; "" when no article is dated
	Updated  time.Time `json:"updated"`
}

// Ellipsis marks sentences left out of a snippet.
const Ellipsis = "…"

// Verbatim returns the snippet without its ellipsis marks: the exact text
// that must appear in the cited paragraph.
func (it Item) Verbatim() string {
	t := strings.TrimPrefix(it.Text, Ellipsis+" ")
	return strings.TrimSuffix(t, " "+Ellipsis)
}

// InputError is a problem with what the user asked; its message says what to do.
type InputError struct{ Msg string }

func (e *InputError) Error() string { return e.Msg }

func inputErrorf(format string, args ...interface{}) error {
	return &InputError{Msg: fmt.Sprintf(format, args...)}
}

// MaxQueryRunes bounds any text a user types.
const MaxQueryRunes = 200

// cleanInput removes control and invisible format characters, collapses
// white space and enforces the length limit.
func cleanInput(what, s string) (string, error) {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, " ")
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case unicode.IsSpace(r):
			b.WriteByte(' ')
		case unicode.IsControl(r) || unicode.Is(unicode.Cf, r):
		default:
			b.WriteRune(r)
		}
	}
	out := strings.Join(strings.Fields(b.String()), " ")
	if n := utf8.RuneCountInString(out); n > MaxQueryRunes {
		return "", inputErrorf("the %s is %d characters long; keep it under %d", what, n, MaxQueryRunes)
	}
	return out, nil
}

// parseDay reads a date a user typed: YYYY-MM-DD, YYYY-MM or YYYY. With end
// set, a month or year means its last day.
func parseDay(what, s string, end bool) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, nil
	}
	for _, f := range []struct {
		layout string
		years  int
		months int
	}{{"2006-01-02", 0, 0}, {"2006-01", 0, 1}, {"2006", 1, 0}} {
		t, err := time.Parse(f.layout, s)
		if err != nil {
			continue
		}
		if end && (f.years > 0 || f.months > 0) {
			t = t.AddDate(f.years, f.months, -1)
		}
		if t.Before(index.MinDate) || t.After(index.MaxDate) {
			return time.Time{}, inputErrorf("%s %q is out of range: give a date between %d and %d", what, s, index.MinDate.Year(), index.MaxDate.Year())
		}
		return t, nil
	}
	return time.Time{}, inputErrorf("%s %q is not a date: use YYYY-MM-DD, YYYY-MM or YYYY", what, s)
}
