package export

import (
	"context"
	"errors"
	"fmt"
	"io"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/apache/arrow/go/v17/parquet/metadata"
	"github.com/apache/arrow/go/v17/parquet/pqarrow"
)

// maxStreams caps the goroutines that decode one Parquet file.
const maxStreams = 4

// columnStreams reads the wanted columns of a Parquet file as a few column
// streams, each decoded by its own goroutine one batch ahead of the
// consumer, and zips their batches into records in file order. This is
// how DuckDB and Arrow C++ keep two cores busy on one file, and it works
// whatever the row groups: one or many, small or large.
//
// Each stream holds whole top-level fields, the streams balanced by the
// decoded size of their data, and reads one row group at a time, so that
// no batch spans two row groups: each row group has its own dictionary
// pages, and pqarrow (v17) fails with "not implemented" when a batch of a
// dictionary column straddles two of them.
//
// A column whose chunk statistics say it is all null in a row group (the
// injured and detained counts of an ACLED extract) is not decoded there:
// its batches are null arrays over one shared zeroed buffer. Decoding such
// a column costs as much as a full one (pqarrow allocates and clears its
// values), and trusting a chunk's null count is what every engine's
// statistics pruning does.
type columnStreams struct {
	ctx     context.Context
	fr      *pqarrow.FileReader
	mem     memory.Allocator
	sc      *arrow.Schema
	batch   int64
	rgRows  []int64
	nullIn  [][]bool // per row group, per output field: all null, not decoded
	streams []*stream

	rg, cur int   // next row group; row group of the batches being zipped
	left    int64 // rows of row group cur not yet returned
	rec     arrow.Record
	err     error
	zero    *memory.Buffer

	done     chan struct{}
	wg       sync.WaitGroup
	refs     int64
	released bool
}

// stream is one goroutine's share of the columns.
type stream struct {
	fields []int   // output field positions, ascending
	leaves [][]int // per field, its Parquet leaves
	active []bool  // per row group: some field is decoded
	ch     chan streamBatch
	pend   arrow.Record // batch being zipped, from row off on
	off    int64
	outIdx []int // per column of pend, its output position
}

type streamBatch struct {
	rg  int
	rec arrow.Record
	err error
}

// newColumnStreams starts the goroutines that decode leaves (ascending
// Parquet leaf indices) of fr's file.
func newColumnStreams(ctx context.Context, fr *pqarrow.FileReader, leaves []int, batch int64, mem memory.Allocator) (*columnStreams, error) {
	first, err := fr.GetRecordReader(ctx, leaves, []int{}) // the schema, from a reader over no row groups
	if err != nil {
		return nil, err
	}
	sc := first.Schema()
	first.Release()
	md := fr.ParquetReader().MetaData()
	pqsc := md.Schema
	c := &columnStreams{ctx: ctx, fr: fr, mem: mem, sc: sc, batch: batch, done: make(chan struct{}), refs: 1}

	// Group the leaves by output field.
	fieldLeaves := make([][]int, sc.NumFields())
	unique := true
	for _, leaf := range leaves {
		name := pqsc.Column(leaf).ColumnPath()[0]
		idx := sc.FieldIndices(name)
		if len(idx) != 1 {
			unique = false
			break
		}
		fieldLeaves[idx[0]] = append(fieldLeaves[idx[0]], leaf)
	}
	for _, l := range fieldLeaves {
		if len(l) == 0 {
			unique = false
		}
	}
	if !unique { // duplicate or unmatched names: one stream, everything decoded
		fieldLeaves = [][]int{leaves}
	}

	nrg := fr.ParquetReader().NumRowGroups()
	c.rgRows = make([]int64, nrg)
	c.nullIn = make([][]bool, nrg)
	cost := make([]int64, len(fieldLeaves))
	for rg := 0; rg < nrg; rg++ {
		rgmd := md.RowGroup(rg)
		c.rgRows[rg] = rgmd.NumRows()
		c.nullIn[rg] = make([]bool, sc.NumFields())
		for f, fl := range fieldLeaves {
			if unique && len(fl) == 1 && nullable(sc.Field(f).Type) && pqsc.Column(fl[0]).MaxRepetitionLevel() == 0 && chunkAllNull(rgmd, fl[0]) {
				c.nullIn[rg][f] = true
				continue
			}
			for _, leaf := range fl {
				if cc, err := rgmd.ColumnChunk(leaf); err == nil {
					cost[f] += cc.TotalUncompressedSize() + 2*cc.NumValues()
				}
			}
		}
	}

	// Deal the fields to the streams, largest first, each to the least
	// loaded stream; fields that are never decoded go nowhere.
	nstreams := min(runtime.GOMAXPROCS(0), maxStreams)
	order := make([]int, len(fieldLeaves))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return int(min(max(cost[b]-cost[a], -1), 1)) })
	load := make([]int64, nstreams)
	bins := make([][]int, nstreams)
	for _, f := range order {
		if unique && !decodedSomewhere(c.nullIn, f) {
			continue
		}
		s := slices.Index(load, slices.Min(load))
		load[s] += cost[f] + 1
		bins[s] = append(bins[s], f)
	}
	for _, fields := range bins {
		if len(fields) == 0 {
			continue
		}
		slices.Sort(fields)
		s := &stream{ch: make(chan streamBatch), active: make([]bool, nrg)}
		for _, f := range fields {
			if unique {
				s.fields = append(s.fields, f)
			}
			s.leaves = append(s.leaves, fieldLeaves[f])
		}
		for rg := range s.active {
			s.active[rg] = !unique
			for _, f := range s.fields {
				s.active[rg] = s.active[rg] || !c.nullIn[rg][f]
			}
		}
		c.streams = append(c.streams, s)
	}
	for _, s := range c.streams {
		c.wg.Add(1)
		go c.run(s)
	}
	return c, nil
}

