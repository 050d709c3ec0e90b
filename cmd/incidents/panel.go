package main

import (
	"fmt"
	"os"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/spf13/cobra"

	"github.com/incidentkit/incidents/export"
	"github.com/incidentkit/incidents/ingest"
	"github.com/incidentkit/incidents/panel"
	"github.com/incidentkit/incidents/schema"
)

func newPanelCmd() *cobra.Command {
	var (
		opts        panel.Options
		from, to    string
		lags, bbox  string
		format, out string
		crosswalk   bool
		overwrite   bool
	)
	cmd := &cobra.Command{
		Use:   "panel [flags] -o OUT INPUT...",
		Short: "Unit-period panels with true zeros: country-year, admin1-month, PRIO-GRID cell-month",
		Long: `Build a panel: one row per unit and period, zeros where nothing was recorded,
sorted by unit then period, for regression and forecasting models.

Units (--unit): country (a state of --system: gw = Gleditsch & Ward's
independent states, cow = Correlates of War state system v2016, iso = the
ISO 3166 codes found in the data), admin1 (country_iso3 + admin1 as named in
the data), priogrid (PRIO-GRID v2 0.5-degree cells: gid = (row-1)*720 + col,
row = floor((lat+90)/0.5)+1, col = floor((lon+180)/0.5)+1), none (one series).
Periods (--period): day, week (ISO), month, quarter, year of date_start.
The span is --from..--to (1989, 2019-03 or 2019-03-05) or the data's.

A state's rows are the periods it is a member in (any day of the period):
South Sudan from 2011, no USSR-era Estonia. An event whose country has no
member state then is left out and listed in the summary by country (Kosovo
before 2008, Palestine, GW microstates without --microstates). A priogrid
panel leaves out events whose geo_precision is admin1, country or unknown
(a centroid is not a place) and counts them in the summary; --cells says
which cells get rows: events (cells with an event), bbox (every cell of
--bbox or of the events' extent), all (259,200 cells) or a file of gids
(PRIO-GRID's land cells, say; events in other cells are counted apart).

Columns: events, any_event, onset (events after --onset-gap quiet periods;
null when too few periods are observed to tell), sums of fatalities
best/low/high and of each party with *_null counts of unknown values (a sum
is null when every event's figure is unknown, never 0), --by COL as wide
columns events_<value>, fatalities_best_<value>, fatalities_best_null_<value>
(--by source_dataset puts the datasets side by side), --lags K,... adds
events_lagK and fatalities_best_lagK. Field descriptions are stored in the
Arrow schema.

Output: Parquet unless --format or the extension of -o says otherwise
(arrow, csv, jsonl, or table, markdown, json as stats writes them), written
a batch at a time: a PRIO-GRID cell-month panel is never whole in memory.
--crosswalk writes the ISO3 <-> GW <-> COW crosswalk (with dates) instead.
The summary goes to stderr.`,
		Example: `  incidents panel --unit country --period year --from 1989 --to 2023 -o cy.parquet events.parquet
  incidents panel --unit priogrid --period month -o pgm.parquet ged.parquet
  incidents panel --unit admin1 --period month --by event_type -o a1m.parquet acled.parquet
  incidents panel --by source_dataset -o compare.parquet acled.parquet ged.parquet gtd.parquet
  incidents panel --system cow --lags 1,2 --format csv -o - events.parquet
  incidents panel --crosswalk -o crosswalk.csv`,
		RunE: func(cmd *cobra.Command, inputs []string) error {
			if format == "" {
				format = export.FormatFromPath(out)
				if format == "" || format == "arrows" {
					format = "parquet"
				}
				if out == "-" {
					format = "table"
				}
			}
			switch format {
			case "parquet", "arrow", "csv", "jsonl", "table", "markdown", "json":
			default:
				return fmt.Errorf("panel: unknown --format %q (parquet, arrow, csv, jsonl, table, markdown, json)", format)
			}
			if (format == "parquet" || format == "arrow") && (out == "" || out == "-") {
				return fmt.Errorf("panel: --format %s needs -o FILE", format)
			}
			if out != "" && out != "-" {
				if err := export.CheckOutput(out, export.OutputOptions{Overwrite: overwrite, Inputs: inputs}); err != nil {
					return err
				}
			}
			if crosswalk {
				if len(inputs) > 0 {
					return fmt.Errorf("panel: --crosswalk takes no inputs")
				}
				rec, err := panel.CrosswalkRecord(memory.DefaultAllocator)
				if err != nil {
					return err
				}
				defer rec.Release()
				return writePanel(cmd, out, format, overwrite, nil, rec.Schema(), func(fn func(arrow.Record) error) error { return fn(rec) })
			}
			if len(inputs) == 0 {
				return fmt.Errorf("panel: no inputs (give files, or --crosswalk)")
			}
			var err error
			for _, b := range []struct {
				s     string
				upper bool
				dst   **schema.Date
			}{{from, false, &opts.From}, {to, true, &opts.To}} {
				if b.s != "" {
					d, err := panel.ParseBound(b.s, b.upper)
					if err != nil {
						return err
					}
					*b.dst = &d
				}
			}
			if opts.Lags, err = panel.ParseLags(lags); err != nil {
				return err
			}
			if bbox != "" {
				if opts.BBox, err = panel.ParseBBox(bbox); err != nil {
					return err
				}
			}
			if opts.Unit != panel.UnitCountry && (cmd.Flags().Changed("system") || opts.Microstates) {
				return fmt.Errorf("panel: --system and --microstates apply to --unit country, not %s", opts.Unit)
			}
			if opts.Unit != panel.UnitPrioGrid && (cmd.Flags().Changed("cells") || bbox != "") {
				return fmt.Errorf("panel: --cells and --bbox apply to --unit priogrid, not %s", opts.Unit)
			}
			switch opts.Cells {
			case panel.CellsEvents, panel.CellsBBox, panel.CellsAll:
			default: // a file of gids
				f, err := os.Open(opts.Cells)
				if err != nil {
					return fmt.Errorf("panel: --cells: %w", err)
				}
				opts.CellList, err = panel.ReadCellList(f)
				f.Close()
				if err != nil {
					return err
				}
				opts.Cells = panel.CellsList
			}
			b, err := panel.NewBuilder(opts)
			if err != nil {
				return err
			}
			prog := readProgress(cmd, "panel", inputs)
			var rawSum *ingest.Summary
			rawSum, err = readRecordsSummary(cmd.Context(), prog, inputs, panel.Columns(opts), nil, b.Add)
			prog.Done()
			if err != nil {
				return err
			}
			sayRawAccounting(cmd, "panel", rawSum)
			err = writePanel(cmd, out, format, overwrite, inputs, b.Schema(), func(fn func(arrow.Record) error) error {
				return b.Emit(memory.DefaultAllocator, fn)
			})
			if err != nil {
				return err
			}
			if !quiet(cmd) {
				sum := b.Summary()
				return sum.WriteText(cmd.ErrOrStderr(), 20)
			}
			return nil
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&opts.Unit, "unit", panel.UnitCountry, "unit: country, admin1, priogrid or none")
	fl.StringVar(&opts.Period, "period", "year", "period of date_start: day, week (ISO), month, quarter or year")
	fl.StringVar(&opts.System, "system", panel.SystemGW, "state system of --unit country: gw, cow or iso")
	fl.BoolVar(&opts.Microstates, "microstates", false, "add Gleditsch & Ward's microstates to the gw list")
	fl.StringVar(&from, "from", "", "first day of the span: 1989, 2019-03 or 2019-03-05 (default: the first event's)")
	fl.StringVar(&to, "to", "", "last day of the span: 2023 (= 2023-12-31), 2019-03 or 2019-03-05 (default: the last event's)")
	fl.StringVar(&opts.By, "by", "", "a column whose values become wide columns: event_type, source_dataset, violence_type, ...")
	fl.IntVar(&opts.OnsetGap, "onset-gap", panel.DefaultOnsetGap, "quiet periods before a period with events that make it an onset")
	fl.StringVar(&lags, "lags", "", "lags of events and fatalities_best to add, comma-separated: 1,2")
	fl.StringVar(&opts.Cells, "cells", panel.CellsEvents, "priogrid cells: events, bbox, all, or a FILE of gids (one per line, or a CSV with a gid column: PRIO-GRID's land cells)")
	fl.StringVar(&bbox, "bbox", "", "priogrid: keep events in MINLON,MINLAT,MAXLON,MAXLAT (Africa: -18,-35,52,38)")
	fl.IntVar(&opts.BatchRows, "batch-rows", panel.DefaultBatchRows, "rows per record written (the memory bound of the output stage)")
	fl.BoolVar(&crosswalk, "crosswalk", false, "write the ISO3 <-> GW <-> COW crosswalk instead of a panel")
	fl.StringVar(&format, "format", "", "parquet, arrow, csv, jsonl, table, markdown or json (default: from -o's extension, else parquet; table for -o -)")
	fl.StringVarP(&out, "output", "o", "", `output file ("-": stdout)`)
	addOverwriteFlag(fl, &overwrite)
	return cmd
}

// writePanel writes the records emit produces under the output rule
// (export/output.go: an existing file is replaced only with --overwrite,
// never an input; written to a temporary file renamed on success):
// Parquet, Arrow IPC, CSV and JSON Lines through export.Create, the text
// formats of stats through panel.TextWriter into export.CreateFile.
func writePanel(cmd *cobra.Command, out, format string, overwrite bool, inputs []string, sc *arrow.Schema, emit func(func(arrow.Record) error) error) error {
	if out == "" {
		return fmt.Errorf("panel: -o FILE is required (\"-\" for stdout)")
	}
	switch format {
	case "parquet", "arrow", "csv", "jsonl":
		w, err := export.Create(cmd.Context(), out, export.WriteOptions{Format: format, Schema: sc, Overwrite: overwrite, Inputs: inputs,
			Stdout: cmd.OutOrStdout(), Metadata: map[string]string{"incidents.version": shortVersion()}})
		if err != nil {
			return err
		}
		if err := emit(w.Write); err != nil {
			w.Abort()
			return err
		}
		return w.Close()
	}
	if out == "-" {
		tw, err := panel.NewTextWriter(cmd.OutOrStdout(), format, sc)
		if err != nil {
			return err
		}
		if err := emit(tw.Write); err != nil {
			return err
		}
		return tw.Close()
	}
	f, err := export.CreateFile(out, export.OutputOptions{Overwrite: overwrite, Inputs: inputs})
	if err != nil {
		return err
	}
	defer f.Abort()
	tw, err := panel.NewTextWriter(f, format, sc)
	if err != nil {
		return err
	}
	if err := emit(tw.Write); err != nil {
		return err
	}
	if err := tw.Close(); err != nil {
		return fmt.Errorf("panel: %s: %w", out, err)
	}
	if err := cmd.Context().Err(); err != nil {
		return err
	}
	return f.Commit()
}
