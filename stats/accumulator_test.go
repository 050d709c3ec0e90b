package stats

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"strings"
	"testing"
	gotime "time"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"

	"github.com/incidentkit/incidents/schema"
)

func day(y, m, d int) schema.Date { return schema.DateOf(y, gotime.Month(m), d) }

func inc(id, iso3 string, d schema.Date, best schema.NullInt32) schema.Incident {
	return schema.Incident{IncidentID: id, SourceDataset: "t", DateStart: d, DateEnd: d, CountryISO3: iso3,
		Fatalities: schema.Estimate{Low: best, Best: best, High: best}}
}

// run accumulates the incidents in batches of batch rows and returns the result.
func run(t *testing.T, opts Options, incidents []schema.Incident, batch int) *Result {
	t.Helper()
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	acc, err := NewAccumulator(opts)
	if err != nil {
		t.Fatal(err)
	}
	if batch <= 0 {
		batch = max(len(incidents), 1)
	}
	for start := 0; start < len(incidents) || start == 0; start += batch {
		rec := schema.NewRecord(mem, incidents[start:min(start+batch, len(incidents))])
		err := acc.Add(rec)
		rec.Release()
		if err != nil {
			t.Fatal(err)
		}
		if len(incidents) == 0 {
			break
		}
	}
	res, err := acc.Result()
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func get(t *testing.T, r *Result, row int, name string) Value {
	t.Helper()
	v, ok := r.Value(row, name)
	if !ok {
		t.Fatalf("no column %s", name)
	}
	return v
}

// want checks cells: an int64 or int, a float64 (relative 1e-12), a string,
// or nil for null.
func want(t *testing.T, r *Result, row int, cells map[string]any) {
	t.Helper()
	for name, w := range cells {
		v := get(t, r, row, name)
		switch w := w.(type) {
		case nil:
			if !v.Null {
				t.Errorf("row %d %s = %+v, want null", row, name, v)
			}
		case int:
			if v.Null || v.Int != int64(w) {
				t.Errorf("row %d %s = %+v, want %d", row, name, v, w)
			}
		case int64:
			if v.Null || v.Int != w {
				t.Errorf("row %d %s = %+v, want %d", row, name, v, w)
			}
		case float64:
			if v.Null || math.Abs(v.Num-w) > 1e-12*math.Max(1, math.Abs(w)) {
				t.Errorf("row %d %s = %+v, want %.15g", row, name, v, w)
			}
		case string:
			if v.Null || v.Str != w {
				t.Errorf("row %d %s = %+v, want %q", row, name, v, w)
			}
		}
	}
}

func TestCasualtyStatistics(t *testing.T) {
	d := day(2019, 11, 6)
	k := schema.Int32
	var unknown schema.NullInt32
	big := int32(math.MaxInt32)
	cases := []struct {
		name string
		in   []schema.Incident
		want map[string]any
	}{
		{"empty input: one row of zeros and nulls", nil, map[string]any{
			"events": 0, "events_share": nil, "fatalities_events": 0, "fatalities_share": nil, "fatalities_null": 0,
			"fatalities_best_sum": 0, "fatalities_mean": nil, "fatalities_std": nil, "fatalities_median": nil,
			"fatalities_max": nil, "fatalities_max_id": nil, "fatalities_actor1_share": nil}},
		{"single event", []schema.Incident{inc("a:1", "TJK", d, k(5))}, map[string]any{
			"events": 1, "events_share": 1.0, "fatalities_events": 1, "fatalities_share": 1.0, "fatalities_null": 0,
			"fatalities_best_sum": 5, "fatalities_low_sum": 5, "fatalities_high_sum": 5,
			"fatalities_mean": 5.0, "fatalities_std": nil, "fatalities_median": 5.0, "fatalities_p90": 5.0,
			"fatalities_p99": 5.0, "fatalities_max": 5, "fatalities_max_id": "a:1"}},
		{"all unknown", []schema.Incident{inc("a:1", "TJK", d, unknown), inc("a:2", "TJK", d, unknown), inc("a:3", "TJK", d, unknown)}, map[string]any{
			"events": 3, "fatalities_events": 0, "fatalities_share": 0.0, "fatalities_null": 3,
			"fatalities_best_sum": 0, "fatalities_low_sum": 0, "fatalities_mean": nil, "fatalities_std": nil,
			"fatalities_median": nil, "fatalities_max": nil, "fatalities_max_id": nil,
			"injured_null": 3, "detained_null": 3}},
		{"ties: the first deadliest wins", []schema.Incident{inc("a:1", "TJK", d, k(2)), inc("a:2", "TJK", d, k(2)), inc("a:3", "TJK", d, k(2)), inc("a:4", "TJK", d, k(2))}, map[string]any{
			"fatalities_mean": 2.0, "fatalities_std": 0.0, "fatalities_median": 2.0, "fatalities_p99": 2.0,
			"fatalities_max": 2, "fatalities_max_id": "a:1"}},
		// 1 2 3 4 10: mean 4; squared deviations 9+4+1+0+36 = 50, /4 = 12.5;
		// p90: h = 4*0.9 = 3.6, 4 + 0.6*(10-4) = 7.6; p99: h = 3.96, 4 + 0.96*6 = 9.76
		{"hand-worked quantiles, one unknown, a zero", []schema.Incident{
			inc("a:1", "TJK", d, k(10)), inc("a:2", "TJK", d, k(2)), inc("a:3", "TJK", d, unknown),
			inc("a:4", "TJK", d, k(1)), inc("a:5", "TJK", d, k(4)), inc("a:6", "TJK", d, k(3)), inc("a:7", "TJK", d, k(0))}, map[string]any{
			"events": 7, "fatalities_events": 5, "fatalities_share": 5.0 / 7, "fatalities_null": 1,
			"fatalities_best_sum": 20, "fatalities_mean": 20.0 / 6,
			// with the 0: values 0 1 2 3 4 10, mean 10/3
			"fatalities_std":    math.Sqrt((100.0/9 + 49.0/9 + 16.0/9 + 1.0/9 + 4.0/9 + 400.0/9) / 5),
			"fatalities_median": 2.5, "fatalities_p90": 7.0, "fatalities_p99": 4 + 0.95*6,
			"fatalities_max": 10, "fatalities_max_id": "a:1"}},
		{"huge counts near int32 max", []schema.Incident{inc("a:1", "TJK", d, k(big)), inc("a:2", "TJK", d, k(big)), inc("a:3", "TJK", d, k(big))}, map[string]any{
			"fatalities_best_sum": int64(3) * math.MaxInt32, "fatalities_high_sum": int64(3) * math.MaxInt32,
			"fatalities_mean": float64(math.MaxInt32), "fatalities_std": 0.0, "fatalities_median": float64(math.MaxInt32),
			"fatalities_max": math.MaxInt32}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			for _, batch := range []int{0, 1, 2} { // the batching must not matter
				r := run(t, Options{}, c.in, batch)
				if len(r.Rows) != 1 {
					t.Fatalf("%d rows, want 1", len(r.Rows))
				}
				want(t, r, 0, c.want)
			}
		})
	}
}

