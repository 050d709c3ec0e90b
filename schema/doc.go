// Package schema is the single source of truth for the incidents record,
// version 1 of the contract described in SCHEMA.md.
//
// It owns the Go type [Incident] (one row = one incident), the typed
// enumerations ([DatePrecision], [GeoPrecision], [EventType], [ViolenceType]),
// the Arrow schema every file is written with ([Arrow]), the conversion of
// batches of incidents to Arrow records and back ([RecordBuilder],
// [AppendIncidents]), the invariants of the contract ([Incident.Validate]) and
// machine-readable descriptions of the columns ([Columns], [JSONSchema],
// [MarkdownTable]).
//
// schema imports none of the other incidents packages: ingest, stats and
// export all speak its types.
package schema
