package pipeline

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/incidentkit/incidents/ingest"
	"github.com/incidentkit/incidents/ingest/synth"
	"github.com/incidentkit/incidents/schema"
)

func TestRowCodecRoundTrip(t *testing.T) {
	full := ingest.Row{Input: 3, Line: 1 << 33, Fields: []string{"a", "", "ü,\n"}, Incident: schema.Incident{
		IncidentID: "x:1", SourceDataset: "x", SourceID: "1", DateStart: 18000, DateEnd: 18003, DatePrecision: 2,
		TimeUTC: time.Date(2019, 11, 5, 22, 30, 0, 0, time.UTC), CountryISO3: "TJK", Country: "Tajikistan",
		Admin1: "a1", Admin2: "a2", Location: "l", Latitude: schema.Float64(-12.5), Longitude: schema.Float64(3e-9),
		GeoPrecision: 1, EventType: 2, SubEventType: "s", SourceEvent: "se", ViolenceType: 1, Actor1: "A", Actor2: "B",
		AssocActors: []string{"c", "d"}, ClaimedBy: "C", Fatalities: schema.Estimate{Low: schema.Int32(1), Best: schema.Int32(2)},
		FatalitiesActor1: schema.Int32(-1), FatalitiesUnknown: schema.Int32(1 << 30), Injured: schema.Exact(4),
		Detained: schema.Estimate{High: schema.Int32(7)}, Sources: []string{"s1"}, SourceCount: 3, Notes: "n"}}
	for _, r := range []ingest.Row{full, {}} {
		b := encodeRow(nil, &r)
		var got ingest.Row
		if err := decodeRow(b, &got, true); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, r) {
			t.Fatalf("round trip:\n%+v\n%+v", got, r)
		}
		for n := 0; n < len(b); n++ { // a cut row is an error, never a panic or a short row taken
			if err := decodeRow(b[:n], &got, true); err == nil {
				t.Fatalf("row cut at %d of %d bytes decoded", n, len(b))
			}
		}
	}
}

// BenchmarkShuffleBytes reports what the duplicate-id GroupByKey moves per
// row (key + encoded row) and what the raw row weighs, for docs/scale.md:
// go test ./pipeline -run '^$' -bench ShuffleBytes -benchtime 1x
func BenchmarkShuffleBytes(b *testing.B) {
	for _, layout := range []string{"acled", "gdelt"} {
		b.Run(layout, func(b *testing.B) {
			dir := b.TempDir()
			var in bytes.Buffer
			if _, err := synth.Generate(&in, layout, 20000, 1, synth.Options{}); err != nil {
				b.Fatal(err)
			}
			p := filepath.Join(dir, "in.csv")
			os.WriteFile(p, in.Bytes(), 0o644)
			var rows, shuffled int64
			for i := 0; i < b.N; i++ {
				rows, shuffled = 0, 0
				_, err := ingest.NormalizeRows(context.Background(), []string{p}, ingest.Options{}, func(rs []ingest.Row) error {
					for k := range rs {
						rows++
						shuffled += int64(len(rs[k].Incident.IncidentID) + len(encodeRow(nil, &rs[k])))
					}
					return nil
				})
				if err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(in.Len())/20000, "raw-B/row")
			b.ReportMetric(float64(shuffled)/float64(rows), "shuffle-B/row")
			b.ReportMetric(float64(rows), "rows")
		})
	}
}