func TestHandWorkedQuantiles(t *testing.T) {
	d := day(2019, 1, 1)
	var in []schema.Incident
	for i, v := range []int32{1, 2, 3, 4, 10} {
		in = append(in, inc("q:"+string(rune('a'+i)), "TJK", d, schema.Int32(v)))
	}
	r := run(t, Options{}, in, 0)
	want(t, r, 0, map[string]any{"fatalities_mean": 4.0, "fatalities_std": math.Sqrt(12.5),
		"fatalities_median": 3.0, "fatalities_p90": 7.6, "fatalities_p99": 9.76})
}

func TestLowBestHighAndParty(t *testing.T) {
	d := day(2020, 2, 2)
	a := schema.Incident{IncidentID: "a", DateStart: d, CountryISO3: "AFG",
		Fatalities:       schema.Estimate{Low: schema.Int32(10), Best: schema.Int32(10)}, // at least 10: high unknown
		FatalitiesActor1: schema.Int32(3), FatalitiesCivilians: schema.Int32(1),
		Injured:  schema.Estimate{Best: schema.Int32(20), High: schema.Int32(20)}, // up to 20
		Detained: schema.Exact(4)}
	b := schema.Incident{IncidentID: "b", DateStart: d, CountryISO3: "AFG",
		Fatalities:       schema.Estimate{Low: schema.Int32(15), Best: schema.Int32(17), High: schema.Int32(20)},
		FatalitiesActor2: schema.Int32(4)}
	r := run(t, Options{}, []schema.Incident{a, b}, 0)
	want(t, r, 0, map[string]any{
		"fatalities_low_sum": 25, "fatalities_best_sum": 27, "fatalities_high_sum": 20,
		"injured_low_sum": 0, "injured_best_sum": 20, "injured_high_sum": 20, "injured_null": 1, "injured_events": 1,
		"detained_best_sum": 4, "detained_null": 1, "detained_max_id": "a",
		"fatalities_actor1_sum": 3, "fatalities_actor2_sum": 4, "fatalities_civilians_sum": 1, "fatalities_unknown_sum": 0,
		"fatalities_actor1_share": 0.375, "fatalities_actor2_share": 0.5, "fatalities_civilians_share": 0.125,
		"fatalities_unknown_share": 0.0, "fatalities_max_id": "b"})
}

