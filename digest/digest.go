// Package digest posts a scheduled digest of new articles to Discord
// channels, exactly once per scheduled time: each digest is recorded as an
// intent before its first message goes out and completed after its last,
// messages carry nonces Discord deduplicates and a first line a restart can
// find again, and a bot that was down posts once when it returns (within a
// catch-up window), not once per missed day.
package digest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/jonboulle/clockwork"

	"github.com/briefbot/briefbot/brief"
	"github.com/briefbot/briefbot/schedule"
)

// Composer writes the digest of a period; *brief.Engine is one.
type Composer interface {
	Digest(ctx context.Context, since, until time.Time) (*brief.Digest, error)
}

// Publisher turns digests into messages and posts them; the bot is one.
type Publisher interface {
	// Render splits a digest into messages, in order, each within the
	// destination's limits; label(i, n) is the first line of message i of n.
	Render(d *brief.Digest, loc *time.Location, label func(i, n int) string) ([]json.RawMessage, error)
	// Send posts a message with a nonce and returns its ID.
	Send(ctx context.Context, channel string, body json.RawMessage, nonce string) (string, error)
	// Find returns the ID of a message the bot already posted whose first
	// line is label, if there is one among the channel's recent messages.
	Find(ctx context.Context, channel, label string) (string, bool, error)
}

// SendError is a refusal by the destination. Temporary ones (rate limits,
// server errors) are retried; the others (missing permission, unknown
// channel) wait for someone to fix them.
type SendError struct {
	Status    int
	Reason    string
	Temporary bool
}

func (e *SendError) Error() string { return e.Reason }

// Settings are the digest's defaults, from configuration.
type Settings struct {
	// Channel, when set, is subscribed at start (DIGEST_CHANNEL_ID).
	Channel  string
	Schedule schedule.Schedule
	// CatchUp is how late a missed digest is still posted.
	CatchUp time.Duration
	// PostEmpty posts "nothing new since …" when nothing arrived.
	PostEmpty bool
	// Backoff is the wait before each retry of a message that failed for a
	// passing reason (default 2s, 10s, 30s); RetryEvery is how long after
	// those the digest is tried again (default 5m), within CatchUp.
	Backoff    []time.Duration
	RetryEvery time.Duration
}

// Service schedules, composes and posts digests.
type Service struct {
	store     *Store
	composer  Composer
	publisher Publisher // set by Run
	clock     clockwork.Clock
	log       *slog.Logger
	settings  Settings

	mu   sync.Mutex // one run or change at a time
	wake chan struct{}
}

// Deps are what a Service works with.
type Deps struct {
	Store    *Store
	Composer Composer
	Clock    clockwork.Clock
	Logger   *slog.Logger
}

// New makes a Service and subscribes the configured channel on the
// configured schedule, whatever /digest did to it before: the
// configuration is the source of truth for its channel.
func New(s Settings, d Deps) (*Service, error) {
	if d.Clock == nil {
		d.Clock = clockwork.NewRealClock()
	}
	if d.Logger == nil {
		d.Logger = slog.New(slog.DiscardHandler)
	}
	if s.Backoff == nil {
		s.Backoff = []time.Duration{2 * time.Second, 10 * time.Second, 30 * time.Second}
	}
	if s.RetryEvery <= 0 {
		s.RetryEvery = 5 * time.Minute
	}
	svc := &Service{store: d.Store, composer: d.Composer, clock: d.Clock, log: d.Logger,
		settings: s, wake: make(chan struct{}, 1)}
	if s.Channel != "" {
		if err := svc.configure(s.Channel); err != nil {
			return nil, err
		}
	}
	return svc, nil
}

// configure makes the configured channel's subscription match the
// configuration, keeping where its digests stand (articles still pending,
// last post, an unfinished digest).
func (s *Service) configure(channel string) error {
	sub, found, err := s.store.Subscription(channel)
	if err != nil {
		return err
	}
	now := s.clock.Now()
	if !found || !sub.Active {
		// A new subscription (or one stopped with /digest unsubscribe) starts now.
		sub = Subscription{Channel: channel, Since: now, LastPosted: sub.LastPosted}
	}
	sched := s.settings.Schedule
	if !sub.Active || sub.Schedule != sched.Expr() || sub.TimeZone != sched.Location().String() || sub.NextDue.IsZero() {
		sub.NextDue = sched.Next(now)
	}
	sub.Active, sub.Source, sub.By = true, "env", ""
	sub.Schedule, sub.TimeZone = sched.Expr(), sched.Location().String()
	return s.store.Save(sub, openIntent(s.store, channel))
}

// openIntent is the channel's unfinished digest, kept when a subscription
// changes (nil when there is none or it cannot be read).
func openIntent(st *Store, channel string) *Intent {
	in, _ := st.Intent(channel)
	return in
}

