package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/spf13/cobra"

	"github.com/incidentkit/incidents/diff"
	"github.com/incidentkit/incidents/export"
)

func newDiffCmd() *cobra.Command {
	var (
		out, by   string
		places    int
		memBudget byteSize = diff.DefaultMemoryBytes
		overwrite bool
	)
	cmd := &cobra.Command{
		Use:   "diff [flags] OLD NEW",
		Short: "What changed between two releases: incidents added, deleted and revised, matched by incident_id",
		Long: `Compare two releases of a dataset (ACLED downloads, UCDP GED versions, GTD
corrections), matching incidents by incident_id. OLD and NEW are our files
(Parquet, Arrow, normalized CSV or JSON Lines, a partitioned dataset folder)
or raw files, normalized on the fly.

The summary (on stdout; on stderr with -o -) reads like git diff --stat: a
count line first (added, deleted, revised, unchanged, with the two releases'
rows accounted for), the events and fatalities_best totals old -> new, the
columns revised and in how many incidents, the changes per country and year
with the fatalities_best they moved (the --places with the most), and with
--by the net effect per group on the numbers a study uses: events and the
fatalities_best sum, old and new.

-o writes the changes in long form, in incident_id order: incident_id, change
(added, deleted, revised), column, old, new; one row per added or deleted
incident (column null), one per changed column of a revised incident, values
as text (null for null). Floats are compared exactly, a null and a value
differ, and row order is no change.

Both releases are sorted by incident_id on disk past --memory (an external
sort in $TMPDIR), so two full releases are never both in memory. An id that
appears twice in one release is an error naming its rows.`,
		Example: `  incidents diff acled_2023.parquet acled_2024.parquet
  incidents diff --by country_iso3,year -o changes.parquet ged231.parquet ged241.parquet
  incidents diff -o - old.parquet 2024-06-07_acled.csv | head`,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			var byCols []string
			if by != "" {
				byCols = strings.Split(by, ",")
			}
			if places < 0 {
				return fmt.Errorf("diff: --places must be 0 or more")
			}
			d, err := diff.NewDiffer(diff.Options{OldName: args[0], NewName: args[1], By: byCols, MemoryBytes: int(memBudget)})
			if err != nil {
				return err
			}
			defer d.Close()
			if out != "" {
				if err := export.CheckOutput(out, export.OutputOptions{Overwrite: overwrite, Inputs: args}); err != nil {
					return err
				}
			}
			var normSummary io.Writer
			if !quiet(cmd) {
				normSummary = cmd.ErrOrStderr()
			}
			for k, side := range []diff.Side{diff.Old, diff.New} {
				prog := readProgress(cmd, "diff "+args[k], args[k:k+1])
				_, err := readRecordsSummary(cmd.Context(), prog, args[k:k+1], diff.Columns(), normSummary, func(rec arrow.Record) error {
					return d.Add(side, rec)
				})
				prog.Done()
				if err != nil {
					return err
				}
			}
			var sum *diff.Summary
			if out == "" {
				sum, err = d.Run(cmd.Context(), nil)
			} else {
				w, cerr := export.Create(cmd.Context(), out, export.WriteOptions{Schema: diff.Schema(), Overwrite: overwrite, Inputs: args,
					Stdout: cmd.OutOrStdout(), Metadata: map[string]string{"incidents.version": shortVersion(),
						"incidents.diff_old": args[0], "incidents.diff_new": args[1]}})
				if cerr != nil {
					return cerr
				}
				sum, err = d.Run(cmd.Context(), w.Write)
				if err != nil {
					w.Abort()
				} else {
					err = w.Close()
				}
			}
			if err != nil {
				return err
			}
			report := cmd.OutOrStdout()
			if out == "-" {
				report = cmd.ErrOrStderr()
			}
			if err := sum.WriteText(report, places); err != nil {
				return err
			}
			if out != "" && out != "-" {
				fmt.Fprintf(report, "%s change rows in %s\n", commas(sum.ChangeRows), out)
			}
			return nil
		},
	}
	fl := cmd.Flags()
	fl.StringVarP(&out, "output", "o", "", `write the changes (long form) to FILE: .parquet, .arrow, .arrows, .csv, .jsonl ("-": JSON Lines on stdout)`)
	fl.StringVar(&by, "by", "", "print the net effect (events, fatalities_best sum, old -> new) per group of these columns: country_iso3,year")
	fl.IntVar(&places, "places", 20, "countries and years listed in the summary, most fatalities moved first (0: all)")
	fl.Var(&memBudget, "memory", "rows held in memory before the sort by incident_id spills to $TMPDIR")
	addOverwriteFlag(fl, &overwrite)
	return cmd
}
