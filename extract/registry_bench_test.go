package extract

import (
	"fmt"
	"math/rand"
	"testing"
)

// BenchmarkRegistryRebuild forms the speakers of a corpus with tens of
// thousands of distinct people (surnames shared as in real news): blocking
// by surname keeps it near-linear.
func BenchmarkRegistryRebuild(b *testing.B) {
	for _, n := range []int{16000, 64000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			r := rand.New(rand.NewSource(1))
			word := func(min, max int) string {
				const letters = "abcdefghijklmnopqrstuvwxyz"
				w := []byte{"ABCDEFGHIJKLMNOPRSTVW"[r.Intn(21)]}
				for k := 0; k < min+r.Intn(max-min); k++ {
					w = append(w, letters[r.Intn(26)])
				}
				return string(w)
			}
			// Surnames are shared the way real ones are: a few are common.
			surnames := make([]string, n/3)
			for i := range surnames {
				surnames[i] = word(4, 8)
			}
			reg := NewRegistry(NewGazetteer(nil))
			for i := 0; i < n; i++ {
				surname := surnames[int(float64(len(surnames))*r.Float64()*r.Float64())]
				reg.Add([]NameUse{{Name: word(3, 7) + " " + surname, Person: true, Count: 1}, {Name: surname, Person: true, Count: 1}}, 1)
			}
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				reg.Rebuild()
			}
			b.ReportMetric(float64(len(reg.Speakers)), "speakers")
		})
	}
}
