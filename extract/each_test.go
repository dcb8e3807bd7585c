package extract

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"runtime"
	"testing"
	"testing/fstest"
	"time"

	"github.com/briefbot/briefbot/corpus"
)

// TestEachInOrder: Each hands over every article's facts once, in the
// corpus's order, equal to reading each article alone, even when the
// caller is slow and many more articles than it reads ahead are waiting.
func TestEachInOrder(t *testing.T) {
	files := map[string]string{}
	for i := 0; i < readAhead+300; i++ {
		files[fmt.Sprintf("%05d.txt", i)] = article("2024-02-01", fmt.Sprintf(`Sen. Tom Reyes%d urged restraint on Monday. "We condemn attack number %d," he said.`, i, i))
	}
	c := loadTexts(t, files)
	g := NewGazetteer(nil)
	next := 0
	err := Each(context.Background(), len(c.Articles), inOrder(c.Articles), g, func(i int, _ *corpus.Article, f *Facts) error {
		if i != next {
			t.Fatalf("got article %d, want %d", i, next)
		}
		next++
		if i%500 == 0 {
			time.Sleep(5 * time.Millisecond) // a builder writing a segment
		}
		if i%97 != 0 {
			return nil
		}
		if want := ArticleFacts(c.Articles[i], g); !reflect.DeepEqual(f, want) {
			t.Fatalf("article %d: facts differ from reading it alone", i)
		}
		return nil
	})
	if err != nil || next != len(c.Articles) {
		t.Fatalf("err %v after %d of %d articles", err, next, len(c.Articles))
	}
}

// TestEachStops: the caller's error and a cancelled context stop Each,
// which returns that error and leaves no goroutine behind.
func TestEachStops(t *testing.T) {
	files := map[string]string{}
	for i := 0; i < readAhead+100; i++ {
		files[fmt.Sprintf("%05d.txt", i)] = article("2024-02-01", "Lund urged restraint on Monday.")
	}
	c := loadTexts(t, files)
	g := NewGazetteer(nil)
	before := runtime.NumGoroutine()
	boom := errors.New("disk full")
	seen := 0
	err := Each(context.Background(), len(c.Articles), inOrder(c.Articles), g, func(i int, _ *corpus.Article, f *Facts) error {
		seen++
		if i == 10 {
			return boom
		}
		return nil
	})
	if !errors.Is(err, boom) || seen != 11 {
		t.Errorf("caller's error: got %v after %d articles, want %v after 11", err, seen, boom)
	}
	ctx, cancel := context.WithCancel(context.Background())
	seen = 0
	err = Each(ctx, len(c.Articles), inOrder(c.Articles), g, func(i int, _ *corpus.Article, f *Facts) error {
		seen++
		if i == 5 {
			cancel()
		}
		return nil
	})
	if !errors.Is(err, context.Canceled) || seen != 6 {
		t.Errorf("cancelled: got %v after %d articles, want %v after 6", err, seen, context.Canceled)
	}
	for deadline := time.Now().Add(5 * time.Second); runtime.NumGoroutine() > before && time.Now().Before(deadline); {
		time.Sleep(10 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > before {
		t.Errorf("%d goroutines left behind", n-before)
	}
}

// TestEachSkipsWhatCannotBeRead: an index with no article (a file that
// could not be used) is left out, and the others keep their order.
func TestEachSkipsWhatCannotBeRead(t *testing.T) {
	files := map[string]string{}
	for i := 0; i < 50; i++ {
		files[fmt.Sprintf("%05d.txt", i)] = article("2024-02-01", fmt.Sprintf("Lund urged restraint on day %d.", i))
	}
	c := loadTexts(t, files)
	var got []int
	err := Each(context.Background(), len(c.Articles), func(i int) *corpus.Article {
		if i%7 == 3 {
			return nil
		}
		return c.Articles[i]
	}, NewGazetteer(nil), func(i int, a *corpus.Article, f *Facts) error {
		if a != c.Articles[i] || f == nil {
			t.Errorf("article %d: handed %v", i, a.ID)
		}
		got = append(got, i)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var want []int
	for i := range c.Articles {
		if i%7 != 3 {
			want = append(want, i)
		}
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("handed %v, want %v", got, want)
	}
}

func loadTexts(t *testing.T, files map[string]string) *corpus.Corpus {
	t.Helper()
	fsys := fstest.MapFS{}
	for name, text := range files {
		fsys[name] = &fstest.MapFile{Data: []byte(text)}
	}
	c, err := corpus.Load(fsys)
	if err != nil {
		t.Fatal(err)
	}
	return c
}