func decodedSomewhere(nullIn [][]bool, f int) bool {
	for _, rg := range nullIn {
		if !rg[f] {
			return true
		}
	}
	return false
}

// nullable reports whether nullArray can make an all-null array of t.
func nullable(t arrow.DataType) bool {
	switch t.ID() {
	case arrow.STRING, arrow.BINARY:
		return true
	case arrow.DICTIONARY, arrow.EXTENSION, arrow.NULL:
		return false
	}
	_, ok := t.(arrow.FixedWidthDataType)
	return ok
}

// chunkAllNull reports whether the statistics of leaf's chunk in the row
// group say that every one of its values is null.
func chunkAllNull(rgmd *metadata.RowGroupMetaData, leaf int) bool {
	cc, err := rgmd.ColumnChunk(leaf)
	if err != nil {
		return false
	}
	st, err := cc.Statistics()
	if err != nil || st == nil || !st.HasNullCount() {
		return false
	}
	return cc.NumValues() == rgmd.NumRows() && st.NullCount() == cc.NumValues()
}

// leavesIn lists the leaves s decodes in row group rg.
func (c *columnStreams) leavesIn(s *stream, rg int) []int {
	var leaves []int
	for k, l := range s.leaves {
		if len(s.fields) == 0 || !c.nullIn[rg][s.fields[k]] {
			leaves = append(leaves, l...)
		}
	}
	slices.Sort(leaves)
	return leaves
}

// run decodes the batches of s, in order, into s.ch until the file ends,
// an error (sent as the last batch), or Release.
func (c *columnStreams) run(s *stream) {
	defer c.wg.Done()
	defer close(s.ch)
	send := func(b streamBatch) bool {
		select {
		case s.ch <- b:
			return true
		case <-c.done:
			if b.rec != nil {
				b.rec.Release()
			}
			return false
		}
	}
	// A corrupt file may make the decoders panic: that is an error of
	// this stream, not a crash of the program.
	readGroup := func(rg int) (ok bool, err error) {
		var rr pqarrow.RecordReader
		defer func() {
			if r := recover(); r != nil {
				ok, err = false, ErrDamaged
			}
			if rr != nil {
				rr.Release()
			}
		}()
		rr, err = c.fr.GetRecordReader(c.ctx, c.leavesIn(s, rg), []int{rg})
		if err != nil {
			return false, err
		}
		for rr.Next() {
			if err := c.ctx.Err(); err != nil {
				return false, err
			}
			rec := rr.Record()
			for i, col := range rec.Columns() {
				if err := validateArray(col); err != nil {
					return false, fmt.Errorf("corrupt column %s: %w", rec.ColumnName(i), err)
				}
			}
			rec.Retain()
			if !send(streamBatch{rg: rg, rec: rec}) {
				return false, nil
			}
		}
		// pqarrow reports the end of a row group as io.EOF
		if err := rr.Err(); err != nil && !errors.Is(err, io.EOF) {
			return false, err
		}
		return true, nil
	}
	for rg, active := range s.active {
		if !active {
			continue
		}
		ok, err := readGroup(rg)
		if err != nil {
			send(streamBatch{rg: rg, err: err})
			return
		}
		if !ok {
			return
		}
	}
}

func (c *columnStreams) Schema() *arrow.Schema { return c.sc }
func (c *columnStreams) Record() arrow.Record  { return c.rec }
func (c *columnStreams) Err() error            { return c.err }
func (c *columnStreams) Retain()               { atomic.AddInt64(&c.refs, 1) }

// Release stops the goroutines and frees what they decoded ahead.
func (c *columnStreams) Release() {
	if atomic.AddInt64(&c.refs, -1) != 0 || c.released {
		return
	}
	c.released = true
	close(c.done)
	c.wg.Wait()
	for _, s := range c.streams {
		for b := range s.ch {
			if b.rec != nil {
				b.rec.Release()
			}
		}
		if s.pend != nil {
			s.pend.Release()
			s.pend = nil
		}
	}
	if c.rec != nil {
		c.rec.Release()
		c.rec = nil
	}
	if c.zero != nil {
		c.zero.Release()
		c.zero = nil
	}
}

