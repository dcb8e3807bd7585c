// Package render writes answers for people: plain text for terminals, and
// the pieces (citation lines, headings) other renderers share.
package render

import (
	"fmt"
	"io"
	"regexp"
	"strings"
	"time"

	"github.com/briefbot/briefbot/brief"
)

// Heading is the one-line title of an answer.
func Heading(a *brief.Answer) string {
	h := heading(a)
	var only []string
	if o := a.Query["outlet"]; o != "" {
		only = append(only, o)
	}
	if p := a.Query["published"]; p != "" {
		only = append(only, "published "+p)
	}
	if len(only) > 0 {
		h += " · only " + strings.Join(only, ", ")
	}
	return h
}

func heading(a *brief.Answer) string {
	q := a.Query
	switch a.Command {
	case "stance":
		h := fmt.Sprintf("Stance of %s on %q", q["actor"], q["topic"])
		if q["by"] != "" {
			h += " by " + q["by"]
		}
		return h
	case "timeline":
		h := "Timeline"
		if q["topic"] != "" {
			h += fmt.Sprintf(" of %q", q["topic"])
		}
		if q["from"] != "" || q["to"] != "" {
			h += fmt.Sprintf(" (%s to %s)", orDots(q["from"]), orDots(q["to"]))
		}
		return h
	case "quote":
		switch {
		case q["speaker"] != "" && q["topic"] != "":
			return fmt.Sprintf("Quotes by %s about %q", q["speaker"], q["topic"])
		case q["speaker"] != "":
			return "Quotes by " + q["speaker"]
		case q["topic"] != "":
			return fmt.Sprintf("Quotes about %q", q["topic"])
		}
		return "All quotes, newest first"
	case "search":
		return fmt.Sprintf("Paragraphs matching %q", q["query"])
	case "source":
		return fmt.Sprintf("Article %q", q["article"])
	case "context":
		return fmt.Sprintf("¶%s of %s in context", q["paragraph"], q["article"])
	}
	return a.Command
}

func orDots(s string) string {
	if s == "" {
		return "…"
	}
	return s
}

// Range says which items of the total a page shows: "showing 6–10 of 23";
// in a comparison, for each actor.
func Range(a *brief.Answer) string {
	if len(a.Sides) > 0 {
		parts := make([]string, 0, len(a.Sides))
		for _, s := range a.Sides {
			if len(s.Items) == 0 {
				parts = append(parts, fmt.Sprintf("%s: %d found", s.Actor, s.Total))
				continue
			}
			parts = append(parts, fmt.Sprintf("%s: %d–%d of %d", s.Actor, a.Offset+1, a.Offset+len(s.Items), s.Total))
		}
		return "showing " + strings.Join(parts, " · ")
	}
	if len(a.Items) == 0 {
		return fmt.Sprintf("%d found", a.Total)
	}
	return fmt.Sprintf("showing %d–%d of %d", a.Offset+1, a.Offset+len(a.Items), a.Total)
}

// Citation is a citation as one line: title · outlet · date · ¶n · file.
func Citation(c brief.Citation) string {
	parts := []string{orUnknown(c.Title, "untitled"), orUnknown(c.Outlet, "outlet unknown"),
		orUnknown(c.Published, "date unknown"), fmt.Sprintf("¶%d", c.Paragraph), c.File}
	return strings.Join(parts, " · ")
}

func orUnknown(s, unknown string) string {
	if s == "" {
		return unknown
	}
	return s
}

var partOfYear = regexp.MustCompile(`^(\d{4})-(Q[1-4]|H[12]|SP|SU|FA|WI)$`)

// PartOfYear writes a part of a year as a reader says it ("Q3 2026",
// "first half of 1990", "winter 1994") from the TimeML-style value answers
// carry ("2026-Q3", "1990-H1", "1994-WI"); "" for any other date.
func PartOfYear(date string) string {
	m := partOfYear.FindStringSubmatch(date)
	if m == nil {
		return ""
	}
	switch y, p := m[1], m[2]; p {
	case "H1":
		return "first half of " + y
	case "H2":
		return "second half of " + y
	case "SP", "SU", "FA", "WI":
		return map[string]string{"SP": "spring", "SU": "summer", "FA": "fall", "WI": "winter"}[p] + " " + y
	default:
		return p + " " + y
	}
}

