package panel

import (
	"math"
	"strings"
	"testing"
)

var nan = math.NaN()

func TestCountryYear(t *testing.T) {
	from, to := day("2009-01-01"), day("2012-12-31")
	evs := []ev{
		{date: "2010-03-01", iso3: "SDN", best: n32(10), low: n32(5), high: n32(20)},
		{date: "2010-05-01", iso3: "SDN", best: nil},    // unknown: not 0
		{date: "2011-07-01", iso3: "SSD", best: n32(3)}, // before independence, counted in SSD 2011
		{date: "2012-02-01", iso3: "SSD", best: nil},
		{date: "2010-01-01", iso3: "XKX", best: n32(1)}, // Kosovo before 2008-02-17? no: 2010 is a member year
		{date: "2005-01-01", iso3: "XKX", best: n32(1)}, // before --from
		{date: "2011-01-01", iso3: "PSE", best: n32(2)}, // no GW state
		{date: "2011-01-01", iso3: "", best: n32(2)},    // XXX
	}
	tb, sum, _ := build(t, Options{Unit: UnitCountry, Period: "year", From: &from, To: &to}, evs)
	check := func(match map[string]string, want map[string]string) {
		t.Helper()
		r := tb.find(t, match)
		if r == nil {
			if want != nil {
				t.Errorf("no row %v", match)
			}
			return
		}
		if want == nil {
			t.Errorf("row %v present, want none", match)
			return
		}
		for k, v := range want {
			if r[k] != v {
				t.Errorf("%v: %s = %s, want %s", match, k, r[k], v)
			}
		}
	}
	check(map[string]string{"gwcode": "625", "period": "2010"}, map[string]string{"events": "2", "fatalities_best": "10",
		"fatalities_best_null": "1", "fatalities_low": "5", "fatalities_high": "20", "fatalities_actor1": "null", "fatalities_actor1_null": "2",
		"any_event": "true", "country_iso3": "SDN", "gwc": "SUD", "period_start": "2010-01-01", "period_end": "2010-12-31"})
	check(map[string]string{"gwcode": "625", "period": "2009"}, map[string]string{"events": "0", "fatalities_best": "0", "fatalities_best_null": "0", "any_event": "false"})
	check(map[string]string{"gwcode": "626", "period": "2010"}, nil) // South Sudan before independence: absent
	check(map[string]string{"gwcode": "626", "period": "2011"}, map[string]string{"events": "1", "fatalities_best": "3"})
	check(map[string]string{"gwcode": "626", "period": "2012"}, map[string]string{"events": "1", "fatalities_best": "null", "fatalities_best_null": "1"})
	check(map[string]string{"gwcode": "347", "period": "2010"}, map[string]string{"events": "1"})
	// Every member state-year of 2009-2012 is there: GW has 174 states then, South Sudan from 2011.
	if len(tb.rows) != 173*4+2 {
		t.Errorf("%d rows, want %d", len(tb.rows), 173*4+2)
	}
	if sum.BeforeFrom != 1 || sum.NoCountry != 1 || sum.OutsideTotal() != 1 || sum.OutsideMembership[0].ISO3 != "PSE" ||
		sum.DatedOutsideMembership != 1 || sum.Counted != 5 {
		t.Errorf("summary %+v", sum)
	}
	if got := sum.Counted + sum.BeforeFrom + sum.AfterTo + sum.NoCountry + sum.OutsideTotal(); got != sum.Rows {
		t.Errorf("accounting: %d != %d rows", got, sum.Rows)
	}
	// sorted by unit (gwcode) then period
	for i := 1; i < len(tb.rows); i++ {
		a, b := tb.rows[i-1], tb.rows[i]
		if atoi(a["gwcode"]) > atoi(b["gwcode"]) || (a["gwcode"] == b["gwcode"] && a["period"] >= b["period"]) {
			t.Fatalf("rows %d, %d out of order: %v %v", i-1, i, a["gwcode"]+a["period"], b["gwcode"]+b["period"])
		}
	}
}

func atoi(s string) int {
	n := 0
	for _, c := range s {
		n = n*10 + int(c-'0')
	}
	return n
}

