package export

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/ipc"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/apache/arrow/go/v17/parquet"
	"github.com/apache/arrow/go/v17/parquet/compress"
	"github.com/apache/arrow/go/v17/parquet/pqarrow"
)

func checkCompression(format, c string) error {
	switch format {
	case FormatParquet:
		_, err := parquetCodec(c)
		return err
	case FormatArrow, FormatArrowsIPC:
		_, err := ipcCodec(c)
		return err
	}
	return nil
}

// checkLevel refuses a compression level the codec does not take: zstd
// levels run 1-22 and gzip 1-9 (0 is the codec's default); the other codecs
// and Arrow IPC take none.
func checkLevel(format, c string, level int) error {
	if level == 0 {
		return nil
	}
	lo, hi := 0, -1
	if format == FormatParquet {
		switch strings.ToLower(c) {
		case "", "zstd":
			lo, hi = 1, 22
		case "gzip":
			lo, hi = 1, 9
		}
	}
	if hi < 0 {
		what := c
		if what == "" {
			what = "the default compression"
		}
		return fmt.Errorf("export: compression level %d: %s of %s takes no level (levels apply to Parquet zstd and gzip)", level, what, format)
	}
	if level < lo || level > hi {
		name := strings.ToLower(c)
		if name == "" {
			name = "zstd"
		}
		return fmt.Errorf("export: compression level %d is out of range (%s: %d to %d)", level, name, lo, hi)
	}
	return nil
}

func parquetCodec(c string) (compress.Compression, error) {
	switch strings.ToLower(c) {
	case "", "zstd":
		return compress.Codecs.Zstd, nil
	case "snappy":
		return compress.Codecs.Snappy, nil
	case "gzip":
		return compress.Codecs.Gzip, nil
	case "lz4":
		return lz4Raw, nil
	case "none", "uncompressed":
		return compress.Codecs.Uncompressed, nil
	}
	return 0, fmt.Errorf("export: unknown Parquet compression %q (want zstd, snappy, gzip, lz4 or none)", c)
}

func ipcCodec(c string) (ipc.Option, error) {
	switch strings.ToLower(c) {
	case "", "none", "uncompressed":
		return nil, nil
	case "lz4":
		return ipc.WithLZ4(), nil
	case "zstd":
		return ipc.WithZstd(), nil
	}
	return nil, fmt.Errorf("export: unknown Arrow IPC compression %q (want none, lz4 or zstd)", c)
}

// parquetSink streams records into pqarrow's buffered row groups: memory
// holds at most one row group's encoded pages, whatever the number of rows.
// It takes the schemas fastParquetSink does not.
type parquetSink struct {
	fw       *pqarrow.FileWriter
	sc       *arrow.Schema // the caller's, stored as ARROW:schema
	pandas   bool          // add the pandas metadata
	fileSc   *arrow.Schema
	mem      memory.Allocator
	rgBytes  int64
	maxBytes int64
}

func parquetProps(sc *arrow.Schema, o *WriteOptions) (*parquet.WriterProperties, error) {
	codec, err := parquetCodec(o.Compression)
	if err != nil {
		return nil, err
	}
	popts := []parquet.WriterProperty{
		parquet.WithAllocator(o.Mem),
		parquet.WithCompression(codec),
		// Dictionary pages for text (categories, names, places, lists of
		// sources): numbers, dates and coordinates gain little from them
		// and cost a hash lookup per value.
		parquet.WithDictionaryDefault(false),
		parquet.WithStats(true),
		parquet.WithMaxRowGroupLength(o.RowGroupRows),
		parquet.WithCreatedBy(createdBy(o)),
		parquet.WithVersion(parquet.V2_6),
	}
	for _, f := range sc.Fields() {
		switch t := f.Type.(type) {
		case *arrow.DictionaryType:
			popts = append(popts, parquet.WithDictionaryFor(f.Name, true))
		case *arrow.StringType, *arrow.LargeStringType:
			popts = append(popts, parquet.WithDictionaryFor(f.Name, !uniqueText[f.Name]))
		case *arrow.ListType:
			if isText(t.Elem()) {
				popts = append(popts, parquet.WithDictionaryFor(f.Name+".list.element", true))
			}
		}
	}
	if o.CompressionLevel != 0 {
		popts = append(popts, parquet.WithCompressionLevel(o.CompressionLevel))
	}
	return parquet.NewWriterProperties(popts...), nil
}

// createdBy is the Parquet footer's created_by: this program and version
// (the incidents.version metadata the caller gives, else the build's) and
// the Parquet library.
func createdBy(o *WriteOptions) string {
	v := o.Metadata[MetaVersion]
	if v == "" {
		v = buildVersion()
	}
	return "incidents " + v + " (arrow-go v17)"
}

// uniqueText names the text columns of schema.Arrow() whose values are
// (nearly) all distinct: a dictionary page cannot help them, and arrow's
// encoder would hash every value until the dictionary outgrows its page and
// then re-encode the column chunk PLAIN.
var uniqueText = map[string]bool{"incident_id": true, "source_id": true, "notes": true}

