//go:build unix

package corpus

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// Special files in a corpus folder are reported and skipped at once: a
// FIFO is never opened for a blocking read, a device never streamed, and a
// file over the limit is refused before it is read.
func TestSpecialFilesAreSkipped(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("good.txt", "Harbour reopens\n\nThe harbour reopened on Monday after repairs.")
	if err := syscall.Mkfifo(filepath.Join(dir, "fifo.txt"), 0o644); err != nil {
		t.Fatal(err)
	}
	os.Symlink("/dev/zero", filepath.Join(dir, "zero.txt"))
	os.Symlink("loop.md", filepath.Join(dir, "loop.md"))
	os.Symlink(filepath.Join(dir, "good.txt"), filepath.Join(dir, "link.md"))
	os.Symlink(dir, filepath.Join(dir, "folder.txt"))
	big, _ := os.Create(filepath.Join(dir, "huge.txt"))
	big.Truncate(1 << 30) // sparse: a 1 GiB file that takes no disk
	big.Close()

	done := make(chan *Corpus, 1)
	go func() {
		c, err := LoadDir(dir)
		if err != nil {
			t.Error(err)
		}
		done <- c
	}()
	var c *Corpus
	select {
	case c = <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("loading a folder with special files hangs")
	}
	if c == nil {
		return
	}
	var files []string
	for _, a := range c.Articles {
		files = append(files, a.File)
	}
	if strings.Join(files, " ") != "good.txt link.md" {
		t.Errorf("articles %v, want good.txt and the symlink to it", files)
	}
	reasons := map[string]string{}
	for _, p := range c.Problems {
		reasons[p.File] = p.Reason
		if p.Hash == "" {
			t.Errorf("%s has no state hash: it would look changed at every open", p.File)
		}
	}
	for file, want := range map[string]string{"fifo.txt": "not a regular file", "zero.txt": "not a regular file",
		"folder.txt": "not a regular file", "huge.txt": "over the", "loop.md": "unreadable"} {
		if !strings.Contains(reasons[file], want) {
			t.Errorf("%s: reason %q, want %q", file, reasons[file], want)
		}
	}
	// The listing agrees with the load, so an unchanged folder is current.
	l, err := List(DirFS(dir))
	if err != nil {
		t.Fatal(err)
	}
	for file, h := range c.Hashes {
		if l.Hashes[file] != h {
			t.Errorf("%s: listing hash %q, load hash %q", file, l.Hashes[file], h)
		}
	}
}

// x.txt and x.md are two articles, each cited by its own file.
func TestSameStemTwoArticles(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "x.txt"), []byte("Plain text story\n\nThe plain text says the bridge opened."), 0o644)
	os.WriteFile(filepath.Join(dir, "x.md"), []byte("---\ntitle: Markdown story\n---\nThe markdown says the tunnel closed."), 0o644)
	c, err := LoadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Articles) != 2 || c.Articles[0].ID == c.Articles[1].ID {
		t.Fatalf("want two articles with their own IDs: %+v", c.Articles)
	}
}
