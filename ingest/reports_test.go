package ingest

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"

	"github.com/incidentkit/incidents/ingest/synth"
	"github.com/incidentkit/incidents/internal/spill"
)

// genReports writes n synthetic reports rows (incidents gen --layout
// reports) to a file, then 60 reports of 30 incidents that no report dates,
// rejected whole when reconciled.
func genReports(t *testing.T, n int64, messy float64) string {
	t.Helper()
	var buf bytes.Buffer
	if _, err := synth.Generate(&buf, "reports", n, 11, synth.Options{Messy: messy}); err != nil {
		t.Fatal(err)
	}
	hdr, err := synth.Header("reports")
	if err != nil {
		t.Fatal(err)
	}
	for i := range 60 {
		row := make([]string, len(hdr))
		for j, c := range hdr {
			switch c {
			case "incident":
				row[j] = fmt.Sprintf("undated-%d", i%30)
			case "source":
				row[j] = fmt.Sprintf("source %d", i)
			case "country":
				row[j] = "Mali"
			}
		}
		buf.WriteString(strings.Join(row, ",") + "\n")
	}
	p := filepath.Join(t.TempDir(), "reports.csv")
	if err := os.WriteFile(p, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestReportsSpillSameOutput: reports reconciled through the spill (a
// budget of a few bytes, so that nearly every report is a run of its own)
// give the same rows, summary and rejects, byte for byte, as reports held in
// memory: on the sample, the broken fixture, 20000 generated reports, and
// several inputs sharing incident keys.
func TestReportsSpillSameOutput(t *testing.T) {
	gen := genReports(t, 20000, 0.02)
	cases := []struct {
		name   string
		inputs []string
		budget int
	}{
		{"sample", []string{"../testdata/sample/reports.csv"}, 1},
		{"broken", []string{"testdata/broken_reports.csv"}, 1},
		{"gen", []string{gen}, 16 << 10},
		{"gen+sample+gen", []string{gen, "../testdata/sample/reports.csv", gen}, 64 << 10},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rows, sum, rej, err := runNormalize(t, c.inputs, Options{BatchSize: 300})
			if err != nil {
				t.Fatal(err)
			}
			files := 0
			create := func(pattern string) (spill.File, error) {
				files++
				return spill.Create(pattern)
			}
			srows, ssum, srej, err := runNormalize(t, c.inputs, Options{BatchSize: 300, reportBudget: c.budget, createTemp: create})
			if err != nil {
				t.Fatal(err)
			}
			if files == 0 {
				t.Fatalf("budget %d: nothing spilled", c.budget)
			}
			if sum.Merged+sum.Rejected == 0 || (c.name != "broken" && sum.Merged == 0) || (c.name != "sample" && sum.Rejected == 0) {
				t.Fatalf("merged %d, rejected %d: the input should have merges and rejects", sum.Merged, sum.Rejected)
			}
			if c.name != "sample" && !strings.Contains(rej, " reports): ") {
				t.Fatalf("no incident rejected whole when reconciled:\n%s", rej)
			}
			var a, b bytes.Buffer
			sum.WriteText(&a)
			ssum.WriteText(&b)
			if a.String() != b.String() {
				t.Errorf("summaries differ:\n%s", firstDiff(a.String(), b.String()))
			}
			if rej != srej {
				t.Errorf("rejects differ:\n%s", firstDiff(rej, srej))
			}
			if w, g := rowsJSONL(t, rows), rowsJSONL(t, srows); w != g {
				t.Errorf("rows differ:\n%s", firstDiff(w, g))
			}
		})
	}
}

// fullFile fails every write past its first room bytes with ENOSPC, as a
// full $TMPDIR does.
type fullFile struct {
	spill.File
	room int
}

func (f *fullFile) WriteAt(p []byte, off int64) (int, error) {
	if len(p) > f.room {
		n, _ := f.File.WriteAt(p[:f.room], off)
		f.room = 0
		return n, syscall.ENOSPC
	}
	f.room -= len(p)
	return f.File.WriteAt(p, off)
}

// fillingTemp makes temporary files that fill up after room bytes.
func fillingTemp(room int) spill.CreateFunc {
	return func(pattern string) (spill.File, error) {
		f, err := spill.Create(pattern)
		if err != nil {
			return nil, err
		}
		return &fullFile{File: f, room: room}, nil
	}
}

// TestSpillFullDisk: a temporary folder that fills up while the duplicate-id
// index or the reports spill (ENOSPC, injected) does not stop the run: what
// is left stays in memory, the rows, rejects and accounting are those of a
// run that never spilled, and a warning says so.
func TestSpillFullDisk(t *testing.T) {
	var acled bytes.Buffer
	if _, err := synth.Generate(&acled, "acled", 3000, 5, synth.Options{}); err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitAfter(acled.String(), "\n")
	dups := filepath.Join(t.TempDir(), "dups.csv")
	if err := os.WriteFile(dups, []byte(acled.String()+lines[3]+lines[2500]), 0o644); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, input, warning string
		opts                 Options
		room                 int // bytes the temporary folder takes: a few runs
	}{
		{"ids", dups, "duplicate-id index: the temporary folder could not take the ids (no space left on device): kept in memory",
			Options{idBudget: 200, BatchSize: 100}, 3*200*16 + 100},
		{"reports", genReports(t, 20000, 0.02), "reports: the temporary folder could not take the reports (no space left on device): kept in memory",
			Options{reportBudget: 64 << 10, BatchSize: 300}, 300 << 10},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rows, sum, rej, err := runNormalize(t, []string{c.input}, Options{BatchSize: c.opts.BatchSize})
			if err != nil {
				t.Fatal(err)
			}
			o := c.opts
			o.createTemp = fillingTemp(c.room)
			frows, fsum, frej, err := runNormalize(t, []string{c.input}, o)
			if err != nil {
				t.Fatalf("full $TMPDIR: %v", err)
			}
			if !slices.Contains(fsum.Warnings, c.warning) {
				t.Errorf("warnings %q lack %q", fsum.Warnings, c.warning)
			}
			if rej != frej || rowsJSONL(t, rows) != rowsJSONL(t, frows) {
				t.Errorf("rows or rejects differ after the fallback:\n%s", firstDiff(rej, frej))
			}
			if sum.Rejected == 0 || fsum.RowsRead != sum.RowsRead || fsum.Incidents != sum.Incidents || fsum.Merged != sum.Merged || fsum.Rejected != sum.Rejected {
				t.Errorf("accounting %+v, want %+v (with rejects)", fsum, sum)
			}
		})
	}
}
