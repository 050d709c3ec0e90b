package stats

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow/go/v17/arrow/memory"

	"github.com/incidentkit/incidents/schema"
)

// splitMix64 is the generator of the golden dataset, the same as
// testdata/stats/gen_duckdb_golden.py's.
type splitMix64 uint64

func (s *splitMix64) next() uint64 {
	*s += 0x9E3779B97F4A7C15
	z := uint64(*s)
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9
	z = (z ^ (z >> 27)) * 0x94D049BB133111EB
	return z ^ (z >> 31)
}

const goldenHeader = "incident_id,country_iso3,year,date_start,event_type,fatalities_best,fatalities_low," +
	"fatalities_high,fatalities_actor1,fatalities_civilians,injured_best,detained_best"

// goldenDataset returns the n incidents of the golden dataset and the CSV
// that the Python generator writes for DuckDB, byte for byte.
func goldenDataset(n int, seed uint64) ([]schema.Incident, string) {
	rng := splitMix64(seed)
	countries := []string{"AFG", "TJK", "UZB", "KGZ"}
	types := []schema.EventType{}
	for _, s := range []string{"battles", "riots", "protests", "violence_against_civilians"} {
		t, err := schema.ParseEventType(s)
		if err != nil {
			panic(err)
		}
		types = append(types, t)
	}
	cell := func(v schema.NullInt32) string { return v.String() }
	var b strings.Builder
	b.WriteString(goldenHeader + "\n")
	out := make([]schema.Incident, n)
	for i := range out {
		country := countries[rng.next()%4]
		year := 2010 + int(rng.next()%10)
		month := 1 + int(rng.next()%12)
		dd := 1 + int(rng.next()%28)
		et := types[rng.next()%4]
		r := rng.next() % 100
		var best, low, high, a1, civ schema.NullInt32
		if r >= 12 {
			var v uint64
			switch {
			case r == 99:
				v = math.MaxInt32 - rng.next()%1000
			case r < 20:
				v = rng.next() % 1000
			default:
				v = rng.next() % 20
			}
			best = schema.Int32(int32(v))
			low = schema.Int32(int32(v - rng.next()%(v+1)))
			high = schema.Int32(int32(min(v+rng.next()%50, math.MaxInt32)))
			a1 = schema.Int32(int32(v / 3))
			civ = schema.Int32(int32(v - v/3))
		}
		var injured, detained schema.NullInt32
		if rng.next()%10 >= 3 {
			injured = schema.Int32(int32(rng.next() % 30))
		}
		if rng.next()%10 >= 7 {
			detained = schema.Int32(int32(rng.next() % 5))
		}
		d := schema.DateOf(year, time.Month(month), dd)
		out[i] = schema.Incident{
			IncidentID: fmt.Sprintf("g:%d", i), SourceDataset: "golden", DateStart: d, DateEnd: d,
			CountryISO3: country, EventType: et,
			Fatalities:       schema.Estimate{Low: low, Best: best, High: high},
			FatalitiesActor1: a1, FatalitiesCivilians: civ,
			Injured: schema.Estimate{Best: injured}, Detained: schema.Estimate{Best: detained},
		}
		fmt.Fprintf(&b, "g:%d,%s,%d,%s,%s,%s,%s,%s,%s,%s,%s,%s\n", i, country, year, d, et,
			cell(best), cell(low), cell(high), cell(a1), cell(civ), cell(injured), cell(detained))
	}
	return out, b.String()
}

type duckdbGolden struct {
	Rows             int              `json:"rows"`
	CSVSHA256        string           `json:"csv_sha256"`
	All              map[string]any   `json:"all"`
	ByCountryYear    []map[string]any `json:"by_country_year"`
	ByEventType      []map[string]any `json:"by_event_type"`
	MonthlyByCountry []map[string]any `json:"monthly_by_country"`
	Quantiles        []struct {
		Values []float64 `json:"values"`
		P      float64   `json:"p"`
		DuckDB float64   `json:"duckdb"`
		Numpy  float64   `json:"numpy"`
	} `json:"quantiles"`
}

func loadGolden(t *testing.T) duckdbGolden {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "testdata", "stats", "duckdb_golden.json"))
	if err != nil {
		t.Fatal(err)
	}
	var g duckdbGolden
	if err := json.Unmarshal(b, &g); err != nil {
		t.Fatal(err)
	}
	return g
}

// close reports whether got is within 1e-9 relative of want (absolute
// near zero).
func close9(got, want float64) bool {
	return math.Abs(got-want) <= 1e-9*math.Max(1, math.Abs(want))
}

