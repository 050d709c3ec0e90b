package profile

import (
	"fmt"
	"strings"

	"github.com/incidentkit/incidents/ingest/value"
	"github.com/incidentkit/incidents/schema"
)

// The ACLED layout before the event-type revision of March 2019 (profile
// "acled-old", source_dataset "acled" as the current layout's: the same
// data set, an older export). It covers ACLED versions 1-8 and the realtime
// ("running") files and API exports of 1997-2018: lower- or UPPERCASE
// headers, no sub_event_type, associated actors as ally_actor_1/2 (2018's
// files already call them assoc_actor_1/2: both are read), the country code
// as a Gleditsch-Ward gwno (2018: numeric iso). Detection tries the current
// layout first (its signature adds sub_event_type), so a file is read as
// acled-old only when it has no sub_event_type column.
//
//	old column           ours                      how
//	event_id_cnty        source_id, incident_id    "acled:" + event_id_cnty, as today (old realtime ids
//	                                               such as 8188RTA are kept as written)
//	event_date           date_start, date_end      as the acled profile; a numeric date whose order the
//	                                               row cannot settle is read day first (18/04/2001,
//	                                               02/01/1997 = 2 January: ACLED wrote dates day first)
//	                                               unless --date-order says otherwise
//	time_precision       date_precision            1 day; 2 the coded date ± 3 days; 3 the month (as acled)
//	event_type           event_type,               the crosswalk below; source_event_type = the old type
//	                     sub_event_type            as written
//	inter1, inter2       (Riots/Protests only)     who acted: see the crosswalk
//	actor1, actor2       actor1, actor2            canonicalized, trimmed
//	ally_actor_1/2,      assoc_actors              split on ";", both sides, distinct
//	assoc_actor_1/2
//	gwno                 (country check)           Gleditsch-Ward code: the country comes from `country`;
//	                                               a gwno naming another country is a warning (country
//	                                               kept); when `country` is unknown or empty, gwno gives it
//	iso                  country_iso3, country     numeric ISO 3166 (2018 files), as the acled profile
//	country, admin1,     as the acled profile
//	admin2, location,
//	latitude, longitude
//	geo_precision,       geo_precision             1 exact; 2 near; 3 admin1 (as acled)
//	GEO_PRECIS (old
//	running files)
//	source, notes,       as the acled profile
//	fatalities
//
// year settles a two-digit event_date year as in the acled profile.
// Not read, listed as unused: event_id_no_cnty, interaction, admin3,
// data_id, region, source_scale, timestamp, iso3.
//
// The event-type crosswalk. ACLED's note introducing the 2019 types
// (acleddata.com, 14 March 2019, "ACLED introduces new event types and
// sub-event types") says the structure "remains similar" with "small changes
// to content" and gives no row-level table; the rows below follow the old
// codebooks' definitions (ACLED Codebook 2015-2017) to the 2019 type and
// sub-event type of the same meaning. "decided here" marks where the old
// type does not determine the new one and we chose:
//
//	old event_type                               event_type                   sub_event_type
//	Battle-No change of territory                battles                      armed_clash
//	Battle-Government regains territory          battles                      government_regains_territory
//	Battle-Non-state actor overtakes territory   battles                      non_state_actor_overtakes_territory
//	  (also "...actors overtake...")
//	Remote violence                              explosions_remote_violence   "" (the weapon is not coded: decided here)
//	Riots/Protests, inter1 5 (rioters)           riots                        "" (violent demonstration or mob
//	                                                                          violence is not coded: decided here)
//	Riots/Protests, inter1 6 (protesters)        protests                     "" (decided here, as riots)
//	Riots/Protests, inter1 another kind          by inter2: 5 riots, 6 protests (police as actor1 facing
//	  (police: 1)                                rioters or protesters)
//	Riots/Protests, neither side 5 or 6          protests, with a warning (decided here: ACLED coded the
//	                                             crowd as rioters only when it was violent)
//	Violence against civilians (any case)        violence_against_civilians   "" (decided here)
//	Strategic development                        strategic_developments       "" (decided here)
//	Non-violent activity by a conflict actor     strategic_developments       "" (its 2015 name; decided here)
//	Headquarters or base established             strategic_developments       headquarters_or_base_established
//	Non-violent transfer of territory            strategic_developments       non_violent_transfer_of_territory
//
// A current type name (Battles, Protests, ...) in an old file maps as in the
// acled profile, without a sub-event type; any other text is a warning and
// event_type unknown.
func init() { Register(acledOld{}) }

