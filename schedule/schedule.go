// Package schedule runs jobs at the times of a cron expression in a time
// zone, on a clock that tests can fake. The calendar arithmetic (months,
// weekdays, daylight-saving changes) is robfig/cron's.
package schedule

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/jonboulle/clockwork"
	"github.com/robfig/cron/v3"
)

// Schedule is a parsed cron expression in a time zone.
type Schedule struct {
	expr string
	loc  *time.Location
	spec cron.Schedule
}

// Parse reads a standard five-field cron expression ("0 8 * * *": minute,
// hour, day of month, month, weekday) or a descriptor such as "@hourly",
// for times in loc.
func Parse(expr string, loc *time.Location) (Schedule, error) {
	expr = strings.TrimSpace(expr)
	if strings.HasPrefix(expr, "TZ=") || strings.HasPrefix(expr, "CRON_TZ=") {
		return Schedule{}, fmt.Errorf("%q: give the time zone separately, not in the expression", expr)
	}
	spec, err := cron.ParseStandard(expr)
	if err != nil {
		return Schedule{}, fmt.Errorf("%q is not a cron expression (minute hour day month weekday, such as \"0 8 * * *\"): %v", expr, err)
	}
	if loc == nil {
		loc = time.UTC
	}
	return Schedule{expr: expr, loc: loc, spec: spec}, nil
}

// Next is the first time of the schedule after t.
func (s Schedule) Next(t time.Time) time.Time { return s.spec.Next(t.In(s.loc)) }

// Expr is the cron expression as given.
func (s Schedule) Expr() string { return s.expr }

// Location is the schedule's time zone.
func (s Schedule) Location() *time.Location { return s.loc }

func (s Schedule) String() string { return s.expr + " (" + s.loc.String() + ")" }

// Run calls job at each time of s until ctx ends. A job that runs past the
// next time makes Run skip it rather than queue it.
func Run(ctx context.Context, clock clockwork.Clock, s Schedule, job func(ctx context.Context, due time.Time)) {
	for {
		due := s.Next(clock.Now())
		if !Sleep(ctx, clock, due) {
			return
		}
		job(ctx, due)
	}
}

// Sleep waits on clock until t or until ctx ends; it says whether t came.
func Sleep(ctx context.Context, clock clockwork.Clock, t time.Time) bool {
	d := t.Sub(clock.Now())
	if d <= 0 {
		return ctx.Err() == nil
	}
	timer := clock.NewTimer(d)
	defer timer.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-timer.Chan():
		return true
	}
}
