package export

import (
	"bufio"
	"bytes"
	"context"
	"encoding/binary"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync/atomic"
	"unicode/utf8"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/compute"
	"github.com/apache/arrow/go/v17/arrow/memory"

	"github.com/incidentkit/incidents/schema"
)

// textReader parses JSON Lines or CSV rows into records of the projected
// schema.
type textReader struct {
	ctx    context.Context
	path   string
	f      *os.File
	format string
	sc     *arrow.Schema
	b      *array.RecordBuilder
	apps   []func(array.Builder, string) error
	batch  int

	lines  *bufio.Reader
	csv    *csv.Reader
	csvCol []int    // CSV column -> field index, -1 = not read
	header []string // CSV header, for rejects
	line   int      // line of the row being read (CSV: where its record starts)

	// Validation (the incidents schema only): enums are checked and written
	// in their canonical spelling, and each batch's rows go through
	// schema.Validate; bad rows go to rejects, or end the read when it is nil.
	mem      memory.Allocator
	validate bool
	enums    []func(string) (string, error) // per field, nil if not an enum
	rejects  func(Reject) error
	bad      []badRow          // rows of the batch being built that are rejected
	lineOf   []int             // line of each row of the batch
	arena    []byte            // the batch's rows as read (CSV: length-prefixed cells; JSON: the line), for a reject found by validation
	rawOff   []int             // start of each row in arena
	scratch  []schema.Incident // decoded rows of a batch, reused

	rec      arrow.Record
	err      error
	deferred error // an unreadable row, reported once the rows before it are screened
	refs     int64
}

// Reject is a row of a CSV or JSON Lines input that does not hold a valid
// incident: unreadable (bad JSON or CSV quoting, a ragged row, a value that
// does not parse as its column's type, an unknown enum value, null in a
// required column) or breaking an invariant of schema.Validate. With
// ReadOptions.Rejects set such a row is passed there and left out of the
// records; without, the first one ends the read with its error.
type Reject struct {
	File   string
	Line   int    // 1-based line the row starts on
	Row    []Cell // CSV: the row's cells under their header names
	Text   string // JSON Lines: the line (at most 1 KiB, then "...")
	Field  string // the column at fault ("" for the whole row)
	Column int    // CSV: 1-based column of Field (0: not known)
	Kind   string // class of the cause: syntax, ragged_row, bad_number, bad_date, bad_time, unknown_code, missing_required, negative_count, low_above_high, ...
	Reason string
}

// Cell is one named value of a rejected CSV row.
type Cell struct{ Name, Value string }

type badRow struct {
	row int // index in the batch; -1 for a line that gave no row
	rej Reject
}

func openText(ctx context.Context, path, format string, opts ReadOptions) (array.RecordReader, error) {
	sc := opts.Schema
	if opts.Columns != nil {
		var fields []arrow.Field
		for _, c := range opts.Columns {
			idx := sc.FieldIndices(c)
			if len(idx) == 0 {
				return nil, fmt.Errorf("export: %s: %w (schema v%s): no column %s", path, ErrSchemaMismatch, "1", c)
			}
			fields = append(fields, sc.Field(idx[0]))
		}
		md := sc.Metadata()
		sc = arrow.NewSchema(fields, &md)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("export: %w", err)
	}
	t := &textReader{ctx: ctx, path: path, f: f, format: format, sc: sc, batch: opts.BatchSize, refs: 1, rejects: opts.Rejects, mem: opts.Mem}
	t.b = array.NewRecordBuilder(opts.Mem, sc)
	t.validate = !opts.AnySchema && sc.NumFields() > 0
	for _, fl := range sc.Fields() {
		t.apps = append(t.apps, appenderFor(fl.Type))
		if schema.ColumnIndex(fl.Name) < 0 {
			t.validate = false
		}
	}
	if t.validate {
		t.enums = make([]func(string) (string, error), sc.NumFields())
		for i, fl := range sc.Fields() {
			t.enums[i] = enumCheck(fl.Name)
		}
	}
	br := bufio.NewReaderSize(f, 1<<16)
	if format == FormatCSV {
		t.csv = csv.NewReader(br)
		t.csv.ReuseRecord = true
		header, err := t.csv.Read()
		if err != nil {
			t.Release()
			return nil, fmt.Errorf("export: %s: header: %w", path, err)
		}
		t.header = append([]string(nil), header...)
		seen := map[string]bool{}
		for _, h := range header {
			idx := sc.FieldIndices(h)
			if len(idx) == 0 {
				if !opts.Schema.HasField(h) {
					t.Release()
					return nil, fmt.Errorf("export: %s: %w: unexpected column %s", path, ErrSchemaMismatch, h)
				}
				t.csvCol = append(t.csvCol, -1)
				continue
			}
			seen[h] = true
			t.csvCol = append(t.csvCol, idx[0])
		}
		for _, fl := range sc.Fields() {
			if !seen[fl.Name] {
				t.Release()
				return nil, fmt.Errorf("export: %s: %w: missing column %s", path, ErrSchemaMismatch, fl.Name)
			}
		}
		t.line = 1
	} else {
		t.lines = br
	}
	return t, nil
}

