package panel

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"unicode"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"

	"github.com/incidentkit/incidents/schema"
	"github.com/incidentkit/incidents/stats"
)

func fieldOf(name string, t arrow.DataType, nullable bool, desc string) arrow.Field {
	return arrow.Field{Name: name, Type: t, Nullable: nullable,
		Metadata: arrow.NewMetadata([]string{"description"}, []string{desc})}
}

var (
	i32  = arrow.PrimitiveTypes.Int32
	i64  = arrow.PrimitiveTypes.Int64
	f64  = arrow.PrimitiveTypes.Float64
	utf8 = arrow.BinaryTypes.String
	bln  = arrow.FixedWidthTypes.Boolean
	d32  = arrow.FixedWidthTypes.Date32
)

var quantityMeaning = []string{
	"best estimate of deaths", "lowest estimate of deaths", "highest estimate of deaths",
	"deaths on actor1's side", "deaths on actor2's side", "civilian deaths", "deaths of unknown side",
}

// byColumn is one value of --by in output order.
type byColumn struct {
	id    int32
	value string // as in the data ("" with null true)
	null  bool
	name  string // sanitized, for the column names
}

// byColumns returns the --by values in output order: event types in the
// schema's order, other values sorted, null last; names made safe for
// column names (lower case, runs of other characters as one _).
func (b *Builder) byColumns() []byColumn {
	cols := make([]byColumn, 0, len(b.byNames))
	for id, v := range b.byNames {
		c := byColumn{id: int32(id), value: v}
		if int32(id) == b.byNull {
			c.null, c.value = true, ""
		}
		cols = append(cols, c)
	}
	if b.opts.By != "event_type" {
		sort.SliceStable(cols, func(i, j int) bool {
			if cols[i].null != cols[j].null {
				return !cols[i].null
			}
			return cols[i].value < cols[j].value
		})
	}
	used := map[string]int{}
	for i := range cols {
		name := "null"
		if !cols[i].null {
			name = sanitize(cols[i].value)
		}
		used[name]++
		if used[name] > 1 {
			name += "_" + strconv.Itoa(used[name])
		}
		cols[i].name = name
	}
	return cols
}

func sanitize(s string) string {
	var sb strings.Builder
	under := false
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if under && sb.Len() > 0 {
				sb.WriteByte('_')
			}
			under = false
			sb.WriteRune(r)
			continue
		}
		under = true
	}
	if sb.Len() == 0 {
		return "blank"
	}
	return sb.String()
}

// unitFields returns the key columns of the unit.
func (b *Builder) unitFields() []arrow.Field {
	switch b.opts.Unit {
	case UnitCountry:
		iso := fieldOf("country_iso3", utf8, b.sys != nil, "ISO 3166-1 alpha-3 of the unit (null for a historical state without one)")
		switch b.opts.System {
		case SystemGW:
			return []arrow.Field{iso,
				fieldOf("gwcode", i32, false, "Gleditsch & Ward state number"),
				fieldOf("gwc", utf8, false, "Gleditsch & Ward letter code"),
				fieldOf("state_name", utf8, false, "the state's name in the Gleditsch & Ward list")}
		case SystemCOW:
			return []arrow.Field{iso,
				fieldOf("cowcode", i32, false, "Correlates of War state number (ccode)"),
				fieldOf("cowc", utf8, false, "Correlates of War letter code (stateabb)"),
				fieldOf("state_name", utf8, false, "the state's name in the COW list (statenme)")}
		}
		return []arrow.Field{fieldOf("country_iso3", utf8, false, "ISO 3166-1 alpha-3 as found in the data")}
	case UnitAdmin1:
		return []arrow.Field{
			fieldOf("country_iso3", utf8, false, "ISO 3166-1 alpha-3"),
			fieldOf("admin1", utf8, false, "first-level administrative unit as the data names it")}
	case UnitPrioGrid:
		return []arrow.Field{
			fieldOf("gid", i32, false, "PRIO-GRID v2 cell id: (row - 1) * 720 + col"),
			fieldOf("row", i32, false, "PRIO-GRID row, 1 = southernmost: floor((lat + 90) / 0.5) + 1"),
			fieldOf("col", i32, false, "PRIO-GRID column, 1 = westernmost: floor((lon + 180) / 0.5) + 1"),
			fieldOf("latitude", f64, false, "latitude of the cell's centroid"),
			fieldOf("longitude", f64, false, "longitude of the cell's centroid")}
	}
	return nil
}

