package main

import (
	"bufio"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/incidentkit/incidents/export"
	"github.com/incidentkit/incidents/ingest/synth"
	"github.com/spf13/cobra"
)

func newGenCmd() *cobra.Command {
	var (
		layout    string
		n         int64
		seed      uint64
		messy     float64
		out       string
		workers   int
		overwrite bool
	)
	cmd := &cobra.Command{
		Use:   "gen",
		Short: "Write deterministic synthetic incident data (ACLED, UCDP GED, GTD, reports or GDELT layout) as CSV (GDELT: headerless TSV)",
		Long: `gen writes synthetic incident rows in the column layout of a real source, for
benchmarks and tests: ACLED's export (31 columns, UTF-8 BOM), UCDP GED (49
columns), the GTD (135 columns) or the hand-coded reports layout (casualty
phrases, several reports per incident). Values look real (country names as
each dataset spells them, ACLED's event taxonomy, notes with commas, quotes
and line breaks, heavy-tailed fatalities). --messy F puts one bad value
(unknown country, impossible date, unreadable figure) in a share F of rows.

The same --layout, -n, --seed and --messy always give byte-identical output.
The file is written under a temporary name and renamed when complete: Ctrl-C,
SIGTERM or SIGHUP leave nothing, and an existing file is replaced only with
--overwrite (-f).`,
		Example: `  incidents gen --layout acled -n 2000000 -o acled.csv
  incidents gen --layout ucdp-ged -n 100000 --seed 7 --messy 0.01 -o ged.csv
  incidents gen --layout reports -n 20 | incidents normalize -o reports.parquet -
  incidents gen --layout gtd -n 1000 -o - | head -3`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if _, err := synth.Header(layout); err != nil {
				return err
			}
			if err := checkRange("gen", "--workers", int64(workers), 0, maxWorkers); err != nil {
				return err
			}
			if n < 0 {
				return fmt.Errorf("gen: --rows %d: must be 0 or more", n)
			}
			ctx := cmd.Context()
			var w io.Writer = cmd.OutOrStdout()
			var f *export.File
			if out != "-" && out != "" {
				var err error
				if f, err = export.CreateFile(out, export.OutputOptions{Overwrite: overwrite}); err != nil {
					return err
				}
				defer f.Abort()
				w = f
			}
			cw := &ctxWriter{ctx: ctx, w: w}
			bw := bufio.NewWriterSize(cw, 1<<20)
			start := time.Now()
			// synth.Generate is not waited for after a signal: once its
			// writer fails it may stay blocked on a block no worker builds,
			// so the run removes its temporary file and returns at once.
			type result struct {
				sum synth.Summary
				err error
			}
			done := make(chan result, 1)
			go func() {
				sum, err := synth.Generate(bw, layout, n, seed, synth.Options{Messy: messy, Workers: workers})
				if err == nil {
					err = bw.Flush()
				}
				done <- result{sum, err}
			}()
			var res result
			select {
			case res = <-done:
			case <-ctx.Done():
			}
			if cerr := ctx.Err(); cerr != nil {
				if f != nil {
					f.Abort()
					fmt.Fprintf(cmd.ErrOrStderr(), "gen: stopped after %.1f MB; nothing was written (%s was not created or changed)\n",
						float64(cw.bytes.Load())/1e6, out)
				}
				return cerr
			}
			sum, err := res.sum, res.err
			if err != nil {
				return fmt.Errorf("gen: %w", err)
			}
			if f != nil {
				if err := f.Commit(); err != nil {
					return err
				}
			}
			if f != nil && !quiet(cmd) {
				el := time.Since(start)
				fmt.Fprintf(cmd.ErrOrStderr(), "gen: %d %s rows (%d messy), %.1f MB in %.2fs (%.0f MB/s) to %s\n",
					sum.Rows, layout, sum.Messy, float64(sum.Bytes)/1e6, el.Seconds(),
					float64(sum.Bytes)/1e6/el.Seconds(), out)
			}
			return nil
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&layout, "layout", "acled", "column layout: "+strings.Join(synth.Layouts(), ", "))
	fl.Int64VarP(&n, "rows", "n", 1000, "number of data rows")
	fl.Uint64Var(&seed, "seed", 1, "seed: the same seed gives the same bytes")
	fl.Float64Var(&messy, "messy", 0, "share of rows (0..1) with one bad value")
	fl.StringVarP(&out, "output", "o", "-", `output file, "-" for stdout`)
	fl.IntVar(&workers, "workers", 0, "goroutines building rows (0: one per CPU); the output does not depend on it")
	addOverwriteFlag(fl, &overwrite)
	return cmd
}
