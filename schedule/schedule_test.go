package schedule

import (
	"context"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"
)

func TestNextAcrossDaylightSaving(t *testing.T) {
	oslo, err := time.LoadLocation("Europe/Oslo")
	if err != nil {
		t.Skip("no time zone data:", err)
	}
	s, err := Parse("0 8 * * *", oslo)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct{ after, want string }{
		// Summer time ends on 2026-10-25: 08:00 local is 06:00 UTC before, 07:00 after.
		{"2026-10-24T06:00:00Z", "2026-10-25T07:00:00Z"},
		{"2026-10-23T07:00:00Z", "2026-10-24T06:00:00Z"},
		// Summer time starts on 2026-03-29: 08:00 local is 07:00 UTC before, 06:00 after.
		{"2026-03-28T07:00:00Z", "2026-03-29T06:00:00Z"},
		{"2026-03-29T06:00:00Z", "2026-03-30T06:00:00Z"},
	}
	for _, tt := range tests {
		after, _ := time.Parse(time.RFC3339, tt.after)
		if got := s.Next(after).UTC().Format(time.RFC3339); got != tt.want {
			t.Errorf("after %s: %s, want %s", tt.after, got, tt.want)
		}
	}
}

func TestParseRefusesNonsense(t *testing.T) {
	for _, bad := range []string{"", "every morning", "61 8 * * *", "0 25 * * *", "* * * *", "CRON_TZ=UTC 0 8 * * *"} {
		if _, err := Parse(bad, time.UTC); err == nil {
			t.Errorf("%q should be refused", bad)
		}
	}
}

func TestRunOnFakeClock(t *testing.T) {
	start := time.Date(2026, 11, 24, 7, 59, 0, 0, time.UTC)
	clock := clockwork.NewFakeClockAt(start)
	s, _ := Parse("0 8 * * *", time.UTC)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	runs := make(chan time.Time, 10)
	go Run(ctx, clock, s, func(_ context.Context, due time.Time) { runs <- due })
	for day := 0; day < 3; day++ {
		if err := clock.BlockUntilContext(ctx, 1); err != nil {
			t.Fatal(err)
		}
		clock.Advance(24 * time.Hour)
		due := <-runs
		if want := time.Date(2026, 11, 24+day, 8, 0, 0, 0, time.UTC); !due.Equal(want) {
			t.Errorf("run %d due %v, want %v", day, due, want)
		}
	}
}
