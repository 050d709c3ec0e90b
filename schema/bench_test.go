package schema

import (
	"fmt"
	"testing"

	"github.com/apache/arrow/go/v17/arrow/memory"
)

// BenchmarkRecordBuilder appends 8192-row batches of varied incidents (the
// pipeline's chunk size) and builds a record from each: the Arrow-building
// stage of normalize.
func BenchmarkRecordBuilder(b *testing.B) {
	const rows = 8192
	base := seedIncident()
	in := make([]Incident, rows)
	countries := []string{"TJK", "NGA", "SYR", "AFG", "MEX", "UKR", "COL", "MLI"}
	for i := range in {
		r := base
		r.IncidentID = fmt.Sprintf("acled:X%07d", i)
		r.SourceID = r.IncidentID[6:]
		r.CountryISO3 = countries[i%len(countries)]
		r.Location = fmt.Sprintf("Place %d", i%997)
		r.Fatalities.Best = Int32(int32(i % 13))
		in[i] = r
	}
	rb := NewRecordBuilder(memory.NewGoAllocator())
	defer rb.Release()
	b.ReportAllocs()
	b.ResetTimer()
	for n := 0; n < b.N; n++ {
		for i := range in {
			rb.Append(&in[i])
		}
		rb.NewRecord().Release()
	}
	b.ReportMetric(float64(rows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}
