package bot

import (
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"

	"github.com/briefbot/briefbot/brief"
)

// embedsSize counts what Discord counts toward the 6000-character total.
func embedsSize(es ...*discordgo.MessageEmbed) int {
	n := 0
	for _, e := range es {
		n += utf8.RuneCountInString(e.Title) + utf8.RuneCountInString(e.Description)
		if e.Footer != nil {
			n += utf8.RuneCountInString(e.Footer.Text)
		}
		if e.Author != nil {
			n += utf8.RuneCountInString(e.Author.Name)
		}
		for _, f := range e.Fields {
			n += utf8.RuneCountInString(f.Name) + utf8.RuneCountInString(f.Value)
		}
	}
	return n
}

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
			e, shown := embedOf(ans)
			if shown < 1 || shown > len(ans.Items) || len(e.Fields) != shown {
				t.Fatalf("shown %d of %d, %d fields", shown, len(ans.Items), len(e.Fields))
			}
			if n := embedsSize(e); n > maxEmbedsTotal {
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
