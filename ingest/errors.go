package ingest

import (
	"errors"
	"fmt"

	"github.com/incidentkit/incidents/schema"
)

// Causes of rejected rows that are not value-parser errors, for errors.Is.
var (
	ErrRaggedRow    = errors.New("ingest: row has a different number of fields than the header")
	ErrDuplicateID  = errors.New("ingest: duplicate incident id")
	ErrRequired     = errors.New("ingest: required value missing")
	ErrBadNumber    = errors.New("ingest: unreadable number")
	ErrInvalid      = errors.New("ingest: row breaks a schema invariant")
	ErrSyntax       = errors.New("ingest: malformed input")
	ErrUnknownValue = errors.New("ingest: value outside the source's code list")
)

// RowError says why an input row was rejected, and where: like
// encoding/csv.ParseError it carries the file, the line the row starts on and
// the 1-based column of the field at fault (0 when the row as a whole is at
// fault). It wraps the cause.
type RowError struct {
	File   string // input path as given ("-" for stdin)
	Line   int64  // line (CSV, JSON Lines), row (xlsx) or object start line (JSON array)
	Column int    // 1-based column of the field at fault, 0 = whole row
	Field  string // the input column name at fault ("" = whole row)
	Text   string // the offending text
	Err    error  // the cause
}

func (e *RowError) Error() string {
	if e.Column > 0 {
		return fmt.Sprintf("ingest: %s:%d:%d: %s %q: %v", e.File, e.Line, e.Column, e.Field, e.Text, e.Err)
	}
	return fmt.Sprintf("ingest: %s:%d: %v", e.File, e.Line, e.Err)
}

func (e *RowError) Unwrap() error { return e.Err }

// Kind is the reason class used to group rejects in the summary.
func (e *RowError) Kind() string { return reasonKind(e.Err) }

// reasonKind names the class of a reject cause.
func reasonKind(err error) string {
	switch {
	case errors.Is(err, ErrBadCasualty):
		return "bad_casualty"
	case errors.Is(err, ErrAmbiguousDate):
		return "ambiguous_date"
	case errors.Is(err, ErrBadDate):
		return "bad_date"
	case errors.Is(err, ErrBadTime):
		return "bad_time"
	case errors.Is(err, ErrUnknownCountry):
		return "unknown_country"
	case errors.Is(err, ErrRaggedRow):
		return "ragged_row"
	case errors.Is(err, ErrDuplicateID):
		return "duplicate_id"
	case errors.Is(err, ErrRequired):
		return "missing_required"
	case errors.Is(err, ErrBadNumber):
		return "bad_number"
	case errors.Is(err, ErrUnknownValue):
		return "unknown_code"
	case errors.Is(err, ErrSyntax):
		return "syntax"
	case errors.Is(err, schema.ErrCoordinates):
		return "bad_coordinates"
	case errors.Is(err, schema.ErrOrder):
		return "low_above_high"
	case errors.Is(err, schema.ErrBreakdown):
		return "breakdown_above_high"
	case errors.Is(err, schema.ErrDateOrder):
		return "date_order"
	case errors.Is(err, schema.ErrNegative):
		return "negative_count"
	case errors.Is(err, ErrInvalid):
		return "invalid"
	}
	return "other"
}