func TestGroupsFiltersAndTop(t *testing.T) {
	k := schema.Int32
	in := []schema.Incident{
		inc("1", "UZB", day(2014, 5, 1), k(1)),
		inc("2", "TJK", day(2015, 5, 1), k(2)),
		inc("3", "TJK", day(2016, 5, 1), k(3)),
		inc("4", "UZB", day(2016, 5, 1), k(4)),
		inc("5", "AFG", day(2017, 5, 1), k(5)),
		inc("6", "TJK", day(2017, 6, 1), k(6)),
	}
	in[5].Admin1 = "Khatlon"
	r := run(t, Options{By: []string{"country_iso3"}}, in, 4)
	if len(r.Rows) != 3 {
		t.Fatalf("%d rows", len(r.Rows))
	}
	want(t, r, 0, map[string]any{"country_iso3": "AFG", "events": 1, "events_share": 1.0 / 6})
	want(t, r, 1, map[string]any{"country_iso3": "TJK", "events": 3, "fatalities_best_sum": 11, "fatalities_median": 3.0})
	want(t, r, 2, map[string]any{"country_iso3": "UZB", "events": 2})

	where := func(ss ...string) []Filter {
		var fs []Filter
		for _, s := range ss {
			f, err := ParseFilter(s)
			if err != nil {
				t.Fatal(err)
			}
			fs = append(fs, f)
		}
		return fs
	}
	r = run(t, Options{By: []string{"year"}, Where: where("year>=2015", "country_iso3=TJK,UZB")}, in, 0)
	if len(r.Rows) != 3 {
		t.Fatalf("filtered: %d rows", len(r.Rows))
	}
	want(t, r, 0, map[string]any{"year": 2015, "events": 1, "events_share": 0.25})
	want(t, r, 1, map[string]any{"year": 2016, "events": 2, "fatalities_best_sum": 7})
	want(t, r, 2, map[string]any{"year": 2017, "events": 1, "fatalities_best_sum": 6})

	// a null never matches, not even with !=; null groups sort last
	r = run(t, Options{By: []string{"admin1"}, Where: where("admin1!=Sughd")}, in, 0)
	if len(r.Rows) != 1 {
		t.Fatalf("admin1!=Sughd: %d rows, want 1", len(r.Rows))
	}
	r = run(t, Options{By: []string{"admin1"}}, in, 0)
	want(t, r, 0, map[string]any{"admin1": "Khatlon", "events": 1})
	want(t, r, 1, map[string]any{"admin1": nil, "events": 5})

	r = run(t, Options{By: []string{"country_iso3"}, Top: 2}, in, 0)
	if len(r.Rows) != 2 {
		t.Fatalf("top 2: %d rows", len(r.Rows))
	}
	want(t, r, 0, map[string]any{"country_iso3": "TJK", "events": 3, "events_share": 0.5})
	want(t, r, 1, map[string]any{"country_iso3": "UZB", "events": 2})

	r = run(t, Options{By: []string{"date_start"}, Where: where("date_start<2016-01-01")}, in, 0)
	want(t, r, 0, map[string]any{"date_start": "2014-05-01"})
	want(t, r, 1, map[string]any{"date_start": "2015-05-01"})

	// with group columns, no input gives no rows
	if r := run(t, Options{By: []string{"country_iso3"}}, nil, 0); len(r.Rows) != 0 {
		t.Errorf("no input: %d rows", len(r.Rows))
	}
}

