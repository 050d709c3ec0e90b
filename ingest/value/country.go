package value

import (
	_ "embed"
	"encoding/csv"
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

// NoCountry is the country of an event its source places in none (XXX,
// "Unknown"): a sea, airspace, or a GDELT event without a place.
func NoCountry() Country { return unknownCountry }

// country tables, built once on first use
var (
	countryOnce  sync.Once
	byName       map[string]Country // folded name or alias -> country
	byCode       map[string]Country // folded ISO alpha-2 and alpha-3 code -> country
	byCompact    map[string]Country // byName without spaces, for "cote d ivoire"; ambiguous keys left out
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

//go:embed data/country_names.csv
var listedNamesCSV string

// listedNames reads data/country_names.csv: the names of the well-kept lists
// (ISO 3166-1 names and official names, ISO 3166-3 names of dissolved
// entities, CLDR English names with their short and variant forms, UN,
// COW, GW, Polity and V-Dem names), built by data/build_country_names.py.
func listedNames() [][2]string {
	recs, err := csv.NewReader(strings.NewReader(listedNamesCSV)).ReadAll()
	if err != nil {
		panic("value: data/country_names.csv: " + err.Error())
	}
	out := make([][2]string, 0, len(recs))
	for _, r := range recs[1:] {
		out = append(out, [2]string{r[0], r[1]})
	}
	return out
}

func buildCountries() {
	byName = make(map[string]Country, 2048)
	byCode = make(map[string]Country, 600)
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
		byName[normCountry(code.String())] = c
	}
	for _, c := range historicCountries {
		byISO3[c.ISO3] = c
		if c.Numeric != 0 {
			if _, taken := byNumeric[c.Numeric]; !taken {
				byNumeric[c.Numeric] = c
			}
		}
	}
	for _, nc := range listedNames() {
		c, ok := byISO3[nc[1]]
		if !ok {
			panic("value: data/country_names.csv names unknown code " + nc[1])
		}
		byName[normCountry(nc[0])] = c
	}
	for _, r := range iso3166Part3 {
		if r.successor == "" {
			continue // its own code: a historicCountries entry
		}
		byName[normCountry(r.name)] = byISO3[r.successor]
	}
	for iso3, c := range byISO3 {
		byName[normCountry(c.Name)] = c
		byCode[strings.ToLower(iso3)] = c
		if c.ISO2 != "" {
			byCode[strings.ToLower(c.ISO2)] = c
		}
	}
	for _, aliases := range []map[string]string{formerNames, countryAliases} {
		for alias, iso3 := range aliases {
			c, ok := byISO3[iso3]
			if iso3 == "XXX" {
				c, ok = unknownCountry, true
			}
			if !ok {
				panic("value: country alias " + alias + " names unknown code " + iso3)
			}
			byName[normCountry(alias)] = c
		}
	}
	for _, sea := range waterNames {
		byName[normCountry(sea)] = unknownCountry
	}
	byCode["xxx"] = unknownCountry
	byCompact = make(map[string]Country, len(byName))
	ambiguous := map[string]bool{}
	for k, c := range byName {
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
			panic("value: Gleditsch-Ward code names unknown ISO code " + iso3)
		}
		byGW[gw] = c
	}
}

