package profile

import (
	"errors"
	"sort"
	"testing"

	"github.com/incidentkit/incidents/schema"
)

// The layouts' code tables checked against the codebooks. Every expected
// value below is written out by hand from the source's codebook (ACLED
// Codebook 2019-2023 and 2015-2017 for the old types; UCDP GED Codebook
// 23.1; GTD Codebook 2019), not from the code, and every row goes through
// the layout's own Bind and Convert, so a wrong table entry fails here.

// codebookRow runs one row of the named layout: base columns, overridden and
// extended by cols.
func codebookRow(t *testing.T, layout string, base, cols map[string]string) (schema.Incident, []string, error) {
	t.Helper()
	p, ok := Lookup(layout)
	if !ok {
		t.Fatalf("no layout %q", layout)
	}
	m := map[string]string{}
	for k, v := range base {
		m[k] = v
	}
	for k, v := range cols {
		m[k] = v
	}
	names := make([]string, 0, len(m))
	for k := range m {
		names = append(names, k)
	}
	sort.Strings(names)
	fields := make([]string, len(names))
	for i, n := range names {
		fields[i] = m[n]
	}
	conv, err := p.Bind(NewHeader(names), &Options{})
	if err != nil {
		t.Fatal(err)
	}
	var warns []string
	var in schema.Incident
	err = conv.Convert(&Row{File: "codebook.csv", Line: 2, Fields: fields, Warn: func(s string) { warns = append(warns, s) }}, &in)
	return in, warns, err
}

var d = schema.DateOf

var acledBase = map[string]string{"event_id_cnty": "TJK1", "event_date": "2019-11-06", "event_type": "Battles",
	"sub_event_type": "Armed clash", "country": "Tajikistan", "fatalities": "0"}

func TestCodebookACLEDTimePrecision(t *testing.T) {
	// ACLED: 1 the day; 2 a week, coded at its middle: the date ± 3 days;
	// 3 only the month known: the calendar month.
	for _, c := range []struct {
		code       string
		start, end schema.Date
		prec       schema.DatePrecision
	}{
		{"", d(2019, 11, 6), d(2019, 11, 6), schema.DateDay},
		{"1", d(2019, 11, 6), d(2019, 11, 6), schema.DateDay},
		{"2", d(2019, 11, 3), d(2019, 11, 9), schema.DateWeek},
		{"3", d(2019, 11, 1), d(2019, 11, 30), schema.DateMonth},
	} {
		for _, layout := range []string{"acled", "acled-old"} {
			in, _, err := codebookRow(t, layout, acledBase, map[string]string{"time_precision": c.code})
			if err != nil || in.DateStart != c.start || in.DateEnd != c.end || in.DatePrecision != c.prec {
				t.Errorf("%s time_precision %q: %v..%v %v (%v), want %v..%v %v", layout, c.code,
					in.DateStart, in.DateEnd, in.DatePrecision, err, c.start, c.end, c.prec)
			}
		}
	}
	if _, _, err := codebookRow(t, "acled", acledBase, map[string]string{"time_precision": "4"}); !errors.Is(err, ErrUnknownValue) {
		t.Errorf("time_precision 4: %v, want ErrUnknownValue", err)
	}
}

func TestCodebookACLEDGeoPrecision(t *testing.T) {
	// ACLED: 1 the place itself; 2 near it (a part of a region, a small
	// area); 3 only a larger region known (its capital or centroid).
	for code, want := range map[string]schema.GeoPrecision{"": schema.GeoUnknown, "1": schema.GeoExact,
		"2": schema.GeoNear, "3": schema.GeoAdmin1} {
		in, _, err := codebookRow(t, "acled", acledBase, map[string]string{"geo_precision": code})
		if err != nil || in.GeoPrecision != want {
			t.Errorf("geo_precision %q: %v (%v), want %v", code, in.GeoPrecision, err, want)
		}
		in, _, err = codebookRow(t, "acled-old", acledBase, map[string]string{"geo_precis": code})
		if err != nil || in.GeoPrecision != want {
			t.Errorf("acled-old GEO_PRECIS %q: %v (%v), want %v", code, in.GeoPrecision, err, want)
		}
	}
	if _, _, err := codebookRow(t, "acled", acledBase, map[string]string{"geo_precision": "4"}); !errors.Is(err, ErrUnknownValue) {
		t.Errorf("geo_precision 4: %v, want ErrUnknownValue", err)
	}
}