func TestPlainAndDictionaryStringsAgree(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	in := []schema.Incident{inc("x:1", "TJK", day(2019, 1, 1), schema.Int32(3)), inc("x:2", "UZB", day(2019, 1, 2), schema.Int32(4)),
		inc("x:3", "TJK", day(2019, 2, 1), schema.Int32(5))}
	opts := Options{By: []string{"country_iso3"}, Period: PeriodMonth}
	dictRec := schema.NewRecord(mem, in)
	defer dictRec.Release()
	// the same columns with country_iso3 as plain utf8 and counts as int64, as a Parquet reader may give
	var fields []arrow.Field
	var cols []arrow.Array
	for _, name := range Columns(opts) {
		c := dictRec.Column(dictRec.Schema().FieldIndices(name)[0])
		switch name {
		case "country_iso3":
			b := array.NewStringBuilder(mem)
			for i := 0; i < c.Len(); i++ {
				b.Append(in[i].CountryISO3)
			}
			c = b.NewArray()
			b.Release()
		case "fatalities_best":
			b := array.NewInt64Builder(mem)
			for i := 0; i < c.Len(); i++ {
				b.Append(int64(in[i].Fatalities.Best.Value))
			}
			c = b.NewArray()
			b.Release()
		default:
			c.Retain()
		}
		defer c.Release()
		fields = append(fields, arrow.Field{Name: name, Type: c.DataType(), Nullable: true})
		cols = append(cols, c)
	}
	plainRec := array.NewRecord(arrow.NewSchema(fields, nil), cols, int64(len(in)))
	defer plainRec.Release()
	var outs []string
	for _, rec := range []arrow.Record{dictRec, plainRec} {
		acc, err := NewAccumulator(opts)
		if err != nil {
			t.Fatal(err)
		}
		if err := acc.Add(rec); err != nil {
			t.Fatal(err)
		}
		res, _ := acc.Result()
		var b bytes.Buffer
		res.WriteCSV(&b)
		outs = append(outs, b.String())
	}
	if outs[0] != outs[1] {
		t.Errorf("dictionary:\n%s\nplain:\n%s", outs[0], outs[1])
	}
	if !strings.Contains(outs[0], "TJK,2,") {
		t.Errorf("unexpected output:\n%s", outs[0])
	}
}

