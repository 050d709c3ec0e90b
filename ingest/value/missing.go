package value

import (
	"fmt"
	"strings"
)

// DefaultMissing lists the cell texts that mean "no value" as the programs
// researchers pass files through write them, exactly as written (case
// matters, as in pandas' na_values and R's na.strings):
//
//	NA          R (write.csv, readr::write_csv), Stata's string export
//	N/A, #N/A   Excel (#N/A is its "not available" error value)
//	NaN, nan    pandas and NumPy (to_csv with na_rep, str(float("nan")))
//	<NA>        pandas' nullable dtypes (pd.NA)
//	NULL, null  SQL dumps, JSON-minded exporters
//	\N          MySQL SELECT ... INTO OUTFILE and PostgreSQL COPY
//	.           Stata's numeric missing value
//
// The empty string is always missing and need not be listed. "None" is left
// out on purpose although pandas' read_csv lists it: in a casualty column
// it is a figure (zero), so it is read as text. Lower-case "na" and "n/a"
// are not listed either: in a casualty column they remain ParseCasualty's
// "unknown" phrases, and in a text column they stay text.
var DefaultMissing = []string{"NA", "N/A", "#N/A", "NaN", "nan", "<NA>", "NULL", "null", `\N`, "."}

// MissingValues is a set of cell texts read as null in every column, text
// and number alike, compared exactly after trimming surrounding spaces. A
// nil *MissingValues is DefaultMissing; NoMissing lists none (only the empty
// string is missing). It is read-only once made, so safe for concurrent use.
type MissingValues struct {
	tokens []string
	maxLen int
	first  [256]bool // first bytes of the tokens, for a one-load miss
}

// NoMissing is the set of no tokens: only the empty string is null.
var NoMissing = NewMissingValues(nil)

var defaultMissing = NewMissingValues(DefaultMissing)

// NewMissingValues makes the set of tokens; empty tokens (after trimming)
// are dropped since the empty string is missing anyway.
func NewMissingValues(tokens []string) *MissingValues {
	m := &MissingValues{}
	for _, t := range tokens {
		t = strings.TrimSpace(t)
		if t == "" || m.has(t) {
			continue
		}
		m.tokens = append(m.tokens, t)
		m.maxLen = max(m.maxLen, len(t))
		m.first[t[0]] = true
	}
	return m
}

// ParseMissingValues reads the comma-separated list of --na ("NA,NaN,.");
// "" is NoMissing. A token may not hold a comma or be only spaces between
// commas ("NA,,NaN" is an error: say what you mean).
func ParseMissingValues(list string) (*MissingValues, error) {
	if strings.TrimSpace(list) == "" {
		return NoMissing, nil
	}
	parts := strings.Split(list, ",")
	for i, p := range parts {
		if strings.TrimSpace(p) == "" {
			return nil, fmt.Errorf("ingest: missing-value list %q: token %d is empty (the empty string is always missing)", list, i+1)
		}
	}
	return NewMissingValues(parts), nil
}

// Is reports whether s (already trimmed) is a missing-value token. The empty
// string is not a token: callers treat it as missing themselves.
func (m *MissingValues) Is(s string) bool {
	if m == nil {
		m = defaultMissing
	}
	if len(s) == 0 || len(s) > m.maxLen || !m.first[s[0]] {
		return false
	}
	return m.has(s)
}

func (m *MissingValues) has(s string) bool {
	for _, t := range m.tokens {
		if t == s {
			return true
		}
	}
	return false
}

// Tokens lists the set's tokens in the order given.
func (m *MissingValues) Tokens() []string {
	if m == nil {
		m = defaultMissing
	}
	return append([]string(nil), m.tokens...)
}

// String writes the set as --na takes it.
func (m *MissingValues) String() string { return strings.Join(m.Tokens(), ",") }
