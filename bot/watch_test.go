package bot_test

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"

	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/brief"
	"github.com/briefbot/briefbot/corpus"
	"github.com/briefbot/briefbot/digest"
	"github.com/briefbot/briefbot/index"
	"github.com/briefbot/briefbot/internal/discordspec"
	"github.com/briefbot/briefbot/internal/fakediscord"
	"github.com/briefbot/briefbot/watch"
)

const (
	alertChannel = "600000000000000077"
	alertRole    = "700000000000000088"
	quiet        = 10 * time.Second
)

// watchRig is a bot with /watch on the fake Discord, over an index that
// articles can be added to, with watch state in a folder, on a fake clock.
type watchRig struct {
	*digestRig
	svc   *watch.Service
	store *digest.Store
	logs  *fakediscord.Buffer
}

// newWatchRig starts the bot; with commands set, it offers /watch backed
// by the rig's first service.
func newWatchRig(t *testing.T, commands bool) *watchRig {
	t.Helper()
	d := &digestRig{clock: clockwork.NewFakeClockAt(time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)), state: filepath.Join(t.TempDir(), "digest.db")}
	c, err := corpus.Load(corpus.Bundled())
	if err != nil {
		t.Fatal(err)
	}
	d.ix, err = index.Build(context.Background(), t.TempDir(), c, index.Options{Writable: true, Now: d.clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.ix.Close() })
	d.engine = brief.New(d.ix)
	r := &watchRig{digestRig: d, logs: &fakediscord.Buffer{}}
	r.open(t)
	deps := bot.Deps{}
	if commands {
		deps.Watches = r.svc
	}
	d.h = start(t, options{briefer: d.engine, deps: deps, ackAfter: 10 * time.Second})
	return r
}

// open opens the state file and makes a service on it, as a process start does.
func (r *watchRig) open(t *testing.T) {
	t.Helper()
	store, err := digest.OpenStore(r.state)
	if err != nil {
		t.Fatal(err)
	}
	r.store = store
	r.svc = watch.New(watch.Settings{Quiet: quiet, MaxWait: 2 * time.Minute, Backoff: []time.Duration{}},
		watch.Deps{Store: store, Finder: r.engine, Index: r.ix, Clock: r.clock, Logger: slog.New(slog.NewTextHandler(r.logs, nil))})
}

// run runs the service until the returned stop, which also closes the
// state file.
func (r *watchRig) run(t *testing.T, p watch.Publisher) (stop func()) {
	t.Helper()
	if p == nil {
		p = r.h.bot
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- r.svc.Run(ctx, p) }()
	var once sync.Once
	stop = func() {
		once.Do(func() {
			cancel()
			<-done
			r.store.Close()
		})
	}
	t.Cleanup(stop)
	r.idle(t) // the look at start is over
	return stop
}

func (r *watchRig) command(t *testing.T, sub string, u fakediscord.User, opts ...fakediscord.Option) callback {
	t.Helper()
	in, err := r.h.fake.SubcommandOptions("watch", sub, opts, u)
	if err != nil {
		t.Fatal(err)
	}
	return r.h.response(t, in)
}

func str(name, value string) fakediscord.Option {
	return fakediscord.Option{Name: name, Type: 3, Value: value}
}

// settle advances the clock past the quiet time until n messages are in
// channel, and then a while longer to see that no more come.
func (r *watchRig) settle(t *testing.T, channel string, n int) []alertMessage {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for len(r.h.fake.Posted(channel)) < n {
		if time.Now().After(deadline) {
			t.Fatalf("want %d messages in %s, have %d\nlogs:\n%s\n%s", n, channel, len(r.h.fake.Posted(channel)), r.logs, r.h.logs)
		}
		r.idle(t)
		r.clock.Advance(quiet)
		time.Sleep(5 * time.Millisecond)
	}
	for range 3 {
		r.idle(t)
		r.clock.Advance(quiet)
	}
	r.idle(t)
	return r.alerts(t, channel)
}

type alertMessage struct {
	Content         string  `json:"content"`
	Nonce           string  `json:"nonce"`
	EnforceNonce    bool    `json:"enforce_nonce"`
	Embeds          []embed `json:"embeds"`
	AllowedMentions struct {
		Parse []string `json:"parse"`
		Roles []string `json:"roles"`
		Users []string `json:"users"`
	} `json:"allowed_mentions"`
}

