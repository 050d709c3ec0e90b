// Package value parses the values incident sources write: casualty figures
// (ParseCasualty), dates (ParseDate, ParseDateHint with a row's year,
// DateOrderSniffer, DateFromParts, ExcelSerialDate), times of day
// (ParseTimeOfDay, TimeZoneOf), countries (LookupCountry, CountryByNumeric,
// CountryByGleditschWard), event types (MapEventType, ACLEDEventType,
// GTDAttackType), actor names (ActorNames), plain numbers (ParseDecimal) and
// the missing-value tokens of R, pandas, SQL, Stata and Excel
// (MissingValues, DefaultMissing). They are pure
// functions of their text, safe for concurrent use, and return the
// package's sentinel errors (ErrBadCasualty, ErrBadDate, ...) for
// errors.Is.
package value

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/incidentkit/incidents/schema"
)

// Sentinel causes of the value parsers (test with errors.Is). The returned
// errors wrap them and quote the offending text. Like encoding/csv's, they
// are bare: the positional error that carries a rejected row's cause
// (source.Error) adds the "ingest: " prefix once.
var (
	ErrBadCasualty    = errors.New("unreadable casualty figure")
	ErrBadDate        = errors.New("unreadable date")
	ErrAmbiguousDate  = errors.New("ambiguous numeric date")
	ErrBadTime        = errors.New("unreadable time")
	ErrUnknownCountry = errors.New("unknown country")
)

// ParseCasualty turns a casualty figure or phrase into a low/best/high
// estimate, as SCHEMA.md "Casualty phrases" says:
//
//	"17", "1,000", "seventeen", "twenty-one", "a dozen", "two hundred"  n/n/n
//	"around 30", "about", "some", "nearly", "almost", "approximately",
//	"roughly", "an estimated", "~30"                                   30/30/30 (the figure as given)
//	"at least 10", "more than 10", "over 10", "10+", "no fewer than 10",
//	"no less than 10", "upwards of 10", "a minimum of 10"              10/10/null
//	"up to 20", "as many as 20", "at most 20", "no more than 20"       null/20/20
//	"15-20", "15–20", "15 to 20", "between 15 and 20", "two or three"  15/17/20 (best = midpoint, rounded down)
//	"a couple", "a couple of"                                          2/2/2
//	"", "unknown", "n/a", "?", "not known", "-"                        null/null/null (never 0)
//	"0", "zero", "none", "no casualties", "no deaths", "nobody",
//	"no one was killed"                                                0/0/0
//
// Vague quantities read as a range whose best is the geometric midpoint,
// floor(sqrt(low*high)):
//
//	"a few" / "a handful" 2..5, "several" 3..9,
//	"dozens" 24..99, "scores" 40..99, "hundreds" 200..999,
//	"thousands" 2000..9999, "tens of thousands" 20000..99999,
//	"hundreds of thousands" 200000..999999, "millions" 2000000..9999999
//
// and "a few"/"several" before a unit scale it ("several hundred" is
// 300..900, "a few dozen" 24..60). "many", "numerous" and "scores of
// thousands" are too vague to put a number on and are ErrBadCasualty.
// "fewer than 10" / "less than 10" / "under 10" read as null/9/9.
//
// Trailing words that are not numbers are dropped ("17 killed",
// "at least 10 guards", "15 attackers", stray quote marks as in
// "at least 10″"), but a second figure ("4 killed, 5 wounded") makes the
// text unreadable rather than guessed at. Unreadable text and figures
// beyond int32 are ErrBadCasualty quoting the text.
func ParseCasualty(s string) (schema.Estimate, error) {
	// Fast path: a plain non-negative integer, the form of nearly every
	// dataset row. No allocation.
	if n, ok := plainInt(s); ok {
		return schema.Exact(n), nil
	}
	if allDigits(s) {
		return schema.Estimate{}, fmt.Errorf("%w: %q exceeds the int32 range", ErrBadCasualty, s)
	}
	e, err := parseCasualtyPhrase(s)
	if err != nil {
		return schema.Estimate{}, fmt.Errorf("%w: %q%s", ErrBadCasualty, s, err.Error())
	}
	return e, nil
}

