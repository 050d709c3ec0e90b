package panel

import (
	"math"
	"testing"
	"time"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"

	"github.com/incidentkit/incidents/schema"
)

// ev is one test incident; nil pointers are nulls.
type ev struct {
	date, end string
	iso3      string
	admin1    string
	lat, lon  float64 // NaN: null
	geo       string
	source    string
	etype     string
	best      *int32
	low, high *int32
}

func n32(v int32) *int32 { return &v }

func day(s string) schema.Date {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return schema.DateFromTime(t)
}

var testSchema = arrow.NewSchema([]arrow.Field{
	{Name: "date_start", Type: arrow.FixedWidthTypes.Date32},
	{Name: "date_end", Type: arrow.FixedWidthTypes.Date32},
	{Name: "country_iso3", Type: &arrow.DictionaryType{IndexType: arrow.PrimitiveTypes.Int32, ValueType: arrow.BinaryTypes.String}},
	{Name: "admin1", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "latitude", Type: arrow.PrimitiveTypes.Float64, Nullable: true},
	{Name: "longitude", Type: arrow.PrimitiveTypes.Float64, Nullable: true},
	{Name: "geo_precision", Type: arrow.BinaryTypes.String},
	{Name: "source_dataset", Type: &arrow.DictionaryType{IndexType: arrow.PrimitiveTypes.Int32, ValueType: arrow.BinaryTypes.String}},
	{Name: "event_type", Type: arrow.BinaryTypes.String},
	{Name: "fatalities_best", Type: arrow.PrimitiveTypes.Int32, Nullable: true},
	{Name: "fatalities_low", Type: arrow.PrimitiveTypes.Int32, Nullable: true},
	{Name: "fatalities_high", Type: arrow.PrimitiveTypes.Int32, Nullable: true},
	{Name: "fatalities_actor1", Type: arrow.PrimitiveTypes.Int32, Nullable: true},
	{Name: "fatalities_actor2", Type: arrow.PrimitiveTypes.Int32, Nullable: true},
	{Name: "fatalities_civilians", Type: arrow.PrimitiveTypes.Int32, Nullable: true},
	{Name: "fatalities_unknown", Type: arrow.PrimitiveTypes.Int32, Nullable: true},
}, nil)

func record(t *testing.T, mem memory.Allocator, evs []ev) arrow.Record {
	t.Helper()
	b := array.NewRecordBuilder(mem, testSchema)
	defer b.Release()
	for _, e := range evs {
		b.Field(0).(*array.Date32Builder).Append(arrow.Date32(day(e.date)))
		end := e.end
		if end == "" {
			end = e.date
		}
		b.Field(1).(*array.Date32Builder).Append(arrow.Date32(day(end)))
		iso := e.iso3
		if iso == "" {
			iso = "XXX"
		}
		if err := b.Field(2).(*array.BinaryDictionaryBuilder).AppendString(iso); err != nil {
			t.Fatal(err)
		}
		if e.admin1 == "" {
			b.Field(3).AppendNull()
		} else {
			b.Field(3).(*array.StringBuilder).Append(e.admin1)
		}
		for j, v := range []float64{e.lat, e.lon} {
			if math.IsNaN(v) {
				b.Field(4 + j).AppendNull()
			} else {
				b.Field(4 + j).(*array.Float64Builder).Append(v)
			}
		}
		geo := e.geo
		if geo == "" {
			geo = "exact"
		}
		b.Field(6).(*array.StringBuilder).Append(geo)
		src := e.source
		if src == "" {
			src = "acled"
		}
		if err := b.Field(7).(*array.BinaryDictionaryBuilder).AppendString(src); err != nil {
			t.Fatal(err)
		}
		et := e.etype
		if et == "" {
			et = "battles"
		}
		b.Field(8).(*array.StringBuilder).Append(et)
		for j, v := range []*int32{e.best, e.low, e.high, nil, nil, e.best, nil} {
			if v == nil {
				b.Field(9 + j).AppendNull()
			} else {
				b.Field(9 + j).(*array.Int32Builder).Append(*v)
			}
		}
	}
	return b.NewRecord()
}

// table is an emitted panel as rows of strings keyed by column name.
type table struct {
	cols []string
	rows []map[string]string
}

func (tb *table) find(t *testing.T, match map[string]string) map[string]string {
	t.Helper()
	var hit map[string]string
	for _, r := range tb.rows {
		ok := true
		for k, v := range match {
			if r[k] != v {
				ok = false
				break
			}
		}
		if ok {
			if hit != nil {
				t.Fatalf("two rows match %v", match)
			}
			hit = r
		}
	}
	return hit
}

