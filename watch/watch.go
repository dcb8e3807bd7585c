// Package watch tells people when new articles match what they watch: a
// topic, an actor's positions on it, or a speaker's quotations. After each
// ingestion batch (changes to the index, gathered until they pause) every
// watch is matched against the articles that arrived since its last look,
// with the engine of the answers, and a match is posted once: the alert is
// recorded before it is sent, carries a nonce Discord deduplicates and a
// first line a restart can find again.
package watch

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jonboulle/clockwork"

	"github.com/briefbot/briefbot/brief"
	"github.com/briefbot/briefbot/digest"
	"github.com/briefbot/briefbot/schedule"
)

// Watch is one person's or channel's standing question and where it stands.
type Watch struct {
	ID    string           `json:"id"`
	Query brief.WatchQuery `json:"query"`
	Owner string           `json:"owner"` // who added it
	// Channel is where alerts go: a server channel, or the owner's direct
	// messages when Direct is set.
	Channel string `json:"channel"`
	Direct  bool   `json:"direct,omitempty"`
	// Role, when set, is mentioned in each alert, and is its only mention.
	Role    string    `json:"role,omitempty"`
	Created time.Time `json:"created"`
	// Since is where the next look starts: articles ingested after it are
	// new to this watch.
	Since time.Time `json:"since"`
	// Intent is an alert being posted, recorded before it is sent.
	Intent *Intent `json:"intent,omitempty"`
	// RetryAt, when set, is when an alert that failed for a passing reason
	// is tried again.
	RetryAt     time.Time `json:"retry_at,omitempty"`
	Alerts      int       `json:"alerts"`
	LastAlert   time.Time `json:"last_alert,omitempty"`
	LastMessage string    `json:"last_message,omitempty"`
	LastError   string    `json:"last_error,omitempty"`
	LastErrorAt time.Time `json:"last_error_at,omitempty"`
}

// Describe names what a watch looks for, for lists and alerts.
func (w Watch) Describe() string {
	var parts []string
	if w.Query.Speaker != "" {
		parts = append(parts, "quotations of "+w.Query.Speaker)
	}
	if w.Query.Actor != "" {
		parts = append(parts, w.Query.Actor+"'s positions")
	}
	if w.Query.Topic != "" {
		if len(parts) == 0 {
			parts = append(parts, "passages")
		}
		parts = append(parts, "on “"+w.Query.Topic+"”")
	}
	return strings.Join(parts, " ")
}

// Intent is an alert as it will be posted.
type Intent struct {
	Until   time.Time       `json:"until"` // the look covered articles up to it
	Matches int             `json:"matches"`
	Nonce   string          `json:"nonce"`
	Label   string          `json:"label"` // the alert's unique first line
	Body    json.RawMessage `json:"body"`
	Created time.Time       `json:"created"`
}

// Finder answers a watch from new articles; *brief.Engine is one.
type Finder interface {
	Watch(ctx context.Context, q brief.WatchQuery, since, until time.Time, page brief.Page) (*brief.Answer, error)
}

// Index tells when its articles change and when they last did;
// *index.Index is one.
type Index interface {
	Changes() (<-chan struct{}, func())
	Updated() time.Time
}

// Publisher renders alerts and posts them; the bot is one.
type Publisher interface {
	// RenderAlert makes the message of an alert whose first line is label.
	RenderAlert(w Watch, ans *brief.Answer, label string) (json.RawMessage, error)
	// Send posts a message with a nonce and returns its ID.
	Send(ctx context.Context, channel string, body json.RawMessage, nonce string) (string, error)
	// Find returns the ID of a message the bot already posted whose first
	// line is label, if there is one among the channel's recent messages.
	Find(ctx context.Context, channel, label string) (string, bool, error)
}

// Settings tune when alerts go out.
type Settings struct {
	// Quiet is how long ingestion must pause before the batch is matched;
	// MaxWait bounds the wait while it does not pause (a long feed burst).
	Quiet, MaxWait time.Duration
	// Items is how many matches an alert shows at most.
	Items int
	// Backoff is the wait before each retry of a send that failed for a
	// passing reason; RetryEvery is how long after those it is tried
	// again, until GiveUp after the alert was made.
	Backoff    []time.Duration
	RetryEvery time.Duration
	GiveUp     time.Duration
	// PerOwner bounds the watches one person may add; Total all of them.
	PerOwner, Total int
}