// alerts returns the messages posted in channel, each checked against
// Discord's spec and for verbatim, correctly cited snippets.
func (r *watchRig) alerts(t *testing.T, channel string) []alertMessage {
	t.Helper()
	var out []alertMessage
	for _, m := range r.h.fake.Posted(channel) {
		body, _ := json.Marshal(m)
		validate(t, discordspec.MessageCreate, stripServerFields(body))
		var a alertMessage
		json.Unmarshal(body, &a)
		for _, e := range a.Embeds {
			r.checkCited(t, e)
		}
		out = append(out, a)
	}
	return out
}

var citeLine = regexp.MustCompile(`^— (?:\[(.*)\]\(.*\)|(.*?)) · .* · ¶(\d+)$`)

// checkCited asserts each field's snippet is in the paragraph of the
// rig's article its citation names.
func (r *watchRig) checkCited(t *testing.T, e embed) {
	t.Helper()
	for _, f := range e.Fields {
		lines := strings.Split(f.Value, "\n")
		var snippet []string
		var m []string
		for _, l := range lines {
			if m = citeLine.FindStringSubmatch(l); m != nil {
				break
			}
			snippet = append(snippet, l)
		}
		if m == nil {
			t.Fatalf("no citation in %q", f.Value)
		}
		title := unescape.ReplaceAllString(m[1]+m[2], "$1")
		var para int
		fmt.Sscanf(m[3], "%d", &para)
		found := false
		for _, a := range r.ix.Meta().Articles {
			if a.Title != title {
				continue
			}
			found = true
			paras, _, err := r.ix.Search(context.Background(), index.Query{Kind: index.KindParagraph, Article: a.ID, Order: index.ByPosition, Size: 100})
			if err != nil {
				t.Fatal(err)
			}
			text := unescape.ReplaceAllString(strings.Join(snippet, "\n"), "$1")
			for _, part := range strings.Split(text, brief.Ellipsis) {
				if part = strings.TrimSpace(part); part != "" && (para < 1 || para > len(paras) || !strings.Contains(paras[para-1].Text, part)) {
					t.Errorf("%q is not in ¶%d of %q", part, para, title)
				}
			}
		}
		if !found {
			t.Errorf("citation %q names no article", m[0])
		}
	}
}

const ferryBody = "The ferry crews ended their strike on Saturday after a new offer from the operator.\n\n" +
	"“We got what we asked for,” said union steward Kari Moe at the quay."

