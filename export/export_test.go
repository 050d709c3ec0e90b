package export

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"

	"github.com/incidentkit/incidents/schema"
)

var update = flag.Bool("update", false, "rewrite testdata/export golden files")

// twoBuilderRecords returns the golden incidents as two records made by two
// builders, so that their dictionaries differ (as the ingest workers' do).
func twoBuilderRecords(mem memory.Allocator, in []schema.Incident) []arrow.Record {
	half := len(in) / 2
	return []arrow.Record{schema.NewRecord(mem, in[half:]), schema.NewRecord(mem, in[:half])}
}

// writeAll writes recs to path and closes the writer.
func writeAll(t testing.TB, path string, opts WriteOptions, recs ...arrow.Record) {
	t.Helper()
	w, err := Create(context.Background(), path, opts)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range recs {
		if err := w.Write(r); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
}

// readAll reads path back into incidents.
func readAll(t testing.TB, path string, opts ReadOptions) []schema.Incident {
	t.Helper()
	rr, err := Open(context.Background(), path, opts)
	if err != nil {
		t.Fatal(err)
	}
	defer rr.Release()
	var out []schema.Incident
	for rr.Next() {
		if out, err = schema.AppendIncidents(out, rr.Record()); err != nil {
			t.Fatal(err)
		}
	}
	if err := rr.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// reordered is the golden incidents in the order twoBuilderRecords writes them.
func reordered(in []schema.Incident) []schema.Incident {
	half := len(in) / 2
	return append(append([]schema.Incident{}, in[half:]...), in[:half]...)
}

// clearNulls zeroes the value behind every null number: Arrow leaves the
// slot under a null undefined (Parquet readers leave whatever was there).
func clearNulls(in schema.Incident) schema.Incident {
	for _, f := range []*schema.NullFloat64{&in.Latitude, &in.Longitude} {
		if !f.Valid {
			*f = schema.NullFloat64{}
		}
	}
	for _, n := range []*schema.NullInt32{&in.Fatalities.Low, &in.Fatalities.Best, &in.Fatalities.High,
		&in.FatalitiesActor1, &in.FatalitiesActor2, &in.FatalitiesCivilians, &in.FatalitiesUnknown,
		&in.Injured.Low, &in.Injured.Best, &in.Injured.High, &in.Detained.Low, &in.Detained.Best, &in.Detained.High} {
		if !n.Valid {
			*n = schema.NullInt32{}
		}
	}
	return in
}

func diffIncidents(t *testing.T, got, want []schema.Incident) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("read %d rows, want %d", len(got), len(want))
	}
	for i := range want {
		got[i] = clearNulls(got[i])
		if !reflect.DeepEqual(got[i], clearNulls(want[i])) {
			t.Errorf("row %d:\n got %+v\nwant %+v", i, got[i], want[i])
		}
	}
}

func TestRoundTripEveryFormat(t *testing.T) {
	golden := goldenIncidents()
	for _, tc := range []struct{ name, compression string }{
		{"x.parquet", ""}, {"x.parquet", "snappy"}, {"x.parquet", "gzip"}, {"x.parquet", "lz4"}, {"x.parquet", "none"},
		{"x.arrow", ""}, {"x.feather", "lz4"}, {"x.arrow", "zstd"}, {"x.arrows", ""}, {"x.arrows", "zstd"},
		{"x.csv", ""}, {"x.jsonl", ""},
	} {
		t.Run(tc.name+"/"+tc.compression, func(t *testing.T) {
			mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
			defer mem.AssertSize(t, 0)
			path := filepath.Join(t.TempDir(), tc.name)
			recs := twoBuilderRecords(mem, golden)
			writeAll(t, path, WriteOptions{Mem: mem, Compression: tc.compression}, recs...)
			for _, r := range recs {
				r.Release()
			}
			got := readAll(t, path, ReadOptions{Mem: mem})
			diffIncidents(t, got, reordered(golden))
			entries, _ := os.ReadDir(filepath.Dir(path))
			if len(entries) != 1 {
				t.Errorf("folder holds %d entries, want only the output (temporary files left?)", len(entries))
			}
		})
	}
}

func TestDictionaryColumnsReadBackAsDictionaries(t *testing.T) {
	for _, name := range []string{"x.parquet", "x.arrow", "x.arrows"} {
		t.Run(name, func(t *testing.T) {
			mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
			defer mem.AssertSize(t, 0)
			path := filepath.Join(t.TempDir(), name)
			recs := twoBuilderRecords(mem, goldenIncidents())
			writeAll(t, path, WriteOptions{Mem: mem}, recs...)
			for _, r := range recs {
				r.Release()
			}
			rr, err := Open(context.Background(), path, ReadOptions{Mem: mem})
			if err != nil {
				t.Fatal(err)
			}
			defer rr.Release()
			want := schema.Arrow()
			for i, f := range rr.Schema().Fields() {
				if !arrow.TypeEqual(f.Type, want.Field(i).Type) {
					t.Errorf("column %s read as %s, want %s", f.Name, f.Type, want.Field(i).Type)
				}
			}
		})
	}
}