type acledOld struct{}

func (acledOld) Name() string { return "acled-old" }

func (acledOld) Detect() Detection {
	return Detection{Order: 11, Signature: []string{"event_id_cnty", "event_date", "event_type", "fatalities"}}
}

func (acledOld) Columns() []string {
	return []string{"event_id_cnty", "event_date", "year", "time_precision", "event_type", "inter1", "inter2",
		"actor1", "actor2", "ally_actor_1", "ally_actor_2", "assoc_actor_1", "assoc_actor_2", "gwno", "iso",
		"country", "admin1", "admin2", "location", "latitude", "longitude", "geo_precision", "geo_precis",
		"source", "notes", "fatalities"}
}

func (acledOld) InputColumn(schemaColumn string) string { return acled{}.InputColumn(schemaColumn) }

func (acledOld) Bind(h *Header, opts *Options) (Converter, error) {
	return bindACLED(h, opts, &acledOldCols{}), nil
}

// acledOldCols are the old layout's own columns and state, bound beside the
// shared acledConv.
type acledOldCols struct {
	evType, inter1, inter2, gwno, geoPrecis int
	labels                                  map[string]string // interned source_event_type
}

func (o *acledOldCols) bind(h *Header, c *acledConv) {
	o.evType, o.inter1, o.inter2, o.gwno = c.evType, h.Col("inter1"), h.Col("inter2"), h.Col("gwno")
	o.geoPrecis = h.Col("geo_precis")
	o.labels = map[string]string{}
	if c.assoc1 < 0 {
		c.assoc1 = h.Col("ally_actor_1")
	}
	if c.assoc2 < 0 {
		c.assoc2 = h.Col("ally_actor_2")
	}
	if c.dateOrder == value.DateOrderNone {
		c.dateOrder = value.DateOrderDMY
	}
}

// acledOldTypes is the crosswalk of the old event types (folded), but for
// Riots/Protests, which inter decides.
var acledOldTypes = map[string]value.EventClass{
	"battle-no change of territory":               {Type: schema.EventBattles, SubType: "armed_clash"},
	"battle-government regains territory":         {Type: schema.EventBattles, SubType: "government_regains_territory"},
	"battle-non-state actor overtakes territory":  {Type: schema.EventBattles, SubType: "non_state_actor_overtakes_territory"},
	"battle-non-state actors overtake territory":  {Type: schema.EventBattles, SubType: "non_state_actor_overtakes_territory"},
	"remote violence":                             {Type: schema.EventExplosionsRemoteViolence},
	"violence against civilians":                  {Type: schema.EventViolenceAgainstCivilians},
	"strategic development":                       {Type: schema.EventStrategicDevelopments},
	"non-violent activity by a conflict actor":    {Type: schema.EventStrategicDevelopments},
	"headquarters or base established":            {Type: schema.EventStrategicDevelopments, SubType: "headquarters_or_base_established"},
	"non-violent transfer of territory":           {Type: schema.EventStrategicDevelopments, SubType: "non_violent_transfer_of_territory"},
	"battle-non-state actor overtake territory":   {Type: schema.EventBattles, SubType: "non_state_actor_overtakes_territory"},
	"battle-non-state actors overtakes territory": {Type: schema.EventBattles, SubType: "non_state_actor_overtakes_territory"},
}

// ACLED inter codes of the crowd.
const (
	interRioters    = 5
	interProtesters = 6
)

