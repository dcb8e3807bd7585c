package ingest

import (
	"errors"
	"net/url"
	"os"
	"strings"
	"testing"
)

func TestFromHTML(t *testing.T) {
	page := func(s string) *url.URL { u, _ := url.Parse(s); return u }
	tests := []struct {
		file                        string
		pageURL                     *url.URL
		title, outlet, author, date string
		canonical                   string
		firstWords                  string
		mustHave                    []string
		mustNotHave                 []string
	}{
		{"page-og.html", page("https://coastal.example/news/harbour-deal?utm_source=x"),
			"Harbour deal agreed after night of talks", "The Coastal Times", "Ida Lund", "2026-11-19",
			"https://coastal.example/news/harbour-deal?ref=home", "The harbour authority",
			[]string{"“This agreement keeps the boats in the water and the jobs in the town,” said Mayor Elin Dahl"},
			[]string{"Sign in", "Most read", "All rights reserved", "Subscribe"}},
		{"page-jsonld.html", page("https://northsea.example/2026/10/wind"),
			"Council votes against offshore wind farm", "North Sea Post", "Jonas Berg", "2026-10-02",
			"https://northsea.example/2026/10/wind", "The regional council",
			[]string{"“We are not against wind power, we are against this site,” council leader Mari Solberg"},
			[]string{"Front page", "Weather"}},
		{"page-time.html", nil,
			"Ferry timetable changes", "", "", "2026-09-14",
			"", "The ferry company",
			[]string{"Tove Aas"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			data, err := os.ReadFile("testdata/" + tt.file)
			if err != nil {
				t.Fatal(err)
			}
			a, err := FromHTML(data, tt.pageURL)
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]string{"title": a.Title, "outlet": a.Outlet, "author": a.Author, "url": a.URL}
			want := map[string]string{"title": tt.title, "outlet": tt.outlet, "author": tt.author, "url": tt.canonical}
			for k := range want {
				if got[k] != want[k] {
					t.Errorf("%s: got %q, want %q", k, got[k], want[k])
				}
			}
			if d := a.Published.Format("2006-01-02"); d != tt.date {
				t.Errorf("published %s, want %s", d, tt.date)
			}
			if len(a.Paragraphs) == 0 || !strings.HasPrefix(a.Paragraphs[0].Text, tt.firstWords) {
				t.Fatalf("first paragraph should start %q: %+v", tt.firstWords, a.Paragraphs)
			}
			var body strings.Builder
			for _, p := range a.Paragraphs {
				body.WriteString(p.Text + "\n")
			}
			for _, s := range tt.mustHave {
				if !strings.Contains(body.String(), s) {
					t.Errorf("body lacks %q:\n%s", s, body.String())
				}
			}
			for _, s := range tt.mustNotHave {
				if strings.Contains(body.String(), s) {
					t.Errorf("page furniture %q kept:\n%s", s, body.String())
				}
			}
		})
	}
}

func TestFromHTMLRefusesPagesWithoutArticle(t *testing.T) {
	for _, data := range []string{
		"", "<html></html>", "not html at all \x00\xff", "<html><body><p>Too short.</p></body></html>",
	} {
		if _, err := FromHTML([]byte(data), nil); !errors.Is(err, ErrNoArticle) {
			t.Errorf("%q: want ErrNoArticle, got %v", data, err)
		}
	}
	data, _ := os.ReadFile("testdata/page-noarticle.html")
	if _, err := FromHTML(data, nil); !errors.Is(err, ErrNoArticle) {
		t.Errorf("a sign-in page: want ErrNoArticle, got %v", err)
	}
}

func TestURLKey(t *testing.T) {
	same := []string{
		"https://www.Example.com/news/a/", "http://example.com/news/a", "https://example.com/news/a#comments",
		"https://example.com/news/a?utm_source=rss&utm_medium=feed", "https://example.com/news/a?fbclid=123",
	}
	for _, u := range same[1:] {
		if urlKey(u) != urlKey(same[0]) {
			t.Errorf("%s → %s, want %s", u, urlKey(u), urlKey(same[0]))
		}
	}
	if urlKey("https://example.com/news/a?id=1") == urlKey("https://example.com/news/a?id=2") {
		t.Error("real query parameters must tell pages apart")
	}
}
