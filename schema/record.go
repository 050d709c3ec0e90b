package schema

import (
	"fmt"
	"strings"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"
)

// RecordBuilder turns incidents into Arrow records of schema Arrow(). It is
// not safe for concurrent use; give each worker its own.
type RecordBuilder struct {
	b *array.RecordBuilder

	str   [NumColumns]*array.StringBuilder
	i32   [NumColumns]*array.Int32Builder
	date  [NumColumns]*array.Date32Builder
	list  [NumColumns]*array.ListBuilder
	year  *array.Int16Builder
	count *array.Int16Builder
	ts    *array.TimestampBuilder
	lat   *array.Float64Builder
	lon   *array.Float64Builder

	cat  [NumColumns]*catColumn // the dictionary(utf8) columns, built here
	mem  memory.Allocator
	rows int // appended since the last NewRecord
}

// catColumn builds a dictionary(utf8) column without hashing most values:
// rows of a batch often repeat the previous row's value (the dataset, the
// precision, a country), which a string compare recognises; other values
// go through a map. The dictionary holds every value seen by the builder
// in order of first appearance and persists across its records, each
// record's dictionary extending the previous one's (as arrow's dictionary
// builder does, and as the Arrow IPC file format needs).
type catColumn struct {
	index   map[string]int32
	values  []string // the dictionary, in order of first appearance
	last    string
	lastIdx int32
	idx     []int32 // the current record's indices; -1 = null
}

func (c *catColumn) append(s string) {
	if s == c.last && len(c.values) > 0 {
		c.idx = append(c.idx, c.lastIdx)
		return
	}
	k, ok := c.index[s]
	if !ok {
		s = strings.Clone(s) // the caller's bytes may be reused
		k = int32(len(c.values))
		c.values = append(c.values, s)
		c.index[s] = k
	}
	c.last, c.lastIdx = c.values[k], k
	c.idx = append(c.idx, k)
}

// array returns the current record's column and starts the next record.
func (c *catColumn) array(mem memory.Allocator, dt *arrow.DictionaryType) arrow.Array {
	ib := array.NewInt32Builder(mem)
	defer ib.Release()
	ib.Reserve(len(c.idx))
	for _, k := range c.idx {
		if k < 0 {
			ib.UnsafeAppendBoolToBitmap(false)
		} else {
			ib.UnsafeAppend(k)
		}
	}
	indices := ib.NewArray()
	defer indices.Release()
	db := array.NewStringBuilder(mem)
	defer db.Release()
	size := 0
	for _, v := range c.values {
		size += len(v)
	}
	db.Reserve(len(c.values))
	db.ReserveData(size)
	for _, v := range c.values {
		db.Append(v)
	}
	dict := db.NewArray()
	defer dict.Release()
	c.idx = c.idx[:0]
	return array.NewDictionaryArray(dt, indices, dict)
}

// NewRecordBuilder returns a builder that allocates from mem (nil means the
// default Go allocator).
func NewRecordBuilder(mem memory.Allocator) *RecordBuilder {
	rb, _ := newRecordBuilder(mem, arrowSchema)
	return rb
}

// NewProjectedRecordBuilder returns a builder of records that hold only the
// named columns of Arrow(), in the schema's order: what a reader that needs
// a few columns (statistics) asks for, so the others are never built. An
// unknown name is an error; no names means every column.
func NewProjectedRecordBuilder(mem memory.Allocator, names []string) (*RecordBuilder, error) {
	if len(names) == 0 {
		return NewRecordBuilder(mem), nil
	}
	want := map[string]bool{}
	for _, n := range names {
		if ColumnIndex(n) < 0 {
			return nil, fmt.Errorf("schema: no column %q", n)
		}
		want[n] = true
	}
	var fields []arrow.Field
	for _, f := range arrowSchema.Fields() {
		if want[f.Name] {
			fields = append(fields, f)
		}
	}
	md := arrowSchema.Metadata()
	return newRecordBuilder(mem, arrow.NewSchema(fields, &md))
}

