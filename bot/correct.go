package bot

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/briefbot/briefbot/brief"
	"github.com/briefbot/briefbot/corrections"
)

// Corrections keeps the team's corrections; *corrections.Book is one.
type Corrections interface {
	Add(c corrections.Correction) (corrections.Correction, error)
	Pending() ([]corrections.Correction, error)
	Decide(id string, accept bool, by string, at time.Time) (corrections.Correction, error)
}

// The modal of a speaker correction.
const (
	speakerModalPrefix = "cm|"
	speakerInput       = "speaker"
	reviewPrefix       = "cv|"
	maxReviewed        = 5 // one action row each
)

// correctRow is the menu to report an item as wrong: a quotation's speaker
// ("wrong speaker?") or any item as not answering the question. Its
// custom ID is the question's, as the narrowing menu's.
func (b *Bot) correctRow(req request, question string, ans *brief.Answer, items []brief.Item) discordgo.MessageComponent {
	if b.deps.Corrections == nil || req.Command == "source" || len(items) == 0 || question == "" {
		return nil
	}
	words := questionWords(ans)
	var opts []discordgo.SelectMenuOption
	for k, it := range items {
		n := ans.Offset + k + 1
		check := itemCheck(it)
		if it.Quote != "" && len(opts) < maxSelectOptions {
			opts = append(opts, discordgo.SelectMenuOption{Label: fmt.Sprintf("%d. Wrong speaker?", n), Value: fmt.Sprintf("s|%d|%s", k, check),
				Description: clip("Said by someone other than "+orUnknown(it.Speaker, "the speaker given")+"? Name who.", maxOptionText)})
		}
		if words != "" && len(opts) < maxSelectOptions {
			opts = append(opts, discordgo.SelectMenuOption{Label: fmt.Sprintf("%d. Not relevant", n), Value: fmt.Sprintf("r|%d|%s", k, check),
				Description: clip("Does not answer “"+words+"”", maxOptionText)})
		}
	}
	if len(opts) == 0 {
		return nil
	}
	return discordgo.ActionsRow{Components: []discordgo.MessageComponent{discordgo.SelectMenu{
		MenuType: discordgo.StringSelectMenu, CustomID: questionMenuID(correctLetter, question), Placeholder: "Something wrong? Tell the team", Options: opts}}}
}

// questionWords are the words an answer was about.
func questionWords(ans *brief.Answer) string {
	if ans.Command == "search" {
		return ans.Query["query"]
	}
	return ans.Query["topic"]
}

// itemCheck identifies an item so that a report is not applied to another
// one that took its place (the corpus changed meanwhile).
func itemCheck(it brief.Item) string {
	sum := sha256.Sum256([]byte(it.Citation.Article + "\x00" + strconv.Itoa(it.Citation.Paragraph) + "\x00" + it.Quote))
	return hex.EncodeToString(sum[:6])
}

