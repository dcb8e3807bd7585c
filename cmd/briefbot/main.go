// Command briefbot briefs a team on what a collection of news articles says:
// from the command line (ask, index) or as a Discord bot (serve).
package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"sync"
	"syscall"
	"time"
	_ "time/tzdata" // time zones for digests, also in an image without them

	"github.com/bwmarrin/discordgo"
	"github.com/jonboulle/clockwork"
	"golang.org/x/term"

	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/brief"
	"github.com/briefbot/briefbot/cli"
	"github.com/briefbot/briefbot/config"
	"github.com/briefbot/briefbot/corrections"
	"github.com/briefbot/briefbot/digest"
	"github.com/briefbot/briefbot/index"
	"github.com/briefbot/briefbot/ingest"
	"github.com/briefbot/briefbot/ops"
	"github.com/briefbot/briefbot/schedule"
	"github.com/briefbot/briefbot/watch"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	// Every command reads its settings as the bot does: the environment,
	// then .env, so that all of them use one data folder.
	getenv := config.WithEnvFile(os.Getenv, envFile(os.Getenv))
	code := cli.Run(ctx, os.Args[1:], cli.Env{Stdout: os.Stdout, Stderr: os.Stderr, Getenv: getenv, Serve: serve, Healthcheck: healthcheck})
	stop()
	os.Exit(code)
}

// serve wires the Discord bot: configuration, logs, index, engine, bot.
func serve(ctx context.Context, args []string, env cli.Env) error {
	if len(args) > 0 {
		return fmt.Errorf("serve takes no arguments; it is configured by environment variables (see .env.example)")
	}
	cfg, err := config.Load(env.Getenv, envFile(env.Getenv))
	if err != nil {
		return err
	}
	log := newLogger(cfg, env)
	slog.SetDefault(log)
	discordgo.Logger = func(level, _ int, format string, a ...interface{}) {
		log.Log(context.Background(), discordLevel(level), fmt.Sprintf(format, a...), "from", "discordgo")
	}

	where := cli.Where{Corpus: cfg.Corpus, Data: cfg.DataDir}
	opened := time.Now()
	ix, err := cli.OpenIndex(ctx, where, env.Stderr, cli.Serve)
	if err != nil {
		return err
	}
	defer ix.Close()
	engine := brief.New(ix)
	// The digest state's lock also keeps a second bot off this data folder.
	store, err := digest.OpenStore(filepath.Join(cfg.DataDir, "digest.db"))
	if err != nil {
		return err
	}
	defer store.Close()
	book, err := corrections.Open(store, where.CorrectionsPath())
	if err != nil {
		return err
	}
	engine.WithCorrections(book)
	digests, err := digest.New(digest.Settings{Channel: cfg.Digest.Channel, Schedule: cfg.Digest.Schedule,
		CatchUp: cfg.Digest.CatchUp, PostEmpty: cfg.Digest.PostEmpty}, digest.Deps{Store: store, Composer: engine, Logger: log})
	if err != nil {
		return err
	}
	watches := watch.New(watch.Settings{}, watch.Deps{Store: store, Finder: engine, Index: ix, Logger: log})
	ingester, err := ingest.New(ingest.Config{Index: ix, Library: where.ArticleDir(), Logger: log,
		Fetcher: ingest.NewFetcher(ingest.FetchOptions{AllowPrivate: cfg.FetchPrivate})})
	if err != nil {
		return err
	}

	if cfg.Insecure {
		log.Warn("DISCORD_ALLOW_INSECURE is set: the bot token travels unencrypted", "api_base", cfg.APIBase, "gateway", cfg.GatewayURL)
	}
	client, err := bot.APIClient(cfg.APIBase, cfg.GatewayURL, 20*time.Second)
	if err != nil {
		return err
	}
	metrics := ops.NewMetrics(stats{ix, digests}, time.Now)
	b := bot.New(bot.Settings{
		Token: cfg.Token, AppID: cfg.AppID, GuildID: cfg.GuildID,
		AllowedChannels: cfg.AllowedChannels, AllowedRoles: cfg.AllowedRoles, AdminRoles: cfg.AdminRoles,
		RateBurst: cfg.RateBurst, RateEvery: cfg.RateEvery,
	}, engine, bot.Deps{HTTPClient: client, Logger: log, Observer: metrics, Ingester: ingester, Digests: digests, Watches: watches, Corrections: book, Buttons: store})

	// Background work stops with the bot, and is waited for before the
	// index and the digest state close.
	ctx, stop := context.WithCancel(ctx)
	var wg sync.WaitGroup
	defer wg.Wait()
	defer stop()
	background := func(name string, run func(ctx context.Context) error) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := run(ctx); err != nil {
				log.Error(name+" stopped", "err", err)
			}
		}()
	}
	background("digest", func(ctx context.Context) error {
		if !b.WaitConnected(ctx) {
			return nil
		}
		return digests.Run(ctx, b)
	})
	background("watches", func(ctx context.Context) error {
		if !b.WaitConnected(ctx) {
			return nil
		}
		return watches.Run(ctx, b)
	})
	fsys, err := cli.CorpusFS(where)
	if err != nil {
		return err
	}
	watched := []string{where.ArticleDir()}
	if cfg.Corpus != "" {
		watched = append(watched, cfg.Corpus)
	}
	background("corpus watcher", func(ctx context.Context) error {
		return ingester.WatchCorpus(ctx, fsys, watched, 2*time.Second, opened)
	})
	background("index repair", func(ctx context.Context) error {
		ingester.KeepSound(ctx, fsys, 10*time.Second)
		return nil
	})
	if cfg.Inbox != "" {
		background("inbox", func(ctx context.Context) error { return ingester.WatchInbox(ctx, cfg.Inbox, time.Second) })
	}
	if len(cfg.Feeds) > 0 {
		background("feeds", func(ctx context.Context) error {
			poll := func(ctx context.Context, _ time.Time) {
				for _, f := range cfg.Feeds {
					ingester.Feed(ctx, f)
				}
			}
			poll(ctx, time.Now())
			schedule.Run(ctx, clockwork.NewRealClock(), cfg.FeedSchedule, poll)
			return nil
		})
	}

	ready := func() error {
		if why := b.NotReady(); why != "" {
			return errors.New(why)
		}
		return nil
	}
	if cfg.PublicKey != "" {
		key, err := bot.ParsePublicKey(cfg.PublicKey)
		if err != nil {
			return fmt.Errorf("INTERACTIONS_PUBLIC_KEY: %w", err)
		}
		// /readyz says why while the commands are not registered yet.
		served := make(chan error, 1)
		go func() {
			served <- ops.Serve(ctx, cfg.HTTPAddr, ops.Handler(ready, metrics, b.InteractionsHandler(key)))
		}()
		if err := b.StartHTTP(ctx); err != nil {
			stop()
			<-served
			return err
		}
		defer b.StopHTTP()
		log.Info("serving interactions over HTTP", "addr", cfg.HTTPAddr, "path", "/interactions")
		return <-served
	}
	if cfg.HTTPAddr != "" {
		background("health and metrics server", func(ctx context.Context) error {
			return ops.Serve(ctx, cfg.HTTPAddr, ops.Handler(ready, metrics, nil))
		})
	}
	return b.Run(ctx)
}

