package pgsink_test

import (
	"context"
	"fmt"

	"github.com/apache/arrow/go/v17/arrow/memory"

	"github.com/incidentkit/incidents/pgsink"
	"github.com/incidentkit/incidents/schema"
)

// Upsert a batch of incidents into a table, creating it if absent. (Not
// run: it needs a server; pgsink_test.go runs the same against one.)
func Example() {
	ctx := context.Background()
	t, err := pgsink.ParseTarget("postgres://me@localhost/conflict?table=incidents")
	if err != nil {
		fmt.Println(err)
		return
	}
	l, err := pgsink.Open(ctx, t, pgsink.Options{Mode: pgsink.ModeUpsert, Schema: schema.Arrow()})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer l.Abort() // rolls back unless Close committed
	rec := schema.NewRecord(memory.DefaultAllocator, []schema.Incident{{
		IncidentID: "reports:x-1", SourceDataset: "reports", CountryISO3: "SYR", Country: "Syria",
		DateStart: schema.DateOf(2019, 11, 6), DateEnd: schema.DateOf(2019, 11, 6),
	}})
	defer rec.Release()
	if err := l.Write(rec); err != nil {
		fmt.Println(err)
		return
	}
	res, err := l.Close()
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(res) // 1 rows loaded into incidents (upsert): 1 inserted, 0 updated, 0 unchanged
}
