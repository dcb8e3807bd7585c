package bot_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"regexp"
	"strconv"
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
	"github.com/briefbot/briefbot/schedule"
)

const digestChannel = "600000000000000006"

// digestRig is a bot on the fake Discord, an index that articles can be
// added to, and digest state in a folder, all on one fake clock.
type digestRig struct {
	h      *harness
	clock  *clockwork.FakeClock
	ix     *index.Index
	engine *brief.Engine
	state  string
	n      int
}

func newDigestRig(t *testing.T, at time.Time) *digestRig {
	t.Helper()
	r := &digestRig{clock: clockwork.NewFakeClockAt(at), state: filepath.Join(t.TempDir(), "digest.db")}
	c, err := corpus.Load(corpus.Bundled())
	if err != nil {
		t.Fatal(err)
	}
	r.ix, err = index.Build(context.Background(), t.TempDir(), c, index.Options{Writable: true, Now: r.clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.ix.Close() })
	r.engine = brief.New(r.ix)
	r.h = start(t, options{})
	return r
}

// add ingests an article a second from now (on the fake clock).
func (r *digestRig) add(t *testing.T, title, body string) {
	t.Helper()
	r.clock.Advance(time.Second)
	r.n++
	name := fmt.Sprintf("new-%03d.md", r.n)
	a, err := corpus.Parse(name, []byte("---\ntitle: "+title+"\noutlet: Test Wire\npublished: 2026-10-20\n---\n"+body))
	if err != nil {
		t.Fatal(err)
	}
	if err := r.ix.Apply(context.Background(), index.Change{Upsert: []*corpus.Article{a}, Hashes: map[string]string{name: name}}, index.Options{Now: r.clock.Now}); err != nil {
		t.Fatal(err)
	}
}

// running is one run of the digest service, as in one process's life.
type running struct {
	svc    *digest.Service
	store  *digest.Store
	cancel context.CancelFunc
	done   chan error
}

func (r *digestRig) run(t *testing.T, s digest.Settings, p digest.Publisher) *running {
	t.Helper()
	store, err := digest.OpenStore(r.state)
	if err != nil {
		t.Fatal(err)
	}
	if s.Channel == "" {
		s.Channel = digestChannel
	}
	if s.Schedule.String() == "" || s.Schedule.Location() == nil {
		s.Schedule, _ = schedule.Parse("0 8 * * *", time.UTC)
	}
	if s.CatchUp == 0 {
		s.CatchUp = 6 * time.Hour
	}
	if s.Backoff == nil {
		s.Backoff = []time.Duration{}
	}
	svc, err := digest.New(s, digest.Deps{Store: store, Composer: r.engine, Clock: r.clock, Logger: slog.New(slog.NewTextHandler(r.h.logs, nil))})
	if err != nil {
		t.Fatal(err)
	}
	if p == nil {
		p = r.h.bot
	}
	ctx, cancel := context.WithCancel(context.Background())
	run := &running{svc: svc, store: store, cancel: cancel, done: make(chan error, 1)}
	go func() { run.done <- svc.Run(ctx, p) }()
	t.Cleanup(run.stop)
	return run
}

// stop ends the run as a process exit would, and releases the state file.
func (run *running) stop() {
	run.cancel()
	<-run.done
	run.store.Close()
	run.done <- nil // a second stop returns at once
}

// idle waits until the service sleeps on the clock.
func (r *digestRig) idle(t *testing.T) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := r.clock.BlockUntilContext(ctx, 1); err != nil {
		t.Fatalf("the digest service did not go back to sleep: %v", err)
	}
}

// advanceTo moves the fake clock to t once the service sleeps.
func (r *digestRig) advanceTo(t *testing.T, to time.Time) {
	t.Helper()
	r.idle(t)
	r.clock.Advance(to.Sub(r.clock.Now()))
}

// posts returns the messages in the digest channel, checking each body
// against Discord's spec and limits.
func (r *digestRig) posts(t *testing.T) []postedMessage {
	t.Helper()
	var out []postedMessage
	for _, m := range r.h.fake.Posted(digestChannel) {
		body, _ := json.Marshal(m)
		validate(t, discordspec.MessageCreate, stripServerFields(body))
		var pm postedMessage
		json.Unmarshal(body, &pm)
		out = append(out, pm)
	}
	return out
}

// stripServerFields removes what the fake added (id, author, timestamp)
// so that the body checked is the one the bot sent.
func stripServerFields(body []byte) []byte {
	var m map[string]interface{}
	json.Unmarshal(body, &m)
	for _, k := range []string{"id", "author", "timestamp", "channel_id"} {
		delete(m, k)
	}
	out, _ := json.Marshal(m)
	return out
}

