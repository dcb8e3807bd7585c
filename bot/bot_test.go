package bot_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/brief"
	"github.com/briefbot/briefbot/corpus"
	"github.com/briefbot/briefbot/digest"
	"github.com/briefbot/briefbot/index"
	"github.com/briefbot/briefbot/internal/discordspec"
	"github.com/briefbot/briefbot/internal/fakediscord"
)

var (
	engine   *brief.Engine
	articles *corpus.Corpus
	spec     *discordspec.Spec
	specErr  error
)

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "briefbot-bot-test-")
	if err != nil {
		panic(err)
	}
	articles, err = corpus.Load(corpus.Bundled())
	if err != nil {
		panic(err)
	}
	ix, err := index.Build(context.Background(), dir, articles, index.Options{})
	if err != nil {
		panic(err)
	}
	engine = brief.New(ix)
	if path, err := discordspec.Find(); err != nil {
		specErr = err
	} else {
		spec, specErr = discordspec.Load(path)
	}
	code := m.Run()
	ix.Close()
	os.RemoveAll(dir)
	os.Exit(code)
}

// TestSpecAvailable fails when bodies cannot be checked against Discord's
// spec: the spec is vendored, so every clone checks them.
func TestSpecAvailable(t *testing.T) {
	if specErr != nil {
		t.Fatalf("Discord's OpenAPI spec is not available: %v", specErr)
	}
}

func validate(t *testing.T, kind string, body []byte) {
	t.Helper()
	if spec == nil {
		t.Fatalf("not validated against Discord's spec (%v)", specErr)
	}
	if problems := spec.Check(kind, body); len(problems) > 0 {
		t.Errorf("body rejected by Discord's rules:\n- %s\nbody: %s", strings.Join(problems, "\n- "), discordspec.Pretty(body))
	}
}

type harness struct {
	bot    *bot.Bot
	fake   *fakediscord.Server
	cancel context.CancelFunc
	done   chan error
	logs   *fakediscord.Buffer
}

type options struct {
	deps     bot.Deps // Ingester and Digests
	briefer  bot.Briefer
	settings bot.Settings
	ackAfter time.Duration
	token    string
}

