package export

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"sort"
	"strings"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/memory"

	"github.com/incidentkit/incidents/schema"
)

// Format names, as WriteOptions.Format and Recognize spell them.
const (
	FormatParquet   = "parquet"
	FormatArrow     = "arrow"  // Arrow IPC file format (Feather v2)
	FormatArrowsIPC = "arrows" // Arrow IPC stream format
	FormatCSV       = "csv"
	FormatJSONL     = "jsonl"
	FormatDataset   = "dataset" // a Hive-partitioned folder (Recognize only)
)

// Metadata keys written to every Parquet and Arrow file.
const (
	MetaSchemaVersion = schema.MetadataVersionKey // "incidents.schema_version"
	MetaVersion       = "incidents.version"
	MetaRows          = "incidents.rows"
	MetaPartitionBy   = "incidents.partition_by"
)

// Defaults.
const (
	DefaultRowGroupRows      = 1 << 16   // rows per Parquet row group (DuckDB: 122,880; pyarrow: 1Mi): bounds the writer's memory (parquet_fast.go)
	DefaultRowGroupBytes     = 128 << 20 // uncompressed Arrow bytes per row group
	DefaultMaxOpenPartitions = 64
	DefaultMaxPartitions     = 10000 // distinct partitions of one dataset (ErrTooManyPartitions beyond)
	hiveNull                 = "__HIVE_DEFAULT_PARTITION__"
)

// WriteOptions configure Create.
type WriteOptions struct {
	// Format is one of parquet, arrow (IPC file, also .feather), arrows (IPC
	// stream), csv, jsonl. Empty means: from the path's extension; for a
	// partitioned dataset parquet; for "-" (stdout) jsonl.
	Format string
	// Schema of the records to be written; nil means schema.Arrow().
	Schema *arrow.Schema
	// Compression: for Parquet zstd (default), snappy, gzip, lz4, none; for
	// Arrow IPC none (default), lz4, zstd. Ignored by CSV and JSON Lines.
	Compression string
	// CompressionLevel for zstd and gzip; 0 means the codec's default.
	CompressionLevel int
	// RowGroupRows caps a Parquet row group (default DefaultRowGroupRows); a
	// row group is also closed once it holds DefaultRowGroupBytes.
	RowGroupRows int64
	// PartitionBy names the columns of a Hive-partitioned dataset: the
	// output path is then a folder, OUT/year=2019/country_iso3=TJK/part-0000.parquet,
	// and the partition columns are not stored in the files.
	PartitionBy []string
	// MaxOpenPartitions caps the partition files open at once (default
	// DefaultMaxOpenPartitions); the least recently used is closed beyond it
	// and a later row of that partition starts its next part file.
	MaxOpenPartitions int
	// MaxPartitions caps the distinct partitions of a dataset (default
	// DefaultMaxPartitions): a write that would start one more fails with
	// ErrTooManyPartitions, so partitioning by a near-unique column fails
	// fast instead of creating a folder per row.
	MaxPartitions int
	// Overwrite allows replacing an existing output of the same kind (file
	// or folder); see CheckOutput for the whole rule.
	Overwrite bool
	// Inputs are the paths the records come from: an output that is one of
	// them, contains one or lies inside an input folder is refused.
	Inputs []string
	// Metadata is stored as Parquet key-value metadata and as Arrow schema
	// metadata, beside incidents.schema_version and incidents.version.
	Metadata map[string]string
	// PandasCompat (Parquet only) writes the file for pandas' default
	// reader: date32 columns as timestamp[ms] (midnight, no zone), read as
	// datetime64[ms], and the "pandas" schema metadata naming nullable
	// integer columns as Int16/Int32/Int64 (pandas.go). export.Open reads
	// the dates back as dates.
	PandasCompat bool
	// Mem allocates Arrow memory; nil means memory.DefaultAllocator.
	Mem memory.Allocator
	// Stdout is where the path "-" writes to.
	Stdout io.Writer
}

// sink writes records of one schema to one destination.
type sink interface {
	write(rec arrow.Record) error
	// finish completes the output with the given metadata (sorted keys).
	finish(keys, values []string) error
	// abort releases resources after an error; the caller removes files.
	abort()
}

