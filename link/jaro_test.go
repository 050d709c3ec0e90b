package link

import (
	"math"
	"testing"
)

// The values of Winkler's examples, as tabulated in the Jaro-Winkler
// literature (Winkler 1990; Wikipedia's "Jaro-Winkler distance").
func TestJaroWinkler(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want float64
	}{
		{"martha", "marhta", 0.961},
		{"dwayne", "duane", 0.840},
		{"dixon", "dicksonx", 0.813},
		{"abc", "abc", 1},
		{"abc", "xyz", 0},
	} {
		if got := jaroWinkler(c.a, c.b); math.Abs(got-c.want) > 0.0005 {
			t.Errorf("jaroWinkler(%q, %q) = %.4f, want %.3f", c.a, c.b, got, c.want)
		}
	}
}

func TestSameWord(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want bool
	}{
		{"saliheen", "salikhin", true},
		{"riyad", "riyadus", true},
		{"shabab", "shabaab", true},
		{"islamic", "islamic", true},
		{"is", "isil", false}, // short words only equal
		{"syria", "serbia", false},
		{"taliban", "tajik", false},
		{"#state", "#statex", false},
	} {
		if got := sameWord(c.a, c.b); got != c.want {
			t.Errorf("sameWord(%q, %q) = %v, want %v (jw %.3f)", c.a, c.b, got, c.want, jaroWinkler(c.a, c.b))
		}
	}
}
