package serve

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/memory"

	"github.com/incidentkit/incidents/export"
	"github.com/incidentkit/incidents/stats"
)

// writeDataset writes the rows of a normalized JSON Lines file to path
// (Parquet, Arrow or a partitioned folder by its options) through export.
func writeDataset(t testing.TB, src, path string, wo export.WriteOptions) {
	t.Helper()
	ctx := context.Background()
	rr, err := export.Open(ctx, src, export.ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer rr.Release()
	wo.Overwrite = true
	w, err := export.Create(ctx, path, wo)
	if err != nil {
		t.Fatal(err)
	}
	for rr.Next() {
		if err := w.Write(rr.Record()); err != nil {
			t.Fatal(err)
		}
	}
	if err := rr.Err(); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
}

const nineEvents = "../testdata/stats/events.jsonl" // stats' nine incidents (README's examples)

// testServer serves the nine incidents as Parquet with a checked allocator
// that must be empty when the test ends.
func testServer(t *testing.T, mod func(*Options)) (*httptest.Server, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "events.parquet")
	writeDataset(t, nineEvents, path, export.WriteOptions{})
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	t.Cleanup(func() { mem.AssertSize(t, 0) })
	opts := Options{Datasets: []string{path}, Mem: mem}
	if mod != nil {
		mod(&opts)
	}
	s, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(s.Handler())
	t.Cleanup(func() { ts.Close(); s.Close() }) // before the allocator's check
	return ts, path
}

// plainTransport neither asks for gzip nor decodes it, so that tests see
// what the server sends.
var plainTransport = &http.Transport{DisableCompression: true}

type response struct {
	status int
	header http.Header
	body   []byte
}

func get(t testing.TB, base, target string, header ...string) response {
	t.Helper()
	req, err := http.NewRequest("GET", base+target, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	res, err := plainTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return response{res.StatusCode, res.Header, b}
}

// statsJSON is what `incidents stats --format json` writes for opts: the
// stats package over the same file, written by Result.WriteJSON.
func statsJSON(t *testing.T, path string, opts stats.Options, names []string) string {
	t.Helper()
	acc, err := stats.NewAccumulator(opts)
	if err != nil {
		t.Fatal(err)
	}
	rr, err := export.Open(context.Background(), path, export.ReadOptions{Columns: stats.Columns(opts)})
	if err != nil {
		t.Fatal(err)
	}
	defer rr.Release()
	for rr.Next() {
		if err := acc.Add(rr.Record()); err != nil {
			t.Fatal(err)
		}
	}
	res, err := acc.Result()
	if err != nil {
		t.Fatal(err)
	}
	if names != nil {
		if res, err = res.Select(names); err != nil {
			t.Fatal(err)
		}
	}
	var b bytes.Buffer
	if err := res.WriteJSON(&b); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func mustFilters(t *testing.T, ws ...string) []stats.Filter {
	var out []stats.Filter
	for _, w := range ws {
		f, err := stats.ParseFilter(w)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, f)
	}
	return out
}

func TestStatsEndpoint(t *testing.T) {
	ts, path := testServer(t, nil)
	cases := []struct {
		query string
		opts  stats.Options
		names []string
	}{
		{"", stats.Options{}, nil},
		{"by=country_iso3", stats.Options{By: []string{"country_iso3"}}, nil},
		{"by=country_iso3,year&period=year", stats.Options{By: []string{"country_iso3", "year"}, Period: "year"}, nil},
		{"by=country_iso3&period=month&series=true", stats.Options{By: []string{"country_iso3"}, Period: "month", Series: true}, nil},
		{"by=actor1&top=2&where=country_iso3%3DTJK,UZB", stats.Options{By: []string{"actor1"}, Top: 2, Where: mustFilters(t, "country_iso3=TJK,UZB")}, nil},
		{"by=year&where=year%3E%3D2020&where=fatalities_best%3E0&stats=events,injured_best_sum", stats.Options{By: []string{"year"}, Where: mustFilters(t, "year>=2020", "fatalities_best>0")}, []string{"events", "injured_best_sum"}},
		{"tail=true&bootstrap=50&seed=3", stats.Options{Tail: true, Bootstrap: 50, Seed: 3}, nil},
	}
	for _, c := range cases {
		t.Run(c.query, func(t *testing.T) {
			r := get(t, ts.URL, "/api/stats?"+c.query)
			if r.status != 200 {
				t.Fatalf("%d %s", r.status, r.body)
			}
			if ct := r.header.Get("Content-Type"); ct != "application/json" {
				t.Errorf("Content-Type %q", ct)
			}
			if c.opts.Seed == 0 {
				c.opts.Seed = 1
			}
			want := statsJSON(t, path, c.opts, c.names)
			if string(r.body) != want {
				t.Errorf("got\n%s\nwant\n%s", r.body, want)
			}
			var rows []map[string]any
			if err := json.Unmarshal(r.body, &rows); err != nil || len(rows) == 0 {
				t.Errorf("not a JSON array of objects: %v %s", err, r.body)
			}
		})
	}
}

func TestStatsFormats(t *testing.T) {
	ts, _ := testServer(t, nil)
	r := get(t, ts.URL, "/api/stats?by=country_iso3&format=csv")
	if r.status != 200 || !strings.HasPrefix(string(r.body), "country_iso3,events,events_share,") || strings.Count(string(r.body), "\n") != 4 {
		t.Errorf("csv: %d %q", r.status, r.body)
	}
	if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") {
		t.Errorf("csv Content-Type %q", ct)
	}
	for _, format := range []string{"arrow", "parquet"} {
		r := get(t, ts.URL, "/api/stats?by=country_iso3&stats=events,fatalities_best_sum&format="+format)
		if r.status != 200 {
			t.Fatalf("%s: %d %s", format, r.status, r.body)
		}
		rows := readBack(t, r.body, format, true)
		if got := fmt.Sprint(rows); got != "[[KGZ 2 118] [TJK 4 53] [UZB 3 23]]" {
			t.Errorf("%s: %s", format, got)
		}
	}
}

