// Package corrections keeps what the team says the bot got wrong: a
// quotation's speaker, or a passage that does not answer a question. A
// correction waits until an admin accepts or rejects it; accepted ones are
// applied to every later answer, whatever rebuilds and updates the index
// goes through, because they are kept beside it, not in it.
package corrections

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"os"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/briefbot/briefbot/brief"
	"github.com/briefbot/briefbot/corpus"
	"github.com/briefbot/briefbot/digest"
	"github.com/briefbot/briefbot/internal/atomicfile"
)

// Kinds of correction.
const (
	Speaker     = "speaker"      // the quotation's speaker is someone else
	NotRelevant = "not-relevant" // the passage does not answer the question
)

// States of a correction.
const (
	Pending  = "pending"
	Accepted = "accepted"
	Rejected = "rejected"
)

// Correction is one report and what became of it.
type Correction struct {
	ID   string `json:"id"`
	Kind string `json:"kind"`
	// The item: its article and paragraph, and for a quotation its words.
	Article   string `json:"article"`
	File      string `json:"file"`
	Paragraph int    `json:"paragraph"`
	Quote     string `json:"quote,omitempty"`
	Text      string `json:"text"` // the snippet as shown
	// Was is the speaker the bot gave, Speaker the one the team gives.
	Was     string `json:"was,omitempty"`
	Speaker string `json:"speaker,omitempty"`
	// Words are the question's words a passage was not relevant to.
	Words      string    `json:"words,omitempty"`
	By         string    `json:"by"`
	At         time.Time `json:"at"`
	State      string    `json:"state"`
	ReviewedBy string    `json:"reviewed_by,omitempty"`
	ReviewedAt time.Time `json:"reviewed_at,omitempty"`
}

// ErrNotFound: no correction has that ID.
var ErrNotFound = errors.New("no such correction")

const bucket = "corrections"

// Book keeps the corrections in the bot's state file and answers, from
// memory, which apply to an item. After every change it also writes them
// all to a snapshot file, which the command line reads while the bot
// holds the state file.
type Book struct {
	applied
	store    *digest.Store
	snapshot string
}

// applied is what the accepted corrections change, looked up by item.
type applied struct {
	mu sync.RWMutex
	// accepted speakers by item key, and not-relevant marks by passage.
	speakers   map[string]string
	irrelevant map[string][]string // passage key → folded question words
	fixes      []brief.SpeakerFix
}

// SpeakerFixes are the accepted speaker corrections, oldest first.
func (b *applied) SpeakerFixes() []brief.SpeakerFix {
	b.mu.RLock()
	defer b.mu.RUnlock()
	return b.fixes
}

// Open reads the corrections kept in store; snapshot is the file they are
// copied to (see Load).
func Open(store *digest.Store, snapshot string) (*Book, error) {
	b := &Book{store: store, snapshot: snapshot}
	all, err := b.All()
	if err != nil {
		return nil, err
	}
	b.index(all)
	return b, b.write(all)
}

// Load reads a snapshot: the corrections as the bot last wrote them, for
// the command line. No snapshot is no corrections.
func Load(snapshot string) (*View, error) {
	data, err := os.ReadFile(snapshot)
	if errors.Is(err, os.ErrNotExist) {
		v := &View{}
		v.index(nil)
		return v, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read the corrections: %w", err)
	}
	var all []Correction
	if err := json.Unmarshal(data, &all); err != nil {
		return nil, fmt.Errorf("read the corrections in %s: %w", snapshot, err)
	}
	v := &View{all: all}
	v.index(all)
	return v, nil
}

// View is a snapshot's corrections: what applies to an item, and the list.
type View struct {
	applied
	all []Correction
}

// List returns the snapshot's corrections, oldest first.
func (v *View) List() []Correction { return v.all }

func (b *Book) write(all []Correction) error {
	if b.snapshot == "" {
		return nil
	}
	if all == nil {
		all = []Correction{}
	}
	data, err := json.MarshalIndent(all, "", "  ")
	if err != nil {
		return err
	}
	if err := atomicfile.Write(b.snapshot, append(data, '\n'), 0o600); err != nil {
		return fmt.Errorf("write the corrections' snapshot: %w", err)
	}
	return nil
}

func quoteKey(article string, para int, quote string) string {
	return article + "\x00" + strconv.Itoa(para) + "\x00" + corpus.Normalize(quote)
}

func passageKey(article string, para int) string { return article + "\x00" + strconv.Itoa(para) }

