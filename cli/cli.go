// Package cli is briefbot's command line: it parses arguments, opens the
// corpus and index, and prints answers as text or JSON.
package cli

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"github.com/briefbot/briefbot/brief"
	"github.com/briefbot/briefbot/config"
	"github.com/briefbot/briefbot/corpus"
	"github.com/briefbot/briefbot/index"
	"github.com/briefbot/briefbot/render"
)

// Version is set at build time with -ldflags "-X .../cli.Version=...".
var Version = "dev"

// Env is what a command needs from the process, passed in so tests can fake it.
type Env struct {
	Stdout, Stderr io.Writer
	Getenv         func(string) string
	// Serve runs the Discord bot and Healthcheck asks a running one whether it
	// is ready; main wires them in so this package stays free of Discord.
	Serve       func(ctx context.Context, args []string, env Env) error
	Healthcheck func(ctx context.Context, args []string, env Env) error
}

// usageError is a mistake in the arguments: exit 2 with a hint.
type usageError struct{ msg, usage string }

func (e *usageError) Error() string { return e.msg }

const usage = `usage:
  briefbot ask [--corpus DIR] [--data DIR] [--json] [--limit N] [--offset N] stance TOPIC [--actor NAME]... [--by year|month]
  briefbot ask ... timeline [TOPIC] [--from YYYY-MM-DD] [--to YYYY-MM-DD]
  briefbot ask ... quote [--speaker NAME] [TOPIC]
  briefbot ask ... search TEXT
  briefbot ask ... source ARTICLE
  briefbot index [--corpus DIR] [--data DIR]
  briefbot ingest [--corpus DIR] [--data DIR] [--json] FILE|FOLDER|URL...   (.txt .md .html .url, web pages, RSS/Atom feeds)
  briefbot digest [--corpus DIR] [--data DIR] [--json] [--since 24h|7d|YYYY-MM-DD] [--tz ZONE]
  briefbot watch [--corpus DIR] [--data DIR] [--json] [--limit N] [--since 24h|7d|YYYY-MM-DD] --topic WORDS [--actor NAME] | --speaker NAME [--topic WORDS]
  briefbot corrections list|export [--data DIR] [--pending]   (the team's corrections, as the bot last saved them)
  briefbot serve            (the Discord bot; configured by environment, see .env.example)
  briefbot healthcheck      (exit 0 when the running bot is ready; for container health checks)
  briefbot version`

// Run executes one command line and returns the process exit code.
func Run(ctx context.Context, args []string, env Env) int {
	err := run(ctx, args, env)
	var ue *usageError
	var ie *brief.InputError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &ue):
		fmt.Fprintf(env.Stderr, "briefbot: %s\n", ue.msg)
		hint := ue.usage
		if hint == "" {
			hint = usage
		}
		fmt.Fprintln(env.Stderr, hint)
		return 2
	case errors.As(err, &ie):
		fmt.Fprintf(env.Stderr, "briefbot: %s\n", ie.Msg)
		return 2
	case errors.Is(err, context.Canceled):
		fmt.Fprintln(env.Stderr, "briefbot: interrupted")
		return 130
	default:
		fmt.Fprintf(env.Stderr, "briefbot: %v\n", err)
		return 1
	}
}

func run(ctx context.Context, args []string, env Env) error {
	if len(args) == 0 {
		return &usageError{msg: "no command given"}
	}
	switch args[0] {
	case "ask":
		return ask(ctx, args[1:], env)
	case "index":
		return buildIndex(ctx, args[1:], env)
	case "ingest":
		return ingestCmd(ctx, args[1:], env)
	case "digest":
		return digestCmd(ctx, args[1:], env)
	case "watch":
		return watchCmd(ctx, args[1:], env)
	case "corrections":
		return correctionsCmd(ctx, args[1:], env)
	case "serve":
		if env.Serve == nil {
			return errors.New("this build has no Discord bot")
		}
		return env.Serve(ctx, args[1:], env)
	case "healthcheck":
		if env.Healthcheck == nil {
			return errors.New("this build has no Discord bot")
		}
		return env.Healthcheck(ctx, args[1:], env)
	case "version", "--version", "-v":
		fmt.Fprintf(env.Stdout, "briefbot %s\n", Version)
		return nil
	case "help", "--help", "-h":
		fmt.Fprintln(env.Stdout, usage)
		return nil
	}
	return &usageError{msg: fmt.Sprintf("unknown command %q", args[0])}
}

