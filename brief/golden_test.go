package brief_test

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"
	"testing/fstest"
	"time"

	"github.com/briefbot/briefbot/brief"
	"github.com/briefbot/briefbot/corpus"
	"github.com/briefbot/briefbot/render"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/golden")

// sharedDir holds the bundled corpus's index for the whole test run.
var sharedDir string

func TestMain(m *testing.M) {
	flag.Parse()
	dir, err := os.MkdirTemp("", "briefbot-brief-test-")
	if err != nil {
		panic(err)
	}
	sharedDir = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// Rendered answers on the bundled corpus, as text and as JSON.
func TestGolden(t *testing.T) {
	f := bundled(t)
	ctx := context.Background()
	tests := []struct {
		name string
		ask  func() (*brief.Answer, error)
	}{
		{"stance-ukraine", func() (*brief.Answer, error) {
			return f.e.Stance(ctx, brief.StanceQuery{Topic: "Ukraine", Actors: []string{""}}, brief.Page{Limit: 5})
		}},
		{"stance-soleimani-us", func() (*brief.Answer, error) {
			return f.e.Stance(ctx, brief.StanceQuery{Topic: "Soleimani", Actors: []string{"United States"}}, brief.Page{Limit: 3})
		}},
		{"timeline-iran", func() (*brief.Answer, error) { return f.e.Timeline(ctx, "Iran", "", "", brief.Page{Limit: 20}) }},
		{"timeline-2022", func() (*brief.Answer, error) {
			return f.e.Timeline(ctx, "", "2022-01-01", "2022-12-31", brief.Page{Limit: 20})
		}},
		{"quote-qureshi", func() (*brief.Answer, error) { return f.e.Quote(ctx, "Qureshi", "", brief.Page{Limit: 10}) }},
		{"quote-restraint", func() (*brief.Answer, error) { return f.e.Quote(ctx, "", "restraint", brief.Page{Limit: 5}) }},
		{"search-pipeline", func() (*brief.Answer, error) { return f.e.Search(ctx, "gas pipeline", brief.Page{Limit: 3}) }},
		{"source-dawn", func() (*brief.Answer, error) {
			return f.e.Source(ctx, "004_be0101e0bb6417d3.txt", brief.Page{Limit: 3})
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ans, err := tt.ask()
			if err != nil {
				t.Fatal(err)
			}
			var text bytes.Buffer
			if err := render.Text(&text, ans); err != nil {
				t.Fatal(err)
			}
			js, err := json.MarshalIndent(ans, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			golden(t, tt.name+".txt", text.Bytes())
			golden(t, tt.name+".json", append(js, '\n'))
		})
	}
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./brief -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file; run go test ./brief -update and review the diff\n--- got:\n%s", name, got)
	}
}

// The digest of articles added to the bundled corpus, as text and JSON.
func TestGoldenDigest(t *testing.T) {
	ctx := context.Background()
	built := time.Date(2026, 11, 23, 8, 0, 0, 0, time.UTC)
	added := built.Add(20 * time.Hour)
	c, err := corpus.Load(corpus.Bundled())
	if err != nil {
		t.Fatal(err)
	}
	ix := writableAt(t, c, built)
	arriveAt(t, ix, fstest.MapFS{
		"harbour.md": {Data: []byte("---\ntitle: Harbour deal agreed in Norway\noutlet: Coastal Times\npublished: 2026-11-23\nurl: https://coastal.example/harbour\n---\n" +
			"Norway's harbour authority and the fishermen agreed a new lease on Sunday after months of talks.\n\n" +
			"“This keeps the boats in the water and the jobs in the town,” said Mayor Elin Dahl after the vote.\n\n" +
			"The cooperative refused to pay the higher fee last month, and Norway's ministry offered to mediate.")},
		"ferry.md": {Data: []byte("---\ntitle: Norway ferry strike ends\noutlet: Coast Wire\npublished: 2026-11-22\n---\n" +
			"The ferry crews in Norway ended their strike on Saturday after the company offered a new rota.\n\n" +
			"“We got what we asked for, and the islands get their ferries back,” said union steward Kari Moe.")},
	}, added)
	d, err := brief.New(ix).Digest(ctx, built, added.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	var text bytes.Buffer
	if err := render.Digest(&text, d, time.UTC); err != nil {
		t.Fatal(err)
	}
	js, err := json.MarshalIndent(d, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "digest.txt", text.Bytes())
	golden(t, "digest.json", append(js, '\n'))
}