// correct answers a choice in the correction menu: a "not relevant" is
// recorded at once, a wrong speaker asks for the right one in a form.
func (b *Bot) correct(i *discordgo.Interaction, req request, values []string) string {
	if b.deps.Corrections == nil {
		b.sendError(i, "Corrections are not set up on this bot.")
		return "unknown"
	}
	var kind string
	var k int
	var check string
	if len(values) != 1 {
		b.sendError(i, "Choose one item.")
		return "bad-button"
	}
	parts := strings.Split(values[0], "|")
	if len(parts) == 3 {
		kind, check = parts[0], parts[2]
		k, _ = strconv.Atoi(parts[1])
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	ans, err := b.ask(ctx, req)
	if err != nil || (kind != "s" && kind != "r") || k < 0 || k >= len(ans.Items) || itemCheck(ans.Items[k]) != check ||
		(kind == "r" && questionWords(ans) == "") || (kind == "s" && ans.Items[k].Quote == "") {
		b.sendError(i, "That item is no longer in this answer; run the command again.")
		return "bad-button"
	}
	it := ans.Items[k]
	c := corrections.Correction{Article: it.Citation.Article, File: it.Citation.File, Paragraph: it.Citation.Paragraph,
		Quote: it.Quote, Text: it.Text, Was: it.Speaker, By: userID(i), At: b.deps.Now().UTC()}
	if kind == "r" {
		c.Kind, c.Words = corrections.NotRelevant, questionWords(ans)
		added, err := b.deps.Corrections.Add(c)
		if err != nil {
			b.deps.Logger.Error("record a correction", "err", err)
			b.sendError(i, "The correction could not be saved; please try again.")
			return "error"
		}
		b.sendError(i, fmt.Sprintf("Thanks: correction #%s (not relevant to “%s”) waits for an admin's review.", added.ID, escape(c.Words)))
		return "ok"
	}
	c.Kind = corrections.Speaker
	draft, _ := json.Marshal(c)
	sum := sha256.Sum256(draft)
	key := "draft:" + hex.EncodeToString(sum[:10])
	if err := b.deps.Buttons.PutButton(key, draft); err != nil {
		b.deps.Logger.Error("keep a correction's draft", "err", err)
		b.sendError(i, "The correction could not be started; please try again.")
		return "error"
	}
	err = b.respond(i, &discordgo.InteractionResponse{Type: discordgo.InteractionResponseModal, Data: &discordgo.InteractionResponseData{
		CustomID: speakerModalPrefix + key,
		Title:    "Who said it?",
		Components: []discordgo.MessageComponent{discordgo.ActionsRow{Components: []discordgo.MessageComponent{discordgo.TextInput{
			CustomID: speakerInput, Label: "The speaker's name, as the article gives it", Style: discordgo.TextInputShort,
			Placeholder: clip(orUnknown(it.Speaker, "name"), 100), Required: true, MinLength: 2, MaxLength: 100}}}},
	}})
	if err != nil {
		return "failed"
	}
	return "ok"
}

// submitSpeaker records the right speaker from the form.
func (b *Bot) submitSpeaker(i *discordgo.Interaction) string {
	data := i.ModalSubmitData()
	key, ok := strings.CutPrefix(data.CustomID, speakerModalPrefix)
	draft, found, err := b.deps.Buttons.Button(key)
	var c corrections.Correction
	if !ok || err != nil || !found || json.Unmarshal(draft, &c) != nil || b.deps.Corrections == nil {
		b.sendError(i, "That form no longer works; choose the item again.")
		return "bad-modal"
	}
	for _, row := range data.Components {
		if r, ok := row.(*discordgo.ActionsRow); ok {
			for _, comp := range r.Components {
				if in, ok := comp.(*discordgo.TextInput); ok && in.CustomID == speakerInput {
					c.Speaker = in.Value
				}
			}
		}
	}
	c.By, c.At = userID(i), b.deps.Now().UTC()
	added, err := b.deps.Corrections.Add(c)
	if err != nil {
		b.sendError(i, clip("Not recorded: "+err.Error(), maxContent))
		return "bad-input"
	}
	b.sendError(i, fmt.Sprintf("Thanks: correction #%s (said by %s, not %s) waits for an admin's review.", added.ID, escape(added.Speaker), escape(orUnknown(c.Was, "no one"))))
	return "ok"
}

// correctionsCommand is /corrections review, for admins.
func (b *Bot) correctionsCommand(i *discordgo.Interaction) string {
	if !b.admin(i) {
		b.sendError(i, notAdmin)
		return "denied"
	}
	msg, outcome := b.reviewMessage("")
	b.reply(i, discordgo.InteractionResponseChannelMessageWithSource, msg)
	return outcome
}

// review answers an Accept or Reject button.
func (b *Bot) review(i *discordgo.Interaction, id string) string {
	if !b.admin(i) {
		b.sendError(i, notAdmin)
		return "denied"
	}
	verdict, cid, _ := strings.Cut(strings.TrimPrefix(id, reviewPrefix), "|")
	if verdict != "a" && verdict != "r" {
		b.sendError(i, "That button no longer works; run /corrections review again.")
		return "bad-button"
	}
	c, err := b.deps.Corrections.Decide(cid, verdict == "a", userID(i), b.deps.Now().UTC())
	note := ""
	switch {
	case errors.Is(err, corrections.ErrNotFound):
		note = fmt.Sprintf("There is no correction #%s.", escape(cid))
	case err != nil:
		b.deps.Logger.Error("decide a correction", "err", err)
		b.sendError(i, "The decision could not be saved; please try again.")
		return "error"
	default:
		note = fmt.Sprintf("Correction #%s %s.", c.ID, c.State)
	}
	msg, outcome := b.reviewMessage(note)
	b.reply(i, discordgo.InteractionResponseUpdateMessage, msg)
	return outcome
}

// reviewMessage lists the first pending corrections with their buttons.
func (b *Bot) reviewMessage(note string) (message, string) {
	pending, err := b.deps.Corrections.Pending()
	if err != nil {
		b.deps.Logger.Error("read corrections", "err", err)
		return message{content: "The corrections could not be read; see the bot's log.", ephemeral: true}, "error"
	}
	lines := []string{}
	if note != "" {
		lines = append(lines, note)
	}
	if len(pending) == 0 {
		lines = append(lines, "No corrections wait for review.")
		return message{content: strings.Join(lines, "\n"), ephemeral: true, components: []discordgo.MessageComponent{}}, "ok"
	}
	lines = append(lines, fmt.Sprintf("%d corrections wait for review:", len(pending)))
	var rows []discordgo.MessageComponent
	for _, c := range pending[:min(len(pending), maxReviewed)] {
		what := fmt.Sprintf("not relevant to “%s”", escape(c.Words))
		if c.Kind == corrections.Speaker {
			what = fmt.Sprintf("said by **%s**, not %s", escape(c.Speaker), escape(orUnknown(c.Was, "no one named")))
		}
		lines = append(lines, fmt.Sprintf("**#%s** %s: “%s” (%s ¶%d) · by <@%s> <t:%d:R>", c.ID, what, escape(clip(c.Text, 200)), escape(c.File), c.Paragraph, c.By, c.At.Unix()))
		rows = append(rows, discordgo.ActionsRow{Components: []discordgo.MessageComponent{
			discordgo.Button{Label: "Accept #" + c.ID, Style: discordgo.SuccessButton, CustomID: reviewPrefix + "a|" + c.ID},
			discordgo.Button{Label: "Reject #" + c.ID, Style: discordgo.DangerButton, CustomID: reviewPrefix + "r|" + c.ID},
		}})
	}
	return message{content: clip(strings.Join(lines, "\n"), maxContent), components: rows, ephemeral: true}, "ok"
}
