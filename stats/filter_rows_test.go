package stats

import (
	"testing"

	"github.com/apache/arrow/go/v17/arrow/memory"

	"github.com/incidentkit/incidents/schema"
)

// TestFilterRowsAgreesWithWhere: the rows FilterRows keeps are the events
// the statistics count under the same filters, and each kept row passes
// the filters when checked by hand on the incident (5,000 rows of the DuckDB
// golden dataset, nulls included).
func TestFilterRowsAgreesWithWhere(t *testing.T) {
	incidents, _ := goldenDataset(5000, 7)
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	rec := schema.NewRecord(mem, incidents)
	defer rec.Release()
	sets := [][]string{
		nil,
		{"country_iso3=TJK,UZB"},
		{"country_iso3!=AFG"},
		{"fatalities_best>=10"},
		{"fatalities_best<3", "year>=2015"},
		{"date_start>=2016-03-01", "date_start<2017-01-01"},
		{"event_type=riots,protests", "fatalities_best!=0"},
		{"country_iso3<TJK"},
	}
	for _, ws := range sets {
		var where []Filter
		for _, w := range ws {
			f, err := ParseFilter(w)
			if err != nil {
				t.Fatal(err)
			}
			where = append(where, f)
		}
		idx, err := FilterRows(rec, where, nil)
		if err != nil {
			t.Fatal(err)
		}
		res := run(t, Options{Where: where}, incidents, 777)
		events := int64(0)
		if len(res.Rows) > 0 {
			events = get(t, res, 0, "events").Int
		}
		if int64(len(idx)) != events {
			t.Errorf("%v: FilterRows kept %d rows, the statistics count %d events", ws, len(idx), events)
		}
		if ws == nil && len(idx) != len(incidents) {
			t.Errorf("no filter kept %d of %d", len(idx), len(incidents))
		}
		kept := map[int32]bool{}
		for _, i := range idx {
			kept[i] = true
		}
		for i, inc := range incidents {
			if kept[int32(i)] != byHand(inc, ws) {
				t.Errorf("%v: row %d (%+v) kept %v", ws, i, inc, kept[int32(i)])
				break
			}
		}
	}
}

// byHand checks the filters of TestFilterRowsAgreesWithWhere on one incident.
func byHand(inc schema.Incident, ws []string) bool {
	best, known := inc.Fatalities.Best.Value, inc.Fatalities.Best.Valid
	for _, w := range ws {
		ok := true
		switch w {
		case "country_iso3=TJK,UZB":
			ok = inc.CountryISO3 == "TJK" || inc.CountryISO3 == "UZB"
		case "country_iso3!=AFG":
			ok = inc.CountryISO3 != "AFG"
		case "fatalities_best>=10":
			ok = known && best >= 10
		case "fatalities_best<3":
			ok = known && best < 3
		case "year>=2015":
			ok = inc.DateStart.Year() >= 2015
		case "date_start>=2016-03-01":
			ok = inc.DateStart >= schema.DateOf(2016, 3, 1)
		case "date_start<2017-01-01":
			ok = inc.DateStart < schema.DateOf(2017, 1, 1)
		case "event_type=riots,protests":
			ok = inc.EventType.String() == "riots" || inc.EventType.String() == "protests"
		case "fatalities_best!=0":
			ok = known && best != 0
		case "country_iso3<TJK":
			ok = inc.CountryISO3 < "TJK"
		default:
			panic(w)
		}
		if !ok {
			return false
		}
	}
	return true
}
