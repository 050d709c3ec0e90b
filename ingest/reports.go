package ingest

import (
	"bytes"
	"cmp"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"unsafe"

	"github.com/incidentkit/incidents/ingest/profile"
	"github.com/incidentkit/incidents/ingest/source"
	"github.com/incidentkit/incidents/internal/spill"
	"github.com/incidentkit/incidents/schema"
)

// The reports: gathered over the run, reconciled at the end, incident by
// incident in order of first appearance.
//
// Up to Options.reportBudget bytes (DefaultReportBudget) the parsed reports
// stay in memory. Past it they spill: each report goes to an external sort
// (spill.Sorter) as its raw fields, keyed by incident key then input
// position; reading that back gives each incident's reports together, with
// the position of its first report, and a second sort by that position puts
// the incidents back in order of first appearance. The rows are parsed
// again as they come back (the report parsers depend on the row alone), so
// the output is the same as the in-memory path's, byte for byte.

// reportBind is one binding of a report parser to an input's header (a JSON
// input that shows new keys is bound again).
type reportBind struct {
	parser profile.ReportParser
	header []string
	input  int // in Summary.Inputs
	file   string
	serial bool // the source's dates are Excel serials
}

type reportMeta struct {
	bind   int // in run.binds
	fields []string
}

func (r *run) reportBudget() int {
	if r.opts.reportBudget > 0 {
		return r.opts.reportBudget
	}
	return DefaultReportBudget
}

// reportSize estimates the memory a gathered report holds.
func reportSize(rep *profile.Report, fields []string) int {
	n := int(unsafe.Sizeof(*rep)+unsafe.Sizeof(reportMeta{})) + 16*len(fields)
	for _, f := range fields {
		n += len(f)
	}
	// strings of the report not cut from its fields (canonical actors,
	// lists): about as much again as the names they come from
	n += len(rep.Actor1) + len(rep.Actor2) + len(rep.ClaimedBy)
	for _, a := range rep.AssocActors {
		n += 16 + len(a)
	}
	for _, s := range rep.ExtraSources {
		n += 16 + len(s)
	}
	return n
}

func (r *run) readReports(ctx context.Context, in *source.Input, is *InputSummary, rp profile.Reconciler) error {
	r.rec = rp
	bind := -1
	bound := -1
	// bind (again, when a JSON input shows new keys) the parser to the header
	rebind := func() error {
		hdr := in.Src.Header()
		if len(hdr) == bound {
			return nil
		}
		np, unknown, err := rp.BindReports(profile.NewHeader(hdr), r.popts)
		if err != nil {
			return source.InFile(in.Path, err)
		}
		r.binds = append(r.binds, reportBind{parser: np, header: hdr, input: len(r.sum.Inputs) - 1,
			file: in.Path, serial: in.Src.SerialDates()})
		bind, bound, is.UnusedColumns = len(r.binds)-1, len(hdr), unknown
		return nil
	}
	if err := rebind(); err != nil {
		return err
	}
	rc := profile.Row{File: in.Path, SerialDates: in.Src.SerialDates(), Warn: r.warns.add, Missing: r.popts.Missing}
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
		if err != nil && !source.IsRowError(err) {
			return err
		}
		errors.As(err, &re)
		if err := rebind(); err != nil {
			if e, ok := err.(*source.Error); ok && e.Line == 0 {
				e.Line = line // a JSON key first seen on this row
			}
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
		rep, perr := r.binds[bind].parser.Parse(&rc)
		if perr != nil {
			if !errors.As(perr, &re) {
				re = &source.Error{File: in.Path, Line: line, Err: perr}
			}
			if err := r.reject(is, hdr, fields, re); err != nil {
				return err
			}
			continue
		}
		rep.Order = r.repN
		r.repN++
		r.repLeft++
		if r.repSort != nil {
			r.spillReport(rep.Incident, rep.Order, bind, line, fields)
			continue
		}
		r.reports = append(r.reports, rep)
		r.repMeta = append(r.repMeta, reportMeta{bind: bind, fields: fields})
		r.repBytes += reportSize(&rep, fields)
		if r.repBytes > r.reportBudget() {
			r.startSpill()
		}
	}
}