func TestWatchCommandsAndAlerts(t *testing.T) {
	r := newWatchRig(t, true)
	r.run(t, nil)
	put, err := r.h.fake.WaitFor(5*time.Second, func(q fakediscord.Request) bool { return q.Method == "PUT" })
	if err != nil {
		t.Fatal(err)
	}
	validate(t, discordspec.BulkGuildCommands, put.Body)
	if !strings.Contains(string(put.Body), `"name":"watch"`) {
		t.Error("/watch is not registered")
	}
	if help := r.h.ask(t, "help", nil, member); !strings.Contains(fmt.Sprint(help.Data.Embeds[0].Fields), "/watch add") {
		t.Error("/help does not mention /watch")
	}
	in, err := r.h.fake.SubcommandAutocomplete("watch", "add", map[string]string{"speaker": "Qure"}, "speaker", member)
	if err != nil {
		t.Fatal(err)
	}
	if ac := r.h.response(t, in); len(ac.Data.Choices) == 0 || !strings.Contains(ac.Data.Choices[0].Name, "Qureshi") {
		t.Errorf("autocomplete of a watch's speaker: %+v", ac.Data.Choices)
	}

	// A member's watch comes to them as a direct message.
	cb := r.command(t, "add", member, str("topic", "harbour lease"))
	if cb.Data.Flags&ephemeral == 0 || !strings.Contains(cb.Data.Content, "Watch #1 added") || !strings.Contains(cb.Data.Content, "direct message") {
		t.Fatalf("member's add: %+v", cb.Data)
	}
	dm := r.h.fake.DirectChannel(member.ID)
	if dm == "" {
		t.Fatal("no direct-message channel was opened")
	}
	open, err := r.h.fake.WaitFor(time.Second, func(q fakediscord.Request) bool { return strings.HasSuffix(q.Path, "/users/@me/channels") })
	if err != nil {
		t.Fatal(err)
	}
	validate(t, discordspec.CreateDM, open.Body)
	cb = r.command(t, "add", member, str("speaker", "Elin Dahl"))
	if !strings.Contains(cb.Data.Content, "Watch #2 added: quotations of Elin Dahl") {
		t.Fatalf("speaker watch: %q", cb.Data.Content)
	}

	// Members may not post to a channel or mention a role; admins may.
	for _, opts := range [][]fakediscord.Option{
		{str("topic", "ferry"), {Name: "channel", Type: 7, Value: alertChannel}},
		{str("topic", "ferry"), {Name: "role", Type: 8, Value: alertRole}},
	} {
		if cb := r.command(t, "add", member, opts...); !strings.Contains(cb.Data.Content, "Only server managers") {
			t.Errorf("a member's channel or role watch: %q", cb.Data.Content)
		}
	}
	if cb := r.command(t, "add", manager, str("topic", "ferry"), fakediscord.Option{Name: "role", Type: 8, Value: r.h.fake.GuildID}); !strings.Contains(cb.Data.Content, "@everyone") {
		t.Errorf("a watch mentioning @everyone: %q", cb.Data.Content)
	}
	cb = r.command(t, "add", manager, str("topic", "ferry strike"), fakediscord.Option{Name: "channel", Type: 7, Value: alertChannel}, fakediscord.Option{Name: "role", Type: 8, Value: alertRole})
	if !strings.Contains(cb.Data.Content, "Watch #3 added") || !strings.Contains(cb.Data.Content, "<#"+alertChannel+"> mentioning <@&"+alertRole+">") {
		t.Fatalf("admin's channel watch: %q", cb.Data.Content)
	}
	for _, bad := range [][]fakediscord.Option{{}, {str("actor", "Iran")}} {
		if cb := r.command(t, "add", member, bad...); !strings.HasPrefix(cb.Data.Content, "Not added:") {
			t.Errorf("add %v: %q", bad, cb.Data.Content)
		}
	}

	// Lists: a member sees their own, an admin all of them.
	if cb := r.command(t, "list", member); !strings.Contains(cb.Data.Content, "**#1**") || !strings.Contains(cb.Data.Content, "**#2**") || strings.Contains(cb.Data.Content, "**#3**") {
		t.Errorf("member's list: %q", cb.Data.Content)
	}
	if cb := r.command(t, "list", manager); !strings.Contains(cb.Data.Content, "**#1**") || !strings.Contains(cb.Data.Content, "**#3**") || !strings.Contains(cb.Data.Content, "by <@"+member.ID+">") {
		t.Errorf("admin's list: %q", cb.Data.Content)
	}

	// A matching ingestion: one alert per watch, verbatim and cited.
	r.add(t, "Harbour deal agreed", harbourBody)
	dms := r.settle(t, dm, 2)
	if len(dms) != 2 {
		t.Fatalf("want one alert for each of the member's two watches, have %d", len(dms))
	}
	for _, a := range dms {
		if !strings.HasPrefix(a.Content, "**Watch #") || len(a.Embeds) != 1 || len(a.Embeds[0].Fields) == 0 {
			t.Errorf("alert: %+v", a)
		}
		if !a.EnforceNonce || a.Nonce == "" || len(a.Nonce) > 25 {
			t.Errorf("alert without a usable nonce: %q", a.Nonce)
		}
		if len(a.AllowedMentions.Parse) != 0 || len(a.AllowedMentions.Roles) != 0 {
			t.Errorf("a direct alert allows mentions: %+v", a.AllowedMentions)
		}
	}
	if strings.Contains(dms[0].Embeds[0].Fields[0].Value+dms[1].Embeds[0].Fields[0].Value, "ferry") {
		t.Error("the harbour alerts show the ferry")
	}
	if n := len(r.h.fake.Posted(alertChannel)); n != 0 {
		t.Errorf("the ferry watch matched the harbour article: %d messages", n)
	}

	// A second ingestion matches the admin's watch only, mentioning its role and nothing else.
	r.add(t, "Ferry strike ends", ferryBody)
	posts := r.settle(t, alertChannel, 1)
	if len(posts) != 1 {
		t.Fatalf("want one alert in the channel, have %d", len(posts))
	}
	a := posts[0]
	if !strings.Contains(a.Content, "<@&"+alertRole+">") || strings.Contains(a.Content, "@everyone") {
		t.Errorf("channel alert content: %q", a.Content)
	}
	if a.AllowedMentions.Parse == nil || len(a.AllowedMentions.Parse) != 0 || len(a.AllowedMentions.Users) != 0 ||
		len(a.AllowedMentions.Roles) != 1 || a.AllowedMentions.Roles[0] != alertRole {
		t.Errorf("allowed mentions should list exactly the role: %+v", a.AllowedMentions)
	}
	if len(r.h.fake.Posted(dm)) != 2 {
		t.Errorf("the ferry article reached the member's harbour watches")
	}
	if cb := r.command(t, "list", member); !strings.Contains(cb.Data.Content, " · 1 alert, <t:") {
		t.Errorf("a list after one alert each: %q", cb.Data.Content)
	}

	// Removing: not someone else's, one's own, an unknown one.
	if cb := r.command(t, "remove", manager, fakediscord.Option{Name: "id", Type: 4, Value: 1}); !strings.Contains(cb.Data.Content, "removed") {
		t.Errorf("an admin removes a member's watch: %q", cb.Data.Content)
	}
	if cb := r.command(t, "remove", editor, fakediscord.Option{Name: "id", Type: 4, Value: 2}); strings.Contains(cb.Data.Content, "removed") {
		t.Errorf("someone else removed the member's watch: %q", cb.Data.Content)
	}
	if cb := r.command(t, "remove", member, fakediscord.Option{Name: "id", Type: 4, Value: 2}); !strings.Contains(cb.Data.Content, "Watch #2 removed") {
		t.Errorf("the member removes their own: %q", cb.Data.Content)
	}
	if cb := r.command(t, "remove", member, fakediscord.Option{Name: "id", Type: 4, Value: 99}); !strings.Contains(cb.Data.Content, "no watch #99") {
		t.Errorf("removing an unknown watch: %q", cb.Data.Content)
	}
	if cb := r.command(t, "list", member); !strings.Contains(cb.Data.Content, "You have no watches") {
		t.Errorf("member's list after removing: %q", cb.Data.Content)
	}
	// A removed watch is not matched any more; the one left still is.
	r.add(t, "Harbour dredging starts", harbourDredging)
	if n := len(r.settle(t, dm, 2)); n != 2 {
		t.Errorf("removed watches alerted: %d direct messages, want still 2", n)
	}
	r.add(t, "Ferry timetable restored", "The ferry strike left a gap in the timetable that the operator closed on Monday with extra sailings.")
	if n := len(r.settle(t, alertChannel, 2)); n != 2 {
		t.Errorf("the watch left: %d alerts in its channel, want 2", n)
	}
}