func TestOnsetAndLags(t *testing.T) {
	from, to := day("2000-01-01"), day("2000-12-31")
	// AFG months: events in Jan, Feb, May, Jun, Dec.
	var evs []ev
	for _, d := range []string{"2000-01-05", "2000-02-05", "2000-05-05", "2000-06-05", "2000-06-09", "2000-12-05"} {
		evs = append(evs, ev{date: d, iso3: "AFG", best: n32(2)})
	}
	tb, _, _ := build(t, Options{Unit: UnitCountry, Period: "month", System: SystemISO, From: &from, To: &to, Lags: []int{1, 2}, OnsetGap: 2}, evs)
	if len(tb.rows) != 12 {
		t.Fatalf("%d rows", len(tb.rows))
	}
	wantOnset := []string{"null", "false", "false", "false", "true", "false", "false", "false", "false", "false", "false", "true"}
	wantEvents := []string{"1", "1", "0", "0", "1", "2", "0", "0", "0", "0", "0", "1"}
	for i, r := range tb.rows {
		if r["onset"] != wantOnset[i] || r["events"] != wantEvents[i] {
			t.Errorf("month %s: events %s onset %s, want %s %s", r["period"], r["events"], r["onset"], wantEvents[i], wantOnset[i])
		}
		lag1, lag2 := "null", "null"
		if i >= 1 {
			lag1 = wantEvents[i-1]
		}
		if i >= 2 {
			lag2 = wantEvents[i-2]
		}
		if r["events_lag1"] != lag1 || r["events_lag2"] != lag2 {
			t.Errorf("month %s: lags %s %s, want %s %s", r["period"], r["events_lag1"], r["events_lag2"], lag1, lag2)
		}
	}
	if tb.rows[6]["fatalities_best_lag1"] != "4" {
		t.Errorf("fatalities_best_lag1 of July = %s, want 4", tb.rows[6]["fatalities_best_lag1"])
	}
}

func TestBySourceDataset(t *testing.T) {
	evs := []ev{
		{date: "2019-01-01", iso3: "NGA", source: "acled", best: n32(4)},
		{date: "2019-02-01", iso3: "NGA", source: "ucdp-ged", best: n32(7)},
		{date: "2019-02-01", iso3: "NGA", source: "ucdp-ged", best: nil},
		{date: "2020-02-01", iso3: "NGA", source: "gtd", best: nil},
	}
	tb, _, _ := build(t, Options{Unit: UnitCountry, System: SystemISO, By: "source_dataset"}, evs)
	r := tb.find(t, map[string]string{"period": "2019"})
	for k, v := range map[string]string{"events_acled": "1", "fatalities_best_acled": "4", "events_ucdp_ged": "2",
		"fatalities_best_ucdp_ged": "7", "fatalities_best_null_ucdp_ged": "1", "events_gtd": "0", "fatalities_best_gtd": "0"} {
		if r[k] != v {
			t.Errorf("2019 %s = %s, want %s", k, r[k], v)
		}
	}
	r = tb.find(t, map[string]string{"period": "2020"})
	if r["events_gtd"] != "1" || r["fatalities_best_gtd"] != "null" || r["fatalities_best_null_gtd"] != "1" {
		t.Errorf("2020: %v", r)
	}
}

func TestByEventTypeAllColumns(t *testing.T) {
	evs := []ev{{date: "2019-01-01", iso3: "NGA", etype: "riots", admin1: "Lagos"}}
	tb, _, _ := build(t, Options{Unit: UnitAdmin1, By: "event_type"}, evs)
	for _, c := range []string{"events_battles", "events_riots", "events_protests", "events_unknown", "events_explosions_remote_violence"} {
		found := false
		for _, x := range tb.cols {
			found = found || x == c
		}
		if !found {
			t.Errorf("no column %s in %v", c, tb.cols)
		}
	}
	if r := tb.rows[0]; r["events_riots"] != "1" || r["events_battles"] != "0" || r["admin1"] != "Lagos" {
		t.Errorf("%v", r)
	}
}

