package export

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"testing"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"

	"github.com/incidentkit/incidents/schema"
)

// fuzzOpen writes data to a file named name and reads it all with Open and
// Inspect: any error is fine, a panic or a crash is not. Memory is not
// checked here: arrow v17's IPC reader leaks a buffer on some corrupt
// messages (testdata/crashers/FuzzOpenIPC/044d0f3c030f0000); the unit tests
// check it on valid and truncated files.
func fuzzOpen(t *testing.T, name string, data []byte) {
	defer func(old int) { maxBuffer = old }(maxBuffer)
	maxBuffer = 8 << 20 // keep the fuzzer's claimed lengths cheap (the crashers need < 1 MB)
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	if rr, err := Open(context.Background(), path, ReadOptions{Mem: mem, AnySchema: true}); err == nil {
		for rr.Next() {
			if _, err := schema.AppendIncidents(nil, rr.Record()); err != nil {
				break
			}
		}
		rr.Release()
	}
	if info, err := Inspect(context.Background(), path, 3); err == nil {
		info.WriteText(&bytes.Buffer{})
	}
}

// smallSeed writes the first two golden incidents as name (by extension),
// keeping only a few columns of each kind (utf8, dictionary, date32,
// timestamp, int16, int32, float64, list): 2-4 KB that still
// walk every reader path, where the whole schema makes even a 2-row file
// 11 KB and a 55 KB seed held the fuzzer near 0 execs/s.
func smallSeed(t testing.TB, name string, opts WriteOptions) []byte {
	t.Helper()
	full := schema.NewRecord(memory.DefaultAllocator, goldenIncidents()[:2])
	defer full.Release()
	var fields []arrow.Field
	var cols []arrow.Array
	for _, c := range []string{"incident_id", "country_iso3", "date_start", "time_utc", "year", "fatalities_best", "latitude", "assoc_actors"} {
		i := full.Schema().FieldIndices(c)
		if len(i) != 1 {
			t.Fatalf("no column %s", c)
		}
		fields = append(fields, full.Schema().Field(i[0]))
		cols = append(cols, full.Column(i[0]))
	}
	opts.Schema = arrow.NewSchema(fields, nil)
	rec := array.NewRecord(opts.Schema, cols, full.NumRows())
	defer rec.Release()
	path := filepath.Join(t.TempDir(), name)
	writeAll(t, path, opts, rec)
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// The seeds are written by the writers at every run, so they cannot drift
// from them; the crashers found earlier stay as regression cases in
// testdata/crashers (TestOpenCrashers), out of the corpus: at 32-67 KB each
// the fuzzer spent its time mutating them (100 execs/s, then 3).
func FuzzOpenParquet(f *testing.F) {
	for _, c := range []string{"none", "zstd", "snappy"} {
		f.Add(smallSeed(f, "x.parquet", WriteOptions{Compression: c, RowGroupRows: 1}))
	}
	f.Add([]byte("PAR1"))
	f.Add([]byte("PAR1\x00\x00\x00\x00PAR1"))
	f.Fuzz(func(t *testing.T, data []byte) { fuzzOpen(t, "x.parquet", data) })
}

func FuzzOpenIPC(f *testing.F) {
	f.Add(smallSeed(f, "x.arrow", WriteOptions{}))
	f.Add(smallSeed(f, "x.arrow", WriteOptions{Compression: "lz4"}))
	f.Add(smallSeed(f, "x.arrows", WriteOptions{}))
	f.Add([]byte("ARROW1\x00\x00ARROW1"))
	f.Add([]byte{0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0})
	f.Fuzz(func(t *testing.T, data []byte) { fuzzOpen(t, "x.arrow", data) })
}

// TestOpenCrashers runs the inputs that once crashed Open or Inspect
// (found by FuzzOpenParquet and FuzzOpenIPC, in the fuzz corpus format).
func TestOpenCrashers(t *testing.T) {
	paths, err := filepath.Glob(filepath.Join("testdata", "crashers", "*", "*"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no crashers in testdata/crashers: %v", err)
	}
	for _, path := range paths {
		content, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		data, err := decodeSeed(content)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		name := "x.arrow"
		if filepath.Base(filepath.Dir(path)) == "FuzzOpenParquet" {
			name = "x.parquet"
		}
		t.Run(filepath.Base(path), func(t *testing.T) { fuzzOpen(t, name, data) })
	}
}

// decodeSeed reads a one-value []byte file of the Go fuzzing corpus.
func decodeSeed(content []byte) ([]byte, error) {
	header, value, ok := bytes.Cut(content, []byte("\n"))
	if !ok || string(header) != "go test fuzz v1" {
		return nil, fmt.Errorf("not a go fuzz corpus file")
	}
	value = bytes.TrimSpace(value)
	inner, ok := bytes.CutPrefix(value, []byte("[]byte("))
	if !ok || !bytes.HasSuffix(inner, []byte(")")) {
		return nil, fmt.Errorf("not a []byte value")
	}
	s, err := strconv.Unquote(string(inner[:len(inner)-1]))
	if err != nil {
		return nil, err
	}
	return []byte(s), nil
}

// FuzzRoundTrip: whatever JSON Lines row Open accepts comes back the same
// from Parquet, Arrow IPC and CSV (JSON Lines -> Incident -> file -> Incident).
func FuzzRoundTrip(f *testing.F) {
	golden, err := os.ReadFile(filepath.Join("..", "testdata", "export", "golden.jsonl"))
	if err != nil {
		f.Fatal(err)
	}
	for _, line := range bytes.Split(bytes.TrimSpace(golden), []byte("\n")) {
		f.Add(line)
	}
	f.Fuzz(func(t *testing.T, line []byte) {
		dir := t.TempDir()
		src := filepath.Join(dir, "in.jsonl")
		if err := os.WriteFile(src, append(line, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
		if format, ok := Recognize(src); !ok || format != FormatJSONL {
			return
		}
		mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
		defer mem.AssertSize(t, 0)
		rr, err := Open(context.Background(), src, ReadOptions{Mem: mem})
		if err != nil {
			return
		}
		var want []schema.Incident
		var recs []arrow.Record
		for rr.Next() {
			rec := rr.Record()
			rec.Retain()
			recs = append(recs, rec)
			if want, err = schema.AppendIncidents(want, rec); err != nil {
				break
			}
		}
		readErr := rr.Err()
		rr.Release()
		defer func() {
			for _, r := range recs {
				r.Release()
			}
		}()
		if readErr != nil || err != nil {
			return
		}
		for _, name := range []string{"x.parquet", "x.arrow", "x.csv"} {
			path := filepath.Join(dir, name)
			writeAll(t, path, WriteOptions{Mem: mem}, recs...)
			got := readAll(t, path, ReadOptions{Mem: mem})
			if len(got) != len(want) {
				t.Fatalf("%s: %d rows, want %d", name, len(got), len(want))
			}
			for i := range want {
				if g, w := clearNulls(got[i]), clearNulls(want[i]); !reflect.DeepEqual(g, w) {
					t.Fatalf("%s row %d:\n got %+v\nwant %+v", name, i, g, w)
				}
			}
		}
	})
}

// FuzzOpenText reads CSV or JSON Lines bytes (asCSV picks the extension)
// with and without a rejects sink: any error is fine; a panic, a record
// that schema.AppendIncidents cannot decode, or Arrow memory left is not.
func FuzzOpenText(f *testing.F) {
	recs := twoBuilderRecords(memory.DefaultAllocator, goldenIncidents()[:2])
	for _, name := range []string{"x.csv", "x.jsonl"} {
		path := filepath.Join(f.TempDir(), name)
		writeAll(f, path, WriteOptions{}, recs...)
		b, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b, name == "x.csv")
	}
	for _, r := range recs {
		r.Release()
	}
	f.Add([]byte("incident_id\n\"a\n"), true)
	f.Add([]byte("incident_id,incident_id\nx,y\n"), true)
	f.Add([]byte("{\"incident_id\":1}\n{\n"), false)
	f.Fuzz(func(t *testing.T, data []byte, asCSV bool) {
		name := "x.jsonl"
		if asCSV {
			name = "x.csv"
		}
		path := filepath.Join(t.TempDir(), name)
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
		defer mem.AssertSize(t, 0)
		for _, withRejects := range []bool{false, true} {
			opts := ReadOptions{Mem: mem, BatchSize: 2}
			if withRejects {
				opts.Rejects = func(Reject) error { return nil }
			}
			rr, err := Open(context.Background(), path, opts)
			if err != nil {
				continue
			}
			for rr.Next() {
				if _, err := schema.AppendIncidents(nil, rr.Record()); err != nil {
					t.Fatalf("a record Open passed does not decode: %v", err)
				}
			}
			rr.Release()
		}
	})
}