// compareRow checks every key DuckDB computed against the result's column
// of the same name: integers exactly, floats to 1e-9 relative.
func compareRow(t *testing.T, r *Result, row int, want map[string]any, groups []string) {
	t.Helper()
	for name, w := range want {
		if slices.Contains(groups, name) {
			continue
		}
		got, ok := r.Value(row, name)
		if !ok {
			t.Errorf("no column %s", name)
			continue
		}
		label := fmt.Sprintf("%v %s", groupLabel(want, groups), name)
		switch w := w.(type) {
		case nil:
			if !got.Null {
				t.Errorf("%s = %+v, DuckDB null", label, got)
			}
		case float64:
			if got.Null {
				t.Errorf("%s = null, DuckDB %v", label, w)
				continue
			}
			g := got.Num
			if r.Columns[r.ColumnIndex(name)].Kind == KindInt {
				if float64(got.Int) != w {
					t.Errorf("%s = %d, DuckDB %.17g", label, got.Int, w)
				}
				continue
			}
			if !close9(g, w) {
				t.Errorf("%s = %.17g, DuckDB %.17g (rel %.2g)", label, g, w, math.Abs(g-w)/math.Abs(w))
			}
		default:
			t.Errorf("%s: unexpected golden value %v", label, w)
		}
	}
}

func groupLabel(row map[string]any, groups []string) string {
	var s []string
	for _, g := range groups {
		s = append(s, fmt.Sprint(row[g]))
	}
	return strings.Join(s, "/")
}

func TestAgainstDuckDBGolden(t *testing.T) {
	g := loadGolden(t)
	incidents, csvText := goldenDataset(g.Rows, 20261127)
	// the CSV DuckDB read, rebuilt here: the same bytes prove the same rows
	path := filepath.Join(t.TempDir(), "golden.csv")
	if err := os.WriteFile(path, []byte(csvText), 0o644); err != nil {
		t.Fatal(err)
	}
	written, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(written)
	if got := hex.EncodeToString(sum[:]); got != g.CSVSHA256 {
		t.Fatalf("dataset sha256 %s, golden %s: the Go and Python generators disagree", got, g.CSVSHA256)
	}

	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	compute := func(opts Options) *Result {
		acc, err := NewAccumulator(opts)
		if err != nil {
			t.Fatal(err)
		}
		for start := 0; start < len(incidents); start += 1000 {
			rec := schema.NewRecord(mem, incidents[start:min(start+1000, len(incidents))])
			err := acc.Add(rec)
			rec.Release()
			if err != nil {
				t.Fatal(err)
			}
		}
		res, err := acc.Result()
		if err != nil {
			t.Fatal(err)
		}
		return res
	}

	r := compute(Options{})
	compareRow(t, r, 0, g.All, nil)

	for _, c := range []struct {
		by   []string
		rows []map[string]any
	}{{[]string{"country_iso3", "year"}, g.ByCountryYear}, {[]string{"event_type"}, g.ByEventType}} {
		r := compute(Options{By: c.by})
		if len(r.Rows) != len(c.rows) {
			t.Fatalf("by %v: %d groups, DuckDB %d", c.by, len(r.Rows), len(c.rows))
		}
		for i, want := range c.rows {
			for _, k := range c.by {
				v := get(t, r, i, k)
				if got := v.Str + strconv.FormatInt(v.Int, 10); !strings.HasPrefix(got, fmt.Sprint(want[k])) && fmt.Sprint(v.Int) != fmt.Sprint(want[k]) {
					t.Fatalf("row %d %s = %+v, DuckDB %v (group order)", i, k, v, want[k])
				}
			}
			compareRow(t, r, i, want, c.by)
		}
	}

	r = compute(Options{By: []string{"country_iso3"}, Period: PeriodMonth})
	for i, want := range g.MonthlyByCountry {
		if get(t, r, i, "country_iso3").Str != want["country_iso3"] {
			t.Fatalf("monthly row %d: %v", i, want["country_iso3"])
		}
		compareRow(t, r, i, want, []string{"country_iso3"})
	}
}

func TestQuantileType7AgainstDuckDBAndNumpy(t *testing.T) {
	g := loadGolden(t)
	if len(g.Quantiles) == 0 {
		t.Fatal("no quantile cases in the golden file")
	}
	for _, c := range g.Quantiles {
		v := slices.Clone(c.Values)
		slices.Sort(v)
		got, ok := quantileType7(v, c.P)
		if !ok || !close9(got, c.DuckDB) || !close9(got, c.Numpy) {
			t.Errorf("quantile(%v of %d values) = %v, DuckDB %v, numpy %v", c.P, len(v), got, c.DuckDB, c.Numpy)
		}
	}
	if _, ok := quantileType7([]float64{}, 0.5); ok {
		t.Error("quantile of nothing")
	}
	if _, ok := quantileType7([]float64{1}, 1.5); ok {
		t.Error("quantile at p = 1.5")
	}
}
