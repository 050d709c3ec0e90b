package diff

import (
	"cmp"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/incidentkit/incidents/schema"
)

// Summary is what a diff found. Its counts add up:
// OldRows = Deleted + Kept + Revised + Unchanged and
// NewRows = Added + Revised + Unchanged.
type Summary struct {
	OldRows, NewRows                         int64
	Added, Deleted, Revised, Unchanged, Kept int64
	// ChangeRows is the number of rows of the change file.
	ChangeRows int64
	// Columns[ci] is the number of revised incidents whose column ci
	// (schema.Columns order) changed.
	Columns [schema.NumColumns]int64
	// Places are the changes per country_iso3 and year, largest movement of
	// fatalities first.
	Places []PlaceChange
	// By are the columns of Net; Net is the net effect per group (one group
	// without By), in group order.
	By  []string
	Net []NetEffect
	// Warnings say what the run had to do differently (a sort kept in
	// memory).
	Warnings []string

	places map[string]*PlaceChange
	net    map[string]*NetEffect
}

// PlaceChange counts the changes in one country and year. A revised
// incident counts in NEW's country and year; its fatalities_best leaves
// OLD's (FatalitiesOld) and arrives in NEW's (FatalitiesNew), so
// FatalitiesNew - FatalitiesOld is how many deaths the changes moved into
// the place (negative: out of it). Unknown figures are counted apart.
type PlaceChange struct {
	CountryISO3                          string
	Year                                 int
	Added, Deleted, Revised              int64
	FatalitiesOld, FatalitiesNew         int64
	FatalitiesNullOld, FatalitiesNullNew int64
}

// Moved is FatalitiesNew - FatalitiesOld.
func (p PlaceChange) Moved() int64 { return p.FatalitiesNew - p.FatalitiesOld }

// NetEffect compares one group in the two releases: its events and the
// sum of their known fatalities_best, as `incidents stats --by` computes
// them on each release.
type NetEffect struct {
	Group                                []Value
	EventsOld, EventsNew                 int64
	FatalitiesOld, FatalitiesNew         int64 // sum of the known fatalities_best
	FatalitiesNullOld, FatalitiesNullNew int64
}

func (g *NetEffect) add(r *Row, s Side) {
	best, known := int32Value(r.fields[schema.ColFatalitiesBest])
	if s == Old {
		g.EventsOld++
		if known {
			g.FatalitiesOld += int64(best)
		} else {
			g.FatalitiesNullOld++
		}
		return
	}
	g.EventsNew++
	if known {
		g.FatalitiesNew += int64(best)
	} else {
		g.FatalitiesNullNew++
	}
}

func newSummary(by []string) *Summary {
	return &Summary{By: by, places: map[string]*PlaceChange{}, net: map[string]*NetEffect{}}
}

func (s *Summary) finish() {
	for _, p := range s.places {
		s.Places = append(s.Places, *p)
	}
	slices.SortFunc(s.Places, func(a, b PlaceChange) int {
		if c := cmp.Compare(abs(b.Moved()), abs(a.Moved())); c != 0 {
			return c
		}
		if c := cmp.Compare(b.Added+b.Deleted+b.Revised, a.Added+a.Deleted+a.Revised); c != 0 {
			return c
		}
		if c := cmp.Compare(a.CountryISO3, b.CountryISO3); c != 0 {
			return c
		}
		return cmp.Compare(a.Year, b.Year)
	})
	for _, g := range s.net {
		s.Net = append(s.Net, *g)
	}
	slices.SortFunc(s.Net, func(a, b NetEffect) int {
		for k := range a.Group {
			x, y := a.Group[k], b.Group[k]
			if x.Valid != y.Valid {
				if !x.Valid {
					return 1 // nulls last
				}
				return -1
			}
			ci := schema.ColumnIndex(s.By[k])
			if c := compareValues(ci, x.Text, y.Text); c != 0 {
				return c
			}
		}
		return 0
	})
	s.places, s.net = nil, nil
}

// compareValues orders numbers as numbers, the rest as text.
func compareValues(ci int, a, b string) int {
	switch schema.Columns[ci].TypeName {
	case "int16", "int32":
		x, _ := strconv.ParseInt(a, 10, 64)
		y, _ := strconv.ParseInt(b, 10, 64)
		return cmp.Compare(x, y)
	}
	return strings.Compare(a, b)
}

func abs(v int64) int64 {
	if v < 0 {
		return -v
	}
	return v
}

// Changed is the number of incidents added, deleted or revised.
func (s *Summary) Changed() int64 { return s.Added + s.Deleted + s.Revised }

// Totals returns the whole releases' events and known fatalities_best.
func (s *Summary) Totals() NetEffect {
	var t NetEffect
	for _, g := range s.Net {
		t.EventsOld += g.EventsOld
		t.EventsNew += g.EventsNew
		t.FatalitiesOld += g.FatalitiesOld
		t.FatalitiesNew += g.FatalitiesNew
		t.FatalitiesNullOld += g.FatalitiesNullOld
		t.FatalitiesNullNew += g.FatalitiesNullNew
	}
	return t
}

