package synth

import "strconv"

// ACLED's export, in its column order (the 2023+ layout: text inter codes,
// ISO dates, a disorder_type and a tags column).
var acledHeader = []string{
	"event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
	"sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2",
	"interaction", "civilian_targeting", "iso", "region", "country", "admin1", "admin2", "admin3",
	"location", "latitude", "longitude", "geo_precision", "source", "source_scale", "notes",
	"fatalities", "tags", "timestamp",
}

var acledLayout = &layout{name: "acled", bom: true, header: acledHeader, rows: acledRows}

// ACLED's event taxonomy: event types, their sub-event types with the
// disorder type each belongs to, and how often an event of the type has
// reported deaths.
type acledSub struct {
	name, disorder string
	weight         int
}

type acledEvent struct {
	name   string
	weight int // per mille of all events
	pDead  float64
	verb   string
	subs   []acledSub
	subW   weights
}

const (
	evBattles = iota
	evExplosions
	evViolence
	evProtests
	evRiots
	evStrategic
)

var acledEvents = []*acledEvent{
	evBattles: {name: "Battles", weight: 150, pDead: 0.45, verb: "clashed with", subs: []acledSub{
		{"Armed clash", "Political violence", 90},
		{"Government regains territory", "Political violence", 5},
		{"Non-state actor overtakes territory", "Political violence", 5}}},
	evExplosions: {name: "Explosions/Remote violence", weight: 200, pDead: 0.3, verb: "struck", subs: []acledSub{
		{"Shelling/artillery/missile attack", "Political violence", 55},
		{"Air/drone strike", "Political violence", 30},
		{"Remote explosive/landmine/IED", "Political violence", 11},
		{"Suicide bomb", "Political violence", 1},
		{"Grenade", "Political violence", 3},
		{"Chemical weapon", "Political violence", 0}}},
	evViolence: {name: "Violence against civilians", weight: 130, pDead: 0.5, verb: "attacked", subs: []acledSub{
		{"Attack", "Political violence", 80},
		{"Abduction/forced disappearance", "Political violence", 17},
		{"Sexual violence", "Political violence", 3}}},
	evProtests: {name: "Protests", weight: 350, pDead: 0.002, verb: "demonstrated against", subs: []acledSub{
		{"Peaceful protest", "Demonstrations", 92},
		{"Protest with intervention", "Demonstrations", 7},
		{"Excessive force against protesters", "Political violence; Demonstrations", 1}}},
	evRiots: {name: "Riots", weight: 90, pDead: 0.06, verb: "rioted against", subs: []acledSub{
		{"Violent demonstration", "Demonstrations", 60},
		{"Mob violence", "Political violence", 40}}},
	evStrategic: {name: "Strategic developments", weight: 80, pDead: 0.01, verb: "was reported in", subs: []acledSub{
		{"Arrests", "Strategic developments", 25},
		{"Looting/property destruction", "Strategic developments", 25},
		{"Change to group/activity", "Strategic developments", 20},
		{"Disrupted weapons use", "Strategic developments", 12},
		{"Agreement", "Strategic developments", 6},
		{"Headquarters or base established", "Strategic developments", 4},
		{"Non-violent transfer of territory", "Strategic developments", 3},
		{"Other", "Strategic developments", 5}}},
}

var acledEventW = func() weights {
	w := make([]int, len(acledEvents))
	for i, e := range acledEvents {
		w[i] = e.weight
		sw := make([]int, len(e.subs))
		for j, s := range e.subs {
			sw[j] = max(s.weight, 0)
		}
		sw[0]++ // never all zero
		e.subW = newWeights(sw)
	}
	return newWeights(w)
}()

// ACLED's coverage grows over time: few rows in 1997, most since 2018.
var acledDates = newDateDist(1997, 2024, nil, func(y int) int {
	if y >= 2018 {
		return 400 + (y-2018)*40
	}
	return 10 + (y-1997)*(y-1997)/2
})

// Actor names derived from each country, built once.
type actorNames struct {
	military, police, protesters, rioters, civilians, unidentified string
}

