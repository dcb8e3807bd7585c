// Command fakediscord runs a fake Discord on a loopback port so that anyone
// can try briefbot without a Discord account: start it, start `briefbot
// serve` with the environment it prints, then type slash commands here.
//
//	go run ./cmd/fakediscord
//	/stance topic:Ukraine
//	/quote speaker:Qureshi
//	next            (press Next on the last answer; "prev" for Previous)
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/briefbot/briefbot/internal/fakediscord"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:0", "address to listen on (loopback)")
	flag.Parse()
	s := session{out: os.Stdout}
	fake, err := fakediscord.Start(fakediscord.Options{Addr: *addr, OnPost: func(channel string, body []byte) {
		s.mu.Lock()
		defer s.mu.Unlock()
		fmt.Fprintf(s.out, "== the bot posted in channel %s ==\n", channel)
		s.show(body)
	}})
	if err != nil {
		fmt.Fprintln(os.Stderr, "fakediscord:", err)
		os.Exit(1)
	}
	defer fake.Close()
	fmt.Printf("fake Discord listening on %s\n", fake.URL)
	fmt.Printf("start the bot in another terminal with:\n  DISCORD_API_BASE=%s/api DISCORD_TOKEN=%s DISCORD_GUILD_ID=%s go run ./cmd/briefbot serve\n",
		fake.URL, fake.Token, fake.GuildID)
	fmt.Println("then type slash commands here, such as: /stance topic:Ukraine   (next / prev to page, quit to stop)")
	fmt.Println("or /digest preview, /digest subscribe time:08:00, /ingest url:https://…; messages the bot posts in channels are shown too")

	lines := make(chan string)
	go func() {
		sc := bufio.NewScanner(os.Stdin)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	s.mu.Lock()
	s.fake = fake
	s.mu.Unlock()
	for {
		select {
		case <-sig:
			return
		case line, ok := <-lines:
			if !ok {
				// Input closed: keep serving until interrupted, for scripted use.
				<-sig
				return
			}
			if strings.TrimSpace(line) == "quit" {
				return
			}
			s.mu.Lock()
			s.run(strings.TrimSpace(line))
			s.mu.Unlock()
		}
	}
}

type session struct {
	mu      sync.Mutex // one printout at a time
	fake    *fakediscord.Server
	out     io.Writer
	buttons map[string]string // label → custom ID of the last answer
}

// An option name follows a space (or starts the text): "08:00" and "https:" are values.
var optionRe = regexp.MustCompile(`(?:^|\s)([a-z_]+):`)

// parse reads "/stance topic:Ukraine crisis actor:United States", and
// "/digest subscribe time:08:00" with a subcommand.
func parse(line string) (name, sub string, opts map[string]string, err error) {
	if !strings.HasPrefix(line, "/") {
		return "", "", nil, fmt.Errorf("commands start with /, such as /stance topic:Ukraine")
	}
	name, rest, _ := strings.Cut(strings.TrimPrefix(line, "/"), " ")
	if first, after, _ := strings.Cut(strings.TrimSpace(rest), " "); first != "" && !strings.Contains(first, ":") {
		sub, rest = first, after
	}
	opts = map[string]string{}
	locs := optionRe.FindAllStringSubmatchIndex(rest, -1)
	for i, l := range locs {
		end := len(rest)
		if i+1 < len(locs) {
			end = locs[i+1][0]
		}
		opts[rest[l[2]:l[3]]] = strings.TrimSpace(rest[l[1]:end])
	}
	return name, sub, opts, nil
}

func (s *session) run(line string) {
	if line == "" {
		return
	}
	var in fakediscord.Interaction
	var err error
	switch line {
	case "next", "prev":
		id := s.buttons[map[string]string{"next": "Next", "prev": "Previous"}[line]]
		if id == "" {
			fmt.Fprintln(s.out, "no button to press")
			return
		}
		in, err = s.fake.Press(id, fakediscord.DefaultUser)
	default:
		name, sub, opts, perr := parse(line)
		if perr != nil {
			fmt.Fprintln(s.out, perr)
			return
		}
		if sub != "" {
			in, err = s.fake.Subcommand(name, sub, opts, fakediscord.DefaultUser)
		} else {
			in, err = s.fake.Command(name, opts, fakediscord.DefaultUser)
		}
	}
	if err != nil {
		fmt.Fprintln(s.out, "error:", err, "(is `briefbot serve` connected?)")
		return
	}
	body, err := s.fake.Callback(in, 10*time.Second)
	if err != nil {
		fmt.Fprintln(s.out, "error:", err)
		return
	}
	var cb struct {
		Type int             `json:"type"`
		Data json.RawMessage `json:"data"`
	}
	json.Unmarshal(body, &cb)
	if cb.Type == 5 || cb.Type == 6 {
		fmt.Fprintln(s.out, "(the bot deferred; waiting for its answer)")
		if body, err = s.fake.Edit(in, 30*time.Second); err != nil {
			fmt.Fprintln(s.out, "error:", err)
			return
		}
		cb.Data = body
	}
	s.show(cb.Data)
}

// show prints a reply the way Discord would lay it out, roughly.
func (s *session) show(data []byte) {
	var m struct {
		Content string `json:"content"`
		Flags   int    `json:"flags"`
		Embeds  []struct {
			Title       string `json:"title"`
			Description string `json:"description"`
			Fields      []struct{ Name, Value string }
			Footer      struct{ Text string }
		} `json:"embeds"`
		Components []struct {
			Components []struct {
				Label       string `json:"label"`
				CustomID    string `json:"custom_id"`
				Disabled    bool   `json:"disabled"`
				Placeholder string `json:"placeholder"`
			} `json:"components"`
		} `json:"components"`
	}
	json.Unmarshal(data, &m)
	if m.Flags&64 != 0 {
		fmt.Fprint(s.out, "(only you can see this) ")
	}
	if m.Content != "" {
		fmt.Fprintln(s.out, m.Content)
	}
	for _, e := range m.Embeds {
		fmt.Fprintf(s.out, "== %s ==\n", e.Title)
		if e.Description != "" {
			fmt.Fprintln(s.out, e.Description)
		}
		for _, f := range e.Fields {
			fmt.Fprintf(s.out, "\n%s\n%s\n", f.Name, f.Value)
		}
		fmt.Fprintf(s.out, "\n[%s]\n", e.Footer.Text)
	}
	s.buttons = map[string]string{}
	for _, row := range m.Components {
		for _, b := range row.Components {
			switch {
			case b.Placeholder != "": // a select menu: shown, not typed
				fmt.Fprintf(s.out, "(menu: %s)\n", b.Placeholder)
			case !b.Disabled && (b.Label == "Next" || b.Label == "Previous"):
				s.buttons[b.Label] = b.CustomID
				fmt.Fprintf(s.out, "(%s: type %q)\n", b.Label, strings.ToLower(b.Label[:4]))
			}
		}
	}
	fmt.Fprintln(s.out, "--")
}
