package extract

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"encoding/json"
	"io/fs"
	"strings"
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

The Reyes campaign said it expected talks to resume next week, after Thanksgiving Day.

Secretary of State Ann Holt said the United States would work with its allies. "We remain open to talks," she said.

The report said Sen. Tom Reyes was right when he said that under Qureshi, "the talks stalled for a whole year." Reyes says of Holt, "She is a patient negotiator who listens."`

// source is this package's code, so that any change to the rules changes
// Version, whether or not the probe shows it.
//
//go:embed *.go
var source embed.FS

var version struct {
	once sync.Once
	v    string
}

// Version fingerprints the rules: a hash of this package's code and of
// what it reads from a probe article. An index whose facts were read by
// other rules (another build of briefbot) is rebuilt rather than trusted.
func Version() string {
	version.once.Do(func() {
		h := sha256.New()
		files, _ := fs.Glob(source, "*.go")
		for _, f := range files { // sorted by Glob
			if strings.HasSuffix(f, "_test.go") {
				continue
			}
			data, _ := source.ReadFile(f)
			h.Write([]byte(f))
			h.Write(data)
		}
		a, err := corpus.Parse("probe.md", []byte("---\ntitle: Probe\npublished: 2022-05-10\n---\n"+probe))
		if err != nil {
			panic("the extraction probe does not parse: " + err.Error())
		}
		js, _ := json.Marshal(ArticleFacts(a, NewGazetteer(nil)))
		h.Write(js)
		version.v = hex.EncodeToString(h.Sum(nil)[:8])
	})
	return version.v
}