// acledOldEventType maps an old event type; inter1 and inter2 are the
// actors' inter codes (0 when blank). warn is "" unless the row needs one.
func acledOldEventType(eventType string, inter1, inter2 int) (c value.EventClass, known bool, warn string) {
	et := strings.ToLower(strings.Join(strings.Fields(eventType), " "))
	if et == "riots/protests" {
		for _, inter := range []int{inter1, inter2} {
			switch inter {
			case interRioters:
				return value.EventClass{Type: schema.EventRiots}, true, ""
			case interProtesters:
				return value.EventClass{Type: schema.EventProtests}, true, ""
			}
		}
		return value.EventClass{Type: schema.EventProtests}, true,
			"acled-old: Riots/Protests with neither inter1 nor inter2 rioters (5) or protesters (6): read as protests"
	}
	if c, ok := acledOldTypes[et]; ok {
		return c, true, ""
	}
	if c, ok := value.ACLEDEventType(eventType, ""); ok { // a current type name
		return c, true, ""
	}
	return value.EventClass{}, false, fmt.Sprintf("acled-old: event type %q not in ACLED's pre-2019 taxonomy: event_type unknown", eventType)
}

// interCode reads an inter code: 5, 5.0 (pandas), or the actor type's name
// as ACLED's API writes it since 2023 ("Rioters"); 0 when blank or other.
func interCode(s string) int {
	switch strings.ToLower(s) {
	case "rioters":
		return interRioters
	case "protesters":
		return interProtesters
	}
	f, err := value.ParseDecimal(s)
	if err != nil || f != float64(int(f)) {
		return 0
	}
	return int(f)
}

func (o *acledOldCols) eventType(r *Row, in *schema.Incident) error {
	et := r.get(o.evType)
	cls, known, warn := acledOldEventType(et, interCode(r.get(o.inter1)), interCode(r.get(o.inter2)))
	if warn != "" {
		r.Warn(warn)
	}
	if known {
		in.EventType, in.SubEventType = cls.Type, cls.SubType
	}
	label, ok := o.labels[et]
	if !ok {
		label = strings.Clone(et) // et points into a recycled block
		if len(o.labels) < 4096 {
			o.labels[label] = label
		}
	}
	in.SourceEvent = label
	return nil
}

// countryByGW resolves the country from gwno when the country text does not
// resolve; it reports whether it did.
func (o *acledOldCols) countryByGW(r *Row, text string, ctry *value.Country) bool {
	gw, ok := o.gw(r)
	if !ok {
		return false
	}
	c, err := value.CountryByGleditschWard(gw)
	if err != nil {
		return false
	}
	*ctry = c
	if text != "" {
		r.Warn(fmt.Sprintf("acled-old: country %q unknown: read from gwno %d (%s)", text, gw, c.Name))
	}
	return true
}

// checkGW warns when gwno names another country than the one resolved.
func (o *acledOldCols) checkGW(r *Row, ctry value.Country) {
	gw, ok := o.gw(r)
	if !ok {
		return
	}
	c, err := value.CountryByGleditschWard(gw)
	switch {
	case err != nil:
		r.Warn(fmt.Sprintf("acled-old: gwno %d is not a Gleditsch-Ward code: country %s kept", gw, ctry.ISO3))
	case c.ISO3 != ctry.ISO3:
		r.Warn(fmt.Sprintf("acled-old: gwno %d (%s) disagrees with country %s: country kept", gw, c.ISO3, ctry.ISO3))
	}
}

func (o *acledOldCols) gw(r *Row) (int, bool) {
	s := r.get(o.gwno)
	if s == "" {
		return 0, false
	}
	f, err := value.ParseDecimal(s)
	if err != nil || f != float64(int(f)) || f <= 0 {
		r.Warn(fmt.Sprintf("acled-old: gwno %q is not a number: ignored", s))
		return 0, false
	}
	return int(f), true
}
