package index

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/blevesearch/bleve/v2"

	"github.com/briefbot/briefbot/corpus"
	"github.com/briefbot/briefbot/internal/atomicfile"
)

// ErrDamaged means a search met a damaged index: it failed, panicked, or
// returned stored text that is not what was indexed. The generation is
// marked (a DAMAGED file in it) and rebuilt at the next open, or at once
// by Repair.
var ErrDamaged = errors.New("the index is damaged")

const damagedFile = "DAMAGED"

// damage says why the generation is known to be damaged ("" when it is not).
func (ix *Index) damage() string {
	ix.damageMu.Lock()
	why := ix.damaged
	ix.damageMu.Unlock()
	if why != "" {
		return why
	}
	if b, err := os.ReadFile(filepath.Join(ix.Path(), damagedFile)); err == nil {
		if why := strings.TrimSpace(string(b)); why != "" {
			return why
		}
		return "marked damaged"
	}
	return ""
}

// Damaged says why a search found the index damaged ("" while it is sound).
func (ix *Index) Damaged() string { return ix.damage() }

// markDamaged records the damage so that the next open rebuilds, and
// returns the error the search reports.
func (ix *Index) markDamaged(why string) error {
	ix.damageMu.Lock()
	first := ix.damaged == ""
	if first {
		ix.damaged = why
	}
	ix.damageMu.Unlock()
	if first {
		// The caller holds the read lock: ix.path cannot change meanwhile.
		atomicfile.Write(filepath.Join(ix.path, damagedFile), []byte(why+"\n"), 0o644)
	}
	return fmt.Errorf("%w (%s): it will be rebuilt", ErrDamaged, why)
}

// recoverDamage turns a panic inside Bleve (a damaged segment can cause
// one) into ErrDamaged. Use it deferred, with the read lock held.
func recoverDamage(ix *Index, err *error) {
	if r := recover(); r != nil {
		*err = ix.markDamaged(fmt.Sprint(r))
	}
}

// unitSum is the checksum stored with each document over what answers
// show of it, so that a search never cites text, a paragraph, a speaker or
// a date that a damaged segment garbled.
func unitSum(article string, para int, text, quote, speaker string, start time.Time) string {
	h := fnv.New64a()
	fmt.Fprintf(h, "%s\x00%d\x00%s\x00%s\x00%s\x00", article, para, text, quote, speaker)
	if !start.IsZero() {
		h.Write([]byte(start.UTC().Format("2006-01-02")))
	}
	return strconv.FormatUint(h.Sum64(), 36)
}

// Repair rebuilds a damaged index from the corpus in fsys while it stays
// open: searches go on against the old generation until the new one is
// swapped in. It does nothing when the index is sound.
func (ix *Index) Repair(ctx context.Context, fsys fs.FS, opts Options) (note string, err error) {
	ix.updating.Lock()
	defer ix.updating.Unlock()
	why := ix.damage()
	if why == "" {
		return "", nil
	}
	s, err := corpus.OpenStream(fsys)
	if err != nil {
		return "", err
	}
	opts.Writable = ix.writable
	fresh, err := build(ctx, filepath.Dir(ix.Path()), s, opts, ingestedByFile(ix.Meta()))
	if err != nil {
		return "", fmt.Errorf("repair the index: %w", err)
	}
	ix.mu.Lock()
	old := ix.bleve
	ix.bleve, ix.path, ix.state = fresh.bleve, fresh.path, fresh.state
	ix.mu.Unlock()
	ix.changed()
	ix.damageMu.Lock()
	ix.damaged = ""
	ix.damageMu.Unlock()
	old.Close()
	return fmt.Sprintf("rebuilt the damaged index (%s): %d articles", why, fresh.ArticleCount()), nil
}

// Report is what Check found in an index folder.
type Report struct {
	Generation string   `json:"generation"`
	Articles   int      `json:"articles"`
	Documents  int      `json:"documents"`
	Damage     []string `json:"damage,omitempty"`
	// Stale counts the article files added, changed or removed since the
	// index was last brought up to date.
	Stale int `json:"stale"`
}

// checkPage is how many documents Check reads at a time.
const checkPage = 2000

// Check reads every document of the current generation of dir and
// compares the index with the corpus in fsys, changing nothing but this:
// damage found is recorded, so that the next open rebuilds.
func Check(ctx context.Context, dir string, fsys fs.FS) (*Report, error) {
	lock, err := lockFolder(ctx, dir, false)
	if err != nil {
		return nil, err
	}
	defer lock.release()
	name, why := currentGeneration(dir)
	if why != "" {
		return nil, fmt.Errorf("no index to check in %s: %s", dir, why)
	}
	rep := &Report{Generation: name}
	ix, err := openGeneration(filepath.Join(dir, name), false)
	if err != nil {
		rep.Damage = append(rep.Damage, err.Error())
		return rep, nil
	}
	defer ix.Close()
	if why := ix.damage(); why != "" {
		rep.Damage = append(rep.Damage, "marked damaged: "+why)
	}
	meta := ix.Meta()
	rep.Articles = len(meta.Articles)
	if l, err := corpus.List(fsys); err == nil {
		changed, removed := diff(meta, l)
		rep.Stale = len(changed) + len(removed)
	}
	paragraphs, err := ix.readAll(ctx, rep)
	if err != nil {
		return nil, err
	}
	for _, a := range meta.Articles {
		if paragraphs[a.ID] != a.Paragraphs {
			rep.Damage = append(rep.Damage, fmt.Sprintf("%s: %d of its %d paragraphs are in the index", a.File, paragraphs[a.ID], a.Paragraphs))
		}
	}
	if len(rep.Damage) > 0 {
		ix.mu.RLock()
		ix.markDamaged(rep.Damage[0])
		ix.mu.RUnlock()
	}
	return rep, nil
}

// readAll reads every document's stored text, checking its checksum, and
// counts each article's paragraphs.
func (ix *Index) readAll(ctx context.Context, rep *Report) (paragraphs map[string]int, err error) {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	defer func() {
		if r := recover(); r != nil {
			rep.Damage = append(rep.Damage, fmt.Sprintf("reading documents: %v", r))
			err = nil
		}
	}()
	paragraphs = map[string]int{}
	var after []string
	for {
		req := bleve.NewSearchRequestOptions(bleve.NewMatchAllQuery(), checkPage, 0, false)
		req.Fields = []string{fArticle, fPara, fOrig, fQuote, fSpeaker, fStart, fSum}
		req.Score = bleve.ScoreNone
		req.SortBy([]string{"_id"})
		if after != nil {
			req.SetSearchAfter(after)
		}
		res, err := ix.bleve.SearchInContext(ctx, req)
		if err != nil {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			rep.Damage = append(rep.Damage, "reading documents: "+err.Error())
			return paragraphs, nil
		}
		for _, h := range res.Hits {
			if strings.HasPrefix(h.ID, "briefbot-") {
				continue
			}
			rep.Documents++
			hit, sound := hitOf(h)
			if !sound {
				rep.Damage = append(rep.Damage, "stored text of "+h.ID+" fails its checksum")
			}
			if hit.Kind == KindParagraph {
				paragraphs[hit.Article]++
			}
		}
		if len(res.Hits) < checkPage {
			return paragraphs, nil
		}
		after = []string{res.Hits[len(res.Hits)-1].ID}
	}
}