func TestCodebookACLEDEventTypes(t *testing.T) {
	// ACLED's 6 event types and 25 sub-event types (codebook 2019 on).
	for _, c := range []struct{ et, st, typ, sub string }{
		{"Battles", "Armed clash", "battles", "armed_clash"},
		{"Battles", "Government regains territory", "battles", "government_regains_territory"},
		{"Battles", "Non-state actor overtakes territory", "battles", "non_state_actor_overtakes_territory"},
		{"Explosions/Remote violence", "Chemical weapon", "explosions_remote_violence", "chemical_weapon"},
		{"Explosions/Remote violence", "Air/drone strike", "explosions_remote_violence", "air_drone_strike"},
		{"Explosions/Remote violence", "Suicide bomb", "explosions_remote_violence", "suicide_bomb"},
		{"Explosions/Remote violence", "Shelling/artillery/missile attack", "explosions_remote_violence", "shelling_artillery_missile_attack"},
		{"Explosions/Remote violence", "Remote explosive/landmine/IED", "explosions_remote_violence", "remote_explosive_landmine_ied"},
		{"Explosions/Remote violence", "Grenade", "explosions_remote_violence", "grenade"},
		{"Violence against civilians", "Sexual violence", "violence_against_civilians", "sexual_violence"},
		{"Violence against civilians", "Attack", "violence_against_civilians", "attack"},
		{"Violence against civilians", "Abduction/forced disappearance", "violence_against_civilians", "abduction_forced_disappearance"},
		{"Protests", "Peaceful protest", "protests", "peaceful_protest"},
		{"Protests", "Protest with intervention", "protests", "protest_with_intervention"},
		{"Protests", "Excessive force against protesters", "protests", "excessive_force_against_protesters"},
		{"Riots", "Violent demonstration", "riots", "violent_demonstration"},
		{"Riots", "Mob violence", "riots", "mob_violence"},
		{"Strategic developments", "Agreement", "strategic_developments", "agreement"},
		{"Strategic developments", "Arrests", "strategic_developments", "arrests"},
		{"Strategic developments", "Change to group/activity", "strategic_developments", "change_to_group_activity"},
		{"Strategic developments", "Disrupted weapons use", "strategic_developments", "disrupted_weapons_use"},
		{"Strategic developments", "Headquarters or base established", "strategic_developments", "headquarters_or_base_established"},
		{"Strategic developments", "Looting/property destruction", "strategic_developments", "looting_property_destruction"},
		{"Strategic developments", "Non-violent transfer of territory", "strategic_developments", "non_violent_transfer_of_territory"},
		{"Strategic developments", "Other", "strategic_developments", "other"},
	} {
		in, warns, err := codebookRow(t, "acled", acledBase, map[string]string{"event_type": c.et, "sub_event_type": c.st})
		if err != nil || in.EventType.String() != c.typ || in.SubEventType != c.sub || len(warns) > 0 {
			t.Errorf("%s / %s: %s / %s (%v, %q), want %s / %s", c.et, c.st, in.EventType, in.SubEventType, err, warns, c.typ, c.sub)
		}
	}
}

