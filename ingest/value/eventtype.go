package value

import (
	"strings"
	"sync"
	"sync/atomic"
	"unicode"
	"unicode/utf8"

	"github.com/incidentkit/incidents/schema"
)

// EventClass is a mapped event type.
type EventClass struct {
	Type    schema.EventType
	SubType string // snake_case, "" if none
}

// acledTaxonomy is ACLED's event taxonomy (codebook 2019 onward): the 6
// event types and their 25 sub-event types. Sub-event types map to
// snake_case ("Air/drone strike" -> "air_drone_strike").
var acledTaxonomy = []struct {
	event string
	typ   schema.EventType
	subs  []string
}{
	{"Battles", schema.EventBattles, []string{
		"Armed clash", "Government regains territory", "Non-state actor overtakes territory"}},
	{"Explosions/Remote violence", schema.EventExplosionsRemoteViolence, []string{
		"Chemical weapon", "Air/drone strike", "Suicide bomb", "Shelling/artillery/missile attack",
		"Remote explosive/landmine/IED", "Grenade"}},
	{"Violence against civilians", schema.EventViolenceAgainstCivilians, []string{
		"Sexual violence", "Attack", "Abduction/forced disappearance"}},
	{"Protests", schema.EventProtests, []string{
		"Peaceful protest", "Protest with intervention", "Excessive force against protesters"}},
	{"Riots", schema.EventRiots, []string{
		"Violent demonstration", "Mob violence"}},
	{"Strategic developments", schema.EventStrategicDevelopments, []string{
		"Agreement", "Arrests", "Change to group/activity", "Disrupted weapons use",
		"Headquarters or base established", "Looting/property destruction",
		"Non-violent transfer of territory", "Other"}},
}

// acledOldTypes are event types of ACLED exports before 2019; their
// sub-event column was empty.
var acledOldTypes = map[string]EventClass{
	"battle-no change of territory":              {schema.EventBattles, "armed_clash"},
	"battle-government regains territory":        {schema.EventBattles, "government_regains_territory"},
	"battle-non-state actor overtakes territory": {schema.EventBattles, "non_state_actor_overtakes_territory"},
	"remote violence":                            {schema.EventExplosionsRemoteViolence, ""},
	"riots/protests":                             {schema.EventProtests, ""},
	"strategic development":                      {schema.EventStrategicDevelopments, ""},
	"headquarters or base established":           {schema.EventStrategicDevelopments, "headquarters_or_base_established"},
	"non-violent transfer of territory":          {schema.EventStrategicDevelopments, "non_violent_transfer_of_territory"},
	"violence against civilians":                 {schema.EventViolenceAgainstCivilians, ""},
}

type acledSub struct {
	parent string // folded event type
	class  EventClass
}

var (
	acledTypes = map[string]schema.EventType{} // folded event type -> type
	acledSubs  = map[string]acledSub{}         // folded sub-event type -> class
)

func init() {
	for _, e := range acledTaxonomy {
		acledTypes[foldLabel(e.event)] = e.typ
		for _, s := range e.subs {
			acledSubs[foldLabel(s)] = acledSub{foldLabel(e.event), EventClass{e.typ, snakeCase(s)}}
		}
	}
}

// foldLabel lowercases and trims a label for table lookup, without
// allocating when it is already folded.
func foldLabel(s string) string {
	s = strings.TrimSpace(s)
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 'A' && c <= 'Z' || c >= 0x80 {
			return strings.ToLower(s)
		}
	}
	return s
}

// snakeCase turns a label into snake_case: "Air/drone strike" ->
// "air_drone_strike", "Hostage Taking (Kidnapping)" ->
// "hostage_taking_kidnapping".
func snakeCase(s string) string {
	var b strings.Builder
	us := false
	for _, r := range strings.ToLower(s) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
			us = false
			continue
		}
		if !us && b.Len() > 0 {
			b.WriteByte('_')
			us = true
		}
	}
	return strings.TrimSuffix(b.String(), "_")
}

