package value

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
)

func TestLookupCountry(t *testing.T) {
	for _, c := range []struct{ in, iso3, name string }{
		{"Tajikistan", "TJK", "Tajikistan"},
		{"tajikistan", "TJK", "Tajikistan"},
		{"  TAJIKISTAN ", "TJK", "Tajikistan"},
		{"TJ", "TJK", "Tajikistan"},
		{"tj", "TJK", "Tajikistan"},
		{"TJK", "TJK", "Tajikistan"},
		{"762", "TJK", "Tajikistan"},
		{"004", "AFG", "Afghanistan"},
		{"4", "AFG", "Afghanistan"},
		// UCDP names with old names in brackets
		{"DR Congo (Zaire)", "COD", "Democratic Republic of the Congo"},
		{"Myanmar (Burma)", "MMR", "Myanmar"},
		{"Russia (Soviet Union)", "RUS", "Russia"},
		{"Yemen (North Yemen)", "YEM", "Yemen"},
		{"Serbia (Yugoslavia)", "SRB", "Serbia"},
		{"Cambodia (Kampuchea)", "KHM", "Cambodia"},
		{"Zimbabwe (Rhodesia)", "ZWE", "Zimbabwe"},
		{"Madagascar (Malagasy)", "MDG", "Madagascar"},
		{"Kingdom of eSwatini (Swaziland)", "SWZ", "Eswatini"},
		{"Bosnia-Herzegovina", "BIH", "Bosnia and Herzegovina"},
		// ACLED spellings
		{"Democratic Republic of Congo", "COD", "Democratic Republic of the Congo"},
		{"Republic of Congo", "COG", "Republic of the Congo"},
		{"eSwatini", "SWZ", "Eswatini"},
		{"Ivory Coast", "CIV", "Côte d'Ivoire"},
		{"Côte d'Ivoire", "CIV", "Côte d'Ivoire"},
		{"Cote d'Ivoire", "CIV", "Côte d'Ivoire"},
		{"COTE D’IVOIRE", "CIV", "Côte d'Ivoire"},
		{"cote d ivoire", "CIV", "Côte d'Ivoire"},
		{"Palestine", "PSE", "Palestine"},
		{"Czech Republic", "CZE", "Czechia"},
		{"North Macedonia", "MKD", "North Macedonia"},
		{"United States", "USA", "United States"},
		{"Caribbean Netherlands", "BES", "Bonaire, Sint Eustatius and Saba"},
		{"Saint Martin (French part)", "MAF", "Saint Martin (French part)"},
		{"Collectivity of Saint Martin", "MAF", "Saint Martin (French part)"},
		{"Congo Free State", "COD", "Democratic Republic of the Congo"},
		{"Syria", "SYR", "Syria"},
		{"Iran", "IRN", "Iran"},
		{"Russia", "RUS", "Russia"},
		{"Laos", "LAO", "Laos"},
		{"South Korea", "KOR", "South Korea"},
		{"North Korea", "PRK", "North Korea"},
		{"Vietnam", "VNM", "Vietnam"},
		{"Türkiye", "TUR", "Turkey"},
		{"the Gambia", "GMB", "Gambia"},
		{"Gambia", "GMB", "Gambia"},
		{"Guinea-Bissau", "GNB", "Guinea-Bissau"},
		{"Guinea Bissau", "GNB", "Guinea-Bissau"},
		{"São Tomé and Príncipe", "STP", "Sao Tome and Principe"},
		{"Sao Tome & Principe", "STP", "Sao Tome and Principe"},
		{"Kosovo", "XKX", "Kosovo"},
		{"XKX", "XKX", "Kosovo"},
		// GTD spellings
		{"West Bank and Gaza Strip", "PSE", "Palestine"},
		{"Zaire", "COD", "Democratic Republic of the Congo"},
		{"Rhodesia", "ZWE", "Zimbabwe"},
		{"Soviet Union", "SUN", "Soviet Union"},
		{"West Germany (FRG)", "DEU", "Germany"},
		{"East Germany (GDR)", "DDR", "East Germany"},
		{"Czechoslovakia", "CSK", "Czechoslovakia"},
		{"Yugoslavia", "YUG", "Yugoslavia"},
		{"Serbia-Montenegro", "SCG", "Serbia and Montenegro"},
		{"South Vietnam", "VNM", "Vietnam"},
		{"South Yemen", "YMD", "South Yemen"},
		{"People's Republic of the Congo", "COG", "Republic of the Congo"},
		{"New Hebrides", "VUT", "Vanuatu"},
		{"Slovak Republic", "SVK", "Slovakia"},
		{"St. Kitts and Nevis", "KNA", "Saint Kitts and Nevis"},
		{"St. Lucia", "LCA", "Saint Lucia"},
		{"Macau", "MAC", "Macau"},
		{"Vatican City", "VAT", "Vatican City"},
		{"East Timor", "TLS", "Timor-Leste"},
		{"Falkland Islands", "FLK", "Falkland Islands"},
		{"French Polynesia", "PYF", "French Polynesia"},
		// no country: seas and international waters
		{"Red Sea", "XXX", "Unknown"},
		{"Gulf of Aden", "XXX", "Unknown"},
		{"Mediterranean Sea", "XXX", "Unknown"},
		{"international waters", "XXX", "Unknown"},
		{"International", "XXX", "Unknown"},
		{"Sea of Marmara", "XXX", "Unknown"},
		{"Tyrrhenian Sea", "XXX", "Unknown"},
	} {
		got, err := LookupCountry(c.in)
		if err != nil {
			t.Errorf("LookupCountry(%q): %v", c.in, err)
			continue
		}
		if got.ISO3 != c.iso3 || got.Name != c.name {
			t.Errorf("LookupCountry(%q) = %s %q, want %s %q", c.in, got.ISO3, got.Name, c.iso3, c.name)
		}
	}
}