// Run posts digests through p when they are due, until ctx ends. It first
// finishes any digest a previous run left half-posted.
func (s *Service) Run(ctx context.Context, p Publisher) error {
	s.mu.Lock()
	s.publisher = p
	s.mu.Unlock()
	for {
		next, err := s.tick(ctx)
		if err != nil {
			s.log.Error("digest", "err", err)
			next = s.clock.Now().Add(s.settings.RetryEvery)
		}
		if ctx.Err() != nil {
			return nil
		}
		wait := s.clock.NewTimer(max(next.Sub(s.clock.Now()), 0))
		select {
		case <-ctx.Done():
			wait.Stop()
			return nil
		case <-s.wake:
			wait.Stop()
		case <-wait.Chan():
		}
	}
}

// maxSkipped bounds the walk over the times missed during an outage.
const maxSkipped = 100000

// idle is how long Run sleeps when nothing is subscribed.
const idle = 24 * time.Hour

// tick posts every digest that is due and says when the next one is.
func (s *Service) tick(ctx context.Context) (time.Time, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	subs, err := s.store.Subscriptions()
	if err != nil {
		return time.Time{}, err
	}
	now := s.clock.Now()
	next := now.Add(idle)
	for _, sub := range subs {
		if !sub.Active {
			continue
		}
		if err := s.runChannel(ctx, sub); err != nil {
			s.log.Error("digest", "channel", sub.Channel, "err", err)
		}
		if ctx.Err() != nil {
			return next, nil
		}
		sub, _, err = s.store.Subscription(sub.Channel)
		if err != nil {
			return next, err
		}
		when := sub.NextDue
		if !sub.RetryAt.IsZero() && sub.RetryAt.Before(when) {
			when = sub.RetryAt
		}
		if when.Before(next) {
			next = when
		}
	}
	return next, nil
}

// runChannel does what is due for one channel: finish an intent, post a
// due digest, or give up on one missed by more than the catch-up window.
func (s *Service) runChannel(ctx context.Context, sub Subscription) error {
	now := s.clock.Now()
	if !sub.RetryAt.IsZero() && now.Before(sub.RetryAt) {
		return nil
	}
	in, err := s.store.Intent(sub.Channel)
	if err != nil {
		return err
	}
	if in != nil {
		s.log.Info("finishing a digest begun before", "channel", sub.Channel, "due", in.Due)
		return s.deliver(ctx, sub, in, true)
	}
	if now.Before(sub.NextDue) {
		return nil
	}
	sched, err := s.scheduleOf(sub)
	if err != nil {
		return err
	}
	// After a long outage only the latest missed time counts: one digest, not one per day.
	due := sub.NextDue
	for n := 0; n < maxSkipped; n++ {
		next := sched.Next(due)
		if next.After(now) {
			break
		}
		due = next
	}
	if late := now.Sub(due); late > s.settings.CatchUp {
		s.log.Warn("missed a digest: the bot was down longer than the catch-up window", "channel", sub.Channel, "due", due, "late", late.Round(time.Minute).String())
		sub.NextDue = sched.Next(now)
		sub.LastError = fmt.Sprintf("missed the digest due %s: the bot was down (catch-up window %s); the next one covers those articles too", due.In(sched.Location()).Format(time.RFC1123), s.settings.CatchUp)
		sub.LastErrorAt = now
		return s.store.Save(sub, nil)
	}
	return s.post(ctx, sub, due, sched)
}

func (s *Service) scheduleOf(sub Subscription) (schedule.Schedule, error) {
	loc, err := time.LoadLocation(sub.TimeZone)
	if err != nil {
		return schedule.Schedule{}, fmt.Errorf("channel %s: time zone %q: %w", sub.Channel, sub.TimeZone, err)
	}
	return schedule.Parse(sub.Schedule, loc)
}

// post composes the digest due at due, records it as an intent and sends it.
func (s *Service) post(ctx context.Context, sub Subscription, due time.Time, sched schedule.Schedule) error {
	now := s.clock.Now()
	d, err := s.composer.Digest(ctx, sub.Since, now)
	if err != nil {
		sub.RetryAt = now.Add(s.settings.RetryEvery)
		sub.LastError, sub.LastErrorAt = "could not compose the digest: "+err.Error(), now
		return s.store.Save(sub, nil)
	}
	if d.Articles == 0 && !s.settings.PostEmpty {
		sub.NextDue = sched.Next(now)
		return s.store.Save(sub, nil)
	}
	label := func(i, n int) string { return Label(due, sched.Location(), i, n) }
	bodies, err := s.publisher.Render(d, sched.Location(), label)
	if err != nil {
		return fmt.Errorf("render the digest: %w", err)
	}
	in := &Intent{Due: due, Since: sub.Since, Until: now, Articles: d.Articles, Created: now}
	for i, b := range bodies {
		in.Parts = append(in.Parts, Part{Nonce: nonce(sub.Channel, due, i), Label: label(i, len(bodies)), Body: b})
	}
	// The intent is on disk before the first message goes out.
	if err := s.store.Save(sub, in); err != nil {
		return err
	}
	return s.deliver(ctx, sub, in, false)
}

