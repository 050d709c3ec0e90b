package profile

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/incidentkit/incidents/ingest/value"
	"github.com/incidentkit/incidents/schema"
)

// The GDELT events profile (source_dataset "gdelt"): GDELT 2.0 event exports
// (*.export.CSV.zip every 15 minutes since February 2015: 61 tab-separated
// columns) and GDELT 1.0 daily files (58 columns from April 2013 with
// SOURCEURL, 57 before). The files have no header row: the column names
// are the codebook's ("GDELT Event Database Data Format Codebook V2.0",
// 2015; V1.03 for 1.0), and a file is recognized by its first row (column
// count, a numeric GLOBALEVENTID, an 8-digit SQLDATE, a 4-digit Year, a
// CAMEO EventCode). A file with the codebook's names as its header row (a
// BigQuery export) is read by name.
//
//	GDELT column          ours                        how
//	GLOBALEVENTID         source_id, incident_id      "gdelt:" + id (required)
//	SQLDATE               date_start, date_end        YYYYMMDD, day precision (the date of the event as
//	                                                  reported, not the day GDELT saw it)
//	EventCode             source_event_type,          the CAMEO code as written ("190", "1831");
//	                      event_type, sub_event_type  cameoClass below
//	EventRootCode         (filter)                    --cameo-roots: rows of other roots are left out,
//	                                                  counted as filtered, not rejected
//	Actor1Name, 2Name     actor1, actor2              canonicalized
//	ActionGeo_CountryCode country_iso3, country       FIPS 10-4 (value.CountryByFIPS: UP Ukraine, IS Israel,
//	                                                  SU Sudan); blank (no place) is XXX
//	ActionGeo_FullName    location, admin1            "Toronto, Ontario, Canada": admin1 is the part before
//	                                                  the country for a city (types 3, 4) and the first
//	                                                  part for a state (2, 5)
//	ActionGeo_Lat, _Long  latitude, longitude
//	ActionGeo_Type        geo_precision               1 country; 2 US state, 5 world state: admin1; 3 US city,
//	                                                  4 world city: near (a city centroid); 0/blank unknown
//	NumSources            source_count
//	SOURCEURL             sources                     2.0 and 1.0 after April 2013
//	NumArticles,          notes                       "GDELT: 5 articles, 5 mentions, Goldstein -10, tone -4.2,
//	NumMentions,                                      quad class 4"
//	GoldsteinScale,
//	AvgTone, QuadClass
//	(none)                fatalities_*                null: GDELT codes no casualties, never 0
//
// cameoClass maps CAMEO (Schrodt 2012, CAMEO Conflict and Mediation Event
// Observations Codebook 1.1b3) onto our event types: 14 protest (145,
// protest violently, is riots); 18 assault (violence against civilians; 183
// bombings are explosions/remote violence); 19 fight (battles; 194
// artillery and tanks and 195 aerial weapons are explosions/remote
// violence, 191 blockade strategic developments); 20 unconventional mass
// violence (violence against civilians; 204 weapons of mass destruction is
// explosions/remote violence); 15-17 (force posture, reduced relations,
// coercion) strategic developments; 01-13 (verbal and material cooperation
// and conflict) unknown. sub_event_type is the CAMEO base code's name in
// snake_case.
func init() { Register(gdelt{}) }

type gdelt struct{}

func (gdelt) Name() string { return "gdelt" }

func (gdelt) Detect() Detection {
	return Detection{Order: 40, Signature: []string{"globaleventid", "sqldate", "eventcode", "actiongeo_countrycode"}}
}

// The codebook's columns. 1.0 has no *Geo_ADM2Code columns, and its files
// end with DATEADDED (57 columns) or DATEADDED, SOURCEURL (58).
var (
	gdeltActor = []string{"Code", "Name", "CountryCode", "KnownGroupCode", "EthnicCode", "Religion1Code",
		"Religion2Code", "Type1Code", "Type2Code", "Type3Code"}
	gdeltEvent = []string{"IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass", "GoldsteinScale",
		"NumMentions", "NumSources", "NumArticles", "AvgTone"}
	gdeltGeo2 = []string{"Type", "FullName", "CountryCode", "ADM1Code", "ADM2Code", "Lat", "Long", "FeatureID"}
	gdeltGeo1 = []string{"Type", "FullName", "CountryCode", "ADM1Code", "Lat", "Long", "FeatureID"}

	// GDELTColumns2 and GDELTColumns1 are the published column orders.
	GDELTColumns2 = gdeltColumns(gdeltGeo2, "DATEADDED", "SOURCEURL")
	GDELTColumns1 = gdeltColumns(gdeltGeo1, "DATEADDED", "SOURCEURL")
)

