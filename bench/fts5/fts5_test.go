// Package fts5 measures SQLite's full-text search (FTS5, through the pure-Go
// modernc.org/sqlite) on the benchmark corpora, as the engine a team might
// pick instead of briefbot's: built and queried the way BenchmarkPlainBleve
// builds and queries Bleve. It is a module of its own so that the SQLite
// driver is compiled only for this benchmark, never for the bot or its tests.
package fts5

import (
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"
	"time"

	_ "modernc.org/sqlite"

	"github.com/briefbot/briefbot/bench/benchenv"
	"github.com/briefbot/briefbot/corpus"
)

// BenchmarkFTS5 writes every paragraph of n synthetic articles into an FTS5
// table (Porter stemming, one transaction), then runs the answers' baseline
// queries: the topic's words, best five by bm25, with their text.
func BenchmarkFTS5(b *testing.B) {
	benchenv.EachCorpus(b, func(b *testing.B, s benchenv.Shape, n int) {
		c := benchenv.LoadSynthetic(b, s, n)
		topics := s.Generate(benchenv.Seed, n).Topics
		benchenv.ResetPeak()
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
		b.ReportMetric(benchenv.DirSize(filepath.Dir(path))/(1<<20), "index-MiB")
		b.ReportMetric(benchenv.PeakRSS()/(1<<20), "peak-RSS-MiB")

		db, err := sql.Open("sqlite", path)
		if err != nil {
			b.Fatal(err)
		}
		defer db.Close()
		var times []time.Duration
		for i := 0; i < 200; i++ {
			start := time.Now()
			if err := query(db, topics[i%len(topics)]); err != nil {
				b.Fatal(err)
			}
			times = append(times, time.Since(start))
		}
		b.ReportMetric(benchenv.Ms(benchenv.Percentile(times, 50)), "query-p50-ms")
		b.ReportMetric(benchenv.Ms(benchenv.Percentile(times, 99)), "query-p99-ms")
	})
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
