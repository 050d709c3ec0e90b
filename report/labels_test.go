package report

import (
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