// readBack decodes an Arrow or Parquet body through export.Open and returns
// its rows as text.
func readBack(t *testing.T, body []byte, format string, anySchema bool) [][]string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "body."+format)
	if err := os.WriteFile(path, body, 0o644); err != nil {
		t.Fatal(err)
	}
	rr, err := export.Open(context.Background(), path, export.ReadOptions{AnySchema: anySchema})
	if err != nil {
		t.Fatal(err)
	}
	defer rr.Release()
	var rows [][]string
	for rr.Next() {
		rec := rr.Record()
		for i := 0; i < int(rec.NumRows()); i++ {
			var row []string
			for j := 0; j < int(rec.NumCols()); j++ {
				row = append(row, rec.Column(j).ValueStr(i))
			}
			rows = append(rows, row)
		}
	}
	if err := rr.Err(); err != nil {
		t.Fatal(err)
	}
	return rows
}

func TestSeriesEndpoint(t *testing.T) {
	ts, path := testServer(t, nil)
	r := get(t, ts.URL, "/api/series?by=country_iso3&period=year")
	if r.status != 200 {
		t.Fatalf("%d %s", r.status, r.body)
	}
	var rows []map[string]any
	if err := json.Unmarshal(r.body, &rows); err != nil {
		t.Fatal(err)
	}
	// the same counts as stats --series, each row with its time
	var series []map[string]any
	want := statsJSON(t, path, stats.Options{By: []string{"country_iso3"}, Period: "year", Series: true, Seed: 1}, nil)
	if err := json.Unmarshal([]byte(want), &series); err != nil {
		t.Fatal(err)
	}
	if len(rows) != len(series) {
		t.Fatalf("%d rows, stats --series has %d", len(rows), len(series))
	}
	var last time.Time
	seen := map[string]bool{}
	for _, row := range rows {
		tm, err := time.Parse(time.RFC3339, row["time"].(string))
		if err != nil {
			t.Fatalf("time %v: %v", row["time"], err)
		}
		if tm.Before(last) {
			t.Errorf("rows not in time order: %v after %v", tm, last)
		}
		last = tm
		if want := fmt.Sprintf("%04d-01-01T00:00:00Z", tm.Year()); row["time"] != want || row["period"] != fmt.Sprint(tm.Year()) {
			t.Errorf("time %v of period %v", row["time"], row["period"])
		}
		seen[fmt.Sprintf("%v %v %v %v", row["country_iso3"], row["period"], row["events"], row["fatalities_best_sum"])] = true
	}
	for _, s := range series {
		if k := fmt.Sprintf("%v %v %v %v", s["country_iso3"], s["period"], s["events"], s["fatalities_best_sum"]); !seen[k] {
			t.Errorf("stats --series row %s missing", k)
		}
	}
	// TJK 2018..2020 with 2020's zero present (README's example)
	if !seen["TJK 2020 1 0"] || !seen["TJK 2019 2 49"] {
		t.Errorf("TJK rows: %v", seen)
	}
	for _, p := range []string{"day", "week", "month", "quarter"} {
		r := get(t, ts.URL, "/api/series?period="+p)
		if r.status != 200 {
			t.Errorf("%s: %d %s", p, r.status, r.body)
		}
	}
	if r := get(t, ts.URL, "/api/series?period=year&format=csv"); r.status != 200 || !strings.HasPrefix(string(r.body), "time,period,events,") {
		t.Errorf("csv: %d %s", r.status, r.body)
	}
}

