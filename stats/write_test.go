package stats

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"github.com/incidentkit/incidents/schema"
)

// A year is a label in a table, not a quantity: no thousands separator in
// a group column, while the sums beside it keep theirs.
func TestTableGroupNotNumber(t *testing.T) {
	in := []schema.Incident{inc("a:1", "TJK", day(1991, 1, 1), schema.Int32(1234)), inc("a:2", "UZB", day(2019, 1, 1), schema.Int32(5))}
	r := run(t, Options{By: []string{"year", "country_iso3"}}, in, 0)
	var b bytes.Buffer
	if err := r.Compact().WriteTable(&b); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(b.String(), "\n")
	if !strings.HasPrefix(lines[1], "1991  TJK ") || !strings.Contains(lines[1], " 1,234 ") {
		t.Errorf("table:\n%s", b.String())
	}
	if strings.Contains(b.String(), "1,991") {
		t.Errorf("year formatted as a number:\n%s", b.String())
	}
}

// Compact keeps the key columns and the statistics a person reads first;
// Select takes any statistics in the order given and refuses names it
// does not have.
func TestCompactSelect(t *testing.T) {
	in := []schema.Incident{inc("a:1", "TJK", day(2019, 1, 1), schema.Int32(3)), inc("a:2", "TJK", day(2019, 2, 1), schema.NullInt32{})}
	r := run(t, Options{By: []string{"country_iso3"}, Period: PeriodMonth}, in, 0)
	names := func(r *Result) []string {
		var s []string
		for _, c := range r.Columns {
			s = append(s, c.Name)
		}
		return s
	}
	want := []string{"country_iso3", "events", "fatalities_best_sum", "fatalities_mean", "fatalities_median",
		"fatalities_max", "fatalities_null_share", "events_per_period", "dispersion", "trend_slope", "trend_p"}
	c := r.Compact()
	if got := names(c); !slices.Equal(got, want) {
		t.Errorf("compact columns %v, want %v", got, want)
	}
	if v, _ := c.Value(0, "fatalities_null_share"); v.Num != 0.5 {
		t.Errorf("fatalities_null_share = %v, want 0.5", v)
	}
	s, err := r.Select([]string{"fatalities_max", "events"})
	if err != nil {
		t.Fatal(err)
	}
	if got := names(s); !slices.Equal(got, []string{"country_iso3", "fatalities_max", "events"}) {
		t.Errorf("selected columns %v", got)
	}
	if v, _ := s.Value(0, "events"); v.Int != 2 {
		t.Errorf("selected events = %v", v)
	}
	for _, bad := range [][]string{{"nope"}, {"country_iso3"}, {"events", "events"}, {"tail_alpha"}} {
		if _, err := r.Select(bad); err == nil {
			t.Errorf("Select(%v): no error", bad)
		}
	}
	// a series is already small: Compact keeps it whole
	series := run(t, Options{By: []string{"country_iso3"}, Period: PeriodMonth, Series: true}, in, 0)
	if got := series.Compact(); len(got.Columns) != len(series.Columns) {
		t.Errorf("compact series has %d columns, want %d", len(got.Columns), len(series.Columns))
	}
}

// Sections fill the width they are given: every line fits, and a wider
// terminal gets fewer sections.
func TestTableWidth(t *testing.T) {
	in := []schema.Incident{inc("a:1", "TJK", day(2019, 1, 1), schema.Int32(1234567)), inc("a:2", "UZB", day(2019, 1, 1), schema.Int32(2))}
	r := run(t, Options{By: []string{"country_iso3"}}, in, 0)
	sections := map[int]int{}
	for _, width := range []int{80, 120, 200} {
		var b bytes.Buffer
		if err := r.WriteTableWidth(&b, width); err != nil {
			t.Fatal(err)
		}
		widest := 0
		for _, l := range strings.Split(b.String(), "\n") {
			widest = max(widest, len([]rune(l)))
		}
		if widest > width {
			t.Errorf("width %d: a line of %d columns", width, widest)
		}
		if widest < width-30 {
			t.Errorf("width %d: widest line %d leaves the terminal half empty", width, widest)
		}
		sections[width] = strings.Count(b.String(), "\n\n") + 1
	}
	if !(sections[200] < sections[120] && sections[120] < sections[80]) {
		t.Errorf("sections by width: %v", sections)
	}
}