func TestCodebookACLEDOldEventTypes(t *testing.T) {
	old := map[string]string{"event_id_cnty": "1416RTA", "event_date": "18/04/2001", "event_type": "",
		"country": "Algeria", "fatalities": "0", "inter1": "", "inter2": ""}
	// The crosswalk of acled_old.go's table, written out again: old type,
	// inter1, inter2 -> type / sub-event type.
	for _, c := range []struct{ et, i1, i2, typ, sub string }{
		{"Battle-No change of territory", "1", "2", "battles", "armed_clash"},
		{"Battle-Government regains territory", "1", "2", "battles", "government_regains_territory"},
		{"Battle-Non-state actor overtakes territory", "2", "1", "battles", "non_state_actor_overtakes_territory"},
		{"Battle-Non-state actors overtake territory", "2", "1", "battles", "non_state_actor_overtakes_territory"},
		{"Remote violence", "2", "7", "explosions_remote_violence", ""},
		{"Riots/Protests", "5", "1", "riots", ""},    // rioters
		{"Riots/Protests", "6", "0", "protests", ""}, // protesters
		{"Riots/Protests", "1", "5", "riots", ""},    // police facing rioters: inter2
		{"Riots/Protests", "1", "6", "protests", ""}, // police facing protesters
		{"Riots/Protests", "6", "5", "protests", ""}, // protesters attacked by rioters: inter1 decides
		{"Riots/Protests", "5.0", "", "riots", ""},   // pandas float
		{"Riots/Protests", "3", "1", "protests", ""}, // neither: the documented default, with a warning
		{"Violence against civilians", "3", "7", "violence_against_civilians", ""},
		{"Violence Against Civilians", "3", "7", "violence_against_civilians", ""},
		{"Strategic development", "1", "", "strategic_developments", ""},
		{"Non-violent activity by a conflict actor", "2", "", "strategic_developments", ""},
		{"Headquarters or base established", "2", "", "strategic_developments", "headquarters_or_base_established"},
		{"Non-violent transfer of territory", "2", "", "strategic_developments", "non_violent_transfer_of_territory"},
	} {
		in, warns, err := codebookRow(t, "acled-old", old, map[string]string{"event_type": c.et, "inter1": c.i1, "inter2": c.i2})
		if err != nil || in.EventType.String() != c.typ || in.SubEventType != c.sub || in.SourceEvent != c.et {
			t.Errorf("%s (inter %s/%s): %s / %s, source %q (%v), want %s / %s", c.et, c.i1, c.i2, in.EventType, in.SubEventType, in.SourceEvent, err, c.typ, c.sub)
		}
		if wantWarn := c.et == "Riots/Protests" && c.i1 == "3"; (len(warns) > 0) != wantWarn {
			t.Errorf("%s (inter %s/%s): warnings %q", c.et, c.i1, c.i2, warns)
		}
		if in.DateStart != d(2001, 4, 18) {
			t.Errorf("18/04/2001 read as %v", in.DateStart)
		}
	}
	// ally_actor_* are associated actors; gwno checked against the country.
	in, warns, err := codebookRow(t, "acled-old", old, map[string]string{"event_type": "Riots/Protests", "inter1": "5",
		"actor1": "Rioters (Algeria)", "ally_actor_1": "Berber Ethnic Group (Algeria)", "ally_actor_2": "Students (Algeria)", "gwno": "615",
		"event_date": "02/01/1997"})
	if err != nil || len(in.AssocActors) != 2 || in.AssocActors[0] != "Berber Ethnic Group (Algeria)" || len(warns) != 0 {
		t.Errorf("ally_actor_*: %q (%v, %q)", in.AssocActors, err, warns)
	}
	if in.DateStart != d(1997, 1, 2) {
		t.Errorf("old ACLED 02/01/1997 = %v, want 2 January (day first)", in.DateStart)
	}
	if _, warns, _ = codebookRow(t, "acled-old", old, map[string]string{"event_type": "Remote violence", "gwno": "620"}); len(warns) != 1 {
		t.Errorf("gwno 620 (Libya) on an Algeria row: warnings %q, want one", warns)
	}
	if in, _, err = codebookRow(t, "acled-old", old, map[string]string{"event_type": "Remote violence", "country": "", "gwno": "615"}); err != nil || in.CountryISO3 != "DZA" {
		t.Errorf("country from gwno 615: %q (%v), want DZA", in.CountryISO3, err)
	}
}

