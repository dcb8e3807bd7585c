// Package app is `briefbot serve` as a value: the Discord bot with its
// index, digests, watches, corrections, ingestion and health server, wired
// from configuration, which cmd/briefbot runs and tests start against the
// fake Discord.
package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"sync"
	"time"

	"github.com/jonboulle/clockwork"

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

// App is a configured bot, ready to run.
type App struct {
	cfg       *config.Config
	log       *slog.Logger
	where     cli.Where
	opened    time.Time
	ix        *index.Index
	store     *digest.Store
	digests   *digest.Service
	watches   *watch.Service
	ingester  *ingest.Ingester
	bot       *bot.Bot
	metrics   *ops.Metrics
	closeOnce sync.Once
}

// New opens the index (building or updating it first; progress goes to
// stderr) and the bot's state, and wires the parts. Close releases them.
func New(ctx context.Context, cfg *config.Config, log *slog.Logger, stderr io.Writer) (*App, error) {
	a := &App{cfg: cfg, log: log, where: cli.Where{Corpus: cfg.Corpus, Data: cfg.DataDir}, opened: time.Now()}
	ix, err := cli.OpenIndex(ctx, a.where, stderr, cli.Serve)
	if err != nil {
		return nil, err
	}
	a.ix = ix
	if err := a.wire(); err != nil {
		a.Close()
		return nil, err
	}
	return a, nil
}

func (a *App) wire() error {
	cfg, log := a.cfg, a.log
	engine := brief.New(a.ix)
	// The state file's lock also keeps a second bot off this data folder.
	store, err := digest.OpenStore(filepath.Join(cfg.DataDir, "digest.db"))
	if err != nil {
		return err
	}
	a.store = store
	book, err := corrections.Open(store, a.where.CorrectionsPath())
	if err != nil {
		return err
	}
	engine.WithCorrections(book)
	a.digests, err = digest.New(digest.Settings{Channel: cfg.Digest.Channel, Schedule: cfg.Digest.Schedule,
		CatchUp: cfg.Digest.CatchUp, PostEmpty: cfg.Digest.PostEmpty}, digest.Deps{Store: store, Composer: engine, Logger: log})
	if err != nil {
		return err
	}
	a.watches = watch.New(watch.Settings{}, watch.Deps{Store: store, Finder: engine, Index: a.ix, Logger: log})
	a.ingester, err = ingest.New(ingest.Config{Index: a.ix, Library: a.where.ArticleDir(), Logger: log,
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
	a.metrics = ops.NewMetrics(stats{a.ix, a.digests}, time.Now)
	a.bot = bot.New(bot.Settings{
		Token: cfg.Token, AppID: cfg.AppID, GuildID: cfg.GuildID,
		AllowedChannels: cfg.AllowedChannels, AllowedRoles: cfg.AllowedRoles, AdminRoles: cfg.AdminRoles,
		RateBurst: cfg.RateBurst, RateEvery: cfg.RateEvery,
	}, engine, bot.Deps{HTTPClient: client, Logger: log, Observer: a.metrics, Ingester: a.ingester, Digests: a.digests,
		Watches: a.watches, Corrections: book, Buttons: store})
	return nil
}

// Run serves until ctx ends: the bot over the gateway (or over HTTP, with
// a public key), and beside it the digests, watches, corpus watcher, index
// repair, inbox, feeds and the health server. Background work is waited for
// before Run returns.
func (a *App) Run(ctx context.Context) error {
	cfg, log, b := a.cfg, a.log, a.bot
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
		return a.digests.Run(ctx, b)
	})
	background("watches", func(ctx context.Context) error {
		if !b.WaitConnected(ctx) {
			return nil
		}
		return a.watches.Run(ctx, b)
	})
	fsys, err := cli.CorpusFS(a.where)
	if err != nil {
		return err
	}
	watched := []string{a.where.ArticleDir()}
	if cfg.Corpus != "" {
		watched = append(watched, cfg.Corpus)
	}
	background("corpus watcher", func(ctx context.Context) error {
		return a.ingester.WatchCorpus(ctx, fsys, watched, 2*time.Second, a.opened)
	})
	background("index repair", func(ctx context.Context) error {
		a.ingester.KeepSound(ctx, fsys, 10*time.Second)
		return nil
	})
	if cfg.Inbox != "" {
		background("inbox", func(ctx context.Context) error { return a.ingester.WatchInbox(ctx, cfg.Inbox, time.Second) })
	}
	if len(cfg.Feeds) > 0 {
		background("feeds", func(ctx context.Context) error {
			poll := func(ctx context.Context, _ time.Time) {
				for _, f := range cfg.Feeds {
					a.ingester.Feed(ctx, f)
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
			served <- ops.Serve(ctx, cfg.HTTPAddr, ops.Handler(ready, a.metrics, b.InteractionsHandler(key)))
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
			return ops.Serve(ctx, cfg.HTTPAddr, ops.Handler(ready, a.metrics, nil))
		})
	}
	return b.Run(ctx)
}

// Close releases the bot's state and the index; call it after Run returned.
func (a *App) Close() error {
	var errs []error
	a.closeOnce.Do(func() {
		if a.store != nil {
			errs = append(errs, a.store.Close())
		}
		if a.ix != nil {
			errs = append(errs, a.ix.Close())
		}
	})
	return errors.Join(errs...)
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
func (s stats) Updated() time.Time      { return s.ix.Head().Updated }
func (s stats) DigestPosted() time.Time { return s.digests.LastSuccess() }
