package value

import (
	"errors"
	"testing"
)

func TestMissingValues(t *testing.T) {
	// the documented list, one token per program that writes it
	for _, tok := range []string{"NA", "N/A", "#N/A", "NaN", "nan", "<NA>", "NULL", "null", `\N`, "."} {
		if !(*MissingValues)(nil).Is(tok) {
			t.Errorf("default list misses %q", tok)
		}
		if NoMissing.Is(tok) {
			t.Errorf("NoMissing has %q", tok)
		}
	}
	if len(DefaultMissing) != 10 {
		t.Errorf("DefaultMissing has %d tokens; update the test and README with the list", len(DefaultMissing))
	}
	// not tokens: figures, words and case variants that mean something
	for _, s := range []string{"", "None", "none", "na", "n/a", "Na", "NAN", "0", "-", "..", "NA NA", "Namibia", "N"} {
		if (*MissingValues)(nil).Is(s) {
			t.Errorf("default list takes %q", s)
		}
	}
	m, err := ParseMissingValues(" -99 , NA,")
	if err == nil {
		t.Errorf("ParseMissingValues with a trailing comma: %v, want an error", m)
	}
	m, err = ParseMissingValues("-99, NA")
	if err != nil || !m.Is("-99") || !m.Is("NA") || m.Is("NaN") || m.String() != "-99,NA" {
		t.Errorf("ParseMissingValues(-99, NA) = %v, %v", m, err)
	}
	if m, err := ParseMissingValues(""); err != nil || m != NoMissing || m.Is("NA") {
		t.Errorf(`ParseMissingValues("") = %v, %v; want NoMissing`, m, err)
	}
}

// The software tokens are not casualty phrases: "NaN" in a figure column is
// null only through the missing-value list, else a reject (issue 11 item 8).
func TestCasualtyNotATokenReader(t *testing.T) {
	for _, s := range []string{"NaN", "nan", "NULL", "null", "NA", "na", "#N/A", "<NA>"} {
		if e, err := ParseCasualty(s); !errors.Is(err, ErrBadCasualty) {
			t.Errorf("ParseCasualty(%q) = %+v, %v; want ErrBadCasualty", s, e, err)
		}
	}
}
