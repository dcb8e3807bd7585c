package bot_test

import (
	"strings"
	"testing"
	"time"

	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/internal/discordspec"
	"github.com/briefbot/briefbot/internal/fakediscord"
)

// menu returns the options of the answer's select menu with the custom ID.
func menu(cb callback, id string) (labels, values []string) {
	for _, row := range cb.Data.Components {
		for _, c := range row.Components {
			if c.CustomID == id {
				for _, o := range c.Options {
					labels, values = append(labels, o.Label), append(values, o.Value)
				}
			}
		}
	}
	return labels, values
}

// componentID is the custom ID of the answer's last component whose ID
// starts with one of the prefixes ("" when none does).
func componentID(cb callback, prefixes ...string) string {
	id := ""
	for _, row := range cb.Data.Components {
		for _, c := range row.Components {
			for _, p := range prefixes {
				if strings.HasPrefix(c.CustomID, p) {
					id = c.CustomID
				}
			}
		}
	}
	return id
}

func (h *harness) choose(t *testing.T, id, value string, u fakediscord.User) callback {
	t.Helper()
	in, err := h.fake.Select(id, []string{value}, u)
	if err != nil {
		t.Fatal(err)
	}
	return h.response(t, in)
}

func TestOpenAnItemInContext(t *testing.T) {
	h := start(t, options{})
	cb := h.ask(t, "quote", map[string]string{"speaker": "Qureshi"}, fakediscord.DefaultUser)
	labels, values := menu(cb, "cx")
	if len(values) == 0 || len(values) != len(cb.Data.Embeds[0].Fields) {
		t.Fatalf("want one context option per item shown, got %v for %d items", labels, len(cb.Data.Embeds[0].Fields))
	}
	// Someone else may read it in context too; only they see it.
	other := fakediscord.User{ID: "400000000000000055", ChannelID: fakediscord.DefaultUser.ChannelID}
	ctx := h.choose(t, "cx", values[0], other)
	if ctx.Type != 4 || ctx.Data.Flags&ephemeral == 0 || len(ctx.Data.Embeds) != 1 {
		t.Fatalf("context should be a private new message: %+v", ctx)
	}
	e := ctx.Data.Embeds[0]
	if len(e.Fields) < 2 || len(e.Fields) > 3 {
		t.Fatalf("want the paragraph with the ones around it: %+v", e.Fields)
	}
	cited := 0
	for _, f := range e.Fields {
		if strings.Contains(f.Name, "the one cited") {
			cited++
		}
		// Every paragraph shown is verbatim in the article named by the title.
		found := false
		for _, a := range articles.Articles {
			if a.Title != e.Title {
				continue
			}
			for _, p := range a.Paragraphs {
				text := strings.TrimSuffix(unescape.ReplaceAllString(f.Value, "$1"), " …")
				found = found || strings.HasPrefix(p.Text, text)
			}
		}
		if !found {
			t.Errorf("%s is not a paragraph of %q: %q", f.Name, e.Title, f.Value)
		}
	}
	if cited != 1 || !strings.Contains(e.Description, "¶") {
		t.Errorf("the cited paragraph should be marked once: %+v", e)
	}
	for _, bad := range []string{"a|0|x", "a|3|no-such-article.txt", "k|2|article:ffff", "nonsense", "a|99999|" + "004_be0101e0bb6417d3.txt"} {
		if cb := h.choose(t, "cx", bad, other); cb.Data.Flags&ephemeral == 0 || cb.Data.Content == "" {
			t.Errorf("crafted value %q: %+v", bad, cb.Data)
		}
	}
}