func (c *columnStreams) Next() bool {
	if c.rec != nil {
		c.rec.Release()
		c.rec = nil
	}
	if c.err != nil || c.released {
		return false
	}
	for c.left == 0 {
		if c.rg >= len(c.rgRows) {
			return false
		}
		c.cur, c.left = c.rg, c.rgRows[c.rg]
		c.rg++
	}
	rg := c.cur
	// Every active stream needs a batch; the output batch is as long as
	// the shortest of them (streams agree on batch boundaries unless a
	// reader below chooses otherwise).
	n := c.left
	decoded := false
	for _, s := range c.streams {
		if !s.active[rg] {
			continue
		}
		decoded = true
		if s.pend == nil {
			b, ok := <-s.ch
			switch {
			case !ok:
				c.err = fmt.Errorf("row group %d: a column stream ended early", rg)
			case b.err != nil:
				c.err = fmt.Errorf("row group %d: %w", rg, b.err)
			case b.rg != rg || b.rec.NumRows() == 0:
				b.rec.Release()
				c.err = fmt.Errorf("row group %d: column streams out of step", rg)
			}
			if c.err != nil {
				return false
			}
			s.pend, s.off = b.rec, 0
			if err := c.mapColumns(s); err != nil {
				c.err = err
				return false
			}
		}
		n = min(n, s.pend.NumRows()-s.off)
	}
	if !decoded {
		n = min(n, c.batch)
	}
	cols := make([]arrow.Array, c.sc.NumFields())
	defer func() {
		for _, a := range cols {
			if a != nil {
				a.Release()
			}
		}
	}()
	for _, s := range c.streams {
		if !s.active[rg] {
			continue
		}
		whole := s.off == 0 && n == s.pend.NumRows()
		for k, col := range s.pend.Columns() {
			if whole {
				col.Retain()
				cols[s.outIdx[k]] = col
				continue
			}
			// Copied, not sliced: readers of lists (schema.AppendIncidents)
			// index List.Offsets() as if the array began at offset 0.
			sl := array.NewSlice(col, s.off, s.off+n)
			cp, err := array.Concatenate([]arrow.Array{sl}, c.mem)
			sl.Release()
			if err != nil {
				c.err = fmt.Errorf("row group %d: column %s: %w", rg, c.sc.Field(s.outIdx[k]).Name, err)
				return false
			}
			cols[s.outIdx[k]] = cp
		}
		if s.off += n; s.off == s.pend.NumRows() {
			s.pend.Release()
			s.pend = nil
		}
	}
	for f := range cols {
		if cols[f] == nil {
			if !c.nullIn[rg][f] {
				c.err = fmt.Errorf("row group %d: no data for column %s", rg, c.sc.Field(f).Name)
				return false
			}
			cols[f] = c.nullArray(c.sc.Field(f).Type, int(n))
		}
	}
	c.left -= n
	c.rec = array.NewRecord(c.sc, cols, n)
	return true
}

// mapColumns finds the output position of each column of s.pend.
func (c *columnStreams) mapColumns(s *stream) error {
	psc := s.pend.Schema()
	s.outIdx = s.outIdx[:0]
	for k := 0; k < psc.NumFields(); k++ {
		idx := c.sc.FieldIndices(psc.Field(k).Name)
		if len(idx) == 0 {
			return fmt.Errorf("unexpected column %s", psc.Field(k).Name)
		}
		// duplicate names only happen with a single stream, which
		// decodes the fields in schema order
		i := idx[0]
		if len(idx) > 1 {
			i = k
		}
		s.outIdx = append(s.outIdx, i)
	}
	return nil
}

// nullArray returns n nulls of type t (see nullable) over the shared
// zeroed buffer: a zero validity bitmap, zero values, zero offsets.
func (c *columnStreams) nullArray(t arrow.DataType, n int) arrow.Array {
	need := 4*(n+1) + 8
	if fw, ok := t.(arrow.FixedWidthDataType); ok {
		need = max(need, (fw.BitWidth()*n+7)/8+8)
	}
	if c.zero == nil || c.zero.Len() < need {
		if c.zero != nil {
			c.zero.Release()
		}
		c.zero = memory.NewResizableBuffer(c.mem)
		c.zero.Resize(max(need, 16*int(c.batch)+8))
		memory.Set(c.zero.Bytes(), 0)
	}
	bufs := []*memory.Buffer{c.zero, c.zero}
	if t.ID() == arrow.STRING || t.ID() == arrow.BINARY {
		bufs = append(bufs, c.zero)
	}
	d := array.NewData(t, n, bufs, nil, n, 0)
	defer d.Release()
	return array.MakeFromData(d)
}
