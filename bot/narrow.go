package bot

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/briefbot/briefbot/brief"
)

// narrowRow is the menu that narrows an answer to one of the years (or,
// within one year, months), outlets and speakers or actors of its items.
// Choosing edits the answer in place. cut says some choices were too long
// for a menu and were left out.
func (b *Bot) narrowRow(req request, question string, items []brief.Item) (discordgo.MessageComponent, bool) {
	if _, ok := map[string]bool{"stance": true, "timeline": true, "quote": true, "search": true}[req.Command]; !ok || len(items) == 0 {
		return nil, false
	}
	var opts []discordgo.SelectMenuOption
	cut := false
	seen := map[string]bool{}
	add := func(label, value string) {
		switch {
		case seen[value] || len(opts) == maxSelectOptions:
		case len(value) > maxOptionText:
			cut = true
		default:
			seen[value] = true
			opts = append(opts, discordgo.SelectMenuOption{Label: clip(label, maxOptionText), Value: value})
		}
	}
	// The year of an event, else of the article; months when all share a year.
	when := func(it brief.Item) string {
		if req.Command == "timeline" {
			return it.Date
		}
		return it.Citation.Published
	}
	var periods []string
	years := map[string]bool{}
	for _, it := range items {
		if w := when(it); len(w) >= 4 {
			years[w[:4]] = true
			periods = append(periods, w)
		}
	}
	sort.Strings(periods)
	for _, p := range periods {
		switch {
		case len(years) > 1:
			add("Year: "+p[:4], "y:"+p[:4])
		case len(p) >= 7:
			add("Month: "+p[:7], "m:"+p[:7])
		}
	}
	for _, it := range items {
		if o := it.Citation.Outlet; o != "" && !strings.EqualFold(o, req.arg("outlet")) {
			add("Outlet: "+o, "o:"+o)
		}
	}
	for _, it := range items {
		switch {
		case req.Command == "quote" && it.Speaker != "" && !strings.EqualFold(it.Speaker, req.arg("speaker")):
			add("Speaker: "+it.Speaker, "s:"+it.Speaker)
		case req.Command == "stance" && it.Actor != "":
			add("Actor: "+it.Actor, "a:"+it.Actor)
		}
	}
	if req.arg("outlet") != "" || req.arg("published") != "" {
		add("Show all outlets and dates again", "x")
	}
	if len(opts) == 0 {
		return nil, cut
	}
	if question == "" {
		return nil, true
	}
	return discordgo.ActionsRow{Components: []discordgo.MessageComponent{discordgo.SelectMenu{
		MenuType: discordgo.StringSelectMenu, CustomID: questionMenuID(narrowLetter, question), Placeholder: "Narrow to a year, an outlet or a speaker", Options: opts}}}, cut
}

// Menus that act on an answer's question carry the question's own button
// ID ("pg|…" or "ps|…", see buttonID) with its first letter replaced.
const (
	narrowLetter  = "n"
	correctLetter = "c"
)

func questionMenuID(letter, question string) string { return letter + question[1:] }

// parseQuestionMenu reads the question back from such a menu's custom ID.
func (b *Bot) parseQuestionMenu(letter, id string) (request, bool) {
	if !strings.HasPrefix(id, letter+"g|") && !strings.HasPrefix(id, letter+"s|") {
		return request{}, false
	}
	return b.parseButton("p" + id[1:])
}

// narrow answers a choice in the narrowing menu by editing the answer.
func (b *Bot) narrow(i *discordgo.Interaction, req request, values []string) string {
	if req.User != userID(i) {
		b.sendError(i, fmt.Sprintf("Only <@%s> can narrow this answer. Run the command yourself to get your own.", req.User))
		return "not-yours"
	}
	if outcome, no := b.refused(i, true); no {
		return outcome
	}
	next, ok := narrowed(req, values)
	if !ok {
		b.sendError(i, "That menu no longer works; run the command again.")
		return "bad-button"
	}
	return b.answer(i, next, true)
}

// narrowed is the request a choice makes; the value is the presser's to
// craft, so only the forms the menu offers are taken.
func narrowed(req request, values []string) (request, bool) {
	if len(values) != 1 {
		return request{}, false
	}
	kind, value, _ := strings.Cut(values[0], ":")
	switch {
	case kind == "x":
		return req.with("outlet", "").with("published", ""), true
	case value == "" || len(value) > maxOptionText:
		return request{}, false
	case kind == "o":
		return req.with("outlet", value), true
	case kind == "s" && req.Command == "quote":
		return req.with("speaker", value), true
	case kind == "a" && req.Command == "stance":
		return req.with("actor", value).with("actor2", ""), true
	case kind == "y" || kind == "m":
		layout := map[string]string{"y": "2006", "m": "2006-01"}[kind]
		start, err := time.Parse(layout, value)
		if err != nil {
			return request{}, false
		}
		if req.Command != "timeline" {
			return req.with("published", value), true
		}
		end := start.AddDate(1, 0, -1)
		if kind == "m" {
			end = start.AddDate(0, 1, -1)
		}
		return req.with("from", start.Format(time.DateOnly)).with("to", end.Format(time.DateOnly)), true
	}
	return request{}, false
}