// start runs the real discordgo-based bot against a fresh fake Discord.
func start(t *testing.T, o options) *harness {
	t.Helper()
	fake, err := fakediscord.Start(fakediscord.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(fake.Close)
	client, err := bot.APIClient(fake.URL+"/api", "", 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if o.briefer == nil {
		o.briefer = engine
	}
	s := o.settings
	s.Token = fake.Token
	if o.token != "" {
		s.Token = o.token
	}
	s.GuildID = fake.GuildID
	if s.RateBurst == 0 {
		s.RateBurst, s.RateEvery = 1000, time.Millisecond
	}
	logs := &fakediscord.Buffer{}
	b := bot.New(s, o.briefer, bot.Deps{HTTPClient: client, Logger: slog.New(slog.NewTextHandler(logs, nil)), AckAfter: o.ackAfter,
		Ingester: o.deps.Ingester, Digests: o.deps.Digests, Watches: o.deps.Watches, Corrections: o.deps.Corrections, Buttons: o.deps.Buttons})
	ctx, cancel := context.WithCancel(context.Background())
	h := &harness{bot: b, fake: fake, cancel: cancel, done: make(chan error, 1), logs: logs}
	go func() { h.done <- b.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		select {
		case <-h.done:
		case <-time.After(5 * time.Second):
			t.Error("bot did not stop within 5s of cancellation")
		}
		if strings.Contains(logs.String(), fake.Token) {
			t.Error("the token appeared in the logs")
		}
	})
	if o.token == "" {
		if _, err := fake.WaitFor(5*time.Second, func(r fakediscord.Request) bool {
			return r.Method == "PUT" && strings.HasSuffix(r.Path, "/commands")
		}); err != nil {
			t.Fatalf("bot did not register its commands: %v\nlogs:\n%s", err, logs)
		}
	}
	return h
}

// callback is the decoded interaction response.
type callback struct {
	Type int `json:"type"`
	Data struct {
		Content string  `json:"content"`
		Flags   int     `json:"flags"`
		Embeds  []embed `json:"embeds"`
		Choices []struct {
			Name  string `json:"name"`
			Value string `json:"value"`
		} `json:"choices"`
		Components []struct {
			Components []struct {
				Type     int    `json:"type"`
				CustomID string `json:"custom_id"`
				Label    string `json:"label"`
				Disabled bool   `json:"disabled"`
				Options  []struct {
					Label       string `json:"label"`
					Value       string `json:"value"`
					Description string `json:"description"`
				} `json:"options"`
			} `json:"components"`
		} `json:"components"`
		AllowedMentions *struct {
			Parse []string `json:"parse"`
		} `json:"allowed_mentions"`
	} `json:"data"`
}

type embed struct {
	Title       string `json:"title"`
	Description string `json:"description"`
	Fields      []struct {
		Name  string `json:"name"`
		Value string `json:"value"`
	} `json:"fields"`
	Footer struct {
		Text string `json:"text"`
	} `json:"footer"`
}

const ephemeral = 64

func (h *harness) ask(t *testing.T, name string, opts map[string]string, u fakediscord.User) callback {
	t.Helper()
	in, err := h.fake.Command(name, opts, u)
	if err != nil {
		t.Fatal(err)
	}
	return h.response(t, in)
}

func (h *harness) press(t *testing.T, customID string, u fakediscord.User) fakediscord.Interaction {
	t.Helper()
	in, err := h.fake.Press(customID, u)
	if err != nil {
		t.Fatal(err)
	}
	return in
}

func (h *harness) command(t *testing.T, name string, opts map[string]string, u fakediscord.User) fakediscord.Interaction {
	t.Helper()
	in, err := h.fake.Command(name, opts, u)
	if err != nil {
		t.Fatal(err)
	}
	return in
}

func (h *harness) response(t *testing.T, in fakediscord.Interaction) callback {
	t.Helper()
	body, err := h.fake.Callback(in, 10*time.Second)
	if err != nil {
		t.Fatalf("%v\nlogs:\n%s", err, h.logs)
	}
	validate(t, discordspec.InteractionCallback, body)
	var cb callback
	if err := json.Unmarshal(body, &cb); err != nil {
		t.Fatal(err)
	}
	return cb
}

var unescape = regexp.MustCompile(`\\(.)`)
var citationRe = regexp.MustCompile(`^— (?:\[(.*)\]\(.*\)|(.*?)) · .* · ¶(\d+)$`)

// checkFields asserts every field's snippet is verbatim in the article and
// paragraph its citation names.
func checkFields(t *testing.T, e embed) {
	t.Helper()
	if len(e.Fields) == 0 {
		t.Fatalf("answer has no items: %+v", e)
	}
	for _, f := range e.Fields {
		lines := strings.Split(f.Value, "\n")
		var cite string
		var snippet []string
		for _, l := range lines {
			if strings.HasPrefix(l, "— ") && cite == "" {
				cite = l
				continue
			}
			if cite == "" {
				snippet = append(snippet, l)
			}
		}
		m := citationRe.FindStringSubmatch(cite)
		if m == nil {
			t.Fatalf("no citation line in field %q", f.Value)
		}
		title := unescape.ReplaceAllString(m[1]+m[2], "$1")
		para, _ := strconv.Atoi(m[3])
		var art *corpus.Article
		for _, a := range articles.Articles {
			if a.Title == title || (a.Title == "" && a.File == title) {
				art = a
			}
		}
		if art == nil || para < 1 || para > len(art.Paragraphs) {
			t.Fatalf("citation %q names no article paragraph", cite)
		}
		text := unescape.ReplaceAllString(strings.Join(snippet, "\n"), "$1")
		for _, part := range strings.Split(text, brief.Ellipsis) {
			if part = strings.TrimSpace(part); part != "" && !strings.Contains(art.Paragraphs[para-1].Text, part) {
				t.Errorf("snippet part not verbatim in %s ¶%d:\n%q", art.File, para, part)
			}
		}
	}
}

func TestStartupRegistersCommands(t *testing.T) {
	h := start(t, options{})
	reqs := h.fake.Requests()
	var put *fakediscord.Request
	for i := range reqs {
		if reqs[i].Method == "PUT" {
			put = &reqs[i]
		}
	}
	if put == nil || !strings.Contains(put.Path, "/applications/"+h.fake.AppID+"/guilds/"+h.fake.GuildID+"/commands") {
		t.Fatalf("want one bulk overwrite of the guild's commands, got %+v", put)
	}
	validate(t, discordspec.BulkGuildCommands, put.Body)
	var cmds []struct{ Name string }
	json.Unmarshal(put.Body, &cmds)
	var names []string
	for _, c := range cmds {
		names = append(names, c.Name)
	}
	if strings.Join(names, ",") != "stance,timeline,quote,search,source,help,Brief me on this" {
		t.Errorf("commands %v", names)
	}
}

func TestCommands(t *testing.T) {
	h := start(t, options{})
	tests := []struct {
		name  string
		opts  map[string]string
		title string
		want  string // in some field
	}{
		{"stance", map[string]string{"topic": "Ukraine"}, `Stance of Pakistan on "Ukraine"`, "neutrality"},
		{"stance", map[string]string{"topic": "Soleimani", "actor": "United States"}, "Stance of United States", "Pompeo"},
		{"stance", map[string]string{"topic": "Ukraine", "actor": "Pakistan", "actor2": "United States"}, `Stance of Pakistan vs United States on "Ukraine"`, "United States ·"},
		{"stance", map[string]string{"topic": "Ukraine", "by": "year"}, `Stance of Pakistan on "Ukraine" by year`, "2022 ·"},
		{"timeline", map[string]string{"topic": "Iran", "from": "2020-01-01", "to": "2020-01-31"}, "Timeline", "2020-01-03"},
		{"quote", map[string]string{"speaker": "Qureshi"}, "Quotes by Qureshi", "Shah Mehmood Qureshi"},
		{"quote", map[string]string{"topic": "restraint"}, "Quotes about", "restraint"},
		{"search", map[string]string{"query": "gas pipeline"}, "Paragraphs matching", "pipeline"},
		{"source", map[string]string{"article": "004_be0101e0bb6417d3.txt"}, "Article", "ISLAMABAD"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cb := h.ask(t, tt.name, tt.opts, fakediscord.DefaultUser)
			if cb.Type != 4 || cb.Data.Flags&ephemeral != 0 || len(cb.Data.Embeds) != 1 {
				t.Fatalf("want a public embed reply, got type %d flags %d content %q", cb.Type, cb.Data.Flags, cb.Data.Content)
			}
			e := cb.Data.Embeds[0]
			if !strings.HasPrefix(e.Title, tt.title) {
				t.Errorf("title %q", e.Title)
			}
			checkFields(t, e)
			all := ""
			for _, f := range e.Fields {
				all += f.Name + " " + f.Value
			}
			if !strings.Contains(all, tt.want) {
				t.Errorf("answer lacks %q:\n%s", tt.want, all)
			}
			if !strings.Contains(e.Footer.Text, "of ") {
				t.Errorf("footer should give the total: %q", e.Footer.Text)
			}
			if !regexp.MustCompile(`5 articles, newest 2024-04-19, updated (just now|\d+ min ago)`).MatchString(e.Footer.Text) {
				t.Errorf("footer should say how fresh the articles are: %q", e.Footer.Text)
			}
		})
	}
	cb := h.ask(t, "help", nil, fakediscord.DefaultUser)
	if cb.Type != 4 || len(cb.Data.Embeds) != 1 || !strings.Contains(cb.Data.Embeds[0].Fields[0].Name, "/stance") {
		t.Errorf("help: %+v", cb)
	}
}