// plainInt reads an ASCII decimal integer without sign or spaces that fits
// int32.
func plainInt(s string) (int32, bool) {
	if len(s) == 0 || len(s) > 10 {
		return 0, false
	}
	var n int64
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int64(c-'0')
	}
	if n > math.MaxInt32 {
		return 0, false
	}
	return int32(n), true
}

// casualty phrase reading: a normalized token stream, then a small grammar
//
//	[qualifier] quantity [(- | to | and | or) quantity] [words...]

type casualtyErr string

func (e casualtyErr) Error() string { return string(e) }

// vague quantities: low..high.
type span struct{ lo, hi int64 }

var numberWords = map[string]int64{
	"zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
	"eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
	"fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
	"nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fourty": 40, "fifty": 50,
	"sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
}

var scaleWords = map[string]int64{
	"dozen": 12, "hundred": 100, "thousand": 1000, "million": 1000000, "billion": 1000000000,
}

// plural scale words used as vague quantities ("dozens", "hundreds").
var vaguePlural = map[string]span{
	"dozens":    {24, 99},
	"scores":    {40, 99},
	"hundreds":  {200, 999},
	"thousands": {2000, 9999},
	"millions":  {2000000, 9999999},
}

var (
	nullPhrases = map[string]bool{
		"": true, "unknown": true, "n/a": true, "?": true, "??": true, "not known": true,
		"unk": true, "unclear": true, "not reported": true, "-": true,
		"--": true, "no data": true, "no information": true, "no figure": true, "no figures": true,
		"not available": true, "not given": true, "unreported": true, "no info": true,
	}
	zeroPhrases = map[string]bool{
		"0": true, "zero": true, "none": true, "no casualties": true, "no deaths": true, "nobody": true,
		"no one": true, "noone": true, "no-one": true, "no fatalities": true, "no injuries": true, "nil": true,
		"no victims": true, "none reported": true, "no one killed": true, "nobody killed": true,
		"no dead": true, "no deaths reported": true, "no casualties reported": true,
	}
)

// zeroNouns may follow "no" in a phrase that means a count of zero.
var zeroNouns = map[string]bool{
	"casualties": true, "casualty": true, "deaths": true, "death": true, "dead": true, "fatalities": true,
	"injuries": true, "injured": true, "wounded": true, "victims": true, "people": true, "persons": true,
	"one": true, "losses": true, "arrests": true, "detentions": true, "killed": true, "civilians": true,
}

type qualifier uint8

const (
	qualNone qualifier = iota
	qualAtLeast
	qualUpTo
	qualBelow
	qualBetween // "between 15 and 20"
	qualFrom    // "from 15 to 20"
)

// qualifier phrases, longest first so "no more than" beats "more than".
var qualifierPhrases = []struct {
	words []string
	q     qualifier
}{
	{[]string{"no", "fewer", "than"}, qualAtLeast},
	{[]string{"no", "less", "than"}, qualAtLeast},
	{[]string{"not", "less", "than"}, qualAtLeast},
	{[]string{"not", "fewer", "than"}, qualAtLeast},
	{[]string{"a", "minimum", "of"}, qualAtLeast},
	{[]string{"at", "least"}, qualAtLeast},
	{[]string{"more", "than"}, qualAtLeast},
	{[]string{"upwards", "of"}, qualAtLeast},
	{[]string{"in", "excess", "of"}, qualAtLeast},
	{[]string{"over"}, qualAtLeast},
	{[]string{"minimum"}, qualAtLeast},
	{[]string{"no", "more", "than"}, qualUpTo},
	{[]string{"not", "more", "than"}, qualUpTo},
	{[]string{"a", "maximum", "of"}, qualUpTo},
	{[]string{"as", "many", "as"}, qualUpTo},
	{[]string{"up", "to"}, qualUpTo},
	{[]string{"at", "most"}, qualUpTo},
	{[]string{"maximum"}, qualUpTo},
	{[]string{"fewer", "than"}, qualBelow},
	{[]string{"less", "than"}, qualBelow},
	{[]string{"under"}, qualBelow},
	{[]string{"between"}, qualBetween},
	{[]string{"from"}, qualFrom},
}

