package index

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/blevesearch/bleve/v2"

	"github.com/briefbot/briefbot/corpus"
	"github.com/briefbot/briefbot/extract"
	"github.com/briefbot/briefbot/internal/atomicfile"
)

// Open opens the index of the corpus in fsys under dir and brings it up to
// date: a few changed files are applied as an update, many (or new corpus
// settings, another index format, a damaged index) mean a full build.
// note says what was done to the index ("" when it was current).
//
// The folder's lock is taken before the corpus is listed and held until
// Close: while another briefbot command uses the folder, Open waits for it;
// while a running bot does, it fails at once with ErrResident.
func Open(ctx context.Context, dir string, fsys fs.FS, opts Options) (ix *Index, note string, err error) {
	lock, err := lockFolder(ctx, dir, opts.Resident)
	if err != nil {
		return nil, "", err
	}
	ix, note, err = openLocked(ctx, dir, fsys, opts)
	if err != nil {
		lock.release()
		return nil, "", err
	}
	ix.lock = lock
	return ix, note, nil
}

func openLocked(ctx context.Context, dir string, fsys fs.FS, opts Options) (ix *Index, note string, err error) {
	removeBuildLeftovers(dir)
	// Listing the corpus waits on the file system and opening the index on
	// the CPU: at 100,000 articles each takes a good part of a start, so
	// they overlap.
	listing := make(chan error, 1)
	var l *corpus.Listing
	go func() {
		var err error
		l, err = listCorpus(dir, fsys)
		listing <- err
	}()
	name, why := currentGeneration(dir)
	if why != "" {
		if err := <-listing; err != nil {
			return nil, "", err
		}
	}
	var ingested map[string]time.Time
	if why == "" {
		ix, err := openGeneration(filepath.Join(dir, name), opts.Writable)
		if listErr := <-listing; listErr != nil {
			if err == nil {
				ix.Close()
			}
			return nil, "", listErr
		}
		if errors.Is(err, ErrLocked) {
			return nil, "", err
		}
		switch {
		case err != nil:
			why = fmt.Sprintf("the index was unreadable (%v)", err)
		case ix.damage() != "":
			why = "the index was found damaged (" + ix.damage() + ")"
			ingested = ingestedByFile(ix.Meta())
			ix.Close()
		case ix.Head().Extractor != extract.Version():
			// Facts read by other rules would answer differently from a build.
			why = "the extraction rules changed"
			ingested = ingestedByFile(ix.Meta())
			ix.Close()
		}
		if why != "" {
			if rmErr := os.RemoveAll(filepath.Join(dir, name)); rmErr != nil {
				return nil, "", fmt.Errorf("remove damaged index %s: %w", name, rmErr)
			}
		} else if head := ix.Head(); head.SettingsHash == l.SettingsHash && head.Manifest != "" && head.Manifest == l.Manifest() {
			return ix, "", nil // current, known without reading the articles
		} else {
			m := ix.Meta()
			ingested = ingestedByFile(m)
			changed, removed := diff(m, l)
			switch {
			case m.SettingsHash != l.SettingsHash:
				why = "the corpus settings changed"
				ix.Close()
			case len(changed)+len(removed) == 0:
				return ix, "", nil
			case len(changed)+len(removed) > updateLimit(len(l.Hashes)):
				why = fmt.Sprintf("%d articles changed", len(changed)+len(removed))
				ix.Close()
			default:
				if !ix.writable {
					ix.Close()
					if ix, err = openGeneration(filepath.Join(dir, name), true); err != nil {
						return nil, "", err
					}
				}
				if err := ix.applyDiff(ctx, fsys, changed, removed, opts); err != nil {
					ix.Close()
					return nil, "", err
				}
				return ix, updated(changed, removed), nil
			}
		}
	}
	s, err := corpus.OpenStream(fsys)
	if err != nil {
		return nil, "", err
	}
	ix, err = build(ctx, dir, s, opts, ingested)
	if err != nil {
		return nil, "", err
	}
	return ix, fmt.Sprintf("built the index of %d articles (%s)", ix.ArticleCount(), why), nil
}

