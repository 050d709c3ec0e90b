package profile

import (
	"fmt"

	"github.com/incidentkit/incidents/ingest/value"
	"github.com/incidentkit/incidents/schema"
)

// The UCDP GED profile (source_dataset "ucdp-ged"). One row is one event.
// Covered: the GED CSV layout of versions 17.1 on (49 columns, read by name;
// tested on 23.1 and on HDX's 2021 copy with iso3, start_year, end_year, a
// pandas index and an HXL row, rejected as hxl_tags).
//
//	UCDP column        ours                        how
//	id                 source_id, incident_id      "ucdp-ged:" + id (required); pandas' "15960.0" is 15960
//	type_of_violence   violence_type, event_type   ucdpViolence: 1 state_based, 2 non_state (battles);
//	                                               3 one_sided (violence_against_civilians);
//	                                               source_event_type = "type_of_violence <n>"
//	side_a, side_b     actor1, actor2              canonicalized
//	country_id         country_iso3, country       Gleditsch-Ward number; falls back to the country text
//	country            (fallback)                  bracketed old names: "DR Congo (Zaire)"
//	adm_1, adm_2       admin1, admin2
//	where_coordinates  location
//	where_description  notes                       kept because where_prec 7 (water/airspace) has no place
//	latitude,          latitude, longitude
//	longitude
//	where_prec         geo_precision               1 exact, 2 near, 3 admin2, 4 admin1, 5 admin1 (larger than
//	                                               admin1), 6 country, 7 unknown
//	date_start,        date_start, date_end        time part ignored ("2019-11-06 00:00:00.000")
//	date_end
//	date_prec          date_precision              1 day, 2 days, 3 week, 4 month, 5 year
//	best, low, high    fatalities_best/low/high    best = deaths_a + deaths_b + deaths_civilians + deaths_unknown;
//	                                               inconsistent estimates (low 7, best 7, high 6: about 1% of
//	                                               GED events) keep best, low becomes the least and high the
//	                                               greatest of the three, with a counted warning and a note
//	                                               in notes (widenEstimate)
//	deaths_a, deaths_b fatalities_actor1/actor2
//	deaths_civilians   fatalities_civilians
//	deaths_unknown     fatalities_unknown
//	source_article     sources                     split on ";", the double quotes UCDP wraps each article
//	                                               in stripped ("\"AFP,2013-01-03,...\"")
//	number_of_sources  source_count                at least the number of sources listed
//
// The other GED columns (relid, year, active_year, code_status, conflict and
// dyad ids and names, side ids, source_office/date/headline/original,
// geom_wkt, priogrid_gid, region, event_clarity, gwnoa, gwnob) are listed as
// unused in the summary.
func init() { Register(ucdp{}) }

type ucdp struct{}

func (ucdp) Name() string { return "ucdp-ged" }

func (ucdp) Detect() Detection {
	return Detection{Order: 20, Signature: []string{"id", "type_of_violence", "side_a", "side_b", "date_start", "date_end", "best"}}
}

// ucdpColumns are the columns read, in the order of ucdpConv's indexes.
var ucdpColumns = []string{"id", "type_of_violence", "side_a", "side_b", "country_id", "country", "adm_1", "adm_2",
	"where_coordinates", "where_description", "latitude", "longitude", "where_prec", "date_start", "date_end",
	"date_prec", "best", "low", "high", "deaths_a", "deaths_b", "deaths_civilians", "deaths_unknown",
	"source_article", "number_of_sources"}

func (ucdp) Columns() []string { return ucdpColumns }

func (ucdp) InputColumn(schemaColumn string) string {
	switch schemaColumn {
	case "latitude", "longitude", "date_start":
		return schemaColumn
	case "fatalities_low":
		return "low"
	case "fatalities_best":
		return "best"
	case "fatalities_high":
		return "high"
	case "fatalities_actor1":
		return "deaths_a"
	case "fatalities_actor2":
		return "deaths_b"
	case "source_count":
		return "number_of_sources"
	}
	return ""
}

func (ucdp) Bind(h *Header, opts *Options) (Converter, error) {
	c := &ucdpConv{opts: opts}
	for i, p := range []*int{&c.id, &c.tov, &c.sideA, &c.sideB, &c.countryID, &c.country, &c.adm1, &c.adm2,
		&c.whereCoord, &c.whereDesc, &c.lat, &c.lon, &c.wherePrec, &c.dateStart, &c.dateEnd, &c.datePrec,
		&c.best, &c.low, &c.high, &c.deathsA, &c.deathsB, &c.deathsCiv, &c.deathsUnk, &c.sourceArticle, &c.nSources} {
		*p = h.Col(ucdpColumns[i])
	}
	return c, nil
}

type ucdpConv struct {
	opts                                                            *Options
	id, tov, sideA, sideB, countryID, country, adm1, adm2           int
	whereCoord, whereDesc, lat, lon, wherePrec                      int
	dateStart, dateEnd, datePrec, best, low, high                   int
	deathsA, deathsB, deathsCiv, deathsUnk, sourceArticle, nSources int
}

var ucdpGeo = map[int]schema.GeoPrecision{1: schema.GeoExact, 2: schema.GeoNear, 3: schema.GeoAdmin2,
	4: schema.GeoAdmin1, 5: schema.GeoAdmin1, 6: schema.GeoCountry, 7: schema.GeoUnknown}

