// Package render writes answers for people: plain text for terminals, and
// the pieces (citation lines, headings) other renderers share.
package render

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/briefbot/briefbot/brief"
)

// Heading is the one-line title of an answer.
func Heading(a *brief.Answer) string {
	q := a.Query
	switch a.Command {
	case "stance":
		return fmt.Sprintf("Stance of %s on %q", q["actor"], q["topic"])
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
	}
	return a.Command
}

func orDots(s string) string {
	if s == "" {
		return "…"
	}
	return s
}

// Range says which items of the total a page shows: "showing 6–10 of 23".
func Range(a *brief.Answer) string {
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

// Label is what stands before an item's text: its date, speaker or role.
func Label(it brief.Item) string {
	switch {
	case it.Date != "":
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
		}
		return l
	case it.Quote != "":
		return "speaker not stated"
	case it.Role != "":
		return it.Role
	}
	return ""
}

// Text writes an answer for a terminal.
func Text(w io.Writer, a *brief.Answer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "%s — %s\n", Heading(a), Range(a))
	if a.Note != "" {
		fmt.Fprintf(&b, "%s\n", a.Note)
	}
	for i, it := range a.Items {
		b.WriteString("\n")
		label := Label(it)
		if label != "" {
			label = "[" + label + "] "
		}
		fmt.Fprintf(&b, "%d. %s%s\n", a.Offset+i+1, label, it.Text)
		fmt.Fprintf(&b, "   — %s\n", Citation(it.Citation))
		if it.Citation.URL != "" {
			fmt.Fprintf(&b, "     %s\n", it.Citation.URL)
		}
		for _, c := range it.AlsoIn {
			fmt.Fprintf(&b, "   — also in %s\n", Citation(c))
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
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
