package value

import (
	"fmt"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	_ "time/tzdata" // TimeZoneOf works without the OS zoneinfo

	"github.com/biter777/countries"
)

// Country is a resolved country.
type Country struct {
	ISO3, ISO2, Name string
	Numeric          int // ISO 3166-1 numeric; 0 for XXX and codes without one
}

// unknownCountry stands for seas, oceans and international waters: the
// source names no country.
var unknownCountry = Country{ISO3: "XXX", Name: "Unknown"}

// country tables, built once on first use
var (
	countryOnce  sync.Once
	byKey        map[string]Country // normalized name, alias or code -> country
	byCompact    map[string]Country // byKey without spaces, for "cote d ivoire"; ambiguous keys left out
	byISO3       map[string]Country
	byNumeric    map[int]Country
	byGW         map[int]Country
	lookupCache  sync.Map // exact input -> lookupResult
	lookupCached atomic.Int64
)

// lookupCacheMax bounds the per-input cache so a stream of distinct junk
// cannot grow memory without end; beyond it lookups are computed each time.
const lookupCacheMax = 1 << 16

type lookupResult struct {
	c   Country
	err error
}

func buildCountries() {
	byKey = make(map[string]Country, 2048)
	byISO3 = make(map[string]Country, 300)
	byNumeric = make(map[int]Country, 300)
	for _, code := range countries.All() {
		c := Country{ISO3: code.Alpha3(), ISO2: code.Alpha2(), Name: code.String(), Numeric: int(code)}
		if n, ok := nameOverrides[c.ISO3]; ok {
			c.Name = n
		}
		if c.ISO3 == "XKX" {
			c.Numeric = 0 // Kosovo has no ISO numeric code; the library's 900 is user-assigned
		}
		byISO3[c.ISO3] = c
		if c.Numeric != 0 {
			byNumeric[c.Numeric] = c
		}
		byKey[normCountry(code.String())] = c
	}
	for _, c := range historicCountries {
		byISO3[c.ISO3] = c
		if c.Numeric != 0 {
			if _, taken := byNumeric[c.Numeric]; !taken {
				byNumeric[c.Numeric] = c
			}
		}
	}
	for iso3, c := range byISO3 {
		byKey[normCountry(c.Name)] = c
		byKey[strings.ToLower(iso3)] = c
		if c.ISO2 != "" {
			byKey[strings.ToLower(c.ISO2)] = c
		}
	}
	for alias, iso3 := range countryAliases {
		c, ok := byISO3[iso3]
		if iso3 == "XXX" {
			c, ok = unknownCountry, true
		}
		if !ok {
			panic("ingest: country alias " + alias + " names unknown code " + iso3)
		}
		byKey[normCountry(alias)] = c
	}
	for _, sea := range waterNames {
		byKey[normCountry(sea)] = unknownCountry
	}
	byKey["xxx"] = unknownCountry
	byCompact = make(map[string]Country, len(byKey))
	ambiguous := map[string]bool{}
	for k, c := range byKey {
		ck := strings.ReplaceAll(k, " ", "")
		if prev, ok := byCompact[ck]; ok && prev != c {
			ambiguous[ck] = true
		}
		byCompact[ck] = c
	}
	for ck := range ambiguous {
		delete(byCompact, ck)
	}
	byGW = make(map[int]Country, len(gleditschWard))
	for gw, iso3 := range gleditschWard {
		c, ok := byISO3[iso3]
		if !ok {
			panic("ingest: Gleditsch-Ward code names unknown ISO code " + iso3)
		}
		byGW[gw] = c
	}
}

// LookupCountry resolves English names, ISO 3166-1 alpha-2, alpha-3 and
// numeric codes (as text: "762", "TJ", "TJK"), aliases and the ACLED, UCDP
// and GTD spellings, ignoring case, accents, punctuation and a leading
// "the". UCDP's bracketed old names ("DR Congo (Zaire)", "Myanmar
// (Burma)") resolve by the name outside the brackets. Seas, gulfs, oceans
// and international waters resolve to {ISO3: "XXX", Name: "Unknown"}.
// Unknown text is ErrUnknownCountry quoting it.
//
// Results are cached by the exact input (a copy of it: the caller's bytes may
// be reused), so repeated spellings (every row
// of a dataset) cost one map read and no allocation. Safe for concurrent
// use.
func LookupCountry(s string) (Country, error) {
	if v, ok := lookupCache.Load(s); ok {
		r := v.(*lookupResult)
		return r.c, r.err
	}
	countryOnce.Do(buildCountries)
	c, err := lookupCountry(s)
	if lookupCached.Load() < lookupCacheMax {
		if _, loaded := lookupCache.LoadOrStore(strings.Clone(s), &lookupResult{c, err}); !loaded {
			lookupCached.Add(1)
		}
	}
	return c, err
}

func lookupCountry(s string) (Country, error) {
	t := strings.TrimSpace(s)
	if t == "" {
		return Country{}, fmt.Errorf("%w: empty", ErrUnknownCountry)
	}
	if isDigits(t) {
		n, err := strconv.Atoi(t)
		if err == nil {
			if c, ok := byNumeric[n]; ok {
				return c, nil
			}
		}
		return Country{}, fmt.Errorf("%w: %q is not an ISO 3166-1 numeric code", ErrUnknownCountry, s)
	}
	k := normCountry(t)
	if c, ok := byKey[k]; ok {
		return c, nil
	}
	if c, ok := byCompact[strings.ReplaceAll(k, " ", "")]; ok {
		return c, nil
	}
	// UCDP's "Name (Old name)": the current name outside the brackets
	if i := strings.IndexByte(t, '('); i > 0 {
		if c, ok := byKey[normCountry(t[:i])]; ok {
			return c, nil
		}
		if j := strings.IndexByte(t[i:], ')'); j > 0 {
			if c, ok := byKey[normCountry(t[i+1:i+j])]; ok {
				return c, nil
			}
		}
	}
	if isWater(k) {
		return unknownCountry, nil
	}
	return Country{}, fmt.Errorf("%w: %q", ErrUnknownCountry, s)
}

