package ingest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"net/url"
	"strings"
	"syscall"
	"time"
	"unicode/utf8"

	"golang.org/x/net/html/charset"
)

// Fetcher gets web pages and feeds for ingestion, defensively: http and
// https only, no private, loopback or link-local addresses (unless allowed,
// for tests), bounded time, size and redirects.
type Fetcher struct {
	client   *http.Client
	maxBytes int64
	timeout  time.Duration
}

// FetchOptions tune a Fetcher; zero values take the defaults.
type FetchOptions struct {
	Timeout      time.Duration // whole request, default 20s
	MaxBytes     int64         // response body, default 5 MiB
	MaxRedirects int           // default 5
	// AllowPrivate lets requests reach loopback and private addresses: for
	// tests and for teams whose sources are on their own network.
	AllowPrivate bool
	// UserAgent names the bot to the sites it reads.
	UserAgent string
}

// ErrTooLarge is a response over the size limit.
var ErrTooLarge = errors.New("response is over the size limit")

// NewFetcher makes a Fetcher with its own HTTP client.
func NewFetcher(o FetchOptions) *Fetcher {
	if o.Timeout <= 0 {
		o.Timeout = 20 * time.Second
	}
	if o.MaxBytes <= 0 {
		o.MaxBytes = 5 << 20
	}
	if o.MaxRedirects <= 0 {
		o.MaxRedirects = 5
	}
	if o.UserAgent == "" {
		o.UserAgent = "briefbot (+https://github.com/briefbot/briefbot)"
	}
	dialer := &net.Dialer{Timeout: 10 * time.Second}
	if !o.AllowPrivate {
		// Checked on the address actually dialled, after DNS: a public name
		// that resolves to a private address is refused too.
		dialer.Control = func(_, address string, _ syscall.RawConn) error {
			host, _, err := net.SplitHostPort(address)
			if err != nil {
				return err
			}
			if ip := net.ParseIP(host); ip == nil || !publicIP(ip) {
				return fmt.Errorf("%s is a private, loopback or link-local address", host)
			}
			return nil
		}
	}
	transport := &http.Transport{
		Proxy:                 nil, // a proxy would dial for us, past the address check
		DialContext:           dialer.DialContext,
		TLSHandshakeTimeout:   10 * time.Second,
		ResponseHeaderTimeout: 15 * time.Second,
		MaxIdleConns:          10,
		IdleConnTimeout:       30 * time.Second,
	}
	client := &http.Client{
		Timeout:   o.Timeout,
		Transport: &userAgent{next: transport, ua: o.UserAgent},
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) > o.MaxRedirects {
				return fmt.Errorf("more than %d redirects", o.MaxRedirects)
			}
			return checkScheme(req.URL)
		},
	}
	return &Fetcher{client: client, maxBytes: o.MaxBytes, timeout: o.Timeout}
}

type userAgent struct {
	next http.RoundTripper
	ua   string
}

func (u *userAgent) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Set("User-Agent", u.ua)
	return u.next.RoundTrip(r)
}

// publicIP: an address on the public internet.
func publicIP(ip net.IP) bool {
	if ip.IsLoopback() || ip.IsPrivate() || ip.IsUnspecified() || ip.IsLinkLocalUnicast() ||
		ip.IsLinkLocalMulticast() || ip.IsInterfaceLocalMulticast() || ip.IsMulticast() {
		return false
	}
	// Carrier-grade NAT and the IPv4 broadcast are not public either.
	if v4 := ip.To4(); v4 != nil {
		if v4[0] == 100 && v4[1]&0xc0 == 64 || v4.Equal(net.IPv4bcast) || v4[0] == 0 {
			return false
		}
	}
	return true
}

func checkScheme(u *url.URL) error {
	if u.Scheme == "" {
		return fmt.Errorf("%q is not a web address: give it with http:// or https://", u.String())
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return fmt.Errorf("%q: only http and https addresses can be fetched", u.Scheme+"://")
	}
	if u.Host == "" {
		return errors.New("the address has no host")
	}
	return nil
}

// Page is a fetched document.
type Page struct {
	URL         *url.URL // after redirects
	ContentType string   // media type, lower case, without parameters
	Body        []byte
}

// ParseURL checks that raw is an http or https address.
func ParseURL(raw string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return nil, fmt.Errorf("%q is not an address: %w", raw, err)
	}
	if err := checkScheme(u); err != nil {
		return nil, err
	}
	return u, nil
}

// Get fetches raw. A status other than 2xx, a body over the limit or a
// refused address is an error that says which.
func (f *Fetcher) Get(ctx context.Context, raw string) (*Page, error) {
	u, err := ParseURL(raw)
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, fmt.Errorf("fetch %s: %w", u, err)
	}
	req.Header.Set("Accept", "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,application/xml;q=0.9,text/plain;q=0.8,*/*;q=0.5")
	resp, err := f.client.Do(req)
	if err != nil {
		var ne net.Error
		if errors.As(err, &ne) && ne.Timeout() {
			return nil, fmt.Errorf("fetch %s: no answer within %s", u, f.timeout)
		}
		return nil, fmt.Errorf("fetch %s: %w", u, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return nil, fmt.Errorf("fetch %s: the server answered %s", u, resp.Status)
	}
	if resp.ContentLength > f.maxBytes {
		return nil, fmt.Errorf("fetch %s: %w (%d bytes, limit %d)", u, ErrTooLarge, resp.ContentLength, f.maxBytes)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, f.maxBytes+1))
	if err != nil {
		return nil, fmt.Errorf("fetch %s: %w", u, err)
	}
	if int64(len(body)) > f.maxBytes {
		return nil, fmt.Errorf("fetch %s: %w (limit %d bytes)", u, ErrTooLarge, f.maxBytes)
	}
	contentType := resp.Header.Get("Content-Type")
	media, _, _ := mime.ParseMediaType(contentType)
	media = strings.ToLower(media)
	if err := sniff(media, body); err != nil {
		return nil, fmt.Errorf("fetch %s: %w", u, err)
	}
	if strings.HasPrefix(media, "text/") || media == "" || media == "application/xhtml+xml" {
		// Pages in Latin-1, Shift_JIS and the like are read as what they are
		// (the header's charset, else the page's <meta>), stored as UTF-8.
		if utf8Body, err := toUTF8(body, contentType); err == nil {
			body = utf8Body
		}
	}
	return &Page{URL: resp.Request.URL, ContentType: media, Body: body}, nil
}

// sniff refuses a body that is not the text its type claims: a PDF, an
// image or an archive served as a web page.
func sniff(media string, body []byte) error {
	if !(media == "" || strings.HasPrefix(media, "text/") || media == "application/xhtml+xml") {
		return nil
	}
	switch got := http.DetectContentType(body); {
	case strings.HasPrefix(got, "text/"):
		return nil
	case got == "application/pdf":
		return errors.New("the page is a PDF, not a web page or text")
	case got == "application/octet-stream" && utf8.Valid(body[:min(len(body), 512)]):
		return nil // text in a charset the sniffer does not know
	default:
		return fmt.Errorf("the page is %s, not a web page or text", got)
	}
}

// toUTF8 decodes body by its declared or detected charset.
func toUTF8(body []byte, contentType string) ([]byte, error) {
	r, err := charset.NewReader(bytes.NewReader(body), contentType)
	if err != nil {
		return nil, err
	}
	return io.ReadAll(r)
}