func TestFollowUpOnAnItem(t *testing.T) {
	h := start(t, options{})
	tests := []struct {
		command string
		opts    map[string]string
		label   string // of the first follow-up
		heading string // of its answer
	}{
		{"quote", map[string]string{"topic": "restraint"}, "More from ", "Quotes by "},
		{"stance", map[string]string{"topic": "Ukraine"}, "over time, by year", "by year"},
		{"timeline", map[string]string{"topic": "Iran"}, "Around ", "Timeline of \"Iran\" ("},
		{"search", map[string]string{"query": "gas pipeline"}, "Read ", "Article "},
	}
	for _, tc := range tests {
		t.Run(tc.command, func(t *testing.T) {
			cb := h.ask(t, tc.command, tc.opts, fakediscord.DefaultUser)
			labels, values := menu(cb, "fw")
			if len(values) == 0 || !strings.Contains(labels[0], tc.label) {
				t.Fatalf("follow-ups %v", labels)
			}
			// The follow-up is a new public message; its paging is the chooser's.
			other := fakediscord.User{ID: "400000000000000056", ChannelID: fakediscord.DefaultUser.ChannelID}
			next := h.choose(t, "fw", values[0], other)
			if next.Type != 4 || next.Data.Flags&ephemeral != 0 || len(next.Data.Embeds) != 1 {
				t.Fatalf("follow-up answer: %+v", next)
			}
			if !strings.Contains(next.Data.Embeds[0].Title, tc.heading) {
				t.Errorf("follow-up %q answered %q", labels[0], next.Data.Embeds[0].Title)
			}
			checkFields(t, next.Data.Embeds[0])
			for _, row := range next.Data.Components {
				for _, c := range row.Components {
					if strings.HasPrefix(c.CustomID, "pg|") && !strings.Contains(c.CustomID, "|"+other.ID+"|") {
						t.Errorf("the follow-up's paging should be the chooser's: %s", c.CustomID)
					}
				}
			}
		})
	}
	if cb := h.choose(t, "fw", "pg|x|1|0|y", fakediscord.DefaultUser); cb.Data.Flags&ephemeral == 0 {
		t.Errorf("a crafted follow-up: %+v", cb.Data)
	}
}

func TestNarrowAnAnswer(t *testing.T) {
	h := start(t, options{})
	cb := h.ask(t, "search", map[string]string{"query": "Iran"}, fakediscord.DefaultUser)
	narrowID := componentID(cb, "n")
	labels, values := menu(cb, narrowID)
	outlet, choice := "", ""
	for k, l := range labels {
		if strings.HasPrefix(l, "Outlet: ") && outlet == "" {
			outlet, choice = strings.TrimPrefix(l, "Outlet: "), values[k]
		}
	}
	if narrowID == "" || len(narrowID) > 100 || outlet == "" {
		t.Fatalf("want a narrowing menu with outlets: %q %v", narrowID, labels)
	}
	// Only the asker may narrow.
	other := fakediscord.User{ID: "400000000000000057", ChannelID: fakediscord.DefaultUser.ChannelID}
	if no := h.choose(t, narrowID, choice, other); no.Data.Flags&ephemeral == 0 || !strings.Contains(no.Data.Content, "Only <@") {
		t.Errorf("someone else narrowed: %+v", no.Data)
	}
	got := h.choose(t, narrowID, choice, fakediscord.DefaultUser)
	if got.Type != 7 || !strings.Contains(got.Data.Embeds[0].Title, "only "+outlet) {
		t.Fatalf("narrowing should edit the answer in place: type %d, %q", got.Type, got.Data.Embeds[0].Title)
	}
	for _, f := range got.Data.Embeds[0].Fields {
		if !strings.Contains(unescape.ReplaceAllString(f.Value, "$1"), " · "+outlet+" · ") {
			t.Errorf("an item not of %s: %q", outlet, f.Value)
		}
	}
	checkFields(t, got.Data.Embeds[0])
	// The menu of the narrowed answer can undo it; its state is in the custom ID, so a new process reads it.
	labels, values = menu(got, strings.Replace(narrowID, "|0|Iran||", "|0|Iran|"+outlet+"|", 1))
	if len(labels) == 0 || labels[len(labels)-1] != "Show all outlets and dates again" {
		t.Fatalf("the narrowed answer's menu should offer to show all again: %v", labels)
	}
	h2 := start(t, options{})
	again := h2.choose(t, strings.Replace(narrowID, "|0|Iran||", "|0|Iran|"+outlet+"|", 1), values[len(values)-1], fakediscord.DefaultUser)
	if again.Type != 7 || strings.Contains(again.Data.Embeds[0].Title, "only") || again.Data.Embeds[0].Footer.Text != cb.Data.Embeds[0].Footer.Text {
		t.Errorf("showing all again: %q · %q", again.Data.Embeds[0].Title, again.Data.Embeds[0].Footer.Text)
	}
	for _, bad := range []string{"o:" + strings.Repeat("x", 120), "y:20x", "zzz", "s:Qureshi"} {
		if cb := h.choose(t, narrowID, bad, fakediscord.DefaultUser); cb.Data.Flags&ephemeral == 0 {
			t.Errorf("crafted value %q: %+v", bad, cb.Data)
		}
	}
}

