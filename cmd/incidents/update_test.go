package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestUpdateCommand: the sample exported as a dataset partitioned by year
// and country, updated with the hand-made next release: the summary is
// diff's, 4 partitions are rewritten and Kenya's removed, and the dataset
// then diffs clean against the release; a second update finds nothing to
// rewrite.
func TestUpdateCommand(t *testing.T) {
	dir := t.TempDir()
	ds := filepath.Join(dir, "events")
	pq := filepath.Join(dir, "sample.parquet")
	if _, _, err := runCmd(t, context.Background(), "normalize", "-o", pq, acledSample); err != nil {
		t.Fatal(err)
	}
	if _, _, err := runCmd(t, context.Background(), "export", "--partition-by", "year,country_iso3", "-o", ds, pq); err != nil {
		t.Fatal(err)
	}
	stdout, _, err := runCmd(t, context.Background(), "update", ds, acledNext)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"5 incidents changed: 1 added, 1 deleted, 3 revised; 8 unchanged\n",
		ds + ": 12 -> 12 rows; partitions: 4 rewritten, 0 created, 1 removed, 7 unchanged (hard-linked); swapped in by renameat2(RENAME_EXCHANGE)",
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("summary lacks %q:\n%s", want, stdout)
		}
	}
	if _, err := os.Stat(filepath.Join(ds, "year=2023", "country_iso3=KEN")); !os.IsNotExist(err) {
		t.Errorf("Kenya's partition is still there (%v)", err)
	}
	stdout, _, err = runCmd(t, context.Background(), "diff", ds, acledNext)
	if err != nil || !strings.HasPrefix(stdout, "no changes: 12 incidents") {
		t.Errorf("diff after update (%v):\n%s", err, stdout)
	}
	stdout, _, err = runCmd(t, context.Background(), "update", ds, acledNext)
	if err != nil || !strings.Contains(stdout, "nothing to rewrite") {
		t.Errorf("second update (%v):\n%s", err, stdout)
	}
	b, err := os.ReadFile(filepath.Join(ds, "_incidents_updates.json"))
	if err != nil || strings.Count(string(b), `"sha256"`) != 2 {
		t.Errorf("manifest (%v):\n%s", err, b)
	}
}