func TestProjection(t *testing.T) {
	for _, name := range []string{"x.parquet", "x.arrow", "x.arrows", "x.csv", "x.jsonl"} {
		t.Run(name, func(t *testing.T) {
			mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
			defer mem.AssertSize(t, 0)
			path := filepath.Join(t.TempDir(), name)
			rec := schema.NewRecord(mem, goldenIncidents())
			writeAll(t, path, WriteOptions{Mem: mem}, rec)
			rec.Release()
			cols := []string{"fatalities_best", "sources", "country_iso3"}
			rr, err := Open(context.Background(), path, ReadOptions{Mem: mem, Columns: cols})
			if err != nil {
				t.Fatal(err)
			}
			defer rr.Release()
			var names []string
			for _, f := range rr.Schema().Fields() {
				names = append(names, f.Name)
			}
			if !reflect.DeepEqual(names, cols) {
				t.Fatalf("columns %v, want %v", names, cols)
			}
			var got []schema.Incident
			for rr.Next() {
				got, err = schema.AppendIncidents(got, rr.Record())
				if err != nil {
					t.Fatal(err)
				}
			}
			for i, in := range goldenIncidents() {
				g, in := clearNulls(got[i]), clearNulls(in)
				if g.Fatalities.Best != in.Fatalities.Best || g.CountryISO3 != in.CountryISO3 || !reflect.DeepEqual(g.Sources, in.Sources) || g.IncidentID != "" {
					t.Errorf("row %d: got %+v", i, g)
				}
			}
		})
	}
}