// approximation words: the figure is read as given.
var approxPhrases = [][]string{
	{"an", "estimated"}, {"approximately"}, {"approx"}, {"around"}, {"about"}, {"some"},
	{"nearly"}, {"almost"}, {"roughly"}, {"circa"}, {"ca"}, {"c"}, {"estimated"}, {"~"},
	{"close", "to"}, {"approaching"}, {"reportedly"}, {"perhaps"}, {"possibly"},
}

func parseCasualtyPhrase(s string) (schema.Estimate, error) {
	norm := normalizeCasualty(s)
	if nullPhrases[norm] {
		return schema.Estimate{}, nil
	}
	if zeroPhrases[norm] {
		return schema.Exact(0), nil
	}
	toks := splitNumberTokens(tokenizeCasualty(norm))
	if len(toks) == 0 {
		return schema.Estimate{}, nil
	}
	if zeroPhrases[toks[0]] && (len(toks) == 1 || allWords(toks[1:])) && toks[0] != "0" && toks[0] != "zero" {
		// "none killed", "nobody hurt"
		return schema.Exact(0), nil
	}
	if hasPrefix(toks, []string{"no", "one"}) && allWords(toks[2:]) {
		return schema.Exact(0), nil
	}
	if len(toks) >= 2 && toks[0] == "no" && zeroNouns[toks[1]] && allWords(toks[1:]) {
		// "no casualties among civilians", "no people were hurt"; but "no data" is unknown
		return schema.Exact(0), nil
	}
	q := qualNone
	// approximations may precede or follow a qualifier: "at least some 30",
	// "approximately up to 20" is not English, but cheap to accept.
	toks = skipApprox(toks)
	for _, p := range qualifierPhrases {
		if hasPrefix(toks, p.words) {
			q = p.q
			toks = toks[len(p.words):]
			break
		}
	}
	toks = skipApprox(toks)
	lo, hi, vague, rest, err := readQuantity(toks)
	if err != nil {
		return schema.Estimate{}, err
	}
	toks = rest
	isRange := lo != hi
	// a second figure: 15-20, 15 to 20, between 15 and 20, two or three
	if len(toks) > 0 && (toks[0] == "-" || toks[0] == "to" || toks[0] == "and" || toks[0] == "or") && !boundSuffix(toks) {
		sep := toks[0]
		switch {
		case q == qualBetween && sep != "and" && sep != "-",
			q == qualFrom && sep != "to" && sep != "-",
			sep == "and" && q != qualBetween:
			return schema.Estimate{}, casualtyErr(": " + strconv.Quote(sep) + " does not fit the range")
		}
		_, hi2, vague2, rest2, err2 := readQuantity(toks[1:])
		if err2 != nil {
			return schema.Estimate{}, err2
		}
		if vague || vague2 {
			return schema.Estimate{}, casualtyErr(": a range of vague quantities")
		}
		hi = hi2
		toks = rest2
		if lo > hi {
			return schema.Estimate{}, casualtyErr(": range runs backwards")
		}
		isRange = lo != hi
		if q == qualBetween || q == qualFrom {
			q = qualNone
		} else if q != qualNone {
			return schema.Estimate{}, casualtyErr(": a qualifier before a range")
		}
	} else if q == qualBetween || q == qualFrom {
		return schema.Estimate{}, casualtyErr(": a range without a second figure")
	}
	// "ten or more", "10 and more", "10 plus": a lower bound; "30 or so": the figure
	switch {
	case hasPrefix(toks, []string{"or", "more"}), hasPrefix(toks, []string{"and", "more"}),
		hasPrefix(toks, []string{"or", "over"}), hasPrefix(toks, []string{"and", "over"}):
		toks = append([]string{"+"}, toks[2:]...)
	case hasPrefix(toks, []string{"plus"}):
		toks[0] = "+"
	case hasPrefix(toks, []string{"or", "so"}):
		toks = toks[2:]
	}
	if len(toks) > 0 && toks[0] == "+" {
		if q != qualNone || isRange {
			return schema.Estimate{}, casualtyErr(": \"+\" after a range or qualifier")
		}
		q = qualAtLeast
		toks = toks[1:]
	}
	// trailing words: nouns and verbs ("killed", "guards"), never a figure
	for _, t := range toks {
		if !isPlainWord(t) || utf8.RuneCountInString(t) < 2 {
			return schema.Estimate{}, casualtyErr(": unexpected " + strconv.Quote(t))
		}
		if _, ok := numberWords[t]; ok {
			return schema.Estimate{}, casualtyErr(": a second figure " + strconv.Quote(t))
		}
		if _, ok := scaleWords[t]; ok {
			return schema.Estimate{}, casualtyErr(": a second figure " + strconv.Quote(t))
		}
		if _, ok := vaguePlural[t]; ok {
			return schema.Estimate{}, casualtyErr(": a second figure " + strconv.Quote(t))
		}
		if numberDerivative(t) {
			return schema.Estimate{}, casualtyErr(": a second number " + strconv.Quote(t))
		}
	}
	if hi > math.MaxInt32 || lo > math.MaxInt32 {
		return schema.Estimate{}, casualtyErr(": exceeds the int32 range")
	}
	var best int64
	if isRange {
		if vague {
			best = int64(math.Floor(math.Sqrt(float64(lo) * float64(hi))))
			// guard against float rounding at exact squares
			for (best+1)*(best+1) <= lo*hi {
				best++
			}
			for best*best > lo*hi {
				best--
			}
		} else {
			best = lo + (hi-lo)/2
		}
	}
	switch q {
	case qualAtLeast:
		return schema.Estimate{Low: i32(lo), Best: i32(lo)}, nil
	case qualUpTo:
		return schema.Estimate{Best: i32(hi), High: i32(hi)}, nil
	case qualBelow:
		if hi == 0 {
			return schema.Estimate{}, casualtyErr(": fewer than zero")
		}
		return schema.Estimate{Best: i32(hi - 1), High: i32(hi - 1)}, nil
	}
	if !isRange {
		return schema.Exact(int32(lo)), nil
	}
	return schema.Estimate{Low: i32(lo), Best: i32(best), High: i32(hi)}, nil
}

