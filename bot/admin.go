package bot

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/briefbot/briefbot/brief"
	"github.com/briefbot/briefbot/digest"
	"github.com/briefbot/briefbot/ingest"
)

// Ingester adds web pages to the corpus; *ingest.Ingester is one.
type Ingester interface {
	URLs(ctx context.Context, urls []string) []ingest.Result
}

// Digests manages the scheduled digests; *digest.Service is one.
type Digests interface {
	Subscribe(channel, at, zone, by string) (digest.Subscription, error)
	Unsubscribe(channel string) (digest.Subscription, bool, error)
	Statuses(ctx context.Context) ([]digest.Status, error)
	Preview(ctx context.Context, channel string) (*brief.Digest, *time.Location, error)
}

// features says which optional commands the bot offers.
type features struct{ ingest, digest, watch, corrections bool }

func (b *Bot) features() features {
	return features{ingest: b.deps.Ingester != nil, digest: b.deps.Digests != nil, watch: b.deps.Watches != nil, corrections: b.deps.Corrections != nil}
}

// admin says whether the member may change what the bot does: Manage
// Server or Administrator permission in the channel, or a configured role.
func (b *Bot) admin(i *discordgo.Interaction) bool {
	if i.Member == nil {
		return false // not in a server
	}
	if i.Member.Permissions&(discordgo.PermissionAdministrator|discordgo.PermissionManageGuild) != 0 {
		return true
	}
	for _, r := range i.Member.Roles {
		if oneOf(r, b.cfg.AdminRoles) {
			return true
		}
	}
	return false
}

const notAdmin = "Only server managers (Manage Server permission) or the bot's admin roles can do that."

// maxIngestURLs bounds one /ingest: it answers within Discord's 15 minutes.
const maxIngestURLs = 5

func (b *Bot) ingestCommand(i *discordgo.Interaction, data discordgo.ApplicationCommandInteractionData) string {
	if b.deps.Ingester == nil {
		b.sendError(i, "Ingestion is not set up on this bot.")
		return "unknown"
	}
	if !b.admin(i) {
		b.sendError(i, notAdmin)
		return "denied"
	}
	urls := strings.Fields(option(data.Options, "url"))
	switch {
	case len(urls) == 0:
		b.sendError(i, "Give the address of a web page or feed, such as https://example.com/news/story.")
		return "bad-input"
	case len(urls) > maxIngestURLs:
		b.sendError(i, fmt.Sprintf("At most %d addresses at a time.", maxIngestURLs))
		return "bad-input"
	}
	return b.within(i, "ingest", false, true, func() (message, string) {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
		defer cancel()
		results := b.deps.Ingester.URLs(ctx, urls)
		var lines []string
		outcome := "ok"
		for _, r := range results {
			lines = append(lines, ingestLine(r))
			if r.Status == ingest.Failed {
				outcome = "partial"
			}
		}
		if len(lines) == 0 {
			lines = append(lines, "Nothing new: the feed's items are all in the corpus already.")
		}
		return message{content: clip(strings.Join(lines, "\n"), maxContent), ephemeral: true}, outcome
	})
}

func ingestLine(r ingest.Result) string {
	in := "<" + r.Input + ">" // no link preview
	switch r.Status {
	case ingest.Added:
		return fmt.Sprintf("✅ Added %s: **%s** (`%s`)", in, escape(orUnknown(r.Title, "untitled")), r.File)
	case ingest.Updated:
		return fmt.Sprintf("🔄 Updated %s: **%s** (`%s`)", in, escape(orUnknown(r.Title, "untitled")), r.File)
	case ingest.Duplicate:
		return fmt.Sprintf("➖ Already in the corpus %s: %s", in, escape(r.Reason))
	case ingest.NothingNew:
		return fmt.Sprintf("➖ Nothing new %s: %s", in, escape(r.Reason))
	}
	return fmt.Sprintf("❌ Could not add %s: %s", in, escape(r.Reason))
}

// subOption is a subcommand's option as text: strings trimmed, numbers
// (an integer option) written out; "" when it was not given.
func subOption(sub *discordgo.ApplicationCommandInteractionDataOption, name string) string {
	for _, o := range sub.Options {
		if o.Name == name {
			switch v := o.Value.(type) {
			case string:
				return strings.TrimSpace(v)
			case float64:
				return strconv.FormatFloat(v, 'f', -1, 64)
			}
		}
	}
	return ""
}

