package export

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/apache/thrift/lib/go/thrift"
	pqformat "github.com/xitongsys/parquet-go/parquet"

	"github.com/incidentkit/incidents/schema"
)

// fastTestRecords returns records of three alternating builders (each
// record has its own dictionaries), an odd-sized record among them, the
// golden incidents' edge cases (empty lists, nulls, empty strings), and a
// location column with enough distinct values to outgrow a dictionary page
// in a large row group.
func fastTestRecords(mem memory.Allocator, n int) []arrow.Record {
	rng := splitmix64(7)
	rows := make([]schema.Incident, n)
	syntheticIncidents(&rng, 0, rows)
	golden := goldenIncidents()
	for i := range rows {
		if i%9 == 0 {
			g := golden[i/9%len(golden)]
			g.IncidentID = fmt.Sprintf("%s-%d", g.IncidentID, i)
			rows[i] = g
		}
		if i%2 == 0 {
			rows[i].Location = fmt.Sprintf("hamlet %08d beyond the river, past the ridge", i)
		}
	}
	builders := []*schema.RecordBuilder{schema.NewRecordBuilder(mem), schema.NewRecordBuilder(mem), schema.NewRecordBuilder(mem)}
	defer func() {
		for _, b := range builders {
			b.Release()
		}
	}()
	var recs []arrow.Record
	for first, k := 0, 0; first < n; k++ {
		size := 16384
		if k == 1 {
			size = 1000 + 7
		}
		size = min(size, n-first)
		rb := builders[k%len(builders)]
		for i := first; i < first+size; i++ {
			rb.Append(&rows[i])
		}
		recs = append(recs, rb.NewRecord())
		first += size
	}
	return recs
}

// writeWithSink writes recs to path through the given Parquet sink and
// sorts the footer's encoding stats as Writer.Close does.
func writeWithSink(t *testing.T, path string, fast bool, opts WriteOptions, recs []arrow.Record) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if opts.Mem == nil {
		opts.Mem = memory.DefaultAllocator
	}
	var s sink
	if fast {
		shapes, ok := fastShapes(schema.Arrow())
		if !ok {
			t.Fatal("schema.Arrow() is not written by the fast sink")
		}
		s, err = newFastParquetSink(context.Background(), f, schema.Arrow(), shapes, &opts)
	} else {
		s, err = newPqarrowSink(f, schema.Arrow(), &opts)
	}
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range recs {
		if err := s.write(r); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.finish([]string{"k"}, []string{"v"}); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	if err := sortEncodingStats(path); err != nil {
		t.Fatal(err)
	}
}

// The column-parallel writer writes the bytes pqarrow writes for the same
// row groups: schema, ARROW:schema, dictionary and data pages, page and
// chunk statistics, including a dictionary that outgrows its page (arrow
// falls back to PLAIN) and record dictionaries that differ.
func TestFastParquetSameBytesAsPqarrow(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	recs := fastTestRecords(mem, 120000)
	defer func() {
		for _, r := range recs {
			r.Release()
		}
	}()
	dir := t.TempDir()
	for _, rg := range []int64{5000, 60000} {
		for _, codec := range []string{"zstd", "none"} {
			opts := WriteOptions{RowGroupRows: rg, Compression: codec, Mem: mem}
			a, b := filepath.Join(dir, "pqarrow.parquet"), filepath.Join(dir, "fast.parquet")
			writeWithSink(t, a, false, opts, recs)
			writeWithSink(t, b, true, opts, recs)
			x, _ := os.ReadFile(a)
			y, _ := os.ReadFile(b)
			if !bytes.Equal(x, y) {
				t.Errorf("row groups of %d, %s: fast writer's file (%d bytes) differs from pqarrow's (%d bytes)", rg, codec, len(y), len(x))
			}
			if rg == 60000 {
				plain := false
				for _, cc := range readFooter(t, b).RowGroups[0].Columns {
					if cc.MetaData.PathInSchema[0] == "location" {
						for _, e := range cc.MetaData.Encodings {
							plain = plain || e == pqformat.Encoding_PLAIN
						}
					}
				}
				if !plain {
					t.Error("location's dictionary did not outgrow its page: the test no longer covers the fallback")
				}
			}
		}
	}
}

// Null counts are right in the footer and in every data page header
// (arrow v17's dictionary path wrote negative ones for REQUIRED columns),
// and the pages' counts add up to the chunk's.
func TestFastParquetPageNullCounts(t *testing.T) {
	recs := fastTestRecords(memory.DefaultAllocator, 40000)
	defer func() {
		for _, r := range recs {
			r.Release()
		}
	}()
	path := filepath.Join(t.TempDir(), "x.parquet")
	writeAll(t, path, WriteOptions{RowGroupRows: 30000}, recs...)
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	md := readFooter(t, path)
	if len(md.RowGroups) != 2 {
		t.Fatalf("%d row groups, want 2", len(md.RowGroups))
	}
	for _, rg := range md.RowGroups {
		for _, cc := range rg.Columns {
			cm := cc.MetaData
			name := cm.PathInSchema[0]
			if cm.Statistics == nil || cm.Statistics.NullCount == nil {
				t.Errorf("%s: no chunk null count", name)
				continue
			}
			chunkNulls := *cm.Statistics.NullCount
			if chunkNulls < 0 || chunkNulls > cm.NumValues {
				t.Errorf("%s: chunk null count %d of %d values", name, chunkNulls, cm.NumValues)
			}
			pos := cm.DataPageOffset
			if cm.DictionaryPageOffset != nil {
				pos = *cm.DictionaryPageOffset
			}
			end := pos + cm.TotalCompressedSize
			var pageNulls, pageValues int64
			for pos < end {
				buf := thrift.NewTMemoryBuffer()
				buf.Write(b[pos:end])
				h := pqformat.NewPageHeader()
				if err := h.Read(ctx, thrift.NewTCompactProtocolConf(buf, &thrift.TConfiguration{})); err != nil {
					t.Fatalf("%s: page header at %d: %v", name, pos, err)
				}
				pos = end - int64(buf.Len()) + int64(h.CompressedPageSize)
				if h.Type != pqformat.PageType_DATA_PAGE {
					continue
				}
				dp := h.DataPageHeader
				pageValues += int64(dp.NumValues)
				if dp.Statistics == nil || dp.Statistics.NullCount == nil {
					t.Errorf("%s: data page without a null count", name)
					continue
				}
				nc := *dp.Statistics.NullCount
				if nc < 0 || nc > int64(dp.NumValues) {
					t.Errorf("%s: page null count %d of %d values", name, nc, dp.NumValues)
				}
				if nc < int64(dp.NumValues) && (dp.Statistics.MinValue == nil || dp.Statistics.MaxValue == nil) {
					t.Errorf("%s: page with values but no min/max", name)
				}
				pageNulls += nc
			}
			if pageNulls != chunkNulls || pageValues != cm.NumValues {
				t.Errorf("%s: pages hold %d nulls of %d values, chunk %d of %d", name, pageNulls, pageValues, chunkNulls, cm.NumValues)
			}
		}
	}
}