func gdeltColumns(geo []string, tail ...string) []string {
	cols := []string{"GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate"}
	for _, a := range []string{"Actor1", "Actor2"} {
		for _, c := range gdeltActor {
			cols = append(cols, a+c)
		}
	}
	cols = append(cols, gdeltEvent...)
	for _, g := range []string{"Actor1Geo_", "Actor2Geo_", "ActionGeo_"} {
		for _, c := range geo {
			cols = append(cols, g+c)
		}
	}
	return append(cols, tail...)
}

// FixedColumns is GDELT 2.0's order (--no-header --profile gdelt); the
// 1.0 files are told by their column count (HeaderlessColumns).
func (gdelt) FixedColumns() []string { return GDELTColumns2 }

// HeaderlessColumns names the columns of a file whose first row is GDELT
// data, by its field count: 61 (2.0), 58 or 57 (1.0); nil when the row is
// not GDELT's.
func (gdelt) HeaderlessColumns(first []string) []string {
	var cols []string
	switch len(first) {
	case 61:
		cols = GDELTColumns2
	case 58:
		cols = GDELTColumns1
	case 57:
		cols = GDELTColumns1[:57]
	default:
		return nil
	}
	id, day, year := strings.TrimSpace(first[0]), strings.TrimSpace(first[1]), strings.TrimSpace(first[3])
	code := strings.TrimSpace(first[slicesIndex(cols, "EventCode")])
	if !allDigits(id) || len(day) != 8 || !allDigits(day) || len(year) != 4 || !allDigits(year) ||
		day[:4] != year || len(code) < 2 || len(code) > 4 || !allDigits(code) {
		return nil
	}
	return cols
}

func slicesIndex(s []string, v string) int {
	for i, x := range s {
		if x == v {
			return i
		}
	}
	return -1
}

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// gdeltRead are the columns read (lower case), in the order of gdeltConv's.
var gdeltRead = []string{"globaleventid", "sqldate", "eventcode", "eventrootcode", "actor1name", "actor2name",
	"actiongeo_countrycode", "actiongeo_fullname", "actiongeo_lat", "actiongeo_long", "actiongeo_type",
	"numsources", "numarticles", "nummentions", "goldsteinscale", "avgtone", "quadclass", "sourceurl"}

func (gdelt) Columns() []string { return gdeltRead }

func (gdelt) InputColumn(schemaColumn string) string {
	switch schemaColumn {
	case "source_id", "incident_id":
		return "GLOBALEVENTID"
	case "date_start", "date_end":
		return "SQLDATE"
	case "latitude":
		return "ActionGeo_Lat"
	case "longitude":
		return "ActionGeo_Long"
	case "country_iso3", "country":
		return "ActionGeo_CountryCode"
	case "source_count":
		return "NumSources"
	case "event_type", "sub_event_type", "source_event_type":
		return "EventCode"
	}
	return ""
}

// ErrFiltered is the cause a converter returns for a row the options leave
// out (a GDELT event outside --cameo-roots): the pipeline counts it as
// filtered, neither written nor rejected.
var ErrFiltered = errors.New("left out by the options")

// errCAMEOFiltered is the cause of the rows --cameo-roots leaves out (made
// once: most of a GDELT file is left out by the default).
var errCAMEOFiltered = fmt.Errorf("%w: GDELT event of a CAMEO root outside --cameo-roots", ErrFiltered)

// GDELTOptions are the GDELT layout's own.
type GDELTOptions struct {
	// Roots lists the CAMEO root codes kept (1-20); nil keeps
	// DefaultCAMEORoots. All keeps every event.
	Roots []int
	All   bool
}

// DefaultCAMEORoots are the roots a conflict study keeps: protest (14),
// force posture and coercion are left out; assault (18), fight (19) and
// unconventional mass violence (20) kept.
var DefaultCAMEORoots = []int{14, 18, 19, 20}

// ParseCAMEORoots reads --cameo-roots: "all", or root codes separated by
// commas ("14,18,19,20"; "01" is 1).
func ParseCAMEORoots(s string) (GDELTOptions, error) {
	s = strings.TrimSpace(s)
	if strings.EqualFold(s, "all") {
		return GDELTOptions{All: true}, nil
	}
	var o GDELTOptions
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		n, err := strconv.Atoi(part)
		if err != nil || n < 1 || n > 20 {
			return GDELTOptions{}, fmt.Errorf("--cameo-roots: %q is not a CAMEO root code (01-20), nor \"all\"", part)
		}
		o.Roots = append(o.Roots, n)
	}
	return o, nil
}

