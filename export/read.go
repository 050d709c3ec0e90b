package export

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/ipc"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/apache/arrow/go/v17/parquet/file"
	"github.com/apache/arrow/go/v17/parquet/pqarrow"

	"github.com/incidentkit/incidents/schema"
)

// ReadOptions configure Open.
type ReadOptions struct {
	// Columns to read, in this order; nil means all of the file's columns.
	Columns []string
	// Mem allocates Arrow memory; nil means memory.DefaultAllocator.
	Mem memory.Allocator
	// BatchSize is the number of rows per record where the format lets us
	// choose (Parquet, CSV, JSON Lines); 0 means 64Ki.
	BatchSize int
	// Schema the input must match on the columns read; nil means
	// schema.Arrow(). CSV and JSON Lines are parsed into it.
	Schema *arrow.Schema
	// AnySchema skips the check against Schema (Parquet and Arrow only).
	AnySchema bool
	// Rejects receives the rows of CSV and JSON Lines inputs that do not
	// hold a valid incident (see Reject), which are then left out; nil
	// makes the first such row end the read with its error. Rows of the
	// incidents schema are checked with schema.Validate, as normalize
	// checks its rows.
	Rejects func(Reject) error
}

// ErrSchemaMismatch is wrapped by Open's error for a file whose columns are
// not the schema's.
var ErrSchemaMismatch = errors.New("not an incidents file")

// ErrDamaged is the error of a file whose bytes made a decoder panic: a
// truncated, corrupt or newer-than-arrow-v17 Parquet or Arrow file. The
// panic itself is recovered and dropped, so a user reads one sentence that
// names the file ("export: x.parquet: damaged or unsupported file"), never
// a Go runtime message.
var ErrDamaged = errors.New("damaged or unsupported file")

// Recognize reports whether Open reads path: a Parquet file, an Arrow IPC
// file or stream (by magic bytes), a JSON Lines or CSV file of normalized
// rows (by the first row's column names), or a folder holding such files
// (a dataset). Raw inputs (reports, ACLED, ...) are not recognized.
func Recognize(path string) (format string, ok bool) {
	fi, err := os.Stat(path)
	if err != nil {
		return "", false
	}
	if fi.IsDir() {
		files, err := datasetFiles(path)
		if err == nil && len(files) > 0 {
			return FormatDataset, true
		}
		return "", false
	}
	f, err := os.Open(path)
	if err != nil {
		return "", false
	}
	defer f.Close()
	head := make([]byte, 4096)
	n, _ := io.ReadFull(f, head)
	head = head[:n]
	switch {
	case bytes.HasPrefix(head, []byte("PAR1")):
		return FormatParquet, true
	case bytes.HasPrefix(head, []byte("ARROW1")):
		return FormatArrow, true
	case bytes.HasPrefix(head, []byte{0xff, 0xff, 0xff, 0xff}):
		return FormatArrowsIPC, true
	}
	line := head
	if i := bytes.IndexByte(line, '\n'); i >= 0 {
		line = line[:i]
	}
	line = bytes.TrimPrefix(bytes.TrimSpace(line), []byte("\xef\xbb\xbf"))
	if bytes.HasPrefix(line, []byte("{")) {
		var m map[string]json.RawMessage
		if json.Unmarshal(line, &m) == nil && m["incident_id"] != nil && m["date_start"] != nil && m["source_dataset"] != nil {
			return FormatJSONL, true
		}
		return "", false
	}
	rec, err := csv.NewReader(bytes.NewReader(line)).Read()
	if err == nil {
		has := map[string]bool{}
		for _, c := range rec {
			has[c] = true
		}
		if has["incident_id"] && has["date_start"] && has["source_dataset"] {
			return FormatCSV, true
		}
	}
	return "", false
}