// Label is the first line of a digest message: unique per channel and
// scheduled time, so that a restart can find a message it already sent.
func Label(due time.Time, loc *time.Location, i, n int) string {
	l := "Digest for " + due.In(loc).Format("Mon 2 Jan 2006 15:04 MST")
	if n > 1 {
		l += fmt.Sprintf(" · part %d of %d", i+1, n)
	}
	return l
}

// nonce identifies one message of one digest; Discord allows 25 characters.
func nonce(channel string, due time.Time, part int) string {
	sum := sha256.Sum256([]byte(fmt.Sprintf("%s|%d|%d", channel, due.Unix(), part)))
	return "d" + hex.EncodeToString(sum[:12])
}

// deliver sends the parts not yet sent, recording each, and completes the
// digest. resumed says the intent comes from an earlier run, whose last
// message may have reached Discord without being recorded.
func (s *Service) deliver(ctx context.Context, sub Subscription, in *Intent, resumed bool) error {
	for i := range in.Parts {
		p := &in.Parts[i]
		if p.MessageID != "" {
			continue
		}
		if resumed {
			if id, found, err := s.publisher.Find(ctx, sub.Channel, p.Label); err != nil {
				s.log.Warn("could not look for a digest message already posted; sending it with its nonce", "channel", sub.Channel, "err", err)
			} else if found {
				p.MessageID = id
				if err := s.store.Save(sub, in); err != nil {
					return err
				}
				continue
			}
		}
		id, err := s.send(ctx, sub.Channel, p)
		if ctx.Err() != nil {
			return nil // stopping: the intent stays for the next start
		}
		if err != nil {
			return s.failed(sub, in, err)
		}
		p.MessageID = id
		if err := s.store.Save(sub, in); err != nil {
			return err
		}
	}
	now := s.clock.Now()
	sched, err := s.scheduleOf(sub)
	if err != nil {
		return err
	}
	sub.Since = in.Until
	sub.LastPosted, sub.LastArticles, sub.LastMessages = now, in.Articles, nil
	for _, p := range in.Parts {
		sub.LastMessages = append(sub.LastMessages, p.MessageID)
	}
	sub.LastError, sub.LastErrorAt, sub.RetryAt = "", time.Time{}, time.Time{}
	if !sub.NextDue.After(now) {
		sub.NextDue = sched.Next(now)
	}
	s.log.Info("digest posted", "channel", sub.Channel, "due", in.Due, "articles", in.Articles, "messages", len(in.Parts))
	return s.store.Save(sub, nil)
}

// send posts one part, retrying passing failures with back-off.
func (s *Service) send(ctx context.Context, channel string, p *Part) (string, error) {
	for attempt := 0; ; attempt++ {
		id, err := s.publisher.Send(ctx, channel, p.Body, p.Nonce)
		if err == nil || !temporary(err) || attempt >= len(s.settings.Backoff) || ctx.Err() != nil {
			return id, err
		}
		s.log.Warn("digest message failed; retrying", "channel", channel, "err", err, "in", s.settings.Backoff[attempt])
		if !schedule.Sleep(ctx, s.clock, s.clock.Now().Add(s.settings.Backoff[attempt])) {
			return "", ctx.Err()
		}
	}
}

func temporary(err error) bool {
	var se *SendError
	return !errors.As(err, &se) || se.Temporary
}

// failed records a failed digest. A passing failure keeps the intent and
// tries again later, while the catch-up window lasts; a lasting one (or a
// digest too late) is dropped: its articles go into the next digest.
func (s *Service) failed(sub Subscription, in *Intent, err error) error {
	now := s.clock.Now()
	sub.LastError, sub.LastErrorAt = err.Error(), now
	s.log.Error("digest not posted", "channel", sub.Channel, "due", in.Due, "err", err)
	if temporary(err) && now.Sub(in.Due) < s.settings.CatchUp {
		sub.RetryAt = now.Add(s.settings.RetryEvery)
		return s.store.Save(sub, in)
	}
	sched, serr := s.scheduleOf(sub)
	if serr != nil {
		return serr
	}
	sub.RetryAt = time.Time{}
	if !sub.NextDue.After(now) {
		sub.NextDue = sched.Next(now)
	}
	return s.store.Save(sub, nil)
}
