package export

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/apache/arrow/go/v17/parquet/file"

	"github.com/incidentkit/incidents/schema"
)

// patchyIncidents repeats the golden incidents to n rows; injured counts
// are known only in the second half and detained counts never, so that
// some row groups hold all-null chunks of columns that others fill.
func patchyIncidents(n int) []schema.Incident {
	g := goldenIncidents()
	out := make([]schema.Incident, n)
	for i := range out {
		in := g[i%len(g)]
		in.IncidentID = fmt.Sprintf("%s-%d", in.IncidentID, i)
		in.Injured = schema.Estimate{}
		if i >= n/2 {
			in.Injured = schema.Estimate{Best: schema.Int32(int32(i % 7)), High: schema.Int32(int32(i % 11))}
		}
		in.Detained = schema.Estimate{}
		out[i] = in
	}
	return out
}

// The column streams give the rows of the file in order, whatever the
// number of streams, the batch size and the row groups, including the
// all-null chunks they do not decode.
func TestColumnStreamsReadEveryLayout(t *testing.T) {
	in := patchyIncidents(50)
	path := filepath.Join(t.TempDir(), "x.parquet")
	writeAll(t, path, WriteOptions{RowGroupRows: 8}, schema.NewRecord(memory.DefaultAllocator, in))

	procs := runtime.GOMAXPROCS(0)
	defer runtime.GOMAXPROCS(procs)
	for _, p := range []int{1, 2, 3, maxStreams + 1} {
		runtime.GOMAXPROCS(p)
		for _, batch := range []int{1, 3, 8, 13, 1 << 16} {
			for _, cols := range [][]string{nil, {"incident_id", "injured_best", "detained_low", "year"}, {"detained_best", "detained_high"}} {
				t.Run(fmt.Sprintf("procs%d/batch%d/cols%d", p, batch, len(cols)), func(t *testing.T) {
					mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
					defer mem.AssertSize(t, 0)
					got := readAll(t, path, ReadOptions{Columns: cols, BatchSize: batch, Mem: mem})
					if cols == nil {
						diffIncidents(t, got, in)
						return
					}
					if len(got) != len(in) {
						t.Fatalf("%d rows, want %d", len(got), len(in))
					}
					for i := range in {
						want := clearNulls(in[i])
						got[i] = clearNulls(got[i])
						if got[i].Injured.Best != want.Injured.Best && len(cols) > 2 {
							t.Errorf("row %d: injured_best %v, want %v", i, got[i].Injured.Best, want.Injured.Best)
						}
						if got[i].Detained.Best.Valid || got[i].Detained.Low.Valid || got[i].Detained.High.Valid {
							t.Errorf("row %d: detained %+v, want nulls", i, got[i].Detained)
						}
					}
				})
			}
		}
	}
}

// The chunk statistics tell an all-null chunk from one with values.
func TestChunkAllNull(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.parquet")
	writeAll(t, path, WriteOptions{RowGroupRows: 10}, schema.NewRecord(memory.DefaultAllocator, patchyIncidents(20)))
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	pf, err := file.NewParquetReader(f)
	if err != nil {
		t.Fatal(err)
	}
	defer pf.Close()
	md := pf.MetaData()
	leaf := func(name string) int { return md.Schema.ColumnIndexByName(name) }
	for _, c := range []struct {
		col  string
		rg   int
		want bool
	}{
		{"detained_best", 0, true}, {"detained_best", 1, true},
		{"injured_best", 0, true}, {"injured_best", 1, false}, {"injured_low", 1, true},
		{"fatalities_best", 0, false}, {"incident_id", 0, false},
	} {
		if got := chunkAllNull(md.RowGroup(c.rg), leaf(c.col)); got != c.want {
			t.Errorf("%s in row group %d: all null %v, want %v", c.col, c.rg, got, c.want)
		}
	}
}

// Releasing a reader half way stops its goroutines and frees the batches
// they decoded ahead.
func TestColumnStreamsEarlyRelease(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.parquet")
	writeAll(t, path, WriteOptions{RowGroupRows: 8}, schema.NewRecord(memory.DefaultAllocator, patchyIncidents(50)))
	for stop := 0; stop < 4; stop++ {
		mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
		rr, err := Open(context.Background(), path, ReadOptions{BatchSize: 3, Mem: mem})
		if err != nil {
			t.Fatal(err)
		}
		for i := 0; i < stop && rr.Next(); i++ {
		}
		rr.Release()
		mem.AssertSize(t, 0)
	}
}

// A cancelled context ends the read with its error.
func TestColumnStreamsCancel(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.parquet")
	writeAll(t, path, WriteOptions{RowGroupRows: 8}, schema.NewRecord(memory.DefaultAllocator, patchyIncidents(50)))
	ctx, cancel := context.WithCancel(context.Background())
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	rr, err := Open(ctx, path, ReadOptions{BatchSize: 3, Mem: mem})
	if err != nil {
		t.Fatal(err)
	}
	defer rr.Release()
	if !rr.Next() {
		t.Fatal(rr.Err())
	}
	cancel()
	for rr.Next() {
	}
	if rr.Err() == nil {
		t.Error("no error after cancel")
	}
}

// BenchmarkReadParquetStatsColumns: the columns stats --by
// country_iso3,year reads (stats.Columns), as the command reads them.
func BenchmarkReadParquetStatsColumns(b *testing.B) {
	recs, size := benchRecords(b)
	path := filepath.Join(b.TempDir(), "x.parquet")
	writeAll(b, path, WriteOptions{}, recs...)
	cols := []string{"incident_id", "year", "country_iso3", "fatalities_best", "fatalities_low", "fatalities_high",
		"fatalities_actor1", "fatalities_actor2", "fatalities_civilians", "fatalities_unknown",
		"injured_best", "injured_low", "injured_high", "detained_best", "detained_low", "detained_high"}
	b.SetBytes(size)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		rr, err := Open(context.Background(), path, ReadOptions{Columns: cols})
		if err != nil {
			b.Fatal(err)
		}
		n := int64(0)
		for rr.Next() {
			n += rr.Record().NumRows()
		}
		if err := rr.Err(); err != nil {
			b.Fatal(err)
		}
		rr.Release()
		if n != benchRows {
			b.Fatalf("read %d rows", n)
		}
	}
	b.ReportMetric(float64(benchRows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}