// Open reads path (a format Recognize names) as a stream of records holding
// opts.Columns. A file whose columns differ from the schema's gets an error
// that lists the differences and wraps ErrSchemaMismatch; a corrupt file
// gets an error, never a panic. The caller must Release the reader.
func Open(ctx context.Context, path string, opts ReadOptions) (rr array.RecordReader, err error) {
	if opts.Mem == nil {
		opts.Mem = memory.DefaultAllocator
	}
	opts.Mem = cappedAllocator{opts.Mem}
	if opts.Schema == nil {
		opts.Schema = schema.Arrow()
	}
	if opts.BatchSize <= 0 {
		opts.BatchSize = 1 << 16
	}
	format, ok := Recognize(path)
	if !ok {
		if _, err := os.Stat(path); err != nil {
			return nil, fmt.Errorf("export: %w", err)
		}
		return nil, fmt.Errorf("export: %s: not a Parquet, Arrow, JSON Lines or CSV file of incidents", path)
	}
	defer func() {
		if r := recover(); r != nil {
			rr, err = nil, fmt.Errorf("export: %s: %w", path, ErrDamaged)
		}
	}()
	switch format {
	case FormatDataset:
		return openDataset(ctx, path, opts)
	case FormatJSONL, FormatCSV:
		return openText(ctx, path, format, opts)
	}
	return openFile(ctx, path, format, opts, nil)
}

// openFile opens a Parquet or IPC file and checks and projects its columns.
// skip names columns to leave out of the projection (partition columns).
func openFile(ctx context.Context, path, format string, opts ReadOptions, skip map[string]bool) (array.RecordReader, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("export: %w", err)
	}
	var inner array.RecordReader
	var fileSc *arrow.Schema
	switch format {
	case FormatParquet:
		inner, fileSc, err = openParquet(ctx, f, opts, skip)
	case FormatArrow:
		inner, fileSc, err = openIPCFile(f, opts)
	case FormatArrowsIPC:
		inner, fileSc, err = openIPCStream(f, opts)
	default:
		err = fmt.Errorf("unknown format %s", format)
	}
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("export: %s: %w", path, err)
	}
	cols := wantedColumns(opts, fileSc, skip)
	if !opts.AnySchema {
		if err := checkColumns(opts.Schema, fileSc, cols); err != nil {
			inner.Release()
			f.Close()
			return nil, fmt.Errorf("export: %s: %w", path, err)
		}
	}
	p, err := newProjector(inner, opts.Schema, cols, path)
	if err == nil {
		p.mem = opts.Mem
	}
	if err != nil {
		inner.Release()
		f.Close()
		return nil, err
	}
	p.closer = f
	p.validated = format == FormatParquet // by the column streams, on their goroutines
	return p, nil
}

// wantedColumns is opts.Columns, or every column of sc, less skip.
func wantedColumns(opts ReadOptions, sc *arrow.Schema, skip map[string]bool) []string {
	var cols []string
	if opts.Columns != nil {
		for _, c := range opts.Columns {
			if !skip[c] {
				cols = append(cols, c)
			}
		}
		return cols
	}
	for _, f := range sc.Fields() {
		if !skip[f.Name] {
			cols = append(cols, f.Name)
		}
	}
	return cols
}

