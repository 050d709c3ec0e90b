package export

import (
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/memory"
	xsource "github.com/xitongsys/parquet-go-source/local"
	xparquet "github.com/xitongsys/parquet-go/parquet"
	xwriter "github.com/xitongsys/parquet-go/writer"

	"github.com/incidentkit/incidents/schema"
)

const (
	benchRows  = 1_000_000
	benchBatch = 1 << 16
)

// splitmix64 is a small deterministic generator: the benchmark data is the
// same on every run and machine.
type splitmix64 uint64

func (s *splitmix64) next() uint64 {
	*s += 0x9e3779b97f4a7c15
	z := uint64(*s)
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

func (s *splitmix64) float() float64 { return float64(s.next()>>11) / (1 << 53) }
func (s *splitmix64) intn(n int) int { return int(s.next() % uint64(n)) }

// syntheticIncidents fills dst with rows first.. of a synthetic dataset:
// about 100 countries with Zipf-like weights, 1989-2024, heavy-tailed
// fatalities (a discrete Pareto tail with alpha 1.8, 40% zeros, 10% unknown),
// low-cardinality categories and some free text.
func syntheticIncidents(rng *splitmix64, first int, dst []schema.Incident) {
	datasets := []string{"acled", "ucdp-ged", "gtd", "reports"}
	for k := range dst {
		i := first + k
		c := int(float64(100) * rng.float() * rng.float()) // skewed to small indices
		iso := string([]byte{byte('A' + c/26%26), byte('A' + c%26), 'X'})
		start := schema.DateOf(1989, 1, 1) + schema.Date(rng.intn(36*365))
		in := schema.Incident{
			IncidentID:    fmt.Sprintf("synth:%d", i),
			SourceDataset: datasets[rng.intn(len(datasets))],
			SourceID:      fmt.Sprint(i),
			DateStart:     start,
			DateEnd:       start + schema.Date(rng.intn(3)/2),
			DatePrecision: schema.DatePrecision(rng.intn(5)),
			CountryISO3:   iso,
			Country:       "Country " + iso,
			Admin1:        fmt.Sprintf("Province %d", rng.intn(20)),
			Location:      fmt.Sprintf("Place %d", rng.intn(5000)),
			GeoPrecision:  schema.GeoPrecision(rng.intn(6)),
			EventType:     schema.EventType(rng.intn(7)),
			ViolenceType:  schema.ViolenceType(rng.intn(4)),
			Actor1:        fmt.Sprintf("Group %d", rng.intn(800)),
			SourceCount:   int16(1 + rng.intn(3)),
		}
		if rng.intn(2) == 0 {
			in.Admin2 = fmt.Sprintf("District %d", rng.intn(200))
		}
		if rng.intn(10) < 3 {
			in.TimeUTC = start.Time().Add(time.Duration(rng.intn(86400)) * time.Second)
		}
		if rng.intn(10) != 0 {
			in.Latitude = schema.Float64(rng.float()*180 - 90)
			in.Longitude = schema.Float64(rng.float()*360 - 180)
		}
		if rng.intn(10) < 6 {
			in.Actor2 = fmt.Sprintf("Group %d", rng.intn(800))
		}
		if rng.intn(3) == 0 {
			in.SubEventType = fmt.Sprintf("sub_type_%d", rng.intn(25))
		}
		for j := rng.intn(3); j > 0; j-- {
			in.AssocActors = append(in.AssocActors, fmt.Sprintf("Militia %d", rng.intn(300)))
		}
		for j := 0; j < int(in.SourceCount); j++ {
			in.Sources = append(in.Sources, fmt.Sprintf("Source %d", rng.intn(60)))
		}
		switch u := rng.float(); {
		case u < 0.1: // unknown
		case u < 0.5:
			in.Fatalities = schema.Exact(0)
		default:
			best := int32(pareto(rng, 1.8))
			in.Fatalities = schema.Estimate{Low: schema.Int32(best - best/4), Best: schema.Int32(best), High: schema.Int32(best + best/2)}
			in.FatalitiesCivilians = schema.Int32(best / 2)
		}
		if rng.intn(4) == 0 {
			in.Injured = schema.Exact(int32(pareto(rng, 2.0)))
		}
		if rng.intn(5) == 0 {
			in.Notes = fmt.Sprintf("synthetic note %d about the event", rng.intn(100000))
		}
		dst[k] = in
	}
}

// pareto draws from a discrete power law with x_min 1.
func pareto(rng *splitmix64, alpha float64) int {
	u := 1 - rng.float()
	x := int(math.Pow(u, -1/(alpha-1)))
	if x > 1_000_000 {
		x = 1_000_000
	}
	return x
}

var (
	benchOnce sync.Once
	benchRecs []arrow.Record
	benchSize int64
)

// benchRecords builds the million rows once, as 64Ki-row records of two
// alternating builders (so dictionaries differ, as with ingest workers).
func benchRecords(b *testing.B) ([]arrow.Record, int64) {
	benchOnce.Do(func() {
		rng := splitmix64(1)
		builders := []*schema.RecordBuilder{schema.NewRecordBuilder(nil), schema.NewRecordBuilder(nil)}
		rows := make([]schema.Incident, benchBatch)
		for first := 0; first < benchRows; first += benchBatch {
			n := min(benchBatch, benchRows-first)
			syntheticIncidents(&rng, first, rows[:n])
			rb := builders[(first/benchBatch)%2]
			for i := range rows[:n] {
				rb.Append(&rows[i])
			}
			rec := rb.NewRecord()
			benchRecs = append(benchRecs, rec)
			benchSize += recordBytes(rec)
		}
		for _, rb := range builders {
			rb.Release()
		}
		runtime.GC()
	})
	return benchRecs, benchSize
}

// peakHeap samples the live heap every 2 ms (runtime/metrics, no
// stop-the-world) and reports the peak above the level at start.
type peakHeap struct {
	stop chan struct{}
	done chan struct{}
	base uint64
	peak uint64
}

func heapBytes() uint64 {
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}

func startPeakHeap() *peakHeap {
	runtime.GC()
	p := &peakHeap{stop: make(chan struct{}), done: make(chan struct{}), base: heapBytes()}
	go func() {
		defer close(p.done)
		t := time.NewTicker(2 * time.Millisecond)
		defer t.Stop()
		for {
			if h := heapBytes(); h > p.peak {
				p.peak = h
			}
			select {
			case <-p.stop:
				return
			case <-t.C:
			}
		}
	}()
	return p
}

func (p *peakHeap) end() float64 {
	close(p.stop)
	<-p.done
	if p.peak < p.base {
		return 0
	}
	return float64(p.peak-p.base) / 1e6
}

// countingAllocator tracks the Arrow memory a writer holds at its peak
// (buffered row groups, dictionaries, page buffers): unlike the heap
// figure it does not depend on when the garbage collector runs.
type countingAllocator struct {
	memory.Allocator
	cur, peak atomic.Int64
}

func (c *countingAllocator) add(n int) {
	if v := c.cur.Add(int64(n)); v > c.peak.Load() {
		c.peak.Store(v)
	}
}

func (c *countingAllocator) Allocate(size int) []byte {
	c.add(size)
	return c.Allocator.Allocate(size)
}

func (c *countingAllocator) Reallocate(size int, b []byte) []byte {
	c.add(size - len(b))
	return c.Allocator.Reallocate(size, b)
}

func (c *countingAllocator) Free(b []byte) {
	c.add(-len(b))
	c.Allocator.Free(b)
}

func reportWrite(b *testing.B, peak, arrowPeak float64, fileBytes int64) {
	b.ReportMetric(float64(benchRows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
	b.ReportMetric(peak, "peak-heap-MB")
	if arrowPeak >= 0 {
		b.ReportMetric(arrowPeak, "peak-arrow-MB")
	}
	b.ReportMetric(float64(fileBytes)/1e6, "file-MB")
}

func benchWrite(b *testing.B, name string, opts WriteOptions) {
	recs, size := benchRecords(b)
	dir := b.TempDir()
	b.SetBytes(size)
	b.ReportAllocs()
	b.ResetTimer()
	var peak float64
	var fileBytes int64
	counter := &countingAllocator{Allocator: memory.NewGoAllocator()}
	opts.Mem = counter
	for i := 0; i < b.N; i++ {
		path := filepath.Join(dir, name)
		opts.Overwrite = true
		ph := startPeakHeap()
		w, err := Create(context.Background(), path, opts)
		if err != nil {
			b.Fatal(err)
		}
		for _, r := range recs {
			if err := w.Write(r); err != nil {
				b.Fatal(err)
			}
		}
		if err := w.Close(); err != nil {
			b.Fatal(err)
		}
		peak = max(peak, ph.end())
		fi, _ := os.Stat(path)
		fileBytes = fi.Size()
	}
	b.StopTimer()
	reportWrite(b, peak, float64(counter.peak.Load())/1e6, fileBytes)
}

func BenchmarkWriteParquetZstd(b *testing.B) {
	benchWrite(b, "x.parquet", WriteOptions{Compression: "zstd"})
}

// Row groups of 128Ki rows: the writer's memory follows the row group,
// not the number of rows in the file.
func BenchmarkWriteParquetZstdRowGroup128k(b *testing.B) {
	benchWrite(b, "x.parquet", WriteOptions{Compression: "zstd", RowGroupRows: 1 << 17})
}
func BenchmarkWriteParquetSnappy(b *testing.B) {
	benchWrite(b, "x.parquet", WriteOptions{Compression: "snappy"})
}
func BenchmarkWriteParquetLZ4(b *testing.B) {
	benchWrite(b, "x.parquet", WriteOptions{Compression: "lz4"})
}
func BenchmarkWriteIPC(b *testing.B)    { benchWrite(b, "x.arrow", WriteOptions{}) }
func BenchmarkWriteIPCLZ4(b *testing.B) { benchWrite(b, "x.arrow", WriteOptions{Compression: "lz4"}) }

// xRow is the schema as xitongsys/parquet-go's struct tags spell it.
type xRow struct {
	IncidentID          string   `parquet:"name=incident_id, type=BYTE_ARRAY, convertedtype=UTF8"`
	SourceDataset       string   `parquet:"name=source_dataset, type=BYTE_ARRAY, convertedtype=UTF8, encoding=PLAIN_DICTIONARY"`
	SourceID            *string  `parquet:"name=source_id, type=BYTE_ARRAY, convertedtype=UTF8, repetitiontype=OPTIONAL"`
	DateStart           int32    `parquet:"name=date_start, type=INT32, convertedtype=DATE"`
	DateEnd             int32    `parquet:"name=date_end, type=INT32, convertedtype=DATE"`
	DatePrecision       string   `parquet:"name=date_precision, type=BYTE_ARRAY, convertedtype=UTF8, encoding=PLAIN_DICTIONARY"`
	TimeUTC             *int64   `parquet:"name=time_utc, type=INT64, logicaltype=TIMESTAMP, logicaltype.isadjustedtoutc=true, logicaltype.unit=MILLIS, repetitiontype=OPTIONAL"`
	Year                int32    `parquet:"name=year, type=INT32, convertedtype=INT_16"`
	CountryISO3         string   `parquet:"name=country_iso3, type=BYTE_ARRAY, convertedtype=UTF8, encoding=PLAIN_DICTIONARY"`
	Country             string   `parquet:"name=country, type=BYTE_ARRAY, convertedtype=UTF8, encoding=PLAIN_DICTIONARY"`
	Admin1              *string  `parquet:"name=admin1, type=BYTE_ARRAY, convertedtype=UTF8, repetitiontype=OPTIONAL"`
	Admin2              *string  `parquet:"name=admin2, type=BYTE_ARRAY, convertedtype=UTF8, repetitiontype=OPTIONAL"`
	Location            *string  `parquet:"name=location, type=BYTE_ARRAY, convertedtype=UTF8, repetitiontype=OPTIONAL"`
	Latitude            *float64 `parquet:"name=latitude, type=DOUBLE, repetitiontype=OPTIONAL"`
	Longitude           *float64 `parquet:"name=longitude, type=DOUBLE, repetitiontype=OPTIONAL"`
	GeoPrecision        string   `parquet:"name=geo_precision, type=BYTE_ARRAY, convertedtype=UTF8, encoding=PLAIN_DICTIONARY"`
	EventType           string   `parquet:"name=event_type, type=BYTE_ARRAY, convertedtype=UTF8, encoding=PLAIN_DICTIONARY"`
	SubEventType        *string  `parquet:"name=sub_event_type, type=BYTE_ARRAY, convertedtype=UTF8, repetitiontype=OPTIONAL, encoding=PLAIN_DICTIONARY"`
	SourceEventType     *string  `parquet:"name=source_event_type, type=BYTE_ARRAY, convertedtype=UTF8, repetitiontype=OPTIONAL"`
	ViolenceType        *string  `parquet:"name=violence_type, type=BYTE_ARRAY, convertedtype=UTF8, repetitiontype=OPTIONAL, encoding=PLAIN_DICTIONARY"`
	Actor1              *string  `parquet:"name=actor1, type=BYTE_ARRAY, convertedtype=UTF8, repetitiontype=OPTIONAL"`
	Actor2              *string  `parquet:"name=actor2, type=BYTE_ARRAY, convertedtype=UTF8, repetitiontype=OPTIONAL"`
	AssocActors         []string `parquet:"name=assoc_actors, type=LIST, valuetype=BYTE_ARRAY, valueconvertedtype=UTF8"`
	ClaimedBy           *string  `parquet:"name=claimed_by, type=BYTE_ARRAY, convertedtype=UTF8, repetitiontype=OPTIONAL"`
	FatalitiesBest      *int32   `parquet:"name=fatalities_best, type=INT32, repetitiontype=OPTIONAL"`
	FatalitiesLow       *int32   `parquet:"name=fatalities_low, type=INT32, repetitiontype=OPTIONAL"`
	FatalitiesHigh      *int32   `parquet:"name=fatalities_high, type=INT32, repetitiontype=OPTIONAL"`
	FatalitiesActor1    *int32   `parquet:"name=fatalities_actor1, type=INT32, repetitiontype=OPTIONAL"`
	FatalitiesActor2    *int32   `parquet:"name=fatalities_actor2, type=INT32, repetitiontype=OPTIONAL"`
	FatalitiesCivilians *int32   `parquet:"name=fatalities_civilians, type=INT32, repetitiontype=OPTIONAL"`
	FatalitiesUnknown   *int32   `parquet:"name=fatalities_unknown, type=INT32, repetitiontype=OPTIONAL"`
	InjuredBest         *int32   `parquet:"name=injured_best, type=INT32, repetitiontype=OPTIONAL"`
	InjuredLow          *int32   `parquet:"name=injured_low, type=INT32, repetitiontype=OPTIONAL"`
	InjuredHigh         *int32   `parquet:"name=injured_high, type=INT32, repetitiontype=OPTIONAL"`
	DetainedBest        *int32   `parquet:"name=detained_best, type=INT32, repetitiontype=OPTIONAL"`
	DetainedLow         *int32   `parquet:"name=detained_low, type=INT32, repetitiontype=OPTIONAL"`
	DetainedHigh        *int32   `parquet:"name=detained_high, type=INT32, repetitiontype=OPTIONAL"`
	Sources             []string `parquet:"name=sources, type=LIST, valuetype=BYTE_ARRAY, valueconvertedtype=UTF8"`
	SourceCount         int32    `parquet:"name=source_count, type=INT32, convertedtype=INT_16"`
	Notes               *string  `parquet:"name=notes, type=BYTE_ARRAY, convertedtype=UTF8, repetitiontype=OPTIONAL"`
}

func sp(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func ip(n schema.NullInt32) *int32 {
	if !n.Valid {
		return nil
	}
	return &n.Value
}

func fp(f schema.NullFloat64) *float64 {
	if !f.Valid {
		return nil
	}
	return &f.Value
}

func toXRow(in *schema.Incident) xRow {
	r := xRow{
		IncidentID: in.IncidentID, SourceDataset: in.SourceDataset, SourceID: sp(in.SourceID),
		DateStart: int32(in.DateStart), DateEnd: int32(in.DateEnd), DatePrecision: in.DatePrecision.String(),
		Year: int32(in.Year()), CountryISO3: in.CountryISO3, Country: in.Country,
		Admin1: sp(in.Admin1), Admin2: sp(in.Admin2), Location: sp(in.Location),
		Latitude: fp(in.Latitude), Longitude: fp(in.Longitude),
		GeoPrecision: in.GeoPrecision.String(), EventType: in.EventType.String(),
		SubEventType: sp(in.SubEventType), SourceEventType: sp(in.SourceEvent), ViolenceType: sp(in.ViolenceType.String()),
		Actor1: sp(in.Actor1), Actor2: sp(in.Actor2), AssocActors: in.AssocActors, ClaimedBy: sp(in.ClaimedBy),
		FatalitiesBest: ip(in.Fatalities.Best), FatalitiesLow: ip(in.Fatalities.Low), FatalitiesHigh: ip(in.Fatalities.High),
		FatalitiesActor1: ip(in.FatalitiesActor1), FatalitiesActor2: ip(in.FatalitiesActor2),
		FatalitiesCivilians: ip(in.FatalitiesCivilians), FatalitiesUnknown: ip(in.FatalitiesUnknown),
		InjuredBest: ip(in.Injured.Best), InjuredLow: ip(in.Injured.Low), InjuredHigh: ip(in.Injured.High),
		DetainedBest: ip(in.Detained.Best), DetainedLow: ip(in.Detained.Low), DetainedHigh: ip(in.Detained.High),
		Sources: in.Sources, SourceCount: int32(in.SourceCount), Notes: sp(in.Notes),
	}
	if !in.TimeUTC.IsZero() {
		ms := in.TimeUTC.UnixMilli()
		r.TimeUTC = &ms
	}
	return r
}

func benchXitongsys(b *testing.B, codec xparquet.CompressionCodec) {
	recs, size := benchRecords(b)
	dir := b.TempDir()
	b.SetBytes(size)
	b.ReportAllocs()
	b.ResetTimer()
	var peak float64
	var fileBytes int64
	var rows []schema.Incident
	for i := 0; i < b.N; i++ {
		path := filepath.Join(dir, "x.parquet")
		ph := startPeakHeap()
		fw, err := xsource.NewLocalFileWriter(path)
		if err != nil {
			b.Fatal(err)
		}
		pw, err := xwriter.NewParquetWriter(fw, new(xRow), 1)
		if err != nil {
			b.Fatal(err)
		}
		pw.CompressionType = codec
		pw.RowGroupSize = DefaultRowGroupBytes
		// The input is the same Arrow records: decode each row (as a
		// caller holding our records must) and hand xitongsys the struct.
		for _, r := range recs {
			if rows, err = schema.AppendIncidents(rows[:0], r); err != nil {
				b.Fatal(err)
			}
			for k := range rows {
				if err := pw.Write(toXRow(&rows[k])); err != nil {
					b.Fatal(err)
				}
			}
		}
		if err := pw.WriteStop(); err != nil {
			b.Fatal(err)
		}
		fw.Close()
		peak = max(peak, ph.end())
		fi, _ := os.Stat(path)
		fileBytes = fi.Size()
	}
	b.StopTimer()
	reportWrite(b, peak, -1, fileBytes)
}

// BenchmarkWriteXitongsys writes the same million rows with
// xitongsys/parquet-go, for the side-by-side with pqarrow.
func BenchmarkWriteXitongsys(b *testing.B) {
	b.Run("zstd", func(b *testing.B) { benchXitongsys(b, xparquet.CompressionCodec_ZSTD) })
	b.Run("snappy", func(b *testing.B) { benchXitongsys(b, xparquet.CompressionCodec_SNAPPY) })
}

func BenchmarkReadParquet(b *testing.B) {
	recs, size := benchRecords(b)
	path := filepath.Join(b.TempDir(), "x.parquet")
	writeAll(b, path, WriteOptions{}, recs...)
	b.SetBytes(size)
	b.ReportAllocs()
	b.ResetTimer()
	var peak float64
	for i := 0; i < b.N; i++ {
		ph := startPeakHeap()
		rr, err := Open(context.Background(), path, ReadOptions{Mem: memory.DefaultAllocator})
		if err != nil {
			b.Fatal(err)
		}
		n := int64(0)
		for rr.Next() {
			n += rr.Record().NumRows()
		}
		if err := rr.Err(); err != nil {
			b.Fatal(err)
		}
		rr.Release()
		peak = max(peak, ph.end())
		if n != benchRows {
			b.Fatalf("read %d rows", n)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(benchRows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
	b.ReportMetric(peak, "peak-heap-MB")
}

// The live heap the Parquet writer holds between records (after a GC, just
// before the last row group is flushed): its row group's pages, column
// writers' buffers and dictionaries, not the records it was given.
func BenchmarkWriteParquetHeld(b *testing.B) {
	recs, size := benchRecords(b)
	dir := b.TempDir()
	b.SetBytes(size)
	b.ReportAllocs()
	var held float64
	for i := 0; i < b.N; i++ {
		runtime.GC()
		base := heapBytes()
		w, err := Create(context.Background(), filepath.Join(dir, "x.parquet"), WriteOptions{Overwrite: true})
		if err != nil {
			b.Fatal(err)
		}
		for _, r := range recs {
			if err := w.Write(r); err != nil {
				b.Fatal(err)
			}
		}
		runtime.GC()
		held = max(held, float64(heapBytes())-float64(base))
		if err := w.Close(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(held/1e6, "held-heap-MB")
}