type postedMessage struct {
	ID      string  `json:"id"`
	Content string  `json:"content"`
	Nonce   string  `json:"nonce"`
	Embeds  []embed `json:"embeds"`
}

func (r *digestRig) waitPosts(t *testing.T, n int) []postedMessage {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for len(r.h.fake.Posted(digestChannel)) < n {
		if time.Now().After(deadline) {
			t.Fatalf("want %d digest messages, have %d", n, len(r.h.fake.Posted(digestChannel)))
		}
		time.Sleep(10 * time.Millisecond)
	}
	return r.posts(t)
}

func subscription(t *testing.T, path string) digest.Subscription {
	t.Helper()
	st, err := digest.OpenStore(path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	sub, _, err := st.Subscription(digestChannel)
	if err != nil {
		t.Fatal(err)
	}
	return sub
}

const harbourBody = "The harbour authority and the fishermen agreed a new lease on Wednesday after months of talks.\n\n" +
	"“This keeps the boats in the water and the jobs in the town,” said Mayor Elin Dahl after the vote."

func TestDigestScheduleAcrossDaylightSaving(t *testing.T) {
	oslo, err := time.LoadLocation("Europe/Oslo")
	if err != nil {
		t.Skip("no time zone data:", err)
	}
	sched, _ := schedule.Parse("0 8 * * *", oslo)
	// Summer time ends in Oslo on Sunday 25 October 2026 at 03:00.
	r := newDigestRig(t, time.Date(2026, 10, 24, 4, 0, 0, 0, time.UTC))
	run := r.run(t, digest.Settings{Schedule: sched, PostEmpty: true}, nil)
	r.idle(t)
	r.add(t, "Harbour deal agreed", harbourBody)

	r.advanceTo(t, time.Date(2026, 10, 24, 6, 0, 0, 0, time.UTC)) // 08:00 CEST
	posts := r.waitPosts(t, 1)
	if !strings.HasPrefix(posts[0].Content, "**Digest for Sat 24 Oct 2026 08:00 CEST**\n1 new article since") {
		t.Errorf("first digest: %q", posts[0].Content)
	}
	if len(posts[0].Embeds) != 1 || posts[0].Embeds[0].Title != "Harbour deal agreed" || len(posts[0].Embeds[0].Fields) == 0 {
		t.Fatalf("first digest embeds: %+v", posts[0].Embeds)
	}
	r.checkVerbatim(t, posts)
	r.add(t, "Ferry strike ends", "The ferry crews ended their strike on Saturday after a new offer.\n\n“We got what we asked for,” said union steward Kari Moe.")

	// A day later by the wall clock is 07:00 UTC: 08:00 CET.
	r.advanceTo(t, time.Date(2026, 10, 25, 6, 0, 0, 0, time.UTC))
	r.idle(t)
	if n := len(r.h.fake.Posted(digestChannel)); n != 1 {
		t.Fatalf("posted at 06:00 UTC on the day summer time ended: %d messages", n)
	}
	r.advanceTo(t, time.Date(2026, 10, 25, 7, 0, 0, 0, time.UTC))
	posts = r.waitPosts(t, 2)
	if !strings.HasPrefix(posts[1].Content, "**Digest for Sun 25 Oct 2026 08:00 CET**\n1 new article since Sat 24 Oct 2026 08:00 CEST") {
		t.Errorf("second digest: %q", posts[1].Content)
	}
	if len(posts[1].Embeds) != 1 || posts[1].Embeds[0].Title != "Ferry strike ends" {
		t.Errorf("the second digest should hold only the new article: %+v", posts[1].Embeds)
	}
	r.idle(t)
	run.stop()
	sub := subscription(t, r.state)
	if want := time.Date(2026, 10, 26, 7, 0, 0, 0, time.UTC); !sub.NextDue.Equal(want) {
		t.Errorf("next due %v, want %v", sub.NextDue, want)
	}
}

// crashing is a publisher whose process dies around a send.
type crashing struct {
	real  digest.Publisher
	after bool // the message reaches Discord first
	stop  func()
	mu    sync.Mutex
	sends int
}

func (c *crashing) Render(d *brief.Digest, loc *time.Location, label func(i, n int) string) ([]json.RawMessage, error) {
	return c.real.Render(d, loc, label)
}

func (c *crashing) Find(ctx context.Context, channel, label string) (string, bool, error) {
	return c.real.Find(ctx, channel, label)
}

func (c *crashing) Send(ctx context.Context, channel string, body json.RawMessage, nonce string) (string, error) {
	c.mu.Lock()
	c.sends++
	c.mu.Unlock()
	if c.after {
		c.real.Send(ctx, channel, body, nonce)
	}
	c.stop()
	<-ctx.Done()
	return "", ctx.Err()
}

func TestDigestRestartInEveryPhase(t *testing.T) {
	due := time.Date(2026, 11, 24, 8, 0, 0, 0, time.UTC)
	tests := []struct {
		name string
		// crash, when set, kills the first run in the middle of posting.
		crash *crashing
		// findFails makes the restart unable to list the channel: then only
		// the nonce keeps Discord from posting twice.
		findFails bool
	}{
		{"before the post", &crashing{}, false},
		{"after the post, before the state write", &crashing{after: true}, false},
		{"after the post, before the state write, listing fails", &crashing{after: true}, true},
		{"after both", nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newDigestRig(t, due.Add(-time.Hour))
			var first *running
			if tt.crash != nil {
				tt.crash.real = r.h.bot
				first = r.run(t, digest.Settings{}, tt.crash)
				tt.crash.stop = first.cancel
			} else {
				first = r.run(t, digest.Settings{}, nil)
			}
			r.idle(t)
			r.add(t, "Harbour deal agreed", harbourBody)
			r.advanceTo(t, due)
			if tt.crash != nil {
				<-first.done
				first.done <- nil
			} else {
				r.waitPosts(t, 1)
				r.idle(t)
			}
			first.stop()
			before := len(r.h.fake.Posted(digestChannel))
			if tt.crash != nil && tt.crash.after != (before == 1) {
				t.Fatalf("after the crash Discord has %d messages", before)
			}

			// The restart: a new process on the same data folder, a minute later.
			r.clock.Advance(time.Minute)
			if tt.findFails {
				// The restart's first call is the listing; it fails.
				r.h.fake.FailNext("/channels/"+digestChannel+"/messages", 1, fakediscord.Failure{Status: 500})
			}
			second := r.run(t, digest.Settings{}, nil)
			r.idle(t)
			posts := r.waitPosts(t, 1)
			if len(posts) != 1 {
				t.Fatalf("%d digest messages after the restart, want exactly 1", len(posts))
			}
			second.stop()
			sub := subscription(t, r.state)
			if sub.LastPosted.IsZero() || len(sub.LastMessages) != 1 || sub.LastMessages[0] != posts[0].ID {
				t.Errorf("state after the restart: %+v (message %s)", sub, posts[0].ID)
			}
			if !sub.NextDue.Equal(due.Add(24 * time.Hour)) {
				t.Errorf("next due %v", sub.NextDue)
			}
		})
	}
}

