package extract

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
)

func TestZZProbe(t *testing.T) {
	f := os.Getenv("PROBE_FILE")
	if f == "" {
		t.Skip()
	}
	data, _ := os.ReadFile(f)
	c, an := analyzeTexts(t, map[string]string{"a.md": string(data)})
	_ = c
	for _, ps := range strings.Split(os.Getenv("PROBE_PARAS"), ",") {
		n, _ := strconv.Atoi(ps)
		for _, p := range an.Facts["a.md"].Stated[n] {
			fmt.Printf("%d: %+v\n", n, p)
		}
		for _, q := range an.Facts["a.md"].Quotes {
			if q.Para == n {
				fmt.Printf("%d Q: %s | %q\n", n, q.SpeakerKey, q.Text[:min(60, len(q.Text))])
			}
		}
	}
}
