package main

import (
	"bufio"
	"fmt"
	"io"
	"os"

	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/incidentkit/incidents/export"
	"github.com/incidentkit/incidents/ingest"
	"github.com/incidentkit/incidents/link"
	"github.com/incidentkit/incidents/pgsink"
	"github.com/incidentkit/incidents/stats"
)

func newStatsCmd() *cobra.Command {
	var (
		opts      stats.Options
		where     []string
		format    string
		out       string
		overwrite bool
		statNames []string
		dedupe    string
		mode      string
	)
	cmd := &cobra.Command{
		Use:   "stats [flags] INPUT...",
		Short: "Casualty, party, frequency, trend and heavy-tail statistics per group",
		Long: `Summarize incidents per group: events, events with deaths, unknown counts,
the sums of the low/best/high estimates of fatalities, injured and detained,
their mean, sample standard deviation, median, p90, p99 and maximum with the
deadliest incident's id, and the party breakdown of deaths.

Quantiles are R's type 7 (linear interpolation between order statistics at
h = (n-1)p), the default of numpy, pandas and DuckDB's quantile_cont. Means,
standard deviations and quantiles are over known values only; the *_null
columns count the unknown ones.

With --period (day, week = ISO week, month, quarter, year of date_start) each
group also gets frequency statistics over its counts per period, empty
periods counted as zero from its first to its last period: mean events per
period with an exact Poisson 95% interval, the index of dispersion with its
chi-square p-value, and a least-squares trend (slope, SE, Student-t p).
--series prints those counts per period instead.

--tail fits a discrete power law to fatalities_best >= 1 (Clauset, Shalizi &
Newman 2009): alpha by maximum likelihood, x_min by the smallest KS distance,
and a goodness-of-fit p-value from --bootstrap replicates (repeatable with
--seed, run on all cores, a bar of replicates per group on a terminal).
tail_alpha_at_bound is 1 when alpha is an end of its search range
(1.0001, 20), so that the likelihood's maximum lies beyond it.

--where keeps rows matching column OP value, OP one of = != < <= > >=; = and
!= take a comma-separated list. Give --where several times to AND them.

The table (and Markdown) shows a compact set: events, fatalities_best_sum,
fatalities_mean, fatalities_median, fatalities_max, fatalities_null_share
(plus events_per_period, dispersion and the trend with --period, tail_xmin,
tail_alpha and tail_p with --tail), in sections as wide as the terminal (80
columns when not a terminal). --stats NAME,... chooses the statistics in
every format, --stats all shows every one; json, csv, parquet and arrow
write every statistic unless --stats is given.`,
		Example: `  incidents stats events.parquet
  incidents stats --by country_iso3,year --format csv events.parquet
  incidents stats --by country_iso3 --period month --where year>=2015 events.parquet
  incidents stats --by country_iso3 --period month --series -o monthly.csv events.parquet
  incidents stats --by actor1 --top 10 --where country_iso3=TJK,UZB events.parquet
  incidents stats --by year --stats events,fatalities_best_sum,injured_best_sum events.parquet
  incidents stats --by country_iso3 --stats all events.parquet
  incidents stats --tail --bootstrap 1000 --seed 1 --format json events.parquet
  incidents stats --by country_iso3,year --mode replace -o 'postgres://me@localhost/conflict?table=stats_country_year' events.parquet`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, inputs []string) error {
			for _, w := range where {
				f, err := stats.ParseFilter(w)
				if err != nil {
					return err
				}
				opts.Where = append(opts.Where, f)
			}
			switch format {
			case "table", "json", "csv", "markdown", "parquet", "arrow":
			default:
				return fmt.Errorf("stats: unknown --format %q (table, json, csv, markdown, parquet, arrow)", format)
			}
			if (format == "parquet" || format == "arrow") && (out == "" || out == "-") {
				return fmt.Errorf("stats: --format %s needs -o FILE", format)
			}
			if err := checkMode("stats", out, mode); err != nil {
				return err
			}
			toTable := pgsink.IsURL(out)
			if toTable {
				if cmd.Flags().Changed("format") {
					return fmt.Errorf("stats: --format %s does not apply to a postgres:// output (the table gets every statistic unless --stats names some)", format)
				}
				if overwrite {
					return fmt.Errorf("stats: --overwrite does not apply to a postgres:// output: --mode replace replaces the table's rows")
				}
				if _, err := pgsink.ParseTarget(out); err != nil {
					return err
				}
				format = "parquet" // what the chooser makes of it: every statistic
			}
			if err := checkRange("stats", "--top", int64(opts.Top), 0, maxTop); err != nil {
				return err
			}
			if err := checkRange("stats", "--bootstrap", int64(opts.Bootstrap), 0, maxBootstrap); err != nil {
				return err
			}
			// the statistics are known from the options: a wrong name fails before any input is read
			choose, err := statsChooser(statNames, format, stats.ResultColumns(opts))
			if err != nil {
				return err
			}
			if out != "" && out != "-" && !toTable {
				if err := export.CheckOutput(out, export.OutputOptions{Overwrite: overwrite, Inputs: inputs}); err != nil {
					return err
				}
			}
			if opts.Bootstrap == 0 {
				opts.Bootstrap = -1 // the library's 0 means its default; the flag's 0 means none
			}
			var bars *bootstrapBars
			if opts.Tail && opts.Bootstrap > 0 {
				bars = newBootstrapBars(cmd, "bootstrap")
				opts.Progress = bars.progressFunc()
			}
			var dd *link.Dedupe
			if dedupe != "" {
				dd = link.NewDedupe()
				if err := readClusters(cmd.Context(), dedupe, dd); err != nil {
					return err
				}
				opts.Exclude = dd.Exclude
			}
			acc, err := stats.NewAccumulator(opts)
			if err != nil {
				return err
			}
			prog := readProgress(cmd, "stats", inputs)
			var rawSum *ingest.Summary
			rawSum, err = readRecordsSummary(cmd.Context(), prog, inputs, stats.Columns(opts), nil, acc.Add)
			prog.Done()
			if err != nil {
				return err
			}
			sayRawAccounting(cmd, "stats", rawSum)
			res, err := acc.ResultContext(cmd.Context())
			bars.Done()
			if err != nil {
				return err
			}
			if dd != nil && !quiet(cmd) {
				fmt.Fprintf(cmd.ErrOrStderr(), "dedupe: %d rows left out, members of %d clusters that do not represent them (%s)\n",
					dd.Excluded(), dd.Clusters(), dedupe)
			}
			if res, err = choose(res); err != nil {
				return err
			}
			if toTable {
				rec := res.Record(memory.DefaultAllocator)
				defer rec.Release()
				return loadStatsTable(cmd, out, mode, rec, inputs)
			}
			if format == "parquet" || format == "arrow" {
				rec := res.Record(memory.DefaultAllocator)
				defer rec.Release()
				return writeStatsRecord(cmd.Context(), out, format, rec, overwrite, inputs)
			}
			if out == "" || out == "-" {
				return writeResult(res, format, cmd.OutOrStdout(), terminalWidth(cmd.OutOrStdout()))
			}
			f, err := export.CreateFile(out, export.OutputOptions{Overwrite: overwrite, Inputs: inputs})
			if err != nil {
				return err
			}
			defer f.Abort()
			bw := bufio.NewWriter(f)
			if err := writeResult(res, format, bw, stats.DefaultTableWidth); err != nil {
				return err
			}
			if err := bw.Flush(); err != nil {
				return fmt.Errorf("stats: %s: %w", out, err)
			}
			if err := cmd.Context().Err(); err != nil {
				return err
			}
			return f.Commit()
		},
	}
	fl := cmd.Flags()
	fl.StringSliceVar(&opts.By, "by", nil, "group columns, comma-separated (any schema column: country_iso3, year, event_type, actor1, admin1, ...)")
	fl.StringVar(&opts.Period, "period", "", "time bucket of date_start: day, week (ISO), month, quarter or year")
	fl.StringArrayVar(&where, "where", nil, "keep rows where `COLUMN OP VALUE` (= != < <= > >=; = and != take a list: country_iso3=TJK,UZB)")
	fl.IntVar(&opts.Top, "top", 0, fmt.Sprintf("keep the K groups with the most events, largest first (0: all; at most %d)", maxTop))
	fl.BoolVar(&opts.Series, "series", false, "print the counts per group and period (needs --period) instead of the summary")
	fl.BoolVar(&opts.Tail, "tail", false, "fit a discrete power law to fatalities_best >= 1 per group")
	fl.IntVar(&opts.Bootstrap, "bootstrap", stats.DefaultBootstrap, fmt.Sprintf("bootstrap replicates for the tail's goodness-of-fit p-value (0: none; at most %d)", maxBootstrap))
	fl.Uint64Var(&opts.Seed, "seed", 1, "seed of the bootstrap")
	fl.StringSliceVar(&statNames, "stats", nil, "statistics to show, comma-separated, or all (default: a compact set in table and markdown, all in json, csv, parquet, arrow)")
	fl.StringVar(&dedupe, "dedupe", "", "count each event once: leave out the members of FILE's clusters (incidents link --clusters) that do not represent their cluster")
	fl.StringVar(&format, "format", "table", "table, json, csv, markdown, parquet or arrow")
	fl.StringVarP(&out, "output", "o", "-", "output file (\"-\": stdout) or postgres://USER@HOST/DB?table=NAME")
	fl.StringVar(&mode, "mode", "", "with a postgres:// -o: create (the default: a new table), append or replace")
	addOverwriteFlag(fl, &overwrite)
	return cmd
}

