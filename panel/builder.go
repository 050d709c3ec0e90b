package panel

import (
	"math"
	"sort"

	"github.com/apache/arrow/go/v17/arrow"

	"github.com/incidentkit/incidents/schema"
	"github.com/incidentkit/incidents/stats"
)

// The summed quantities, in output order.
var quantities = []string{"fatalities_best", "fatalities_low", "fatalities_high",
	"fatalities_actor1", "fatalities_actor2", "fatalities_civilians", "fatalities_unknown"}

// qsum is the sum of one quantity's known values and the count of unknown ones.
type qsum struct {
	sum   int64
	nulls int64
}

// byCount is one --by value's share of a unit-period.
type byCount struct {
	events   int64
	best     int64
	bestNull int64
}

// agg is one unit-period with at least one event.
type agg struct {
	events int64
	q      [7]qsum
	by     []byCount // indexed by value id, grown when a value first appears here
}

type cellKey struct {
	unit   int32
	period int64
}

// pack makes a cell's map key: the unit in the high 32 bits, the period
// (offset to be non-negative; periods are within +-2^31 of 1970) in the
// low, so that the map takes its fast 64-bit path.
func pack(unit int32, k int64) uint64 {
	return uint64(uint32(unit))<<32 | uint64(uint32(int32(k)+math.MinInt32))
}

func unpack(key uint64) cellKey {
	return cellKey{unit: int32(uint32(key >> 32)), period: int64(int32(uint32(key)) - math.MinInt32)}
}

// Builder aggregates incidents into unit-period cells. Only cells with
// events are held (a sparse table); Emit walks units and periods in order
// and writes the zeros between them as it goes, so the full grid of a
// PRIO-GRID panel is never in memory.
type Builder struct {
	opts Options
	sys  *StateSystem

	cells map[uint64]int32
	aggs  []agg
	dense []denseUnit // by unit id

	inList []bool // CellsList: by gid

	// units by name (iso, admin1): id -> name, name -> id
	unitNames []unitName
	unitIDs   map[unitName]int32

	byNames []string
	byIDs   map[string]int32
	byNull  int32 // id of the null value, -1 until seen

	seen           bool
	minDate        schema.Date
	maxDate        schema.Date
	minRow, maxRow int32 // priogrid bounding box of the counted cells
	minCol, maxCol int32

	sum Summary
	out map[string]*Excluded // events outside membership, by ISO3
}

type unitName struct {
	iso3, admin1 string
}

// NewBuilder returns a Builder for the options.
func NewBuilder(opts Options) (*Builder, error) {
	if err := opts.normalize(); err != nil {
		return nil, err
	}
	b := &Builder{opts: opts, cells: map[uint64]int32{}, unitIDs: map[unitName]int32{},
		byIDs: map[string]int32{}, byNull: -1, out: map[string]*Excluded{},
		minRow: math.MaxInt32, minCol: math.MaxInt32}
	b.sum.Coarse = map[string]int64{}
	if opts.Unit == UnitCountry && opts.System != SystemISO {
		sys, err := LoadSystem(opts.System, opts.Microstates)
		if err != nil {
			return nil, err
		}
		b.sys = sys
	}
	if opts.Cells == CellsList {
		b.inList = make([]bool, GridCells+1)
		for _, g := range opts.CellList {
			b.inList[g] = true
		}
	}
	if opts.By == "event_type" {
		for _, t := range schema.EventTypes { // every type gets its columns, seen or not
			b.byID(t.String())
		}
	}
	return b, nil
}

func (b *Builder) byID(v string) int32 {
	if id, ok := b.byIDs[v]; ok {
		return id
	}
	id := int32(len(b.byNames))
	b.byNames = append(b.byNames, v)
	b.byIDs[v] = id
	return id
}

func (b *Builder) unitID(n unitName) int32 {
	if id, ok := b.unitIDs[n]; ok {
		return id
	}
	id := int32(len(b.unitNames))
	b.unitNames = append(b.unitNames, n)
	b.unitIDs[n] = id
	return id
}

