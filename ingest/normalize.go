package ingest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"hash/maphash"
	"io"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"

	"github.com/incidentkit/incidents/ingest/internal/idindex"
	"github.com/incidentkit/incidents/ingest/profile"
	"github.com/incidentkit/incidents/ingest/source"
	"github.com/incidentkit/incidents/ingest/value"
	"github.com/incidentkit/incidents/schema"
)

// Options configure a Normalize run. The zero value detects each input's
// profile and uses the defaults below.
type Options struct {
	Profile       string                                   // "auto" or "" (detect from the header), or a name of profile.Names
	Mapping       string                                   // YAML mapping file for other layouts (see profile.Mapping); overrides Profile
	Actors        *value.ActorNames                        // actor aliases; nil = whitespace clean-up only
	DateOrder     value.DateOrder                          // how to read 06/11/2019
	IgnoreUnknown bool                                     // reports layout: skip unknown columns instead of failing
	BatchSize     int                                      // rows per emitted record (default 65536)
	Workers       int                                      // parallel normalizers (default GOMAXPROCS)
	Rejects       io.Writer                                // JSON Lines, one object per rejected row; nil = count only
	Mem           memory.Allocator                         // nil = default
	Stdin         io.Reader                                // what "-" reads
	Open          func(name string) (io.ReadCloser, error) // nil = os.Open
	Progress      func(bytesDone int64)                    // optional, called after each chunk with raw bytes read so far
	// Columns names the schema columns the emitted records carry (nil: all
	// of schema.Arrow()); incident_id is always among them. Every row is
	// still converted and validated in full, so the same rows are written
	// and rejected whatever the projection: it only spares building the
	// columns a caller such as stats does not read.
	Columns []string
	// NoChecksum skips the SHA-256 of each input (InputSummary.SHA256 stays
	// empty): for callers that discard the summary, such as stats on a raw
	// file. The hash costs a tenth of a raw stats run's CPU.
	NoChecksum bool

	idBudget int // ids held in memory before the duplicate-id index spills (0: default; tests)
}

// DefaultBatchSize is the number of rows per emitted record. It also sets the
// chunk the workers parse, so it bounds memory: about six chunks (input
// bytes plus Arrow arrays) are in flight. 8192 ACLED rows are about 3.6 MB of
// CSV. Stats on a 2M-row raw ACLED file (`/usr/bin/time -f '%M KB %U user'
// incidents stats --quiet --by country_iso3,year -o s.csv
// bench-out/acled-2000000.csv`, builds differing only in this constant,
// run alternately) peaked at 250 MB RSS with 16384, 185 MB with 8192 and
// 158 MB with 4096, for the same CPU time within noise (3.5-3.7 s user;
// 4096 once 4.1 s).
const DefaultBatchSize = 8192

// Normalize reads every input, normalizes, reconciles and validates, and
// calls emit with Arrow records of schema.Arrow() in input order (the same
// input gives the same records whatever Workers is). Dataset rows are emitted
// as their chunks finish; reports are reconciled across all inputs of the run
// and emitted after the last input. emit must not keep a record past its
// return without Retain. The returned Summary accounts for every row; when an
// error stops the run, it covers what was done so far (reports gathered but
// not yet reconciled are in RowsRead only).
func Normalize(ctx context.Context, inputs []string, opts Options, emit func(arrow.Record) error) (*Summary, error) {
	if opts.BatchSize <= 0 {
		opts.BatchSize = DefaultBatchSize
	}
	if opts.Workers <= 0 {
		opts.Workers = runtime.GOMAXPROCS(0)
	}
	if opts.Mem == nil {
		opts.Mem = memory.DefaultAllocator
	}
	if len(opts.Columns) > 0 {
		if _, err := schema.NewProjectedRecordBuilder(nil, opts.Columns); err != nil {
			return nil, fmt.Errorf("ingest: %w", err)
		}
		opts.Columns = append([]string{"incident_id"}, opts.Columns...)
	}
	var chosen profile.Profile // nil: detect each input's
	switch opts.Profile {
	case "", ProfileAuto:
	default:
		p, ok := profile.Lookup(opts.Profile)
		if !ok {
			return nil, fmt.Errorf("ingest: %w %q (want auto, %s)", ErrUnknownProfile, opts.Profile, strings.Join(profile.Names(), ", "))
		}
		chosen = p
	}
	if opts.Mapping != "" {
		m, err := profile.LoadMapping(opts.Mapping)
		if err != nil {
			return nil, err
		}
		chosen = m.Profile()
	}
	r := &run{opts: &opts, emit: emit, sum: &Summary{RejectReasons: map[string]int64{}},
		warns: warnings{}, ids: idindex.New(opts.idBudget), seed: maphash.MakeSeed(),
		popts: &profile.Options{Actors: opts.Actors, DateOrder: opts.DateOrder, IgnoreUnknown: opts.IgnoreUnknown, Columns: opts.Columns}}
	defer r.ids.Close()
	err := r.all(ctx, inputs, chosen)
	r.sum.Warnings = r.warns.list()
	return r.sum, err
}