// boundSuffix reports whether toks start with "or more", "and more", "or
// over", "and over" or "or so", which follow a figure without being a range.
func boundSuffix(toks []string) bool {
	return len(toks) >= 2 && (toks[0] == "or" || toks[0] == "and") &&
		(toks[1] == "more" || toks[1] == "over" || toks[0] == "or" && toks[1] == "so")
}

func i32(v int64) schema.NullInt32 { return schema.Int32(int32(v)) }

func skipApprox(toks []string) []string {
	for _, p := range approxPhrases {
		if hasPrefix(toks, p) && len(toks) > len(p) {
			return toks[len(p):]
		}
	}
	return toks
}

func hasPrefix(toks, p []string) bool {
	if len(toks) < len(p) {
		return false
	}
	for i := range p {
		if toks[i] != p[i] {
			return false
		}
	}
	return true
}

func allWords(toks []string) bool {
	for _, t := range toks {
		if !isPlainWord(t) {
			return false
		}
		if _, ok := numberWords[t]; ok {
			return false
		}
	}
	return true
}

func isPlainWord(t string) bool {
	if t == "" {
		return false
	}
	for _, r := range t {
		if !unicode.IsLetter(r) && r != '-' && r != '\'' {
			return false
		}
	}
	return true
}

// readQuantity reads one figure at the head of toks: digits ("1,000",
// "2.5 million"), number words ("two hundred and five", "a dozen") or a
// vague quantity. It returns the low and high of the figure (equal for an
// exact figure) and the tokens after it.
func readQuantity(toks []string) (lo, hi int64, vague bool, rest []string, err error) {
	if len(toks) == 0 {
		return 0, 0, false, nil, casualtyErr(": no figure")
	}
	t := toks[0]
	// vague phrases first: they start with words that are also articles
	switch {
	case hasPrefix(toks, []string{"tens", "of", "thousands"}):
		return 20000, 99999, true, toks[3:], nil
	case hasPrefix(toks, []string{"hundreds", "of", "thousands"}):
		return 200000, 999999, true, toks[3:], nil
	case hasPrefix(toks, []string{"a", "couple", "of"}), hasPrefix(toks, []string{"a", "couple"}), t == "couple":
		n := 2
		if t == "couple" {
			n = 1
		} else if len(toks) > 2 && toks[2] == "of" {
			n = 3
		}
		rest = toks[n:]
		if len(rest) > 0 {
			if u, ok := scaleWords[rest[0]]; ok {
				return 2 * u, 2 * u, false, rest[1:], nil
			}
		}
		return 2, 2, false, rest, nil
	}
	if v, ok := vaguePlural[t]; ok {
		rest = toks[1:]
		if len(rest) > 0 && rest[0] == "of" {
			rest = rest[1:]
		}
		return v.lo, v.hi, true, rest, nil
	}
	var vs span
	vn := 0
	switch {
	case hasPrefix(toks, []string{"a", "few"}):
		vs, vn = span{2, 5}, 2
	case hasPrefix(toks, []string{"a", "handful", "of"}):
		vs, vn = span{2, 5}, 3
	case hasPrefix(toks, []string{"a", "handful"}):
		vs, vn = span{2, 5}, 2
	case t == "few":
		vs, vn = span{2, 5}, 1
	case t == "several":
		vs, vn = span{3, 9}, 1
	}
	if vn > 0 {
		rest = toks[vn:]
		if len(rest) > 0 {
			if u, ok := scaleWords[rest[0]]; ok {
				return vs.lo * u, vs.hi * u, true, rest[1:], nil
			}
		}
		return vs.lo, vs.hi, true, rest, nil
	}
	// digits, possibly scaled: "1,000", "2 million", "1.5 million"
	if c := t[0]; c >= '0' && c <= '9' || c == '.' {
		whole, frac, fracDigits, ok := parseDigits(t)
		if !ok {
			return 0, 0, false, nil, casualtyErr(": unreadable number " + strconv.Quote(t))
		}
		rest = toks[1:]
		if len(rest) > 0 {
			if u, ok := scaleWords[rest[0]]; ok && u >= 100 {
				v := whole * u
				if fracDigits > 0 {
					p := int64(1)
					for range fracDigits {
						p *= 10
					}
					if frac*u%p != 0 {
						return 0, 0, false, nil, casualtyErr(": fractional figure")
					}
					v += frac * u / p
				}
				if whole > math.MaxInt32 || v > math.MaxInt32 {
					return 0, 0, false, nil, casualtyErr(": exceeds the int32 range")
				}
				return v, v, false, rest[1:], nil
			}
		}
		if frac != 0 {
			return 0, 0, false, nil, casualtyErr(": fractional figure")
		}
		return whole, whole, false, rest, nil
	}
	// number words
	var total, cur int64
	lastBig := int64(math.MaxInt64) // the last scale >= 1000 applied: the next must be smaller
	seen := false
	i := 0
	for i < len(toks) {
		w := toks[i]
		if u, ok := scaleWords[w]; ok && !seen && u >= 100 {
			// a bare scale first: "hundred fifteen", "thousand nine hundred
			// twenty" (as "a hundred", "a thousand")
			cur, seen = 1, true
			continue
		}
		if w == "a" || w == "an" || w == "one" && i+1 < len(toks) && isScale(toks[i+1]) && !(seen && cur != 0) {
			if i+1 < len(toks) && isScale(toks[i+1]) {
				if w != "one" && seen && cur != 0 {
					break
				}
				cur = 1
				seen = true
				i++
				continue
			}
			break
		}
		if v, ok := compoundNumber(w); ok {
			if seen && cur != 0 {
				// "two hundred five", "twenty one"; not "five six"
				tensThenUnit := cur%100 >= 20 && cur%10 == 0 && v >= 1 && v <= 9
				hundredsThenSmall := cur%100 == 0 && v < 100 && v != 0
				// "one fifty" is 150, as said aloud: a lone unit before
				// tens or teens, nothing before it ("sixty fifteen" and
				// "ten five" stay rejects)
				spokenHundreds := total == 0 && lastBig == math.MaxInt64 && cur >= 1 && cur <= 9 && v >= 10 && v <= 99 &&
					(i+1 >= len(toks) || !isScale(toks[i+1]))
				switch {
				case tensThenUnit || hundredsThenSmall:
				case spokenHundreds:
					cur *= 100
				default:
					v = -1
				}
				if v < 0 {
					break
				}
			}
			cur += v
			seen = true
			i++
			continue
		}
		u, ok := scaleWords[w]
		if !ok && seen && cur != 0 {
			// "thirty-five thousands", "sixty hundreds": a plural scale
			// after a figure is the scale
			u, ok = pluralScales[w]
		}
		if ok && seen {
			if cur == 0 || u == 100 && cur >= 100 || u == 12 && cur >= 12 || u >= 1000 && u >= lastBig {
				break // "five thousand million", "two hundred hundred", "million four million"
			}
			switch {
			case u >= 1000:
				total += cur * u
				cur = 0
				lastBig = u
			default:
				cur *= u
			}
			i++
			if total > math.MaxInt32 || cur > math.MaxInt32 {
				return 0, 0, false, nil, casualtyErr(": exceeds the int32 range")
			}
			continue
		}
		if w == "and" && seen && i+1 < len(toks) {
			if _, ok := compoundNumber(toks[i+1]); ok && (cur >= 100 || total > 0) && cur%100 == 0 {
				i++
				continue
			}
		}
		break
	}
	if !seen {
		return 0, 0, false, nil, casualtyErr(": no figure")
	}
	v := total + cur
	if v > math.MaxInt32 {
		return 0, 0, false, nil, casualtyErr(": exceeds the int32 range")
	}
	return v, v, false, toks[i:], nil
}

