package serve

import (
	"context"
	"flag"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

var loadFlag = flag.Bool("load", false, "run BenchmarkLoad (minutes; make bench runs it through bench/serveload.py)")

// Load test figures: 2,000 requests, 50 at a time.
const (
	loadRequests    = 2000
	loadConcurrency = 50
	loadRows        = 200_000
)

// loadTargets is the mix of a dashboard in use: for each country of the
// synthetic data (and none), the requests the page makes when a filter
// changes, a page of rows, the schema, the health check.
func loadTargets() []string {
	var out []string
	for _, c := range []string{"", "SYR", "YEM", "TJK", "NGA", "COL", "MMR"} {
		w := ""
		if c != "" {
			w = "&where=country_iso3%3D" + c
		}
		out = append(out,
			"/api/stats?stats=events,fatalities_best_sum,fatalities_low_sum,fatalities_high_sum"+w,
			"/api/stats?by=country_iso3,country&top=15&stats=events,fatalities_best_sum"+w,
			"/api/stats?by=event_type&stats=events,fatalities_best_sum"+w,
			"/api/series?period=month"+w,
			"/api/series?by=country_iso3&period=year&format=csv"+w,
			"/api/incidents?columns=incident_id,date_start,country,latitude,longitude,fatalities_best,event_type&limit=1000"+w,
			"/api/incidents?limit=100&offset=5000"+w,
		)
	}
	return append(out, "/api/schema", "/healthz", "/")
}

// rss is the process's resident set in bytes (Linux), 0 elsewhere.
func rss() int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, "VmRSS:") {
			f := strings.Fields(line)
			if len(f) >= 2 {
				kb, _ := strconv.ParseInt(f[1], 10, 64)
				return kb << 10
			}
		}
	}
	return 0
}

func heapInuse() uint64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapInuse
}

// BenchmarkLoad serves 200,000 synthetic incidents (or the Parquet file or
// dataset named by $INCIDENTS_LOAD_DATASET) on a loopback port and sends
// 2,000 requests of a dashboard's mix, 50 at a time, every third one a
// revalidation with the ETag of an earlier reply; it stops by itself. It
// reports the latency's median and 99th percentile, the requests per
// second, the 304s and 503s, and the Go heap in use (after a collection)
// and resident set after the first 1,000 requests and after all 2,000,
// and fails when the heap grew by more than half between them (memory
// must stay flat under a steady load). It runs twice: with the reply cache
// (the default) and with none, every request computed.
//
//	go test ./serve -run '^$' -bench '^BenchmarkLoad$' -benchtime 1x -load
func BenchmarkLoad(b *testing.B) {
	if !*loadFlag {
		b.Skip("the load test runs with -load (go test ./serve -run '^$' -bench '^BenchmarkLoad$' -benchtime 1x -load)")
	}
	path := os.Getenv("INCIDENTS_LOAD_DATASET")
	if path == "" {
		path = filepath.Join(b.TempDir(), "synthetic.parquet")
		writeSynthetic(b, path, loadRows, 1)
	}
	// with the reply cache (the default), and computing every request
	b.Run("cached", func(b *testing.B) { loadTest(b, path, 0) })
	b.Run("uncached", func(b *testing.B) { loadTest(b, path, -1) })
}

