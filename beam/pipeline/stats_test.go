package pipeline

import (
	"context"
	"math"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/apache/arrow/go/v17/arrow"

	"github.com/incidentkit/incidents/export"
	"github.com/incidentkit/incidents/ingest"
	"github.com/incidentkit/incidents/schema"
	"github.com/incidentkit/incidents/stats"
)

// localStats is incidents stats on raw inputs: ingest.Normalize (duplicate
// ids rejected) into stats.Accumulator.
func localStats(t *testing.T, inputs []string, opts stats.Options) *stats.Result {
	t.Helper()
	acc, err := stats.NewAccumulator(opts)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ingest.Normalize(context.Background(), inputs, ingest.Options{Columns: stats.Columns(opts)}, func(rec arrow.Record) error {
		return acc.Add(rec)
	}); err != nil {
		t.Fatal(err)
	}
	res, err := acc.Result()
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// datasetStats is incidents stats on a dataset folder (export.Open).
func datasetStats(t *testing.T, dir string, opts stats.Options) *stats.Result {
	t.Helper()
	acc, err := stats.NewAccumulator(opts)
	if err != nil {
		t.Fatal(err)
	}
	rr, err := export.Open(context.Background(), dir, export.ReadOptions{Columns: stats.Columns(opts)})
	if err != nil {
		t.Fatal(err)
	}
	defer rr.Release()
	for rr.Next() {
		if err := acc.Add(rr.Record()); err != nil {
			t.Fatal(err)
		}
	}
	if err := rr.Err(); err != nil {
		t.Fatal(err)
	}
	res, err := acc.Result()
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// compareResults: every cell equal, but standard deviations (merged by
// Chan's formula) within 1e-12 relative; with sketch, quantiles within
// SketchAccuracy of the exact value or between its order statistics.
// bounds(group, column) gives the order statistics a quantile lies between.
func compareResults(t *testing.T, name string, got, want *stats.Result, sketch bool, bounds func(group, col string) (float64, float64)) {
	t.Helper()
	if len(got.Rows) != len(want.Rows) || len(got.Columns) != len(want.Columns) {
		t.Fatalf("%s: %d rows x %d columns, want %d x %d", name, len(got.Rows), len(got.Columns), len(want.Rows), len(want.Columns))
	}
	for i := range want.Rows {
		for j, c := range want.Columns {
			g, w := got.Rows[i][j], want.Rows[i][j]
			if g == w {
				continue
			}
			if c.Kind == stats.KindFloat && !g.Null && !w.Null {
				tol := 0.0
				switch {
				case len(c.Name) > 4 && c.Name[len(c.Name)-4:] == "_std":
					tol = 1e-12
				case sketch && isQuantile(c.Name):
					lo, hi := bounds(got.Rows[i][0].Str, c.Name)
					if g.Num >= (1-SketchAccuracy)*lo-1e-9 && g.Num <= (1+SketchAccuracy)*hi+1e-9 {
						continue
					}
				}
				if math.Abs(g.Num-w.Num) <= tol*math.Abs(w.Num) {
					continue
				}
			}
			t.Errorf("%s row %d %s: beam %+v, local %+v", name, i, c.Name, g, w)
		}
	}
}

// orderStats returns, for a group of the one column by and a quantile
// column, the order statistics x(floor h) and x(floor h + 1) of R's type 7
// at h = (n-1)p over the normalized rows.
func orderStats(t *testing.T, inputs []string, by []string) func(group, col string) (float64, float64) {
	rows, _, _ := localNormalize(t, inputs)
	vals := map[string]map[string][]int32{}
	for _, r := range rows {
		if len(by) != 1 || by[0] != "country_iso3" {
			break
		}
		g := vals[r.CountryISO3]
		if g == nil {
			g = map[string][]int32{}
			vals[r.CountryISO3] = g
		}
		for q, e := range map[string]schema.Estimate{"fatalities": r.Fatalities, "injured": r.Injured, "detained": r.Detained} {
			if e.Best.Valid {
				g[q] = append(g[q], e.Best.Value)
			}
		}
	}
	return func(group, col string) (float64, float64) {
		i := strings.LastIndexByte(col, '_')
		q, which := col[:i], col[i+1:]
		x := vals[group][q]
		slices.Sort(x)
		p := map[string]float64{"median": 0.5, "p90": 0.9, "p99": 0.99}[which]
		if len(x) == 0 {
			return math.NaN(), math.NaN()
		}
		h := int(math.Floor(float64(len(x)-1) * p))
		return float64(x[h]), float64(x[min(h+1, len(x)-1)])
	}
}

func isQuantile(name string) bool {
	for _, s := range []string{"_median", "_p90", "_p99"} {
		if len(name) > len(s) && name[len(name)-len(s):] == s {
			return true
		}
	}
	return false
}

func TestStatsUnderPrism(t *testing.T) {
	dir := t.TempDir()
	inputs := genInputs(t, dir, 8000)
	glob := []string{filepath.Join(dir, "in", "*.csv")}
	where, err := stats.ParseFilter("year>=2000")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name      string
		opts      stats.Options
		quantiles string
	}{
		{"by country and year, monthly frequency", stats.Options{By: []string{"country_iso3", "year"}, Period: "month", Where: []stats.Filter{where}}, "exact"},
		{"tail by event type", stats.Options{By: []string{"event_type"}, Tail: true, Bootstrap: 50, Seed: 1}, "exact"},
		{"series", stats.Options{By: []string{"country_iso3"}, Period: "year", Series: true}, "exact"},
		{"sketch, top 5", stats.Options{By: []string{"country_iso3"}, Top: 5}, "sketch"},
	} {
		want := localStats(t, inputs, c.opts)
		got, err := Stats(context.Background(), StatsConfig{Inputs: glob, Options: c.opts, Quantiles: c.quantiles, Runner: testRunner})
		if err != nil {
			t.Fatal(err)
		}
		if len(want.Rows) == 0 {
			t.Fatalf("%s: no rows", c.name)
		}
		compareResults(t, c.name, got, want, c.quantiles == "sketch", orderStats(t, inputs, c.opts.By))
	}
	// on the output of the normalize pipeline (a Hive-partitioned dataset
	// folder, read by export), the same statistics as on the raw files
	out := filepath.Join(dir, "events")
	if _, err := Normalize(context.Background(), NormalizeConfig{Inputs: glob, Output: out, Runner: testRunner}); err != nil {
		t.Fatal(err)
	}
	opts0 := stats.Options{By: []string{"country_iso3", "year"}, Period: "quarter"}
	want0 := datasetStats(t, out, opts0) // incidents stats events/: the first maximum is the dataset's first
	for _, in := range [][]string{{out}} {
		got, err := Stats(context.Background(), StatsConfig{Inputs: in, Options: opts0, Runner: testRunner})
		if err != nil {
			t.Fatal(err)
		}
		compareResults(t, "on the dataset "+in[0], got, want0, false, nil)
	}
	// GDELT: no fatalities (null, never 0), CAMEO roots filtered
	gdir := t.TempDir()
	ginputs := genGDELT(t, gdir, 8000)
	opts := stats.Options{By: []string{"country_iso3", "event_type"}, Period: "month"}
	want := localStats(t, ginputs, opts)
	got, err := Stats(context.Background(), StatsConfig{Inputs: []string{filepath.Join(gdir, "in", "*.CSV")}, Options: opts, Runner: testRunner})
	if err != nil {
		t.Fatal(err)
	}
	compareResults(t, "gdelt", got, want, false, nil)
}
