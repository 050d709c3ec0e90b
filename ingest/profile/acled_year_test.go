package profile

import (
	"slices"
	"strings"
	"testing"
)

// ACLED's year column is checked against event_date, not read: it is not
// listed as unused, a year that agrees says nothing, one that differs is a
// warning and event_date is kept.
func TestACLEDYearChecked(t *testing.T) {
	for _, layout := range []string{"acled", "acled-old"} {
		p, _ := Lookup(layout)
		if u := Unused(p, []string{"event_id_cnty", "event_date", "year", "event_type", "fatalities"}); slices.Contains(u, "year") {
			t.Errorf("%s: year listed as unused: %v", layout, u)
		}
		in, warns, err := codebookRow(t, layout, acledBase, map[string]string{"year": "2019"})
		if err != nil || len(warns) != 0 || in.DateStart != d(2019, 11, 6) {
			t.Errorf("%s: year agrees: %v %v %v", layout, in.DateStart, warns, err)
		}
		in, warns, err = codebookRow(t, layout, acledBase, map[string]string{"year": "2018"})
		want := layout + ": year differs from event_date's year: event_date kept"
		if err != nil || in.DateStart != d(2019, 11, 6) || len(warns) != 1 || warns[0] != want {
			t.Errorf("%s: year differs: %v %q %v, want the warning %q", layout, in.DateStart, warns, err, want)
		}
		// a two-digit event_date year is settled by the year column, with its own warning only
		_, warns, err = codebookRow(t, layout, acledBase, map[string]string{"year": "2020", "event_date": "9-May-20"})
		if err != nil || len(warns) != 1 || strings.Contains(warns[0], "differs") {
			t.Errorf("%s: two-digit year: %q %v", layout, warns, err)
		}
	}
}
