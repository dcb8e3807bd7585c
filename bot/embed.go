package bot

import (
	"fmt"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"

	"github.com/briefbot/briefbot/brief"
	"github.com/briefbot/briefbot/corpus"
	"github.com/briefbot/briefbot/render"
)

// Discord's limits (https://discord.com/developers/docs/resources/message#embed-object-embed-limits),
// several of which its OpenAPI spec does not encode.
const (
	maxEmbedTitle  = 256
	maxEmbedDesc   = 4096
	maxFieldName   = 256
	maxFieldValue  = 1024
	maxFooter      = 2048
	maxEmbedFields = 25
	maxEmbedsTotal = 6000
	maxContent     = 2000
	maxCustomID    = 100
)

const (
	colourAnswer = 0x2b6cb0
	colourEmpty  = 0x718096
)

// embedOf renders an answer as one embed within Discord's limits. It
// returns how many items it shows: items that do not fit stay for the next
// page (in a comparison, how far each actor's list got).
func embedOf(ans *brief.Answer, now time.Time) (*discordgo.MessageEmbed, int) {
	e := &discordgo.MessageEmbed{
		Title:       clip(render.Heading(ans), maxEmbedTitle),
		Description: clip(description(ans), maxEmbedDesc),
		Color:       colourAnswer,
	}
	if len(ans.Items) == 0 {
		e.Color = colourEmpty
	}
	budget := maxEmbedsTotal - utf8.RuneCountInString(e.Title) - utf8.RuneCountInString(e.Description) - 200 // the footer
	add := func(f *discordgo.MessageEmbedField, force bool) bool {
		size := utf8.RuneCountInString(f.Name) + utf8.RuneCountInString(f.Value)
		if len(e.Fields) == maxEmbedFields || (size > budget && !force) {
			return false
		}
		budget -= size
		e.Fields = append(e.Fields, f)
		return true
	}
	shown := 0
	perActor := map[string]int{}
	for _, it := range ans.Items {
		n := ans.Offset + perActor[it.Actor] + 1
		if !add(fieldOf(n, it), shown == 0) {
			break
		}
		perActor[it.Actor]++
		shown++
	}
	if len(ans.Sides) > 0 {
		shown = sideProgress(ans.Sides, perActor)
	}
	if shown == len(ans.Items) {
		for _, it := range ans.Background {
			f := fieldOf(0, it)
			f.Name = clip("Background · "+escape(render.ArticleLine(it.Citation)), maxFieldName)
			if !add(f, false) {
				break
			}
		}
	}
	shownAns := *ans
	shownAns.Items = ans.Items[:min(shown, len(ans.Items))]
	footer := render.Range(&shownAns)
	if len(ans.Sides) > 0 {
		footer = render.Range(ans)
	}
	if f := render.Freshness(ans.Freshness, now); f != "" {
		footer += " · " + f
	}
	e.Footer = &discordgo.MessageEmbedFooter{Text: clip(footer+" · /help", maxFooter)}
	return e, shown
}

// sideProgress is how far a comparison's page got, for the next page's
// offset: the most any actor showed, unless one was cut short for space,
// then the fewest of those cut.
func sideProgress(sides []brief.Side, shown map[string]int) int {
	most, cut := 0, -1
	for _, s := range sides {
		n := shown[s.Actor]
		most = max(most, n)
		if n < len(s.Items) && (cut < 0 || n < cut) {
			cut = n
		}
	}
	if cut >= 0 {
		return cut
	}
	return most
}

// description is the embed's text above the items: the summary of a
// stance answer (each actor's, in a comparison; each period's, when
// grouped by date) and the answer's note.
func description(ans *brief.Answer) string {
	var lines []string
	topic := ans.Query["topic"]
	if len(ans.Sides) > 0 {
		for _, s := range ans.Sides {
			sum := render.Summary(s.Actor, topic, s.Summary)
			if sum == "" {
				sum = s.Note
			}
			lines = append(lines, escape(sum))
		}
	} else if s := render.Summary(ans.Query["actor"], topic, ans.Summary); s != "" {
		lines = append(lines, escape(s))
	}
	for _, g := range ans.Groups {
		lines = append(lines, "• "+escape(render.GroupLine(g)))
	}
	if ans.Note != "" {
		lines = append(lines, escape(ans.Note))
	}
	return strings.Join(lines, "\n")
}

// fieldOf is one item: its label as the name; snippet and citation as the value.
func fieldOf(n int, it brief.Item) *discordgo.MessageEmbedField {
	name := fmt.Sprintf("%d.", n)
	if it.Actor != "" {
		name += " " + it.Actor + " ·"
	}
	if l := render.Label(it); l != "" {
		name += " " + l
	}
	cite := "— " + citationMarkdown(it.Citation)
	for _, c := range it.AlsoIn {
		cite += "\n— also " + citationMarkdown(c)
		if c.Text != "" {
			cite += " (worded a little differently)"
		}
	}
	cite = clip(cite, maxFieldValue/2)
	text := fitSnippet(it.Text, maxFieldValue-utf8.RuneCountInString(cite)-1)
	return &discordgo.MessageEmbedField{Name: clip(escape(name), maxFieldName), Value: text + "\n" + cite}
}

