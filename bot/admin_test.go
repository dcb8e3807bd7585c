package bot_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"

	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/brief"
	"github.com/briefbot/briefbot/corpus"
	"github.com/briefbot/briefbot/digest"
	"github.com/briefbot/briefbot/index"
	"github.com/briefbot/briefbot/ingest"
	"github.com/briefbot/briefbot/internal/discordspec"
	"github.com/briefbot/briefbot/internal/fakediscord"
	"github.com/briefbot/briefbot/schedule"
)

var (
	member  = fakediscord.User{ID: "400000000000000044", ChannelID: fakediscord.DefaultUser.ChannelID, Permissions: "0"}
	manager = fakediscord.User{ID: "400000000000000045", ChannelID: fakediscord.DefaultUser.ChannelID, Permissions: "32"} // Manage Server
	editor  = fakediscord.User{ID: "400000000000000046", ChannelID: fakediscord.DefaultUser.ChannelID, Permissions: "0", Roles: []string{"700000000000000007"}}
)

// adminRig is a bot with /ingest and /digest, over its own writable index.
type adminRig struct {
	h    *harness
	ix   *index.Index
	svc  *digest.Service
	page *httptest.Server
}

func newAdminRig(t *testing.T) *adminRig {
	t.Helper()
	c, err := corpus.Load(corpus.Bundled())
	if err != nil {
		t.Fatal(err)
	}
	data := t.TempDir()
	ix, err := index.Build(context.Background(), filepath.Join(data, "index"), c, index.Options{Writable: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	engine := brief.New(ix)
	store, err := digest.OpenStore(filepath.Join(data, "digest.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	sched, _ := schedule.Parse("0 8 * * *", time.UTC)
	svc, err := digest.New(digest.Settings{Schedule: sched, CatchUp: time.Hour}, digest.Deps{Store: store, Composer: engine, Clock: clockwork.NewRealClock()})
	if err != nil {
		t.Fatal(err)
	}
	in, err := ingest.New(ingest.Config{Index: ix, Library: filepath.Join(data, "articles"),
		Fetcher: ingest.NewFetcher(ingest.FetchOptions{AllowPrivate: true})})
	if err != nil {
		t.Fatal(err)
	}
	page := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.Write([]byte(`<html><head><title>Harbour deal agreed</title><meta property="og:site_name" content="Coastal Times">
<meta property="article:published_time" content="2026-11-23T10:00:00Z"></head><body><article>
<p>The harbour authority and the fishermen agreed a new lease on Monday after months of talks about the fee.</p>
<p>“This keeps the boats in the water and the jobs in the town,” said Mayor Elin Dahl after the vote in the town hall.</p>
</article></body></html>`))
	}))
	t.Cleanup(page.Close)
	h := start(t, options{briefer: engine, deps: bot.Deps{Ingester: in, Digests: svc}, settings: bot.Settings{AdminRoles: []string{"700000000000000007"}}})
	return &adminRig{h: h, ix: ix, svc: svc, page: page}
}

func (r *adminRig) sub(t *testing.T, name string, opts map[string]string, u fakediscord.User) callback {
	t.Helper()
	in, err := r.h.fake.Subcommand("digest", name, opts, u)
	if err != nil {
		t.Fatal(err)
	}
	return r.h.response(t, in)
}

func TestAdminCommandsAreRegistered(t *testing.T) {
	r := newAdminRig(t)
	put, err := r.h.fake.WaitFor(5*time.Second, func(q fakediscord.Request) bool { return q.Method == "PUT" })
	if err != nil {
		t.Fatal(err)
	}
	validate(t, discordspec.BulkGuildCommands, put.Body)
	var cmds []struct {
		Name string `json:"name"`
	}
	json.Unmarshal(put.Body, &cmds)
	names := map[string]bool{}
	for _, c := range cmds {
		names[c.Name] = true
	}
	if !names["digest"] || !names["ingest"] {
		t.Errorf("commands %+v should include /ingest and /digest", cmds)
	}
	help := r.h.ask(t, "help", nil, member)
	if !strings.Contains(help.Data.Embeds[0].Fields[len(help.Data.Embeds[0].Fields)-1].Name, "/ingest") {
		t.Errorf("/help should list the admin commands: %+v", help.Data.Embeds[0].Fields)
	}
}

func TestDigestCommands(t *testing.T) {
	r := newAdminRig(t)
	channel := "600000000000000066"

	cb := r.sub(t, "subscribe", map[string]string{"time": "07:30", "channel": channel, "timezone": "Europe/Oslo"}, member)
	if cb.Data.Flags&ephemeral == 0 || !strings.Contains(cb.Data.Content, "Only server managers") {
		t.Errorf("a member without rights: %+v", cb.Data)
	}
	cb = r.sub(t, "subscribe", map[string]string{"time": "8am", "channel": channel}, manager)
	if !strings.Contains(cb.Data.Content, `"8am" is not a time of day`) {
		t.Errorf("bad time: %q", cb.Data.Content)
	}
	cb = r.sub(t, "subscribe", map[string]string{"time": "07:30", "channel": channel, "timezone": "Mars/Olympus"}, manager)
	if !strings.Contains(cb.Data.Content, "not a time zone") {
		t.Errorf("bad zone: %q", cb.Data.Content)
	}
	cb = r.sub(t, "subscribe", map[string]string{"time": "07:30", "channel": channel, "timezone": "Europe/Oslo"}, manager)
	if cb.Data.Flags&ephemeral == 0 || !strings.Contains(cb.Data.Content, "<#"+channel+"> gets the digest every day at 07:30 (Europe/Oslo)") {
		t.Errorf("subscribe: %q", cb.Data.Content)
	}
	// A role named in BRIEFBOT_ADMIN_ROLES is enough too.
	cb = r.sub(t, "subscribe", map[string]string{"time": "07:45", "channel": channel}, editor)
	if !strings.Contains(cb.Data.Content, "gets the digest every day at 07:45 (UTC)") {
		t.Errorf("admin role: %q", cb.Data.Content)
	}

	ing, err := r.h.fake.Command("ingest", map[string]string{"url": r.page.URL + "/harbour"}, manager)
	if err != nil {
		t.Fatal(err)
	}
	got := r.h.response(t, ing)
	if got.Data.Flags&ephemeral == 0 || !strings.Contains(got.Data.Content, "Added") || !strings.Contains(got.Data.Content, "Harbour deal agreed") {
		t.Fatalf("ingest: %+v", got.Data)
	}

	cb = r.sub(t, "status", nil, manager)
	for _, want := range []string{"<#" + channel + ">", "`45 7 * * *` UTC", "1 new articles waiting", "not posted yet"} {
		if !strings.Contains(cb.Data.Content, want) {
			t.Errorf("status lacks %q:\n%s", want, cb.Data.Content)
		}
	}
	if cb = r.sub(t, "status", nil, member); !strings.Contains(cb.Data.Content, "Only server managers") {
		t.Errorf("status is for admins: %q", cb.Data.Content)
	}

	// Anyone may preview; it shows the channel's next digest, privately.
	previewUser := member
	previewUser.ChannelID = channel
	cb = r.sub(t, "preview", nil, previewUser)
	if cb.Data.Flags&ephemeral == 0 || !strings.HasPrefix(cb.Data.Content, "**Preview of the next digest**\n1 new article since") ||
		len(cb.Data.Embeds) != 1 || cb.Data.Embeds[0].Title != "Harbour deal agreed" {
		t.Errorf("preview: %+v", cb.Data)
	}

	cb = r.sub(t, "unsubscribe", map[string]string{"channel": channel}, manager)
	if !strings.Contains(cb.Data.Content, "no longer gets the digest") {
		t.Errorf("unsubscribe: %q", cb.Data.Content)
	}
	cb = r.sub(t, "unsubscribe", map[string]string{"channel": channel}, manager)
	if !strings.Contains(cb.Data.Content, "had no digest") {
		t.Errorf("unsubscribe twice: %q", cb.Data.Content)
	}
	if cb = r.sub(t, "status", nil, manager); !strings.Contains(cb.Data.Content, "No channel gets the digest") {
		t.Errorf("status after unsubscribe: %q", cb.Data.Content)
	}
}

func TestIngestCommand(t *testing.T) {
	r := newAdminRig(t)
	ask := func(u fakediscord.User, url string) callback {
		in, err := r.h.fake.Command("ingest", map[string]string{"url": url}, u)
		if err != nil {
			t.Fatal(err)
		}
		return r.h.response(t, in)
	}
	if cb := ask(member, r.page.URL+"/a"); !strings.Contains(cb.Data.Content, "Only server managers") {
		t.Errorf("members may not ingest: %q", cb.Data.Content)
	}
	cb := ask(manager, r.page.URL+"/a "+"ftp://example.com/x")
	if !strings.Contains(cb.Data.Content, "✅ Added <"+r.page.URL+"/a>: **Harbour deal agreed**") ||
		!strings.Contains(cb.Data.Content, "❌ Could not add <ftp://example.com/x>: \"ftp://\": only http and https") {
		t.Errorf("ingest results: %q", cb.Data.Content)
	}
	if cb := ask(manager, r.page.URL+"/a?utm_source=x"); !strings.Contains(cb.Data.Content, "Already in the corpus") {
		t.Errorf("the same page again: %q", cb.Data.Content)
	}
	// What was ingested answers questions at once, cited.
	ans := r.h.ask(t, "quote", map[string]string{"speaker": "Elin Dahl"}, member)
	if len(ans.Data.Embeds) != 1 || !strings.Contains(ans.Data.Embeds[0].Fields[0].Value, "boats in the water") {
		t.Errorf("the ingested quote: %+v", ans.Data)
	}
}
