package digest

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"

	"github.com/briefbot/briefbot/brief"
	"github.com/briefbot/briefbot/schedule"
)

// nothingNew is a composer with no new articles.
type nothingNew struct{}

func (nothingNew) Digest(_ context.Context, since, until time.Time) (*brief.Digest, error) {
	return &brief.Digest{Since: since, Until: until}, nil
}

func newService(t *testing.T, s Settings) (*Service, *Store, *clockwork.FakeClock) {
	t.Helper()
	store, err := OpenStore(filepath.Join(t.TempDir(), "digest.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	clock := clockwork.NewFakeClockAt(time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC))
	if s.Schedule.Location() == nil {
		s.Schedule, _ = schedule.Parse("0 8 * * *", time.UTC)
	}
	svc, err := New(s, Deps{Store: store, Composer: nothingNew{}, Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	return svc, store, clock
}

func TestSubscribe(t *testing.T) {
	svc, _, _ := newService(t, Settings{})
	tests := []struct {
		at, zone string
		next     string // RFC 3339, or the start of an error
	}{
		{"08:00", "", "2026-11-25T08:00:00Z"},
		{"7:05", "", "2026-11-25T07:05:00Z"},
		{"10.30", "", "2026-11-24T10:30:00Z"},
		{"23:59", "Europe/Oslo", "2026-11-24T22:59:00Z"},
		{"06:00", "America/New_York", "2026-11-24T11:00:00Z"},
		{"24:00", "", `"24:00" is not a time of day`},
		{"8am", "", `"8am" is not a time of day`},
		{"08:00", "Oslo", `"Oslo" is not a time zone`},
	}
	for _, tt := range tests {
		sub, err := svc.Subscribe("600000000000000006", tt.at, tt.zone, "u")
		if err != nil {
			if !strings.HasPrefix(err.Error(), tt.next) {
				t.Errorf("%s %s: %v", tt.at, tt.zone, err)
			}
			continue
		}
		if got := sub.NextDue.UTC().Format(time.RFC3339); got != tt.next {
			t.Errorf("%s %s: next %s, want %s", tt.at, tt.zone, got, tt.next)
		}
	}
}

// The configuration is the source of truth for its channel: it is
// subscribed at every start on the configured schedule, whatever /digest
// subscribe or unsubscribe did to it before.
func TestConfiguredChannel(t *testing.T) {
	path := filepath.Join(t.TempDir(), "digest.db")
	clock := clockwork.NewFakeClockAt(time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC))
	start := func(expr string) (*Service, *Store) {
		store, err := OpenStore(path)
		if err != nil {
			t.Fatal(err)
		}
		sched, _ := schedule.Parse(expr, time.UTC)
		svc, err := New(Settings{Channel: "600000000000000006", Schedule: sched}, Deps{Store: store, Composer: nothingNew{}, Clock: clock})
		if err != nil {
			t.Fatal(err)
		}
		return svc, store
	}
	svc, store := start("0 8 * * *")
	st, _ := svc.Statuses(context.Background())
	if len(st) != 1 || st[0].Schedule != "0 8 * * *" || st[0].Source != "env" {
		t.Fatalf("statuses %+v", st)
	}
	store.Close()
	svc, store = start("30 6 * * 1-5")
	if st, _ := svc.Statuses(context.Background()); len(st) != 1 || st[0].Schedule != "30 6 * * 1-5" {
		t.Errorf("a changed DIGEST_SCHEDULE should apply: %+v", st)
	}
	if sub, was, err := svc.Unsubscribe("600000000000000006"); !was || err != nil || sub.Source != "env" {
		t.Fatal(was, err)
	}
	if st, _ := svc.Statuses(context.Background()); len(st) != 0 {
		t.Errorf("unsubscribed, the channel gets no digest until the restart: %+v", st)
	}
	store.Close()
	svc, store = start("0 8 * * *")
	if st, _ := svc.Statuses(context.Background()); len(st) != 1 || st[0].Schedule != "0 8 * * *" {
		t.Errorf("after a restart the configured channel is subscribed again: %+v", st)
	}
	// A /digest subscribe of that channel at another time gives way to the
	// configuration at the next start (the README's walkthrough).
	if _, err := svc.Subscribe("600000000000000006", "08:00", "", "400000000000000004"); err != nil {
		t.Fatal(err)
	}
	store.Close()
	svc, store = start("* * * * *")
	defer store.Close()
	if st, _ := svc.Statuses(context.Background()); len(st) != 1 || st[0].Schedule != "* * * * *" || st[0].Source != "env" {
		t.Errorf("DIGEST_SCHEDULE should win over a stored subscription: %+v", st)
	}
}

func TestLabel(t *testing.T) {
	oslo, err := time.LoadLocation("Europe/Oslo")
	if err != nil {
		t.Skip(err)
	}
	due := time.Date(2026, 7, 1, 6, 0, 0, 0, time.UTC)
	if got := Label(due, oslo, 0, 1); got != "Digest for Wed 1 Jul 2026 08:00 CEST" {
		t.Errorf("%q", got)
	}
	if got := Label(due, oslo, 1, 3); got != "Digest for Wed 1 Jul 2026 08:00 CEST · part 2 of 3" {
		t.Errorf("%q", got)
	}
	if nonce("a", due, 0) == nonce("a", due, 1) || nonce("a", due, 0) == nonce("b", due, 0) || len(nonce("a", due, 0)) > 25 {
		t.Error("nonces must differ per channel and part and fit Discord's 25 characters")
	}
}

func TestDamagedStateFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "digest.db")
	os.WriteFile(path, []byte(strings.Repeat("not a bbolt file ", 500)), 0o600)
	_, err := OpenStore(path)
	if err == nil || !strings.Contains(err.Error(), "move it aside") {
		t.Fatalf("want a clear error, got %v", err)
	}
}
