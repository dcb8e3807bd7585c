// Command briefbot briefs a team on what a collection of news articles says:
// from the command line (ask, index) or as a Discord bot (serve).
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/briefbot/briefbot/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.Run(ctx, os.Args[1:], cli.Env{Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv})
	stop()
	os.Exit(code)
}