// TestGoldenJSONL keeps testdata/export/golden.jsonl (the interop tests'
// input) equal to what the JSON Lines writer makes of the golden incidents.
func TestGoldenJSONL(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	var buf bytes.Buffer
	w, err := Create(context.Background(), "-", WriteOptions{Mem: mem, Stdout: &buf})
	if err != nil {
		t.Fatal(err)
	}
	rec := schema.NewRecord(mem, goldenIncidents())
	if err := w.Write(rec); err != nil {
		t.Fatal(err)
	}
	rec.Release()
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join("..", "testdata", "export", "golden.jsonl")
	if *update {
		if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(buf.Bytes(), want) {
		t.Errorf("JSON Lines output differs from %s (go test ./export -run TestGoldenJSONL -update rewrites it):\n%s", path, buf.String())
	}
	got := readAll(t, path, ReadOptions{Mem: mem})
	diffIncidents(t, got, goldenIncidents())
}

func TestMetadata(t *testing.T) {
	for _, name := range []string{"x.parquet", "x.arrow"} {
		t.Run(name, func(t *testing.T) {
			mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
			defer mem.AssertSize(t, 0)
			path := filepath.Join(t.TempDir(), name)
			rec := schema.NewRecord(mem, goldenIncidents())
			w, err := Create(context.Background(), path, WriteOptions{Mem: mem, Metadata: map[string]string{"incidents.version": "v9.9.9"}})
			if err != nil {
				t.Fatal(err)
			}
			if err := w.Write(rec); err != nil {
				t.Fatal(err)
			}
			rec.Release()
			w.SetMetadata("incidents.inputs", `[{"path":"a.csv","sha256":"00"}]`)
			if err := w.Close(); err != nil {
				t.Fatal(err)
			}
			info, err := Inspect(context.Background(), path, 0)
			if err != nil {
				t.Fatal(err)
			}
			for k, v := range map[string]string{
				MetaSchemaVersion:  schema.Version,
				MetaVersion:        "v9.9.9",
				MetaRows:           "7",
				"incidents.inputs": `[{"path":"a.csv","sha256":"00"}]`,
			} {
				if got := info.Metadata[k]; got != v {
					t.Errorf("metadata %s = %q, want %q", k, got, v)
				}
			}
			if info.Rows != 7 {
				t.Errorf("Inspect: %d rows, want 7", info.Rows)
			}
		})
	}
}

func TestOverwriteRequired(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "x.parquet")
	if err := os.WriteFile(path, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Create(context.Background(), path, WriteOptions{}); err == nil || !strings.Contains(err.Error(), "exists") {
		t.Fatalf("Create over an existing file: err %v, want an 'exists' error", err)
	}
	rec := schema.NewRecord(nil, goldenIncidents())
	defer rec.Release()
	writeAll(t, path, WriteOptions{Overwrite: true}, rec)
	if got := readAll(t, path, ReadOptions{}); len(got) != 7 {
		t.Fatalf("after overwrite read %d rows", len(got))
	}
	// A dataset folder is replaced whole.
	ds := filepath.Join(dir, "ds")
	writeAll(t, ds, WriteOptions{PartitionBy: []string{"year"}}, rec)
	writeAll(t, ds, WriteOptions{PartitionBy: []string{"country_iso3"}, Overwrite: true}, rec)
	if _, err := os.Stat(filepath.Join(ds, "year=2019")); !os.IsNotExist(err) {
		t.Errorf("old partition folder survived the overwrite: %v", err)
	}
	if got := readAll(t, ds, ReadOptions{}); len(got) != 7 {
		t.Fatalf("after dataset overwrite read %d rows", len(got))
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 2 {
		t.Errorf("folder holds %d entries, want 2", len(entries))
	}
}

func TestCancelLeavesNothing(t *testing.T) {
	for _, opts := range []WriteOptions{{}, {PartitionBy: []string{"year"}}, {Format: "arrow"}} {
		dir := t.TempDir()
		path := filepath.Join(dir, "out.parquet")
		if len(opts.PartitionBy) > 0 {
			path = filepath.Join(dir, "ds")
		}
		mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
		ctx, cancel := context.WithCancel(context.Background())
		opts.Mem = mem
		w, err := Create(ctx, path, opts)
		if err != nil {
			t.Fatal(err)
		}
		rec := schema.NewRecord(mem, goldenIncidents())
		if err := w.Write(rec); err != nil {
			t.Fatal(err)
		}
		cancel()
		if err := w.Write(rec); !errors.Is(err, context.Canceled) {
			t.Errorf("Write after cancel: %v, want context.Canceled", err)
		}
		rec.Release()
		if err := w.Close(); !errors.Is(err, context.Canceled) {
			t.Errorf("Close after cancel: %v, want context.Canceled", err)
		}
		w.Abort()
		entries, _ := os.ReadDir(dir)
		for _, e := range entries {
			t.Errorf("left behind: %s", e.Name())
		}
		mem.AssertSize(t, 0)
	}
}

func TestAbortAfterErrorLeavesNothing(t *testing.T) {
	dir := t.TempDir()
	w, err := Create(context.Background(), filepath.Join(dir, "x.parquet"), WriteOptions{})
	if err != nil {
		t.Fatal(err)
	}
	other := arrow.NewSchema([]arrow.Field{{Name: "a", Type: arrow.PrimitiveTypes.Int64}}, nil)
	b := array.NewRecordBuilder(memory.DefaultAllocator, other)
	b.Field(0).(*array.Int64Builder).Append(1)
	rec := b.NewRecord()
	b.Release()
	defer rec.Release()
	if err := w.Write(rec); err == nil || !strings.Contains(err.Error(), "missing columns: incident_id") {
		t.Errorf("Write of a foreign record: %v", err)
	}
	w.Abort()
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("left behind %d entries", len(entries))
	}
}

func TestForeignParquetListsDifferences(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	sc := arrow.NewSchema([]arrow.Field{
		{Name: "incident_id", Type: arrow.BinaryTypes.String},
		{Name: "year", Type: arrow.PrimitiveTypes.Int64},
		{Name: "colour", Type: arrow.BinaryTypes.String},
	}, nil)
	b := array.NewRecordBuilder(mem, sc)
	b.Field(0).(*array.StringBuilder).Append("x")
	b.Field(1).(*array.Int64Builder).Append(2019)
	b.Field(2).(*array.StringBuilder).Append("red")
	rec := b.NewRecord()
	b.Release()
	path := filepath.Join(t.TempDir(), "foreign.parquet")
	writeAll(t, path, WriteOptions{Mem: mem, Schema: sc}, rec)
	rec.Release()
	_, err := Open(context.Background(), path, ReadOptions{Mem: mem})
	if !errors.Is(err, ErrSchemaMismatch) {
		t.Fatalf("Open of a foreign file: %v, want ErrSchemaMismatch", err)
	}
	for _, want := range []string{"missing columns: source_dataset, source_id,", "year is int64, want int16"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %q", err, want)
		}
	}
	// AnySchema reads it as it is.
	rr, err := Open(context.Background(), path, ReadOptions{Mem: mem, AnySchema: true})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for rr.Next() {
		n += int(rr.Record().NumRows())
	}
	rr.Release()
	if n != 1 {
		t.Errorf("read %d rows, want 1", n)
	}
}

