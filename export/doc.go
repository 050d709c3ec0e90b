// Package export writes and reads the incidents schema's Arrow records as
// files other tools load with the right types: Parquet (with the Arrow
// schema stored so pyarrow, pandas and polars restore categoricals and the
// UTC timestamp; written by arrow's parquet/file writer with the columns of
// a row group encoded in parallel and text dictionaries taken from ours, see
// parquet_fast.go, or by pqarrow for schemas of other shapes; row groups of
// 64Ki rows by default), Arrow IPC files (Feather v2)
// and streams, CSV and JSON Lines, as single files or as Hive-partitioned
// dataset folders.
//
// Every output is atomic: data goes to a temporary file (or folder) beside
// the target and is renamed into place by Writer.Close; a cancelled context
// or an error leaves nothing at the target. Replacing an existing output
// needs WriteOptions.Overwrite.
//
// Open reads back what Create writes (and partitioned folders written by
// pyarrow or DuckDB with the same layout), reading only the columns asked
// for; Recognize tells the command line which inputs are ours; Inspect
// describes a Parquet or Arrow file.
//
// The formats, chosen from the output's extension unless WriteOptions.Format
// says otherwise:
//
//	.parquet          Parquet, zstd by default
//	.arrow, .feather  Arrow IPC file format (Feather v2)
//	.arrows           Arrow IPC stream format
//	.csv              CSV: header row, empty cell for null, lists as JSON arrays
//	.jsonl, .ndjson   JSON Lines: one object per row, null for null
//
// Dates are written as ISO 8601 (2019-11-06) and timestamps as RFC 3339 in
// UTC (2019-11-05T22:30:00Z) in CSV and JSON Lines.
package export
