package link

import (
	"context"
	"math/rand/v2"
	"strconv"
	"testing"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/memory"

	"github.com/incidentkit/incidents/schema"
)

// BenchmarkLink links 200k events of two datasets in ten countries over a
// year (about 27 a day a country), points within 3 degrees of each
// country's centre: sort, sweep, score and clusters, per event.
func BenchmarkLink(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 2))
	countries := []string{"SYR", "AFG", "NGA", "COD", "MMR", "SOM", "IRQ", "MLI", "PAK", "YEM"}
	actors := []string{"Military Forces of X (2019-)", "Islamic State (X)", "Civilians (X)", "Unidentified Armed Group (X)", "Al Shabaab"}
	var recs []arrow.Record
	var ins []schema.Incident
	const n = 200_000
	for i := range n {
		day := schema.Date(19000 + r.IntN(365))
		ins = append(ins, schema.Incident{IncidentID: "x:" + strconv.Itoa(i), SourceDataset: []string{"acled", "ucdp-ged"}[i%2],
			CountryISO3: countries[r.IntN(len(countries))], Country: "X", DateStart: day, DateEnd: day,
			Latitude: schema.Float64(30 + r.Float64()*6), Longitude: schema.Float64(40 + r.Float64()*6),
			GeoPrecision: schema.GeoExact, EventType: schema.EventTypes[1+r.IntN(3)],
			Actor1: actors[r.IntN(len(actors))], Actor2: actors[r.IntN(len(actors))],
			Fatalities: schema.Exact(int32(r.IntN(5)))})
		if len(ins) == 65536 || i == n-1 {
			recs = append(recs, schema.NewRecord(memory.DefaultAllocator, ins))
			ins = ins[:0]
		}
	}
	defer func() {
		for _, rec := range recs {
			rec.Release()
		}
	}()
	b.ReportAllocs()
	b.ResetTimer()
	var sum Summary
	for range b.N {
		l, err := New(DefaultOptions())
		if err != nil {
			b.Fatal(err)
		}
		for _, rec := range recs {
			if err := l.Add(rec); err != nil {
				b.Fatal(err)
			}
		}
		ctx := context.Background()
		if sum, err = l.Run(ctx, func(arrow.Record) error { return nil }); err != nil {
			b.Fatal(err)
		}
		if sum, err = l.Clusters(ctx, func(arrow.Record) error { return nil }); err != nil {
			b.Fatal(err)
		}
		l.Close()
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "events/s")
	b.ReportMetric(float64(sum.Candidates), "candidates")
	b.ReportMetric(float64(sum.Pairs), "links")
}
