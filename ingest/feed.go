package ingest

import (
	"bytes"
	"context"
	"fmt"
	"strings"

	"github.com/mmcdole/gofeed"

	"github.com/briefbot/briefbot/corpus"
)

// maxFeedItems bounds how many new items of a feed one poll fetches; the
// rest wait for the next poll.
const maxFeedItems = 500

// Feed ingests the items of an RSS or Atom feed that are not stored yet.
// A feed that cannot be fetched or read is one failed result; items found
// to be stored already (under another address) are not reported.
func (in *Ingester) Feed(ctx context.Context, feedURL string) []Result {
	rs := in.ingest(ctx, []source{{input: feedURL, read: func(ctx context.Context) ([]*corpus.Article, error) {
		page, err := in.fetch.Get(ctx, feedURL)
		if err != nil {
			return nil, err
		}
		return in.feedArticles(ctx, page)
	}}})
	var out []Result
	for _, r := range rs {
		if r.Status != Duplicate && r.Status != NothingNew {
			out = append(out, r)
		}
	}
	return out
}

// isFeed: the page is RSS or Atom by its type or its first element.
func isFeed(p *Page) bool {
	switch p.ContentType {
	case "application/rss+xml", "application/atom+xml", "application/feed+json":
		return true
	case "application/xml", "text/xml":
		head := strings.ToLower(string(p.Body[:min(len(p.Body), 512)]))
		return strings.Contains(head, "<rss") || strings.Contains(head, "<feed")
	}
	return false
}

// feedArticles reads a feed's items: each item's page, or the item's own
// content when the page yields no article. Items whose address is already
// stored are left alone, so a poll costs one request per new item.
func (in *Ingester) feedArticles(ctx context.Context, page *Page) ([]*corpus.Article, error) {
	feed, err := gofeed.NewParser().Parse(bytes.NewReader(page.Body))
	if err != nil {
		return nil, fmt.Errorf("%s is not an RSS or Atom feed: %v", page.URL, err)
	}
	known := map[string]bool{}
	for _, a := range in.index.Meta().Articles {
		if a.URL != "" {
			known[urlKey(a.URL)] = true
		}
	}
	for k := range in.seenLinks {
		known[k] = true
	}
	var out []*corpus.Article
	var failures []string
	fetched := 0
	for _, it := range feed.Items {
		if fetched == maxFeedItems || ctx.Err() != nil {
			break
		}
		link := resolve(page.URL, strings.TrimSpace(it.Link))
		if link != "" && known[urlKey(link)] {
			continue
		}
		fetched++
		a, err := in.itemArticle(ctx, feed, it, link)
		if link != "" && err == nil {
			// A page whose canonical address differs from the item's link
			// would otherwise be fetched again at every poll.
			in.seenLinks[urlKey(link)] = true
		}
		if err != nil {
			failures = append(failures, fmt.Sprintf("%s: %v", orUntitled(it.Title), err))
			continue
		}
		out = append(out, a)
	}
	for _, f := range failures {
		in.log.Warn("skipped a feed item", "feed", page.URL.String(), "reason", f)
	}
	switch {
	case len(out) == 0 && len(failures) > 0:
		return nil, fmt.Errorf("no item of %s could be read (%s)", page.URL, strings.Join(failures, "; "))
	case len(feed.Items) == 0:
		return nil, errNothingNew{fmt.Sprintf("the feed %s has no items", page.URL)}
	case len(out) == 0:
		return nil, errNothingNew{fmt.Sprintf("every item of %s is stored already", page.URL)}
	}
	return out, nil
}

// errNothingNew is a source that was read but holds nothing to add.
type errNothingNew struct{ reason string }

func (e errNothingNew) Error() string { return e.reason }

func (in *Ingester) itemArticle(ctx context.Context, feed *gofeed.Feed, it *gofeed.Item, link string) (*corpus.Article, error) {
	var a *corpus.Article
	var pageErr error
	if link != "" {
		var page *Page
		if page, pageErr = in.fetch.Get(ctx, link); pageErr == nil {
			a, pageErr = articleOf(page)
		}
	}
	if a == nil {
		body := it.Content
		if body == "" {
			body = it.Description
		}
		var err error
		if a, err = FromHTML([]byte("<html><body><article>"+body+"</article></body></html>"), parseLink(link)); err != nil {
			if pageErr != nil {
				return nil, pageErr
			}
			return nil, err
		}
		a.URL = corpus.CleanURL(link)
	}
	if a.Title == "" {
		a.Title = strings.TrimSpace(it.Title)
	}
	if a.Published.IsZero() && it.PublishedParsed != nil {
		a.Published = corpus.Day(*it.PublishedParsed)
	}
	if a.Outlet == "" || (link != "" && a.Outlet == hostOf(link)) {
		if t := strings.TrimSpace(feed.Title); t != "" {
			a.Outlet = t
		}
	}
	if a.Author == "" && it.Author != nil {
		a.Author = it.Author.Name
	}
	return a, nil
}
