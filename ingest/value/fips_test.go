package value

import (
	"strings"
	"testing"
)

// The FIPS codes that differ from ISO alpha-2 are the ones a plain
// ISO lookup gets wrong (UP would be nothing, IS Iceland, SU nothing, CG
// the Republic of the Congo): each is checked against the country GDELT means.
func TestCountryByFIPS(t *testing.T) {
	for fips, want := range map[string]string{"UP": "UKR", "IS": "ISR", "SU": "SDN", "OD": "SSD", "BM": "MMR",
		"CG": "COD", "CF": "COG", "IC": "ISL", "KV": "XKX", "GZ": "PSE", "WE": "PSE", "RS": "RUS", "SF": "ZAF",
		"NI": "NGA", "NG": "NER", "AS": "AUS", "AU": "AUT", "GM": "DEU", "SP": "ESP", "US": "USA", "up": "UKR"} {
		c, err := CountryByFIPS(fips)
		if err != nil || c.ISO3 != want {
			t.Errorf("CountryByFIPS(%q) = %s, %v; want %s", fips, c.ISO3, err, want)
		}
	}
	if _, err := CountryByFIPS("ZZ"); err == nil {
		t.Error("ZZ resolved")
	}
	// every row of the table resolves (buildFIPS panics otherwise) and no
	// FIPS code is listed twice
	seen := map[string]bool{}
	for _, line := range strings.Split(strings.TrimSpace(fipsTable), "\n")[1:] {
		code := strings.Split(line, "\t")[0]
		if seen[code] {
			t.Errorf("FIPS %s listed twice", code)
		}
		seen[code] = true
		if _, err := CountryByFIPS(code); err != nil {
			t.Error(err)
		}
	}
}
