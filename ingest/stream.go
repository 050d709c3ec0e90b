package ingest

import (
	"context"
	"errors"
	"fmt"
	"hash/maphash"
	"io"
	"os"
	"sort"
	"strings"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"golang.org/x/sync/errgroup"

	"github.com/incidentkit/incidents/ingest/profile"
	"github.com/incidentkit/incidents/ingest/source"
	"github.com/incidentkit/incidents/ingest/value"
	"github.com/incidentkit/incidents/schema"
)

// Dataset profiles: one row is one incident, read in chunks that workers
// normalize in parallel and that are emitted in input order.

type chunk struct {
	seq    int
	header []string        // the header when the chunk was read (JSON headers grow)
	hdr    *profile.Header // header, indexed (for validation rejects)
	bytes  int64           // raw bytes read when the chunk was cut
	// row mode (JSON, xlsx): rows already split by the reader
	flat []string
	rows []chunkRow
	// block mode (CSV): whole records, parsed by the worker
	block     []byte
	blockBuf  []byte // the buffer behind block, recycled after the chunk is written
	firstLine int64
	dialect   source.Dialect
}

type chunkRow struct {
	line       int64
	start, end int
	err        error // a row-level error from the reader
}

func (c *chunk) fields(i int) []string { return c.flat[c.rows[i].start:c.rows[i].end] }

type result struct {
	chunk   *chunk
	rec     arrow.Record
	rows    int64    // input rows in the chunk
	hashes  []uint64 // of incident_id, per written row
	lines   []int64  // per written row
	written []int32  // per written row: chunk row (row mode) or block offset (block mode)
	rejects []rowReject
	warns   warnings
	// filtered counts the rows the options left out (profile.ErrFiltered), by cause
	filtered map[string]int64
}

type rowReject struct {
	line   int64
	fields []string
	err    *source.Error
}

// writtenFields returns the input fields of written row k.
func (res *result) writtenFields(k int) []string {
	c := res.chunk
	if c.block == nil {
		return c.fields(int(res.written[k]))
	}
	f, _, _, _ := c.dialect.Parse(c.block[res.written[k]:], nil)
	return f
}

// worker is what one chunk's normalization needs to itself: a converter
// (which may cache) and a record builder.
type worker struct {
	conv  profile.Converter
	rb    *schema.RecordBuilder
	bound int // header length conv was bound to (JSON headers grow)
}