func TestAddErrors(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	acc, _ := NewAccumulator(Options{})
	b := array.NewInt32Builder(mem)
	b.Append(1)
	a := b.NewArray()
	b.Release()
	defer a.Release()
	rec := array.NewRecord(arrow.NewSchema([]arrow.Field{{Name: "fatalities_best", Type: arrow.PrimitiveTypes.Int32}}, nil), []arrow.Array{a}, 1)
	defer rec.Release()
	if err := acc.Add(rec); err == nil || !strings.HasPrefix(err.Error(), "stats: ") {
		t.Errorf("record without incident_id: err = %v", err)
	}
	// a count outside int32 is an error of the data, not a panic
	full := schema.NewRecord(mem, []schema.Incident{inc("a", "TJK", day(2019, 1, 1), schema.Int32(1))})
	defer full.Release()
	var fields []arrow.Field
	var cols []arrow.Array
	for i, f := range full.Schema().Fields() {
		c := full.Column(i)
		if f.Name == "injured_best" {
			ib := array.NewInt64Builder(mem)
			ib.Append(1 << 40)
			c = ib.NewArray()
			ib.Release()
			defer c.Release()
			f.Type = arrow.PrimitiveTypes.Int64
		}
		fields = append(fields, f)
		cols = append(cols, c)
	}
	bad := array.NewRecord(arrow.NewSchema(fields, nil), cols, 1)
	defer bad.Release()
	if err := acc.Add(bad); err == nil || !strings.Contains(err.Error(), "injured_best") {
		t.Errorf("int64 count 2^40: err = %v", err)
	}
	for _, opts := range []Options{{By: []string{"nope"}}, {By: []string{"sources"}}, {Period: "fortnight"},
		{Series: true}, {By: []string{"year", "year"}}, {Top: -1}} {
		if _, err := NewAccumulator(opts); err == nil || !strings.HasPrefix(err.Error(), "stats: ") {
			t.Errorf("NewAccumulator(%+v): err = %v", opts, err)
		}
	}
}

func TestParseFilter(t *testing.T) {
	good := []struct {
		in     string
		col    string
		op     Op
		values []string
	}{
		{"year>=2015", "year", OpGe, []string{"2015"}},
		{"country_iso3=TJK,UZB", "country_iso3", OpEq, []string{"TJK", "UZB"}},
		{"event_type = battles", "event_type", OpEq, []string{"battles"}},
		{"fatalities_best!=0", "fatalities_best", OpNe, []string{"0"}},
		{"fatalities_best<10", "fatalities_best", OpLt, []string{"10"}},
		{"year<=2020", "year", OpLe, []string{"2020"}},
		{"latitude>-3.5", "latitude", OpGt, []string{"-3.5"}},
		{"date_start>=2019-11-06", "date_start", OpGe, []string{"2019-11-06"}},
		{"actor1==Taliban", "actor1", OpEq, []string{"Taliban"}},
	}
	for _, c := range good {
		f, err := ParseFilter(c.in)
		if err != nil {
			t.Errorf("ParseFilter(%q): %v", c.in, err)
			continue
		}
		if f.Column != c.col || f.Op != c.op || strings.Join(f.Values, "|") != strings.Join(c.values, "|") {
			t.Errorf("ParseFilter(%q) = %+v", c.in, f)
		}
	}
	for _, in := range []string{"", "year", "=2015", "nope=1", "year>=abc", "year<2015,2016", "assoc_actors=x",
		"date_start>=2019-02-31", "year>=NaN", "time_utc>1"} {
		_, err := ParseFilter(in)
		if !errors.Is(err, ErrBadFilter) || !strings.HasPrefix(err.Error(), "stats: ") {
			t.Errorf("ParseFilter(%q): err = %v, want ErrBadFilter", in, err)
		}
	}
}

