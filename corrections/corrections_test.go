package corrections_test

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/briefbot/briefbot/corrections"
	"github.com/briefbot/briefbot/digest"
)

func TestBookKeepsAndApplies(t *testing.T) {
	dir := t.TempDir()
	store, err := digest.OpenStore(filepath.Join(dir, "digest.db"))
	if err != nil {
		t.Fatal(err)
	}
	snapshot := filepath.Join(dir, "corrections.json")
	book, err := corrections.Open(store, snapshot)
	if err != nil {
		t.Fatal(err)
	}
	for _, bad := range []corrections.Correction{
		{Kind: corrections.Speaker, Article: "a", Paragraph: 1},                  // no name
		{Kind: "typo", Article: "a", Paragraph: 1},                               // no such kind
		{Kind: corrections.NotRelevant, Words: "x", Paragraph: 1},                // no article
		{Kind: corrections.Speaker, Speaker: "X", Article: "a"},                  // no paragraph
		{Kind: corrections.Speaker, Speaker: " \t ", Article: "a", Paragraph: 2}, // blank name
	} {
		if _, err := book.Add(bad); err == nil {
			t.Errorf("accepted %+v", bad)
		}
	}
	sp, err := book.Add(corrections.Correction{Kind: corrections.Speaker, Speaker: "Kari  Lund", Article: "a", Paragraph: 2, Quote: "“We will not”", Was: "Berg"})
	if err != nil || sp.ID != "1" || sp.State != corrections.Pending || sp.Speaker != "Kari Lund" {
		t.Fatalf("%+v %v", sp, err)
	}
	nr, _ := book.Add(corrections.Correction{Kind: corrections.NotRelevant, Words: "Fishing quota", Article: "b", Paragraph: 3})
	if _, ok := book.SpeakerOf("a", 2, "“We will not”"); ok {
		t.Error("a pending correction applies")
	}
	now := time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)
	if _, err := book.Decide(sp.ID, true, "admin", now); err != nil {
		t.Fatal(err)
	}
	if _, err := book.Decide(nr.ID, true, "admin", now); err != nil {
		t.Fatal(err)
	}
	if _, err := book.Decide("99", true, "admin", now); !errors.Is(err, corrections.ErrNotFound) {
		t.Errorf("deciding an unknown one: %v", err)
	}
	if s, ok := book.SpeakerOf("a", 2, "“We will not”"); !ok || s != "Kari Lund" {
		t.Errorf("accepted speaker: %q %v", s, ok)
	}
	if !book.IrrelevantTo("b", 3, "fishing QUOTA") || book.IrrelevantTo("b", 3, "fishing") || book.IrrelevantTo("b", 4, "fishing quota") {
		t.Error("a not-relevant mark applies to its passage and words only")
	}
	store.Close()

	// The state file and the snapshot both keep them.
	store, _ = digest.OpenStore(filepath.Join(dir, "digest.db"))
	defer store.Close()
	again, err := corrections.Open(store, snapshot)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := again.SpeakerOf("a", 2, "“We will not”"); !ok {
		t.Error("a reopened book lost an accepted correction")
	}
	view, err := corrections.Load(snapshot)
	if err != nil || len(view.List()) != 2 || !view.IrrelevantTo("b", 3, "fishing quota") {
		t.Errorf("snapshot: %+v %v", view.List(), err)
	}
	if none, err := corrections.Load(filepath.Join(dir, "missing.json")); err != nil || len(none.List()) != 0 {
		t.Errorf("no snapshot: %v", err)
	}
	os.WriteFile(filepath.Join(dir, "bad.json"), []byte("{not json"), 0o600)
	if _, err := corrections.Load(filepath.Join(dir, "bad.json")); err == nil {
		t.Error("a damaged snapshot should say so")
	}
}