// checkColumns reports the differences between want and got: the columns
// read must exist with compatible types; reading all columns also requires
// every column of want.
func checkColumns(want, got *arrow.Schema, cols []string) error {
	var missing, wrong []string
	names := cols
	for _, f := range want.Fields() {
		if !got.HasField(f.Name) && !contains(names, f.Name) {
			names = append(names, f.Name)
		}
	}
	for _, name := range names {
		wi := want.FieldIndices(name)
		gi := got.FieldIndices(name)
		switch {
		case len(gi) == 0:
			missing = append(missing, name)
		case len(wi) > 0 && !compatible(want.Field(wi[0]).Type, got.Field(gi[0]).Type) && !pandasDate(want.Field(wi[0]).Type, got.Field(gi[0]).Type):
			wrong = append(wrong, fmt.Sprintf("%s is %s, want %s", name, got.Field(gi[0]).Type, want.Field(wi[0]).Type))
		}
	}
	if len(missing) == 0 && len(wrong) == 0 {
		return nil
	}
	var parts []string
	if len(missing) > 0 {
		parts = append(parts, "missing columns: "+strings.Join(missing, ", "))
	}
	if len(wrong) > 0 {
		parts = append(parts, "wrong types: "+strings.Join(wrong, "; "))
	}
	return fmt.Errorf("%w (schema v%s): %s", ErrSchemaMismatch, schema.Version, strings.Join(parts, "; "))
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

func openParquet(ctx context.Context, f *os.File, opts ReadOptions, skip map[string]bool) (array.RecordReader, *arrow.Schema, error) {
	pf, err := file.NewParquetReader(f, file.WithReadProps(nil))
	if err != nil {
		return nil, nil, err
	}
	if fi, err := f.Stat(); err == nil {
		if err := checkParquetChunks(pf.MetaData(), fi.Size()); err != nil {
			pf.Close()
			return nil, nil, err
		}
	}
	if v := pf.MetaData().KeyValueMetadata().FindValue("ARROW:schema"); v != nil {
		if err := checkStoredSchema(*v); err != nil {
			pf.Close()
			return nil, nil, err
		}
	}
	fr, err := pqarrow.NewFileReader(pf, pqarrow.ArrowReadProperties{BatchSize: int64(opts.BatchSize)}, opts.Mem)
	if err != nil {
		pf.Close()
		return nil, nil, err
	}
	sc, err := fr.Schema()
	if err != nil {
		pf.Close()
		return nil, nil, err
	}
	want := map[string]bool{}
	for _, c := range wantedColumns(opts, sc, skip) {
		want[c] = true
	}
	var leaves []int
	pqsc := pf.MetaData().Schema
	for i := 0; i < pqsc.NumColumns(); i++ {
		if path := pqsc.Column(i).ColumnPath(); len(path) > 0 && want[path[0]] {
			leaves = append(leaves, i)
		}
	}
	if len(leaves) == 0 {
		return &emptyReader{sc: arrow.NewSchema(nil, nil), closer: pf}, sc, nil
	}
	rr, err := newColumnStreams(ctx, fr, leaves, int64(opts.BatchSize), opts.Mem)
	if err != nil {
		pf.Close()
		return nil, nil, err
	}
	return &closingReader{RecordReader: rr, closer: pf}, sc, nil
}

// openIPCFile reads an IPC file through its embedded stream (the file is
// "ARROW1", padding, the stream, the footer, "ARROW1"): this streams batch
// by batch, and arrow v17's ipc.FileReader never frees its dictionaries.
// The trailing magic and footer length are checked first, so a truncated
// file is an error.
func openIPCFile(f *os.File, opts ReadOptions) (array.RecordReader, *arrow.Schema, error) {
	fi, err := f.Stat()
	if err != nil {
		return nil, nil, err
	}
	const magic = "ARROW1"
	size := fi.Size()
	if size < int64(2*len(magic)+2+4) {
		return nil, nil, errors.New("arrow file too short")
	}
	tail := make([]byte, 4+len(magic))
	if _, err := f.ReadAt(tail, size-int64(len(tail))); err != nil {
		return nil, nil, err
	}
	if string(tail[4:]) != magic {
		return nil, nil, errors.New("arrow file truncated: no trailing ARROW1 magic")
	}
	footer := int64(tail[0]) | int64(tail[1])<<8 | int64(tail[2])<<16 | int64(tail[3])<<24
	if footer <= 0 || footer > size-int64(len(tail))-8 {
		return nil, nil, fmt.Errorf("arrow file footer length %d out of range", footer)
	}
	if err := checkIPCSchemaAt(f, 8, size); err != nil {
		return nil, nil, err
	}
	if err := checkIPCFraming(f, 8, size-int64(len(tail))-footer); err != nil {
		return nil, nil, err
	}
	body := io.NewSectionReader(f, 8, size-int64(len(tail))-footer-8)
	r, err := ipc.NewReader(bufio.NewReaderSize(body, 1<<16), ipc.WithAllocator(opts.Mem))
	if err != nil {
		return nil, nil, err
	}
	return r, r.Schema(), nil
}

func openIPCStream(f *os.File, opts ReadOptions) (array.RecordReader, *arrow.Schema, error) {
	// A stream cut at a message boundary reads as a shorter stream; the
	// end-of-stream marker (continuation, zero length) tells them apart.
	if fi, err := f.Stat(); err == nil && fi.Mode().IsRegular() {
		eos := make([]byte, 8)
		if fi.Size() < 8 {
			return nil, nil, errors.New("arrow stream too short")
		}
		if _, err := f.ReadAt(eos, fi.Size()-8); err != nil {
			return nil, nil, err
		}
		if !bytes.Equal(eos, []byte{0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0}) {
			return nil, nil, errors.New("arrow stream truncated: no end-of-stream marker")
		}
		if err := checkIPCSchemaAt(f, 0, fi.Size()); err != nil {
			return nil, nil, err
		}
		if err := checkIPCFraming(f, 0, fi.Size()); err != nil {
			return nil, nil, err
		}
	}
	r, err := ipc.NewReader(bufio.NewReaderSize(f, 1<<16), ipc.WithAllocator(opts.Mem))
	if err != nil {
		return nil, nil, err
	}
	return r, r.Schema(), nil
}

// closingReader closes a file when the reader is released.
type closingReader struct {
	array.RecordReader
	closer io.Closer
}

func (c *closingReader) Release() {
	c.RecordReader.Release()
	if c.closer != nil {
		c.closer.Close()
		c.closer = nil
	}
}

type emptyReader struct {
	sc     *arrow.Schema
	closer io.Closer
}

func (e *emptyReader) Retain()               {}
func (e *emptyReader) Release()              { e.closer.Close() }
func (e *emptyReader) Schema() *arrow.Schema { return e.sc }
func (e *emptyReader) Next() bool            { return false }
func (e *emptyReader) Record() arrow.Record  { return nil }
func (e *emptyReader) Err() error            { return nil }

// projector selects and orders columns, turns panics of the decoders below
// into errors, and closes the file at Release.
type projector struct {
	in     array.RecordReader
	path   string
	cols   []string
	sc     *arrow.Schema
	idx    []int
	cur    arrow.Record
	err    error
	closer io.Closer
	refs   int64
	// relabel lists the output columns whose list type is relabelled.
	relabel []int
	// dates lists the output columns read as timestamps and given as
	// dates (files written with WriteOptions.PandasCompat).
	dates []int
	mem   memory.Allocator
	// validated: the reader below checks its arrays (validateArray).
	validated bool
}

// pandasDate reports whether a column of type got is a date column (want
// date32) written for pandas: a timestamp without a time zone.
func pandasDate(want, got arrow.DataType) bool {
	ts, ok := got.(*arrow.TimestampType)
	return ok && want.ID() == arrow.DATE32 && ts.TimeZone == ""
}

// sameListValues reports whether a and b are lists of the same value type
// that differ only in the element field's name or nullability.
func sameListValues(a, b arrow.DataType) bool {
	la, ok1 := a.(*arrow.ListType)
	lb, ok2 := b.(*arrow.ListType)
	return ok1 && ok2 && arrow.TypeEqual(la.Elem(), lb.Elem())
}

func newProjector(in array.RecordReader, want *arrow.Schema, cols []string, path string) (*projector, error) {
	isc := in.Schema()
	p := &projector{in: in, path: path, cols: cols, refs: 1}
	var fields []arrow.Field
	for _, c := range cols {
		idx := isc.FieldIndices(c)
		if len(idx) == 0 {
			return nil, fmt.Errorf("export: %s: no column %s", path, c)
		}
		p.idx = append(p.idx, idx[0])
		f := isc.Field(idx[0])
		if w := want.FieldIndices(c); len(w) > 0 && !arrow.TypeEqual(f.Type, want.Field(w[0]).Type) && sameListValues(f.Type, want.Field(w[0]).Type) {
			// Parquet names and flags list elements its own way: give
			// the column the schema's list type (same buffers).
			f.Type = want.Field(w[0]).Type
			p.relabel = append(p.relabel, len(fields))
		} else if len(w) > 0 && pandasDate(want.Field(w[0]).Type, f.Type) {
			f.Type = want.Field(w[0]).Type
			p.dates = append(p.dates, len(fields))
		}
		fields = append(fields, f)
	}
	md := isc.Metadata()
	p.sc = arrow.NewSchema(fields, &md)
	return p, nil
}

func (p *projector) Retain()               { atomic.AddInt64(&p.refs, 1) }
func (p *projector) Schema() *arrow.Schema { return p.sc }
func (p *projector) Record() arrow.Record  { return p.cur }
func (p *projector) Err() error            { return p.err }
func (p *projector) Release() {
	if atomic.AddInt64(&p.refs, -1) != 0 {
		return
	}
	if p.cur != nil {
		p.cur.Release()
		p.cur = nil
	}
	p.in.Release()
	if p.closer != nil {
		p.closer.Close()
	}
}

func (p *projector) Next() (ok bool) {
	if p.cur != nil {
		p.cur.Release()
		p.cur = nil
	}
	if p.err != nil {
		return false
	}
	defer func() {
		if r := recover(); r != nil {
			p.err = fmt.Errorf("export: %s: %w", p.path, ErrDamaged)
			ok = false
		}
	}()
	if !p.in.Next() {
		if err := p.in.Err(); err != nil && !errors.Is(err, io.EOF) {
			p.err = fmt.Errorf("export: %s: %w", p.path, err)
		}
		return false
	}
	rec := p.in.Record()
	cols := make([]arrow.Array, len(p.idx))
	for k, i := range p.idx {
		cols[k] = rec.Column(i)
		if p.validated {
			continue
		}
		if err := validateArray(cols[k]); err != nil {
			p.err = fmt.Errorf("export: %s: corrupt column %s: %w", p.path, p.sc.Field(k).Name, err)
			return false
		}
	}
	for _, k := range p.dates {
		a, err := dateFromTimestamp(p.mem, p.sc.Field(k).Name, cols[k])
		if err != nil {
			p.err = fmt.Errorf("export: %s: %w", p.path, err)
			return false
		}
		cols[k] = a
		defer a.Release()
	}
	for _, k := range p.relabel {
		d := cols[k].Data()
		nd := array.NewData(p.sc.Field(k).Type, d.Len(), d.Buffers(), d.Children(), d.NullN(), d.Offset())
		cols[k] = array.MakeFromData(nd)
		nd.Release()
		defer cols[k].Release()
	}
	p.cur = array.NewRecord(p.sc, cols, rec.NumRows())
	return true
}

// datasetFiles lists the data files below root in name order, skipping
// hidden and temporary entries (leading '.' or '_').
func datasetFiles(root string) ([]string, error) {
	var files []string
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if p != root && (strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_")) {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if !d.IsDir() {
			switch FormatFromPath(name) {
			case FormatParquet, FormatArrow, FormatArrowsIPC:
				files = append(files, p)
			}
		}
		return nil
	})
	sort.Strings(files)
	return files, err
}

