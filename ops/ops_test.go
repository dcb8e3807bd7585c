package ops

import (
	"context"
	"errors"
	"net"
	"net/http/httptest"
	"testing"
	"time"
)

type stats struct{}

func (stats) Documents() float64 { return 1 }
func (stats) Bytes() float64     { return 1 }
func (stats) Built() time.Time   { return time.Now() }

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
