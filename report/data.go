package report

import (
	"cmp"
	"slices"

	"github.com/incidentkit/incidents/schema"
)

// Report is everything the HTML page shows, as plain numbers. The zero value
// is an empty report; sections without data are left out of the page.
type Report struct {
	Title   string   // page title and heading
	Inputs  []string // input names, shown under the heading
	Period  string   // day, week, month, quarter or year: the bucket of Events and Fatalities
	Summary Summary

	Events     Series // events per period, zero-filled
	Fatalities Series // fatalities (best, with low and high) per period, zero-filled

	TopCountries  []Bar       // events per country, largest first
	TopActors     []Bar       // events per actor1, largest first
	TopEventTypes []Bar       // events per event type, largest first
	Parties       []Bar       // fatalities by party: actor1, actor2, civilians, unknown
	Breakdowns    []Breakdown // events per value of further columns (incidents report --by)

	Map MapData // events by place and by country

	Tail      Tail             // severity distribution and its power-law fit
	Deadliest []DeadlyIncident // the deadliest incidents, deadliest first
	Rejects   *Rejects         // nil when the input was already normalized

	// CountryName, if set, names an ISO3 code in the map's tooltips.
	CountryName func(iso3 string) string
}

// Summary is the headline: the size, reach and toll of the data.
type Summary struct {
	Incidents         int64
	Countries         int64
	First, Last       schema.Date // span of date_start; meaningless when Incidents == 0
	FatalitiesLow     int64       // sum over known values
	FatalitiesBest    int64
	FatalitiesHigh    int64
	FatalitiesUnknown int64   // incidents whose fatalities_best is null
	ShareUnknown      float64 // FatalitiesUnknown / Incidents
	InjuredBest       int64   // sum of the known injured_best
	DetainedBest      int64   // sum of the known detained_best
}

// Series is one count per period, in period order with empty periods present
// as zero. Low and High, when not nil, bound Value per period and are drawn
// as a band.
type Series struct {
	Name   string    // what is counted, e.g. "events"
	Unit   string    // the y-axis unit, e.g. "events per month"
	Labels []string  // period labels: 2019-11, 2019-W45, 2019-Q4, 2019, 2019-11-06
	Value  []float64 // one per label
	Low    []float64 // optional, one per label
	High   []float64 // optional, one per label
}

// Len returns the number of periods.
func (s Series) Len() int { return len(s.Labels) }

// BandFlat reports whether s has a Low..High band that is empty: low and
// high equal the value in every period (ACLED codes one figure), so there
// is no band to see.
func (s Series) BandFlat() bool {
	if s.Low == nil || s.High == nil {
		return false
	}
	for i := range s.Value {
		if s.Low[i] != s.Value[i] || s.High[i] != s.Value[i] {
			return false
		}
	}
	return true
}

// Bar is one category of a bar chart.
type Bar struct {
	Label string
	Value float64
	Share float64 // of the whole, 0..1
}

// Breakdown is a bar chart of events per value of one schema column.
type Breakdown struct {
	Column string // schema column, e.g. admin1
	Title  string
	Bars   []Bar // largest first
}

// Tail is the severity distribution: the fatalities_best of each incident
// with at least one death, and the discrete power law fitted to its tail.
type Tail struct {
	Severity []float64 // fatalities_best >= 1, any order
	Fit      PowerLaw
}

// PowerLaw is a discrete power-law fit p(x) ~ x^-Alpha for x >= XMin, as
// computed by the stats package (Clauset, Shalizi & Newman 2009).
type PowerLaw struct {
	Valid   bool    // false when the sample was too small to fit
	Alpha   float64 // exponent
	AlphaSE float64 // standard error of Alpha
	XMin    float64 // smallest value of the tail
	NTail   int64   // incidents with severity >= XMin
	KS      float64 // Kolmogorov-Smirnov distance of the fit
	P       float64 // goodness-of-fit p-value (bootstrap); NaN when not computed
}

// DeadlyIncident is one row of the deadliest-incidents table.
type DeadlyIncident struct {
	ID              string
	Date            schema.Date
	Country         string
	Place           string // location, admin1 when no location
	Actor1, Actor2  string
	Low, Best, High schema.NullInt32
}

// Rejects accounts for the rows of a raw input: Read = Written + Merged +
// Rejected, where Merged counts report rows folded into another row of the
// same incident.
type Rejects struct {
	Read, Written, Merged, Rejected int64
	Reasons                         []Bar // rejected rows per reason, most frequent first
}

// NewRejects returns the accounting of a raw input's rows (as
// ingest.Summary gives it: RowsRead, Incidents, Merged, Rejected and
// RejectReasons), with the reasons ordered by count, then name.
func NewRejects(read, written, merged, rejected int64, reasons map[string]int64) *Rejects {
	r := &Rejects{Read: read, Written: written, Merged: merged, Rejected: rejected}
	for k, n := range reasons {
		share := 0.0
		if rejected > 0 {
			share = float64(n) / float64(rejected)
		}
		r.Reasons = append(r.Reasons, Bar{Label: k, Value: float64(n), Share: share})
	}
	slices.SortFunc(r.Reasons, func(a, b Bar) int { return cmp.Or(cmp.Compare(b.Value, a.Value), cmp.Compare(a.Label, b.Label)) })
	return r
}