// Where says which corpus and data folder to use.
type Where struct {
	Corpus string // "" for the bundled corpus
	// Data holds the index, the ingested articles and the inbox; "" for a
	// folder per corpus in the user's cache.
	Data string
}

// Layout of a data folder.
const (
	IndexFolder   = "index"
	ArticleFolder = "articles" // ingested articles, one .md file each
	InboxFolder   = "inbox"    // files dropped here are ingested
)

// IndexDir, ArticleDir and InboxDir are the folders under the data folder.
func (w Where) IndexDir() string   { return filepath.Join(w.Data, IndexFolder) }
func (w Where) ArticleDir() string { return filepath.Join(w.Data, ArticleFolder) }
func (w Where) InboxDir() string   { return filepath.Join(w.Data, InboxFolder) }

// commandFlags is a command's flag set with --corpus and --data, whose
// defaults come from the environment (BRIEFBOT_CORPUS, BRIEFBOT_DATA) as for
// the bot; parsing fills in the returned Where.
func commandFlags(name string, env Env) (*flag.FlagSet, *Where) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	w := &Where{}
	fs.StringVar(&w.Corpus, "corpus", env.Getenv("BRIEFBOT_CORPUS"), "folder of articles (default: the bundled corpus)")
	fs.StringVar(&w.Data, "data", env.Getenv("BRIEFBOT_DATA"), "data folder: index and ingested articles (default: in the user's cache folder)")
	return fs, w
}

// Resolve fills in the default data folder: one per corpus in the user's
// cache, as for the bot.
func (w Where) Resolve() (Where, error) {
	if w.Data != "" {
		return w, nil
	}
	var err error
	w.Data, err = config.DefaultDataDir(w.Corpus)
	return w, err
}

func orBundled(dir string) string {
	if dir == "" {
		return "the bundled corpus"
	}
	return dir
}

// CorpusFS is the corpus as the index sees it: the corpus folder (or the
// bundled articles) with the ingested articles beside them.
func CorpusFS(w Where) (fs.FS, error) {
	var base fs.FS = corpus.Bundled()
	if w.Corpus != "" {
		if st, err := os.Stat(w.Corpus); err != nil || !st.IsDir() {
			if err == nil {
				err = errors.New("not a folder")
			}
			return nil, fmt.Errorf("open corpus %s: %w", w.Corpus, err)
		}
		base = corpus.DirFS(w.Corpus)
	}
	return corpus.Overlay(base, corpus.DirFS(w.ArticleDir())), nil
}

// Access says what a process does with the index it opens.
type Access int

const (
	// Read answers questions.
	Read Access = iota
	// Write ingests articles.
	Write
	// Serve is the bot: it writes, and holds the index for its whole life.
	Serve
)

// OpenIndex opens the index of the chosen corpus, building or updating it
// (with a progress bar when stderr is a terminal) only when the articles
// changed or it is missing or damaged. The index is this process's alone
// until closed: another briefbot command waits for it, and it fails with
// index.ErrResident while a bot holds the data folder.
func OpenIndex(ctx context.Context, w Where, stderr io.Writer, access Access) (*index.Index, error) {
	w, err := w.Resolve()
	if err != nil {
		return nil, err
	}
	fsys, err := CorpusFS(w)
	if err != nil {
		return nil, err
	}
	ix, note, err := index.Open(ctx, w.IndexDir(), fsys, index.Options{Progress: progress(stderr),
		Writable: access != Read, Resident: access == Serve})
	if err != nil {
		if errors.Is(err, index.ErrLocked) {
			return nil, fmt.Errorf("%w: stop the briefbot using %s, or pass another --data folder", err, w.Data)
		}
		return nil, fmt.Errorf("%s: %w", orBundled(w.Corpus), err)
	}
	if note != "" {
		fmt.Fprintf(stderr, "briefbot: %s in %s\n", note, w.IndexDir())
		for _, p := range ix.Head().Problems {
			fmt.Fprintf(stderr, "briefbot: skipped %s: %s\n", p.File, p.Reason)
		}
	}
	return ix, nil
}