// WriteText prints the summary as `git diff --stat` prints a diff: the
// count line first, then the changed columns, the changes per country and
// year (the maxPlaces with the most fatalities moved; 0: all), and with By
// the net effect per group.
func (s *Summary) WriteText(w io.Writer, maxPlaces int) error {
	p := &printer{w: w}
	if s.Changed() == 0 {
		p.f("no changes: %s incidents, every one the same in both", num(s.OldRows))
		if s.Kept > 0 {
			p.f(" (%s only in OLD kept: --no-deletes)", num(s.Kept))
		}
		p.f("\n")
	} else {
		p.f("%s incidents changed: %s added, %s deleted, %s revised; %s unchanged",
			num(s.Changed()), num(s.Added), num(s.Deleted), num(s.Revised), num(s.Unchanged))
		if s.Kept > 0 {
			p.f("; %s only in OLD kept (--no-deletes)", num(s.Kept))
		}
		p.f("\n")
	}
	kept := ""
	if s.Kept > 0 {
		kept = " + " + num(s.Kept) + " kept"
	}
	p.f("  old %s = %s deleted%s + %s revised + %s unchanged; new %s = %s added + %s revised + %s unchanged\n",
		num(s.OldRows), num(s.Deleted), kept, num(s.Revised), num(s.Unchanged),
		num(s.NewRows), num(s.Added), num(s.Revised), num(s.Unchanged))
	t := s.Totals()
	p.f("  events %s -> %s (%s); fatalities_best %s -> %s (%s)", num(t.EventsOld), num(t.EventsNew), signed(t.EventsNew-t.EventsOld),
		num(t.FatalitiesOld), num(t.FatalitiesNew), signed(t.FatalitiesNew-t.FatalitiesOld))
	if t.FatalitiesNullOld+t.FatalitiesNullNew > 0 {
		p.f("; unknown %s -> %s", num(t.FatalitiesNullOld), num(t.FatalitiesNullNew))
	}
	p.f("\n")
	for _, warn := range s.Warnings {
		p.f("  warning: %s\n", warn)
	}
	if s.Revised > 0 {
		p.f("\nrevised columns (incidents):\n")
		type cc struct {
			name string
			n    int64
		}
		var cols []cc
		for ci, n := range s.Columns {
			if n > 0 {
				cols = append(cols, cc{schema.Columns[ci].Name, n})
			}
		}
		slices.SortStableFunc(cols, func(a, b cc) int { return cmp.Compare(b.n, a.n) })
		tb := &table{right: map[int]bool{1: true}}
		for _, c := range cols {
			tb.row(c.name, num(c.n))
		}
		tb.write(p, "  ")
	}
	if len(s.Places) > 0 {
		p.f("\nby country and year (fatalities_best of the changed incidents, old -> new):\n")
		tb := &table{right: map[int]bool{1: true, 2: true, 3: true, 4: true, 5: true, 6: true, 7: true}}
		tb.row("country_iso3", "year", "added", "deleted", "revised", "fatalities old", "new", "moved")
		shown := s.Places
		if maxPlaces > 0 && len(shown) > maxPlaces {
			shown = shown[:maxPlaces]
		}
		for _, pc := range shown {
			old, new := num(pc.FatalitiesOld), num(pc.FatalitiesNew)
			if pc.FatalitiesNullOld > 0 {
				old += fmt.Sprintf(" (+%s unknown)", num(pc.FatalitiesNullOld))
			}
			if pc.FatalitiesNullNew > 0 {
				new += fmt.Sprintf(" (+%s unknown)", num(pc.FatalitiesNullNew))
			}
			tb.row(pc.CountryISO3, strconv.Itoa(pc.Year), num(pc.Added), num(pc.Deleted), num(pc.Revised), old, new, signed(pc.Moved()))
		}
		tb.write(p, "  ")
		if len(shown) < len(s.Places) {
			p.f("  ... and %s more (--by country_iso3,year lists every group's net effect)\n", num(int64(len(s.Places)-len(shown))))
		}
	}
	if len(s.By) > 0 {
		p.f("\nnet effect by %s (events and fatalities_best sum, old -> new):\n", strings.Join(s.By, ", "))
		right := map[int]bool{}
		for k := 0; k < 6; k++ {
			right[len(s.By)+k] = true
		}
		tb := &table{right: right}
		head := append(append([]string{}, s.By...), "events old", "new", "change", "fatalities old", "new", "change")
		tb.row(head...)
		for _, g := range s.Net {
			var cells []string
			for _, v := range g.Group {
				if v.Valid {
					cells = append(cells, v.Text)
				} else {
					cells = append(cells, "null")
				}
			}
			cells = append(cells, num(g.EventsOld), num(g.EventsNew), signed(g.EventsNew-g.EventsOld),
				num(g.FatalitiesOld), num(g.FatalitiesNew), signed(g.FatalitiesNew-g.FatalitiesOld))
			tb.row(cells...)
		}
		tb.write(p, "  ")
	}
	return p.err
}

type printer struct {
	w   io.Writer
	err error
}

func (p *printer) f(format string, args ...any) {
	if p.err == nil {
		_, p.err = fmt.Fprintf(p.w, format, args...)
	}
}

// table aligns cells in columns, right-aligning the columns in right.
type table struct {
	rows  [][]string
	right map[int]bool
}

func (t *table) row(cells ...string) { t.rows = append(t.rows, cells) }

func (t *table) write(p *printer, indent string) {
	var width []int
	for _, r := range t.rows {
		for k, c := range r {
			if k >= len(width) {
				width = append(width, 0)
			}
			width[k] = max(width[k], len([]rune(c)))
		}
	}
	for _, r := range t.rows {
		var b strings.Builder
		b.WriteString(indent)
		for k, c := range r {
			pad := strings.Repeat(" ", width[k]-len([]rune(c)))
			if k > 0 {
				b.WriteString("  ")
			}
			if t.right[k] {
				b.WriteString(pad + c)
			} else if k < len(r)-1 {
				b.WriteString(c + pad)
			} else {
				b.WriteString(c)
			}
		}
		p.f("%s\n", b.String())
	}
}

// num writes n with thousands separators.
func num(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

func signed(n int64) string {
	if n > 0 {
		return "+" + num(n)
	}
	if n == 0 {
		return "0"
	}
	return num(n)
}