func TestErrorsAreEphemeralAndUseful(t *testing.T) {
	h := start(t, options{})
	tests := []struct {
		name string
		opts map[string]string
		want string
	}{
		{"stance", map[string]string{"topic": "+++"}, "no words to search for"},
		{"search", map[string]string{"query": "zeppelin airship"}, "No paragraph contains"},
		{"timeline", map[string]string{"topic": "Iran", "from": "last tuesday"}, "is not a date"},
		{"quote", map[string]string{"speaker": "Nobody McUnknown"}, "No speaker called"},
		{"source", map[string]string{"article": "nothing-like-this"}, "No article matches"},
		{"search", map[string]string{"query": strings.Repeat("long ", 60)}, "keep it under"},
	}
	for _, tt := range tests {
		cb := h.ask(t, tt.name, tt.opts, fakediscord.DefaultUser)
		if cb.Type != 4 || cb.Data.Flags&ephemeral == 0 || !strings.Contains(cb.Data.Content, tt.want) {
			t.Errorf("%s %v: want an ephemeral %q, got type %d flags %d %q", tt.name, tt.opts, tt.want, cb.Type, cb.Data.Flags, cb.Data.Content)
		}
	}
}

// An article or a query with @everyone never pings: allowed_mentions is empty.
func TestNoMentions(t *testing.T) {
	h := start(t, options{})
	cb := h.ask(t, "search", map[string]string{"query": "@everyone <@400000000000000004> Iran"}, fakediscord.DefaultUser)
	if cb.Data.AllowedMentions == nil || cb.Data.AllowedMentions.Parse == nil || len(cb.Data.AllowedMentions.Parse) != 0 {
		t.Errorf("allowed_mentions must be present with an empty parse list: %+v", cb.Data.AllowedMentions)
	}
}

