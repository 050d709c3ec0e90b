package stats

import (
	"strings"
	"testing"
)

// FuzzParseFilter: any text either parses into a filter that reads back
// from its String form, or is an ErrBadFilter; it never panics.
func FuzzParseFilter(f *testing.F) {
	for _, s := range []string{"year>=2015", "country_iso3=TJK,UZB", "event_type=battles", "fatalities_best!=0",
		"date_start<2019-11-06", "latitude>-3.5", "admin1=", "=", "year>=", "actor1==a=b", "year<1,2"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		flt, err := ParseFilter(s)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "stats: ") {
				t.Fatalf("error without prefix: %v", err)
			}
			return
		}
		again, err := ParseFilter(flt.String())
		if err != nil {
			t.Fatalf("%q parsed, but its String %q does not: %v", s, flt.String(), err)
		}
		if again.String() != flt.String() {
			t.Fatalf("%q -> %q -> %q", s, flt.String(), again.String())
		}
		flt.matchString("x")
		if flt.nums != nil {
			flt.matchNum(1)
		}
	})
}
