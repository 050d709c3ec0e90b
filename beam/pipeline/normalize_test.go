package pipeline

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/apache/arrow/go/v17/arrow"

	"github.com/incidentkit/incidents/export"
	"github.com/incidentkit/incidents/ingest"
	"github.com/incidentkit/incidents/ingest/synth"
	"github.com/incidentkit/incidents/schema"
)

// testRunner is the runner of the tests: the embedded Prism, or the job
// server at $INCIDENTS_BEAM_ENDPOINT (make flink-test starts Flink's there),
// with loopback workers.
var testRunner = func() Runner {
	if ep := os.Getenv("INCIDENTS_BEAM_ENDPOINT"); ep != "" {
		return Runner{Name: "universal", Endpoint: ep}
	}
	return Runner{}
}()

// genInputs writes generated ACLED files: a.csv of n rows and b.csv
// repeating a's first rows (duplicate ids across files), both messy.
func genInputs(t *testing.T, dir string, n int64) []string {
	t.Helper()
	var a, b bytes.Buffer
	if _, err := synth.Generate(&a, "acled", n, 11, synth.Options{Messy: 0.02}); err != nil {
		t.Fatal(err)
	}
	if _, err := synth.Generate(&b, "acled", n/5, 11, synth.Options{Messy: 0.02}); err != nil {
		t.Fatal(err)
	}
	pa, pb := filepath.Join(dir, "in", "a.csv"), filepath.Join(dir, "in", "b.csv")
	os.MkdirAll(filepath.Dir(pa), 0o777)
	if err := os.WriteFile(pa, a.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(pb, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return []string{pa, pb}
}

// localNormalize is incidents normalize: ingest.Normalize over the inputs
// in order, its rows and its rejects file.
func localNormalize(t *testing.T, inputs []string) ([]schema.Incident, []byte, *ingest.Summary) {
	t.Helper()
	var rows []schema.Incident
	var rej bytes.Buffer
	sum, err := ingest.Normalize(context.Background(), inputs, ingest.Options{Rejects: &rej}, func(rec arrow.Record) error {
		var err error
		rows, err = schema.AppendIncidents(rows, rec)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return rows, rej.Bytes(), sum
}

// readDataset reads a dataset folder back with export.Open (partition
// columns restored from the folder names).
func readDataset(t *testing.T, dir string) []schema.Incident {
	t.Helper()
	rr, err := export.Open(context.Background(), dir, export.ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer rr.Release()
	var rows []schema.Incident
	for rr.Next() {
		if rows, err = schema.AppendIncidents(rows, rr.Record()); err != nil {
			t.Fatal(err)
		}
	}
	if err := rr.Err(); err != nil {
		t.Fatal(err)
	}
	return rows
}

// rowText renders rows for comparison, one line each, sorted by id.
func rowText(t *testing.T, rows []schema.Incident) []string {
	rb := schema.NewRecordBuilder(nil)
	defer rb.Release()
	for i := range rows {
		rb.Append(&rows[i])
	}
	rec := rb.NewRecord()
	defer rec.Release()
	out := make([]string, rec.NumRows())
	for i := range out {
		var b strings.Builder
		for c := 0; c < int(rec.NumCols()); c++ {
			b.WriteString(rec.Column(c).ValueStr(i))
			b.WriteByte('|')
		}
		out[i] = b.String()
	}
	slices.Sort(out)
	return out
}

// genGDELT writes two generated GDELT 2.0 event files (tab-separated, no
// header), the second repeating rows of the first.
func genGDELT(t *testing.T, dir string, n int64) []string {
	t.Helper()
	var paths []string
	for i, rows := range []int64{n, n / 5} {
		var b bytes.Buffer
		if _, err := synth.Generate(&b, "gdelt", rows, 5, synth.Options{Messy: 0.02}); err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dir, "in", fmt.Sprintf("2024010%d000000.export.CSV", i+1))
		os.MkdirAll(filepath.Dir(p), 0o777)
		if err := os.WriteFile(p, b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	return paths
}

func TestNormalizeUnderPrism(t *testing.T) {
	t.Run("acled", func(t *testing.T) {
		dir := t.TempDir()
		testNormalize(t, dir, genInputs(t, dir, 20000), filepath.Join(dir, "in", "*.csv"))
	})
	t.Run("gdelt", func(t *testing.T) {
		dir := t.TempDir()
		testNormalize(t, dir, genGDELT(t, dir, 20000), filepath.Join(dir, "in", "*.export.CSV"))
	})
}

// testNormalize runs the pipeline on glob (matching inputs, in order) and
// compares its output with incidents normalize's.
func testNormalize(t *testing.T, dir string, inputs []string, glob string) {
	want, wantRej, wantSum := localNormalize(t, inputs)
	t.Logf("local: %d read, %d written, %d rejected %v, %d filtered", wantSum.RowsRead, wantSum.Incidents, wantSum.Rejected, wantSum.RejectReasons, wantSum.Filtered)
	if wantSum.RejectReasons["duplicate_id"] == 0 || wantSum.Rejected == wantSum.RejectReasons["duplicate_id"] {
		t.Fatalf("the inputs need duplicates and other rejects: %v", wantSum.RejectReasons)
	}
	out := filepath.Join(dir, "out")
	res, err := Normalize(context.Background(), NormalizeConfig{Inputs: []string{glob}, Output: out, Version: "test", Runner: testRunner})
	if err != nil {
		t.Fatal(err)
	}
	if res.RowsRead != wantSum.RowsRead || res.Written != wantSum.Incidents || res.Rejected != wantSum.Rejected || res.Filtered != wantSum.Filtered {
		t.Fatalf("accounting: beam read %d written %d rejected %d, local %d %d %d", res.RowsRead, res.Written, res.Rejected,
			wantSum.RowsRead, wantSum.Incidents, wantSum.Rejected)
	}
	for i, in := range wantSum.Inputs {
		if g := res.Inputs[i]; g.Path != in.Path || g.RowsRead != in.RowsRead || g.Rejected != in.Rejected || g.SHA256 != in.SHA256 || g.Filtered != in.Filtered {
			t.Errorf("input %d: beam %+v, local %+v", i, g, in)
		}
	}
	for k, n := range wantSum.RejectReasons {
		if res.RejectReasons[k] != n {
			t.Errorf("rejects %s: beam %d, local %d", k, res.RejectReasons[k], n)
		}
	}
	t.Logf("%d rows read, %d written, %d rejected, %d Parquet files", res.RowsRead, res.Written, res.Rejected, res.Files)
	if res.Files == 0 {
		t.Fatal("no Parquet file written")
	}
	got := readDataset(t, out)
	g, w := rowText(t, got), rowText(t, want)
	if len(g) != len(w) {
		t.Fatalf("%d rows, local %d", len(g), len(w))
	}
	for i := range g {
		if g[i] != w[i] {
			t.Fatalf("row differs:\nbeam  %s\nlocal %s", g[i], w[i])
		}
	}
	gotRej, err := os.ReadFile(out + ".rejects.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(gotRej, wantRej) {
		t.Fatalf("rejects differ from incidents normalize's (%d vs %d bytes)", len(gotRej), len(wantRej))
	}
	// Hive partitions, and nothing but the dataset
	ents, _ := os.ReadDir(out)
	for _, e := range ents {
		if !e.IsDir() || !strings.HasPrefix(e.Name(), "year=") {
			t.Errorf("unexpected %s in the output", e.Name())
		}
	}
	left, _ := filepath.Glob(filepath.Join(dir, ".out*"))
	if len(left) > 0 {
		t.Errorf("temporary output left: %v", left)
	}
	// the output rule: an existing folder is not replaced without Overwrite
	if _, err := Normalize(context.Background(), NormalizeConfig{Inputs: inputs, Output: out, Runner: testRunner}); err == nil {
		t.Fatal("an existing output was replaced without Overwrite")
	}
}
