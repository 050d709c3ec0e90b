package ingest

import (
	"context"
	"errors"
	"fmt"
	"hash/maphash"
	"io"
	"sort"
	"sync"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"

	"github.com/incidentkit/incidents/ingest/profile"
	"github.com/incidentkit/incidents/ingest/source"
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
	delim     byte
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
	f, _, _, _ := source.ParseCSVRecord(c.block[res.written[k]:], c.delim, nil)
	return f
}

func (r *run) stream(ctx context.Context, idx int, in *source.Input, is *InputSummary, p profile.Profile) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	workers := r.opts.Workers
	chunks := make(chan *chunk)
	results := make(chan *result)
	var readErr error
	var hdrMu sync.Mutex
	names := append([]string(nil), in.Src.Header()...)
	h := profile.NewHeader(names)
	convs := make([]profile.Converter, workers)
	for i := range convs {
		c, err := p.Bind(h, r.popts)
		if err != nil {
			return source.InFile(in.Path, err)
		}
		convs[i] = c
	}
	// At most window chunks are between the reader and their emission, so
	// that a worker held up (descheduled, a slow chunk) cannot let the
	// others run ahead and pile finished chunks up for the in-order stage.
	window := make(chan struct{}, 2*workers+1)
	send := func(c *chunk) bool {
		select {
		case window <- struct{}{}:
		case <-ctx.Done():
			return false
		}
		select {
		case chunks <- c:
			return true
		case <-ctx.Done():
			return false
		}
	}

	var br *source.BlockReader // CSV: blocks of whole records, parsed by the workers
	var delim byte
	if sp, ok := in.Src.(source.Splitter); ok {
		br = sp.Blocks(r.opts.BatchSize, workers+2)
		delim = br.Delim()
	}
	go func() { // reader: cuts the input into chunks
		defer close(chunks)
		if br != nil {
			for seq := 0; ; seq++ {
				block, line, err := br.Next()
				if err == io.EOF {
					return
				}
				if err != nil {
					readErr = source.InFile(in.Path, err)
					return
				}
				if !send(&chunk{seq: seq, header: names, block: block, blockBuf: br.Last(), firstLine: line, delim: delim, bytes: in.BytesRead()}) {
					return
				}
			}
		}
		for seq := 0; ; seq++ {
			c := &chunk{seq: seq}
			for len(c.rows) < r.opts.BatchSize {
				hdrMu.Lock()
				fields, line, err := in.Src.Next()
				hdrMu.Unlock()
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
			hdrMu.Lock()
			c.header = in.Src.Header()
			hdrMu.Unlock()
			if len(c.rows) == 0 || !send(c) || readErr != nil || len(c.rows) < r.opts.BatchSize {
				return
			}
		}
	}()

	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(conv profile.Converter) {
			defer wg.Done()
			rb := r.newRecordBuilder()
			defer rb.Release()
			bound := len(names)
			for c := range chunks {
				if len(c.header) > bound { // a JSON input showed new keys: bind again
					if nc, err := p.Bind(profile.NewHeader(c.header), r.popts); err == nil {
						conv, bound = nc, len(c.header)
					}
				}
				res := r.work(c, conv, rb, in, p)
				select {
				case results <- res:
				case <-ctx.Done():
					if res.rec != nil {
						res.rec.Release()
					}
				}
			}
		}(convs[w])
	}
	go func() { wg.Wait(); close(results) }()

	// The records go out through their own goroutine, so that the next
	// chunk's duplicate check and rejects overlap with the caller's writing.
	r.emitQ = make(chan arrow.Record, 1)
	emitDone := make(chan error, 1)
	go func() {
		var err error
		for rec := range r.emitQ {
			if err == nil {
				if err = r.emit(rec); err != nil {
					cancel()
				}
			}
			rec.Release()
		}
		emitDone <- err
	}()
	pending := map[int]*result{}
	next := 0
	var firstErr error
	for res := range results {
		if firstErr != nil {
			if res.rec != nil {
				res.rec.Release()
			}
			continue
		}
		pending[res.chunk.seq] = res
		for {
			done, ok := pending[next]
			if !ok {
				break
			}
			delete(pending, next)
			next++
			if err := r.finishChunk(ctx, idx, in, is, done); err != nil {
				firstErr = err
				cancel()
				break
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
	for _, res := range pending {
		if res.rec != nil {
			res.rec.Release()
		}
	}
	close(r.emitQ)
	if err := <-emitDone; err != nil {
		return err // the caller's error, not the cancellation it caused
	}
	r.emitQ = nil
	if firstErr != nil {
		return firstErr
	}
	if readErr != nil {
		return readErr
	}
	return ctx.Err()
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
			f, n, lines, err := source.ParseCSVRecord(c.block[off:], c.delim, fields)
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
// emits the record.
func (r *run) finishChunk(ctx context.Context, idx int, in *source.Input, is *InputSummary, res *result) error {
	defer func() {
		if res.rec != nil {
			res.rec.Release()
		}
	}()
	c := res.chunk
	is.RowsRead += res.rows
	r.sum.RowsRead += res.rows
	for k, n := range res.warns {
		r.warns[k] += n
	}
	var drop map[int]bool
	var ids *array.String
	err := r.ids.LookupOrAddAll(res.hashes, func(i int) uint64 {
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
	sort.SliceStable(res.rejects, func(i, j int) bool { return res.rejects[i].line < res.rejects[j].line })
	for _, rj := range res.rejects {
		if err := r.reject(is, c.header, rj.fields, rj.err); err != nil {
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
	r.sum.Incidents += rec.NumRows()
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
	return nil
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