// Schema returns the schema of the records Emit writes. The --by columns
// depend on the values seen, so call it after the last Add.
func (b *Builder) Schema() *arrow.Schema {
	f := b.unitFields()
	f = append(f,
		fieldOf("period", utf8, false, "the "+b.opts.Period+" (2019-11-06, 2019-W45, 2019-11, 2019-Q4, 2019)"),
		fieldOf("period_start", d32, false, "first day of the period"),
		fieldOf("period_end", d32, false, "last day of the period"),
		fieldOf("year", i32, false, "year of period_start"),
		fieldOf("events", i64, false, "incidents with date_start in the period (0 = none recorded)"),
		fieldOf("any_event", bln, false, "events > 0"),
		fieldOf("onset", bln, true, fmt.Sprintf("events > 0 after at least %d periods of this unit without events; false when events = 0 or an earlier event is nearer; null when the unit's observed periods are too few to tell", b.opts.OnsetGap)),
	)
	for j, q := range quantities {
		f = append(f,
			fieldOf(q, i64, true, "sum of the known "+quantityMeaning[j]+" ("+q+"); null when every event's is unknown, 0 when there are no events"),
			fieldOf(q+"_null", i64, false, "events whose "+q+" is unknown (not counted in the sum)"))
	}
	for _, c := range b.byColumns() {
		v := b.opts.By + " = " + c.value
		if c.null {
			v = b.opts.By + " null"
		}
		f = append(f,
			fieldOf("events_"+c.name, i64, false, "events with "+v),
			fieldOf("fatalities_best_"+c.name, i64, true, "sum of the known fatalities_best of events with "+v+"; null when all are unknown"),
			fieldOf("fatalities_best_null_"+c.name, i64, false, "events with "+v+" whose fatalities_best is unknown"))
	}
	for _, l := range b.opts.Lags {
		s := strconv.Itoa(l)
		f = append(f,
			fieldOf("events_lag"+s, i64, true, "events "+s+" period(s) earlier in the same unit; null before the unit's first period"),
			fieldOf("fatalities_best_lag"+s, i64, true, "fatalities_best "+s+" period(s) earlier in the same unit"))
	}
	md := arrow.NewMetadata(
		[]string{"incidents.panel.unit", "incidents.panel.period", "incidents.panel.system", "incidents.panel.onset_gap"},
		[]string{b.opts.Unit, b.opts.Period, b.systemName(), strconv.Itoa(b.opts.OnsetGap)})
	return arrow.NewSchema(f, &md)
}

func (b *Builder) systemName() string {
	if b.opts.Unit != UnitCountry {
		return ""
	}
	return b.opts.System
}

// span returns the first and last period index; ok is false when there is
// neither an event nor --from/--to to set it.
func (b *Builder) span() (k0, k1 int64, ok bool) {
	o := &b.opts
	switch {
	case o.From != nil:
		k0 = stats.PeriodIndex(o.Period, *o.From)
	case b.seen:
		k0 = stats.PeriodIndex(o.Period, b.minDate)
	default:
		return 0, 0, false
	}
	switch {
	case o.To != nil:
		k1 = stats.PeriodIndex(o.Period, *o.To)
	case b.seen:
		k1 = stats.PeriodIndex(o.Period, b.maxDate)
	default:
		return 0, 0, false
	}
	return k0, k1, k0 <= k1
}

