package schema

import (
	"strconv"
	"time"
)

// Version is the schema version written to every file's metadata under
// MetadataVersionKey. A change to the columns needs a new version.
const Version = "1"

// Metadata keys written to every Parquet and Arrow file.
const (
	MetadataVersionKey = "incidents.schema_version"
)

// UnknownCountryISO3 is the country code used only where the source has no
// country (seas, airspace).
const UnknownCountryISO3 = "XXX"

// Date is a calendar day as days since 1970-01-01, the Arrow date32 value.
type Date int32

// DateOf returns the Date of the given calendar day. Out-of-range months and
// days are normalized as time.Date does; callers that need validation check
// the parts first.
func DateOf(year int, month time.Month, day int) Date {
	return Date(daysFromCivil(year, int(month), day))
}

// DateFromTime returns the calendar day of t in t's location.
func DateFromTime(t time.Time) Date {
	y, m, d := t.Date()
	return DateOf(y, m, d)
}

// Civil returns the year, month and day of d.
func (d Date) Civil() (year int, month time.Month, day int) {
	y, m, dd := civilFromDays(int64(d))
	return y, time.Month(m), dd
}

// Year returns the calendar year of d.
func (d Date) Year() int {
	y, _, _ := civilFromDays(int64(d))
	return y
}

// Time returns midnight UTC of d.
func (d Date) Time() time.Time { return time.Unix(int64(d)*86400, 0).UTC() }

// String returns d as an ISO 8601 date, 2019-11-06.
func (d Date) String() string {
	return string(d.AppendISO(make([]byte, 0, 10)))
}

// AppendISO appends d as YYYY-MM-DD to b.
func (d Date) AppendISO(b []byte) []byte {
	y, m, dd := civilFromDays(int64(d))
	if y >= 0 && y <= 9999 {
		b = append(b, byte('0'+y/1000), byte('0'+y/100%10), byte('0'+y/10%10), byte('0'+y%10))
	} else {
		b = strconv.AppendInt(b, int64(y), 10)
	}
	return append(b, '-', byte('0'+m/10), byte('0'+m%10), '-', byte('0'+dd/10), byte('0'+dd%10))
}

// ParseDate parses an ISO 8601 date (YYYY-MM-DD) strictly: 2019-02-31 is an error.
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return 0, err
	}
	return DateFromTime(t), nil
}

// daysFromCivil is Howard Hinnant's algorithm: days since 1970-01-01 of the
// proleptic Gregorian date y-m-d, without allocating or consulting time zones.
func daysFromCivil(y, m, d int) int64 {
	// normalize month into 1..12 the way time.Date does
	if m < 1 || m > 12 {
		t := time.Date(y, time.Month(m), 1, 0, 0, 0, 0, time.UTC)
		y, m = t.Year(), int(t.Month())
	}
	if m <= 2 {
		y--
	}
	era := y
	if era < 0 {
		era -= 399
	}
	era /= 400
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return int64(era)*146097 + int64(doe) - 719468
}

func civilFromDays(z int64) (int, int, int) {
	z += 719468
	era := z
	if era < 0 {
		era -= 146096
	}
	era /= 146097
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	y := yoe + era*400
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	d := doy - (153*mp+2)/5 + 1
	m := mp + 3
	if m > 12 {
		m -= 12
	}
	if m <= 2 {
		y++
	}
	return int(y), int(m), int(d)
}

// NullInt32 is an int32 that may be null (unknown). The zero value is null:
// an unknown count is never silently 0.
type NullInt32 struct {
	Value int32
	Valid bool
}

// Int32 returns a known count.
func Int32(v int32) NullInt32 { return NullInt32{Value: v, Valid: true} }

// Ptr returns a pointer to the value, or nil when null (handy for JSON).
func (n NullInt32) Ptr() *int32 {
	if !n.Valid {
		return nil
	}
	v := n.Value
	return &v
}

// String returns the decimal value or "" when null.
func (n NullInt32) String() string {
	if !n.Valid {
		return ""
	}
	return strconv.FormatInt(int64(n.Value), 10)
}

// NullFloat64 is a float64 that may be null.
type NullFloat64 struct {
	Value float64
	Valid bool
}

// Float64 returns a known value.
func Float64(v float64) NullFloat64 { return NullFloat64{Value: v, Valid: true} }

// Estimate is a count given as a low, best and high estimate, each possibly
// unknown. "at least 10" is {Low: 10, Best: 10, High: null}.
type Estimate struct {
	Low, Best, High NullInt32
}

// Exact returns the estimate of a known count n: n/n/n.
func Exact(n int32) Estimate { return Estimate{Int32(n), Int32(n), Int32(n)} }

// IsNull reports whether none of low, best and high is known.
func (e Estimate) IsNull() bool { return !e.Low.Valid && !e.Best.Valid && !e.High.Valid }

// Incident is one row of the schema: one event at one place and time, after
// several source reports have been reconciled. Empty strings of nullable
// text columns are written as null; Year and the derived columns are
// computed from the fields when the row is written.
type Incident struct {
	IncidentID    string        // incident_id: <source_dataset>:<source_id>, or the reports' incident key
	SourceDataset string        // source_dataset: acled, ucdp-ged, gtd, reports or a custom mapping's name
	SourceID      string        // source_id: the record's id in its source dataset; "" = null
	DateStart     Date          // date_start: first day the incident may have happened
	DateEnd       Date          // date_end: last day; equals DateStart when the day is known
	DatePrecision DatePrecision // date_precision
	TimeUTC       time.Time     // time_utc: zero = null
	CountryISO3   string        // country_iso3: ISO 3166-1 alpha-3, XKX for Kosovo, XXX for none
	Country       string        // country: canonical English short name
	Admin1        string        // admin1
	Admin2        string        // admin2
	Location      string        // location: place name as reported
	Latitude      NullFloat64   // latitude: WGS84
	Longitude     NullFloat64   // longitude: WGS84
	GeoPrecision  GeoPrecision  // geo_precision
	EventType     EventType     // event_type
	SubEventType  string        // sub_event_type: snake_case
	SourceEvent   string        // source_event_type: the source's own label
	ViolenceType  ViolenceType  // violence_type: UCDP's, where known
	Actor1        string        // actor1: the initiator
	Actor2        string        // actor2: the other side
	AssocActors   []string      // assoc_actors
	ClaimedBy     string        // claimed_by

	Fatalities          Estimate  // fatalities_low/best/high
	FatalitiesActor1    NullInt32 // fatalities_actor1
	FatalitiesActor2    NullInt32 // fatalities_actor2
	FatalitiesCivilians NullInt32 // fatalities_civilians
	FatalitiesUnknown   NullInt32 // fatalities_unknown
	Injured             Estimate  // injured_low/best/high
	Detained            Estimate  // detained_low/best/high

	Sources     []string // sources: distinct sources that reported the incident
	SourceCount int16    // source_count: number of distinct sources (may exceed len(Sources) when a dataset only counts them)
	Notes       string   // notes
}

// Year returns the year column: the year of DateStart.
func (in *Incident) Year() int16 { return int16(in.DateStart.Year()) }
