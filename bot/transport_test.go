package bot

import (
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

func TestAPIClientRewritesDiscordCalls(t *testing.T) {
	var gotPath, gotHost string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		gotPath, gotHost = r.URL.Path, r.Host
		io.WriteString(w, `{"url":"wss://from-proxy.example/"}`)
	}))
	defer srv.Close()

	client, err := APIClient(srv.URL+"/proxy/api", "", time.Second)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := client.Get("https://discord.com/api/v9/channels/123/messages")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if gotPath != "/proxy/api/v9/channels/123/messages" || gotHost != srv.Listener.Addr().String() {
		t.Errorf("request went to %s%s", gotHost, gotPath)
	}

	// A gateway override answers GET /gateway itself.
	client, _ = APIClient(srv.URL+"/api", "ws://127.0.0.1:9/gw", time.Second)
	resp, err = client.Get("https://discord.com/api/v9/gateway")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if string(body) != `{"url":"ws://127.0.0.1:9/gw"}` {
		t.Errorf("gateway override: %s", body)
	}

	for _, bad := range []string{"", "discord.com/api", "ftp://x/api", "http://"} {
		if _, err := APIClient(bad, "", time.Second); err == nil {
			t.Errorf("APIClient(%q) should fail", bad)
		}
	}
}