func TestAutocomplete(t *testing.T) {
	h := start(t, options{})
	for _, tt := range []struct {
		cmd, option, typed, want string
	}{
		{"quote", "speaker", "qur", "Shah Mehmood Qureshi"},
		{"stance", "actor", "pak", "Pakistan"},
		{"stance", "topic", "ukr", "Ukraine"},
		{"source", "article", "dawn", ""},
		{"source", "article", "soleimani", "004_be0101e0bb6417d3.txt"},
	} {
		in, err := h.fake.Autocomplete(tt.cmd, map[string]string{tt.option: tt.typed}, tt.option, fakediscord.DefaultUser)
		if err != nil {
			t.Fatal(err)
		}
		cb := h.response(t, in)
		if cb.Type != 8 {
			t.Fatalf("autocomplete answered with type %d", cb.Type)
		}
		if len(cb.Data.Choices) > 25 {
			t.Errorf("%d choices", len(cb.Data.Choices))
		}
		found := tt.want == ""
		for _, c := range cb.Data.Choices {
			found = found || c.Value == tt.want
		}
		if !found {
			t.Errorf("%s %s %q: choices %+v lack %q", tt.cmd, tt.option, tt.typed, cb.Data.Choices, tt.want)
		}
	}
}

func TestPaging(t *testing.T) {
	h := start(t, options{})
	first := h.ask(t, "stance", map[string]string{"topic": "Iran"}, fakediscord.DefaultUser)
	if len(first.Data.Components) == 0 || len(first.Data.Components[0].Components) != 2 {
		t.Fatalf("a long answer needs Previous/Next: %+v", first.Data.Components)
	}
	prev, next := first.Data.Components[0].Components[0], first.Data.Components[0].Components[1]
	if !prev.Disabled || next.Disabled {
		t.Errorf("first page: Previous should be disabled, Next enabled: %+v", first.Data.Components[0])
	}
	firstField := first.Data.Embeds[0].Fields[0].Value

	// Someone else presses Next: an ephemeral note, and the message stays.
	other := fakediscord.User{ID: "400000000000000099", ChannelID: fakediscord.DefaultUser.ChannelID}
	in := h.press(t, next.CustomID, other)
	cb := h.response(t, in)
	if cb.Type != 4 || cb.Data.Flags&ephemeral == 0 || !strings.Contains(cb.Data.Content, "Only") {
		t.Errorf("another user's press: %+v", cb)
	}

	// The asker presses Next: the message is updated with the next page.
	in = h.press(t, next.CustomID, fakediscord.DefaultUser)
	page2 := h.response(t, in)
	if page2.Type != 7 || len(page2.Data.Embeds) != 1 {
		t.Fatalf("want an UPDATE_MESSAGE, got %d %q", page2.Type, page2.Data.Content)
	}
	checkFields(t, page2.Data.Embeds[0])
	if page2.Data.Embeds[0].Fields[0].Value == firstField || !strings.HasPrefix(page2.Data.Embeds[0].Fields[0].Name, "6.") {
		t.Errorf("page 2 should start at item 6: %q", page2.Data.Embeds[0].Fields[0].Name)
	}
	if page2.Data.Components[0].Components[0].Disabled {
		t.Error("page 2: Previous should be enabled")
	}
	// And back.
	in = h.press(t, page2.Data.Components[0].Components[0].CustomID, fakediscord.DefaultUser)
	back := h.response(t, in)
	if back.Type != 7 || back.Data.Embeds[0].Fields[0].Value != firstField {
		t.Errorf("Previous should show page 1 again")
	}
	// The state is in the button: a freshly started bot pages it too.
	restarted := start(t, options{})
	in = restarted.press(t, next.CustomID, fakediscord.DefaultUser)
	if cb := restarted.response(t, in); cb.Type != 7 || cb.Data.Embeds[0].Fields[0].Value != page2.Data.Embeds[0].Fields[0].Value {
		t.Errorf("after a restart, Next should still show page 2")
	}
	// A forged or stale custom ID gets a clear note.
	in = h.press(t, "pg|x|1|0", fakediscord.DefaultUser)
	if cb := h.response(t, in); cb.Data.Flags&ephemeral == 0 {
		t.Errorf("bad button: %+v", cb)
	}
}