// startSpill moves the gathered reports to an external sort; every later
// report goes there too.
func (r *run) startSpill() {
	r.repSort = spill.NewSorter(r.reportBudget(), r.opts.createTemp, "incidents-reports-*")
	for i := range r.reports {
		m := &r.repMeta[i]
		r.spillReport(r.reports[i].Incident, r.reports[i].Order, m.bind, r.reports[i].Line, m.fields)
	}
	r.reports, r.repMeta, r.repBytes = nil, nil, 0
}

// spillReport adds a report, as its raw row, to the sort by incident key.
func (r *run) spillReport(key string, order, bind int, line int64, fields []string) {
	b := r.repBuf[:0]
	b = binary.AppendUvarint(b, uint64(bind))
	b = binary.AppendVarint(b, line)
	b = binary.AppendUvarint(b, uint64(len(fields)))
	for _, f := range fields {
		b = binary.AppendUvarint(b, uint64(len(f)))
	}
	for _, f := range fields {
		b = append(b, f...)
	}
	r.repBuf = b
	r.repSort.Add([]byte(key), uint64(order), b)
}

// unspillReport parses a spilled row again into its report.
func (r *run) unspillReport(order uint64, payload []byte) (profile.Report, reportMeta, error) {
	bad := func() (profile.Report, reportMeta, error) {
		return profile.Report{}, reportMeta{}, errors.New("ingest: reports: a spilled report does not read back")
	}
	b := payload
	bind, k := binary.Uvarint(b)
	if k <= 0 || bind >= uint64(len(r.binds)) {
		return bad()
	}
	b = b[k:]
	line, k := binary.Varint(b)
	if k <= 0 {
		return bad()
	}
	b = b[k:]
	nf, k := binary.Uvarint(b)
	if k <= 0 || nf > uint64(len(b)) {
		return bad()
	}
	b = b[k:]
	lens := make([]int, nf)
	total := 0
	for i := range lens {
		n, k := binary.Uvarint(b)
		if k <= 0 || n > uint64(len(b)) {
			return bad()
		}
		lens[i], total, b = int(n), total+int(n), b[k:]
	}
	if total != len(b) {
		return bad()
	}
	all := string(b) // one string for the row, each field a piece of it
	fields := make([]string, nf)
	for i, n := range lens {
		fields[i], all = all[:n], all[n:]
	}
	rb := &r.binds[bind]
	rc := profile.Row{File: rb.file, Line: line, Fields: fields, SerialDates: rb.serial,
		Warn: func(string) {}} // counted when the row was first read
	rep, err := rb.parser.Parse(&rc)
	if err != nil {
		return rep, reportMeta{}, fmt.Errorf("ingest: reports: %s line %d parsed differently when read back: %w", rb.file, line, err)
	}
	rep.Order = int(order)
	return rep, reportMeta{bind: int(bind), fields: fields}, nil
}

// reportBatch is the reconciled incidents waiting to be emitted.
type reportBatch struct {
	rb      *schema.RecordBuilder
	merged  int64 // reports folded into the batch's incidents
	reports int64 // reports behind the batch
}

// flushReports reconciles the gathered reports, incident by incident in
// order of first appearance, and emits them in batches.
func (r *run) flushReports(ctx context.Context) error {
	if r.repN == 0 {
		return nil
	}
	b := &reportBatch{rb: r.newRecordBuilder()}
	defer b.rb.Release()
	var err error
	if r.repSort != nil {
		err = r.flushSpilled(ctx, b)
	} else {
		err = r.flushInMemory(ctx, b)
	}
	if err != nil {
		return err
	}
	return r.emitReports(b)
}

func (r *run) flushInMemory(ctx context.Context, b *reportBatch) error {
	groups := map[string][]int{}
	var keys []string
	for i := range r.reports {
		k := r.reports[i].Incident
		if _, ok := groups[k]; !ok {
			keys = append(keys, k)
		}
		groups[k] = append(groups[k], i)
	}
	var reps []profile.Report
	var metas []reportMeta
	for _, k := range keys {
		if err := ctx.Err(); err != nil {
			return err
		}
		reps, metas = reps[:0], metas[:0]
		for _, i := range groups[k] {
			reps = append(reps, r.reports[i])
			metas = append(metas, r.repMeta[i])
		}
		if err := r.reconcileGroup(k, reps, metas, b); err != nil {
			return err
		}
	}
	return nil
}

