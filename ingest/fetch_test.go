package ingest

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/japanese"

	"github.com/briefbot/briefbot/index"
)

// Pages are read in their own charset (the header's, else the page's
// <meta>) and stored as UTF-8; a PDF or an image served as a web page is
// refused, not stored as an article.
func TestFetchedPagesCharsetsAndImpostors(t *testing.T) {
	latin1, _ := charmap.ISO8859_1.NewEncoder().String("<html><head><title>Café reopens</title></head><body><article><p>The café on the quay reopened on Monday, said the owner, Søren Ålund, after a winter of repairs that cost more than anyone had hoped.</p><p>Regulars queued from early morning for the first coffee, and the owner said the terrace would open again in the spring once the council had approved the new railings.</p></article></body></html>")
	sjis, _ := japanese.ShiftJIS.NewEncoder().String(`<html><head><meta charset="shift_jis"><title>港の再開</title></head><body><article><p>港は月曜日に再開したと市長が述べた。修理には冬の間ずっとかかり、予想以上の費用がかかったという。地元の漁師たちは再開を歓迎した。</p><p>市によると、新しい岸壁は来年の春までに完成する予定で、観光客向けの遊覧船も夏から運航を再開する。漁業組合の代表は、冬の間の収入減が大きかったと話し、市に支援を求めた。市長は支援策を来月までにまとめると約束し、漁師たちとの話し合いを続けると述べた。港の周辺の商店も客足の回復を期待している。地元の住民は、港の再開を長い間待っていたと話し、祭りの準備を始めた。</p></article></body></html>`)
	mux := http.NewServeMux()
	mux.HandleFunc("/latin1", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=iso-8859-1")
		w.Write([]byte(latin1))
	})
	mux.HandleFunc("/sjis", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html") // the charset is only in the page
		w.Write([]byte(sjis))
	})
	mux.HandleFunc("/pdf-as-html", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.Write([]byte("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog >> endobj"))
	})
	mux.HandleFunc("/png-as-html", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.Write([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"))
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	f := newFixture(t, FetchOptions{})
	rs := f.in.URLs(context.Background(), []string{srv.URL + "/latin1", srv.URL + "/sjis", srv.URL + "/pdf-as-html", srv.URL + "/png-as-html"})
	if got := statuses(rs); got != "added,added,failed,failed" {
		t.Fatalf("statuses %s: %+v", got, rs)
	}
	if !strings.Contains(rs[2].Reason, "PDF") || !strings.Contains(rs[3].Reason, "image/png") {
		t.Errorf("reasons: %q, %q", rs[2].Reason, rs[3].Reason)
	}
	for _, tt := range []struct{ file, want string }{{rs[0].File, "Søren Ålund"}, {rs[1].File, "港は月曜日に再開した"}} {
		a, ok := f.ix.Article(tt.file)
		if !ok {
			t.Fatalf("%s not indexed", tt.file)
		}
		hits, _, err := f.ix.Search(context.Background(), indexQueryOf(a.ID))
		if err != nil || len(hits) == 0 || !strings.Contains(hits[0].Text, tt.want) {
			t.Errorf("%s: stored text %+v lacks %q (%v)", tt.file, hits, tt.want, err)
		}
	}
}

// A feed with more new items than any fixed head of it is read in full;
// a feed with no items, or none new, says so instead of saying nothing.
func TestFeedsPastTheFirstItemsAndEmptyFeeds(t *testing.T) {
	mux := http.NewServeMux()
	var srv *httptest.Server
	mux.HandleFunc("/big.xml", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		var b strings.Builder
		b.WriteString(`<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>`)
		for i := 0; i < 200; i++ {
			fmt.Fprintf(&b, `<item><title>Item %d</title><link>%s/item/%d</link><description><![CDATA[<p>Wire item %d says the pier %d was repaired on Monday by the harbour authority, officials said.</p><p>The authority said the repairs had been planned for two years and were paid for by the port fees, and that the pier would be open to fishing boats and ferries alike from the end of the week.</p>]]></description></item>`, i, srv.URL, i, i, i)
		}
		b.WriteString(`</channel></rss>`)
		w.Write([]byte(b.String()))
	})
	mux.HandleFunc("/item/", func(w http.ResponseWriter, r *http.Request) { http.NotFound(w, r) })
	mux.HandleFunc("/empty.xml", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		w.Write([]byte(`<?xml version="1.0"?><rss version="2.0"><channel><title>Quiet</title></channel></rss>`))
	})
	srv = httptest.NewServer(mux)
	defer srv.Close()
	f := newFixture(t, FetchOptions{})
	ctx := context.Background()
	rs := f.in.URLs(ctx, []string{srv.URL + "/big.xml"})
	if len(rs) != 200 || strings.Count(statuses(rs), "added") != 200 {
		t.Fatalf("200 new items: %d results, %s", len(rs), statuses(rs))
	}
	rs = f.in.URLs(ctx, []string{srv.URL + "/big.xml", srv.URL + "/empty.xml"})
	if statuses(rs) != "nothing new,nothing new" || !strings.Contains(rs[0].String(), "stored already") || !strings.Contains(rs[1].String(), "no items") {
		t.Errorf("a second poll and an empty feed: %+v", rs)
	}
}

func indexQueryOf(article string) index.Query {
	return index.Query{Kind: index.KindParagraph, Article: article, Order: index.ByPosition, Size: 10}
}
