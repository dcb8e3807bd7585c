package index

import (
	"fmt"
	"math"
	"testing"

	"github.com/briefbot/briefbot/corpus"
)

// TestCopies: sketches estimate the share of paragraphs two articles have
// in common, exactly for short articles and closely for long ones, and an
// article's headline, furniture and short lines do not count.
func TestCopies(t *testing.T) {
	para := func(i int) corpus.Paragraph {
		return corpus.Paragraph{Text: fmt.Sprintf("Paragraph number %d of the story says something of its own.", i)}
	}
	article := func(title string, from, to int, extra ...string) *corpus.Article {
		a := &corpus.Article{Title: title}
		for _, e := range extra {
			a.Paragraphs = append(a.Paragraphs, corpus.Paragraph{Text: e})
		}
		for i := from; i < to; i++ {
			a.Paragraphs = append(a.Paragraphs, para(i))
		}
		return a
	}
	tests := []struct {
		name string
		a, b *corpus.Article
		want float64
		tol  float64
	}{
		{"the same story under another headline, with a dateline", article("One", 0, 8), article("Two", 0, 8, "CAIRO (Wire) —"), 1, 0},
		{"two paragraphs of seven edited", article("One", 0, 7), article("Two", 2, 9), 5.0 / 9, 0},
		{"two stories", article("One", 0, 8), article("Two", 100, 108), 0, 0},
		{"long stories sharing half", article("One", 0, 200), article("Two", 100, 300), 1.0 / 3, 0.2},
		{"an empty article", article("One", 0, 0), article("Two", 0, 5), 0, 0},
	}
	for _, tc := range tests {
		got := Copies(Sketch(tc.a), Sketch(tc.b))
		if math.Abs(got-tc.want) > tc.tol+1e-9 {
			t.Errorf("%s: %.2f, want %.2f", tc.name, got, tc.want)
		}
		if back := Copies(Sketch(tc.b), Sketch(tc.a)); back != got {
			t.Errorf("%s: not symmetric (%.2f, %.2f)", tc.name, got, back)
		}
	}
}
