package corpus

import (
	"regexp"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// inferred is what the text itself says about the article.
type inferred struct {
	Title     string
	Outlet    string
	Author    string
	Published time.Time
}

// Removed is a line taken out of the body, with the rule that took it.
type Removed struct {
	Line string
	Rule string
}

var (
	rePublished   = regexp.MustCompile(`(?i)^(?:first |originally )?(?:published|posted)(?: on)?(?: in ([^,]{2,60}),)?:?\s+(.+)$`)
	rePublishedBy = regexp.MustCompile(`(?i)^(?:first |originally )?(?:published|posted|appeared) (?:by|in|on) (.{2,60}?)\.?$`)
	reUpdated     = regexp.MustCompile(`(?i)^(?:last )?updated(?: on)?:?\s+.{3,40}$`)
	reByline      = regexp.MustCompile(`^(?:By|BY|by)\s+([A-Z][\p{L}.'-]+(?:\s+[A-Z][\p{L}.'-]+){0,3})(?:\s*[|,].*)?$`)
	reBullet      = regexp.MustCompile(`^\s*[•·▪◦*\-–]\s+`)
	reCaption     = regexp.MustCompile(`(?i)\b(?:photo|photograph|image|picture|file photo)(?: by|:)|\(photo\b|credit:|getty images|\breuters/|/reuters\b|\bap photo\b|\bafp via\b|\((?:courtesy|file|afp|ap|reuters)\b[^)]*\)\s*\.?$`)
	rePaywall     = regexp.MustCompile(`(?i)^(?:continue reading|to continue reading|subscribe to (?:continue|read)|register to continue|this article is (?:for|available to) subscribers|already a subscriber|sign in to continue)`)
	reTailList    = regexp.MustCompile(`(?i)^(?:recommended(?: articles| for you| stories)?|related(?: articles| stories| posts| news| coverage)?|more from .{1,40}|more stories|you may also like|you might also like|read next|read more|most (?:popular|read|viewed)|trending(?: now)?|also read|read also|see also|top stories|latest news)\s*:?$`)
	reBoilerplate = regexp.MustCompile(`(?i)^(?:source link|source|comments are closed|leave a (?:comment|reply)|share(?: this(?: article| story)?)?(?: on .{1,20})?|advertisement|sponsored|print|email|tweet|click here.{0,60}|sign up for .{1,60}|subscribe(?: now| to our newsletter)?|follow us on .{1,40}|all rights reserved|(?:©|copyright\b).{0,80}|skip to (?:main )?content|back to top)[.!]?$`)
)

// captionWords are literal words one of which every caption reCaption
// reads holds: a line without any is no caption, and the slow
// case-insensitive pattern need not run on it.
var captionWords = []string{"photo", "image", "picture", "credit:", "getty", "reuters", "afp", "(courtesy", "(file", "(ap"}

func mayBeCaption(line string) bool {
	lower := strings.ToLower(line)
	for _, w := range captionWords {
		if strings.Contains(lower, w) {
			return true
		}
	}
	return false
}

// clean splits raw text into body paragraphs and takes page furniture out.
// knownTitle, when set, is removed wherever the text repeats it.
func clean(raw string) (body []string, meta inferred, removed []Removed) {
	lines := paragraphsOf(raw)
	drop := func(line, rule string) { removed = append(removed, Removed{line, rule}) }

	if len(lines) > 0 {
		first := lines[0]
		head, _, site := strings.Cut(first, " | ")
		if site || looksLikeHeadline(head) {
			meta.Title = strings.TrimSpace(head)
			drop(first, "headline")
			lines = lines[1:]
		}
	}

	tail := false
	inPaywall := false
	for _, line := range lines {
		norm := strings.TrimSpace(Normalize(line))
		switch {
		case tail:
			drop(line, "list after the article")
		case reTailList.MatchString(norm):
			tail = true
			drop(line, "list after the article")
		case rePaywall.MatchString(norm):
			inPaywall = true
			drop(line, "paywall")
		case reBullet.MatchString(norm) && (inPaywall || WordCount(norm) <= 8):
			drop(line, "bullet list")
		case reBoilerplate.MatchString(norm):
			drop(line, "boilerplate")
		case reUpdated.MatchString(norm):
			drop(line, "updated stamp")
		case metaLine(norm, &meta):
			drop(line, "publication line")
		case mayBeCaption(norm) && reCaption.MatchString(norm):
			drop(line, "photo caption")
		case isSubheading(norm):
			drop(line, "subheading")
		default:
			inPaywall = false
			body = append(body, line)
		}
	}
	return body, meta, removed
}

// metaLine reports whether a line only states publication facts, recording them.
func metaLine(line string, meta *inferred) bool {
	if t, ok := ParseDate(line); ok {
		if meta.Published.IsZero() {
			meta.Published = t
		}
		return true
	}
	if m := rePublished.FindStringSubmatch(line); m != nil {
		if t, ok := ParseDate(m[2]); ok {
			if meta.Published.IsZero() {
				meta.Published = t
			}
			if m[1] != "" && meta.Outlet == "" {
				meta.Outlet = strings.TrimSpace(m[1])
			}
			return true
		}
	}
	if m := rePublishedBy.FindStringSubmatch(line); m != nil && WordCount(m[1]) <= 6 {
		if meta.Outlet == "" {
			meta.Outlet = strings.TrimSpace(m[1])
		}
		return true
	}
	if m := reByline.FindStringSubmatch(line); m != nil {
		if meta.Author == "" {
			meta.Author = m[1]
		}
		return true
	}
	return false
}

// looksLikeHeadline: a short first line without a sentence's final period.
func looksLikeHeadline(line string) bool {
	line = strings.TrimSpace(line)
	n := WordCount(line)
	if n < 3 || n > 25 || utf8.RuneCountInString(line) > 200 {
		return false
	}
	last, _ := utf8.DecodeLastRuneInString(Normalize(line))
	// A headline may ask or exclaim; it does not end a sentence otherwise
	// (".", or "。" and the like in other scripts).
	return !strings.ContainsRune(".:;,\"", last) && (strings.ContainsRune("?!", last) || !unicode.Is(unicode.Terminal_Punctuation, last))
}

// isSubheading: a few words with no sentence punctuation, such as "Border
// security". They structure the page but say nothing on their own.
func isSubheading(line string) bool {
	if WordCount(line) > 6 || utf8.RuneCountInString(line) > 80 {
		return false // also a sentence of a language written without spaces
	}
	last, _ := utf8.DecodeLastRuneInString(line)
	return !(unicode.Is(unicode.Terminal_Punctuation, last) || strings.ContainsRune("\"'):", last) || unicode.In(last, unicode.Pf, unicode.Pe))
}

// paragraphsOf splits text into paragraph candidates. Most article files hold
// one paragraph a line; hard-wrapped text (blank lines between blocks of short
// lines) has its lines joined within each block.
func paragraphsOf(raw string) []string {
	raw = strings.ReplaceAll(strings.ReplaceAll(raw, "\r\n", "\n"), "\r", "\n")
	blocks := strings.Split(raw, "\n\n")
	var out []string
	wrapped := isHardWrapped(raw)
	for _, b := range blocks {
		if wrapped && !reBullet.MatchString(b) {
			if j := strings.Join(strings.Fields(b), " "); j != "" {
				out = append(out, j)
			}
			continue
		}
		for _, l := range strings.Split(b, "\n") {
			if l = strings.TrimSpace(l); l != "" {
				out = append(out, l)
			}
		}
	}
	return out
}

func isHardWrapped(raw string) bool {
	long, multi, blocks := 0, 0, 0
	for _, b := range strings.Split(raw, "\n\n") {
		b = strings.TrimSpace(b)
		if b == "" {
			continue
		}
		blocks++
		ls := strings.Split(b, "\n")
		if len(ls) > 1 {
			multi++
		}
		for _, l := range ls {
			if utf8.RuneCountInString(l) > 100 {
				long++
			}
		}
	}
	return long == 0 && blocks > 1 && multi*2 > blocks
}
