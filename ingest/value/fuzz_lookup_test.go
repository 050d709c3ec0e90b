package value

import (
	"errors"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/incidentkit/incidents/schema"
)

var snakeCaseRE = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)

// FuzzLookupCountry: any text gives a known code or ErrUnknownCountry
// quoting it; the same text always gives the same answer; the name written
// for a code resolves back to that code; and a bracket never turns an
// unknown name into a code ("Narnia (la)", "Narnia (tj)").
func FuzzLookupCountry(f *testing.F) {
	for _, s := range []string{"Tajikistan", "TJ", "762", "DR Congo (Zaire)", "Congo (the Democratic Republic of the)",
		"Korea, Republic of", "Ireland (North)", "Suisse (la)", "Burma/Myanmar", "N. Ireland", "Red Sea", "", "(", ",", "a/b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := LookupCountry(s)
		if err != nil {
			if !errors.Is(err, ErrUnknownCountry) {
				t.Fatalf("LookupCountry(%q): %v does not wrap ErrUnknownCountry", s, err)
			}
			if strings.TrimSpace(s) != "" && !strings.Contains(err.Error(), "\"") {
				t.Fatalf("LookupCountry(%q): %v does not quote the text", s, err)
			}
			// an unknown name stays unknown whatever follows it in brackets
			if !strings.ContainsAny(s, "()") && len(strings.TrimSpace(s)) > 3 {
				for _, code := range []string{"la", "tj", "KOR", "(the)"} {
					in := s + " (" + strings.Trim(code, "()") + ")"
					if got, err := LookupCountry(in); err == nil && got.ISO3 != "XXX" {
						t.Fatalf("LookupCountry(%q) = %s although %q is unknown", in, got.ISO3, s)
					}
				}
			}
			return
		}
		countryOnce.Do(buildCountries)
		if _, ok := byISO3[c.ISO3]; !ok && c != unknownCountry {
			t.Fatalf("LookupCountry(%q) = %+v: no such code", s, c)
		}
		if c2, err2 := LookupCountry(s); err2 != nil || c2 != c {
			t.Fatalf("LookupCountry(%q) twice: %+v then %+v, %v", s, c, c2, err2)
		}
		if back, err := LookupCountry(c.Name); err != nil || back.ISO3 != c.ISO3 {
			t.Fatalf("LookupCountry(%q) = %s, whose name %q gives %s, %v", s, c.ISO3, c.Name, back.ISO3, err)
		}
	})
}

// FuzzMapEventType: any text gives a schema event type (never an
// out-of-range value) with a snake_case sub-type or none, the same answer
// twice, and ok=false only with the unknown type.
func FuzzMapEventType(f *testing.F) {
	for _, s := range []string{"Battles", "Explosions/Remote violence: Suicide bomb", "suicide bombing",
		"armed attack on border post", "attack on village", "kidnapping", "riot", "protest", "arrests", "", "?"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, ok := MapEventType(s)
		if !slices.Contains(schema.EventTypes, c.Type) {
			t.Fatalf("MapEventType(%q) = %+v: not a schema event type", s, c)
		}
		if c.SubType != "" && !snakeCaseRE.MatchString(c.SubType) {
			t.Fatalf("MapEventType(%q) = %+v: sub-type not snake_case", s, c)
		}
		if !ok && c != (EventClass{}) {
			t.Fatalf("MapEventType(%q) = %+v, false: a class without ok", s, c)
		}
		if c2, ok2 := MapEventType(s); c2 != c || ok2 != ok {
			t.Fatalf("MapEventType(%q) twice: %+v %v then %+v %v", s, c, ok, c2, ok2)
		}
	})
}
