package render

import "testing"

func TestPartOfYear(t *testing.T) {
	for in, want := range map[string]string{
		"2026-Q3": "Q3 2026", "1990-H1": "first half of 1990", "1989-H2": "second half of 1989",
		"1994-WI": "winter 1994", "2025-FA": "fall 2025", "2026-SP": "spring 2026",
		"2026-10-02": "", "2026": "", "2026-Q5": "",
	} {
		if got := PartOfYear(in); got != want {
			t.Errorf("PartOfYear(%q) = %q, want %q", in, got, want)
		}
	}
}
