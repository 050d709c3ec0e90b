package profile

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/incidentkit/incidents/ingest/value"
	"github.com/incidentkit/incidents/schema"
)

// The ACLED profile (source_dataset "acled"). One row is one incident.
// Covered: exports, API pages and HDX files since the event-type revision of
// March 2019 (sub_event_type present), including 2023's disorder_type,
// civilian_targeting and tags; earlier vintages are the acled-old layout
// (acled_old.go).
//
//	ACLED column     ours                      how
//	event_id_cnty    source_id, incident_id    incident_id = "acled:" + event_id_cnty (required)
//	event_date       date_start, date_end      "2019-11-06", "06 November 2019", ...; widened by time_precision
//	year             (event_date)              checked, not read: settles a two-digit year ("9-May-20", as Excel
//	                                           resaves it) and checks an Excel serial ("41712"):
//	                                           value.ParseDateHint, a warning; a year that differs from
//	                                           event_date's is a warning and event_date is kept
//	time_precision   date_precision            1 day; 2 week (ACLED codes the middle of the week: date-3..date+3);
//	                                           3 month (ACLED knows only the month: the whole calendar month);
//	                                           blank = 1
//	event_type,      event_type,               ACLEDEventType; source_event_type = "<event_type>: <sub_event_type>"
//	sub_event_type   sub_event_type
//	actor1, actor2   actor1, actor2            canonicalized (Options.Actors); ACLED's actor1 is not
//	                                           necessarily the aggressor
//	assoc_actor_1/2  assoc_actors              split on ";", both sides, distinct
//	iso              country_iso3, country     numeric ISO 3166; 0 or blank falls back to the country text
//	country          country_iso3, country     when iso does not resolve; a sea ("Red Sea") gives XXX and
//	                                           the name goes to location
//	admin1, admin2   admin1, admin2
//	location         location
//	latitude,        latitude, longitude
//	longitude
//	geo_precision    geo_precision             1 exact; 2 near; 3 admin1 (ACLED codes a larger region to
//	                                           its capital or centroid); blank unknown
//	source           sources, source_count     split on ";", white space collapsed (a no-break space is a space)
//	notes            notes
//	fatalities       fatalities_low/best/high  exact, a whole number (ACLED codes figures itself; a phrase is a
//	                                           reject); ACLED codes an unknown figure as 0, and 0 is kept as 0
//
// Other ACLED columns (inter1/inter2 as numbers or text, interaction,
// region, admin3, source_scale, timestamp, disorder_type, civilian_targeting,
// tags, iso3, data_id, event_id_no_cnty) are not used and are listed in the
// summary.
func init() { Register(acled{}) }

type acled struct{}

func (acled) Name() string { return "acled" }

func (acled) Detect() Detection {
	return Detection{Order: 10, Signature: []string{"event_id_cnty", "event_date", "event_type", "sub_event_type", "fatalities"}}
}

func (acled) Columns() []string {
	return []string{"event_id_cnty", "event_date", "year", "time_precision", "event_type", "sub_event_type",
		"actor1", "actor2", "assoc_actor_1", "assoc_actor_2", "iso", "country", "admin1", "admin2",
		"location", "latitude", "longitude", "geo_precision", "source", "notes", "fatalities"}
}

func (acled) InputColumn(schemaColumn string) string {
	switch schemaColumn {
	case "latitude", "longitude":
		return schemaColumn
	case "date_start":
		return "event_date"
	case "fatalities_low", "fatalities_best", "fatalities_high":
		return "fatalities"
	case "source_count":
		return "source"
	}
	return ""
}

func (acled) Bind(h *Header, opts *Options) (Converter, error) {
	return bindACLED(h, opts, nil), nil
}

