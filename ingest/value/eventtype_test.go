package value

import (
	"fmt"
	"testing"

	"github.com/incidentkit/incidents/schema"
)

func TestMapEventType(t *testing.T) {
	for _, c := range []struct {
		in  string
		typ schema.EventType
		sub string
	}{
		{"armed clash", schema.EventBattles, "armed_clash"},
		{"Armed clash", schema.EventBattles, "armed_clash"},
		{"clash", schema.EventBattles, "armed_clash"},
		{"clashes between army and rebels", schema.EventBattles, "armed_clash"},
		{"fighting", schema.EventBattles, "armed_clash"},
		{"firefight", schema.EventBattles, "armed_clash"},
		{"attack", schema.EventViolenceAgainstCivilians, "attack"},
		{"armed attack", schema.EventViolenceAgainstCivilians, "attack"},
		{"attack on village", schema.EventViolenceAgainstCivilians, "attack"},
		{"armed attack on border post", schema.EventBattles, "armed_clash"},
		{"attack on a police checkpoint", schema.EventBattles, "armed_clash"},
		{"ambush on army convoy", schema.EventBattles, "armed_clash"},
		{"bombing", schema.EventExplosionsRemoteViolence, "remote_explosive_landmine_ied"},
		{"car bomb", schema.EventExplosionsRemoteViolence, "remote_explosive_landmine_ied"},
		{"suicide bombing", schema.EventExplosionsRemoteViolence, "suicide_bomb"},
		{"Suicide attack", schema.EventExplosionsRemoteViolence, "suicide_bomb"},
		{"IED", schema.EventExplosionsRemoteViolence, "remote_explosive_landmine_ied"},
		{"IED attack on police", schema.EventExplosionsRemoteViolence, "remote_explosive_landmine_ied"},
		{"landmine", schema.EventExplosionsRemoteViolence, "remote_explosive_landmine_ied"},
		{"airstrike", schema.EventExplosionsRemoteViolence, "air_drone_strike"},
		{"air strike", schema.EventExplosionsRemoteViolence, "air_drone_strike"},
		{"drone strike", schema.EventExplosionsRemoteViolence, "air_drone_strike"},
		{"shelling", schema.EventExplosionsRemoteViolence, "shelling_artillery_missile_attack"},
		{"artillery fire", schema.EventExplosionsRemoteViolence, "shelling_artillery_missile_attack"},
		{"rocket attack", schema.EventExplosionsRemoteViolence, "shelling_artillery_missile_attack"},
		{"grenade", schema.EventExplosionsRemoteViolence, "grenade"},
		{"chemical attack", schema.EventExplosionsRemoteViolence, "chemical_weapon"},
		{"riot", schema.EventRiots, ""},
		{"rioting", schema.EventRiots, ""},
		{"lynching", schema.EventRiots, "mob_violence"},
		{"mob violence", schema.EventRiots, "mob_violence"},
		{"violent demonstration", schema.EventRiots, "violent_demonstration"},
		{"violent protest", schema.EventRiots, "violent_demonstration"},
		{"protest", schema.EventProtests, ""},
		{"demonstration", schema.EventProtests, ""},
		{"peaceful protest", schema.EventProtests, "peaceful_protest"},
		{"protest dispersed with tear gas", schema.EventProtests, "protest_with_intervention"},
		{"protesters arrested", schema.EventProtests, "protest_with_intervention"},
		{"protesters killed by police", schema.EventProtests, "excessive_force_against_protesters"},
		{"rally", schema.EventProtests, "peaceful_protest"},
		{"abduction", schema.EventViolenceAgainstCivilians, "abduction_forced_disappearance"},
		{"kidnapping", schema.EventViolenceAgainstCivilians, "abduction_forced_disappearance"},
		{"hostages taken", schema.EventViolenceAgainstCivilians, "abduction_forced_disappearance"},
		{"massacre", schema.EventViolenceAgainstCivilians, "attack"},
		{"assassination", schema.EventViolenceAgainstCivilians, "assassination"},
		{"assassination of a judge", schema.EventViolenceAgainstCivilians, "attack"},
		{"execution", schema.EventViolenceAgainstCivilians, "attack"},
		{"sexual violence", schema.EventViolenceAgainstCivilians, "sexual_violence"},
		{"strategic development", schema.EventStrategicDevelopments, ""},
		{"arrests", schema.EventStrategicDevelopments, "arrests"},
		{"mass arrest", schema.EventStrategicDevelopments, "arrests"},
		{"ceasefire", schema.EventStrategicDevelopments, "agreement"},
		{"looting", schema.EventStrategicDevelopments, "looting_property_destruction"},
		{"government forces recapture town", schema.EventBattles, "government_regains_territory"},
		// source labels pass through
		{"Air/drone strike", schema.EventExplosionsRemoteViolence, "air_drone_strike"},
		{"Violence against civilians", schema.EventViolenceAgainstCivilians, ""},
		{"Bombing/Explosion", schema.EventExplosionsRemoteViolence, "bombing_explosion"},
		{"Hostage Taking (Kidnapping)", schema.EventViolenceAgainstCivilians, "hostage_taking_kidnapping"},
	} {
		got, ok := MapEventType(c.in)
		if !ok || got.Type != c.typ || got.SubType != c.sub {
			t.Errorf("MapEventType(%q) = %v %q %v; want %v %q", c.in, got.Type, got.SubType, ok, c.typ, c.sub)
		}
	}
	for _, in := range []string{"", "   ", "picnic", "unknown", "incident", "other event"} {
		if got, ok := MapEventType(in); ok {
			t.Errorf("MapEventType(%q) = %+v, want no match", in, got)
		}
	}
}