// stream reads a dataset input in chunks, normalizes them in parallel and
// finishes them in input order. Its goroutines form one errgroup, as
// pqarrow's column writers do: the reader cuts chunks and starts a task per
// chunk (at most Workers at a time, errgroup.SetLimit); the in-order stage
// checks duplicate ids and writes rejects; the emitter hands records to
// emit. The first error of any of them (the caller's emit error included)
// cancels the others and is the one returned; a cancelled ctx stops all.
func (r *run) stream(ctx context.Context, idx int, in *source.Input, is *InputSummary, p profile.Profile) error {
	workers := r.opts.Workers
	names := append([]string(nil), in.Src.Header()...)
	h := profile.NewHeader(names)
	popts := r.popts // this input's: the date order may be learned from its first chunk
	convs := make([]profile.Converter, workers)
	for i := range convs {
		c, err := p.Bind(h, popts)
		if err != nil {
			return source.InFile(in.Path, err)
		}
		convs[i] = c
	}
	pool := make(chan *worker, workers)
	for _, c := range convs {
		pool <- &worker{conv: c, rb: r.newRecordBuilder(), bound: len(names)}
	}
	defer func() { // every task has ended: the workers are all back
		for range workers {
			(<-pool).rb.Release()
		}
	}()
	var br *source.BlockReader // CSV: blocks of whole records, parsed by the workers
	var dialect source.Dialect
	if sp, ok := in.Src.(source.Splitter); ok {
		br = sp.Blocks(r.opts.BatchSize, workers+2)
		dialect = br.Dialect()
	}

	var dateNote string // set by the reader when the first chunk settled the date order
	g, gctx := errgroup.WithContext(ctx)
	results := make(chan *result)
	// At most window chunks are between the reader and the end of the
	// in-order stage, so that a worker held up (descheduled, a slow chunk)
	// cannot let the others run ahead and pile finished chunks up.
	window := make(chan struct{}, 2*workers+1)
	g.Go(func() error { // reader: cuts the input into chunks, a task each
		defer close(results)
		tasks, tctx := errgroup.WithContext(gctx)
		tasks.SetLimit(workers)
		start := func(c *chunk) error {
			if c.seq == 0 && popts.DateOrder == value.DateOrderNone {
				// No task has started: the idle converters may be bound again.
				if o, ok := r.sniffDateOrder(c, h, p); ok {
					po := *popts
					po.DateOrder = o.order
					popts = &po
					idle := make([]*worker, 0, workers)
					for range workers {
						idle = append(idle, <-pool)
					}
					var berr error
					for _, w := range idle {
						if nc, err := p.Bind(h, popts); err != nil {
							berr = err
						} else {
							w.conv = nc
						}
						pool <- w
					}
					if berr != nil {
						return source.InFile(in.Path, berr)
					}
					dateNote = o.note
				}
			}
			select {
			case window <- struct{}{}:
			case <-tctx.Done():
				return tctx.Err()
			}
			tasks.Go(func() error {
				w := <-pool // never waits: at most workers tasks run
				defer func() { pool <- w }()
				if len(c.header) > w.bound { // a JSON input showed new keys: bind again
					if nc, err := p.Bind(profile.NewHeader(c.header), popts); err == nil {
						w.conv, w.bound = nc, len(c.header)
					}
				}
				res := r.work(c, w.conv, w.rb, in, p)
				select {
				case results <- res:
					return nil
				case <-tctx.Done():
					if res.rec != nil {
						res.rec.Release()
					}
					return tctx.Err()
				}
			})
			return nil
		}
		err := r.readChunks(in, br, dialect, names, start)
		if werr := tasks.Wait(); err == nil {
			err = werr
		}
		return err
	})

	// The records go out through their own goroutine, so that the next
	// chunk's duplicate check and rejects overlap with the caller's writing.
	r.emitQ = make(chan arrow.Record, 1)
	defer func() {
		for rec := range r.emitQ { // left by an emitter that stopped
			rec.Release()
		}
		r.emitQ = nil
	}()
	g.Go(func() error { // in order: duplicate ids, rejects, then to the emitter
		defer close(r.emitQ)
		pending := map[int]*result{}
		defer func() {
			for _, res := range pending {
				if res.rec != nil {
					res.rec.Release()
				}
			}
		}()
		next := 0
		for {
			var res *result
			select {
			case res = <-results:
			case <-gctx.Done():
				return gctx.Err()
			}
			if res == nil { // closed: every chunk was read and worked
				return nil
			}
			pending[res.chunk.seq] = res
			for {
				done, ok := pending[next]
				if !ok {
					break
				}
				delete(pending, next)
				next++
				if err := r.finishChunk(gctx, idx, in, is, done); err != nil {
					return err
				}
				if br != nil {
					if poisonRecycled {
						poison(done.chunk.blockBuf)
					}
					br.Recycle(done.chunk.blockBuf)
				}
				<-window
			}
		}
	})
	var accepted int64  // rows of the records emit took
	g.Go(func() error { // emitter
		for rec := range r.emitQ {
			err := gctx.Err() // nothing goes out after a cancellation
			if err == nil {
				err = r.emit(rec)
			}
			if err == nil {
				accepted += rec.NumRows()
			}
			rec.Release()
			if err != nil {
				return err
			}
		}
		return nil
	})
	err := g.Wait()
	if dateNote != "" {
		r.warns.add(dateNote)
	}
	// Rows count as written once emit took them; those queued and not taken
	// (emit failed, or the run stopped first) are unwritten.
	r.sum.Incidents += accepted
	r.sum.Unwritten += r.queued - accepted
	r.queued = 0
	if err != nil {
		return err
	}
	return ctx.Err()
}