// bindACLED binds the converter of both ACLED layouts; old is nil for the
// current one (see acled_old.go).
func bindACLED(h *Header, opts *Options, old *acledOldCols) *acledConv {
	c := &acledConv{
		opts: opts, id: h.Col("event_id_cnty"), date: h.Col("event_date"), timePrec: h.Col("time_precision"),
		evType: h.Col("event_type"), subType: h.Col("sub_event_type"), actor1: h.Col("actor1"), actor2: h.Col("actor2"),
		assoc1: h.Col("assoc_actor_1"), assoc2: h.Col("assoc_actor_2"), iso: h.Col("iso"), country: h.Col("country"),
		admin1: h.Col("admin1"), admin2: h.Col("admin2"), location: h.Col("location"), lat: h.Col("latitude"),
		lon: h.Col("longitude"), geoPrec: h.Col("geo_precision"), source: h.Col("source"), notes: h.Col("notes"),
		fatalities: h.Col("fatalities"), year: h.Col("year"), types: map[[2]string]acledType{},
		skipActors: !opts.wants("actor1", "actor2", "assoc_actors"), old: old, dateOrder: opts.DateOrder,
		// A projection (stats from a raw file) converts and checks only the
		// fields behind the columns it builds: a row is rejected for what
		// those columns show, never for a coordinate or geo_precision it
		// does not read (TestProjectedStatsRejects).
		skipCoords:  !opts.wants("latitude", "longitude"),
		skipGeo:     !opts.wants("geo_precision"),
		skipSources: !opts.wants("sources", "source_count"),
		skipTypes:   !opts.wants("event_type", "sub_event_type", "source_event_type"),
	}
	if old != nil {
		old.bind(h, c)
	}
	return c
}

type acledConv struct {
	opts                                                   *Options
	id, date, timePrec, evType, subType, actor1, actor2    int
	assoc1, assoc2, iso, country, admin1, admin2, location int
	lat, lon, geoPrec, source, notes, fatalities, year     int
	types                                                  map[[2]string]acledType // per (event_type, sub_event_type)
	idBuf                                                  []byte
	assoc, assoc2buf, sources                              []string // reused per row
	skipActors                                             bool     // no actor column is built (Options.Columns)
	skipCoords, skipGeo, skipSources, skipTypes            bool     // likewise for those columns
	old                                                    *acledOldCols
	dateOrder                                              value.DateOrder
}

// spaceClean trims a name and collapses its runs of white space (a no-break
// space included) to one space: ACLED's 2015 files write "United News
// of\u00a0Bangladesh" beside "United News of Bangladesh".
var spaceClean = (*value.ActorNames)(nil).Canonical

type acledType struct {
	class value.EventClass
	known bool
	label string // source_event_type, interned
}

