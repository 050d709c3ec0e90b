package diff

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"

	"github.com/incidentkit/incidents/internal/spill"
	"github.com/incidentkit/incidents/schema"
)

// Side says which release a record belongs to.
type Side int

// The two releases.
const (
	Old Side = iota
	New
)

// Change is what happened to one incident between the releases.
type Change string

// The kinds of change. Unchanged and Kept incidents are counted, never
// written to the change file.
const (
	Added     Change = "added"     // only in NEW
	Deleted   Change = "deleted"   // only in OLD
	Revised   Change = "revised"   // in both, some column differs
	Unchanged Change = "unchanged" // in both, every column equal
	Kept      Change = "kept"      // only in OLD, with Options.NoDeletes
)

// Defaults.
const (
	DefaultMemoryBytes = 64 << 20 // rows held in memory before a sorted run goes to disk
	DefaultBatchRows   = 1 << 16  // change rows per record given to emit
	MaxGroups          = 1 << 20  // distinct groups of Options.By (and of country_iso3, year)
)

// ErrDuplicateID is wrapped by the error of a release holding one
// incident_id twice: incidents are matched by id, so a release must hold
// each once (normalize's outputs do).
var ErrDuplicateID = errors.New("incident_id appears twice")

// ErrTooManyGroups is wrapped when Options.By has more than MaxGroups
// distinct values.
var ErrTooManyGroups = errors.New("too many groups")

// Options configure a Differ.
type Options struct {
	// OldName and NewName name the releases in errors ("old.parquet").
	OldName, NewName string
	// By names the columns whose groups get the net effect (events and
	// fatalities_best sum, old and new): country_iso3,year. Empty: one
	// group, the whole release.
	By []string
	// NoDeletes treats an incident only in OLD as kept rather than deleted
	// (an incremental download lists only what it adds or revises).
	NoDeletes bool
	// MemoryBytes bounds the rows held in memory before a sorted run is
	// written to a temporary file in $TMPDIR (default DefaultMemoryBytes).
	MemoryBytes int
	// BatchRows is the number of change rows per record given to emit
	// (default DefaultBatchRows).
	BatchRows int
	// Mem allocates the change records; nil means memory.DefaultAllocator.
	Mem memory.Allocator
	// Visit, when set, is called once for every incident of either
	// release, in incident_id order, with its change and its old and new
	// rows (nil where absent). The rows are valid only during the call.
	Visit func(change Change, old, new *Row) error
	// createTemp makes the sort's temporary file (tests); nil: spill.Create.
	createTemp spill.CreateFunc
}

// Differ matches two releases by incident_id. Add gives it the records of
// each release, in any order; Run sorts them by id (on disk past
// MemoryBytes: an external sort, so two full releases of millions of rows
// are never both in memory) and walks the ids once.
type Differ struct {
	opts   Options
	by     []int
	sorter *spill.Sorter
	rows   [2]uint64
	key    []byte
	buf    []byte
	ran    bool
}

const sideShift = 62

// NewDiffer returns a Differ, or an error for a --by column that is not a
// scalar column of the schema.
func NewDiffer(opts Options) (*Differ, error) {
	if opts.MemoryBytes <= 0 {
		opts.MemoryBytes = DefaultMemoryBytes
	}
	if opts.BatchRows <= 0 {
		opts.BatchRows = DefaultBatchRows
	}
	if opts.Mem == nil {
		opts.Mem = memory.DefaultAllocator
	}
	if opts.OldName == "" {
		opts.OldName = "OLD"
	}
	if opts.NewName == "" {
		opts.NewName = "NEW"
	}
	d := &Differ{opts: opts}
	for _, name := range opts.By {
		ci := schema.ColumnIndex(name)
		switch {
		case ci < 0:
			return nil, fmt.Errorf("diff: --by: no column %q in the schema", name)
		case schema.Columns[ci].Type.ID() == arrow.LIST:
			return nil, fmt.Errorf("diff: --by: %s is a list; give a scalar column", name)
		case slices.Contains(d.by, ci):
			return nil, fmt.Errorf("diff: --by: %s named twice", name)
		}
		d.by = append(d.by, ci)
	}
	d.sorter = spill.NewSorter(opts.MemoryBytes, opts.createTemp, "incidents-diff-*")
	return d, nil
}

// Columns are the columns Add needs: every column of the schema.
func Columns() []string { return schema.ColumnNames() }

func (d *Differ) name(s Side) string {
	if s == Old {
		return d.opts.OldName
	}
	return d.opts.NewName
}

// Add adds the rows of one record of a release. The record must hold every
// schema column (Columns), text columns plain or dictionary-encoded.
func (d *Differ) Add(side Side, rec arrow.Record) error {
	if d.ran {
		return errors.New("diff: Add after Run")
	}
	enc, err := newEncoder(rec)
	if err != nil {
		return fmt.Errorf("diff: %s: %w", d.name(side), err)
	}
	n := int(rec.NumRows())
	for i := 0; i < n; i++ {
		d.rows[side]++
		id, ok := enc.ids(i)
		if !ok {
			return fmt.Errorf("diff: %s: row %d: incident_id is null", d.name(side), d.rows[side])
		}
		d.key = append(d.key[:0], id...)
		d.buf = enc.payload(d.buf[:0], i)
		d.sorter.Add(d.key, uint64(side)<<sideShift|d.rows[side], d.buf)
	}
	return nil
}