func (t *textReader) Retain()               { atomic.AddInt64(&t.refs, 1) }
func (t *textReader) Schema() *arrow.Schema { return t.sc }
func (t *textReader) Record() arrow.Record  { return t.rec }
func (t *textReader) Err() error            { return t.err }
func (t *textReader) Release() {
	if atomic.AddInt64(&t.refs, -1) != 0 {
		return
	}
	if t.rec != nil {
		t.rec.Release()
		t.rec = nil
	}
	t.b.Release()
	t.f.Close()
}

func (t *textReader) Next() bool {
	if t.rec != nil {
		t.rec.Release()
		t.rec = nil
	}
	for t.err == nil {
		if t.deferred != nil {
			t.err = t.deferred
			return false
		}
		n, eof := t.fill()
		if t.err != nil {
			return false
		}
		if n == 0 {
			if err := t.emitRejects(); err != nil {
				t.err = err
				return false
			}
			if !eof {
				continue
			}
			t.err = t.deferred
			return false
		}
		rec := t.b.NewRecord()
		kept, err := t.screen(rec)
		if err != nil {
			t.err = err
			return false
		}
		if kept != nil && kept.NumRows() > 0 {
			t.rec = kept
			return true
		}
		if kept != nil {
			kept.Release()
		}
		if eof {
			return false
		}
	}
	return false
}

// fill appends up to a batch of rows to the builder; eof reports the end
// of the input.
func (t *textReader) fill() (n int, eof bool) {
	t.bad, t.lineOf, t.arena, t.rawOff = t.bad[:0], t.lineOf[:0], t.arena[:0], t.rawOff[:0]
	for n < t.batch {
		var err error
		var more bool
		if t.csv != nil {
			more, err = t.nextCSV(n)
		} else {
			more, err = t.nextJSON(n)
		}
		if err != nil {
			// The rows before it are screened first: an earlier bad row is
			// the error to report.
			t.deferred = fmt.Errorf("export: %s: line %d: %w", t.path, t.line, err)
			return n, true
		}
		if !more {
			return n, true
		}
		if t.rejects == nil && len(t.bad) > 0 {
			return n, false // screen reports it
		}
		n++
		if n%4096 == 0 {
			if err := t.ctx.Err(); err != nil {
				t.err = err
				return 0, true
			}
		}
	}
	return n, false
}

// screen validates the rows of rec (its reference is taken) and returns
// the record of the good ones, passing the others to rejects.
func (t *textReader) screen(rec arrow.Record) (arrow.Record, error) {
	if t.validate {
		var err error
		if t.scratch, err = schema.AppendIncidents(t.scratch[:0], rec); err != nil {
			rec.Release()
			return nil, fmt.Errorf("export: %s: %w", t.path, err)
		}
		cols := map[string]bool{}
		for _, f := range rec.Schema().Fields() {
			cols[f.Name] = true
		}
		isBad := map[int]bool{}
		for _, b := range t.bad {
			isBad[b.row] = true
		}
		for i := range t.scratch {
			if isBad[i] {
				continue
			}
			if fe := firstViolation(t.scratch[i].Validate(), cols); fe != nil {
				r := t.rawRow(i)
				r.Line, r.Field, r.Kind, r.Reason = t.lineOf[i], fe.Field, violationKind(fe.Err), strings.TrimPrefix(fe.Error(), "schema: ")
				if r.Row != nil {
					r.Column = columnOf(t.header, fe.Field)
				}
				t.bad = append(t.bad, badRow{row: i, rej: r})
			}
		}
	}
	if len(t.bad) == 0 {
		return rec, nil
	}
	drop := map[int]bool{}
	for _, b := range t.bad {
		if b.row >= 0 {
			drop[b.row] = true
		}
	}
	if err := t.emitRejects(); err != nil {
		rec.Release()
		return nil, err
	}
	defer rec.Release()
	if len(drop) == 0 {
		rec.Retain()
		return rec, nil
	}
	keep := make([]int32, 0, int(rec.NumRows())-len(drop))
	for i := 0; i < int(rec.NumRows()); i++ {
		if !drop[i] {
			keep = append(keep, int32(i))
		}
	}
	return takeRows(t.mem, rec, keep)
}