func newRecordBuilder(mem memory.Allocator, sc *arrow.Schema) (*RecordBuilder, error) {
	if mem == nil {
		mem = memory.DefaultAllocator
	}
	rb := &RecordBuilder{b: array.NewRecordBuilder(mem, sc), mem: mem}
	for k, f := range sc.Fields() {
		i := ColumnIndex(f.Name)
		switch fb := rb.b.Field(k).(type) {
		case *array.StringBuilder:
			rb.str[i] = fb
		case *array.BinaryDictionaryBuilder: // left empty: the column is built by cat[i]
			rb.cat[i] = &catColumn{index: map[string]int32{}}
		case *array.Int32Builder:
			rb.i32[i] = fb
		case *array.Date32Builder:
			rb.date[i] = fb
		case *array.ListBuilder:
			rb.list[i] = fb
		case *array.Int16Builder:
			if i == ColYear {
				rb.year = fb
			} else {
				rb.count = fb
			}
		case *array.TimestampBuilder:
			rb.ts = fb
		case *array.Float64Builder:
			if i == ColLatitude {
				rb.lat = fb
			} else {
				rb.lon = fb
			}
		}
	}
	return rb, nil
}

// Schema returns the schema of the records the builder makes: Arrow(), or
// the projection asked for.
func (rb *RecordBuilder) Schema() *arrow.Schema { return rb.b.Schema() }

// Release frees the builder's memory.
func (rb *RecordBuilder) Release() { rb.b.Release() }

// Len returns the number of rows appended since the last NewRecord.
func (rb *RecordBuilder) Len() int { return rb.rows }

// Reserve makes room for n more rows in the fixed-width columns.
func (rb *RecordBuilder) Reserve(n int) { rb.b.Reserve(n) }

func (rb *RecordBuilder) text(i int, s string) {
	if rb.str[i] == nil { // not in the projection
		return
	}
	if s == "" && Columns[i].Nullable {
		rb.str[i].AppendNull()
		return
	}
	rb.str[i].Append(s)
}

func (rb *RecordBuilder) category(i int, s string) {
	c := rb.cat[i]
	if c == nil { // not in the projection
		return
	}
	if s == "" && Columns[i].Nullable {
		c.idx = append(c.idx, -1)
		return
	}
	c.append(s)
}

func (rb *RecordBuilder) number(i int, n NullInt32) {
	if rb.i32[i] == nil {
		return
	}
	if n.Valid {
		rb.i32[i].Append(n.Value)
	} else {
		rb.i32[i].AppendNull()
	}
}

func (rb *RecordBuilder) strings(i int, ss []string) {
	lb := rb.list[i]
	if lb == nil {
		return
	}
	lb.Append(true)
	vb := lb.ValueBuilder().(*array.StringBuilder)
	for _, s := range ss {
		vb.Append(s)
	}
}