// Writer writes records to one file or one partitioned dataset folder. It
// is not safe for concurrent use.
type Writer struct {
	ctx    context.Context
	path   string
	opts   WriteOptions
	format string
	schema *arrow.Schema
	sinkSc *arrow.Schema // the schema written: schema, or pandasSchema(schema)
	meta   map[string]string

	tmpPath string   // temporary file or folder beside path
	file    *os.File // single-file output (nil for stdout and datasets)
	out     sink     // single-file output
	parts   *partitioner

	rows   int64
	done   bool
	err    error
	closer io.Closer
}

// FormatFromPath returns the format the extension of path names, or "".
func FormatFromPath(path string) string {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".parquet", ".pq":
		return FormatParquet
	case ".arrow", ".feather", ".ipc":
		return FormatArrow
	case ".arrows":
		return FormatArrowsIPC
	case ".csv":
		return FormatCSV
	case ".jsonl", ".ndjson":
		return FormatJSONL
	}
	return ""
}

func normFormat(f string) (string, error) {
	switch strings.ToLower(f) {
	case "parquet", "pq":
		return FormatParquet, nil
	case "arrow", "feather", "ipc":
		return FormatArrow, nil
	case "arrows", "stream":
		return FormatArrowsIPC, nil
	case "csv":
		return FormatCSV, nil
	case "jsonl", "ndjson", "json":
		return FormatJSONL, nil
	}
	return "", fmt.Errorf("export: unknown format %q (want parquet, arrow, arrows, csv or jsonl)", f)
}

// buildVersion is the main module's version when the binary carries one.
func buildVersion() string {
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "dev"
}

// Create starts writing path. Nothing appears at path until Close succeeds.
func Create(ctx context.Context, path string, opts WriteOptions) (*Writer, error) {
	if opts.Mem == nil {
		opts.Mem = memory.DefaultAllocator
	}
	if opts.Schema == nil {
		opts.Schema = schema.Arrow()
	}
	if opts.RowGroupRows < 0 || opts.MaxOpenPartitions < 0 || opts.MaxPartitions < 0 {
		return nil, fmt.Errorf("export: negative row group size, open partitions or partitions (%d, %d, %d)",
			opts.RowGroupRows, opts.MaxOpenPartitions, opts.MaxPartitions)
	}
	if opts.RowGroupRows == 0 {
		opts.RowGroupRows = DefaultRowGroupRows
	}
	if opts.MaxOpenPartitions <= 0 {
		opts.MaxOpenPartitions = DefaultMaxOpenPartitions
	}
	if opts.MaxPartitions <= 0 {
		opts.MaxPartitions = DefaultMaxPartitions
	}
	w := &Writer{ctx: ctx, path: path, opts: opts, schema: opts.Schema, meta: map[string]string{
		MetaSchemaVersion: schema.Version,
		MetaVersion:       buildVersion(),
	}}
	for k, v := range opts.Metadata {
		w.meta[k] = v
	}
	format := opts.Format
	switch {
	case format != "":
	case len(opts.PartitionBy) > 0:
		format = FormatParquet
	case path == "-":
		format = FormatJSONL
	default:
		format = FormatFromPath(path)
		if format == "" {
			return nil, fmt.Errorf("export: %s: cannot tell the format from the extension (want .parquet, .arrow, .feather, .arrows, .csv or .jsonl)", path)
		}
	}
	var err error
	if w.format, err = normFormat(format); err != nil {
		return nil, err
	}
	if err := checkCompression(w.format, opts.Compression); err != nil {
		return nil, err
	}
	if err := checkLevel(w.format, opts.Compression, opts.CompressionLevel); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	w.sinkSc = w.schema
	if opts.PandasCompat {
		if w.format != FormatParquet {
			return nil, fmt.Errorf("export: pandas compatibility applies to Parquet, not %s", w.format)
		}
		w.sinkSc = pandasSchema(w.schema)
	}

	if path == "-" {
		if len(opts.PartitionBy) > 0 {
			return nil, errors.New("export: a partitioned dataset cannot be written to stdout")
		}
		if opts.Stdout == nil {
			return nil, errors.New("export: path \"-\" needs WriteOptions.Stdout")
		}
		w.out, err = newSink(ctx, w.format, opts.Stdout, "", w.sinkSc, &w.opts)
		if err != nil {
			return nil, err
		}
		return w, nil
	}

	if err := CheckOutput(path, w.outputOptions()); err != nil {
		return nil, err
	}
	RemoveStaleTemps(path)
	if len(opts.PartitionBy) > 0 {
		if w.parts, err = newPartitioner(w.sinkSc, opts.PartitionBy, w.format, &w.opts); err != nil {
			return nil, err
		}
		if w.tmpPath, err = mkdirTemp(path); err != nil {
			return nil, fmt.Errorf("export: %w", err)
		}
		w.parts.root = w.tmpPath
		w.parts.ctx = ctx
		w.parts.meta = w.sortedMeta
		w.meta[MetaPartitionBy] = strings.Join(opts.PartitionBy, ",")
		return w, nil
	}
	f, err := createTemp(path)
	if err != nil {
		return nil, fmt.Errorf("export: %w", err)
	}
	w.file, w.tmpPath = f, f.Name()
	if w.out, err = newSink(ctx, w.format, f, w.tmpPath, w.sinkSc, &w.opts); err != nil {
		f.Close()
		os.Remove(w.tmpPath)
		return nil, err
	}
	return w, nil
}

