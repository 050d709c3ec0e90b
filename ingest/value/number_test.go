package value

import (
	"errors"
	"strings"
	"testing"
)

func TestParseDecimal(t *testing.T) {
	for in, want := range map[string]float64{"10": 10, "-12.5": -12.5, "+3": 3, "3.0": 3, ".5": 0.5, "5.": 5,
		"1e3": 1000, "1.2E-4": 1.2e-4, "1e308": 1e308, "-0": 0, "34.9885": 34.9885} {
		if got, err := ParseDecimal(in); err != nil || got != want {
			t.Errorf("ParseDecimal(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"1_0", "1_000.5", "0x1p4", "0x10", "Inf", "+Inf", "infinity", "NaN", "nan",
		"1e309", "-1e309", "", ".", "-", "1e", "1e+", "e5", "1.2.3", " 1", "1 ", "١٢", "1,5", "0b101", "0o7"} {
		if got, err := ParseDecimal(in); !errors.Is(err, ErrBadNumber) {
			t.Errorf("ParseDecimal(%q) = %v, %v; want ErrBadNumber", in, got, err)
		}
	}
}

// Issue 11 item 15: a casualty figure written as an exponent is quoted whole.
func TestCasualtyExponentQuotedWhole(t *testing.T) {
	for _, in := range []string{"1e308", "1e+5", "2E3"} {
		_, err := ParseCasualty(in)
		if !errors.Is(err, ErrBadCasualty) || !strings.Contains(err.Error(), "unreadable number \""+strings.ToLower(in)+"\"") {
			t.Errorf("ParseCasualty(%q): %v, want unreadable number quoting it whole", in, err)
		}
	}
}
