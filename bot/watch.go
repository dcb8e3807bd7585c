package bot

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/briefbot/briefbot/brief"
	"github.com/briefbot/briefbot/watch"
)

// Watches keeps the watches; *watch.Service is one.
type Watches interface {
	Add(ctx context.Context, w watch.Watch) (watch.Watch, int, error)
	List(owner string) ([]watch.Watch, error)
	Remove(id, by string, admin bool) (watch.Watch, error)
}

// watchCommand is /watch add, list and remove. Members' watches come to
// them as direct messages; admins may post theirs to a channel and mention
// a role.
func (b *Bot) watchCommand(i *discordgo.Interaction, data discordgo.ApplicationCommandInteractionData) string {
	if b.deps.Watches == nil {
		b.sendError(i, "Watches are not set up on this bot.")
		return "unknown"
	}
	if len(data.Options) == 0 {
		b.sendError(i, "Use /watch add, list or remove.")
		return "bad-input"
	}
	sub := data.Options[0]
	opt := func(name string) string { return subOption(sub, name) }
	user, admin := userID(i), b.admin(i)
	switch sub.Name {
	case "add":
		if msg, limited := b.slowDown(i); limited {
			b.sendError(i, msg)
			return "rate-limited"
		}
		w := watch.Watch{Owner: user, Role: opt("role"),
			Query: brief.WatchQuery{Topic: opt("topic"), Actor: opt("actor"), Speaker: opt("speaker")}}
		channel := opt("channel")
		switch {
		case (channel != "" || w.Role != "") && !admin:
			b.sendError(i, "Only server managers (Manage Server permission) or the bot's admin roles can post a watch to a channel or mention a role. Without channel and role, the watch comes to you as a direct message.")
			return "denied"
		case w.Role != "" && w.Role == i.GuildID:
			b.sendError(i, "A watch cannot mention @everyone: name a role made for it.")
			return "bad-input"
		case w.Role != "" && channel == "":
			channel = i.ChannelID // a role is mentioned where it can see the alert
		}
		return b.within(i, "watch", false, true, func() (message, string) {
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			if channel == "" {
				dm, err := b.session.UserChannelCreate(user, discordgo.WithContext(ctx))
				if err != nil {
					b.deps.Logger.Warn("open a direct message", "err", restReason(err))
					return message{content: "I could not open a direct message with you, so the watch was not added. Allow direct messages from this server's members (Privacy Settings) and try again.", ephemeral: true}, "failed"
				}
				channel, w.Direct = dm.ID, true
			}
			w.Channel = channel
			added, matches, err := b.deps.Watches.Add(ctx, w)
			var ie *brief.InputError
			switch {
			case errors.As(err, &ie):
				return message{content: clip("Not added: "+ie.Msg, maxContent), ephemeral: true}, "bad-input"
			case err != nil:
				b.deps.Logger.Error("add a watch", "err", err)
				return message{content: "The watch could not be saved; please try again.", ephemeral: true}, "error"
			}
			return message{content: clip(fmt.Sprintf("Watch #%s added: %s. When new articles match, %s after the ingestion, once per batch. %s",
				added.ID, escape(added.Describe()), destination(added), already(matches)), maxContent), ephemeral: true}, "ok"
		})
	case "list":
		owner := user
		if admin {
			owner = ""
		}
		// The list waits while alerts are being sent: within defers when slow.
		return b.within(i, "watch", false, true, func() (message, string) {
			ws, err := b.deps.Watches.List(owner)
			if err != nil {
				b.deps.Logger.Error("list watches", "err", err)
				return message{content: "The watches could not be read; see the bot's log.", ephemeral: true}, "error"
			}
			return message{content: clip(watchList(ws, admin), maxContent), ephemeral: true}, "ok"
		})
	case "remove":
		id := opt("id")
		return b.within(i, "watch", false, true, func() (message, string) {
			w, err := b.deps.Watches.Remove(id, user, admin)
			switch {
			case errors.Is(err, watch.ErrNotFound):
				return message{content: fmt.Sprintf("There is no watch #%s; /watch list shows yours.", escape(id)), ephemeral: true}, "bad-input"
			case errors.Is(err, watch.ErrNotYours):
				return message{content: fmt.Sprintf("Watch #%s is <@%s>'s: only they or an admin can remove it.", w.ID, w.Owner), ephemeral: true}, "denied"
			case err != nil:
				b.deps.Logger.Error("remove a watch", "err", err)
				return message{content: "The watch could not be removed; please try again.", ephemeral: true}, "error"
			}
			return message{content: clip(fmt.Sprintf("Watch #%s removed: %s.", w.ID, escape(w.Describe())), maxContent), ephemeral: true}, "ok"
		})
	}
	b.sendError(i, "Unknown watch command; try /help.")
	return "unknown"
}

