package bot

import (
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"

	"github.com/briefbot/briefbot/brief"
)

// Commands are registered with one bulk overwrite at start-up, so a renamed
// or removed option never leaves a stale command behind.
func Commands(f features) []*discordgo.ApplicationCommand {
	str := func(name, desc string, required, autocomplete bool) *discordgo.ApplicationCommandOption {
		return &discordgo.ApplicationCommandOption{
			Type: discordgo.ApplicationCommandOptionString, Name: name, Description: desc,
			Required: required, Autocomplete: autocomplete, MaxLength: 200,
		}
	}
	date := func(name, desc string) *discordgo.ApplicationCommandOption {
		o := str(name, desc, false, false)
		o.MaxLength = 10
		return o
	}
	private := &discordgo.ApplicationCommandOption{Type: discordgo.ApplicationCommandOptionBoolean, Name: "private",
		Description: "Answer to you only (its follow-ups too)"}
	cmds := []*discordgo.ApplicationCommand{
		{Name: "stance", Description: "What an actor has said and done about a topic, in the articles' own words",
			Options: []*discordgo.ApplicationCommandOption{
				str("topic", "What about (a country, an issue, a person)", true, true),
				str("actor", "Whose stance (default: the articles' main subject)", false, true),
				str("actor2", "Another actor, to compare side by side", false, true),
				{Type: discordgo.ApplicationCommandOptionString, Name: "by", Description: "Group the positions by date, oldest first",
					Choices: []*discordgo.ApplicationCommandOptionChoice{{Name: "year", Value: brief.ByYear}, {Name: "month", Value: brief.ByMonth}}},
				private,
			}},
		{Name: "timeline", Description: "Dated events about a topic, oldest first",
			Options: []*discordgo.ApplicationCommandOption{
				str("topic", "What about", true, true),
				date("from", "Earliest date, YYYY-MM-DD"),
				date("to", "Latest date, YYYY-MM-DD"),
				private,
			}},
		{Name: "quote", Description: "Direct quotations and who said them",
			Options: []*discordgo.ApplicationCommandOption{
				str("speaker", "Who said it (any spelling of the name)", false, true),
				str("topic", "About what", false, true),
				private,
			}},
		{Name: "search", Description: "Paragraphs that contain the words",
			Options: []*discordgo.ApplicationCommandOption{str("query", "Words to look for", true, false), private}},
		{Name: "source", Description: "Read an article, paragraph by paragraph",
			Options: []*discordgo.ApplicationCommandOption{str("article", "Title words or file name", true, true), private}},
		{Name: "help", Description: "What briefbot can do"},
		// Apps → Brief me on this, on any message: message commands have no description.
		{Name: briefMeCommand, Type: discordgo.MessageApplicationCommand},
	}
	inServers := &[]discordgo.InteractionContextType{discordgo.InteractionContextGuild}
	// Who may use them is checked by the bot on every call (see admin). Not
	// default_member_permissions: discordgo sends it as a string, and
	// Discord's spec wants an integer; server managers can still hide the
	// command under Server Settings → Integrations.
	if f.ingest {
		url := str("url", "Address of a web page or RSS/Atom feed (several: separate with spaces)", true, false)
		url.MaxLength = 2000
		cmds = append(cmds, &discordgo.ApplicationCommand{Name: "ingest", Description: "Add a web page or feed's new items to the articles (admins)",
			Contexts: inServers, Options: []*discordgo.ApplicationCommandOption{url}})
	}
	sub := func(name, desc string, opts ...*discordgo.ApplicationCommandOption) *discordgo.ApplicationCommandOption {
		return &discordgo.ApplicationCommandOption{Type: discordgo.ApplicationCommandOptionSubCommand, Name: name, Description: desc, Options: opts}
	}
	textChannels := []discordgo.ChannelType{discordgo.ChannelTypeGuildText, discordgo.ChannelTypeGuildNews}
	if f.watch {
		channel := &discordgo.ApplicationCommandOption{Type: discordgo.ApplicationCommandOptionChannel, Name: "channel",
			Description: "Post the alerts in this channel (admins; default: a direct message to you)", ChannelTypes: textChannels}
		role := &discordgo.ApplicationCommandOption{Type: discordgo.ApplicationCommandOptionRole, Name: "role",
			Description: "Mention this role in each alert (admins)"}
		id := &discordgo.ApplicationCommandOption{Type: discordgo.ApplicationCommandOptionInteger, Name: "id",
			Description: "The watch's number, from /watch list", Required: true, MinValue: ptr(1.0)}
		cmds = append(cmds, &discordgo.ApplicationCommand{Name: "watch", Description: "Be told when new articles match a topic, an actor or a speaker",
			Contexts: inServers, Options: []*discordgo.ApplicationCommandOption{
				sub("add", "Watch new articles for a topic, an actor's positions on it or a speaker's quotations",
					str("topic", "What about (needed unless a speaker is given)", false, true),
					str("actor", "Only this actor's positions on the topic", false, true),
					str("speaker", "Only this speaker's quotations", false, true),
					channel, role),
				sub("list", "Your watches (admins: all of them)"),
				sub("remove", "Stop a watch", id),
			}})
	}
	if f.corrections {
		cmds = append(cmds, &discordgo.ApplicationCommand{Name: "corrections", Description: "The team's corrections of speakers and relevance",
			Contexts: inServers, Options: []*discordgo.ApplicationCommandOption{
				sub("review", "Accept or reject the corrections members sent (admins)"),
			}})
	}
	if f.digest {
		channel := &discordgo.ApplicationCommandOption{Type: discordgo.ApplicationCommandOptionChannel, Name: "channel",
			Description: "Where the digest goes (default: this channel)", ChannelTypes: textChannels}
		at := str("time", "Time of day, HH:MM (24-hour)", true, false)
		at.MaxLength = 5
		zone := str("timezone", "IANA time zone such as Europe/Oslo (default: the bot's DIGEST_TIMEZONE)", false, false)
		zone.MaxLength = 64
		cmds = append(cmds, &discordgo.ApplicationCommand{Name: "digest", Description: "The daily digest of new articles",
			Contexts: inServers, Options: []*discordgo.ApplicationCommandOption{
				sub("preview", "Show the next digest, to you only"),
				sub("status", "Where digests go, when, and what went wrong (admins)"),
				sub("subscribe", "Post the digest in a channel every day (admins)", at, channel, zone),
				sub("unsubscribe", "Stop a channel's digest (admins)", channel),
			}})
	}
	return cmds
}

