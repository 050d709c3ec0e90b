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

// TestUpdateTable: a table loaded from the sample, updated with the next
// release: 1 inserted, 3 updated, 8 unchanged, 1 deleted, and the rows are
// the release's; with --no-deletes nothing is deleted; the inputs' sha256
// is in the table's comment.
func TestUpdateTable(t *testing.T) {
	url, c := pgDB(t)
	for _, noDel := range []bool{false, true} {
		tbl := url + "?table=acled_del"
		if noDel {
			tbl = url + "?table=acled_keep"
		}
		if _, _, err := runCmd(t, t.Context(), "normalize", "-o", tbl, acledSample); err != nil {
			t.Fatal(err)
		}
		args := []string{"update", tbl, acledNext}
		if noDel {
			args = []string{"update", "--no-deletes", tbl, acledNext}
		}
		stdout, _, err := runCmd(t, t.Context(), args...)
		if err != nil {
			t.Fatal(err)
		}
		t.Log(stdout)
		name, rows, deleted := "acled_del", int64(12), "1 deleted"
		if noDel {
			name, rows, deleted = "acled_keep", 13, ""
		}
		if !strings.Contains(stdout, "1 inserted, 3 updated, 8 unchanged") || !strings.Contains(stdout, deleted) ||
			(noDel && strings.Contains(stdout, "deleted")) {
			t.Errorf("--no-deletes=%v: %s", noDel, stdout)
		}
		if n := pgCount(t, c, "SELECT count(*) FROM "+name); n != rows {
			t.Errorf("%s: %d rows, want %d", name, n, rows)
		}
		if n := pgCount(t, c, "SELECT fatalities_best FROM "+name+" WHERE incident_id = 'acled:BFO9876'"); n != 156 {
			t.Errorf("%s: BFO9876 fatalities_best %d, want 156", name, n)
		}
		var comment string
		if err := c.QueryRow(t.Context(), "SELECT obj_description('"+name+"'::regclass)").Scan(&comment); err != nil ||
			!strings.Contains(comment, "f63da69751a538a5176349114cb4617f2c7e8a46801dc5d9441609a211168ae6") {
			t.Errorf("%s: comment %q (%v)", name, comment, err)
		}
	}
	if _, _, err := runCmd(t, t.Context(), "update", "--by", "year", url+"?table=acled_del", acledNext); err == nil || !strings.Contains(err.Error(), "--by") {
		t.Errorf("--by on a table: err = %v", err)
	}
}
