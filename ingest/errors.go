package ingest

import (
	"errors"

	"github.com/incidentkit/incidents/ingest/profile"
	"github.com/incidentkit/incidents/ingest/source"
	"github.com/incidentkit/incidents/ingest/value"
	"github.com/incidentkit/incidents/schema"
)

// Causes of rejected rows found by the pipeline, for errors.Is. The readers'
// (package source), the layouts' (package profile) and the value parsers'
// (package value) are theirs.
//
// Every error of a run that concerns an input is a *source.Error (file,
// and line, column and field where known) wrapping its cause; the sentinels
// are bare, as encoding/csv's, and the "ingest: " prefix is the
// source.Error's, once.
var (
	ErrDuplicateID = errors.New("duplicate incident id")
	ErrInvalid     = errors.New("row breaks a schema invariant")
	// ErrNoHeaderLayout: --no-header with a layout whose column order is
	// not fixed (or with none named).
	ErrNoHeaderLayout = errors.New("no header row and no fixed column order")
)

// reasonKind names the class of a reject cause.
func reasonKind(err error) string {
	switch {
	case errors.Is(err, value.ErrBadCasualty):
		return "bad_casualty"
	case errors.Is(err, value.ErrAmbiguousDate):
		return "ambiguous_date"
	case errors.Is(err, value.ErrBadDate):
		return "bad_date"
	case errors.Is(err, value.ErrBadTime):
		return "bad_time"
	case errors.Is(err, value.ErrUnknownCountry):
		return "unknown_country"
	case errors.Is(err, source.ErrRaggedRow):
		return "ragged_row"
	case errors.Is(err, ErrDuplicateID):
		return "duplicate_id"
	case errors.Is(err, schema.ErrRequired):
		return "missing_required"
	case errors.Is(err, profile.ErrBadNumber):
		return "bad_number"
	case errors.Is(err, profile.ErrHXLRow):
		return "hxl_tags"
	case errors.Is(err, profile.ErrUnknownValue):
		return "unknown_code"
	case errors.Is(err, source.ErrDuplicateColumn):
		return "duplicate_key"
	case errors.Is(err, source.ErrTooLarge):
		return "too_large"
	case errors.Is(err, source.ErrSyntax):
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