// emitRejects passes the batch's rejects to the callback in line order, or
// returns the first as the read's error when there is no callback.
func (t *textReader) emitRejects() error {
	sort.SliceStable(t.bad, func(a, b int) bool { return t.bad[a].rej.Line < t.bad[b].rej.Line })
	for _, b := range t.bad {
		r := b.rej
		r.File = t.path
		if t.rejects == nil {
			where := ""
			if r.Field != "" {
				where = "column " + r.Field + ": "
			}
			return fmt.Errorf("export: %s: line %d: %s%s", t.path, r.Line, where, strings.TrimPrefix(r.Reason, r.Field+": "))
		}
		if err := t.rejects(r); err != nil {
			return err
		}
	}
	t.bad = t.bad[:0]
	return nil
}

// columnOf returns the 1-based position of name in header (0: absent).
func columnOf(header []string, name string) int {
	for i, h := range header {
		if h == name {
			return i + 1
		}
	}
	return 0
}

// takeRows returns the rows idx of rec.
func takeRows(mem memory.Allocator, rec arrow.Record, idx []int32) (arrow.Record, error) {
	ib := array.NewInt32Builder(mem)
	ib.AppendValues(idx, nil)
	indices := ib.NewArray()
	ib.Release()
	defer indices.Release()
	ctx := compute.WithAllocator(context.Background(), mem)
	cols := make([]arrow.Array, rec.NumCols())
	defer func() {
		for _, c := range cols {
			if c != nil {
				c.Release()
			}
		}
	}()
	for k := range cols {
		c, err := takeArray(ctx, rec.Column(k), indices)
		if err != nil {
			return nil, fmt.Errorf("export: take %s: %w", rec.ColumnName(k), err)
		}
		cols[k] = c
	}
	return array.NewRecord(rec.Schema(), cols, int64(len(idx))), nil
}

// firstViolation returns the first broken invariant of err that the
// columns read can tell: a rule over a column not read (incident_id of a
// projection without it, date_end when only date_start is read) is not
// judged.
func firstViolation(err error, cols map[string]bool) *schema.FieldError {
	var verr schema.ValidationError
	if !errors.As(err, &verr) {
		return nil
	}
	for _, fe := range verr {
		if !cols[fe.Field] {
			continue
		}
		switch {
		case errors.Is(fe.Err, schema.ErrDateOrder) && !(cols["date_start"] && cols["date_end"]),
			errors.Is(fe.Err, schema.ErrCoordinates) && !(cols["latitude"] && cols["longitude"]),
			errors.Is(fe.Err, schema.ErrSourceCount) && !(cols["source_count"] && cols["sources"]):
			continue
		}
		return fe
	}
	return nil
}

// violationKind names the class of a schema.Validate cause as normalize's
// rejects do.
func violationKind(err error) string {
	switch {
	case errors.Is(err, schema.ErrRequired):
		return "missing_required"
	case errors.Is(err, schema.ErrNegative):
		return "negative_count"
	case errors.Is(err, schema.ErrOrder):
		return "low_above_high"
	case errors.Is(err, schema.ErrBreakdown):
		return "breakdown_above_high"
	case errors.Is(err, schema.ErrDateOrder):
		return "date_order"
	case errors.Is(err, schema.ErrCoordinates):
		return "bad_coordinates"
	case errors.Is(err, schema.ErrCountryCode):
		return "bad_country_code"
	case errors.Is(err, schema.ErrSourceCount):
		return "bad_source_count"
	}
	return "invalid"
}

