package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func runCLI(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = Run(context.Background(), args, Env{Stdout: &out, Stderr: &errb, Getenv: func(string) string { return "" }})
	return code, out.String(), errb.String()
}

func TestAsk(t *testing.T) {
	idx := t.TempDir()
	tests := []struct {
		name    string
		args    []string
		code    int
		stdout  []string // substrings
		stderr  []string
		oneLine bool // stderr's reason is one line before the usage hint
	}{
		{"stance text", []string{"ask", "--data", idx, "stance", "Ukraine"}, 0, []string{`Stance of Pakistan on "Ukraine"`, "¶"}, nil, false},
		{"flags after words", []string{"ask", "stance", "Soleimani", "--actor", "United States", "--data", idx, "--limit", "2"}, 0, []string{"Stance of United States", "showing 1–2"}, nil, false},
		{"timeline range", []string{"ask", "--data", idx, "timeline", "Iran", "--from", "2020-01-01", "--to", "2020-01-31"}, 0, []string{"2020-01-03"}, nil, false},
		{"quote speaker", []string{"ask", "--data", idx, "quote", "--speaker", "Lavrov"}, 0, []string{"Sergei Lavrov", "third round of talks"}, nil, false},
		{"source", []string{"ask", "--data", idx, "source", "003_615a9d514c2456a5.txt", "--limit", "1"}, 0, []string{"Pakistan, wary in part"}, nil, false},
		{"nothing found is exit 0", []string{"ask", "--data", idx, "search", "zeppelin"}, 0, []string{"No paragraph contains"}, nil, false},
		{"no question", []string{"ask", "--data", idx}, 2, nil, []string{"ask what?", "usage:"}, true},
		{"unknown question", []string{"ask", "--data", idx, "weather"}, 2, nil, []string{`unknown question "weather"`}, true},
		{"stance needs topic", []string{"ask", "--data", idx, "stance"}, 2, nil, []string{"stance needs a TOPIC"}, true},
		{"bad limit", []string{"ask", "--data", idx, "--limit", "0", "search", "Iran"}, 2, nil, []string{"--limit must be"}, true},
		{"unknown flag", []string{"ask", "--data", idx, "--colour", "search", "Iran"}, 2, nil, []string{"flag provided but not defined"}, true},
		{"bad date", []string{"ask", "--data", idx, "timeline", "Iran", "--from", "31/01/2020"}, 2, nil, []string{"is not a date"}, false},
		{"empty words", []string{"ask", "--data", idx, "search", "+++"}, 2, nil, []string{"no words to search for"}, false},
		{"missing corpus", []string{"ask", "--data", idx, "--corpus", "/no/such/folder", "search", "Iran"}, 1, nil, []string{"open corpus /no/such/folder"}, false},
		{"unknown command", []string{"frobnicate"}, 2, nil, []string{`unknown command "frobnicate"`}, true},
		{"version", []string{"version"}, 0, []string{"briefbot dev"}, nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := runCLI(t, tt.args...)
			if code != tt.code {
				t.Fatalf("exit %d, want %d\nstdout: %s\nstderr: %s", code, tt.code, out, errOut)
			}
			for _, s := range tt.stdout {
				if !strings.Contains(out, s) {
					t.Errorf("stdout lacks %q:\n%s", s, out)
				}
			}
			for _, s := range tt.stderr {
				if !strings.Contains(errOut, s) {
					t.Errorf("stderr lacks %q:\n%s", s, errOut)
				}
			}
			if tt.code != 0 && !tt.oneLine && strings.Count(strings.TrimSpace(errOut), "\n") > 0 {
				t.Errorf("error should be one line:\n%s", errOut)
			}
			if strings.Contains(errOut, "goroutine ") || strings.Contains(errOut, "panic") {
				t.Errorf("stack trace on stderr:\n%s", errOut)
			}
		})
	}
}

