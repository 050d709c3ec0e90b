package export

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/apache/arrow/go/v17/arrow/memory"

	"github.com/incidentkit/incidents/schema"
)

// A batch of a dictionary column that straddles two row groups (each with
// its own dictionary) made pqarrow fail with "not implemented"; Open reads
// row group by row group, so any batch size works.
func TestParquetBatchesAcrossRowGroups(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	path := filepath.Join(t.TempDir(), "x.parquet")
	in := goldenIncidents()
	recs := twoBuilderRecords(mem, in)
	half := len(in) / 2
	want := append(append([]schema.Incident{}, in[half:]...), in[:half]...) // the order twoBuilderRecords writes
	writeAll(t, path, WriteOptions{RowGroupRows: 3}, recs...)
	for _, r := range recs {
		r.Release()
	}
	for _, batch := range []int{1, 2, 5, 1 << 16} {
		rr, err := Open(context.Background(), path, ReadOptions{Columns: []string{"country_iso3", "event_type", "year"}, BatchSize: batch, Mem: mem})
		if err != nil {
			t.Fatal(err)
		}
		var got []schema.Incident
		for rr.Next() {
			if got, err = schema.AppendIncidents(got, rr.Record()); err != nil {
				t.Fatal(err)
			}
		}
		if err := rr.Err(); err != nil {
			t.Fatalf("batch %d: %v", batch, err)
		}
		rr.Release()
		if len(got) != len(want) {
			t.Fatalf("batch %d: %d rows, want %d", batch, len(got), len(want))
		}
		for i := range want {
			if got[i].CountryISO3 != want[i].CountryISO3 || got[i].EventType != want[i].EventType {
				t.Errorf("batch %d row %d: %s/%s, want %s/%s", batch, i, got[i].CountryISO3, got[i].EventType, want[i].CountryISO3, want[i].EventType)
			}
		}
	}
}
