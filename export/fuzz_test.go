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
	"strings"
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

// TestFuzzSeedCorpus keeps testdata/fuzz in step with the writers (go test
// ./export -run TestFuzzSeedCorpus -update-fuzz rewrites it): each golden
// seed must hold what the writers write today, go through its fuzz function
// (fuzzOpen), and, being a valid file, read back every golden row with no
// Arrow memory left.
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
		content, err := os.ReadFile(path)
		if err != nil {
			t.Errorf("seed %s missing (run with -update-fuzz): %v", name, err)
			continue
		}
		seed, err := decodeSeed(content)
		if err != nil {
			t.Errorf("seed %s: %v", name, err)
			continue
		}
		if !bytes.Equal(seed, data) {
			t.Errorf("seed %s is not what the writers write now (run with -update-fuzz)", name)
		}
		file := "x.parquet"
		if strings.HasPrefix(name, "FuzzOpenIPC/") {
			file = "x.arrow"
			if strings.HasSuffix(name, "-stream") {
				file = "x.arrows"
			}
		}
		fuzzOpen(t, file, seed)
		fpath := filepath.Join(t.TempDir(), file)
		if err := os.WriteFile(fpath, seed, 0o644); err != nil {
			t.Fatal(err)
		}
		mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
		rr, err := Open(context.Background(), fpath, ReadOptions{Mem: mem})
		if err != nil {
			t.Errorf("seed %s: %v", name, err)
			continue
		}
		var rows []schema.Incident
		for rr.Next() {
			if rows, err = schema.AppendIncidents(rows, rr.Record()); err != nil {
				t.Errorf("seed %s: %v", name, err)
			}
		}
		if err := rr.Err(); err != nil {
			t.Errorf("seed %s: %v", name, err)
		}
		rr.Release()
		golden := goldenIncidents() // written second half first (twoBuilderRecords)
		half := len(golden) / 2
		diffIncidents(t, rows, append(golden[half:len(golden):len(golden)], golden[:half]...))
		mem.AssertSize(t, 0)
	}
}

// decodeSeed reads a one-value []byte seed file of the Go fuzzing corpus.
func decodeSeed(content []byte) ([]byte, error) {
	const head, tail = "go test fuzz v1\n[]byte(", ")\n"
	s := string(content)
	if !strings.HasPrefix(s, head) || !strings.HasSuffix(s, tail) {
		return nil, fmt.Errorf("not a go test fuzz v1 []byte seed")
	}
	v, err := strconv.Unquote(s[len(head) : len(s)-len(tail)])
	if err != nil {
		return nil, fmt.Errorf("unreadable seed: %w", err)
	}
	return []byte(v), nil
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