func TestPeriodsFilledWithZeros(t *testing.T) {
	k := schema.Int32
	in := []schema.Incident{
		inc("1", "TJK", day(2019, 1, 31), k(1)),
		inc("2", "TJK", day(2019, 4, 1), k(2)),
		inc("3", "UZB", day(2019, 12, 30), k(0)), // ISO week 2020-W01
	}
	r := run(t, Options{By: []string{"country_iso3"}, Period: PeriodMonth, Series: true}, in, 0)
	var got []string
	for i := range r.Rows {
		got = append(got, get(t, r, i, "country_iso3").Str+" "+get(t, r, i, "period").Str+" "+
			get(t, r, i, "events").text(KindInt)+" "+get(t, r, i, "fatalities_best_sum").text(KindInt))
	}
	wantRows := "TJK 2019-01 1 1|TJK 2019-02 0 0|TJK 2019-03 0 0|TJK 2019-04 1 2|UZB 2019-12 1 0"
	if strings.Join(got, "|") != wantRows {
		t.Errorf("series = %v, want %v", got, wantRows)
	}
	// counts 1 0 0 1 over four months: mean 0.5, variance 1/3, dispersion 2/3;
	// Garwood 95% interval of 2 events: (0.2422, 7.2247) / 4 months
	r = run(t, Options{By: []string{"country_iso3"}, Period: PeriodMonth}, in, 0)
	chi3 := func(x float64) float64 { // survival of chi-square with 3 df
		return math.Erfc(math.Sqrt(x/2)) + math.Sqrt(2*x/math.Pi)*math.Exp(-x/2)
	}
	want(t, r, 0, map[string]any{"periods": 4, "first_period": "2019-01", "last_period": "2019-04",
		"events_per_period": 0.5, "dispersion": 2.0 / 3, "dispersion_p": chi3(2), "trend_slope": 0.0, "trend_p": 1.0})
	lo, hi := get(t, r, 0, "events_per_period_low").Num, get(t, r, 0, "events_per_period_high").Num
	if math.Abs(lo*4-0.2422) > 1e-4 || math.Abs(hi*4-7.2247) > 1e-4 {
		t.Errorf("Poisson interval of 2 events = (%v, %v), want (0.2422, 7.2247)", lo*4, hi*4)
	}
	want(t, r, 1, map[string]any{"periods": 1, "events_per_period": 1.0, "dispersion": nil, "trend_slope": nil})

	labels := map[string]string{PeriodDay: "2019-12-30", PeriodWeek: "2020-W01", PeriodQuarter: "2019-Q4", PeriodYear: "2019"}
	for p, lab := range labels {
		r := run(t, Options{Period: p, Series: true}, in[2:], 0)
		if got := get(t, r, 0, "period").Str; got != lab {
			t.Errorf("%s of 2019-12-30 = %s, want %s", p, got, lab)
		}
	}
	// weeks across a year end fill without a gap: 2019-12-30 (2020-W01) back to 2019-12-22 (2019-W51)
	r = run(t, Options{Period: PeriodWeek, Series: true}, []schema.Incident{inc("a", "X", day(2019, 12, 22), k(1)), in[2]}, 0)
	if len(r.Rows) != 3 || get(t, r, 1, "period").Str != "2019-W52" {
		t.Errorf("weekly series: %v", r.Rows)
	}
}

func TestFrequencyTrend(t *testing.T) {
	// y = 1 2 4 at x = 0 1 2: slope 1.5, residuals 1/6 -1/3 1/6, SSR 1/6,
	// SE sqrt(1/6 / 1 / 2); with 1 df the t distribution is Cauchy.
	f := FrequencyOf([]float64{1, 2, 4})
	se := math.Sqrt(1.0 / 12)
	tt := 1.5 / se
	wantP := 1 - 2*math.Atan(tt)/math.Pi
	if math.Abs(f.Slope-1.5) > 1e-12 || math.Abs(f.SlopeSE-se) > 1e-12 || math.Abs(f.SlopeP-wantP) > 1e-9 {
		t.Errorf("trend = %v ± %v (p %v), want 1.5 ± %v (p %v)", f.Slope, f.SlopeSE, f.SlopeP, se, wantP)
	}
	if f := FrequencyOf([]float64{2, 4, 6, 8}); f.SlopeSE != 0 || f.SlopeP != 0 {
		t.Errorf("perfect line: se %v p %v", f.SlopeSE, f.SlopeP)
	}
	if f := FrequencyOf(nil); !math.IsNaN(f.Mean) {
		t.Errorf("no periods: mean %v", f.Mean)
	}
	// zero events: the interval is (0, chi2(0.975, 2)/2 = -ln(0.025))
	lo, hi := poissonCI(0, 0.95)
	if lo != 0 || math.Abs(hi+math.Log(0.025)) > 1e-9 {
		t.Errorf("Poisson interval of 0 = (%v, %v)", lo, hi)
	}
}

