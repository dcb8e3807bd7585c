package index

import (
	"bytes"
	"encoding/gob"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"maps"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/blevesearch/bleve/v2"

	"github.com/briefbot/briefbot/corpus"
	"github.com/briefbot/briefbot/extract"
)

// The meta is stored inside the Bleve index, in the same batches as the
// documents: the corpus-wide part under metaKey, the articles spread over
// articleBuckets keys by a hash of their ID, so that an update rewrites
// only the few buckets its articles fall in, not every article's entry.
var metaKey = []byte("briefbot-meta")

const articleBuckets = 256

func bucketOf(id string) int {
	h := fnv.New32a()
	h.Write([]byte(id))
	return int(h.Sum32() % articleBuckets)
}

func bucketKey(b int) string { return fmt.Sprintf("briefbot-articles-%03d", b) }

func upkeepKey(b int) string { return fmt.Sprintf("briefbot-upkeep-%03d", b) }

// metaWrites are the internal keys and values that store meta and the
// articles' upkeep: all of them, or with touched set, the corpus-wide part
// and those buckets only.
func metaWrites(meta *Meta, upkeepOf func(id string) *upkeep, touched map[int]bool) (map[string][]byte, error) {
	meta.summarise()
	head := *meta
	head.Articles = nil
	data, err := json.Marshal(&head)
	if err != nil {
		return nil, fmt.Errorf("encode index meta: %w", err)
	}
	out := map[string][]byte{string(metaKey): data}
	buckets := map[int][]ArticleMeta{}
	upkeeps := map[int][]*upkeep{}
	for _, a := range meta.Articles {
		if b := bucketOf(a.ID); touched == nil || touched[b] {
			buckets[b] = append(buckets[b], a)
			if u := upkeepOf(a.ID); u != nil {
				upkeeps[b] = append(upkeeps[b], u)
			}
		}
	}
	for b := 0; b < articleBuckets; b++ {
		if touched != nil && !touched[b] {
			continue
		}
		list, ups := buckets[b], upkeeps[b]
		if list == nil {
			list = []ArticleMeta{}
		}
		if ups == nil {
			ups = []*upkeep{}
		}
		if out[bucketKey(b)], err = encodeGob(list); err != nil {
			return nil, fmt.Errorf("encode index meta: %w", err)
		}
		if out[upkeepKey(b)], err = encodeGob(ups); err != nil {
			return nil, fmt.Errorf("encode index meta: %w", err)
		}
	}
	return out, nil
}

// writeMeta stores meta in the index the builder just finished.
func writeMeta(path string, meta *Meta, up map[string]*upkeep) error {
	writes, err := metaWrites(meta, func(id string) *upkeep { return up[id] }, nil)
	if err != nil {
		return err
	}
	b, err := bleve.Open(path)
	if err != nil {
		return fmt.Errorf("open new index %s: %w", path, err)
	}
	batch := b.NewBatch()
	for k, v := range writes {
		batch.SetInternal([]byte(k), v)
	}
	if err := b.Batch(batch); err != nil {
		b.Close()
		return fmt.Errorf("write index meta: %w", err)
	}
	if err := b.Close(); err != nil {
		return fmt.Errorf("close new index %s: %w", path, err)
	}
	return nil
}

// readHead reads the corpus-wide part of the meta, without the articles.
func readHead(b bleve.Index) (*Meta, error) {
	data, err := b.GetInternal(metaKey)
	if err != nil {
		return nil, fmt.Errorf("read index meta: %w", err)
	}
	if data == nil {
		return nil, errors.New("the index has no meta")
	}
	var meta Meta
	if err := json.Unmarshal(data, &meta); err != nil {
		return nil, fmt.Errorf("read index meta: %w", err)
	}
	if meta.Speakers != nil {
		meta.Speakers.SetGazetteer(extract.NewGazetteer(meta.ActorAliases))
	}
	return &meta, nil
}