// flushSpilled reads the spilled reports back: grouped by incident key,
// then in order of each incident's first report.
func (r *run) flushSpilled(ctx context.Context, b *reportBatch) error {
	byKey := r.repSort.Sort()
	byFirst := spill.NewSorter(r.reportBudget(), r.opts.createTemp, "incidents-reports-*")
	defer byFirst.Close()
	var key []byte
	var first [8]byte
	for n := 0; byKey.Next(); n++ {
		if n%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		if n == 0 || !bytes.Equal(byKey.Key(), key) {
			key = append(key[:0], byKey.Key()...)
			binary.BigEndian.PutUint64(first[:], byKey.Seq())
		}
		byFirst.Add(first[:], byKey.Seq(), byKey.Payload())
	}
	if err := byKey.Err(); err != nil {
		return fmt.Errorf("ingest: reports: %w", err)
	}
	inMem := r.repSort.InMemory()
	r.repSort.Close()
	r.repSort = nil
	it := byFirst.Sort()
	if err := cmp.Or(inMem, byFirst.InMemory()); err != nil {
		r.warns.add(fmt.Sprintf("reports: the temporary folder could not take the reports (%v): kept in memory", err))
	}
	var reps []profile.Report
	var metas []reportMeta
	group := func() error {
		if len(reps) == 0 {
			return nil
		}
		err := r.reconcileGroup(reps[0].Incident, reps, metas, b)
		reps, metas = reps[:0], metas[:0]
		return err
	}
	for n := 0; it.Next(); n++ {
		if n > 0 && !bytes.Equal(it.Key(), first[:]) {
			if err := group(); err != nil {
				return err
			}
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		copy(first[:], it.Key())
		rep, m, err := r.unspillReport(it.Seq(), it.Payload())
		if err != nil {
			return err
		}
		reps, metas = append(reps, rep), append(metas, m)
	}
	if err := it.Err(); err != nil {
		return fmt.Errorf("ingest: reports: %w", err)
	}
	return group()
}

// reconcileGroup reconciles the reports of incident k: into the batch, or
// every one of them into the rejects.
func (r *run) reconcileGroup(k string, reps []profile.Report, metas []reportMeta, b *reportBatch) error {
	inc, err := r.rec.Reconcile(reps)
	if err == nil {
		if verr := inc.Validate(); verr != nil {
			err = fmt.Errorf("%w: %w", ErrInvalid, verr)
		}
	}
	if err != nil {
		for j := range reps {
			m := &r.binds[metas[j].bind]
			re := &source.Error{File: reps[j].File, Line: reps[j].Line, Field: "incident", Text: k,
				Err: fmt.Errorf("incident %q (%d reports): %w", k, len(reps), err)}
			if errors.Is(err, ErrInvalid) {
				v := validationReject(re.File, re.Line, err, profile.NewHeader(m.header), r.rec)
				re.Field, re.Column, re.Text = v.Field, v.Column, v.Text
			}
			err := r.reject(&r.sum.Inputs[m.input], m.header, metas[j].fields, re)
			r.repLeft-- // counted as rejected, even when writing it failed
			if err != nil {
				return err
			}
		}
		return nil
	}
	if r.actors != nil {
		r.actors.incident(&inc)
	}
	b.rb.Append(&inc)
	b.merged += int64(len(reps) - 1)
	b.reports += int64(len(reps))
	if b.rb.Len() >= r.opts.BatchSize {
		return r.emitReports(b)
	}
	return nil
}

// emitReports emits the batch; its rows count as written (and merged) once
// emit took them.
func (r *run) emitReports(b *reportBatch) error {
	if b.rb.Len() == 0 {
		return nil
	}
	rec := b.rb.NewRecord()
	defer rec.Release()
	n, merged, reports := rec.NumRows(), b.merged, b.reports
	b.merged, b.reports = 0, 0
	if err := r.emit(rec); err != nil {
		return err
	}
	r.sum.Incidents += n
	r.sum.Merged += merged
	r.repLeft -= reports
	return nil
}