// Add aggregates one record of incidents (the columns Columns names; text
// columns as utf8 or dictionary(utf8)).
func (b *Builder) Add(rec arrow.Record) error {
	n := int(rec.NumRows())
	if n == 0 {
		return nil
	}
	o := &b.opts
	get := func(name string) arrow.Array {
		a, _ := field(rec, name)
		return a
	}
	for _, c := range Columns(*o) {
		if _, err := field(rec, c); err != nil {
			return err
		}
	}
	start, err := dateColumn("date_start", get("date_start"))
	if err != nil {
		return err
	}
	end, err := dateColumn("date_end", get("date_end"))
	if err != nil {
		return err
	}
	var qs [7]countColumn
	for j, q := range quantities {
		if qs[j], err = newCountColumn(q, get(q)); err != nil {
			return err
		}
	}
	var iso, admin1, geo textColumn
	var lat, lon floatColumn
	switch o.Unit {
	case UnitCountry:
		if iso, err = newTextColumn("country_iso3", get("country_iso3")); err != nil {
			return err
		}
	case UnitAdmin1:
		if iso, err = newTextColumn("country_iso3", get("country_iso3")); err != nil {
			return err
		}
		if admin1, err = newTextColumn("admin1", get("admin1")); err != nil {
			return err
		}
	case UnitPrioGrid:
		if lat, err = newFloatColumn("latitude", get("latitude")); err != nil {
			return err
		}
		if lon, err = newFloatColumn("longitude", get("longitude")); err != nil {
			return err
		}
		if geo, err = newTextColumn("geo_precision", get("geo_precision")); err != nil {
			return err
		}
	}
	var by valueColumn
	if o.By != "" {
		if by, err = newValueColumn(o.By, get(o.By)); err != nil {
			return err
		}
	}
	// Distinct values of dictionary columns are resolved once per record.
	var isoUnit []int32 // iso system: dictionary index -> unit id (-2: not yet)
	if o.Unit == UnitCountry && o.System == SystemISO && iso.dict != nil {
		isoUnit = make([]int32, iso.dictLen())
		for i := range isoUnit {
			isoUnit[i] = -2
		}
	}
	var isoCands [][]int // gw, cow: dictionary index -> candidate states
	if b.sys != nil && iso.dict != nil {
		isoCands = make([][]int, iso.dictLen())
	}
	var (
		lastKey  uint64
		lastCell int32 = -1
		lastDate schema.Date
		lastK    int64
		haveDate bool
	)
	var byVal []int32
	if o.By != "" && by.text != nil && by.text.dict != nil {
		byVal = make([]int32, by.text.dictLen())
		for i := range byVal {
			byVal[i] = -2
		}
	}

	for i := 0; i < n; i++ {
		b.sum.Rows++
		d := schema.Date(start.Value(i))
		if o.From != nil && d < *o.From {
			b.sum.BeforeFrom++
			continue
		}
		if o.To != nil && d > *o.To {
			b.sum.AfterTo++
			continue
		}
		if d != lastDate || !haveDate {
			lastDate, lastK, haveDate = d, stats.PeriodIndex(o.Period, d), true
		}
		k := lastK
		var unit int32
		switch o.Unit {
		case UnitCountry:
			c := iso.value(i)
			if c == schema.UnknownCountryISO3 || c == "" {
				b.sum.NoCountry++
				continue
			}
			if b.sys == nil {
				if isoUnit != nil {
					di := iso.code(i)
					if isoUnit[di] == -2 {
						isoUnit[di] = b.unitID(unitName{iso3: c})
					}
					unit = isoUnit[di]
				} else {
					unit = b.unitID(unitName{iso3: c})
				}
				break
			}
			var cands []int
			if di := iso.code(i); di >= 0 {
				if isoCands[di] == nil {
					isoCands[di] = b.sys.byISO3[c]
					if isoCands[di] == nil {
						isoCands[di] = []int{}
					}
				}
				cands = isoCands[di]
			} else {
				cands = b.sys.byISO3[c]
			}
			si, inside, ok := b.sys.resolveIn(cands, d, o.Period, k)
			if !ok {
				b.exclude(c, d, &qs[0], i)
				continue
			}
			if !inside {
				b.sum.DatedOutsideMembership++
			}
			unit = int32(si)
		case UnitAdmin1:
			c := iso.value(i)
			if c == schema.UnknownCountryISO3 || c == "" {
				b.sum.NoCountry++
				continue
			}
			if admin1.isNull(i) || admin1.value(i) == "" {
				b.sum.NoAdmin1++
				continue
			}
			unit = b.unitID(unitName{iso3: c, admin1: admin1.value(i)})
		case UnitPrioGrid:
			switch p := geo.value(i); p {
			case "admin1", "country", "unknown":
				b.sum.Coarse[p]++
				continue
			}
			la, lo := lat.get(i), lon.get(i)
			gid, r, c, ok := GridCell(la, lo)
			if !ok {
				b.sum.NoCoordinates++
				continue
			}
			if bb := o.BBox; bb != nil && !(la >= bb.MinLat && la <= bb.MaxLat && lo >= bb.MinLon && lo <= bb.MaxLon) {
				b.sum.OutsideBBox++
				continue
			}
			if b.inList != nil && !b.inList[gid] {
				b.sum.OutsideCells++
				continue
			}
			unit = gid
			b.minRow, b.maxRow = min(b.minRow, r), max(b.maxRow, r)
			b.minCol, b.maxCol = min(b.minCol, c), max(b.maxCol, c)
		}
		key := pack(unit, k)
		ci := lastCell
		if key != lastKey || ci < 0 {
			ci = b.cell(unit, k, key)
			lastKey, lastCell = key, ci
		}
		a := &b.aggs[ci]
		a.events++
		for j := range qs {
			if v, ok := qs[j].get(i); ok {
				a.q[j].sum += v
			} else {
				a.q[j].nulls++
			}
		}
		if o.By != "" {
			var v int32
			switch {
			case by.isNull(i):
				if b.byNull < 0 {
					b.byNull = b.byID("\x00null")
				}
				v = b.byNull
			case byVal != nil:
				di := by.text.code(i)
				if byVal[di] == -2 {
					byVal[di] = b.byID(by.value(i))
				}
				v = byVal[di]
			default:
				v = b.byID(by.value(i))
			}
			if int(v) >= len(a.by) {
				a.by = append(a.by, make([]byCount, int(v)+1-len(a.by))...)
			}
			bc := &a.by[v]
			bc.events++
			if best, ok := qs[0].get(i); ok {
				bc.best += best
			} else {
				bc.bestNull++
			}
		}
		if e := schema.Date(end.Value(i)); e != d && stats.PeriodIndex(o.Period, e) != k {
			b.sum.MultiPeriod++
		}
		if !b.seen || d < b.minDate {
			b.minDate = d
		}
		if !b.seen || d > b.maxDate {
			b.maxDate = d
		}
		b.seen = true
		b.sum.Counted++
	}
	if len(b.byNames) > maxByValues {
		return errTooManyBy(o.By, len(b.byNames))
	}
	return nil
}