// Previous from the last page goes back a whole page, not by what the
// last page happened to show.
func TestPreviousFromTheLastPage(t *testing.T) {
	h := start(t, options{})
	first := h.ask(t, "quote", map[string]string{"speaker": "Qureshi"}, fakediscord.DefaultUser)
	if len(first.Data.Components) == 0 {
		t.Fatal("a long answer needs paging")
	}
	page := first
	var offsets []string
	for k := 0; k < 40; k++ {
		next := page.Data.Components[0].Components[1]
		if next.Disabled {
			break
		}
		page = h.response(t, h.press(t, next.CustomID, fakediscord.DefaultUser))
		offsets = append(offsets, page.Data.Embeds[0].Fields[0].Name)
	}
	last := page.Data.Embeds[0].Fields[0].Name
	back := h.response(t, h.press(t, page.Data.Components[0].Components[0].CustomID, fakediscord.DefaultUser))
	lastStart := atoiPrefix(last)
	if got := atoiPrefix(back.Data.Embeds[0].Fields[0].Name); got != lastStart-5 {
		t.Errorf("Previous from the page starting at item %d starts at item %d, want %d (pages %v)", lastStart, got, lastStart-5, offsets)
	}
}

func atoiPrefix(s string) int {
	n := 0
	for _, r := range s {
		if r < '0' || r > '9' {
			break
		}
		n = n*10 + int(r-'0')
	}
	return n
}

// longQuestion is a search too long for a custom ID: its buttons' and
// menus' state is kept in a store.
const longQuestion = "Iran and the United States after the killing of General Qassem Soleimani in Baghdad in January"