func ptr[T any](v T) *T { return &v }

// request is a question as a command and its arguments: what a paging
// button must remember.
type request struct {
	Command string
	Args    []string // in the order of the command's options
	Offset  int
	User    string // who asked; only they may page
}

// argNames lists each pageable command's options, in custom-ID order.
// outlet and published are not slash-command options: the narrowing menu sets them.
var argNames = map[string][]string{
	"stance":   {"topic", "actor", "actor2", "by", "outlet", "published", "private"},
	"timeline": {"topic", "from", "to", "outlet", "private"},
	"quote":    {"speaker", "topic", "outlet", "published", "private"},
	"search":   {"query", "outlet", "published", "private"},
	"source":   {"article", "private"},
}

// arg is the request's argument of that name ("" when it has none).
func (r request) arg(name string) string {
	for k, n := range argNames[r.Command] {
		if n == name && k < len(r.Args) {
			return r.Args[k]
		}
	}
	return ""
}

// with is the request with an argument set, from the first page.
func (r request) with(name, value string) request {
	out := r
	out.Args = padArgs(r.Command, append([]string(nil), r.Args...))
	out.Offset = 0
	for k, n := range argNames[r.Command] {
		if n == name {
			out.Args[k] = value
		}
	}
	return out
}

var commandCodes = map[string]string{"stance": "s", "timeline": "t", "quote": "q", "search": "f", "source": "o"}

