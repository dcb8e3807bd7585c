package index_test

import (
	"context"
	"fmt"
	"os"
	"testing/fstest"

	"github.com/briefbot/briefbot/corpus"
	"github.com/briefbot/briefbot/index"
)

// An index is built beside any old one, then searched with typed queries:
// here, the paragraphs with a word, in reading order.
func ExampleIndex_Search() {
	c, _ := corpus.Load(fstest.MapFS{
		"harbour.md": {Data: []byte("---\ntitle: Harbour deal agreed\npublished: 2026-11-30\n---\n" +
			"The harbour authority and the fishermen agreed a new lease on Monday.\n\n" +
			"The lease keeps the harbour open to small boats.")},
	})
	dir, _ := os.MkdirTemp("", "briefbot-example-")
	defer os.RemoveAll(dir)
	ix, err := index.Build(context.Background(), dir, c, index.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer ix.Close()

	hits, total, err := ix.Search(context.Background(), index.Query{Kind: index.KindParagraph, Words: "lease", Order: index.ByPosition, Size: 10})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(total, "paragraphs")
	for _, h := range hits {
		fmt.Printf("%s ¶%d: %s\n", h.Article, h.Para, h.Text)
	}
	// Output:
	// 2 paragraphs
	// harbour.md ¶1: The harbour authority and the fishermen agreed a new lease on Monday.
	// harbour.md ¶2: The lease keeps the harbour open to small boats.
}