// Append adds one incident as a row. It does not validate; call
// Incident.Validate first where the row's origin is not trusted.
func (rb *RecordBuilder) Append(in *Incident) {
	rb.rows++
	rb.text(ColIncidentID, in.IncidentID)
	rb.category(ColSourceDataset, in.SourceDataset)
	rb.text(ColSourceID, in.SourceID)
	if rb.date[ColDateStart] != nil {
		rb.date[ColDateStart].Append(arrow.Date32(in.DateStart))
	}
	if rb.date[ColDateEnd] != nil {
		rb.date[ColDateEnd].Append(arrow.Date32(in.DateEnd))
	}
	rb.category(ColDatePrecision, in.DatePrecision.String())
	switch {
	case rb.ts == nil:
	case in.TimeUTC.IsZero():
		rb.ts.AppendNull()
	default:
		rb.ts.Append(arrow.Timestamp(in.TimeUTC.UnixMilli()))
	}
	if rb.year != nil {
		rb.year.Append(in.Year())
	}
	rb.category(ColCountryISO3, in.CountryISO3)
	rb.category(ColCountry, in.Country)
	rb.text(ColAdmin1, in.Admin1)
	rb.text(ColAdmin2, in.Admin2)
	rb.text(ColLocation, in.Location)
	switch {
	case rb.lat == nil:
	case in.Latitude.Valid:
		rb.lat.Append(in.Latitude.Value)
	default:
		rb.lat.AppendNull()
	}
	switch {
	case rb.lon == nil:
	case in.Longitude.Valid:
		rb.lon.Append(in.Longitude.Value)
	default:
		rb.lon.AppendNull()
	}
	rb.category(ColGeoPrecision, in.GeoPrecision.String())
	rb.category(ColEventType, in.EventType.String())
	rb.category(ColSubEventType, in.SubEventType)
	rb.text(ColSourceEventType, in.SourceEvent)
	rb.category(ColViolenceType, in.ViolenceType.String())
	rb.text(ColActor1, in.Actor1)
	rb.text(ColActor2, in.Actor2)
	rb.strings(ColAssocActors, in.AssocActors)
	rb.text(ColClaimedBy, in.ClaimedBy)
	rb.number(ColFatalitiesBest, in.Fatalities.Best)
	rb.number(ColFatalitiesLow, in.Fatalities.Low)
	rb.number(ColFatalitiesHigh, in.Fatalities.High)
	rb.number(ColFatalitiesActor1, in.FatalitiesActor1)
	rb.number(ColFatalitiesActor2, in.FatalitiesActor2)
	rb.number(ColFatalitiesCivilians, in.FatalitiesCivilians)
	rb.number(ColFatalitiesUnknown, in.FatalitiesUnknown)
	rb.number(ColInjuredBest, in.Injured.Best)
	rb.number(ColInjuredLow, in.Injured.Low)
	rb.number(ColInjuredHigh, in.Injured.High)
	rb.number(ColDetainedBest, in.Detained.Best)
	rb.number(ColDetainedLow, in.Detained.Low)
	rb.number(ColDetainedHigh, in.Detained.High)
	rb.strings(ColSources, in.Sources)
	if rb.count != nil {
		rb.count.Append(in.SourceCount)
	}
	rb.text(ColNotes, in.Notes)
}

// NewRecord returns the rows appended so far as a record and resets the
// builder. The dictionaries of categorical columns persist across records
// of one builder (each record's dictionary extends the previous one), as the
// Arrow IPC file format requires; records of different builders may carry
// different dictionaries. The caller owns the record and must Release it.
//
// The next record's buffers are reserved at the sizes of this one, so that a
// builder fed batches of similar rows grows each buffer once, not by
// doubling from empty (every growth copies and zeroes).
func (rb *RecordBuilder) NewRecord() arrow.Record {
	n := rb.Len()
	var data [NumColumns]int
	var elems, elemData [NumColumns]int
	for i := range Columns {
		switch {
		case rb.str[i] != nil:
			data[i] = rb.str[i].DataLen()
		case rb.list[i] != nil:
			vb := rb.list[i].ValueBuilder().(*array.StringBuilder)
			elems[i], elemData[i] = vb.Len(), vb.DataLen()
		}
	}
	rec := rb.newRecord(n)
	if n > 0 {
		rb.b.Reserve(n)
		for i := range Columns {
			switch {
			case rb.str[i] != nil:
				rb.str[i].ReserveData(data[i])
			case rb.list[i] != nil:
				vb := rb.list[i].ValueBuilder().(*array.StringBuilder)
				vb.Reserve(elems[i])
				vb.ReserveData(elemData[i])
			}
		}
	}
	return rec
}

// newRecord assembles the record of n rows from the field builders and the
// dictionary columns built here.
func (rb *RecordBuilder) newRecord(n int) arrow.Record {
	sc := rb.b.Schema()
	cols := make([]arrow.Array, sc.NumFields())
	for k, f := range sc.Fields() {
		if c := rb.cat[ColumnIndex(f.Name)]; c != nil {
			cols[k] = c.array(rb.mem, f.Type.(*arrow.DictionaryType))
		} else {
			cols[k] = rb.b.Field(k).NewArray()
		}
	}
	rb.rows = 0
	rec := array.NewRecord(sc, cols, int64(n))
	for _, c := range cols {
		c.Release()
	}
	return rec
}

