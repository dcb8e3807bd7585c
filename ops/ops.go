// Package ops is the bot's small operations server: /healthz (the process
// is up), /readyz (index open and Discord reachable), /metrics (Prometheus),
// and, when configured, Discord's HTTP interactions endpoint.
package ops

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics counts what the bot does; it implements bot.Observer.
type Metrics struct {
	Registry      *prometheus.Registry
	commands      *prometheus.CounterVec
	latency       *prometheus.HistogramVec
	discordErrors *prometheus.CounterVec
}

// Stats reports the open index and the digests for their gauges.
type Stats interface {
	Documents() float64
	Bytes() float64
	// Updated is when the index last changed (built or updated).
	Updated() time.Time
	// DigestPosted is when a digest was last posted; zero if never.
	DigestPosted() time.Time
}

// NewMetrics registers briefbot's metrics, reading figures from stats at scrape time.
func NewMetrics(stats Stats, now func() time.Time) *Metrics {
	m := &Metrics{
		Registry: prometheus.NewRegistry(),
		commands: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "briefbot_commands_total", Help: "Interactions handled, by command and outcome.",
		}, []string{"command", "outcome"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "briefbot_command_duration_seconds", Help: "Time from an interaction's arrival to its answer.",
			Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
		}, []string{"command"}),
		discordErrors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "briefbot_discord_errors_total", Help: "Failed Discord REST calls, by HTTP status.",
		}, []string{"status"}),
	}
	m.Registry.MustRegister(m.commands, m.latency, m.discordErrors,
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "briefbot_index_documents", Help: "Documents in the open index."}, stats.Documents),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "briefbot_index_bytes", Help: "Size of the open index on disk."}, stats.Bytes),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "briefbot_index_age_seconds", Help: "Time since the open index last changed (built, or articles ingested)."},
			func() float64 { return now().Sub(stats.Updated()).Seconds() }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "briefbot_digest_last_success_timestamp_seconds",
			Help: "When a digest was last posted (Unix time); 0 if never."},
			func() float64 {
				if t := stats.DigestPosted(); !t.IsZero() {
					return float64(t.Unix())
				}
				return 0
			}),
		collectors.NewGoCollector(),
	)
	return m
}

// Command records one handled interaction.
func (m *Metrics) Command(name, outcome string, took time.Duration) {
	m.commands.WithLabelValues(name, outcome).Inc()
	m.latency.WithLabelValues(name).Observe(took.Seconds())
}

// DiscordError records a failed Discord call.
func (m *Metrics) DiscordError(status int) {
	m.discordErrors.WithLabelValues(strconv.Itoa(status)).Inc()
}

// Handler serves /healthz, /readyz and /metrics; interactions, when not
// nil, is served at POST /interactions.
func Handler(ready func() error, m *Metrics, interactions http.Handler) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		fmt.Fprintln(w, "ok")
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, _ *http.Request) {
		if err := ready(); err != nil {
			http.Error(w, "not ready: "+err.Error(), http.StatusServiceUnavailable)
			return
		}
		fmt.Fprintln(w, "ready")
	})
	mux.Handle("GET /metrics", promhttp.HandlerFor(m.Registry, promhttp.HandlerOpts{}))
	if interactions != nil {
		mux.Handle("POST /interactions", interactions)
	}
	return mux
}

// Serve runs the handler on addr until ctx ends.
func Serve(ctx context.Context, addr string, h http.Handler) error {
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listen on %s (HTTP_ADDR): %w", addr, err)
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second, ReadTimeout: 10 * time.Second, WriteTimeout: 15 * time.Second}
	go func() {
		<-ctx.Done()
		shut, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(shut)
	}()
	if err := srv.Serve(l); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// Check asks a running bot's /readyz, for `briefbot healthcheck` (which a
// container runs without a shell or curl).
func Check(ctx context.Context, addr string) error {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("HTTP_ADDR %q: %w", addr, err)
	}
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "127.0.0.1"
	}
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+net.JoinHostPort(host, port)+"/readyz", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("briefbot is not answering on %s: %w", addr, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("briefbot is not ready (HTTP %d)", resp.StatusCode)
	}
	return nil
}
