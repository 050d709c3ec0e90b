package value

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"
)

// ActorKey is the form under which two spellings of an actor are one name:
// the name in Unicode NFKC (full-width letters, ligatures, the no-break
// space and other compatibility forms become their plain forms), case
// folded (Unicode full case folding: "AL SHABAAB" and "al shabaab", "ß"
// and "ss"), then
//
//   - every dash (Unicode category Pd: the ASCII hyphen-minus, U+2010
//     hyphen, U+2011 non-breaking hyphen, U+2012 figure dash, U+2013 en
//     dash, U+2014 em dash, ...) and the minus sign U+2212 read as a space,
//     so "al-Shabaab", "Al‐Shabaab" and "AL SHABAAB" are one name;
//   - the apostrophes and the letters transliterations use for them
//     (U+2018 ‘, U+2019 ’, U+201B ‛, U+2032 ′, U+02BC ʼ, U+02BB ʻ, U+02BE ʾ,
//     U+02BF ʿ, the grave accent ` and the acute accent ´) read as the ASCII
//     apostrophe ', and the double quotation marks U+201C “, U+201D ”,
//     U+201E „ and U+201F ‟ as the ASCII ";
//   - format characters (category Cf: the soft hyphen, zero-width spaces
//     and joiners, direction marks, a stray byte order mark) are dropped;
//   - runs of white space become one space, and leading and trailing space
//     goes.
//
// Nothing else is folded: other punctuation, accents ("Côte" is not
// "Cote") and spellings of a transliteration ("Jamaat" is not "Jama'at")
// stay apart.
func ActorKey(s string) string { return string(AppendActorKey(nil, s)) }

// AppendActorKey appends ActorKey(s) to dst. An ASCII name takes no
// allocation beyond dst's growth.
func AppendActorKey(dst []byte, s string) []byte {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if !ascii {
		// The marks first (NFKC would make the acute accent a space and a
		// combining accent), then NFKC, fold, and NFKC again: folding can
		// undo the normal form (NFKC_Casefold, approximately, without its
		// removal of ignorables, which the Cf rule does).
		s = strings.Map(foldMark, s)
		s = norm.NFKC.String(cases.Fold().String(norm.NFKC.String(s)))
	}
	space := true // at the start: leading space is dropped
	start := len(dst)
	for i := 0; i < len(s); {
		c := s[i]
		var r rune
		if c < utf8.RuneSelf {
			i++
			switch {
			case 'A' <= c && c <= 'Z':
				r = rune(c + 'a' - 'A')
			case c == '-':
				r = ' '
			case c == '`':
				r = '\''
			default:
				r = rune(c)
			}
		} else {
			var size int
			r, size = utf8.DecodeRuneInString(s[i:])
			i += size
			if r = foldMark(r); r < 0 {
				continue
			}
			// Case folding maps Cherokee to its capitals, lower casing to its
			// small letters, and cases.Fold of "ꮮ" is "Ꮮ" but of "Ꮮ" is "ꮮ":
			// lower casing after folding makes a key its own key
			// (FuzzActorKey found "0000000000ꮮ").
			r = unicode.ToLower(r)
		}
		if r == ' ' || r < utf8.RuneSelf && (r == '\t' || r == '\n' || r == '\v' || r == '\f' || r == '\r') ||
			r >= utf8.RuneSelf && unicode.IsSpace(r) {
			if !space {
				dst = append(dst, ' ')
				space = true
			}
			continue
		}
		space = false
		dst = utf8.AppendRune(dst, r)
	}
	if space && len(dst) > start { // a trailing space
		dst = dst[:len(dst)-1]
	}
	return dst
}

// foldMark maps the dashes to a space, the apostrophes and double
// quotation marks to their ASCII forms, and a format character to -1
// (dropped by strings.Map); other runes are unchanged.
func foldMark(r rune) rune {
	switch r {
	case '-', '\u2212':
		return ' '
	case '`', '\u00b4', '\u2018', '\u2019', '\u201b', '\u2032', '\u02bc', '\u02bb', '\u02be', '\u02bf':
		return '\''
	case '\u201c', '\u201d', '\u201e', '\u201f':
		return '"'
	}
	if r >= utf8.RuneSelf {
		if unicode.Is(unicode.Pd, r) {
			return ' '
		}
		if unicode.Is(unicode.Cf, r) {
			return -1
		}
	}
	return r
}

// SameActor reports whether a and b are spellings of one name (equal
// ActorKey).
func SameActor(a, b string) bool {
	if a == b {
		return true
	}
	var ba, bb [128]byte
	return string(AppendActorKey(ba[:0], a)) == string(AppendActorKey(bb[:0], b))
}