var ucdpBase = map[string]string{"id": "271405", "type_of_violence": "1", "side_a": "Government of Tajikistan",
	"side_b": "IS", "country_id": "702", "date_start": "2019-11-06", "date_end": "2019-11-06", "best": "17"}

func TestCodebookUCDPDatePrec(t *testing.T) {
	// GED date_prec: 1 the exact date; 2 a span of 2-6 days; 3 a week; 4 a
	// month; 5 a year (or longer).
	for code, want := range map[string]schema.DatePrecision{"1": schema.DateDay, "2": schema.DateDays,
		"3": schema.DateWeek, "4": schema.DateMonth, "5": schema.DateYear, "4.0": schema.DateMonth} {
		in, _, err := codebookRow(t, "ucdp-ged", ucdpBase, map[string]string{"date_prec": code})
		if err != nil || in.DatePrecision != want {
			t.Errorf("date_prec %s: %v (%v), want %v", code, in.DatePrecision, err, want)
		}
	}
	if _, _, err := codebookRow(t, "ucdp-ged", ucdpBase, map[string]string{"date_prec": "6"}); !errors.Is(err, ErrUnknownValue) {
		t.Errorf("date_prec 6: %v, want ErrUnknownValue", err)
	}
}

func TestCodebookUCDPWherePrec(t *testing.T) {
	// GED where_prec: 1 the exact location; 2 within 25 km; 3 a second-order
	// administrative division; 4 a first-order division; 5 a part of a
	// country larger than a first-order division (so: admin1 at best); 6 the
	// country; 7 international waters or airspace (no place).
	for code, want := range map[string]schema.GeoPrecision{"1": schema.GeoExact, "2": schema.GeoNear,
		"3": schema.GeoAdmin2, "4": schema.GeoAdmin1, "5": schema.GeoAdmin1, "6": schema.GeoCountry,
		"7": schema.GeoUnknown} {
		in, _, err := codebookRow(t, "ucdp-ged", ucdpBase, map[string]string{"where_prec": code})
		if err != nil || in.GeoPrecision != want {
			t.Errorf("where_prec %s: %v (%v), want %v", code, in.GeoPrecision, err, want)
		}
	}
	if _, _, err := codebookRow(t, "ucdp-ged", ucdpBase, map[string]string{"where_prec": "8"}); !errors.Is(err, ErrUnknownValue) {
		t.Errorf("where_prec 8: %v, want ErrUnknownValue", err)
	}
}

func TestCodebookUCDPTypeOfViolence(t *testing.T) {
	// 1 state-based conflict, 2 non-state conflict, 3 one-sided violence.
	for code, want := range map[string]struct {
		vt  schema.ViolenceType
		typ schema.EventType
	}{"1": {schema.ViolenceStateBased, schema.EventBattles}, "2": {schema.ViolenceNonState, schema.EventBattles},
		"3": {schema.ViolenceOneSided, schema.EventViolenceAgainstCivilians}} {
		in, _, err := codebookRow(t, "ucdp-ged", ucdpBase, map[string]string{"type_of_violence": code})
		if err != nil || in.ViolenceType != want.vt || in.EventType != want.typ {
			t.Errorf("type_of_violence %s: %v %v (%v)", code, in.ViolenceType, in.EventType, err)
		}
	}
}

var gtdBase = map[string]string{"eventid": "201503040001", "iyear": "2015", "imonth": "3", "iday": "4",
	"country_txt": "Iraq", "gname": "Islamic State of Iraq and the Levant (ISIL)", "nkill": "5",
	"attacktype1_txt": "Armed Assault", "targtype1": "14", "targtype1_txt": "Private Citizens & Property"}

