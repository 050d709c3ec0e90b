package serve

import (
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
)

// BenchmarkEndpoints is the cost of one request of each kind of the load
// test's mix, computed every time (no reply cache), over 200,000 synthetic
// incidents, one request at a time:
//
//	go test ./serve -run '^$' -bench '^BenchmarkEndpoints$' -benchtime 10x
func BenchmarkEndpoints(b *testing.B) {
	path := filepath.Join(b.TempDir(), "synthetic.parquet")
	writeSynthetic(b, path, loadRows, 1)
	s, err := New(Options{Datasets: []string{path}, CacheBytes: -1})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	h := s.Handler()
	for _, target := range loadTargets()[:7] {
		name := strings.TrimPrefix(target, "/api/")
		if i := strings.IndexAny(name, "&"); i > 0 && len(name) > 40 {
			name = name[:i]
		}
		b.Run(name, func(b *testing.B) {
			var bytes int64
			for i := 0; i < b.N; i++ {
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, httptest.NewRequest("GET", target, nil))
				if rec.Code != 200 {
					b.Fatalf("%s: %d %s", target, rec.Code, rec.Body)
				}
				bytes = int64(rec.Body.Len())
			}
			b.SetBytes(bytes)
			b.ReportAllocs()
		})
	}
}
