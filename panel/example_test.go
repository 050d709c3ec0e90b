package panel_test

import (
	"fmt"
	"os"
	"time"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/memory"

	"github.com/incidentkit/incidents/panel"
	"github.com/incidentkit/incidents/schema"
)

// A country-year panel of South Sudan and Sudan over 2010-2012: South
// Sudan has rows only from 2011, its independence year; years without
// events are zeros; an unknown death toll is a null sum with a null count,
// not a 0.
func Example() {
	inc := func(iso3 string, y int, m time.Month, best schema.NullInt32) schema.Incident {
		d := schema.DateOf(y, m, 1)
		return schema.Incident{IncidentID: fmt.Sprint(iso3, y, m), SourceDataset: "acled", DateStart: d, DateEnd: d,
			CountryISO3: iso3, EventType: schema.EventBattles, Fatalities: schema.Estimate{Best: best}}
	}
	rec := schema.NewRecord(memory.DefaultAllocator, []schema.Incident{
		inc("SDN", 2010, time.March, schema.Int32(12)),
		inc("SSD", 2012, time.May, schema.NullInt32{}),
		inc("PSE", 2012, time.May, schema.Int32(1)), // no Gleditsch-Ward state: listed in the summary
	})
	defer rec.Release()

	from, to := schema.DateOf(2010, 1, 1), schema.DateOf(2012, 12, 31)
	b, err := panel.NewBuilder(panel.Options{Unit: panel.UnitCountry, Period: "year", System: panel.SystemGW, From: &from, To: &to})
	if err != nil {
		fmt.Println(err)
		return
	}
	if err := b.Add(rec); err != nil {
		fmt.Println(err)
		return
	}
	err = b.Emit(memory.DefaultAllocator, func(r arrow.Record) error {
		for i := 0; i < int(r.NumRows()); i++ {
			if iso := r.Column(0).ValueStr(i); iso == "SDN" || iso == "SSD" {
				fmt.Println(iso, r.Column(1).ValueStr(i), r.Column(4).ValueStr(i), "events", r.Column(8).ValueStr(i),
					"best", r.Column(11).ValueStr(i), "unknown", r.Column(12).ValueStr(i))
			}
		}
		return nil
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	sum := b.Summary()
	sum.WriteText(os.Stdout, 0)
	// Output:
	// SDN 625 2010 events 1 best 12 unknown 0
	// SDN 625 2011 events 0 best 0 unknown 0
	// SDN 625 2012 events 0 best 0 unknown 0
	// SSD 626 2011 events 0 best 0 unknown 0
	// SSD 626 2012 events 1 best (null) unknown 1
	// panel: 3 rows read, 2 counted in 521 rows (174 units x 3 periods at most)
	//   1 outside the state system's membership (left out), by country:
	//     PSE 1 events (1 deaths best, 0 unknown) 2012-05-01..2012-05-01: no state of the system
}