func newSink(ctx context.Context, format string, out io.Writer, tmpPath string, sc *arrow.Schema, o *WriteOptions) (sink, error) {
	switch format {
	case FormatParquet:
		return newParquetSink(ctx, out, sc, o)
	case FormatArrow:
		return newIPCFileSink(out, tmpPath, sc, o, false)
	case FormatArrowsIPC:
		return newIPCFileSink(out, tmpPath, sc, o, true)
	case FormatCSV:
		return newCSVSink(out, sc), nil
	case FormatJSONL:
		return newJSONLSink(out, sc), nil
	}
	return nil, fmt.Errorf("export: unknown format %q", format)
}

// Format reports the format being written.
func (w *Writer) Format() string { return w.format }

// Rows returns the number of rows written so far.
func (w *Writer) Rows() int64 { return w.rows }

// SetMetadata adds a key-value pair to the output's metadata. Call it before
// Close. Parquet stores it in the footer, Arrow IPC files and streams in
// the schema's metadata (both are written out at Close); CSV and JSON Lines
// have no metadata.
func (w *Writer) SetMetadata(key, value string) { w.meta[key] = value }

func (w *Writer) sortedMeta() (keys, values []string) {
	for k := range w.meta {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		values = append(values, w.meta[k])
	}
	return keys, values
}

// Write appends the rows of rec, whose schema must match the writer's
// (field names and types; dictionaries may differ from record to record).
func (w *Writer) Write(rec arrow.Record) error {
	if w.err != nil {
		return w.err
	}
	if w.done {
		return errors.New("export: write after close")
	}
	if err := w.ctx.Err(); err != nil {
		w.fail(err)
		return err
	}
	if !sameFields(rec.Schema(), w.schema) {
		err := fmt.Errorf("export: record schema does not match the writer's: %s", schemaDiff(w.schema, rec.Schema()))
		w.fail(err)
		return err
	}
	if rec.NumRows() == 0 {
		return nil
	}
	if w.sinkSc != w.schema {
		rec = pandasRecord(w.opts.Mem, w.sinkSc, rec)
		defer rec.Release()
	}
	var err error
	if w.parts != nil {
		err = w.parts.write(rec)
	} else {
		err = w.out.write(rec)
	}
	if err != nil {
		err = wrap(w.path, err)
		w.fail(err)
		return err
	}
	w.rows += rec.NumRows()
	return nil
}

func wrap(path string, err error) error {
	if strings.HasPrefix(err.Error(), "export: ") {
		return err
	}
	return fmt.Errorf("export: %s: %w", path, err)
}

// fail records err and removes every temporary file.
func (w *Writer) fail(err error) {
	if w.err == nil {
		w.err = err
	}
	w.cleanup()
}

func (w *Writer) cleanup() {
	if w.out != nil {
		w.out.abort()
		w.out = nil
	}
	if w.parts != nil {
		w.parts.abort()
	}
	if w.file != nil {
		w.file.Close()
		w.file = nil
	}
	if w.tmpPath != "" {
		os.RemoveAll(w.tmpPath)
		w.tmpPath = ""
	}
}

