package report

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/memory"

	"github.com/incidentkit/incidents/schema"
	"github.com/incidentkit/incidents/stats"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// syntheticIncidents is a repeatable data set with the awkward parts of
// real data: unknown tolls, zeros, open-ended highs, missing actors, quiet
// months and a heavy tail.
func syntheticIncidents(n int) []schema.Incident {
	rng := rand.New(rand.NewPCG(2019, 11))
	geo := rand.New(rand.NewPCG(2019, 12)) // its own stream: the other values stay as they were
	countries := [][2]string{{"AFG", "Afghanistan"}, {"SYR", "Syria"}, {"TJK", "Tajikistan"}, {"NGA", "Nigeria"}, {"MLI", "Mali"}, {"XKX", "Kosovo"}}
	actors := []string{"Islamic State", "Taliban", "Military Forces of Tajikistan", "Boko Haram", "", "JNIM", "Unidentified Armed Group"}
	admin1 := []string{"North", "South", "East", ""}
	centres := map[string][2]float64{"AFG": {67.7, 33.9}, "SYR": {38.3, 35}, "TJK": {71.3, 38.9}, "NGA": {8.7, 9.1}, "MLI": {-2, 17.6}, "XKX": {20.9, 42.6}}
	types := []schema.EventType{schema.EventBattles, schema.EventExplosionsRemoteViolence, schema.EventViolenceAgainstCivilians, schema.EventRiots}
	out := make([]schema.Incident, n)
	start := schema.DateOf(2018, time.January, 1)
	for i := range out {
		c := countries[min(rng.IntN(8), 5)] // skewed towards the last
		d := start + schema.Date(rng.IntN(3*365))
		if d >= schema.DateOf(2019, time.July, 1) && d < schema.DateOf(2019, time.October, 1) {
			d -= 92 // a quiet quarter, which must stay in the series as zero
		}
		in := schema.Incident{
			IncidentID: fmt.Sprintf("syn:%04d", i), SourceDataset: "reports", DateStart: d, DateEnd: d,
			CountryISO3: c[0], Country: c[1], Admin1: admin1[rng.IntN(len(admin1))], Location: fmt.Sprintf("Place %d", rng.IntN(40)),
			EventType: types[rng.IntN(len(types))], Actor1: actors[rng.IntN(len(actors))], Actor2: actors[rng.IntN(len(actors))],
		}
		if ll, ok := centres[c[0]]; ok && geo.IntN(10) > 0 { // a tenth without coordinates
			in.Latitude = schema.Float64(ll[1] + 2*geo.Float64() - 1)
			in.Longitude = schema.Float64(ll[0] + 2*geo.Float64() - 1)
		}
		switch u := rng.Float64(); {
		case u < 0.08: // unknown toll
		case u < 0.25:
			in.Fatalities = schema.Exact(0)
		default:
			best := int32(math.Floor(0.5 + 0.5*math.Pow(1-rng.Float64(), -1/1.3))) // discrete power law, alpha ~2.3
			in.Fatalities = schema.Estimate{Low: schema.Int32(best - best/3), Best: schema.Int32(best), High: schema.Int32(best + best/2)}
			if rng.IntN(5) == 0 {
				in.Fatalities.High = schema.NullInt32{} // "at least"
			}
			if rng.IntN(2) == 0 {
				civ := best / 2
				in.FatalitiesCivilians = schema.Int32(civ)
				in.FatalitiesActor1 = schema.Int32(best - civ)
			}
		}
		out[i] = in
	}
	return out
}

func syntheticRecords(t *testing.T, mem memory.Allocator) []arrow.Record {
	t.Helper()
	rows := syntheticIncidents(1500)
	var recs []arrow.Record
	for i := 0; i < len(rows); i += 400 {
		recs = append(recs, schema.NewRecord(mem, rows[i:min(i+400, len(rows))]))
	}
	return recs
}

var statAttr = regexp.MustCompile(`data-stat="([^"]+)" data-value="([^"]*)"`)