// run is the state of one Normalize call.
type run struct {
	opts    *Options
	popts   *profile.Options // what the layouts read
	emit    func(arrow.Record) error
	sum     *Summary
	warns   warnings
	ids     *idindex.Index    // hash of incident_id -> input index << 48 | line
	emitQ   chan arrow.Record // dataset records on their way to emit (stream)
	seed    maphash.Seed
	paths   []string
	bytes   int64 // raw bytes of finished inputs
	reports []profile.Report
	repMeta []reportMeta
	rec     profile.Reconciler // of the reports
	rejBuf  bytes.Buffer
}

type reportMeta struct {
	input  int
	header []string
	fields []string
}

func (r *run) all(ctx context.Context, inputs []string, chosen profile.Profile) error {
	for i, path := range inputs {
		if err := ctx.Err(); err != nil {
			return err
		}
		r.paths = append(r.paths, path)
		if err := r.input(ctx, i, path, chosen); err != nil {
			return err
		}
	}
	return r.flushReports(ctx)
}

// input reads one input through its profile: chosen, or detected from the
// header when nil.
func (r *run) input(ctx context.Context, idx int, path string, chosen profile.Profile) error {
	in, err := source.Open(path, source.OpenOptions{Stdin: r.opts.Stdin, Open: r.opts.Open, NoChecksum: r.opts.NoChecksum})
	if err != nil {
		return err
	}
	defer in.Close()
	names := in.Src.Header()
	p := chosen
	if p == nil {
		if p, err = profile.Detect(names); err != nil {
			return source.InFile(path, err)
		}
	} else if err := profile.Check(p, names); err != nil { // a profile named by the caller must fit the header
		return source.InFile(path, err)
	}
	r.sum.Inputs = append(r.sum.Inputs, InputSummary{Path: path, Profile: p.Name(), Format: in.Format})
	is := &r.sum.Inputs[len(r.sum.Inputs)-1]
	if rp, ok := p.(profile.Reconciler); ok {
		err = r.readReports(ctx, in, is, rp)
	} else {
		err = r.stream(ctx, idx, in, is, p)
		is.UnusedColumns = profile.Unused(p, in.Src.Header()) // JSON headers grow while reading
	}
	if err != nil {
		return err
	}
	sha, err := in.Finish()
	if err != nil {
		return err
	}
	is.SHA256 = sha
	r.bytes += in.BytesRead()
	r.progress(0)
	return nil
}

func (r *run) progress(current int64) {
	if r.opts.Progress != nil {
		r.opts.Progress(r.bytes + current)
	}
}

