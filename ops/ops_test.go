package ops

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

type stats struct{ posted time.Time }

func (stats) Documents() float64        { return 1 }
func (stats) Bytes() float64            { return 1 }
func (stats) Updated() time.Time        { return time.Now() }
func (s stats) DigestPosted() time.Time { return s.posted }

func TestMetrics(t *testing.T) {
	posted := time.Date(2026, 11, 24, 8, 0, 0, 0, time.UTC)
	m := NewMetrics(stats{posted: posted}, time.Now)
	m.Command("stance", "ok", 30*time.Millisecond)
	m.DiscordError(403)
	srv := httptest.NewServer(Handler(func() error { return nil }, m, nil))
	defer srv.Close()
	resp, err := http.Get(srv.URL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	for _, want := range []string{
		`briefbot_commands_total{command="stance",outcome="ok"} 1`,
		`briefbot_command_duration_seconds_bucket{command="stance",le="0.05"} 1`,
		`briefbot_discord_errors_total{status="403"} 1`,
		`briefbot_index_documents 1`,
		`briefbot_digest_last_success_timestamp_seconds 1.7955072e+09`,
	} {
		if !strings.Contains(string(body), want) {
			t.Errorf("metrics lack %q", want)
		}
	}
}

func TestCheck(t *testing.T) {
	readyErr := errors.New("not connected")
	srv := httptest.NewServer(Handler(func() error { return readyErr }, NewMetrics(stats{}, time.Now), nil))
	defer srv.Close()
	addr := srv.Listener.Addr().String()
	if err := Check(context.Background(), addr); err == nil {
		t.Error("a bot that is not ready should fail the check")
	}
	readyErr = nil
	if err := Check(context.Background(), addr); err != nil {
		t.Errorf("ready bot: %v", err)
	}
	_, port, _ := net.SplitHostPort(addr)
	if err := Check(context.Background(), ":"+port); err != nil {
		t.Errorf("an address without host means this machine: %v", err)
	}
	srv.Close()
	if err := Check(context.Background(), addr); err == nil {
		t.Error("no server: the check must fail")
	}
}