func (b *applied) index(all []Correction) {
	speakers, irrelevant := map[string]string{}, map[string][]string{}
	fixed := map[string]brief.SpeakerFix{} // the last accepted one per quotation
	for _, c := range all {
		if c.State != Accepted {
			continue
		}
		switch c.Kind {
		case Speaker:
			speakers[quoteKey(c.Article, c.Paragraph, c.Quote)] = c.Speaker
			fixed[quoteKey(c.Article, c.Paragraph, c.Quote)] = brief.SpeakerFix{Passage: brief.Passage{Article: c.Article, Paragraph: c.Paragraph}, Quote: c.Quote, Speaker: c.Speaker}
		case NotRelevant:
			k := passageKey(c.Article, c.Paragraph)
			irrelevant[k] = append(irrelevant[k], corpus.Fold(c.Words))
		}
	}
	var fixes []brief.SpeakerFix
	for _, k := range slices.Sorted(maps.Keys(fixed)) {
		fixes = append(fixes, fixed[k])
	}
	b.mu.Lock()
	b.speakers, b.irrelevant, b.fixes = speakers, irrelevant, fixes
	b.mu.Unlock()
}

// SpeakerOf is the team's speaker for a quotation, if one was accepted.
func (b *applied) SpeakerOf(article string, para int, quote string) (string, bool) {
	b.mu.RLock()
	defer b.mu.RUnlock()
	s, ok := b.speakers[quoteKey(article, para, quote)]
	return s, ok
}

// IrrelevantTo says the team found the passage does not answer a question
// with these words.
func (b *applied) IrrelevantTo(article string, para int, words string) bool {
	b.mu.RLock()
	defer b.mu.RUnlock()
	f := corpus.Fold(words)
	for _, w := range b.irrelevant[passageKey(article, para)] {
		if w == f {
			return true
		}
	}
	return false
}

// IrrelevantPassages are the passages the team found do not answer a
// question with these words, in a fixed order.
func (b *applied) IrrelevantPassages(words string) []brief.Passage {
	b.mu.RLock()
	defer b.mu.RUnlock()
	f := corpus.Fold(words)
	var out []brief.Passage
	for k, ws := range b.irrelevant {
		if !slices.Contains(ws, f) {
			continue
		}
		article, para, _ := strings.Cut(k, "\x00")
		n, _ := strconv.Atoi(para)
		out = append(out, brief.Passage{Article: article, Paragraph: n})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Article != out[j].Article {
			return out[i].Article < out[j].Article
		}
		return out[i].Paragraph < out[j].Paragraph
	})
	return out
}

// Add records a report, pending review.
func (b *Book) Add(c Correction) (Correction, error) {
	switch {
	case c.Kind == Speaker && strings.TrimSpace(c.Speaker) == "":
		return Correction{}, errors.New("a speaker correction needs the right name")
	case c.Kind != Speaker && c.Kind != NotRelevant:
		return Correction{}, fmt.Errorf("unknown kind of correction %q", c.Kind)
	case c.Article == "" || c.Paragraph < 1:
		return Correction{}, errors.New("a correction needs the item's article and paragraph")
	}
	n, err := b.store.Sequence(bucket + "-ids")
	if err != nil {
		return Correction{}, err
	}
	c.ID, c.State, c.Speaker = strconv.FormatUint(n, 10), Pending, strings.Join(strings.Fields(c.Speaker), " ")
	all, err := b.All()
	if err != nil {
		return Correction{}, err
	}
	if err := b.save(c); err != nil {
		return Correction{}, err
	}
	return c, b.publish(append(all, c))
}

// Decide accepts or rejects a pending correction.
func (b *Book) Decide(id string, accept bool, by string, at time.Time) (Correction, error) {
	all, err := b.All()
	if err != nil {
		return Correction{}, err
	}
	for k, c := range all {
		if c.ID != id {
			continue
		}
		c.State, c.ReviewedBy, c.ReviewedAt = Rejected, by, at
		if accept {
			c.State = Accepted
		}
		if err := b.save(c); err != nil {
			return Correction{}, err
		}
		all[k] = c
		return c, b.publish(all)
	}
	return Correction{}, ErrNotFound
}

// publish makes all (as now saved) what applies to items and what the
// snapshot holds.
func (b *Book) publish(all []Correction) error {
	b.index(all)
	return b.write(all)
}

// All lists every correction, oldest first.
func (b *Book) All() ([]Correction, error) {
	recs, err := b.store.Records(bucket)
	if err != nil {
		return nil, err
	}
	out := make([]Correction, 0, len(recs))
	for _, r := range recs {
		var c Correction
		if err := json.Unmarshal(r.Value, &c); err != nil {
			return nil, fmt.Errorf("read correction %s: %w", r.Key, err)
		}
		out = append(out, c)
	}
	sort.SliceStable(out, func(i, j int) bool { return key(out[i].ID) < key(out[j].ID) })
	return out, nil
}

// Pending lists the corrections waiting for review, oldest first.
func (b *Book) Pending() ([]Correction, error) {
	all, err := b.All()
	if err != nil {
		return nil, err
	}
	var out []Correction
	for _, c := range all {
		if c.State == Pending {
			out = append(out, c)
		}
	}
	return out, nil
}

func key(id string) string {
	n, _ := strconv.ParseUint(id, 10, 64)
	return fmt.Sprintf("%012d", n)
}

func (b *Book) save(c Correction) error {
	v, err := json.Marshal(c)
	if err != nil {
		return err
	}
	return b.store.Write(bucket, []digest.Record{{Key: key(c.ID), Value: v}}, nil)
}