var countryActors = func() []actorNames {
	a := make([]actorNames, len(countries))
	for i, c := range countries {
		a[i] = actorNames{
			military:     "Military Forces of " + c.acled + " (2019-)",
			police:       "Police Forces of " + c.acled + " (2019-)",
			protesters:   "Protesters (" + c.acled + ")",
			rioters:      "Rioters (" + c.acled + ")",
			civilians:    "Civilians (" + c.acled + ")",
			unidentified: "Unidentified Armed Group (" + c.acled + ")",
		}
	}
	return a
}()

var (
	acledSources = []string{"Reuters", "AFP", "Xinhua", "BBC Monitoring", "Al Jazeera", "Local Source",
		"Premium Times", "Twitter", "Ukrainska Pravda", "Syrian Observatory for Human Rights", "Dawn",
		"Radio Dabanga", "Kivu Security Tracker", "Country Monitor", "Whatsapp", "Associated Press"}
	acledScales = []string{"National", "International", "Subnational", "Local partner-National",
		"New media", "Other-National", "National-International", "Subnational-National"}
	assocGroups = []string{"Students", "Labor Group", "Women", "Farmers", "Teachers", "Health Workers",
		"Lawyers", "Journalists", "Traders", "Refugees/IDPs"}
	protestCauses = []string{"fuel price increases", "the arrest of an opposition leader", "unpaid salaries",
		"insecurity in the area", "electricity cuts", "alleged electoral fraud", "police brutality",
		"the cost of living", "land seizures", "a new tax on mobile money"}
	slogans = []string{"Down with corruption", "We want peace", "Justice for the victims",
		"No to insecurity", "Bread, freedom, dignity"}
	unknownCountries = []string{"Narnia", "Freedonia", "Untied States", "Republic of Nowhere", "Atlantis", "Zubrowka"}
	badISODates      = []string{"2019-02-30", "2021-13-05", "31/02/2019", "unknown", "2020-00-10", "2018-04-31"}
	// Figures no reader may accept. Not "n/a" (SCHEMA.md reads "unknown"
	// as null) and, for the GTD, no negative numbers (its -9/-99 codes mean
	// unknown).
	badCounts    = []string{"many", "-3", "1O", "12.5", "a lot"}
	gtdBadCounts = []string{"many", "1O", "12.5", "a lot"}
)

// ACLED inter codes, as text (newer exports).
const (
	interState      = "State forces"
	interRebel      = "Rebel group"
	interMilitia    = "Political militia"
	interIdentity   = "Identity militia"
	interRioters    = "Rioters"
	interProtesters = "Protesters"
	interCivilians  = "Civilians"
)

type acledActor struct{ name, inter string }

