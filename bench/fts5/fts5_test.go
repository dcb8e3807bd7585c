// Package fts5 measures SQLite's full-text search (FTS5, through the pure-Go
// modernc.org/sqlite) on the benchmark corpora, as the engine a team might
// pick instead of briefbot's: built and queried the way BenchmarkPlainBleve
// builds and queries Bleve. It is a module of its own so that the SQLite
// driver is compiled only for this benchmark, never for the bot or its tests.
package fts5

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	_ "modernc.org/sqlite"

	"github.com/briefbot/briefbot/corpus"
	"github.com/briefbot/briefbot/synth"
)

const seed = 42

// BenchmarkFTS5 writes every paragraph of n synthetic articles into an FTS5
// table (Porter stemming, one transaction), then runs the answers' baseline
// queries: the topic's words, best five by bm25, with their text.
func BenchmarkFTS5(b *testing.B) {
	for _, s := range shapes(b) {
		for _, n := range sizes(b) {
			b.Run(fmt.Sprintf("%s-%d", s.name, n), func(b *testing.B) {
				set := s.generate(seed, n)
				c, err := corpus.Load(synth.FS(set.Articles))
				if err != nil {
					b.Fatal(err)
				}
				resetPeak()
				var path string
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					path = filepath.Join(b.TempDir(), "fts.db")
					if err := build(path, c); err != nil {
						b.Fatal(err)
					}
				}
				b.StopTimer()
				b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "articles/s")
				if fi, err := os.Stat(path); err == nil {
					b.ReportMetric(float64(fi.Size())/(1<<20), "index-MiB")
				}
				b.ReportMetric(peakRSS()/(1<<20), "peak-RSS-MiB")

				db, err := sql.Open("sqlite", path)
				if err != nil {
					b.Fatal(err)
				}
				defer db.Close()
				var times []time.Duration
				for i := 0; i < 200; i++ {
					start := time.Now()
					if err := query(db, set.Topics[i%len(set.Topics)]); err != nil {
						b.Fatal(err)
					}
					times = append(times, time.Since(start))
				}
				sort.Slice(times, func(i, j int) bool { return times[i] < times[j] })
				b.ReportMetric(float64(times[len(times)/2])/1e6, "query-p50-ms")
				b.ReportMetric(float64(times[len(times)*99/100])/1e6, "query-p99-ms")
			})
		}
	}
}

func build(path string, c *corpus.Corpus) error {
	db, err := sql.Open("sqlite", path)
	if err != nil {
		return err
	}
	defer db.Close()
	if _, err := db.Exec(`CREATE VIRTUAL TABLE paragraphs USING fts5(article UNINDEXED, para UNINDEXED, text, tokenize='porter unicode61')`); err != nil {
		return err
	}
	tx, err := db.Begin()
	if err != nil {
		return err
	}
	ins, err := tx.Prepare(`INSERT INTO paragraphs(article, para, text) VALUES (?, ?, ?)`)
	if err != nil {
		return err
	}
	for _, a := range c.Articles {
		for _, p := range a.Paragraphs {
			if _, err := ins.Exec(a.ID, p.N, p.Text); err != nil {
				return err
			}
		}
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	// Merged into one b-tree, as Bleve's builder merges into one segment.
	_, err = db.Exec(`INSERT INTO paragraphs(paragraphs) VALUES ('optimize')`)
	return err
}

// query is a match of any of the topic's words (as Bleve's match query),
// best five by bm25.
func query(db *sql.DB, topic string) error {
	var terms []string
	for _, w := range strings.Fields(topic) {
		terms = append(terms, `"`+strings.ReplaceAll(w, `"`, `""`)+`"`)
	}
	rows, err := db.QueryContext(context.Background(), `SELECT text FROM paragraphs WHERE paragraphs MATCH ? ORDER BY bm25(paragraphs) LIMIT 5`, strings.Join(terms, " OR "))
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var text string
		if err := rows.Scan(&text); err != nil {
			return err
		}
	}
	return rows.Err()
}

type shape struct {
	name     string
	generate func(seed int64, n int) synth.Set
}

func shapes(b *testing.B) []shape {
	all := []shape{{"small", synth.Small}, {"realistic", synth.Realistic}}
	want := os.Getenv("BRIEFBOT_BENCH_CORPUS")
	for _, s := range all {
		if s.name == want {
			return []shape{s}
		}
	}
	if want != "" {
		b.Fatalf("BRIEFBOT_BENCH_CORPUS: %q is neither small nor realistic", want)
	}
	return all
}

func sizes(b *testing.B) []int {
	spec := os.Getenv("BRIEFBOT_BENCH_SIZES")
	if spec == "" {
		spec = "1000,10000"
	}
	var out []int
	for _, s := range strings.Split(spec, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < 1 {
			b.Fatalf("BRIEFBOT_BENCH_SIZES: %q is not a size", s)
		}
		out = append(out, n)
	}
	return out
}

func peakRSS() float64 {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(data), "\n") {
		if strings.HasPrefix(line, "VmHWM:") {
			f := strings.Fields(line)
			kb, _ := strconv.ParseFloat(f[1], 64)
			return kb * 1024
		}
	}
	return 0
}

func resetPeak() { os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) }