// The JSON shape scripts rely on.
func TestAskJSON(t *testing.T) {
	idx := t.TempDir()
	code, out, errOut := runCLI(t, "ask", "--data", idx, "--json", "quote", "--speaker", "Qureshi", "neutrality")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var ans struct {
		Command string `json:"command"`
		Items   []struct {
			Text     string `json:"text"`
			Speaker  string `json:"speaker"`
			Citation struct {
				Article, File, Title, Outlet, Published, URL string
				Paragraph                                    int
			} `json:"citation"`
		} `json:"items"`
	}
	if err := json.Unmarshal([]byte(out), &ans); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	if ans.Command != "quote" || len(ans.Items) == 0 {
		t.Fatalf("unexpected answer: %s", out)
	}
	it := ans.Items[0]
	if it.Speaker != "Shah Mehmood Qureshi" || it.Citation.File != "002_60f647b1c0ad5a2f.txt" || it.Citation.Published != "2022-03-06" || it.Citation.Paragraph < 1 {
		t.Errorf("unexpected item: %+v", it)
	}

	code, out, _ = runCLI(t, "ask", "--data", idx, "--json", "timeline", "Ukraine")
	var tl struct {
		Items []struct {
			Date          string `json:"date"`
			DatePrecision string `json:"date_precision"`
		} `json:"items"`
	}
	if code != 0 || json.Unmarshal([]byte(out), &tl) != nil || len(tl.Items) == 0 || tl.Items[0].Date == "" || tl.Items[0].DatePrecision == "" {
		t.Errorf("timeline JSON lacks dates: %s", out)
	}
	// No answer: an empty list, not null.
	code, out, _ = runCLI(t, "ask", "--data", idx, "--json", "search", "zeppelin")
	if code != 0 || !strings.Contains(out, `"items": []`) {
		t.Errorf("empty answer should have an empty items list: %s", out)
	}
}

func TestIndexCommandAndCustomCorpus(t *testing.T) {
	dir := t.TempDir()
	articles := filepath.Join(dir, "articles")
	os.MkdirAll(articles, 0o755)
	os.WriteFile(filepath.Join(articles, "one.md"), []byte("---\ntitle: Port strike ends\noutlet: Harbour News\npublished: 2023-06-14\n---\n“We got what matters,” union leader Marta Silva told reporters on Tuesday."), 0o644)
	os.WriteFile(filepath.Join(articles, "broken.txt"), []byte{0, 1, 2}, 0o644)
	idx := filepath.Join(dir, "index")
	code, out, errOut := runCLI(t, "index", "--corpus", articles, "--data", idx)
	if code != 0 || !strings.Contains(out, "indexed 1 articles") || !strings.Contains(errOut, "skipped broken.txt") {
		t.Fatalf("index: exit %d\n%s\n%s", code, out, errOut)
	}
	code, out, errOut = runCLI(t, "ask", "--corpus", articles, "--data", idx, "quote", "--speaker", "Silva")
	if code != 0 || !strings.Contains(out, "We got what matters") || !strings.Contains(out, "Harbour News") {
		t.Fatalf("ask: exit %d\n%s\n%s", code, out, errOut)
	}
}

// The team's corrections, as the bot saved them, apply on the command line;
// a damaged copy is reported, and the answer still comes.
func TestAskAppliesCorrections(t *testing.T) {
	data := t.TempDir()
	_, plain, _ := runCLI(t, "ask", "--data", data, "--json", "--limit", "1", "quote", "restraint")
	var ans struct {
		Items []struct {
			Quote    string `json:"quote"`
			Citation struct {
				Article   string `json:"article"`
				Paragraph int    `json:"paragraph"`
			} `json:"citation"`
		} `json:"items"`
	}
	if err := json.Unmarshal([]byte(plain), &ans); err != nil || len(ans.Items) == 0 {
		t.Fatalf("%v %s", err, plain)
	}
	it := ans.Items[0]
	saved, _ := json.Marshal([]map[string]interface{}{{"id": "1", "kind": "speaker", "article": it.Citation.Article, "paragraph": it.Citation.Paragraph,
		"quote": it.Quote, "speaker": "Maleeha Lodhi", "state": "accepted", "by": "1", "at": "2026-12-01T10:00:00Z"}})
	os.WriteFile(filepath.Join(data, CorrectionsFile), saved, 0o600)
	code, out, errs := runCLI(t, "ask", "--data", data, "--limit", "1", "quote", "restraint")
	if code != 0 || !strings.Contains(out, "Maleeha Lodhi (speaker corrected by the team)") {
		t.Errorf("%d %s %s", code, out, errs)
	}
	os.WriteFile(filepath.Join(data, CorrectionsFile), []byte("{damaged"), 0o600)
	code, out, errs = runCLI(t, "ask", "--data", data, "--limit", "1", "quote", "restraint")
	if code != 0 || strings.Contains(out, "corrected by the team") || !strings.Contains(errs, "answering without the team's corrections") {
		t.Errorf("damaged corrections: %d %s %s", code, out, errs)
	}
}
