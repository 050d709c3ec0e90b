package export

import (
	"encoding/base64"
	"fmt"
	"io"
	"strings"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/flight"
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

// parquetSink streams records into buffered row groups: memory holds at
// most one row group's encoded pages, whatever the number of rows.
type parquetSink struct {
	fw       *pqarrow.FileWriter
	fileSc   *arrow.Schema
	rgBytes  int64
	maxBytes int64
}

func parquetProps(o *WriteOptions) (*parquet.WriterProperties, error) {
	codec, err := parquetCodec(o.Compression)
	if err != nil {
		return nil, err
	}
	popts := []parquet.WriterProperty{
		parquet.WithAllocator(o.Mem),
		parquet.WithCompression(codec),
		parquet.WithDictionaryDefault(true),
		parquet.WithStats(true),
		parquet.WithMaxRowGroupLength(o.RowGroupRows),
		parquet.WithCreatedBy("incidents " + buildVersion() + " (arrow go v17 pqarrow)"),
		parquet.WithVersion(parquet.V2_6),
	}
	if o.CompressionLevel != 0 {
		popts = append(popts, parquet.WithCompressionLevel(o.CompressionLevel))
	}
	return parquet.NewWriterProperties(popts...), nil
}

func newParquetSink(out io.Writer, sc *arrow.Schema, o *WriteOptions) (*parquetSink, error) {
	props, err := parquetProps(o)
	if err != nil {
		return nil, err
	}
	fileSc := parquetSchema(sc, o.Mem)
	arrProps := pqarrow.NewArrowWriterProperties(pqarrow.WithAllocator(o.Mem))
	// pqarrow closes a writer that is an io.Closer; the file is ours to close.
	fw, err := pqarrow.NewFileWriter(fileSc, &noSeek{w: out}, props, arrProps)
	if err != nil {
		return nil, fmt.Errorf("export: parquet: %w", err)
	}
	return &parquetSink{fw: fw, fileSc: fileSc, maxBytes: DefaultRowGroupBytes}, nil
}

// parquetSchema returns the schema pqarrow writes. arrow v17's pqarrow
// writes a negative null count into the statistics of a dictionary column
// declared REQUIRED (it counts len(defLevels) - values, and a required
// column has no levels), so dictionary columns become OPTIONAL in the
// Parquet schema; they hold no nulls, and the statistics say 0. The Arrow
// schema stored for pyarrow, pandas and polars (what
// pqarrow.WithStoreSchema would store) is the caller's, non-null flags
// included.
func parquetSchema(sc *arrow.Schema, mem memory.Allocator) *arrow.Schema {
	fields := make([]arrow.Field, sc.NumFields())
	for i, f := range sc.Fields() {
		if f.Type.ID() == arrow.DICTIONARY {
			f.Nullable = true
		}
		fields[i] = f
	}
	md := sc.Metadata()
	keys := append(append([]string{}, md.Keys()...), "ARROW:schema")
	values := append(append([]string{}, md.Values()...), base64.StdEncoding.EncodeToString(flight.SerializeSchema(sc, mem)))
	m := arrow.NewMetadata(keys, values)
	return arrow.NewSchema(fields, &m)
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
	rec = array.NewRecord(s.fileSc, rec.Columns(), rec.NumRows())
	defer rec.Release()
	if err := s.fw.WriteBuffered(rec); err != nil {
		return fmt.Errorf("parquet: %w", err)
	}
	s.rgBytes += size
	return nil
}

func (s *parquetSink) finish(keys, values []string) error {
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