// readChunks cuts the input into chunks of BatchSize rows (blocks of whole
// records for CSV, rows split by the reader otherwise) and hands each to
// start, in input order. A reader's row error travels with its row (to be
// rejected); any other error ends the input.
func (r *run) readChunks(in *source.Input, br *source.BlockReader, dialect source.Dialect, names []string, start func(*chunk) error) error {
	if br != nil {
		for seq := 0; ; seq++ {
			block, line, err := br.Next()
			if err == io.EOF {
				return nil
			}
			var re *source.Error
			if err != nil && source.IsRowError(err) && errors.As(err, &re) { // a record over the limit: one reject, and on
				row := chunkRow{line: re.Line, err: source.InFile(in.Path, err)}
				if err := start(&chunk{seq: seq, header: names, rows: []chunkRow{row}, bytes: in.BytesRead()}); err != nil {
					return err
				}
				continue
			}
			if err != nil {
				return source.InFile(in.Path, err)
			}
			if err := start(&chunk{seq: seq, header: names, block: block, blockBuf: br.Last(), firstLine: line, dialect: dialect, bytes: in.BytesRead()}); err != nil {
				return err
			}
		}
	}
	for seq := 0; ; seq++ {
		c := &chunk{seq: seq}
		var readErr error
		for len(c.rows) < r.opts.BatchSize {
			fields, line, err := in.Src.Next()
			if err == io.EOF {
				break
			}
			if err != nil && !source.IsRowError(err) {
				readErr = err
				break
			}
			start := len(c.flat)
			c.flat = append(c.flat, fields...)
			c.rows = append(c.rows, chunkRow{line: line, start: start, end: len(c.flat), err: err})
		}
		c.bytes = in.BytesRead()
		c.header = in.Src.Header()
		if len(c.rows) > 0 {
			if err := start(c); err != nil {
				return err
			}
		}
		if readErr != nil || len(c.rows) < r.opts.BatchSize {
			return readErr
		}
	}
}

// work normalizes one chunk into a record.
func (r *run) work(c *chunk, conv profile.Converter, rb *schema.RecordBuilder, in *source.Input, p profile.Profile) *result {
	res := &result{chunk: c, warns: warnings{}}
	if c.hdr == nil {
		c.hdr = profile.NewHeader(c.header)
	}
	rc := profile.Row{File: in.Path, SerialDates: in.Src.SerialDates(), Warn: res.warns.add, Missing: r.popts.Missing}
	var inc schema.Incident
	row := func(fields []string, line int64, pos int32, rowErr error) {
		res.rows++
		if rowErr != nil {
			var re *source.Error
			if !errors.As(rowErr, &re) {
				re = &source.Error{File: in.Path, Line: line, Err: rowErr}
			}
			res.rejects = append(res.rejects, rowReject{line, append([]string(nil), fields...), re})
			return
		}
		rc.Line, rc.Fields = line, fields
		inc = schema.Incident{}
		if err := conv.Convert(&rc, &inc); err != nil {
			if errors.Is(err, profile.ErrFiltered) {
				if res.filtered == nil {
					res.filtered = map[string]int64{}
				}
				res.filtered[filterReason(err)]++
				return
			}
			var re *source.Error
			if !errors.As(err, &re) {
				re = &source.Error{File: in.Path, Line: line, Err: err}
			}
			res.rejects = append(res.rejects, rowReject{line, append([]string(nil), fields...), re})
			return
		}
		if err := inc.Validate(); err != nil {
			res.rejects = append(res.rejects, rowReject{line, append([]string(nil), fields...), validationReject(in.Path, line, err, c.hdr, p)})
			return
		}
		rb.Append(&inc)
		res.hashes = append(res.hashes, maphash.String(r.seed, inc.IncidentID))
		res.lines = append(res.lines, line)
		res.written = append(res.written, pos)
	}
	if c.block == nil {
		rb.Reserve(len(c.rows))
		for i := range c.rows {
			row(c.fields(i), c.rows[i].line, int32(i), c.rows[i].err)
		}
	} else {
		nh := len(c.header)
		var fields []string
		line := c.firstLine
		for off := 0; off < len(c.block); {
			f, n, lines, err := c.dialect.Parse(c.block[off:], fields)
			fields = f
			var rowErr error
			switch {
			case err != nil:
				rowErr = &source.Error{File: in.Path, Line: line, Err: fmt.Errorf("%w: %w", source.ErrSyntax, err)}
			case len(f) == 0: // blank line
				off += n
				line += int64(lines)
				continue
			case len(f) != nh:
				rowErr = &source.Error{File: in.Path, Line: line, Err: fmt.Errorf("%w: %d fields, header has %d", source.ErrRaggedRow, len(f), nh)}
			}
			row(f, line, int32(off), rowErr)
			off += n
			line += int64(lines)
		}
	}
	res.rec = rb.NewRecord()
	return res
}

