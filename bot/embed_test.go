package bot

import (
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/briefbot/briefbot/brief"
)

var unescapeMD = regexp.MustCompile(`\\(.)`)

// Whatever the answer, the embed stays inside Discord's limits and what it
// shows of each snippet is still verbatim.
func TestEmbedLimits(t *testing.T) {
	sentence := "Officials said the *talks* on `trade` would resume [soon] | after > the_vote. "
	long := strings.Repeat(sentence, 40) // about 3,200 characters, many sentences
	oneSentence := strings.Repeat("word ", 400) + "end."
	tests := []struct {
		name  string
		items int
		text  string
		title string
		note  string
	}{
		{"many long snippets", 50, long, "Title", ""},
		{"one endless sentence", 5, oneSentence, "Title", ""},
		{"huge title and note", 5, sentence, strings.Repeat("T", 500), strings.Repeat("n", 5000)},
		{"mentions and markdown", 5, "@everyone <@123> **bold** ~~x~~ `code` # h", "@here", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ans := &brief.Answer{Command: "search", Query: map[string]string{"query": strings.Repeat("q", 300)}, Total: tt.items, Note: tt.note}
			for i := 0; i < tt.items; i++ {
				ans.Items = append(ans.Items, brief.Item{Text: tt.text, Speaker: strings.Repeat("S", 300),
					Citation: brief.Citation{Title: tt.title, Outlet: "Outlet", Published: "2024-01-02", Paragraph: i + 1, URL: "https://example.org/a?x=1"}})
			}
			e, shown := embedOf(ans, time.Now())
			if shown < 1 || shown > len(ans.Items) || len(e.Fields) != shown {
				t.Fatalf("shown %d of %d, %d fields", shown, len(ans.Items), len(e.Fields))
			}
			if n := embedSize(e); n > maxEmbedsTotal {
				t.Errorf("embed total %d > %d", n, maxEmbedsTotal)
			}
			if utf8.RuneCountInString(e.Title) > maxEmbedTitle || utf8.RuneCountInString(e.Description) > maxEmbedDesc || utf8.RuneCountInString(e.Footer.Text) > maxFooter {
				t.Error("title, description or footer over its limit")
			}
			for _, f := range e.Fields {
				if utf8.RuneCountInString(f.Name) > maxFieldName || utf8.RuneCountInString(f.Value) > maxFieldValue {
					t.Fatalf("field over its limit: name %d, value %d", utf8.RuneCountInString(f.Name), utf8.RuneCountInString(f.Value))
				}
				snippet, _, _ := strings.Cut(f.Value, "\n— ")
				for _, part := range strings.Split(unescapeMD.ReplaceAllString(snippet, "$1"), brief.Ellipsis) {
					if part = strings.TrimSpace(part); part != "" && !strings.Contains(tt.text, part) {
						t.Errorf("shown text is not in the snippet: %q", part)
					}
				}
			}
		})
	}
}

// A digest article with the longest names and snippets still fits a message.
func TestDigestEmbedLimits(t *testing.T) {
	long := strings.Repeat("The harbour talks went on through the night. ", 60)
	item := func(p int) brief.Item {
		return brief.Item{Text: long, Speaker: strings.Repeat("S", 300), SpeakerTitle: strings.Repeat("T", 300), Quote: long,
			Citation: brief.Citation{Paragraph: p}}
	}
	a := brief.DigestArticle{Citation: brief.Citation{Title: strings.Repeat("H", 400), Outlet: strings.Repeat("O", 5000), File: strings.Repeat("f", 3000), URL: "https://example.org/a"}}
	for p := 1; p <= 3; p++ {
		a.Quotes = append(a.Quotes, item(p))
		ev := item(p + 3)
		ev.Date, ev.DatePrecision = "2026-11-2"+strings.Repeat("1", 1), "day"
		a.Events = append(a.Events, ev)
	}
	e := digestEmbed(strings.Repeat("Topic ", 100), a)
	if n := embedSize(e); n > maxEmbedsTotal || len(e.Fields) == 0 {
		t.Errorf("digest embed of %d characters with %d fields", n, len(e.Fields))
	}
	for _, f := range e.Fields {
		if utf8.RuneCountInString(f.Name) > maxFieldName || utf8.RuneCountInString(f.Value) > maxFieldValue {
			t.Errorf("field over its limit: %d, %d", utf8.RuneCountInString(f.Name), utf8.RuneCountInString(f.Value))
		}
	}
	if utf8.RuneCountInString(e.Footer.Text) > maxFooter || utf8.RuneCountInString(e.Description) > maxEmbedDesc {
		t.Error("footer or description over its limit")
	}
}