// enumCheck returns the parser of an enum column (nil for others): it
// refuses values outside the enum and returns the canonical spelling.
func enumCheck(name string) func(string) (string, error) {
	switch schema.ColumnIndex(name) {
	case schema.ColDatePrecision:
		return func(s string) (string, error) { v, err := schema.ParseDatePrecision(s); return v.String(), err }
	case schema.ColGeoPrecision:
		return func(s string) (string, error) { v, err := schema.ParseGeoPrecision(s); return v.String(), err }
	case schema.ColEventType:
		return func(s string) (string, error) { v, err := schema.ParseEventType(s); return v.String(), err }
	case schema.ColViolenceType:
		return func(s string) (string, error) { v, err := schema.ParseViolenceType(s); return v.String(), err }
	}
	return nil
}

// enumPlaceholder is a valid value of an enum column, kept in a rejected
// row until the batch is screened.
func enumPlaceholder(name string) string {
	s, _ := enumCheck(name)("unknown")
	if s == "" || strings.Contains(s, "(") {
		s, _ = enumCheck(name)("day")
	}
	return s
}

// fieldKind names the class of a value that does not parse as its column.
func fieldKind(t arrow.DataType, enum bool) string {
	switch {
	case enum:
		return "unknown_code"
	case t.ID() == arrow.DATE32:
		return "bad_date"
	case t.ID() == arrow.TIMESTAMP:
		return "bad_time"
	case t.ID() == arrow.INT16, t.ID() == arrow.INT32, t.ID() == arrow.INT64, t.ID() == arrow.FLOAT64:
		return "bad_number"
	}
	return "bad_value"
}

// field appends one value of the current row; on a bad value the column
// gets a null (the row is dropped later) and the returned reject says why.
func (t *textReader) field(fi int, text string, null bool) *Reject {
	b := t.b.Field(fi)
	before := b.Len()
	fl := t.sc.Field(fi)
	var err error
	kind := ""
	if null && !fl.Nullable {
		err, kind = errors.New("null in a column that cannot be null"), "missing_required"
	} else if !null && t.enums != nil && t.enums[fi] != nil {
		var canon string
		if canon, err = t.enums[fi](text); err == nil {
			text = canon
		} else {
			err = errors.New(strings.TrimPrefix(err.Error(), "schema: "))
			kind = "unknown_code"
		}
	}
	if err == nil {
		if err = t.set(fi, text, null); err != nil {
			kind = fieldKind(fl.Type, false)
			err = errors.Unwrap(err) // set's error names the column, which the reject carries
			if err == nil {
				err = errors.New("bad value")
			}
		}
	}
	if err == nil {
		return nil
	}
	if b.Len() == before {
		if t.enums != nil && t.enums[fi] != nil {
			t.apps[fi](b, enumPlaceholder(fl.Name)) // a value schema.AppendIncidents decodes; the row is dropped
		} else {
			b.AppendNull()
		}
	}
	return &Reject{Field: fl.Name, Kind: kind, Reason: fl.Name + ": " + err.Error()}
}

// rowFault records that row n of the batch is rejected (the first fault of
// a row is the one reported).
func (t *textReader) rowFault(n int, r *Reject) {
	if k := len(t.bad); k > 0 && t.bad[k-1].row == n {
		return
	}
	r.Line = t.line
	t.bad = append(t.bad, badRow{row: n, rej: *r})
}

func (t *textReader) set(fi int, text string, null bool) error {
	fl := t.sc.Field(fi)
	b := t.b.Field(fi)
	if null {
		if !fl.Nullable {
			return fmt.Errorf("column %s: null in a column that cannot be null", fl.Name)
		}
		b.AppendNull()
		return nil
	}
	if err := t.apps[fi](b, text); err != nil {
		return fmt.Errorf("column %s: %w", fl.Name, err)
	}
	return nil
}