func TestLookupCountryErrors(t *testing.T) {
	for _, in := range []string{"", "Narnia", "Saint-Martin", "Micronesia", "Suisse (la)", "Barbade (la)", "Cyprus (North)", "Eastern Germany", "Ea (Kor)", "999", "0", "T", "TJKX", "Tajik", "the", "(Zaire)x"} {
		got, err := LookupCountry(in)
		if err == nil {
			t.Errorf("LookupCountry(%q) = %+v, want an error", in, got)
			continue
		}
		if !errors.Is(err, ErrUnknownCountry) {
			t.Errorf("LookupCountry(%q): %v does not wrap ErrUnknownCountry", in, err)
		}
		if in != "" && !strings.Contains(err.Error(), fmt.Sprintf("%q", in)) {
			t.Errorf("LookupCountry(%q): error %q does not quote the text", in, err)
		}
		// a second call (from the cache) says the same
		if _, err2 := LookupCountry(in); err2 == nil || err2.Error() != err.Error() {
			t.Errorf("LookupCountry(%q) from the cache: %v, first %v", in, err2, err)
		}
	}
}

// Every ISO code and standard name the library knows resolves to itself.
func TestLookupCountryRoundTrip(t *testing.T) {
	countryOnce.Do(buildCountries)
	for iso3, c := range byISO3 {
		for _, in := range []string{iso3, c.ISO2, c.Name, strings.ToUpper(c.Name)} {
			if in == "" {
				continue
			}
			got, err := LookupCountry(in)
			if err != nil || got != c {
				t.Errorf("LookupCountry(%q) = %+v, %v; want %+v", in, got, err, c)
			}
		}
		if c.Numeric != 0 {
			// a historic entity may share its numeric code with a current
			// one (the current wins); else the code gives the country back
			got, err := CountryByNumeric(c.Numeric)
			if err != nil || got.Numeric != c.Numeric || got.ISO3 != iso3 && !isHistoric(iso3) {
				t.Errorf("CountryByNumeric(%d) = %+v, %v", c.Numeric, got, err)
			}
		}
	}
	for code := range nameOverrides {
		if _, ok := byISO3[code]; !ok {
			t.Errorf("nameOverrides names %s, which the library does not know", code)
		}
	}
}

func isHistoric(iso3 string) bool {
	for _, h := range historicCountries {
		if h.ISO3 == iso3 {
			return true
		}
	}
	return false
}

func TestCountryByNumeric(t *testing.T) {
	for n, iso3 := range map[int]string{762: "TJK", 180: "COD", 643: "RUS", 104: "MMR", 4: "AFG", 887: "YEM", 275: "PSE", 728: "SSD", 688: "SRB"} {
		got, err := CountryByNumeric(n)
		if err != nil || got.ISO3 != iso3 {
			t.Errorf("CountryByNumeric(%d) = %+v, %v; want %s", n, got, err, iso3)
		}
	}
	for _, n := range []int{0, -1, 999, 100000} {
		if _, err := CountryByNumeric(n); !errors.Is(err, ErrUnknownCountry) {
			t.Errorf("CountryByNumeric(%d): %v, want ErrUnknownCountry", n, err)
		}
	}
}