func TestDigestCatchUpWindow(t *testing.T) {
	due := time.Date(2026, 11, 24, 8, 0, 0, 0, time.UTC)
	tests := []struct {
		name     string
		downFrom time.Time
		backAt   time.Time
		posts    int
	}{
		{"back 2h after the time", due.Add(-time.Hour), due.Add(2 * time.Hour), 1},
		{"back 7h after the time: too late", due.Add(-time.Hour), due.Add(7 * time.Hour), 0},
		{"down three days, back 1h after today's time: one digest", due.Add(-73 * time.Hour), due.Add(time.Hour), 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newDigestRig(t, tt.downFrom)
			first := r.run(t, digest.Settings{PostEmpty: true}, nil)
			r.idle(t)
			first.stop()
			r.add(t, "Harbour deal agreed", harbourBody)
			r.clock.Advance(tt.backAt.Sub(r.clock.Now()))
			second := r.run(t, digest.Settings{PostEmpty: true}, nil)
			r.idle(t)
			time.Sleep(50 * time.Millisecond)
			r.idle(t)
			got := len(r.h.fake.Posted(digestChannel))
			if got != tt.posts {
				t.Fatalf("%d digest messages, want %d", got, tt.posts)
			}
			second.stop()
			sub := subscription(t, r.state)
			if tt.posts == 1 && !strings.Contains(r.posts(t)[0].Content, "Digest for Tue 24 Nov 2026 08:00 UTC") {
				t.Errorf("the catch-up digest is labelled for today's time: %q", r.posts(t)[0].Content)
			}
			if tt.posts == 0 {
				if !strings.Contains(sub.LastError, "missed the digest") {
					t.Errorf("a missed digest should be reported: %+v", sub)
				}
				if sub.Since.After(due) {
					t.Errorf("a missed digest must leave its articles for the next one: since %v", sub.Since)
				}
			}
			if !sub.NextDue.Equal(due.Add(24 * time.Hour)) {
				t.Errorf("next due %v, want tomorrow", sub.NextDue)
			}
		})
	}
}