// Label is what stands before an item's text: its date, speaker or role.
func Label(it brief.Item) string {
	switch {
	case it.Date != "":
		if words := PartOfYear(it.Date); words != "" {
			return words
		}
		l := it.Date
		if it.DatePrecision != "" && it.DatePrecision != "day" {
			l += " (" + it.DatePrecision + ")"
		}
		return l
	case it.Speaker != "":
		l := it.Speaker
		if it.SpeakerTitle != "" {
			l += ", " + it.SpeakerTitle
		}
		switch it.Attribution {
		case "pronoun", "continued", "introduced", "nominal":
			l += " (inferred)"
		case brief.ByTeam:
			l += " (speaker corrected by the team)"
		}
		return l
	case it.Quote != "":
		return "speaker not stated"
	case it.Position != "":
		return PositionLabel(it)
	case it.Role != "":
		return it.Role
	}
	return ""
}

// PositionLabel is a stance item's kind of position, the words that state
// it, and who stated it when not the actor under its own name:
// `neutral: "abstained" · Shah Mehmood Qureshi, Foreign Minister`.
func PositionLabel(it brief.Item) string {
	l := it.Position
	if it.Period != "" {
		l = it.Period + " · " + l
	}
	if it.Evidence != "" {
		l += ": “" + it.Evidence + "”"
	}
	if it.Holder != "" {
		l += " · " + it.Holder
	}
	return l
}

// SummaryWords is how many of a kind's words a summary line shows.
const SummaryWords = 2

// Summary sums positions up in one line: "Pakistan on Ukraine: neutral —
// abstained, will not take sides (4, Mar 2022); calls for (3, Feb–Mar
// 2022)". It says only what the labels and counts of the items say.
func Summary(actor, topic string, lines []brief.SummaryLine) string {
	if len(lines) == 0 {
		return ""
	}
	parts := make([]string, 0, len(lines))
	for _, l := range lines {
		parts = append(parts, KindLine(l))
	}
	return fmt.Sprintf("%s on %s: %s", actor, topic, strings.Join(parts, "; "))
}

// KindLine is one kind of a summary: "neutral — abstained (4, Mar 2022)".
func KindLine(l brief.SummaryLine) string {
	s := l.Kind
	if len(l.Words) > 0 {
		s += " — " + strings.Join(l.Words[:min(SummaryWords, len(l.Words))], ", ")
	}
	detail := fmt.Sprint(l.Count)
	if r := DateRange(l.From, l.To); r != "" {
		detail += ", " + r
	}
	return s + " (" + detail + ")"
}

// DateRange writes two YYYY-MM-DD dates as months: "Mar 2022",
// "Feb–Mar 2022", "Nov 2021–Mar 2022".
func DateRange(from, to string) string {
	f, err1 := time.Parse("2006-01-02", from)
	t, err2 := time.Parse("2006-01-02", to)
	switch {
	case err1 != nil || err2 != nil:
		return ""
	case f.Year() == t.Year() && f.Month() == t.Month():
		return f.Format("Jan 2006")
	case f.Year() == t.Year():
		return f.Format("Jan") + "–" + t.Format("Jan 2006")
	}
	return f.Format("Jan 2006") + "–" + t.Format("Jan 2006")
}

// GroupLine heads a period of an answer grouped by date.
func GroupLine(g brief.Group) string {
	parts := make([]string, 0, len(g.Summary))
	for _, l := range g.Summary {
		parts = append(parts, KindLine(l))
	}
	return fmt.Sprintf("%s (%d): %s", g.Period, g.Count, strings.Join(parts, "; "))
}

