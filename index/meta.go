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
	"sort"
	"strings"
	"sync"

	"github.com/blevesearch/bleve/v2"

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

func readMeta(b bleve.Index) (*Meta, error) {
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
	lists := make([][]ArticleMeta, articleBuckets)
	if err := eachBucket(b, bucketKey, func(k int, data []byte) error { return decodeGob(data, &lists[k]) }); err != nil {
		return nil, fmt.Errorf("read index meta: %w", err)
	}
	for _, list := range lists {
		meta.Articles = append(meta.Articles, list...)
	}
	sort.Slice(meta.Articles, func(i, j int) bool { return meta.Articles[i].File < meta.Articles[j].File })
	if meta.Speakers != nil {
		meta.Speakers.SetGazetteer(extract.NewGazetteer(meta.ActorAliases))
	}
	return &meta, nil
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
	var wg sync.WaitGroup
	next := make(chan int)
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := range next {
				errs[k] = readBucket(b, key(k), func(data []byte) error { return decode(k, data) })
			}
		}()
	}
	for k := 0; k < articleBuckets; k++ {
		next <- k
	}
	close(next)
	wg.Wait()
	for k, err := range errs {
		if err != nil {
			return fmt.Errorf("bucket %d: %w", k, err)
		}
	}
	return nil
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
