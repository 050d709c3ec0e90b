package report

import (
	_ "embed"
	"errors"
	"fmt"
	"html/template"
	"io"
	"math"
	"strconv"

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
	wideWidth, wideHeight = 760, 360
	barWidth              = 560
	ccdfWidth, ccdfHeight = 640, 460
)

// barHeight fits n bars with readable labels.
func barHeight(n int) int { return 90 + 24*n }

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
		{"chart-fatalities", "Fatalities per " + per, "Sum of fatalities_best per " + per + "; the band spans the sums of fatalities_low and fatalities_high (known values only).",
			wideWidth, wideHeight, func() (*plot.Plot, error) {
				return TimeSeriesChart("Fatalities per "+per, r.Fatalities, Vermillion)
			}},
		{"chart-countries", "Top countries", "Events per country (country_iso3).",
			barWidth, barHeight(len(r.TopCountries)), func() (*plot.Plot, error) {
				return BarChart("Top countries", "events", r.TopCountries, Blue)
			}},
		{"chart-actors", "Top actors", "Events per initiating actor (actor1).",
			barWidth, barHeight(len(r.TopActors)), func() (*plot.Plot, error) {
				return BarChart("Top actors (actor1)", "events", r.TopActors, BluishGreen)
			}},
		{"chart-event-types", "Event types", "Events per event_type.",
			barWidth, barHeight(len(r.TopEventTypes)), func() (*plot.Plot, error) {
				return BarChart("Event types", "events", r.TopEventTypes, Orange)
			}},
		{"chart-parties", "Fatalities by party", "Sums of fatalities_actor1, _actor2, _civilians and _unknown.",
			barWidth, barHeight(len(r.Parties)), func() (*plot.Plot, error) {
				return BarChart("Fatalities by party", "fatalities (best estimate)", r.Parties, ReddishPurple)
			}},
		{"chart-severity", "Severity distribution", "Complementary CDF of fatalities_best over incidents with at least one death, log-log axes; the dashed line is the discrete power law fitted by maximum likelihood above x_min (Clauset, Shalizi & Newman 2009).",
			ccdfWidth, ccdfHeight, func() (*plot.Plot, error) { return CCDFChart("Severity: P(X ≥ x)", r.Tail) }},
	}
	for _, bd := range r.Breakdowns {
		specs = append(specs, spec{"chart-by-" + bd.Column, bd.Title, "Events per " + bd.Column + ".",
			barWidth, barHeight(len(bd.Bars)), func() (*plot.Plot, error) { return BarChart(bd.Title, "events", bd.Bars, SkyBlue) }})
	}
	bars := map[string][]Bar{"chart-countries": r.TopCountries, "chart-actors": r.TopActors,
		"chart-event-types": r.TopEventTypes, "chart-parties": r.Parties}
	for _, bd := range r.Breakdowns {
		bars["chart-by-"+bd.Column] = bd.Bars
	}
	var charts []Chart
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