// finishChunk runs in input order: drops duplicate ids, writes rejects,
// queues the record for the emitter. Its rows count as read; when it fails,
// those it did not reject are unwritten.
func (r *run) finishChunk(ctx context.Context, idx int, in *source.Input, is *InputSummary, res *result) (err error) {
	defer func() {
		if res.rec != nil {
			res.rec.Release()
		}
	}()
	c := res.chunk
	if c.seq == 0 && c.block != nil && res.rows > 0 {
		r.expectIDs(in, len(c.block), res.rows)
	}
	is.RowsRead += res.rows
	r.sum.RowsRead += res.rows
	decided := int64(0) // rows of the chunk rejected or queued
	defer func() {
		if err != nil {
			r.sum.Unwritten += res.rows - decided
		}
	}()
	for k, n := range res.warns {
		r.warns[k] += n
	}
	for k, n := range res.filtered {
		if r.sum.FilterReasons == nil {
			r.sum.FilterReasons = map[string]int64{}
		}
		r.sum.FilterReasons[k] += n
		r.sum.Filtered += n
		is.Filtered += n
		decided += n
	}
	if r.rowsOut != nil { // the caller checks ids across its parts itself
		return r.finishRows(ctx, idx, in, is, res, &decided)
	}
	var drop map[int]bool
	var ids *array.String
	err = r.ids.LookupOrAddAll(res.hashes, func(i int) uint64 {
		return uint64(idx)<<48 | uint64(res.lines[i])&(1<<48-1)
	}, func(i int, prev uint64) {
		line := res.lines[i]
		if drop == nil {
			drop = map[int]bool{}
			if k := res.rec.Schema().FieldIndices("incident_id"); len(k) == 1 {
				ids, _ = res.rec.Column(k[0]).(*array.String)
			}
		}
		drop[i] = true
		id := ""
		if ids != nil {
			id = ids.Value(i)
		}
		pin, pline := int(prev>>48), int64(prev&(1<<48-1))
		where := fmt.Sprintf("line %d", pline)
		if pin != idx {
			where += " of " + r.paths[pin]
		}
		res.rejects = append(res.rejects, rowReject{line, res.writtenFields(i), &source.Error{File: in.Path, Line: line,
			Field: "incident_id", Text: id,
			Err: fmt.Errorf("%w: %s on lines %d and %d (first kept: %s)", ErrDuplicateID, id, pline, line, where)}})
	})
	if err != nil {
		return err
	}
	sortRejects(res.rejects)
	for _, rj := range res.rejects {
		err := r.reject(is, c.header, rj.fields, rj.err)
		decided++ // counted as rejected, even when writing it failed
		if err != nil {
			return err
		}
	}
	rec := res.rec
	if len(drop) > 0 {
		rows, err := schema.AppendIncidents(nil, rec)
		if err != nil {
			return fmt.Errorf("ingest: %w", err)
		}
		kept := rows[:0]
		for i := range rows {
			if !drop[i] {
				kept = append(kept, rows[i])
			}
		}
		rec = r.newRecord(kept)
		defer rec.Release()
	}
	if r.actors != nil {
		if nr := r.actors.record(r.opts.Mem, rec); nr != nil {
			defer nr.Release()
			rec = nr
		}
	}
	r.progress(c.bytes)
	if err := ctx.Err(); err != nil {
		return err
	}
	if rec.NumRows() > 0 {
		rec.Retain() // released by the emitting goroutine
		select {
		case r.emitQ <- rec:
		case <-ctx.Done():
			rec.Release()
			return ctx.Err()
		}
	}
	r.queued += rec.NumRows()
	decided += rec.NumRows()
	return nil
}

