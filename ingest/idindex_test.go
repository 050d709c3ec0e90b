package ingest

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/incidentkit/incidents/ingest/synth"
)

// TestDuplicatesAcrossSpills: duplicate ids far apart are rejected with the
// line they were first seen on whether the index holds them in memory or in
// spilled runs.
func TestDuplicatesAcrossSpills(t *testing.T) {
	var buf bytes.Buffer
	if _, err := synth.Generate(&buf, "acled", 2000, 3, synth.Options{}); err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitAfter(buf.String(), "\n")
	lines = lines[:len(lines)-1]
	// repeat rows 5, 700 and 1500 at the end: same ids, far from the first
	data := strings.Join(lines, "") + lines[5] + lines[700] + lines[1500] + lines[5]
	p := filepath.Join(t.TempDir(), "dups.csv")
	if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	_, sum, rejDefault, err := runNormalize(t, []string{p}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Rejected != 4 || sum.RejectReasons["duplicate_id"] != 4 {
		t.Fatalf("rejected %d %v, want 4 duplicate ids", sum.Rejected, sum.RejectReasons)
	}
	for _, want := range []string{"first kept: line 6)", "first kept: line 701)", "first kept: line 1501)"} {
		if !strings.Contains(rejDefault, want) {
			t.Errorf("rejects lack %q:\n%s", want, rejDefault)
		}
	}
	_, sum2, rejSpilled, err := runNormalize(t, []string{p}, Options{idBudget: 64, BatchSize: 100})
	if err != nil {
		t.Fatal(err)
	}
	if sum2.Rejected != 4 || rejSpilled != rejDefault {
		t.Errorf("spilled index: %d rejected, rejects differ:\n%s", sum2.Rejected, firstDiff(rejDefault, rejSpilled))
	}
}
