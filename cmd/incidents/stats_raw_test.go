package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/apache/arrow/go/v17/arrow"

	"github.com/incidentkit/incidents/ingest"
	"github.com/incidentkit/incidents/stats"
)

// TestProjectedStatsRejects: stats on a raw ACLED file converts and checks
// only the fields behind the columns its statistics read (the projection of
// ingest.Options.Columns). On messy input (bad dates, unknown countries,
// figures that are words: the columns stats reads) it rejects exactly the
// rows normalize rejects, and its table is byte for byte the table of stats
// on normalize's Parquet. Rows whose only fault is in a column stats does
// not read (an out-of-range latitude, a longitude in words, an unknown
// geo_precision) are rejected by normalize but counted by stats: the input
// B below is A with such faults planted, and stats on B must equal stats on
// normalize(A), while normalize(B) rejects more than normalize(A).
func TestProjectedStatsRejects(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	gen := filepath.Join(dir, "gen.csv")
	if _, stderr, err := runCmd(t, ctx, "gen", "--layout", "acled", "-n", "20000", "--seed", "3", "--messy", "0.05", "-o", gen); err != nil {
		t.Fatalf("gen: %v\n%s", err, stderr)
	}
	raw, err := os.ReadFile(gen)
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(raw, []byte("\ufeff")))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := func(name string) int {
		i := slices.Index(recs[0], name)
		if i < 0 {
			t.Fatalf("no column %s in the generated header", name)
		}
		return i
	}
	lat, lon, geo := col("latitude"), col("longitude"), col("geo_precision")
	write := func(name string, rows [][]string) string {
		var b bytes.Buffer
		w := csv.NewWriter(&b)
		if err := w.WriteAll(rows); err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	a := write("a.csv", recs)
	planted := 0
	for i, r := range recs[1:] {
		switch i % 40 {
		case 7:
			r[lat] = "95.5"
		case 21:
			r[lon] = "east of the river"
		case 33:
			r[geo] = "9"
		default:
			continue
		}
		planted++
	}
	b := write("b.csv", recs)

	// rejects of a run over one file, by line, with the projection cols
	rejects := func(path string, cols []string) map[int64]string {
		t.Helper()
		var rj bytes.Buffer
		sum, err := ingest.Normalize(ctx, []string{path}, ingest.Options{Columns: cols, Rejects: &rj, NoChecksum: true},
			func(arrow.Record) error { return nil })
		if err != nil {
			t.Fatalf("normalize %s: %v", path, err)
		}
		out := map[int64]string{}
		dec := json.NewDecoder(&rj)
		for dec.More() {
			var r struct {
				Line   int64  `json:"line"`
				Reason string `json:"reason"`
			}
			if err := dec.Decode(&r); err != nil {
				t.Fatal(err)
			}
			out[r.Line] = r.Reason
		}
		if int64(len(out)) != sum.Rejected || sum.RowsRead != sum.Incidents+sum.Rejected {
			t.Fatalf("%s: %d reject lines, summary %+v", path, len(out), sum)
		}
		return out
	}
	opts := stats.Options{By: []string{"country_iso3", "year"}}
	fullA, fullB := rejects(a, nil), rejects(b, nil)
	projB := rejects(b, stats.Columns(opts))
	if len(fullA) < 500 {
		t.Fatalf("the messy input gives only %d rejects: the test needs the faults stats reads", len(fullA))
	}
	if len(fullB) < len(fullA)+planted*9/10 {
		t.Fatalf("normalize rejects %d rows of B, %d of A: the %d planted faults should reject rows", len(fullB), len(fullA), planted)
	}
	if len(projB) != len(fullA) {
		t.Errorf("stats' projection rejects %d rows of B, normalize %d of A (the same rows but for faults stats does not read)", len(projB), len(fullA))
	}
	for line, reason := range fullA {
		if projB[line] != reason {
			t.Errorf("line %d: normalize of A rejects it (%s), stats of B says %q", line, reason, projB[line])
		}
	}

	pq := filepath.Join(dir, "a.parquet")
	if _, stderr, err := runCmd(t, ctx, "normalize", "--max-rejects", "100000", "-o", pq, a); err != nil {
		t.Fatalf("normalize: %v\n%s", err, stderr)
	}
	table := func(in string) []byte {
		out := filepath.Join(dir, filepath.Base(in)+".stats.csv")
		if _, stderr, err := runCmd(t, ctx, "stats", "--by", "country_iso3,year", "--stats", "all", "--format", "csv", "-o", out, in); err != nil {
			t.Fatalf("stats %s: %v\n%s", in, err, stderr)
		}
		got, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	if fromParquet, fromRaw := table(pq), table(b); !bytes.Equal(fromParquet, fromRaw) {
		t.Errorf("stats on the raw B differs from stats on normalize(A):\n%.2000s\nvs\n%.2000s", fromRaw, fromParquet)
	}
}
