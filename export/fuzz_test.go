package export

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"testing"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/memory"

	"github.com/incidentkit/incidents/schema"
)

var updateFuzz = flag.Bool("update-fuzz", false, "rewrite the seed corpus in testdata/fuzz")

// goldenBytes returns the golden fixture written as name (by extension).
func goldenBytes(t testing.TB, name string, opts WriteOptions) []byte {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	recs := twoBuilderRecords(memory.DefaultAllocator, goldenIncidents())
	writeAll(t, path, opts, recs...)
	for _, r := range recs {
		r.Release()
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// fuzzOpen writes data to a file named name and reads it all with Open and
// Inspect: any error is fine, a panic or a crash is not. Memory is not
// checked here: arrow v17's IPC reader leaks a buffer on some corrupt
// messages (testdata/fuzz/FuzzOpenIPC/044d0f3c030f0000); the unit tests
// check it on valid and truncated files.
func fuzzOpen(t *testing.T, name string, data []byte) {
	defer func(old int) { maxBuffer = old }(maxBuffer)
	maxBuffer = 8 << 20 // keep the fuzzer's claimed lengths cheap (the seeds need < 1 MB)
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

func FuzzOpenParquet(f *testing.F) {
	for _, c := range []string{"zstd", "snappy", "none"} {
		f.Add(goldenBytes(f, "x.parquet", WriteOptions{Compression: c, RowGroupRows: 4}))
	}
	f.Add([]byte("PAR1"))
	f.Add([]byte("PAR1\x00\x00\x00\x00PAR1"))
	f.Fuzz(func(t *testing.T, data []byte) { fuzzOpen(t, "x.parquet", data) })
}

func FuzzOpenIPC(f *testing.F) {
	f.Add(goldenBytes(f, "x.arrow", WriteOptions{}))
	f.Add(goldenBytes(f, "x.arrow", WriteOptions{Compression: "lz4"}))
	f.Add(goldenBytes(f, "x.arrows", WriteOptions{}))
	f.Add([]byte("ARROW1\x00\x00ARROW1"))
	f.Add([]byte{0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0})
	f.Fuzz(func(t *testing.T, data []byte) { fuzzOpen(t, "x.arrow", data) })
}

// TestFuzzSeedCorpus keeps testdata/fuzz in step with the writers
// (go test ./export -run TestFuzzSeedCorpus -update-fuzz rewrites it).
func TestFuzzSeedCorpus(t *testing.T) {
	seeds := map[string][]byte{
		"FuzzOpenParquet/golden-zstd":   goldenBytes(t, "x.parquet", WriteOptions{RowGroupRows: 4}),
		"FuzzOpenParquet/golden-snappy": goldenBytes(t, "x.parquet", WriteOptions{Compression: "snappy"}),
		"FuzzOpenIPC/golden-file":       goldenBytes(t, "x.arrow", WriteOptions{}),
		"FuzzOpenIPC/golden-file-zstd":  goldenBytes(t, "x.arrow", WriteOptions{Compression: "zstd"}),
		"FuzzOpenIPC/golden-stream":     goldenBytes(t, "x.arrows", WriteOptions{}),
	}
	for name, data := range seeds {
		path := filepath.Join("testdata", "fuzz", filepath.FromSlash(name))
		if *updateFuzz {
			os.MkdirAll(filepath.Dir(path), 0o755)
			content := fmt.Sprintf("go test fuzz v1\n[]byte(%s)\n", strconv.Quote(string(data)))
			if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := os.Stat(path); err != nil {
			t.Errorf("seed %s missing (run with -update-fuzz): %v", name, err)
		}
	}
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