func TestPeriodStart(t *testing.T) {
	cases := []struct{ period, label, want string }{
		{"day", "2019-11-06", "2019-11-06"},
		{"week", "2019-W45", "2019-11-04"},
		{"week", "2020-W53", "2020-12-28"},
		{"week", "2021-W01", "2021-01-04"},
		{"month", "2019-11", "2019-11-01"},
		{"quarter", "2019-Q4", "2019-10-01"},
		{"year", "2019", "2019-01-01"},
	}
	for _, c := range cases {
		got, err := periodStart(c.period, c.label)
		if err != nil || got.Format("2006-01-02") != c.want {
			t.Errorf("%s %s: %v %v, want %s", c.period, c.label, got, err, c.want)
		}
	}
	if _, err := periodStart("week", "2019-W60"); err == nil {
		t.Error("2019-W60 read")
	}
}

func TestIncidentsEndpoint(t *testing.T) {
	ts, _ := testServer(t, nil)
	r := get(t, ts.URL, "/api/incidents")
	if r.status != 200 || r.header.Get("X-Incidents-Rows") != "9" || r.header.Get("Link") != "" {
		t.Fatalf("%d %v %s", r.status, r.header, r.body)
	}
	var all []map[string]any
	if err := json.Unmarshal(r.body, &all); err != nil || len(all) != 9 {
		t.Fatalf("%v: %s", err, r.body)
	}
	if len(all[0]) != 40 || all[0]["incident_id"] != "reports:tjk-1" || all[0]["date_start"] != "2019-11-06" {
		t.Errorf("first row: %v", all[0])
	}
	// pages of 2 with a filter join up to the filtered rows, in order
	var ids []string
	target := "/api/incidents?columns=incident_id,fatalities_best&where=fatalities_best%3E%3D4&limit=2"
	for pages := 0; target != ""; pages++ {
		if pages > 10 {
			t.Fatal("paging does not end")
		}
		r := get(t, ts.URL, target)
		if r.status != 200 {
			t.Fatalf("%s: %d %s", target, r.status, r.body)
		}
		var rows []map[string]any
		if err := json.Unmarshal(r.body, &rows); err != nil {
			t.Fatal(err)
		}
		for _, row := range rows {
			if len(row) != 2 || row["fatalities_best"].(float64) < 4 {
				t.Errorf("row %v", row)
			}
			ids = append(ids, row["incident_id"].(string))
		}
		target = ""
		if l := r.header.Get("Link"); l != "" {
			target = strings.TrimSuffix(strings.TrimPrefix(l, "<"), `>; rel="next"`)
		}
	}
	var want []string
	for _, row := range all {
		if f, ok := row["fatalities_best"].(float64); ok && f >= 4 {
			want = append(want, row["incident_id"].(string))
		}
	}
	if fmt.Sprint(ids) != fmt.Sprint(want) || len(want) < 5 {
		t.Errorf("paged ids %v, want %v", ids, want)
	}
	// offset past the end: an empty array
	if r := get(t, ts.URL, "/api/incidents?offset=100"); r.status != 200 || string(r.body) != "[]\n" {
		t.Errorf("offset 100: %d %q", r.status, r.body)
	}
	if r := get(t, ts.URL, "/api/incidents?limit=0"); r.status != 200 || string(r.body) != "[]\n" || r.header.Get("Link") == "" {
		t.Errorf("limit 0: %d %q %v", r.status, r.body, r.header)
	}
	// the formats carry the same rows
	for _, format := range []string{"arrow", "parquet"} {
		r := get(t, ts.URL, "/api/incidents?columns=incident_id,date_start,country_iso3,assoc_actors&where=country_iso3%3DKGZ&format="+format)
		if r.status != 200 {
			t.Fatalf("%s: %d %s", format, r.status, r.body)
		}
		rows := readBack(t, r.body, format, true)
		if len(rows) != 2 || rows[0][2] != "KGZ" || len(rows[0]) != 4 {
			t.Errorf("%s: %v", format, rows)
		}
	}
	r = get(t, ts.URL, "/api/incidents?columns=incident_id,assoc_actors,fatalities_best&limit=1&format=csv")
	if r.status != 200 || string(r.body) != "incident_id,assoc_actors,fatalities_best\nreports:tjk-1,[],17\n" {
		t.Errorf("csv: %d %q", r.status, r.body)
	}
}

func TestSchemaAndHealth(t *testing.T) {
	ts, path := testServer(t, nil)
	r := get(t, ts.URL, "/api/schema")
	var doc schemaDoc
	if r.status != 200 || json.Unmarshal(r.body, &doc) != nil {
		t.Fatalf("%d %s", r.status, r.body)
	}
	if len(doc.Columns) != 40 || doc.Columns[0].Name != "incident_id" || len(doc.EventTypes) != 7 || len(doc.Datasets) != 1 || doc.Datasets[0].Name != "events.parquet" {
		t.Errorf("schema: %+v", doc)
	}
	if bytes.Contains(r.body, []byte(filepath.Dir(path))) {
		t.Error("the schema shows the server's folders")
	}
	if r := get(t, ts.URL, "/healthz"); r.status != 200 || string(r.body) != "{\"status\":\"ok\"}\n" {
		t.Errorf("healthz: %d %s", r.status, r.body)
	}
	os.Rename(path, path+".moved")
	r = get(t, ts.URL, "/healthz")
	checkEnvelope(t, r, 503, "unavailable", "dataset events.parquet is gone")
	r = get(t, ts.URL, "/api/stats")
	checkEnvelope(t, r, 503, "unavailable", "dataset events.parquet is gone")
	os.Rename(path+".moved", path)
	if r := get(t, ts.URL, "/healthz"); r.status != 200 {
		t.Errorf("healthz after the file is back: %d %s", r.status, r.body)
	}
}

