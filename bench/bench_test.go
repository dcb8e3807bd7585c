// Package bench measures briefbot on synthetic corpora: index build rate,
// index size, answer latency against plain Bleve, and peak memory.
//
//	go test ./bench -run '^$' -bench . -benchtime 200x                 # 1,000 and 10,000 articles
//	BRIEFBOT_BENCH_SIZES=100000 go test ./bench -run '^$' -bench . -benchtime 200x -timeout 60m
//	BRIEFBOT_BENCH_CORPUS=realistic go test ./bench -run '^$' -bench Build -benchtime 1x
//
// Each runs on two corpora (synth.Small and synth.Realistic) unless
// BRIEFBOT_BENCH_CORPUS names one.
//
// See BENCHMARKS.md for the figures.
package bench

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/briefbot/briefbot/bench/benchenv"
	"github.com/briefbot/briefbot/brief"
	"github.com/briefbot/briefbot/corpus"
	"github.com/briefbot/briefbot/index"
	"github.com/briefbot/briefbot/synth"
)

func BenchmarkBuild(b *testing.B) {
	benchenv.EachCorpus(b, func(b *testing.B, s benchenv.Shape, n int) {
		c := benchenv.LoadSynthetic(b, s, n)
		benchenv.ResetPeak()
		var size float64
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			dir := b.TempDir()
			ix, err := index.Build(context.Background(), dir, c, index.Options{})
			if err != nil {
				b.Fatal(err)
			}
			size = benchenv.DirSize(ix.Path())
			ix.Close()
		}
		b.StopTimer()
		b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "articles/s")
		b.ReportMetric(size/(1<<20), "index-MiB")
		b.ReportMetric(benchenv.PeakRSS()/(1<<20), "peak-RSS-MiB")
	})
}

// openBenchIndex builds (once, kept in the temp folder between runs) and opens
// the index of n synthetic articles.
func openBenchIndex(b *testing.B, s benchenv.Shape, n int) *index.Index {
	b.Helper()
	dir := filepath.Join(os.TempDir(), fmt.Sprintf("briefbot-bench-%s-%d-%d", s.Name, benchenv.Seed, n))
	ix, _, err := index.Open(context.Background(), dir, os.DirFS(benchenv.SyntheticDir(b, s, n)), index.Options{})
	if err != nil {
		b.Fatal(err)
	}
	return ix
}

// BenchmarkAnswers times each answer kind and plain Bleve on the same words,
// one of each per iteration, and reports their p50 and p99 in milliseconds.
func BenchmarkAnswers(b *testing.B) {
	benchenv.EachCorpus(b, func(b *testing.B, s benchenv.Shape, n int) {
		ix := openBenchIndex(b, s, n)
		defer ix.Close()
		e := brief.New(ix)
		ctx := context.Background()
		set := s.Generate(benchenv.Seed, n) // the topics and people to ask about depend on the corpus
		topics, speakers := set.Topics, set.Speakers
		kinds := []struct {
			name string
			run  func(i int) error
		}{
			{"stance", func(i int) error {
				_, err := e.Stance(ctx, brief.StanceQuery{Topic: topics[i%len(topics)]}, brief.Page{})
				return err
			}},
			{"timeline", func(i int) error {
				_, err := e.Timeline(ctx, topics[i%len(topics)], "", "", brief.Page{})
				return err
			}},
			{"quote", func(i int) error {
				_, err := e.Quote(ctx, speakers[i%len(speakers)], topics[i%len(topics)], brief.Page{})
				return err
			}},
			{"search", func(i int) error { _, err := e.Search(ctx, topics[i%len(topics)], brief.Page{}); return err }},
			{"plain", func(i int) error {
				_, err := ix.PlainSearch(ctx, topics[i%len(topics)], brief.DefaultLimit)
				return err
			}},
		}
		times := make([][]time.Duration, len(kinds))
		benchenv.ResetPeak()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			for k, kind := range kinds {
				start := time.Now()
				if err := kind.run(i); err != nil {
					b.Fatal(err)
				}
				times[k] = append(times[k], time.Since(start))
			}
		}
		b.StopTimer()
		plain := benchenv.Percentile(times[len(kinds)-1], 50)
		for k, kind := range kinds {
			p50, p99 := benchenv.Percentile(times[k], 50), benchenv.Percentile(times[k], 99)
			b.ReportMetric(benchenv.Ms(p50), kind.name+"-p50-ms")
			b.ReportMetric(benchenv.Ms(p99), kind.name+"-p99-ms")
			if kind.name != "plain" {
				b.ReportMetric(float64(p50)/float64(plain), kind.name+"/plain-p50")
			}
		}
		b.ReportMetric(benchenv.PeakRSS()/(1<<20), "peak-RSS-MiB")
	})
}

// BenchmarkIngest adds one article per iteration to an index of n articles,
// as ingestion does: extraction against the known speakers, one atomic
// Bleve batch with the documents and the index's metadata.
func BenchmarkIngest(b *testing.B) {
	benchenv.EachCorpus(b, func(b *testing.B, s benchenv.Shape, n int) {
		ix, err := index.Build(context.Background(), b.TempDir(), benchenv.LoadSynthetic(b, s, n), index.Options{Writable: true})
		if err != nil {
			b.Fatal(err)
		}
		defer ix.Close()
		fresh, err := corpus.Load(synth.FS(s.Generate(benchenv.Seed+1, b.N).Articles))
		if err != nil {
			b.Fatal(err)
		}
		for _, a := range fresh.Articles {
			a.ID, a.File = "new-"+a.ID, "new-"+a.File
		}
		benchenv.ResetPeak()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			a := fresh.Articles[i%len(fresh.Articles)]
			if err := ix.Apply(context.Background(), index.Change{Upsert: []*corpus.Article{a}, Hashes: map[string]string{a.File: a.ID}}, index.Options{}); err != nil {
				b.Fatal(err)
			}
		}
		b.StopTimer()
		b.ReportMetric(benchenv.PeakRSS()/(1<<20), "peak-RSS-MiB")
	})
}
