package profile

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/incidentkit/incidents/schema"
)

// The GDELT layout checked against the GDELT 2.0 Event Codebook (V2.0,
// 2015), the 1.0 codebook (V1.03) and CAMEO 1.1b3, written out by hand.

// gdeltRow builds a headerless GDELT row of n columns (61, 58, 57) with
// the named fields set, and reads it as ingest would: columns named by
// HeaderlessColumns, then Bind and Convert.
func gdeltRow(t *testing.T, n int, opts Options, set map[string]string) (schema.Incident, error) {
	t.Helper()
	cols := GDELTColumns2
	if n != 61 {
		cols = GDELTColumns1[:n]
	}
	fields := make([]string, len(cols))
	base := map[string]string{"GLOBALEVENTID": "410412347", "SQLDATE": "20150218", "Year": "2015", "EventCode": "190"}
	for i, c := range cols {
		if v, ok := set[c]; ok {
			fields[i] = v
		} else {
			fields[i] = base[c]
		}
	}
	got := gdelt{}.HeaderlessColumns(fields)
	if len(got) != n {
		t.Fatalf("a %d-column GDELT row was not recognized", n)
	}
	conv, err := gdelt{}.Bind(NewHeader(got), &opts)
	if err != nil {
		t.Fatal(err)
	}
	var in schema.Incident
	err = conv.Convert(&Row{File: "x.export.CSV", Line: 1, Fields: fields, Warn: func(string) {}}, &in)
	return in, err
}

func TestGDELTColumnOrder(t *testing.T) {
	// The codebooks' positions (1-based) of the columns a wrong order would
	// shift: 2.0 has 61, 1.0 58 (no ADM2 codes).
	for _, c := range []struct {
		cols []string
		pos  map[string]int
	}{
		{GDELTColumns2, map[string]int{"GLOBALEVENTID": 1, "SQLDATE": 2, "Actor1Name": 7, "Actor2Name": 17, "IsRootEvent": 26,
			"EventCode": 27, "EventRootCode": 29, "QuadClass": 30, "NumSources": 33, "AvgTone": 35, "Actor1Geo_Type": 36,
			"Actor1Geo_ADM2Code": 40, "ActionGeo_Type": 52, "ActionGeo_CountryCode": 54, "ActionGeo_Lat": 57,
			"ActionGeo_Long": 58, "ActionGeo_FeatureID": 59, "DATEADDED": 60, "SOURCEURL": 61}},
		{GDELTColumns1, map[string]int{"EventCode": 27, "Actor1Geo_Type": 36, "Actor2Geo_Type": 43, "ActionGeo_Type": 50,
			"ActionGeo_CountryCode": 52, "ActionGeo_Lat": 54, "ActionGeo_Long": 55, "DATEADDED": 57, "SOURCEURL": 58}},
	} {
		for name, pos := range c.pos {
			if pos > len(c.cols) || c.cols[pos-1] != name {
				t.Errorf("%d-column order: %s is not column %d", len(c.cols), name, pos)
			}
		}
	}
	if len(GDELTColumns2) != 61 || len(GDELTColumns1) != 58 {
		t.Errorf("column counts %d, %d; want 61, 58", len(GDELTColumns2), len(GDELTColumns1))
	}
}