func checkEnvelope(t *testing.T, r response, status int, errorType, prefix string) {
	t.Helper()
	if r.status != status {
		t.Errorf("status %d, want %d: %s", r.status, status, r.body)
	}
	if ct := r.header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type %q", ct)
	}
	var env map[string]string
	if err := json.Unmarshal(r.body, &env); err != nil {
		t.Fatalf("not JSON: %s", r.body)
	}
	if env["status"] != "error" || env["errorType"] != errorType || !strings.HasPrefix(env["error"], prefix) || len(env) != 3 {
		t.Errorf("envelope %v, want errorType %s, error starting %q", env, errorType, prefix)
	}
}

func TestBadParameters(t *testing.T) {
	ts, _ := testServer(t, func(o *Options) { o.MaxRows = 50; o.MaxBootstrap = 100 })
	cases := []struct{ target, prefix string }{
		{"/api/stats?by=nope", `by: unknown column "nope"`},
		{"/api/stats?by=assoc_actors", "by: cannot group by assoc_actors"},
		{"/api/stats?by=year,year", `by: column "year" given twice`},
		{"/api/stats?period=fortnight", `period: "fortnight": want one of day, week`},
		{"/api/stats?period=year&period=month", "period: given 2 times"},
		{"/api/stats?where=year", "where: filter \"year\": want column, operator"},
		{"/api/stats?where=year%3Dlast", "where: filter \"year=last\": year is a number"},
		{"/api/stats?where=date_start%3E2019-13-01", "where: filter"},
		{"/api/stats?top=-1", "top: -1 is out of range"},
		{"/api/stats?top=ten", `top: "ten" is not a whole number`},
		{"/api/stats?series=maybe", `series: "maybe" is not true or false`},
		{"/api/stats?series=true", "series: counts per period need a period"},
		{"/api/stats?tail=1&bootstrap=101", "bootstrap: 101 is out of range: 0 to 100"},
		{"/api/stats?seed=-4", "seed: -4 is out of range"},
		{"/api/stats?stats=nope", "stats: "},
		{"/api/stats?format=xlsx", `format: "xlsx": want one of json, csv, arrow, parquet`},
		{"/api/stats?limit=3", "limit: unknown parameter (this endpoint takes by, period"},
		{"/api/incidents?limit=51", "limit: 51 is out of range: 0 to 50 (this server's cap on rows per response is 50"},
		{"/api/incidents?limit=1e12", `limit: "1e12" is not a whole number`},
		{"/api/incidents?limit=99999999999999999999", "limit: "},
		{"/api/incidents?offset=-1", "offset: -1 is out of range"},
		{"/api/incidents?offset=1000000000000", "offset: 1000000000000 is out of range"},
		{"/api/incidents?columns=incident_id,nope", `columns: unknown column "nope"`},
		{"/api/incidents?columns=year,year", `columns: column "year" given twice`},
		{"/api/incidents?by=year", "by: unknown parameter"},
		{"/api/series?tail=true", "tail: unknown parameter"},
		{"/api/series?period=", `period: "": want one of`},
		{"/api/schema?x=1", "x: unknown parameter"},
		{"/healthz?verbose=1", "verbose: unknown parameter"},
		{"/?page=2", "page: unknown parameter"},
		{"/api/stats?%zz", "invalid URL escape"},
		{"/api/series?period=day", "the result has 1511 rows, more than this server's cap of 50 rows per response"},
	}
	for _, c := range cases {
		r := get(t, ts.URL, c.target)
		checkEnvelope(t, r, 400, "bad_data", c.prefix)
	}
}

