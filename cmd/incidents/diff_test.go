package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apache/arrow/go/v17/arrow/array"

	"github.com/incidentkit/incidents/export"
)

const acledNext = "../../testdata/diff/acled_next.csv"

// TestDiffCommand: the sample's ACLED file against its hand-made next
// release (testdata/diff/SOURCES.md lists the edits): raw files normalized
// on the fly, the summary's count line, and the change file's rows, read
// back through export.Open.
func TestDiffCommand(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "changes.parquet")
	stdout, _, err := runCmd(t, context.Background(), "diff", "--by", "country_iso3,year", "-o", out, acledSample, acledNext)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"5 incidents changed: 1 added, 1 deleted, 3 revised; 8 unchanged\n",
		"events 12 -> 12 (0); fatalities_best 578 -> 592 (+14)",
		"  BFA           2023      0        0        1             147  156     +9",
		"  TJK           2019           1    2      +1              17   19      +2",
		"10 change rows in " + out,
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("summary lacks %q:\n%s", want, stdout)
		}
	}
	rr, err := export.Open(context.Background(), out, export.ReadOptions{AnySchema: true})
	if err != nil {
		t.Fatal(err)
	}
	defer rr.Release()
	var got []string
	for rr.Next() {
		rec := rr.Record()
		for i := 0; i < int(rec.NumRows()); i++ {
			var cells []string
			for c := 0; c < 5; c++ {
				a := rec.Column(c).(*array.String)
				if a.IsNull(i) {
					cells = append(cells, "null")
				} else {
					cells = append(cells, a.Value(i))
				}
			}
			got = append(got, strings.Join(cells, " | "))
		}
	}
	want := []string{
		"acled:BFO9876 | revised | fatalities_best | 147 | 156",
		"acled:BFO9876 | revised | fatalities_low | 147 | 156",
		"acled:BFO9876 | revised | fatalities_high | 147 | 156",
		"acled:KEN11532 | deleted | null | null | null",
		"acled:MMR45321 | revised | fatalities_best | 165 | 168",
		"acled:MMR45321 | revised | fatalities_low | 165 | 168",
		"acled:MMR45321 | revised | fatalities_high | 165 | 168",
		"acled:MMR45321 | revised | notes | In April 2023 (month of), military aircraft bombed a ceremony at Pazigyi village, killing around 165 people including children. | In April 2023 (month of), military aircraft bombed a ceremony at Pazigyi village, killing around 165 people including children. [Fatalities revised to 168 after further reports.]",
		"acled:TJK1301 | added | null | null | null",
		"acled:UKR134987 | revised | latitude | 46.84 | 46.8401",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("change file:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}

	// the output rule: no replacing without --overwrite
	if _, _, err := runCmd(t, context.Background(), "diff", "-o", out, acledSample, acledNext); err == nil || !strings.Contains(err.Error(), "--overwrite") {
		t.Errorf("second run: err = %v, want a refusal naming --overwrite", err)
	}

	// a file against itself: no changes, and an empty change file
	same := filepath.Join(dir, "same.csv")
	stdout, _, err = runCmd(t, context.Background(), "diff", "-o", same, acledSample, acledSample)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(stdout, "no changes: 12 incidents") {
		t.Errorf("diff A A:\n%s", stdout)
	}
	if b, err := os.ReadFile(same); err != nil || strings.Count(string(b), "\n") != 1 {
		t.Errorf("diff A A wrote %q (%v), want the header only", b, err)
	}
}
