package bot

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"

	"github.com/briefbot/briefbot/brief"
	"github.com/briefbot/briefbot/digest"
	"github.com/briefbot/briefbot/render"
)

// channelMessage is a message posted to a channel: discordgo's MessageSend
// has no nonce, which makes a repeated post of a digest a no-op.
type channelMessage struct {
	Content         string                            `json:"content,omitempty"`
	Embeds          []*discordgo.MessageEmbed         `json:"embeds,omitempty"`
	AllowedMentions *discordgo.MessageAllowedMentions `json:"allowed_mentions"`
	Nonce           string                            `json:"nonce,omitempty"`
	EnforceNonce    bool                              `json:"enforce_nonce,omitempty"`
}

// digestFieldValue bounds each quotation or event of a digest, so that an
// article's embed never needs a message of its own beyond 6000 characters.
const digestFieldValue = 600

const maxEmbedsPerMessage = 10

// Render splits a digest into channel messages: one embed per article, as
// many per message as Discord allows, the label as each message's first line.
func (b *Bot) Render(d *brief.Digest, loc *time.Location, label func(i, n int) string) ([]json.RawMessage, error) {
	var embeds []*discordgo.MessageEmbed
	for _, t := range d.Topics {
		for _, a := range t.Articles {
			embeds = append(embeds, digestEmbed(t.Topic, a))
		}
	}
	embeds = append(embeds, moreEmbeds(d.More)...)
	// Pack embeds into messages under both per-message limits.
	var groups [][]*discordgo.MessageEmbed
	size := 0
	for _, e := range embeds {
		n := embedSize(e)
		if len(groups) == 0 || len(groups[len(groups)-1]) == maxEmbedsPerMessage || size+n > maxEmbedsTotal {
			groups = append(groups, nil)
			size = 0
		}
		groups[len(groups)-1] = append(groups[len(groups)-1], e)
		size += n
	}
	if len(groups) == 0 {
		groups = [][]*discordgo.MessageEmbed{nil}
	}
	var out []json.RawMessage
	for i, g := range groups {
		content := "**" + label(i, len(groups)) + "**"
		if i == 0 {
			content += "\n" + render.DigestHeading(d, loc)
		}
		if i == len(groups)-1 && d.Note != "" && d.Articles > 0 {
			content += "\n" + escape(d.Note)
		}
		body, err := json.Marshal(channelMessage{Content: clip(content, maxContent), Embeds: g, AllowedMentions: noMentions()})
		if err != nil {
			return nil, fmt.Errorf("encode digest message: %w", err)
		}
		out = append(out, body)
	}
	return out, nil
}

// digestEmbed is one new article: title, outlet and date, its main
// quotations and dated events, each with its paragraph.
func digestEmbed(topic string, a brief.DigestArticle) *discordgo.MessageEmbed {
	c := a.Citation
	e := &discordgo.MessageEmbed{
		Author:      &discordgo.MessageEmbedAuthor{Name: clip(topic, maxEmbedTitle)},
		Title:       clip(orUnknown(c.Title, c.File), maxEmbedTitle),
		Description: clip(escape(orUnknown(c.Outlet, "outlet unknown"))+" · "+orUnknown(c.Published, "date unknown")+alsoOutlets(a.AlsoIn), 300),
		Color:       colourAnswer,
		Footer:      &discordgo.MessageEmbedFooter{Text: clip(c.File, 200)},
	}
	if u, err := url.Parse(c.URL); err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != "" {
		e.URL = c.URL
	}
	for _, it := range append(append([]brief.Item(nil), a.Quotes...), a.Events...) {
		para := fmt.Sprintf(" (¶%d)", it.Citation.Paragraph)
		e.Fields = append(e.Fields, &discordgo.MessageEmbedField{
			Name:  clip(escape(orUnknown(render.Label(it), "quote")), maxFieldName),
			Value: fitSnippet(it.Text, digestFieldValue-utf8.RuneCountInString(para)) + para,
		})
	}
	// Extreme names could still pass a message's 6000 characters: the last
	// items give way.
	for embedSize(e) > maxEmbedsTotal && len(e.Fields) > 1 {
		e.Fields = e.Fields[:len(e.Fields)-1]
	}
	return e
}

// alsoOutlets names the other outlets that carried the story.
func alsoOutlets(also []brief.Citation) string {
	if len(also) == 0 {
		return ""
	}
	var names []string
	for _, c := range also {
		names = append(names, escape(orUnknown(c.Outlet, c.File)))
	}
	return " · also in " + strings.Join(names, ", ")
}

