package bot

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/briefbot/briefbot/brief"
)

// Discord's limits on a select menu.
const (
	maxSelectOptions = 25
	maxOptionText    = 100 // label, value and description
)

// Custom IDs of the menus under an answer's items.
const (
	contextMenuID = "cx"
	followMenuID  = "fw"
)

// itemRows are the menus under an answer: open an item's paragraph in
// context, and ask the natural next question about an item.
func (b *Bot) itemRows(req request, ans *brief.Answer, items []brief.Item) []discordgo.MessageComponent {
	if req.Command == "source" || len(items) == 0 {
		return nil
	}
	var context, follow []discordgo.SelectMenuOption
	seen := map[string]bool{}
	for k, it := range items {
		if len(context) == maxSelectOptions {
			break
		}
		c := it.Citation
		if value, ok := b.contextValue(c.Article, c.Paragraph); ok && !seen[value] {
			seen[value] = true
			context = append(context, discordgo.SelectMenuOption{
				Label:       clip(fmt.Sprintf("%d. %s ¶%d", ans.Offset+k+1, orUnknown(c.Title, c.File), c.Paragraph), maxOptionText),
				Value:       value,
				Description: clip(it.Verbatim(), maxOptionText),
			})
		}
		label, next, ok := followUp(req, ans, it)
		if !ok {
			continue
		}
		next.User = req.User
		next = next.with("private", req.arg("private"))
		if value, ok := b.buttonID(next); ok && !seen[value] && len(follow) < maxSelectOptions {
			seen[value] = true
			follow = append(follow, discordgo.SelectMenuOption{Label: clip(label, maxOptionText), Value: value})
		}
	}
	var rows []discordgo.MessageComponent
	if len(context) > 0 {
		rows = append(rows, discordgo.ActionsRow{Components: []discordgo.MessageComponent{discordgo.SelectMenu{
			MenuType: discordgo.StringSelectMenu, CustomID: contextMenuID, Placeholder: "Open an item in context (only you see it)", Options: context}}})
	}
	if len(follow) > 0 {
		rows = append(rows, discordgo.ActionsRow{Components: []discordgo.MessageComponent{discordgo.SelectMenu{
			MenuType: discordgo.StringSelectMenu, CustomID: followMenuID, Placeholder: "Follow up on an item", Options: follow}}})
	}
	return rows
}

// followUp is the natural next question about an item: more from a
// quotation's speaker, a stance's actor over time, the weeks around a
// timeline event, the article of a paragraph found.
func followUp(req request, ans *brief.Answer, it brief.Item) (string, request, bool) {
	arg := func(k int) string {
		if k < len(req.Args) {
			return req.Args[k]
		}
		return ""
	}
	switch req.Command {
	case "quote":
		if it.Speaker == "" {
			return "", request{}, false
		}
		return "More from " + it.Speaker, request{Command: "quote", Args: []string{it.Speaker, ""}}, true
	case "stance":
		actor := it.Actor
		if actor == "" {
			actor = ans.Query["actor"] // the default actor, as the answer named it
		}
		label := "Over time, by year"
		if actor != "" {
			label = actor + " over time, by year"
		}
		return label, request{Command: "stance", Args: []string{arg(0), actor, "", brief.ByYear}}, true
	case "timeline":
		from, to, ok := around(it.Date)
		if !ok {
			return "", request{}, false
		}
		return "Around " + it.Date + " (" + from + " to " + to + ")", request{Command: "timeline", Args: []string{arg(0), from, to}}, true
	case "search":
		c := it.Citation
		return "Read " + orUnknown(c.Title, c.File), request{Command: "source", Args: []string{c.File}}, true
	}
	return "", request{}, false
}

// around is the week before and after a date at its precision (a day, a
// month or a year), as the timeline's from and to.
func around(date string) (from, to string, ok bool) {
	const day = "2006-01-02"
	var start, end time.Time
	switch len(date) {
	case len("2006-01-02"):
		t, err := time.Parse(day, date)
		if err != nil {
			return "", "", false
		}
		start, end = t, t
	case len("2006-01"):
		t, err := time.Parse("2006-01", date)
		if err != nil {
			return "", "", false
		}
		start, end = t, t.AddDate(0, 1, -1)
	case len("2006"):
		t, err := time.Parse("2006", date)
		if err != nil {
			return "", "", false
		}
		start, end = t, t.AddDate(1, 0, -1)
	default:
		return "", "", false
	}
	return start.AddDate(0, 0, -7).Format(day), end.AddDate(0, 0, 7).Format(day), true
}

