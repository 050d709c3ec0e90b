package value

import (
	"errors"
	"strconv"
	"testing"

	"github.com/incidentkit/incidents/schema"
)

// TestNumberWordsOracle reads every phrase of testdata/oracles/number_words.csv
// (w2n's, numerizer's and text2num's own test cases) as a casualty figure:
// each must give its value or be a deliberate reject listed below; a wrong
// value is never allowed.
func TestNumberWordsOracle(t *testing.T) {
	rows := readOracle(t, "number_words.csv")
	matched, wrong, rejected := 0, 0, 0
	for _, r := range rows {
		want, err := strconv.ParseInt(r[1], 10, 64)
		if err != nil {
			t.Fatalf("oracle row %q: %v", r, err)
		}
		e, err := ParseCasualty(r[0])
		why, deliberate := numberRejects[r[0]]
		switch {
		case err == nil && e.Best.Valid && int64(e.Best.Value) == want && e.Low == e.Best && e.High == e.Best:
			matched++
			if deliberate {
				t.Errorf("ParseCasualty(%q) = %d, listed as a deliberate reject (%s)", r[0], want, why)
			}
		case err == nil:
			wrong++
			t.Errorf("ParseCasualty(%q) = %+v, want exactly %d (%s): a wrong value", r[0], e, want, r[2])
		default:
			rejected++
			if !errors.Is(err, ErrBadCasualty) {
				t.Errorf("ParseCasualty(%q): %v does not wrap ErrBadCasualty", r[0], err)
			}
			if !deliberate {
				t.Errorf("ParseCasualty(%q): %v, want %d (%s)", r[0], err, want, r[2])
			}
		}
	}
	t.Logf("number words oracle: %d phrases, %d read right, %d rejected, %d wrong", len(rows), matched, rejected, wrong)
}

// numberRejects are the oracle phrases we reject on purpose, with the reason.
var numberRejects = map[string]string{
	"three billion":                 "beyond the int32 range of a casualty column",
	"nineteen billion and nineteen": "beyond the int32 range of a casualty column",
	"fifty-three billion two hundred forty-three thousand seven hundred twenty-four": "beyond the int32 range of a casualty column",
}

// TestNumberWordsOracleRejects: the phrases the libraries' tests require to
// fail are never a number.
func TestNumberWordsOracleRejects(t *testing.T) {
	for _, r := range readOracle(t, "number_words_reject.csv") {
		if e, err := ParseCasualty(r[0]); err == nil && (e.Best.Valid || e.Low.Valid || e.High.Valid) {
			t.Errorf("ParseCasualty(%q) = %+v, want a reject (%s)", r[0], e, r[1])
		}
	}
}

// Every vague quantity and its range, written out by hand from SCHEMA.md's
// "Casualty phrases" (not from the table): changing a bound, or adding a word
// without a row here, fails (issue 18: the millions low bound went uncaught).
func TestCasualtyRangeWords(t *testing.T) {
	want := map[string][3]int32{ // low, best = floor(sqrt(low*high)), high
		"a few":                 {2, 3, 5},
		"a handful":             {2, 3, 5},
		"few":                   {2, 3, 5},
		"several":               {3, 5, 9},
		"dozens":                {24, 48, 99},
		"scores":                {40, 62, 99},
		"hundreds":              {200, 446, 999},
		"thousands":             {2000, 4471, 9999},
		"tens of thousands":     {20000, 44721, 99999},
		"hundreds of thousands": {200000, 447213, 999999},
		"millions":              {2000000, 4472135, 9999999},
		"several hundred":       {300, 519, 900},
		"a few dozen":           {24, 37, 60},
		"a few thousand":        {2000, 3162, 5000},
	}
	for phrase, w := range want {
		e, err := ParseCasualty(phrase)
		if err != nil || e.Low != schema.Int32(w[0]) || e.Best != schema.Int32(w[1]) || e.High != schema.Int32(w[2]) {
			t.Errorf("ParseCasualty(%q) = %+v, %v; want %d/%d/%d", phrase, e, err, w[0], w[1], w[2])
		}
	}
	for word := range vaguePlural {
		if _, ok := want[word]; !ok {
			t.Errorf("vague quantity %q has no row in TestCasualtyRangeWords", word)
		}
	}
}

// Number words a newspaper writes, and the near misses that must stay
// rejects rather than become a guessed number.
func TestNumberWordForms(t *testing.T) {
	for in, want := range map[string]int32{
		"two-hundred": 200, "twentyone": 21, "thirtyseven": 37, "hundred fifteen": 115,
		"thousand nine hundred twenty": 1920, "one fifty": 150, "one fifty five": 155,
		"fifty-one million": 51000000, "twenty-one thousand": 21000, "forty-two killed": 42,
		"two hundred and five": 205, "a hundred": 100, "thirty-five thousands": 35000,
	} {
		if e, err := ParseCasualty(in); err != nil || e != schema.Exact(want) {
			t.Errorf("ParseCasualty(%q) = %+v, %v; want %d", in, e, err, want)
		}
	}
	for _, in := range []string{"one fifty thousand", "nineteen twenty", "one hundred one fifty", "ten five",
		"sixty fifteen", "five zero", "two three", "ten oneths", "twenty fifths", "million four million",
		"hundred hundreds", "twentyone-and", "fifty-fifty", "one-two"} {
		if e, err := ParseCasualty(in); err == nil {
			t.Errorf("ParseCasualty(%q) = %+v, want a reject", in, e)
		}
	}
}
