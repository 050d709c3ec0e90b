package panel

import (
	"embed"
	"encoding/csv"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/incidentkit/incidents/schema"
	"github.com/incidentkit/incidents/stats"
)

// The state lists, as published (see data/SOURCES.md).
//
//go:embed data/gwstates.csv data/cowstates2016.csv data/iso3_codes.csv
var stateData embed.FS

// State systems.
const (
	SystemGW  = "gw"  // Gleditsch & Ward, independent states (+ microstates with Options.Microstates)
	SystemCOW = "cow" // Correlates of War State System Membership v2016
	SystemISO = "iso" // no membership list: the ISO 3166 codes found in the data
)

// Ongoing is the end of a membership that has not ended.
var Ongoing = schema.DateOf(9999, time.December, 31)

// Spell is one uninterrupted membership, both days included.
type Spell struct {
	Start, End schema.Date
}

// State is one member of a state system.
type State struct {
	Code       int32  // GW or COW numeric code
	Abb        string // letter code (GW gwc, COW stateabb): UKG, GFR, RUS
	Name       string // the list's name
	ISO3       string // ISO 3166-1 alpha-3 ("" for states no ISO code names: Hanover, Tibet, ...)
	Microstate bool   // in GW's microstates list (GW only)
	Spells     []Spell
}

// member reports whether d falls in one of the state's spells.
func (s *State) member(d schema.Date) bool {
	for _, sp := range s.Spells {
		if d >= sp.Start && d <= sp.End {
			return true
		}
	}
	return false
}

// overlaps reports whether a spell meets the days [from, to].
func (s *State) overlaps(from, to schema.Date) bool {
	for _, sp := range s.Spells {
		if sp.Start <= to && sp.End >= from {
			return true
		}
	}
	return false
}

// StateSystem is a membership list with its ISO 3166 crosswalk.
type StateSystem struct {
	Name   string  // gw or cow
	States []State // by code
	byCode map[int32]int
	// byISO3 lists the states an ISO3 code may stand for, in the order of
	// data/iso3_codes.csv: on a day when two are members (VNM in
	// 1954-1975: South and North Vietnam) the first wins.
	byISO3 map[string][]int
	// leftOut holds the numbers of the microstates left out.
	leftOut   map[int32]bool
	microISO3 []string // their ISO3 codes
}

// LoadSystem returns the embedded GW or COW list. With microstates false
// the GW list is Gleditsch & Ward's independent states proper
// (iisystem.dat); true adds their microstates list. The COW list always
// holds every member (COW admits microstates).
func LoadSystem(name string, microstates bool) (*StateSystem, error) {
	var (
		file               string
		code, abb, nm      string
		start, end, micro  string
		sy, sm, sd, ey, em string
		ed                 string
	)
	switch name {
	case SystemGW:
		file, code, abb, nm, start, end, micro = "data/gwstates.csv", "gwcode", "gwc", "country_name", "start", "end", "microstate"
	case SystemCOW:
		file, code, abb, nm = "data/cowstates2016.csv", "ccode", "stateabb", "statenme"
		sy, sm, sd, ey, em, ed = "styear", "stmonth", "stday", "endyear", "endmonth", "endday"
	default:
		return nil, fmt.Errorf("panel: unknown state system %q (gw, cow, iso)", name)
	}
	rows, err := readCSV(file)
	if err != nil {
		return nil, err
	}
	sys := &StateSystem{Name: name, byCode: map[int32]int{}, byISO3: map[string][]int{}, leftOut: map[int32]bool{}}
	for _, r := range rows {
		c, err := strconv.Atoi(r[code])
		if err != nil {
			return nil, fmt.Errorf("panel: %s: bad code %q", file, r[code])
		}
		var sp Spell
		if start != "" {
			if sp.Start, err = isoDate(r[start]); err == nil {
				sp.End, err = isoDate(r[end])
			}
		} else {
			if sp.Start, err = ymd(r[sy], r[sm], r[sd]); err == nil {
				sp.End, err = ymd(r[ey], r[em], r[ed])
			}
			// The published v2016 file codes a membership still running
			// at its release as ending 2016-12-31 (version 2016); read
			// it as ongoing, as the states R package does.
			if err == nil && sp.End == schema.DateOf(2016, time.December, 31) && r["version"] == "2016" {
				sp.End = Ongoing
			}
		}
		if err != nil {
			return nil, fmt.Errorf("panel: %s: code %d: %v", file, c, err)
		}
		isMicro := micro != "" && r[micro] == "True"
		if isMicro && !microstates {
			sys.leftOut[int32(c)] = true
			continue
		}
		i, ok := sys.byCode[int32(c)]
		if !ok {
			i = len(sys.States)
			sys.byCode[int32(c)] = i
			sys.States = append(sys.States, State{Code: int32(c), Abb: r[abb], Name: r[nm], Microstate: isMicro})
		}
		sys.States[i].Spells = append(sys.States[i].Spells, sp)
	}
	sort.Slice(sys.States, func(a, b int) bool { return sys.States[a].Code < sys.States[b].Code })
	for i := range sys.States {
		sys.byCode[sys.States[i].Code] = i
		sort.Slice(sys.States[i].Spells, func(a, b int) bool { return sys.States[i].Spells[a].Start < sys.States[i].Spells[b].Start })
	}
	codes, err := readCSV("data/iso3_codes.csv")
	if err != nil {
		return nil, err
	}
	for _, r := range codes {
		if r["system"] != name {
			continue
		}
		c, _ := strconv.Atoi(r["code"])
		i, ok := sys.byCode[int32(c)]
		if !ok {
			if sys.leftOut[int32(c)] {
				sys.microISO3 = append(sys.microISO3, r["iso3"])
			}
			continue
		}
		if sys.States[i].ISO3 == "" {
			sys.States[i].ISO3 = r["iso3"] // the first row of a code is its own ISO3
		}
		sys.byISO3[r["iso3"]] = append(sys.byISO3[r["iso3"]], i)
	}
	return sys, nil
}

