package ingest

import (
	"strings"
	"testing"
	"time"

	"github.com/incidentkit/incidents/schema"
)

// TestSeedIncident: the three reports of the Ishqobod border-post attack
// (the first rows of testdata/sample/reports.csv) reconcile to the figures
// of issue 3.
func TestSeedIncident(t *testing.T) {
	rows, sum, _, err := runNormalize(t, []string{"../testdata/sample/reports.csv"}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var in *schema.Incident
	for i := range rows {
		if rows[i].IncidentID == "tjk-2019-11-06-ishqobod" {
			in = &rows[i]
		}
	}
	if in == nil {
		t.Fatalf("seed incident not written; summary: %+v", sum)
	}
	check := func(name string, got schema.NullInt32, want int32) {
		t.Helper()
		if !got.Valid || got.Value != want {
			t.Errorf("%s = %s, want %d", name, got.String(), want)
		}
	}
	check("fatalities_low", in.Fatalities.Low, 17)
	check("fatalities_best", in.Fatalities.Best, 17)
	check("fatalities_high", in.Fatalities.High, 17)
	check("fatalities_actor1", in.FatalitiesActor1, 15)
	check("fatalities_actor2", in.FatalitiesActor2, 2)
	check("detained_low", in.Detained.Low, 4)
	check("detained_best", in.Detained.Best, 4)
	check("detained_high", in.Detained.High, 5)
	if in.ClaimedBy != "Islamic State" {
		t.Errorf("claimed_by = %q, want Islamic State", in.ClaimedBy)
	}
	if len(in.Sources) != 3 || in.SourceCount != 3 {
		t.Errorf("sources = %q (count %d), want 3", in.Sources, in.SourceCount)
	}
	if d := schema.DateOf(2019, time.November, 6); in.DateStart != d || in.DateEnd != d || in.DatePrecision != schema.DateDay {
		t.Errorf("date = %s..%s %s, want 2019-11-06 day", in.DateStart, in.DateEnd, in.DatePrecision)
	}
	if want := time.Date(2019, 11, 5, 22, 30, 0, 0, time.UTC); !in.TimeUTC.Equal(want) {
		t.Errorf("time_utc = %v, want %v", in.TimeUTC, want)
	}
	if in.CountryISO3 != "TJK" {
		t.Errorf("country_iso3 = %q", in.CountryISO3)
	}
	if !strings.Contains(in.Notes, "border guard center") {
		t.Errorf("notes do not list the claim's different location: %q", in.Notes)
	}
}