func (c *acledConv) Convert(r *Row, in *schema.Incident) error {
	if err := checkHXL(r, c.id, "event_id_cnty"); err != nil { // HDX's ACLED files carry one
		return err
	}
	id := r.get(c.id)
	if id == "" {
		return r.fail(c.id, "event_id_cnty", fmt.Errorf("%w: event_id_cnty", schema.ErrRequired))
	}
	// incident_id lives in a buffer the next row overwrites: the pipeline copies
	// it into the Arrow builder (and hashes it) before converting the next row.
	c.idBuf = append(append(c.idBuf[:0], "acled:"...), id...)
	in.SourceDataset, in.SourceID, in.IncidentID = "acled", id, bstr(c.idBuf)
	hint := value.DateHint{Order: c.dateOrder}
	if y, err := strconv.Atoi(r.get(c.year)); err == nil && y > 0 {
		hint.Year = y // a bad year is not this column's reject: the date still must read on its own
	}
	start, end, prec, err := parseDateFieldYear(r, c.date, "event_date", hint)
	if err != nil {
		return err
	}
	if y, _, _ := start.Civil(); hint.Year != 0 && y != hint.Year && r.Warn != nil {
		// the column is checked, not read: the date says more than its year
		r.Warn(c.name() + ": year differs from event_date's year: event_date kept")
	}
	switch tp := r.get(c.timePrec); tp {
	case "", "1":
	case "2":
		start, end, prec = start-3, end+3, schema.DateWeek
	case "3":
		y, m, _ := start.Civil()
		start, end, prec = schema.DateOf(y, m, 1), schema.DateOf(y, m+1, 0), schema.DateMonth
	default:
		return r.fail(c.timePrec, "time_precision", fmt.Errorf("%w: time_precision is 1, 2 or 3", ErrUnknownValue))
	}
	in.DateStart, in.DateEnd, in.DatePrecision = start, end, prec

	if c.old != nil {
		if err := c.old.eventType(r, in); err != nil {
			return err
		}
	} else if !c.skipTypes {
		c.eventType(r, in)
	}

	if !c.skipActors { // actors never reject a row: skipped when not built
		in.Actor1 = c.opts.Actors.Canonical(r.get(c.actor1))
		in.Actor2 = c.opts.Actors.Canonical(r.get(c.actor2))
		c.assoc = appendList(c.assoc, r.get(c.assoc1), c.opts.Actors.Canonical)
		c.assoc2buf = appendList(c.assoc2buf, r.get(c.assoc2), c.opts.Actors.Canonical)
		for _, a := range c.assoc2buf {
			c.assoc = appendDistinct(c.assoc, a)
		}
		in.AssocActors = c.assoc
	}

	in.Admin1, in.Admin2, in.Location = r.get(c.admin1), r.get(c.admin2), r.get(c.location)
	iso, text := r.get(c.iso), r.get(c.country)
	n, nerr := strconv.Atoi(iso)
	ctry, err := countryOf(n, nerr == nil && n > 0, value.CountryByNumeric, text)
	if err != nil {
		if text == "" && iso == "" {
			err = fmt.Errorf("%w: iso and country both empty", value.ErrUnknownCountry)
		}
		if c.old == nil || !c.old.countryByGW(r, text, &ctry) {
			return r.fail(c.country, "country", err)
		}
	}
	if c.old != nil {
		c.old.checkGW(r, ctry)
	}
	setCountry(in, ctry, text)
	if !c.skipCoords {
		if err := setCoords(r, in, c.lat, c.lon); err != nil {
			return err
		}
	}
	geoPrec := c.geoPrec
	if geoPrec < 0 && c.old != nil {
		geoPrec = c.old.geoPrecis
	}
	switch gp := r.get(geoPrec); {
	case c.skipGeo:
	case gp == "":
		in.GeoPrecision = schema.GeoUnknown
	case gp == "1":
		in.GeoPrecision = schema.GeoExact
	case gp == "2":
		in.GeoPrecision = schema.GeoNear
	case gp == "3":
		in.GeoPrecision = schema.GeoAdmin1
	default:
		return r.fail(geoPrec, "geo_precision", fmt.Errorf("%w: geo_precision is 1, 2 or 3", ErrUnknownValue))
	}
	if !c.skipSources {
		c.sources = appendList(c.sources, r.get(c.source), spaceClean)
		in.Sources = c.sources
		in.SourceCount = int16(len(in.Sources))
	}
	in.Notes = r.get(c.notes)
	// ACLED codes figures itself: a whole number, never a phrase to read.
	n, ok, err := parseInt(r, c.fatalities, "fatalities")
	switch {
	case err != nil || (ok && n < 0):
		return r.fail(c.fatalities, "fatalities", fmt.Errorf("%w: ACLED fatalities must be a whole number", value.ErrBadCasualty))
	case ok:
		in.Fatalities = schema.Exact(int32(n))
	}
	return nil
}

// eventType maps the current taxonomy: event_type and sub_event_type.
func (c *acledConv) eventType(r *Row, in *schema.Incident) {
	et, st := r.get(c.evType), r.get(c.subType)
	key := [2]string{et, st}
	t, ok := c.types[key]
	if !ok {
		t.class, t.known = value.ACLEDEventType(et, st)
		t.label = et
		if st != "" {
			t.label = et + ": " + st
		}
		if len(c.types) < 4096 { // a bounded cache: ACLED has 25 sub-event types
			// the fields point into a block that is recycled: keep copies
			t.label = strings.Clone(t.label)
			c.types[[2]string{strings.Clone(et), strings.Clone(st)}] = t
		}
	}
	if t.known {
		in.EventType, in.SubEventType = t.class.Type, t.class.SubType
	} else {
		r.Warn(fmt.Sprintf("acled: event type %q / %q not in ACLED's taxonomy: event_type unknown", et, st))
	}
	in.SourceEvent = t.label
}

// name is the layout's name, for warnings.
func (c *acledConv) name() string {
	if c.old != nil {
		return "acled-old"
	}
	return "acled"
}