// partitionValues parses the key=value folders between root and file.
func partitionValues(root, path string) (names, values []string, valid []bool, err error) {
	rel, err := filepath.Rel(root, filepath.Dir(path))
	if err != nil {
		return nil, nil, nil, err
	}
	if rel == "." {
		return nil, nil, nil, nil
	}
	for _, seg := range strings.Split(filepath.ToSlash(rel), "/") {
		k, v, ok := strings.Cut(seg, "=")
		if !ok {
			return nil, nil, nil, fmt.Errorf("folder %q is not a key=value partition", seg)
		}
		name, _ := UnescapePartitionValue(k)
		val, isValid := UnescapePartitionValue(v)
		names = append(names, name)
		values = append(values, val)
		valid = append(valid, isValid)
	}
	return names, values, valid, nil
}

// datasetReader concatenates the files of a partitioned folder, restoring
// the partition columns from the folder names.
type datasetReader struct {
	ctx    context.Context
	root   string
	files  []string
	opts   ReadOptions
	sc     *arrow.Schema
	pcols  []string
	skip   map[string]bool
	cur    array.RecordReader
	curVal map[string]string
	curOK  map[string]bool
	rec    arrow.Record
	err    error
	i      int
	refs   int64
}

func openDataset(ctx context.Context, root string, opts ReadOptions) (array.RecordReader, error) {
	files, err := datasetFiles(root)
	if err != nil {
		return nil, fmt.Errorf("export: %w", err)
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("export: %s: no Parquet or Arrow files", root)
	}
	pcols, _, _, err := partitionValues(root, files[0])
	if err != nil {
		return nil, fmt.Errorf("export: %s: %w", files[0], err)
	}
	skip := map[string]bool{}
	for _, c := range pcols {
		skip[c] = true
	}
	// The first file gives the data columns; the partition columns take
	// their type from the expected schema, else utf8.
	first, err := openFile(ctx, files[0], mustFormat(files[0]), ReadOptions{Mem: opts.Mem, BatchSize: opts.BatchSize, Schema: opts.Schema, AnySchema: true}, skip)
	if err != nil {
		return nil, err
	}
	fileSc := first.Schema()
	first.Release()
	var all []arrow.Field
	byName := map[string]arrow.Field{}
	for _, f := range fileSc.Fields() {
		byName[f.Name] = f
	}
	for _, c := range pcols {
		t := arrow.DataType(arrow.BinaryTypes.String)
		if idx := opts.Schema.FieldIndices(c); len(idx) > 0 {
			t = opts.Schema.Field(idx[0]).Type
		}
		byName[c] = arrow.Field{Name: c, Type: t, Nullable: true}
	}
	// Schema order where the expected schema knows the columns.
	for _, f := range opts.Schema.Fields() {
		if g, ok := byName[f.Name]; ok {
			all = append(all, g)
			delete(byName, f.Name)
		}
	}
	for _, f := range fileSc.Fields() {
		if g, ok := byName[f.Name]; ok {
			all = append(all, g)
		}
	}
	for _, c := range pcols {
		if g, ok := byName[c]; ok {
			all = append(all, g)
		}
	}
	full := arrow.NewSchema(all, nil)
	cols := wantedColumns(opts, full, nil)
	if !opts.AnySchema {
		if err := checkColumns(opts.Schema, full, cols); err != nil {
			return nil, fmt.Errorf("export: %s: %w", root, err)
		}
	}
	var fields []arrow.Field
	for _, c := range cols {
		idx := full.FieldIndices(c)
		if len(idx) == 0 {
			return nil, fmt.Errorf("export: %s: no column %s", root, c)
		}
		fields = append(fields, full.Field(idx[0]))
	}
	md := arrow.NewMetadata([]string{MetaPartitionBy}, []string{strings.Join(pcols, ",")})
	return &datasetReader{ctx: ctx, root: root, files: files, opts: opts, sc: arrow.NewSchema(fields, &md), pcols: pcols, skip: skip, refs: 1}, nil
}

