package profile

import (
	"fmt"
	"strconv"

	"github.com/incidentkit/incidents/ingest/value"
	"github.com/incidentkit/incidents/schema"
)

// The GTD profile (source_dataset "gtd"). One row is one incident. GTD
// yes/no fields use -9 for unknown; counts use -99 or blank for unknown.
//
//	GTD column        ours                          how
//	eventid           source_id, incident_id        "gtd:" + eventid (required)
//	iyear, imonth,    date_start, date_end,         DateFromParts: iday 0 -> the month (month precision),
//	iday              date_precision                imonth 0 -> the year (year precision)
//	approxdate        notes                         kept as "approximate date: ..."
//	country_txt       country_iso3, country         LookupCountry (GTD spellings)
//	provstate         admin1
//	city              location
//	latitude,         latitude, longitude
//	longitude
//	specificity       geo_precision                 1 exact, 2 admin2 (city centroid unknown: smallest
//	                                                region), 3 admin2, 4 admin1, 5 country
//	attacktype1_txt   event_type, sub_event_type    GTDAttackType; source_event_type =
//	targtype1_txt     source_event_type, actor2     "<attacktype1_txt> on <targtype1_txt>"; actor2 = target type
//	gname             actor1                        "Unknown" is left null
//	claimed           claimed_by                    claimed 1 -> gname
//	nkill             fatalities_low/best/high      exact; blank or negative = null (never 0)
//	nkillter          fatalities_actor1             perpetrators killed
//	nwound            injured_low/best/high
//	summary           notes
//	scite1..scite3    sources
//
// Every other GTD column is listed as unused in the summary.
func init() { Register(gtd{}) }

type gtd struct{}

func (gtd) Name() string { return "gtd" }

func (gtd) Detect() Detection {
	return Detection{Order: 30, Signature: []string{"eventid", "iyear", "imonth", "iday", "country_txt"}}
}

var gtdColumns = []string{"eventid", "iyear", "imonth", "iday", "approxdate", "country_txt", "provstate", "city",
	"latitude", "longitude", "specificity", "attacktype1_txt", "targtype1_txt", "gname", "claimed",
	"nkill", "nkillter", "nwound", "summary", "scite1", "scite2", "scite3"}

func (gtd) Columns() []string { return gtdColumns }

func (gtd) InputColumn(schemaColumn string) string {
	switch schemaColumn {
	case "latitude", "longitude":
		return schemaColumn
	case "date_start":
		return "iday"
	case "fatalities_low", "fatalities_best", "fatalities_high":
		return "nkill"
	case "fatalities_actor1":
		return "nkillter"
	case "injured_low", "injured_best", "injured_high":
		return "nwound"
	}
	return ""
}

func (gtd) Bind(h *Header, opts *Options) (Converter, error) {
	c := &gtdConv{opts: opts, cols: map[string]int{}}
	for _, n := range gtdColumns {
		c.cols[n] = h.Col(n)
	}
	return c, nil
}

type gtdConv struct {
	opts *Options
	cols map[string]int
}

var gtdGeo = map[string]schema.GeoPrecision{"1": schema.GeoExact, "2": schema.GeoAdmin2, "3": schema.GeoAdmin2,
	"4": schema.GeoAdmin1, "5": schema.GeoCountry}

// gtdCount reads a GTD count: blank or negative (-99, -9) is unknown.
func gtdCount(r *Row, i int, name string) (schema.NullInt32, error) {
	n, ok, err := parseInt(r, i, name)
	if err != nil || !ok || n < 0 {
		return schema.NullInt32{}, err
	}
	return schema.Int32(int32(n)), nil
}

func (c *gtdConv) Convert(r *Row, in *schema.Incident) error {
	col := c.cols
	if err := checkHXL(r, col["eventid"], "eventid"); err != nil {
		return err
	}
	id := wholeNumberText(r.get(col["eventid"]))
	if id == "" {
		return r.fail(col["eventid"], "eventid", fmt.Errorf("%w: eventid", schema.ErrRequired))
	}
	in.SourceDataset, in.SourceID, in.IncidentID = "gtd", id, "gtd:"+id
	var parts [3]int
	for k, name := range []string{"iyear", "imonth", "iday"} {
		n, ok, err := parseInt(r, col[name], name)
		if err != nil {
			return err
		}
		if !ok && name == "iyear" {
			return r.fail(col[name], name, fmt.Errorf("%w: iyear", schema.ErrRequired))
		}
		parts[k] = n
	}
	start, end, prec, err := value.DateFromParts(parts[0], parts[1], parts[2])
	if err != nil {
		return r.fail(col["iday"], "iday", err)
	}
	in.DateStart, in.DateEnd, in.DatePrecision = start, end, prec
	notes := r.get(col["summary"])
	if ad := r.get(col["approxdate"]); ad != "" {
		if notes != "" {
			notes += " "
		}
		notes += "(approximate date: " + ad + ")"
	}
	in.Notes = notes

	text := r.get(col["country_txt"])
	ctry, err := value.LookupCountry(text)
	if err != nil {
		return r.fail(col["country_txt"], "country_txt", err)
	}
	in.Admin1, in.Location = gtdText(r.get(col["provstate"])), gtdText(r.get(col["city"]))
	setCountry(in, ctry, text)
	if err := setCoords(r, in, col["latitude"], col["longitude"]); err != nil {
		return err
	}
	if sp := r.get(col["specificity"]); sp != "" {
		g, ok := gtdGeo[sp]
		if !ok {
			return r.fail(col["specificity"], "specificity", fmt.Errorf("%w: specificity is 1-5", ErrUnknownValue))
		}
		in.GeoPrecision = g
	}
	at, tt := r.get(col["attacktype1_txt"]), r.get(col["targtype1_txt"])
	if cls, ok := value.GTDAttackType(at); ok {
		in.EventType, in.SubEventType = cls.Type, cls.SubType
	} else if at != "" {
		r.Warn(fmt.Sprintf("gtd: attack type %q not in the GTD codebook: event_type unknown", at))
	}
	in.SourceEvent = at
	if tt != "" {
		in.SourceEvent = at + " on " + tt
		if tt != "Unknown" {
			in.Actor2 = tt
		}
	}
	if g := c.opts.Actors.Canonical(r.get(col["gname"])); g != "Unknown" {
		in.Actor1 = g
	}
	if cl, _ := strconv.Atoi(r.get(col["claimed"])); cl == 1 && in.Actor1 != "" {
		in.ClaimedBy = in.Actor1
	}
	nk, err := gtdCount(r, col["nkill"], "nkill")
	if err != nil {
		return err
	}
	in.Fatalities = schema.Estimate{Low: nk, Best: nk, High: nk}
	if in.FatalitiesActor1, err = gtdCount(r, col["nkillter"], "nkillter"); err != nil {
		return err
	}
	nw, err := gtdCount(r, col["nwound"], "nwound")
	if err != nil {
		return err
	}
	in.Injured = schema.Estimate{Low: nw, Best: nw, High: nw}
	for _, s := range []string{"scite1", "scite2", "scite3"} {
		if v := r.get(col[s]); v != "" {
			in.Sources = appendDistinct(in.Sources, v)
		}
	}
	in.SourceCount = int16(len(in.Sources))
	return nil
}

// gtdText reads a GTD text field: "Unknown" is GTD's word for none.
func gtdText(s string) string {
	if s == "Unknown" {
		return ""
	}
	return s
}
