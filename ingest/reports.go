package ingest

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/incidentkit/incidents/ingest/profile"
	"github.com/incidentkit/incidents/ingest/source"
)

// The reports: gathered over the run, reconciled at the end.

type reportMeta struct {
	input  int
	header []string
	fields []string
}

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
		if err != nil && (!errors.As(err, &re) || re.Stop) {
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
