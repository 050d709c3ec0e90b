package panel

import (
	"bufio"
	"encoding/csv"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/incidentkit/incidents/schema"
)

func year(y int) (schema.Date, schema.Date) {
	return schema.DateOf(y, time.January, 1), schema.DateOf(y, time.December, 31)
}

// TestStateCounts checks the lists against counts stated outside this code.
// Oracles: COW's system starts with 23 members in 1816 (COW State System
// documentation); COW 2016 = the 193 UN members + Taiwan + Kosovo = 195
// (UN membership since South Sudan, 2011; COW admits every UN member);
// GW with microstates 2017 = the same 195 + Abkhazia + South Ossetia = 197,
// and without its 23 microstates 174. The middle years are counts
// computed from the CSV files with Python (datetime, not this code):
// state-years, i.e. members on at least one day of the year.
func TestStateCounts(t *testing.T) {
	gw, err := LoadSystem(SystemGW, false)
	if err != nil {
		t.Fatal(err)
	}
	gwm, _ := LoadSystem(SystemGW, true)
	cow, _ := LoadSystem(SystemCOW, false)
	for _, c := range []struct {
		year          int
		gw, gwm, cowN int
	}{
		{1816, 45, 49, 23},
		{1900, 52, 56, 42},
		{1946, 71, 75, 66},
		{1989, 151, 171, 161},
		{1991, 165, 185, 177},
		{2011, 174, 197, 195},
		{2016, 174, 197, 195},
		{2017, 174, 197, 195},
	} {
		from, to := year(c.year)
		if n := gw.MembersDuring(from, to); n != c.gw {
			t.Errorf("GW %d: %d states, want %d", c.year, n, c.gw)
		}
		if n := gwm.MembersDuring(from, to); n != c.gwm {
			t.Errorf("GW+microstates %d: %d states, want %d", c.year, n, c.gwm)
		}
		want := c.cowN
		if n := cow.MembersDuring(from, to); n != want {
			t.Errorf("COW %d: %d states, want %d", c.year, n, want)
		}
	}
	if len(gwm.States)-len(gw.States) != 23 {
		t.Errorf("%d GW microstates, want 23", len(gwm.States)-len(gw.States))
	}
}

// TestGWMatchesIISystem checks the embedded GW copy (from the states R
// package) against Gleditsch & Ward's own iisystem.dat (2017 release,
// ongoing coded 31:12:2017): the same states and spells.
func TestGWMatchesIISystem(t *testing.T) {
	f, err := os.Open("testdata/gw_iisystem_2017.dat")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	gw, _ := LoadSystem(SystemGW, false)
	want := map[int32][]Spell{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fl := strings.Split(sc.Text(), "\t")
		if len(fl) < 5 {
			continue
		}
		code, _ := strconv.Atoi(fl[0])
		dmy := func(s string) schema.Date {
			p := strings.Split(s, ":")
			d, _ := strconv.Atoi(p[0])
			m, _ := strconv.Atoi(p[1])
			y, _ := strconv.Atoi(p[2])
			return schema.DateOf(y, time.Month(m), d)
		}
		sp := Spell{dmy(fl[3]), dmy(fl[4])}
		if sp.End == schema.DateOf(2017, time.December, 31) {
			sp.End = Ongoing
		}
		want[int32(code)] = append(want[int32(code)], sp)
	}
	n := 0
	for code, spells := range want {
		st, ok := gw.State(code)
		if !ok {
			t.Errorf("GW %d in iisystem.dat, not in the embedded list", code)
			continue
		}
		if len(st.Spells) != len(spells) {
			t.Errorf("GW %d: %d spells, iisystem.dat %d", code, len(st.Spells), len(spells))
			continue
		}
		for i := range spells {
			if st.Spells[i] != spells[i] {
				t.Errorf("GW %d spell %d: %s..%s, iisystem.dat %s..%s", code, i, st.Spells[i].Start, st.Spells[i].End, spells[i].Start, spells[i].End)
			}
		}
		n++
	}
	if n != len(gw.States) || n < 190 {
		t.Errorf("iisystem.dat has %d states, embedded list %d", n, len(gw.States))
	}
}