// statCacheFile keeps the corpus files' hashes by size and time, so that
// opening a current index reads no article (see corpus.StatCache). It is
// gob: at 100,000 files JSON took a tenth of a second to decode.
const statCacheFile = "corpus-stat-cache.gob"

// oldStatCacheFile is the JSON cache of index formats before 24, removed
// when the first gob cache is written.
const oldStatCacheFile = "corpus-stat-cache.json"

// listCorpus lists the corpus through the data folder's stat cache, and
// keeps the cache up to date. The cache is compared with the files' times,
// which the file system stamps by the wall clock, so it is taken by the
// wall clock too, not by Options.Now. A missing, unreadable or damaged
// cache only costs reading the files.
func listCorpus(dir string, fsys fs.FS) (*corpus.Listing, error) {
	path := filepath.Join(dir, statCacheFile)
	// The cache is decoded while the folder is read and stated.
	decoded := make(chan *corpus.StatCache, 1)
	go func() {
		var cache *corpus.StatCache
		if data, err := os.ReadFile(path); err == nil {
			if decodeGob(data, &cache) != nil {
				cache = nil
			}
		}
		decoded <- cache
	}()
	var cache *corpus.StatCache
	l, next, read, err := corpus.ListCached(fsys, func() *corpus.StatCache { cache = <-decoded; return cache }, time.Now())
	if err != nil {
		return nil, err
	}
	if read > 0 || cache == nil || len(next.Files) != len(cache.Files) || next.Manifest != cache.Manifest {
		if data, err := encodeGob(next); err == nil {
			_ = atomicfile.Write(path, data, 0o644) // a cache: failing to keep it loses nothing
			os.Remove(filepath.Join(dir, oldStatCacheFile))
		}
	}
	return l, nil
}

// generationName is what CURRENT may name: anything else (a path, say) is
// not ours to open or remove.
var generationName = regexp.MustCompile(`^gen-[0-9]+-[0-9a-f]{1,64}$`)

// currentGeneration reads CURRENT; why says why there is no usable one.
func currentGeneration(dir string) (name, why string) {
	cur, err := os.ReadFile(filepath.Join(dir, "CURRENT"))
	name = strings.TrimSpace(string(cur))
	switch {
	case errors.Is(err, fs.ErrNotExist) || (err == nil && name == ""):
		return "", "no index yet"
	case err != nil:
		return "", fmt.Sprintf("CURRENT was unreadable (%v)", err)
	case !generationName.MatchString(name):
		return "", "CURRENT did not name a generation"
	case !strings.HasPrefix(name, fmt.Sprintf("gen-%d-", Format)):
		return "", "the index format changed"
	}
	if st, err := os.Stat(filepath.Join(dir, name)); err != nil || !st.IsDir() {
		return "", "the current generation was missing"
	}
	return name, ""
}

// removeBuildLeftovers deletes the build folders of builds that were killed
// (the caller holds the folder's lock: no build is running).
func removeBuildLeftovers(dir string) {
	leftovers, _ := filepath.Glob(filepath.Join(dir, "build-*"))
	for _, d := range leftovers {
		os.RemoveAll(d)
	}
}

func updated(changed, removed []string) string {
	return fmt.Sprintf("updated the index: %d articles added or changed, %d removed", len(changed), len(removed))
}

// applyDiff loads the changed files and applies them and the removals.
func (ix *Index) applyDiff(ctx context.Context, fsys fs.FS, changed, removed []string, opts Options) error {
	c, err := corpus.LoadFiles(fsys, changed)
	if err != nil {
		return err
	}
	return ix.Apply(ctx, ChangeOf(c, changed, removed), opts)
}