// build runs a Builder over evs with a checked allocator and returns the
// panel, the summary and the batch sizes.
func build(t *testing.T, opts Options, evs []ev) (*table, Summary, []int) {
	t.Helper()
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	b, err := NewBuilder(opts)
	if err != nil {
		t.Fatal(err)
	}
	rec := record(t, mem, evs)
	err = b.Add(rec)
	rec.Release()
	if err != nil {
		t.Fatal(err)
	}
	tb := &table{}
	for _, f := range b.Schema().Fields() {
		tb.cols = append(tb.cols, f.Name)
	}
	var batches []int
	err = b.Emit(mem, func(r arrow.Record) error {
		batches = append(batches, int(r.NumRows()))
		for i := 0; i < int(r.NumRows()); i++ {
			row := map[string]string{}
			for j, c := range r.Columns() {
				row[tb.cols[j]] = cell(c, i, false)
				if c.IsNull(i) {
					row[tb.cols[j]] = "null"
				}
			}
			tb.rows = append(tb.rows, row)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return tb, b.Summary(), batches
}

func TestGridCell(t *testing.T) {
	// The first nine worked by hand from row = floor((lat+90)/0.5)+1,
	// col = floor((lon+180)/0.5)+1, gid = (row-1)*720 + col (PRIO-GRID v2
	// codebook, as quoted in the reference README: (0, 0) -> 129961); the
	// capitals evaluated by the formula in Python, not by this code.
	for _, c := range []struct {
		lat, lon       float64
		gid, row, col  int32
		centLat, centL float64
	}{
		{0, 0, 129961, 181, 361, 0.25, 0.25},                  // the reference README's example
		{-90, -180, 1, 1, 1, -89.75, -179.75},                 // first cell
		{89.9, 179.9, 259200, 360, 720, 89.75, 179.75},        // last cell
		{90, 180, 259200, 360, 720, 89.75, 179.75},            // the grid's top edge stays in the last row
		{34.53, 69.17, 179779, 250, 499, 34.75, 69.25},        // Kabul: 124.53/0.5 = 249.06 -> row 250, 249.17/0.5 = 498.34 -> col 499, 249*720+499
		{2.0469, 45.3182, 132931, 185, 451, 2.25, 45.25},      // Mogadishu: 184.09 -> 185, 450.64 -> 451, 184*720+451
		{0.5, -0.5, 130680, 182, 360, 0.75, -0.25},            // on an edge: the cell to the north-east
		{-0.0001, -0.0001, 129240, 180, 360, -0.25, -0.25},    // just south-west of (0,0)
		{38.4467, 68.8106, 184818, 257, 498, 38.25, 68.75},    // Dushanbe: 256.89 -> 257, 497.62 -> 498, 256*720+498
		{-33.92, 18.42, 81037, 113, 397, -33.75, 18.25},       // Cape Town
		{12.1, -1.5, 147238, 205, 358, 12.25, -1.25},          // Ouagadougou area
		{-12.5, 13.5, 111988, 156, 388, -12.25, 13.75},        // a corner point
		{45.0, -75.0, 194611, 271, 211, 45.25, -74.75},        // Ottawa area
		{-1.2833, 36.8167, 127874, 178, 434, -1.25, 36.75},    // Nairobi
		{33.3152, 44.3661, 177569, 247, 449, 33.25, 44.25},    // Baghdad
		{9.0579, 7.4951, 142935, 199, 375, 9.25, 7.25},        // Abuja
		{-4.4419, 15.2663, 123511, 172, 391, -4.25, 15.25},    // Kinshasa
		{15.5007, 32.5599, 152346, 212, 426, 15.75, 32.75},    // Khartoum
		{4.8594, 31.5713, 136504, 190, 424, 4.75, 31.75},      // Juba
		{-25.9692, 32.5732, 92586, 129, 426, -25.75, 32.75},   // Maputo
		{31.7683, 35.2137, 175391, 244, 431, 31.75, 35.25},    // Jerusalem
		{48.8566, 2.3522, 199805, 278, 365, 48.75, 2.25},      // Paris
		{-34.6037, -58.3816, 79444, 111, 244, -34.75, -58.25}, // Buenos Aires
	} {
		gid, row, col, ok := GridCell(c.lat, c.lon)
		if !ok || gid != c.gid || row != c.row || col != c.col {
			t.Errorf("GridCell(%v, %v) = %d (row %d col %d, ok %v), want %d (row %d col %d)", c.lat, c.lon, gid, row, col, ok, c.gid, c.row, c.col)
		}
		if r, cc := CellOf(c.gid); r != c.row || cc != c.col {
			t.Errorf("CellOf(%d) = %d, %d", c.gid, r, cc)
		}
		la, lo := CellCentroid(c.gid)
		if la != c.centLat || lo != c.centL {
			t.Errorf("CellCentroid(%d) = %v, %v, want %v, %v", c.gid, la, lo, c.centLat, c.centL)
		}
	}
	for _, bad := range [][2]float64{{91, 0}, {0, 181}, {math.NaN(), 0}, {-90.1, 0}} {
		if _, _, _, ok := GridCell(bad[0], bad[1]); ok {
			t.Errorf("GridCell(%v) ok", bad)
		}
	}
}