// citationMarkdown links the title when the article has a web address.
func citationMarkdown(c brief.Citation) string {
	title := escape(clip(orUnknown(c.Title, c.File), 120))
	if u, err := url.Parse(c.URL); err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != "" {
		title = "[" + strings.NewReplacer("[", "(", "]", ")").Replace(title) + "](" + c.URL + ")"
	}
	parts := []string{title, escape(orUnknown(c.Outlet, "outlet unknown")), orUnknown(c.Published, "date unknown"), fmt.Sprintf("¶%d", c.Paragraph)}
	return strings.Join(parts, " · ")
}

func orUnknown(s, unknown string) string {
	if s == "" {
		return unknown
	}
	return s
}

// fitSnippet escapes a snippet for Discord and, when it is too long, drops
// whole sentences from its end (marking the cut with " …"). Only a single
// sentence longer than the whole field is cut between words.
func fitSnippet(text string, limit int) string {
	if s := escape(text); utf8.RuneCountInString(s) <= limit {
		return s
	}
	suffix := " " + brief.Ellipsis
	body := strings.TrimSuffix(text, suffix)
	rs := []rune(body)
	sents := corpus.Sentences(body)
	for k := len(sents) - 1; k >= 1; k-- {
		s := escape(string(rs[:sents[k-1].End])) + suffix
		if utf8.RuneCountInString(s) <= limit {
			return s
		}
	}
	s := escape(body)
	cut := []rune(s)[:max(limit-2, 0)]
	if i := strings.LastIndexByte(string(cut), ' '); i > 0 {
		return string(cut)[:i] + suffix
	}
	return string(cut) + brief.Ellipsis
}

// escape keeps article text from being read as Discord markdown.
func escape(s string) string {
	return markdown.Replace(s)
}

var markdown = strings.NewReplacer(`\`, `\\`, `*`, `\*`, `_`, `\_`, `~`, `\~`, "`", "\\`", `|`, `\|`, `>`, `\>`, `#`, `\#`, `[`, `\[`, `]`, `\]`)

// clip shortens s to n runes, ending with "…" when cut.
func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n-1]) + "…"
}

// helpEmbed explains the commands, with examples from the corpus in use.
func helpEmbed(ex brief.Examples, f features) *discordgo.MessageEmbed {
	example := func(format string, words ...string) string {
		for _, w := range words {
			if w == "" {
				return ""
			}
		}
		args := make([]any, len(words))
		for i, w := range words {
			args[i] = w
		}
		return " Example: `" + strings.ReplaceAll(fmt.Sprintf(format, args...), "`", "'") + "`"
	}
	subject := ex.Subject
	if subject == "" {
		subject = "the main subject"
	}
	e := &discordgo.MessageEmbed{
		Title: "briefbot: what the articles say, in their own words",
		Description: "Every answer is made of verbatim snippets of the articles, each cited " +
			"(title, outlet, date, paragraph). Use the Previous/Next buttons to page.",
		Color: colourAnswer,
		Fields: []*discordgo.MessageEmbedField{
			{Name: "/stance topic [actor] [actor2] [by]", Value: "What an actor (default: " + escape(subject) + ") has said and done about a topic, each position labelled (supports, opposes, neutral, calls for, …) and summed up; `actor2` compares two actors, `by` groups by year or month." + example("/stance topic:%s by:year", ex.Topic)},
			{Name: "/timeline topic [from] [to]", Value: "Dated events, oldest first. Dates as YYYY-MM-DD." + example("/timeline topic:%s from:%s-01-01", ex.Topic, ex.Year)},
			{Name: "/quote [speaker] [topic]", Value: "Direct quotations and who said them; any spelling of a name works." + example("/quote speaker:%s", ex.Speaker)},
			{Name: "/search query", Value: "Paragraphs containing the words." + example("/search query:%s", ex.Topic)},
			{Name: "/source article", Value: "Read an article paragraph by paragraph (¶ numbers match the citations)."},
		},
	}
	if f.digest {
		e.Fields = append(e.Fields, &discordgo.MessageEmbedField{Name: "/digest preview · status · subscribe · unsubscribe",
			Value: "The daily digest of new articles: preview it (only you see it); admins choose where and when it is posted. Example: `/digest subscribe time:08:00 channel:#news`"})
	}
	if f.watch {
		e.Fields = append(e.Fields, &discordgo.MessageEmbedField{Name: "/watch add · list · remove",
			Value: "Be told when new articles match: a topic, an actor's positions on it, or a speaker's quotations. Yours come as direct messages; admins can post to a channel and mention a role." + example("/watch add topic:%s actor:%s", ex.Topic, ex.Actor)})
	}
	if f.corrections {
		e.Fields = append(e.Fields, &discordgo.MessageEmbedField{Name: "Something wrong? · /corrections review",
			Value: "Under an answer, report a quotation's wrong speaker or an item that does not answer the question; admins accept or reject the reports with /corrections review, and accepted ones apply to every later answer."})
	}
	if f.ingest {
		e.Fields = append(e.Fields, &discordgo.MessageEmbedField{Name: "/ingest url",
			Value: "Admins add a web page, or a feed's new items, to the articles."})
	}
	return e
}