// Close removes the temporary files. It may be deferred.
func (d *Differ) Close() error { return d.sorter.Close() }

// Schema is the change file's: one row per added or deleted incident
// (column, old and new null) and one per changed column of a revised
// incident, values as text (dates 2019-11-06, times RFC 3339 UTC, floats in
// the shortest form that reads back exactly, lists as JSON arrays; null for
// a null value), in incident_id order.
func Schema() *arrow.Schema {
	return arrow.NewSchema([]arrow.Field{
		{Name: "incident_id", Type: arrow.BinaryTypes.String},
		{Name: "change", Type: arrow.BinaryTypes.String},
		{Name: "column", Type: arrow.BinaryTypes.String, Nullable: true},
		{Name: "old", Type: arrow.BinaryTypes.String, Nullable: true},
		{Name: "new", Type: arrow.BinaryTypes.String, Nullable: true},
	}, nil)
}

// changeWriter builds change records and hands them to emit.
type changeWriter struct {
	b    *array.RecordBuilder
	n    int
	max  int
	emit func(arrow.Record) error
	rows int64
}

func (w *changeWriter) add(id []byte, c Change, column string, old, new *string) error {
	if w.emit == nil {
		w.rows++
		return nil
	}
	f := w.b.Fields()
	f[0].(*array.StringBuilder).Append(string(id))
	f[1].(*array.StringBuilder).Append(string(c))
	for k, v := range []*string{nil, old, new} {
		sb := f[2+k].(*array.StringBuilder)
		switch {
		case k == 0 && column != "":
			sb.Append(column)
		case k > 0 && v != nil:
			sb.Append(*v)
		default:
			sb.AppendNull()
		}
	}
	w.n++
	w.rows++
	if w.n >= w.max {
		return w.flush()
	}
	return nil
}

func (w *changeWriter) flush() error {
	if w.emit == nil || w.n == 0 {
		return nil
	}
	rec := w.b.NewRecord()
	w.n = 0
	defer rec.Release()
	return w.emit(rec)
}

// Run matches the releases and calls emit with the change records (nil
// emit: count only). It may be called once.
func (d *Differ) Run(ctx context.Context, emit func(arrow.Record) error) (*Summary, error) {
	if d.ran {
		return nil, errors.New("diff: Run called twice")
	}
	d.ran = true
	sum := newSummary(d.opts.By)
	sum.OldRows, sum.NewRows = int64(d.rows[Old]), int64(d.rows[New])
	cw := &changeWriter{max: d.opts.BatchRows, emit: emit}
	if emit != nil {
		cw.b = array.NewRecordBuilder(d.opts.Mem, Schema())
		defer cw.b.Release()
	}
	it := d.sorter.Sort()
	if err := d.sorter.InMemory(); err != nil {
		sum.Warnings = append(sum.Warnings, fmt.Sprintf("the sort could not use a temporary file (%v): every row was held in memory", err))
	}
	m := &merge{d: d, sum: sum, cw: cw}
	var seen uint64
	for it.Next() {
		if seen++; seen&4095 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		key, seq := it.Key(), it.Seq()
		if m.has[Old] || m.has[New] {
			if !bytes.Equal(key, m.id) {
				if err := m.flush(); err != nil {
					return nil, err
				}
			}
		}
		side := Side(seq >> sideShift)
		row := seq &^ (3 << sideShift)
		if m.has[side] {
			return nil, fmt.Errorf("diff: %s: %w: %q is on rows %d and %d (as read); incidents are matched by id, so a release holds each once",
				d.name(side), ErrDuplicateID, key, m.row[side], row)
		}
		if !m.has[Old] && !m.has[New] {
			m.id = append(m.id[:0], key...)
		}
		m.has[side], m.row[side] = true, row
		m.pay[side] = append(m.pay[side][:0], it.Payload()...)
	}
	if err := it.Err(); err != nil {
		return nil, fmt.Errorf("diff: %w", err)
	}
	if m.has[Old] || m.has[New] {
		if err := m.flush(); err != nil {
			return nil, err
		}
	}
	if err := cw.flush(); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	sum.ChangeRows = cw.rows
	sum.finish()
	return sum, nil
}

// merge holds the incident being matched.
type merge struct {
	d      *Differ
	sum    *Summary
	cw     *changeWriter
	id     []byte
	has    [2]bool
	row    [2]uint64
	pay    [2][]byte
	fields [2][][]byte
	gkey   []byte
}

func (m *merge) decode(s Side) (*Row, error) {
	f, err := fields(m.fields[s], m.pay[s])
	if err != nil {
		return nil, err
	}
	m.fields[s] = f
	return &Row{id: m.id, fields: f}, nil
}