// statsChooser returns what --stats makes of a result: the named
// statistics; with no --stats the compact set for the human formats and
// every statistic for the others; with "all" every one. The names are
// checked against cols, the result's columns, at once.
func statsChooser(names []string, format string, cols []stats.Column) (func(*stats.Result) (*stats.Result, error), error) {
	whole := func(r *stats.Result) (*stats.Result, error) { return r, nil }
	switch {
	case len(names) == 1 && names[0] == "all":
		return whole, nil
	case len(names) == 0 && (format == "table" || format == "markdown"):
		return func(r *stats.Result) (*stats.Result, error) { return r.Compact(), nil }, nil
	case len(names) == 0:
		return whole, nil
	}
	if _, err := (&stats.Result{Columns: cols}).Select(names); err != nil {
		return nil, err
	}
	return func(r *stats.Result) (*stats.Result, error) { return r.Select(names) }, nil
}

// terminalWidth is the width a table written to w may fill: the
// terminal's, or stats.DefaultTableWidth when w is not a terminal. Tests
// replace it.
var terminalWidth = func(w io.Writer) int {
	if f, ok := w.(*os.File); ok && isTerminal(f) {
		if cols, _, err := term.GetSize(int(f.Fd())); err == nil && cols > 0 {
			return cols
		}
	}
	return stats.DefaultTableWidth
}

func writeResult(res *stats.Result, format string, w io.Writer, width int) error {
	switch format {
	case "json":
		return res.WriteJSON(w)
	case "csv":
		return res.WriteCSV(w)
	case "markdown":
		return res.WriteMarkdown(w)
	}
	return res.WriteTableWidth(w, width)
}