// nextCSV reads one CSV record into row n of the batch. A record that
// cannot be read at all is rejected (without rejects: the read fails) and
// the next one read in its place.
func (t *textReader) nextCSV(n int) (bool, error) {
	for {
		rec, err := t.csv.Read()
		if errors.Is(err, io.EOF) {
			return false, nil
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			t.line = pe.StartLine
			if t.rejects == nil {
				return false, err
			}
			t.bad = append(t.bad, badRow{row: -1, rej: Reject{Line: pe.StartLine, Column: pe.Column, Kind: "syntax", Reason: pe.Err.Error()}})
			continue
		}
		if err != nil {
			return false, err
		}
		t.line, _ = t.csv.FieldPos(0)
		if len(rec) != len(t.csvCol) {
			r := Reject{Line: t.line, Kind: "ragged_row", Row: t.cells(rec),
				Reason: fmt.Sprintf("%d fields, header has %d", len(rec), len(t.csvCol))}
			if t.rejects == nil {
				return false, errors.New(r.Reason)
			}
			t.bad = append(t.bad, badRow{row: -1, rej: r})
			continue
		}
		t.lineOf = append(t.lineOf, t.line)
		if t.validate {
			t.rawOff = append(t.rawOff, len(t.arena))
			for _, v := range rec {
				t.arena = binary.AppendUvarint(t.arena, uint64(len(v)))
				t.arena = append(t.arena, v...)
			}
		}
		var cells []Cell
		for ci, fi := range t.csvCol {
			if fi < 0 {
				continue
			}
			if r := t.field(fi, rec[ci], rec[ci] == ""); r != nil {
				r.Column = ci + 1
				r.Row = cells
				if r.Row == nil {
					r.Row = t.cells(rec)
				}
				t.rowFault(n, r)
			}
		}
		return true, nil
	}
}

// rawRow returns row i of the batch as read: its cells (CSV) or its line
// (JSON Lines).
func (t *textReader) rawRow(i int) Reject {
	end := len(t.arena)
	if i+1 < len(t.rawOff) {
		end = t.rawOff[i+1]
	}
	b := t.arena[t.rawOff[i]:end]
	if t.csv == nil {
		return Reject{Text: quoteLine(b)}
	}
	var rec []string
	for len(b) > 0 {
		n, k := binary.Uvarint(b)
		rec = append(rec, string(b[k:k+int(n)]))
		b = b[k+int(n):]
	}
	return Reject{Row: t.cells(rec)}
}

// cells pairs a CSV record with the header (copies: the record is reused).
func (t *textReader) cells(rec []string) []Cell {
	out := make([]Cell, len(rec))
	for i, v := range rec {
		var name string
		if i < len(t.header) && t.header[i] != "" {
			name = t.header[i]
		} else {
			name = "column_" + strconv.Itoa(i+1)
		}
		out[i] = Cell{Name: name, Value: strings.Clone(v)}
	}
	return out
}

// quoteLine cuts a rejected JSON line to 1 KiB.
func quoteLine(b []byte) string {
	const max = 1 << 10
	if len(b) <= max {
		return string(b)
	}
	cut := max
	for cut > 0 && !utf8.RuneStart(b[cut]) {
		cut--
	}
	return string(b[:cut]) + "..."
}

// nextJSON reads one JSON Lines object into row n of the batch; a line
// that is not one JSON object is rejected as nextCSV does.
func (t *textReader) nextJSON(n int) (bool, error) {
	for {
		var line []byte
		for {
			l, err := t.lines.ReadBytes('\n')
			if len(l) == 0 && err != nil {
				if errors.Is(err, io.EOF) {
					return false, nil
				}
				return false, err
			}
			t.line++
			line = bytes.TrimSpace(l)
			if len(line) > 0 {
				break
			}
		}
		var m map[string]json.RawMessage
		if err := json.Unmarshal(line, &m); err != nil || m == nil {
			if err == nil {
				err = errors.New("not a JSON object")
			}
			if t.rejects == nil {
				return false, err
			}
			t.bad = append(t.bad, badRow{row: -1, rej: Reject{Line: t.line, Text: quoteLine(line), Kind: "syntax", Reason: err.Error()}})
			continue
		}
		t.lineOf = append(t.lineOf, t.line)
		if t.validate {
			t.rawOff = append(t.rawOff, len(t.arena))
			t.arena = append(t.arena, line...)
		}
		for fi, fl := range t.sc.Fields() {
			raw, ok := m[fl.Name]
			null := !ok || string(raw) == "null"
			text := string(raw)
			var r *Reject
			if !null && len(raw) > 0 && raw[0] == '"' {
				if err := json.Unmarshal(raw, &text); err != nil {
					r = &Reject{Field: fl.Name, Kind: "syntax", Reason: fl.Name + ": " + err.Error()}
					t.b.Field(fi).AppendNull()
				}
			}
			if r == nil {
				r = t.field(fi, text, null)
			}
			if r != nil {
				r.Text = quoteLine(line)
				t.rowFault(n, r)
			}
		}
		return true, nil
	}
}
