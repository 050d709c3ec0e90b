package serve_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"

	"github.com/incidentkit/incidents/export"
	"github.com/incidentkit/incidents/serve"
)

// Serve the nine incidents of stats' fixture (normalized JSON Lines,
// exported to Parquet) and ask for the statistics per country.
func Example() {
	dir, _ := os.MkdirTemp("", "serve-example")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "events.parquet")
	ctx := context.Background()
	rr, _ := export.Open(ctx, "../testdata/stats/events.jsonl", export.ReadOptions{})
	w, _ := export.Create(ctx, path, export.WriteOptions{})
	for rr.Next() {
		w.Write(rr.Record())
	}
	rr.Release()
	w.Close()

	s, err := serve.New(serve.Options{Datasets: []string{path}})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer s.Close()
	ts := httptest.NewServer(s.Handler()) // or s.Serve(ctx, listener)
	defer ts.Close()
	for _, q := range []string{"by=country_iso3&stats=events,fatalities_best_sum", "limit=20000"} {
		res, _ := http.Get(ts.URL + "/api/stats?" + q)
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		fmt.Print(res.StatusCode, " ", string(body))
	}
	// Output:
	// 200 [
	//   {"country_iso3": "KGZ", "events": 2, "fatalities_best_sum": 118},
	//   {"country_iso3": "TJK", "events": 4, "fatalities_best_sum": 53},
	//   {"country_iso3": "UZB", "events": 3, "fatalities_best_sum": 23}
	// ]
	// 400 {"status":"error","errorType":"bad_data","error":"limit: unknown parameter (this endpoint takes by, period, where, top, series, tail, bootstrap, seed, stats, format)"}
}
