package export

import (
	"context"
	"errors"
	"fmt"
	"io"
	"runtime"
	"slices"
	"sort"
	"strings"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/bitutil"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/apache/arrow/go/v17/parquet"
	"github.com/apache/arrow/go/v17/parquet/file"
	"github.com/apache/arrow/go/v17/parquet/metadata"
	"github.com/apache/arrow/go/v17/parquet/pqarrow"
	"golang.org/x/sync/errgroup"
)

// The column-parallel writer's memory follows the row group: pages and
// dictionary indices, and arrow's per-column page buffers, which grow to the
// largest page (a row group's worth of a numeric column, up to the 1 MiB page
// size). On 2M ACLED rows its live heap peaks at about 37 MB between records
// with 64Ki-row groups (DefaultRowGroupRows), 60-70 MB with 128Ki and 77 MB
// for the pqarrow writer's 1Mi; the file is 1.5% larger than with
// 128Ki-row groups. A larger RowGroupRows asked for is honoured.

// fastParquetSink writes the shapes of schema.Arrow() (flat primitives and
// text, dictionary(utf8), list<utf8>) into buffered row groups, each
// record's columns spread over GOMAXPROCS goroutines (a column chunk is
// written by one goroutine at a time); row groups are written out in
// column order. The
// file is the one pqarrow writes: same schema, metadata, encodings and
// statistics; with the same row groups, the same bytes.
//
// Text columns with a Parquet dictionary are not handed to arrow's
// dictionary encoder value by value (which hashes every value into its
// memo table and allocates per value): each row group keeps its own
// dictionary per column, in order of first appearance as arrow's encoder
// would build it, and the values' indices into it. A dictionary(utf8)
// record costs a lookup per entry of its small dictionary, not per row. At
// the end of the row group the dictionary goes to the encoder once
// (PutDictionary) and the indices page-batch by page-batch
// (WriteDictIndices), with the page statistics computed from the
// dictionary's sort order. A dictionary that outgrows the dictionary page
// limit is handed to arrow's encoder as plain values, which falls back to
// PLAIN exactly as it did before.
type fastParquetSink struct {
	fw       *file.Writer
	sc       *arrow.Schema // the caller's, stored as ARROW:schema
	pandas   bool          // add the pandas metadata
	mem      memory.Allocator
	rgw      file.BufferedRowGroupWriter
	cols     []*leafColumn
	order    []int             // columns, most expensive first
	ctxs     []context.Context // one arrow write context per worker
	cancel   context.Context   // the caller's: column work stops when it is done
	maxRows  int64
	maxBytes int64
	rgRows   int64
	rgBytes  int64
}

// leafShape is how a field maps to its one Parquet leaf column.
type leafShape int

const (
	shapeFlat     leafShape = iota // primitive or text, no dictionary
	shapeDictText                  // dictionary(utf8)
	shapeListText                  // list<utf8>, elements not null
)

// fastShapes returns the leaf shape of each field of sc, or false if a
// field has another shape (the pqarrow writer then takes the schema).
func fastShapes(sc *arrow.Schema) ([]leafShape, bool) {
	shapes := make([]leafShape, sc.NumFields())
	for i, f := range sc.Fields() {
		switch t := f.Type.(type) {
		case *arrow.DictionaryType:
			if t.ValueType.ID() != arrow.STRING || !arrow.IsInteger(t.IndexType.ID()) {
				return nil, false
			}
			shapes[i] = shapeDictText
		case *arrow.ListType:
			if t.Elem().ID() != arrow.STRING || t.ElemField().Nullable {
				return nil, false
			}
			shapes[i] = shapeListText
		default:
			switch f.Type.ID() {
			case arrow.BOOL, arrow.INT8, arrow.INT16, arrow.INT32, arrow.INT64,
				arrow.UINT8, arrow.UINT16, arrow.UINT32, arrow.UINT64,
				arrow.FLOAT32, arrow.FLOAT64, arrow.STRING, arrow.LARGE_STRING,
				arrow.BINARY, arrow.LARGE_BINARY, arrow.DATE32, arrow.DATE64,
				arrow.TIMESTAMP, arrow.TIME32, arrow.TIME64:
				shapes[i] = shapeFlat
			default:
				return nil, false
			}
		}
	}
	return shapes, true
}

