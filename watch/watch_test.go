package watch_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"

	"github.com/briefbot/briefbot/brief"
	"github.com/briefbot/briefbot/digest"
	"github.com/briefbot/briefbot/watch"
)

// fakeIndex changes when told to. change returns once the service has
// read the change (it asks when the index changed, after it stopped its
// timer), so that the test's next idle waits for the service's new timer.
type fakeIndex struct {
	mu      sync.Mutex
	updated time.Time
	ch      chan struct{}
	read    chan struct{} // non-nil while a change waits to be read
}

func (f *fakeIndex) Changes() (<-chan struct{}, func()) { return f.ch, func() {} }

func (f *fakeIndex) Updated() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.read != nil && len(f.ch) == 0 {
		close(f.read)
		f.read = nil
	}
	return f.updated
}

func (f *fakeIndex) change(t *testing.T, at time.Time) {
	t.Helper()
	read := make(chan struct{})
	f.mu.Lock()
	f.updated, f.read = at, read
	f.mu.Unlock()
	f.ch <- struct{}{}
	select {
	case <-read:
	case <-time.After(10 * time.Second):
		t.Fatal("the watch service did not read the change")
	}
}

// fakeFinder matches every watch with one item per look, and remembers
// the periods it was asked about.
type fakeFinder struct {
	mu    sync.Mutex
	looks [][2]time.Time
}

func (f *fakeFinder) Watch(_ context.Context, q brief.WatchQuery, since, until time.Time, _ brief.Page) (*brief.Answer, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if !since.IsZero() {
		f.looks = append(f.looks, [2]time.Time{since, until})
	}
	if q.Topic == "nothing" {
		return &brief.Answer{}, nil
	}
	return &brief.Answer{Total: 1, Items: []brief.Item{{Text: "new on " + q.Topic}}}, nil
}

// fakePublisher keeps what was sent by channel; fail decides the fate of a send.
type fakePublisher struct {
	mu   sync.Mutex
	sent map[string][]string // channel → nonces
	fail func(channel string, attempt int) error
	n    map[string]int
}

func (p *fakePublisher) RenderAlert(w watch.Watch, ans *brief.Answer, label string) (json.RawMessage, error) {
	return json.Marshal(map[string]string{"content": label})
}

func (p *fakePublisher) Send(_ context.Context, channel string, _ json.RawMessage, nonce string) (string, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.n[channel]++
	if p.fail != nil {
		if err := p.fail(channel, p.n[channel]); err != nil {
			return "", err
		}
	}
	p.sent[channel] = append(p.sent[channel], nonce)
	return fmt.Sprintf("m%d", len(p.sent[channel])), nil
}

func (p *fakePublisher) Find(context.Context, string, string) (string, bool, error) {
	return "", false, nil
}

func (p *fakePublisher) count(channel string) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.sent[channel])
}

type rig struct {
	clock  *clockwork.FakeClock
	index  *fakeIndex
	finder *fakeFinder
	pub    *fakePublisher
	svc    *watch.Service
	store  *digest.Store
}

func newRig(t *testing.T, s watch.Settings) *rig {
	t.Helper()
	r := &rig{clock: clockwork.NewFakeClockAt(time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)),
		index: &fakeIndex{ch: make(chan struct{}, 1)}, finder: &fakeFinder{},
		pub: &fakePublisher{sent: map[string][]string{}, n: map[string]int{}}}
	r.index.updated = r.clock.Now()
	var err error
	r.store, err = digest.OpenStore(filepath.Join(t.TempDir(), "digest.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.store.Close() })
	if s.Backoff == nil {
		s.Backoff = []time.Duration{}
	}
	r.svc = watch.New(s, watch.Deps{Store: r.store, Finder: r.finder, Index: r.index, Clock: r.clock})
	return r
}

func (r *rig) run(t *testing.T) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { r.svc.Run(ctx, r.pub); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
	r.idle(t)
}

func (r *rig) idle(t *testing.T) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := r.clock.BlockUntilContext(ctx, 1); err != nil {
		t.Fatal("the watch service did not go back to sleep")
	}
}

// step moves the clock by d once the service sleeps, and lets it act.
func (r *rig) step(t *testing.T, d time.Duration) {
	t.Helper()
	r.idle(t)
	r.clock.Advance(d)
	r.idle(t)
}

func (r *rig) add(t *testing.T, owner, channel, topic string) watch.Watch {
	t.Helper()
	w, _, err := r.svc.Add(context.Background(), watch.Watch{Owner: owner, Channel: channel, Query: brief.WatchQuery{Topic: topic}})
	if err != nil {
		t.Fatal(err)
	}
	return w
}

// waitSent waits for n sends to channel (the service works in its own goroutine).
func (r *rig) waitSent(t *testing.T, channel string, n int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for r.pub.count(channel) < n {
		if time.Now().After(deadline) {
			t.Fatalf("want %d alerts in %s, have %d", n, channel, r.pub.count(channel))
		}
		time.Sleep(2 * time.Millisecond)
	}
}