// readArticles reads every article's bucket into meta.Articles, by file.
func readArticles(b bleve.Index, meta *Meta) error {
	lists := make([][]ArticleMeta, articleBuckets)
	if err := eachBucket(b, bucketKey, func(k int, data []byte) error { return decodeGob(data, &lists[k]) }); err != nil {
		return fmt.Errorf("read index meta: %w", err)
	}
	meta.Articles = joinBuckets(lists)
	return nil
}

func joinBuckets(lists [][]ArticleMeta) []ArticleMeta {
	n := 0
	for _, list := range lists {
		n += len(list)
	}
	all := make([]ArticleMeta, 0, n)
	for _, list := range lists {
		all = append(all, list...)
	}
	slices.SortFunc(all, func(a, b ArticleMeta) int { return strings.Compare(a.File, b.File) })
	return all
}

// summarise sets what opening reads instead of the articles: their
// number, the newest publication date and the manifest.
func (m *Meta) summarise() {
	m.ArticleCount, m.Newest = len(m.Articles), newestOf(m.Articles)
	var sum corpus.ManifestSum
	for _, a := range m.Articles {
		sum.Add(a.File, a.Hash)
	}
	for _, p := range m.Problems {
		sum.Add(p.File, p.Hash)
	}
	m.Manifest = sum.String()
}

// lazyArticles reads an index's article metadata when first asked, a
// bucket at a time: an answer cites a few articles, and decoding all of
// them was most of a warm `ask` at 100,000 articles. Only indexes opened
// for answers are lazy: they are never updated, so the buckets read later
// are those of the state that was opened.
type lazyArticles struct {
	// src is the index opened; it is never swapped for another, as
	// repairs and updates need a writable index. Its reads take no lock:
	// a search holding ix.mu for reading reaches here.
	src     bleve.Index
	damaged func(why string) error
	buckets [articleBuckets]lazyBucket
	all     sync.Once
	meta    *Meta
}

type lazyBucket struct {
	once sync.Once
	list []ArticleMeta
	byID map[string]*ArticleMeta
}

func newLazyArticles(ix *Index) *lazyArticles {
	return &lazyArticles{src: ix.bleve, damaged: ix.markDamaged}
}

func (l *lazyArticles) bucket(k int) *lazyBucket {
	b := &l.buckets[k]
	b.once.Do(func() {
		err := readBucket(l.src, bucketKey(k), func(data []byte) error { return decodeGob(data, &b.list) })
		if err != nil {
			b.list = nil
			if !errors.Is(err, bleve.ErrorIndexClosed) {
				// Unreadable metadata: answers go on without it, and the
				// next open rebuilds the index.
				l.damaged(fmt.Sprintf("article metadata bucket %d: %v", k, err))
			}
		}
		b.byID = make(map[string]*ArticleMeta, len(b.list))
		for i := range b.list {
			b.byID[b.list[i].ID] = &b.list[i]
		}
	})
	return b
}

func (l *lazyArticles) article(id string) (*ArticleMeta, bool) {
	a, ok := l.bucket(bucketOf(id)).byID[id]
	return a, ok
}

// full is head with every article, read on both cores the first time.
func (l *lazyArticles) full(head *Meta) *Meta {
	l.all.Do(func() {
		eachOnEveryCore(articleBuckets, func(k int) { l.bucket(k) })
		lists := make([][]ArticleMeta, articleBuckets)
		for k := range l.buckets {
			lists[k] = l.buckets[k].list
		}
		m := *head
		m.Articles = joinBuckets(lists)
		l.meta = &m
	})
	return l.meta
}

// readUpkeep reads every article's upkeep, by article ID.
func readUpkeep(b bleve.Index) (map[string]*upkeep, error) {
	lists := make([][]*upkeep, articleBuckets)
	if err := eachBucket(b, upkeepKey, func(k int, data []byte) error { return decodeGob(data, &lists[k]) }); err != nil {
		return nil, fmt.Errorf("read index upkeep: %w", err)
	}
	out := map[string]*upkeep{}
	for _, list := range lists {
		for _, u := range list {
			out[u.ID] = u
		}
	}
	return out, nil
}