func mustFormat(path string) string { return FormatFromPath(path) }

func (d *datasetReader) Retain()               { atomic.AddInt64(&d.refs, 1) }
func (d *datasetReader) Schema() *arrow.Schema { return d.sc }
func (d *datasetReader) Record() arrow.Record  { return d.rec }
func (d *datasetReader) Err() error            { return d.err }
func (d *datasetReader) Release() {
	if atomic.AddInt64(&d.refs, -1) != 0 {
		return
	}
	if d.rec != nil {
		d.rec.Release()
		d.rec = nil
	}
	if d.cur != nil {
		d.cur.Release()
		d.cur = nil
	}
}

func (d *datasetReader) Next() bool {
	if d.rec != nil {
		d.rec.Release()
		d.rec = nil
	}
	for d.err == nil {
		if err := d.ctx.Err(); err != nil {
			d.err = err
			return false
		}
		if d.cur == nil {
			if d.i >= len(d.files) {
				return false
			}
			path := d.files[d.i]
			d.i++
			names, values, valid, err := partitionValues(d.root, path)
			if err != nil {
				d.err = fmt.Errorf("export: %s: %w", path, err)
				return false
			}
			if strings.Join(names, ",") != strings.Join(d.pcols, ",") {
				d.err = fmt.Errorf("export: %s: partition folders %v, want %v", path, names, d.pcols)
				return false
			}
			d.curVal, d.curOK = map[string]string{}, map[string]bool{}
			for k, n := range names {
				d.curVal[n], d.curOK[n] = values[k], valid[k]
			}
			var want []string
			for _, f := range d.sc.Fields() {
				if !d.skip[f.Name] {
					want = append(want, f.Name)
				}
			}
			o := d.opts
			o.AnySchema = true // checked on the dataset's schema; projection finds missing columns
			o.Columns = want
			if want == nil {
				o.Columns = []string{}
			}
			if d.cur, err = openFile(d.ctx, path, mustFormat(path), o, d.skip); err != nil {
				d.err = err
				return false
			}
		}
		if !d.cur.Next() {
			d.err = d.cur.Err()
			d.cur.Release()
			d.cur = nil
			continue
		}
		rec := d.cur.Record()
		n := int(rec.NumRows())
		cols := make([]arrow.Array, d.sc.NumFields())
		var made []arrow.Array
		for k, f := range d.sc.Fields() {
			if d.skip[f.Name] {
				a, err := constantArray(d.opts.Mem, f.Type, d.curVal[f.Name], d.curOK[f.Name], n)
				if err != nil {
					for _, m := range made {
						m.Release()
					}
					d.err = fmt.Errorf("export: %s: partition %s=%q: %w", d.root, f.Name, d.curVal[f.Name], err)
					return false
				}
				made = append(made, a)
				cols[k] = a
				continue
			}
			cols[k] = rec.Column(rec.Schema().FieldIndices(f.Name)[0])
		}
		d.rec = array.NewRecord(d.sc, cols, int64(n))
		for _, m := range made {
			m.Release()
		}
		return true
	}
	return false
}