func TestDigestSplitsLongDigestInOrder(t *testing.T) {
	due := time.Date(2026, 11, 24, 8, 0, 0, 0, time.UTC)
	r := newDigestRig(t, due.Add(-time.Hour))
	run := r.run(t, digest.Settings{}, nil)
	r.idle(t)
	for i := 0; i < 25; i++ {
		// 25 stories, not one story 25 times (which the digest shows once).
		long := strings.Repeat(fmt.Sprintf("The council debated part %d of the harbour budget line by line for the whole afternoon session. ", i+1), 6)
		r.add(t, fmt.Sprintf("Harbour budget, part %d", i+1), long+"\n\n“"+long+"” said Mayor Elin Dahl on Monday.\n\nThe vote is due on Friday.")
	}
	r.advanceTo(t, due)
	r.idle(t)
	run.stop()
	posts := r.posts(t)
	if len(posts) < 3 {
		t.Fatalf("25 long articles should need several messages, got %d", len(posts))
	}
	embeds := 0
	for i, p := range posts {
		want := fmt.Sprintf("**Digest for Tue 24 Nov 2026 08:00 UTC · part %d of %d**", i+1, len(posts))
		if !strings.HasPrefix(p.Content, want) {
			t.Errorf("message %d starts %q, want %q", i, firstLine(p.Content), want)
		}
		if i > 0 && !(len(p.ID) > len(posts[i-1].ID) || p.ID > posts[i-1].ID) {
			t.Errorf("messages out of order: %s after %s", p.ID, posts[i-1].ID)
		}
		embeds += len(p.Embeds)
	}
	if embeds != 25 {
		t.Errorf("%d article embeds, want 25", embeds)
	}
	r.checkVerbatim(t, posts)
	if sub := subscription(t, r.state); len(sub.LastMessages) != len(posts) {
		t.Errorf("state records %d messages, want %d", len(sub.LastMessages), len(posts))
	}
}

// A digest never drops an article: past the ones shown in full, every
// other new article is listed by title, in messages within Discord's limits.
func TestDigestOfManyArticlesDropsNone(t *testing.T) {
	due := time.Date(2026, 11, 24, 8, 0, 0, 0, time.UTC)
	r := newDigestRig(t, due.Add(-time.Hour))
	run := r.run(t, digest.Settings{}, nil)
	r.idle(t)
	const n = 84
	for i := 0; i < n; i++ {
		r.add(t, fmt.Sprintf("Harbour note %02d", i+1), fmt.Sprintf("Harbour note %d says berth %d reopened on Monday.", i+1, i+1))
	}
	r.advanceTo(t, due)
	r.idle(t)
	run.stop()
	all := ""
	for _, p := range r.posts(t) {
		size := 0
		for _, e := range p.Embeds {
			all += e.Title + "\n" + e.Description + "\n"
			size += len([]rune(e.Title)) + len([]rune(e.Description))
			for _, f := range e.Fields {
				size += len([]rune(f.Name)) + len([]rune(f.Value))
			}
		}
		if size > 6000 || len(p.Embeds) > 10 {
			t.Errorf("a message of %d embeds and %d characters", len(p.Embeds), size)
		}
	}
	for i := 0; i < n; i++ {
		if title := fmt.Sprintf("Harbour note %02d", i+1); !strings.Contains(all, title) {
			t.Errorf("%q is in no digest message", title)
		}
	}
}

var paraRef = regexp.MustCompile(` \(¶(\d+)\)$`)

// checkVerbatim asserts that every quotation and event of a digest message
// is text of the paragraph it cites, in the article the embed names.
func (r *digestRig) checkVerbatim(t *testing.T, posts []postedMessage) {
	t.Helper()
	byTitle := map[string]string{}
	for _, a := range r.ix.Meta().Articles {
		byTitle[a.Title] = a.ID
	}
	for _, p := range posts {
		for _, e := range p.Embeds {
			id, ok := byTitle[e.Title]
			if !ok {
				t.Fatalf("embed %q names no article", e.Title)
			}
			paras, _, err := r.ix.Search(context.Background(), index.Query{Kind: index.KindParagraph, Article: id, Order: index.ByPosition, Size: 100})
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range e.Fields {
				m := paraRef.FindStringSubmatch(f.Value)
				if m == nil {
					t.Fatalf("field without a paragraph: %q", f.Value)
				}
				n, _ := strconv.Atoi(m[1])
				text := unescape.ReplaceAllString(strings.TrimSuffix(f.Value, m[0]), "$1")
				text = strings.TrimSuffix(text, " "+brief.Ellipsis)
				if n < 1 || n > len(paras) || !strings.Contains(paras[n-1].Text, text) {
					t.Errorf("%q is not in ¶%d of %q", text, n, e.Title)
				}
			}
		}
	}
}