// moreEmbeds list the new articles beyond those shown in full, one line
// each, in as many embeds as their descriptions need.
func moreEmbeds(more []brief.Citation) []*discordgo.MessageEmbed {
	var out []*discordgo.MessageEmbed
	var lines []string
	size := 0
	flush := func() {
		if len(lines) > 0 {
			out = append(out, &discordgo.MessageEmbed{Title: fmt.Sprintf("More new articles (%d)", len(more)),
				Description: strings.Join(lines, "\n"), Color: colourEmpty})
		}
		lines, size = nil, 0
	}
	// An embed's description holds 4096 characters; a message's embeds 6000
	// together, so each list stays well under both.
	const listBudget = 2500
	for _, c := range more {
		line := clip("• "+citationMarkdown(brief.Citation{Title: c.Title, File: c.File, Outlet: c.Outlet, Published: c.Published, URL: c.URL}), 400)
		line = strings.TrimSuffix(line, " · ¶0")
		if size+utf8.RuneCountInString(line)+1 > listBudget {
			flush()
		}
		lines = append(lines, line)
		size += utf8.RuneCountInString(line) + 1
	}
	flush()
	return out
}

// embedSize counts what Discord counts towards the 6000 characters.
func embedSize(e *discordgo.MessageEmbed) int {
	n := utf8.RuneCountInString(e.Title) + utf8.RuneCountInString(e.Description)
	if e.Author != nil {
		n += utf8.RuneCountInString(e.Author.Name)
	}
	if e.Footer != nil {
		n += utf8.RuneCountInString(e.Footer.Text)
	}
	for _, f := range e.Fields {
		n += utf8.RuneCountInString(f.Name) + utf8.RuneCountInString(f.Value)
	}
	return n
}

// Send posts a rendered digest message with its nonce; Discord returns the
// message already created when the nonce was used before.
func (b *Bot) Send(ctx context.Context, channel string, body json.RawMessage, nonce string) (string, error) {
	if b.session == nil {
		return "", &digest.SendError{Reason: "not connected to Discord yet", Temporary: true}
	}
	var msg channelMessage
	if err := json.Unmarshal(body, &msg); err != nil {
		return "", fmt.Errorf("read digest message: %w", err)
	}
	msg.Nonce, msg.EnforceNonce = nonce, true
	endpoint := discordgo.EndpointChannelMessages(channel)
	resp, err := b.session.RequestWithBucketID("POST", endpoint, msg, endpoint, discordgo.WithContext(ctx))
	if err != nil {
		return "", b.postFailure(err)
	}
	var posted discordgo.Message
	if err := json.Unmarshal(resp, &posted); err != nil || posted.ID == "" {
		return "", &digest.SendError{Reason: "Discord's answer had no message ID", Temporary: true}
	}
	return posted.ID, nil
}

// postFailure classifies a failed post: rate limits and server errors pass,
// the rest (missing access or permission, unknown channel) need a person.
func (b *Bot) postFailure(err error) error {
	var re *discordgo.RESTError
	if errors.As(err, &re) && re.Response != nil {
		status := re.Response.StatusCode
		b.deps.Observer.DiscordError(status)
		reason := restReason(err)
		switch status {
		case 403:
			reason += " (give the bot View Channel, Send Messages and Embed Links in that channel)"
		case 404:
			reason += " (the channel no longer exists, or the bot cannot see it)"
		}
		return &digest.SendError{Status: status, Reason: reason, Temporary: status == 429 || status >= 500}
	}
	return &digest.SendError{Reason: err.Error(), Temporary: true}
}

// Find looks through the channel's recent messages for one the bot posted
// whose first line is the label.
func (b *Bot) Find(ctx context.Context, channel, label string) (string, bool, error) {
	if b.session == nil {
		return "", false, errors.New("not connected to Discord yet")
	}
	self, err := b.selfID(ctx)
	if err != nil {
		return "", false, err
	}
	msgs, err := b.session.ChannelMessages(channel, 50, "", "", "", discordgo.WithContext(ctx))
	if err != nil {
		return "", false, b.postFailure(err)
	}
	first := "**" + label + "**"
	for _, m := range msgs {
		if m.Author != nil && m.Author.ID == self && (m.Content == first || strings.HasPrefix(m.Content, first+"\n")) {
			return m.ID, true, nil
		}
	}
	return "", false, nil
}

// selfID is the bot's own user ID: from READY, or asked for over HTTP.
func (b *Bot) selfID(ctx context.Context) (string, error) {
	if st := b.session.State; st != nil && st.User != nil && st.User.ID != "" {
		return st.User.ID, nil
	}
	u, err := b.session.User("@me", discordgo.WithContext(ctx))
	if err != nil {
		return "", fmt.Errorf("ask Discord who the bot is: %w", err)
	}
	return u.ID, nil
}
