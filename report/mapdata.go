package report

import (
	"cmp"
	"fmt"
	"math"
	"slices"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"

	"github.com/incidentkit/incidents/schema"
)

// MapData is what a map draws: events at places, binned so that the
// drawing stays small, and events per country for the choropleth.
type MapData struct {
	// Points are the places events happened, most events first: the
	// events of one grid cell of CellDegrees (0.01°, about 1 km, or larger
	// when there were more places than the collector keeps) at their mean
	// position.
	Points      []MapPoint
	CellDegrees float64
	Located     int64 // events with coordinates: the sum of Points' Events
	Unlocated   int64 // events without coordinates, shown only in their country
	// Countries are events per country_iso3 (Label is the code), as
	// 'incidents stats --by country_iso3' counts them.
	Countries []Bar
}

// MapPoint is the events of one place or grid cell.
type MapPoint struct {
	Lon, Lat   float64 // mean of the events' coordinates, degrees
	Events     int64
	Fatalities int64 // sum of the known fatalities_best
	Unknown    int64 // events whose fatalities_best is null
	// Types counts the events by schema.EventType (index = the type's
	// value: 0 unknown, 1 battles, ...).
	Types [7]int64
}

// Dominant returns the event type with the most events (the lower type
// on a tie): the colour the point is drawn in.
func (p *MapPoint) Dominant() schema.EventType {
	best := 0
	for i, n := range p.Types {
		if n > p.Types[best] {
			best = i
		}
	}
	return schema.EventType(best)
}

// DefaultMapPoints is the most points a MapCollector keeps by default.
const DefaultMapPoints = 1500

// firstCell is the finest grid the collector bins to, in degrees (about
// 1 km at the equator): coordinates closer than this are one place.
const firstCell = 0.01

// MapCollector bins events with coordinates into grid cells, doubling the
// cell size whenever more than its limit of cells hold events, so that its
// memory and the map's size are bounded whatever the input: a million
// events at ten thousand places become at most the limit of points.
type MapCollector struct {
	max       int
	cell      float64 // current cell size in degrees
	cells     map[[2]int64]*cellSum
	unlocated int64
}

type cellSum struct {
	lon, lat   float64 // sums, for the mean
	events     int64
	fatalities int64
	unknown    int64
	types      [7]int64
}

// NewMapCollector returns a collector keeping at most maxPoints points
// (DefaultMapPoints when maxPoints <= 0).
func NewMapCollector(maxPoints int) *MapCollector {
	if maxPoints <= 0 {
		maxPoints = DefaultMapPoints
	}
	return &MapCollector{max: maxPoints, cell: firstCell, cells: map[[2]int64]*cellSum{}}
}

// MapColumns are the schema columns a MapCollector reads.
var MapColumns = []string{"event_type", "latitude", "longitude", "fatalities_best"}

// Add reads one record holding at least MapColumns. It does not retain rec.
func (m *MapCollector) Add(rec arrow.Record) error {
	col := func(name string) (arrow.Array, error) {
		idx := rec.Schema().FieldIndices(name)
		if len(idx) == 0 {
			return nil, fmt.Errorf("report: record has no column %s", name)
		}
		return rec.Column(idx[0]), nil
	}
	var cols [4]arrow.Array
	for i, name := range MapColumns {
		var err error
		if cols[i], err = col(name); err != nil {
			return err
		}
	}
	lat, ok1 := cols[1].(*array.Float64)
	lon, ok2 := cols[2].(*array.Float64)
	best, ok3 := cols[3].(*array.Int32)
	if !ok1 || !ok2 || !ok3 {
		return fmt.Errorf("report: latitude, longitude, fatalities_best have types %s, %s, %s, want float64, float64, int32",
			cols[1].DataType(), cols[2].DataType(), cols[3].DataType())
	}
	types, err := eventTypeReader(cols[0])
	if err != nil {
		return err
	}
	for i := range int(rec.NumRows()) {
		if lat.IsNull(i) || lon.IsNull(i) {
			m.unlocated++
			continue
		}
		y, x := lat.Value(i), lon.Value(i)
		if math.IsNaN(x) || math.IsNaN(y) || math.Abs(y) > 90 || math.Abs(x) > 180 {
			m.unlocated++ // validation keeps these out of our files; another writer's may not
			continue
		}
		k := m.key(x, y)
		c := m.cells[k]
		if c == nil {
			c = &cellSum{}
			m.cells[k] = c
		}
		c.lon += x
		c.lat += y
		c.events++
		if best.IsNull(i) {
			c.unknown++
		} else {
			c.fatalities += int64(best.Value(i))
		}
		c.types[types(i)]++
		if len(m.cells) > m.max {
			m.coarsen()
		}
	}
	return nil
}

func (m *MapCollector) key(lon, lat float64) [2]int64 {
	return [2]int64{int64(math.Floor((lon + 180) / m.cell)), int64(math.Floor((lat + 90) / m.cell))}
}

// coarsen doubles the cell size until the cells fit the limit. Grids of
// doubling sizes share their origin, so each old cell lies in one new one.
func (m *MapCollector) coarsen() {
	for len(m.cells) > m.max {
		m.cell *= 2
		next := make(map[[2]int64]*cellSum, len(m.cells)/2)
		for k, c := range m.cells {
			nk := [2]int64{k[0] / 2, k[1] / 2}
			if d := next[nk]; d != nil {
				d.lon += c.lon
				d.lat += c.lat
				d.events += c.events
				d.fatalities += c.fatalities
				d.unknown += c.unknown
				for t := range c.types {
					d.types[t] += c.types[t]
				}
			} else {
				next[nk] = c
			}
		}
		m.cells = next
	}
}

// Data returns the points, most events first (then west to east, south to
// north, so the order is the same on every run), and the events without
// coordinates. Countries is left for the caller, who counts them.
func (m *MapCollector) Data() MapData {
	d := MapData{Unlocated: m.unlocated, CellDegrees: m.cell}
	for _, c := range m.cells {
		n := float64(c.events)
		p := MapPoint{Lon: c.lon / n, Lat: c.lat / n, Events: c.events, Fatalities: c.fatalities, Unknown: c.unknown, Types: c.types}
		d.Points = append(d.Points, p)
		d.Located += c.events
	}
	slices.SortFunc(d.Points, func(a, b MapPoint) int {
		return cmp.Or(cmp.Compare(b.Events, a.Events), cmp.Compare(a.Lon, b.Lon), cmp.Compare(a.Lat, b.Lat))
	})
	return d
}

// eventTypeReader returns the event type of each row of an event_type
// column (utf8 or dictionary); values it does not know count as unknown.
func eventTypeReader(a arrow.Array) (func(int) int, error) {
	parse := func(s string) int {
		t, err := schema.ParseEventType(s)
		if err != nil || int(t) >= 7 {
			return 0
		}
		return int(t)
	}
	switch c := a.(type) {
	case *array.Dictionary:
		d, ok := c.Dictionary().(*array.String)
		if !ok {
			break
		}
		codes := make([]int, d.Len())
		for i := range codes {
			codes[i] = parse(d.Value(i))
		}
		return func(i int) int {
			if c.IsNull(i) {
				return 0
			}
			return codes[c.GetValueIndex(i)]
		}, nil
	case *array.String:
		return func(i int) int {
			if c.IsNull(i) {
				return 0
			}
			return parse(c.Value(i))
		}, nil
	}
	return nil, fmt.Errorf("report: column event_type has type %s, want utf8 or dictionary(utf8)", a.DataType())
}
