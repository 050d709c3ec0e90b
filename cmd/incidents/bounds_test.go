package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/incidentkit/incidents/export"
)

// TestSizeFlagsBounded: every size flag out of its range is refused before
// any work, with a message naming the flag (plot --width 100000 --height
// 100000 used to run out of memory with a 209-line trace; the others were
// accepted silently).
func TestSizeFlagsBounded(t *testing.T) {
	dir := t.TempDir()
	pq := filepath.Join(dir, "in.parquet")
	if _, stderr, err := runCmd(t, context.Background(), "normalize", "-o", pq, acledSample); err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	out := func(name string) string { return filepath.Join(dir, name) }
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"plot", "--width", "100000", "--height", "100000", "-o", out("p.png"), pq}, "--width 100000 is out of range (50 to 10000)"},
		{[]string{"plot", "--height", "0", "-o", out("p.png"), pq}, "--height 0 is out of range"},
		{[]string{"plot", "--kind", "bar", "--top", "0", "-o", out("p.svg"), pq}, "--top 0 is out of range"},
		{[]string{"report", "--top", "-1", "-o", out("r.html"), pq}, "--top -1 is out of range"},
		{[]string{"report", "--deadliest", "1000000", "-o", out("r.html"), pq}, "--deadliest 1000000 is out of range"},
		{[]string{"report", "--bootstrap", "100000000", "-o", out("r.html"), pq}, "--bootstrap 100000000 is out of range"},
		{[]string{"stats", "--top", "-1", pq}, "--top -1 is out of range"},
		{[]string{"stats", "--tail", "--bootstrap", "-5", pq}, "--bootstrap -5 is out of range"},
		{[]string{"inspect", "--rows", "100000000", pq}, "--rows 100000000 is out of range (0 to 100000)"},
		{[]string{"inspect", "--rows", "-1", pq}, "--rows -1 is out of range"},
		{[]string{"normalize", "--max-rejects", "-1", "-o", out("n.parquet"), acledSample}, "--max-rejects -1: must be 0 or more"},
		{[]string{"normalize", "--batch-size", "-1", "-o", out("n.parquet"), acledSample}, "--batch-size -1 is out of range (1 to 1048576)"},
		{[]string{"normalize", "--batch-size", "0", "-o", out("n.parquet"), acledSample}, "--batch-size 0 is out of range"},
		{[]string{"normalize", "--workers", "-1", "-o", out("n.parquet"), acledSample}, "--workers -1 is out of range"},
		{[]string{"export", "--row-group-rows", "-5", "-o", out("e.parquet"), pq}, "--row-group-rows -5 is out of range"},
		{[]string{"export", "--compression-level", "99", "-o", out("e.parquet"), pq}, "compression level 99 is out of range (zstd: 1 to 22)"},
		{[]string{"export", "--compression", "gzip", "--compression-level", "10", "-o", out("e.parquet"), pq}, "compression level 10 is out of range (gzip: 1 to 9)"},
		{[]string{"export", "--compression", "snappy", "--compression-level", "3", "-o", out("e.parquet"), pq}, "snappy of parquet takes no level"},
		{[]string{"export", "--compression-level", "3", "-o", out("e.arrow"), pq}, "takes no level"},
		{[]string{"export", "--max-open-partitions", "0", "-o", out("e.parquet"), pq}, "--max-open-partitions 0 is out of range"},
		{[]string{"export", "--max-partitions", "0", "--partition-by", "year", "-o", out("ds"), pq}, "--max-partitions 0 is out of range"},
		{[]string{"export", "--max-rejects", "-1", "-o", out("e.parquet"), pq}, "--max-rejects -1: must be 0 or more"},
		{[]string{"export", "--columns", "incident_id,incident_id", "-o", out("e.parquet"), pq}, "--columns names incident_id twice"},
		{[]string{"gen", "-n", "-1", "-o", out("g.csv")}, "--rows -1: must be 0 or more"},
		{[]string{"gen", "--workers", "-1", "-o", out("g.csv")}, "--workers -1 is out of range"},
	} {
		_, _, err := runCmd(t, context.Background(), c.args...)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: err = %v, want %q", strings.Join(c.args, " "), err, c.want)
		}
	}
	if names := listDir(t, dir); len(names) != 1 {
		t.Errorf("refused runs left %v", names)
	}

	// inspect --rows at the limit on a good file shows every row (it said
	// "corrupt file" when asked for more rows than the file has).
	stdout, stderr, err := runCmd(t, context.Background(), "inspect", "--rows", "100000", pq)
	if err != nil || !strings.Contains(stdout, "first 12 rows") {
		t.Errorf("inspect --rows 100000: %v\n%s%s", err, stdout, stderr)
	}
	info, err := export.Inspect(context.Background(), pq, 100000000)
	if err != nil || len(info.FirstRows) != 12 {
		t.Errorf("export.Inspect(firstRows 1e8): %v", err)
	}
	os.Remove(pq)
}
