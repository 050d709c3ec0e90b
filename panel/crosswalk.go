package panel

import (
	"sort"
	"strconv"
	"strings"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"

	"github.com/incidentkit/incidents/schema"
)

// CrosswalkRow says which GW and COW states an ISO 3166 code stands for
// over [Start, End]. GWCode or COWCode is 0 when that list has no member
// then (Canada is a GW state from 1867, a COW state from 1920).
type CrosswalkRow struct {
	ISO3       string // "" for a state no ISO code names
	GWCode     int32
	GWAbb      string
	COWCode    int32
	COWAbb     string
	Name       string // the GW name, else the COW name
	Start, End schema.Date
}

// Crosswalk returns ISO3 <-> GW <-> COW over time, from the embedded lists
// (GW with its microstates) and data/iso3_codes.csv. Each state is filed
// under its own ISO3 (its first in iso3_codes.csv; alias codes such as
// SUN, SCG and YUG, which inputs may carry, are not listed separately) or,
// without one, under its number; then each ISO3's time line is cut where
// either list changes. Rows are sorted by ISO3 (numbered states last, by
// number) and start.
func Crosswalk() ([]CrosswalkRow, error) {
	gw, err := LoadSystem(SystemGW, true)
	if err != nil {
		return nil, err
	}
	cow, err := LoadSystem(SystemCOW, false)
	if err != nil {
		return nil, err
	}
	type member struct {
		st    *State
		spell Spell
	}
	type line struct{ gw, cow []member }
	lines := map[string]*line{}
	// A state that is a member at the same time as an earlier-listed state
	// of the same ISO3 (South beside North Vietnam) gets its own line.
	own := map[string]bool{}
	for _, sys := range []*StateSystem{gw, cow} {
		for iso3, idx := range sys.byISO3 {
			for a := 1; a < len(idx); a++ {
				for _, sp := range sys.States[idx[a]].Spells {
					for _, p := range idx[:a] {
						if sys.States[p].ISO3 == iso3 && sys.States[idx[a]].ISO3 == iso3 && sys.States[p].overlaps(sp.Start, sp.End) {
							own[iso3+"#"+strconv.Itoa(int(sys.States[idx[a]].Code))] = true
						}
					}
				}
			}
		}
	}
	key := func(s *State) string {
		if s.ISO3 == "" {
			return "#" + strconv.Itoa(int(s.Code))
		}
		if k := s.ISO3 + "#" + strconv.Itoa(int(s.Code)); own[k] {
			return k
		}
		return s.ISO3
	}
	get := func(k string) *line {
		if lines[k] == nil {
			lines[k] = &line{}
		}
		return lines[k]
	}
	for i := range gw.States {
		s := &gw.States[i]
		for _, sp := range s.Spells {
			get(key(s)).gw = append(get(key(s)).gw, member{s, sp})
		}
	}
	for i := range cow.States {
		s := &cow.States[i]
		for _, sp := range s.Spells {
			get(key(s)).cow = append(get(key(s)).cow, member{s, sp})
		}
	}
	at := func(ms []member, d schema.Date) *State {
		for _, m := range ms {
			if d >= m.spell.Start && d <= m.spell.End {
				return m.st
			}
		}
		return nil
	}
	var rows []CrosswalkRow
	for k, l := range lines {
		var cuts []schema.Date
		for _, ms := range [][]member{l.gw, l.cow} {
			for _, m := range ms {
				cuts = append(cuts, m.spell.Start)
				if m.spell.End < Ongoing {
					cuts = append(cuts, m.spell.End+1)
				}
			}
		}
		sort.Slice(cuts, func(i, j int) bool { return cuts[i] < cuts[j] })
		uniq := cuts[:0]
		for i, c := range cuts {
			if i == 0 || c != cuts[i-1] {
				uniq = append(uniq, c)
			}
		}
		cuts = uniq
		var cur *CrosswalkRow
		for i, c := range cuts {
			g, w := at(l.gw, c), at(l.cow, c)
			end := Ongoing
			if i+1 < len(cuts) {
				end = cuts[i+1] - 1
			}
			if g == nil && w == nil {
				cur = nil
				continue
			}
			r := CrosswalkRow{Start: c, End: end}
			if k[0] != '#' {
				r.ISO3, _, _ = strings.Cut(k, "#")
			}
			if g != nil {
				r.GWCode, r.GWAbb, r.Name = g.Code, g.Abb, g.Name
			}
			if w != nil {
				r.COWCode, r.COWAbb = w.Code, w.Abb
				if r.Name == "" {
					r.Name = w.Name
				}
			}
			if cur != nil && cur.GWCode == r.GWCode && cur.COWCode == r.COWCode && cur.End+1 == r.Start {
				cur.End = r.End
				continue
			}
			rows = append(rows, r)
			cur = &rows[len(rows)-1]
		}
	}
	sort.Slice(rows, func(i, j int) bool {
		x, y := rows[i], rows[j]
		if (x.ISO3 == "") != (y.ISO3 == "") {
			return x.ISO3 != ""
		}
		if x.ISO3 != y.ISO3 {
			return x.ISO3 < y.ISO3
		}
		if x.ISO3 == "" {
			cx, cy := max(x.GWCode, x.COWCode), max(y.GWCode, y.COWCode)
			if cx != cy {
				return cx < cy
			}
		}
		return x.Start < y.Start
	})
	return rows, nil
}

// CrosswalkRecord returns Crosswalk as one Arrow record (end null while
// ongoing). The caller must Release it.
func CrosswalkRecord(mem memory.Allocator) (arrow.Record, error) {
	rows, err := Crosswalk()
	if err != nil {
		return nil, err
	}
	sc := arrow.NewSchema([]arrow.Field{
		fieldOf("country_iso3", utf8, true, "ISO 3166-1 alpha-3 (null for a state without one)"),
		fieldOf("gwcode", i32, true, "Gleditsch & Ward state number; null when no GW member then"),
		fieldOf("gwc", utf8, true, "Gleditsch & Ward letter code"),
		fieldOf("cowcode", i32, true, "Correlates of War state number; null when no COW member then"),
		fieldOf("cowc", utf8, true, "Correlates of War letter code"),
		fieldOf("state_name", utf8, false, "the GW name, else the COW name"),
		fieldOf("start", d32, false, "first day of this pairing"),
		fieldOf("end", d32, true, "last day of this pairing; null while ongoing"),
	}, nil)
	if mem == nil {
		mem = memory.DefaultAllocator
	}
	b := array.NewRecordBuilder(mem, sc)
	defer b.Release()
	str := func(j int, s string) {
		if s == "" {
			b.Field(j).AppendNull()
		} else {
			b.Field(j).(*array.StringBuilder).Append(s)
		}
	}
	code := func(j int, c int32) {
		if c == 0 {
			b.Field(j).AppendNull()
		} else {
			b.Field(j).(*array.Int32Builder).Append(c)
		}
	}
	for _, r := range rows {
		str(0, r.ISO3)
		code(1, r.GWCode)
		str(2, r.GWAbb)
		code(3, r.COWCode)
		str(4, r.COWAbb)
		b.Field(5).(*array.StringBuilder).Append(r.Name)
		b.Field(6).(*array.Date32Builder).Append(arrow.Date32(r.Start))
		if r.End == Ongoing {
			b.Field(7).AppendNull()
		} else {
			b.Field(7).(*array.Date32Builder).Append(arrow.Date32(r.End))
		}
	}
	return b.NewRecord(), nil
}
