package app_test

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/briefbot/briefbot/app"
	"github.com/briefbot/briefbot/config"
	"github.com/briefbot/briefbot/digest"
	"github.com/briefbot/briefbot/index"
	"github.com/briefbot/briefbot/internal/fakediscord"
)

// The whole bot as `briefbot serve` wires it, in this process, against the
// fake Discord: an answer, a watch, an article dropped into the inbox and
// the alert it brings; a second bot on the same data folder is refused.
func TestServeEndToEnd(t *testing.T) {
	fake, err := fakediscord.Start(fakediscord.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer fake.Close()
	data := t.TempDir()
	env := map[string]string{
		"DISCORD_API_BASE": fake.URL + "/api", "DISCORD_TOKEN": fake.Token, "DISCORD_GUILD_ID": fake.GuildID,
		"BRIEFBOT_DATA": data, "HTTP_ADDR": "off", "LOG_FORMAT": "text",
	}
	cfg, err := config.Load(func(k string) string { return env[k] }, "")
	if err != nil {
		t.Fatal(err)
	}
	logs := &fakediscord.Buffer{}
	log := slog.New(slog.NewTextHandler(logs, nil))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	a, err := app.New(ctx, cfg, log, logs)
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- a.Run(ctx) }()
	if _, err := fake.WaitFor(10*time.Second, func(r fakediscord.Request) bool { return r.Method == "PUT" }); err != nil {
		t.Fatalf("no commands registered: %v\n%s", err, logs)
	}

	answer := func(in fakediscord.Interaction, err error) string {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		body, err := fake.Callback(in, 10*time.Second)
		if err != nil {
			t.Fatalf("%v\n%s", err, logs)
		}
		return string(body)
	}
	if got := answer(fake.Command("stance", map[string]string{"topic": "Ukraine"}, fakediscord.DefaultUser)); !strings.Contains(got, "Stance of Pakistan") || !strings.Contains(got, "¶") {
		t.Errorf("/stance: %s", got)
	}
	if got := answer(fake.Subcommand("watch", "add", map[string]string{"topic": "harbour"}, fakediscord.DefaultUser)); !strings.Contains(got, "Watch #1 added") {
		t.Errorf("/watch add: %s", got)
	}

	// A second bot on this data folder stops with a clear reason.
	if _, err := app.New(ctx, cfg, log, logs); !errors.Is(err, index.ErrLocked) && !errors.Is(err, digest.ErrLocked) {
		t.Errorf("a second bot on one data folder: %v", err)
	}

	article := "---\ntitle: Harbour lease renewed\noutlet: Coast Post\npublished: 2026-11-30\n---\n" +
		"The harbour authority renewed the fishermen's lease on Monday for ten more years.\n\n" +
		"“This keeps the boats in the water,” said Mayor Elin Dahl after the vote."
	if err := os.WriteFile(filepath.Join(cfg.Inbox, "harbour.md"), []byte(article), 0o644); err != nil {
		t.Fatal(err)
	}
	dm := fake.DirectChannel(fakediscord.DefaultUser.ID)
	deadline := time.Now().Add(40 * time.Second)
	for len(fake.Posted(dm)) == 0 {
		if time.Now().After(deadline) {
			t.Fatalf("no alert for the article dropped into the inbox\n%s", logs)
		}
		time.Sleep(100 * time.Millisecond)
	}
	alert, _ := json.Marshal(fake.Posted(dm)[0])
	if !strings.Contains(string(alert), "Watch #1") || !strings.Contains(string(alert), "Harbour lease renewed") {
		t.Errorf("alert: %s", alert)
	}

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("run: %v", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("the bot did not stop")
	}
	if err := a.Close(); err != nil {
		t.Errorf("close: %v", err)
	}
	if strings.Contains(logs.String(), fake.Token) {
		t.Error("the token reached the logs")
	}
}
