package stats

import (
	"testing"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/memory"

	"github.com/incidentkit/incidents/schema"
)

// recordBytes sums the buffer sizes of the columns the statistics read.
func recordBytes(rec arrow.Record, cols []string) int64 {
	var n int64
	for _, c := range cols {
		for _, buf := range rec.Column(rec.Schema().FieldIndices(c)[0]).Data().Buffers() {
			if buf != nil {
				n += int64(buf.Len())
			}
		}
	}
	return n
}

// BenchmarkAccumulate: 1M incidents in 16 records of 65,536, grouped by
// country_iso3 and year (40 groups), every casualty statistic kept.
func BenchmarkAccumulate(b *testing.B) {
	const rows, batch = 1 << 20, 1 << 16
	incidents, _ := goldenDataset(rows, 1)
	opts := Options{By: []string{"country_iso3", "year"}}
	var recs []arrow.Record
	var size int64
	for start := 0; start < rows; start += batch {
		rec := schema.NewRecord(memory.DefaultAllocator, incidents[start:start+batch])
		recs = append(recs, rec)
		size += recordBytes(rec, Columns(opts))
	}
	incidents = nil
	defer func() {
		for _, r := range recs {
			r.Release()
		}
	}()
	b.SetBytes(size)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		acc, err := NewAccumulator(opts)
		if err != nil {
			b.Fatal(err)
		}
		for _, rec := range recs {
			if err := acc.Add(rec); err != nil {
				b.Fatal(err)
			}
		}
		if _, err := acc.Result(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(rows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}

// BenchmarkPowerLawFit: the x_min scan of 10,000 values (alpha 2.5,
// x_min 5, a uniform body below), and the same with 100 bootstrap
// replicates on two workers.
func BenchmarkPowerLawFit(b *testing.B) {
	x := syntheticPowerLaw(10000, 2.5, 5, 0.3, 1)
	for _, c := range []struct {
		name string
		opts TailOptions
	}{{"scan", TailOptions{}}, {"bootstrap100", TailOptions{Bootstrap: 100, Seed: 1, Workers: 2}}} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				if _, ok := FitPowerLaw(x, c.opts); !ok {
					b.Fatal("no fit")
				}
			}
		})
	}
}

// BenchmarkPowerLawCities: the cities reference set (19,447 values, 7,744
// distinct, up to 8 million), the case of issue 12: one x_min scan, and the
// scan with 20 bootstrap replicates on two workers (a replicate costs about
// what a scan does, so --bootstrap 1000 takes 50 times the second).
func BenchmarkPowerLawCities(b *testing.B) {
	x := loadReference(b, "cities")
	for _, c := range []struct {
		name string
		opts TailOptions
	}{{"scan", TailOptions{}}, {"bootstrap20", TailOptions{Bootstrap: 20, Seed: 1, Workers: 2}}} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				if _, ok := FitPowerLaw(x, c.opts); !ok {
					b.Fatal("no fit")
				}
			}
		})
	}
}

// BenchmarkPowerLawLarge: a million severities (alpha 2.2, x_min 5, a
// uniform body below), the size of 'incidents report' on 3M ACLED rows,
// with 10 bootstrap replicates on two workers: here drawing and counting a
// replicate costs more than fitting it.
func BenchmarkPowerLawLarge(b *testing.B) {
	x := syntheticPowerLaw(1_000_000, 2.2, 5, 0.6, 3)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, ok := FitPowerLaw(x, TailOptions{Bootstrap: 10, Seed: 1, Workers: 2}); !ok {
			b.Fatal("no fit")
		}
	}
}