const harbourDredging = "Dredging of the harbour basin began on Thursday so that larger trawlers can moor at the north quay.\n\n" +
	"“Deeper water means the fleet can land its catch here again,” said harbour master Jon Berg."

func TestWatchBurstGivesOneAlertPerWatch(t *testing.T) {
	r := newWatchRig(t, false)
	r.run(t, nil)
	ctx := context.Background()
	for _, q := range []brief.WatchQuery{{Topic: "harbour"}, {Speaker: "Elin Dahl"}} {
		if _, _, err := r.svc.Add(ctx, watch.Watch{Owner: member.ID, Channel: alertChannel, Query: q}); err != nil {
			t.Fatal(err)
		}
	}
	r.clock.Advance(time.Second)
	// A feed with 200 new items, applied as ingestion does, without pause.
	for batch := range 20 {
		var change index.Change
		change.Hashes = map[string]string{}
		for k := range 10 {
			n := batch*10 + k
			name := fmt.Sprintf("feed-%03d.md", n)
			body := fmt.Sprintf("The harbour board met for session %d and weighed berth %d of quay %c.\n\n“We will decide on berth %d by spring,” said Mayor Elin Dahl after session %d.",
				n, n*7, 'A'+rune(n%26), n*7, n)
			a, err := corpus.Parse(name, []byte(fmt.Sprintf("---\ntitle: Harbour board session %d\noutlet: Test Wire\npublished: 2026-11-29\n---\n%s", n, body)))
			if err != nil {
				t.Fatal(err)
			}
			change.Upsert = append(change.Upsert, a)
			change.Hashes[name] = name
		}
		if err := r.ix.Apply(ctx, change, index.Options{Now: r.clock.Now}); err != nil {
			t.Fatal(err)
		}
	}
	posts := r.settle(t, alertChannel, 2)
	if len(posts) != 2 {
		t.Fatalf("200 new items gave %d alerts for 2 watches", len(posts))
	}
	for _, p := range posts {
		if !strings.Contains(p.Content, "The first ") || !strings.Contains(p.Content, " matches") {
			t.Errorf("an alert of many matches should say how many it shows: %q", p.Content)
		}
		if !strings.Contains(p.Embeds[0].Description, "200 articles arrived") {
			t.Errorf("the alert should say what arrived: %q", p.Embeds[0].Description)
		}
	}
}

// crashingAlerts is a publisher whose process dies around a send.
type crashingAlerts struct {
	watch.Publisher
	after bool // the message reaches Discord first
	stop  func()
	sends chan struct{}
}

func (c *crashingAlerts) Send(ctx context.Context, channel string, body json.RawMessage, nonce string) (string, error) {
	if c.after {
		c.Publisher.Send(ctx, channel, body, nonce)
	}
	c.sends <- struct{}{}
	go c.stop()
	<-ctx.Done()
	return "", ctx.Err()
}

