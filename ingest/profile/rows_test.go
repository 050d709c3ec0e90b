package profile

import (
	"errors"
	"slices"
	"testing"

	"github.com/incidentkit/incidents/schema"
)

func TestWidenEstimate(t *testing.T) {
	// The rows of testdata/real/ged-inconsistent/SOURCES.md: (low, best, high) in, out.
	for _, c := range []struct{ in, want [3]int32 }{
		{[3]int32{3, 2, 3}, [3]int32{2, 2, 3}},             // row 7, id 236880: low > best
		{[3]int32{9, 10, 9}, [3]int32{9, 10, 10}},          // row 50, id 299515: high < best
		{[3]int32{18, 18, 17}, [3]int32{17, 18, 18}},       // row 51, id 406097: high < best, low > high
		{[3]int32{334, 333, 333}, [3]int32{333, 333, 334}}, // row 52, id 464847
		{[3]int32{15, 65, 15}, [3]int32{15, 65, 65}},       // HDX id 144171: best 65, low = high = 15
		{[3]int32{6, 7, 7}, [3]int32{6, 7, 7}},             // in order: untouched
		{[3]int32{0, 0, 0}, [3]int32{0, 0, 0}},
	} {
		e := schema.Estimate{Low: schema.Int32(c.in[0]), Best: schema.Int32(c.in[1]), High: schema.Int32(c.in[2])}
		note := widenEstimate(&e)
		got := [3]int32{e.Low.Value, e.Best.Value, e.High.Value}
		if got != c.want {
			t.Errorf("widenEstimate(%v) = %v, want %v", c.in, got, c.want)
		}
		if (note != "") != (c.in != c.want) {
			t.Errorf("widenEstimate(%v) note %q", c.in, note)
		}
		if err := (&schema.Incident{IncidentID: "x:1", SourceDataset: "x", SourceID: "1", CountryISO3: "SYR",
			Country: "Syria", EventType: schema.EventBattles, Fatalities: e}).Validate(); err != nil && errors.Is(err, schema.ErrOrder) {
			t.Errorf("widened %v still breaks the order: %v", got, err)
		}
	}
	// Two of three given: nothing to widen (validation decides).
	e := schema.Estimate{Low: schema.Int32(5), Best: schema.Int32(3)}
	if widenEstimate(&e) != "" || e.Low.Value != 5 {
		t.Errorf("widenEstimate with high null changed %+v", e)
	}
}

func TestSplitQuotedList(t *testing.T) {
	for in, want := range map[string][]string{
		`"Support Kurds in Syria,2013-01-03, Thursday 3 January 2013";"VDC,2013-01-03,Abdul Satar Mustafa Hankosh"`: {
			"Support Kurds in Syria,2013-01-03, Thursday 3 January 2013", "VDC,2013-01-03,Abdul Satar Mustafa Hankosh"},
		`"All Africa,2009-06-16,Police Deny Shooting Islamic Sect Members"`: {"All Africa,2009-06-16,Police Deny Shooting Islamic Sect Members"},
		`AFP 2009-07-27 "65 dead: police"; "Nigerian Islamist militants attack another town`: {
			`AFP 2009-07-27 "65 dead: police"`, "Nigerian Islamist militants attack another town"},
		`"A; still A" ; B`:      {"A; still A", "B"},
		`Reuters; AFP;;Reuters`: {"Reuters", "AFP"},
		``:                      nil,
	} {
		if got := splitQuotedList(in); !slices.Equal(got, want) {
			t.Errorf("splitQuotedList(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestWholeNumberText(t *testing.T) {
	for in, want := range map[string]string{"15960.0": "15960", "15960": "15960", "201301170001.0": "201301170001",
		"1.5": "1.5", "8188RTA": "8188RTA", "1e5.0": "1e5.0", "": ""} {
		if got := wholeNumberText(in); got != want {
			t.Errorf("wholeNumberText(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestHXLRow(t *testing.T) {
	hxl := &Row{Fields: []string{"0", "", "", "#date+year", "#date+year+start", "", "#group+name+first", "#affected+killed"}}
	if err := checkHXL(hxl, 1, "id"); !errors.Is(err, ErrHXLRow) {
		t.Errorf("HDX tag row: %v, want ErrHXLRow", err)
	}
	for _, fields := range [][]string{
		{"0", "15960.0", "", "#not a tag but text", "#x", "#y"}, // an id: data
		{"1", "", "2009", "#date", "#x", "Nigeria"},             // two other values: data
	} {
		if err := checkHXL(&Row{Fields: fields}, 1, "id"); err != nil {
			t.Errorf("checkHXL(%q) = %v, want nil", fields, err)
		}
	}
}
