package main

import (
	"bytes"
	"fmt"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/incidentkit/incidents/export"
	"github.com/incidentkit/incidents/ingest/value"
	"github.com/incidentkit/incidents/report"
	"github.com/incidentkit/incidents/stats"
)

func newReportCmd() *cobra.Command {
	var (
		opts      report.Options
		out       string
		overwrite bool
	)
	cmd := &cobra.Command{
		Use:   "report [flags] -o report.html INPUT...",
		Short: "Write a self-contained HTML report with charts of the incidents",
		Long: `Write one HTML file that opens anywhere without network access (CSS and SVG
charts inline, no scripts): a headline summary (incidents, countries, date
span, fatalities low/best/high, share unknown); events and fatalities per
period, empty periods drawn as zero; the top countries, actors (actor1) and
event types, and one more bar chart per --by column; the party breakdown of
deaths; the severity distribution as a complementary CDF on log-log axes with
the fitted discrete power law and its parameters; the deadliest incidents.

Every number is computed by the stats package and equals what 'incidents
stats' prints: the summary, parties and power law are 'incidents stats
--period day --tail' (with the same --bootstrap and --seed), the time series
'--period P --series', each bar chart '--by COLUMN --top K'.
Charts use the Okabe-Ito palette, which stays readable with colour-vision
deficiencies.`,
		Example: `  incidents report -o report.html events.parquet
  incidents report --period quarter --by admin1 --top 15 -o tjk.html events.parquet
  incidents report --title "Central Asia 2015-2020" --bootstrap 200 -o ca.html events.parquet`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, inputs []string) error {
			for _, b := range []struct {
				flag      string
				v, lo, hi int64
			}{
				{"--top", int64(opts.Top), 1, maxTop},
				{"--deadliest", int64(opts.Deadliest), 0, maxTableRows},
				{"--bootstrap", int64(opts.Bootstrap), 0, maxBootstrap},
			} {
				if err := checkRange("report", b.flag, b.v, b.lo, b.hi); err != nil {
					return err
				}
			}
			if err := export.CheckOutput(out, export.OutputOptions{Overwrite: overwrite, Inputs: inputs}); err != nil {
				return err
			}
			if opts.Bootstrap == 0 {
				opts.Bootstrap = -1 // as in 'incidents stats': the flag's 0 means none, the library's its default
			}
			if opts.Title == "" {
				opts.Title = "Incident report"
			}
			opts.Inputs = make([]string, len(inputs))
			for i, in := range inputs {
				opts.Inputs[i] = filepath.Base(in)
			}
			opts.CountryName = countryName
			var bars *bootstrapBars
			if opts.Bootstrap > 0 {
				bars = newBootstrapBars(cmd, "report: bootstrap")
				opts.Progress = bars.progressFunc()
			}
			b, err := report.NewBuilder(opts)
			if err != nil {
				return err
			}
			prog := readProgress(cmd, "report", inputs)
			sum, err := readRecordsSummary(cmd.Context(), prog, inputs, b.Columns(), nil, b.Add)
			prog.Done()
			if err != nil {
				return err
			}
			r, err := b.ReportContext(cmd.Context())
			bars.Done()
			if err != nil {
				return err
			}
			if sum != nil { // raw input: show how its rows were accounted for
				r.Rejects = report.NewRejects(sum.RowsRead, sum.Incidents, sum.Merged, sum.Rejected, sum.RejectReasons)
			}
			var page bytes.Buffer
			if err := report.WriteHTML(&page, r); err != nil {
				return err
			}
			if err := cmd.Context().Err(); err != nil {
				return err
			}
			if err := writeOutput(cmd.OutOrStdout(), out, page.Bytes(), overwrite, inputs); err != nil {
				return err
			}
			fmt.Fprintf(cmd.ErrOrStderr(), "report: %s incidents, %s countries -> %s (%s)\n",
				commas(r.Summary.Incidents), commas(r.Summary.Countries), out, sizeString(page.Len()))
			return nil
		},
	}
	fl := cmd.Flags()
	fl.StringVarP(&out, "output", "o", "report.html", "the HTML file to write (\"-\": stdout)")
	fl.StringVar(&opts.Title, "title", "", "page heading (default \"Incident report\")")
	fl.StringVar(&opts.Period, "period", stats.PeriodMonth, "time bucket of the series: day, week (ISO), month, quarter or year")
	fl.StringSliceVar(&opts.By, "by", nil, "one more bar chart of events per value of each of these columns (admin1, sub_event_type, year, ...)")
	fl.IntVar(&opts.Top, "top", 10, fmt.Sprintf("bars per bar chart (1 to %d)", maxTop))
	fl.IntVar(&opts.Deadliest, "deadliest", 15, fmt.Sprintf("rows of the deadliest-incidents table (0 to %d)", maxTableRows))
	fl.IntVar(&opts.Bootstrap, "bootstrap", stats.DefaultBootstrap, fmt.Sprintf("bootstrap replicates for the power law's goodness-of-fit p-value (0: none; at most %d)", maxBootstrap))
	addOverwriteFlag(fl, &overwrite)
	fl.Uint64Var(&opts.Seed, "seed", 1, "seed of the bootstrap (as 'incidents stats --seed')")
	return cmd
}

// commas formats n with thousands separators.
func commas(n int64) string {
	s := fmt.Sprint(n)
	if n < 0 {
		return "-" + commas(-n)
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

func sizeString(n int) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.0f kB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}

// countryName names an ISO 3166-1 alpha-3 code for the report's country
// bars ("" for XXX and codes ingest/value does not know).
func countryName(iso3 string) string {
	c, err := value.LookupCountry(iso3)
	if err != nil || c.ISO3 != iso3 || iso3 == "XXX" {
		return ""
	}
	return c.Name
}
