// Package ingest reads incident records in the layouts researchers have and
// normalizes them into schema.Incident rows and Arrow records of
// schema.Arrow().
//
// Inputs are CSV or TSV (delimiter sniffed, with or without a UTF-8 byte
// order mark, CRLF or LF, quoted fields), JSON Lines, a JSON array of
// objects, or the first sheet of an .xlsx workbook; any of them may be
// gzip- or zstd-compressed (package source reads them). Each input is read
// through a profile, a documented mapping table from the source's columns to
// ours, one file each in package profile:
//
//	reports   the hand-coded reports layout of SCHEMA.md (several reports of one
//	          incident are reconciled into one row by ReconcileReports)
//	acled     ACLED exports
//	ucdp-ged  UCDP Georeferenced Event Dataset
//	gtd       Global Terrorism Database
//
// or through a user mapping (profile.Mapping, YAML, given as Options.Profile).
// Dataset profiles map one row to one incident and stream: the input is cut
// into chunks of Options.BatchSize rows, Options.Workers goroutines normalize
// chunks into Arrow records, and records are emitted in input order, so
// memory grows with the batch size, not with the input.
//
// Every input row is accounted for: it is written, merged into another row of
// the same incident, or rejected with a reason. Options.Rejects receives one
// JSON object per rejected row, in input order:
//
//	{"file": "acled.csv", "line": 7, "row": {"event_id_cnty": "MLI1001", ...},
//	 "field": "incident_id", "column": 0, "kind": "duplicate_id",
//	 "reason": "duplicate incident id: acled:MLI1001 on lines 2 and 7 ...", "text": "acled:MLI1001"}
//
// Summary.RowsRead always equals Incidents + Merged + Rejected + Filtered +
// Unwritten (Filtered: rows the options leave out, GDELT events outside
// --cameo-roots),
// when a run fails too; Unwritten (the rows a failure or cancellation left
// undone: the chunk being finished, records emit refused, reports not yet
// reconciled) is 0 when Normalize returns nil. Incidents counts only rows
// emit took.
//
// Memory: dataset profiles hold a few chunks of BatchSize rows at a time.
// The duplicate-id check keeps a 64-bit hash of each incident_id (two
// different ids colliding would be reported as duplicates, odds about 1e-7
// for 2 million rows): the newest 512k in memory, the rest spilled to sorted
// runs in a temporary file behind a Bloom filter (package
// ingest/internal/idindex), so memory stays bounded. The reports profile
// reconciles at the run's end: it holds its reports in memory up to
// DefaultReportBudget, then sorts them by incident key in a temporary file
// (package internal/spill), one incident's reports in memory at a
// time. A temporary folder that cannot be written, or fills up, makes both
// keep the rest in memory, with a warning in the Summary.
//
// CSV is parsed by package source (RFC 4180, as encoding/csv without
// LazyQuotes; FuzzReadCSV checks the two agree): the reader goroutine only
// cuts the input into blocks of whole records, and the workers split fields
// in parallel, without copying them.
//
// The value parsers of package value (ParseCasualty, ParseDate,
// ParseTimeOfDay, LookupCountry, MapEventType, ActorNames...) are pure
// functions usable on their own.
package ingest