func TestNarrowATimelineToAYear(t *testing.T) {
	h := start(t, options{})
	cb := h.ask(t, "timeline", map[string]string{"topic": "Iran"}, fakediscord.DefaultUser)
	id := componentID(cb, "n")
	labels, values := menu(cb, id)
	if len(labels) == 0 || !strings.HasPrefix(labels[0], "Year: ") {
		t.Fatalf("a timeline over several years should offer its years: %v", labels)
	}
	year := strings.TrimPrefix(labels[0], "Year: ")
	got := h.choose(t, id, values[0], fakediscord.DefaultUser)
	if !strings.Contains(got.Data.Embeds[0].Title, "("+year+"-01-01 to "+year+"-12-31)") {
		t.Errorf("narrowed timeline: %q", got.Data.Embeds[0].Title)
	}
}

func TestBriefMeOnAMessage(t *testing.T) {
	h := start(t, options{})
	put, err := h.fake.WaitFor(5*time.Second, func(q fakediscord.Request) bool { return q.Method == "PUT" })
	if err != nil {
		t.Fatal(err)
	}
	validate(t, discordspec.BulkGuildCommands, put.Body)
	if !strings.Contains(string(put.Body), `"type":3,"name":"Brief me on this"`) {
		t.Errorf("the message command is not registered: %s", put.Body)
	}
	in, err := h.fake.MessageCommand("Brief me on this", "Qureshi says Pakistan will not take sides between Iran and the United States, apparently.", fakediscord.DefaultUser)
	if err != nil {
		t.Fatal(err)
	}
	cb := h.response(t, in)
	if cb.Data.Flags&ephemeral == 0 || !strings.Contains(cb.Data.Content, "Qureshi") || len(cb.Data.Embeds) < 2 {
		t.Fatalf("briefing: %q with %d embeds", cb.Data.Content, len(cb.Data.Embeds))
	}
	total := 0
	for _, e := range cb.Data.Embeds {
		checkFields(t, e)
		total += len([]rune(e.Title + e.Description + e.Footer.Text))
		for _, f := range e.Fields {
			total += len([]rune(f.Name + f.Value))
		}
	}
	if total > 6000 {
		t.Errorf("the embeds hold %d characters together", total)
	}
	for _, text := range []string{"", "see you at lunch"} {
		in, _ := h.fake.MessageCommand("Brief me on this", text, fakediscord.DefaultUser)
		if cb := h.response(t, in); cb.Data.Flags&ephemeral == 0 || cb.Data.Content == "" || len(cb.Data.Embeds) != 0 {
			t.Errorf("%q: %+v", text, cb.Data)
		}
	}
}

