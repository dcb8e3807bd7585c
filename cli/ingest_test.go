package cli

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/briefbot/briefbot/index"
)

func TestIngestAndDigestCommands(t *testing.T) {
	data := t.TempDir()
	in := t.TempDir()
	story := filepath.Join(in, "harbour.md")
	os.WriteFile(story, []byte("---\ntitle: Harbour deal agreed\noutlet: Coastal Times\npublished: 2026-11-20\n---\n"+
		"The harbour authority and the fishermen agreed a new lease on Thursday.\n\n“This keeps the boats in the water,” said Mayor Elin Dahl."), 0o644)

	code, out, errOut := runCLI(t, "ingest", "--data", data, story, filepath.Join(in, "missing.html"))
	if code != 1 || !strings.Contains(out, "added") || !strings.Contains(out, "failed    "+filepath.Join(in, "missing.html")+": no such file") ||
		!strings.Contains(errOut, "1 of 2 inputs could not be ingested") {
		t.Fatalf("ingest: exit %d\n%s\n%s", code, out, errOut)
	}
	code, out, _ = runCLI(t, "ingest", "--data", data, "--json", story)
	var results []struct{ Status, File, Reason string }
	if code != 0 || json.Unmarshal([]byte(out), &results) != nil || len(results) != 1 || results[0].Status != "duplicate" {
		t.Fatalf("ingesting again: exit %d\n%s", code, out)
	}

	code, out, errOut = runCLI(t, "digest", "--data", data, "--since", "1h")
	if code != 0 || !strings.Contains(out, "Harbour deal agreed · Coastal Times · 2026-11-20") || !strings.Contains(out, "[Elin Dahl, Mayor]") {
		t.Fatalf("digest: exit %d\n%s\n%s", code, out, errOut)
	}
	code, out, _ = runCLI(t, "digest", "--data", data, "--since", "2026-01-01", "--json")
	var d struct {
		Articles int `json:"articles"`
		Topics   []struct {
			Topic    string `json:"topic"`
			Articles []struct {
				Quotes []struct{ Text, Speaker string } `json:"quotes"`
			} `json:"articles"`
		} `json:"topics"`
	}
	if code != 0 || json.Unmarshal([]byte(out), &d) != nil || d.Articles != 6 {
		t.Fatalf("digest JSON (the bundled five and the new one): exit %d\n%s", code, out)
	}
	// A watch on what just arrived finds the new story's quotation, as
	// text and as JSON; on a topic nothing new names, nothing.
	code, out, errOut = runCLI(t, "watch", "--data", data, "--since", "1h", "--speaker", "Dahl")
	if code != 0 || !strings.Contains(out, "[Elin Dahl, Mayor]") || !strings.Contains(out, "arrived since") {
		t.Fatalf("watch: exit %d\n%s\n%s", code, out, errOut)
	}
	code, out, _ = runCLI(t, "watch", "--data", data, "--since", "1h", "--topic", "harbour", "--json")
	var w struct {
		Items []struct{ Citation struct{ File string } } `json:"items"`
	}
	if code != 0 || json.Unmarshal([]byte(out), &w) != nil || len(w.Items) == 0 {
		t.Fatalf("watch JSON: exit %d\n%s", code, out)
	}
	for _, bad := range [][]string{{"digest", "--data", data, "--since", "yesterday"}, {"digest", "--data", data, "--tz", "Mars"}, {"ingest", "--data", data},
		{"watch", "--data", data}, {"watch", "--data", data, "--actor", "Norway"}, {"watch", "--data", data, "--topic", "x", "--since", "soon"}, {"watch", "--data", data, "words"}} {
		if code, _, errOut := runCLI(t, bad...); code != 2 {
			t.Errorf("%v: exit %d, want 2\n%s", bad, code, errOut)
		}
	}
}

// With a running bot holding the index, ingest hands its inputs to the
// bot's inbox instead of failing.
func TestIngestHandsOffToRunningBot(t *testing.T) {
	data := t.TempDir()
	if code, _, errOut := runCLI(t, "index", "--data", data); code != 0 {
		t.Fatal(errOut)
	}
	// The bot holds the data folder as a resident.
	fsys, _ := CorpusFS(Where{Data: data})
	holder, _, err := index.Open(context.Background(), filepath.Join(data, IndexFolder), fsys, index.Options{Writable: true, Resident: true})
	if err != nil {
		t.Fatal(err)
	}
	defer holder.Close()
	story := filepath.Join(t.TempDir(), "story.txt")
	os.WriteFile(story, []byte("Ferry strike ends\n\nThe ferry crews ended their strike on Sunday."), 0o644)
	code, out, errOut := runCLI(t, "ingest", "--data", data, story, "https://example.com/news/a")
	if code != 0 || !strings.Contains(out, "queued 2 inputs in its inbox") {
		t.Fatalf("hand-off: exit %d\n%s\n%s", code, out, errOut)
	}
	files, _ := os.ReadDir(filepath.Join(data, InboxFolder))
	var names []string
	for _, f := range files {
		names = append(names, f.Name())
	}
	joined := strings.Join(names, " ")
	if len(names) != 2 || !strings.Contains(joined, "-story.txt") || !strings.Contains(joined, ".url") || strings.Contains(joined, ".tmp") {
		t.Errorf("inbox holds %v", names)
	}
	// Questions still get answers, from a temporary index.
	code, out, errOut = runCLI(t, "ask", "--data", data, "search", "Ukraine")
	if code != 0 || !strings.Contains(errOut, "answering from a temporary index") || !strings.Contains(out, "¶") {
		t.Errorf("ask beside a running bot: exit %d\n%s\n%s", code, out, errOut)
	}
}

func TestParseSince(t *testing.T) {
	now := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	for in, want := range map[string]time.Time{
		"24h": now.Add(-24 * time.Hour), "90m": now.Add(-90 * time.Minute), "7d": now.AddDate(0, 0, -7),
		"2026-11-01": time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC),
	} {
		got, err := parseSince(in, now, time.UTC)
		if err != nil || !got.Equal(want) {
			t.Errorf("%s: %v %v, want %v", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "soon", "-5h", "2026-13-01"} {
		if _, err := parseSince(bad, now, time.UTC); err == nil {
			t.Errorf("%q should be refused", bad)
		}
	}
}