// reject records one rejected row: counts it and writes its JSON object.
func (r *run) reject(is *InputSummary, hdr, fields []string, e *source.Error) error {
	kind := reasonKind(e.Err)
	r.sum.Rejected++
	is.Rejected++
	r.sum.RejectReasons[kind]++
	if r.opts.Rejects == nil {
		return nil
	}
	b := &r.rejBuf
	b.Reset()
	b.WriteString(`{"file":`)
	writeJSONString(b, e.File)
	b.WriteString(`,"line":`)
	b.WriteString(strconv.FormatInt(e.Line, 10))
	b.WriteString(`,"row":{`)
	for i, f := range fields {
		if i > 0 {
			b.WriteByte(',')
		}
		name := "column_" + strconv.Itoa(i+1)
		if i < len(hdr) && hdr[i] != "" {
			name = hdr[i]
		}
		writeJSONString(b, name)
		b.WriteByte(':')
		writeJSONString(b, f)
	}
	b.WriteString(`},"field":`)
	writeJSONString(b, e.Field)
	b.WriteString(`,"column":`)
	b.WriteString(strconv.Itoa(e.Column))
	b.WriteString(`,"kind":`)
	writeJSONString(b, kind)
	b.WriteString(`,"reason":`)
	writeJSONString(b, e.Err.Error())
	b.WriteString(`,"text":`)
	writeJSONString(b, e.Text)
	b.WriteString("}\n")
	if _, err := r.opts.Rejects.Write(b.Bytes()); err != nil {
		return fmt.Errorf("ingest: writing rejects: %w", err)
	}
	return nil
}

