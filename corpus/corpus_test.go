package corpus

import (
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"
)

func mustLoadDir(t *testing.T, dir string) *Corpus {
	t.Helper()
	c, err := LoadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func byFile(t *testing.T, c *Corpus, file string) *Article {
	t.Helper()
	for _, a := range c.Articles {
		if a.File == file {
			return a
		}
	}
	t.Fatalf("article %s not loaded (problems: %v)", file, c.Problems)
	return nil
}

func bodyText(a *Article) string {
	var parts []string
	for _, p := range a.Paragraphs {
		parts = append(parts, p.Text)
	}
	return strings.Join(parts, "\n")
}

// fixtures loads the bundled corpus and the test articles of other shapes.
func fixtures(t *testing.T) (bundledCorpus, shapes *Corpus) {
	t.Helper()
	bundledCorpus, err := Load(Bundled())
	if err != nil {
		t.Fatal(err)
	}
	return bundledCorpus, mustLoadDir(t, "testdata/shapes")
}

func TestMetadata(t *testing.T) {
	bundledCorpus, shapes := fixtures(t)
	tests := []struct {
		c                     *Corpus
		file                  string
		title, outlet, author string
		published             string // "" when it must stay unknown
		url                   string
	}{
		// sources.json gives what the text does not; null fields stay unknown.
		{bundledCorpus, "000_e5c3a51763615d26.txt", "", "", "", "2024-04-19", ""},
		{bundledCorpus, "001_8a1b7ad677bbdcc3.txt", "Iranian FM Holds Talks in Pakistan on Tehran’s Tensions With US", "VOA News", "", "2019-05-25", ""},
		{bundledCorpus, "003_615a9d514c2456a5.txt", "Pakistan seeks to mitigate US-Iran tensions", "Al-Monitor", "", "2020-01-13", ""},
		// Front matter wins over everything.
		{shapes, "frontmatter.md", "Harbour workers end strike after pay deal", "Coastal Gazette", "Ana Lima", "2023-06-14", "https://example.org/harbour-strike"},
		// Inferred from the text: headline, "Posted on" line.
		{shapes, "wrapped.txt", "City council approves new tram line", "", "", "2021-03-03", ""},
		// "Originally published by" names the outlet; an "updated" stamp is not the publication date.
		{shapes, "wire.txt", "Central bank holds rates steady as inflation cools", "Reuters", "", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			a := byFile(t, tt.c, tt.file)
			pub := ""
			if !a.Published.IsZero() {
				pub = a.Published.Format("2006-01-02")
			}
			got := []string{a.Title, a.Outlet, a.Author, pub, a.URL}
			want := []string{tt.title, tt.outlet, tt.author, tt.published, tt.url}
			for i := range got {
				if got[i] != want[i] {
					t.Errorf("field %d = %q, want %q", i, got[i], want[i])
				}
			}
		})
	}
}

// Inference from the text alone, without sources.json: the bundled files as
// received must still give what they state.
func TestInferenceWithoutSources(t *testing.T) {
	fsys := fstest.MapFS{}
	for _, name := range []string{"001_8a1b7ad677bbdcc3.txt", "003_615a9d514c2456a5.txt", "004_be0101e0bb6417d3.txt"} {
		data, err := readBundled(name)
		if err != nil {
			t.Fatal(err)
		}
		fsys[name] = &fstest.MapFile{Data: data}
	}
	c, err := Load(fsys)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][3]string{
		"001_8a1b7ad677bbdcc3.txt": {"Iranian FM Holds Talks in Pakistan on Tehran’s Tensions With US", "VOA News", "2019-05-25"},
		"003_615a9d514c2456a5.txt": {"Pakistan seeks to mitigate US-Iran tensions", "", "2020-01-13"},
		"004_be0101e0bb6417d3.txt": {"", "Dawn", "2020-01-04"},
	}
	for file, w := range want {
		a := byFile(t, c, file)
		got := [3]string{a.Title, a.Outlet, a.Published.Format("2006-01-02")}
		if got != w {
			t.Errorf("%s: got %q, want %q", file, got, w)
		}
	}
}

