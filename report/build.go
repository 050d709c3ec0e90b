package report

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strconv"

	"github.com/apache/arrow/go/v17/arrow"

	"github.com/incidentkit/incidents/schema"
	"github.com/incidentkit/incidents/stats"
)

// Options says what a Builder puts on the page.
type Options struct {
	Title     string   // page heading; "" gives "Incident report"
	Inputs    []string // input names shown under the heading
	Period    string   // bucket of the time series: day, week, month (default), quarter, year
	By        []string // more bar charts: events per value of each of these schema columns
	Top       int      // bars per chart (default 10)
	Deadliest int      // rows of the deadliest-incidents table (default 15)
	Bootstrap int      // replicates of the power-law p-value: 0 means stats.DefaultBootstrap, <0 none
	Seed      uint64   // bootstrap seed, as 'incidents stats --seed'
	Workers   int      // bootstrap goroutines: 0 means GOMAXPROCS

	// Progress, if set, is told how the power-law bootstrap goes (see
	// stats.Options.Progress; the group is "").
	Progress func(group string, done, total int)

	// CountryName, if set, names an ISO 3166-1 alpha-3 code ("" when it
	// knows none): country bars read "SYR Syria" instead of "SYR". The
	// command passes ingest/value's names; this package holds no list.
	CountryName func(iso3 string) string

	// MapPoints bounds the map's points (DefaultMapPoints when 0): events
	// are binned into grid cells, coarser as needed to stay within it.
	MapPoints int
}

// Builder computes a Report from Arrow records of the incidents schema in
// one pass: every record goes to several stats.Accumulators (the whole
// data, counts per period, the top countries, actors, event types and each
// By column) and to a Collector. Each number on the page is a cell of one of
// those stats results, so it equals what 'incidents stats' prints for the
// same options:
//
//	summary, parties, power law  incidents stats --period day --tail
//	time series                  incidents stats --period P --series
//	top countries                incidents stats --by country_iso3 --top K
//	top actors                   incidents stats --by actor1 --top K
//	event types                  incidents stats --by event_type --top K
//	--by C                       incidents stats --by C --top K
//
// The country count is the number of groups of --by country_iso3.
type Builder struct {
	opts      Options
	overall   *stats.Accumulator
	series    *stats.Accumulator
	countries *stats.Accumulator // all groups: their number is the country count
	bars      []barSpec
	collect   *Collector
	places    *MapCollector
	columns   []string
}

type barSpec struct {
	column, title string
	acc           *stats.Accumulator
}

// StatsOptions returns the stats options behind each part of the page, by
// name: overall, series, countries and bars:<column> for each bar chart.
// Tests and users use them to reproduce a number with 'incidents stats'.
func (o Options) StatsOptions() map[string]stats.Options {
	o = o.withDefaults()
	m := map[string]stats.Options{
		"overall":   {Period: stats.PeriodDay, Tail: true, Bootstrap: o.Bootstrap, Seed: o.Seed, Workers: o.Workers},
		"series":    {Period: o.Period, Series: true},
		"countries": {By: []string{"country_iso3"}},
	}
	for _, c := range o.barColumns() {
		m["bars:"+c] = stats.Options{By: []string{c}, Top: o.Top}
	}
	return m
}

func (o Options) withDefaults() Options {
	if o.Period == "" {
		o.Period = stats.PeriodMonth
	}
	if o.Top <= 0 {
		o.Top = 10
	}
	if o.Deadliest == 0 {
		o.Deadliest = 15
	}
	return o
}

// barColumns lists the bar charts' columns: the three standard ones, then
// By without repeats.
func (o Options) barColumns() []string {
	cols := []string{"country_iso3", "actor1", "event_type"}
	for _, c := range o.By {
		if !slices.Contains(cols, c) {
			cols = append(cols, c)
		}
	}
	return cols
}

// collectorColumns are what the Collector reads.
var collectorColumns = []string{"incident_id", "date_start", "country_iso3", "country", "admin1", "admin2",
	"location", "actor1", "actor2", "fatalities_best", "fatalities_low", "fatalities_high"}