func (s Settings) normal() Settings {
	if s.Quiet <= 0 {
		s.Quiet = 10 * time.Second
	}
	if s.MaxWait <= 0 {
		s.MaxWait = 2 * time.Minute
	}
	if s.Items <= 0 {
		s.Items = brief.DefaultLimit
	}
	if s.Backoff == nil {
		s.Backoff = []time.Duration{2 * time.Second, 10 * time.Second, 30 * time.Second}
	}
	if s.RetryEvery <= 0 {
		s.RetryEvery = 5 * time.Minute
	}
	if s.GiveUp <= 0 {
		s.GiveUp = 24 * time.Hour
	}
	if s.PerOwner <= 0 {
		s.PerOwner = 25
	}
	if s.Total <= 0 {
		s.Total = 1000
	}
	return s
}

// Deps are what a Service works with.
type Deps struct {
	Store  *digest.Store
	Finder Finder
	Index  Index
	Clock  clockwork.Clock
	Logger *slog.Logger
}

// Service keeps the watches and posts their alerts.
type Service struct {
	store    *digest.Store
	finder   Finder
	index    Index
	clock    clockwork.Clock
	log      *slog.Logger
	settings Settings
	// mu keeps one change or one round at a time, so that a watch removed
	// while its alert is composed is not written back.
	mu sync.Mutex
}

// New makes a Service.
func New(s Settings, d Deps) *Service {
	if d.Clock == nil {
		d.Clock = clockwork.NewRealClock()
	}
	if d.Logger == nil {
		d.Logger = slog.New(slog.DiscardHandler)
	}
	return &Service{store: d.Store, finder: d.Finder, index: d.Index, clock: d.Clock, log: d.Logger, settings: s.normal()}
}

const bucket = "watches"

// Input errors say what is wrong with a watch asked for.
var (
	ErrNotFound = errors.New("no such watch")
	ErrNotYours = errors.New("that watch is someone else's")
)

