package report

import (
	"testing"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/memory"

	"github.com/incidentkit/incidents/schema"
)

func benchRecords(b *testing.B) ([]arrow.Record, int) {
	rows := syntheticIncidents(100000)
	var recs []arrow.Record
	for i := 0; i < len(rows); i += 8192 {
		recs = append(recs, schema.NewRecord(memory.DefaultAllocator, rows[i:min(i+8192, len(rows))]))
	}
	return recs, len(rows)
}

// BenchmarkBuilder is one report's pass over 100,000 incidents (no
// bootstrap): six stats accumulators and the Collector.
func BenchmarkBuilder(b *testing.B) {
	recs, n := benchRecords(b)
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		bl, err := NewBuilder(Options{Bootstrap: -1})
		if err != nil {
			b.Fatal(err)
		}
		for _, rec := range recs {
			if err := bl.Add(rec); err != nil {
				b.Fatal(err)
			}
		}
		if _, err := bl.Report(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}

// BenchmarkCollector is the severity sample and top-15 table alone.
func BenchmarkCollector(b *testing.B) {
	recs, n := benchRecords(b)
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		c := NewCollector(15)
		for _, rec := range recs {
			if err := c.Add(rec); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}

// BenchmarkMapCollector is the map's binning alone (90,000 of the 100,000
// incidents have coordinates).
func BenchmarkMapCollector(b *testing.B) {
	recs, n := benchRecords(b)
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		m := NewMapCollector(0)
		for _, rec := range recs {
			if err := m.Add(rec); err != nil {
				b.Fatal(err)
			}
		}
		_ = m.Data()
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}