func acledRows(dst []byte, r *rng, first int64, count int, messy float64) ([]byte, int64) {
	var nMessy int64
	var note []byte
	for i := range count {
		row := first + int64(i)
		ci := countryWeights.draw(r)
		c := &countries[ci]
		ca := &countryActors[ci]
		day := acledDates.draw(r)
		date := civilFromDays(day)
		evi := acledEventW.draw(r)
		ev := acledEvents[evi]
		sub := ev.subs[ev.subW.draw(r)]

		group := func() acledActor {
			if r.chance(0.25) {
				return acledActor{ca.unidentified, interMilitia}
			}
			return acledActor{pick(r, c.groups), interRebel}
		}
		var a1, a2 acledActor
		switch evi {
		case evBattles:
			if r.chance(0.55) {
				a1, a2 = acledActor{ca.military, interState}, group()
			} else {
				a1, a2 = group(), acledActor{ca.military, interState}
				if r.chance(0.3) {
					a2 = group()
				}
			}
		case evExplosions:
			if r.chance(0.6) {
				a1 = acledActor{ca.military, interState}
			} else {
				a1 = group()
			}
			switch u := r.intn(10); {
			case u < 4:
				a2 = acledActor{ca.civilians, interCivilians}
			case u < 7:
				a2 = group()
			case u < 9 && a1.inter != interState:
				a2 = acledActor{ca.military, interState}
			}
		case evViolence:
			if r.chance(0.2) {
				a1 = acledActor{ca.military, interState}
			} else {
				a1 = group()
			}
			a2 = acledActor{ca.civilians, interCivilians}
		case evProtests:
			a1 = acledActor{ca.protesters, interProtesters}
			if sub.name != "Peaceful protest" {
				a2 = acledActor{ca.police, interState}
			}
		case evRiots:
			a1 = acledActor{ca.rioters, interRioters}
			if sub.name == "Mob violence" {
				a2 = acledActor{ca.civilians, interCivilians}
			} else if r.chance(0.6) {
				a2 = acledActor{ca.police, interState}
			}
		default:
			switch u := r.intn(3); u {
			case 0:
				a1 = acledActor{ca.military, interState}
			case 1:
				a1 = group()
			default:
				a1 = acledActor{ca.police, interState}
			}
			if r.chance(0.3) {
				a2 = acledActor{ca.civilians, interCivilians}
			}
		}

		place := pick(r, c.places)
		admin1, rest, _ := cut(place, '|')
		admin2, location, _ := cut(rest, '|')
		village := -1
		if r.chance(0.6) {
			village = r.intn(villageCount)
		}
		var key uint64
		if village >= 0 {
			key = uint64(ci)<<32 | uint64(village) + 1
		} else {
			key = uint64(ci)<<32 | uint64(len(location))<<20 | uint64(len(admin2))
		}
		dlat, dlon := jitter(key, 2.0)
		lat, lon := clampLat(c.lat+dlat), clampLon(c.lon+dlon)

		fatal := 0
		if r.chance(ev.pDead) {
			fatal = powerLaw(r, 2.2, 50000)
		}

		kind := -1
		if messy > 0 && r.chance(messy) {
			kind = r.intn(3)
			nMessy++
		}

		// event_id_cnty: ISO3 and a number unique in the file.
		dst = append(dst, c.iso3...)
		dst = strconv.AppendInt(dst, row+1, 10)
		dst = append(dst, ',')
		if kind == 1 {
			dst = appendField(dst, pick(r, badISODates))
		} else {
			dst = appendISO(dst, date)
		}
		dst = append(dst, ',')
		dst = appendInt(dst, date.y)
		dst = append(dst, ',')
		dst = appendInt(dst, precision(r, 85, 12))
		dst = append(dst, ',')
		dst = appendField(dst, sub.disorder)
		dst = append(dst, ',')
		dst = appendField(dst, ev.name)
		dst = append(dst, ',')
		dst = appendField(dst, sub.name)
		dst = append(dst, ',')
		dst = appendField(dst, a1.name)
		dst = append(dst, ',')
		if a1.inter == interProtesters && r.chance(0.3) {
			note = append(note[:0], pick(r, assocGroups)...)
			note = append(note, " ("...)
			note = append(note, c.acled...)
			note = append(note, ')')
			if r.chance(0.3) {
				note = append(note, "; "...)
				note = append(note, pick(r, assocGroups)...)
				note = append(note, " ("...)
				note = append(note, c.acled...)
				note = append(note, ')')
			}
			dst = appendField(dst, note)
		}
		dst = append(dst, ',')
		dst = append(dst, a1.inter...)
		dst = append(dst, ',')
		dst = appendField(dst, a2.name)
		dst = append(dst, ',')
		if a2.name == ca.military && r.chance(0.05) {
			dst = appendField(dst, ca.police) // police fighting beside the army
		}
		dst = append(dst, ',')
		dst = append(dst, a2.inter...)
		dst = append(dst, ',')
		dst = append(dst, a1.inter...)
		if a2.inter == "" {
			dst = append(dst, " only"...)
		} else {
			dst = append(dst, '-')
			dst = append(dst, a2.inter...)
		}
		dst = append(dst, ',')
		if a2.inter == interCivilians && evi != evStrategic && evi != evRiots {
			dst = append(dst, "Civilian targeting"...)
		}
		dst = append(dst, ',')
		if kind == 0 {
			dst = append(dst, '0')
			dst = append(dst, ',')
			dst = appendField(dst, c.acledRegion)
			dst = append(dst, ',')
			dst = appendField(dst, pick(r, unknownCountries))
		} else {
			dst = appendInt(dst, c.isoNum)
			dst = append(dst, ',')
			dst = appendField(dst, c.acledRegion)
			dst = append(dst, ',')
			dst = appendField(dst, c.acled)
		}
		dst = append(dst, ',')
		dst = appendField(dst, admin1)
		dst = append(dst, ',')
		dst = appendField(dst, admin2)
		dst = append(dst, ',')
		note = note[:0]
		if village >= 0 {
			note = appendVillage(note, village)
		} else {
			note = append(note, location...)
		}
		if r.chance(0.3) {
			dst = appendField(dst, note)
		}
		dst = append(dst, ',')
		dst = appendField(dst, note)
		dst = append(dst, ',')
		dst = appendFixed(dst, lat, 4)
		dst = append(dst, ',')
		dst = appendFixed(dst, lon, 4)
		dst = append(dst, ',')
		dst = appendInt(dst, precision(r, 70, 22))
		dst = append(dst, ',')
		src1 := r.intn(len(acledSources))
		dst = appendField(dst, acledSources[src1])
		if r.chance(0.4) {
			dst = append(dst, "; "...)
			dst = appendField(dst, acledSources[(src1+1+r.intn(len(acledSources)-1))%len(acledSources)])
		}
		dst = append(dst, ',')
		dst = appendField(dst, pick(r, acledScales))
		dst = append(dst, ',')

		// notes: a sentence or two, with commas, sometimes quotes and, rarely,
		// a line break, as in real exports.
		place2 := len(note)
		note = append(note, "On "...)
		note = appendLong(note, date)
		note = append(note, ", "...)
		note = append(note, a1.name...)
		note = append(note, ' ')
		if a2.name != "" {
			note = append(note, ev.verb...)
			note = append(note, ' ')
			note = append(note, a2.name...)
			note = append(note, " in "...)
		} else if evi == evProtests || evi == evRiots {
			note = append(note, "gathered in "...)
		} else {
			note = append(note, "operated in "...)
		}
		note = append(note, note[:place2]...)
		note = append(note, " ("...)
		note = append(note, admin2...)
		note = append(note, ", "...)
		note = append(note, admin1...)
		note = append(note, ")"...)
		if evi == evProtests || evi == evRiots {
			note = append(note, " over "...)
			note = append(note, pick(r, protestCauses)...)
			if r.chance(0.2) {
				note = append(note, `, chanting "`...)
				note = append(note, pick(r, slogans)...)
				note = append(note, `"`...)
			}
		}
		note = append(note, '.')
		if r.chance(0.005) {
			note = append(note, "\nLocal sources add that the area remained tense."...)
		}
		if fatal > 0 {
			note = append(note, ' ')
			note = appendInt(note, fatal)
			note = append(note, " fatalities."...)
		} else if ev.pDead > 0.1 && r.chance(0.3) {
			note = append(note, " Fatalities unknown."...)
		}
		if evi == evProtests {
			note = append(note, " [size=no report]"...)
		}
		dst = appendField(dst, note[place2:])
		dst = append(dst, ',')
		if kind == 2 {
			dst = appendField(dst, pick(r, badCounts))
		} else {
			dst = appendInt(dst, fatal)
		}
		dst = append(dst, ',')
		if evi == evProtests {
			if r.chance(0.7) {
				dst = append(dst, "crowd size=no report"...)
			} else {
				dst = append(dst, "crowd size=around "...)
				dst = appendInt(dst, (1+r.intn(50))*20)
			}
		} else if evi == evViolence && r.chance(0.03) {
			dst = append(dst, "women targeted: girls"...)
		}
		dst = append(dst, ',')
		// timestamp: when ACLED last edited the row, days to years later.
		ts := int64(day+7+r.intn(400))*86400 + int64(r.intn(86400))
		dst = strconv.AppendInt(dst, ts, 10)
		dst = append(dst, '\n')
	}
	return dst, nMessy
}

// precision draws 1, 2 or 3 with the given percentages for 1 and 2.
func precision(r *rng, p1, p2 int) int {
	u := r.intn(100)
	switch {
	case u < p1:
		return 1
	case u < p1+p2:
		return 2
	}
	return 3
}

func cut(s string, sep byte) (before, after string, found bool) {
	for i := 0; i < len(s); i++ {
		if s[i] == sep {
			return s[:i], s[i+1:], true
		}
	}
	return s, "", false
}

func clampLat(v float64) float64 { return min(max(v, -89.9), 89.9) }
func clampLon(v float64) float64 { return min(max(v, -179.9), 179.9) }
