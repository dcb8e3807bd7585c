package bot

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// DefaultAPIBase is Discord's REST API without its version; discordgo adds the version.
const DefaultAPIBase = "https://discord.com/api"

// APIClient returns an HTTP client that sends discordgo's requests for
// https://discord.com/api/... to base instead (a REST proxy, a recorder, the
// fake Discord), keeping the version path. gatewayURL, when set, replaces the
// gateway address that GET /gateway returns.
func APIClient(base, gatewayURL string, timeout time.Duration) (*http.Client, error) {
	u, err := url.Parse(strings.TrimRight(base, "/"))
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return nil, fmt.Errorf("API base %q is not an http(s) URL", base)
	}
	return &http.Client{Timeout: timeout, Transport: &apiBase{base: u, gateway: gatewayURL, next: http.DefaultTransport}}, nil
}

type apiBase struct {
	base    *url.URL
	gateway string
	next    http.RoundTripper
}

func (t *apiBase) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.URL.Host != "discord.com" || !strings.HasPrefix(req.URL.Path, "/api/") {
		return t.next.RoundTrip(req)
	}
	rest := strings.TrimPrefix(req.URL.Path, "/api")
	if t.gateway != "" && req.Method == http.MethodGet && strings.HasSuffix(rest, "/gateway") {
		body, _ := json.Marshal(map[string]string{"url": t.gateway})
		return &http.Response{StatusCode: 200, Status: "200 OK", Header: http.Header{"Content-Type": {"application/json"}},
			Body: io.NopCloser(bytes.NewReader(body)), ContentLength: int64(len(body)), Request: req}, nil
	}
	r := req.Clone(req.Context())
	r.URL.Scheme, r.URL.Host = t.base.Scheme, t.base.Host
	r.URL.Path = t.base.Path + rest
	r.URL.RawPath = ""
	r.Host = t.base.Host
	return t.next.RoundTrip(r)
}
