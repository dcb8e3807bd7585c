// Package benchenv is what the benchmarks share (those of package bench
// and of the bench/fts5 module): the generated corpora, in the shapes and
// sizes the environment asks for, written to disk once; and the process's
// peak memory.
//
//	BRIEFBOT_BENCH_SIZES=1000,10000   (the default)
//	BRIEFBOT_BENCH_CORPUS=small|realistic   (default: both)
package benchenv

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/briefbot/briefbot/corpus"
	"github.com/briefbot/briefbot/synth"
)

// Seed generates every benchmark corpus.
const Seed = 42

// Shape is one kind of generated corpus.
type Shape struct {
	Name     string
	Generate func(seed int64, n int) synth.Set
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

func shapes(b *testing.B) []Shape {
	all := []Shape{{"small", synth.Small}, {"realistic", synth.Realistic}}
	want := os.Getenv("BRIEFBOT_BENCH_CORPUS")
	if want == "" {
		return all
	}
	for _, s := range all {
		if s.Name == want {
			return []Shape{s}
		}
	}
	b.Fatalf("BRIEFBOT_BENCH_CORPUS: %q is neither small nor realistic", want)
	return nil
}

// EachCorpus runs f for every corpus shape and size, as sub-benchmarks
// named like "realistic-10000".
func EachCorpus(b *testing.B, f func(b *testing.B, s Shape, n int)) {
	for _, s := range shapes(b) {
		for _, n := range sizes(b) {
			b.Run(fmt.Sprintf("%s-%d", s.Name, n), func(b *testing.B) { f(b, s, n) })
		}
	}
}

// LoadSynthetic loads n generated articles from files on disk, as the bot
// loads a corpus (written once into the temp folder and kept between runs).
func LoadSynthetic(b *testing.B, s Shape, n int) *corpus.Corpus {
	b.Helper()
	c, err := corpus.LoadDir(SyntheticDir(b, s, n))
	if err != nil {
		b.Fatal(err)
	}
	return c
}

// SyntheticDir writes n generated articles into the temp folder, once.
func SyntheticDir(b *testing.B, s Shape, n int) string {
	b.Helper()
	dir := filepath.Join(os.TempDir(), fmt.Sprintf("briefbot-bench-corpus-%s-%d-%d", s.Name, Seed, n))
	done := filepath.Join(dir, ".complete")
	if _, err := os.Stat(done); err != nil {
		os.RemoveAll(dir)
		if err := synth.WriteDir(dir, s.Generate(Seed, n).Articles); err != nil {
			b.Fatal(err)
		}
		os.WriteFile(done, nil, 0o644)
	}
	return dir
}

// PeakRSS reads the process's peak resident memory (VmHWM) in bytes;
// ResetPeak starts a new peak (Linux: writing 5 to clear_refs).
func PeakRSS() float64 {
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

// ResetPeak: see PeakRSS.
func ResetPeak() { os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) }

// DirSize is the bytes of the files under dir.
func DirSize(dir string) float64 {
	var total int64
	filepath.Walk(dir, func(_ string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() {
			total += info.Size()
		}
		return nil
	})
	return float64(total)
}

// Percentile is the p-th percentile of ds (ds is left as it is).
func Percentile(ds []time.Duration, p int) time.Duration {
	s := append([]time.Duration(nil), ds...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	if len(s) == 0 {
		return 0
	}
	return s[min(len(s)-1, len(s)*p/100)]
}

// Ms is d in milliseconds, as benchmarks report it.
func Ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