// unitOrder returns the units in output order as unit ids (state index,
// name id, gid or 0) and, for sorting the cells, each unit id's rank.
// A priogrid panel of bbox or all cells is enumerated by Emit itself.
func (b *Builder) unitOrder(k0, k1 int64) (units []int32, rank func(int32) int64) {
	switch {
	case b.sys != nil:
		from, to := stats.PeriodStart(b.opts.Period, k0), stats.PeriodStart(b.opts.Period, k1+1)-1
		for i := range b.sys.States {
			if b.sys.States[i].overlaps(from, to) {
				units = append(units, int32(i))
			}
		}
		return units, func(u int32) int64 { return int64(u) }
	case b.opts.Unit == UnitCountry || b.opts.Unit == UnitAdmin1:
		units = make([]int32, len(b.unitNames))
		for i := range units {
			units[i] = int32(i)
		}
		sort.Slice(units, func(i, j int) bool {
			x, y := b.unitNames[units[i]], b.unitNames[units[j]]
			if x.iso3 != y.iso3 {
				return x.iso3 < y.iso3
			}
			return x.admin1 < y.admin1
		})
		r := make([]int64, len(units))
		for i, u := range units {
			r[u] = int64(i)
		}
		return units, func(u int32) int64 { return r[u] }
	case b.opts.Unit == UnitPrioGrid:
		seen := map[int32]bool{}
		for key := range b.cells {
			k := unpack(key)
			if !seen[k.unit] {
				seen[k.unit] = true
				units = append(units, k.unit)
			}
		}
		sort.Slice(units, func(i, j int) bool { return units[i] < units[j] })
		return units, func(u int32) int64 { return int64(u) }
	}
	return []int32{0}, func(int32) int64 { return 0 }
}

// gridCells calls fn for every cell of a bbox or all panel, in gid order.
func (b *Builder) gridCells(fn func(gid int32) error) error {
	if b.inList != nil {
		for g := int32(1); g <= GridCells; g++ {
			if b.inList[g] {
				if err := fn(g); err != nil {
					return err
				}
			}
		}
		return nil
	}
	r0, r1, c0, c1 := int32(1), int32(GridRows), int32(1), int32(GridCols)
	if b.opts.Cells == CellsBBox {
		if bb := b.opts.BBox; bb != nil {
			_, r0, c0, _ = GridCell(bb.MinLat, bb.MinLon)
			_, r1, c1, _ = GridCell(bb.MaxLat, bb.MaxLon)
		} else if b.minRow <= b.maxRow {
			r0, r1, c0, c1 = b.minRow, b.maxRow, b.minCol, b.maxCol
		} else {
			return nil
		}
	}
	for r := r0; r <= r1; r++ {
		for c := c0; c <= c1; c++ {
			if err := fn((r-1)*GridCols + c); err != nil {
				return err
			}
		}
	}
	return nil
}

// Emit writes the panel as records of up to Options.BatchRows rows to fn,
// sorted by unit then period, every unit-period of the span present (zeros
// where nothing was recorded; for a state only the periods it was a member
// in). Each record is released after fn returns: fn must Retain what it
// keeps. Memory is one batch plus the cells with events.
func (b *Builder) Emit(mem memory.Allocator, fn func(arrow.Record) error) error {
	if mem == nil {
		mem = memory.DefaultAllocator
	}
	sc := b.Schema()
	rb := array.NewRecordBuilder(mem, sc)
	defer rb.Release()
	rb.Reserve(b.opts.BatchRows) // a batch's buffers are allocated once, not grown by doubling
	k0, k1, ok := b.span()
	if !ok {
		return nil
	}
	b.sum.Periods = k1 - k0 + 1
	units, rank := b.unitOrder(k0, k1)

	keys := make([]cellKey, 0, len(b.cells))
	for k := range b.cells {
		keys = append(keys, unpack(k))
	}
	sort.Slice(keys, func(i, j int) bool {
		ri, rj := rank(keys[i].unit), rank(keys[j].unit)
		if ri != rj {
			return ri < rj
		}
		return keys[i].period < keys[j].period
	})

	e := &emitter{b: b, rb: rb, fn: fn, keys: keys, byCols: b.byColumns(), nUnit: len(b.unitFields())}
	// The periods' labels and bounds, once (not per unit).
	e.k0 = k0
	for k := k0; k <= k1; k++ {
		from := stats.PeriodStart(b.opts.Period, k)
		e.labels = append(e.labels, stats.PeriodLabel(b.opts.Period, k))
		e.starts = append(e.starts, from)
		e.ends = append(e.ends, stats.PeriodStart(b.opts.Period, k+1)-1)
		e.years = append(e.years, int32(from.Year()))
	}
	e.setLags()
	var err error
	if b.opts.Unit == UnitPrioGrid && b.opts.Cells != CellsEvents {
		err = b.gridCells(func(gid int32) error { return e.unit(gid, k0, k1) })
	} else {
		for _, u := range units {
			if err = e.unit(u, k0, k1); err != nil {
				break
			}
		}
	}
	if err == nil {
		err = e.flush()
	}
	if err == nil && e.next < len(keys) {
		err = fmt.Errorf("panel: %d unit-periods with events fall outside the panel's units (internal error)", len(keys)-e.next)
	}
	return err
}