// denseUnit indexes one unit's cells by period: idx[k-base] is the cell's
// index + 1, 0 for none.
type denseUnit struct {
	base int64
	idx  []int32
}

// maxDenseSpan bounds a dense unit's period range; beyond it the map alone
// is used.
const maxDenseSpan = 1 << 13

// cell returns the index of the cell (unit, k), adding it when new. Units
// with small ids (countries, admin1) look periods up in a dense slice; the
// map holds every cell (Emit lists them from it) and serves the rest.
func (b *Builder) cell(unit int32, k int64, key uint64) int32 {
	if b.opts.Unit == UnitPrioGrid || b.opts.Period == stats.PeriodDay {
		ci, ok := b.cells[key]
		if !ok {
			ci = int32(len(b.aggs))
			b.aggs = append(b.aggs, agg{})
			b.cells[key] = ci
		}
		return ci
	}
	for int(unit) >= len(b.dense) {
		b.dense = append(b.dense, denseUnit{})
	}
	du := &b.dense[unit]
	switch {
	case du.idx == nil:
		du.base, du.idx = k, make([]int32, 1, 64)
	case k < du.base:
		if du.base+int64(len(du.idx))-k > maxDenseSpan {
			break
		}
		n := du.base - k
		grown := make([]int32, int64(len(du.idx))+n, int64(len(du.idx))+n+64)
		copy(grown[n:], du.idx)
		du.base, du.idx = k, grown
	case k-du.base >= int64(len(du.idx)):
		if k-du.base >= maxDenseSpan {
			break
		}
		du.idx = append(du.idx, make([]int32, k-du.base+1-int64(len(du.idx)))...)
	}
	var slot *int32
	if j := k - du.base; j >= 0 && j < int64(len(du.idx)) {
		slot = &du.idx[j]
		if *slot > 0 {
			return *slot - 1
		}
	}
	ci, ok := b.cells[key]
	if !ok {
		ci = int32(len(b.aggs))
		b.aggs = append(b.aggs, agg{})
		b.cells[key] = ci
	}
	if slot != nil {
		*slot = ci + 1
	}
	return ci
}

// exclude records an event whose country has no member state on its date.
func (b *Builder) exclude(iso3 string, d schema.Date, best *countColumn, i int) {
	e := b.out[iso3]
	if e == nil {
		reason := "not a member on these dates"
		if !b.sys.hasISO3(iso3) {
			reason = "no state of the system"
			if contains(b.sys.microISO3, iso3) {
				reason = "no state of the system (a GW microstate needs --microstates)"
			}
		}
		e = &Excluded{ISO3: iso3, Reason: reason, First: d, Last: d}
		b.out[iso3] = e
	}
	e.Events++
	if v, ok := best.get(i); ok {
		e.FatalitiesBest += v
	} else {
		e.FatalitiesBestNull++
	}
	e.First, e.Last = min(e.First, d), max(e.Last, d)
}

// Summary returns the accounting of the rows added so far (and, after
// Emit, of the rows written). Rows = Counted + BeforeFrom + AfterTo +
// NoCountry + NoAdmin1 + the Coarse counts + NoCoordinates + OutsideBBox + OutsideCells +
// the events of OutsideMembership.
func (b *Builder) Summary() Summary {
	s := b.sum
	s.Coarse = make(map[string]int64, len(b.sum.Coarse))
	for k, v := range b.sum.Coarse {
		s.Coarse[k] = v
	}
	s.OutsideMembership = make([]Excluded, 0, len(b.out))
	for _, e := range b.out {
		s.OutsideMembership = append(s.OutsideMembership, *e)
	}
	sort.Slice(s.OutsideMembership, func(i, j int) bool {
		x, y := s.OutsideMembership[i], s.OutsideMembership[j]
		if x.Events != y.Events {
			return x.Events > y.Events
		}
		return x.ISO3 < y.ISO3
	})
	return s
}