// ACLEDEventType maps ACLED's event_type and sub_event_type (case and
// surrounding space ignored) to the schema's event type and a snake_case
// sub-event type. The sub-event type alone decides when it is known; a
// sub-event type that belongs to another event type than the one given is
// not ok. Pre-2019 ACLED event types ("Battle-No change of territory",
// "Remote violence", "Riots/Protests") are understood.
func ACLEDEventType(eventType, subEventType string) (EventClass, bool) {
	var eb, sb [64]byte
	et, st := appendFold(eb[:0], eventType), appendFold(sb[:0], subEventType)
	if len(st) > 0 {
		sub, ok := acledSubs[string(st)]
		if !ok {
			return EventClass{}, false
		}
		if len(et) > 0 && string(et) != sub.parent {
			if old, ok := acledOldTypes[string(et)]; !ok || old.Type != sub.class.Type && string(et) != "riots/protests" {
				return EventClass{}, false
			}
		}
		return sub.class, true
	}
	if t, ok := acledTypes[string(et)]; ok {
		return EventClass{Type: t}, true
	}
	if c, ok := acledOldTypes[string(et)]; ok {
		return c, true
	}
	return EventClass{}, false
}

// appendFold appends the trimmed, lowercased label to b: table keys are
// looked up through it without allocating (a map index by string(b) does
// not copy).
func appendFold(b []byte, s string) []byte {
	for _, r := range strings.TrimSpace(s) {
		if r < utf8.RuneSelf {
			if r >= 'A' && r <= 'Z' {
				r += 'a' - 'A'
			}
			b = append(b, byte(r))
			continue
		}
		b = utf8.AppendRune(b, unicode.ToLower(r))
	}
	return b
}

// gtdAttackTypes maps GTD attacktype1_txt. The GTD records terrorism, so
// attacks are on civilians or non-combatant targets unless the type says
// otherwise; infrastructure attacks are property destruction.
var gtdAttackTypes = map[string]EventClass{
	"assassination":                       {schema.EventViolenceAgainstCivilians, "assassination"},
	"armed assault":                       {schema.EventViolenceAgainstCivilians, "armed_assault"},
	"bombing/explosion":                   {schema.EventExplosionsRemoteViolence, "bombing_explosion"},
	"hijacking":                           {schema.EventViolenceAgainstCivilians, "hijacking"},
	"hostage taking (barricade incident)": {schema.EventViolenceAgainstCivilians, "hostage_taking_barricade_incident"},
	"hostage taking (kidnapping)":         {schema.EventViolenceAgainstCivilians, "hostage_taking_kidnapping"},
	"facility/infrastructure attack":      {schema.EventStrategicDevelopments, "facility_infrastructure_attack"},
	"unarmed assault":                     {schema.EventViolenceAgainstCivilians, "unarmed_assault"},
	"unknown":                             {schema.EventUnknown, ""},
}

// GTDAttackType maps the GTD's attacktype1_txt (case ignored):
//
//	Assassination                        violence_against_civilians  assassination
//	Armed Assault                        violence_against_civilians  armed_assault
//	Bombing/Explosion                    explosions_remote_violence  bombing_explosion
//	Hijacking                            violence_against_civilians  hijacking
//	Hostage Taking (Barricade Incident)  violence_against_civilians  hostage_taking_barricade_incident
//	Hostage Taking (Kidnapping)          violence_against_civilians  hostage_taking_kidnapping
//	Facility/Infrastructure Attack       strategic_developments      facility_infrastructure_attack
//	Unarmed Assault                      violence_against_civilians  unarmed_assault
//	Unknown                              unknown                     ""  (ok: a known code)
func GTDAttackType(attackType string) (EventClass, bool) {
	var buf [64]byte
	c, ok := gtdAttackTypes[string(appendFold(buf[:0], attackType))]
	return c, ok
}

// eventRule is one keyword rule of MapEventType: all of the words in all
// (word prefixes when they end in '*'), and one of any when any is set.
type eventRule struct {
	all   []string
	any   []string
	class EventClass
}

var (
	vac      = schema.EventViolenceAgainstCivilians
	explRV   = schema.EventExplosionsRemoteViolence
	battles  = schema.EventBattles
	strategy = schema.EventStrategicDevelopments
)

