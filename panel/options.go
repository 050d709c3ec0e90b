package panel

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/incidentkit/incidents/schema"
	"github.com/incidentkit/incidents/stats"
)

// Units of a panel.
const (
	UnitCountry  = "country"  // a state of the chosen system (or an ISO 3166 country with SystemISO)
	UnitAdmin1   = "admin1"   // country_iso3 and admin1 as the data names them
	UnitPrioGrid = "priogrid" // PRIO-GRID v2 0.5-degree cell
	UnitNone     = "none"     // one global series
)

// Which PRIO-GRID cells a priogrid panel holds.
const (
	CellsEvents = "events" // every cell with at least one event in the span (default)
	CellsBBox   = "bbox"   // every cell of Options.BBox, or of the events' bounding box
	CellsAll    = "all"    // the whole grid, 259,200 cells
	CellsList   = "list"   // the cells of Options.CellList (PRIO-GRID's land cells, say)
)

// Defaults.
const (
	DefaultOnsetGap  = 2
	DefaultBatchRows = 1 << 16
	maxByValues      = 200
)

// BBox is a longitude/latitude rectangle, edges included.
type BBox struct {
	MinLon, MinLat, MaxLon, MaxLat float64
}

// Options configure a Builder.
type Options struct {
	Unit   string // UnitCountry (default), UnitAdmin1, UnitPrioGrid, UnitNone
	Period string // stats.PeriodDay, PeriodWeek, PeriodMonth, PeriodQuarter, PeriodYear (default)
	// System of a country panel: SystemGW (default), SystemCOW, SystemISO.
	System string
	// Microstates adds Gleditsch & Ward's microstates to the GW list.
	Microstates bool
	// From and To bound the span (both days included); nil means the
	// first or last event's date_start.
	From, To *schema.Date
	// By names a column whose values become wide columns: events_<value>,
	// fatalities_best_<value>, fatalities_best_null_<value>.
	By string
	// OnsetGap is the number of quiet periods before a period with events
	// that make it an onset (0 means DefaultOnsetGap).
	OnsetGap int
	// Lags adds events_lagK and fatalities_best_lagK for each K.
	Lags []int
	// Cells chooses the grid cells of a priogrid panel (CellsEvents by default).
	Cells string
	// BBox limits a priogrid panel to a rectangle; events outside it are
	// counted in the summary.
	BBox *BBox
	// CellList is the gids of a CellsList panel (any order, duplicates
	// ignored); events in other cells are counted in the summary.
	CellList []int32
	// BatchRows is the number of rows per record Emit hands over
	// (DefaultBatchRows when 0).
	BatchRows int
}

func (o *Options) normalize() error {
	if o.Unit == "" {
		o.Unit = UnitCountry
	}
	switch o.Unit {
	case UnitCountry, UnitAdmin1, UnitPrioGrid, UnitNone:
	default:
		return fmt.Errorf("panel: unknown unit %q (country, admin1, priogrid, none)", o.Unit)
	}
	if o.Period == "" {
		o.Period = stats.PeriodYear
	}
	switch o.Period {
	case stats.PeriodDay, stats.PeriodWeek, stats.PeriodMonth, stats.PeriodQuarter, stats.PeriodYear:
	default:
		return fmt.Errorf("panel: unknown period %q (day, week, month, quarter, year)", o.Period)
	}
	if o.System == "" {
		o.System = SystemGW
	}
	switch o.System {
	case SystemGW, SystemCOW, SystemISO:
	default:
		return fmt.Errorf("panel: unknown state system %q (gw, cow, iso)", o.System)
	}
	if o.OnsetGap == 0 {
		o.OnsetGap = DefaultOnsetGap
	}
	if o.OnsetGap < 0 {
		return fmt.Errorf("panel: onset gap %d is negative", o.OnsetGap)
	}
	for _, l := range o.Lags {
		if l < 1 || l > 1000 {
			return fmt.Errorf("panel: lag %d out of range 1..1000", l)
		}
	}
	if o.Cells == "" {
		o.Cells = CellsEvents
	}
	switch o.Cells {
	case CellsEvents, CellsBBox, CellsAll:
	case CellsList:
		if len(o.CellList) == 0 {
			return fmt.Errorf("panel: --cells list needs gids")
		}
		for _, g := range o.CellList {
			if g < 1 || g > GridCells {
				return fmt.Errorf("panel: gid %d out of range 1..%d", g, GridCells)
			}
		}
	default:
		return fmt.Errorf("panel: unknown cells %q (events, bbox, all, or a file of gids)", o.Cells)
	}
	if o.BBox != nil {
		b := o.BBox
		if !(b.MinLat >= -90 && b.MaxLat <= 90 && b.MinLon >= -180 && b.MaxLon <= 180 && b.MinLat <= b.MaxLat && b.MinLon <= b.MaxLon) {
			return fmt.Errorf("panel: bad bounding box %v,%v,%v,%v", b.MinLon, b.MinLat, b.MaxLon, b.MaxLat)
		}
	}
	if o.From != nil && o.To != nil && *o.From > *o.To {
		return fmt.Errorf("panel: --from %s is after --to %s", o.From, o.To)
	}
	if o.BatchRows <= 0 {
		o.BatchRows = DefaultBatchRows
	}
	if o.By != "" && schema.ColumnIndex(o.By) < 0 {
		return fmt.Errorf("panel: --by %s is not a column of the schema", o.By)
	}
	return nil
}

