package bench

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"

	"github.com/briefbot/briefbot/bench/benchenv"
	"github.com/briefbot/briefbot/corpus"
	"github.com/briefbot/briefbot/index"
)

// BenchmarkPlainBleve is what a team would get from Bleve alone, built and
// queried in the same run as BenchmarkBuild and BenchmarkAnswers: the same
// articles' text, one document per paragraph, Bleve's default mapping with
// the English analyser, written with its offline builder in batches as
// ours is; then the same match queries as the answers' baseline, top 5 with
// the stored text. It reports the build rate and peak memory beside the
// queries' p50 and p99.
func BenchmarkPlainBleve(b *testing.B) {
	benchenv.EachCorpus(b, func(b *testing.B, s benchenv.Shape, n int) {
		c := benchenv.LoadSynthetic(b, s, n)
		topics := s.Generate(benchenv.Seed, n).Topics
		benchenv.ResetPeak()
		var path string
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			path = filepath.Join(b.TempDir(), "plain")
			if err := buildPlain(path, c); err != nil {
				b.Fatal(err)
			}
		}
		b.StopTimer()
		b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "articles/s")
		b.ReportMetric(benchenv.DirSize(path)/(1<<20), "index-MiB")
		b.ReportMetric(benchenv.PeakRSS()/(1<<20), "peak-RSS-MiB")

		ix, err := bleve.Open(path)
		if err != nil {
			b.Fatal(err)
		}
		defer ix.Close()
		var times []time.Duration
		for i := 0; i < 200; i++ {
			q := bleve.NewMatchQuery(topics[i%len(topics)])
			q.SetField("text")
			req := bleve.NewSearchRequestOptions(q, 5, 0, false)
			req.Fields = []string{"text"}
			start := time.Now()
			if _, err := ix.SearchInContext(context.Background(), req); err != nil {
				b.Fatal(err)
			}
			times = append(times, time.Since(start))
		}
		b.ReportMetric(benchenv.Ms(benchenv.Percentile(times, 50)), "query-p50-ms")
		b.ReportMetric(benchenv.Ms(benchenv.Percentile(times, 99)), "query-p99-ms")
	})
}

// buildPlain writes corpus c's paragraphs into a new Bleve index at path.
func buildPlain(path string, c *corpus.Corpus) error {
	m := bleve.NewIndexMapping()
	m.DefaultAnalyzer = en.AnalyzerName
	bl, err := bleve.NewBuilder(path, m, map[string]interface{}{"batchSize": index.BuilderBatch, "buildPathPrefix": filepath.Dir(path)})
	if err != nil {
		return err
	}
	for _, a := range c.Articles {
		for _, p := range a.Paragraphs {
			if err := bl.Index(fmt.Sprintf("%s/%d", a.ID, p.N), map[string]interface{}{"text": p.Text}); err != nil {
				bl.Close()
				return err
			}
		}
	}
	return bl.Close()
}