func (o GDELTOptions) keeps(root int) bool {
	if o.All {
		return true
	}
	roots := o.Roots
	if roots == nil {
		roots = DefaultCAMEORoots
	}
	for _, r := range roots {
		if r == root {
			return true
		}
	}
	return false
}

func (gdelt) Bind(h *Header, opts *Options) (Converter, error) {
	c := &gdeltConv{opts: opts}
	for i, p := range []*int{&c.id, &c.sqldate, &c.code, &c.root, &c.actor1, &c.actor2, &c.country, &c.fullName,
		&c.lat, &c.lon, &c.geoType, &c.nSources, &c.nArticles, &c.nMentions, &c.goldstein, &c.tone, &c.quad, &c.url} {
		*p = h.Col(gdeltRead[i])
	}
	if c.id < 0 || c.sqldate < 0 || c.code < 0 {
		return nil, fmt.Errorf("%w: the gdelt layout needs GLOBALEVENTID, SQLDATE and EventCode", ErrMissingColumns)
	}
	return c, nil
}

type gdeltConv struct {
	opts                                                       *Options
	id, sqldate, code, root, actor1, actor2                    int
	country, fullName, lat, lon, geoType                       int
	nSources, nArticles, nMentions, goldstein, tone, quad, url int
}

var gdeltGeoPrecision = map[int]schema.GeoPrecision{0: schema.GeoUnknown, 1: schema.GeoCountry, 2: schema.GeoAdmin1,
	3: schema.GeoNear, 4: schema.GeoNear, 5: schema.GeoAdmin1}

func (c *gdeltConv) Convert(r *Row, in *schema.Incident) error {
	id := r.get(c.id)
	if id == "" {
		return r.fail(c.id, "GLOBALEVENTID", fmt.Errorf("%w: GLOBALEVENTID", schema.ErrRequired))
	}
	if !allDigits(id) {
		return r.fail(c.id, "GLOBALEVENTID", fmt.Errorf("%w: %q is not a GDELT event id", ErrBadNumber, id))
	}
	code := r.get(c.code)
	if len(code) < 2 || len(code) > 4 || !allDigits(code) {
		return r.fail(c.code, "EventCode", fmt.Errorf("%w: %q is not a CAMEO event code", ErrUnknownValue, code))
	}
	root, _ := strconv.Atoi(code[:2])
	if rs := r.get(c.root); rs != "" { // the root column, when present, must agree
		if n, err := strconv.Atoi(rs); err != nil || n != root {
			return r.fail(c.root, "EventRootCode", fmt.Errorf("%w: root %q does not head EventCode %q", ErrUnknownValue, rs, code))
		}
	}
	if root < 1 || root > 20 {
		return r.fail(c.code, "EventCode", fmt.Errorf("%w: CAMEO roots are 01-20, not %q", ErrUnknownValue, code[:2]))
	}
	if !c.opts.GDELT.keeps(root) {
		return errCAMEOFiltered
	}
	in.SourceDataset, in.SourceID, in.IncidentID = "gdelt", id, "gdelt:"+id
	in.SourceEvent = code
	cls := cameoClass(code)
	in.EventType, in.SubEventType = cls.Type, cls.SubType

	day := r.get(c.sqldate)
	d, err := gdeltDay(day)
	if err != nil {
		return r.fail(c.sqldate, "SQLDATE", err)
	}
	in.DateStart, in.DateEnd, in.DatePrecision = d, d, schema.DateDay

	in.Actor1 = c.opts.Actors.Canonical(r.get(c.actor1))
	in.Actor2 = c.opts.Actors.Canonical(r.get(c.actor2))

	ctry := value.NoCountry()
	if fips := r.get(c.country); fips != "" {
		if ctry, err = value.CountryByFIPS(fips); err != nil {
			return r.fail(c.country, "ActionGeo_CountryCode", err)
		}
	}
	in.CountryISO3, in.Country = ctry.ISO3, ctry.Name
	gt, hasType, err := parseInt(r, c.geoType, "ActionGeo_Type")
	if err != nil {
		return err
	}
	in.GeoPrecision = schema.GeoUnknown
	if hasType {
		p, ok := gdeltGeoPrecision[gt]
		if !ok {
			return r.fail(c.geoType, "ActionGeo_Type", fmt.Errorf("%w: ActionGeo_Type is 0-5", ErrUnknownValue))
		}
		in.GeoPrecision = p
	}
	if name := r.get(c.fullName); name != "" {
		in.Location = name
		parts := strings.Split(name, ", ")
		switch {
		case (gt == 3 || gt == 4) && len(parts) >= 3:
			in.Admin1 = parts[len(parts)-2]
		case (gt == 2 || gt == 5) && len(parts) >= 2:
			in.Admin1 = parts[0]
		}
	}
	if err := setCoords(r, in, c.lat, c.lon); err != nil {
		return err
	}
	if url := r.get(c.url); url != "" {
		in.Sources = []string{url}
	}
	in.SourceCount = int16(len(in.Sources))
	if n, ok, err := parseInt(r, c.nSources, "NumSources"); err != nil {
		return err
	} else if ok && n > int(in.SourceCount) && n <= 32767 {
		in.SourceCount = int16(n)
	}
	in.Notes = c.notes(r)
	return nil
}

