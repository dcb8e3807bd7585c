package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/briefbot/briefbot/brief"
	"github.com/briefbot/briefbot/index"
	"github.com/briefbot/briefbot/ingest"
	"github.com/briefbot/briefbot/internal/atomicfile"
	"github.com/briefbot/briefbot/internal/regularfile"
	"github.com/briefbot/briefbot/render"
)

// isURL: the argument names a web address rather than a file.
func isURL(arg string) bool { return strings.Contains(arg, "://") }

// ingestCmd adds files, folders and web pages (or feeds) to the corpus.
func ingestCmd(ctx context.Context, args []string, env Env) error {
	fs, where := commandFlags("ingest", env)
	asJSON := fs.Bool("json", false, "print the results as JSON")
	inputs, err := parseInterleaved(fs, args)
	if err != nil {
		return &usageError{msg: err.Error()}
	}
	if len(inputs) == 0 {
		return &usageError{msg: "ingest what? name files, folders or http(s) addresses"}
	}
	w, err := where.Resolve()
	if err != nil {
		return err
	}
	ix, err := OpenIndex(ctx, w, env.Stderr, Write)
	if errors.Is(err, index.ErrLocked) {
		return handOff(w, inputs, env)
	}
	if err != nil {
		return err
	}
	defer ix.Close()
	private := strings.TrimSpace(env.Getenv("BRIEFBOT_FETCH_ALLOW_PRIVATE"))
	in, err := ingest.New(ingest.Config{Index: ix, Library: w.ArticleDir(),
		Fetcher: ingest.NewFetcher(ingest.FetchOptions{AllowPrivate: private == "1" || strings.EqualFold(private, "true")})})
	if err != nil {
		return err
	}
	var paths, urls []string
	for _, a := range inputs {
		if isURL(a) {
			urls = append(urls, a)
		} else {
			paths = append(paths, a)
		}
	}
	results := append(in.Paths(ctx, paths), in.URLs(ctx, urls)...)
	failed := 0
	for _, r := range results {
		if r.Status == ingest.Failed {
			failed++
		}
	}
	if *asJSON {
		if err := printJSON(env.Stdout, results); err != nil {
			return err
		}
	} else {
		for _, r := range results {
			fmt.Fprintln(env.Stdout, r)
		}
	}
	if failed > 0 {
		return fmt.Errorf("%d of %d inputs could not be ingested (see above); the others were", failed, len(results))
	}
	return nil
}

// handOff gives the inputs to the briefbot that holds the index, through
// its inbox: files are copied in, addresses written to a .url file.
func handOff(w Where, inputs []string, env Env) error {
	inbox := env.Getenv("BRIEFBOT_INBOX")
	switch inbox {
	case "":
		inbox = w.InboxDir()
	case "off":
		return fmt.Errorf("%w and its inbox is off (BRIEFBOT_INBOX=off): stop it to ingest, or use /ingest in Discord", index.ErrLocked)
	}
	if err := os.MkdirAll(inbox, 0o755); err != nil {
		return fmt.Errorf("open the running bot's inbox %s: %w", inbox, err)
	}
	stamp := time.Now().UTC().Format("20060102T150405.000000000")
	var urls []string
	queued := 0
	for _, a := range inputs {
		if isURL(a) {
			urls = append(urls, a)
			continue
		}
		n, err := copyInto(inbox, a, stamp)
		if err != nil {
			return err
		}
		queued += n
	}
	if len(urls) > 0 {
		if err := writeInbox(inbox, stamp+".url", []byte(strings.Join(urls, "\n")+"\n")); err != nil {
			return err
		}
		queued += len(urls)
	}
	fmt.Fprintf(env.Stdout, "a running briefbot holds %s: queued %d inputs in its inbox %s; it reads them within seconds (results in its log, failures in %s)\n",
		w.Data, queued, inbox, filepath.Join(inbox, ingest.InboxFailed))
	return nil
}

// copyInto copies a file (or a folder's top-level files) into the inbox
// and says how many.
func copyInto(inbox, path, stamp string) (int, error) {
	st, err := os.Stat(path)
	if err != nil {
		return 0, fmt.Errorf("ingest %s: %w", path, err)
	}
	files := []string{path}
	if st.IsDir() {
		entries, err := os.ReadDir(path)
		if err != nil {
			return 0, fmt.Errorf("ingest %s: %w", path, err)
		}
		files = nil
		for _, e := range entries {
			if !e.IsDir() && !strings.HasPrefix(e.Name(), ".") {
				files = append(files, filepath.Join(path, e.Name()))
			}
		}
	}
	for _, f := range files {
		data, err := regularfile.ReadFile(f, maxHandOffBytes)
		if err != nil {
			return 0, fmt.Errorf("ingest %s: %w", f, err)
		}
		if err := writeInbox(inbox, stamp+"-"+filepath.Base(f), data); err != nil {
			return 0, err
		}
	}
	return len(files), nil
}