func isScale(w string) bool { _, ok := scaleWords[w]; return ok }

// pluralScales are the plural scales that follow a figure ("thirty-five
// thousands"); at the head of a phrase they are vague ("hundreds").
var pluralScales = map[string]int64{
	"hundreds": 100, "thousands": 1000, "millions": 1000000, "billions": 1000000000,
}

// splitNumberTokens spells number words out as separate tokens:
// "two-hundred" as "two hundred", "twentyone-thousand-four-hundred-and-
// seventy-three" word by word, "thirtyseven" (tens and unit written
// together) as "thirty seven". Other tokens are kept as they are.
func splitNumberTokens(toks []string) []string {
	var out []string
	for i, t := range toks {
		parts, ok := numberParts(t)
		if !ok {
			if out != nil {
				out = append(out, t)
			}
			continue
		}
		if out == nil {
			out = append(make([]string, 0, len(toks)+len(parts)), toks[:i]...)
		}
		out = append(out, parts...)
	}
	if out == nil {
		return toks
	}
	return out
}

// numberParts splits one token made only of number words; ok=false when it
// is not such a token or needs no split.
func numberParts(t string) ([]string, bool) {
	if t == "" || t[0] < 'a' || t[0] > 'z' {
		return nil, false
	}
	if !strings.Contains(t, "-") {
		if p, ok := gluedTens(t); ok {
			return p, true
		}
		return nil, false
	}
	var parts []string
	for _, p := range strings.Split(t, "-") {
		_, num := numberWords[p]
		_, scale := scaleWords[p]
		switch {
		case num || scale || p == "and" && len(parts) > 0:
			parts = append(parts, p)
		default:
			g, ok := gluedTens(p)
			if !ok {
				return nil, false
			}
			parts = append(parts, g...)
		}
	}
	if p := parts[len(parts)-1]; p == "and" {
		return nil, false
	}
	return parts, true
}