func TestGDELTMapping(t *testing.T) {
	in, err := gdeltRow(t, 61, Options{}, map[string]string{"EventCode": "1831", "EventBaseCode": "183", "EventRootCode": "18",
		"Actor1Name": "MILITANT", "Actor2Name": "POLICE", "ActionGeo_Type": "4", "ActionGeo_FullName": "Kramatorsk, Donets'k, Ukraine",
		"ActionGeo_CountryCode": "UP", "ActionGeo_Lat": "48.7194", "ActionGeo_Long": "37.5556", "NumSources": "3",
		"NumArticles": "12", "NumMentions": "14", "GoldsteinScale": "-10.0", "AvgTone": "-7.5", "QuadClass": "4",
		"SOURCEURL": "https://example.org/a", "Actor1Geo_CountryCode": "RS", "Actor1Geo_Lat": "55.75"})
	if err != nil {
		t.Fatal(err)
	}
	want := schema.Incident{IncidentID: "gdelt:410412347", SourceDataset: "gdelt", SourceID: "410412347",
		DateStart: d(2015, 2, 18), DateEnd: d(2015, 2, 18), DatePrecision: schema.DateDay,
		EventType: schema.EventExplosionsRemoteViolence, SubEventType: "bombing", SourceEvent: "1831",
		Actor1: "MILITANT", Actor2: "POLICE", CountryISO3: "UKR", Country: in.Country, Admin1: "Donets'k",
		Location: "Kramatorsk, Donets'k, Ukraine", Latitude: schema.Float64(48.7194), Longitude: schema.Float64(37.5556),
		GeoPrecision: schema.GeoNear, Sources: []string{"https://example.org/a"}, SourceCount: 3,
		Notes: "GDELT: 12 articles, 14 mentions, Goldstein -10.0, tone -7.5, quad class 4"}
	if in.Country != "Ukraine" {
		t.Errorf("country %q, want Ukraine (FIPS UP)", in.Country)
	}
	if !reflect.DeepEqual(in, want) {
		t.Errorf("got\n%+v\nwant\n%+v", in, want)
	}
	if in.Fatalities.Best.Valid || in.Fatalities.Low.Valid || in.Fatalities.High.Valid {
		t.Error("GDELT codes no fatalities: they must be null, never 0")
	}
}

func TestGDELTVersion1(t *testing.T) {
	for _, n := range []int{58, 57} {
		in, err := gdeltRow(t, n, Options{}, map[string]string{"EventCode": "145", "ActionGeo_Type": "5",
			"ActionGeo_FullName": "Punjab, Pakistan", "ActionGeo_CountryCode": "PK", "ActionGeo_Lat": "30", "ActionGeo_Long": "70"})
		if err != nil {
			t.Fatal(err)
		}
		if in.EventType != schema.EventRiots || in.CountryISO3 != "PAK" || in.Admin1 != "Punjab" ||
			in.GeoPrecision != schema.GeoAdmin1 || !in.Latitude.Valid || in.Latitude.Value != 30 {
			t.Errorf("%d columns: %+v", n, in)
		}
	}
}

func TestCodebookCAMEO(t *testing.T) {
	for code, want := range map[string]schema.EventType{
		"140": schema.EventProtests, "141": schema.EventProtests, "1411": schema.EventProtests, "143": schema.EventProtests,
		"145": schema.EventRiots, "1451": schema.EventRiots,
		"180": schema.EventViolenceAgainstCivilians, "181": schema.EventViolenceAgainstCivilians,
		"1823": schema.EventViolenceAgainstCivilians, "186": schema.EventViolenceAgainstCivilians,
		"183": schema.EventExplosionsRemoteViolence, "1833": schema.EventExplosionsRemoteViolence,
		"190": schema.EventBattles, "193": schema.EventBattles, "196": schema.EventBattles, "192": schema.EventBattles,
		"194": schema.EventExplosionsRemoteViolence, "195": schema.EventExplosionsRemoteViolence,
		"1952": schema.EventExplosionsRemoteViolence, "191": schema.EventStrategicDevelopments,
		"202": schema.EventViolenceAgainstCivilians, "203": schema.EventViolenceAgainstCivilians,
		"2042": schema.EventExplosionsRemoteViolence,
		"173":  schema.EventStrategicDevelopments, "150": schema.EventStrategicDevelopments,
		"040": schema.EventUnknown, "010": schema.EventUnknown, "130": schema.EventUnknown,
	} {
		root := code[:2]
		in, err := gdeltRow(t, 61, Options{GDELT: GDELTOptions{All: true}}, map[string]string{"EventCode": code, "EventRootCode": root})
		if err != nil {
			t.Errorf("%s: %v", code, err)
			continue
		}
		if in.EventType != want || in.SourceEvent != code {
			t.Errorf("CAMEO %s: %s (%q), want %s", code, in.EventType, in.SourceEvent, want)
		}
	}
}

func TestGDELTRoots(t *testing.T) {
	o, err := ParseCAMEORoots("14, 19")
	if err != nil {
		t.Fatal(err)
	}
	for code, kept := range map[string]bool{"141": true, "190": true, "183": false, "040": false} {
		_, err := gdeltRow(t, 61, Options{GDELT: o}, map[string]string{"EventCode": code})
		if kept != (err == nil) || (!kept && !errors.Is(err, ErrFiltered)) {
			t.Errorf("--cameo-roots 14,19, CAMEO %s: %v", code, err)
		}
	}
	// the default keeps protest, assault, fight and mass violence only
	for code, kept := range map[string]bool{"141": true, "183": true, "190": true, "202": true, "173": false, "040": false} {
		_, err := gdeltRow(t, 61, Options{}, map[string]string{"EventCode": code})
		if kept != (err == nil) {
			t.Errorf("default roots, CAMEO %s: %v", code, err)
		}
	}
	for _, bad := range []string{"0", "21", "x", "14,,18", ""} {
		if _, err := ParseCAMEORoots(bad); err == nil {
			t.Errorf("--cameo-roots %q accepted", bad)
		}
	}
}

