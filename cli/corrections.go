package cli

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/briefbot/briefbot/brief"
	"github.com/briefbot/briefbot/corrections"
	"github.com/briefbot/briefbot/index"
)

// CorrectionsFile is where the bot keeps a copy of the team's corrections
// that the command line can read while the bot runs.
const CorrectionsFile = "corrections.json"

// CorrectionsPath is the data folder's corrections file.
func (w Where) CorrectionsPath() string { return filepath.Join(w.Data, CorrectionsFile) }

// engine answers from ix with the team's accepted corrections applied; a
// damaged corrections file is reported and answers go on without it.
func engine(ix *index.Index, w Where, stderr io.Writer) (*brief.Engine, error) {
	resolved, err := w.Resolve()
	if err != nil {
		return nil, err
	}
	v, err := corrections.Load(resolved.CorrectionsPath())
	if err != nil {
		fmt.Fprintf(stderr, "briefbot: %v; answering without the team's corrections\n", err)
		return brief.New(ix), nil
	}
	return brief.New(ix).WithCorrections(v), nil
}

// correctionsCmd is `briefbot corrections list|export`.
func correctionsCmd(_ context.Context, args []string, env Env) error {
	const use = "usage: briefbot corrections list|export [--data DIR] [--corpus DIR] [--pending]"
	if len(args) == 0 || (args[0] != "list" && args[0] != "export") {
		return &usageError{msg: "corrections needs list or export", usage: use}
	}
	fs, where := commandFlags("corrections", env)
	pendingOnly := fs.Bool("pending", false, "only the corrections waiting for review")
	if rest, err := parseInterleaved(fs, args[1:]); err != nil || len(rest) > 0 {
		if err == nil {
			err = fmt.Errorf("corrections %s takes only flags (got %q)", args[0], strings.Join(rest, " "))
		}
		return &usageError{msg: err.Error(), usage: use}
	}
	resolved, err := where.Resolve()
	if err != nil {
		return err
	}
	v, err := corrections.Load(resolved.CorrectionsPath())
	if err != nil {
		return err
	}
	var list []corrections.Correction
	for _, c := range v.List() {
		if !*pendingOnly || c.State == corrections.Pending {
			list = append(list, c)
		}
	}
	if args[0] == "export" {
		if list == nil {
			list = []corrections.Correction{}
		}
		return printJSON(env.Stdout, list)
	}
	if len(list) == 0 {
		fmt.Fprintf(env.Stdout, "No corrections in %s.\n", resolved.Data)
		return nil
	}
	for _, c := range list {
		what := fmt.Sprintf("not relevant to %q", c.Words)
		if c.Kind == corrections.Speaker {
			what = fmt.Sprintf("said by %s, not %s", c.Speaker, wasOrNoOne(c.Was))
		}
		fmt.Fprintf(env.Stdout, "#%s [%s] %s · %s ¶%d · by %s on %s\n   %s\n", c.ID, c.State, what, c.File, c.Paragraph, c.By, c.At.Format("2006-01-02 15:04 MST"), c.Text)
	}
	return nil
}

func wasOrNoOne(was string) string {
	if was == "" {
		return "no one named"
	}
	return was
}