type emitter struct {
	b      *Builder
	rb     *array.RecordBuilder
	fn     func(arrow.Record) error
	keys   []cellKey
	next   int // first key not yet written
	byCols []byColumn
	nUnit  int
	rows   int

	k0           int64 // the span's first period
	labels       []string
	starts, ends []schema.Date
	years        []int32

	// lag history of the current unit, a ring indexed by period
	maxLag int
	histK  []int64
	histE  []int64
	histB  []int64
	histBN []bool
}

func (e *emitter) setLags() {
	for _, l := range e.b.opts.Lags {
		e.maxLag = max(e.maxLag, l)
	}
	if e.maxLag > 0 {
		n := e.maxLag + 1
		e.histK, e.histE, e.histB, e.histBN = make([]int64, n), make([]int64, n), make([]int64, n), make([]bool, n)
	}
}

var zero agg

// unit writes every period of one unit.
func (e *emitter) unit(u int32, k0, k1 int64) error {
	b := e.b
	var st *State
	if b.sys != nil {
		st = &b.sys.States[u]
	}
	for i := range e.histK {
		e.histK[i] = math.MinInt64
	}
	quiet, seenEvent, prev := 0, false, int64(math.MinInt64)
	wrote := false
	for k := k0; k <= k1; k++ {
		pfrom, pto := e.starts[k-e.k0], e.ends[k-e.k0]
		if st != nil && !st.overlaps(pfrom, pto) {
			continue
		}
		a := &zero
		if e.next < len(e.keys) && e.keys[e.next].unit == u && e.keys[e.next].period == k {
			a = &b.aggs[b.cells[pack(u, k)]]
			e.next++
		}
		if k != prev+1 { // the first period, or after a gap in membership: unobserved before
			quiet, seenEvent = 0, false
		}
		prev = k
		e.appendUnit(u, st)
		e.appendRow(a, k, pfrom, pto, quiet, seenEvent)
		if a.events > 0 {
			quiet, seenEvent = 0, true
		} else {
			quiet++
		}
		wrote = true
		if e.rows >= b.opts.BatchRows {
			if err := e.flush(); err != nil {
				return err
			}
		}
	}
	if wrote {
		b.sum.Units++
	}
	return nil
}

