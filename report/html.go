package report

import (
	_ "embed"
	"errors"
	"fmt"
	"html/template"
	"io"
	"math"
	"strconv"
	"strings"

	"gonum.org/v1/plot"

	"github.com/incidentkit/incidents/schema"
)

//go:embed report.html.tmpl
var pageTemplate string

//go:embed report.css
var pageCSS string

var page = template.Must(template.New("report").Funcs(template.FuncMap{
	"int":     func(n int64) string { return thousands(n) },
	"num":     formatNumber,
	"pct":     func(f float64) string { return strconv.FormatFloat(100*f, 'f', 1, 64) + "%" },
	"raw":     func(f float64) string { return strconv.FormatFloat(f, 'g', -1, 64) },
	"date":    func(d schema.Date) string { return d.String() },
	"nullint": nullInt,
	"css":     func() template.CSS { return template.CSS(pageCSS) },
	"finite":  func(f float64) bool { return !math.IsNaN(f) && !math.IsInf(f, 0) },
	"fixed":   func(f float64, prec int) string { return strconv.FormatFloat(f, 'f', prec, 64) },
	"list3":   func(a, b, c string) []string { return []string{a, b, c} },
}).Parse(pageTemplate))

// Chart is one drawn chart of the page.
type Chart struct {
	ID      string // element id: chart-events, chart-fatalities, ...
	Title   string
	Caption string
	SVG     template.HTML
	Bars    []Bar  // the numbers behind a bar chart, shown in a <details> table
	Unit    string // what Bars count: events, fatalities
}

// Chart sizes on the page, in CSS pixels.
const (
	contentWidth          = 1064 // report.css: main's 1120 px less its padding
	wideWidth, wideHeight = contentWidth, 380
	barWidth              = 518 // a column of .grid: (1064 - 28 gap) / 2, drawn at its size so text keeps its 12 px
	ccdfWidth, ccdfHeight = barWidth, 440
	mapWidth              = contentWidth
)

// barHeight fits the bars with readable labels: 24 px a bar, 15 more for
// each further line of the longest wrapped label.
func barHeight(bars []Bar) int { return 90 + (24+15*(labelLinesOf(bars)-1))*len(bars) }

// Charts draws every chart the report has data for, in page order.
func (r *Report) Charts() ([]Chart, error) {
	type spec struct {
		id, title, caption string
		w, h               int
		draw               func() (*plot.Plot, error)
	}
	per := r.Period
	if per == "" {
		per = "period"
	}
	specs := []spec{
		{"chart-events", "Events per " + per, "Incidents per " + per + " by date_start; periods without incidents are drawn as zero.",
			wideWidth, wideHeight, func() (*plot.Plot, error) { return TimeSeriesChart("Events per "+per, r.Events, Blue) }},
		{"chart-fatalities", "Fatalities per " + per, fatalitiesCaption(r.Fatalities, per),
			wideWidth, wideHeight, func() (*plot.Plot, error) {
				return TimeSeriesChart("Fatalities per "+per, r.Fatalities, Vermillion)
			}},
		{"chart-countries", "Top countries", "Events per country (country_iso3).",
			barWidth, barHeight(r.TopCountries), func() (*plot.Plot, error) {
				return BarChart("Top countries", "events", r.TopCountries, Blue)
			}},
		{"chart-actors", "Top actors", "Events per initiating actor (actor1).",
			barWidth, barHeight(r.TopActors), func() (*plot.Plot, error) {
				return BarChart("Top actors (actor1)", "events", r.TopActors, BluishGreen)
			}},
		{"chart-event-types", "Event types", "Events per event_type.",
			barWidth, barHeight(r.TopEventTypes), func() (*plot.Plot, error) {
				return BarChart("Event types", "events", r.TopEventTypes, Orange)
			}},
		{"chart-parties", "Fatalities by party", "Sums of fatalities_actor1, _actor2, _civilians and _unknown.",
			barWidth, barHeight(r.Parties), func() (*plot.Plot, error) {
				return BarChart("Fatalities by party", "fatalities (best estimate)", r.Parties, ReddishPurple)
			}},
		{"chart-severity", "Severity distribution", "Complementary CDF of fatalities_best over incidents with at least one death, log-log axes; the dashed line is the discrete power law fitted by maximum likelihood above x_min (Clauset, Shalizi & Newman 2009).",
			ccdfWidth, ccdfHeight, func() (*plot.Plot, error) { return CCDFChart("Severity: P(X ≥ x)", r.Tail) }},
	}
	for _, bd := range r.Breakdowns {
		specs = append(specs, spec{"chart-by-" + bd.Column, bd.Title, "Events per " + bd.Column + ".",
			barWidth, barHeight(bd.Bars), func() (*plot.Plot, error) { return BarChart(bd.Title, "events", bd.Bars, SkyBlue) }})
	}
	bars := map[string][]Bar{"chart-countries": r.TopCountries, "chart-actors": r.TopActors,
		"chart-event-types": r.TopEventTypes, "chart-parties": r.Parties}
	for _, bd := range r.Breakdowns {
		bars["chart-by-"+bd.Column] = bd.Bars
	}
	var charts []Chart
	if m, err := r.mapChart(); err != nil {
		return nil, err
	} else if m != nil {
		charts = append(charts, *m)
	}
	for _, s := range specs {
		p, err := s.draw()
		if errors.Is(err, ErrNoData) {
			continue
		}
		if err != nil {
			return nil, err
		}
		svg, err := svgElement(p, s.w, s.h, s.id, s.title)
		if err != nil {
			return nil, err
		}
		unit := "events"
		if s.id == "chart-parties" {
			unit = "fatalities"
		}
		charts = append(charts, Chart{ID: s.id, Title: s.title, Caption: s.caption, SVG: template.HTML(svg), Bars: bars[s.id], Unit: unit})
	}
	return charts, nil
}

