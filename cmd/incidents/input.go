package main

import (
	"context"
	"fmt"
	"io"

	"github.com/apache/arrow/go/v17/arrow"

	"github.com/incidentkit/incidents/export"
	"github.com/incidentkit/incidents/ingest"
	"github.com/incidentkit/incidents/schema"
)

// readRecords streams the records of every input to fn. Our own files
// (Parquet, Arrow IPC, normalized CSV/JSON Lines, Hive dataset folders) are
// read through export.Open, projected to columns; anything else is a raw
// incident file and is normalized on the fly by ingest.Normalize with
// default options, building the same columns only, its summary going to
// summary (nil: discarded).
func readRecords(ctx context.Context, inputs []string, columns []string, fn func(arrow.Record) error) error {
	_, err := readRecordsSummary(ctx, inputs, columns, nil, fn)
	return err
}

// readRecordsSummary is readRecords that also returns the accounting of the
// raw inputs (nil when every input was already normalized).
func readRecordsSummary(ctx context.Context, inputs []string, columns []string, summary io.Writer, fn func(arrow.Record) error) (*ingest.Summary, error) {
	var raw []string
	for _, path := range inputs {
		if _, ok := export.Recognize(path); !ok {
			raw = append(raw, path)
			continue
		}
		if err := readExported(ctx, path, columns, fn); err != nil {
			return nil, err
		}
	}
	if len(raw) == 0 {
		return nil, nil
	}
	// Only the columns asked for are built; every row is still normalized
	// and validated in full, so the rows counted are those normalize writes.
	// The inputs' SHA-256 (provenance of normalize's output) is not needed
	// for a summary of counts and is skipped.
	var build []string
	for _, c := range columns {
		if schema.ColumnIndex(c) >= 0 { // others are the caller's to report
			build = append(build, c)
		}
	}
	sum, err := ingest.Normalize(ctx, raw, ingest.Options{Columns: build, NoChecksum: true}, fn)
	if sum != nil && summary != nil {
		sum.WriteText(summary)
	}
	return sum, err
}

func readExported(ctx context.Context, path string, columns []string, fn func(arrow.Record) error) error {
	rr, err := export.Open(ctx, path, export.ReadOptions{Columns: columns})
	if err != nil {
		return err
	}
	defer rr.Release()
	for rr.Next() {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := fn(rr.Record()); err != nil {
			return err
		}
	}
	if err := rr.Err(); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}

// writeStatsRecord writes a statistics result (its own schema) as Parquet
// or Arrow through the export package, atomically.
func writeStatsRecord(ctx context.Context, path, format string, rec arrow.Record, overwrite bool, inputs []string) error {
	w, err := export.Create(ctx, path, export.WriteOptions{Format: format, Schema: rec.Schema(), Overwrite: overwrite, Inputs: inputs,
		Metadata: map[string]string{"incidents.version": version}})
	if err != nil {
		return err
	}
	if err := w.Write(rec); err != nil {
		w.Abort()
		return err
	}
	return w.Close()
}