// filterReason is what the summary says of a row left out: the cause
// after profile.ErrFiltered's own text.
func filterReason(err error) string {
	msg := err.Error()
	if i := strings.Index(msg, profile.ErrFiltered.Error()+": "); i >= 0 {
		return msg[i+len(profile.ErrFiltered.Error())+2:]
	}
	return msg
}

// poisonRecycled makes the pipeline overwrite each CSV block's buffer before
// recycling it, so that tests see any field string kept past its chunk
// (read_test.go sets it).
var poisonRecycled = false

func poison(buf []byte) {
	buf = buf[:cap(buf)]
	for i := range buf {
		buf[i] = '#'
	}
}

// sniffedOrder is the day/month order a file's first chunk showed.
type sniffedOrder struct {
	order value.DateOrder
	note  string
}

// sniffDateOrder reads the date column of an input's first chunk (the
// column p reads date_start from) for the order of day and month: when its
// dates show one order and never the other, the file's ambiguous dates
// (05/09/2019) are read in that order instead of rejected one by one, and
// the summary says so. Nothing is learned when the column is unknown, no
// date shows an order, or the dates show both.
func (r *run) sniffDateOrder(c *chunk, h *profile.Header, p profile.Profile) (sniffedOrder, bool) {
	col := p.InputColumn("date_start")
	if col == "" {
		return sniffedOrder{}, false
	}
	i := h.Col(strings.ToLower(col))
	if i < 0 {
		return sniffedOrder{}, false
	}
	var sn value.DateOrderSniffer
	rows := len(c.rows)
	if c.block == nil {
		for k := range c.rows {
			if f := c.fields(k); i < len(f) {
				sn.Observe(f[i])
			}
		}
	} else {
		var fields []string
		for off := 0; off < len(c.block); {
			f, n, _, err := c.dialect.Parse(c.block[off:], fields)
			if err != nil || n <= 0 {
				break
			}
			if i < len(f) {
				sn.Observe(f[i])
				rows++
			}
			fields = f[:0]
			off += n
		}
	}
	o, err := sn.Order()
	if err != nil || o == value.DateOrderNone {
		return sniffedOrder{}, false
	}
	dmy, mdy := sn.Evidence()
	what, n := "day first (DD/MM)", dmy
	if o == value.DateOrderMDY {
		what, n = "month first (MM/DD)", mdy
	}
	return sniffedOrder{order: o, note: fmt.Sprintf("%s: numeric dates in %s read %s, as %d dates of its first %d rows show (no date there shows the other order; --date-order sets it)",
		p.Name(), col, what, n, rows)}, true
}

// expectIDs tells the duplicate-id index how many ids to expect once an
// uncompressed text input's first chunk shows its bytes per row: the sum,
// over the inputs begun, of each one's size over that (idindex.Index.Expect). Inputs
// whose size says nothing of their rows (stdin, compressed) leave it alone.
func (r *run) expectIDs(in *source.Input, blockBytes int, rows int64) {
	if in.Path == "-" || strings.Contains(in.Format, "+") {
		return
	}
	fi, err := os.Stat(in.Path)
	if err != nil || !fi.Mode().IsRegular() {
		return
	}
	est := float64(fi.Size()) * float64(rows) / float64(max(blockBytes, 1))
	r.expected += int64(min(est, 1<<31))
	r.ids.Expect(int(min(r.expected, 1<<31)))
}

// sortRejects puts a chunk's rejects in line order (duplicate ids are found
// after the others).
func sortRejects(rj []rowReject) {
	sort.SliceStable(rj, func(i, j int) bool { return rj[i].line < rj[j].line })
}
