package main

import (
	"context"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/spf13/cobra"

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
	_, err := readRecordsSummary(ctx, nil, inputs, columns, nil, fn)
	return err
}

// readProgress returns the bar of a command reading inputs: bytes, with
// percentage and time left, when every input is a raw incident file of
// known size (as normalize draws it); rows read otherwise (an exported
// file's bytes are not read in order, and stdin has no size).
func readProgress(cmd *cobra.Command, desc string, inputs []string) *progress {
	raw := true
	for _, path := range inputs {
		if _, ok := export.Recognize(path); ok {
			raw = false
		}
	}
	if n := inputSize(inputs); raw && n >= 0 {
		p := newProgress(cmd, desc, n, true)
		p.bytes = true
		return p
	}
	return newProgress(cmd, desc, -1, false)
}

// readRecordsSummary is readRecords that also returns the accounting of the
// raw inputs (nil when every input was already normalized), drawing prog
// (from readProgress; nil for none) as it reads.
func readRecordsSummary(ctx context.Context, prog *progress, inputs []string, columns []string, summary io.Writer, fn func(arrow.Record) error) (*ingest.Summary, error) {
	var progressBytes func(int64)
	if prog != nil && prog.bytes {
		progressBytes = prog.Set
	} else if prog != nil {
		fn = prog.countRows(fn)
	}
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
	// Only the columns asked for are built, and only the fields behind them
	// are converted and checked: a row is rejected for what those columns
	// show (a bad date, country or figure) as normalize would reject it, not
	// for a field the statistics do not read (a bad latitude).
	// The inputs' SHA-256 (provenance of normalize's output) is not needed
	// for a summary of counts and is skipped.
	var build []string
	for _, c := range columns {
		if schema.ColumnIndex(c) >= 0 { // others are the caller's to report
			build = append(build, c)
		}
	}
	sum, err := ingest.Normalize(ctx, raw, ingest.Options{Columns: build, NoChecksum: true, Progress: progressBytes}, fn)
	if sum != nil && summary != nil {
		sum.WriteText(summary)
	}
	return sum, err
}

// sayRawAccounting tells, on stderr, what a command reading raw inputs left
// out of its result: the rows rejected (with their reasons) or filtered, so
// they never vanish silently (normalize writes them to a rejects file).
func sayRawAccounting(cmd *cobra.Command, verb string, sum *ingest.Summary) {
	if sum == nil || quiet(cmd) || sum.Rejected+sum.Filtered == 0 {
		return
	}
	w := cmd.ErrOrStderr()
	fmt.Fprintf(w, "%s: rows read %d = used %d + merged %d + rejected %d", verb, sum.RowsRead, sum.Incidents, sum.Merged, sum.Rejected)
	if sum.Filtered > 0 {
		fmt.Fprintf(w, " + filtered %d", sum.Filtered)
	}
	fmt.Fprintln(w)
	if sum.Rejected > 0 {
		kinds := make([]string, 0, len(sum.RejectReasons))
		for k, n := range sum.RejectReasons {
			kinds = append(kinds, fmt.Sprintf("%s %d", k, n))
		}
		sort.Strings(kinds)
		fmt.Fprintf(w, "%s: the %d rejected rows (%s) are not in the result; incidents normalize writes them, with their reasons, to a rejects file\n",
			verb, sum.Rejected, strings.Join(kinds, ", "))
	}
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
		Metadata: map[string]string{"incidents.version": shortVersion()}})
	if err != nil {
		return err
	}
	if err := w.Write(rec); err != nil {
		w.Abort()
		return err
	}
	return w.Close()
}
