package report

import (
	"fmt"
	"io"
	"slices"

	"github.com/apache/arrow/go/v17/arrow"
	"gonum.org/v1/plot"

	"github.com/incidentkit/incidents/stats"
)

// Chart kinds for a single plot.
const (
	KindTimeSeries = "timeseries" // events or fatalities per period, zero-filled
	KindBar        = "bar"        // events per value of one column, the top K
	KindCCDF       = "ccdf"       // severity CCDF on log-log axes with the power-law fit
	KindMap        = "map"        // events as points by place and events per country (see Map)
)

// ChartOptions says which single chart a ChartBuilder draws.
type ChartOptions struct {
	Kind   string // timeseries, bar, ccdf or map
	Title  string // "" gives a title naming what is drawn
	Period string // timeseries: day, week, month (default), quarter, year
	Value  string // timeseries: events (default) or fatalities (best, with the low..high band)
	By     string // bar: the column (default country_iso3)
	Top    int    // bar: bars (default 10)

	// CountryName, if set, names ISO3 codes in a map's tooltips.
	CountryName func(iso3 string) string
}

// StatsOptions returns the options of the stats run behind the chart, the
// same 'incidents stats' takes to print its numbers.
func (o ChartOptions) StatsOptions() (stats.Options, error) {
	o = o.withDefaults()
	switch o.Kind {
	case KindTimeSeries:
		if o.Value != "events" && o.Value != "fatalities" {
			return stats.Options{}, fmt.Errorf("report: unknown time series value %q (events, fatalities)", o.Value)
		}
		return stats.Options{Period: o.Period, Series: true}, nil
	case KindBar:
		return stats.Options{By: []string{o.By}, Top: o.Top}, nil
	case KindCCDF:
		return stats.Options{Tail: true, Bootstrap: -1}, nil // a picture needs the fit, not its p-value
	case KindMap:
		return stats.Options{By: []string{"country_iso3"}}, nil
	}
	return stats.Options{}, fmt.Errorf("report: unknown chart kind %q (timeseries, bar, ccdf, map)", o.Kind)
}

func (o ChartOptions) withDefaults() ChartOptions {
	if o.Period == "" {
		o.Period = stats.PeriodMonth
	}
	if o.Value == "" {
		o.Value = "events"
	}
	if o.By == "" {
		o.By = "country_iso3"
	}
	if o.Top <= 0 {
		o.Top = 10
	}
	return o
}

// ChartBuilder computes one chart from Arrow records of the incidents
// schema, through one stats.Accumulator (and, for the CCDF, a Collector of
// the severity sample).
type ChartBuilder struct {
	opts    ChartOptions
	acc     *stats.Accumulator
	collect *Collector
	places  *MapCollector
	columns []string
}

// NewChartBuilder checks opts and returns an empty ChartBuilder.
func NewChartBuilder(opts ChartOptions) (*ChartBuilder, error) {
	opts = opts.withDefaults()
	so, err := opts.StatsOptions()
	if err != nil {
		return nil, err
	}
	acc, err := stats.NewAccumulator(so)
	if err != nil {
		return nil, fmt.Errorf("report: %w", err)
	}
	c := &ChartBuilder{opts: opts, acc: acc, columns: stats.Columns(so)}
	if opts.Kind == KindCCDF {
		c.collect = NewCollector(0)
		c.columns = union(c.columns, []string{"incident_id", "date_start", "fatalities_best"})
	}
	if opts.Kind == KindMap {
		c.places = NewMapCollector(0)
		c.columns = union(c.columns, MapColumns)
	}
	return c, nil
}

// Columns returns the schema columns the chart reads, so that readers can
// project.
func (c *ChartBuilder) Columns() []string { return c.columns }

// Add reads one record. It does not retain rec.
func (c *ChartBuilder) Add(rec arrow.Record) error {
	if err := c.acc.Add(rec); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	if c.places != nil {
		if err := c.places.Add(rec); err != nil {
			return err
		}
	}
	if c.collect != nil {
		return c.collect.Add(rec)
	}
	return nil
}

// Write computes the statistics and draws the chart as format (svg, png
// or pdf) of width x height pixels to w. With no data it returns
// ErrNoData.
func (c *ChartBuilder) Write(w io.Writer, format string, width, height int) error {
	if c.opts.Kind == KindMap {
		d, err := c.MapData()
		if err != nil {
			return err
		}
		return WriteMap(w, d, MapOptions{Title: c.title("Events by place and country"), Width: width, Height: height, CountryName: c.opts.CountryName}, format)
	}
	p, err := c.Plot()
	if err != nil {
		return err
	}
	return WritePlot(w, p, format, width, height)
}

// MapData returns what a map of the records shows (KindMap only).
func (c *ChartBuilder) MapData() (MapData, error) {
	if c.places == nil {
		return MapData{}, fmt.Errorf("report: a %s chart has no map data", c.opts.Kind)
	}
	res, err := c.acc.Result()
	if err != nil {
		return MapData{}, fmt.Errorf("report: %w", err)
	}
	d := c.places.Data()
	if d.Countries, err = barsOf(res, "country_iso3"); err != nil {
		return MapData{}, err
	}
	return d, nil
}

func (c *ChartBuilder) title(def string) string {
	if c.opts.Title != "" {
		return c.opts.Title
	}
	return def
}

// Plot computes the statistics and draws the chart. With no data it
// returns ErrNoData.
func (c *ChartBuilder) Plot() (*plot.Plot, error) {
	res, err := c.acc.Result()
	if err != nil {
		return nil, fmt.Errorf("report: %w", err)
	}
	o := c.opts
	title := c.title
	switch o.Kind {
	case KindTimeSeries:
		events, fatalities, err := seriesOf(res, o.Period)
		if err != nil {
			return nil, err
		}
		if o.Value == "fatalities" {
			return TimeSeriesChart(title("Fatalities per "+o.Period), fatalities, Vermillion)
		}
		return TimeSeriesChart(title("Events per "+o.Period), events, Blue)
	case KindBar:
		bars, err := barsOf(res, o.By)
		if err != nil {
			return nil, err
		}
		return BarChart(title(barTitle(o.By)), "events", bars, Blue)
	case KindMap:
		return nil, fmt.Errorf("report: a map is not a gonum plot: draw it with Write or Map")
	default:
		fit, err := fitOf(res)
		if err != nil {
			return nil, err
		}
		return CCDFChart(title("Severity: P(X ≥ x)"), Tail{Severity: c.collect.Severity(), Fit: fit})
	}
}

// union returns a with the names of b it lacks appended.
func union(a, b []string) []string {
	for _, s := range b {
		if !slices.Contains(a, s) {
			a = append(a, s)
		}
	}
	return a
}