func newFastParquetSink(ctx context.Context, out io.Writer, sc *arrow.Schema, shapes []leafShape, o *WriteOptions) (*fastParquetSink, error) {
	props, err := parquetProps(sc, o)
	if err != nil {
		return nil, err
	}
	fileSc := parquetSchema(sc)
	arrProps := pqarrow.NewArrowWriterProperties(pqarrow.WithAllocator(o.Mem))
	pqSc, err := pqarrow.ToParquet(fileSc, props, arrProps)
	if err != nil {
		return nil, fmt.Errorf("export: parquet: %w", err)
	}
	if pqSc.NumColumns() != sc.NumFields() {
		return nil, fmt.Errorf("export: parquet: %d leaf columns for %d fields", pqSc.NumColumns(), sc.NumFields())
	}
	s := &fastParquetSink{ // the metadata goes in at finish (parquetFooter)
		fw:       file.NewParquetWriter(&noSeek{w: out}, pqSc.Root(), file.WithWriterProps(props)),
		sc:       sc,
		pandas:   o.PandasCompat,
		mem:      o.Mem,
		maxRows:  DefaultRowGroupRows,
		maxBytes: DefaultRowGroupBytes,
	}
	if o.RowGroupRows > 0 {
		s.maxRows = o.RowGroupRows
	}
	limit := props.DictionaryPageSizeLimit()
	for i, f := range sc.Fields() {
		leaf := pqSc.Column(i)
		c := &leafColumn{field: f, shape: shapes[i], pos: i, mem: o.Mem, dictLimit: limit, maxDef: leaf.MaxDefinitionLevel()}
		if c.shape == shapeListText {
			// list field > repeated group > element: each optional one adds a level.
			n := leaf.SchemaNode()
			if n.Parent() == nil || n.Parent().Parent() == nil {
				return nil, fmt.Errorf("export: parquet: %s is not a three-level list", leaf.Path())
			}
			if n.Parent().Parent().RepetitionType() == parquet.Repetitions.Optional {
				c.listDef = 1
			}
			c.presentDef = c.maxDef
		}
		s.cols = append(s.cols, c)
	}
	// Text columns first: they take longest, and a worker left with the
	// last short columns finishes soon after the others.
	for pass := 0; pass < 2; pass++ {
		for i, c := range s.cols {
			if (pass == 0) == (c.shape != shapeFlat || isText(c.field.Type)) {
				s.order = append(s.order, i)
			}
		}
	}
	workers := min(runtime.GOMAXPROCS(0), len(s.cols))
	for w := 0; w < max(workers, 1); w++ {
		s.ctxs = append(s.ctxs, pqarrow.NewArrowWriteContext(ctx, &arrProps))
	}
	s.cancel = ctx
	return s, nil
}

func (s *fastParquetSink) write(rec arrow.Record) error {
	size := recordBytes(rec)
	if s.rgRows > 0 && s.rgBytes+size > s.maxBytes {
		if err := s.flushRowGroup(); err != nil {
			return err
		}
	}
	n := rec.NumRows()
	for off := int64(0); off < n; {
		if s.rgw == nil {
			s.startRowGroup()
		}
		k := min(n-off, s.maxRows-s.rgRows)
		part := rec
		if k < n {
			part = rec.NewSlice(off, off+k)
		}
		err := s.each(func(ctx context.Context, c *leafColumn) error {
			return c.append(ctx, part.Column(c.pos))
		})
		if k < n {
			part.Release()
		}
		if err != nil {
			return err
		}
		s.rgRows += k
		s.rgBytes += size * k / n
		off += k
		if s.rgRows >= s.maxRows {
			if err := s.flushRowGroup(); err != nil {
				return err
			}
		}
	}
	return nil
}

func (s *fastParquetSink) startRowGroup() {
	s.rgw = s.fw.AppendBufferedRowGroup()
	for i, c := range s.cols {
		cw, _ := s.rgw.Column(i) // i < NumColumns, checked in newFastParquetSink
		c.start(cw)
	}
	s.rgRows, s.rgBytes = 0, 0
}

