package report_test

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/apache/arrow/go/v17/arrow/memory"

	"github.com/incidentkit/incidents/report"
	"github.com/incidentkit/incidents/schema"
)

// A bar chart of the top countries, written as an SVG of 640x400 pixels.
func ExampleWritePlot() {
	bars := []report.Bar{{Label: "AFG", Value: 120, Share: 0.5}, {Label: "SYR", Value: 90, Share: 0.375}, {Label: "TJK", Value: 30, Share: 0.125}}
	p, err := report.BarChart("Top countries", "events", bars, report.Blue)
	if err != nil {
		fmt.Println(err)
		return
	}
	var svg bytes.Buffer
	if err := report.WritePlot(&svg, p, "svg", 640, 400); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(regexp.MustCompile(`<svg width="\d+" height="\d+"`).FindString(svg.String()))
	// Output:
	// <svg width="640" height="400"
}

// A report is plain numbers; WriteHTML turns it into one page with its
// charts inline.
func ExampleWriteHTML() {
	r := &report.Report{
		Title:   "Border incidents",
		Period:  "year",
		Summary: report.Summary{Incidents: 3, Countries: 1, FatalitiesBest: 20},
		Events: report.Series{Name: "events", Unit: "events per year",
			Labels: []string{"2019", "2020", "2021"}, Value: []float64{2, 0, 1}},
	}
	var page strings.Builder
	if err := report.WriteHTML(&page, r); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(strings.Count(page.String(), "<svg"), "chart")
	fmt.Println(regexp.MustCompile(`data-stat="events" data-value="\d+"`).FindString(page.String()))
	// Output:
	// 1 chart
	// data-stat="events" data-value="3"
}

// A Builder takes Arrow records of the incidents schema and computes the
// page through the stats package.
func ExampleBuilder() {
	day := func(m time.Month, d int) schema.Date { return schema.DateOf(2019, m, d) }
	rows := []schema.Incident{
		{IncidentID: "r:1", SourceDataset: "reports", DateStart: day(1, 5), DateEnd: day(1, 5), CountryISO3: "TJK", Country: "Tajikistan",
			Actor1: "Islamic State", EventType: schema.EventBattles, Fatalities: schema.Estimate{Low: schema.Int32(15), Best: schema.Int32(17), High: schema.Int32(20)}},
		{IncidentID: "r:2", SourceDataset: "reports", DateStart: day(3, 9), DateEnd: day(3, 9), CountryISO3: "UZB", Country: "Uzbekistan",
			EventType: schema.EventRiots, Fatalities: schema.Exact(0)},
		{IncidentID: "r:3", SourceDataset: "reports", DateStart: day(3, 20), DateEnd: day(3, 20), CountryISO3: "TJK", Country: "Tajikistan",
			EventType: schema.EventBattles}, // unknown toll
	}
	rec := schema.NewRecord(memory.DefaultAllocator, rows)
	defer rec.Release()

	b, err := report.NewBuilder(report.Options{Period: "month", Bootstrap: -1})
	if err != nil {
		fmt.Println(err)
		return
	}
	if err := b.Add(rec); err != nil {
		fmt.Println(err)
		return
	}
	r, err := b.Report()
	if err != nil {
		fmt.Println(err)
		return
	}
	s := r.Summary
	fmt.Printf("%d incidents in %d countries, %s to %s\n", s.Incidents, s.Countries, s.First, s.Last)
	fmt.Printf("fatalities %d (%d to %d), %d unknown\n", s.FatalitiesBest, s.FatalitiesLow, s.FatalitiesHigh, s.FatalitiesUnknown)
	fmt.Println(r.Events.Labels, r.Events.Value)
	fmt.Println(r.TopCountries[0].Label, r.TopCountries[0].Value, r.Deadliest[0].ID)
	// Output:
	// 3 incidents in 2 countries, 2019-01-05 to 2019-03-20
	// fatalities 17 (15 to 20), 1 unknown
	// [2019-01 2019-02 2019-03] [1 0 2]
	// TJK 2 r:1
}

// Map draws events on Natural Earth's outlines: here two places in Syria,
// drawn in an equirectangular projection fitted to them.
func ExampleMap() {
	d := report.MapData{
		Points: []report.MapPoint{
			{Lon: 36.2, Lat: 37.2, Events: 12, Fatalities: 37, Types: [7]int64{1: 8, 4: 4}},
			{Lon: 36.3, Lat: 33.5, Events: 3, Fatalities: 0, Types: [7]int64{5: 3}},
		},
		Located:   15,
		Countries: []report.Bar{{Label: "SYR", Value: 15}},
	}
	svg, err := report.Map(d, report.MapOptions{Width: 800})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(len(regexp.MustCompile(`<circle [^>]*data-events`).FindAllString(svg, -1)), "places drawn")
	fmt.Println(strings.Contains(svg, "Projection: equirectangular"))
	fmt.Println(strings.Contains(svg, "<title>36.20°N 37.15°E") || strings.Contains(svg, "<title>37.20°N 36.20°E"))
	// Output:
	// 2 places drawn
	// true
	// true
}
