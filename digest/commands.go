package digest

import (
	"context"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"time"

	"github.com/briefbot/briefbot/brief"
	"github.com/briefbot/briefbot/schedule"
)

var clockTime = regexp.MustCompile(`^([01]?[0-9]|2[0-3])[:.h]([0-5][0-9])$`)

// Subscribe makes channel get the digest every day at hh:mm in zone
// (empty: the configured time zone). Articles not yet in one of the
// channel's digests stay pending.
func (s *Service) Subscribe(channel, at, zone, by string) (Subscription, error) {
	m := clockTime.FindStringSubmatch(at)
	if m == nil {
		return Subscription{}, fmt.Errorf("%q is not a time of day: use HH:MM, such as 08:00", at)
	}
	h, _ := strconv.Atoi(m[1])
	minute, _ := strconv.Atoi(m[2])
	loc := s.settings.Schedule.Location()
	if zone != "" {
		var err error
		if loc, err = time.LoadLocation(zone); err != nil {
			return Subscription{}, fmt.Errorf("%q is not a time zone: use an IANA name such as Europe/Oslo or America/New_York", zone)
		}
	}
	sched, err := schedule.Parse(fmt.Sprintf("%d %d * * *", minute, h), loc)
	if err != nil {
		return Subscription{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.clock.Now()
	sub, found, err := s.store.Subscription(channel)
	if err != nil {
		return Subscription{}, err
	}
	if !found || !sub.Active {
		sub = Subscription{Channel: channel, Since: now}
	}
	sub.Active, sub.Source, sub.By = true, "command", by
	sub.Schedule, sub.TimeZone = sched.Expr(), loc.String()
	sub.NextDue, sub.RetryAt = sched.Next(now), time.Time{}
	in, err := s.store.Intent(channel)
	if err != nil {
		return Subscription{}, err
	}
	if err := s.store.Save(sub, in); err != nil {
		return Subscription{}, err
	}
	s.poke()
	return sub, nil
}

// Unsubscribe stops a channel's digest; it says whether there was one, and
// returns it as it was. The configured channel (DIGEST_CHANNEL_ID, Source
// "env") is subscribed again at the next start: the configuration decides.
func (s *Service) Unsubscribe(channel string) (Subscription, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	sub, found, err := s.store.Subscription(channel)
	if err != nil || !found || !sub.Active {
		return sub, false, err
	}
	was := sub
	sub.Active, sub.RetryAt = false, time.Time{}
	if err := s.store.Save(sub, nil); err != nil {
		return was, false, err
	}
	s.poke()
	return was, true, nil
}

func (s *Service) poke() {
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// Status is one subscription as /digest status shows it.
type Status struct {
	Subscription
	// Pending counts the articles the next digest would show.
	Pending int
	// Posting is set while a digest is half-posted (an intent is open).
	Posting bool
}

// Statuses lists the active subscriptions, soonest first.
func (s *Service) Statuses(ctx context.Context) ([]Status, error) {
	subs, err := s.store.Subscriptions()
	if err != nil {
		return nil, err
	}
	var out []Status
	for _, sub := range subs {
		if !sub.Active {
			continue
		}
		st := Status{Subscription: sub}
		if in, err := s.store.Intent(sub.Channel); err == nil && in != nil {
			st.Posting = true
		}
		if d, err := s.composer.Digest(ctx, sub.Since, s.clock.Now()); err == nil {
			st.Pending = d.Articles
		}
		out = append(out, st)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].NextDue.Before(out[j].NextDue) })
	return out, nil
}

// Preview is the digest a channel would get now, and the time zone it is
// shown in. A channel without a digest sees the last day.
func (s *Service) Preview(ctx context.Context, channel string) (*brief.Digest, *time.Location, error) {
	now := s.clock.Now()
	since, loc := now.Add(-24*time.Hour), s.settings.Schedule.Location()
	if sub, found, err := s.store.Subscription(channel); err != nil {
		return nil, nil, err
	} else if found && sub.Active {
		since = sub.Since
		if l, err := time.LoadLocation(sub.TimeZone); err == nil {
			loc = l
		}
	}
	d, err := s.composer.Digest(ctx, since, now)
	return d, loc, err
}

// LastSuccess is when a digest was last posted to any channel (zero if never).
func (s *Service) LastSuccess() time.Time {
	subs, err := s.store.Subscriptions()
	if err != nil {
		return time.Time{}
	}
	var last time.Time
	for _, sub := range subs {
		if sub.LastPosted.After(last) {
			last = sub.LastPosted
		}
	}
	return last
}
