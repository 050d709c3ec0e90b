package profile

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/incidentkit/incidents/ingest/value"
	"github.com/incidentkit/incidents/schema"
)

// Helpers the dataset layouts share for what real exports do to their rows:
// three estimates that disagree, pandas floats in id columns, HXL tag rows,
// quoted source lists.

// ErrHXLRow is the cause of rejecting a row of HXL hashtags (#date+year,
// #affected+killed, ...): the Humanitarian Data Exchange puts one under the
// header of the files it serves (UCDP GED, ACLED). It is column metadata,
// not an event; it is rejected, not dropped, so that the accounting holds
// and the summary shows it.
var ErrHXLRow = errors.New("a row of HXL hashtags (Humanitarian Data Exchange column tags), not data")

// hxlRow reports whether r is an HXL tag row: at least three fields start
// with '#' and at most one other field (a pandas index) is non-empty. Only
// called when the id field is empty or starts with '#', so it costs nothing
// on ordinary rows.
func hxlRow(r *Row) bool {
	tags, other := 0, 0
	for _, f := range r.Fields {
		f = strings.TrimSpace(f)
		switch {
		case f == "":
		case f[0] == '#' && len(f) > 1:
			tags++
		default:
			other++
		}
	}
	return tags >= 3 && other <= 1
}

// checkHXL returns the reject of an HXL tag row, nil for any other row; id
// is the index of the layout's id column.
func checkHXL(r *Row, id int, name string) error {
	if s := r.get(id); (s == "" || s[0] == '#') && hxlRow(r) {
		return r.fail(id, name, ErrHXLRow)
	}
	return nil
}

// wholeNumberText returns an id or code as a whole number's text: pandas
// writes an integer column that held a missing value as floats ("15960.0"),
// and the id must come out as "15960". Any other text is returned as is.
func wholeNumberText(s string) string {
	if !strings.HasSuffix(s, ".0") || strings.ContainsAny(s, "eE") {
		return s
	}
	f, err := value.ParseDecimal(s)
	if err != nil || f != math.Trunc(f) || math.Abs(f) > 1<<53 {
		return s
	}
	return strconv.FormatInt(int64(f), 10)
}

// widenEstimate repairs three estimates that disagree (UCDP GED: low 7,
// best 7, high 6 on about 1% of events): best is kept, low becomes the least
// and high the greatest of the three. It returns "" when the three were in
// order (or not all given), else the note for the row's notes. Every layout
// that reads three estimates uses it, with the warning estimateWarning.
func widenEstimate(e *schema.Estimate) string {
	if !e.Low.Valid || !e.Best.Valid || !e.High.Valid {
		return ""
	}
	l, b, h := e.Low.Value, e.Best.Value, e.High.Value
	if l <= b && b <= h {
		return ""
	}
	nl, nh := min(l, b, h), max(l, b, h)
	e.Low, e.High = schema.Int32(nl), schema.Int32(nh)
	return fmt.Sprintf("estimates inconsistent in the source (low %d, best %d, high %d): best kept, low %d, high %d", l, b, h, nl, nh)
}

// estimateWarning is the summary's warning for widened estimates, one text
// so that the summary counts the rows.
func estimateWarning(layout string) string {
	return layout + ": low/best/high inconsistent: best kept, low widened to the least and high to the greatest of the three, noted in notes"
}

// appendNote appends a note to notes, "; " between.
func appendNote(notes, note string) string {
	if notes == "" {
		return note
	}
	return notes + "; " + note
}

// splitQuotedList splits a ";" list whose items may be wrapped in double
// quotes, as UCDP's source_article is (`"Support Kurds in Syria,2013-01-03,
// ...";"VDC,2013-01-03,..."`), and strips the wrapping quotes; a ";" inside
// a wrapped item does not split it. Quotes inside an item (`AFP 2009-07-27
// "65 dead ..."`) are kept, and an item UCDP cut short after its opening
// quote loses only that quote.
func splitQuotedList(s string) []string {
	var out []string
	for s = strings.TrimSpace(s); s != ""; s = strings.TrimSpace(s) {
		var item string
		if s[0] == '"' {
			if end := closingQuote(s); end > 0 {
				item, s = s[1:end], strings.TrimPrefix(strings.TrimSpace(s[end+1:]), ";")
			} else { // no closing quote before the next ';' or the end
				item, s, _ = strings.Cut(s[1:], ";")
			}
		} else {
			item, s, _ = strings.Cut(s, ";")
		}
		if item = strings.TrimSpace(item); item != "" {
			out = appendDistinct(out, item)
		}
	}
	return out
}

// closingQuote returns the index of the quote that closes s's opening one:
// a '"' followed by optional spaces and then ';' or the end; -1 if none.
func closingQuote(s string) int {
	for i := 1; i < len(s); i++ {
		if s[i] != '"' {
			continue
		}
		rest := strings.TrimLeft(s[i+1:], " \t")
		if rest == "" || rest[0] == ';' {
			return i
		}
	}
	return -1
}