func fatalitiesCaption(s Series, per string) string {
	c := "Sum of fatalities_best per " + per + "; "
	if s.BandFlat() {
		return c + "no low-high band is drawn: the sums of fatalities_low and fatalities_high equal the best estimate in every " + per + " (the sources give one figure per incident)."
	}
	return c + "the band spans the sums of fatalities_low and fatalities_high (known values only)."
}

// mapChart draws the map of r.Map, nil when it has nothing to show.
func (r *Report) mapChart() (*Chart, error) {
	svg, err := Map(r.Map, MapOptions{Width: mapWidth, ID: "chart-map", Label: "Map of events", CountryName: r.CountryName})
	if errors.Is(err, ErrNoData) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &Chart{ID: "chart-map", Title: "Map of events", Caption: mapCaption(r.Map), SVG: template.HTML(svg)}, nil
}

// mapCaption accounts for every event of the map: drawn as points, or only
// in its country's colour, and says how points were binned.
func mapCaption(d MapData) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Countries shaded by events per country_iso3; circles are events at their coordinates, area proportional to fatalities_best (sqrt scale; places with few or no deaths get the smallest circle), coloured by the event type with the most events there. ")
	places := len(d.Points)
	fmt.Fprintf(&b, "%s events with coordinates at %s points", thousands(d.Located), thousands(int64(places)))
	if d.CellDegrees > firstCell {
		fmt.Fprintf(&b, " (events binned into %s° grid cells, drawn at their mean position, to keep the map under %s points)", strconv.FormatFloat(d.CellDegrees, 'g', 4, 64), thousands(DefaultMapPoints))
	} else {
		b.WriteString(" (events within 0.01°, about 1 km, of each other are one point)")
	}
	b.WriteString(".")
	if d.Unlocated > 0 {
		fmt.Fprintf(&b, " %s without coordinates are counted only in their country's shade.", thousands(d.Unlocated))
	}
	if un := MapUnmapped(d); len(un) > 0 {
		var parts []string
		for i, c := range un {
			if i == 8 {
				parts = append(parts, fmt.Sprintf("and %d more", len(un)-i))
				break
			}
			parts = append(parts, c.Label+" "+thousands(int64(c.Value)))
		}
		fmt.Fprintf(&b, " Countries without an outline at 1:110m (events): %s.", strings.Join(parts, ", "))
	}
	b.WriteString(" Hover for the numbers.")
	return b.String()
}

// WriteHTML writes r as one self-contained HTML page: styles and SVG charts
// inline, no scripts, no external resources.
func WriteHTML(w io.Writer, r *Report) error {
	charts, err := r.Charts()
	if err != nil {
		return err
	}
	chart := make(map[string]Chart, len(charts))
	for _, c := range charts {
		chart[c.ID] = c
	}
	title := r.Title
	if title == "" {
		title = "Incident report"
	}
	data := struct {
		*Report
		PageTitle string
		Chart     map[string]Chart
	}{r, title, chart}
	if err := page.Execute(w, data); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	return nil
}

func nullInt(n schema.NullInt32) string {
	if !n.Valid {
		return "–"
	}
	return thousands(int64(n.Value))
}

// formatNumber writes whole numbers with thousands separators and others
// with up to three significant decimals.
func formatNumber(f float64) string {
	switch {
	case math.IsNaN(f):
		return "–"
	case f == math.Trunc(f) && math.Abs(f) < 1e15:
		return thousands(int64(f))
	default:
		return strconv.FormatFloat(f, 'f', 3, 64)
	}
}