// A question too long for a custom ID keeps its menus working: their state
// is kept in the data folder, under a key the custom ID carries.
func TestMenusOfALongQuestion(t *testing.T) {
	_, first, store := askLongQuestion(t)
	narrowID := componentID(first, "ns|")
	labels, values := menu(first, narrowID)
	if narrowID == "" || len(values) == 0 {
		t.Fatalf("want a narrowing menu kept by key: %+v", first.Data.Components)
	}
	// Another process, the same data folder.
	h2 := start(t, options{deps: bot.Deps{Buttons: store}})
	got := h2.choose(t, narrowID, values[0], fakediscord.DefaultUser)
	if got.Type != 7 || !strings.Contains(got.Data.Embeds[0].Title, longQuestion) || !strings.Contains(got.Data.Embeds[0].Title, "only") {
		t.Errorf("narrowing %q after a restart: %q", labels[0], got.Data.Embeds[0].Title)
	}
}

// An answer asked for privately stays private through its pages and its follow-ups.
func TestPrivateAnswers(t *testing.T) {
	h := start(t, options{})
	in, err := h.fake.CommandOptions("quote", []fakediscord.Option{{Name: "topic", Type: 3, Value: "Iran"}, {Name: "private", Type: 5, Value: true}}, fakediscord.DefaultUser)
	if err != nil {
		t.Fatal(err)
	}
	first := h.response(t, in)
	if first.Data.Flags&ephemeral == 0 || len(first.Data.Embeds) != 1 || len(first.Data.Components) == 0 {
		t.Fatalf("a private answer: %+v", first.Data)
	}
	next := first.Data.Components[0].Components[1]
	if next.Label != "Next" {
		t.Fatalf("want paging: %+v", first.Data.Components[0])
	}
	page := h.response(t, h.press(t, next.CustomID, fakediscord.DefaultUser))
	if page.Type != 7 || len(page.Data.Embeds) != 1 {
		t.Errorf("paging a private answer should edit it: %+v", page)
	}
	_, values := menu(first, "fw")
	if len(values) == 0 {
		t.Fatal("no follow-ups")
	}
	if f := h.choose(t, "fw", values[0], fakediscord.DefaultUser); f.Type != 4 || f.Data.Flags&ephemeral == 0 || len(f.Data.Embeds) != 1 {
		t.Errorf("the follow-up of a private answer should be private: %+v", f.Data)
	}
	public := h.ask(t, "quote", map[string]string{"topic": "Iran"}, fakediscord.DefaultUser)
	if public.Data.Flags&ephemeral != 0 {
		t.Error("an answer not asked for privately is private")
	}
}

// A comparison narrows to one of its actors; an answer within one year narrows by month.
func TestNarrowToAnActorOrAMonth(t *testing.T) {
	h := start(t, options{})
	cb := h.ask(t, "stance", map[string]string{"topic": "Iran", "actor": "Pakistan", "actor2": "United States"}, fakediscord.DefaultUser)
	id := componentID(cb, "n")
	labels, values := menu(cb, id)
	choice := ""
	for k, l := range labels {
		if l == "Actor: United States" {
			choice = values[k]
		}
	}
	if choice == "" {
		t.Fatalf("a comparison should offer its actors: %v", labels)
	}
	got := h.choose(t, id, choice, fakediscord.DefaultUser)
	if title := got.Data.Embeds[0].Title; !strings.HasPrefix(title, "Stance of United States on") || strings.Contains(title, " vs ") {
		t.Errorf("narrowed to an actor: %q", title)
	}
	tl := h.ask(t, "timeline", map[string]string{"topic": "Iran", "from": "2020-01-01", "to": "2020-12-31"}, fakediscord.DefaultUser)
	id = componentID(tl, "n")
	labels, values = menu(tl, id)
	if len(labels) == 0 || !strings.HasPrefix(labels[0], "Month: 2020-") {
		t.Fatalf("a timeline within one year should offer months: %v", labels)
	}
	month := strings.TrimPrefix(labels[0], "Month: ")
	got = h.choose(t, id, values[0], fakediscord.DefaultUser)
	if !strings.Contains(got.Data.Embeds[0].Title, "("+month+"-01 to "+month+"-") {
		t.Errorf("narrowed to %s: %q", month, got.Data.Embeds[0].Title)
	}
}