// openForQuestions is OpenIndex for a question: when a running bot holds
// the index, the question is answered from a temporary index of its own.
func openForQuestions(ctx context.Context, w Where, stderr io.Writer) (ix *index.Index, cleanup func(), err error) {
	ix, err = OpenIndex(ctx, w, stderr, Read)
	if err == nil {
		return ix, func() { ix.Close() }, nil
	}
	if !errors.Is(err, index.ErrResident) {
		return nil, nil, err
	}
	resolved, _ := w.Resolve()
	fsys, err := CorpusFS(resolved)
	if err != nil {
		return nil, nil, err
	}
	tmp, err := os.MkdirTemp("", "briefbot-ask-")
	if err != nil {
		return nil, nil, fmt.Errorf("make a temporary index folder: %w", err)
	}
	fmt.Fprintf(stderr, "briefbot: the index in %s is in use by a running bot; answering from a temporary index\n", resolved.Data)
	ix, _, err = index.Open(ctx, tmp, fsys, index.Options{Progress: progress(stderr)})
	if err != nil {
		os.RemoveAll(tmp)
		return nil, nil, err
	}
	return ix, func() { ix.Close(); os.RemoveAll(tmp) }, nil
}

// progress shows a bar for builds of many articles on a terminal.
func progress(stderr io.Writer) func(done, total int) {
	f, ok := stderr.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return nil
	}
	var bar *progressbar.ProgressBar
	return func(done, total int) {
		if total < 200 {
			return
		}
		if bar == nil {
			bar = progressbar.NewOptions(total, progressbar.OptionSetWriter(f), progressbar.OptionSetDescription("indexing articles"),
				progressbar.OptionShowCount(), progressbar.OptionShowIts(), progressbar.OptionClearOnFinish())
		}
		_ = bar.Set(done)
	}
}

func buildIndex(ctx context.Context, args []string, env Env) error {
	fs, where := commandFlags("index", env)
	rebuild := fs.Bool("rebuild", false, "build the index anew, whatever state it is in")
	check := fs.Bool("check", false, "read the whole index and say whether it is sound and current; change nothing")
	if rest, err := parseInterleaved(fs, args); err != nil || len(rest) > 0 {
		if err == nil {
			err = fmt.Errorf("index takes no words, only flags (got %q)", strings.Join(rest, " "))
		}
		return &usageError{msg: err.Error()}
	}
	if *rebuild && *check {
		return &usageError{msg: "--rebuild and --check do different things: give one"}
	}
	w, err := where.Resolve()
	if err != nil {
		return err
	}
	fsys, err := CorpusFS(w)
	if err != nil {
		return err
	}
	if *check {
		return checkIndex(ctx, w, fsys, env)
	}
	var ix *index.Index
	if *rebuild {
		s, err := corpus.OpenStream(fsys)
		if err != nil {
			return err
		}
		if ix, err = index.BuildStream(ctx, w.IndexDir(), s, index.Options{Progress: progress(env.Stderr), Writable: true}); err != nil {
			return lockedHint(err, w)
		}
		for _, p := range s.Corpus().Problems {
			fmt.Fprintf(env.Stderr, "briefbot: skipped %s: %s\n", p.File, p.Reason)
		}
	} else {
		if ix, err = OpenIndex(ctx, w, env.Stderr, Write); err != nil {
			return err
		}
		// Damage that no question has met yet is found by reading it all.
		ix.Close()
		rep, err := index.Check(ctx, w.IndexDir(), fsys)
		if err != nil {
			return lockedHint(err, w)
		}
		if len(rep.Damage) > 0 {
			fmt.Fprintf(env.Stderr, "briefbot: the index was damaged (%s); rebuilding it\n", rep.Damage[0])
		}
		if ix, err = OpenIndex(ctx, w, env.Stderr, Write); err != nil {
			return err
		}
	}
	defer ix.Close()
	n, _ := ix.DocCount()
	fmt.Fprintf(env.Stdout, "indexed %d articles (%d documents) into %s\n", len(ix.Meta().Articles), n, ix.Path())
	return nil
}