// newParquetSink returns the column-parallel writer for the shapes of
// schema.Arrow() and pqarrow's for any other schema.
func newParquetSink(ctx context.Context, out io.Writer, sc *arrow.Schema, o *WriteOptions) (sink, error) {
	// Typed nils would make a non-nil sink: return the interface's nil.
	if shapes, ok := fastShapes(sc); ok {
		s, err := newFastParquetSink(ctx, out, sc, shapes, o)
		if err != nil {
			return nil, err
		}
		return s, nil
	}
	s, err := newPqarrowSink(out, sc, o)
	if err != nil {
		return nil, err
	}
	return s, nil
}

func newPqarrowSink(out io.Writer, sc *arrow.Schema, o *WriteOptions) (*parquetSink, error) {
	props, err := parquetProps(sc, o)
	if err != nil {
		return nil, err
	}
	fileSc := parquetSchema(sc)
	arrProps := pqarrow.NewArrowWriterProperties(pqarrow.WithAllocator(o.Mem))
	// pqarrow closes a writer that is an io.Closer; the file is ours to close.
	fw, err := pqarrow.NewFileWriter(fileSc, &noSeek{w: out}, props, arrProps)
	if err != nil {
		return nil, fmt.Errorf("export: parquet: %w", err)
	}
	return &parquetSink{fw: fw, sc: sc, pandas: o.PandasCompat, fileSc: fileSc, mem: o.Mem, maxBytes: DefaultRowGroupBytes}, nil
}

// parquetSchema returns the schema pqarrow writes: dictionary columns as
// plain utf8, without metadata. The caller's schema is stored as
// ARROW:schema (what pqarrow.WithStoreSchema would store) in the footer
// with the other metadata (parquetFooter), so that pyarrow, pandas, polars
// and pqarrow read them back as dictionaries (categoricals).
//
// Handing pqarrow dictionary arrays costs dearly in arrow v17: for every
// batch whose dictionary is not the one it saw last (records of different
// builders), its statistics code runs compute.Unique and compute.Take over
// the dictionary, and the take kernel over-reserves (16 GB allocated for
// 131,072 rows); it also writes a negative null count for a dictionary
// column declared REQUIRED. Plain strings take Parquet's own dictionary
// encoder (RLE_DICTIONARY pages, the same file layout) and its ordinary
// statistics.
func parquetSchema(sc *arrow.Schema) *arrow.Schema {
	fields := make([]arrow.Field, sc.NumFields())
	for i, f := range sc.Fields() {
		if dt, ok := f.Type.(*arrow.DictionaryType); ok && isText(dt.ValueType) {
			f.Type = dt.ValueType
		}
		fields[i] = f
	}
	return arrow.NewSchema(fields, nil)
}

// materialize returns the values of a dictionary(utf8) array as utf8.
func materialize(mem memory.Allocator, da *array.Dictionary) (arrow.Array, error) {
	dict, ok := da.Dictionary().(*array.String)
	if !ok {
		return nil, fmt.Errorf("dictionary of %s, want utf8", da.Dictionary().DataType())
	}
	n := da.Len()
	b := array.NewStringBuilder(mem)
	defer b.Release()
	b.Reserve(n)
	size := 0
	for i := 0; i < n; i++ {
		if da.IsValid(i) {
			size += len(dict.Value(da.GetValueIndex(i)))
		}
	}
	b.ReserveData(size)
	for i := 0; i < n; i++ {
		if da.IsNull(i) {
			b.AppendNull()
		} else {
			b.Append(dict.Value(da.GetValueIndex(i)))
		}
	}
	return b.NewArray(), nil
}

func (s *parquetSink) write(rec arrow.Record) error {
	size := recordBytes(rec)
	if s.rgBytes > 0 && s.rgBytes+size > s.maxBytes {
		s.fw.NewBufferedRowGroup()
		s.rgBytes = 0
	}
	if n, _ := s.fw.RowGroupNumRows(); n == 0 {
		s.rgBytes = 0
	}
	cols := make([]arrow.Array, rec.NumCols())
	for i, c := range rec.Columns() {
		cols[i] = c
		if da, ok := c.(*array.Dictionary); ok && s.fileSc.Field(i).Type.ID() != arrow.DICTIONARY {
			m, err := materialize(s.mem, da)
			if err != nil {
				return fmt.Errorf("column %s: %w", rec.ColumnName(i), err)
			}
			defer m.Release()
			cols[i] = m
		}
	}
	rec = array.NewRecord(s.fileSc, cols, rec.NumRows())
	defer rec.Release()
	if err := s.fw.WriteBuffered(rec); err != nil {
		return fmt.Errorf("parquet: %w", err)
	}
	s.rgBytes += size
	return nil
}

func (s *parquetSink) finish(keys, values []string) error {
	keys, values = parquetFooter(s.sc, keys, values, s.mem, s.pandas)
	for i, k := range keys {
		if err := s.fw.AppendKeyValueMetadata(k, values[i]); err != nil {
			return err
		}
	}
	return s.fw.Close()
}

func (s *parquetSink) abort() { s.fw.Close() }

// recordBytes is the size of rec's Arrow buffers.
func recordBytes(rec arrow.Record) int64 {
	var n int64
	for _, c := range rec.Columns() {
		n += dataBytes(c.Data())
	}
	return n
}

func dataBytes(d arrow.ArrayData) int64 {
	var n int64
	for _, b := range d.Buffers() {
		if b != nil {
			n += int64(b.Len())
		}
	}
	for _, c := range d.Children() {
		n += dataBytes(c)
	}
	return n
}