func TestCorruptAndTruncatedFilesAreErrors(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	dir := t.TempDir()
	for _, name := range []string{"x.parquet", "x.arrow", "x.arrows"} {
		path := filepath.Join(dir, name)
		rec := schema.NewRecord(mem, goldenIncidents())
		writeAll(t, path, WriteOptions{Mem: mem}, rec)
		rec.Release()
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		for _, cut := range []int{len(data) / 3, len(data) / 2, len(data) - 9, len(data) - 1} {
			bad := filepath.Join(dir, "bad-"+name)
			os.WriteFile(bad, data[:cut], 0o644)
			if err := readErr(bad, mem); err == nil {
				t.Errorf("%s cut at %d of %d: no error", name, cut, len(data))
			}
		}
		flipped := append([]byte{}, data...)
		for i := len(flipped) / 4; i < len(flipped)/2; i += 7 {
			flipped[i] ^= 0x5a
		}
		bad := filepath.Join(dir, "flip-"+name)
		os.WriteFile(bad, flipped, 0o644)
		_ = readErr(bad, mem) // must not panic; an error or garbage-but-typed rows both pass
	}
	mem.AssertSize(t, 0)
}

func readErr(path string, mem memory.Allocator) error {
	rr, err := Open(context.Background(), path, ReadOptions{Mem: mem})
	if err != nil {
		return err
	}
	defer rr.Release()
	for rr.Next() {
	}
	return rr.Err()
}

// TestInspectStatistics checks the column statistics Inspect reports
// against the golden incidents (Parquet: footer statistics; Arrow:
// computed while reading).
func TestInspectStatistics(t *testing.T) {
	for _, name := range []string{"x.parquet", "x.arrow", "x.arrows"} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), name)
			recs := twoBuilderRecords(memory.DefaultAllocator, goldenIncidents())
			writeAll(t, path, WriteOptions{RowGroupRows: 4}, recs...)
			info, err := Inspect(context.Background(), path, 2)
			if err != nil {
				t.Fatal(err)
			}
			cols := map[string]ColumnInfo{}
			for _, c := range info.Columns {
				cols[c.Name] = c
			}
			for _, tc := range []struct {
				col      string
				nulls    int64
				min, max string
			}{
				{"fatalities_best", 4, "0", "2147483647"},
				{"date_start", 0, "1970-01-01", "2023-07-14"},
				{"time_utc", 4, "1969-12-31T23:59:59.999Z", "2020-02-29T23:59:59.999Z"},
				{"year", 0, "1970", "2023"},
				{"country_iso3", 0, "AFG", "XXX"},
				{"latitude", 2, "-90", "42.6629"},
			} {
				c := cols[tc.col]
				if c.Nulls != tc.nulls || c.Min != tc.min || c.Max != tc.max {
					t.Errorf("%s: nulls %d min %q max %q, want %d %q %q", tc.col, c.Nulls, c.Min, c.Max, tc.nulls, tc.min, tc.max)
				}
			}
			// two records of 4 and 3 rows: two batches, or two row groups of at most 4
			if info.Rows != 7 || len(info.Groups) != 2 || info.Groups[0].Rows != 4 || len(info.FirstRows) != 2 {
				t.Errorf("rows %d, groups %d, first rows %d", info.Rows, len(info.Groups), len(info.FirstRows))
			}
			var buf bytes.Buffer
			if err := info.WriteText(&buf); err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(buf.String(), "incidents.schema_version = 1") || !strings.Contains(buf.String(), `"incident_id":"gtd:201911060001"`) {
				t.Errorf("WriteText:\n%s", buf.String())
			}
		})
	}
}

// TestOutputPermissions: outputs (files and partitioned folders) get the
// permissions of any file the user creates, not a temporary file's 0600.
func TestOutputPermissions(t *testing.T) {
	dir := t.TempDir()
	ref, err := os.Create(filepath.Join(dir, "ref"))
	if err != nil {
		t.Fatal(err)
	}
	ref.Close()
	refDir := filepath.Join(dir, "refdir")
	if err := os.Mkdir(refDir, 0o777); err != nil {
		t.Fatal(err)
	}
	want, _ := os.Stat(ref.Name())
	wantDir, _ := os.Stat(refDir)
	rec := schema.NewRecord(nil, goldenIncidents())
	defer rec.Release()
	for _, name := range []string{"x.parquet", "x.arrow", "x.csv"} {
		p := filepath.Join(dir, name)
		writeAll(t, p, WriteOptions{}, rec)
		if got, _ := os.Stat(p); got.Mode().Perm() != want.Mode().Perm() {
			t.Errorf("%s: mode %v, want %v (as os.Create)", name, got.Mode().Perm(), want.Mode().Perm())
		}
	}
	p := filepath.Join(dir, "ds")
	writeAll(t, p, WriteOptions{PartitionBy: []string{"year"}}, rec)
	if got, _ := os.Stat(p); got.Mode().Perm() != wantDir.Mode().Perm() {
		t.Errorf("dataset folder: mode %v, want %v", got.Mode().Perm(), wantDir.Mode().Perm())
	}
}