func destination(w watch.Watch) string {
	if w.Direct {
		return "you get a direct message"
	}
	d := fmt.Sprintf("an alert is posted in <#%s>", w.Channel)
	if w.Role != "" {
		d += fmt.Sprintf(" mentioning <@&%s>", w.Role)
	}
	return d
}

func already(matches int) string {
	switch matches {
	case 0:
		return "Nothing in the articles so far matches it."
	case 1:
		return "One passage of the articles so far matches it; ask the bot to see it."
	}
	return fmt.Sprintf("%d passages of the articles so far match it; ask the bot to see them.", matches)
}

// maxWatchLines keeps a list within one message.
const maxWatchLines = 25

func watchList(ws []watch.Watch, all bool) string {
	if len(ws) == 0 {
		if all {
			return "No watches. Add one with /watch add topic:… (members get theirs as direct messages; admins can post to a channel)."
		}
		return "You have no watches. Add one with /watch add topic:… and new articles that match come to you as direct messages."
	}
	var out strings.Builder
	for n, w := range ws {
		if n == maxWatchLines {
			fmt.Fprintf(&out, "… and %d more.", len(ws)-n)
			break
		}
		where := "direct message"
		if !w.Direct {
			where = "<#" + w.Channel + ">"
			if w.Role != "" {
				where += " · <@&" + w.Role + ">"
			}
		}
		fmt.Fprintf(&out, "**#%s** %s → %s", w.ID, escape(clip(w.Describe(), 300)), where)
		if all {
			fmt.Fprintf(&out, " · by <@%s>", w.Owner)
		}
		switch {
		case w.Alerts == 1:
			fmt.Fprintf(&out, " · 1 alert, <t:%d:R>", w.LastAlert.Unix())
		case w.Alerts > 1:
			fmt.Fprintf(&out, " · %d alerts, last <t:%d:R>", w.Alerts, w.LastAlert.Unix())
		}
		if w.Intent != nil {
			out.WriteString(" · an alert is being posted")
		}
		if w.LastError != "" {
			fmt.Fprintf(&out, "\n  ⚠️ <t:%d:R>: %s", w.LastErrorAt.Unix(), escape(clip(w.LastError, 200)))
		}
		out.WriteString("\n")
	}
	return out.String()
}

// RenderAlert is a watch's alert: its label, the role it mentions (the
// only mention it allows), and the matches as an answer's embed.
func (b *Bot) RenderAlert(w watch.Watch, ans *brief.Answer, label string) (json.RawMessage, error) {
	embed, shown := embedOf(ans, b.deps.Now())
	lines := []string{"**" + label + "**"}
	mentions := noMentions()
	if w.Role != "" {
		lines = append(lines, "<@&"+w.Role+">")
		mentions.Roles = []string{w.Role}
	}
	lines = append(lines, "New "+escape(clip(w.Describe(), 300))+".")
	if ans.Total > shown {
		lines = append(lines, fmt.Sprintf("The first %d of %d matches; ask the bot for the rest.", shown, ans.Total))
	}
	body, err := json.Marshal(channelMessage{Content: clip(strings.Join(lines, "\n"), maxContent),
		Embeds: []*discordgo.MessageEmbed{embed}, AllowedMentions: mentions})
	if err != nil {
		return nil, fmt.Errorf("encode an alert: %w", err)
	}
	return body, nil
}
