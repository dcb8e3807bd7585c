package extract

import "testing"

func TestNumberWords(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want int
		ok   bool
	}{
		{"41", 41, true}, {"two", 2, true}, {"nineteen", 19, true}, {"twenty-five", 25, true},
		{"ninety", 90, true}, {"a hundred", 100, true}, {"three hundred and six", 306, true},
		{"two thousand and one", 2001, true}, {"twenty-ten", 0, false}, {"many", 0, false},
	} {
		if n, ok := number(tc.in); n != tc.want || ok != tc.ok {
			t.Errorf("number(%q) = %d, %v; want %d, %v", tc.in, n, ok, tc.want, tc.ok)
		}
	}
	for _, tc := range []struct {
		in   string
		want int
		ok   bool
	}{
		{"nineteen ninety-one", 1991, true}, {"nineteen oh five", 1905, true}, {"nineteen hundred", 1900, true},
		{"eighteen twelve", 1812, true}, {"two thousand", 2000, true}, {"two thousand and ten", 2010, true},
		{"nineteen five", 0, false}, {"three thousand", 0, false},
	} {
		if y, ok := spelledYear(tc.in); y != tc.want || ok != tc.ok {
			t.Errorf("spelledYear(%q) = %d, %v; want %d, %v", tc.in, y, ok, tc.want, tc.ok)
		}
	}
}
