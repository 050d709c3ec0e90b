package report

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/incidentkit/incidents/schema"
)

// sampleReport is a hand-made report with every section filled: the chart
// layer is tested on it before, and apart from, the stats package.
func sampleReport() *Report {
	rng := rand.New(rand.NewPCG(7, 11))
	r := &Report{
		Title:  "Sample incidents",
		Inputs: []string{"testdata/sample.csv"},
		Period: "month",
	}
	var ev, best, low, high []float64
	var labels []string
	for i := range 30 {
		labels = append(labels, fmt.Sprintf("%04d-%02d", 2018+i/12, i%12+1))
		n := float64(rng.IntN(20))
		if i%7 == 3 {
			n = 0 // a quiet month stays in the series as zero
		}
		ev = append(ev, n)
		b := n * (1 + 3*rng.Float64())
		best = append(best, math.Round(b))
		low = append(low, math.Round(b*0.7))
		high = append(high, math.Round(b*1.6))
	}
	r.Events = Series{Name: "events", Unit: "events per month", Labels: labels, Value: ev}
	r.Fatalities = Series{Name: "best estimate", Unit: "fatalities per month", Labels: labels, Value: best, Low: low, High: high}
	r.TopCountries = []Bar{{"AFG", 120, 0.4}, {"SYR", 90, 0.3}, {"TJK", 45, 0.15}, {"NGA", 30, 0.1}, {"XKX", 15, 0.05}}
	r.TopActors = []Bar{{"Islamic State", 80, 0.27}, {"Military Forces of Tajikistan & <friends>", 60, 0.2},
		{"A remarkably long actor name that needs to be shortened on the chart", 10, 0.03}}
	r.TopEventTypes = []Bar{{"battles", 150, 0.5}, {"explosions_remote_violence", 100, 0.33}, {"violence_against_civilians", 50, 0.17}}
	r.Parties = []Bar{{"actor1", 300, 0.3}, {"actor2", 200, 0.2}, {"civilians", 450, 0.45}, {"unknown", 50, 0.05}}
	// a discrete power law with alpha 2.5 above x_min 3, by inversion
	for range 400 {
		u := rng.Float64()
		r.Tail.Severity = append(r.Tail.Severity, math.Floor((3-0.5)*math.Pow(1-u, -1/1.5)+0.5))
	}
	for range 200 {
		r.Tail.Severity = append(r.Tail.Severity, float64(1+rng.IntN(2)))
	}
	r.Tail.Fit = PowerLaw{Valid: true, Alpha: 2.5, AlphaSE: 0.075, XMin: 3, NTail: 400, KS: 0.021, P: 0.42}
	r.Summary = Summary{Incidents: 300, Countries: 5, First: schema.DateOf(2018, time.January, 3), Last: schema.DateOf(2020, time.June, 28),
		FatalitiesLow: 700, FatalitiesBest: 1000, FatalitiesHigh: 1600, FatalitiesUnknown: 12, ShareUnknown: 0.04}
	r.Deadliest = []DeadlyIncident{
		{ID: "acled:AFG1", Date: schema.DateOf(2019, time.August, 17), Country: "Afghanistan", Place: "Kabul", Actor1: "Islamic State", Actor2: "Civilians (Afghanistan)",
			Low: schema.Int32(63), Best: schema.Int32(80), High: schema.Int32(92)},
		{ID: "tjk-2019-11-06-ishqobod", Date: schema.DateOf(2019, time.November, 6), Country: "Tajikistan", Place: "Ishqobod border post", Actor1: "Islamic State",
			Actor2: "Military Forces of Tajikistan & <friends>", Low: schema.Int32(17), Best: schema.Int32(17)},
	}
	// places: clusters around a city of each country, one with the toll unknown
	for i, c := range []struct {
		lon, lat float64
		n        int
	}{{69.2, 34.5, 12}, {36.3, 33.5, 9}, {68.8, 38.6, 5}, {7.5, 9.1, 4}, {21.2, 42.7, 2}} {
		for j := range c.n {
			p := MapPoint{Lon: c.lon + 0.9*float64(j%4) - 1.3, Lat: c.lat + 0.7*float64(j/4) - 0.7, Events: int64(1 + (i+j)%5), Fatalities: int64((i*7 + j*13) % 40)}
			p.Types[1+(i+j)%4] = p.Events
			if j == 1 {
				p.Unknown = 1
			}
			r.Map.Points = append(r.Map.Points, p)
			r.Map.Located += p.Events
		}
	}
	r.Map.CellDegrees, r.Map.Unlocated = 0.01, 12
	r.Map.Countries = append(slices.Clone(r.TopCountries), Bar{Label: "XXX", Value: 3})
	r.Rejects = &Rejects{Read: 330, Written: 300, Merged: 10, Rejected: 20, Reasons: []Bar{{"unreadable casualty phrase", 12, 0.6}, {"unknown country", 8, 0.4}}}
	return r
}