// eventSynonyms are whole phrases, checked before the keyword rules.
var eventSynonyms = map[string]EventClass{
	"attack":                 {vac, "attack"},
	"armed attack":           {vac, "attack"},
	"clash":                  {battles, "armed_clash"},
	"clashes":                {battles, "armed_clash"},
	"armed clash":            {battles, "armed_clash"},
	"battle":                 {battles, "armed_clash"},
	"fighting":               {battles, "armed_clash"},
	"ied":                    {explRV, "remote_explosive_landmine_ied"},
	"strategic development":  {strategy, ""},
	"strategic developments": {strategy, ""},
	"protest":                {schema.EventProtests, ""},
	"protests":               {schema.EventProtests, ""},
	"demonstration":          {schema.EventProtests, ""},
	"riot":                   {schema.EventRiots, ""},
	"riots":                  {schema.EventRiots, ""},
}

// eventRules, in priority order: the first rule that matches wins, so the
// specific weapons come before "attack" and violent protests before
// protests.
var eventRules = []eventRule{
	{all: []string{"suicide"}, any: []string{"bomb*", "attack*", "blast*", "explosi*", "vest*", "car"}, class: EventClass{explRV, "suicide_bomb"}},
	{any: []string{"airstrike*", "air-strike*", "airstrike", "airraid*", "bombardment*", "drone*", "warplane*", "aircraft"}, class: EventClass{explRV, "air_drone_strike"}},
	{all: []string{"air"}, any: []string{"strike*", "raid*", "attack*"}, class: EventClass{explRV, "air_drone_strike"}},
	{any: []string{"chemical*", "sarin", "chlorine", "nerve-agent*"}, class: EventClass{explRV, "chemical_weapon"}},
	{any: []string{"shelling", "shelled", "shells", "artillery", "mortar*", "rocket*", "missile*", "howitzer*"}, class: EventClass{explRV, "shelling_artillery_missile_attack"}},
	{any: []string{"ied*", "vbied*", "landmine*", "mine", "mines", "roadside", "explosive*", "bomb", "bombs", "bombing*", "car-bomb*", "carbomb*", "explosion*", "blast*", "detonat*"}, class: EventClass{explRV, "remote_explosive_landmine_ied"}},
	{any: []string{"grenade*"}, class: EventClass{explRV, "grenade"}},
	{any: []string{"recapture*", "retake*", "retook", "regain*"}, class: EventClass{battles, "government_regains_territory"}},
	{any: []string{"overt*", "seize*", "seized", "captur*", "overran", "overrun", "takeover"}, all: []string{"territory"}, class: EventClass{battles, "non_state_actor_overtakes_territory"}},
	{any: []string{"abduct*", "kidnap*", "hostage*", "disappearance*", "disappeared"}, class: EventClass{vac, "abduction_forced_disappearance"}},
	{any: []string{"rape*", "sexual"}, class: EventClass{vac, "sexual_violence"}},
	{any: []string{"mob", "mobs", "lynch*", "vigilante*"}, class: EventClass{schema.EventRiots, "mob_violence"}},
	{all: []string{"violent"}, any: []string{"demonstration*", "protest*"}, class: EventClass{schema.EventRiots, "violent_demonstration"}},
	{any: []string{"riot*"}, class: EventClass{schema.EventRiots, ""}},
	{any: []string{"protest*", "demonstrat*", "rally", "rallies"}, all: []string{"excessive"}, class: EventClass{schema.EventProtests, "excessive_force_against_protesters"}},
	{any: []string{"protesters", "demonstrators"}, all: []string{"kill*"}, class: EventClass{schema.EventProtests, "excessive_force_against_protesters"}},
	{any: []string{"dispers*", "tear", "teargas", "intervention", "arrest*", "detain*", "baton*", "water-cannon*"}, all: []string{"protest*"}, class: EventClass{schema.EventProtests, "protest_with_intervention"}},
	{any: []string{"protest*", "demonstrat*", "rally", "rallies", "march", "marches", "sit-in*"}, class: EventClass{schema.EventProtests, "peaceful_protest"}},
	{any: []string{"arrest*", "detain*", "detention*"}, class: EventClass{strategy, "arrests"}},
	{any: []string{"agreement*", "ceasefire*", "cease-fire*", "truce", "accord", "peace"}, class: EventClass{strategy, "agreement"}},
	{any: []string{"loot*", "arson", "burn*", "vandal*", "destruction", "destroyed"}, class: EventClass{strategy, "looting_property_destruction"}},
	{any: []string{"headquarters", "base"}, all: []string{"establish*"}, class: EventClass{strategy, "headquarters_or_base_established"}},
	{all: []string{"strategic"}, class: EventClass{strategy, ""}},
	{any: []string{"massacre*", "assassinat*", "execut*", "murder*", "killing*", "beheading*", "shooting*", "gunmen", "stabbing*", "lynching"}, class: EventClass{vac, "attack"}},
	{any: []string{"attack*", "assault*", "raid*", "ambush*", "incursion*"}, class: EventClass{}}, // resolved by target below
	{any: []string{"clash*", "battle*", "fight*", "firefight*", "gunfight*", "skirmish*", "combat", "offensive", "exchange"}, class: EventClass{battles, "armed_clash"}},
}

