package main

import (
	"bufio"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/briefbot/briefbot/internal/fakediscord"
)

// The real binaries, as two processes: the fake Discord and `briefbot serve`
// pointed at it with DISCORD_API_BASE; one slash command end to end.
func TestTwoProcesses(t *testing.T) {
	if testing.Short() {
		t.Skip("builds two binaries")
	}
	dir := t.TempDir()
	root, _ := filepath.Abs("../..")
	build := func(pkg, out string) string {
		path := filepath.Join(dir, out)
		cmd := exec.Command("go", "build", "-o", path, pkg)
		cmd.Dir = root
		if b, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("build %s: %v\n%s", pkg, err, b)
		}
		return path
	}
	fakeBin := build("./cmd/fakediscord", "fakediscord")
	botBin := build("./cmd/briefbot", "briefbot")

	fake := exec.Command(fakeBin)
	stdin, _ := fake.StdinPipe()
	stdoutPipe, _ := fake.StdoutPipe()
	fake.Stderr = os.Stderr
	if err := fake.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { fake.Process.Kill(); fake.Wait() }()
	lines := make(chan string, 100)
	go func() {
		sc := bufio.NewScanner(stdoutPipe)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	next := func(timeout time.Duration) string {
		select {
		case l := <-lines:
			return l
		case <-time.After(timeout):
			t.Fatal("no output from the fake within the timeout")
		}
		return ""
	}
	var envLine string
	for envLine == "" {
		if l := next(10 * time.Second); strings.Contains(l, "DISCORD_API_BASE=") {
			envLine = l
		}
	}
	env := map[string]string{}
	for _, m := range regexp.MustCompile(`(\w+)=(\S+)`).FindAllStringSubmatch(envLine, -1) {
		env[m[1]] = m[2]
	}

	serve := exec.Command(botBin, "serve")
	serve.Env = append(os.Environ(), "DISCORD_API_BASE="+env["DISCORD_API_BASE"], "DISCORD_TOKEN="+env["DISCORD_TOKEN"],
		"DISCORD_GUILD_ID="+env["DISCORD_GUILD_ID"], "BRIEFBOT_DATA="+filepath.Join(dir, "data"),
		"BRIEFBOT_ENV_FILE="+filepath.Join(dir, "none.env"), "LOG_FORMAT=json")
	logs := &fakediscord.Buffer{}
	serve.Stdout, serve.Stderr = io.Discard, logs
	if err := serve.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { serve.Process.Signal(os.Interrupt); serve.Wait() }()

	start := time.Now()
	for {
		io.WriteString(stdin, "/stance topic:Ukraine\n")
		l := next(15 * time.Second)
		if strings.HasPrefix(l, "== Stance of Pakistan") {
			break
		}
		if time.Since(start) > 30*time.Second {
			t.Fatalf("no answer within 30s; last line %q\nbot logs:\n%s", l, logs.String())
		}
		time.Sleep(300 * time.Millisecond)
	}
	var answer []string
	for l := next(5 * time.Second); l != "--"; l = next(5 * time.Second) {
		answer = append(answer, l)
	}
	text := strings.Join(answer, "\n")
	if !strings.Contains(text, "¶") || !strings.Contains(text, "Ukraine") {
		t.Errorf("answer lacks citations:\n%s", text)
	}
	if strings.Contains(logs.String(), env["DISCORD_TOKEN"]) {
		t.Error("the token appeared in the bot's logs")
	}
	t.Logf("answered in %v after start-up", time.Since(start).Round(time.Millisecond))
}
