package export

import (
	"fmt"
	"io"
	"os"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/ipc"
	"github.com/apache/arrow/go/v17/arrow/memory"
)

// dictUnifier maps the dictionary columns of records from different
// builders onto one growing dictionary per column. Indices already handed
// out never change, so each record's dictionary extends the previous one:
// the IPC stream writer then emits dictionary deltas, and the file writer
// can give every batch the final dictionary. (array.DictionaryUnifier
// resets itself in GetResult, so it cannot hand out a growing dictionary.)
type dictUnifier struct {
	mem  memory.Allocator
	cols []int
	memo []map[string]int32
	vals [][]string
	arr  []arrow.Array // cached current dictionary, nil when stale
}

func newDictUnifier(sc *arrow.Schema, mem memory.Allocator) (*dictUnifier, error) {
	d := &dictUnifier{mem: mem}
	for i, f := range sc.Fields() {
		dt, ok := f.Type.(*arrow.DictionaryType)
		if !ok {
			continue
		}
		if dt.ValueType.ID() != arrow.STRING {
			return nil, fmt.Errorf("export: column %s: Arrow IPC output supports dictionaries of utf8 only, not %s", f.Name, dt.ValueType)
		}
		d.cols = append(d.cols, i)
		d.memo = append(d.memo, map[string]int32{})
		d.vals = append(d.vals, nil)
		d.arr = append(d.arr, nil)
	}
	return d, nil
}

func (d *dictUnifier) release() {
	for k, a := range d.arr {
		if a != nil {
			a.Release()
			d.arr[k] = nil
		}
	}
}

// current returns column k's unified dictionary so far (a new reference).
func (d *dictUnifier) current(k int) (arrow.Array, error) {
	if d.arr[k] == nil {
		b := array.NewStringBuilder(d.mem)
		b.AppendValues(d.vals[k], nil)
		d.arr[k] = b.NewArray()
		b.Release()
	}
	d.arr[k].Retain()
	return d.arr[k], nil
}

// remap returns rec with its dictionary columns re-indexed into the unified
// dictionaries, which they carry as their dictionary.
func (d *dictUnifier) remap(rec arrow.Record) (arrow.Record, error) {
	if len(d.cols) == 0 {
		rec.Retain()
		return rec, nil
	}
	cols := make([]arrow.Array, rec.NumCols())
	copy(cols, rec.Columns())
	var made []arrow.Array
	defer func() {
		for _, a := range made {
			a.Release()
		}
	}()
	for k, ci := range d.cols {
		da := rec.Column(ci).(*array.Dictionary)
		values, ok := da.Dictionary().(*array.String)
		if !ok {
			return nil, fmt.Errorf("column %s: dictionary of %s, want utf8", rec.ColumnName(ci), da.Dictionary().DataType())
		}
		table := make([]int32, values.Len())
		for j := range table {
			v := values.Value(j)
			id, ok := d.memo[k][v]
			if !ok {
				id = int32(len(d.vals[k]))
				d.memo[k][v] = id
				d.vals[k] = append(d.vals[k], v)
				if d.arr[k] != nil {
					d.arr[k].Release()
					d.arr[k] = nil
				}
			}
			table[j] = id
		}
		dict, err := d.current(k)
		if err != nil {
			return nil, err
		}
		dt := da.DataType().(*arrow.DictionaryType)
		idx, err := transposeIndices(d.mem, da, dt.IndexType, table)
		if err != nil {
			dict.Release()
			return nil, err
		}
		out := array.NewDictionaryArray(dt, idx, dict)
		idx.Release()
		dict.Release()
		made = append(made, out)
		cols[ci] = out
	}
	return array.NewRecord(rec.Schema(), cols, rec.NumRows()), nil
}

