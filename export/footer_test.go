package export

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"testing"

	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/apache/thrift/lib/go/thrift"
	pqformat "github.com/xitongsys/parquet-go/parquet"

	"github.com/incidentkit/incidents/schema"
)

// readFooter decodes the thrift footer of a Parquet file.
func readFooter(t *testing.T, path string) *pqformat.FileMetaData {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	n := int(binary.LittleEndian.Uint32(b[len(b)-8:]))
	buf := thrift.NewTMemoryBufferLen(n)
	buf.Write(b[len(b)-8-n : len(b)-8])
	md := pqformat.NewFileMetaData()
	if err := md.Read(context.Background(), thrift.NewTCompactProtocolConf(buf, &thrift.TConfiguration{})); err != nil {
		t.Fatal(err)
	}
	return md
}

// Unique incident ids outgrow the column's dictionary page, so its data
// pages use two encodings; arrow lists those in random order, and the
// writer must sort them so that the same rows give the same bytes.
func TestParquetBytesRepeatable(t *testing.T) {
	rows := make([]schema.Incident, 120000)
	for i := range rows {
		rows[i] = schema.Incident{IncidentID: fmt.Sprintf("acled:XYZ%09d-%s", i, "padding-to-grow-the-dictionary"),
			SourceDataset: "acled", DateStart: schema.Date(18000 + i%900), DateEnd: schema.Date(18000 + i%900),
			CountryISO3: "TJK", Country: "Tajikistan", Fatalities: schema.Exact(int32(i % 7))}
	}
	rec := schema.NewRecord(memory.DefaultAllocator, rows)
	defer rec.Release()
	dir := t.TempDir()
	var first []byte
	for i := 0; i < 4; i++ {
		path := filepath.Join(dir, fmt.Sprintf("x%d.parquet", i))
		writeAll(t, path, WriteOptions{}, rec)
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			first = b
			multi := false
			for _, rg := range readFooter(t, path).RowGroups {
				for _, cc := range rg.Columns {
					st := cc.MetaData.EncodingStats
					if len(st) > 1 {
						multi = true
					}
					if !sort.SliceIsSorted(st, func(a, b int) bool {
						if st[a].PageType != st[b].PageType {
							return st[a].PageType < st[b].PageType
						}
						return st[a].Encoding < st[b].Encoding
					}) {
						t.Errorf("column %v: encoding_stats not sorted: %v", cc.MetaData.PathInSchema, st)
					}
				}
			}
			if !multi {
				t.Fatal("no column has two page encodings: the test no longer covers the case")
			}
			continue
		}
		if !bytes.Equal(b, first) {
			t.Fatalf("write %d differs from the first", i)
		}
	}
	// the rewritten footer still reads
	rr, err := Open(context.Background(), filepath.Join(dir, "x0.parquet"), ReadOptions{Columns: []string{"incident_id"}})
	if err != nil {
		t.Fatal(err)
	}
	defer rr.Release()
	n := 0
	for rr.Next() {
		n += int(rr.Record().NumRows())
	}
	if rr.Err() != nil || n != len(rows) {
		t.Fatalf("read back %d rows, %v", n, rr.Err())
	}
}