func TestOutputFormats(t *testing.T) {
	in := []schema.Incident{inc("a:1", "TJK", day(2019, 1, 1), schema.Int32(1234567)), inc("a:2", "UZB", day(2019, 1, 1), schema.NullInt32{})}
	r := run(t, Options{By: []string{"country_iso3"}, Period: PeriodYear}, in, 0)

	var b bytes.Buffer
	if err := r.WriteJSON(&b); err != nil {
		t.Fatal(err)
	}
	dec := json.NewDecoder(bytes.NewReader(b.Bytes()))
	var rows []map[string]any
	if err := dec.Decode(&rows); err != nil {
		t.Fatalf("JSON: %v\n%s", err, b.String())
	}
	if len(rows) != 2 || rows[0]["fatalities_best_sum"] != 1234567.0 || rows[1]["fatalities_mean"] != nil {
		t.Errorf("JSON rows: %v", rows)
	}
	// keys in column order
	first := strings.SplitN(b.String(), "\n", 3)[1]
	last := -1
	for _, c := range r.Columns {
		i := strings.Index(first, `"`+c.Name+`":`)
		if i <= last {
			t.Errorf("JSON key %s out of order", c.Name)
		}
		last = i
	}

	b.Reset()
	if err := r.WriteCSV(&b); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(b.String()), "\n")
	if len(lines) != 3 || !strings.HasPrefix(lines[0], "country_iso3,events,events_share,fatalities_events,") ||
		!strings.Contains(lines[1], ",1234567,") {
		t.Errorf("CSV:\n%s", b.String())
	}

	b.Reset()
	if err := r.WriteTable(&b); err != nil {
		t.Fatal(err)
	}
	for _, l := range strings.Split(b.String(), "\n") {
		if len([]rune(l)) > DefaultTableWidth {
			t.Errorf("table line wider than %d: %q", DefaultTableWidth, l)
		}
	}
	if !strings.Contains(b.String(), "1,234,567") || !strings.Contains(b.String(), "fatalities_median") {
		t.Errorf("table:\n%s", b.String())
	}

	// one ungrouped row: a list of statistic and value
	b.Reset()
	one := run(t, Options{}, in, 0)
	if err := one.WriteTable(&b); err != nil {
		t.Fatal(err)
	}
	lines = strings.Split(strings.TrimSpace(b.String()), "\n")
	if len(lines) != len(one.Columns)+1 || !strings.HasPrefix(lines[0], "statistic") ||
		strings.Join(strings.Fields(lines[7]), " ") != "fatalities_best_sum 1,234,567" {
		t.Errorf("ungrouped table:\n%s", b.String())
	}

	b.Reset()
	if err := r.WriteMarkdown(&b); err != nil {
		t.Fatal(err)
	}
	md := strings.Split(strings.TrimSpace(b.String()), "\n")
	if len(md) != 4 || strings.Count(md[0], "|") != len(r.Columns)+1 || !strings.HasPrefix(md[1], "|---|--:|") {
		t.Errorf("markdown:\n%s", b.String())
	}

	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	rec := r.Record(mem)
	defer rec.Release()
	if rec.NumRows() != 2 || int(rec.NumCols()) != len(r.Columns) {
		t.Fatalf("record %d x %d", rec.NumRows(), rec.NumCols())
	}
	j := r.ColumnIndex("fatalities_best_sum")
	if got := rec.Column(j).(*array.Int64).Value(0); got != 1234567 {
		t.Errorf("record fatalities_best_sum = %d", got)
	}
	if !rec.Column(r.ColumnIndex("fatalities_mean")).IsNull(1) {
		t.Error("record: null mean not null")
	}
}

func TestGroupThousands(t *testing.T) {
	for in, want := range map[string]string{"0": "0", "999": "999", "1000": "1,000", "-1234567.25": "-1,234,567.25",
		"12345678901": "12,345,678,901", "100.00": "100.00"} {
		if got := groupThousands(in); got != want {
			t.Errorf("groupThousands(%s) = %s, want %s", in, got, want)
		}
	}
}