// askLongQuestion starts a bot with a store for such state and asks it;
// the store serves a restarted bot too.
func askLongQuestion(t *testing.T) (*harness, callback, *digest.Store) {
	t.Helper()
	store, err := digest.OpenStore(filepath.Join(t.TempDir(), "state.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	h := start(t, options{deps: bot.Deps{Buttons: store}})
	return h, h.ask(t, "search", map[string]string{"query": longQuestion}, fakediscord.DefaultUser), store
}

// A question too long for a custom ID still pages: its state is kept by
// the bot's store, so that it also pages after a restart.
func TestPagingLongQuestion(t *testing.T) {
	h, first, store := askLongQuestion(t)
	if len(first.Data.Components) == 0 || first.Data.Components[0].Components[0].Label != "Previous" {
		t.Fatalf("a long question's answer should page: footer %q", first.Data.Embeds[0].Footer.Text)
	}
	next := first.Data.Components[0].Components[1]
	if len(next.CustomID) > 100 {
		t.Fatalf("custom ID of %d characters", len(next.CustomID))
	}
	h.cancel() // the first bot stops; a new one (another process, in life) pages
	restarted := start(t, options{deps: bot.Deps{Buttons: store}})
	page2 := restarted.response(t, restarted.press(t, next.CustomID, fakediscord.DefaultUser))
	if page2.Type != 7 || !strings.HasPrefix(page2.Data.Embeds[0].Fields[0].Name, "6.") {
		t.Fatalf("after a restart the long question's Next should show item 6: %+v", page2.Data)
	}
}

// A button's custom ID is the presser's to craft: nothing in it can make
// the bot panic, hang or answer someone else's question as theirs.
// Buttons made before /stance had actor2 and by carry two arguments; they
// still page.
func TestStanceButtonOfEarlierVersion(t *testing.T) {
	h := start(t, options{})
	u := fakediscord.DefaultUser
	cb := h.response(t, h.press(t, "pg|s|"+u.ID+"|5|Iran|", u))
	if cb.Type != 7 || len(cb.Data.Embeds) != 1 || !strings.HasPrefix(cb.Data.Embeds[0].Fields[0].Name, "6.") {
		t.Fatalf("an earlier stance button should show page 2: %+v", cb.Data)
	}
}

func TestCraftedButtons(t *testing.T) {
	h := start(t, options{})
	u := fakediscord.DefaultUser
	for _, id := range []string{
		"pg|f|" + u.ID + "|9223372036854775807|Iran",
		"pg|f|" + u.ID + "|-1|Iran",
		"pg|f|" + u.ID + "|100001|Iran",
		"pg|f|" + u.ID + "|1e9|Iran",
		"pg|f|x|0|Iran",
		"pg|s|" + u.ID + "|0",
		"ps|00000000000000000000|" + u.ID + "|0",
		"ps|../../etc|" + u.ID + "|5",
		"|||||||",
		"pg|f|" + u.ID + "|0|%ZZ",
	} {
		cb := h.response(t, h.press(t, id, u))
		if cb.Type == 7 && !strings.Contains(id, "%ZZ") {
			t.Errorf("%q was taken as a page: %+v", id, cb.Data)
		}
		if cb.Type == 4 && cb.Data.Flags&ephemeral == 0 {
			t.Errorf("%q got a public answer", id)
		}
	}
	// The bot still answers.
	if cb := h.ask(t, "search", map[string]string{"query": "Iran"}, u); len(cb.Data.Embeds) != 1 {
		t.Errorf("after crafted buttons the bot does not answer: %+v", cb.Data)
	}
}

func TestRateLimit(t *testing.T) {
	h := start(t, options{settings: bot.Settings{RateBurst: 2, RateEvery: time.Hour}})
	for i := 0; i < 2; i++ {
		if cb := h.ask(t, "search", map[string]string{"query": "Iran"}, fakediscord.DefaultUser); cb.Data.Flags&ephemeral != 0 {
			t.Fatalf("request %d should be answered: %q", i+1, cb.Data.Content)
		}
	}
	cb := h.ask(t, "search", map[string]string{"query": "Iran"}, fakediscord.DefaultUser)
	if cb.Data.Flags&ephemeral == 0 || !strings.Contains(cb.Data.Content, "Slow down") {
		t.Errorf("third request in the burst: %+v", cb.Data)
	}
	// Another user has their own bucket.
	other := fakediscord.User{ID: "400000000000000077", ChannelID: fakediscord.DefaultUser.ChannelID}
	if cb := h.ask(t, "search", map[string]string{"query": "Iran"}, other); cb.Data.Flags&ephemeral != 0 {
		t.Errorf("another user should not be limited: %q", cb.Data.Content)
	}
}

func TestAllowedChannelsAndRoles(t *testing.T) {
	h := start(t, options{settings: bot.Settings{AllowedChannels: []string{"500000000000000005"}, AllowedRoles: []string{"600000000000000006"}}})
	member := fakediscord.User{ID: "400000000000000004", ChannelID: "500000000000000005", Roles: []string{"600000000000000006"}}
	if cb := h.ask(t, "search", map[string]string{"query": "Iran"}, member); cb.Data.Flags&ephemeral != 0 {
		t.Errorf("allowed member in allowed channel: %q", cb.Data.Content)
	}
	wrongChannel := member
	wrongChannel.ChannelID = "500000000000000050"
	if cb := h.ask(t, "search", map[string]string{"query": "Iran"}, wrongChannel); !strings.Contains(cb.Data.Content, "channel") {
		t.Errorf("other channel: %q", cb.Data.Content)
	}
	noRole := member
	noRole.Roles = []string{}
	if cb := h.ask(t, "search", map[string]string{"query": "Iran"}, noRole); !strings.Contains(cb.Data.Content, "role") {
		t.Errorf("no role: %q", cb.Data.Content)
	}
}

// slow answers after a delay; panicky panics on stance.
type slow struct {
	bot.Briefer
	delay time.Duration
}

func (s slow) Search(ctx context.Context, text string, p brief.Page) (*brief.Answer, error) {
	time.Sleep(s.delay)
	return s.Briefer.Search(ctx, text, p)
}

type panicky struct{ bot.Briefer }

func (panicky) Stance(context.Context, brief.StanceQuery, brief.Page) (*brief.Answer, error) {
	panic("boom")
}

func TestSlowAnswerIsDeferred(t *testing.T) {
	h := start(t, options{briefer: slow{engine, 300 * time.Millisecond}, ackAfter: 50 * time.Millisecond})
	in := h.command(t, "search", map[string]string{"query": "Iran"}, fakediscord.DefaultUser)
	cb := h.response(t, in)
	if cb.Type != 5 {
		t.Fatalf("want a deferred response (type 5) first, got %d", cb.Type)
	}
	body, err := h.fake.Edit(in, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	validate(t, discordspec.EditOriginal, body)
	var edit struct {
		Embeds []embed `json:"embeds"`
	}
	json.Unmarshal(body, &edit)
	if len(edit.Embeds) != 1 {
		t.Fatalf("the edit should carry the answer: %s", body)
	}
	checkFields(t, edit.Embeds[0])
}

func TestPanicIsRecovered(t *testing.T) {
	h := start(t, options{briefer: panicky{engine}})
	cb := h.ask(t, "stance", map[string]string{"topic": "Ukraine"}, fakediscord.DefaultUser)
	if cb.Data.Flags&ephemeral == 0 || !strings.Contains(cb.Data.Content, "went wrong") {
		t.Errorf("panic should be answered with an ephemeral apology: %+v", cb.Data)
	}
	if !strings.Contains(h.logs.String(), "panicked") || !strings.Contains(h.logs.String(), "command=stance") {
		t.Errorf("panic should be logged with the command:\n%s", h.logs)
	}
	if cb := h.ask(t, "search", map[string]string{"query": "Iran"}, fakediscord.DefaultUser); cb.Type != 4 || len(cb.Data.Embeds) != 1 {
		t.Error("the bot should keep answering after a panic")
	}
}

func TestCallbackFailures(t *testing.T) {
	h := start(t, options{})
	// 429 with retry_after: discordgo waits and retries; the answer arrives.
	h.fake.FailNext("/callback", 1, fakediscord.Failure{Status: 429, RetryAfter: 0.2})
	start := time.Now()
	cb := h.ask(t, "search", map[string]string{"query": "Iran"}, fakediscord.DefaultUser)
	if cb.Type != 4 || len(cb.Data.Embeds) != 1 {
		t.Fatalf("after a 429 the answer should still arrive: %+v", cb)
	}
	if time.Since(start) < 200*time.Millisecond {
		t.Error("the retry should wait retry_after")
	}
	// 500 twice: one retry, then the bot gives up, logs it and carries on.
	h.fake.FailNext("/callback", 2, fakediscord.Failure{Status: 500})
	in := h.command(t, "search", map[string]string{"query": "Iran"}, fakediscord.DefaultUser)
	if _, err := h.fake.Callback(in, 2*time.Second); err == nil {
		t.Error("no callback should succeed while the fake returns 500")
	}
	n := 0
	for _, r := range h.fake.Requests() {
		if strings.Contains(r.Path, in.ID) {
			n++
		}
	}
	if n != 2 {
		t.Errorf("want 1 try + 1 retry on 500, got %d", n)
	}
	if !strings.Contains(h.logs.String(), "HTTP 500") {
		t.Errorf("the failure should be logged with its status:\n%s", h.logs)
	}
	if cb := h.ask(t, "search", map[string]string{"query": "Iran"}, fakediscord.DefaultUser); cb.Type != 4 {
		t.Error("the bot should answer the next command")
	}
}

func TestGatewayReconnect(t *testing.T) {
	h := start(t, options{})
	h.fake.Reconnect()
	if err := h.fake.WaitConnected(10*time.Second, 2); err != nil {
		t.Fatal(err)
	}
	if cb := h.ask(t, "search", map[string]string{"query": "Iran"}, fakediscord.DefaultUser); cb.Type != 4 {
		t.Error("no answer after op 7 reconnect")
	}
	h.fake.Drop()
	if err := h.fake.WaitConnected(15*time.Second, 3); err != nil {
		t.Fatal(err)
	}
	if cb := h.ask(t, "search", map[string]string{"query": "Iran"}, fakediscord.DefaultUser); cb.Type != 4 {
		t.Error("no answer after a dropped connection")
	}
}

func TestWrongToken(t *testing.T) {
	fake, err := fakediscord.Start(fakediscord.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer fake.Close()
	client, _ := bot.APIClient(fake.URL+"/api", "", 5*time.Second)
	logs := &fakediscord.Buffer{}
	b := bot.New(bot.Settings{Token: "wrong-token-11111111111111111111"}, engine, bot.Deps{HTTPClient: client, Logger: slog.New(slog.NewTextHandler(logs, nil))})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	err = b.Run(ctx)
	if !errors.Is(err, bot.ErrAuth) {
		t.Fatalf("want ErrAuth, got %v", err)
	}
	if strings.Contains(err.Error()+logs.String(), "wrong-token") {
		t.Error("the token must not appear in errors or logs")
	}
}

// Shutdown waits for the answer in flight before closing the gateway.
func TestShutdownFinishesInFlight(t *testing.T) {
	h := start(t, options{briefer: slow{engine, 500 * time.Millisecond}, ackAfter: 2 * time.Second})
	in, err := h.fake.Command("search", map[string]string{"query": "Iran"}, fakediscord.DefaultUser)
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(100 * time.Millisecond)
	h.cancel()
	body, err := h.fake.Callback(in, 5*time.Second)
	if err != nil || !strings.Contains(string(body), "embeds") {
		t.Fatalf("the answer in flight should be sent before shutdown: %v\nlogs:\n%s", err, h.logs)
	}
	select {
	case err := <-h.done:
		if err != nil {
			t.Errorf("Run: %v", err)
		}
		h.done <- nil
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not return")
	}
}

// /help's examples are words of the corpus in use, not of the bundled one.
func TestHelpExamplesComeFromTheCorpus(t *testing.T) {
	c, err := corpus.Load(fstest.MapFS{
		"a.md": {Data: []byte("---\ntitle: Harbour deal agreed\noutlet: Coast Post\npublished: 2025-03-04\n---\n" +
			"The harbour authority and the fishermen agreed a new harbour lease on Monday.\n\n" +
			"“This keeps the boats in the water,” said Mayor Elin Dahl after the vote on the harbour lease.")},
		"b.md": {Data: []byte("---\ntitle: Harbour lease signed\noutlet: Coast Post\npublished: 2025-03-06\n---\n" +
			"The harbour lease was signed by Norway's fisheries agency on Wednesday.\n\n" +
			"“The lease is fair,” said Mayor Elin Dahl.")},
	})
	if err != nil {
		t.Fatal(err)
	}
	ix, err := index.Build(context.Background(), t.TempDir(), c, index.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	for _, tc := range []struct {
		name    string
		briefer *brief.Engine
		want    []string
	}{
		{"bundled", engine, []string{"/quote speaker:", "/timeline topic:"}},
		{"harbour", brief.New(ix), []string{"/quote speaker:Elin Dahl`", "from:2025-01-01`", "/search query:Harbour"}},
	} {
		h := start(t, options{briefer: tc.briefer})
		cb := h.ask(t, "help", nil, fakediscord.DefaultUser)
		help := fmt.Sprint(cb.Data.Embeds[0].Fields)
		for _, w := range tc.want {
			if !strings.Contains(help, w) {
				t.Errorf("%s: help lacks %q:\n%s", tc.name, w, help)
			}
		}
		if tc.name == "harbour" && (strings.Contains(help, "Qureshi") || strings.Contains(help, "Ukraine")) {
			t.Errorf("help shows the bundled corpus's words for another corpus:\n%s", help)
		}
	}
}