func TestCodebookGTDSpecificity(t *testing.T) {
	// GTD specificity: 1 the city's own coordinates; 2 in a city whose
	// coordinates are unknown: the smallest region's centroid; 3 not in a
	// city: the smallest region's centroid; 4 no second-order region known:
	// the first-order region's centroid; 5 no first-order region: the
	// country's centroid.
	for code, want := range map[string]schema.GeoPrecision{"1": schema.GeoExact, "2": schema.GeoAdmin2,
		"3": schema.GeoAdmin2, "4": schema.GeoAdmin1, "5": schema.GeoCountry} {
		in, _, err := codebookRow(t, "gtd", gtdBase, map[string]string{"specificity": code})
		if err != nil || in.GeoPrecision != want {
			t.Errorf("specificity %s: %v (%v), want %v", code, in.GeoPrecision, err, want)
		}
	}
}

func TestCodebookGTDDates(t *testing.T) {
	// iday 0: the day is unknown (the month); imonth 0: the month too (the year).
	for _, c := range []struct {
		m, dd      string
		start, end schema.Date
		prec       schema.DatePrecision
	}{
		{"3", "4", d(2015, 3, 4), d(2015, 3, 4), schema.DateDay},
		{"3", "0", d(2015, 3, 1), d(2015, 3, 31), schema.DateMonth},
		{"0", "0", d(2015, 1, 1), d(2015, 12, 31), schema.DateYear},
	} {
		in, _, err := codebookRow(t, "gtd", gtdBase, map[string]string{"imonth": c.m, "iday": c.dd})
		if err != nil || in.DateStart != c.start || in.DateEnd != c.end || in.DatePrecision != c.prec {
			t.Errorf("imonth %s iday %s: %v..%v %v (%v)", c.m, c.dd, in.DateStart, in.DateEnd, in.DatePrecision, err)
		}
	}
}

func TestCodebookGTDClaimed(t *testing.T) {
	// claimed: 1 yes, 0 no, -9 unknown: only 1 is a claim.
	for code, claimed := range map[string]bool{"1": true, "1.0": true, "0": false, "-9": false, "": false} {
		in, _, err := codebookRow(t, "gtd", gtdBase, map[string]string{"claimed": code})
		if err != nil || (in.ClaimedBy != "") != claimed {
			t.Errorf("claimed %q: claimed_by %q (%v)", code, in.ClaimedBy, err)
		}
	}
}

func TestCodebookGTDAttackAndTarget(t *testing.T) {
	// The 9 attack types; on an armed target (3 Police, 4 Military, 17
	// Terrorists/Non-State Militia, 22 Violent Political Party) an attack on
	// people is a battle; bombings and infrastructure attacks keep their type.
	for _, c := range []struct{ at, targ, typ, sub string }{
		{"Assassination", "14", "violence_against_civilians", "assassination"},
		{"Assassination", "3", "battles", "assassination"},
		{"Armed Assault", "14", "violence_against_civilians", "armed_assault"},
		{"Armed Assault", "4", "battles", "armed_assault"},
		{"Armed Assault", "17", "battles", "armed_assault"},
		{"Armed Assault", "22", "battles", "armed_assault"},
		{"Armed Assault", "2", "violence_against_civilians", "armed_assault"}, // Government (General): officials
		{"Bombing/Explosion", "4", "explosions_remote_violence", "bombing_explosion"},
		{"Bombing/Explosion", "14", "explosions_remote_violence", "bombing_explosion"},
		{"Hijacking", "6", "violence_against_civilians", "hijacking"},
		{"Hostage Taking (Barricade Incident)", "1", "violence_against_civilians", "hostage_taking_barricade_incident"},
		{"Hostage Taking (Kidnapping)", "4", "battles", "hostage_taking_kidnapping"},
		{"Facility/Infrastructure Attack", "3", "strategic_developments", "facility_infrastructure_attack"},
		{"Unarmed Assault", "15", "violence_against_civilians", "unarmed_assault"},
		{"Unknown", "20", "unknown", ""},
	} {
		in, _, err := codebookRow(t, "gtd", gtdBase, map[string]string{"attacktype1_txt": c.at, "targtype1": c.targ})
		if err != nil || in.EventType.String() != c.typ || in.SubEventType != c.sub {
			t.Errorf("%s on targtype1 %s: %s / %s (%v), want %s / %s", c.at, c.targ, in.EventType, in.SubEventType, err, c.typ, c.sub)
		}
	}
	// Without the code, the text decides.
	in, _, _ := codebookRow(t, "gtd", gtdBase, map[string]string{"targtype1": "", "targtype1_txt": "Police"})
	if in.EventType != schema.EventBattles {
		t.Errorf("Armed Assault on targtype1_txt Police: %s, want battles", in.EventType)
	}
	// actor2 is the entity attacked, not its type.
	for _, c := range []struct{ corp, target, want string }{
		{"Riverside Police", "Officers", "Riverside Police"},
		{"Not Applicable", "Boston Marathon", "Boston Marathon"},
		{"Unknown", "Unknown", ""},
	} {
		in, _, _ := codebookRow(t, "gtd", gtdBase, map[string]string{"corp1": c.corp, "target1": c.target})
		if in.Actor2 != c.want {
			t.Errorf("corp1 %q target1 %q: actor2 %q, want %q", c.corp, c.target, in.Actor2, c.want)
		}
	}
}

