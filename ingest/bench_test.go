package ingest

import (
	"bytes"
	"context"
	"io"
	"testing"

	"github.com/apache/arrow/go/v17/arrow"

	"github.com/incidentkit/incidents/ingest/source"
	"github.com/incidentkit/incidents/ingest/synth"
)

// BenchmarkNormalizeACLED normalizes a generated 200,000-row ACLED CSV held in
// memory (1% messy rows), all the way to Arrow records.
func BenchmarkNormalizeACLED(b *testing.B) {
	var buf bytes.Buffer
	if _, err := synth.Generate(&buf, "acled", 200_000, 1, synth.Options{Messy: 0.01}); err != nil {
		b.Fatal(err)
	}
	data := buf.Bytes()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		sum, err := Normalize(context.Background(), []string{"-"}, Options{Open: source.Opener(bytes.NewReader(data)), Rejects: io.Discard},
			func(arrow.Record) error { return nil })
		if err != nil {
			b.Fatal(err)
		}
		if sum.Incidents == 0 {
			b.Fatal("no incidents")
		}
		b.ReportMetric(float64(sum.RowsRead)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
	}
}
