package ingest_test

import (
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/apache/arrow/go/v17/arrow"

	"github.com/incidentkit/incidents/ingest"
	"github.com/incidentkit/incidents/schema"
)

// Normalize three source reports of one incident (the sample's first rows)
// into one reconciled row.
func ExampleNormalize() {
	f, err := os.CreateTemp("", "reports-*.csv")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.Remove(f.Name())
	b, _ := os.ReadFile("../testdata/sample/reports.csv")
	lines := strings.SplitAfter(string(b), "\n")
	f.WriteString(strings.Join(lines[:4], ""))
	f.Close()

	var rows []schema.Incident
	sum, err := ingest.Normalize(context.Background(), []string{f.Name()}, ingest.Options{},
		func(rec arrow.Record) error {
			rows, err = schema.AppendIncidents(rows, rec)
			return err
		})
	if err != nil {
		fmt.Println(err)
		return
	}
	in := rows[0]
	fmt.Println(sum.RowsRead, "reports ->", sum.Incidents, "incident,", sum.Merged, "merged")
	fmt.Println(in.IncidentID, in.DateStart, in.TimeUTC.Format("2006-01-02T15:04Z"))
	fmt.Println("fatalities", in.Fatalities.Low, in.Fatalities.Best, in.Fatalities.High,
		"actor1", in.FatalitiesActor1, "actor2", in.FatalitiesActor2)
	fmt.Println("detained", in.Detained.Low, in.Detained.Best, in.Detained.High, "claimed by", in.ClaimedBy, "sources", in.SourceCount)
	// Output:
	// 3 reports -> 1 incident, 2 merged
	// tjk-2019-11-06-ishqobod 2019-11-06 2019-11-05T22:30Z
	// fatalities 17 17 17 actor1 15 actor2 2
	// detained 4 4 5 claimed by Islamic State sources 3
}