// LookupCountry resolves English names, ISO 3166-1 alpha-2, alpha-3 and
// numeric codes (as text: "762", "TJ", "TJK"), aliases and the ACLED, UCDP
// and GTD spellings, ignoring case, accents, punctuation and the word
// "the". Names come from well-kept lists (ISO 3166-1 names and official
// names, CLDR English names and variants, UN, COW and GW state names; see
// data/country_names.csv) and our alias tables.
//
// Qualifiers are read, never dropped:
//
//   - a compass qualifier in brackets, after a comma or at either end
//     ("Ireland (North)", "Korea, South", "Germany West", "N. Ireland")
//     resolves as "North Ireland" or "Northern Ireland" would, and is a
//     reject when no such country is known ("Cyprus (North)");
//   - ISO's inversions put the bracketed or comma-separated part first:
//     "Congo (the Democratic Republic of the)", "Korea, Republic of",
//     "Tanzania, the United Republic of", "Bolivia (Plurinational State of)";
//     "Gambia, The" and "Congo (the)" drop the article;
//   - any other bracketed text, or parts separated by "/", must name the
//     same country as the rest ("DR Congo (Zaire)", "Myanmar (Burma)",
//     "Burma/Myanmar"); two different countries are a reject. Bracketed text
//     is never read as an ISO code ("Suisse (la)" is not Laos).
//
// Former states keep their ISO 3166-3 code where the entity dissolved,
// merged or split (SUN, DDR, CSK, YUG, SCG, YMD, VDR, ANT, GEL, NTZ, PCI);
// a former name of one territory gives today's code (Zaire COD, Burma MMR,
// Gold Coast GHA, Ukrainian SSR UKR). Seas, gulfs, oceans and
// international waters resolve to {ISO3: "XXX", Name: "Unknown"}. Unknown
// text is ErrUnknownCountry quoting it: a reject, never a guess.
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
	if len(t) > maxCountryText {
		return Country{}, fmt.Errorf("%w: %q is longer than any country's name", ErrUnknownCountry, s)
	}
	if len(t) <= 3 {
		if c, ok := byCode[foldCode(t)]; ok {
			return c, nil
		}
	}
	if c, ok := lookupName(t, 0); ok {
		return c, nil
	}
	if isWater(normCountry(t)) {
		return unknownCountry, nil
	}
	return Country{}, fmt.Errorf("%w: %q", ErrUnknownCountry, s)
}

// maxCountryText bounds the text LookupCountry reads as a name: the longest
// listed name ("United Kingdom of Great Britain and Northern Ireland", the
// ISO 3166-3 and GW forms) is under 80 bytes; the bound keeps the
// rearrangements below cheap on junk.
const maxCountryText = 160

// lookupName resolves t as a name (never as a code), reading its
// qualifiers, inversions and bracketed parts as LookupCountry says.
func lookupName(t string, depth int) (Country, bool) {
	t = strings.TrimSpace(t)
	k := normCountry(t)
	if k == "" || depth > 3 {
		return Country{}, false
	}
	if c, ok := byName[k]; ok {
		return c, true
	}
	if c, ok := byCompact[strings.ReplaceAll(k, " ", "")]; ok && depth == 0 {
		// only the text as written ("cote divoire"): a compacted
		// rearrangement could glue parts into a name ("Ea (Kor)")
		return c, true
	}
	// "X (Y)": the last bracketed part
	if strings.HasSuffix(t, ")") {
		if i := strings.LastIndexByte(t, '('); i > 0 {
			return joinParts(t[:i], t[i+1:len(t)-1], depth)
		}
		return Country{}, false
	}
	// "X, Y"
	if i := strings.LastIndexByte(t, ','); i > 0 {
		return joinParts(t[:i], t[i+1:], depth)
	}
	// "X/Y": both name one country
	if strings.Contains(t, "/") {
		var got Country
		for i, p := range strings.Split(t, "/") {
			c, ok := lookupName(p, depth+1)
			if !ok || i > 0 && c != got {
				return Country{}, false
			}
			got = c
		}
		return got, true
	}
	// a compass qualifier at either end: "N. Ireland", "Germany West", "Sudan-North"
	words := strings.Fields(k)
	if len(words) < 2 {
		return Country{}, false
	}
	if q, full, ok := compass(words[0]); ok {
		base := strings.Join(words[1:], " ")
		switch {
		case !full:
			return qualified(q, base, depth)
		case words[0] == q:
			// "North Ireland" as "Northern Ireland"; never "Eastern Germany"
			// as "East Germany" (the east of today's Germany is not the GDR)
			return lookupName(q+"ern "+base, depth+1)
		}
		return Country{}, false
	}
	if q, _, ok := compass(words[len(words)-1]); ok {
		return qualified(q, strings.Join(words[:len(words)-1], " "), depth)
	}
	// the words in another order: "Minor Outlying Islands US", "Korea
	// DPR"; two orders naming different countries are no answer
	var got Country
	found := false
	if len(words) > 8 {
		return Country{}, false
	}
	for i := 1; i < len(words); i++ {
		rk := strings.Join(append(append([]string(nil), words[i:]...), words[:i]...), " ")
		c, ok := byName[rk]
		if !ok {
			continue
		}
		if found && c != got {
			return Country{}, false
		}
		got, found = c, true
	}
	return got, found
}

