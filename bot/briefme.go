package bot

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"
)

// briefMeCommand is the message context-menu command's name.
const briefMeCommand = "Brief me on this"

// briefMe answers "Apps → Brief me on this" on a message: what the
// articles say about the actors, speakers and topic it names, privately.
func (b *Bot) briefMe(i *discordgo.Interaction, data discordgo.ApplicationCommandInteractionData) string {
	if msg, limited := b.slowDown(i); limited {
		b.sendError(i, msg)
		return "rate-limited"
	}
	var text []string
	if data.Resolved != nil {
		if m := data.Resolved.Messages[data.TargetID]; m != nil {
			text = append(text, m.Content)
			for _, e := range m.Embeds {
				if e != nil {
					text = append(text, e.Title, e.Description)
				}
			}
		}
	}
	if strings.TrimSpace(strings.Join(text, "")) == "" {
		b.sendError(i, "That message has no text to brief you on.")
		return "bad-input"
	}
	return b.within(i, "brief", false, true, func() (message, string) {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		br, err := b.brief.BriefOn(ctx, strings.Join(text, "\n"))
		if err != nil {
			b.deps.Logger.Error("brief on a message", "err", err)
			return message{content: "The briefing index could not answer just now; please try again shortly.", ephemeral: true}, "error"
		}
		var found []string
		if br.Topic != "" {
			found = append(found, "topic **"+escape(br.Topic)+"**")
		}
		if len(br.Actors) > 0 {
			found = append(found, "actors "+escape(strings.Join(br.Actors, ", ")))
		}
		if len(br.Speakers) > 0 {
			found = append(found, "speakers "+escape(strings.Join(br.Speakers, ", ")))
		}
		content := br.Note
		if len(found) > 0 {
			content = strings.TrimSpace("That message names " + strings.Join(found, " · ") + ". " + br.Note)
		}
		var embeds []*discordgo.MessageEmbed
		for _, ans := range br.Answers {
			e, _ := embedOf(ans, b.deps.Now())
			embeds = append(embeds, e)
		}
		return message{content: clip(content, maxContent), embeds: fitMessage(embeds), ephemeral: true}, "ok"
	})
}

// fitMessage keeps several embeds within the 6000 characters a message's
// embeds may hold together: the last items give way, then whole embeds.
func fitMessage(embeds []*discordgo.MessageEmbed) []*discordgo.MessageEmbed {
	total := func() int {
		n := 0
		for _, e := range embeds {
			n += embedSize(e)
		}
		return n
	}
	for total() > maxEmbedsTotal && len(embeds) > 0 {
		last := embeds[len(embeds)-1]
		if len(last.Fields) > 1 {
			last.Fields = last.Fields[:len(last.Fields)-1]
			last.Footer.Text = clip(fmt.Sprintf("%s · the first %d shown, to fit", last.Footer.Text, len(last.Fields)), maxFooter)
			continue
		}
		embeds = embeds[:len(embeds)-1]
	}
	return embeds
}
