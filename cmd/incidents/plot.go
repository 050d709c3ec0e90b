package main

import (
	"bytes"
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/incidentkit/incidents/export"
	"github.com/incidentkit/incidents/ingest"
	"github.com/incidentkit/incidents/report"
	"github.com/incidentkit/incidents/stats"
)

func newPlotCmd() *cobra.Command {
	var (
		opts          report.ChartOptions
		out           string
		width, height int
		overwrite     bool
	)
	cmd := &cobra.Command{
		Use:   "plot --kind timeseries|bar|ccdf|map [flags] -o FILE.{svg,png,pdf} INPUT...",
		Short: "Draw one chart (time series, bar chart, severity CCDF or map) as SVG, PNG or PDF",
		Long: `Draw one chart to paste into a paper; the format follows the extension of -o
(.svg, .png, .pdf) and the size is in pixels at 96 per inch (a PDF page of
800x500 px measures 600x375 pt).

  timeseries  events (or --value fatalities, with the low..high band) per
              --period, empty periods drawn as zero: 'incidents stats
              --period P --series'
  bar         events per value of --by, the --top largest: 'incidents stats
              --by C --top K'
  ccdf        P(X >= x) of fatalities_best >= 1 on log-log axes with the
              discrete power law fitted above x_min: 'incidents stats --tail'
  map         country outlines (Natural Earth 1:110m, embedded: no network)
              shaded by events per country, and the events as circles at
              their coordinates, area by fatalities_best, coloured by event
              type; Equal Earth for the world, equirectangular for a region,
              fitted to the events; at most 1,500 circles (nearby events are
              binned into grid cells); SVG tooltips give the numbers

The palette is Okabe-Ito, readable with colour-vision deficiencies.`,
		Example: `  incidents plot --kind timeseries --period quarter -o events.svg events.parquet
  incidents plot --kind timeseries --value fatalities -o deaths.pdf events.parquet
  incidents plot --kind bar --by actor1 --top 15 --width 900 --height 600 -o actors.png events.parquet
  incidents plot --kind ccdf -o severity.pdf events.parquet
  incidents plot --kind map --width 1000 --height 520 -o map.svg events.parquet`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, inputs []string) error {
			if out == "" {
				return errors.New("plot: -o FILE.svg|png|pdf is required")
			}
			format, err := report.FormatOf(out)
			if err != nil {
				return err
			}
			for _, b := range []struct {
				flag      string
				v, lo, hi int64
			}{
				{"--width", int64(width), minPixels, maxPixels},
				{"--height", int64(height), minPixels, maxPixels},
				{"--top", int64(opts.Top), 1, maxTop},
			} {
				if err := checkRange("plot", b.flag, b.v, b.lo, b.hi); err != nil {
					return err
				}
			}
			if err := export.CheckOutput(out, export.OutputOptions{Overwrite: overwrite, Inputs: inputs}); err != nil {
				return err
			}
			if cmd.Flags().Changed("by") && opts.Kind != report.KindBar {
				return fmt.Errorf("plot: --by applies to --kind bar, not %s", opts.Kind)
			}
			opts.CountryName = countryName
			c, err := report.NewChartBuilder(opts)
			if err != nil {
				return err
			}
			prog := readProgress(cmd, "plot", inputs)
			var rawSum *ingest.Summary
			rawSum, err = readRecordsSummary(cmd.Context(), prog, inputs, c.Columns(), nil, c.Add)
			prog.Done()
			if err != nil {
				return err
			}
			sayRawAccounting(cmd, "plot", rawSum)
			var buf bytes.Buffer
			err = c.Write(&buf, format, width, height)
			if errors.Is(err, report.ErrNoData) {
				return fmt.Errorf("plot: nothing to draw: %w", err)
			}
			if err != nil {
				return err
			}
			if err := cmd.Context().Err(); err != nil {
				return err
			}
			if err := writeOutput(cmd.OutOrStdout(), out, buf.Bytes(), overwrite, inputs); err != nil {
				return err
			}
			fmt.Fprintf(cmd.ErrOrStderr(), "plot: %s %dx%d px -> %s\n", opts.Kind, width, height, out)
			return nil
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&opts.Kind, "kind", report.KindTimeSeries, "timeseries, bar, ccdf or map")
	fl.StringVarP(&out, "output", "o", "", "the file to write: .svg, .png or .pdf")
	fl.StringVar(&opts.Title, "title", "", "chart title (default: what is drawn)")
	fl.StringVar(&opts.Period, "period", stats.PeriodMonth, "timeseries: day, week (ISO), month, quarter or year")
	fl.StringVar(&opts.Value, "value", "events", "timeseries: events or fatalities")
	fl.StringVar(&opts.By, "by", "country_iso3", "bar: the column whose values are the bars")
	fl.IntVar(&opts.Top, "top", 10, fmt.Sprintf("bar: the number of bars (1 to %d)", maxTop))
	fl.IntVar(&width, "width", 800, fmt.Sprintf("width in pixels (%d to %d)", minPixels, maxPixels))
	fl.IntVar(&height, "height", 500, fmt.Sprintf("height in pixels (%d to %d)", minPixels, maxPixels))
	addOverwriteFlag(fl, &overwrite)
	return cmd
}
