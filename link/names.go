package link

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Words that say nothing about who an actor is, dropped before names are
// compared: articles and prepositions, and the generic nouns of unnamed
// actors ("Unidentified Armed Group (Syria)" names nobody).
var actorStopwords = map[string]bool{
	"of": true, "the": true, "and": true, "in": true, "for": true, "de": true, "du": true, "des": true,
	"la": true, "le": true, "al": true, "el": true, "i": true, "e": true, "a": true, "an": true,
	"unknown": true, "unidentified": true, "armed": true, "group": true, "groups": true, "gunmen": true,
	"forces": true, "force": true, "men": true, "individuals": true, "perpetrators": true,
	"other": true, "others": true, "faction": true,
}

// stateWords are the ways the datasets name a state's own forces: ACLED's
// "Military Forces of Sudan (2019-)" and "Police Forces of Sudan", UCDP's
// "Government of Sudan", GTD targets' "Military" and "Police". They all
// become one token, so that the state side of an event matches across
// datasets.
var stateWords = map[string]bool{
	"government": true, "military": true, "police": true, "army": true, "gendarmerie": true,
	"soldiers": true, "troops": true, "security": true, "navy": true, "air": true,
}

const stateToken = "#state"

// civilianWords are the ways the datasets name unarmed victims: ACLED's
// "Civilians (Syria)", UCDP's "Civilians", GTD targets' "Villagers",
// "Private Citizens & Property", "Students".
var civilianWords = map[string]bool{
	"civilians": true, "civilian": true, "villagers": true, "residents": true, "citizens": true,
	"students": true, "worshippers": true, "passengers": true, "private": true, "pilgrims": true,
}

const civilianToken = "#civilians"

// stateContext are the words beside state words in the GTD's targets
// ("Army checkpoint", "Police patrol") that do not name a group.
var stateContext = map[string]bool{
	"checkpoint": true, "patrol": true, "convoy": true, "base": true, "post": true, "barracks": true,
	"officers": true, "officer": true, "personnel": true, "headquarters": true, "station": true,
	"forces": true, "units": true, "unit": true, "special": true, "national": true, "guard": true,
	"republic": true, "federal": true, "border": true,
}

// acronymSkip are the words initials leave out: "Islamic State of Iraq and
// the Levant" is ISIL, "Al Qaeda in the Arabian Peninsula" AQAP,
// "Tehrik-i-Taliban Pakistan" TTP.
var acronymSkip = map[string]bool{
	"of": true, "the": true, "and": true, "in": true, "for": true, "de": true, "du": true, "des": true,
	"la": true, "le": true, "i": true, "e": true, "a": true, "an": true,
}

// tokenizeActor splits an actor name into its comparable words: case and
// accents folded, the dates of ACLED's bracketed years ("(1991-)",
// "(2019-2024)") dropped, stop words dropped, state words made one token,
// and the words of the event's country (countryWords) dropped, since most
// actors of a country carry its name. The acronym (initials of the
// remaining words of the name before any bracket or colon part, or the
// part before ACLED's "TTP: ..." colon) is returned apart.
func tokenizeActor(name string, countryWords map[string]bool) (tokens []string, acronym string) {
	folded := foldText(name)
	// ACLED writes "TTP: Tehrik-i-Taliban Pakistan"; GTD "... (TTP)".
	main := folded
	if i := strings.Index(folded, ": "); i > 0 && i <= 12 && !strings.ContainsAny(folded[:i], " ") {
		acronym = folded[:i]
		main = folded[i+2:]
	}
	words := splitWords(folded)
	mainWords := splitWords(stripBrackets(main))
	// State words make the state token only in a name of nothing else
	// (words of two letters aside: UCDP's "DR Congo")
	// ("Military Forces of Syria", "Army checkpoint"); in "Arakan Army" or
	// "Kachin Independence Army" they are the group's own words.
	named := false
	for _, w := range mainWords { // brackets hold old names: "Government of DR Congo (Zaire)"
		if len(w) > 2 && !actorStopwords[w] && !countryWords[w] && !isYearish(w) && !stateWords[w] && !stateContext[w] {
			named = true
			break
		}
	}
	seen := map[string]bool{}
	for _, w := range words {
		if actorStopwords[w] || countryWords[w] || isYearish(w) {
			continue
		}
		switch {
		case !named && stateWords[w]:
			w = stateToken
		case !named && stateContext[w]:
			continue
		case civilianWords[w]:
			w = civilianToken
		}
		if !seen[w] {
			seen[w] = true
			tokens = append(tokens, w)
		}
	}
	if acronym == "" {
		var b []byte
		n := 0
		for _, w := range mainWords {
			if acronymSkip[w] || isYearish(w) {
				continue
			}
			r, _ := utf8.DecodeRuneInString(w)
			b = utf8.AppendRune(b, r)
			n++
		}
		if n >= 2 && !strings.ContainsRune(string(b), '#') {
			acronym = string(b)
		}
	}
	slices.Sort(tokens)
	return tokens, acronym
}

// isYearish reports a word of digits (ACLED's "(2019-)" or a "1991").
func isYearish(w string) bool {
	for i := 0; i < len(w); i++ {
		if w[i] < '0' || w[i] > '9' {
			return false
		}
	}
	return len(w) > 0
}

// stripBrackets removes every bracketed part: "islamic state (syria)" ->
// "islamic state ".
func stripBrackets(s string) string {
	if !strings.ContainsAny(s, "([") {
		return s
	}
	var b strings.Builder
	depth := 0
	for _, r := range s {
		switch r {
		case '(', '[':
			depth++
			continue
		case ')', ']':
			if depth > 0 {
				depth--
			}
			continue
		}
		if depth == 0 {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// foldText lowers case and removes accents: "Côte d'Ivoire" -> "cote d'ivoire".
func foldText(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		return strings.ToLower(s)
	}
	var b strings.Builder
	for _, r := range norm.NFD.String(s) {
		if unicode.Is(unicode.Mn, r) {
			continue
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

// splitWords splits folded text at every character that is not a letter or
// digit; "al-shabaab" gives "al", "shabaab".
func splitWords(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

// Words of administrative unit names that differ between datasets for the
// same unit: UCDP's "Nord-Kivu province" and "Rif Dimashq governorate" are
// ACLED's "Nord-Kivu" and "Rif Dimashq".
var adminWords = map[string]bool{
	"province": true, "provincia": true, "governorate": true, "region": true, "state": true,
	"oblast": true, "district": true, "department": true, "departement": true, "prefecture": true,
	"county": true, "division": true, "municipality": true, "territory": true, "city": true,
	"krai": true, "kray": true, "republic": true, "of": true, "the": true, "wilayah": true, "muhafazat": true,
}

// normalizeAdmin gives the comparable form of an admin1 name: folded, the
// generic words dropped, the rest joined by one space.
func normalizeAdmin(s string) string {
	if s == "" {
		return ""
	}
	words := splitWords(foldText(s))
	out := words[:0]
	for _, w := range words {
		if !adminWords[w] {
			out = append(out, w)
		}
	}
	return strings.Join(out, " ")
}

// countryWordSet returns the words of a country's name to drop from its
// actors' names.
func countryWordSet(name, iso3 string) map[string]bool {
	m := map[string]bool{}
	for _, w := range splitWords(foldText(name)) {
		if !actorStopwords[w] {
			m[w] = true
		}
	}
	if iso3 != "" {
		m[strings.ToLower(iso3)] = true
	}
	return m
}
