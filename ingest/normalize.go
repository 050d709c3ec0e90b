package ingest

import (
	"bytes"
	"context"
	"fmt"
	"hash/maphash"
	"runtime"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/memory"

	"github.com/incidentkit/incidents/ingest/internal/idindex"
	"github.com/incidentkit/incidents/ingest/profile"
	"github.com/incidentkit/incidents/ingest/source"
	"github.com/incidentkit/incidents/internal/spill"
	"github.com/incidentkit/incidents/schema"
)

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
	r := &run{opts: &opts, emit: emit, sum: &Summary{RejectReasons: map[string]int64{}},
		warns: warnings{}, ids: idindex.New(opts.idBudget, opts.createTemp), seed: maphash.MakeSeed(),
		popts: &opts.Read, rowsOut: opts.rowsOut}
	opts.Read.Columns = opts.Columns
	if !opts.KeepActorSpellings {
		r.actors = newActorSpellings(opts.actorBudget)
	}
	defer r.ids.Close()
	defer func() {
		if r.repSort != nil {
			r.repSort.Close()
		}
	}()
	err := r.all(ctx, inputs, opts.Profile)
	r.sum.Unwritten += r.repLeft // reports gathered, not reconciled when the run stopped
	if e := r.ids.InMemory(); e != nil {
		r.warns.add(fmt.Sprintf("duplicate-id index: the temporary folder could not take the ids (%v): kept in memory", e))
	}
	if r.actors != nil {
		r.sum.ActorsRespelled, r.sum.ActorSpellings = r.actors.respelled, r.actors.variants
		if w := r.actors.warning(); w != "" {
			r.warns.add(w)
		}
	}
	r.sum.Warnings = r.warns.list()
	return r.sum, err
}

// run is the state of one Normalize call.
type run struct {
	opts     *Options
	popts    *profile.Options // what the layouts read
	emit     func(arrow.Record) error
	sum      *Summary
	warns    warnings
	ids      *idindex.Index    // hash of incident_id -> input index << 48 | line
	expected int64             // ids expected from the inputs begun (expectIDs)
	emitQ    chan arrow.Record // dataset records on their way to emit (stream)
	queued   int64             // rows in the records sent to emitQ
	seed     maphash.Seed
	actors   *actorSpellings // nil: Options.KeepActorSpellings
	paths    []string
	bytes    int64              // raw bytes of finished inputs
	rec      profile.Reconciler // of the reports
	// the reports gathered (reports.go)
	binds    []reportBind
	reports  []profile.Report // in memory, until they take reportBudget bytes
	repMeta  []reportMeta
	repBytes int
	repSort  *spill.Sorter // the reports by incident key, once they spill
	repBuf   []byte
	repN     int   // reports gathered
	repLeft  int64 // reports gathered and not yet written, merged or rejected
	rejBuf   bytes.Buffer
	rowsOut  func([]Row) error // NormalizeRows: rows instead of records, no duplicate-id check
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
	ro := r.opts.Input
	if h, ok := chosen.(profile.HeaderlessLayout); ok {
		// published without a header row: the first row's shape names the
		// columns (and the version), with or without --no-header
		ro.NoHeader, ro.Headerless = false, h.HeaderlessColumns
	} else if chosen == nil && !ro.NoHeader {
		ro.Headerless = func(first []string) []string {
			cols, _ := profile.DetectHeaderless(first)
			return cols
		}
	}
	if ro.NoHeader {
		cols, err := fixedColumns(chosen)
		if err != nil {
			return source.InFile(path, err)
		}
		ro.Columns = cols
	}
	in, err := source.Open(path, source.OpenOptions{Open: r.opts.Open, NoChecksum: r.opts.NoChecksum,
		Ctx: ctx, ReadOptions: ro})
	if err != nil {
		return err
	}
	defer in.Close()
	names := in.Src.Header()
	p := chosen
	if p == nil {
		if p, err = profile.Detect(names); err != nil {
			return source.InFile(path, noHeaderHint(err, names))
		}
	} else if err := profile.Check(p, names); err != nil { // a profile named by the caller must fit the header
		return source.InFile(path, noHeaderHint(err, names))
	}
	r.sum.Inputs = append(r.sum.Inputs, InputSummary{Path: path, Profile: p.Name(), Format: in.Format})
	is := &r.sum.Inputs[len(r.sum.Inputs)-1]
	if rp, ok := p.(profile.Reconciler); ok {
		if r.rowsOut != nil {
			return source.InFile(path, ErrRowsReports)
		}
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
	is.Header = append([]string(nil), in.Src.Header()...)
	is.Encoding = in.Encoding()
	for _, w := range in.Warnings() {
		r.warns.add(w)
	}
	r.bytes += in.BytesRead()
	r.progress(0)
	return nil
}

func (r *run) progress(current int64) {
	if r.opts.Progress != nil {
		r.opts.Progress(r.bytes + current)
	}
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

// fixedColumns returns the published column order of the layout p, for
// an input without a header row: only a layout whose order is fixed (it
// is a profile.FixedLayout, returning a non-empty list) can be
// read so.
func fixedColumns(p profile.Profile) ([]string, error) {
	if p == nil {
		return nil, fmt.Errorf("%w: --no-header needs --profile naming the layout (its fixed column order names the columns)", ErrNoHeaderLayout)
	}
	if f, ok := p.(profile.FixedLayout); ok {
		if cols := f.FixedColumns(); len(cols) > 0 {
			return cols, nil
		}
	}
	return nil, fmt.Errorf("%w: the %s layout's column order varies between exports, so a file without its header row cannot be read by position (restore the header row, or name the columns with --mapping)", ErrNoHeaderLayout, p.Name())
}

// noHeaderHint adds to a layout's refusal that the header row reads like
// data: the file was likely saved without it.
func noHeaderHint(err error, names []string) error {
	if !source.LooksLikeData(names) {
		return err
	}
	return fmt.Errorf("%w; the first row looks like data: no header row? (use --profile P --no-header for layouts with a fixed column order)", err)
}