// checkIndex is briefbot index --check: exit 1 when the index is damaged or stale.
func checkIndex(ctx context.Context, w Where, fsys fs.FS, env Env) error {
	rep, err := index.Check(ctx, w.IndexDir(), fsys)
	if err != nil {
		return lockedHint(err, w)
	}
	for _, d := range rep.Damage {
		fmt.Fprintf(env.Stdout, "damaged: %s\n", d)
	}
	switch {
	case len(rep.Damage) > 0:
		return fmt.Errorf("the index in %s is damaged: the next briefbot command rebuilds it (or run briefbot index --rebuild)", w.IndexDir())
	case rep.Stale > 0:
		fmt.Fprintf(env.Stdout, "index sound: %d articles, %d documents; %d article files changed since (the next command updates it)\n", rep.Articles, rep.Documents, rep.Stale)
	default:
		fmt.Fprintf(env.Stdout, "index sound and current: %d articles, %d documents\n", rep.Articles, rep.Documents)
	}
	return nil
}

// lockedHint explains an index held by a running bot.
func lockedHint(err error, w Where) error {
	if errors.Is(err, index.ErrResident) {
		return fmt.Errorf("%w: it keeps the index current itself; stop it first to rebuild or check %s", err, w.Data)
	}
	return err
}

func ask(ctx context.Context, args []string, env Env) error {
	fs, where := commandFlags("ask", env)
	asJSON := fs.Bool("json", false, "print the answer as JSON")
	limit := fs.Int("limit", brief.DefaultLimit, "how many items to show")
	offset := fs.Int("offset", 0, "skip this many items (for paging)")
	var actors multiFlag
	fs.Var(&actors, "actor", "stance: whose stance (default: the corpus subject); repeat to compare actors")
	by := fs.String("by", "", "stance: group positions by year or month")
	from := fs.String("from", "", "timeline: earliest date, YYYY-MM-DD")
	to := fs.String("to", "", "timeline: latest date, YYYY-MM-DD")
	speaker := fs.String("speaker", "", "quote: who said it")
	pos, err := parseInterleaved(fs, args)
	if err != nil {
		return &usageError{msg: err.Error()}
	}
	if len(pos) == 0 {
		return &usageError{msg: "ask what? name a question: stance, timeline, quote, search or source"}
	}
	if *limit < 1 || *limit > brief.MaxLimit {
		return &usageError{msg: fmt.Sprintf("--limit must be between 1 and %d", brief.MaxLimit)}
	}
	if *offset < 0 || *offset > brief.MaxOffset {
		return &usageError{msg: fmt.Sprintf("--offset must be between 0 and %d", brief.MaxOffset)}
	}
	kind, text := pos[0], strings.Join(pos[1:], " ")
	need := map[string]bool{"stance": true, "search": true, "source": true}
	switch kind {
	case "stance", "timeline", "quote", "search", "source":
	default:
		return &usageError{msg: fmt.Sprintf("unknown question %q: use stance, timeline, quote, search or source", kind)}
	}
	if need[kind] && strings.TrimSpace(text) == "" {
		return &usageError{msg: kind + " needs " + map[string]string{"stance": "a TOPIC", "search": "some TEXT", "source": "an ARTICLE"}[kind]}
	}

	ix, cleanup, err := openForQuestions(ctx, *where, env.Stderr)
	if err != nil {
		return err
	}
	defer cleanup()
	e, err := engine(ix, *where, env.Stderr)
	if err != nil {
		return err
	}
	page := brief.Page{Offset: *offset, Limit: *limit}
	var ans *brief.Answer
	switch kind {
	case "stance":
		ans, err = e.Stance(ctx, brief.StanceQuery{Topic: text, Actors: actors, By: *by}, page)
	case "timeline":
		ans, err = e.Timeline(ctx, text, *from, *to, page)
	case "quote":
		ans, err = e.Quote(ctx, *speaker, text, page)
	case "search":
		ans, err = e.Search(ctx, text, page)
	case "source":
		ans, err = e.Source(ctx, text, page)
	}
	if err != nil {
		return err
	}
	if *asJSON {
		return printJSON(env.Stdout, ans)
	}
	return render.Text(env.Stdout, ans)
}

// multiFlag is a flag that may be given several times.
type multiFlag []string

func (m *multiFlag) String() string { return strings.Join(*m, ", ") }

func (m *multiFlag) Set(v string) error {
	*m = append(*m, v)
	return nil
}

// printJSON writes v indented, with quotes and ampersands of the articles as they are.
func printJSON(w io.Writer, v interface{}) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// parseInterleaved parses flags that may come before, between or after the
// positional words ("stance Ukraine --actor Pakistan").
func parseInterleaved(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, nil
		}
		if rest[0] == "--" {
			return append(pos, rest[1:]...), nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}