// gluedTens splits "twentyone" into "twenty", "one".
func gluedTens(w string) ([]string, bool) {
	for _, tens := range []string{"twenty", "thirty", "forty", "fourty", "fifty", "sixty", "seventy", "eighty", "ninety"} {
		if rest, ok := strings.CutPrefix(w, tens); ok {
			if v, ok := numberWords[rest]; ok && v >= 1 && v <= 9 {
				return []string{tens, rest}, true
			}
		}
	}
	return nil, false
}

// numberDerivative reports a word made of a number word and an ordinal or
// fraction ending ("oneths", "twentieth", "fifths"): after a figure it is a
// second number, not a noun.
func numberDerivative(w string) bool {
	if stem, ok := strings.CutSuffix(w, "s"); ok && stem != "" && numberDerivative(stem) {
		return true
	}
	for _, suf := range []string{"th", "ieth"} {
		if stem, ok := strings.CutSuffix(w, suf); ok && stem != "" {
			if _, ok := numberWords[stem]; ok {
				return true
			}
			if _, ok := numberWords[stem+"y"]; ok { // "twentieth"
				return true
			}
			if _, ok := numberWords[stem+"e"]; ok { // "nineth"
				return true
			}
		}
	}
	switch w {
	case "fifth", "eighth", "ninth", "twelfth": // irregular; "first", "second", "third" stay words ("in a second attack")
		return true
	}
	return false
}