// Columns returns the input columns a Builder with these options reads.
func Columns(o Options) []string {
	cols := []string{"date_start", "date_end", "fatalities_best", "fatalities_low", "fatalities_high",
		"fatalities_actor1", "fatalities_actor2", "fatalities_civilians", "fatalities_unknown"}
	switch o.Unit {
	case UnitCountry, "":
		cols = append(cols, "country_iso3")
	case UnitAdmin1:
		cols = append(cols, "country_iso3", "admin1")
	case UnitPrioGrid:
		cols = append(cols, "latitude", "longitude", "geo_precision")
	}
	if o.By != "" && !contains(cols, o.By) {
		cols = append(cols, o.By)
	}
	return cols
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

// ParseBound reads a --from or --to value: a year (1989), a month
// (2019-03) or a day (2019-03-05). The lower bound is the first day it
// names, the upper bound (upper true) the last.
func ParseBound(s string, upper bool) (schema.Date, error) {
	s = strings.TrimSpace(s)
	var y, m, d int
	var err error
	parts := strings.Split(s, "-")
	switch len(parts) {
	case 1:
		y, err = strconv.Atoi(parts[0])
		m, d = 1, 1
		if upper {
			m, d = 12, 31
		}
	case 2, 3:
		y, err = strconv.Atoi(parts[0])
		if err == nil {
			m, err = strconv.Atoi(parts[1])
		}
		d = 1
		if len(parts) == 3 && err == nil {
			d, err = strconv.Atoi(parts[2])
		}
	default:
		err = fmt.Errorf("too many parts")
	}
	if err != nil || m < 1 || m > 12 || d < 1 || d > 31 || y < 1 || y > 9999 || len(parts[0]) != 4 {
		return 0, fmt.Errorf("panel: bad date %q (want 1989, 2019-03 or 2019-03-05)", s)
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if t.Day() != d {
		return 0, fmt.Errorf("panel: bad date %q (no such day)", s)
	}
	if len(parts) == 2 && upper {
		t = t.AddDate(0, 1, -1)
	}
	return schema.DateFromTime(t), nil
}

// ParseLags reads a comma-separated list of lags: "1,2".
func ParseLags(s string) ([]int, error) {
	var out []int
	for _, f := range strings.Split(s, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		n, err := strconv.Atoi(f)
		if err != nil || n < 1 {
			return nil, fmt.Errorf("panel: bad lag %q (want positive integers: 1,2)", f)
		}
		out = append(out, n)
	}
	return out, nil
}

// ReadCellList reads gids, one per line or the gid column of a CSV file
// with a header naming it (PRIO-GRID's own files); lines starting with #
// are comments.
func ReadCellList(r io.Reader) ([]int32, error) {
	sc := bufio.NewScanner(r)
	col, line, first := 0, 0, true
	var out []int32
	for sc.Scan() {
		line++
		t := strings.TrimSpace(sc.Text())
		if t == "" || strings.HasPrefix(t, "#") {
			continue
		}
		f := strings.Split(t, ",")
		if first {
			first = false
			if _, err := strconv.Atoi(strings.TrimSpace(f[0])); err != nil {
				col = -1
				for j, h := range f {
					if strings.EqualFold(strings.Trim(strings.TrimSpace(h), `"`), "gid") {
						col = j
					}
				}
				if col < 0 {
					return nil, fmt.Errorf("panel: cell list: header %q has no gid column", t)
				}
				continue
			}
		}
		if col >= len(f) {
			return nil, fmt.Errorf("panel: cell list line %d: no column %d", line, col+1)
		}
		g, err := strconv.Atoi(strings.Trim(strings.TrimSpace(f[col]), `"`))
		if err != nil || g < 1 || g > GridCells {
			return nil, fmt.Errorf("panel: cell list line %d: bad gid %q", line, f[col])
		}
		out = append(out, int32(g))
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("panel: cell list: %w", err)
	}
	return out, nil
}

// ParseBBox reads MINLON,MINLAT,MAXLON,MAXLAT.
func ParseBBox(s string) (*BBox, error) {
	f := strings.Split(s, ",")
	if len(f) != 4 {
		return nil, fmt.Errorf("panel: bad bounding box %q (want MINLON,MINLAT,MAXLON,MAXLAT)", s)
	}
	var v [4]float64
	for i := range f {
		x, err := strconv.ParseFloat(strings.TrimSpace(f[i]), 64)
		if err != nil {
			return nil, fmt.Errorf("panel: bad bounding box %q (want MINLON,MINLAT,MAXLON,MAXLAT)", s)
		}
		v[i] = x
	}
	return &BBox{MinLon: v[0], MinLat: v[1], MaxLon: v[2], MaxLat: v[3]}, nil
}
