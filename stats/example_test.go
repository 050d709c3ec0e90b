package stats_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"os"

	"github.com/apache/arrow/go/v17/arrow/memory"

	"github.com/incidentkit/incidents/schema"
	"github.com/incidentkit/incidents/stats"
)

func Example() {
	incidents := []schema.Incident{
		{IncidentID: "a:1", DateStart: schema.DateOf(2019, 1, 5), CountryISO3: "TJK", Fatalities: schema.Exact(3)},
		{IncidentID: "a:2", DateStart: schema.DateOf(2019, 3, 9), CountryISO3: "TJK", Fatalities: schema.Exact(0)},
		{IncidentID: "a:3", DateStart: schema.DateOf(2019, 2, 1), CountryISO3: "UZB", Fatalities: schema.Estimate{Low: schema.Int32(5), Best: schema.Int32(7), High: schema.Int32(12)}},
		{IncidentID: "a:4", DateStart: schema.DateOf(2019, 2, 2), CountryISO3: "UZB"}, // unknown toll
	}
	rec := schema.NewRecord(memory.DefaultAllocator, incidents)
	defer rec.Release()

	acc, err := stats.NewAccumulator(stats.Options{By: []string{"country_iso3"}, Period: stats.PeriodMonth, Series: true})
	if err != nil {
		fmt.Println(err)
		return
	}
	if err := acc.Add(rec); err != nil {
		fmt.Println(err)
		return
	}
	res, err := acc.Result()
	if err != nil {
		fmt.Println(err)
		return
	}
	res.WriteTable(os.Stdout)
	// Output:
	// country_iso3  period   events  fatalities_best_sum  fatalities_low_sum
	// TJK           2019-01       1                    3                   3
	// TJK           2019-02       0                    0                   0
	// TJK           2019-03       1                    0                   0
	// UZB           2019-02       2                    7                   5
	//
	// country_iso3  period   fatalities_high_sum
	// TJK           2019-01                    3
	// TJK           2019-02                    0
	// TJK           2019-03                    0
	// UZB           2019-02                   12
}

// ExampleFitPowerLaw fits the severity tail of 2,000 incidents: a quarter
// with 1 to 3 deaths, the rest drawn from a continuous power law of
// exponent 2.5 above 5 and rounded down (which a discrete power law only
// approximates, hence alpha a little below 2.5).
func ExampleFitPowerLaw() {
	r := rand.New(rand.NewPCG(1, 2))
	var deaths []int64
	for i := 0; i < 2000; i++ {
		u := r.Float64()
		if i%4 == 0 {
			deaths = append(deaths, int64(1+i%4+i%3)) // the body: 1 to 3 deaths
			continue
		}
		deaths = append(deaths, int64(5*math.Pow(1-u, -1/1.5)))
	}
	fit, ok := stats.FitPowerLaw(deaths, stats.TailOptions{Bootstrap: 100, Seed: 1, Workers: 2})
	if !ok {
		fmt.Println("too few incidents for a fit")
		return
	}
	fmt.Printf("x_min %d, alpha %.1f, n_tail %d of %d, p %.2f\n", fit.XMin, fit.Alpha, fit.NTail, fit.N, fit.P)
	// Output:
	// x_min 5, alpha 2.4, n_tail 1500 of 2000, p 0.55
}
