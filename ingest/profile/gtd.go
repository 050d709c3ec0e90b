package profile

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/incidentkit/incidents/ingest/value"
	"github.com/incidentkit/incidents/schema"
)

// The GTD profile (source_dataset "gtd"). One row is one incident. GTD
// yes/no fields use -9 for unknown; counts use -99 or blank for unknown.
// Covered: the GTD releases distributed as globalterrorismdb_*dist (.xlsx or
// the CSV saved from it, ISO-8859-1), 1970 onward; their 135 columns, read by
// name (any order, extra or missing non-signature columns are fine), and in
// the published order of release 0919dist (data through 2018, the same
// order as 0718dist) with --no-header (FixedColumns).
//
//	GTD column        ours                          how
//	eventid           source_id, incident_id        "gtd:" + eventid (required; pandas' 201301170001.0 is
//	                                                201301170001)
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
//	attacktype1_txt   event_type, sub_event_type    GTDAttackType, then the target: an attack the codebook
//	targtype1 (or     source_event_type             would class violence_against_civilians (armed or
//	targtype1_txt)                                  unarmed assault, assassination, hostage taking,
//	                                                hijacking) on an armed target - 3 Police, 4 Military,
//	                                                17 Terrorists/Non-State Militia, 22 Violent Political
//	                                                Party - is battles (the sub-event type keeps the attack
//	                                                type); bombings, infrastructure attacks and unknown
//	                                                types keep their class whatever the target.
//	                                                source_event_type = "<attacktype1_txt> on <targtype1_txt>"
//	corp1, target1    actor2                        the target as a terrorism researcher names it: corp1
//	                                                (the entity attacked: "Riverside Police") else target1
//	                                                ("Boston Marathon"); "Unknown"/"Not Applicable"/blank
//	                                                skipped. The target type stays in source_event_type.
//	gname             actor1                        "Unknown" is left null
//	claimed           claimed_by                    only claimed 1 -> gname (0 no, -9 unknown)
//	nkill             fatalities_low/best/high      exact; blank or negative = null (never 0). GTD's nkill
//	                                                counts victims and perpetrators
//	nkillter          fatalities_actor1             perpetrators killed (actor1 = gname)
//	(nkill-nkillter)  fatalities_actor2, _civilians the victims: fatalities_actor2 when the target is
//	                  or _unknown                   armed (the four target types above), _unknown when
//	                                                targtype1 is 20 Unknown, else _civilians; so the
//	                                                party breakdown adds up to nkill. nkillter blank:
//	                                                all of nkill is fatalities_unknown; nkillter above
//	                                                nkill: a warning, breakdown left null
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
	"latitude", "longitude", "specificity", "attacktype1_txt", "targtype1", "targtype1_txt", "corp1", "target1", "gname", "claimed",
	"nkill", "nkillter", "nwound", "summary", "scite1", "scite2", "scite3"}

func (gtd) Columns() []string { return gtdColumns }

// FixedColumns is the published column order of GTD release 0919dist
// (globalterrorismdb_0919dist, data through 2018; 0718dist has the same
// 135 columns in the same order), for a sheet saved without its header row
// (--no-header).
func (gtd) FixedColumns() []string { return gtdPublishedColumns }

// gtdPublishedColumns are the 135 columns of globalterrorismdb_0919dist in
// file order, from eventid to related (GTD Codebook, "GTD Variables &
// Inclusion Criteria", 2019; the file's own header row).
var gtdPublishedColumns = []string{
	"eventid", "iyear", "imonth", "iday", "approxdate", "extended", "resolution", "country",
	"country_txt", "region", "region_txt", "provstate", "city", "latitude", "longitude", "specificity",
	"vicinity", "location", "summary", "crit1", "crit2", "crit3", "doubtterr", "alternative",
	"alternative_txt", "multiple", "success", "suicide", "attacktype1", "attacktype1_txt",
	"attacktype2", "attacktype2_txt", "attacktype3", "attacktype3_txt", "targtype1", "targtype1_txt",
	"targsubtype1", "targsubtype1_txt", "corp1", "target1", "natlty1", "natlty1_txt", "targtype2",
	"targtype2_txt", "targsubtype2", "targsubtype2_txt", "corp2", "target2", "natlty2", "natlty2_txt",
	"targtype3", "targtype3_txt", "targsubtype3", "targsubtype3_txt", "corp3", "target3", "natlty3",
	"natlty3_txt", "gname", "gsubname", "gname2", "gsubname2", "gname3", "gsubname3", "motive",
	"guncertain1", "guncertain2", "guncertain3", "individual", "nperps", "nperpcap", "claimed",
	"claimmode", "claimmode_txt", "claim2", "claimmode2", "claimmode2_txt", "claim3", "claimmode3",
	"claimmode3_txt", "compclaim", "weaptype1", "weaptype1_txt", "weapsubtype1", "weapsubtype1_txt",
	"weaptype2", "weaptype2_txt", "weapsubtype2", "weapsubtype2_txt", "weaptype3", "weaptype3_txt",
	"weapsubtype3", "weapsubtype3_txt", "weaptype4", "weaptype4_txt", "weapsubtype4",
	"weapsubtype4_txt", "weapdetail", "nkill", "nkillus", "nkillter", "nwound", "nwoundus", "nwoundte",
	"property", "propextent", "propextent_txt", "propvalue", "propcomment", "ishostkid", "nhostkid",
	"nhostkidus", "nhours", "ndays", "divert", "kidhijcountry", "ransom", "ransomamt", "ransomamtus",
	"ransompaid", "ransompaidus", "ransomnote", "hostkidoutcome", "hostkidoutcome_txt", "nreleased",
	"addnotes", "scite1", "scite2", "scite3", "dbsource", "INT_LOG", "INT_IDEO", "INT_MISC", "INT_ANY",
	"related",
}

