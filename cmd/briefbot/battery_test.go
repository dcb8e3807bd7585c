package main

// The battery: the real binary, as several processes at once and killed at
// random points, checked for what must hold whatever happens: every
// acknowledged article is indexed exactly once, no index is left broken,
// no secret is printed.

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"math/rand"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/briefbot/briefbot/cli"
	"github.com/briefbot/briefbot/index"
	"github.com/briefbot/briefbot/ingest"
	"github.com/briefbot/briefbot/internal/fakediscord"
)

var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
)

// binary builds briefbot once for the tests of this file.
func binary(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds the binary and runs it as several processes")
	}
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "briefbot-battery-")
		if err != nil {
			buildErr = err
			return
		}
		binPath = filepath.Join(dir, "briefbot")
		out, err := exec.Command("go", "build", "-o", binPath, ".").CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("%v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binPath
}

type run struct {
	code           int
	stdout, stderr string
}

// briefbot runs the binary with a clean environment plus env.
func briefbot(t *testing.T, env []string, args ...string) run {
	t.Helper()
	cmd := exec.Command(binary(t), args...)
	cmd.Env = append([]string{"HOME=" + t.TempDir(), "PATH=" + os.Getenv("PATH")}, env...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	r := run{stdout: out.String(), stderr: errb.String()}
	if ee, ok := err.(*exec.ExitError); ok {
		r.code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("run briefbot %v: %v", args, err)
	}
	return r
}

// writeArticles writes n distinct articles named prefix-NNN.txt into dir.
func writeArticles(t *testing.T, dir, prefix string, n int) []string {
	t.Helper()
	os.MkdirAll(dir, 0o755)
	var names []string
	for i := 0; i < n; i++ {
		name := fmt.Sprintf("%s-%03d.txt", prefix, i)
		text := fmt.Sprintf("%s story %d\n\nThe %s harbour board met on Monday about berth %d, the chair said.\n\n“Berth %d of %s reopens in spring,” said harbour master Ola %s%d.",
			prefix, i, prefix, i, i, prefix, strings.ToUpper(prefix[:1])+prefix[1:], i)
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		names = append(names, name)
	}
	return names
}

// checkLibrary opens the data folder's index as the next command would and
// checks that every article stored in the library is indexed exactly once.
func checkLibrary(t *testing.T, data string) *index.Meta {
	t.Helper()
	ix, err := cli.OpenIndex(context.Background(), cli.Where{Data: data}, os.Stderr, cli.Read)
	if err != nil {
		t.Fatal(err)
	}
	meta := ix.Meta()
	ix.Close() // before Check, which takes the folder's lock
	seen := map[string]int{}
	for _, a := range meta.Articles {
		seen[a.File]++
	}
	entries, _ := os.ReadDir(filepath.Join(data, cli.ArticleFolder))
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".") {
			continue
		}
		if seen[e.Name()] != 1 {
			t.Errorf("%s is stored but indexed %d times", e.Name(), seen[e.Name()])
		}
	}
	for f, n := range seen {
		if n > 1 {
			t.Errorf("%s is indexed %d times", f, n)
		}
	}
	rep, err := index.Check(context.Background(), filepath.Join(data, cli.IndexFolder), mustFS(t, data))
	if err != nil || len(rep.Damage) > 0 || rep.Stale != 0 {
		t.Errorf("index check: %+v %v", rep, err)
	}
	return meta
}

func mustFS(t *testing.T, data string) fs.FS {
	fsys, err := cli.CorpusFS(cli.Where{Data: data})
	if err != nil {
		t.Fatal(err)
	}
	return fsys
}

// Two ingests at once, and an ingest while questions are asked: every
// article either acknowledges is indexed, exactly once.
func TestConcurrentWriters(t *testing.T) {
	data := t.TempDir()
	env := []string{"BRIEFBOT_DATA=" + data}
	if r := briefbot(t, env, "index"); r.code != 0 {
		t.Fatalf("index: %+v", r)
	}
	a, b := t.TempDir(), t.TempDir()
	writeArticles(t, a, "north", 40)
	writeArticles(t, b, "south", 40)
	var wg sync.WaitGroup
	results := make([]run, 4)
	for i, job := range [][]string{{"ingest", a}, {"ingest", b}, {"ask", "search", "harbour"}, {"ask", "quote", "berth"}} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i] = briefbot(t, env, job...)
		}()
	}
	wg.Wait()
	for i, r := range results {
		if r.code != 0 {
			t.Fatalf("process %d: exit %d\n%s\n%s", i, r.code, r.stdout, r.stderr)
		}
	}
	if n := strings.Count(results[0].stdout+results[1].stdout, "added"); n != 80 {
		t.Fatalf("%d of 80 articles acknowledged:\n%s%s", n, results[0].stdout, results[1].stdout)
	}
	meta := checkLibrary(t, data)
	if len(meta.Articles) != 85 {
		t.Errorf("%d articles indexed, want 85 (80 ingested, 5 bundled)", len(meta.Articles))
	}
}

