package export

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apache/arrow/go/v17/arrow/memory"
	xparquet "github.com/xitongsys/parquet-go/parquet"

	"github.com/incidentkit/incidents/schema"
)

// The Parquet properties README.md promises, read back from the footer by
// xitongsys/parquet-go (not from the writer's own settings): zstd on every
// column chunk by default, no dictionary page on the unique text columns
// (incident_id, source_id, notes), a dictionary page on the categorical and
// name columns, none on numbers and dates. Both writers (ours for the
// incidents schema, pqarrow for others) take their settings from one place,
// so comparing them with each other cannot see a wrong setting; this can.

// chunkEncodings maps each leaf column's name to the codec and the encodings
// of its first row group's column chunk, and whether it has a dictionary page.
type chunkInfo struct {
	codec    xparquet.CompressionCodec
	dict     bool
	encoding []xparquet.Encoding
}

func footerChunks(t *testing.T, path string) map[string]chunkInfo {
	t.Helper()
	_, pr := xitongsysColumns(t, path)
	if len(pr.Footer.RowGroups) == 0 {
		t.Fatal("no row groups")
	}
	out := map[string]chunkInfo{}
	for _, cc := range pr.Footer.RowGroups[0].Columns {
		md := cc.MetaData
		// xitongsys capitalises names in the footer it hands back.
		name := strings.ToLower(md.PathInSchema[0])
		ci := chunkInfo{codec: md.Codec, encoding: md.Encodings}
		if md.DictionaryPageOffset != nil {
			ci.dict = true
		}
		for _, e := range md.Encodings {
			if e == xparquet.Encoding_PLAIN_DICTIONARY || e == xparquet.Encoding_RLE_DICTIONARY {
				ci.dict = true
			}
		}
		out[name] = ci
	}
	return out
}

func writeGolden(t *testing.T, opts WriteOptions) string {
	t.Helper()
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	opts.Mem = mem
	path := filepath.Join(t.TempDir(), "golden.parquet")
	recs := twoBuilderRecords(mem, goldenIncidents())
	writeAll(t, path, opts, recs...)
	for _, r := range recs {
		r.Release()
	}
	return path
}

func TestParquetDocumentedEncodings(t *testing.T) {
	chunks := footerChunks(t, writeGolden(t, WriteOptions{}))
	if len(chunks) != len(schema.Columns) {
		t.Fatalf("%d column chunks, want %d", len(chunks), len(schema.Columns))
	}
	// Written out by hand from README.md ("dictionary pages for text
	// columns but the unique ones"), not from the writer's table.
	noDict := map[string]bool{"incident_id": true, "source_id": true, "notes": true}
	for _, c := range schema.Columns {
		ci, ok := chunks[c.Name]
		if !ok {
			t.Errorf("%s: no column chunk", c.Name)
			continue
		}
		if ci.codec != xparquet.CompressionCodec_ZSTD {
			t.Errorf("%s: codec %v, want ZSTD (the documented default)", c.Name, ci.codec)
		}
		text := strings.Contains(c.TypeName, "utf8") || strings.Contains(c.TypeName, "dictionary")
		switch {
		case noDict[c.Name] && ci.dict:
			t.Errorf("%s: dictionary-encoded (%v); README promises none on unique columns", c.Name, ci.encoding)
		case text && !noDict[c.Name] && !ci.dict:
			t.Errorf("%s (%s): no dictionary page (%v); README promises one on text columns", c.Name, c.TypeName, ci.encoding)
		case !text && ci.dict:
			t.Errorf("%s (%s): dictionary-encoded (%v); numbers and dates are written plain", c.Name, c.TypeName, ci.encoding)
		}
	}
}

// The documented default is zstd level 1 (Arrow C++'s): the default file is
// byte-for-byte the file written with an explicit level 1, and differs from
// level 9's (so the comparison can tell levels apart at all).
func TestParquetDefaultZstdLevel(t *testing.T) {
	read := func(p string) []byte {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	def := read(writeGolden(t, WriteOptions{}))
	one := read(writeGolden(t, WriteOptions{Compression: "zstd", CompressionLevel: 1}))
	nine := read(writeGolden(t, WriteOptions{Compression: "zstd", CompressionLevel: 9}))
	if !bytes.Equal(def, one) {
		t.Errorf("default Parquet (%d bytes) differs from zstd level 1 (%d bytes): the documented default level changed", len(def), len(one))
	}
	if bytes.Equal(one, nine) {
		t.Errorf("zstd levels 1 and 9 give the same bytes: this test cannot see a level change")
	}
}