func readBundled(name string) ([]byte, error) {
	return bundled.ReadFile("bundled/" + name)
}

// Page furniture never reaches the body, in the bundled articles and in
// articles of other shapes.
func TestFurnitureRemoved(t *testing.T) {
	bundledCorpus, shapes := fixtures(t)
	tests := []struct {
		c      *Corpus
		file   string
		absent []string
		kept   []string
		paras  int
	}{
		{bundledCorpus, "001_8a1b7ad677bbdcc3.txt", []string{"Security Risks Asia", "Published May 25", "Updated Apr 15", "First Published by", "Border security"},
			[]string{"Rohani noted that Khan’s visit"}, 13},
		{bundledCorpus, "002_60f647b1c0ad5a2f.txt", []string{"Source link", "Comments are closed", "(Courtesy of", "Qureshi-Lavrov interview"},
			[]string{"Qureshi told him, quoting Lavrov"}, 25},
		{bundledCorpus, "003_615a9d514c2456a5.txt", []string{"Photo by", "Continue reading", "Al-Monitor Archives", "Recommended Articles", "vaccine diplomacy", "Nov 24, 2020", "\nJan 13, 2020"},
			[]string{"Iran had announced on Jan. 5"}, 14},
		{bundledCorpus, "004_be0101e0bb6417d3.txt", []string{"Published in Dawn", "US secretary of state reaches out to army chief in aftermath"},
			[]string{"Respect for sovereignty"}, 17},
		{shapes, "frontmatter.md", []string{"By Ana Lima", "Advertisement", "(Photo:", "Share this article", "Related", "Fishermen protest"},
			[]string{"union leader Marta Silva told reporters"}, 3},
		{shapes, "wrapped.txt", []string{"Posted on", "Read more", "Budget row", "Bus drivers"},
			[]string{"linking the northern suburbs to the central station, after two years"}, 3},
		{shapes, "wire.txt", []string{"Daily Ledger", "Last updated", "Getty Images", "Subscribe", "Unlimited articles", "Originally published"},
			[]string{"We are not declaring victory yet"}, 2},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			a := byFile(t, tt.c, tt.file)
			body := "\n" + bodyText(a)
			for _, s := range tt.absent {
				if strings.Contains(body, s) {
					t.Errorf("furniture %q is still in the body", s)
				}
			}
			for _, s := range tt.kept {
				if !strings.Contains(body, s) {
					t.Errorf("article text %q was lost", s)
				}
			}
			if len(a.Paragraphs) != tt.paras {
				t.Errorf("%d paragraphs, want %d", len(a.Paragraphs), tt.paras)
			}
			for i, p := range a.Paragraphs {
				if p.N != i+1 {
					t.Errorf("paragraph %d numbered %d", i+1, p.N)
				}
			}
		})
	}
}

// Text is kept exactly as received: every paragraph is a line of the file.
func TestTextKeptAsReceived(t *testing.T) {
	c, err := Load(Bundled())
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range c.Articles {
		raw, err := readBundled(a.File)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range a.Paragraphs {
			if !strings.Contains(string(raw), p.Text) {
				t.Errorf("%s ¶%d is not in the file as received", a.File, p.N)
			}
		}
	}
}