func TestWatchRestartAroundTheSend(t *testing.T) {
	for _, after := range []bool{false, true} {
		t.Run(fmt.Sprintf("posted=%v", after), func(t *testing.T) {
			r := newWatchRig(t, false)
			if _, _, err := r.svc.Add(context.Background(), watch.Watch{Owner: member.ID, Channel: alertChannel, Query: brief.WatchQuery{Topic: "harbour"}}); err != nil {
				t.Fatal(err)
			}
			crash := &crashingAlerts{Publisher: r.h.bot, after: after, sends: make(chan struct{}, 1)}
			crash.stop = r.run(t, crash)
			r.add(t, "Harbour deal agreed", harbourBody)
			r.idle(t)
			r.clock.Advance(quiet)
			select {
			case <-crash.sends:
			case <-time.After(10 * time.Second):
				t.Fatalf("the alert was never sent\nlogs:\n%s", r.logs)
			}
			crash.stop()
			// The next process finds the alert recorded, and finishes it.
			r.open(t)
			ws, err := r.svc.List("")
			if err != nil || len(ws) != 1 || ws[0].Intent == nil {
				t.Fatalf("after the crash the alert should be recorded: %+v %v", ws, err)
			}
			r.run(t, nil)
			posts := r.settle(t, alertChannel, 1)
			if len(posts) != 1 {
				t.Fatalf("want exactly one alert after the restart, have %d", len(posts))
			}
			ws, _ = r.svc.List("")
			if ws[0].Intent != nil || ws[0].Alerts != 1 || ws[0].LastMessage == "" {
				t.Errorf("the alert should be complete: %+v", ws[0])
			}
		})
	}
}

func TestWatchAlertRefusedIsShown(t *testing.T) {
	r := newWatchRig(t, true)
	r.run(t, nil)
	if _, _, err := r.svc.Add(context.Background(), watch.Watch{Owner: manager.ID, Channel: alertChannel, Query: brief.WatchQuery{Topic: "harbour"}}); err != nil {
		t.Fatal(err)
	}
	r.h.fake.FailNext("/channels/"+alertChannel+"/messages", 1, fakediscord.Failure{Status: http.StatusForbidden})
	r.add(t, "Harbour deal agreed", harbourBody)
	r.idle(t)
	r.clock.Advance(quiet)
	deadline := time.Now().Add(10 * time.Second)
	for ws, _ := r.svc.List(""); ws[0].LastError == ""; ws, _ = r.svc.List("") {
		if time.Now().After(deadline) {
			t.Fatalf("the refusal was not recorded\nlogs:\n%s", r.logs)
		}
		time.Sleep(5 * time.Millisecond)
	}
	cb := r.command(t, "list", manager)
	if !strings.Contains(cb.Data.Content, "⚠️") || !strings.Contains(cb.Data.Content, "Send Messages") {
		t.Errorf("a refused alert should be shown in the list: %q", cb.Data.Content)
	}
	// The next batch goes out once the channel is open again.
	r.add(t, "Harbour dredging starts", harbourDredging)
	if posts := r.settle(t, alertChannel, 1); len(posts) != 1 {
		t.Errorf("want the next alert, have %d", len(posts))
	}
}

func TestWatchAlertsWaitOutRateLimits(t *testing.T) {
	r := newWatchRig(t, false)
	r.run(t, nil)
	channels := []string{"600000000000000101", "600000000000000102", "600000000000000103"}
	for _, c := range channels {
		if _, _, err := r.svc.Add(context.Background(), watch.Watch{Owner: manager.ID, Channel: c, Query: brief.WatchQuery{Topic: "harbour"}}); err != nil {
			t.Fatal(err)
		}
	}
	// Discord says "slow down" to the first sends, across channels.
	r.h.fake.FailNext("/messages", 3, fakediscord.Failure{Status: http.StatusTooManyRequests, RetryAfter: 0.05})
	r.add(t, "Harbour deal agreed", harbourBody)
	for _, c := range channels {
		if posts := r.settle(t, c, 1); len(posts) != 1 {
			t.Errorf("%s: want one alert, have %d", c, len(posts))
		}
	}
	limited := 0
	for _, q := range r.h.fake.Requests() {
		if q.Status == http.StatusTooManyRequests {
			limited++
		}
	}
	if limited != 3 {
		t.Errorf("%d sends were told to slow down, want 3", limited)
	}
	ws, _ := r.svc.List("")
	for _, w := range ws {
		if w.Alerts != 1 || w.Intent != nil {
			t.Errorf("watch %s: %+v", w.ID, w)
		}
	}
}