// writeJSONString writes s as a JSON string (encoding/json's escaping,
// without its HTML escapes).
func writeJSONString(b *bytes.Buffer, s string) {
	const hex = "0123456789abcdef"
	b.WriteByte('"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' && c < utf8.RuneSelf {
			i++
			continue
		}
		if c < utf8.RuneSelf {
			b.WriteString(s[start:i])
			switch c {
			case '"', '\\':
				b.WriteByte('\\')
				b.WriteByte(c)
			case '\n':
				b.WriteString(`\n`)
			case '\r':
				b.WriteString(`\r`)
			case '\t':
				b.WriteString(`\t`)
			default:
				b.WriteString(`\u00`)
				b.WriteByte(hex[c>>4])
				b.WriteByte(hex[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b.WriteString(s[start:i])
			b.WriteString(`\ufffd`)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b.WriteString(s[start:i])
			b.WriteString(`\u202`)
			b.WriteByte(hex[r&0xf])
			i += size
			start = i
			continue
		}
		i += size
	}
	b.WriteString(s[start:])
	b.WriteByte('"')
}

// validationReject turns a failed Validate into a row error naming the input
// column behind the first schema column at fault (when h is given).
func validationReject(file string, line int64, err error, h *profile.Header, p profile.Profile) *source.Error {
	e := &source.Error{File: file, Line: line, Err: fmt.Errorf("%w: %w", ErrInvalid, err)}
	var fe *schema.FieldError
	if errors.As(err, &fe) {
		e.Field, e.Text = fe.Field, fe.Value
		if c := p.InputColumn(fe.Field); c != "" && h != nil {
			if i := h.Col(strings.ToLower(c)); i >= 0 {
				e.Column, e.Field = i+1, h.Names[i]
			}
		}
	}
	return e
}

// ---- dataset profiles: streaming, parallel, ordered ----

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
				var re *source.Error
				if err != nil && !errors.As(err, &re) {
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
	rc := profile.Row{File: in.Path, SerialDates: in.Src.SerialDates(), Warn: res.warns.add}
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

// newRecordBuilder returns a builder of the run's records: every column, or
// Options.Columns.
func (r *run) newRecordBuilder() *schema.RecordBuilder {
	rb, err := schema.NewProjectedRecordBuilder(r.opts.Mem, r.opts.Columns)
	if err != nil { // Normalize checked the names
		panic("ingest: " + err.Error())
	}
	return rb
}

// newRecord builds one record of the run's columns from rows.
func (r *run) newRecord(rows []schema.Incident) arrow.Record {
	rb := r.newRecordBuilder()
	defer rb.Release()
	rb.Reserve(len(rows))
	for i := range rows {
		rb.Append(&rows[i])
	}
	return rb.NewRecord()
}

// ---- reports: gathered over the run, reconciled at the end ----

func (r *run) readReports(ctx context.Context, in *source.Input, is *InputSummary, rp profile.Reconciler) error {
	r.rec = rp
	var p profile.ReportParser
	bound := -1
	// bind (again, when a JSON input shows new keys) the parser to the header
	bind := func() error {
		hdr := in.Src.Header()
		if len(hdr) == bound {
			return nil
		}
		np, unknown, err := rp.BindReports(profile.NewHeader(hdr), r.popts)
		if err != nil {
			return source.InFile(in.Path, err)
		}
		p, bound, is.UnusedColumns = np, len(hdr), unknown
		return nil
	}
	if err := bind(); err != nil {
		return err
	}
	rc := profile.Row{File: in.Path, SerialDates: in.Src.SerialDates(), Warn: r.warns.add}
	for n := 0; ; n++ {
		if n%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
			r.progress(in.BytesRead())
		}
		fields, line, err := in.Src.Next()
		if err == io.EOF {
			return nil
		}
		var re *source.Error
		if err != nil && !errors.As(err, &re) {
			return err
		}
		if err := bind(); err != nil {
			return err
		}
		is.RowsRead++
		r.sum.RowsRead++
		fields = append([]string(nil), fields...)
		hdr := in.Src.Header()
		if re != nil {
			if err := r.reject(is, hdr, fields, re); err != nil {
				return err
			}
			continue
		}
		rc.Line, rc.Fields = line, fields
		rep, perr := p.Parse(&rc)
		if perr != nil {
			if !errors.As(perr, &re) {
				re = &source.Error{File: in.Path, Line: line, Err: perr}
			}
			if err := r.reject(is, hdr, fields, re); err != nil {
				return err
			}
			continue
		}
		rep.Order = len(r.reports)
		r.reports = append(r.reports, rep)
		r.repMeta = append(r.repMeta, reportMeta{input: len(r.sum.Inputs) - 1, header: hdr, fields: fields})
	}
}

// flushReports reconciles the gathered reports, incident by incident in
// order of first appearance, and emits them in batches.
func (r *run) flushReports(ctx context.Context) error {
	if len(r.reports) == 0 {
		return nil
	}
	groups := map[string][]int{}
	var keys []string
	for i := range r.reports {
		k := r.reports[i].Incident
		if _, ok := groups[k]; !ok {
			keys = append(keys, k)
		}
		groups[k] = append(groups[k], i)
	}
	rb := r.newRecordBuilder()
	defer rb.Release()
	flush := func() error {
		if rb.Len() == 0 {
			return nil
		}
		rec := rb.NewRecord()
		defer rec.Release()
		return r.emit(rec)
	}
	for _, k := range keys {
		if err := ctx.Err(); err != nil {
			return err
		}
		idxs := groups[k]
		reps := make([]profile.Report, len(idxs))
		for j, i := range idxs {
			reps[j] = r.reports[i]
		}
		inc, err := r.rec.Reconcile(reps)
		if err == nil {
			if verr := inc.Validate(); verr != nil {
				err = verr
				err = fmt.Errorf("%w: %w", ErrInvalid, verr)
			}
		}
		if err != nil {
			for _, i := range idxs {
				m := r.repMeta[i]
				re := &source.Error{File: r.reports[i].File, Line: r.reports[i].Line, Field: "incident", Text: k,
					Err: fmt.Errorf("incident %q (%d reports): %w", k, len(idxs), err)}
				if errors.Is(err, ErrInvalid) {
					v := validationReject(re.File, re.Line, err, profile.NewHeader(m.header), r.rec)
					re.Field, re.Column, re.Text = v.Field, v.Column, v.Text
				}
				if err := r.reject(&r.sum.Inputs[m.input], m.header, m.fields, re); err != nil {
					return err
				}
			}
			continue
		}
		rb.Append(&inc)
		r.sum.Incidents++
		r.sum.Merged += int64(len(idxs) - 1)
		if rb.Len() >= r.opts.BatchSize {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	return flush()
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
