package report

import (
	"strings"
	"testing"

	"github.com/apache/arrow/go/v17/arrow/memory"

	"github.com/incidentkit/incidents/schema"
)

// Bars are labelled for people: event types in words, a country's name
// beside its code when Options.CountryName knows it.
func TestBarLabels(t *testing.T) {
	rows := []schema.Incident{
		{IncidentID: "a:1", DateStart: schema.DateOf(2019, 1, 1), CountryISO3: "SYR", EventType: schema.EventExplosionsRemoteViolence, Fatalities: schema.Exact(3)},
		{IncidentID: "a:2", DateStart: schema.DateOf(2019, 1, 2), CountryISO3: "SYR", EventType: schema.EventBattles, Fatalities: schema.Exact(1)},
		{IncidentID: "a:3", DateStart: schema.DateOf(2019, 1, 3), CountryISO3: "XXX", EventType: schema.EventBattles, Fatalities: schema.Exact(0)},
	}
	names := map[string]string{"SYR": "Syria"}
	b, err := NewBuilder(Options{Bootstrap: -1, CountryName: func(iso3 string) string { return names[iso3] }})
	if err != nil {
		t.Fatal(err)
	}
	rec := schema.NewRecord(memory.DefaultAllocator, rows)
	defer rec.Release()
	if err := b.Add(rec); err != nil {
		t.Fatal(err)
	}
	r, err := b.Report()
	if err != nil {
		t.Fatal(err)
	}
	var countries, types []string
	for _, bar := range r.TopCountries {
		countries = append(countries, bar.Label)
	}
	for _, bar := range r.TopEventTypes {
		types = append(types, bar.Label)
	}
	if len(countries) != 2 || countries[0] != "SYR Syria" || countries[1] != "XXX" {
		t.Errorf("country bars %q, want [SYR Syria XXX]", countries)
	}
	if len(types) != 2 || types[0] != "Battles" || types[1] != "Explosions/remote violence" {
		t.Errorf("event type bars %q", types)
	}
}

// Long bar labels wrap at words instead of being cut; only a label past
// three lines ends in an ellipsis.
func TestWrapLabel(t *testing.T) {
	for _, c := range []struct {
		in   string
		want []string
	}{
		{"Islamic State", []string{"Islamic State"}},
		{"", []string{""}},
		{"Military Forces of Tajikistan (1994-) Border Guards", []string{"Military Forces of Tajikistan", "(1994-) Border Guards"}},
		{"A remarkably long actor name that needs to be shortened on the chart", []string{"A remarkably long actor name", "that needs to be shortened on", "the chart"}},
		{"Unidentified Armed Group (Democratic Republic of Congo) operating in North Kivu and Ituri provinces",
			[]string{"Unidentified Armed Group", "(Democratic Republic of Congo)", "operating in North Kivu and I…"}},
		{"Supercalifragilisticexpialidocious-Brigade-Of-The-North", []string{"Supercalifragilisticexpialidoc", "ious-Brigade-Of-The-North"}},
	} {
		got := wrapLabel(c.in)
		if strings.Join(got, "|") != strings.Join(c.want, "|") {
			t.Errorf("wrapLabel(%q) = %q, want %q", c.in, got, c.want)
		}
		for _, l := range got {
			if n := len([]rune(l)); n > labelLine {
				t.Errorf("wrapLabel(%q): line %q has %d runes", c.in, l, n)
			}
		}
	}
}

// A fatalities series whose low and high equal the best everywhere draws
// no band, and the caption says why.
func TestFlatBand(t *testing.T) {
	s := Series{Name: "best estimate", Labels: []string{"2019-01", "2019-02"}, Value: []float64{3, 5}, Low: []float64{3, 5}, High: []float64{3, 5}}
	if !s.BandFlat() || !strings.Contains(fatalitiesCaption(s, "month"), "no low-high band is drawn") {
		t.Errorf("flat band not said: %q", fatalitiesCaption(s, "month"))
	}
	s.High = []float64{3, 6}
	if s.BandFlat() || !strings.Contains(fatalitiesCaption(s, "month"), "the band spans") {
		t.Errorf("a band is flat: %q", fatalitiesCaption(s, "month"))
	}
}