func (b *Bot) digestCommand(i *discordgo.Interaction, data discordgo.ApplicationCommandInteractionData) string {
	if b.deps.Digests == nil {
		b.sendError(i, "Digests are not set up on this bot.")
		return "unknown"
	}
	if len(data.Options) == 0 {
		b.sendError(i, "Use /digest preview, status, subscribe or unsubscribe.")
		return "bad-input"
	}
	sub := data.Options[0]
	if sub.Name != "preview" && !b.admin(i) {
		b.sendError(i, notAdmin)
		return "denied"
	}
	opt := func(name string) string { return subOption(sub, name) }
	switch sub.Name {
	// Changes wait while a digest is being posted (its retries can take a
	// while): they answer through within, which defers when slow.
	case "subscribe":
		channel := orUnknown(opt("channel"), i.ChannelID)
		return b.within(i, "digest", false, true, func() (message, string) {
			s, err := b.deps.Digests.Subscribe(channel, opt("time"), opt("timezone"), userID(i))
			if err != nil {
				return message{content: clip("Not subscribed: "+err.Error(), maxContent), ephemeral: true}, "bad-input"
			}
			return message{ephemeral: true, content: fmt.Sprintf(
				"<#%s> gets the digest every day at %s (%s); the next one is <t:%d:F>.",
				s.Channel, opt("time"), s.TimeZone, s.NextDue.Unix())}, "ok"
		})
	case "unsubscribe":
		channel := orUnknown(opt("channel"), i.ChannelID)
		return b.within(i, "digest", false, true, func() (message, string) {
			sub, was, err := b.deps.Digests.Unsubscribe(channel)
			if err != nil {
				b.deps.Logger.Error("unsubscribe", "err", err)
				return message{content: "The digest settings could not be saved; please try again.", ephemeral: true}, "error"
			}
			if !was {
				return message{content: fmt.Sprintf("<#%s> had no digest.", channel), ephemeral: true}, "ok"
			}
			if sub.Source == "env" {
				return message{content: fmt.Sprintf("<#%s> no longer gets the digest until the bot restarts: DIGEST_CHANNEL_ID names it, so remove that setting to stop it for good.", channel), ephemeral: true}, "ok"
			}
			return message{content: fmt.Sprintf("<#%s> no longer gets the digest.", channel), ephemeral: true}, "ok"
		})
	case "status":
		return b.within(i, "digest", false, true, func() (message, string) {
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			st, err := b.deps.Digests.Statuses(ctx)
			if err != nil {
				b.deps.Logger.Error("digest status", "err", err)
				return message{content: "The digest state could not be read; see the bot's log.", ephemeral: true}, "error"
			}
			return message{content: clip(statusText(st), maxContent), ephemeral: true}, "ok"
		})
	case "preview":
		return b.within(i, "digest", false, true, func() (message, string) {
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			d, loc, err := b.deps.Digests.Preview(ctx, i.ChannelID)
			if err != nil {
				b.deps.Logger.Error("digest preview", "err", err)
				return message{content: "The digest could not be composed just now; please try again.", ephemeral: true}, "error"
			}
			return b.previewMessage(d, loc), "ok"
		})
	}
	b.sendError(i, "Unknown digest command; try /help.")
	return "unknown"
}

// previewMessage is the first message of the next digest, privately.
func (b *Bot) previewMessage(d *brief.Digest, loc *time.Location) message {
	parts := 0
	bodies, _ := b.Render(d, loc, func(i, n int) string {
		parts = n
		if n > 1 {
			return fmt.Sprintf("Preview of the next digest · part %d of %d (only the first is shown)", i+1, n)
		}
		return "Preview of the next digest"
	})
	var first channelMessage
	if len(bodies) > 0 {
		if err := json.Unmarshal(bodies[0], &first); err != nil || parts == 0 {
			return message{content: "The preview could not be shown.", ephemeral: true}
		}
	}
	return message{content: first.Content, embeds: first.Embeds, ephemeral: true}
}

func statusText(st []digest.Status) string {
	if len(st) == 0 {
		return "No channel gets the digest. Use /digest subscribe channel:#news time:08:00, or set DIGEST_CHANNEL_ID."
	}
	var b strings.Builder
	for _, s := range st {
		from := "set with /digest subscribe"
		if s.Source == "env" {
			from = "from DIGEST_CHANNEL_ID"
		}
		fmt.Fprintf(&b, "**<#%s>** (%s) · `%s` %s · next <t:%d:F>", s.Channel, from, s.Schedule, s.TimeZone, s.NextDue.Unix())
		if s.Posting {
			b.WriteString(" · a digest is being posted")
		}
		fmt.Fprintf(&b, " · %d new articles waiting\n", s.Pending)
		if !s.LastPosted.IsZero() {
			fmt.Fprintf(&b, "  last posted <t:%d:R> (%d articles, %d messages)\n", s.LastPosted.Unix(), s.LastArticles, len(s.LastMessages))
		} else {
			b.WriteString("  not posted yet\n")
		}
		if s.LastError != "" {
			fmt.Fprintf(&b, "  ⚠️ <t:%d:R>: %s", s.LastErrorAt.Unix(), escape(clip(s.LastError, 300)))
			if !s.RetryAt.IsZero() {
				fmt.Fprintf(&b, " (retrying <t:%d:R>)", s.RetryAt.Unix())
			}
			b.WriteString("\n")
		}
	}
	return b.String()
}