// NewRecord builds one record from a batch of incidents (a convenience over
// RecordBuilder for small batches and tests).
func NewRecord(mem memory.Allocator, incidents []Incident) arrow.Record {
	rb := NewRecordBuilder(mem)
	defer rb.Release()
	rb.Reserve(len(incidents))
	for i := range incidents {
		rb.Append(&incidents[i])
	}
	return rb.NewRecord()
}

// AppendIncidents decodes the rows of rec and appends them to dst. Columns
// are found by name, so a record holding only some of the schema's columns
// (a projected read) fills only those fields. Dictionary-encoded and plain
// string columns are both accepted. A column of the wrong type is an error.
func AppendIncidents(dst []Incident, rec arrow.Record) ([]Incident, error) {
	n := int(rec.NumRows())
	start := len(dst)
	if cap(dst)-start < n {
		grown := make([]Incident, start, start+n)
		copy(grown, dst)
		dst = grown
	}
	dst = dst[:start+n]
	rows := dst[start:]
	for i := range rows {
		rows[i] = Incident{}
	}
	sc := rec.Schema()
	for ci := 0; ci < int(rec.NumCols()); ci++ {
		name := sc.Field(ci).Name
		idx := ColumnIndex(name)
		if idx < 0 || idx == ColYear {
			continue
		}
		if err := decodeColumn(rows, idx, rec.Column(ci)); err != nil {
			return dst[:start], fmt.Errorf("schema: column %s: %w", name, err)
		}
	}
	return dst, nil
}

// textReader returns a function reading row i of a utf8 or dictionary(utf8) column.
func textReader(a arrow.Array) (func(int) string, error) {
	switch c := a.(type) {
	case *array.String:
		return func(i int) string {
			if c.IsNull(i) {
				return ""
			}
			return c.Value(i)
		}, nil
	case *array.LargeString:
		return func(i int) string {
			if c.IsNull(i) {
				return ""
			}
			return c.Value(i)
		}, nil
	case *array.Dictionary:
		var dict func(int) string
		switch d := c.Dictionary().(type) {
		case *array.String:
			dict = d.Value
		case *array.LargeString:
			dict = d.Value
		default:
			return nil, fmt.Errorf("dictionary of %s, want utf8", d.DataType())
		}
		return func(i int) string {
			if c.IsNull(i) {
				return ""
			}
			return dict(c.GetValueIndex(i))
		}, nil
	}
	return nil, fmt.Errorf("type %s, want utf8", a.DataType())
}