var idEscaper = strings.NewReplacer("%", "%25", "|", "%7C")
var idUnescaper = strings.NewReplacer("%7C", "|", "%25", "%")

// customID encodes a page request in a button's custom ID, so paging needs
// no server-side state and survives restarts. ok is false when the request
// does not fit in Discord's 100 characters.
func (r request) customID() (string, bool) {
	parts := []string{"pg", commandCodes[r.Command], r.User, strconv.Itoa(r.Offset)}
	for _, a := range r.Args {
		parts = append(parts, idEscaper.Replace(a))
	}
	id := strings.Join(parts, "|")
	return id, len(id) <= maxCustomID
}

// stateID is the custom ID of a request too long for customID: the
// question is kept server-side under a key derived from it, and the ID
// carries the key, the asker and the offset.
func (r request) stateID() (id, key string) {
	sum := sha256.Sum256([]byte(r.Command + "\x00" + strings.Join(r.Args, "\x00")))
	key = hex.EncodeToString(sum[:10])
	return strings.Join([]string{"ps", key, r.User, strconv.Itoa(r.Offset)}, "|"), key
}

// storedQuestion is what the server keeps of a request under its key.
type storedQuestion struct {
	Command string   `json:"command"`
	Args    []string `json:"args"`
}

// parseStateID reads a stateID; the question itself comes from lookup.
func parseStateID(id string, lookup func(key string) (storedQuestion, bool)) (request, bool) {
	parts := strings.Split(id, "|")
	if len(parts) != 4 || parts[0] != "ps" {
		return request{}, false
	}
	off, err := strconv.Atoi(parts[3])
	if err != nil || off < 0 || off > brief.MaxOffset || !snowflake(parts[2]) {
		return request{}, false
	}
	q, ok := lookup(parts[1])
	if !ok || !argCount(q.Command, len(q.Args)) {
		return request{}, false
	}
	return request{Command: q.Command, Args: padArgs(q.Command, q.Args), User: parts[2], Offset: off}, true
}

// parseCustomID reads a page request back from a custom ID.
func parseCustomID(id string) (request, bool) {
	parts := strings.Split(id, "|")
	// A real answer's options came as JSON strings: valid UTF-8 always.
	if len(parts) < 4 || parts[0] != "pg" || !utf8.ValidString(id) {
		return request{}, false
	}
	var r request
	for cmd, code := range commandCodes {
		if code == parts[1] {
			r.Command = cmd
		}
	}
	off, err := strconv.Atoi(parts[3])
	// The state is the presser's to craft: only offsets a real answer has.
	if r.Command == "" || err != nil || off < 0 || off > brief.MaxOffset || !argCount(r.Command, len(parts)-4) || !snowflake(parts[2]) {
		return request{}, false
	}
	r.User, r.Offset = parts[2], off
	for _, a := range parts[4:] {
		r.Args = append(r.Args, idUnescaper.Replace(a))
	}
	r.Args = padArgs(r.Command, r.Args)
	return r, true
}

// argCount: n arguments fit the command. Buttons made before an option was
// added carry fewer; the missing ones are empty.
func argCount(command string, n int) bool {
	return n >= 1 && n <= len(argNames[command])
}

func padArgs(command string, args []string) []string {
	for len(args) < len(argNames[command]) {
		args = append(args, "")
	}
	return args
}

// snowflake: a Discord ID, 17 to 20 digits.
func snowflake(s string) bool {
	if len(s) < 17 || len(s) > 20 {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// option returns a string option of a command interaction; a true boolean
// one is "true".
func option(opts []*discordgo.ApplicationCommandInteractionDataOption, name string) string {
	for _, o := range opts {
		switch {
		case o.Name != name:
		case o.Type == discordgo.ApplicationCommandOptionString:
			return o.StringValue()
		case o.Type == discordgo.ApplicationCommandOptionBoolean:
			if v, ok := o.Value.(bool); ok && v {
				return "true"
			}
		}
	}
	return ""
}