func loadTest(b *testing.B, path string, cacheBytes int) {
	s, err := New(Options{Datasets: []string{path}, CacheBytes: cacheBytes})
	if err != nil {
		b.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- s.Serve(ctx, ln) }()
	defer func() {
		cancel()
		if err := <-served; err != nil {
			b.Error(err)
		}
	}()
	base := "http://" + ln.Addr().String()
	client := &http.Client{Timeout: 5 * time.Minute,
		Transport: &http.Transport{MaxIdleConnsPerHost: loadConcurrency, DisableCompression: true}}
	targets := loadTargets()

	var etags sync.Map // target -> ETag of its last 200
	one := func(i int) (time.Duration, int, error) {
		target := targets[i%len(targets)]
		req, err := http.NewRequest("GET", base+target, nil)
		if err != nil {
			return 0, 0, err
		}
		if tag, ok := etags.Load(target); ok && i%3 == 0 {
			req.Header.Set("If-None-Match", tag.(string))
		}
		start := time.Now()
		res, err := client.Do(req)
		if err != nil {
			return 0, 0, err
		}
		_, err = io.Copy(io.Discard, res.Body)
		res.Body.Close()
		d := time.Since(start)
		if res.StatusCode == 200 {
			etags.Store(target, res.Header.Get("ETag"))
		}
		return d, res.StatusCode, err
	}
	// run sends requests from..to-1, concurrency at a time
	run := func(from, to int) ([]time.Duration, map[int]int, error) {
		lat := make([]time.Duration, to-from)
		codes := make([][]int, loadConcurrency)
		var next atomic.Int64
		next.Store(int64(from))
		var wg sync.WaitGroup
		var firstErr atomic.Value
		for w := 0; w < loadConcurrency; w++ {
			wg.Add(1)
			go func(w int) {
				defer wg.Done()
				for {
					i := int(next.Add(1) - 1)
					if i >= to {
						return
					}
					d, code, err := one(i)
					if err != nil {
						firstErr.CompareAndSwap(nil, err)
						return
					}
					lat[i-from] = d
					codes[w] = append(codes[w], code)
				}
			}(w)
		}
		wg.Wait()
		counts := map[int]int{}
		for _, cs := range codes {
			for _, c := range cs {
				counts[c]++
			}
		}
		if err, _ := firstErr.Load().(error); err != nil {
			return nil, counts, err
		}
		return lat, counts, nil
	}

	b.ResetTimer()
	for n := 0; n < b.N; n++ {
		start := time.Now()
		lat1, codes1, err := run(0, loadRequests/2)
		if err != nil {
			b.Fatal(err)
		}
		heap1, rss1 := heapInuse(), rss()
		lat2, codes2, err := run(loadRequests/2, loadRequests)
		if err != nil {
			b.Fatal(err)
		}
		elapsed := time.Since(start)
		heap2, rss2 := heapInuse(), rss()
		lat := append(lat1, lat2...)
		slices.Sort(lat)
		codes := map[int]int{}
		for _, m := range []map[int]int{codes1, codes2} {
			for c, k := range m {
				codes[c] += k
			}
		}
		if bad := loadRequests - codes[200] - codes[304]; bad > 0 {
			b.Errorf("%d of %d requests failed: %v", bad, loadRequests, codes)
		}
		if float64(heap2) > 1.5*float64(heap1)+16<<20 {
			b.Errorf("the heap in use grew from %.1f MB to %.1f MB between the first and the last 1,000 requests", float64(heap1)/1e6, float64(heap2)/1e6)
		}
		pct := func(p float64) float64 { return float64(lat[int(p*float64(len(lat)-1))].Microseconds()) / 1000 }
		b.ReportMetric(pct(0.5), "p50-ms")
		b.ReportMetric(pct(0.99), "p99-ms")
		b.ReportMetric(float64(lat[len(lat)-1].Microseconds())/1000, "max-ms")
		b.ReportMetric(float64(loadRequests)/elapsed.Seconds(), "req/s")
		b.ReportMetric(float64(codes[304]), "304s")
		b.ReportMetric(float64(codes[503]), "503s")
		b.ReportMetric(float64(heap1)/1e6, "heap-MB-at-1000")
		b.ReportMetric(float64(heap2)/1e6, "heap-MB-at-2000")
		b.ReportMetric(float64(rss1)/1e6, "rss-MB-at-1000")
		b.ReportMetric(float64(rss2)/1e6, "rss-MB-at-2000")
		b.Logf("%d requests, %d at a time, in %s: %v; p50 %.1f ms, p99 %.1f ms; heap in use %.1f -> %.1f MB, RSS %.0f -> %.0f MB",
			loadRequests, loadConcurrency, elapsed.Round(time.Millisecond), codes, pct(0.5), pct(0.99),
			float64(heap1)/1e6, float64(heap2)/1e6, float64(rss1)/1e6, float64(rss2)/1e6)
	}
	b.StopTimer()
}