func (m *merge) flush() error {
	defer func() { m.has = [2]bool{} }()
	var old, new *Row
	var err error
	if m.has[Old] {
		if old, err = m.decode(Old); err != nil {
			return err
		}
	}
	if m.has[New] {
		if new, err = m.decode(New); err != nil {
			return err
		}
	}
	s := m.sum
	var change Change
	switch {
	case old != nil && new == nil:
		change = Deleted
		if m.d.opts.NoDeletes {
			change = Kept
		}
	case old == nil:
		change = Added
	case bytes.Equal(m.pay[Old], m.pay[New]):
		change = Unchanged
	default:
		change = Revised
	}
	// the net effect: each release's events and deaths per group
	if old != nil {
		if err := m.net(old, Old); err != nil {
			return err
		}
	}
	if new != nil {
		if err := m.net(new, New); err != nil {
			return err
		}
	} else if change == Kept {
		if err := m.net(old, New); err != nil { // what stays in the dataset
			return err
		}
	}
	switch change {
	case Unchanged:
		s.Unchanged++
	case Kept:
		s.Kept++
	case Added:
		s.Added++
		m.place(new, New, change)
		if err := m.cw.add(m.id, change, "", nil, nil); err != nil {
			return err
		}
	case Deleted:
		s.Deleted++
		m.place(old, Old, change)
		if err := m.cw.add(m.id, change, "", nil, nil); err != nil {
			return err
		}
	case Revised:
		s.Revised++
		m.place(old, Old, change)
		m.place(new, New, change)
		for ci := 1; ci < schema.NumColumns; ci++ {
			if bytes.Equal(old.fields[ci], new.fields[ci]) {
				continue
			}
			s.Columns[ci]++
			ot, ook := valueText(ci, old.fields[ci])
			nt, nok := valueText(ci, new.fields[ci])
			var op, np *string
			if ook {
				op = &ot
			}
			if nok {
				np = &nt
			}
			if err := m.cw.add(m.id, change, schema.Columns[ci].Name, op, np); err != nil {
				return err
			}
		}
	}
	if v := m.d.opts.Visit; v != nil {
		return v(change, old, new)
	}
	return nil
}

// groupKey appends the encoded values of columns cols of r.
func groupKey(dst []byte, r *Row, cols []int) []byte {
	for _, ci := range cols {
		var v []byte
		if ci == schema.ColIncidentID {
			v = appendText([]byte{1}, string(r.id))
		} else {
			v = r.fields[ci]
		}
		dst = binary.AppendUvarint(dst, uint64(len(v)))
		dst = append(dst, v...)
	}
	return dst
}

func (m *merge) net(r *Row, s Side) error {
	m.gkey = groupKey(m.gkey[:0], r, m.d.by)
	g, ok := m.sum.net[string(m.gkey)]
	if !ok {
		if len(m.sum.net) >= MaxGroups {
			return fmt.Errorf("diff: %w: --by %s has more than %d distinct values", ErrTooManyGroups, strings.Join(m.d.opts.By, ","), MaxGroups)
		}
		g = &NetEffect{Group: groupText(r, m.d.by)}
		m.sum.net[string(m.gkey)] = g
	}
	g.add(r, s)
	return nil
}

var placeCols = []int{schema.ColCountryISO3, schema.ColYear}

// place counts a change in the country and year of the release's row: an
// added incident in NEW's, a deleted one in OLD's, a revised one in each
// (its fatalities leave OLD's place and arrive in NEW's; the revision is
// counted once, in NEW's).
func (m *merge) place(r *Row, s Side, c Change) {
	m.gkey = groupKey(m.gkey[:0], r, placeCols)
	p, ok := m.sum.places[string(m.gkey)]
	if !ok {
		g := groupText(r, placeCols)
		p = &PlaceChange{CountryISO3: g[0].Text}
		fmt.Sscan(g[1].Text, &p.Year)
		m.sum.places[string(m.gkey)] = p
	}
	best, known := int32Value(r.fields[schema.ColFatalitiesBest])
	switch {
	case c == Added:
		p.Added++
	case c == Deleted:
		p.Deleted++
	case s == New:
		p.Revised++
	}
	if !known {
		if s == Old {
			p.FatalitiesNullOld++
		} else {
			p.FatalitiesNullNew++
		}
		return
	}
	if s == Old {
		p.FatalitiesOld += int64(best)
	} else {
		p.FatalitiesNew += int64(best)
	}
}

// Value is one group value as text; Valid is false for null.
type Value struct {
	Text  string
	Valid bool
}

func groupText(r *Row, cols []int) []Value {
	vals := make([]Value, len(cols))
	for k, ci := range cols {
		if ci == schema.ColIncidentID {
			vals[k] = Value{string(r.id), true}
			continue
		}
		t, ok := valueText(ci, r.fields[ci])
		vals[k] = Value{t, ok}
	}
	return vals
}