// Close finishes the output, syncs it and renames it into place. After the
// context was cancelled it removes the temporary output and returns the
// context's error.
func (w *Writer) Close() error {
	if w.done {
		return w.err
	}
	w.done = true
	if w.err != nil {
		return w.err
	}
	if err := w.ctx.Err(); err != nil {
		w.fail(err)
		return err
	}
	w.meta[MetaRows] = fmt.Sprint(w.rows)
	keys, values := w.sortedMeta()
	var err error
	if w.parts != nil {
		err = w.parts.finish(keys, values)
	} else {
		err = w.out.finish(keys, values)
		w.out = nil
	}
	if err == nil && w.file != nil {
		if err = w.file.Sync(); err == nil {
			err = w.file.Close()
		}
		w.file = nil
	}
	if err == nil && w.parts == nil && w.tmpPath != "" && w.format == FormatParquet {
		err = sortEncodingStats(w.tmpPath) // same input, same bytes
	}
	if err == nil {
		err = w.ctx.Err()
	}
	if err == nil && w.tmpPath != "" {
		err = w.install()
	}
	if err != nil {
		err = wrap(w.path, err)
		w.fail(err)
		return err
	}
	return nil
}

// outputOptions is the output rule's view of the writer.
func (w *Writer) outputOptions() OutputOptions {
	return OutputOptions{Folder: len(w.opts.PartitionBy) > 0, Overwrite: w.opts.Overwrite, Inputs: w.opts.Inputs}
}

// install renames the temporary output onto the target.
func (w *Writer) install() error {
	if err := installTemp(w.tmpPath, w.path, w.outputOptions()); err != nil {
		return err
	}
	w.tmpPath = ""
	return nil
}

func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}

// Abort removes the temporary output. It is safe after Close (it then does
// nothing) and may be deferred.
func (w *Writer) Abort() error {
	if w.done && w.err == nil {
		return nil
	}
	w.done = true
	if w.err == nil {
		w.err = errors.New("export: aborted")
	}
	w.cleanup()
	return nil
}

// sameFields reports whether a and b have the same field names and types.
func sameFields(a, b *arrow.Schema) bool {
	if a.NumFields() != b.NumFields() {
		return false
	}
	for i := 0; i < a.NumFields(); i++ {
		fa, fb := a.Field(i), b.Field(i)
		if fa.Name != fb.Name || !arrow.TypeEqual(fa.Type, fb.Type) {
			return false
		}
	}
	return true
}

// schemaDiff lists how got differs from want: missing columns, columns of
// another type, extra columns.
func schemaDiff(want, got *arrow.Schema) string {
	var missing, wrong, extra []string
	for _, f := range want.Fields() {
		idx := got.FieldIndices(f.Name)
		if len(idx) == 0 {
			missing = append(missing, f.Name)
			continue
		}
		if g := got.Field(idx[0]); !compatible(f.Type, g.Type) {
			wrong = append(wrong, fmt.Sprintf("%s is %s, want %s", f.Name, g.Type, f.Type))
		}
	}
	for _, f := range got.Fields() {
		if !want.HasField(f.Name) {
			extra = append(extra, f.Name)
		}
	}
	var parts []string
	if len(missing) > 0 {
		parts = append(parts, "missing columns: "+strings.Join(missing, ", "))
	}
	if len(wrong) > 0 {
		parts = append(parts, "wrong types: "+strings.Join(wrong, "; "))
	}
	if len(extra) > 0 {
		parts = append(parts, "unexpected columns: "+strings.Join(extra, ", "))
	}
	if len(parts) == 0 {
		return "columns in another order"
	}
	return strings.Join(parts, "; ")
}

// compatible reports whether a column of type got can stand for want: equal
// types, or text stored plainly where we use a dictionary (and back).
func compatible(want, got arrow.DataType) bool {
	if arrow.TypeEqual(want, got) {
		return true
	}
	return (isText(want) && isText(got)) || sameListValues(want, got)
}

func isText(t arrow.DataType) bool {
	switch t.ID() {
	case arrow.STRING, arrow.LARGE_STRING:
		return true
	case arrow.DICTIONARY:
		return isText(t.(*arrow.DictionaryType).ValueType)
	}
	return false
}