// constantArray repeats one partition value n times.
func constantArray(mem memory.Allocator, t arrow.DataType, text string, valid bool, n int) (arrow.Array, error) {
	b := array.NewBuilder(mem, t)
	defer b.Release()
	app := appenderFor(t)
	for i := 0; i < n; i++ {
		var err error
		if !valid {
			b.AppendNull()
		} else if err = app(b, text); err != nil {
			return nil, err
		}
	}
	return b.NewArray(), nil
}

// appenderFor parses text (a CSV cell, a JSON value's text, a partition
// value) into a builder of type t; lists are JSON arrays.
func appenderFor(t arrow.DataType) func(b array.Builder, text string) error {
	switch t.ID() {
	case arrow.STRING:
		return func(b array.Builder, s string) error { b.(*array.StringBuilder).Append(s); return nil }
	case arrow.LARGE_STRING:
		return func(b array.Builder, s string) error { b.(*array.LargeStringBuilder).Append(s); return nil }
	case arrow.DICTIONARY:
		return func(b array.Builder, s string) error {
			db, ok := b.(*array.BinaryDictionaryBuilder)
			if !ok {
				return fmt.Errorf("unsupported dictionary type %s", t)
			}
			return db.AppendString(s)
		}
	case arrow.DATE32:
		return func(b array.Builder, s string) error {
			d, err := schema.ParseDate(s)
			if err != nil {
				return err
			}
			b.(*array.Date32Builder).Append(arrow.Date32(d))
			return nil
		}
	case arrow.TIMESTAMP:
		unit := t.(*arrow.TimestampType).Unit
		return func(b array.Builder, s string) error {
			tm, err := time.Parse(time.RFC3339Nano, s)
			if err != nil {
				return fmt.Errorf("want an RFC 3339 time: %w", err)
			}
			v, err := arrow.TimestampFromTime(tm, unit)
			if err != nil {
				return err
			}
			b.(*array.TimestampBuilder).Append(v)
			return nil
		}
	case arrow.INT16:
		return func(b array.Builder, s string) error {
			v, err := strconv.ParseInt(s, 10, 16)
			b.(*array.Int16Builder).Append(int16(v))
			return numErr(err)
		}
	case arrow.INT32:
		return func(b array.Builder, s string) error {
			v, err := strconv.ParseInt(s, 10, 32)
			b.(*array.Int32Builder).Append(int32(v))
			return numErr(err)
		}
	case arrow.INT64:
		return func(b array.Builder, s string) error {
			v, err := strconv.ParseInt(s, 10, 64)
			b.(*array.Int64Builder).Append(v)
			return numErr(err)
		}
	case arrow.FLOAT64:
		return func(b array.Builder, s string) error {
			v, err := strconv.ParseFloat(s, 64)
			b.(*array.Float64Builder).Append(v)
			return numErr(err)
		}
	case arrow.BOOL:
		return func(b array.Builder, s string) error {
			v, err := strconv.ParseBool(s)
			b.(*array.BooleanBuilder).Append(v)
			return err
		}
	case arrow.LIST:
		elem := t.(*arrow.ListType).Elem()
		if elem.ID() != arrow.STRING {
			break
		}
		return func(b array.Builder, s string) error {
			var vals []*string
			if err := json.Unmarshal([]byte(s), &vals); err != nil {
				return fmt.Errorf("want a JSON array of strings: %w", err)
			}
			lb := b.(*array.ListBuilder)
			lb.Append(true)
			vb := lb.ValueBuilder().(*array.StringBuilder)
			for _, v := range vals {
				if v == nil {
					vb.AppendNull()
				} else {
					vb.Append(*v)
				}
			}
			return nil
		}
	}
	return func(array.Builder, string) error { return fmt.Errorf("cannot read type %s from text", t) }
}

func numErr(err error) error {
	var ne *strconv.NumError
	if errors.As(err, &ne) {
		return fmt.Errorf("%q: %w", ne.Num, ne.Err)
	}
	return err
}
