package schema_test

import (
	"fmt"
	"time"

	"github.com/apache/arrow/go/v17/arrow/memory"

	"github.com/incidentkit/incidents/schema"
)

// A casualty figure of "at least 10" has a low and a best but no high; the
// record writes the unknown high as null, never 0.
func Example() {
	in := schema.Incident{
		IncidentID:    "tjk-2019-11-06-ishqobod",
		SourceDataset: "reports",
		DateStart:     schema.DateOf(2019, time.November, 6),
		DateEnd:       schema.DateOf(2019, time.November, 6),
		CountryISO3:   "TJK",
		Country:       "Tajikistan",
		EventType:     schema.EventBattles,
		Fatalities:    schema.Estimate{Low: schema.Int32(10), Best: schema.Int32(10)},
		Sources:       []string{"Amaq"},
		SourceCount:   1,
	}
	if err := in.Validate(); err != nil {
		fmt.Println(err)
		return
	}
	rec := schema.NewRecord(memory.DefaultAllocator, []schema.Incident{in})
	defer rec.Release()
	fmt.Println(rec.Column(schema.ColDateStart).ValueStr(0), rec.Column(schema.ColYear).ValueStr(0))
	fmt.Println(rec.Column(schema.ColFatalitiesBest).ValueStr(0), rec.Column(schema.ColFatalitiesHigh).ValueStr(0))
	// Output:
	// 2019-11-06 2019
	// 10 (null)
}

// Validate names every broken invariant.
func ExampleIncident_Validate() {
	in := schema.Incident{IncidentID: "x", SourceDataset: "reports", CountryISO3: "TJK", Country: "Tajikistan",
		Injured: schema.Estimate{Low: schema.Int32(5), Best: schema.Int32(3)}}
	fmt.Println(in.Validate())
	// Output:
	// schema: injured_low: low <= best <= high violated (5 > best 3)
}