func TestACLEDEventType(t *testing.T) {
	n := 0
	for _, e := range acledTaxonomy {
		got, ok := ACLEDEventType(e.event, "")
		if !ok || got.Type != e.typ || got.SubType != "" {
			t.Errorf("ACLEDEventType(%q, \"\") = %+v, %v", e.event, got, ok)
		}
		for _, s := range e.subs {
			n++
			got, ok := ACLEDEventType(e.event, s)
			if !ok || got.Type != e.typ || got.SubType == "" {
				t.Errorf("ACLEDEventType(%q, %q) = %+v, %v", e.event, s, got, ok)
			}
		}
	}
	if len(acledTaxonomy) != 6 || n != 25 {
		t.Errorf("ACLED taxonomy has %d event types and %d sub-event types, want 6 and 25", len(acledTaxonomy), n)
	}
	for _, c := range []struct {
		et, st string
		typ    schema.EventType
		sub    string
	}{
		{"Explosions/Remote violence", "Air/drone strike", schema.EventExplosionsRemoteViolence, "air_drone_strike"},
		{"Explosions/Remote violence", "Shelling/artillery/missile attack", schema.EventExplosionsRemoteViolence, "shelling_artillery_missile_attack"},
		{"Explosions/Remote violence", "Remote explosive/landmine/IED", schema.EventExplosionsRemoteViolence, "remote_explosive_landmine_ied"},
		{"Violence against civilians", "Abduction/forced disappearance", schema.EventViolenceAgainstCivilians, "abduction_forced_disappearance"},
		{"Strategic developments", "Change to group/activity", schema.EventStrategicDevelopments, "change_to_group_activity"},
		{"Strategic developments", "Non-violent transfer of territory", schema.EventStrategicDevelopments, "non_violent_transfer_of_territory"},
		{"Battles", "Non-state actor overtakes territory", schema.EventBattles, "non_state_actor_overtakes_territory"},
		{" battles ", " ARMED CLASH ", schema.EventBattles, "armed_clash"},
		{"", "Armed clash", schema.EventBattles, "armed_clash"},
		{"Battle-No change of territory", "", schema.EventBattles, "armed_clash"},
		{"Remote violence", "", schema.EventExplosionsRemoteViolence, ""},
		{"Riots/Protests", "", schema.EventProtests, ""},
		{"Riots/Protests", "Violent demonstration", schema.EventRiots, "violent_demonstration"},
	} {
		got, ok := ACLEDEventType(c.et, c.st)
		if !ok || got.Type != c.typ || got.SubType != c.sub {
			t.Errorf("ACLEDEventType(%q, %q) = %v %q %v; want %v %q", c.et, c.st, got.Type, got.SubType, ok, c.typ, c.sub)
		}
	}
	for _, c := range [][2]string{{"Battles", "Air/drone strike"}, {"Battles", "Picnic"}, {"Picnic", ""}, {"", ""}, {"Protests", "Armed clash"}} {
		if got, ok := ACLEDEventType(c[0], c[1]); ok {
			t.Errorf("ACLEDEventType(%q, %q) = %+v, want not ok", c[0], c[1], got)
		}
	}
}

