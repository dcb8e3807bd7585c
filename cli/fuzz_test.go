package cli

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"
)

// FuzzArgs runs command lines made of arbitrary words (the corpus and data
// folder fixed, the bot and ingestion left out): whatever the words, the
// exit status is 0, 1 or 2, within seconds, and stderr is a short reason,
// never a stack trace.
func FuzzArgs(f *testing.F) {
	for _, seed := range [][]string{
		{"ask", "stance", "Ukraine"},
		{"ask", "--offset", "9223372036854775807", "search", "Iran"},
		{"ask", "--offset", "-9223372036854775808", "quote", "x"},
		{"ask", "--limit", "99999999999999999999", "timeline"},
		{"ask", "timeline", "Iran", "--from", "0001-01-01", "--to", "9999-12-31"},
		{"ask", "timeline", "--from", "2020-02-30"},
		{"ask", "source", "\x00\xff\xfe"},
		{"ask", "search", strings.Repeat("é", 300)},
		{"ask", "quote", "--speaker", "\u202e", "\u200d"},
		{"ask", "--json", "stance", "+++", "--actor", ":::"},
		{"ask", "stance", "Ukraine", "--actor"},
		{"digest", "--since", "99999999h"},
		{"digest", "--since", "-1d", "--tz", "../../etc/passwd"},
		{"watch", "--topic", "Ukraine", "--since", "99999999h"},
		{"watch", "--speaker", "\u202e", "--topic", strings.Repeat("ß", 200), "--limit", "-1"},
		{"watch", "--topic", "+++", "--actor", ":::", "--json"},
		{"watch", "--since", "2026-02-30", "--topic", "x"},
		{"index", "--check", "--rebuild"},
		{"index", "--check"},
		{"version"}, {"help"}, {""}, {"--", "--"},
	} {
		f.Add(strings.Join(seed, "\x00"))
	}
	// One data folder for all inputs: its index is built once, then shared.
	data := f.TempDir()
	f.Fuzz(func(t *testing.T, line string) {
		args := strings.Split(line, "\x00")
		if len(args) > 0 {
			switch args[0] {
			case "serve", "healthcheck", "ingest":
				return // the network, the file system at large: tested elsewhere
			}
		}
		for _, a := range args {
			if strings.HasPrefix(a, "-") && (strings.Contains(a, "data") || strings.Contains(a, "corpus")) {
				return // the folders stay the test's own
			}
		}
		var out, errb bytes.Buffer
		getenv := func(k string) string {
			if k == "BRIEFBOT_DATA" {
				return data
			}
			return ""
		}
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		start := time.Now()
		code := Run(ctx, args, Env{Stdout: &out, Stderr: &errb, Getenv: getenv})
		if code != 0 && code != 1 && code != 2 {
			t.Fatalf("%q: exit %d\n%s", args, code, errb.String())
		}
		if took := time.Since(start); took > 20*time.Second {
			t.Fatalf("%q took %v", args, took)
		}
		msg := errb.String()
		if strings.Contains(msg, "goroutine ") || strings.Contains(msg, "panic") || strings.Contains(msg, ".go:") {
			t.Fatalf("%q: stack trace on stderr:\n%s", args, msg)
		}
	})
}
