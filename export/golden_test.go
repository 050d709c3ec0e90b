package export

import (
	"math"
	"time"

	"github.com/incidentkit/incidents/schema"
)

// goldenIncidents exercises every column and null pattern: all nullable
// columns null, all set, zero versus null counts, int32 extremes, text with
// quotes, commas, newlines and non-ASCII, empty and non-empty lists, a
// timestamp with milliseconds, negative and extreme coordinates, several
// years and countries.
func goldenIncidents() []schema.Incident {
	n := schema.Int32
	return []schema.Incident{
		{
			IncidentID: "reports:ishkobod-2019-11-06", SourceDataset: "reports", SourceID: "ishkobod-2019-11-06",
			DateStart: schema.DateOf(2019, 11, 6), DateEnd: schema.DateOf(2019, 11, 6), DatePrecision: schema.DateDay,
			TimeUTC:     time.Date(2019, 11, 5, 22, 30, 0, 0, time.UTC),
			CountryISO3: "TJK", Country: "Tajikistan", Admin1: "Sughd", Admin2: "Rudaki", Location: "Ishkobod border post",
			Latitude: schema.Float64(38.5625), Longitude: schema.Float64(68.7791),
			GeoPrecision: schema.GeoExact, EventType: schema.EventBattles, SubEventType: "armed_clash",
			SourceEvent: "Armed clash", ViolenceType: schema.ViolenceNonState,
			Actor1: "Islamic State", Actor2: "Tajik border guards", AssocActors: []string{"unidentified gunmen", "police"},
			ClaimedBy:        "Islamic State",
			Fatalities:       schema.Estimate{Low: n(17), Best: n(17), High: n(20)},
			FatalitiesActor1: n(15), FatalitiesActor2: n(2), FatalitiesCivilians: n(0), FatalitiesUnknown: n(0),
			Injured:  schema.Estimate{Low: n(5), Best: n(5), High: n(5)},
			Detained: schema.Estimate{Low: n(5), Best: n(5), High: n(5)},
			Sources:  []string{"Reuters", "RFE/RL", "Amaq"}, SourceCount: 3,
			Notes: "dates differ: \"6 Nov\" vs 5 Nov; place, per ministry",
		},
		{
			// Every nullable column null, empty lists.
			IncidentID: "acled:XYZ0", SourceDataset: "acled",
			DateStart: schema.DateOf(1997, 1, 1), DateEnd: schema.DateOf(1997, 12, 31), DatePrecision: schema.DateYear,
			CountryISO3: "XXX", Country: "Unknown", GeoPrecision: schema.GeoUnknown, EventType: schema.EventUnknown,
			SourceCount: 0,
		},
		{
			IncidentID: "ucdp-ged:244657", SourceDataset: "ucdp-ged", SourceID: "244657",
			DateStart: schema.DateOf(2020, 2, 29), DateEnd: schema.DateOf(2020, 3, 4), DatePrecision: schema.DateDays,
			TimeUTC:     time.Date(2020, 2, 29, 23, 59, 59, 999e6, time.UTC),
			CountryISO3: "COD", Country: "Democratic Republic of the Congo", Admin1: "Nord-Kivu",
			Location: "Béni, \"Rwenzori\" sector,\nnear Mavivi", Latitude: schema.Float64(-90), Longitude: schema.Float64(-180),
			GeoPrecision: schema.GeoNear, EventType: schema.EventViolenceAgainstCivilians, SubEventType: "attack",
			ViolenceType: schema.ViolenceOneSided, Actor1: "ADF", AssocActors: []string{"a, b", "quote \" inside", "ünïcødé"},
			Fatalities:        schema.Estimate{Low: n(0), Best: n(2147483647), High: n(2147483647)},
			FatalitiesUnknown: n(2147483647),
			Injured:           schema.Estimate{High: n(9)},
			Sources:           []string{"Radio Okapi"}, SourceCount: 32767,
			Notes: "tab\there; backslash \\ and emoji 🙂",
		},
		{
			IncidentID: "gtd:201911060001", SourceDataset: "gtd", SourceID: "201911060001",
			DateStart: schema.DateOf(1970, 1, 1), DateEnd: schema.DateOf(1970, 1, 1), DatePrecision: schema.DateMonth,
			CountryISO3: "XKX", Country: "Kosovo", Admin2: "Prishtinë",
			Latitude: schema.Float64(42.6629), Longitude: schema.Float64(21.1655),
			GeoPrecision: schema.GeoAdmin2, EventType: schema.EventExplosionsRemoteViolence,
			Actor2: "civilians", ClaimedBy: "", Sources: []string{"", "x"}, SourceCount: 2,
			Detained: schema.Estimate{Low: n(1)},
		},
		{
			IncidentID: "reports:2023-riot", SourceDataset: "reports",
			DateStart: schema.DateOf(2023, 7, 14), DateEnd: schema.DateOf(2023, 7, 20), DatePrecision: schema.DateWeek,
			TimeUTC:     time.UnixMilli(-1).UTC(),
			CountryISO3: "FRA", Country: "France", Admin1: "Île-de-France",
			Latitude: schema.Float64(math.SmallestNonzeroFloat64), Longitude: schema.Float64(0),
			GeoPrecision: schema.GeoAdmin1, EventType: schema.EventRiots, SubEventType: "violent_demonstration",
			ViolenceType: schema.ViolenceStateBased, AssocActors: []string{"x"},
			Fatalities: schema.Estimate{Best: n(0)}, FatalitiesActor1: n(0),
			SourceCount: 1, Sources: []string{"AFP"},
		},
		{
			IncidentID: "reports:protest-2019", SourceDataset: "reports",
			DateStart: schema.DateOf(2019, 12, 31), DateEnd: schema.DateOf(2019, 12, 31), DatePrecision: schema.DateDay,
			CountryISO3: "TJK", Country: "Tajikistan", Location: "Dushanbe",
			GeoPrecision: schema.GeoCountry, EventType: schema.EventProtests,
			Sources: []string{"Asia-Plus"}, SourceCount: 1,
			Injured: schema.Estimate{Low: n(3), Best: n(6), High: n(9)},
		},
		{
			IncidentID: "custom:1", SourceDataset: "my-mapping",
			DateStart: schema.DateOf(2019, 1, 2), DateEnd: schema.DateOf(2019, 1, 2), DatePrecision: schema.DateDay,
			CountryISO3: "AFG", Country: "Afghanistan", GeoPrecision: schema.GeoExact,
			EventType: schema.EventStrategicDevelopments, Latitude: schema.Float64(34.5), Longitude: schema.Float64(69.25),
			SourceCount: 1, Sources: []string{"Pajhwok"},
		},
	}
}
