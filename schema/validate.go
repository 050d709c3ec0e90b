package schema

import (
	"errors"
	"fmt"
	"math"
	"strings"
)

// Sentinel causes of invariant violations, for errors.Is.
var (
	ErrRequired    = errors.New("required value missing")
	ErrNegative    = errors.New("count is negative")
	ErrOrder       = errors.New("low <= best <= high violated")
	ErrBreakdown   = errors.New("party breakdown exceeds fatalities_high")
	ErrDateOrder   = errors.New("date_start after date_end")
	ErrCoordinates = errors.New("coordinates out of range or only one given")
	ErrCountryCode = errors.New("country_iso3 is not three upper-case letters")
	ErrSourceCount = errors.New("source_count is less than the number of sources")
)

// FieldError is one broken invariant, naming the column at fault.
type FieldError struct {
	Field string // column name, as in Columns
	Value string // the offending value(s), as text
	Err   error  // one of the sentinel causes
}

func (e *FieldError) Error() string {
	if e.Value == "" {
		return fmt.Sprintf("schema: %s: %v", e.Field, e.Err)
	}
	return fmt.Sprintf("schema: %s: %v (%s)", e.Field, e.Err, e.Value)
}

func (e *FieldError) Unwrap() error { return e.Err }

// ValidationError lists every invariant a row breaks.
type ValidationError []*FieldError

func (v ValidationError) Error() string {
	parts := make([]string, len(v))
	for i, e := range v {
		parts[i] = e.Error()
	}
	return strings.Join(parts, "; ")
}

// Unwrap returns the individual field errors, so errors.Is and errors.As
// see each of them.
func (v ValidationError) Unwrap() []error {
	errs := make([]error, len(v))
	for i, e := range v {
		errs[i] = e
	}
	return errs
}

// Validate checks the invariants of SCHEMA.md: required columns present,
// counts non-negative, low <= best <= high wherever present, the party
// breakdown not above fatalities_high, date_start <= date_end, coordinates
// in range or both null, and source_count covering the sources. It returns
// nil or a ValidationError naming every broken invariant.
func (in *Incident) Validate() error {
	var errs ValidationError
	add := func(field, value string, err error) {
		errs = append(errs, &FieldError{Field: field, Value: value, Err: err})
	}
	if in.IncidentID == "" {
		add("incident_id", "", ErrRequired)
	}
	if in.SourceDataset == "" {
		add("source_dataset", "", ErrRequired)
	}
	if in.Country == "" {
		add("country", "", ErrRequired)
	}
	if !isISO3(in.CountryISO3) {
		add("country_iso3", fmt.Sprintf("%q", in.CountryISO3), ErrCountryCode)
	}
	if in.DateStart > in.DateEnd {
		add("date_start", in.DateStart.String()+" > "+in.DateEnd.String(), ErrDateOrder)
	}
	if in.Latitude.Valid != in.Longitude.Valid {
		add("latitude", "only one of latitude and longitude given", ErrCoordinates)
	} else if in.Latitude.Valid {
		lat, lon := in.Latitude.Value, in.Longitude.Value
		if math.IsNaN(lat) || lat < -90 || lat > 90 {
			add("latitude", fmt.Sprint(lat), ErrCoordinates)
		}
		if math.IsNaN(lon) || lon < -180 || lon > 180 {
			add("longitude", fmt.Sprint(lon), ErrCoordinates)
		}
	}
	checkEstimate := func(prefix string, e Estimate) {
		for _, p := range []struct {
			name string
			n    NullInt32
		}{{"_low", e.Low}, {"_best", e.Best}, {"_high", e.High}} {
			if p.n.Valid && p.n.Value < 0 {
				add(prefix+p.name, p.n.String(), ErrNegative)
			}
		}
		if e.Low.Valid && e.Best.Valid && e.Low.Value > e.Best.Value {
			add(prefix+"_low", e.Low.String()+" > best "+e.Best.String(), ErrOrder)
		}
		if e.Best.Valid && e.High.Valid && e.Best.Value > e.High.Value {
			add(prefix+"_high", e.High.String()+" < best "+e.Best.String(), ErrOrder)
		}
		if e.Low.Valid && e.High.Valid && !e.Best.Valid && e.Low.Value > e.High.Value {
			add(prefix+"_low", e.Low.String()+" > high "+e.High.String(), ErrOrder)
		}
	}
	checkEstimate("fatalities", in.Fatalities)
	checkEstimate("injured", in.Injured)
	checkEstimate("detained", in.Detained)
	var parts int64
	for _, p := range []struct {
		name string
		n    NullInt32
	}{
		{"fatalities_actor1", in.FatalitiesActor1},
		{"fatalities_actor2", in.FatalitiesActor2},
		{"fatalities_civilians", in.FatalitiesCivilians},
		{"fatalities_unknown", in.FatalitiesUnknown},
	} {
		if !p.n.Valid {
			continue
		}
		if p.n.Value < 0 {
			add(p.name, p.n.String(), ErrNegative)
			continue
		}
		parts += int64(p.n.Value)
	}
	if in.Fatalities.High.Valid && parts > int64(in.Fatalities.High.Value) {
		add("fatalities_high", fmt.Sprintf("parties sum to %d > high %d", parts, in.Fatalities.High.Value), ErrBreakdown)
	}
	if in.SourceCount < 0 || int(in.SourceCount) < len(in.Sources) {
		add("source_count", fmt.Sprintf("%d for %d sources", in.SourceCount, len(in.Sources)), ErrSourceCount)
	}
	if len(errs) == 0 {
		return nil
	}
	return errs
}

func isISO3(s string) bool {
	if len(s) != 3 {
		return false
	}
	for i := 0; i < 3; i++ {
		if s[i] < 'A' || s[i] > 'Z' {
			return false
		}
	}
	return true
}
