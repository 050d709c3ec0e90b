package schema

import (
	"errors"
	"fmt"
	"strings"
)

// ErrEnum is the cause of every failed enumeration parse.
var ErrEnum = errors.New("unknown value")

// enum is the shared text table behind each enumeration type. The zero value
// of every enumeration is its first name.
type enum struct {
	kind  string
	names []string
}

func (e enum) format(i uint8) string {
	if int(i) < len(e.names) {
		return e.names[i]
	}
	return fmt.Sprintf("%s(%d)", e.kind, i)
}

func (e enum) parse(s string) (uint8, error) {
	t := strings.ToLower(strings.TrimSpace(s))
	for i, n := range e.names {
		if t == n {
			return uint8(i), nil
		}
	}
	return 0, fmt.Errorf("schema: %s %q not one of %s: %w", e.kind, s, strings.Join(e.names, ", "), ErrEnum)
}

// DatePrecision says how precisely date_start..date_end locate the incident.
type DatePrecision uint8

// Date precisions, finest first.
const (
	DateDay   DatePrecision = iota // the day is known
	DateDays                       // within a few days (UCDP date_prec 2)
	DateWeek                       // within a week
	DateMonth                      // the month is known
	DateYear                       // only the year (or a longer span) is known
)

var datePrecisions = enum{"date precision", []string{"day", "days", "week", "month", "year"}}

// String returns the column value: day, days, week, month or year.
func (p DatePrecision) String() string { return datePrecisions.format(uint8(p)) }

// ParseDatePrecision parses the column value written by String.
func ParseDatePrecision(s string) (DatePrecision, error) {
	v, err := datePrecisions.parse(s)
	return DatePrecision(v), err
}

// MarshalText implements encoding.TextMarshaler.
func (p DatePrecision) MarshalText() ([]byte, error) { return []byte(p.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (p *DatePrecision) UnmarshalText(b []byte) (err error) {
	*p, err = ParseDatePrecision(string(b))
	return err
}

// GeoPrecision says how precisely the coordinates locate the incident.
type GeoPrecision uint8

// Geographic precisions. GeoUnknown is the zero value.
const (
	GeoUnknown GeoPrecision = iota // no usable location (or water/airspace)
	GeoExact                       // the place itself
	GeoNear                        // within about 25 km
	GeoAdmin2                      // somewhere in the admin2 unit
	GeoAdmin1                      // somewhere in the admin1 unit
	GeoCountry                     // somewhere in the country
)

var geoPrecisions = enum{"geo precision", []string{"unknown", "exact", "near", "admin2", "admin1", "country"}}

// String returns the column value.
func (p GeoPrecision) String() string { return geoPrecisions.format(uint8(p)) }

// ParseGeoPrecision parses the column value written by String.
func ParseGeoPrecision(s string) (GeoPrecision, error) {
	v, err := geoPrecisions.parse(s)
	return GeoPrecision(v), err
}

// MarshalText implements encoding.TextMarshaler.
func (p GeoPrecision) MarshalText() ([]byte, error) { return []byte(p.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (p *GeoPrecision) UnmarshalText(b []byte) (err error) {
	*p, err = ParseGeoPrecision(string(b))
	return err
}

// EventType is the ACLED-style top-level event category every source maps onto.
type EventType uint8

// Event types. EventUnknown is the zero value.
const (
	EventUnknown EventType = iota
	EventBattles
	EventExplosionsRemoteViolence
	EventViolenceAgainstCivilians
	EventRiots
	EventProtests
	EventStrategicDevelopments
)

var eventTypes = enum{"event type", []string{"unknown", "battles", "explosions_remote_violence",
	"violence_against_civilians", "riots", "protests", "strategic_developments"}}

// String returns the column value.
func (t EventType) String() string { return eventTypes.format(uint8(t)) }

// eventTypeLabels are the event types as ACLED's codebook writes them, for
// people (charts, tables), in the order of eventTypes.
var eventTypeLabels = []string{"Unknown", "Battles", "Explosions/remote violence",
	"Violence against civilians", "Riots", "Protests", "Strategic developments"}

// Label returns the event type in words, as ACLED's codebook writes it:
// "Explosions/remote violence" for explosions_remote_violence.
func (t EventType) Label() string {
	if int(t) < len(eventTypeLabels) {
		return eventTypeLabels[t]
	}
	return t.String()
}

// ParseEventType parses the column value written by String (not free text:
// mapping synonyms is ingest's job).
func ParseEventType(s string) (EventType, error) {
	v, err := eventTypes.parse(s)
	return EventType(v), err
}

// MarshalText implements encoding.TextMarshaler.
func (t EventType) MarshalText() ([]byte, error) { return []byte(t.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (t *EventType) UnmarshalText(b []byte) (err error) {
	*t, err = ParseEventType(string(b))
	return err
}

// ViolenceType is UCDP's type of violence. ViolenceNone (the zero value) is
// written as null.
type ViolenceType uint8

// Violence types.
const (
	ViolenceNone ViolenceType = iota // not known or not applicable: null
	ViolenceStateBased
	ViolenceNonState
	ViolenceOneSided
)

var violenceTypes = enum{"violence type", []string{"", "state_based", "non_state", "one_sided"}}

// String returns the column value; "" for ViolenceNone.
func (t ViolenceType) String() string { return violenceTypes.format(uint8(t)) }

// ParseViolenceType parses the column value written by String; "" gives ViolenceNone.
func ParseViolenceType(s string) (ViolenceType, error) {
	v, err := violenceTypes.parse(s)
	return ViolenceType(v), err
}

// MarshalText implements encoding.TextMarshaler.
func (t ViolenceType) MarshalText() ([]byte, error) { return []byte(t.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (t *ViolenceType) UnmarshalText(b []byte) (err error) {
	*t, err = ParseViolenceType(string(b))
	return err
}

// DatePrecisions, GeoPrecisions, EventTypes and ViolenceTypes list every
// value of each enumeration in order (ViolenceTypes without ViolenceNone).
var (
	DatePrecisions = []DatePrecision{DateDay, DateDays, DateWeek, DateMonth, DateYear}
	GeoPrecisions  = []GeoPrecision{GeoUnknown, GeoExact, GeoNear, GeoAdmin2, GeoAdmin1, GeoCountry}
	EventTypes     = []EventType{EventUnknown, EventBattles, EventExplosionsRemoteViolence,
		EventViolenceAgainstCivilians, EventRiots, EventProtests, EventStrategicDevelopments}
	ViolenceTypes = []ViolenceType{ViolenceStateBased, ViolenceNonState, ViolenceOneSided}
)
