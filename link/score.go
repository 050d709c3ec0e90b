package link

import (
	"math"
	"strings"

	"github.com/incidentkit/incidents/schema"
)

// Place bases of a pair: how its places were compared.
const (
	BasisPoint   = "point"   // both have coordinates at exact, near or admin2 precision: the distance
	BasisAdmin1  = "admin1"  // one is known to its admin1 only: the same admin1 name (or, a name missing, the distance)
	BasisCountry = "country" // one is known to its country only: the same country
)

// Feature weights of the score: a weighted mean of the features a pair has
// (an unknown actor or toll on either side leaves its feature out, and the
// others' weights are scaled up).
const (
	weightDate       = 0.25
	weightPlace      = 0.25
	weightType       = 0.15
	weightActors     = 0.20
	weightFatalities = 0.15
)

// evidence is what the features found for one candidate pair.
type evidence struct {
	gapDays    int32
	distanceKM float64 // NaN when not measured
	basis      string
	date       float64
	place      float64
	etype      float64
	actors     float64 // NaN when either side has no named actor
	fatalities float64 // NaN when either toll is unknown
	score      float64
}

// The place feature of a match by admin1 or by country: a unit is a
// sixth of a country or the whole of it, weak evidence beside two points a
// few km apart.
const (
	admin1Place  = 0.35
	countryPlace = 0.15
)

const earthRadiusKM = 6371.0088 // IUGG mean radius

func haversineKM(lat1, lon1, lat2, lon2 float64) float64 {
	const rad = math.Pi / 180
	dlat := (lat2 - lat1) * rad
	dlon := (lon2 - lon1) * rad
	s := math.Sin(dlat/2)*math.Sin(dlat/2) + math.Cos(lat1*rad)*math.Cos(lat2*rad)*math.Sin(dlon/2)*math.Sin(dlon/2)
	return 2 * earthRadiusKM * math.Asin(math.Min(1, math.Sqrt(s)))
}

// kmPerDegreeLat bounds the distance from the latitudes alone: two points
// whose latitudes differ by dlat degrees are at least dlat*kmPerDegreeLat
// apart (a meridian arc), a cheap test before the haversine.
const kmPerDegreeLat = earthRadiusKM * math.Pi / 180

// place applies the distance rule to a and b (same country): whether they
// may be one event, and the place feature.
func place(a, b *event, km float64, ev *evidence) bool {
	ev.distanceKM = math.NaN()
	ca, cb := a.cls, b.cls
	switch {
	case ca == classCountry || cb == classCountry:
		// Somewhere in the country: any place of it, but not at sea (XXX
		// is no country).
		ev.basis = BasisCountry
		ev.place = countryPlace
		return a.country != "XXX"
	case ca == classPoint && cb == classPoint:
		ev.basis = BasisPoint
		limit := km + a.radius + b.radius
		if math.Abs(a.lat-b.lat)*kmPerDegreeLat > limit {
			return false
		}
		d := haversineKM(a.lat, a.lon, b.lat, b.lon)
		ev.distanceKM = d
		if d > limit {
			return false
		}
		ev.place = 1 - d/(limit+1)
		return true
	}
	ev.basis = BasisAdmin1
	if a.admin1 != "" && b.admin1 != "" {
		if a.admin1 != b.admin1 {
			return false
		}
		ev.place = admin1Place
		if a.hasPoint && b.hasPoint {
			ev.distanceKM = haversineKM(a.lat, a.lon, b.lat, b.lon)
		}
		return true
	}
	if !a.hasPoint || !b.hasPoint {
		ev.place = countryPlace
		return true // same country, no admin1 name and no point to tell them apart
	}
	limit := km + a.radius + b.radius
	d := haversineKM(a.lat, a.lon, b.lat, b.lon)
	ev.distanceKM = d
	if d > limit {
		return false
	}
	ev.place = admin1Place * (1 - d/(limit+1))
	return true
}

// dateSpecificity discounts a date match by the coarser precision of the
// two: overlapping months say less than the same day.
var dateSpecificity = [...]float64{
	schema.DateDay:   1,
	schema.DateDays:  0.9,
	schema.DateWeek:  0.8,
	schema.DateMonth: 0.5,
	schema.DateYear:  0.25,
}

func dateFeature(a, b *event, days int32, ev *evidence) {
	gap := max(0, b.start-a.end, a.start-b.end)
	ev.gapDays = gap
	p := max(a.datePrec, b.datePrec)
	spec := 0.25
	if int(p) < len(dateSpecificity) {
		spec = dateSpecificity[p]
	}
	ev.date = (1 - float64(gap)/float64(days+1)) * spec
}

// typeCompat is the compatibility of two event types of the schema's
// shared taxonomy (ACLED's six types, onto which every layout maps):
// 1 for the same type; high where datasets code one event differently
// (UCDP's state-based violence is battles, and covers ACLED's air strikes
// and shelling; a bombing of civilians is explosions in the GTD and
// ACLED, one-sided violence in UCDP; a riot is often reported as a
// protest); low where they cannot be one event (a protest and a battle).
// unknown against anything is 0.5, no evidence either way.
var typeCompat = func() [7][7]float64 {
	var m [7][7]float64
	set := func(a, b schema.EventType, v float64) { m[a][b], m[b][a] = v, v }
	for _, t := range schema.EventTypes {
		m[t][t] = 1
		set(schema.EventUnknown, t, 0.5)
	}
	m[schema.EventUnknown][schema.EventUnknown] = 0.5
	set(schema.EventBattles, schema.EventExplosionsRemoteViolence, 0.7)
	set(schema.EventBattles, schema.EventViolenceAgainstCivilians, 0.6)
	set(schema.EventExplosionsRemoteViolence, schema.EventViolenceAgainstCivilians, 0.7)
	set(schema.EventRiots, schema.EventProtests, 0.6)
	set(schema.EventRiots, schema.EventViolenceAgainstCivilians, 0.4)
	set(schema.EventRiots, schema.EventBattles, 0.2)
	set(schema.EventStrategicDevelopments, schema.EventBattles, 0.2)
	set(schema.EventStrategicDevelopments, schema.EventExplosionsRemoteViolence, 0.3)
	set(schema.EventStrategicDevelopments, schema.EventViolenceAgainstCivilians, 0.2)
	set(schema.EventStrategicDevelopments, schema.EventRiots, 0.2)
	set(schema.EventStrategicDevelopments, schema.EventProtests, 0.2)
	return m
}()