// securityTargets make an attack a battle (ACLED codes an attack on armed
// forces or an armed group as an armed clash).
var securityTargets = []string{
	"post", "posts", "outpost*", "checkpoint*", "base", "bases", "barrack*", "army", "military", "soldier*",
	"troop*", "police*", "policemen", "guard*", "patrol*", "convoy*", "forces", "security", "border",
	"garrison*", "militia*", "rebel*", "militant*", "insurgent*", "officers",
}

var (
	eventCache  sync.Map // exact input -> eventLookup
	eventCached atomic.Int64
)

type eventLookup struct {
	c  EventClass
	ok bool
}

// MapEventType maps free text to an event class by whole-phrase synonyms
// first, then the ACLED and GTD labels, then keyword rules in priority
// order: "suicide bombing" before "bombing", "violent protest" before
// "protest", "airstrike", "shelling", "IED", "abduction", "massacre",
// "arrests" and so on. An attack on armed forces or a post ("armed attack
// on border post") is a battle (armed clash), any other attack ("attack",
// "attack on village") violence against civilians, as ACLED codes them.
// ok=false when nothing matches. Results are cached by the exact input
// (no allocation on a hit); safe for concurrent use.
func MapEventType(s string) (EventClass, bool) {
	if v, ok := eventCache.Load(s); ok {
		r := v.(*eventLookup)
		return r.c, r.ok
	}
	c, ok := mapEventType(s)
	if eventCached.Load() < lookupCacheMax {
		if _, loaded := eventCache.LoadOrStore(strings.Clone(s), &eventLookup{c, ok}); !loaded {
			eventCached.Add(1)
		}
	}
	return c, ok
}

func mapEventType(s string) (EventClass, bool) {
	words := eventWords(s)
	if len(words) == 0 {
		return EventClass{}, false
	}
	phrase := strings.Join(words, " ")
	if c, ok := eventSynonyms[phrase]; ok {
		return c, true
	}
	folded := foldLabel(s)
	if sub, ok := acledSubs[folded]; ok {
		return sub.class, true
	}
	if t, ok := acledTypes[folded]; ok {
		return EventClass{Type: t}, true
	}
	if c, ok := gtdAttackTypes[folded]; ok && c.Type != schema.EventUnknown {
		return c, true
	}
	for _, r := range eventRules {
		if !matchAll(words, r.all) || (len(r.any) > 0 && !matchAny(words, r.any)) {
			continue
		}
		if r.class == (EventClass{}) { // an attack: on whom?
			if matchAny(words, securityTargets) {
				return EventClass{battles, "armed_clash"}, true
			}
			return EventClass{vac, "attack"}, true
		}
		return r.class, true
	}
	return EventClass{}, false
}

// eventWords lowercases and splits on anything but letters, digits and
// inner hyphens.
func eventWords(s string) []string {
	f := strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r >= 0x80)
	})
	out := f[:0]
	for _, w := range f {
		w = strings.Trim(w, "-")
		if w != "" {
			out = append(out, w)
		}
	}
	return out
}

func matchWord(w, pat string) bool {
	if p, ok := strings.CutSuffix(pat, "*"); ok {
		return strings.HasPrefix(w, p)
	}
	return w == pat
}

func matchAny(words, pats []string) bool {
	for _, p := range pats {
		for _, w := range words {
			if matchWord(w, p) {
				return true
			}
		}
	}
	return false
}

func matchAll(words, pats []string) bool {
	for _, p := range pats {
		found := false
		for _, w := range words {
			if matchWord(w, p) {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}