func TestCountryByGleditschWard(t *testing.T) {
	for gw, iso3 := range map[int]string{
		702: "TJK", 490: "COD", 365: "RUS", 775: "MMR", 347: "XKX", 816: "VNM", 2: "USA", 700: "AFG",
		645: "IRQ", 652: "SYR", 678: "YEM", 680: "YMD", 345: "SRB", 626: "SSD", 520: "SOM", 475: "NGA",
		260: "DEU", 265: "DDR", 484: "COG", 437: "CIV", 572: "SWZ", 860: "TLS", 713: "TWN", 731: "PRK",
	} {
		got, err := CountryByGleditschWard(gw)
		if err != nil || got.ISO3 != iso3 {
			t.Errorf("CountryByGleditschWard(%d) = %+v, %v; want %s", gw, got, err, iso3)
		}
	}
	for _, gw := range []int{0, 1, 240, 999, -5} {
		if _, err := CountryByGleditschWard(gw); !errors.Is(err, ErrUnknownCountry) {
			t.Errorf("CountryByGleditschWard(%d): %v, want ErrUnknownCountry", gw, err)
		}
	}
	// the list of independent states since 1989 has about 200 codes
	if n := len(gleditschWard); n < 190 {
		t.Errorf("gleditschWard has %d codes, want the full list (~200)", n)
	}
}

func TestTimeZoneOf(t *testing.T) {
	if loc, ok := TimeZoneOf("TJK"); !ok || loc.String() != "Asia/Dushanbe" {
		t.Errorf("TimeZoneOf(TJK) = %v, %v", loc, ok)
	}
	for _, iso3 := range []string{"RUS", "USA", "COD", "IDN", "BRA", "AUS", "CAN", "MEX", "KAZ", "UKR", "XXX", "", "nonsense"} {
		if loc, ok := TimeZoneOf(iso3); ok || loc != nil {
			t.Errorf("TimeZoneOf(%q) = %v, %v; want none", iso3, loc, ok)
		}
	}
	// every table entry loads from the embedded zone database and names a known country
	countryOnce.Do(buildCountries)
	for iso3, name := range singleZone {
		loc, ok := TimeZoneOf(iso3)
		if !ok || loc.String() != name {
			t.Errorf("TimeZoneOf(%s) = %v, %v; want %s", iso3, loc, ok, name)
		}
		if _, known := byISO3[iso3]; !known {
			t.Errorf("singleZone names %s, not a known ISO code", iso3)
		}
	}
}

func TestLookupCountryConcurrent(t *testing.T) {
	names := []string{"Tajikistan", "Syria", "DR Congo (Zaire)", "Red Sea", "Narnia", "762", "Kosovo"}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 2000 {
				s := names[(i+g)%len(names)]
				if i%3 == 0 {
					s = fmt.Sprintf("%s%d", s, i%50) // misses, filling the cache concurrently
				}
				_, _ = LookupCountry(s)
			}
		})
	}
	wg.Wait()
	if c, err := LookupCountry("Tajikistan"); err != nil || c.ISO3 != "TJK" {
		t.Errorf("after concurrent use: %+v, %v", c, err)
	}
}

func TestLookupCountryNoAllocOnHit(t *testing.T) {
	for _, in := range []string{"Tajikistan", "DR Congo (Zaire)", "Narnia"} {
		_, _ = LookupCountry(in)
		if n := testing.AllocsPerRun(100, func() { _, _ = LookupCountry(in) }); n != 0 {
			t.Errorf("LookupCountry(%q) on a cache hit allocates %v times", in, n)
		}
	}
	if n := testing.AllocsPerRun(100, func() { _, _ = CountryByNumeric(762) }); n != 0 {
		t.Errorf("CountryByNumeric allocates %v times", n)
	}
	if n := testing.AllocsPerRun(100, func() { _, _ = TimeZoneOf("TJK") }); n != 0 {
		t.Errorf("TimeZoneOf allocates %v times", n)
	}
}

func BenchmarkLookupCountry(b *testing.B) {
	names := []string{"Tajikistan", "Syria", "Democratic Republic of Congo", "Afghanistan", "Yemen", "Myanmar (Burma)", "Red Sea"}
	b.Run("hit", func(b *testing.B) {
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			_, _ = LookupCountry(names[i%len(names)])
			i++
		}
	})
	b.Run("miss", func(b *testing.B) {
		countryOnce.Do(buildCountries)
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			_, _ = lookupCountry(names[i%len(names)])
			i++
		}
	})
}

func ExampleLookupCountry() {
	for _, s := range []string{"TJK", "762", "DR Congo (Zaire)", "Côte d'Ivoire", "Red Sea"} {
		c, _ := LookupCountry(s)
		fmt.Printf("%s %s\n", c.ISO3, c.Name)
	}
	_, err := LookupCountry("Narnia")
	fmt.Println(err)
	// Output:
	// TJK Tajikistan
	// TJK Tajikistan
	// COD Democratic Republic of the Congo
	// CIV Côte d'Ivoire
	// XXX Unknown
	// unknown country: "Narnia"
}