func typeFeature(a, b *event) float64 {
	s := 0.5
	if int(a.etype) < 7 && int(b.etype) < 7 {
		s = typeCompat[a.etype][b.etype]
	}
	// Both UCDP-coded: a different type of violence is another conflict.
	if a.vtype != schema.ViolenceNone && b.vtype != schema.ViolenceNone && a.vtype != b.vtype {
		s = min(s, 0.3)
	}
	return s
}

// actorSim compares two actor names: 1 when one's words are among the
// other's (the overlap coefficient |A∩B|/min(|A|,|B|), words compared by
// sameWord, so spelling variants count) or one is the
// other's acronym (UCDP's "IS", ACLED's "Islamic State (Syria)"); NaN
// when either names nobody.
func actorSim(a, b *actor) float64 {
	if a.empty() || b.empty() {
		return math.NaN()
	}
	if acronymOf(a, b) || acronymOf(b, a) {
		return 1
	}
	if len(a.tokens) == 0 || len(b.tokens) == 0 {
		return 0
	}
	small, large := a.tokens, b.tokens
	if len(small) > len(large) {
		small, large = large, small
	}
	common, named := 0, 0
	for _, w := range small {
		for _, v := range large {
			if sameWord(w, v) {
				common++
				if w[0] != '#' {
					named++
				}
				break
			}
		}
	}
	sim := float64(common) / float64(len(small))
	if common > 0 && named == 0 {
		// Only "state forces" or "civilians" in common: every battle has
		// the one, every massacre the other.
		sim *= genericMatch
	}
	return sim
}

// genericMatch discounts a match of generic sides only (the state's
// forces, civilians).
const genericMatch = 0.6

// acronymOf says whether b names a by its acronym: b's words include a's
// acronym ("ISIL" and "Islamic State of Iraq and the Levant"), the two
// acronyms are the same (ACLED's "TTP: ..." and the GTD's "... (TTP)"), or
// b's one short word is the initials of a's first words (UCDP's "IS" and
// "Islamic State Khorasan Province").
func acronymOf(a, b *actor) bool {
	if len(a.acronym) < 2 {
		return false
	}
	if a.acronym == b.acronym || contains(b.tokens, a.acronym) {
		return true
	}
	return len(b.tokens) == 1 && len(b.tokens[0]) >= 2 && len(b.tokens[0]) < len(a.acronym) &&
		strings.HasPrefix(a.acronym, b.tokens[0])
}

func contains(sorted []string, s string) bool {
	for _, t := range sorted {
		if t == s {
			return true
		}
	}
	return false
}

// actorFeature pairs the two sides' actors the way that matches best
// (actor1 is not always the initiator, ACLED warns) and weighs the better
// matched pair 0.7, the other 0.3; a side with one named actor is that
// pair alone. NaN when no pair of named actors exists.
func actorFeature(a, b *event) float64 {
	best := math.NaN()
	for _, swap := range [2]bool{false, true} {
		b0, b1 := &b.actors[0], &b.actors[1]
		if swap {
			b0, b1 = b1, b0
		}
		s0, s1 := actorSim(&a.actors[0], b0), actorSim(&a.actors[1], b1)
		var s float64
		switch {
		case math.IsNaN(s0) && math.IsNaN(s1):
			continue
		case math.IsNaN(s0):
			s = s1
		case math.IsNaN(s1):
			s = s0
		default:
			s = 0.7*max(s0, s1) + 0.3*min(s0, s1)
		}
		if math.IsNaN(best) || s > best {
			best = s
		}
	}
	return best
}

// fatalitiesFeature is 1 when the two tolls' ranges (low..high, or best)
// overlap, else the ratio (smaller+1)/(larger+1) of the bests; NaN when
// either is unknown.
func fatalitiesFeature(a, b *event) float64 {
	if a.best < 0 || b.best < 0 {
		return math.NaN()
	}
	lo := func(e *event) int32 {
		if e.low >= 0 {
			return min(e.low, e.best)
		}
		return e.best
	}
	hi := func(e *event) int32 {
		if e.high >= 0 {
			return max(e.high, e.best)
		}
		return e.best
	}
	if lo(a) <= hi(b) && lo(b) <= hi(a) {
		return 1
	}
	x, y := float64(min(a.best, b.best)), float64(max(a.best, b.best))
	return (x + 1) / (y + 1)
}

// combine is the score: the weighted mean of the features present.
func (ev *evidence) combine() {
	sum := weightDate*ev.date + weightPlace*ev.place + weightType*ev.etype
	w := weightDate + weightPlace + weightType
	if !math.IsNaN(ev.actors) {
		sum += weightActors * ev.actors
		w += weightActors
	}
	if !math.IsNaN(ev.fatalities) {
		sum += weightFatalities * ev.fatalities
		w += weightFatalities
	}
	ev.score = sum / w
}