func TestBatchWaitsForAPause(t *testing.T) {
	r := newRig(t, watch.Settings{Quiet: 10 * time.Second, MaxWait: time.Minute})
	r.add(t, "u1", "c1", "harbour")
	r.run(t)
	// Changes every 5 s never leave 10 s of quiet: the batch goes out
	// when a minute has passed since the first, once.
	for range 12 {
		r.clock.Advance(5 * time.Second)
		r.index.change(t, r.clock.Now())
		r.idle(t)
		if r.pub.count("c1") != 0 {
			t.Fatalf("alerted %s into a burst", r.clock.Since(time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)))
		}
	}
	r.step(t, 5*time.Second) // a minute after the first change (at 09:00:05)
	r.waitSent(t, "c1", 1)
	// The rest of the burst is the next batch, after its own pause.
	r.index.change(t, r.clock.Now())
	r.step(t, 5*time.Second)
	if n := r.pub.count("c1"); n != 1 {
		t.Fatalf("%d alerts before the pause", n)
	}
	r.step(t, 10*time.Second)
	r.waitSent(t, "c1", 2)
	// Each look starts where the last ended: nothing is looked at twice or skipped.
	r.finder.mu.Lock()
	defer r.finder.mu.Unlock()
	for i := 1; i < len(r.finder.looks); i++ {
		if !r.finder.looks[i][0].Equal(r.finder.looks[i-1][1]) {
			t.Errorf("look %d starts at %v, the one before ended at %v", i, r.finder.looks[i][0], r.finder.looks[i-1][1])
		}
	}
}

func TestPassingFailuresAreRetriedAndLastingOnesShown(t *testing.T) {
	r := newRig(t, watch.Settings{Quiet: time.Second, RetryEvery: time.Minute, GiveUp: time.Hour})
	r.pub.fail = func(channel string, attempt int) error {
		switch {
		case channel == "busy" && attempt <= 2:
			return &digest.SendError{Status: 503, Reason: "HTTP 503", Temporary: true}
		case channel == "closed":
			return &digest.SendError{Status: 403, Reason: "HTTP 403: Missing Access", Temporary: false}
		}
		return nil
	}
	r.add(t, "u1", "busy", "harbour")
	r.add(t, "u2", "closed", "harbour")
	r.add(t, "u3", "quiet", "nothing")
	r.run(t)
	r.clock.Advance(time.Second)
	r.index.change(t, r.clock.Now())
	r.step(t, time.Second)
	ws, _ := r.svc.List("")
	if ws[0].Intent == nil || ws[0].RetryAt.IsZero() || ws[0].LastError == "" {
		t.Errorf("a passing failure should keep the alert for a retry: %+v", ws[0])
	}
	if ws[1].Intent != nil || ws[1].LastError != "HTTP 403: Missing Access" {
		t.Errorf("a lasting failure should drop the alert and say why: %+v", ws[1])
	}
	r.step(t, time.Minute) // second try fails too
	r.step(t, time.Minute)
	r.waitSent(t, "busy", 1)
	r.step(t, time.Minute)
	ws, _ = r.svc.List("")
	if ws[0].Intent != nil || ws[0].Alerts != 1 || ws[0].LastError != "" {
		t.Errorf("after the retry the alert is posted and the error cleared: %+v", ws[0])
	}
	if r.pub.count("busy") != 1 || r.pub.count("quiet") != 0 {
		t.Errorf("sent %v", r.pub.sent)
	}
}

func TestAddChecksAndLimits(t *testing.T) {
	r := newRig(t, watch.Settings{PerOwner: 2, Total: 3})
	ctx := context.Background()
	var ie *brief.InputError
	for _, q := range []brief.WatchQuery{{}, {Actor: "Iran"}, {Topic: "  "}} {
		if _, _, err := r.svc.Add(ctx, watch.Watch{Owner: "u", Channel: "c", Query: q}); !errors.As(err, &ie) {
			t.Errorf("%+v: want an input error, got %v", q, err)
		}
	}
	r.add(t, "u", "c", "a")
	r.add(t, "u", "c", "b")
	if _, _, err := r.svc.Add(ctx, watch.Watch{Owner: "u", Channel: "c", Query: brief.WatchQuery{Topic: "c"}}); !errors.As(err, &ie) {
		t.Errorf("a third watch of one person: %v", err)
	}
	w := r.add(t, "v", "c", "d")
	if _, _, err := r.svc.Add(ctx, watch.Watch{Owner: "x", Channel: "c", Query: brief.WatchQuery{Topic: "e"}}); !errors.As(err, &ie) {
		t.Errorf("past the total: %v", err)
	}
	if _, err := r.svc.Remove(w.ID, "u", false); !errors.Is(err, watch.ErrNotYours) {
		t.Errorf("removing someone else's: %v", err)
	}
	if _, err := r.svc.Remove("#"+w.ID, "u", true); err != nil {
		t.Errorf("an admin removes any: %v", err)
	}
	// Numbers are never reused, even after a removal.
	if w2 := r.add(t, "v", "c", "f"); w2.ID == w.ID {
		t.Errorf("watch number %s handed out twice", w.ID)
	}
	if mine, _ := r.svc.List("u"); len(mine) != 2 || mine[0].ID != "1" || mine[1].ID != "2" {
		t.Errorf("u's watches in order: %+v", mine)
	}
}