// isWater recognizes bodies of water the tables do not list by name:
// "Sea of X", "X Sea", "Gulf of X", "X Ocean", "Strait of X".
func isWater(k string) bool {
	for _, w := range []string{"sea", "ocean", "gulf", "strait", "straits", "bay", "channel", "waters"} {
		if strings.HasSuffix(k, " "+w) || strings.HasPrefix(k, w+" of ") || k == w {
			return true
		}
	}
	return false
}

// CountryByNumeric resolves an ISO 3166-1 numeric code (ACLED's iso column).
func CountryByNumeric(n int) (Country, error) {
	countryOnce.Do(buildCountries)
	if c, ok := byNumeric[n]; ok {
		return c, nil
	}
	return Country{}, fmt.Errorf("%w: ISO numeric code %d", ErrUnknownCountry, n)
}

// CountryByGleditschWard resolves a Gleditsch and Ward (1999) state code,
// UCDP's country_id (702 Tajikistan, 490 DR Congo, 365 Russia, 775
// Myanmar, 347 Kosovo). Former states map to their ISO 3166 code or, where
// the state has no successor of the same extent, its ISO 3166-3 former
// code (265 East Germany DDR, 315 Czechoslovakia CSK, 680 South Yemen YMD).
func CountryByGleditschWard(n int) (Country, error) {
	countryOnce.Do(buildCountries)
	if c, ok := byGW[n]; ok {
		return c, nil
	}
	return Country{}, fmt.Errorf("%w: Gleditsch-Ward code %d", ErrUnknownCountry, n)
}

// TimeZoneOf returns the IANA time zone of a country whose territory keeps
// one civil time (TJK -> Asia/Dushanbe), and ok=false for countries with
// several (RUS, USA, COD, IDN...) or unknown codes. The zone database is
// embedded (time/tzdata), so this works without the OS zoneinfo.
func TimeZoneOf(iso3 string) (*time.Location, bool) {
	if v, ok := zoneCache.Load(iso3); ok {
		l := v.(*time.Location)
		return l, l != nil
	}
	var loc *time.Location
	if name, ok := singleZone[strings.ToUpper(strings.TrimSpace(iso3))]; ok {
		var err error
		if loc, err = time.LoadLocation(name); err != nil {
			loc = nil // a table entry tzdata lacks; TestTimeZoneTable catches it
		}
	}
	if len(iso3) == 3 { // bounded: at most 26^3 distinct keys
		zoneCache.Store(strings.Clone(iso3), loc)
	}
	return loc, loc != nil
}

var zoneCache sync.Map // iso3 -> *time.Location (nil when none)

// normCountry folds a country name for lookup: lower case, accents
// removed, "&" as "and", punctuation dropped, hyphens and runs of spaces
// as one space, a leading "the" dropped.
func normCountry(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := true
	for _, r := range s {
		if r < 0x80 {
			c := byte(r)
			switch {
			case c >= 'A' && c <= 'Z':
				c += 'a' - 'A'
			case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
			case c == '&':
				if !space {
					b.WriteByte(' ')
				}
				b.WriteString("and ")
				space = true
				continue
			case c == ' ' || c == '-' || c == '_' || c == '/' || c == ',' || c == '\t':
				if !space {
					b.WriteByte(' ')
				}
				space = true
				continue
			default: // . ' ( ) and other punctuation vanish: "St. Lucia", "Cote d'Ivoire"
				continue
			}
			b.WriteByte(c)
			space = false
			continue
		}
		if f, ok := foldAccent[r]; ok {
			b.WriteString(f)
			space = false
			continue
		}
		switch r {
		case '’', '‘', 'ʼ':
			continue
		case '\u00a0', '–', '—':
			if !space {
				b.WriteByte(' ')
			}
			space = true
			continue
		}
		b.WriteRune(r)
		space = false
	}
	out := strings.TrimSpace(b.String())
	out = strings.TrimPrefix(out, "the ")
	return out
}

var foldAccent = map[rune]string{
	'à': "a", 'á': "a", 'â': "a", 'ã': "a", 'ä': "a", 'å': "a", 'À': "a", 'Á': "a", 'Â': "a", 'Ã': "a", 'Ä': "a", 'Å': "a",
	'ç': "c", 'Ç': "c", 'è': "e", 'é': "e", 'ê': "e", 'ë': "e", 'È': "e", 'É': "e", 'Ê': "e", 'Ë': "e",
	'ì': "i", 'í': "i", 'î': "i", 'ï': "i", 'Ì': "i", 'Í': "i", 'Î': "i", 'Ï': "i",
	'ñ': "n", 'Ñ': "n", 'ò': "o", 'ó': "o", 'ô': "o", 'õ': "o", 'ö': "o", 'ø': "o",
	'Ò': "o", 'Ó': "o", 'Ô': "o", 'Õ': "o", 'Ö': "o", 'Ø': "o",
	'ù': "u", 'ú': "u", 'û': "u", 'ü': "u", 'Ù': "u", 'Ú': "u", 'Û': "u", 'Ü': "u",
	'ý': "y", 'ÿ': "y", 'Ý': "y", 'ş': "s", 'Ş': "s", 'ğ': "g", 'Ğ': "g", 'ı': "i", 'İ': "i",
	'æ': "ae", 'Æ': "ae", 'œ': "oe", 'Œ': "oe", 'ß': "ss",
}
