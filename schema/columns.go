package schema

import (
	"github.com/apache/arrow/go/v17/arrow"
)

// Column describes one column of the schema, as SCHEMA.md's table does.
type Column struct {
	Name     string
	Type     arrow.DataType
	TypeName string // as SCHEMA.md writes it: utf8, dictionary(utf8), date32, ...
	Nullable bool
	Meaning  string
}

var (
	dictUTF8 = &arrow.DictionaryType{IndexType: arrow.PrimitiveTypes.Int32, ValueType: arrow.BinaryTypes.String}
	// TimestampUTC is the type of time_utc.
	TimestampUTC = &arrow.TimestampType{Unit: arrow.Millisecond, TimeZone: "UTC"}
	listUTF8     = arrow.ListOfField(arrow.Field{Name: "element", Type: arrow.BinaryTypes.String, Nullable: false})
)

func col(name string, t arrow.DataType, tn string, nullable bool, meaning string) Column {
	return Column{Name: name, Type: t, TypeName: tn, Nullable: nullable, Meaning: meaning}
}

func utf8(name string, nullable bool, meaning string) Column {
	return col(name, arrow.BinaryTypes.String, "utf8", nullable, meaning)
}

func dict(name string, nullable bool, meaning string) Column {
	return col(name, dictUTF8, "dictionary(utf8)", nullable, meaning)
}

func count(name, meaning string) Column {
	return col(name, arrow.PrimitiveTypes.Int32, "int32", true, meaning)
}

// Columns lists the schema's columns in file order. It is the single source
// of SCHEMA.md's table, the Arrow schema and the JSON Schema.
var Columns = []Column{
	utf8("incident_id", false, "stable id: `<source_dataset>:<source_id>` for dataset rows, the `incident` key for hand-coded reports; same input gives the same id on every run"),
	dict("source_dataset", false, "`acled`, `ucdp-ged`, `gtd`, `reports` (hand-coded reports layout), or the name given with a custom mapping"),
	utf8("source_id", true, "the record's id in its source dataset (ACLED `event_id_cnty`, UCDP `id`, GTD `eventid`)"),
	col("date_start", arrow.FixedWidthTypes.Date32, "date32", false, "first day the incident may have happened (local date at the place)"),
	col("date_end", arrow.FixedWidthTypes.Date32, "date32", false, "last day; equals date_start when the day is known"),
	dict("date_precision", false, "`day`, `days` (within a few days), `week`, `month`, `year`"),
	col("time_utc", TimestampUTC, "timestamp(ms, UTC)", true, "time of day when a report gives one, converted to UTC (\"3:30 a.m. (2230 GMT)\" on 6 Nov gives 2019-11-05T22:30Z)"),
	col("year", arrow.PrimitiveTypes.Int16, "int16", false, "year of date_start (for grouping and partitioning)"),
	dict("country_iso3", false, "ISO 3166-1 alpha-3 (`XKX` for Kosovo); `XXX` only where the source has no country"),
	dict("country", false, "canonical English short name for country_iso3"),
	utf8("admin1", true, "first-level administrative unit"),
	utf8("admin2", true, "second-level administrative unit"),
	utf8("location", true, "place name as reported"),
	col("latitude", arrow.PrimitiveTypes.Float64, "float64", true, "WGS84 degrees, -90..90"),
	col("longitude", arrow.PrimitiveTypes.Float64, "float64", true, "WGS84 degrees, -180..180"),
	dict("geo_precision", false, "`exact`, `near` (within ~25 km), `admin2`, `admin1`, `country`, `unknown`"),
	dict("event_type", false, "`battles`, `explosions_remote_violence`, `violence_against_civilians`, `riots`, `protests`, `strategic_developments`, `unknown`"),
	dict("sub_event_type", true, "finer type (ACLED sub-event type, GTD attack type, ...) in snake_case"),
	utf8("source_event_type", true, "the source's own type label, unchanged"),
	dict("violence_type", true, "UCDP's `state_based`, `non_state`, `one_sided` where known"),
	utf8("actor1", true, "the initiator: perpetrator, attacker, UCDP side_a, GTD gname"),
	utf8("actor2", true, "the other side: target, defender, UCDP side_b"),
	col("assoc_actors", listUTF8, "list(utf8)", false, "associated actors of either side"),
	utf8("claimed_by", true, "who claimed responsibility, when a claim was made"),
	count("fatalities_best", "best estimate of all deaths; null = unknown, 0 = known none"),
	count("fatalities_low", "lowest credible estimate"),
	count("fatalities_high", "highest estimate, claims included"),
	count("fatalities_actor1", "best estimate of deaths on actor1's side (attackers killed)"),
	count("fatalities_actor2", "best estimate of deaths on actor2's side (e.g. security forces)"),
	count("fatalities_civilians", "best estimate of civilian deaths"),
	count("fatalities_unknown", "deaths whose side is not known"),
	count("injured_best", "wounded, as for fatalities"),
	count("injured_low", "wounded, as for fatalities"),
	count("injured_high", "wounded, as for fatalities"),
	count("detained_best", "captured or detained, as for fatalities"),
	count("detained_low", "captured or detained, as for fatalities"),
	count("detained_high", "captured or detained, as for fatalities"),
	col("sources", listUTF8, "list(utf8)", false, "distinct sources that reported the incident"),
	col("source_count", arrow.PrimitiveTypes.Int16, "int16", false, "number of distinct sources"),
	utf8("notes", true, "free text"),
}

// Column indexes into Columns and into the fields of Arrow(), in file order.
const (
	ColIncidentID = iota
	ColSourceDataset
	ColSourceID
	ColDateStart
	ColDateEnd
	ColDatePrecision
	ColTimeUTC
	ColYear
	ColCountryISO3
	ColCountry
	ColAdmin1
	ColAdmin2
	ColLocation
	ColLatitude
	ColLongitude
	ColGeoPrecision
	ColEventType
	ColSubEventType
	ColSourceEventType
	ColViolenceType
	ColActor1
	ColActor2
	ColAssocActors
	ColClaimedBy
	ColFatalitiesBest
	ColFatalitiesLow
	ColFatalitiesHigh
	ColFatalitiesActor1
	ColFatalitiesActor2
	ColFatalitiesCivilians
	ColFatalitiesUnknown
	ColInjuredBest
	ColInjuredLow
	ColInjuredHigh
	ColDetainedBest
	ColDetainedLow
	ColDetainedHigh
	ColSources
	ColSourceCount
	ColNotes
	NumColumns
)

// ColumnIndex returns the position of the named column in Columns, or -1.
func ColumnIndex(name string) int {
	for i := range Columns {
		if Columns[i].Name == name {
			return i
		}
	}
	return -1
}

// ColumnNames returns the column names in file order.
func ColumnNames() []string {
	names := make([]string, len(Columns))
	for i, c := range Columns {
		names[i] = c.Name
	}
	return names
}

var arrowSchema = func() *arrow.Schema {
	if len(Columns) != NumColumns {
		panic("schema: Columns and the Col constants disagree")
	}
	fields := make([]arrow.Field, len(Columns))
	for i, c := range Columns {
		fields[i] = arrow.Field{Name: c.Name, Type: c.Type, Nullable: c.Nullable}
	}
	md := arrow.NewMetadata([]string{MetadataVersionKey}, []string{Version})
	return arrow.NewSchema(fields, &md)
}()

// Arrow returns the Arrow schema of every record and file: the columns in
// file order, dictionary(int32, utf8) for categorical columns, with the
// schema version in its metadata. The returned schema is shared; do not
// modify it.
func Arrow() *arrow.Schema { return arrowSchema }