// maxHandOffBytes bounds a file handed to a bot's inbox (it applies its own,
// smaller limits when it reads the file).
const maxHandOffBytes = 64 << 20

// writeInbox writes a file whole (hidden until renamed), so the watcher
// never reads it half-written.
func writeInbox(inbox, name string, data []byte) error {
	if err := atomicfile.Write(filepath.Join(inbox, name), data, 0o644); err != nil {
		return fmt.Errorf("hand over to the inbox: %w", err)
	}
	return nil
}

// digestCmd prints the digest of what arrived in a period.
func digestCmd(ctx context.Context, args []string, env Env) error {
	fs, where := commandFlags("digest", env)
	asJSON := fs.Bool("json", false, "print the digest as JSON")
	since := fs.String("since", "24h", "start: a duration back from now (24h, 7d) or a date (YYYY-MM-DD)")
	tz := fs.String("tz", "", "time zone for the times shown (IANA name; default UTC)")
	if rest, err := parseInterleaved(fs, args); err != nil || len(rest) > 0 {
		if err == nil {
			err = fmt.Errorf("digest takes no words, only flags (got %q)", strings.Join(rest, " "))
		}
		return &usageError{msg: err.Error()}
	}
	loc := time.UTC
	if *tz != "" {
		var err error
		if loc, err = time.LoadLocation(*tz); err != nil {
			return &usageError{msg: fmt.Sprintf("--tz %q is not an IANA time zone (such as Europe/Oslo)", *tz)}
		}
	}
	if _, err := parseSince(*since, time.Now(), loc); err != nil {
		return &usageError{msg: err.Error()}
	}
	ix, cleanup, err := openForQuestions(ctx, *where, env.Stderr)
	if err != nil {
		return err
	}
	defer cleanup()
	now := time.Now().UTC() // after opening: a first build stamps its articles as just arrived
	start, _ := parseSince(*since, now, loc)
	e, err := engine(ix, *where, env.Stderr)
	if err != nil {
		return err
	}
	d, err := e.Digest(ctx, start, now)
	if err != nil {
		return err
	}
	if *asJSON {
		return printJSON(env.Stdout, d)
	}
	return render.Digest(env.Stdout, d, loc)
}

// watchCmd prints what a watch would have matched in the articles that
// arrived in a period, as the bot would post it.
func watchCmd(ctx context.Context, args []string, env Env) error {
	fs, where := commandFlags("watch", env)
	asJSON := fs.Bool("json", false, "print the matches as JSON")
	since := fs.String("since", "24h", "start: a duration back from now (24h, 7d) or a date (YYYY-MM-DD)")
	limit := fs.Int("limit", brief.DefaultLimit, "how many matches to show")
	var q brief.WatchQuery
	fs.StringVar(&q.Topic, "topic", "", "words of the topic watched")
	fs.StringVar(&q.Actor, "actor", "", "with --topic: watch this actor's positions on it")
	fs.StringVar(&q.Speaker, "speaker", "", "watch this speaker's quotations (about --topic, if given)")
	if rest, err := parseInterleaved(fs, args); err != nil || len(rest) > 0 {
		if err == nil {
			err = fmt.Errorf("watch takes no words, only flags (got %q)", strings.Join(rest, " "))
		}
		return &usageError{msg: err.Error()}
	}
	if q.Topic == "" && q.Speaker == "" {
		return &usageError{msg: "watch needs --topic or --speaker"}
	}
	if q.Actor != "" && q.Topic == "" {
		return &usageError{msg: "--actor needs --topic: an actor's positions on what?"}
	}
	if _, err := parseSince(*since, time.Now(), time.UTC); err != nil {
		return &usageError{msg: err.Error()}
	}
	ix, cleanup, err := openForQuestions(ctx, *where, env.Stderr)
	if err != nil {
		return err
	}
	defer cleanup()
	now := time.Now().UTC()
	start, _ := parseSince(*since, now, time.UTC)
	e, err := engine(ix, *where, env.Stderr)
	if err != nil {
		return err
	}
	ans, err := e.Watch(ctx, q, start, now, brief.Page{Limit: *limit})
	if err != nil {
		return err
	}
	if *asJSON {
		return printJSON(env.Stdout, ans)
	}
	return render.Text(env.Stdout, ans)
}

// parseSince reads --since: "36h", "7d" or a date in loc.
func parseSince(s string, now time.Time, loc *time.Location) (time.Time, error) {
	s = strings.TrimSpace(s)
	if days, ok := strings.CutSuffix(s, "d"); ok {
		var n int
		if _, err := fmt.Sscanf(days, "%d", &n); err == nil && n >= 0 {
			return now.AddDate(0, 0, -n), nil
		}
	}
	if d, err := time.ParseDuration(s); err == nil && d >= 0 {
		return now.Add(-d), nil
	}
	if t, err := time.ParseInLocation("2006-01-02", s, loc); err == nil {
		return t, nil
	}
	return time.Time{}, fmt.Errorf("--since %q: give a duration (24h, 7d) or a date (YYYY-MM-DD)", s)
}