// TestCOWMatchesStatesPackage checks the published COW v2016 file against
// the states package's reshaped copy (ongoing = 9999-12-31).
func TestCOWMatchesStatesPackage(t *testing.T) {
	f, err := os.Open("testdata/states_pkg_cowstates.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	cow, _ := LoadSystem(SystemCOW, false)
	count := map[int32]int{}
	for _, r := range rows[1:] {
		code, _ := strconv.Atoi(r[0])
		st, ok := cow.State(int32(code))
		if !ok {
			t.Fatalf("COW %d missing", code)
		}
		s, _ := isoDate(r[3])
		e, _ := isoDate(r[4])
		i := count[int32(code)]
		count[int32(code)]++
		if i >= len(st.Spells) || st.Spells[i] != (Spell{s, e}) {
			t.Errorf("COW %d spell %d differs from the states package (%s..%s)", code, i, r[3], r[4])
		}
	}
	if len(count) != len(cow.States) {
		t.Errorf("states package %d COW states, embedded %d", len(count), len(cow.States))
	}
}

func TestResolve(t *testing.T) {
	gw, _ := LoadSystem(SystemGW, false)
	cow, _ := LoadSystem(SystemCOW, false)
	for _, c := range []struct {
		sys  *StateSystem
		iso3 string
		date string
		code int32 // 0: none
	}{
		{gw, "SRB", "2005-06-01", 345},  // Yugoslavia (Serbia and Montenegro) until 2006-06-04
		{gw, "SRB", "2010-06-01", 340},  // Serbia from 2006-06-05
		{cow, "SRB", "2010-06-01", 345}, // COW keeps 345
		{gw, "SCG", "2003-01-01", 345},
		{gw, "SSD", "2011-07-09", 626},
		{gw, "SSD", "2011-07-08", 0}, // the day before independence: a member of no state that day...
		{gw, "DEU", "1980-01-01", 260},
		{gw, "DEU", "1995-01-01", 260},  // GW: unified Germany continues the GFR
		{cow, "DEU", "1995-01-01", 255}, // COW: Germany again
		{cow, "DEU", "1950-01-01", 0},   // COW admits the GFR in 1955
		{gw, "YEM", "1995-01-01", 678},
		{cow, "YEM", "1995-01-01", 679},
		{cow, "YEM", "1985-01-01", 678},
		{gw, "VNM", "1970-01-01", 817}, // South Vietnam first (GTD's South Vietnam)
		{gw, "VNM", "1980-01-01", 816},
		{gw, "RUS", "1985-01-01", 365},
		{gw, "SUN", "1985-01-01", 365},
		{gw, "EST", "1985-01-01", 0},
		{gw, "XKX", "2005-01-01", 0},
		{gw, "XKX", "2009-01-01", 347},
		{gw, "PSE", "2009-01-01", 0},
		{gw, "AND", "2009-01-01", 0}, // a microstate, left out
	} {
		d := day(c.date)
		i, inside, ok := c.sys.resolve(c.iso3, d, d, d)
		var got int32
		if ok && inside {
			got = c.sys.States[i].Code
		}
		if got != c.code {
			t.Errorf("%s %s %s: state %d, want %d", c.sys.Name, c.iso3, c.date, got, c.code)
		}
	}
	// ...but in a 2011 year panel the event counts under South Sudan.
	i, inside, ok := gw.resolve("SSD", day("2011-07-08"), day("2011-01-01"), day("2011-12-31"))
	if !ok || inside || gw.States[i].Code != 626 {
		t.Errorf("SSD 2011-07-08 in 2011: %v %v", ok, inside)
	}
}

func TestCrosswalk(t *testing.T) {
	rows, err := Crosswalk()
	if err != nil {
		t.Fatal(err)
	}
	find := func(iso3, date string) *CrosswalkRow {
		d := day(date)
		for i := range rows {
			if rows[i].ISO3 == iso3 && rows[i].Start <= d && d <= rows[i].End {
				return &rows[i]
			}
		}
		return nil
	}
	for _, c := range []struct {
		iso3, date string
		gw, cow    int32
	}{
		{"DEU", "1995-01-01", 260, 255},
		{"DEU", "1980-01-01", 260, 260},
		{"DEU", "1952-01-01", 260, 0},
		{"SRB", "2010-01-01", 340, 345},
		{"YEM", "2000-01-01", 678, 679},
		{"CAN", "1900-01-01", 20, 0},
		{"USA", "2020-01-01", 2, 2},
		{"SSD", "2012-01-01", 626, 626},
	} {
		r := find(c.iso3, c.date)
		if r == nil || r.GWCode != c.gw || r.COWCode != c.cow {
			t.Errorf("crosswalk %s %s: %+v, want GW %d COW %d", c.iso3, c.date, r, c.gw, c.cow)
		}
	}
	// South and North Vietnam side by side in 1960, each with its own COW code.
	n := 0
	for _, r := range rows {
		if r.ISO3 == "VNM" && r.Start <= day("1960-01-01") && day("1960-01-01") <= r.End {
			n++
			if r.GWCode != r.COWCode {
				t.Errorf("VNM 1960: GW %d paired with COW %d", r.GWCode, r.COWCode)
			}
		}
	}
	if n != 2 {
		t.Errorf("VNM 1960: %d rows, want 2", n)
	}
}