func TestSentences(t *testing.T) {
	tests := []struct {
		text string
		want []string
	}{
		{"Mr. Smith met Gen. Bajwa on Jan. 3. They spoke.", []string{"Mr. Smith met Gen. Bajwa on Jan. 3.", "They spoke."}},
		{"“We are ready,” he said. “Our people are there.”", []string{"“We are ready,” he said.", "“Our people are there.”"}},
		{"The U.S. envoy left. John F. Kennedy airport closed!", []string{"The U.S. envoy left.", "John F. Kennedy airport closed!"}},
		{"Is it over? No.", []string{"Is it over?", "No."}},
		{"a sentence cut off mid", []string{"a sentence cut off mid"}},
		{"Prices rose 3.5 percent. Wages did not.", []string{"Prices rose 3.5 percent.", "Wages did not."}},
	}
	for _, tt := range tests {
		var got []string
		p := Paragraph{Text: tt.text}
		for _, s := range Sentences(tt.text) {
			got = append(got, p.Slice(s))
		}
		if strings.Join(got, "|") != strings.Join(tt.want, "|") {
			t.Errorf("Sentences(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
}

func TestNormalizeKeepsRuneCount(t *testing.T) {
	s := "“Pakistan’s\u00a0stance” — it’s‘x’"
	if len([]rune(Normalize(s))) != len([]rune(s)) {
		t.Fatal("Normalize changed the number of runes; offsets would break")
	}
	if got := Normalize(s); got != `"Pakistan's stance" - it's'x'` {
		t.Errorf("Normalize = %q", got)
	}
	if got := Fold("  António  GUTERRES "); got != "antonio guterres" {
		t.Errorf("Fold = %q", got)
	}
}

// Broken files are reported with a reason and skipped; the rest load.
func TestBrokenFilesSkipped(t *testing.T) {
	dir := t.TempDir()
	files := map[string][]byte{
		"good.txt":         []byte("Ministers meet on trade\n\nThe ministers met on Friday and agreed to cut tariffs."),
		"binary.txt":       {0x00, 0x01, 0x02, 'a'},
		"latin1.txt":       {'c', 'a', 'f', 0xe9, ' ', 'n', 'o', 'i', 'r'},
		"unclosed.md":      []byte("---\ntitle: x\nno end of front matter\n"),
		"badyaml.md":       []byte("---\ntitle: [unclosed\n---\nBody text here is long enough."),
		"furniture.txt":    []byte("Source link\n\nComments are closed."),
		"empty.txt":        {},
		"notes.json":       []byte("{}"),
		".hidden.txt":      []byte("ignored"),
		"huge.txt":         []byte(strings.Repeat("word ", MaxArticleBytes/5+10)),
		"sub.txt/ignored":  []byte("x"),
		"second-good.md":   []byte("---\ntitle: Second\n---\nA second article says something useful."),
		"CRLF.txt":         []byte("Headline with CRLF endings\r\n\r\nThe body arrived with Windows line endings.\r\n"),
		"only-title.txt":   []byte("Just a headline here"),
		"unreadable.txt":   nil, // made unreadable below
		"with-bom.txt":     append([]byte{0xef, 0xbb, 0xbf}, []byte("Body text after a byte order mark, long enough.")...),
		"odd-unicode.txt":  []byte("Zero\u200bwidth and RTL \u202eoverride and emoji 🗞️ in a sentence."),
		"dashes-quotes.md": []byte("Text with “curly” quotes and — dashes, still a sentence."),
	}
	for name, data := range files {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if os.Getuid() != 0 { // root reads anything
		os.Chmod(filepath.Join(dir, "unreadable.txt"), 0)
	}
	c := mustLoadDir(t, dir)
	loaded := map[string]bool{}
	for _, a := range c.Articles {
		loaded[a.File] = true
	}
	for _, f := range []string{"good.txt", "second-good.md", "CRLF.txt", "with-bom.txt", "odd-unicode.txt", "dashes-quotes.md"} {
		if !loaded[f] {
			t.Errorf("%s should load", f)
		}
	}
	problems := map[string]string{}
	for _, p := range c.Problems {
		problems[p.File] = p.Reason
	}
	for _, f := range []string{"binary.txt", "latin1.txt", "unclosed.md", "badyaml.md", "furniture.txt", "empty.txt", "huge.txt", "only-title.txt"} {
		if problems[f] == "" {
			t.Errorf("%s should be reported as a problem; loaded=%v", f, loaded[f])
		}
	}
	if loaded["notes.json"] || loaded[".hidden.txt"] {
		t.Error("only visible .txt and .md files are articles")
	}
	if a := byFile(t, c, "CRLF.txt"); a.Title != "Headline with CRLF endings" || len(a.Paragraphs) != 1 {
		t.Errorf("CRLF article: title %q, %d paragraphs", a.Title, len(a.Paragraphs))
	}
}

func TestFingerprintChangesWithContent(t *testing.T) {
	a := fstest.MapFS{"a.txt": {Data: []byte("One article with a sentence.")}}
	b := fstest.MapFS{"a.txt": {Data: []byte("One article with another sentence.")}}
	ca, _ := Load(a)
	cb, _ := Load(b)
	ca2, _ := Load(a)
	if ca.Fingerprint == cb.Fingerprint || ca.Fingerprint != ca2.Fingerprint {
		t.Error("fingerprint must follow content, and only content")
	}
}

func TestParseDate(t *testing.T) {
	tests := map[string]string{
		"May 25, 2019":         "2019-05-25",
		"January 4th, 2020":    "2020-01-04",
		"Jan 13, 2020":         "2020-01-13",
		"Sept. 23, 2019":       "2019-09-23",
		"13 January 2020":      "2020-01-13",
		"2020-01-13":           "2020-01-13",
		"2020-01-13T10:00:00Z": "2020-01-13",
	}
	for in, want := range tests {
		got, ok := ParseDate(in)
		if !ok || got.Format("2006-01-02") != want {
			t.Errorf("ParseDate(%q) = %v %v, want %s", in, got, ok, want)
		}
	}
	for _, bad := range []string{"February 30, 2020", "Soon", "2020-13-01", ""} {
		if _, ok := ParseDate(bad); ok {
			t.Errorf("ParseDate(%q) should fail", bad)
		}
	}
}

// List reads only bytes but must agree with Load, or a current index would
// be updated for nothing (or a stale one kept).
func TestListMatchesLoad(t *testing.T) {
	for _, fsys := range []fs.FS{Bundled(), os.DirFS("testdata/shapes")} {
		c, err := Load(fsys)
		if err != nil {
			t.Fatal(err)
		}
		l, err := List(fsys)
		if err != nil || l.SettingsHash != c.SettingsHash || len(l.Hashes) != len(c.Hashes) {
			t.Errorf("List %d files (%v), Load %d", len(l.Hashes), err, len(c.Hashes))
		}
		for _, a := range c.Articles {
			if l.Hashes[a.File] == "" || l.Hashes[a.File] != c.Hashes[a.File] {
				t.Errorf("%s: List hash %q, Load hash %q", a.File, l.Hashes[a.File], c.Hashes[a.File])
			}
		}
	}
}

func TestOverlay(t *testing.T) {
	base := fstest.MapFS{
		"a.txt":         {Data: []byte("Base article A says the harbour reopened.")},
		"shared.txt":    {Data: []byte("The base copy wins over the ingested one.")},
		"briefbot.yaml": {Data: []byte("subject: Norway\n")},
	}
	ingested := fstest.MapFS{
		"b.md":       {Data: []byte("---\ntitle: Ingested\ningested: 2026-11-20T08:00:00Z\n---\nAn ingested article about the harbour.")},
		"shared.txt": {Data: []byte("The ingested copy.")},
	}
	c, err := Load(Overlay(base, ingested))
	if err != nil {
		t.Fatal(err)
	}
	var files []string
	for _, a := range c.Articles {
		files = append(files, a.File)
	}
	if strings.Join(files, ",") != "a.txt,b.md,shared.txt" {
		t.Fatalf("files %v", files)
	}
	if c.Settings.Subject != "Norway" {
		t.Errorf("settings of the base layer lost: %+v", c.Settings)
	}
	if got := c.Articles[2].Paragraphs[0].Text; !strings.Contains(got, "base copy") {
		t.Errorf("the first layer should win, got %q", got)
	}
	if want := time.Date(2026, 11, 20, 8, 0, 0, 0, time.UTC); !c.Articles[1].Ingested.Equal(want) {
		t.Errorf("ingested stamp %v, want %v", c.Articles[1].Ingested, want)
	}
	// A missing layer (no article ingested yet) is no error.
	if _, err := Load(Overlay(base, os.DirFS(filepath.Join(t.TempDir(), "none")))); err != nil {
		t.Errorf("missing layer: %v", err)
	}
}

// Only absolute http(s) addresses become links, escaped so that none can
// end a Markdown link or plant another.
func TestCleanURL(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"https://example.com/news/a", "https://example.com/news/a"},
		{" HTTPS://Example.COM/Path?q=1#frag ", "https://example.com/Path?q=1#frag"},
		{"https://a.example/a)b](https://evil.example)", "https://a.example/a%29b%5D%28https://evil.example%29"},
		{"https://a.example/x y", "https://a.example/x%20y"},
		{"javascript:alert(1)", ""},
		{"//evil.example/x", ""},
		{"/relative/path", ""},
		{"ftp://files.example/a", ""},
		{"https://user:pw@evil.example/", ""},
		{"https://exa mple.com/", ""},
		{"https://a.example/\x00", ""},
		{"mailto:someone@example.com", ""},
		{"https://" + strings.Repeat("a", 3000) + ".example/", ""},
	} {
		if got := CleanURL(tt.in); got != tt.want {
			t.Errorf("CleanURL(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// A stream read in any order, on several goroutines, gives the articles
// and the summary Load gives: what a streaming build indexes is what a
// loaded corpus holds.
func TestStreamReadsWhatLoadReads(t *testing.T) {
	broken := fstest.MapFS{
		"b-good.txt":   {Data: []byte("Ministers meet on trade\n\nThe ministers met on Friday and agreed to cut tariffs.")},
		"a-binary.txt": {Data: []byte{0x00, 0x01, 'a'}},
		"c-latin1.md":  {Data: []byte{'c', 'a', 'f', 0xe9}},
		"d-empty.txt":  {Data: []byte{}},
		"e-second.md":  {Data: []byte("---\ntitle: Second\npublished: 2024-03-01\n---\nA second article says something useful.")},
		"sources.json": {Data: []byte(`{"articles":[{"file":"b-good.txt","outlet":"Wire"}]}`)},
		"notes.json":   {Data: []byte("{}")},
	}
	for _, fsys := range []fs.FS{Bundled(), os.DirFS("testdata/shapes"), broken} {
		want, err := Load(fsys)
		if err != nil {
			t.Fatal(err)
		}
		s, err := OpenStream(fsys)
		if err != nil {
			t.Fatal(err)
		}
		got := make([]*Article, s.Len())
		hashes := make([]string, s.Len())
		var wg sync.WaitGroup
		for w := range 4 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := s.Len() - 1 - w; i >= 0; i -= 4 {
					got[i], hashes[i] = s.Article(i)
				}
			}()
		}
		wg.Wait()
		var articles []*Article
		for i, a := range got {
			if a != nil {
				articles = append(articles, a)
				if hashes[i] != want.Hashes[a.File] {
					t.Errorf("%s: hash %q, Load's %q", a.File, hashes[i], want.Hashes[a.File])
				}
			}
		}
		summary := s.Corpus()
		if summary.Articles != nil {
			t.Error("a stream's summary holds articles")
		}
		summary.Articles = articles
		if !reflect.DeepEqual(summary, want) {
			t.Errorf("stream and Load differ:\n%+v\n%+v", summary, want)
		}
		if of := StreamOf(want); of.Len() != len(want.Articles) || of.Corpus().Fingerprint != want.Fingerprint {
			t.Errorf("StreamOf: %d articles, fingerprint %q", of.Len(), of.Corpus().Fingerprint)
		}
	}
}