// TestHostileQueries: what a careless or malicious client can send is
// refused cheaply, and nothing names a file.
func TestHostileQueries(t *testing.T) {
	ts, path := testServer(t, nil)
	dir := filepath.Dir(path)
	deep := strings.Repeat("&where=year%3E0", MaxWhere+1)
	long := strings.Repeat("TJK,", MaxListValues) + "UZB"
	cases := []struct {
		target    string
		status    int
		errorType string
		prefix    string
	}{
		{"/api/stats?" + deep[1:], 400, "bad_data", "where: 33 filters: at most 32"},
		{"/api/incidents?where=country_iso3%3D" + long, 400, "bad_data", `where: 1025 values in "country_iso3": at most 1024`},
		{"/api/stats?by=" + strings.Repeat("year,", MaxListValues+1), 400, "bad_data", "by: 1025 values: at most 1024"},
		{"/api/stats?where=country_iso3%3D" + strings.Repeat("X", MaxQueryBytes), 414, "too_large", "query string of"},
		{"/api/incidents?limit=18446744073709551616", 400, "bad_data", "limit: "},
		{"/api/stats?path=" + url.QueryEscape(path), 400, "bad_data", "path: unknown parameter"},
		{"/api/stats?dataset=../../etc/passwd", 400, "bad_data", "dataset: unknown parameter"},
		{"/api/incidents?columns=../../etc/passwd", 400, "bad_data", `columns: unknown column "../../etc/passwd"`},
		{"/api/stats?by=" + url.QueryEscape("/etc/passwd"), 400, "bad_data", `by: unknown column "/etc/passwd"`},
		{"/api/stats?format=" + url.QueryEscape("../x.parquet"), 400, "bad_data", "format: "},
		{"/assets/..%2f..%2fserve.go", 404, "not_found", "no such page"},
		{"/assets/%2e%2e/page.go", 404, "not_found", "no such"},
		{"/assets/" + url.PathEscape(path), 404, "not_found", "no such page"},
		{"/assets/vendor%2f..%2f..%2fpage.go", 404, "not_found", "no such page"},
		{"/assets/page.go", 404, "not_found", "no such file"},
		{"/" + url.PathEscape(path), 404, "not_found", "no such page"},
		{"/api/stats/../../../../etc/passwd", 404, "not_found", "no such page"},
	}
	for _, c := range cases {
		r := get(t, ts.URL, c.target)
		checkEnvelope(t, r, c.status, c.errorType, c.prefix)
		if !strings.Contains(c.target, url.PathEscape(dir)) && !strings.Contains(c.target, url.QueryEscape(dir)) && bytes.Contains(r.body, []byte(dir)) {
			t.Errorf("%s: the reply shows the server's folder: %s", c.target, r.body)
		}
	}
	// methods that would change something
	for _, m := range []string{"POST", "PUT", "DELETE", "PATCH"} {
		req, _ := http.NewRequest(m, ts.URL+"/api/stats", strings.NewReader("x"))
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		checkEnvelope(t, response{res.StatusCode, res.Header, b}, 405, "bad_method", "method "+m)
		if res.Header.Get("Allow") != "GET, HEAD" {
			t.Errorf("%s: Allow %q", m, res.Header.Get("Allow"))
		}
	}
}

func TestConditionalAndReopen(t *testing.T) {
	ts, path := testServer(t, nil)
	r := get(t, ts.URL, "/api/stats?by=country_iso3")
	tag, lm := r.header.Get("ETag"), r.header.Get("Last-Modified")
	if r.status != 200 || !strings.HasPrefix(tag, `W/"`) || lm == "" {
		t.Fatalf("%d ETag %q Last-Modified %q", r.status, tag, lm)
	}
	if r2 := get(t, ts.URL, "/api/stats?by=country_iso3"); r2.header.Get("ETag") != tag {
		t.Errorf("the same query got ETag %q, then %q", tag, r2.header.Get("ETag"))
	}
	if r2 := get(t, ts.URL, "/api/stats?by=year"); r2.header.Get("ETag") == tag {
		t.Error("another query got the same ETag")
	}
	r = get(t, ts.URL, "/api/stats?by=country_iso3", "If-None-Match", tag)
	if r.status != 304 || len(r.body) != 0 {
		t.Errorf("If-None-Match: %d %q", r.status, r.body)
	}
	gz := strings.TrimSuffix(tag, `"`) + `-gzip"`
	if r := get(t, ts.URL, "/api/stats?by=country_iso3", "If-None-Match", `"other", `+gz); r.status != 304 {
		t.Errorf("If-None-Match with the gzip tag: %d", r.status)
	}
	if r := get(t, ts.URL, "/api/stats?by=country_iso3", "If-Modified-Since", lm); r.status != 304 {
		t.Errorf("If-Modified-Since: %d", r.status)
	}
	if r := get(t, ts.URL, "/api/stats?by=country_iso3", "If-Modified-Since", "Mon, 02 Jan 2006 15:04:05 GMT"); r.status != 200 {
		t.Errorf("If-Modified-Since 2006: %d", r.status)
	}

	// the file is replaced (as export does: a new file renamed into place)
	// by the three KGZ rows only: the next request reads it
	kgz := filepath.Join(t.TempDir(), "kgz.jsonl")
	src, _ := os.ReadFile(nineEvents)
	var keep []string
	for _, line := range strings.Split(strings.TrimSpace(string(src)), "\n") {
		if strings.Contains(line, `"country_iso3":"KGZ"`) {
			keep = append(keep, line)
		}
	}
	os.WriteFile(kgz, []byte(strings.Join(keep, "\n")+"\n"), 0o644)
	next := filepath.Join(filepath.Dir(path), "next.parquet")
	writeDataset(t, kgz, next, export.WriteOptions{})
	future := time.Now().Add(2 * time.Second)
	os.Chtimes(next, future, future)
	if err := os.Rename(next, path); err != nil {
		t.Fatal(err)
	}
	r = get(t, ts.URL, "/api/stats?by=country_iso3&stats=events", "If-None-Match", tag)
	if r.status != 200 || string(r.body) != "[\n  {\"country_iso3\": \"KGZ\", \"events\": 2}\n]\n" {
		t.Errorf("after the file changed: %d %s", r.status, r.body)
	}
	if r.header.Get("ETag") == tag {
		t.Error("the ETag did not change with the file")
	}
	if r := get(t, ts.URL, "/api/stats?by=country_iso3", "If-Modified-Since", lm); r.status != 200 {
		t.Errorf("If-Modified-Since the old time after the change: %d", r.status)
	}
}

