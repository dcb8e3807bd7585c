package bot_test

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/brief"
	"github.com/briefbot/briefbot/cli"
	"github.com/briefbot/briefbot/corrections"
	"github.com/briefbot/briefbot/digest"
	"github.com/briefbot/briefbot/index"
	"github.com/briefbot/briefbot/internal/discordspec"
)

func TestCorrectionsFromReportToAnswer(t *testing.T) {
	data := t.TempDir()
	store, err := digest.OpenStore(filepath.Join(data, "digest.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	book, err := corrections.Open(store, filepath.Join(data, cli.CorrectionsFile))
	if err != nil {
		t.Fatal(err)
	}
	e := brief.New(engine.Index()).WithCorrections(book)
	h := start(t, options{briefer: e, deps: bot.Deps{Corrections: book, Buttons: store}})

	ask := func() callback { return h.ask(t, "quote", map[string]string{"topic": "restraint"}, member) }
	first := ask()
	id := componentID(first, "cg|", "cs|")
	labels, values := menu(first, id)
	if id == "" || len(labels) < 2 || labels[0] != "1. Wrong speaker?" || labels[1] != "1. Not relevant" {
		t.Fatalf("want a correction menu: %q %v", id, labels)
	}
	was := first.Data.Embeds[0].Fields[0].Name

	// A wrong speaker: the form, then the name.
	in, err := h.fake.Select(id, []string{values[0]}, member)
	if err != nil {
		t.Fatal(err)
	}
	body, err := h.fake.Callback(in, 5e9)
	if err != nil {
		t.Fatal(err)
	}
	validate(t, discordspec.InteractionCallback, body)
	var modal struct {
		Type int `json:"type"`
		Data struct {
			CustomID string `json:"custom_id"`
		} `json:"data"`
	}
	json.Unmarshal(body, &modal)
	if modal.Type != 9 || modal.Data.CustomID == "" {
		t.Fatalf("want a form: %s", body)
	}
	in, _ = h.fake.SubmitModal(modal.Data.CustomID, map[string]string{"speaker": "  Maleeha   Lodhi "}, member)
	if cb := h.response(t, in); cb.Data.Flags&ephemeral == 0 || !strings.Contains(cb.Data.Content, "#1") {
		t.Errorf("after the form: %+v", cb.Data)
	}
	if cb := h.choose(t, id, values[1], member); !strings.Contains(cb.Data.Content, "#2") || !strings.Contains(cb.Data.Content, "restraint") {
		t.Errorf("not relevant: %+v", cb.Data)
	}
	for _, crafted := range []string{"s|0|000000000000", "x|0|" + strings.Split(values[0], "|")[2], "s|99|000000000000", "garbage"} {
		if cb := h.choose(t, id, crafted, member); cb.Data.Flags&ephemeral == 0 || !strings.Contains(cb.Data.Content, "no longer") {
			t.Errorf("a crafted item %q: %+v", crafted, cb.Data)
		}
	}
	// On an answer without question words, "not relevant" is refused even when crafted.
	bySpeaker := h.ask(t, "quote", map[string]string{"speaker": "Qureshi"}, member)
	sid := componentID(bySpeaker, "cg|", "cs|")
	slabels, svalues := menu(bySpeaker, sid)
	for _, l := range slabels {
		if strings.Contains(l, "Not relevant") {
			t.Errorf("a quote answer by speaker alone offers %q", l)
		}
	}
	if len(svalues) > 0 {
		crafted := "r" + strings.TrimPrefix(svalues[0], "s")
		if cb := h.choose(t, sid, crafted, member); !strings.Contains(cb.Data.Content, "no longer") {
			t.Errorf("a crafted not-relevant without words: %+v", cb.Data)
		}
	}
	// Pending corrections change nothing yet.
	if again := ask(); again.Data.Embeds[0].Fields[0].Name != was {
		t.Errorf("a pending correction was applied: %q", again.Data.Embeds[0].Fields[0].Name)
	}

	// Review: only admins.
	in, _ = h.fake.Subcommand("corrections", "review", nil, member)
	if cb := h.response(t, in); !strings.Contains(cb.Data.Content, "Only server managers") {
		t.Errorf("a member reviewed: %+v", cb.Data)
	}
	in, _ = h.fake.Subcommand("corrections", "review", nil, manager)
	review := h.response(t, in)
	if !strings.Contains(review.Data.Content, "2 corrections wait") || len(review.Data.Components) != 2 {
		t.Fatalf("review: %+v", review.Data)
	}
	accept := review.Data.Components[0].Components[0].CustomID
	reject := review.Data.Components[1].Components[1].CustomID
	if cb := h.response(t, h.press(t, accept, member)); !strings.Contains(cb.Data.Content, "Only server managers") {
		t.Errorf("a member accepted: %+v", cb.Data)
	}
	if cb := h.response(t, h.press(t, accept, manager)); cb.Type != 7 || !strings.Contains(cb.Data.Content, "#1 accepted") || len(cb.Data.Components) != 1 {
		t.Errorf("after accepting: %+v", cb.Data)
	}
	if cb := h.response(t, h.press(t, reject, manager)); !strings.Contains(cb.Data.Content, "#2 rejected") || !strings.Contains(cb.Data.Content, "No corrections wait") {
		t.Errorf("after rejecting: %+v", cb.Data)
	}

	// Accepted: every later answer says so, also from a rebuilt index.
	after := ask()
	if name := after.Data.Embeds[0].Fields[0].Name; !strings.Contains(name, "Maleeha Lodhi (speaker corrected by the team)") {
		t.Errorf("corrected item: %q (was %q)", name, was)
	}
	rebuilt, err := index.Build(context.Background(), t.TempDir(), articles, index.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer rebuilt.Close()
	ans, err := brief.New(rebuilt).WithCorrections(book).Quote(context.Background(), "", "restraint", brief.Page{Limit: 1})
	if err != nil || ans.Items[0].Speaker != "Maleeha Lodhi" || ans.Items[0].Attribution != brief.ByTeam {
		t.Errorf("after a rebuild: %+v %v", ans.Items, err)
	}

	// The command line reads them while the bot holds the state file.
	var out, errs bytes.Buffer
	env := cli.Env{Stdout: &out, Stderr: &errs, Getenv: func(string) string { return "" }}
	if code := cli.Run(context.Background(), []string{"corrections", "list", "--data", data}, env); code != 0 ||
		!strings.Contains(out.String(), "#1 [accepted] said by Maleeha Lodhi") || !strings.Contains(out.String(), "#2 [rejected] not relevant to \"restraint\"") {
		t.Errorf("corrections list: %d %s %s", code, out.String(), errs.String())
	}
	out.Reset()
	if code := cli.Run(context.Background(), []string{"corrections", "export", "--data", data}, env); code != 0 {
		t.Fatalf("export: %s", errs.String())
	}
	var exported []corrections.Correction
	if err := json.Unmarshal(out.Bytes(), &exported); err != nil || len(exported) != 2 || exported[0].By != member.ID || exported[0].ReviewedBy != manager.ID {
		t.Errorf("export: %v %+v", err, exported)
	}
}
