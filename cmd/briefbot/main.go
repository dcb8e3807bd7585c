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
	"syscall"
	"time"

	"github.com/bwmarrin/discordgo"
	"golang.org/x/term"

	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/brief"
	"github.com/briefbot/briefbot/cli"
	"github.com/briefbot/briefbot/config"
	"github.com/briefbot/briefbot/index"
	"github.com/briefbot/briefbot/ops"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.Run(ctx, os.Args[1:], cli.Env{Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv, Serve: serve, Healthcheck: healthcheck})
	stop()
	os.Exit(code)
}

// serve wires the Discord bot: configuration, logs, index, engine, bot.
func serve(ctx context.Context, args []string, env cli.Env) error {
	if len(args) > 0 {
		return fmt.Errorf("serve takes no arguments; it is configured by environment variables (see .env.example)")
	}
	envFile := env.Getenv("BRIEFBOT_ENV_FILE")
	if envFile == "" {
		envFile = ".env"
	}
	cfg, err := config.Load(env.Getenv, envFile)
	if err != nil {
		return err
	}
	log := newLogger(cfg, env)
	slog.SetDefault(log)
	discordgo.Logger = func(level, _ int, format string, a ...interface{}) {
		log.Log(context.Background(), discordLevel(level), fmt.Sprintf(format, a...), "from", "discordgo")
	}

	ix, err := cli.OpenIndex(ctx, cli.Where{Corpus: cfg.Corpus, Data: cfg.DataDir}, env.Stderr, true)
	if err != nil {
		return err
	}
	defer ix.Close()
	engine := brief.New(ix)

	if cfg.Insecure {
		log.Warn("DISCORD_ALLOW_INSECURE is set: the bot token travels unencrypted", "api_base", cfg.APIBase, "gateway", cfg.GatewayURL)
	}
	client, err := bot.APIClient(cfg.APIBase, cfg.GatewayURL, 20*time.Second)
	if err != nil {
		return err
	}
	metrics := ops.NewMetrics(indexStats{ix}, time.Now)
	b := bot.New(bot.Settings{
		Token: cfg.Token, AppID: cfg.AppID, GuildID: cfg.GuildID,
		AllowedChannels: cfg.AllowedChannels, AllowedRoles: cfg.AllowedRoles,
		RateBurst: cfg.RateBurst, RateEvery: cfg.RateEvery, Subject: engine.SubjectName(),
	}, engine, bot.Deps{HTTPClient: client, Logger: log, Observer: metrics})

	ready := func() error {
		if !b.Ready() {
			return errors.New("not connected to Discord")
		}
		return nil
	}
	if cfg.PublicKey != "" {
		key, err := bot.ParsePublicKey(cfg.PublicKey)
		if err != nil {
			return fmt.Errorf("INTERACTIONS_PUBLIC_KEY: %w", err)
		}
		if err := b.StartHTTP(); err != nil {
			return err
		}
		defer b.StopHTTP()
		log.Info("serving interactions over HTTP", "addr", cfg.HTTPAddr, "path", "/interactions")
		return ops.Serve(ctx, cfg.HTTPAddr, ops.Handler(ready, metrics, b.InteractionsHandler(key)))
	}
	if cfg.HTTPAddr != "" {
		go func() {
			if err := ops.Serve(ctx, cfg.HTTPAddr, ops.Handler(ready, metrics, nil)); err != nil {
				log.Error("health and metrics server stopped", "err", err)
			}
		}()
	}
	return b.Run(ctx)
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

// indexStats gives the metrics the open index's figures.
type indexStats struct{ ix *index.Index }

func (s indexStats) Documents() float64 {
	n, _ := s.ix.DocCount()
	return float64(n)
}
func (s indexStats) Bytes() float64   { return float64(s.ix.Size()) }
func (s indexStats) Built() time.Time { return s.ix.Meta().Updated }

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