// Refresh brings an open index up to date with the named files of the
// corpus in fsys while it serves (the files a watcher saw change): those
// added, changed or removed are applied as one update, without reading the
// others. New corpus settings need a rebuild, which waits for the next start.
// note says what was done ("" when nothing changed).
func (ix *Index) Refresh(ctx context.Context, fsys fs.FS, names []string, opts Options) (note string, err error) {
	hashes, settings := corpus.ListFiles(fsys, names)
	if settings {
		return "", errors.New("sources.json or briefbot.yaml changed: restart briefbot to rebuild the index with them")
	}
	m := ix.Meta()
	known := map[string]string{} // file → its hash in the index
	ids := map[string]string{}   // file → what Change.Remove names it by
	for _, a := range m.Articles {
		known[a.File], ids[a.File] = a.Hash, a.ID
	}
	for _, p := range m.Problems {
		known[p.File], ids[p.File] = p.Hash, p.File
	}
	var changed, removed []string
	seen := map[string]bool{}
	for _, n := range names {
		if seen[n] {
			continue
		}
		seen[n] = true
		h, exists := hashes[n]
		old, indexed := known[n]
		switch {
		case exists && (!indexed || old != h || h == ""):
			changed = append(changed, n)
		case !exists && indexed:
			if _, err := fs.Stat(fsys, n); err != nil { // gone, not just unreadable
				removed = append(removed, ids[n])
			}
		}
	}
	if len(changed)+len(removed) == 0 {
		return "", nil
	}
	sort.Strings(changed)
	if err := ix.applyDiff(ctx, fsys, changed, removed, opts); err != nil {
		return "", err
	}
	return updated(changed, removed), nil
}

// updateLimit is how many changed files are applied one by one; more are
// faster rebuilt with the offline builder.
func updateLimit(articles int) int { return max(200, articles/5) }

// diff lists the files that are new or changed since meta, and the IDs of
// articles whose files are gone.
func diff(m *Meta, l *corpus.Listing) (changed, removed []string) {
	known := make(map[string]string, len(m.Articles)+len(m.Problems))
	for _, a := range m.Articles {
		known[a.File] = a.Hash
	}
	for _, p := range m.Problems {
		known[p.File] = p.Hash
	}
	for file, h := range l.Hashes {
		if k, ok := known[file]; !ok || k != h || h == "" {
			changed = append(changed, file)
		}
	}
	for _, a := range m.Articles {
		if _, ok := l.Hashes[a.File]; !ok {
			removed = append(removed, a.ID)
		}
	}
	for _, p := range m.Problems {
		if _, ok := l.Hashes[p.File]; !ok {
			removed = append(removed, p.File)
		}
	}
	sort.Strings(changed)
	return changed, removed
}

func ingestedByFile(m *Meta) map[string]time.Time {
	out := make(map[string]time.Time, len(m.Articles))
	for _, a := range m.Articles {
		out[a.File] = a.Ingested
	}
	return out
}

// Change is one update of the index.
type Change struct {
	// Upsert adds articles or replaces those with the same ID.
	Upsert []*corpus.Article
	// Hashes are the content hashes of the upserted files (corpus.Listing).
	Hashes map[string]string
	// Remove names articles (by ID) or unusable files (by name) to drop.
	Remove []string
	// Problems are files of this change that could not be used; they replace
	// what the index knew of those files.
	Problems []corpus.Problem
}

// ChangeOf is the update that makes the index match c, a load of the files
// named in changed, with the articles or files in removed gone.
func ChangeOf(c *corpus.Corpus, changed, removed []string) Change {
	ch := Change{Upsert: c.Articles, Hashes: c.Hashes, Problems: c.Problems, Remove: removed}
	// A file that changed into something unusable is no longer its article.
	for _, p := range c.Problems {
		ch.Remove = append(ch.Remove, p.File)
	}
	return ch
}

// withUpkeep is the current state with the articles' upkeep and tally read,
// which only updates need (the caller holds ix.updating).
func (ix *Index) withUpkeep() (*state, error) {
	s := ix.current()
	if s.upkeep != nil {
		return s, nil
	}
	ix.mu.RLock()
	up, err := readUpkeep(ix.bleve)
	ix.mu.RUnlock()
	if err != nil {
		return nil, err
	}
	loaded := *s
	loaded.upkeep, loaded.tally = up, newTally(s.meta.Articles, up)
	ix.mu.Lock()
	ix.state = &loaded
	ix.mu.Unlock()
	return &loaded, nil
}

