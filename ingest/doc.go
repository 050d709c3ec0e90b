// Package ingest reads incident records in the layouts researchers have and
// normalizes them into schema.Incident rows and Arrow records of
// schema.Arrow().
//
// Inputs are CSV or TSV (delimiter sniffed, with or without a UTF-8 byte
// order mark, CRLF or LF, quoted fields), JSON Lines, a JSON array of
// objects, or the first sheet of an .xlsx workbook; any of them may be
// gzip- or zstd-compressed. Each input is read through a profile, a
// documented mapping table from the source's columns to ours:
//
//	reports   the hand-coded reports layout of SCHEMA.md (several reports of one
//	          incident are reconciled into one row by ReconcileReports)
//	acled     ACLED exports
//	ucdp-ged  UCDP Georeferenced Event Dataset
//	gtd       Global Terrorism Database
//
// or through a user mapping (Options.Mapping, YAML). Dataset profiles map one
// row to one incident and stream: the input is cut into chunks of
// Options.BatchSize rows, Options.Workers goroutines normalize chunks into
// Arrow records, and records are emitted in input order, so memory grows with
// the batch size, not with the input.
//
// Every input row is accounted for: it is written, merged into another row of
// the same incident, or rejected with a reason (Options.Rejects receives one
// JSON object per rejected row). Summary.RowsRead always equals
// Incidents + Merged + Rejected.
//
// The value parsers (ParseCasualty, ParseDate, ParseTimeOfDay,
// LookupCountry, MapEventType, ActorNames...) are pure functions usable on
// their own.
package ingest