// The bytes do not depend on how many goroutines encode the columns.
func TestFastParquetBytesWhateverGOMAXPROCS(t *testing.T) {
	recs := fastTestRecords(memory.DefaultAllocator, 50000)
	defer func() {
		for _, r := range recs {
			r.Release()
		}
	}()
	dir := t.TempDir()
	procs := runtime.GOMAXPROCS(0)
	defer runtime.GOMAXPROCS(procs)
	var first []byte
	for i, p := range []int{1, 2, 5} {
		runtime.GOMAXPROCS(p)
		path := filepath.Join(dir, fmt.Sprintf("x%d.parquet", p))
		writeAll(t, path, WriteOptions{RowGroupRows: 20000}, recs...)
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			first = b
		} else if !bytes.Equal(b, first) {
			t.Errorf("GOMAXPROCS %d: bytes differ from GOMAXPROCS 1", p)
		}
	}
}

// Row groups hold DefaultRowGroupRows unless RowGroupRows asks for fewer
// or more: an explicit size is honoured either way.
func TestFastParquetRowGroupSize(t *testing.T) {
	recs := fastTestRecords(memory.DefaultAllocator, DefaultRowGroupRows+10)
	defer func() {
		for _, r := range recs {
			r.Release()
		}
	}()
	dir := t.TempDir()
	for _, c := range []struct {
		rows int64
		want []int64
	}{
		{0, []int64{DefaultRowGroupRows, 10}},
		{DefaultRowGroupRows - 1000, []int64{DefaultRowGroupRows - 1000, 1010}},
		{DefaultRowGroupRows + 5, []int64{DefaultRowGroupRows + 5, 5}},
	} {
		path := filepath.Join(dir, fmt.Sprintf("x%d.parquet", c.rows))
		writeAll(t, path, WriteOptions{RowGroupRows: c.rows}, recs...)
		var got []int64
		for _, rg := range readFooter(t, path).RowGroups {
			got = append(got, rg.NumRows)
		}
		if fmt.Sprint(got) != fmt.Sprint(c.want) {
			t.Errorf("RowGroupRows %d: row groups of %v rows, want %v", c.rows, got, c.want)
		}
	}
}

// An aborted writer, mid row group, releases its Arrow memory and leaves
// nothing in its folder: no output, no temporary file.
func TestFastParquetAbortReleases(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	recs := fastTestRecords(mem, 20000)
	defer func() {
		for _, r := range recs {
			r.Release()
		}
	}()
	dir := t.TempDir()
	path := filepath.Join(dir, "x.parquet")
	w, err := Create(context.Background(), path, WriteOptions{Mem: mem, RowGroupRows: 15000})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range recs {
		if err := w.Write(r); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Abort(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Fatalf("aborted output exists: %v", err)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		t.Errorf("left behind: %s", e.Name())
	}
}

// TestFastParquetColumnsStop: the column-parallel writer's first column
// error is returned with the column's name and the cause intact, and a
// cancelled context stops the columns not yet begun (none here, since it is
// cancelled before the call).
func TestFastParquetColumnsStop(t *testing.T) {
	shapes, ok := fastShapes(schema.Arrow())
	if !ok {
		t.Fatal("schema.Arrow() is not written by the fast sink")
	}
	for _, procs := range []int{1, 2, 4} {
		func() {
			defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			s, err := newFastParquetSink(ctx, io.Discard, schema.Arrow(), shapes, &WriteOptions{Mem: memory.DefaultAllocator})
			if err != nil {
				t.Fatal(err)
			}
			defer s.abort()
			bad := errors.New("disk on fire")
			failing := s.cols[s.order[0]].field.Name
			err = s.each(func(_ context.Context, c *leafColumn) error {
				if c.field.Name == failing {
					return bad
				}
				return nil
			})
			if !errors.Is(err, bad) || !strings.Contains(err.Error(), "column "+failing) {
				t.Errorf("GOMAXPROCS %d: err = %v, want %v naming column %s", procs, err, bad, failing)
			}
			cancel()
			var calls atomic.Int64
			err = s.each(func(context.Context, *leafColumn) error { calls.Add(1); return nil })
			if !errors.Is(err, context.Canceled) || calls.Load() != 0 {
				t.Errorf("GOMAXPROCS %d: after cancel: err = %v, %d columns begun; want context.Canceled and none", procs, err, calls.Load())
			}
		}()
	}
}
