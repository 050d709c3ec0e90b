package stats_test

import (
	"fmt"
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