var ucdpDatePrec = map[int]schema.DatePrecision{1: schema.DateDay, 2: schema.DateDays, 3: schema.DateWeek,
	4: schema.DateMonth, 5: schema.DateYear}

var tovLabels = [...]string{"", "type_of_violence 1", "type_of_violence 2", "type_of_violence 3"}

func (c *ucdpConv) Convert(r *Row, in *schema.Incident) error {
	if err := checkHXL(r, c.id, "id"); err != nil {
		return err
	}
	id := wholeNumberText(r.get(c.id))
	if id == "" {
		return r.fail(c.id, "id", fmt.Errorf("%w: id", schema.ErrRequired))
	}
	in.SourceDataset, in.SourceID, in.IncidentID = "ucdp-ged", id, "ucdp-ged:"+id
	tov, ok, err := parseInt(r, c.tov, "type_of_violence")
	if err != nil {
		return err
	}
	if ok {
		vt, cls, known := ucdpViolence(tov)
		if !known {
			return r.fail(c.tov, "type_of_violence", fmt.Errorf("%w: type_of_violence is 1, 2 or 3", ErrUnknownValue))
		}
		in.ViolenceType, in.EventType, in.SubEventType = vt, cls.Type, cls.SubType
		in.SourceEvent = tovLabels[tov]
	}
	in.Actor1 = c.opts.Actors.Canonical(r.get(c.sideA))
	in.Actor2 = c.opts.Actors.Canonical(r.get(c.sideB))

	in.Admin1, in.Admin2, in.Location = r.get(c.adm1), r.get(c.adm2), r.get(c.whereCoord)
	in.Notes = r.get(c.whereDesc)
	gw, ok, _ := parseInt(r, c.countryID, "country_id")
	text := r.get(c.country)
	ctry, err := countryOf(gw, ok, value.CountryByGleditschWard, text)
	if err != nil {
		return r.fail(c.country, "country", err)
	}
	setCountry(in, ctry, text)
	if err := setCoords(r, in, c.lat, c.lon); err != nil {
		return err
	}
	if wp, ok, err := parseInt(r, c.wherePrec, "where_prec"); err != nil {
		return err
	} else if ok {
		g, ok := ucdpGeo[wp]
		if !ok {
			return r.fail(c.wherePrec, "where_prec", fmt.Errorf("%w: where_prec is 1-7", ErrUnknownValue))
		}
		in.GeoPrecision = g
	}

	s1, _, p1, err := parseDateField(r, c.dateStart, "date_start", c.opts.DateOrder)
	if err != nil {
		return err
	}
	e2 := s1
	if r.get(c.dateEnd) != "" {
		var e error
		if _, e2, _, e = parseDateField(r, c.dateEnd, "date_end", c.opts.DateOrder); e != nil {
			return e
		}
	}
	in.DateStart, in.DateEnd, in.DatePrecision = s1, e2, p1
	if dp, ok, err := parseInt(r, c.datePrec, "date_prec"); err != nil {
		return err
	} else if ok {
		p, ok := ucdpDatePrec[dp]
		if !ok {
			return r.fail(c.datePrec, "date_prec", fmt.Errorf("%w: date_prec is 1-5", ErrUnknownValue))
		}
		in.DatePrecision = p
	} else if e2 != s1 {
		in.DatePrecision = schema.DateDays
	}

	for _, f := range []struct {
		col  int
		name string
		dst  *schema.NullInt32
	}{
		{c.best, "best", &in.Fatalities.Best}, {c.low, "low", &in.Fatalities.Low}, {c.high, "high", &in.Fatalities.High},
		{c.deathsA, "deaths_a", &in.FatalitiesActor1}, {c.deathsB, "deaths_b", &in.FatalitiesActor2},
		{c.deathsCiv, "deaths_civilians", &in.FatalitiesCivilians}, {c.deathsUnk, "deaths_unknown", &in.FatalitiesUnknown},
	} {
		n, ok, err := parseInt(r, f.col, f.name)
		if err != nil {
			return err
		}
		if ok && n >= 0 {
			*f.dst = schema.Int32(int32(n))
		} else if ok {
			return r.fail(f.col, f.name, fmt.Errorf("%w: negative count", ErrBadNumber))
		}
	}
	if note := widenEstimate(&in.Fatalities); note != "" {
		r.Warn(estimateWarning("ucdp-ged"))
		in.Notes = appendNote(in.Notes, note)
	}
	in.Sources = splitQuotedList(r.get(c.sourceArticle))
	in.SourceCount = int16(len(in.Sources))
	if n, ok, err := parseInt(r, c.nSources, "number_of_sources"); err != nil {
		return err
	} else if ok && n > int(in.SourceCount) && n <= 32767 {
		in.SourceCount = int16(n)
	}
	return nil
}

// ucdpViolence maps UCDP GED type_of_violence: 1 state-based and 2
// non-state conflict are battles, 3 one-sided violence is violence against
// civilians.
func ucdpViolence(code int) (schema.ViolenceType, value.EventClass, bool) {
	switch code {
	case 1:
		return schema.ViolenceStateBased, value.EventClass{Type: schema.EventBattles}, true
	case 2:
		return schema.ViolenceNonState, value.EventClass{Type: schema.EventBattles}, true
	case 3:
		return schema.ViolenceOneSided, value.EventClass{Type: schema.EventViolenceAgainstCivilians}, true
	}
	return schema.ViolenceNone, value.EventClass{}, false
}
