package ingest

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/fstest"
	"time"

	"github.com/briefbot/briefbot/corpus"
	"github.com/briefbot/briefbot/index"
)

// base is a small corpus folder the ingested articles join.
func base() fstest.MapFS {
	return fstest.MapFS{
		"base.md": {Data: []byte("---\ntitle: Quay closed\nurl: https://coastal.example/news/quay-closed\npublished: 2026-10-20\n---\n" +
			"The northern quay was closed on Monday after the lease talks broke down.\n\n" +
			"“We cannot pay the new fee,” said Per Holm, who leads the fishermen.")},
	}
}

type fixture struct {
	ix      *index.Index
	in      *Ingester
	library string
	data    string
	clock   *fakeNow
}

type fakeNow struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeNow) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeNow) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func newFixture(t *testing.T, fetchOpts FetchOptions) *fixture {
	t.Helper()
	data := t.TempDir()
	f := &fixture{library: filepath.Join(data, "articles"), data: data, clock: &fakeNow{t: time.Date(2026, 11, 24, 7, 0, 0, 0, time.UTC)}}
	f.open(t)
	fetchOpts.AllowPrivate = true // the test server is on loopback
	in, err := New(Config{Index: f.ix, Library: f.library, Fetcher: NewFetcher(fetchOpts), Now: f.clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	f.in = in
	return f
}

// open (re)opens the index as the bot does on start.
func (f *fixture) open(t *testing.T) string {
	t.Helper()
	if f.ix != nil {
		f.ix.Close()
	}
	ix, note, err := index.Open(context.Background(), filepath.Join(f.data, "index"),
		corpus.Overlay(base(), os.DirFS(f.library)), index.Options{Writable: true, Now: f.clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	f.ix = ix
	if f.in != nil {
		f.in.index = ix
	}
	return note
}

func (f *fixture) quote(t *testing.T, words string) []index.Hit {
	t.Helper()
	hits, _, err := f.ix.Search(context.Background(), index.Query{Kind: index.KindQuote, Words: words, Size: 10})
	if err != nil {
		t.Fatal(err)
	}
	return hits
}

func statuses(rs []Result) string {
	var out []string
	for _, r := range rs {
		out = append(out, string(r.Status))
	}
	return strings.Join(out, ",")
}

// site serves article pages, feeds and failures.
type site struct {
	*httptest.Server
	version atomic.Int32 // of /moving
}

func newSite(t *testing.T) *site {
	t.Helper()
	s := &site{}
	read := func(name string) []byte {
		b, err := os.ReadFile("testdata/" + name)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	mux := http.NewServeMux()
	html := func(body []byte) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Write(body)
		}
	}
	mux.HandleFunc("/news/harbour-deal", html(read("page-og.html")))
	mux.HandleFunc("/wind", html(read("page-jsonld.html")))
	mux.HandleFunc("/ferry", html(read("page-time.html")))
	mux.HandleFunc("/signin", html(read("page-noarticle.html")))
	mux.HandleFunc("/moving", func(w http.ResponseWriter, r *http.Request) {
		v := s.version.Load()
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprintf(w, `<html><head><title>Budget talks, version %d</title><meta property="og:url" content="%s/moving"></head><body><article>
<p>The budget talks reached round %d on Friday, with the harbour fee still the main point of contention between the parties.</p>
<p>“We are close, but round %d is not the last one,” said Mayor Elin Dahl after a long session in the town hall.</p></article></body></html>`, v, s.URL, v, v)
	})
	mux.HandleFunc("/plain", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		io := "Ferry strike called off\n\nThe ferry crews called off their strike on Sunday after the company offered a new rota.\n\n“We got what we asked for,” said union steward Kari Moe."
		w.Write([]byte(io))
	})
	mux.HandleFunc("/error", func(w http.ResponseWriter, r *http.Request) { http.Error(w, "boom", http.StatusInternalServerError) })
	mux.HandleFunc("/huge", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.Write([]byte("<html><body><article><p>" + strings.Repeat("Long text. ", 20000) + "</p></article></body></html>"))
	})
	mux.HandleFunc("/pdf", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/pdf")
		w.Write([]byte("%PDF-1.4"))
	})
	mux.HandleFunc("/loop", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/loop", http.StatusFound) })
	mux.HandleFunc("/to-file", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "file:///etc/passwd", http.StatusFound)
	})
	mux.HandleFunc("/slow", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
	})
	mux.HandleFunc("/feed.xml", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprintf(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>The Coastal Times</title><link>%[1]s</link>
<item><title>Harbour deal agreed</title><link>%[1]s/news/harbour-deal</link><pubDate>Thu, 19 Nov 2026 09:30:00 +0100</pubDate></item>
<item><title>Ferry timetable changes</title><link>/ferry</link></item>
<item><title>Gone story</title><link>%[1]s/missing-page</link><pubDate>Fri, 20 Nov 2026 10:00:00 +0000</pubDate>
<description><![CDATA[<p>The lighthouse on the outer skerry will be automated next year, the coastal administration said on Friday, ending a century of keepers.</p><p>“It is the end of an era for the whole coast,” said former keeper Arne Vik, who served there for thirty years.</p>]]></description></item>
</channel></rss>`, s.URL)
	})
	mux.HandleFunc("/atom.xml", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/atom+xml")
		fmt.Fprintf(w, `<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>North Sea Post</title>
<entry><title>Council votes against offshore wind farm</title><link href="%s/wind"/><updated>2026-10-02T18:00:00Z</updated></entry></feed>`, s.URL)
	})
	mux.HandleFunc("/garbage.xml", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		w.Write([]byte("<rss><channel><item><title>unclosed"))
	})
	s.Server = httptest.NewServer(mux)
	t.Cleanup(s.Close)
	return s
}

func TestIngestPagesDuplicatesAndUpdates(t *testing.T) {
	s := newSite(t)
	f := newFixture(t, FetchOptions{})
	ctx := context.Background()

	rs := f.in.URLs(ctx, []string{s.URL + "/news/harbour-deal", s.URL + "/wind", s.URL + "/plain"})
	if statuses(rs) != "added,added,added" {
		t.Fatalf("results %+v", rs)
	}
	hits := f.quote(t, "boats in the water")
	if len(hits) == 0 || hits[0].Source == nil {
		t.Fatalf("the ingested quote is not searchable: %+v", hits)
	}
	src := hits[0].Source
	if src.Title != "Harbour deal agreed after night of talks" || src.Outlet != "The Coastal Times" ||
		src.Published.Format("2006-01-02") != "2026-11-19" || src.URL != s.URL+"/news/harbour-deal?ref=home" ||
		!src.Ingested.Equal(f.clock.Now()) {
		t.Errorf("citation metadata %+v", src)
	}
	if hits[0].Speaker != "elin dahl" {
		t.Errorf("speaker %q", hits[0].Speaker)
	}
	if !strings.Contains(hits[0].Text, "“This agreement keeps the boats in the water and the jobs in the town,” said Mayor Elin Dahl") {
		t.Errorf("snippet %q is not the page's text", hits[0].Text)
	}
	stored, err := os.ReadFile(filepath.Join(f.library, rs[0].File))
	if err != nil || !strings.Contains(string(stored), "ingested: \"2026-11-24T07:00:00Z\"") && !strings.Contains(string(stored), "ingested: 2026-11-24T07:00:00Z") {
		t.Errorf("stored file should record when it was ingested:\n%s (%v)", stored, err)
	}

	// The same page again, by another address of it: stored once.
	f.clock.Add(time.Hour)
	rs = f.in.URLs(ctx, []string{s.URL + "/news/harbour-deal?utm_source=newsletter", s.URL + "/wind"})
	if statuses(rs) != "duplicate,duplicate" {
		t.Fatalf("duplicates: %+v", rs)
	}
	// The same story in a file of its own: the same text, stored once.
	dir := t.TempDir()
	page, _ := os.ReadFile("testdata/page-og.html")
	os.WriteFile(filepath.Join(dir, "copy.html"), page, 0o644)
	if rs = f.in.Paths(ctx, []string{filepath.Join(dir, "copy.html")}); statuses(rs) != "duplicate" {
		t.Fatalf("same text from a file: %+v", rs)
	}

	// A page that changes at the same address replaces its article.
	s.version.Store(1)
	first := f.in.URLs(ctx, []string{s.URL + "/moving"})
	f.clock.Add(time.Hour)
	s.version.Store(2)
	second := f.in.URLs(ctx, []string{s.URL + "/moving"})
	if statuses(first) != "added" || statuses(second) != "updated" || first[0].File != second[0].File {
		t.Fatalf("update: %+v then %+v", first, second)
	}
	if len(f.quote(t, "round 1")) != 0 && strings.Contains(f.quote(t, "round 1")[0].Text, "round 1 ") {
		t.Error("the old version is still indexed")
	}
	hits = f.quote(t, "not the last one")
	if len(hits) != 1 || !strings.Contains(hits[0].Text, "round 2") || hits[0].Source.Title != "Budget talks, version 2" {
		t.Fatalf("the new version: %+v", hits)
	}
	if !hits[0].Source.Ingested.Equal(f.clock.Now().Add(-time.Hour)) {
		t.Errorf("an updated article keeps its first ingested time: %v", hits[0].Source.Ingested)
	}
	files, _ := filepath.Glob(filepath.Join(f.library, "*.md"))
	if len(files) != 4 {
		t.Errorf("library holds %d files, want 4: %v", len(files), files)
	}

	// Everything acknowledged survives a restart, with nothing to redo.
	if note := f.open(t); note != "" {
		t.Errorf("reopening should find the index current, did %q", note)
	}
	if len(f.ix.Meta().Articles) != 5 {
		t.Errorf("%d articles after restart, want 5", len(f.ix.Meta().Articles))
	}
}

func TestIngestFailuresAreReportedAndSkipped(t *testing.T) {
	s := newSite(t)
	f := newFixture(t, FetchOptions{MaxBytes: 64 << 10, Timeout: 2 * time.Second})
	ctx := context.Background()
	inputs := []struct{ input, reason string }{
		{s.URL + "/error", "500"},
		{s.URL + "/signin", "no article text"},
		{s.URL + "/huge", "size limit"},
		{s.URL + "/pdf", "application/pdf"},
		{s.URL + "/loop", "redirects"},
		{s.URL + "/to-file", "only http and https"},
		{s.URL + "/slow", "no answer within 2s"},
		{s.URL + "/garbage.xml", "not an RSS or Atom feed"},
		{"ftp://example.com/a", "only http and https"},
		{"not a url at all", "not a web address"},
		{"example.com/news", "give it with http:// or https://"},
		{s.URL + "/ferry", ""}, // the good one among them
	}
	var urls []string
	for _, in := range inputs {
		urls = append(urls, in.input)
	}
	rs := f.in.URLs(ctx, urls)
	if len(rs) != len(inputs) {
		t.Fatalf("%d results for %d inputs: %+v", len(rs), len(inputs), rs)
	}
	for i, r := range rs {
		want := inputs[i]
		if want.reason == "" {
			if r.Status != Added {
				t.Errorf("%s: %+v", want.input, r)
			}
			continue
		}
		if r.Status != Failed || !strings.Contains(r.Reason, want.reason) {
			t.Errorf("%s: want failure with %q, got %+v", want.input, want.reason, r)
		}
	}
	if len(f.ix.Meta().Articles) != 2 {
		t.Errorf("want the base article and the good page, have %d", len(f.ix.Meta().Articles))
	}
}

func TestFetcherRefusesPrivateAddresses(t *testing.T) {
	s := newSite(t)
	f := NewFetcher(FetchOptions{})
	for _, u := range []string{s.URL + "/ferry", "http://127.0.0.1:1/", "http://[::1]:1/", "http://169.254.169.254/latest/meta-data", "http://10.0.0.1/"} {
		_, err := f.Get(context.Background(), u)
		if err == nil || !strings.Contains(err.Error(), "private, loopback or link-local") {
			t.Errorf("%s: want refusal, got %v", u, err)
		}
	}
}

func TestIngestFiles(t *testing.T) {
	f := newFixture(t, FetchOptions{})
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		os.WriteFile(p, []byte(body), 0o644)
		return p
	}
	page, _ := os.ReadFile("testdata/page-jsonld.html")
	paths := []string{
		write("note.txt", "Ferry crews vote to strike\n\nFerry crews voted on Sunday to strike from next week.\n\n“We have no other choice left,” said union steward Kari Moe."),
		write("memo.md", "---\ntitle: Bridge reopens\noutlet: County Gazette\npublished: 2026-11-02\nurl: https://gazette.example/bridge\n---\nThe old bridge reopened to traffic on Monday after two years of repairs.\n\n“It is good to have our bridge back,” said resident Liv Berg."),
		write("story.html", string(page)),
		write("report.pdf", "%PDF-1.4"),
		write("empty.md", "---\ntitle: Nothing here\n---\n"),
		write("binary.txt", "\x00\x01\x02"),
		filepath.Join(dir, "missing.txt"),
	}
	rs := f.in.Paths(context.Background(), paths)
	want := []struct {
		status Status
		reason string
	}{{Failed, "no such file"}, {Added, ""}, {Added, ""}, {Added, ""}, {Failed, "unsupported file type"}, {Failed, "no article text"}, {Failed, "binary data"}}
	// Missing paths are reported first, then the files in order.
	if len(rs) != len(want) {
		t.Fatalf("results %+v", rs)
	}
	for i, r := range rs {
		if r.Status != want[i].status || !strings.Contains(r.Reason, want[i].reason) {
			t.Errorf("result %d: %+v, want %s %q", i, r, want[i].status, want[i].reason)
		}
	}
	a, ok := f.ix.Article(rs[2].File)
	if !ok || a.Outlet != "County Gazette" || a.URL != "https://gazette.example/bridge" || a.Published.Format("2006-01-02") != "2026-11-02" {
		t.Errorf("front matter lost: %+v", a)
	}
	// A folder ingests the files at its top.
	sub := t.TempDir()
	os.WriteFile(filepath.Join(sub, "one.txt"), []byte("Harbour cranes replaced\n\nTwo new cranes arrived at the harbour on Tuesday to replace the old ones."), 0o644)
	os.WriteFile(filepath.Join(sub, ".hidden.txt"), []byte("ignored"), 0o644)
	if rs := f.in.Paths(context.Background(), []string{sub}); statuses(rs) != "added" {
		t.Errorf("folder: %+v", rs)
	}
}

func TestFeeds(t *testing.T) {
	s := newSite(t)
	f := newFixture(t, FetchOptions{})
	ctx := context.Background()
	rs := f.in.Feed(ctx, s.URL+"/feed.xml")
	if statuses(rs) != "added,added,added" {
		t.Fatalf("rss: %+v", rs)
	}
	// The item whose page is gone is read from the feed's own text.
	hits := f.quote(t, "end of an era")
	if len(hits) != 1 || hits[0].Source.Title != "Gone story" || hits[0].Source.Outlet != "The Coastal Times" ||
		hits[0].Source.Published.Format("2006-01-02") != "2026-11-20" {
		t.Errorf("feed item from its description: %+v", hits)
	}
	// A second poll finds nothing new and fetches no page again.
	if rs := f.in.Feed(ctx, s.URL+"/feed.xml"); len(rs) != 0 {
		t.Errorf("second poll: %+v", rs)
	}
	if rs := f.in.Feed(ctx, s.URL+"/atom.xml"); statuses(rs) != "added" {
		t.Errorf("atom: %+v", rs)
	}
	for _, bad := range []string{"/error", "/garbage.xml", "/signin"} {
		rs := f.in.Feed(ctx, s.URL+bad)
		if statuses(rs) != "failed" {
			t.Errorf("%s: %+v", bad, rs)
		}
	}
}

// failingIndex stores nothing: as if the process died between storing an
// article and indexing it.
type failingIndex struct{ Index }

func (failingIndex) Apply(context.Context, index.Change, index.Options) error {
	return errors.New("simulated crash before the index update")
}

func TestStoredButNotIndexedIsIndexedOnRestart(t *testing.T) {
	s := newSite(t)
	f := newFixture(t, FetchOptions{})
	f.in.index = failingIndex{f.ix}
	rs := f.in.URLs(context.Background(), []string{s.URL + "/ferry"})
	if statuses(rs) != "failed" || !strings.Contains(rs[0].Reason, "next start") {
		t.Fatalf("%+v", rs)
	}
	// A half-written file from a crash mid-write is never read, and is cleared.
	os.WriteFile(filepath.Join(f.library, ".half.md.tmp"), []byte("---\ntitle: half"), 0o644)
	if note := f.open(t); !strings.Contains(note, "1 articles added") {
		t.Fatalf("restart should index the stored article: %q", note)
	}
	if hits := f.quote(t, "commutes to the islands"); len(hits) != 1 {
		t.Errorf("after restart: %+v", hits)
	}
	if _, err := New(Config{Index: f.ix, Library: f.library}); err != nil {
		t.Fatal(err)
	}
	if left, _ := filepath.Glob(filepath.Join(f.library, ".*.tmp")); len(left) != 0 {
		t.Errorf("leftovers: %v", left)
	}
}

// A reader querying all through ingestion sees the article whole before or
// after each update, never an error.
func TestReaderDuringIngest(t *testing.T) {
	s := newSite(t)
	f := newFixture(t, FetchOptions{})
	ctx := context.Background()
	var stop atomic.Bool
	done := make(chan error, 1)
	go func() {
		for !stop.Load() {
			hits, _, err := f.ix.Search(ctx, index.Query{Kind: index.KindParagraph, Words: "budget talks reached round", Size: 10})
			if err != nil {
				done <- err
				return
			}
			for _, h := range hits {
				if h.Source == nil || !strings.Contains(h.Text, "round "+strings.TrimPrefix(h.Source.Title, "Budget talks, version ")) {
					if h.Source != nil && strings.HasPrefix(h.Source.Title, "Budget") {
						done <- fmt.Errorf("text %q cited as %+v", h.Text, h.Source)
						return
					}
				}
			}
		}
		done <- nil
	}()
	for v := int32(1); v <= 15; v++ {
		s.version.Store(v)
		if rs := f.in.URLs(ctx, []string{s.URL + "/moving"}); rs[0].Status == Failed {
			t.Fatalf("%+v", rs)
		}
	}
	stop.Store(true)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

func TestInbox(t *testing.T) {
	f := newFixture(t, FetchOptions{})
	inbox := filepath.Join(f.data, "inbox")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	// A file already waiting when the watcher starts.
	os.MkdirAll(inbox, 0o755)
	os.WriteFile(filepath.Join(inbox, "early.txt"), []byte("Harbour lights repaired\n\nThe harbour lights were repaired on Wednesday after the storm damaged them last week."), 0o644)
	stopped := make(chan error, 1)
	go func() { stopped <- f.in.WatchInbox(ctx, inbox, 50*time.Millisecond) }()

	page, _ := os.ReadFile("testdata/page-time.html")
	os.WriteFile(filepath.Join(inbox, "ferry.html"), page, 0o644)
	os.WriteFile(filepath.Join(inbox, "broken.txt"), []byte{0xff, 0xfe, 0xfd}, 0o644)
	os.WriteFile(filepath.Join(inbox, "download.part"), []byte("partial"), 0o644)

	waitFor(t, func() bool {
		_, e1 := os.Stat(filepath.Join(inbox, InboxDone, "early.txt"))
		_, e2 := os.Stat(filepath.Join(inbox, InboxDone, "ferry.html"))
		_, e3 := os.Stat(filepath.Join(inbox, InboxFailed, "broken.txt.reason.txt"))
		return e1 == nil && e2 == nil && e3 == nil
	})
	reason, _ := os.ReadFile(filepath.Join(inbox, InboxFailed, "broken.txt.reason.txt"))
	if !strings.Contains(string(reason), "not UTF-8") {
		t.Errorf("reason %q", reason)
	}
	if _, err := os.Stat(filepath.Join(inbox, "download.part")); err != nil {
		t.Errorf("a partial download should be left alone: %v", err)
	}
	if hits := f.quote(t, "commutes to the islands"); len(hits) != 1 {
		t.Errorf("inbox article not indexed: %+v", hits)
	}
	cancel()
	if err := <-stopped; err != nil {
		t.Fatal(err)
	}
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("timed out")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// Files edited by hand in the corpus folders reach the index while it runs.
func TestWatchCorpus(t *testing.T) {
	f := newFixture(t, FetchOptions{})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	stopped := make(chan error, 1)
	go func() {
		stopped <- f.in.WatchCorpus(ctx, corpus.Overlay(base(), os.DirFS(f.library)), []string{f.library}, 50*time.Millisecond, time.Now())
	}()
	time.Sleep(50 * time.Millisecond) // the watch is in place
	path := filepath.Join(f.library, "by-hand.md")
	os.WriteFile(path, []byte("---\ntitle: Lighthouse automated\n---\n“It is the end of an era for the whole coast,” said former keeper Arne Vik on Friday."), 0o644)
	waitFor(t, func() bool { _, ok := f.ix.Article("by-hand.md"); return ok })
	os.WriteFile(path, []byte("---\ntitle: Lighthouse automated\n---\n“It is a sad day for the islands,” said former keeper Arne Vik on Friday."), 0o644)
	waitFor(t, func() bool { return len(f.quote(t, "sad day")) == 1 && len(f.quote(t, "end of an era")) == 0 })
	os.Remove(path)
	waitFor(t, func() bool { _, ok := f.ix.Article("by-hand.md"); return !ok })
	cancel()
	if err := <-stopped; err != nil {
		t.Fatal(err)
	}
}