func TestGzip(t *testing.T) {
	ts, _ := testServer(t, nil)
	plain := get(t, ts.URL, "/api/incidents")
	r := get(t, ts.URL, "/api/incidents", "Accept-Encoding", "gzip")
	if r.header.Get("Content-Encoding") != "gzip" || !strings.Contains(r.header.Get("Vary"), "Accept-Encoding") {
		t.Fatalf("headers %v", r.header)
	}
	zr, err := gzip.NewReader(bytes.NewReader(r.body))
	if err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(zr)
	if err != nil || !bytes.Equal(b, plain.body) {
		t.Errorf("gunzipped body differs: %v", err)
	}
	if len(r.body) >= len(plain.body) {
		t.Errorf("gzip %d bytes, plain %d", len(r.body), len(plain.body))
	}
	if r.header.Get("ETag") == plain.header.Get("ETag") {
		t.Error("the gzipped reply has the plain reply's ETag")
	}
	// Parquet is compressed already
	if r := get(t, ts.URL, "/api/incidents?format=parquet", "Accept-Encoding", "gzip"); r.header.Get("Content-Encoding") != "" {
		t.Errorf("parquet was gzipped")
	}
	// the page's scripts are
	if r := get(t, ts.URL, "/assets/vendor/plot.umd.min.js", "Accept-Encoding", "gzip"); r.header.Get("Content-Encoding") != "gzip" || r.status != 200 {
		t.Errorf("plot.umd.min.js: %d %v", r.status, r.header)
	}
}

func TestCORS(t *testing.T) {
	ts, _ := testServer(t, nil)
	r := get(t, ts.URL, "/api/stats", "Origin", "https://observablehq.com")
	if r.status != 200 || r.header.Get("Access-Control-Allow-Origin") != "" {
		t.Errorf("CORS is on by default: %v", r.header)
	}
	ts2, _ := testServer(t, func(o *Options) { o.CORSOrigin = "https://observablehq.com" })
	r = get(t, ts2.URL, "/api/stats", "Origin", "https://observablehq.com")
	if r.header.Get("Access-Control-Allow-Origin") != "https://observablehq.com" || !strings.Contains(strings.Join(r.header.Values("Vary"), ","), "Origin") {
		t.Errorf("allowed origin: %v", r.header)
	}
	if r := get(t, ts2.URL, "/api/stats", "Origin", "https://evil.example"); r.header.Get("Access-Control-Allow-Origin") != "" {
		t.Errorf("another origin allowed: %v", r.header)
	}
	ts3, _ := testServer(t, func(o *Options) { o.CORSOrigin = "https://*.static.observableusercontent.com" })
	for origin, ok := range map[string]bool{
		"https://jane.static.observableusercontent.com":      true,
		"http://jane.static.observableusercontent.com":       false,
		"https://static.observableusercontent.com":           false,
		"https://a.b.static.observableusercontent.com":       false,
		"https://evil.com/.static.observableusercontent.com": false,
		"https://jane.static.observableusercontent.com.evil": false,
	} {
		r := get(t, ts3.URL, "/api/stats", "Origin", origin)
		if got := r.header.Get("Access-Control-Allow-Origin"); (got == origin) != ok || (!ok && got != "") {
			t.Errorf("pattern: origin %s got %q", origin, got)
		}
	}
	req, _ := http.NewRequest("OPTIONS", ts2.URL+"/api/stats", nil)
	req.Header.Set("Origin", "https://observablehq.com")
	req.Header.Set("Access-Control-Request-Method", "GET")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 204 || res.Header.Get("Access-Control-Allow-Methods") != "GET, HEAD" {
		t.Errorf("preflight: %d %v", res.StatusCode, res.Header)
	}
}