// joinParts resolves "base (part)" or "base, part".
func joinParts(base, part string, depth int) (Country, bool) {
	pk := normCountry(part)
	switch {
	case pk == "" || pk == "the":
		return lookupName(base, depth+1)
	case strings.HasSuffix(pk, " of") || strings.HasSuffix(pk, " of the") || pk == "of" || strings.HasPrefix(strings.ToLower(strings.TrimSpace(part)), "the "):
		// ISO's inversion: "Korea (the Republic of)" is "the Republic of Korea"
		return lookupName(part+" "+base, depth+1)
	}
	if q, _, ok := compass(pk); ok {
		return qualified(q, base, depth)
	}
	b, okb := lookupName(base, depth+1)
	p, okp := lookupName(part, depth+1)
	if okb && okp && b == p {
		return b, true
	}
	if !okb || !okp {
		// "Korea, Democratic People's Republic", "Minor Outlying Islands,
		// U.S.": the inversion without "of"
		if c, ok := lookupName(part+" "+base, depth+1); ok {
			return c, true
		}
	}
	return Country{}, false
}

// compass reads a compass qualifier: "north", "northern", "n" (the dot is
// already gone) and the like; full reports a spelled-out word.
func compass(w string) (q string, full bool, ok bool) {
	switch w {
	case "n", "s", "e", "w":
		return map[string]string{"n": "north", "s": "south", "e": "east", "w": "west"}[w], false, true
	case "north", "south", "east", "west":
		return w, true, true
	case "northern", "southern", "eastern", "western":
		return strings.TrimSuffix(w, "ern"), true, true
	}
	return "", false, false
}

// qualified resolves "North X" or "Northern X"; both known and different,
// or neither known, is no answer.
func qualified(q, base string, depth int) (Country, bool) {
	a, oka := lookupName(q+" "+base, depth+1)
	b, okb := lookupName(q+"ern "+base, depth+1)
	switch {
	case oka && okb && a != b:
		return Country{}, false
	case oka:
		return a, true
	case okb:
		return b, true
	}
	return Country{}, false
}

// isWater recognizes bodies of water the tables do not list by name:
// "Sea of X", "X Sea", "Gulf of X", "X Ocean", "Strait of X".
func isWater(k string) bool {
	for _, w := range []string{"sea", "ocean", "gulf", "strait", "straits", "bay", "channel", "waters"} {
		if strings.HasSuffix(k, " "+w) || strings.HasPrefix(k, w+" ") || k == w { // "of" is folded away
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
	words := strings.Fields(out)
	changed := false
	kept := words[:0:0]
	for i := 0; i < len(words); i++ {
		w := words[i]
		if w == "f" && i+1 < len(words) && words[i+1] == "s" { // "F. S. Micronesia"
			w, i = "fs", i+1
		}
		if x, ok := nameAbbrev[w]; ok {
			kept = append(kept, x...)
			changed = true
			continue
		}
		if w == "the" || w == "of" {
			changed = true
			continue
		}
		kept = append(kept, w)
	}
	if changed && len(kept) > 0 {
		out = strings.Join(kept, " ")
	}
	return out
}

// nameAbbrev spells out the abbreviations of country names ("Rep. of
// Korea", "DPR Korea", "St. Lucia", "U.S. Virgin Islands"); the words "the"
// and "of" are dropped, so "Republic of Korea" and "Korea, Republic of"
// fold alike once inverted.
var nameAbbrev = map[string][]string{
	"rep": {"republic"}, "dem": {"democratic"}, "dpr": {"democratic", "peoples", "republic"},
	"st": {"saint"}, "sts": {"states"}, "us": {"united", "states"}, "fs": {"federated", "states"},
}

// foldCode folds a code as written ("tj", "T.J.") for byCode.
func foldCode(s string) string {
	return strings.ToLower(strings.ReplaceAll(strings.TrimSpace(s), ".", ""))
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