// Add checks and keeps a new watch; its first look starts now. It returns
// the watch and how many passages of the corpus match it already.
func (s *Service) Add(ctx context.Context, w Watch) (Watch, int, error) {
	q := brief.WatchQuery{Topic: strings.TrimSpace(w.Query.Topic), Actor: strings.TrimSpace(w.Query.Actor), Speaker: strings.TrimSpace(w.Query.Speaker)}
	switch {
	case q.Topic == "" && q.Speaker == "":
		return Watch{}, 0, &brief.InputError{Msg: "A watch needs a topic or a speaker, such as topic:gas pipeline or speaker:Qureshi."}
	case q.Actor != "" && q.Topic == "":
		return Watch{}, 0, &brief.InputError{Msg: "An actor's positions on what? Give a topic with the actor."}
	case w.Channel == "" || w.Owner == "":
		return Watch{}, 0, errors.New("a watch needs an owner and a channel")
	}
	now := s.clock.Now()
	// The same check as an answer's: words it cannot search for are refused now.
	ans, err := s.finder.Watch(ctx, q, time.Time{}, now, brief.Page{Limit: 1})
	if err != nil {
		return Watch{}, 0, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	all, err := s.all()
	if err != nil {
		return Watch{}, 0, err
	}
	mine := 0
	for _, o := range all {
		if o.Owner == w.Owner {
			mine++
		}
	}
	if mine >= s.settings.PerOwner {
		return Watch{}, 0, &brief.InputError{Msg: fmt.Sprintf("You have %d watches, the most one person may have: remove one with /watch remove first.", mine)}
	}
	if len(all) >= s.settings.Total {
		return Watch{}, 0, &brief.InputError{Msg: fmt.Sprintf("This bot keeps at most %d watches, and has them: an admin can remove some with /watch remove.", s.settings.Total)}
	}
	n, err := s.store.Sequence(bucket + "-ids")
	if err != nil {
		return Watch{}, 0, err
	}
	// Only what the caller chooses is taken; where the watch stands starts afresh.
	w = Watch{ID: strconv.FormatUint(n, 10), Query: q, Owner: w.Owner, Channel: w.Channel, Direct: w.Direct, Role: w.Role,
		Created: now, Since: latest(now, s.index.Updated())}
	if err := s.save(w); err != nil {
		return Watch{}, 0, err
	}
	return w, ans.Total, nil
}

// List returns the watches of owner, or every watch when owner is empty,
// in the order they were added.
func (s *Service) List(owner string) ([]Watch, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	all, err := s.all()
	if err != nil {
		return nil, err
	}
	var out []Watch
	for _, w := range all {
		if owner == "" || w.Owner == owner {
			out = append(out, w)
		}
	}
	return out, nil
}

// Remove deletes a watch: one's own, or anyone's for an admin.
func (s *Service) Remove(id, by string, admin bool) (Watch, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	all, err := s.all()
	if err != nil {
		return Watch{}, err
	}
	for _, w := range all {
		if w.ID != strings.TrimSpace(strings.TrimPrefix(id, "#")) {
			continue
		}
		if w.Owner != by && !admin {
			return w, ErrNotYours
		}
		return w, s.store.Write(bucket, nil, []string{key(w.ID)})
	}
	return Watch{}, ErrNotFound
}

// key orders the records by number: "000000000042".
func key(id string) string {
	n, _ := strconv.ParseUint(id, 10, 64)
	return fmt.Sprintf("%012d", n)
}

func (s *Service) all() ([]Watch, error) {
	recs, err := s.store.Records(bucket)
	if err != nil {
		return nil, err
	}
	out := make([]Watch, 0, len(recs))
	for _, r := range recs {
		var w Watch
		if err := json.Unmarshal(r.Value, &w); err != nil {
			s.log.Error("a watch could not be read; it is skipped", "key", r.Key, "err", err)
			continue
		}
		out = append(out, w)
	}
	sort.SliceStable(out, func(i, j int) bool { return key(out[i].ID) < key(out[j].ID) })
	return out, nil
}

func (s *Service) save(w Watch) error {
	v, err := json.Marshal(w)
	if err != nil {
		return err
	}
	return s.store.Write(bucket, []digest.Record{{Key: key(w.ID), Value: v}}, nil)
}

// idle is how long Run sleeps when nothing is pending.
const idle = time.Hour

// Run posts alerts through p until ctx ends: after each ingestion batch,
// and once at start (for what arrived while the bot was down, and alerts
// a previous run left unsent).
func (s *Service) Run(ctx context.Context, p Publisher) error {
	changes, stop := s.index.Changes()
	defer stop()
	pending, first, last := true, time.Time{}, time.Time{}
	var retry time.Time
	for {
		now := s.clock.Now()
		if pending && (now.Sub(last) >= s.settings.Quiet || now.Sub(first) >= s.settings.MaxWait) {
			pending = false
			retry = s.round(ctx, p, true)
		} else if !retry.IsZero() && !now.Before(retry) {
			retry = s.round(ctx, p, false)
		}
		if ctx.Err() != nil {
			return nil
		}
		wake := now.Add(idle)
		if pending {
			wake = minTime(last.Add(s.settings.Quiet), first.Add(s.settings.MaxWait))
		}
		if !retry.IsZero() {
			wake = minTime(wake, retry)
		}
		timer := s.clock.NewTimer(max(wake.Sub(s.clock.Now()), 0))
		select {
		case <-ctx.Done():
			timer.Stop()
			return nil
		case <-changes:
			timer.Stop()
			// The quiet time runs from the change itself, however late it is read.
			changed := s.index.Updated()
			if !pending {
				pending, first = true, changed
			}
			last = changed
		case <-timer.Chan():
		}
	}
}

func latest(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

func minTime(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}

// round looks at every watch: it finishes the alerts left unsent whose
// retry is due and, when match is set, matches the others against what
// arrived. It returns the earliest retry still waiting (zero: none).
func (s *Service) round(ctx context.Context, p Publisher, match bool) time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	all, err := s.all()
	if err != nil {
		s.log.Error("watches", "err", err)
		return s.clock.Now().Add(s.settings.RetryEvery)
	}
	until := s.index.Updated()
	var retry time.Time
	for _, w := range all {
		if ctx.Err() != nil {
			return time.Time{}
		}
		resumed := w.Intent != nil
		if w.Intent == nil && match && until.After(w.Since) {
			if err := s.look(ctx, p, &w, until); err != nil {
				s.log.Error("watch", "id", w.ID, "err", err)
				continue
			}
		}
		if w.Intent == nil {
			continue
		}
		if now := s.clock.Now(); !w.RetryAt.IsZero() && now.Before(w.RetryAt) {
			retry = earliest(retry, w.RetryAt)
			continue
		}
		if err := s.deliver(ctx, p, &w, resumed); err != nil {
			s.log.Error("watch", "id", w.ID, "err", err)
		}
		if w.Intent != nil && !w.RetryAt.IsZero() {
			retry = earliest(retry, w.RetryAt)
		}
	}
	return retry
}

func earliest(a, b time.Time) time.Time {
	if a.IsZero() || b.Before(a) {
		return b
	}
	return a
}

// look matches a watch against the articles that arrived after its Since
// and up to until, and records the alert to post, if anything matched.
func (s *Service) look(ctx context.Context, p Publisher, w *Watch, until time.Time) error {
	ans, err := s.finder.Watch(ctx, w.Query, w.Since, until, brief.Page{Limit: s.settings.Items})
	var ie *brief.InputError
	switch {
	case errors.As(err, &ie):
		// The words no longer work (the corpus changed): say so, and go on.
		w.LastError, w.LastErrorAt, w.Since = ie.Msg, s.clock.Now(), until
		return s.save(*w)
	case err != nil:
		return fmt.Errorf("match the new articles: %w", err)
	case len(ans.Items) == 0:
		w.Since = until
		return s.save(*w)
	}
	label := Label(w.ID, until)
	body, err := p.RenderAlert(*w, ans, label)
	if err != nil {
		return fmt.Errorf("render the alert: %w", err)
	}
	w.Intent = &Intent{Until: until, Matches: ans.Total, Nonce: nonce(w.ID, until), Label: label, Body: body, Created: s.clock.Now()}
	w.RetryAt = time.Time{}
	// The intent is on disk before the message goes out.
	return s.save(*w)
}

// Label is the first line of an alert: unique per watch and batch, so that
// a restart can find an alert it already sent.
func Label(id string, until time.Time) string {
	return fmt.Sprintf("Watch #%s · new since the last look · %s", id, until.UTC().Format("Mon 2 Jan 2006 15:04:05 MST"))
}

// nonce identifies one alert; Discord allows 25 characters.
func nonce(id string, until time.Time) string {
	sum := sha256.Sum256([]byte(fmt.Sprintf("watch|%s|%d", id, until.UnixNano())))
	return "w" + hex.EncodeToString(sum[:12])
}

// deliver posts a recorded alert. A resumed one (from an earlier run or
// try) is first looked for among the channel's messages: it may have been
// posted without that being recorded.
func (s *Service) deliver(ctx context.Context, p Publisher, w *Watch, resumed bool) error {
	in := w.Intent
	if resumed {
		id, found, err := p.Find(ctx, w.Channel, in.Label)
		if err != nil {
			s.log.Warn("could not look for an alert already posted; sending it with its nonce", "watch", w.ID, "err", err)
		} else if found {
			return s.done(w, id)
		}
	}
	id, err := s.send(ctx, p, w.Channel, in)
	if ctx.Err() != nil {
		return nil // stopping: the intent stays for the next start
	}
	if err == nil {
		return s.done(w, id)
	}
	now := s.clock.Now()
	w.LastError, w.LastErrorAt = err.Error(), now
	var se *digest.SendError
	if (!errors.As(err, &se) || se.Temporary) && now.Sub(in.Created) < s.settings.GiveUp {
		w.RetryAt = now.Add(s.settings.RetryEvery)
		return s.save(*w)
	}
	// A lasting refusal (no access, channel gone, direct messages closed):
	// this alert is dropped and the error shown in /watch list.
	s.log.Error("watch alert not posted", "watch", w.ID, "channel", w.Channel, "err", err)
	w.Since, w.Intent, w.RetryAt = in.Until, nil, time.Time{}
	return s.save(*w)
}

func (s *Service) done(w *Watch, message string) error {
	w.Since, w.Alerts, w.LastAlert, w.LastMessage = w.Intent.Until, w.Alerts+1, s.clock.Now(), message
	w.Intent, w.RetryAt, w.LastError, w.LastErrorAt = nil, time.Time{}, "", time.Time{}
	s.log.Info("watch alert posted", "watch", w.ID, "channel", w.Channel)
	return s.save(*w)
}

// send posts one alert, retrying passing failures with back-off.
func (s *Service) send(ctx context.Context, p Publisher, channel string, in *Intent) (string, error) {
	for attempt := 0; ; attempt++ {
		id, err := p.Send(ctx, channel, in.Body, in.Nonce)
		var se *digest.SendError
		lasting := errors.As(err, &se) && !se.Temporary
		if err == nil || lasting || attempt >= len(s.settings.Backoff) || ctx.Err() != nil {
			return id, err
		}
		s.log.Warn("watch alert failed; retrying", "channel", channel, "err", err, "in", s.settings.Backoff[attempt])
		if !schedule.Sleep(ctx, s.clock, s.clock.Now().Add(s.settings.Backoff[attempt])) {
			return "", ctx.Err()
		}
	}
}
