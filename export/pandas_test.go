package export

import (
	"encoding/json"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"

	"github.com/incidentkit/incidents/schema"
)

// A file written for pandas stores dates as midnight timestamps and reads
// back as the same incidents (dates as dates), in a single file and in a
// partitioned dataset, with the pandas metadata naming nullable ints Int32.
func TestPandasCompatRoundTrip(t *testing.T) {
	golden := goldenIncidents()
	for _, by := range [][]string{nil, {"year"}} {
		mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
		path := filepath.Join(t.TempDir(), "p.parquet")
		recs := twoBuilderRecords(mem, golden)
		writeAll(t, path, WriteOptions{Mem: mem, PandasCompat: true, PartitionBy: by}, recs...)
		for _, r := range recs {
			r.Release()
		}
		got := readAll(t, path, ReadOptions{Mem: mem})
		if by == nil {
			diffIncidents(t, got, reordered(golden))
		} else if len(got) != len(golden) {
			t.Errorf("dataset: %d rows, want %d", len(got), len(golden))
		}
		mem.AssertSize(t, 0)
	}

	path := writeGolden(t, WriteOptions{PandasCompat: true})
	info, err := Inspect(t.Context(), path, 0)
	if err != nil {
		t.Fatal(err)
	}
	if f := info.Schema.Field(info.Schema.FieldIndices("date_start")[0]); f.Type.ID() != arrow.TIMESTAMP {
		t.Errorf("date_start stored as %s, want timestamp[ms]", f.Type)
	}
	var md struct {
		Columns []pandasColumn `json:"columns"`
	}
	if err := json.Unmarshal([]byte(info.Metadata[pandasKey]), &md); err != nil {
		t.Fatalf("pandas metadata %q: %v", info.Metadata[pandasKey], err)
	}
	want := map[string]string{"date_start": "datetime64[ms]", "fatalities_best": "Int32", "year": "int16",
		"time_utc": "datetime64[ms, UTC]", "country_iso3": "int32", "incident_id": "object"}
	seen := 0
	for _, c := range md.Columns {
		if w, ok := want[c.Name]; ok {
			seen++
			if c.NumpyType != w {
				t.Errorf("%s: numpy_type %q, want %q", c.Name, c.NumpyType, w)
			}
		}
	}
	if seen != len(want) || len(md.Columns) != len(schema.Columns) {
		t.Errorf("pandas metadata lists %d columns", len(md.Columns))
	}
	if _, err := Create(t.Context(), filepath.Join(t.TempDir(), "x.csv"), WriteOptions{PandasCompat: true}); err == nil {
		t.Error("pandas compatibility for CSV: no error")
	}
}

// A timestamp with a time of day in a date column is no date: an error.
func TestDateFromTimestampRefusesTimes(t *testing.T) {
	b := array.NewTimestampBuilder(memory.DefaultAllocator, &arrow.TimestampType{Unit: arrow.Millisecond})
	b.Append(arrow.Timestamp(3 * msPerDay))
	b.AppendNull()
	b.Append(arrow.Timestamp(3*msPerDay + 1))
	a := b.NewArray()
	defer a.Release()
	_, err := dateFromTimestamp(memory.DefaultAllocator, "date_start", a)
	if !errors.Is(err, ErrSchemaMismatch) || !strings.Contains(err.Error(), "date_start") {
		t.Errorf("err %v", err)
	}
	ok := array.NewSlice(a, 0, 2)
	defer ok.Release()
	d, err := dateFromTimestamp(memory.DefaultAllocator, "date_start", ok)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Release()
	if dd := d.(*array.Date32); dd.Value(0) != 3 || !dd.IsNull(1) {
		t.Errorf("dates %v", dd)
	}
}