// flushRowGroup finishes every column chunk (in parallel: dictionary
// indices, last data page compressed) and writes the row group out.
func (s *fastParquetSink) flushRowGroup() error {
	if s.rgw == nil {
		return nil
	}
	err := s.each(func(ctx context.Context, c *leafColumn) error { return c.finish(ctx) })
	if err != nil {
		return err
	}
	err = s.rgw.Close()
	s.rgw = nil
	for _, c := range s.cols {
		c.cw = nil
	}
	if err != nil {
		return fmt.Errorf("parquet: %w", err)
	}
	return nil
}

// each runs f on every column, spread over the workers (errgroup with one
// slot per worker's write context, as pqarrow's parallel column writer
// does): the first error or a cancellation stops the columns not yet begun
// and is returned. Each column is touched by one goroutine at a time, and
// what it writes does not depend on which one: the bytes are the same
// whatever GOMAXPROCS.
func (s *fastParquetSink) each(f func(ctx context.Context, c *leafColumn) error) error {
	colErr := func(i int, err error) error {
		return fmt.Errorf("parquet: column %s: %w", s.cols[i].field.Name, err)
	}
	if len(s.ctxs) == 1 {
		for _, i := range s.order {
			if err := s.cancel.Err(); err != nil {
				return err
			}
			if err := f(s.ctxs[0], s.cols[i]); err != nil {
				return colErr(i, err)
			}
		}
		return nil
	}
	g, gctx := errgroup.WithContext(s.cancel)
	g.SetLimit(len(s.ctxs))
	pool := make(chan context.Context, len(s.ctxs))
	for _, c := range s.ctxs {
		pool <- c
	}
	for _, i := range s.order {
		g.Go(func() error {
			if err := gctx.Err(); err != nil {
				return err
			}
			ctx := <-pool
			defer func() { pool <- ctx }()
			if err := f(ctx, s.cols[i]); err != nil {
				return colErr(i, err)
			}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		if cerr := s.cancel.Err(); cerr != nil {
			return cerr
		}
		return err
	}
	return nil
}

func (s *fastParquetSink) finish(keys, values []string) error {
	if err := s.flushRowGroup(); err != nil {
		return err
	}
	keys, values = parquetFooter(s.sc, keys, values, s.mem, s.pandas)
	for i, k := range keys {
		if err := s.fw.AppendKeyValueMetadata(k, values[i]); err != nil {
			return err
		}
	}
	return s.fw.Close()
}

func (s *fastParquetSink) abort() {
	if s.rgw != nil {
		s.rgw.Close()
		s.rgw = nil
	}
	s.fw.Close()
}

// leafColumn writes one field to its Parquet leaf column.
type leafColumn struct {
	field  arrow.Field
	shape  leafShape
	pos    int
	mem    memory.Allocator
	maxDef int16
	// lists: the definition level of an empty list (that of a null list
	// is one less) and of an element.
	listDef, presentDef int16
	dictLimit           int64
	cw                  file.ColumnChunkWriter

	// dict: the row group's values go through our dictionary (the column
	// has Parquet dictionary pages and its values are text); dense: they go
	// to the column writer as they come (no dictionary, or it overflowed).
	dict, dense bool

	ids      map[string]int32
	vals     []string
	dictSize int64   // as arrow's encoder counts it: 4 + len per entry
	idx      []int32 // flat: per row, -1 for null; list: per element
	def, rep []int16 // lists: the levels
	chunks   []int   // levels of each appended chunk
	remap    []int32 // a record dictionary's entries -> ours
	defBuf   []int16
}

// dictPutter is the part of parquet/internal/encoding.DictEncoder used here.
type dictPutter interface {
	PutDictionary(arrow.Array) error
	NumEntries() int
}

type pageFlusher interface{ FlushCurrentPage() error }

func (c *leafColumn) start(cw file.ColumnChunkWriter) {
	c.cw = cw
	_, isDict := cw.CurrentEncoder().(dictPutter)
	c.dict = isDict && cw.CurrentEncoder().Encoding() == parquet.Encodings.PlainDict &&
		(c.shape != shapeFlat || c.field.Type.ID() == arrow.STRING)
	c.dense = !c.dict
	c.resetDict()
}

func (c *leafColumn) resetDict() {
	if c.ids == nil {
		c.ids = map[string]int32{}
	} else {
		clear(c.ids)
	}
	clear(c.vals)
	c.vals, c.dictSize = c.vals[:0], 0
	c.idx, c.def, c.rep, c.chunks = c.idx[:0], c.def[:0], c.rep[:0], c.chunks[:0]
}

func (c *leafColumn) intern(v string) int32 {
	if g, ok := c.ids[v]; ok {
		return g
	}
	v = strings.Clone(v)
	g := int32(len(c.vals))
	c.ids[v] = g
	c.vals = append(c.vals, v)
	c.dictSize += int64(len(v)) + 4
	return g
}

func (c *leafColumn) append(ctx context.Context, arr arrow.Array) error {
	if c.dense {
		return c.writeDense(ctx, arr)
	}
	levels := 0
	switch c.shape {
	case shapeFlat:
		a, ok := arr.(*array.String)
		if !ok {
			return fmt.Errorf("%s array for a utf8 column", arr.DataType())
		}
		for i := 0; i < a.Len(); i++ {
			if a.IsNull(i) {
				c.idx = append(c.idx, -1)
			} else {
				c.idx = append(c.idx, c.intern(a.Value(i)))
			}
		}
		levels = a.Len()
	case shapeDictText:
		if err := c.appendDict(arr); err != nil {
			return err
		}
		levels = arr.Len()
	case shapeListText:
		l, ok := arr.(*array.List)
		if !ok {
			return fmt.Errorf("%s array for a list column", arr.DataType())
		}
		before := len(c.def)
		offs, child := listOffsets(l), l.ListValues().(*array.String)
		c.def, c.rep = c.listLevels(l, c.def, c.rep)
		for j := offs[0]; j < offs[l.Len()]; j++ {
			c.idx = append(c.idx, c.intern(child.Value(int(j))))
		}
		levels = len(c.def) - before
	}
	c.chunks = append(c.chunks, levels)
	if c.dictSize >= c.dictLimit {
		return c.spill(ctx)
	}
	return nil
}

// appendDict maps a dictionary(utf8) array's indices to ours, looking up
// each entry of its dictionary the first time a row uses it (so that our
// dictionary has arrow's encoder's order: first appearance).
func (c *leafColumn) appendDict(arr arrow.Array) error {
	da, ok := arr.(*array.Dictionary)
	if !ok {
		return fmt.Errorf("%s array for a dictionary column", arr.DataType())
	}
	dict, ok := da.Dictionary().(*array.String)
	if !ok {
		return fmt.Errorf("dictionary of %s, want utf8", da.Dictionary().DataType())
	}
	c.remap = c.remap[:0]
	for i := 0; i < dict.Len(); i++ {
		c.remap = append(c.remap, -1)
	}
	n := da.Len()
	lookup := func(li int) int32 {
		g := c.remap[li]
		if g < 0 {
			g = c.intern(dict.Value(li))
			c.remap[li] = g
		}
		return g
	}
	if ix, ok := da.Indices().(*array.Int32); ok && da.NullN() == 0 {
		for _, li := range ix.Int32Values() {
			c.idx = append(c.idx, lookup(int(li)))
		}
		return nil
	}
	for i := 0; i < n; i++ {
		if da.IsNull(i) {
			c.idx = append(c.idx, -1)
		} else {
			c.idx = append(c.idx, lookup(da.GetValueIndex(i)))
		}
	}
	return nil
}

// listLevels appends the definition and repetition levels of l's rows (a
// null list one below an empty one's, elements, never null, at the
// column's maximum), repetition 0 where a row starts.
func (c *leafColumn) listLevels(l *array.List, def, rep []int16) ([]int16, []int16) {
	empty, present := c.listDef, c.presentDef
	offs := listOffsets(l)
	for i := 0; i < l.Len(); i++ {
		switch s, e := offs[i], offs[i+1]; {
		case l.IsNull(i):
			def, rep = append(def, empty-1), append(rep, 0)
		case s == e:
			def, rep = append(def, empty), append(rep, 0)
		default:
			def, rep = append(def, present), append(rep, 0)
			for j := s + 1; j < e; j++ {
				def, rep = append(def, present), append(rep, 1)
			}
		}
	}
	return def, rep
}

// listOffsets returns the len+1 offsets of l's rows into its values
// (array.List.Offsets ignores a slice's offset).
func listOffsets(l *array.List) []int32 {
	if l.Len() == 0 {
		return []int32{0}
	}
	o := l.Data().Offset()
	return l.Offsets()[o : o+l.Len()+1]
}

// writeDense hands arr to the column writer as pqarrow would.
func (c *leafColumn) writeDense(ctx context.Context, arr arrow.Array) error {
	switch c.shape {
	case shapeDictText:
		m, err := materialize(c.mem, arr.(*array.Dictionary))
		if err != nil {
			return err
		}
		defer m.Release()
		return c.writeFlat(ctx, m)
	case shapeListText:
		l := arr.(*array.List)
		def, rep := c.listLevels(l, c.defBuf[:0], nil)
		c.defBuf = def
		offs := listOffsets(l)
		leaf := array.NewSlice(l.ListValues(), int64(offs[0]), int64(offs[l.Len()]))
		defer leaf.Release()
		return pqarrow.WriteArrowToColumn(ctx, c.cw, leaf, def, rep, false)
	}
	return c.writeFlat(ctx, arr)
}

func (c *leafColumn) writeFlat(ctx context.Context, arr arrow.Array) error {
	var def []int16
	if c.maxDef > 0 {
		n := arr.Len()
		def = slices.Grow(c.defBuf[:0], n)[:n]
		switch nulls := arr.NullN(); nulls {
		case 0, n:
			lvl := int16(1)
			if nulls > 0 {
				lvl = 0
			}
			for i := range def {
				def[i] = lvl
			}
		default:
			valid, off := arr.NullBitmapBytes(), arr.Data().Offset()
			for i := range def {
				def[i] = 0
				if bitutil.BitIsSet(valid, off+i) {
					def[i] = 1
				}
			}
		}
		c.defBuf = def
	}
	return pqarrow.WriteArrowToColumn(ctx, c.cw, arr, def, nil, c.field.Nullable)
}

// spill gives up our dictionary for this row group: what was gathered goes
// to the column writer as plain values, chunk by chunk as it came, so
// arrow's encoder outgrows its dictionary page and falls back to PLAIN at
// the same value it would have.
func (c *leafColumn) spill(ctx context.Context) error {
	c.dense = true
	lvl, val := 0, 0
	for _, n := range c.chunks {
		var err error
		switch c.shape {
		case shapeListText:
			values := 0
			for _, d := range c.def[lvl : lvl+n] {
				if d == c.maxDef {
					values++
				}
			}
			leaf := c.strings(c.idx[val : val+values])
			err = pqarrow.WriteArrowToColumn(ctx, c.cw, leaf, c.def[lvl:lvl+n], c.rep[lvl:lvl+n], false)
			leaf.Release()
			val += values
		default:
			leaf := c.strings(c.idx[val : val+n])
			err = c.writeFlat(ctx, leaf)
			leaf.Release()
			val += n
		}
		lvl += n
		if err != nil {
			return err
		}
	}
	c.resetDict()
	return nil
}

// strings returns the values of idx (-1 for null) as utf8.
func (c *leafColumn) strings(idx []int32) *array.String {
	b := array.NewStringBuilder(c.mem)
	defer b.Release()
	b.Reserve(len(idx))
	for _, g := range idx {
		if g < 0 {
			b.AppendNull()
		} else {
			b.Append(c.vals[g])
		}
	}
	return b.NewStringArray()
}

// finish writes what the row group gathered and compresses the column's
// last page, so that closing the row group only copies bytes.
func (c *leafColumn) finish(ctx context.Context) error {
	if !c.dense && len(c.chunks) > 0 {
		if err := c.writeDictionary(); err != nil {
			return err
		}
	}
	c.resetDict()
	if st := c.cw.PageStatistics(); st != nil && st.HasNullCount() {
		if f, ok := c.cw.(pageFlusher); ok {
			return f.FlushCurrentPage()
		}
	}
	return nil
}

// writeDictionary puts our dictionary into the column's encoder and the
// indices after it, one write batch at a time with that batch's
// statistics, as the column writer computes them for plain values: nulls
// are levels without a value, min and max over the batch's values.
func (c *leafColumn) writeDictionary() error {
	enc, ok := c.cw.CurrentEncoder().(dictPutter)
	if !ok {
		return errors.New("column writer has no dictionary encoder")
	}
	b := array.NewStringBuilder(c.mem)
	b.Reserve(len(c.vals))
	b.ReserveData(int(c.dictSize) - 4*len(c.vals))
	for _, v := range c.vals {
		b.Append(v)
	}
	dict := b.NewStringArray()
	b.Release()
	err := enc.PutDictionary(dict)
	dict.Release()
	if err != nil {
		return err
	}
	if enc.NumEntries() != len(c.vals) {
		return fmt.Errorf("dictionary encoder holds %d entries, want %d", enc.NumEntries(), len(c.vals))
	}

	// rank[g] is the place of value g in byte order (UTF8's sort order).
	order := make([]int32, len(c.vals))
	for i := range order {
		order[i] = int32(i)
	}
	sort.Slice(order, func(a, b int) bool { return c.vals[order[a]] < c.vals[order[b]] })
	rank := make([]int32, len(c.vals))
	for r, g := range order {
		rank[g] = int32(r)
	}

	indices := c.indexArray()
	defer indices.Release()
	stats, _ := c.cw.PageStatistics().(*metadata.ByteArrayStatistics)
	batch := int(c.cw.Properties().WriteBatchSize())
	nullable := c.shape != shapeListText && c.maxDef > 0
	lvl, val := 0, 0
	for _, n := range c.chunks {
		for done := 0; done < n; {
			m := min(batch, n-done)
			var def, rep []int16
			var ix []int32
			values := 0
			switch {
			case c.shape == shapeListText:
				def, rep = c.def[lvl:lvl+m], c.rep[lvl:lvl+m]
				for _, d := range def {
					if d == c.maxDef {
						values++
					}
				}
				ix = c.idx[val : val+values]
			case nullable:
				ix = c.idx[val : val+m]
				def = c.defBuf[:0]
				for _, g := range ix {
					if g < 0 {
						def = append(def, 0)
					} else {
						def = append(def, 1)
						values++
					}
				}
				c.defBuf = def
			default:
				ix = c.idx[val : val+m]
				values = m
			}
			if stats != nil {
				stats.IncNulls(int64(m - values))
				stats.IncNumValues(int64(values))
				lo, hi := int32(len(rank)), int32(-1)
				for _, g := range ix {
					if g >= 0 {
						r := rank[g]
						lo, hi = min(lo, r), max(hi, r)
					}
				}
				if hi >= 0 {
					stats.SetMinMax(byteArray(c.vals[order[lo]]), byteArray(c.vals[order[hi]]))
				}
			}
			slice := array.NewSlice(indices, int64(val), int64(val+len(ix)))
			err := c.cw.WriteDictIndices(slice, def, rep)
			slice.Release()
			if err != nil {
				return err
			}
			done += m
			lvl += m
			val += len(ix)
		}
	}
	return nil
}

// indexArray returns c.idx as an int32 array, null where it holds -1.
func (c *leafColumn) indexArray() arrow.Array {
	n := len(c.idx)
	nulls := 0
	for _, g := range c.idx {
		if g < 0 {
			nulls++
		}
	}
	buffers := []*memory.Buffer{nil, memory.NewBufferBytes(arrow.Int32Traits.CastToBytes(c.idx))}
	if nulls > 0 {
		valid := make([]byte, bitutil.BytesForBits(int64(n)))
		for i, g := range c.idx {
			if g >= 0 {
				bitutil.SetBit(valid, i)
			}
		}
		buffers[0] = memory.NewBufferBytes(valid)
	}
	data := array.NewData(arrow.PrimitiveTypes.Int32, n, buffers, nil, nulls, 0)
	defer data.Release()
	return array.MakeFromData(data)
}

// byteArray copies s into a non-nil slice: statistics take a nil value for
// "none", and "" is a value.
func byteArray(s string) parquet.ByteArray {
	return append(make([]byte, 0, len(s)+1), s...)
}