func transposeIndices(mem memory.Allocator, da *array.Dictionary, indexType arrow.DataType, table []int32) (arrow.Array, error) {
	n := da.Len()
	switch indexType.ID() {
	case arrow.INT32:
		b := array.NewInt32Builder(mem)
		defer b.Release()
		b.Reserve(n)
		for i := 0; i < n; i++ {
			if da.IsNull(i) {
				b.AppendNull()
			} else {
				b.UnsafeAppend(table[da.GetValueIndex(i)])
			}
		}
		return b.NewArray(), nil
	case arrow.INT8, arrow.INT16, arrow.INT64, arrow.UINT8, arrow.UINT16, arrow.UINT32, arrow.UINT64:
		b := array.NewBuilder(mem, indexType)
		defer b.Release()
		for i := 0; i < n; i++ {
			if da.IsNull(i) {
				b.AppendNull()
				continue
			}
			v := int64(table[da.GetValueIndex(i)])
			switch bb := b.(type) {
			case *array.Int8Builder:
				bb.Append(int8(v))
			case *array.Int16Builder:
				bb.Append(int16(v))
			case *array.Int64Builder:
				bb.Append(v)
			case *array.Uint8Builder:
				bb.Append(uint8(v))
			case *array.Uint16Builder:
				bb.Append(uint16(v))
			case *array.Uint32Builder:
				bb.Append(uint32(v))
			case *array.Uint64Builder:
				bb.Append(uint64(v))
			}
		}
		return b.NewArray(), nil
	}
	return nil, fmt.Errorf("dictionary index type %s", indexType)
}

func ipcOptions(sc *arrow.Schema, o *WriteOptions, compression string) ([]ipc.Option, error) {
	opts := []ipc.Option{ipc.WithSchema(sc), ipc.WithAllocator(o.Mem), ipc.WithDictionaryDeltas(true)}
	c, err := ipcCodec(compression)
	if err != nil {
		return nil, err
	}
	if c != nil {
		opts = append(opts, c)
	}
	return opts, nil
}

func withMetadata(sc *arrow.Schema, keys, values []string) *arrow.Schema {
	md := sc.Metadata()
	k := append(append([]string{}, md.Keys()...), keys...)
	v := append(append([]string{}, md.Values()...), values...)
	m := arrow.NewMetadata(k, v)
	return arrow.NewSchema(sc.Fields(), &m)
}

// ipcStreamSink writes the IPC stream format. Its schema, with the metadata
// known at that time, goes out with the first record.
type ipcStreamSink struct {
	out          io.Writer
	sc           *arrow.Schema
	o            *WriteOptions
	compression  string
	keys, values []string
	w            *ipc.Writer
	dicts        *dictUnifier
	err          error
}

func newIPCStreamSink(out io.Writer, sc *arrow.Schema, o *WriteOptions) *ipcStreamSink {
	return &ipcStreamSink{out: out, sc: sc, o: o, compression: o.Compression}
}

func (s *ipcStreamSink) start() error {
	if s.w != nil {
		return nil
	}
	sc := withMetadata(s.sc, s.keys, s.values)
	opts, err := ipcOptions(sc, s.o, s.compression)
	if err != nil {
		return err
	}
	if s.dicts, err = newDictUnifier(s.sc, s.o.Mem); err != nil {
		return err
	}
	s.sc = sc
	s.w = ipc.NewWriter(s.out, opts...)
	return nil
}

func (s *ipcStreamSink) write(rec arrow.Record) error {
	if err := s.start(); err != nil {
		return err
	}
	r, err := s.dicts.remap(rec)
	if err != nil {
		return err
	}
	defer r.Release()
	r2 := array.NewRecord(s.sc, r.Columns(), r.NumRows())
	defer r2.Release()
	return s.w.Write(r2)
}

func (s *ipcStreamSink) finish(keys, values []string) error {
	if s.w == nil {
		s.keys, s.values = keys, values
		if err := s.start(); err != nil {
			return err
		}
	}
	err := s.w.Close()
	s.dicts.release()
	return err
}

func (s *ipcStreamSink) abort() {
	if s.w != nil {
		s.w.Close()
		s.dicts.release()
	}
}

// ipcFileSink writes the IPC file format, which allows one dictionary per
// column for the whole file. Records go to an IPC stream spool beside the
// output (dictionaries unified, with deltas); Close replays the spool with
// the final dictionaries. Memory stays at one record; disk holds the data
// twice until Close.
//
// The stream format goes the same way: a stream may carry dictionary
// deltas, and pyarrow reads them, but polars (1.x) refuses them ("delta
// dictionary batches not supported"), so our streams carry one dictionary
// per column too, and appear when the writer closes.
type ipcFileSink struct {
	stream    bool // write the stream format (at Close, like the file)
	out       io.Writer
	o         *WriteOptions
	sc        *arrow.Schema
	spoolPath string
	spoolFile *os.File
	spool     *ipcStreamSink
}

