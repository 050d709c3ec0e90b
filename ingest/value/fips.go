package value

import (
	_ "embed"
	"fmt"
	"strings"
	"sync"
)

// GDELT writes places' countries as FIPS 10-4 codes, not ISO 3166: UP is
// Ukraine, IS Israel, SU Sudan, BM Burma, CG the DR Congo and CF the
// Republic of the Congo. data/fips_iso.tsv is the crosswalk of
// ../shared/reference/fips_iso_crosswalk_pygdelt.tsv (RBozydar/py-gdelt,
// src/py_gdelt/lookups/data/countries.json, from GeoNames), with GZ (Gaza
// Strip, which GDELT uses and the list lacks) added as PSE.
//
//go:embed data/fips_iso.tsv
var fipsTable string

var (
	fipsOnce sync.Once
	byFIPS   map[string]Country
)

func buildFIPS() {
	countryOnce.Do(buildCountries)
	byFIPS = make(map[string]Country, 260)
	for i, line := range strings.Split(strings.TrimSpace(fipsTable), "\n") {
		f := strings.Split(line, "\t")
		if i == 0 || len(f) < 3 {
			continue // the header
		}
		c, ok := byISO3[f[2]]
		if !ok {
			panic("value: data/fips_iso.tsv names unknown code " + f[2])
		}
		byFIPS[f[0]] = c
	}
}

// CountryByFIPS resolves a FIPS 10-4 country code (GDELT's
// ActionGeo_CountryCode).
func CountryByFIPS(code string) (Country, error) {
	fipsOnce.Do(buildFIPS)
	if c, ok := byFIPS[strings.ToUpper(strings.TrimSpace(code))]; ok {
		return c, nil
	}
	return Country{}, fmt.Errorf("%w: FIPS 10-4 code %q", ErrUnknownCountry, code)
}