func decodeColumn(rows []Incident, idx int, a arrow.Array) error {
	switch Columns[idx].Type.ID() {
	case arrow.STRING, arrow.DICTIONARY:
		get, err := textReader(a)
		if err != nil {
			return err
		}
		return decodeText(rows, idx, get)
	case arrow.DATE32:
		c, ok := a.(*array.Date32)
		if !ok {
			return fmt.Errorf("type %s, want date32", a.DataType())
		}
		for i := range rows {
			if idx == ColDateStart {
				rows[i].DateStart = Date(c.Value(i))
			} else {
				rows[i].DateEnd = Date(c.Value(i))
			}
		}
	case arrow.TIMESTAMP:
		c, ok := a.(*array.Timestamp)
		if !ok {
			return fmt.Errorf("type %s, want timestamp", a.DataType())
		}
		unit := c.DataType().(*arrow.TimestampType).Unit
		for i := range rows {
			if c.IsValid(i) {
				rows[i].TimeUTC = c.Value(i).ToTime(unit).UTC()
			}
		}
	case arrow.FLOAT64:
		c, ok := a.(*array.Float64)
		if !ok {
			return fmt.Errorf("type %s, want float64", a.DataType())
		}
		for i := range rows {
			v := NullFloat64{Value: c.Value(i), Valid: c.IsValid(i)}
			if idx == ColLatitude {
				rows[i].Latitude = v
			} else {
				rows[i].Longitude = v
			}
		}
	case arrow.INT32:
		c, ok := a.(*array.Int32)
		if !ok {
			return fmt.Errorf("type %s, want int32", a.DataType())
		}
		for i := range rows {
			*countField(&rows[i], idx) = NullInt32{Value: c.Value(i), Valid: c.IsValid(i)}
		}
	case arrow.INT16:
		c, ok := a.(*array.Int16)
		if !ok {
			return fmt.Errorf("type %s, want int16", a.DataType())
		}
		for i := range rows {
			rows[i].SourceCount = c.Value(i)
		}
	case arrow.LIST:
		c, ok := a.(*array.List)
		if !ok {
			return fmt.Errorf("type %s, want list(utf8)", a.DataType())
		}
		get, err := textReader(c.ListValues())
		if err != nil {
			return fmt.Errorf("list of %w", err)
		}
		for i := range rows {
			if c.IsNull(i) {
				continue
			}
			// ValueOffsets, not Offsets()[i]: arrow's Offsets ignores the
			// array's own offset, so a sliced list would read other rows.
			l, h := c.ValueOffsets(i)
			lo, hi := int(l), int(h)
			if hi == lo {
				continue
			}
			vals := make([]string, 0, hi-lo)
			for j := lo; j < hi; j++ {
				vals = append(vals, get(j))
			}
			if idx == ColAssocActors {
				rows[i].AssocActors = vals
			} else {
				rows[i].Sources = vals
			}
		}
	default:
		return fmt.Errorf("no decoder for %s", Columns[idx].TypeName)
	}
	return nil
}

func decodeText(rows []Incident, idx int, get func(int) string) error {
	for i := range rows {
		s := get(i)
		in := &rows[i]
		var err error
		switch idx {
		case ColIncidentID:
			in.IncidentID = s
		case ColSourceDataset:
			in.SourceDataset = s
		case ColSourceID:
			in.SourceID = s
		case ColDatePrecision:
			in.DatePrecision, err = ParseDatePrecision(s)
		case ColCountryISO3:
			in.CountryISO3 = s
		case ColCountry:
			in.Country = s
		case ColAdmin1:
			in.Admin1 = s
		case ColAdmin2:
			in.Admin2 = s
		case ColLocation:
			in.Location = s
		case ColGeoPrecision:
			in.GeoPrecision, err = ParseGeoPrecision(s)
		case ColEventType:
			in.EventType, err = ParseEventType(s)
		case ColSubEventType:
			in.SubEventType = s
		case ColSourceEventType:
			in.SourceEvent = s
		case ColViolenceType:
			in.ViolenceType, err = ParseViolenceType(s)
		case ColActor1:
			in.Actor1 = s
		case ColActor2:
			in.Actor2 = s
		case ColClaimedBy:
			in.ClaimedBy = s
		case ColNotes:
			in.Notes = s
		}
		if err != nil {
			return fmt.Errorf("row %d: %w", i, err)
		}
	}
	return nil
}

// countField returns the field of in behind an int32 column.
func countField(in *Incident, idx int) *NullInt32 {
	switch idx {
	case ColFatalitiesBest:
		return &in.Fatalities.Best
	case ColFatalitiesLow:
		return &in.Fatalities.Low
	case ColFatalitiesHigh:
		return &in.Fatalities.High
	case ColFatalitiesActor1:
		return &in.FatalitiesActor1
	case ColFatalitiesActor2:
		return &in.FatalitiesActor2
	case ColFatalitiesCivilians:
		return &in.FatalitiesCivilians
	case ColFatalitiesUnknown:
		return &in.FatalitiesUnknown
	case ColInjuredBest:
		return &in.Injured.Best
	case ColInjuredLow:
		return &in.Injured.Low
	case ColInjuredHigh:
		return &in.Injured.High
	case ColDetainedBest:
		return &in.Detained.Best
	case ColDetainedLow:
		return &in.Detained.Low
	case ColDetainedHigh:
		return &in.Detained.High
	}
	panic("schema: not a count column")
}
