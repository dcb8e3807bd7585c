package extract

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"sync"

	"github.com/briefbot/briefbot/corpus"
)

// probe is an article that exercises every kind of fact extraction reads:
// names and titles, quotations and their attributions, dates of each kind,
// and positions with their kinds.
const probe = `Pakistani Foreign Minister Shah Mehmood Qureshi said on Monday that Pakistan would not take sides.

"We condemn the attack without reservation," Qureshi told reporters in Islamabad.

Sen. Tom Reyes, the Republican nominee, urged both sides to show restraint, and he warned of sanctions by Jan. 15.

The senator also denied reports that his campaign had met Iranian officials last year. “That is false,” a spokeswoman said.

Islamabad abstained from voting on the resolution in March 2022, two months ago, and offered to mediate between the United States and Iran.

Analysts say Trump's presidential campaign expressed deep concern over the ongoing talks, calling them a "dangerous distraction from the real work."

The Reyes campaign said it expected talks to resume next week, after Thanksgiving Day.`

var version struct {
	once sync.Once
	v    string
}

// Version fingerprints the rules: a hash of what extraction reads from a
// probe article. An index whose facts were read by other rules (another
// build of briefbot) is rebuilt rather than trusted.
func Version() string {
	version.once.Do(func() {
		a, err := corpus.Parse("probe.md", []byte("---\ntitle: Probe\npublished: 2022-05-10\n---\n"+probe))
		if err != nil {
			panic("the extraction probe does not parse: " + err.Error())
		}
		js, _ := json.Marshal(ArticleFacts(a, NewGazetteer(nil)))
		sum := sha256.Sum256(js)
		version.v = hex.EncodeToString(sum[:8])
	})
	return version.v
}
