package report_test

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"

	"github.com/incidentkit/incidents/report"
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