// envFile is the .env file settings come from (BRIEFBOT_ENV_FILE, default .env).
func envFile(getenv func(string) string) string {
	if f := getenv("BRIEFBOT_ENV_FILE"); f != "" {
		return f
	}
	return ".env"
}

// healthcheck asks the running bot whether it is ready: for a container's
// HEALTHCHECK, which has no shell or curl.
func healthcheck(ctx context.Context, args []string, env cli.Env) error {
	addr := env.Getenv("HTTP_ADDR")
	if addr == "" {
		addr = "127.0.0.1:8080"
	}
	return ops.Check(ctx, addr)
}

// stats gives the metrics the open index's and the digests' figures.
type stats struct {
	ix      *index.Index
	digests *digest.Service
}

func (s stats) Documents() float64 {
	n, _ := s.ix.DocCount()
	return float64(n)
}
func (s stats) Bytes() float64          { return float64(s.ix.Size()) }
func (s stats) Updated() time.Time      { return s.ix.Meta().Updated }
func (s stats) DigestPosted() time.Time { return s.digests.LastSuccess() }

func newLogger(cfg *config.Config, env cli.Env) *slog.Logger {
	level := map[string]slog.Level{"debug": slog.LevelDebug, "warn": slog.LevelWarn, "error": slog.LevelError}[cfg.LogLevel]
	opts := &slog.HandlerOptions{Level: level}
	format := cfg.LogFormat
	if format == "" {
		format = "json"
		if f, ok := env.Stderr.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
			format = "text"
		}
	}
	if format == "json" {
		return slog.New(slog.NewJSONHandler(env.Stderr, opts))
	}
	return slog.New(slog.NewTextHandler(env.Stderr, opts))
}

func discordLevel(l int) slog.Level {
	switch l {
	case discordgo.LogError:
		return slog.LevelError
	case discordgo.LogWarning:
		return slog.LevelWarn
	case discordgo.LogInformational:
		return slog.LevelInfo
	}
	return slog.LevelDebug
}