// contextValue names a paragraph in a menu option: "a|¶|article" when it
// fits in Discord's 100 characters, else "k|¶|key" with the article kept
// in the button store under the key.
func (b *Bot) contextValue(article string, para int) (string, bool) {
	v := "a|" + strconv.Itoa(para) + "|" + article
	if len(v) <= maxOptionText {
		return v, true
	}
	sum := sha256.Sum256([]byte(article))
	key := "article:" + hex.EncodeToString(sum[:10])
	if err := b.deps.Buttons.PutButton(key, []byte(article)); err != nil {
		b.deps.Logger.Error("keep a menu's state", "err", err)
		return "", false
	}
	return "k|" + strconv.Itoa(para) + "|" + key, true
}

// parseContextValue reads a contextValue back; the value is the
// presser's to craft, so anything else is refused.
func (b *Bot) parseContextValue(v string) (article string, para int, ok bool) {
	parts := strings.SplitN(v, "|", 3)
	if len(parts) != 3 {
		return "", 0, false
	}
	para, err := strconv.Atoi(parts[1])
	if err != nil || para < 1 || para > 1_000_000 || parts[2] == "" {
		return "", 0, false
	}
	switch parts[0] {
	case "a":
		return parts[2], para, true
	case "k":
		data, found, err := b.deps.Buttons.Button(parts[2])
		if err != nil || !found {
			return "", 0, false
		}
		return string(data), para, true
	}
	return "", 0, false
}

// openInContext answers a choice in the context menu, privately.
func (b *Bot) openInContext(i *discordgo.Interaction, values []string) string {
	if len(values) != 1 {
		b.sendError(i, "Choose one item to open.")
		return "bad-button"
	}
	article, para, ok := b.parseContextValue(values[0])
	if !ok {
		b.sendError(i, "That menu no longer works; run the command again.")
		return "bad-button"
	}
	return b.within(i, "context", false, true, func() (message, string) {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		ans, err := b.brief.Context(ctx, article, para)
		var ie *brief.InputError
		switch {
		case errors.As(err, &ie):
			return message{content: clip(ie.Msg, maxContent), ephemeral: true}, "bad-input"
		case err != nil:
			b.deps.Logger.Error("open in context", "err", err)
			return message{content: "The briefing index could not answer just now; please try again shortly.", ephemeral: true}, "error"
		case len(ans.Items) == 0:
			return message{content: "That paragraph is no longer in the index.", ephemeral: true}, "empty"
		}
		return message{embeds: []*discordgo.MessageEmbed{contextEmbed(ans, para)}, ephemeral: true}, "ok"
	})
}

// contextEmbed shows the paragraphs around the cited one under the
// article's title, outlet, date and link.
func contextEmbed(ans *brief.Answer, para int) *discordgo.MessageEmbed {
	c := ans.Items[0].Citation
	e := &discordgo.MessageEmbed{
		Title:       clip(orUnknown(c.Title, c.File), maxEmbedTitle),
		Description: clip(escape(orUnknown(c.Outlet, "outlet unknown"))+" · "+orUnknown(c.Published, "date unknown")+fmt.Sprintf(" · ¶%d of %d", para, ans.Total), maxEmbedDesc),
		Color:       colourAnswer,
		Footer:      &discordgo.MessageEmbedFooter{Text: clip(c.File, maxFooter)},
	}
	if u, err := url.Parse(c.URL); err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != "" {
		e.URL = c.URL
	}
	for _, it := range ans.Items {
		name := fmt.Sprintf("¶%d", it.Citation.Paragraph)
		if it.Citation.Paragraph == para {
			name += " · the one cited"
		}
		// Each paragraph gets a share of the 6000 characters all of them may take.
		e.Fields = append(e.Fields, &discordgo.MessageEmbedField{Name: name, Value: fitSnippet(it.Text, min(maxFieldValue, 1500))})
	}
	return e
}

// followItem answers a choice in the follow-up menu with a new answer,
// whose paging belongs to whoever chose.
func (b *Bot) followItem(i *discordgo.Interaction, values []string) string {
	if len(values) != 1 {
		b.sendError(i, "Choose one follow-up.")
		return "bad-button"
	}
	req, ok := b.parseButton(values[0])
	if !ok {
		b.sendError(i, "That menu no longer works; run the command again.")
		return "bad-button"
	}
	req.User, req.Offset = userID(i), 0
	return b.answer(i, req, false)
}
