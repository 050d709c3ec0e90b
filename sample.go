// Package incidents holds the embedded sample data; the library lives in
// the schema, ingest, stats and export packages and the command in
// cmd/incidents.
package incidents

import "embed"

// Sample is testdata/sample: hand-coded reports of well-documented incidents
// (reports.csv) and small extracts in the ACLED (acled.csv), UCDP GED
// (ucdp_ged.csv) and GTD (gtd.csv) column layouts, for 'incidents demo' and
// the tests. Paths inside are "testdata/sample/<name>".
//
//go:embed testdata/sample
var Sample embed.FS
