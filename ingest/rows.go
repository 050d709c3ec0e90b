package ingest

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/apache/arrow/go/v17/arrow"

	"github.com/incidentkit/incidents/ingest/source"
	"github.com/incidentkit/incidents/schema"
)

// Row is one normalized row of NormalizeRows with where it came from.
type Row struct {
	Incident schema.Incident
	Input    int      // index of its input in the inputs of the call
	Line     int64    // line of the input it was read from (1 is the header's, for a CSV)
	Fields   []string // the input fields it was read from, in the input's column order (owned by the Row)
}

// ErrRowsReports is returned by NormalizeRows for an input of the reports
// layout, whose rows are reconciled across the whole run (see
// ReportRows).
var ErrRowsReports = errors.New("ingest: the reports layout is reconciled across a run, not normalized row by row")

// NormalizeRows is Normalize for callers that normalize the parts of one
// run apart and put them together themselves, such as a Beam pipeline
// normalizing each file on another worker: emit receives the valid rows of
// each chunk in input order, each with its input, line and input fields,
// instead of Arrow records, and the run's own duplicate-id check is off (an
// id given twice is the caller's to find, across its parts: the second is
// a duplicate_id reject, see DuplicateReject). Everything else is
// Normalize's: the same profiles, values, validation, rejects (to
// Options.Rejects, in input order) and Summary, whose Incidents counts the
// rows emit took. Only dataset layouts are read row by row: an input of
// the reports layout is ErrRowsReports.
func NormalizeRows(ctx context.Context, inputs []string, opts Options, emit func([]Row) error) (*Summary, error) {
	if emit == nil {
		panic("ingest: NormalizeRows without emit")
	}
	opts.rowsOut = emit
	return Normalize(ctx, inputs, opts, func(arrow.Record) error {
		return errors.New("ingest: NormalizeRows emitted a record") // never: finishRows bypasses the records
	})
}

// finishRows is finishChunk's end for NormalizeRows: the chunk's valid rows
// go to the caller, with their lines and fields.
func (r *run) finishRows(ctx context.Context, idx int, in *source.Input, is *InputSummary, res *result, decided *int64) error {
	sortRejects(res.rejects)
	for _, rj := range res.rejects {
		err := r.reject(is, res.chunk.header, rj.fields, rj.err)
		*decided++
		if err != nil {
			return err
		}
	}
	incs, err := schema.AppendIncidents(nil, res.rec)
	if err != nil {
		return fmt.Errorf("ingest: %w", err)
	}
	rows := make([]Row, len(incs))
	for k := range incs {
		f := res.writtenFields(k)
		own := make([]string, len(f))
		for i, s := range f {
			own[i] = strings.Clone(s) // the fields point into a block that is recycled
		}
		rows[k] = Row{Incident: incs[k], Input: idx, Line: res.lines[k], Fields: own}
	}
	r.progress(res.chunk.bytes)
	if err := ctx.Err(); err != nil {
		return err
	}
	if len(rows) > 0 {
		if err := r.rowsOut(rows); err != nil {
			return err
		}
	}
	r.sum.Incidents += int64(len(rows))
	*decided += int64(len(rows))
	return nil
}

// DuplicateReject returns the reject of a row whose incident_id an earlier
// row of the run already has, in the words Normalize writes it: dup is the
// rejected row, first the row kept (the first in input order), paths the
// run's inputs (for where the first is when it is in another input).
func DuplicateReject(dup, first *Row, paths []string) *source.Error {
	id := dup.Incident.IncidentID
	where := fmt.Sprintf("line %d", first.Line)
	if first.Input != dup.Input {
		where += " of " + paths[first.Input]
	}
	return &source.Error{File: paths[dup.Input], Line: dup.Line, Field: "incident_id", Text: id,
		Err: fmt.Errorf("%w: %s on lines %d and %d (first kept: %s)", ErrDuplicateID, id, first.Line, dup.Line, where)}
}

// RejectJSON returns the JSON object (with its newline) that the rejects
// file holds for the row fields of an input with header hdr rejected for
// e, as Normalize writes it to Options.Rejects; kind is the reason's kind
// (RejectKind).
func RejectJSON(hdr, fields []string, e *source.Error) []byte {
	var r run
	var out captured
	r.opts = &Options{Rejects: &out}
	r.sum = &Summary{RejectReasons: map[string]int64{}}
	_ = r.reject(&InputSummary{}, hdr, fields, e)
	return out.b
}

// RejectKind returns the kind a reject of err is counted under
// (Summary.RejectReasons, the "kind" of a reject object).
func RejectKind(err error) string { return reasonKind(err) }

type captured struct{ b []byte }

func (c *captured) Write(p []byte) (int, error) { c.b = append(c.b, p...); return len(p), nil }
