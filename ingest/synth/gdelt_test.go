package synth

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"github.com/incidentkit/incidents/ingest/profile"
)

// TestGDELTHeaderAgrees: the generator's column order is the layout's
// (written twice, once from each codebook reading: swapping two columns in
// one fails here).
func TestGDELTHeaderAgrees(t *testing.T) {
	if !slices.Equal(gdeltHeader, profile.GDELTColumns2) {
		t.Errorf("synth's GDELT columns differ from the profile's:\n%q\n%q", gdeltHeader, profile.GDELTColumns2)
	}
}

// TestGDELTRows: no header row, 61 tab-separated fields on every row, FIPS
// codes (Ukraine is UP), the first row recognized by the layout.
func TestGDELTRows(t *testing.T) {
	var b bytes.Buffer
	if _, err := Generate(&b, "gdelt", 5000, 3, Options{}); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
	if len(lines) != 5000 {
		t.Fatalf("%d lines, want 5000 (no header)", len(lines))
	}
	p, _ := profile.Lookup("gdelt")
	h := p.(profile.HeaderlessLayout)
	sawUP := false
	for i, l := range lines {
		f := strings.Split(l, "\t")
		if len(f) != 61 {
			t.Fatalf("line %d: %d fields", i+1, len(f))
		}
		if i == 0 && h.HeaderlessColumns(f) == nil {
			t.Fatalf("the first row is not recognized as GDELT data: %q", l)
		}
		if f[53] == "UP" {
			sawUP = true
		}
		if f[53] == "UA" || f[53] == "UKR" {
			t.Fatalf("line %d: ISO code %q where GDELT writes FIPS", i+1, f[53])
		}
	}
	if !sawUP {
		t.Error("no event in Ukraine (FIPS UP) in 5000 rows")
	}
}