// compoundNumber reads "seven", "twenty", "twenty-one".
func compoundNumber(w string) (int64, bool) {
	if v, ok := numberWords[w]; ok {
		return v, true
	}
	tens, ones, ok := strings.Cut(w, "-")
	if !ok {
		return 0, false
	}
	t, ok1 := numberWords[tens]
	o, ok2 := numberWords[ones]
	if !ok1 || !ok2 || t < 20 || t%10 != 0 || o < 1 || o > 9 {
		return 0, false
	}
	return t + o, true
}

// parseDigits reads "1000", "1,000", "1 000" (already joined), "17.0",
// "1.5" and reports the fraction for scaling.
func parseDigits(t string) (whole, frac int64, fracDigits int, ok bool) {
	intPart, fracPart, hasDot := strings.Cut(t, ".")
	if strings.Contains(fracPart, ".") {
		return 0, 0, 0, false
	}
	if strings.Contains(intPart, ",") {
		groups := strings.Split(intPart, ",")
		if len(groups[0]) == 0 || len(groups[0]) > 3 {
			return 0, 0, 0, false
		}
		for _, g := range groups[1:] {
			if len(g) != 3 {
				return 0, 0, 0, false
			}
		}
		intPart = strings.Join(groups, "")
	}
	if intPart == "" && !hasDot {
		return 0, 0, 0, false
	}
	if len(intPart) > 12 {
		return math.MaxInt32 + 1, 0, 0, allDigits(intPart)
	}
	for i := 0; i < len(intPart); i++ {
		c := intPart[i]
		if c < '0' || c > '9' {
			return 0, 0, 0, false
		}
		whole = whole*10 + int64(c-'0')
	}
	if hasDot {
		if fracPart == "" || len(fracPart) > 6 || !allDigits(fracPart) {
			return 0, 0, 0, false
		}
		fracPart = strings.TrimRight(fracPart, "0")
		for i := 0; i < len(fracPart); i++ {
			frac = frac*10 + int64(fracPart[i]-'0')
		}
		fracDigits = len(fracPart)
	}
	return whole, frac, fracDigits, true
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// normalizeCasualty lowercases, folds dashes to '-', drops quote marks and
// trailing punctuation, and collapses whitespace.
func normalizeCasualty(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := true
	for _, r := range s {
		switch r {
		case '–', '—', '‒', '−', '―':
			r = '-'
		case '≥', '>':
			b.WriteString(" at least ")
			space = true
			continue
		case '≤':
			b.WriteString(" up to ")
			space = true
			continue
		case '<':
			b.WriteString(" fewer than ")
			space = true
			continue
		case '"', '“', '”', '″', '′', '‘', '`', '«', '»', '*':
			continue
		case '’':
			r = '\''
		case '\u00a0', '\u2009', '\u202f', '\t', '\n', '\r':
			r = ' '
		}
		if r == utf8.RuneError {
			continue
		}
		if r == ' ' {
			if !space {
				b.WriteByte(' ')
			}
			space = true
			continue
		}
		space = false
		b.WriteRune(unicode.ToLower(r))
	}
	out := strings.TrimSpace(b.String())
	out = strings.TrimRight(out, ".,;:!)( '")
	return strings.TrimLeft(out, "( '")
}

// tokenizeCasualty splits the normalized text into words, numbers and the
// symbols '-', '+', '~'. A hyphen between letters stays inside the word
// ("twenty-one"); digits keep ',' and '.' between them ("1,000", "2.5").
func tokenizeCasualty(s string) []string {
	var toks []string
	i := 0
	for i < len(s) {
		c := s[i]
		switch {
		case c == ' ' || c == ',' || c == ';' || c == ':' || c == '(' || c == ')' || c == '[' || c == ']' || c == '!':
			i++
		case c == '-' || c == '+' || c == '~' || c == '?' || c == '/' || c == '&':
			toks = append(toks, s[i:i+1])
			i++
		case c == '.':
			// "approx." "c." abbreviation periods
			if i+1 < len(s) && s[i+1] >= '0' && s[i+1] <= '9' {
				j := i + 1
				for j < len(s) && s[j] >= '0' && s[j] <= '9' {
					j++
				}
				toks = append(toks, s[i:j])
				i = j
				continue
			}
			i++
		case c >= '0' && c <= '9':
			j := i
			for j < len(s) {
				d := s[j]
				if d >= '0' && d <= '9' {
					j++
					continue
				}
				if (d == ',' || d == '.') && j+1 < len(s) && s[j+1] >= '0' && s[j+1] <= '9' {
					j++
					continue
				}
				break
			}
			// a letter glued to the digits ("1O", "17killed") makes the
			// token unreadable rather than a number and a word
			// (digits and an exponent sign after it too: "1e308", "1e+5"
			// are quoted whole in the error)
			glued := false
			for j < len(s) {
				r, size := utf8.DecodeRuneInString(s[j:])
				switch {
				case unicode.IsLetter(r):
					glued = true
				case glued && (r >= '0' && r <= '9' || (r == '+' || r == '-') && (s[j-1] == 'e' || s[j-1] == 'E')):
				default:
					size = 0
				}
				if size == 0 {
					break
				}
				j += size
			}
			toks = append(toks, s[i:j])
			i = j
		default:
			j := i
			for j < len(s) {
				r, size := utf8.DecodeRuneInString(s[j:])
				if unicode.IsLetter(r) || r == '\'' {
					j += size
					continue
				}
				if r == '-' && j > i && j+1 < len(s) {
					r2, _ := utf8.DecodeRuneInString(s[j+1:])
					if unicode.IsLetter(r2) {
						j++
						continue
					}
				}
				if r == '/' && s[i:j] == "n" && j+1 < len(s) && s[j+1] == 'a' {
					j++
					continue
				}
				break
			}
			if j == i {
				// a symbol we do not read: keep it so the parse fails on it
				_, size := utf8.DecodeRuneInString(s[i:])
				toks = append(toks, s[i:i+size])
				i += size
				continue
			}
			toks = append(toks, s[i:j])
			i = j
		}
	}
	return toks
}