// Text writes an answer for a terminal.
func Text(w io.Writer, a *brief.Answer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "%s — %s\n", Heading(a), Range(a))
	if len(a.Sides) == 0 {
		if s := Summary(a.Query["actor"], a.Query["topic"], a.Summary); s != "" {
			fmt.Fprintf(&b, "%s\n", s)
		}
	}
	if a.Note != "" {
		fmt.Fprintf(&b, "%s\n", a.Note)
	}
	switch {
	case len(a.Sides) > 0:
		for _, side := range a.Sides {
			fmt.Fprintf(&b, "\n== %s (%d) ==\n", side.Actor, side.Total)
			if s := Summary(side.Actor, a.Query["topic"], side.Summary); s != "" {
				fmt.Fprintf(&b, "%s\n", s)
			}
			if side.Note != "" {
				fmt.Fprintf(&b, "%s\n", side.Note)
			}
			writeItems(&b, side.Items, a.Offset)
		}
	default:
		period := ""
		for i, it := range a.Items {
			if it.Period != period {
				period = it.Period
				for _, g := range a.Groups {
					if g.Period == period {
						fmt.Fprintf(&b, "\n== %s ==\n", GroupLine(g))
					}
				}
			}
			writeItems(&b, a.Items[i:i+1], a.Offset+i)
		}
	}
	if len(a.Background) > 0 {
		fmt.Fprintf(&b, "\n-- Background: passages that name %s, not its position --\n", a.Query["actor"])
		for _, it := range a.Background {
			fmt.Fprintf(&b, "\n• %s\n", it.Text)
			fmt.Fprintf(&b, "   — %s\n", Citation(it.Citation))
		}
	}
	if f := Freshness(a.Freshness, time.Time{}); f != "" {
		fmt.Fprintf(&b, "\n(%s)\n", f)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// Freshness says what an answer was drawn from: "320 articles, newest
// 2026-11-30, updated 5 min ago" (with now), or "updated 2026-12-01 09:30
// UTC" (without it, for output that must not depend on when it is read).
func Freshness(f *brief.Freshness, now time.Time) string {
	if f == nil {
		return ""
	}
	parts := []string{fmt.Sprintf("%d articles", f.Articles)}
	if f.Articles == 1 {
		parts[0] = "1 article"
	}
	if f.Newest != "" {
		parts = append(parts, "newest "+f.Newest)
	}
	switch {
	case f.Updated.IsZero():
	case now.IsZero():
		parts = append(parts, "updated "+f.Updated.UTC().Format("2006-01-02 15:04 MST"))
	default:
		parts = append(parts, "updated "+ago(now.Sub(f.Updated)))
	}
	return strings.Join(parts, ", ")
}

// ago is a duration in the past, as people say it.
func ago(d time.Duration) string {
	plural := func(n int, unit string) string {
		if n == 1 {
			return "1 " + unit + " ago"
		}
		return fmt.Sprintf("%d %ss ago", n, unit)
	}
	switch {
	case d < time.Minute:
		return "just now"
	case d < time.Hour:
		return fmt.Sprintf("%d min ago", int(d/time.Minute))
	case d < 24*time.Hour:
		return plural(int(d/time.Hour), "hour")
	}
	return plural(int(d/(24*time.Hour)), "day")
}

// writeItems writes numbered items, the first numbered from+1.
func writeItems(b *strings.Builder, items []brief.Item, from int) {
	for i, it := range items {
		b.WriteString("\n")
		label := Label(it)
		if label != "" {
			label = "[" + label + "] "
		}
		fmt.Fprintf(b, "%d. %s%s\n", from+i+1, label, it.Text)
		fmt.Fprintf(b, "   — %s\n", Citation(it.Citation))
		if it.Citation.URL != "" {
			fmt.Fprintf(b, "     %s\n", it.Citation.URL)
		}
		for _, c := range it.AlsoIn {
			fmt.Fprintf(b, "   — also in %s\n", Citation(c))
			if c.Text != "" {
				fmt.Fprintf(b, "     worded there: %s\n", c.Text)
			}
		}
	}
}

// DigestHeading is the digest's first line: how many new articles since when.
func DigestHeading(d *brief.Digest, loc *time.Location) string {
	when := d.Since.In(loc).Format("Mon 2 Jan 2006 15:04 MST")
	switch d.Articles {
	case 0:
		return "Nothing new since " + when
	case 1:
		return "1 new article since " + when
	}
	return fmt.Sprintf("%d new articles since %s", d.Articles, when)
}

// ArticleLine names an article: title · outlet · date.
func ArticleLine(c brief.Citation) string {
	return strings.Join([]string{orUnknown(c.Title, "untitled"), orUnknown(c.Outlet, "outlet unknown"), orUnknown(c.Published, "date unknown")}, " · ")
}

// Digest writes a digest for a terminal, times in loc.
func Digest(w io.Writer, d *brief.Digest, loc *time.Location) error {
	var b strings.Builder
	fmt.Fprintf(&b, "Digest — %s\n", DigestHeading(d, loc))
	if d.Note != "" && d.Articles > 0 {
		fmt.Fprintf(&b, "%s\n", d.Note)
	}
	for _, t := range d.Topics {
		fmt.Fprintf(&b, "\n== %s ==\n", t.Topic)
		for _, a := range t.Articles {
			fmt.Fprintf(&b, "\n* %s — %s\n", ArticleLine(a.Citation), a.Citation.File)
			if a.Citation.URL != "" {
				fmt.Fprintf(&b, "  %s\n", a.Citation.URL)
			}
			for _, c := range a.AlsoIn {
				fmt.Fprintf(&b, "  also in %s — %s\n", ArticleLine(c), c.File)
			}
			for _, it := range append(append([]brief.Item(nil), a.Quotes...), a.Events...) {
				fmt.Fprintf(&b, "  [%s] %s (¶%d)\n", Label(it), it.Text, it.Citation.Paragraph)
			}
		}
	}
	if len(d.More) > 0 {
		fmt.Fprintf(&b, "\n== %d more new articles ==\n", len(d.More))
		for _, c := range d.More {
			fmt.Fprintf(&b, "* %s — %s\n", ArticleLine(c), c.File)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}
