package brief_test

import (
	"context"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/briefbot/briefbot/brief"
	"github.com/briefbot/briefbot/corpus"
)

// republished is one wire story as three outlets carried it (another
// headline, a dateline, a photo credit, an edited paragraph, a corrected
// figure), and a different story that shares a formula with it.
var republished = fstest.MapFS{
	"wire.md": {Data: []byte(`---
title: Dam talks collapse as Nile states trade blame
outlet: Global Wire
published: 2024-03-05
---
Talks on the Blue Nile dam collapsed on Monday after negotiators from the three countries failed to agree on how fast the reservoir should be filled.

"We cannot accept terms that ignore our interests on water," Egyptian Foreign Minister Samir Haddad told reporters after the meeting in Kinshasa.

Haddad said Egypt would take the dispute to the United Nations Security Council if no agreement was reached by the end of the month.

Ethiopia's water minister said the filling would go ahead as planned and accused Cairo of trying to keep a colonial-era monopoly on the river.

At least 12 people were killed in clashes near the border last week, according to local officials quoted by state media.
`)},
	"copy.md": {Data: []byte(`---
title: Egypt threatens UN move over Nile dam
outlet: Daily Courier
published: 2024-03-05
---
CAIRO (Global Wire) —

Photo: Global Wire

Talks on the Blue Nile dam collapsed on Monday after negotiators from the three countries failed to agree on how fast the reservoir should be filled.

"We cannot accept terms that ignore our interests on water," Egyptian Foreign Minister Samir Haddad told reporters after the meeting in Kinshasa.

Haddad said Egypt would take the dispute to the UN Security Council if no agreement was reached by the end of the month.

Ethiopia's water minister said the filling would go ahead as planned and accused Cairo of trying to keep a colonial-era monopoly on the river.

At least 15 people were killed in clashes near the border last week, according to local officials quoted by state media.
`)},
	"other.md": {Data: []byte(`---
title: Fishing talks stall
outlet: Global Wire
published: 2024-03-06
---
"We cannot accept terms that ignore our interests on fishing," Egyptian Foreign Minister Samir Haddad told reporters after the meeting in Kinshasa.

The fishing talks will resume in April, officials said.
`)},
}

// TestRepublishedStoryOnce: a passage of a story carried by several
// outlets is one item citing every copy; an edited copy keeps its own
// words in its citation; a different story that shares a formula stays an
// item of its own; paging never shows a passage twice.
func TestRepublishedStoryOnce(t *testing.T) {
	f := newFixture(t, republished)
	ctx := context.Background()
	search, err := f.e.Search(ctx, "Security Council dispute", brief.Page{Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	checkCited(t, f.c, search)
	if len(search.Items) != 1 || len(search.Items[0].AlsoIn) != 1 {
		t.Fatalf("the edited paragraph should be one item citing both copies: %s", show(search))
	}
	also := search.Items[0].AlsoIn[0]
	if also.Text == "" || !strings.Contains(also.Text, "UN Security Council") && !strings.Contains(also.Text, "United Nations") {
		t.Errorf("the edited copy's own words are missing from its citation: %+v", also)
	}

	quotes, err := f.e.Quote(ctx, "Haddad", "", brief.Page{Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	checkCited(t, f.c, quotes)
	var water, fishing int
	for _, it := range quotes.Items {
		switch {
		case strings.Contains(it.Quote, "on water"):
			water++
			if len(it.AlsoIn) != 1 || it.AlsoIn[0].Text != "" {
				t.Errorf("the same quotation in two copies should be one item citing both: %+v", it)
			}
		case strings.Contains(it.Quote, "on fishing"):
			fishing++
			if len(it.AlsoIn) != 0 {
				t.Errorf("a quotation of another story is no repeat: %+v", it)
			}
		}
	}
	if water != 1 || fishing != 1 {
		t.Errorf("quotations: %d on water (want 1), %d on fishing (want 1): %s", water, fishing, show(quotes))
	}

	// A corrected figure is an edit of the same passage, and the copy's
	// figure stays visible in its citation.
	deaths, err := f.e.Search(ctx, "killed clashes border", brief.Page{Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	if len(deaths.Items) != 1 || len(deaths.Items[0].AlsoIn) != 1 || !strings.Contains(deaths.Items[0].AlsoIn[0].Text+deaths.Items[0].Text, "15") {
		t.Errorf("the corrected figure should be one item with the other figure in its citation: %s", show(deaths))
	}

	// Page by page, one item a page: each passage once.
	seen := map[string]bool{}
	for off := 0; off < 12; off++ {
		page, err := f.e.Search(ctx, "talks", brief.Page{Offset: off, Limit: 1})
		if err != nil {
			t.Fatal(err)
		}
		for _, it := range page.Items {
			if seen[it.Verbatim()] {
				t.Errorf("page %d repeats %q", off, it.Verbatim())
			}
			seen[it.Verbatim()] = true
		}
	}
}

// TestDigestStoryOnce: a story that arrives from two outlets is one entry
// of the digest, naming the other copy; a different story is its own.
func TestDigestStoryOnce(t *testing.T) {
	ctx := context.Background()
	built := time.Date(2024, 3, 5, 6, 0, 0, 0, time.UTC)
	ix := writableAt(t, &corpus.Corpus{Fingerprint: "empty"}, built)
	added := built.Add(time.Hour)
	arriveAt(t, ix, republished, added)
	d, err := brief.New(ix).Digest(ctx, built, added)
	if err != nil {
		t.Fatal(err)
	}
	entries, copies := 0, 0
	for _, topic := range d.Topics {
		for _, a := range topic.Articles {
			entries++
			copies += len(a.AlsoIn)
			if len(a.AlsoIn) == 1 && (a.Citation.File == "other.md" || a.AlsoIn[0].File == "other.md") {
				t.Errorf("another story is no copy: %+v", a)
			}
		}
	}
	if d.Articles != 3 || entries != 2 || copies != 1 {
		t.Errorf("3 new articles should make 2 entries, one naming the other copy: %d articles, %d entries, %d copies", d.Articles, entries, copies)
	}
}