func firstLine(s string) string { l, _, _ := strings.Cut(s, "\n"); return l }

func TestDigestRejectedByDiscord(t *testing.T) {
	due := time.Date(2026, 11, 24, 8, 0, 0, 0, time.UTC)
	t.Run("missing permission: reported, not retried, not marked posted", func(t *testing.T) {
		r := newDigestRig(t, due.Add(-time.Hour))
		run := r.run(t, digest.Settings{}, nil)
		r.idle(t)
		r.add(t, "Harbour deal agreed", harbourBody)
		r.h.fake.FailNext("/channels/"+digestChannel+"/messages", 1, fakediscord.Failure{Status: 403})
		r.advanceTo(t, due)
		r.idle(t)
		run.stop()
		sub := subscription(t, r.state)
		if !strings.Contains(sub.LastError, "Missing Permissions") || !sub.LastPosted.IsZero() || sub.Since.After(due) {
			t.Errorf("after a 403: %+v", sub)
		}
		if n := len(r.h.fake.Posted(digestChannel)); n != 0 {
			t.Errorf("%d messages posted", n)
		}
		if !strings.Contains(r.h.logs.String(), "Missing Permissions") {
			t.Error("the failure should be logged with its reason")
		}
	})
	t.Run("server errors: retried with back-off, posted once", func(t *testing.T) {
		r := newDigestRig(t, due.Add(-time.Hour))
		run := r.run(t, digest.Settings{Backoff: []time.Duration{time.Second, 5 * time.Second}}, nil)
		r.idle(t)
		r.add(t, "Harbour deal agreed", harbourBody)
		r.h.fake.FailNext("/channels/"+digestChannel+"/messages", 2, fakediscord.Failure{Status: 500})
		r.advanceTo(t, due)
		r.advanceTo(t, due.Add(time.Second))
		r.advanceTo(t, due.Add(6*time.Second))
		posts := r.waitPosts(t, 1)
		r.idle(t)
		run.stop()
		if len(posts) != 1 {
			t.Fatalf("%d messages", len(posts))
		}
		if sub := subscription(t, r.state); sub.LastPosted.IsZero() || sub.LastError != "" {
			t.Errorf("after retries: %+v", sub)
		}
	})
	t.Run("rate limited: waited out", func(t *testing.T) {
		r := newDigestRig(t, due.Add(-time.Hour))
		run := r.run(t, digest.Settings{}, nil)
		r.idle(t)
		r.add(t, "Harbour deal agreed", harbourBody)
		r.h.fake.FailNext("/channels/"+digestChannel+"/messages", 1, fakediscord.Failure{Status: 429, RetryAfter: 0.05})
		r.advanceTo(t, due)
		r.waitPosts(t, 1)
		r.idle(t)
		run.stop()
	})
}

func TestDigestEmpty(t *testing.T) {
	due := time.Date(2026, 11, 24, 8, 0, 0, 0, time.UTC)
	for _, postEmpty := range []bool{true, false} {
		t.Run(fmt.Sprint("post empty ", postEmpty), func(t *testing.T) {
			r := newDigestRig(t, due.Add(-time.Hour))
			run := r.run(t, digest.Settings{PostEmpty: postEmpty}, nil)
			r.advanceTo(t, due)
			r.idle(t)
			run.stop()
			posts := r.posts(t)
			if postEmpty && (len(posts) != 1 || !strings.Contains(posts[0].Content, "Nothing new since Tue 24 Nov 2026 07:00 UTC") || len(posts[0].Embeds) != 0) {
				t.Errorf("empty digest: %+v", posts)
			}
			if !postEmpty && len(posts) != 0 {
				t.Errorf("nothing should be posted: %+v", posts)
			}
			if sub := subscription(t, r.state); !sub.NextDue.Equal(due.Add(24 * time.Hour)) {
				t.Errorf("next due %v", sub.NextDue)
			}
		})
	}
}

func TestSecondBotOnTheSameDataFolder(t *testing.T) {
	path := filepath.Join(t.TempDir(), "digest.db")
	first, err := digest.OpenStore(path)
	if err != nil {
		t.Fatal(err)
	}
	defer first.Close()
	_, err = digest.OpenStore(path)
	if !errors.Is(err, digest.ErrLocked) || !strings.Contains(err.Error(), "twice") {
		t.Fatalf("want a clear lock error, got %v", err)
	}
}

var _ digest.Publisher = (*bot.Bot)(nil)