func TestGDELTRejects(t *testing.T) {
	for name, c := range map[string]struct {
		set   map[string]string
		field string
	}{
		"unknown FIPS":   {map[string]string{"ActionGeo_CountryCode": "ZZ"}, "ActionGeo_CountryCode"},
		"root disagrees": {map[string]string{"EventCode": "190", "EventRootCode": "18"}, "EventRootCode"},
		"impossible day": {map[string]string{"SQLDATE": "20150230"}, "SQLDATE"},
		"geo type 9":     {map[string]string{"ActionGeo_Type": "9"}, "ActionGeo_Type"},
		"bad latitude":   {map[string]string{"ActionGeo_Lat": "north"}, "latitude"},
	} {
		_, err := gdeltRow(t, 61, Options{}, c.set)
		if err == nil || !strings.Contains(err.Error(), c.field) {
			t.Errorf("%s: %v, want a reject naming %s", name, err, c.field)
		}
	}
	row := make([]string, 61)
	row[0], row[1], row[3], row[26] = "4104x", "20150218", "2015", "190"
	if (gdelt{}).HeaderlessColumns(row) != nil {
		t.Error("a row with a non-numeric GLOBALEVENTID was taken for GDELT data")
	}
	row[0], row[3] = "410412347", "2014"
	if (gdelt{}).HeaderlessColumns(row) != nil {
		t.Error("a row whose Year is not SQLDATE's was taken for GDELT data")
	}
}

// The codebook's ActionGeo_Type: 1 COUNTRY, 2 USSTATE, 3 USCITY, 4
// WORLDCITY, 5 WORLDSTATE; 0 no place.
func TestCodebookGDELTGeoType(t *testing.T) {
	for code, want := range map[string]schema.GeoPrecision{"0": schema.GeoUnknown, "1": schema.GeoCountry,
		"2": schema.GeoAdmin1, "3": schema.GeoNear, "4": schema.GeoNear, "5": schema.GeoAdmin1} {
		in, err := gdeltRow(t, 61, Options{}, map[string]string{"ActionGeo_Type": code, "ActionGeo_CountryCode": "US"})
		if err != nil || in.GeoPrecision != want {
			t.Errorf("ActionGeo_Type %s: %v, %v; want %v", code, in.GeoPrecision, err, want)
		}
	}
}

// Every CAMEO base code of the kept roots names its sub_event_type after
// the codebook's label (CAMEO 1.1b3), written out here again.
func TestCodebookCAMEOSubTypes(t *testing.T) {
	for code, want := range map[string]string{
		"140": "political_dissent", "141": "demonstrate_or_rally", "142": "hunger_strike", "143": "strike_or_boycott",
		"144": "obstruct_passage_or_block", "1451": "protest_violently_riot",
		"180": "unconventional_violence", "181": "abduct_hijack_or_take_hostage", "1822": "physically_assault",
		"1832": "bombing", "184": "use_as_human_shield", "185": "attempt_to_assassinate", "186": "assassinate",
		"190": "conventional_military_force", "191": "impose_blockade", "192": "occupy_territory",
		"193": "fight_with_small_arms_and_light_weapons", "194": "fight_with_artillery_and_tanks",
		"1951": "employ_aerial_weapons", "196": "violate_ceasefire",
		"200": "unconventional_mass_violence", "201": "mass_expulsion", "202": "mass_killings",
		"203": "ethnic_cleansing", "2041": "weapons_of_mass_destruction", "040": "",
	} {
		in, err := gdeltRow(t, 61, Options{GDELT: GDELTOptions{All: true}}, map[string]string{"EventCode": code})
		if err != nil || in.SubEventType != want {
			t.Errorf("CAMEO %s: sub_event_type %q, %v; want %q", code, in.SubEventType, err, want)
		}
	}
}