func (e *emitter) appendUnit(u int32, st *State) {
	b, rb := e.b, e.rb
	switch {
	case st != nil:
		if st.ISO3 == "" {
			rb.Field(0).AppendNull()
		} else {
			rb.Field(0).(*array.StringBuilder).Append(st.ISO3)
		}
		rb.Field(1).(*array.Int32Builder).Append(st.Code)
		rb.Field(2).(*array.StringBuilder).Append(st.Abb)
		rb.Field(3).(*array.StringBuilder).Append(st.Name)
	case b.opts.Unit == UnitCountry:
		rb.Field(0).(*array.StringBuilder).Append(b.unitNames[u].iso3)
	case b.opts.Unit == UnitAdmin1:
		rb.Field(0).(*array.StringBuilder).Append(b.unitNames[u].iso3)
		rb.Field(1).(*array.StringBuilder).Append(b.unitNames[u].admin1)
	case b.opts.Unit == UnitPrioGrid:
		r, c := CellOf(u)
		la, lo := CellCentroid(u)
		rb.Field(0).(*array.Int32Builder).Append(u)
		rb.Field(1).(*array.Int32Builder).Append(r)
		rb.Field(2).(*array.Int32Builder).Append(c)
		rb.Field(3).(*array.Float64Builder).Append(la)
		rb.Field(4).(*array.Float64Builder).Append(lo)
	}
}

func (e *emitter) appendRow(a *agg, k int64, pfrom, pto schema.Date, quiet int, seenEvent bool) {
	b, rb := e.b, e.rb
	j := e.nUnit
	// Buffers hold Options.BatchRows rows (reserved at each batch's start):
	// the unsafe appends skip the per-value capacity check.
	str := func(s string) { rb.Field(j).(*array.StringBuilder).Append(s); j++ }
	date := func(d schema.Date) { rb.Field(j).(*array.Date32Builder).UnsafeAppend(arrow.Date32(d)); j++ }
	int32v := func(v int32) { rb.Field(j).(*array.Int32Builder).UnsafeAppend(v); j++ }
	int64v := func(v int64) { rb.Field(j).(*array.Int64Builder).UnsafeAppend(v); j++ }
	opt64 := func(v int64, ok bool) {
		fb := rb.Field(j).(*array.Int64Builder)
		if ok {
			fb.UnsafeAppend(v)
		} else {
			fb.UnsafeAppendBoolToBitmap(false)
		}
		j++
	}
	boolv := func(v, ok bool) {
		fb := rb.Field(j).(*array.BooleanBuilder)
		if ok {
			fb.UnsafeAppend(v)
		} else {
			fb.UnsafeAppendBoolToBitmap(false)
		}
		j++
	}
	str(e.labels[k-e.k0])
	date(pfrom)
	date(pto)
	int32v(e.years[k-e.k0])
	int64v(a.events)
	boolv(a.events > 0, true)
	switch {
	case a.events == 0:
		boolv(false, true)
	case quiet >= b.opts.OnsetGap:
		boolv(true, true)
	case seenEvent:
		boolv(false, true)
	default:
		boolv(false, false)
	}
	for q := range quantities {
		s := a.q[q]
		opt64(s.sum, a.events == 0 || s.nulls < a.events)
		int64v(s.nulls)
	}
	for _, c := range e.byCols {
		var bc byCount
		if int(c.id) < len(a.by) {
			bc = a.by[c.id]
		}
		int64v(bc.events)
		opt64(bc.best, bc.events == 0 || bc.bestNull < bc.events)
		int64v(bc.bestNull)
	}
	if e.maxLag > 0 {
		n := int64(len(e.histK))
		for _, l := range b.opts.Lags {
			slot := floorMod(k-int64(l), n)
			if e.histK[slot] == k-int64(l) {
				opt64(e.histE[slot], true)
				opt64(e.histB[slot], !e.histBN[slot])
			} else {
				opt64(0, false)
				opt64(0, false)
			}
		}
		slot := floorMod(k, n)
		e.histK[slot], e.histE[slot] = k, a.events
		e.histB[slot], e.histBN[slot] = a.q[0].sum, a.events > 0 && a.q[0].nulls == a.events
	}
	e.rows++
}

func floorMod(a, n int64) int64 {
	m := a % n
	if m < 0 {
		m += n
	}
	return m
}

func (e *emitter) flush() error {
	if e.rows == 0 {
		return nil
	}
	rec := e.rb.NewRecord()
	defer rec.Release()
	e.rb.Reserve(e.b.opts.BatchRows)
	e.b.sum.RowsWritten += int64(e.rows)
	e.rows = 0
	return e.fn(rec)
}
