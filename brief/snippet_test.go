package brief

import (
	"strings"
	"testing"
)

// A long passage is cut to the sentences that name the topic, and among
// those to the one that says what the position is.
func TestSnippetKeepsThePosition(t *testing.T) {
	filler := strings.Repeat("The hall was full and the speeches ran long into the evening. ", 8)
	text := "You can talk with Ortiz about this or that. " + filler + "I think that will bring a lot of those people around in support of Ortiz."
	got := snippetAt(text, 0, len([]rune(text)), []string{"ortiz"})
	if !strings.Contains(got, "in support of Ortiz") {
		t.Errorf("the position's sentence was cut: %q", got)
	}
	if !strings.Contains(text, strings.Trim(strings.TrimPrefix(got, "… "), " …")) {
		t.Errorf("not verbatim: %q", got)
	}
}
