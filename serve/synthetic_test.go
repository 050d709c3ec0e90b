package serve

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/apache/arrow/go/v17/arrow/memory"

	"github.com/incidentkit/incidents/export"
	"github.com/incidentkit/incidents/schema"
)

// syntheticIncidents are n incidents over six countries and 2018-2021,
// placed around each country's centre, with heavy-tailed fatalities (some
// unknown) and every event type: deterministic for a seed.
func syntheticIncidents(n int, seed uint64) []schema.Incident {
	rng := rand.New(rand.NewPCG(seed, 7))
	type country struct {
		iso3, name string
		lat, lon   float64
		weight     int
	}
	countries := []country{
		{"SYR", "Syria", 35, 38.5, 6}, {"YEM", "Yemen", 15.5, 47.5, 4}, {"TJK", "Tajikistan", 38.8, 71, 2},
		{"NGA", "Nigeria", 9, 8, 5}, {"COL", "Colombia", 4.5, -74, 3}, {"MMR", "Myanmar", 21, 96, 4},
	}
	var pick []int
	for i, c := range countries {
		for k := 0; k < c.weight; k++ {
			pick = append(pick, i)
		}
	}
	types := schema.EventTypes[1:] // not unknown
	start := schema.DateOf(2018, 1, 1)
	out := make([]schema.Incident, n)
	for i := range out {
		c := countries[pick[rng.IntN(len(pick))]]
		d := start + schema.Date(rng.IntN(4*365))
		best := schema.NullInt32{}
		if rng.IntN(10) > 0 {
			v := int32(math.Floor(math.Pow(1-rng.Float64(), -1/1.5))) - 1 // Pareto-ish, 0 often
			best = schema.Int32(min(v, 5000))
		}
		low, high := best, best
		if best.Valid && best.Value > 2 {
			low, high = schema.Int32(best.Value-best.Value/3), schema.Int32(best.Value+best.Value/2)
		}
		out[i] = schema.Incident{
			IncidentID: fmt.Sprintf("synthetic:%d", i+1), SourceDataset: "synthetic", SourceID: fmt.Sprint(i + 1),
			DateStart: d, DateEnd: d, CountryISO3: c.iso3, Country: c.name,
			Location: fmt.Sprintf("Place %d", rng.IntN(50)),
			Latitude: schema.Float64(c.lat + rng.NormFloat64()*1.5), Longitude: schema.Float64(c.lon + rng.NormFloat64()*1.5),
			GeoPrecision: schema.GeoPrecisions[1], EventType: types[rng.IntN(len(types))],
			Actor1:     fmt.Sprintf("Group %c", 'A'+rng.IntN(8)),
			Fatalities: schema.Estimate{Low: low, Best: best, High: high},
			Injured:    schema.Estimate{Best: schema.Int32(int32(rng.IntN(4)))},
			Sources:    []string{"synthetic (serve/synthetic_test.go)"}, SourceCount: 1,
		}
	}
	return out
}

// writeSynthetic writes syntheticIncidents to path (Parquet or Arrow by
// its extension).
func writeSynthetic(t testing.TB, path string, n int, seed uint64) {
	t.Helper()
	incs := syntheticIncidents(n, seed)
	w, err := export.Create(context.Background(), path, export.WriteOptions{Overwrite: true})
	if err != nil {
		t.Fatal(err)
	}
	for start := 0; start < len(incs); start += 1 << 14 {
		rec := schema.NewRecord(memory.DefaultAllocator, incs[start:min(start+1<<14, len(incs))])
		err := w.Write(rec)
		rec.Release()
		if err != nil {
			w.Abort()
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
}