// Metadata buckets and the stat cache are gob, not JSON: decoding them is
// most of opening a large index, and gob decodes them about ten times faster.
func encodeGob(v any) ([]byte, error) {
	var buf bytes.Buffer
	if err := gob.NewEncoder(&buf).Encode(v); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func decodeGob(data []byte, v any) error {
	return gob.NewDecoder(bytes.NewReader(data)).Decode(v)
}

// eachBucket hands the stored value of each bucket key (none when absent)
// to decode, on every core: decoding is most of opening an index. A panic
// inside Bleve (a damaged store) is an error here: it happens on a
// goroutine of its own, where the caller's recovery cannot reach.
func eachBucket(b bleve.Index, key func(int) string, decode func(k int, data []byte) error) error {
	errs := make([]error, articleBuckets)
	eachOnEveryCore(articleBuckets, func(k int) {
		errs[k] = readBucket(b, key(k), func(data []byte) error { return decode(k, data) })
	})
	for k, err := range errs {
		if err != nil {
			return fmt.Errorf("bucket %d: %w", k, err)
		}
	}
	return nil
}

// eachOnEveryCore runs do for 0…n-1, one goroutine per core.
func eachOnEveryCore(n int, do func(k int)) {
	var wg sync.WaitGroup
	next := make(chan int)
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := range next {
				do(k)
			}
		}()
	}
	for k := 0; k < n; k++ {
		next <- k
	}
	close(next)
	wg.Wait()
}

func readBucket(b bleve.Index, key string, decode func([]byte) error) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("%v", p)
		}
	}()
	data, err := b.GetInternal([]byte(key))
	if err != nil || data == nil {
		return err
	}
	return decode(data)
}

// tally counts what autocomplete offers: headline words and actors, by how
// many articles use them. An update adjusts it instead of recounting.
type tally struct {
	words   map[string]int    // lower-case word → articles
	display map[string]string // lower-case word → how headlines write it
	actors  map[string]int    // actor key → articles
	// positions counts paragraphs with a position, by name key.
	positions map[string]int
}

// newTally counts the articles in, in their order (the display form of
// a word depends on it).
func newTally(articles []ArticleMeta, up map[string]*upkeep) *tally {
	t := &tally{words: map[string]int{}, display: map[string]string{}, actors: map[string]int{}, positions: map[string]int{}}
	for _, a := range articles {
		if u := up[a.ID]; u != nil {
			t.add(u, 1)
		}
	}
	return t
}

func (t *tally) clone() *tally {
	return &tally{words: maps.Clone(t.words), display: maps.Clone(t.display), actors: maps.Clone(t.actors), positions: maps.Clone(t.positions)}
}

// add counts an article in (n = 1) or out (n = -1).
func (t *tally) add(a *upkeep, n int) {
	for _, w := range a.Words {
		k := strings.ToLower(w)
		t.words[k] += n
		if t.words[k] <= 0 {
			delete(t.words, k)
			delete(t.display, k)
		} else if d, ok := t.display[k]; n > 0 && (!ok || (isUpper(w) && !isUpper(d))) {
			t.display[k] = w
		}
	}
	for _, k := range a.Actors {
		t.actors[k] += n
		if t.actors[k] <= 0 {
			delete(t.actors, k)
		}
	}
	for k, c := range a.Positions {
		t.positions[k] += n * c
		if t.positions[k] <= 0 {
			delete(t.positions, k)
		}
	}
}

// suggestions are the most used headline words and actors.
func (t *tally) suggestions() (topics, actors []string) {
	for _, k := range extract.TopN(t.words, 300) {
		topics = append(topics, t.display[k])
	}
	for _, k := range extract.TopN(t.actors, 100) {
		actors = append(actors, ActorName(k))
	}
	return topics, actors
}
