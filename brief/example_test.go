package brief_test

import (
	"context"
	"fmt"
	"os"
	"testing/fstest"

	"github.com/briefbot/briefbot/brief"
	"github.com/briefbot/briefbot/corpus"
	"github.com/briefbot/briefbot/index"
)

// An engine over an index of two articles answers with verbatim, cited quotations.
func ExampleEngine_Quote() {
	c, _ := corpus.Load(fstest.MapFS{
		"harbour.md": {Data: []byte("---\ntitle: Harbour deal agreed\noutlet: Coast Post\npublished: 2026-11-30\n---\n" +
			"The harbour authority and the fishermen agreed a new lease on Monday.\n\n" +
			"“This keeps the boats in the water and the jobs in the town,” said Mayor Elin Dahl after the vote.")},
		"ferry.md": {Data: []byte("---\ntitle: Ferry strike ends\noutlet: Coast Post\npublished: 2026-11-29\n---\n" +
			"The ferry crews ended their strike on Saturday.")},
	})
	dir, _ := os.MkdirTemp("", "briefbot-example-")
	defer os.RemoveAll(dir)
	ix, err := index.Build(context.Background(), dir, c, index.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer ix.Close()

	ans, err := brief.New(ix).Quote(context.Background(), "Dahl", "", brief.Page{Limit: 5})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, it := range ans.Items {
		fmt.Printf("%s: %s\n— %s, %s, %s, ¶%d\n", it.Speaker, it.Quote, it.Citation.Title, it.Citation.Outlet, it.Citation.Published, it.Citation.Paragraph)
	}
	// Output:
	// Elin Dahl: This keeps the boats in the water and the jobs in the town,
	// — Harbour deal agreed, Coast Post, 2026-11-30, ¶2
}