// notes keeps GDELT's own measures of the event, which have no column of
// ours: "GDELT: 5 articles, 5 mentions, Goldstein -10, tone -4.2, quad class 4".
func (c *gdeltConv) notes(r *Row) string {
	var b strings.Builder
	add := func(i int, label string) {
		if v := r.get(i); v != "" {
			if b.Len() == 0 {
				b.WriteString("GDELT: ")
			} else {
				b.WriteString(", ")
			}
			if label == "articles" || label == "mentions" {
				b.WriteString(v + " " + label)
			} else {
				b.WriteString(label + " " + v)
			}
		}
	}
	add(c.nArticles, "articles")
	add(c.nMentions, "mentions")
	add(c.goldstein, "Goldstein")
	add(c.tone, "tone")
	add(c.quad, "quad class")
	return b.String()
}

// gdeltDay reads SQLDATE, YYYYMMDD.
func gdeltDay(s string) (schema.Date, error) {
	if len(s) != 8 || !allDigits(s) {
		return 0, fmt.Errorf("%w: SQLDATE %q is not YYYYMMDD", value.ErrBadDate, s)
	}
	y, _ := strconv.Atoi(s[:4])
	m, _ := strconv.Atoi(s[4:6])
	d, _ := strconv.Atoi(s[6:])
	if y < 1800 || m < 1 || m > 12 || d < 1 || d > daysIn(y, m) {
		return 0, fmt.Errorf("%w: SQLDATE %q is not a calendar day", value.ErrBadDate, s)
	}
	return schema.DateOf(y, time.Month(m), d), nil
}

func daysIn(y, m int) int {
	switch m {
	case 2:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// cameoBase names the CAMEO base codes of the roots that map onto a
// violent or protest type (codebook 1.1b3), for sub_event_type.
var cameoBase = map[string]string{
	"140": "political_dissent", "141": "demonstrate_or_rally", "142": "hunger_strike", "143": "strike_or_boycott",
	"144": "obstruct_passage_or_block", "145": "protest_violently_riot",
	"180": "unconventional_violence", "181": "abduct_hijack_or_take_hostage", "182": "physically_assault",
	"183": "bombing", "184": "use_as_human_shield", "185": "attempt_to_assassinate", "186": "assassinate",
	"190": "conventional_military_force", "191": "impose_blockade", "192": "occupy_territory",
	"193": "fight_with_small_arms_and_light_weapons", "194": "fight_with_artillery_and_tanks",
	"195": "employ_aerial_weapons", "196": "violate_ceasefire",
	"200": "unconventional_mass_violence", "201": "mass_expulsion", "202": "mass_killings",
	"203": "ethnic_cleansing", "204": "weapons_of_mass_destruction",
}

// cameoClass maps a CAMEO event code (2-4 digits) to our event type.
func cameoClass(code string) value.EventClass {
	base := code
	if len(base) > 3 {
		base = base[:3]
	}
	cls := value.EventClass{SubType: cameoBase[base]}
	switch root := code[:2]; root {
	case "14":
		cls.Type = schema.EventProtests
		if base == "145" {
			cls.Type = schema.EventRiots
		}
	case "18":
		cls.Type = schema.EventViolenceAgainstCivilians
		if base == "183" {
			cls.Type = schema.EventExplosionsRemoteViolence
		}
	case "19":
		switch base {
		case "194", "195":
			cls.Type = schema.EventExplosionsRemoteViolence
		case "191":
			cls.Type = schema.EventStrategicDevelopments
		default:
			cls.Type = schema.EventBattles
		}
	case "20":
		cls.Type = schema.EventViolenceAgainstCivilians
		if base == "204" {
			cls.Type = schema.EventExplosionsRemoteViolence
		}
	case "15", "16", "17":
		cls.Type = schema.EventStrategicDevelopments
	default:
		cls.Type = schema.EventUnknown
	}
	return cls
}
