package brief_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/briefbot/briefbot/brief"
)

// Narrowing keeps the items of one outlet or publication period, and
// all of them: paging through a narrowed answer sees each one once.
func TestNarrowToOutletOrPeriod(t *testing.T) {
	f := bundled(t)
	ctx := context.Background()
	asks := map[string]func(p brief.Page) (*brief.Answer, error){
		"stance":   func(p brief.Page) (*brief.Answer, error) { return f.e.Stance(ctx, brief.StanceQuery{Topic: "Iran"}, p) },
		"timeline": func(p brief.Page) (*brief.Answer, error) { return f.e.Timeline(ctx, "Iran", "", "", p) },
		"quote":    func(p brief.Page) (*brief.Answer, error) { return f.e.Quote(ctx, "", "Iran", p) },
		"search":   func(p brief.Page) (*brief.Answer, error) { return f.e.Search(ctx, "Iran", p) },
	}
	for name, ask := range asks {
		all, err := ask(brief.Page{Limit: brief.MaxLimit})
		if err != nil || len(all.Items) == 0 {
			t.Fatalf("%s: %v %+v", name, err, all)
		}
		first := all.Items[0].Citation
		for _, only := range []brief.Only{{Outlet: strings.ToUpper(first.Outlet)}, {Published: first.Published[:4]}, {Published: first.Published[:7], Outlet: first.Outlet}} {
			got, err := ask(brief.Page{Limit: 2, Only: only})
			if err != nil {
				t.Fatalf("%s %+v: %v", name, only, err)
			}
			if got.Total == 0 || got.Total > all.Total {
				t.Errorf("%s %+v: %d of %d", name, only, got.Total, all.Total)
			}
			var seen []brief.Item
			for off := 0; off < got.Total; off += 2 {
				page, err := ask(brief.Page{Offset: off, Limit: 2, Only: only})
				if err != nil {
					t.Fatal(err)
				}
				seen = append(seen, page.Items...)
			}
			for _, it := range seen {
				c := it.Citation
				if only.Outlet != "" && !strings.EqualFold(c.Outlet, only.Outlet) || !strings.HasPrefix(c.Published, only.Published) {
					t.Errorf("%s %+v: an item of %s, %s", name, only, c.Outlet, c.Published)
				}
			}
			if name != "timeline" && len(seen) != got.Total { // a timeline folds repeats into one item
				t.Errorf("%s %+v: paging saw %d of %d", name, only, len(seen), got.Total)
			}
			if !strings.Contains(got.Query["outlet"]+got.Query["published"], only.Outlet+only.Published) {
				t.Errorf("%s: the answer does not say it is narrowed: %v", name, got.Query)
			}
		}
		none, err := ask(brief.Page{Only: brief.Only{Outlet: "No Such Outlet"}})
		if err != nil || len(none.Items) != 0 {
			t.Errorf("%s: an outlet without articles: %v %+v", name, err, none)
		}
		var ie *brief.InputError
		if _, err := ask(brief.Page{Only: brief.Only{Published: "last year"}}); !errors.As(err, &ie) {
			t.Errorf("%s: a period that is not one: %v", name, err)
		}
	}
}
