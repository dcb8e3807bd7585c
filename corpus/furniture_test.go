package corpus

import (
	"math/rand"
	"strings"
	"testing"
)

// TestCaptionPrefilter: the quick word check never turns away a line the
// caption pattern reads as a caption, whatever the line.
func TestCaptionPrefilter(t *testing.T) {
	pieces := []string{"Photo by Ann Lee", "PHOTOGRAPH:", "(Photo: AP)", "Credit: Getty Images", "REUTERS/Tom Brenner",
		"AP Photo/Evan Vucci", "AFP via Getty", "(Courtesy of the family)", "(File)", "(AP)", "(Reuters).", "image:", "Picture by",
		"The minister said", "talks", "in Islamabad", "ümlaut", "«quoted»", "—", "  ", "photos", "Imagery", "(apple)"}
	r := rand.New(rand.NewSource(1))
	for i := 0; i < 20000; i++ {
		var b strings.Builder
		for n := r.Intn(5); n >= 0; n-- {
			b.WriteString(pieces[r.Intn(len(pieces))])
			b.WriteString([]string{" ", "", ". ", ", "}[r.Intn(4)])
		}
		line := b.String()
		if reCaption.MatchString(line) && !mayBeCaption(line) {
			t.Fatalf("caption %q turned away by the word check", line)
		}
	}
}