// Apply makes one change to the index in a single atomic Bleve batch: a
// search runs wholly before it or wholly after it. The articles' extraction
// joins the speakers already known (see extract.Extend).
func (ix *Index) Apply(ctx context.Context, ch Change, opts Options) error {
	if !ix.writable {
		return errors.New("the index was opened read-only")
	}
	ix.updating.Lock()
	defer ix.updating.Unlock()
	old, err := ix.withUpkeep()
	if err != nil {
		return err
	}
	now := opts.now()

	gone := map[string]bool{}
	for _, id := range ch.Remove {
		gone[id] = true
	}
	for _, a := range ch.Upsert {
		gone[a.ID] = true
	}
	facts := extract.ReadAll(ch.Upsert, ix.Gazetteer)
	speakers := ix.speakersAfter(old, gone, ch.Upsert, facts)

	batch := ix.bleve.NewBatch()
	for id := range gone {
		if a, ok := old.articles[id]; ok {
			for _, doc := range documentIDs(a) {
				batch.Delete(doc)
			}
		}
	}
	touched := map[int]bool{}
	for id := range gone {
		touched[bucketOf(id)] = true
	}
	added, addedUpkeep, err := ix.indexUpserts(ctx, batch, ch, facts, old, now)
	if err != nil {
		return err
	}

	meta := *old.meta
	var goneFiles []string
	for id := range gone {
		if a, ok := old.articles[id]; ok {
			goneFiles = append(goneFiles, a.File)
		}
	}
	sort.Strings(goneFiles)
	meta.Articles = mergeArticles(old.meta.Articles, goneFiles, added)
	meta.Speakers = speakers
	meta.Updated = now
	tally := old.tally.clone()
	for id := range gone {
		if u, ok := old.upkeep[id]; ok {
			tally.add(u, -1)
		}
	}
	for _, a := range added {
		tally.add(addedUpkeep[a.ID], 1)
	}
	meta.Topics, meta.Actors = tally.suggestions()
	if !meta.SubjectSet {
		meta.Subject = extract.Subject(tally.positions, speakers, ix.Gazetteer)
	}
	meta.Problems = problemsAfter(old.meta.Problems, ch, gone)
	// The upkeep of the buckets rewritten: the new articles', else what
	// the old state had (the gone articles are no longer in meta).
	upkeepOf := func(id string) *upkeep {
		if u, ok := addedUpkeep[id]; ok {
			return u
		}
		return old.upkeep[id]
	}
	writes, err := metaWrites(&meta, upkeepOf, touched)
	if err != nil {
		return err
	}
	for k, v := range writes {
		batch.SetInternal([]byte(k), v)
	}

	// The new state shares what did not change with the old one.
	articles := maps.Clone(old.articles)
	for id := range gone {
		delete(articles, id)
	}
	for i := range meta.Articles {
		if a := &meta.Articles[i]; gone[a.ID] {
			articles[a.ID] = a
		}
	}
	next := &state{meta: &meta, articles: articles, upkeep: old.upkeep, tally: tally}

	ix.mu.Lock()
	defer ix.mu.Unlock()
	if err := ix.bleve.Batch(batch); err != nil {
		return fmt.Errorf("update index %s: %w", ix.path, err)
	}
	// Only updates read the upkeep, one at a time (ix.updating): it is
	// changed in place once the batch is stored, not copied per update.
	for id := range gone {
		delete(old.upkeep, id)
	}
	maps.Copy(old.upkeep, addedUpkeep)
	ix.state = next
	ix.changed()
	return nil
}

// speakersAfter is the speaker registry once the change is applied: the
// removed and replaced articles' names counted out, the new ones in.
func (ix *Index) speakersAfter(old *state, gone map[string]bool, upserts []*corpus.Article, facts map[string]*extract.Facts) *extract.Registry {
	speakers := old.meta.Speakers.Clone()
	for id := range gone {
		if u, ok := old.upkeep[id]; ok {
			speakers.Add(u.Names, -1)
		}
	}
	for _, a := range upserts {
		speakers.Add(facts[a.ID].Names, 1)
	}
	speakers.SetGazetteer(ix.Gazetteer)
	return speakers
}