func TestPrioGrid(t *testing.T) {
	from, to := day("2020-01-01"), day("2020-12-31")
	bb := &BBox{MinLon: 0, MinLat: 0, MaxLon: 1.99, MaxLat: 1.49} // 4 x 3 cells
	evs := []ev{
		{date: "2020-03-03", lat: 0.1, lon: 0.1, best: n32(1)},
		{date: "2020-03-04", lat: 0.2, lon: 0.3, best: n32(2)},
		{date: "2020-04-04", lat: 1.2, lon: 1.9, best: nil},
		{date: "2020-04-04", lat: 1.2, lon: 1.9, geo: "admin1", best: n32(9)},
		{date: "2020-04-04", lat: 1.2, lon: 1.9, geo: "country", best: n32(9)},
		{date: "2020-04-04", lat: nan, lon: nan, geo: "exact", best: n32(9)},
		{date: "2020-04-04", lat: 5, lon: 5, best: n32(9)}, // outside the box
	}
	tb, sum, batches := build(t, Options{Unit: UnitPrioGrid, Period: "month", From: &from, To: &to, Cells: CellsBBox, BBox: bb, BatchRows: 10}, evs)
	if len(tb.rows) != 12*12 {
		t.Fatalf("%d rows, want 144", len(tb.rows))
	}
	for _, n := range batches {
		if n > 10 {
			t.Errorf("batch of %d rows, want <= 10", n)
		}
	}
	r := tb.find(t, map[string]string{"gid": "129961", "period": "2020-03"})
	if r["events"] != "2" || r["fatalities_best"] != "3" || r["row"] != "181" || r["col"] != "361" || r["latitude"] != "0.25" {
		t.Errorf("cell 129961 March: %v", r)
	}
	g, _, _, _ := GridCell(1.2, 1.9)
	r = tb.find(t, map[string]string{"gid": itoa(g), "period": "2020-04"})
	if r["events"] != "1" || r["fatalities_best"] != "null" {
		t.Errorf("cell %d April: %v", g, r)
	}
	if sum.Coarse["admin1"] != 1 || sum.Coarse["country"] != 1 || sum.NoCoordinates != 1 || sum.OutsideBBox != 1 || sum.Counted != 3 {
		t.Errorf("summary %+v", sum)
	}
	if sum.Units != 12 || sum.RowsWritten != 144 {
		t.Errorf("units %d rows %d", sum.Units, sum.RowsWritten)
	}
	// --cells events: only the two cells with events, every month.
	tb, _, _ = build(t, Options{Unit: UnitPrioGrid, Period: "month", From: &from, To: &to}, evs)
	if len(tb.rows) != 3*12 { // (5,5) counts without a box
		t.Errorf("cells events: %d rows, want 36", len(tb.rows))
	}
}

func itoa(v int32) string {
	if v == 0 {
		return "0"
	}
	s := ""
	for v > 0 {
		s = string(rune('0'+v%10)) + s
		v /= 10
	}
	return s
}

func TestNoneUnit(t *testing.T) {
	evs := []ev{{date: "2019-12-30", iso3: "NGA"}, {date: "2020-01-02", iso3: "", best: n32(1)}}
	tb, _, _ := build(t, Options{Unit: UnitNone, Period: "week"}, evs)
	// 2019-12-30 is the Monday of ISO week 2020-W01; both events fall in it.
	if len(tb.rows) != 1 || tb.rows[0]["period"] != "2020-W01" || tb.rows[0]["events"] != "2" || tb.rows[0]["period_start"] != "2019-12-30" {
		t.Errorf("%v", tb.rows)
	}
}

func TestPrioGridCellList(t *testing.T) {
	list, err := ReadCellList(strings.NewReader("# land cells\ngid,row,col\n129961,181,361\n129962,181,362\n129961,181,361\n"))
	if err != nil || len(list) != 3 {
		t.Fatalf("%v %v", list, err)
	}
	if l, err := ReadCellList(strings.NewReader("5\n7\n")); err != nil || len(l) != 2 || l[1] != 7 {
		t.Errorf("plain list: %v %v", l, err)
	}
	if _, err := ReadCellList(strings.NewReader("gid\n999999\n")); err == nil {
		t.Error("gid out of range accepted")
	}
	from, to := day("2020-01-01"), day("2020-03-31")
	evs := []ev{
		{date: "2020-02-03", lat: 0.1, lon: 0.1, best: n32(1)},  // 129961
		{date: "2020-02-03", lat: 10.1, lon: 0.1, best: n32(1)}, // not in the list
	}
	tb, sum, _ := build(t, Options{Unit: UnitPrioGrid, Period: "month", From: &from, To: &to, Cells: CellsList, CellList: list}, evs)
	if len(tb.rows) != 2*3 || tb.rows[0]["gid"] != "129961" || tb.rows[3]["gid"] != "129962" || tb.rows[1]["events"] != "1" {
		t.Errorf("rows %v", tb.rows)
	}
	if sum.OutsideCells != 1 || sum.Counted != 1 {
		t.Errorf("summary %+v", sum)
	}
}