func TestCodebookGTDBreakdown(t *testing.T) {
	// nkill counts victims and perpetrators; nkillter the perpetrators.
	i := schema.Int32
	var null schema.NullInt32
	for _, c := range []struct {
		nkill, nkillter, targ              string
		actor1, actor2, civilians, unknown schema.NullInt32
	}{
		{"5", "2", "14", i(2), null, i(3), null}, // private citizens: the victims are civilians
		{"5", "2", "4", i(2), i(3), null, null},  // military: the victims are actor2
		{"5", "0", "20", i(0), null, null, i(5)}, // target unknown
		{"5", "", "14", null, null, null, i(5)},  // perpetrators unknown: who died is unknown
		{"", "1", "14", i(1), null, null, null},  // total unknown
		{"2", "3", "14", null, null, null, null}, // inconsistent: no breakdown (a warning)
	} {
		in, _, err := codebookRow(t, "gtd", gtdBase, map[string]string{"nkill": c.nkill, "nkillter": c.nkillter, "targtype1": c.targ})
		if err != nil || in.FatalitiesActor1 != c.actor1 || in.FatalitiesActor2 != c.actor2 ||
			in.FatalitiesCivilians != c.civilians || in.FatalitiesUnknown != c.unknown {
			t.Errorf("nkill %q nkillter %q targ %s: %v %v %v %v (%v)", c.nkill, c.nkillter, c.targ,
				in.FatalitiesActor1, in.FatalitiesActor2, in.FatalitiesCivilians, in.FatalitiesUnknown, err)
		}
		if err := in.Validate(); errors.Is(err, schema.ErrBreakdown) {
			t.Errorf("nkill %q nkillter %q: breakdown breaks validation: %v", c.nkill, c.nkillter, err)
		}
	}
}

func TestGTDFixedColumns(t *testing.T) {
	cols := gtd{}.FixedColumns()
	if len(cols) != 135 || cols[0] != "eventid" || cols[134] != "related" {
		t.Fatalf("GTD published order: %d columns, %q..%q", len(cols), cols[0], cols[len(cols)-1])
	}
	h := NewHeader(cols)
	for _, c := range append(gtd{}.Columns(), gtd{}.Detect().Signature...) {
		if h.Col(c) < 0 {
			t.Errorf("column %q read by the gtd layout is not in its published order", c)
		}
	}
	var _ FixedLayout = gtd{}
	for _, name := range []string{"acled", "acled-old"} {
		p, _ := Lookup(name)
		if _, ok := p.(FixedLayout); ok {
			t.Errorf("%s claims a fixed column order; ACLED's varies between exports", name)
		}
	}
}