func TestPageAndAssets(t *testing.T) {
	ts, _ := testServer(t, nil)
	r := get(t, ts.URL, "/")
	if r.status != 200 || !strings.HasPrefix(r.header.Get("Content-Type"), "text/html") || !bytes.Contains(r.body, []byte(`src="assets/app.js"`)) {
		t.Fatalf("page: %d %v", r.status, r.header)
	}
	if csp := r.header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'self'") {
		t.Errorf("CSP %q", csp)
	}
	// every script and stylesheet the page names is served from here
	for _, ref := range []string{"assets/app.css", "assets/vendor/d3.min.js", "assets/vendor/plot.umd.min.js", "assets/app.js"} {
		if !bytes.Contains(r.body, []byte(`"`+ref+`"`)) {
			t.Errorf("page does not load %s", ref)
		}
		a := get(t, ts.URL, "/"+ref)
		if a.status != 200 || len(a.body) < 100 || a.header.Get("ETag") == "" {
			t.Errorf("%s: %d, %d bytes", ref, a.status, len(a.body))
		}
		if c := get(t, ts.URL, "/"+ref, "If-None-Match", a.header.Get("ETag")); c.status != 304 {
			t.Errorf("%s If-None-Match: %d", ref, c.status)
		}
	}
	for _, ref := range []string{"http://", "https://", "//cdn"} {
		if bytes.Contains(r.body, []byte(`src="`+ref)) || bytes.Contains(r.body, []byte(`href="`+ref)) {
			t.Errorf("the page loads something from %s", ref)
		}
	}
	if r := get(t, ts.URL, "/assets/world/countries-110m.json"); r.status != 200 || !bytes.HasPrefix(r.body, []byte(`{"type":"Topology"`)) {
		t.Errorf("world outlines: %d %.40s", r.status, r.body)
	}
	if r := get(t, ts.URL, "/assets/vendor/SOURCES.md"); r.status != 200 || !bytes.Contains(r.body, []byte("@observablehq/plot")) {
		t.Errorf("SOURCES.md: %d", r.status)
	}
}

func TestTimeoutAndBusy(t *testing.T) {
	ts, _ := testServer(t, func(o *Options) { o.Timeout = time.Nanosecond })
	checkEnvelope(t, get(t, ts.URL, "/api/stats?by=country_iso3"), 503, "timeout", "the request ran past the server's limit of 1ns")

	s := &Server{opts: Options{MaxQueue: 1}, slots: make(chan struct{}, 1)}
	release, err := s.acquire(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	// one more may wait (until its context ends) ...
	ctx, cancel := context.WithCancel(context.Background())
	waited := make(chan error)
	go func() { _, err := s.acquire(ctx); waited <- err }()
	for s.waiting.Load() != 1 {
		time.Sleep(time.Millisecond)
	}
	// ... a third is refused at once
	_, err = s.acquire(context.Background())
	var e *Error
	if !errors.As(err, &e) || e.Type != ErrUnavailable || e.Status() != 503 {
		t.Errorf("third request: %v", err)
	}
	cancel()
	if err := <-waited; !errors.Is(err, context.Canceled) {
		t.Errorf("waiting request: %v", err)
	}
	release()
	if r, err := s.acquire(context.Background()); err != nil {
		t.Errorf("after release: %v", err)
	} else {
		r()
	}
}

func TestNewRefuses(t *testing.T) {
	dir := t.TempDir()
	raw := filepath.Join(dir, "acled.csv")
	os.WriteFile(raw, []byte("event_id_cnty,event_date\nX1,2019-01-01\n"), 0o644)
	jsonl := filepath.Join(dir, "events.jsonl")
	b, _ := os.ReadFile(nineEvents)
	os.WriteFile(jsonl, b, 0o644)
	empty := filepath.Join(dir, "empty")
	os.Mkdir(empty, 0o755)
	pq := filepath.Join(dir, "e.parquet")
	writeDataset(t, nineEvents, pq, export.WriteOptions{})
	cases := []struct {
		paths []string
		want  string
	}{
		{nil, "serve: no dataset to serve"},
		{[]string{filepath.Join(dir, "missing.parquet")}, "no such file"},
		{[]string{raw}, "not a Parquet or Arrow file of incidents (incidents normalize"},
		{[]string{jsonl}, "serve reads Parquet and Arrow files and datasets, not jsonl"},
		{[]string{empty}, "a folder without Parquet or Arrow files"},
		{[]string{pq, pq}, "given twice"},
	}
	for _, c := range cases {
		_, err := New(Options{Datasets: c.paths})
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: %v, want %q", c.paths, err, c.want)
		}
	}
}

