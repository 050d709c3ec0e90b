package panel

import (
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/incidentkit/incidents/schema"
)

// Excluded counts the events of one country that fall outside the state
// system's membership: the country has no state in the list (Palestine,
// Puerto Rico, a GW microstate without --microstates) or none of its
// states was a member during the event's period (Kosovo before 2008 in
// the GW list). They are in no panel row.
type Excluded struct {
	ISO3               string
	Reason             string
	Events             int64
	FatalitiesBest     int64 // sum of the known bests
	FatalitiesBestNull int64
	First, Last        schema.Date
}

// Summary accounts for every row added: each is counted in the panel or
// in exactly one of the reasons it is not.
type Summary struct {
	Rows    int64 // rows added
	Counted int64 // rows counted in some unit-period

	BeforeFrom, AfterTo int64 // date_start outside --from/--to
	NoCountry           int64 // country_iso3 XXX (country and admin1 units)
	NoAdmin1            int64 // admin1 null or empty (admin1 unit)
	// Coarse counts, by geo_precision (admin1, country, unknown), the
	// events a priogrid panel leaves out: their coordinates are a
	// centroid, not a place, so no cell is theirs.
	Coarse        map[string]int64
	NoCoordinates int64 // priogrid: precise geo_precision but no coordinates
	OutsideBBox   int64 // priogrid: outside Options.BBox
	OutsideCells  int64 // priogrid: in a cell not in Options.CellList
	// OutsideMembership lists, by country, the events no member state
	// holds (country unit with the gw or cow system), most events first.
	OutsideMembership []Excluded
	// DatedOutsideMembership counts events counted in a state's period
	// though their own day falls outside its membership (South Sudan
	// events of 1-8 July 2011 in a 2011 row).
	DatedOutsideMembership int64
	// MultiPeriod counts events whose date range (date_start..date_end)
	// spans more than one period; each is counted in date_start's.
	MultiPeriod int64

	Units       int64 // units in the output
	Periods     int64 // periods in the span
	RowsWritten int64
}

// CoarseTotal is the sum of the Coarse counts.
func (s *Summary) CoarseTotal() int64 {
	var n int64
	for _, v := range s.Coarse {
		n += v
	}
	return n
}

// OutsideTotal is the number of events outside membership.
func (s *Summary) OutsideTotal() int64 {
	var n int64
	for _, e := range s.OutsideMembership {
		n += e.Events
	}
	return n
}

// WriteText writes the summary for a terminal; at most maxList countries
// of OutsideMembership are listed (0: all).
func (s *Summary) WriteText(w io.Writer, maxList int) error {
	var b strings.Builder
	fmt.Fprintf(&b, "panel: %d rows read, %d counted in %d rows (%d units x %d periods at most)\n",
		s.Rows, s.Counted, s.RowsWritten, s.Units, s.Periods)
	line := func(n int64, text string) {
		if n > 0 {
			fmt.Fprintf(&b, "  %d %s\n", n, text)
		}
	}
	line(s.BeforeFrom, "dated before --from (left out)")
	line(s.AfterTo, "dated after --to (left out)")
	line(s.NoCountry, "without a country (XXX, left out)")
	line(s.NoAdmin1, "without admin1 (left out)")
	if n := s.CoarseTotal(); n > 0 {
		keys := make([]string, 0, len(s.Coarse))
		for k := range s.Coarse {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		parts := make([]string, len(keys))
		for i, k := range keys {
			parts[i] = fmt.Sprintf("%s %d", k, s.Coarse[k])
		}
		fmt.Fprintf(&b, "  %d with coarse geo precision, in no cell (%s)\n", n, strings.Join(parts, ", "))
	}
	line(s.NoCoordinates, "without coordinates (left out)")
	line(s.OutsideBBox, "outside --bbox (left out)")
	line(s.OutsideCells, "in cells not in the --cells list (left out)")
	if n := s.OutsideTotal(); n > 0 {
		fmt.Fprintf(&b, "  %d outside the state system's membership (left out), by country:\n", n)
		for i, e := range s.OutsideMembership {
			if maxList > 0 && i == maxList {
				fmt.Fprintf(&b, "    ... %d more countries\n", len(s.OutsideMembership)-i)
				break
			}
			fmt.Fprintf(&b, "    %s %d events (%d deaths best, %d unknown) %s..%s: %s\n",
				e.ISO3, e.Events, e.FatalitiesBest, e.FatalitiesBestNull, e.First, e.Last, e.Reason)
		}
	}
	line(s.DatedOutsideMembership, "dated outside membership but counted in a member period of their state")
	line(s.MultiPeriod, "with a date range over several periods (counted in date_start's)")
	_, err := io.WriteString(w, b.String())
	return err
}

func errTooManyBy(col string, n int) error {
	return fmt.Errorf("panel: --by %s has %d values (at most %d wide column groups)", col, n, maxByValues)
}