func (gtd) InputColumn(schemaColumn string) string {
	switch schemaColumn {
	case "latitude", "longitude":
		return schemaColumn
	case "date_start":
		return "iday"
	case "fatalities_low", "fatalities_best", "fatalities_high":
		return "nkill"
	case "fatalities_actor1", "fatalities_actor2", "fatalities_civilians", "fatalities_unknown":
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
	target := gtdTargetType(r.get(col["targtype1"]), tt)
	if cls, ok := value.GTDAttackType(at); ok {
		if cls.Type == schema.EventViolenceAgainstCivilians && target == gtdTargetArmed {
			cls.Type = schema.EventBattles
		}
		in.EventType, in.SubEventType = cls.Type, cls.SubType
	} else if at != "" {
		r.Warn(fmt.Sprintf("gtd: attack type %q not in the GTD codebook: event_type unknown", at))
	}
	in.SourceEvent = at
	if tt != "" {
		in.SourceEvent = at + " on " + tt
	}
	for _, name := range []string{"corp1", "target1"} {
		if v := gtdText(r.get(col[name])); v != "" && !strings.EqualFold(v, "Not Applicable") {
			in.Actor2 = v
			break
		}
	}
	if g := c.opts.Actors.Canonical(r.get(col["gname"])); g != "Unknown" {
		in.Actor1 = g
	}
	if cl, ok, _ := parseInt(r, col["claimed"], "claimed"); ok && cl == 1 && in.Actor1 != "" {
		in.ClaimedBy = in.Actor1
	}
	nk, err := gtdCount(r, col["nkill"], "nkill")
	if err != nil {
		return err
	}
	in.Fatalities = schema.Estimate{Low: nk, Best: nk, High: nk}
	ter, err := gtdCount(r, col["nkillter"], "nkillter")
	if err != nil {
		return err
	}
	gtdBreakdown(r, in, nk, ter, target)
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

// GTD target classes (targtype1), as the party breakdown and the event type
// need them.
const (
	gtdTargetCivilian = iota // every other target type: people and property not armed
	gtdTargetArmed           // 3 Police, 4 Military, 17 Terrorists/Non-State Militia, 22 Violent Political Party
	gtdTargetUnknown         // 20 Unknown, or no target type given
)

// gtdTargetType classes targtype1 (the code; its text when the code is
// absent, as extracts often keep only targtype1_txt).
func gtdTargetType(code, text string) int {
	if n, err := strconv.ParseFloat(code, 64); err == nil {
		switch n {
		case 3, 4, 17, 22:
			return gtdTargetArmed
		case 20:
			return gtdTargetUnknown
		}
		return gtdTargetCivilian
	}
	switch strings.ToLower(text) {
	case "police", "military", "terrorists/non-state militia", "terrorists/non-state militias", "violent political party":
		return gtdTargetArmed
	case "unknown", "":
		return gtdTargetUnknown
	}
	return gtdTargetCivilian
}

// gtdBreakdown splits nkill into the parties: perpetrators (nkillter) to
// actor1, the victims to actor2, civilians or unknown by the target, so that
// the breakdown adds up to nkill.
func gtdBreakdown(r *Row, in *schema.Incident, nkill, nkillter schema.NullInt32, target int) {
	if !nkill.Valid {
		in.FatalitiesActor1 = nkillter
		return
	}
	if !nkillter.Valid {
		in.FatalitiesUnknown = nkill
		return
	}
	if nkillter.Value > nkill.Value {
		r.Warn("gtd: nkillter above nkill: party breakdown left null")
		return
	}
	in.FatalitiesActor1 = nkillter
	victims := schema.Int32(nkill.Value - nkillter.Value)
	switch target {
	case gtdTargetArmed:
		in.FatalitiesActor2 = victims
	case gtdTargetUnknown:
		in.FatalitiesUnknown = victims
	default:
		in.FatalitiesCivilians = victims
	}
}

// gtdText reads a GTD text field: "Unknown" is GTD's word for none.
func gtdText(s string) string {
	if s == "Unknown" {
		return ""
	}
	return s
}