// Ingestions and rebuilds killed at random points lose nothing that was
// stored: the next command indexes every stored article once, and leaves
// no half-written file or build folder behind.
func TestKilledAtRandomPoints(t *testing.T) {
	data := t.TempDir()
	env := []string{"BRIEFBOT_DATA=" + data}
	seed := time.Now().UnixNano()
	t.Logf("kill points from seed %d", seed)
	r := rand.New(rand.NewSource(seed))
	for round := 0; round < 8; round++ {
		src := t.TempDir()
		writeArticles(t, src, fmt.Sprintf("r%dx", round), 30)
		args := []string{"ingest", src}
		if round%3 == 2 {
			args = []string{"index", "--rebuild"}
		}
		cmd := exec.Command(binary(t), args...)
		cmd.Env = append([]string{"HOME=" + t.TempDir()}, env...)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Duration(r.Intn(400)) * time.Millisecond)
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()
		meta := checkLibrary(t, data)
		if left, _ := filepath.Glob(filepath.Join(data, cli.IndexFolder, "build-*")); len(left) > 0 {
			t.Errorf("round %d: build folders left: %v", round, left)
		}
		if t.Failed() {
			t.Fatalf("round %d (%v) broke the library (%d articles)", round, args, len(meta.Articles))
		}
	}
	// The next ingestion removes what a killed one half-wrote.
	if r := briefbot(t, env, "ingest", writeArticlesDir(t)); r.code != 0 {
		t.Fatalf("ingest after the kills: %+v", r)
	}
	if tmp, _ := filepath.Glob(filepath.Join(data, cli.ArticleFolder, ".*")); len(tmp) > 0 {
		t.Errorf("half-written files left: %v", tmp)
	}
}

func writeArticlesDir(t *testing.T) string {
	dir := t.TempDir()
	writeArticles(t, dir, "after", 2)
	return dir
}