// NewBuilder checks opts and returns an empty Builder.
func NewBuilder(opts Options) (*Builder, error) {
	opts = opts.withDefaults()
	so := opts.StatsOptions()
	b := &Builder{opts: opts, collect: NewCollector(opts.Deadliest), places: NewMapCollector(opts.MapPoints)}
	var err error
	overall := so["overall"]
	overall.Progress = opts.Progress
	if b.overall, err = stats.NewAccumulator(overall); err != nil {
		return nil, fmt.Errorf("report: %w", err)
	}
	if b.series, err = stats.NewAccumulator(so["series"]); err != nil {
		return nil, fmt.Errorf("report: %w", err)
	}
	if b.countries, err = stats.NewAccumulator(so["countries"]); err != nil {
		return nil, fmt.Errorf("report: %w", err)
	}
	need := map[string]bool{}
	for _, c := range append(collectorColumns, MapColumns...) {
		need[c] = true
	}
	for _, o := range so {
		for _, c := range stats.Columns(o) {
			need[c] = true
		}
	}
	for _, c := range opts.barColumns() {
		acc, err := stats.NewAccumulator(so["bars:"+c])
		if err != nil {
			return nil, fmt.Errorf("report: %w", err)
		}
		b.bars = append(b.bars, barSpec{column: c, title: barTitle(c), acc: acc})
	}
	for _, c := range schema.Columns {
		if need[c.Name] {
			b.columns = append(b.columns, c.Name)
		}
	}
	return b, nil
}

func barTitle(col string) string {
	switch col {
	case "country_iso3":
		return "Top countries"
	case "actor1":
		return "Top actors (actor1)"
	case "event_type":
		return "Event types"
	}
	return "Events by " + col
}

// Columns returns the schema columns the Builder reads, in schema order,
// so that readers can project.
func (b *Builder) Columns() []string { return b.columns }

// Add reads one record of the incidents schema (at least Columns()). It
// does not retain rec.
func (b *Builder) Add(rec arrow.Record) error {
	for _, acc := range b.accumulators() {
		if err := acc.Add(rec); err != nil {
			return fmt.Errorf("report: %w", err)
		}
	}
	if err := b.places.Add(rec); err != nil {
		return err
	}
	return b.collect.Add(rec)
}

func (b *Builder) accumulators() []*stats.Accumulator {
	accs := []*stats.Accumulator{b.overall, b.series, b.countries}
	for _, s := range b.bars {
		accs = append(accs, s.acc)
	}
	return accs
}

// Report computes the statistics and returns the page's content. Rejects
// is left nil: only the caller knows whether the input was raw.
func (b *Builder) Report() (*Report, error) {
	return b.ReportContext(context.Background())
}

// ReportContext is Report that stops the power-law bootstrap when ctx is
// done, returning ctx's error.
func (b *Builder) ReportContext(ctx context.Context) (*Report, error) {
	r := &Report{Title: b.opts.Title, Inputs: b.opts.Inputs, Period: b.opts.Period}
	all, err := b.overall.ResultContext(ctx)
	if err != nil {
		return nil, fmt.Errorf("report: %w", err)
	}
	c := cells{res: all}
	s := &r.Summary
	s.Incidents = c.get(0, "events").Int
	s.FatalitiesBest = c.get(0, "fatalities_best_sum").Int
	s.FatalitiesLow = c.get(0, "fatalities_low_sum").Int
	s.FatalitiesHigh = c.get(0, "fatalities_high_sum").Int
	s.FatalitiesUnknown = c.get(0, "fatalities_null").Int
	s.InjuredBest = c.get(0, "injured_best_sum").Int
	s.DetainedBest = c.get(0, "detained_best_sum").Int
	if s.Incidents > 0 {
		s.ShareUnknown = float64(s.FatalitiesUnknown) / float64(s.Incidents)
		first, last := c.get(0, "first_period"), c.get(0, "last_period")
		if !first.Null && !last.Null {
			if s.First, err = schema.ParseDate(first.Str); err != nil {
				return nil, fmt.Errorf("report: first_period: %w", err)
			}
			if s.Last, err = schema.ParseDate(last.Str); err != nil {
				return nil, fmt.Errorf("report: last_period: %w", err)
			}
		}
	}
	for _, p := range []struct{ col, label string }{
		{"fatalities_actor1", "actor1"}, {"fatalities_actor2", "actor2"},
		{"fatalities_civilians", "civilians"}, {"fatalities_unknown", "unknown"},
	} {
		sum, share := c.get(0, p.col+"_sum"), c.get(0, p.col+"_share")
		if !sum.Null && !share.Null {
			r.Parties = append(r.Parties, Bar{Label: p.label, Value: float64(sum.Int), Share: share.Num})
		}
	}
	if err := c.err(); err != nil {
		return nil, err
	}
	if r.Tail.Fit, err = fitOf(all); err != nil {
		return nil, err
	}
	r.Tail.Severity = b.collect.Severity()
	r.Deadliest = b.collect.Deadliest()

	ser, err := b.series.Result()
	if err != nil {
		return nil, fmt.Errorf("report: %w", err)
	}
	if r.Events, r.Fatalities, err = seriesOf(ser, b.opts.Period); err != nil {
		return nil, err
	}

	cres, err := b.countries.Result()
	if err != nil {
		return nil, fmt.Errorf("report: %w", err)
	}
	s.Countries = int64(len(cres.Rows))
	r.Map = b.places.Data()
	if r.Map.Countries, err = barsOf(cres, "country_iso3"); err != nil {
		return nil, err
	}
	r.CountryName = b.opts.CountryName

	for _, spec := range b.bars {
		res, err := spec.acc.Result()
		if err != nil {
			return nil, fmt.Errorf("report: %w", err)
		}
		bars, err := barsOf(res, spec.column)
		if err != nil {
			return nil, err
		}
		if spec.column == "country_iso3" && b.opts.CountryName != nil {
			for i := range bars {
				if name := b.opts.CountryName(bars[i].Label); name != "" && name != bars[i].Label {
					bars[i].Label += " " + name
				}
			}
		}
		switch spec.column {
		case "country_iso3":
			r.TopCountries = bars
		case "actor1":
			r.TopActors = bars
		case "event_type":
			r.TopEventTypes = bars
		default:
			r.Breakdowns = append(r.Breakdowns, Breakdown{Column: spec.column, Title: spec.title, Bars: bars})
		}
	}
	return r, nil
}

