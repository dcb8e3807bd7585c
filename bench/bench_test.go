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
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/briefbot/briefbot/brief"
	"github.com/briefbot/briefbot/corpus"
	"github.com/briefbot/briefbot/index"
	"github.com/briefbot/briefbot/synth"
)

const seed = 42

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

// shape is one kind of generated corpus.
type shape struct {
	name     string
	generate func(seed int64, n int) synth.Set
}

func shapes(b *testing.B) []shape {
	all := []shape{{"small", synth.Small}, {"realistic", synth.Realistic}}
	want := os.Getenv("BRIEFBOT_BENCH_CORPUS")
	if want == "" {
		return all
	}
	for _, s := range all {
		if s.name == want {
			return []shape{s}
		}
	}
	b.Fatalf("BRIEFBOT_BENCH_CORPUS: %q is neither small nor realistic", want)
	return nil
}

// eachCorpus runs f for every corpus shape and size, as sub-benchmarks
// named like "realistic-10000".
func eachCorpus(b *testing.B, f func(b *testing.B, s shape, n int)) {
	for _, s := range shapes(b) {
		for _, n := range sizes(b) {
			b.Run(fmt.Sprintf("%s-%d", s.name, n), func(b *testing.B) { f(b, s, n) })
		}
	}
}

// loadSynthetic loads n generated articles from files on disk, as the bot
// loads a corpus (written once into the temp folder and kept between runs).
func loadSynthetic(b *testing.B, s shape, n int) *corpus.Corpus {
	b.Helper()
	c, err := corpus.LoadDir(syntheticDir(b, s, n))
	if err != nil {
		b.Fatal(err)
	}
	return c
}

// syntheticDir writes n generated articles into the temp folder, once.
func syntheticDir(b *testing.B, s shape, n int) string {
	b.Helper()
	dir := filepath.Join(os.TempDir(), fmt.Sprintf("briefbot-bench-corpus-%s-%d-%d", s.name, seed, n))
	done := filepath.Join(dir, ".complete")
	if _, err := os.Stat(done); err != nil {
		os.RemoveAll(dir)
		if err := synth.WriteDir(dir, s.generate(seed, n).Articles); err != nil {
			b.Fatal(err)
		}
		os.WriteFile(done, nil, 0o644)
	}
	return dir
}

// peakRSS reads the process's peak resident memory (VmHWM) in bytes;
// resetPeak starts a new peak (Linux: writing 5 to clear_refs).
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

func dirSize(dir string) float64 {
	var total int64
	filepath.Walk(dir, func(_ string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() {
			total += info.Size()
		}
		return nil
	})
	return float64(total)
}

// BenchmarkBuild indexes n synthetic articles (extraction included) per iteration.
func BenchmarkBuild(b *testing.B) {
	eachCorpus(b, func(b *testing.B, s shape, n int) {
		c := loadSynthetic(b, s, n)
		resetPeak()
		var size float64
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			dir := b.TempDir()
			ix, err := index.Build(context.Background(), dir, c, index.Options{})
			if err != nil {
				b.Fatal(err)
			}
			size = dirSize(ix.Path())
			ix.Close()
		}
		b.StopTimer()
		b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "articles/s")
		b.ReportMetric(size/(1<<20), "index-MiB")
		b.ReportMetric(peakRSS()/(1<<20), "peak-RSS-MiB")
	})
}

// openBenchIndex builds (once, kept in the temp folder between runs) and opens
// the index of n synthetic articles.
func openBenchIndex(b *testing.B, s shape, n int) *index.Index {
	b.Helper()
	dir := filepath.Join(os.TempDir(), fmt.Sprintf("briefbot-bench-%s-%d-%d", s.name, seed, n))
	ix, _, err := index.Open(context.Background(), dir, os.DirFS(syntheticDir(b, s, n)), index.Options{})
	if err != nil {
		b.Fatal(err)
	}
	return ix
}

// BenchmarkAnswers times each answer kind and plain Bleve on the same words,
// one of each per iteration, and reports their p50 and p99 in milliseconds.
func BenchmarkAnswers(b *testing.B) {
	eachCorpus(b, func(b *testing.B, s shape, n int) {
		ix := openBenchIndex(b, s, n)
		defer ix.Close()
		e := brief.New(ix)
		ctx := context.Background()
		set := s.generate(seed, n) // the topics and people to ask about depend on the corpus
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
		resetPeak()
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
		plain := percentile(times[len(kinds)-1], 50)
		for k, kind := range kinds {
			p50, p99 := percentile(times[k], 50), percentile(times[k], 99)
			b.ReportMetric(ms(p50), kind.name+"-p50-ms")
			b.ReportMetric(ms(p99), kind.name+"-p99-ms")
			if kind.name != "plain" {
				b.ReportMetric(float64(p50)/float64(plain), kind.name+"/plain-p50")
			}
		}
		b.ReportMetric(peakRSS()/(1<<20), "peak-RSS-MiB")
	})
}

func percentile(ds []time.Duration, p int) time.Duration {
	s := append([]time.Duration(nil), ds...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	if len(s) == 0 {
		return 0
	}
	return s[min(len(s)-1, len(s)*p/100)]
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// BenchmarkIngest adds one article per iteration to an index of n articles,
// as ingestion does: extraction against the known speakers, one atomic
// Bleve batch with the documents and the index's metadata.
func BenchmarkIngest(b *testing.B) {
	eachCorpus(b, func(b *testing.B, s shape, n int) {
		ix, err := index.Build(context.Background(), b.TempDir(), loadSynthetic(b, s, n), index.Options{Writable: true})
		if err != nil {
			b.Fatal(err)
		}
		defer ix.Close()
		fresh, err := corpus.Load(synth.FS(s.generate(seed+1, b.N).Articles))
		if err != nil {
			b.Fatal(err)
		}
		for _, a := range fresh.Articles {
			a.ID, a.File = "new-"+a.ID, "new-"+a.File
		}
		resetPeak()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			a := fresh.Articles[i%len(fresh.Articles)]
			if err := ix.Apply(context.Background(), index.Change{Upsert: []*corpus.Article{a}, Hashes: map[string]string{a.File: a.ID}}, index.Options{}); err != nil {
				b.Fatal(err)
			}
		}
		b.StopTimer()
		b.ReportMetric(peakRSS()/(1<<20), "peak-RSS-MiB")
	})
}