// indexUpserts adds the documents of the change's articles to the batch
// and returns their metadata (sorted by file) and upkeep.
func (ix *Index) indexUpserts(ctx context.Context, batch *bleve.Batch, ch Change, facts map[string]*extract.Facts, old *state, now time.Time) ([]ArticleMeta, map[string]*upkeep, error) {
	var added []ArticleMeta
	addedUpkeep := map[string]*upkeep{}
	for _, a := range ch.Upsert {
		if err := ctx.Err(); err != nil {
			return nil, nil, err
		}
		f := facts[a.ID]
		docs := documents(a, f)
		for _, doc := range docs {
			if err := batch.Index(doc.id, doc.fields); err != nil {
				return nil, nil, fmt.Errorf("index %s: %w", a.File, err)
			}
		}
		when := now
		prev, replaced := old.articles[a.ID]
		if replaced {
			when = prev.Ingested // a changed article is not a new one
		}
		m, u := articleMeta(a, f, ch.Hashes[a.File], when)
		if replaced {
			if err := ix.revision(ctx, &m, prev, a, docs, now); err != nil {
				return nil, nil, err
			}
		}
		added = append(added, m)
		addedUpkeep[a.ID] = u
	}
	sort.Slice(added, func(i, j int) bool { return added[i].File < added[j].File })
	return added, addedUpkeep, nil
}

// problemsAfter is the unusable files once the change is applied: the
// change's own, and the old ones of files it neither replaced nor removed.
func problemsAfter(old []corpus.Problem, ch Change, gone map[string]bool) []corpus.Problem {
	replaced := map[string]bool{}
	for _, p := range ch.Problems {
		replaced[p.File] = true
	}
	for _, a := range ch.Upsert {
		replaced[a.File] = true
	}
	var out []corpus.Problem
	for _, p := range old {
		if !replaced[p.File] && !gone[p.File] {
			out = append(out, p)
		}
	}
	return append(out, ch.Problems...)
}

// revision stamps a replaced article whose text changed with when, and
// with the documents (of docs, its new ones) of the paragraphs not in the
// version replaced.
func (ix *Index) revision(ctx context.Context, m *ArticleMeta, prev *ArticleMeta, a *corpus.Article, docs []document, now time.Time) error {
	if m.TextHash == prev.TextHash {
		m.Revised, m.NewDocs = prev.Revised, prev.NewDocs
		return nil
	}
	hits, _, err := ix.Search(ctx, Query{Kind: KindParagraph, Article: prev.ID, Order: ByPosition, Size: max(prev.Paragraphs, 1), TextOnly: true})
	if err != nil {
		return fmt.Errorf("read the version of %s replaced: %w", a.File, err)
	}
	before := map[string]bool{}
	for _, h := range hits {
		before[corpus.Normalize(h.Text)] = true
	}
	fresh := map[float64]bool{}
	for _, p := range a.Paragraphs {
		if !before[corpus.Normalize(p.Text)] {
			fresh[float64(p.N)] = true
		}
	}
	m.Revised, m.NewDocs = now, nil
	for _, d := range docs {
		if n, _ := d.fields[fPara].(float64); fresh[n] {
			m.NewDocs = append(m.NewDocs, d.id)
		}
	}
	return nil
}

// mergeArticles is old without the gone files, with added merged in; all
// three are sorted by file, and so is the result (one pass, no hashing).
func mergeArticles(old []ArticleMeta, gone []string, added []ArticleMeta) []ArticleMeta {
	out := make([]ArticleMeta, 0, len(old)+len(added))
	j, g := 0, 0
	for _, a := range old {
		for g < len(gone) && gone[g] < a.File {
			g++
		}
		if g < len(gone) && gone[g] == a.File {
			continue
		}
		for j < len(added) && added[j].File < a.File {
			out = append(out, added[j])
			j++
		}
		out = append(out, a)
	}
	return append(out, added[j:]...)
}

// documentIDs are the IDs documents() gives an article's documents (some
// quote IDs may be unused: deleting them is harmless).
func documentIDs(a *ArticleMeta) []string {
	var out []string
	for n := 1; n <= a.Paragraphs; n++ {
		out = append(out, docID(KindParagraph, a.ID, n))
	}
	for i := 0; i < a.Quotes; i++ {
		out = append(out, docID(KindQuote, a.ID, i))
	}
	for i := 0; i < a.Events; i++ {
		out = append(out, docID(KindEvent, a.ID, i))
	}
	return out
}
