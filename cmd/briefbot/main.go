// Command briefbot briefs a team on what a collection of news articles says:
// from the command line (ask, index) or as a Discord bot (serve).
package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
	_ "time/tzdata" // time zones for digests, also in an image without them

	"github.com/bwmarrin/discordgo"
	"golang.org/x/term"

	"github.com/briefbot/briefbot/app"
	"github.com/briefbot/briefbot/cli"
	"github.com/briefbot/briefbot/config"
	"github.com/briefbot/briefbot/ops"
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

	a, err := app.New(ctx, cfg, log, env.Stderr)
	if err != nil {
		return err
	}
	defer a.Close()
	return a.Run(ctx)
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