// Beside a running bot: a rebuild is refused (the bot's index stays
// whole), an ingestion is handed to the bot's inbox and indexed by it, a
// question is answered; and neither the bot nor any command prints the token.
func TestBesideARunningBot(t *testing.T) {
	fake, err := fakediscord.Start(fakediscord.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer fake.Close()
	data := t.TempDir()
	addr := freeAddr(t)
	env := []string{"BRIEFBOT_DATA=" + data, "DISCORD_TOKEN=" + fake.Token, "DISCORD_API_BASE=" + fake.URL + "/api",
		"DISCORD_GUILD_ID=" + fake.GuildID, "HTTP_ADDR=" + addr, "LOG_FORMAT=json", "BRIEFBOT_ENV_FILE=/nonexistent"}
	bot := exec.Command(binary(t), "serve")
	bot.Env = append([]string{"HOME=" + t.TempDir()}, env...)
	var botLog bytes.Buffer
	bot.Stdout, bot.Stderr = &botLog, &botLog
	if err := bot.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		bot.Process.Signal(syscall.SIGTERM)
		bot.Wait()
		if strings.Contains(botLog.String(), fake.Token) {
			t.Error("the bot's log shows the token")
		}
	}()
	waitReady(t, addr)

	r := briefbot(t, env, "index", "--rebuild")
	if r.code == 0 || !strings.Contains(r.stderr, "running bot") {
		t.Errorf("a rebuild beside the bot: %+v", r)
	}
	src := t.TempDir()
	writeArticles(t, src, "handed", 3)
	if r := briefbot(t, env, "ingest", src); r.code != 0 || !strings.Contains(r.stdout, "queued 3 inputs") {
		t.Fatalf("ingest beside the bot: %+v", r)
	}
	deadline := time.Now().Add(20 * time.Second)
	for {
		files, _ := filepath.Glob(filepath.Join(data, cli.InboxFolder, ingest.InboxDone, "*"))
		if len(files) == 3 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the bot did not take the inbox files: %v\n%s", files, botLog.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
	if r := briefbot(t, env, "ask", "quote", "--speaker", "Ola Handed1"); r.code != 0 || !strings.Contains(r.stdout, "Berth 1 of handed") {
		t.Errorf("a question beside the bot: %+v", r)
	}
	for _, r := range []run{r} {
		if strings.Contains(r.stdout+r.stderr, fake.Token) {
			t.Error("a command printed the token")
		}
	}
	bot.Process.Signal(syscall.SIGTERM)
	bot.Wait()
	meta := checkLibrary(t, data)
	var handed []string
	for _, a := range meta.Articles {
		if strings.Contains(a.Title, "handed") {
			handed = append(handed, a.Title)
		}
	}
	sort.Strings(handed)
	if len(handed) != 3 {
		t.Errorf("handed-over articles indexed: %v", handed)
	}
}

// A .env the bot cannot parse, or a token Discord refuses: a clear line,
// never the token.
func TestTokenNeverPrinted(t *testing.T) {
	fake, err := fakediscord.Start(fakediscord.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer fake.Close()
	secret := "MTAwMDAwMDAwMDAwMDAwMDAx.Gabcde.the-secret-part-of-the-token"
	envFile := filepath.Join(t.TempDir(), ".env")
	os.WriteFile(envFile, []byte("DISCORD_GUILD_ID=200000000000000002\nDISCORD_TOKEN=\""+secret+"\n"), 0o600)
	for _, env := range [][]string{
		{"BRIEFBOT_ENV_FILE=" + envFile},
		{"BRIEFBOT_ENV_FILE=/nonexistent", "DISCORD_TOKEN=" + secret, "DISCORD_API_BASE=" + fake.URL + "/api", "HTTP_ADDR=off", "BRIEFBOT_DATA=" + t.TempDir()},
	} {
		r := briefbot(t, env, "serve")
		if r.code == 0 {
			t.Errorf("serve with a bad token or .env should stop: %+v", r)
		}
		if strings.Contains(r.stdout+r.stderr, "secret-part") {
			t.Errorf("the token was printed:\n%s%s", r.stdout, r.stderr)
		}
	}
}

func freeAddr(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

func waitReady(t *testing.T, addr string) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, err := http.Get("http://" + addr + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatal("the bot did not become ready")
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// A library with no articles yet is a valid start: the bot serves, answers
// say how to add articles, and ingestion fills it.
func TestEmptyStart(t *testing.T) {
	fake, err := fakediscord.Start(fakediscord.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer fake.Close()
	empty, data := t.TempDir(), t.TempDir()
	env := []string{"BRIEFBOT_CORPUS=" + empty, "BRIEFBOT_DATA=" + data}
	if r := briefbot(t, env, "ask", "search", "harbour"); r.code != 0 || !strings.Contains(r.stdout, "no articles yet") {
		t.Fatalf("a question to an empty library: %+v", r)
	}
	addr := freeAddr(t)
	bot := exec.Command(binary(t), "serve")
	bot.Env = append([]string{"HOME=" + t.TempDir(), "DISCORD_TOKEN=" + fake.Token, "DISCORD_API_BASE=" + fake.URL + "/api",
		"DISCORD_GUILD_ID=" + fake.GuildID, "HTTP_ADDR=" + addr, "BRIEFBOT_ENV_FILE=/nonexistent"}, env...)
	var botLog bytes.Buffer
	bot.Stdout, bot.Stderr = &botLog, &botLog
	if err := bot.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { bot.Process.Signal(syscall.SIGTERM); bot.Wait() }()
	waitReady(t, addr)
	src := t.TempDir()
	writeArticles(t, src, "first", 1)
	if r := briefbot(t, env, "ingest", src); r.code != 0 {
		t.Fatalf("ingest: %+v", r)
	}
	deadline := time.Now().Add(20 * time.Second)
	for {
		if r := briefbot(t, env, "ask", "search", "harbour"); strings.Contains(r.stdout, "first harbour board") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the first article never reached the bot's index:\n%s", botLog.String())
		}
		time.Sleep(100 * time.Millisecond)
	}
}