// State returns the state with the given code.
func (s *StateSystem) State(code int32) (State, bool) {
	i, ok := s.byCode[code]
	if !ok {
		return State{}, false
	}
	return s.States[i], true
}

// MembersOn returns the number of members on day d.
func (s *StateSystem) MembersOn(d schema.Date) int {
	n := 0
	for i := range s.States {
		if s.States[i].member(d) {
			n++
		}
	}
	return n
}

// MembersDuring returns the number of states that are members on at least
// one day of [from, to]: the state-years of a year, the state-months of a
// month.
func (s *StateSystem) MembersDuring(from, to schema.Date) int {
	n := 0
	for i := range s.States {
		if s.States[i].overlaps(from, to) {
			n++
		}
	}
	return n
}

// resolve returns the index of the state an event in country iso3 on day d
// belongs to: the first state of the ISO3 that is a member on d; failing
// that the first that is a member on some day of [pfrom, pto] (the event's
// period exists for it). inside is false in the second case; ok false when
// none.
func (s *StateSystem) resolve(iso3 string, d, pfrom, pto schema.Date) (i int, inside, ok bool) {
	cands := s.byISO3[iso3]
	for _, c := range cands {
		if s.States[c].member(d) {
			return c, true, true
		}
	}
	for _, c := range cands {
		if s.States[c].overlaps(pfrom, pto) {
			return c, false, true
		}
	}
	return -1, false, false
}

// resolveIn is resolve over given candidates, computing the bounds of
// period k only when no candidate is a member on d.
func (s *StateSystem) resolveIn(cands []int, d schema.Date, period string, k int64) (i int, inside, ok bool) {
	for _, c := range cands {
		if s.States[c].member(d) {
			return c, true, true
		}
	}
	if len(cands) == 0 {
		return -1, false, false
	}
	pfrom, pto := stats.PeriodStart(period, k), stats.PeriodStart(period, k+1)-1
	for _, c := range cands {
		if s.States[c].overlaps(pfrom, pto) {
			return c, false, true
		}
	}
	return -1, false, false
}

// hasISO3 reports whether the system has any state for iso3.
func (s *StateSystem) hasISO3(iso3 string) bool { return len(s.byISO3[iso3]) > 0 }

func readCSV(name string) ([]map[string]string, error) {
	f, err := stateData.Open(name)
	if err != nil {
		return nil, fmt.Errorf("panel: %w", err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	head, err := r.Read()
	if err != nil {
		return nil, fmt.Errorf("panel: %s: %w", name, err)
	}
	var rows []map[string]string
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return rows, nil
		}
		if err != nil {
			return nil, fmt.Errorf("panel: %s: %w", name, err)
		}
		m := make(map[string]string, len(head))
		for j, h := range head {
			m[h] = strings.TrimSpace(rec[j])
		}
		rows = append(rows, m)
	}
}

func isoDate(s string) (schema.Date, error) {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		return 0, err
	}
	return schema.DateFromTime(t), nil
}

func ymd(y, m, d string) (schema.Date, error) {
	yy, err1 := strconv.Atoi(y)
	mm, err2 := strconv.Atoi(m)
	dd, err3 := strconv.Atoi(d)
	if err1 != nil || err2 != nil || err3 != nil || mm < 1 || mm > 12 || dd < 1 || dd > 31 {
		return 0, fmt.Errorf("bad date %s-%s-%s", y, m, d)
	}
	return schema.DateOf(yy, time.Month(mm), dd), nil
}