func newIPCFileSink(out io.Writer, tmpPath string, sc *arrow.Schema, o *WriteOptions, stream bool) (*ipcFileSink, error) {
	dir := os.TempDir()
	if tmpPath != "" {
		dir = dirOf(tmpPath)
	}
	f, err := os.CreateTemp(dir, ".incidents-spool-*.arrows")
	if err != nil {
		return nil, fmt.Errorf("export: %w", err)
	}
	spool := newIPCStreamSink(f, sc, o)
	spool.compression = "" // the spool is read back at once: speed over size
	return &ipcFileSink{stream: stream, out: out, o: o, sc: sc, spoolPath: f.Name(), spoolFile: f, spool: spool}, nil
}

func (s *ipcFileSink) write(rec arrow.Record) error { return s.spool.write(rec) }

func (s *ipcFileSink) finish(keys, values []string) (err error) {
	defer s.abort()
	if err := s.spool.start(); err != nil {
		return err
	}
	dicts := s.spool.dicts
	final := make(map[int]arrow.Array, len(dicts.cols))
	for k, ci := range dicts.cols {
		d, err := dicts.current(k)
		if err != nil {
			return err
		}
		defer d.Release()
		final[ci] = d
	}
	if err := s.spool.w.Close(); err != nil {
		return err
	}
	dicts.release()
	s.spool.w = nil
	if _, err := s.spoolFile.Seek(0, io.SeekStart); err != nil {
		return err
	}
	rd, err := ipc.NewReader(s.spoolFile, ipc.WithAllocator(s.o.Mem), ipc.WithDelayReadSchema(true))
	if err != nil {
		return err
	}
	defer rd.Release()
	sc := withMetadata(s.sc, keys, values)
	opts, err := ipcOptions(sc, s.o, s.o.Compression)
	if err != nil {
		return err
	}
	var fw interface {
		Write(arrow.Record) error
		Close() error
	}
	if s.stream {
		fw = ipc.NewWriter(s.out, opts...)
	} else if fw, err = ipc.NewFileWriter(&noSeek{w: s.out}, opts...); err != nil {
		return err
	}
	var first arrow.Record
	defer func() {
		if first != nil {
			first.Release()
		}
	}()
	for rd.Next() {
		rec := rd.Record()
		cols := make([]arrow.Array, rec.NumCols())
		copy(cols, rec.Columns())
		var made []arrow.Array
		for ci, dict := range final {
			da := rec.Column(ci).(*array.Dictionary)
			out := array.NewDictionaryArray(da.DataType(), da.Indices(), dict)
			made = append(made, out)
			cols[ci] = out
		}
		out := array.NewRecord(sc, cols, rec.NumRows())
		err := fw.Write(out)
		if first == nil && err == nil {
			first = out
		} else {
			out.Release()
		}
		for _, a := range made {
			a.Release()
		}
		if err != nil {
			fw.Close()
			return err
		}
	}
	if err := rd.Err(); err != nil {
		fw.Close()
		return err
	}
	err = fw.Close()
	if first != nil && !s.stream {
		// arrow v17's ipc.FileWriter retains the first record's dictionary
		// arrays (array.Dictionary.Dictionary()) and, unlike ipc.Writer,
		// never releases them at Close.
		for ci := range final {
			first.Column(ci).(*array.Dictionary).Dictionary().Release()
		}
		first.Release()
		first = nil
	}
	return err
}

func (s *ipcFileSink) abort() {
	if s.spool != nil {
		s.spool.abort()
		s.spool = nil
	}
	if s.spoolFile != nil {
		s.spoolFile.Close()
		os.Remove(s.spoolPath)
		s.spoolFile = nil
	}
}

// noSeek lets the IPC file writer, which only asks for its current
// position, write to stdout (maybe a pipe) and to files it must not close.
type noSeek struct {
	w   io.Writer
	pos int64
}

func (n *noSeek) Write(p []byte) (int, error) {
	k, err := n.w.Write(p)
	n.pos += int64(k)
	return k, err
}

func (n *noSeek) Seek(off int64, whence int) (int64, error) {
	if off == 0 && whence == io.SeekCurrent {
		return n.pos, nil
	}
	return 0, fmt.Errorf("export: output is not seekable")
}

func dirOf(p string) string {
	for i := len(p) - 1; i >= 0; i-- {
		if os.IsPathSeparator(p[i]) {
			return p[:i+1]
		}
	}
	return "."
}