// cells reads a stats result by column name and remembers a missing
// column: a change in the stats package that this one has not followed.
type cells struct {
	res     *stats.Result
	missing string
}

func (c *cells) get(i int, name string) stats.Value {
	v, ok := c.res.Value(i, name)
	if !ok {
		c.missing = name
	}
	return v
}

func (c *cells) err() error {
	if c.missing != "" {
		return fmt.Errorf("report: stats result lacks the column %s", c.missing)
	}
	return nil
}

// fitOf reads the power-law fit off the first row of a --tail result.
func fitOf(res *stats.Result) (PowerLaw, error) {
	c := cells{res: res}
	var f PowerLaw
	if n := c.get(0, "tail_n"); !n.Null && n.Int > 0 {
		alpha, xmin := c.get(0, "tail_alpha"), c.get(0, "tail_xmin")
		f.Valid = !alpha.Null && !xmin.Null
		f.Alpha, f.XMin = alpha.Num, float64(xmin.Int)
		f.AlphaSE = c.get(0, "tail_alpha_se").Num
		f.NTail = c.get(0, "tail_n_tail").Int
		f.KS = c.get(0, "tail_ks").Num
		f.P = math.NaN()
		if p := c.get(0, "tail_p"); !p.Null {
			f.P = p.Num
		}
	}
	return f, c.err()
}

// seriesOf reads events and fatalities per period off a --series result
// without group columns.
func seriesOf(res *stats.Result, period string) (events, fatalities Series, err error) {
	c := cells{res: res}
	unit := " per " + period
	events = Series{Name: "events", Unit: "events" + unit}
	fatalities = Series{Name: "best estimate", Unit: "fatalities" + unit}
	for i := range res.Rows {
		label := c.get(i, "period").Str
		events.Labels = append(events.Labels, label)
		events.Value = append(events.Value, float64(c.get(i, "events").Int))
		fatalities.Labels = append(fatalities.Labels, label)
		fatalities.Value = append(fatalities.Value, float64(c.get(i, "fatalities_best_sum").Int))
		fatalities.Low = append(fatalities.Low, float64(c.get(i, "fatalities_low_sum").Int))
		fatalities.High = append(fatalities.High, float64(c.get(i, "fatalities_high_sum").Int))
	}
	return events, fatalities, c.err()
}

// barsOf reads events and their share per group off a --by column result.
func barsOf(res *stats.Result, column string) ([]Bar, error) {
	c := cells{res: res}
	var bars []Bar
	for i := range res.Rows {
		label := groupLabel(c.get(i, column))
		if t, err := schema.ParseEventType(label); column == "event_type" && err == nil {
			label = t.Label() // words, not the column value
		}
		bars = append(bars, Bar{Label: label,
			Value: float64(c.get(i, "events").Int), Share: c.get(i, "events_share").Num})
	}
	return bars, c.err()
}

// groupLabel writes a group value as the bar's label; a null group is
// "(unknown)".
func groupLabel(v stats.Value) string {
	switch {
	case v.Null:
		return "(unknown)"
	case v.Str != "":
		return v.Str
	case v.Num != 0:
		return strconv.FormatFloat(v.Num, 'g', -1, 64)
	}
	return strconv.FormatInt(v.Int, 10)
}