func TestGTDAttackType(t *testing.T) {
	for _, c := range []struct {
		in  string
		typ schema.EventType
		sub string
	}{
		{"Assassination", schema.EventViolenceAgainstCivilians, "assassination"},
		{"Armed Assault", schema.EventViolenceAgainstCivilians, "armed_assault"},
		{"Bombing/Explosion", schema.EventExplosionsRemoteViolence, "bombing_explosion"},
		{"Hijacking", schema.EventViolenceAgainstCivilians, "hijacking"},
		{"Hostage Taking (Barricade Incident)", schema.EventViolenceAgainstCivilians, "hostage_taking_barricade_incident"},
		{"Hostage Taking (Kidnapping)", schema.EventViolenceAgainstCivilians, "hostage_taking_kidnapping"},
		{"Facility/Infrastructure Attack", schema.EventStrategicDevelopments, "facility_infrastructure_attack"},
		{"Unarmed Assault", schema.EventViolenceAgainstCivilians, "unarmed_assault"},
		{"Unknown", schema.EventUnknown, ""},
		{"bombing/explosion", schema.EventExplosionsRemoteViolence, "bombing_explosion"},
	} {
		got, ok := GTDAttackType(c.in)
		if !ok || got.Type != c.typ || got.SubType != c.sub {
			t.Errorf("GTDAttackType(%q) = %v %q %v; want %v %q", c.in, got.Type, got.SubType, ok, c.typ, c.sub)
		}
		// the sub-event type is the snake_case of the label
		if c.sub != "" && snakeCase(c.in) != c.sub {
			t.Errorf("snakeCase(%q) = %q, table says %q", c.in, snakeCase(c.in), c.sub)
		}
	}
	if _, ok := GTDAttackType("Bombing"); ok {
		t.Error("GTDAttackType(Bombing): want not ok")
	}
}

func TestMapEventTypeNoAllocOnHit(t *testing.T) {
	for _, in := range []string{"armed attack on border post", "picnic"} {
		MapEventType(in)
		if n := testing.AllocsPerRun(100, func() { MapEventType(in) }); n != 0 {
			t.Errorf("MapEventType(%q) on a cache hit allocates %v times", in, n)
		}
	}
	if n := testing.AllocsPerRun(100, func() { ACLEDEventType("Battles", "Armed clash") }); n != 0 {
		t.Errorf("ACLEDEventType allocates %v times", n)
	}
}

func BenchmarkMapEventType(b *testing.B) {
	b.Run("hit", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			MapEventType("armed attack on border post")
		}
	})
	b.Run("rules", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			mapEventType("armed attack on border post")
		}
	})
	b.Run("acled", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			ACLEDEventType("Explosions/Remote violence", "Shelling/artillery/missile attack")
		}
	})
}

func ExampleMapEventType() {
	for _, s := range []string{"armed attack on border post", "suicide bombing", "kidnapping", "picnic"} {
		c, ok := MapEventType(s)
		fmt.Println(c.Type, c.SubType, ok)
	}
	// Output:
	// battles armed_clash true
	// explosions_remote_violence suicide_bomb true
	// violence_against_civilians abduction_forced_disappearance true
	// unknown  false
}