// TestDatasetsTogether: a Hive dataset folder and an Arrow file are read
// together, as incidents stats reads several inputs.
func TestDatasetsTogether(t *testing.T) {
	dir := t.TempDir()
	hive := filepath.Join(dir, "by_country")
	writeDataset(t, nineEvents, hive, export.WriteOptions{PartitionBy: []string{"country_iso3"}})
	arrowFile := filepath.Join(dir, "events.arrow")
	writeDataset(t, nineEvents, arrowFile, export.WriteOptions{})
	s, err := New(Options{Datasets: []string{hive, arrowFile}})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(s.Handler())
	defer ts.Close()
	r := get(t, ts.URL, "/api/stats?by=country_iso3&stats=events,fatalities_best_sum")
	want := "[\n  {\"country_iso3\": \"KGZ\", \"events\": 4, \"fatalities_best_sum\": 236},\n  {\"country_iso3\": \"TJK\", \"events\": 8, \"fatalities_best_sum\": 106},\n  {\"country_iso3\": \"UZB\", \"events\": 6, \"fatalities_best_sum\": 46}\n]\n"
	if r.status != 200 || string(r.body) != want {
		t.Errorf("%d\n%s", r.status, r.body)
	}
	r = get(t, ts.URL, "/api/incidents?columns=incident_id,country_iso3&where=country_iso3%3DUZB")
	var rows []map[string]string
	if json.Unmarshal(r.body, &rows); len(rows) != 6 || rows[0]["country_iso3"] != "UZB" {
		t.Errorf("rows %v", rows)
	}
	// a partition removed, then put back, while serving: each request reads
	// the folder as it is
	kgz, gone := filepath.Join(hive, "country_iso3=KGZ"), filepath.Join(dir, "gone")
	if err := os.Rename(kgz, gone); err != nil {
		t.Fatal(err)
	}
	r = get(t, ts.URL, "/api/stats?by=country_iso3&stats=events")
	if !strings.Contains(string(r.body), `"KGZ", "events": 2}`) || !strings.Contains(string(r.body), `"TJK", "events": 8}`) {
		t.Errorf("after removing a partition: %s", r.body)
	}
	if err := os.Rename(gone, kgz); err != nil {
		t.Fatal(err)
	}
	r = get(t, ts.URL, "/api/stats?by=country_iso3&stats=events")
	if !strings.Contains(string(r.body), `"KGZ", "events": 4}`) {
		t.Errorf("after putting the partition back: %s", r.body)
	}
}

// TestShutdown: Serve returns nil once its context ends, after the
// request under way is answered.
func TestShutdown(t *testing.T) {
	path := filepath.Join(t.TempDir(), "events.parquet")
	writeDataset(t, nineEvents, path, export.WriteOptions{})
	s, err := New(Options{Datasets: []string{path}})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- s.Serve(ctx, ln) }()
	base := "http://" + ln.Addr().String()
	if r := get(t, base, "/healthz"); r.status != 200 {
		t.Fatalf("healthz %d", r.status)
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("Serve: %v", err)
	}
	if _, err := http.Get(base + "/healthz"); err == nil {
		t.Error("still answering after shutdown")
	}
}

var _ arrow.Record

// TestReplyCache: a repeated query is answered from the cache, identical
// requests at once are computed once, a changed file is computed anew, and
// the budget holds.
func TestReplyCache(t *testing.T) {
	path := filepath.Join(t.TempDir(), "events.parquet")
	writeDataset(t, nineEvents, path, export.WriteOptions{})
	s, err := New(Options{Datasets: []string{path}})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(s.Handler())
	defer ts.Close()
	counts := func() (int64, int64) {
		s.cache.mu.Lock()
		defer s.cache.mu.Unlock()
		return s.cache.computed, s.cache.hits
	}
	a := get(t, ts.URL, "/api/stats?by=country_iso3")
	b := get(t, ts.URL, "/api/stats?by=country_iso3")
	if c, h := counts(); c != 1 || h != 1 || !bytes.Equal(a.body, b.body) || a.header.Get("ETag") != b.header.Get("ETag") {
		t.Errorf("computed %d, hits %d", c, h)
	}
	var wg sync.WaitGroup
	bodies := make([][]byte, 20)
	for i := range bodies {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			bodies[i] = get(t, ts.URL, "/api/series?by=country_iso3&period=quarter").body
		}(i)
	}
	wg.Wait()
	if c, _ := counts(); c != 2 {
		t.Errorf("20 requests at once computed %d times", c-1)
	}
	for _, b := range bodies[1:] {
		if !bytes.Equal(b, bodies[0]) {
			t.Fatal("the replies differ")
		}
	}
	future := time.Now().Add(3 * time.Second)
	os.Chtimes(path, future, future)
	get(t, ts.URL, "/api/stats?by=country_iso3")
	if c, _ := counts(); c != 3 {
		t.Errorf("after the file changed: computed %d in all, want 3", c)
	}

	small := newReplyCache(800)
	for i := 0; i < 20; i++ {
		p := newReply()
		p.Write(bytes.Repeat([]byte("x"), 90))
		small.put(fmt.Sprint(i), p)
	}
	if small.size > 800 || len(small.entries) != 8 {
		t.Errorf("cache of 800 bytes holds %d bytes in %d entries", small.size, len(small.entries))
	}
	if _, ok := small.get("0"); ok {
		t.Error("the oldest entry was kept")
	}
	if _, ok := small.get("19"); !ok {
		t.Error("the newest entry was dropped")
	}
	big := newReply()
	big.Write(make([]byte, 101))
	small.put("big", big)
	if _, ok := small.get("big"); ok {
		t.Error("an entry over an eighth of the budget was kept")
	}
	off := newReplyCache(-1)
	off.put("k", newReply())
	if _, ok := off.get("k"); ok {
		t.Error("a cache of no budget kept a reply")
	}
}