// TestReportNumbersEqualStats builds the report of a synthetic data set and
// checks every number the page shows, and every bar and period the charts
// draw, against the JSON that the stats package writes for the options
// 'incidents stats' would be run with (Options.StatsOptions). The page's
// numbers are also kept in a golden file (go test -update rewrites it).
func TestReportNumbersEqualStats(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	recs := syntheticRecords(t, mem)
	defer func() {
		for _, r := range recs {
			r.Release()
		}
	}()
	opts := Options{Title: "Synthetic", Period: stats.PeriodQuarter, By: []string{"admin1"}, Top: 4, Bootstrap: 40, Seed: 3, Workers: 2}
	b, err := NewBuilder(opts)
	if err != nil {
		t.Fatal(err)
	}
	for _, rec := range recs {
		if err := b.Add(rec); err != nil {
			t.Fatal(err)
		}
	}
	r, err := b.Report()
	if err != nil {
		t.Fatal(err)
	}
	var page bytes.Buffer
	if err := WriteHTML(&page, r); err != nil {
		t.Fatal(err)
	}
	shown := map[string]string{}
	for _, m := range statAttr.FindAllStringSubmatch(page.String(), -1) {
		shown[m[1]] = m[2]
	}

	// the oracle: stats' own JSON for each part of the page
	want := map[string][]map[string]any{}
	for name, so := range opts.StatsOptions() {
		acc, err := stats.NewAccumulator(so)
		if err != nil {
			t.Fatal(err)
		}
		for _, rec := range recs {
			if err := acc.Add(rec); err != nil {
				t.Fatal(err)
			}
		}
		res, err := acc.Result()
		if err != nil {
			t.Fatal(err)
		}
		var js bytes.Buffer
		if err := res.WriteJSON(&js); err != nil {
			t.Fatal(err)
		}
		var rows []map[string]any
		if err := json.Unmarshal(js.Bytes(), &rows); err != nil {
			t.Fatal(err)
		}
		want[name] = rows
	}
	all := want["overall"][0]
	num := func(v any) string {
		if v == nil {
			return "null"
		}
		return strconv.FormatFloat(v.(float64), 'g', -1, 64)
	}
	expect := map[string]string{
		"events":              num(all["events"]),
		"countries":           strconv.Itoa(len(want["countries"])),
		"date_span":           fmt.Sprint(all["first_period"], "/", all["last_period"]),
		"fatalities_best_sum": num(all["fatalities_best_sum"]),
		"fatalities_low_sum":  num(all["fatalities_low_sum"]),
		"fatalities_high_sum": num(all["fatalities_high_sum"]),
		"fatalities_unknown":  num(all["fatalities_null"]),
		"tail_alpha":          num(all["tail_alpha"]),
		"tail_alpha_se":       num(all["tail_alpha_se"]),
		"tail_xmin":           num(all["tail_xmin"]),
		"tail_n":              num(all["tail_n_tail"]),
		"tail_ks":             num(all["tail_ks"]),
		"tail_p":              num(all["tail_p"]),
	}
	for _, p := range []string{"actor1", "actor2", "civilians", "unknown"} {
		expect["party_"+p] = num(all["fatalities_"+p+"_sum"])
		expect["party_"+p+"_share"] = num(all["fatalities_"+p+"_share"])
	}
	for k, v := range expect {
		if shown[k] != v {
			t.Errorf("page shows %s = %q, stats says %q", k, shown[k], v)
		}
	}
	if got, want := shown["fatalities_unknown_share"], num(all["fatalities_null"].(float64)/all["events"].(float64)); got != want {
		t.Errorf("share unknown = %s, want fatalities_null/events = %s", got, want)
	}
	if got, want := int64(len(r.Tail.Severity)), int64(all["tail_n"].(float64)); got != want {
		t.Errorf("the CCDF draws %d incidents, stats fitted tail_n = %d", got, want)
	}

	// the charts' data
	for i, row := range want["series"] {
		if r.Events.Labels[i] != row["period"] || num(r.Events.Value[i]) != num(row["events"]) ||
			num(r.Fatalities.Value[i]) != num(row["fatalities_best_sum"]) || num(r.Fatalities.Low[i]) != num(row["fatalities_low_sum"]) ||
			num(r.Fatalities.High[i]) != num(row["fatalities_high_sum"]) {
			t.Errorf("period %d: chart has %s %v %v [%v, %v], stats %v", i, r.Events.Labels[i], r.Events.Value[i],
				r.Fatalities.Value[i], r.Fatalities.Low[i], r.Fatalities.High[i], row)
		}
	}
	if len(want["series"]) != r.Events.Len() || r.Events.Len() < 12 {
		t.Errorf("%d periods drawn, stats has %d", r.Events.Len(), len(want["series"]))
	}
	if !slices.Contains(r.Events.Value, 0) {
		t.Error("the synthetic data's quiet quarters are missing from the events series")
	}
	bars := map[string][]Bar{"country_iso3": r.TopCountries, "actor1": r.TopActors, "event_type": r.TopEventTypes}
	for _, bd := range r.Breakdowns {
		bars[bd.Column] = bd.Bars
	}
	for col, got := range bars {
		rows := want["bars:"+col]
		if len(got) != len(rows) || len(got) == 0 {
			t.Errorf("%s: %d bars, stats has %d groups", col, len(got), len(rows))
			continue
		}
		for i, row := range rows {
			label := "(unknown)"
			if row[col] != nil {
				label = row[col].(string)
			}
			if et, err := schema.ParseEventType(label); col == "event_type" && err == nil {
				label = et.Label() // the page writes event types in words
			}
			if got[i].Label != label || num(got[i].Value) != num(row["events"]) || num(got[i].Share) != num(row["events_share"]) {
				t.Errorf("%s bar %d = %+v, stats %v %v %v", col, i, got[i], row[col], row["events"], row["events_share"])
			}
		}
	}

	// the golden file: what the page shows, for review when it changes
	golden := filepath.Join("testdata", "synthetic.golden.json")
	gotJSON, _ := json.MarshalIndent(shown, "", "  ")
	gotJSON = append(gotJSON, '\n')
	if *update {
		if err := os.WriteFile(golden, gotJSON, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	wantJSON, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (go test ./report -run TestReportNumbersEqualStats -update writes it)", err)
	}
	if !bytes.Equal(gotJSON, wantJSON) {
		t.Errorf("page numbers differ from %s (review, then -update):\ngot:\n%s", golden, gotJSON)
	}
}
