package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/spf13/cobra"

	sample "github.com/incidentkit/incidents"
	"github.com/incidentkit/incidents/export"
	"github.com/incidentkit/incidents/ingest"
	"github.com/incidentkit/incidents/report"
	"github.com/incidentkit/incidents/stats"
)

// demoFiles are the files demo writes into its folder: the only ones it
// replaces there (no folder, nothing else).
var demoFiles = []string{"incidents.parquet", "incidents.rejects.jsonl", "incidents.arrow", "stats.json", "report.html"}

// sampleFiles are the embedded sample inputs, one per profile.
var sampleFiles = []string{"reports.csv", "acled.csv", "ucdp_ged.csv", "gtd.csv"}

func newDemoCmd() *cobra.Command {
	var dir string
	cmd := &cobra.Command{
		Use:   "demo [-o DIR]",
		Short: "Run normalize -> export -> stats -> report on the embedded sample",
		Long: `demo runs the whole pipeline on the sample built into the binary: hand-coded
reports of well-documented attacks (among them the 2019 border-post attack in
Tajikistan, reported with conflicting figures by three sources) and small
extracts in the ACLED, UCDP GED and GTD layouts. It writes into DIR:

  incidents.parquet        the normalized incidents (zstd Parquet)
  incidents.rejects.jsonl  rows that could not be normalized, with reasons
                           (only when there are some)
  incidents.arrow          the same rows as an Arrow IPC (Feather v2) file
  stats.json               casualty statistics per country
  report.html              a self-contained HTML report with charts

and prints the statistics table. Run again, demo replaces these files of
its own (each atomically) and touches nothing else in DIR; a folder at one
of these names stops it.`,
		Example: `  incidents demo
  incidents demo -o /tmp/incidents-demo && duckdb -c "FROM '/tmp/incidents-demo/incidents.parquet' LIMIT 5"`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runDemo(cmd, dir)
		},
	}
	cmd.Flags().StringVarP(&dir, "output", "o", "demo-out", "folder to write into (created if missing; demo replaces only its own five files in it)")
	return cmd
}

func runDemo(cmd *cobra.Command, dir string) error {
	ctx := cmd.Context()
	stdout, stderr := cmd.OutOrStdout(), cmd.ErrOrStderr()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	for _, f := range demoFiles { // before anything is written
		if err := export.CheckOutput(filepath.Join(dir, f), export.OutputOptions{Overwrite: true}); err != nil {
			return err
		}
	}
	pq := filepath.Join(dir, "incidents.parquet")
	inputs := make([]string, len(sampleFiles))
	for i, f := range sampleFiles {
		inputs[i] = path.Join("testdata/sample", f)
	}

	// 1. normalize the embedded files into Parquet, rejects beside it.
	w, err := export.Create(ctx, pq, export.WriteOptions{Overwrite: true,
		Metadata: map[string]string{"incidents.version": shortVersion()}})
	if err != nil {
		return err
	}
	defer w.Abort()
	rejectsPath := filepath.Join(dir, "incidents.rejects.jsonl")
	rej, err := openRejects("demo", rejectsPath, pq, true, nil)
	if err != nil {
		return err
	}
	defer rej.abort()
	sum, err := ingest.Normalize(ctx, inputs, ingest.Options{
		Rejects: rej.writer(),
		Open:    func(name string) (io.ReadCloser, error) { return sample.Sample.Open(name) },
	}, w.Write)
	if err != nil {
		return err
	}
	if err := w.Close(); err != nil {
		return err
	}
	rejNote, err := rej.finish(sum.Rejected)
	if err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	fmt.Fprintln(stderr, "== normalize")
	sum.WriteText(stderr)
	fmt.Fprintln(stderr, rejNote)

	// 2. export: the Parquet file read back and written as Arrow IPC.
	arrowPath := filepath.Join(dir, "incidents.arrow")
	aw, err := export.Create(ctx, arrowPath, export.WriteOptions{Overwrite: true,
		Metadata: map[string]string{"incidents.version": shortVersion()}})
	if err != nil {
		return err
	}
	if err := readRecords(ctx, []string{pq}, nil, aw.Write); err != nil {
		aw.Abort()
		return err
	}
	if err := aw.Close(); err != nil {
		return err
	}

	// 3. stats per country, as a table and as JSON.
	opts := stats.Options{By: []string{"country_iso3"}}
	acc, err := stats.NewAccumulator(opts)
	if err != nil {
		return err
	}
	if err := readRecords(ctx, []string{pq}, stats.Columns(opts), acc.Add); err != nil {
		return err
	}
	res, err := acc.Result()
	if err != nil {
		return err
	}
	var js bytes.Buffer
	if err := res.WriteJSON(&js); err != nil {
		return err
	}
	if err := export.WriteFile(filepath.Join(dir, "stats.json"), js.Bytes(), export.OutputOptions{Overwrite: true}); err != nil {
		return err
	}

	// 4. the HTML report.
	rb, err := report.NewBuilder(report.Options{Title: "incidents demo: the embedded sample", Inputs: sampleFiles, CountryName: countryName,
		Bootstrap: 200, Seed: 1})
	if err != nil {
		return err
	}
	if err := readRecords(ctx, []string{pq}, rb.Columns(), func(rec arrow.Record) error { return rb.Add(rec) }); err != nil {
		return err
	}
	r, err := rb.Report()
	if err != nil {
		return err
	}
	r.Rejects = report.NewRejects(sum.RowsRead, sum.Incidents, sum.Merged, sum.Rejected, sum.RejectReasons)
	var page bytes.Buffer
	if err := report.WriteHTML(&page, r); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := export.WriteFile(filepath.Join(dir, "report.html"), page.Bytes(), export.OutputOptions{Overwrite: true}); err != nil {
		return err
	}

	fmt.Fprintln(stdout, "== stats --by country_iso3")
	if err := res.Compact().WriteTableWidth(stdout, terminalWidth(stdout)); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "\nwrote %s:\n", dir)
	for _, f := range demoFiles {
		if f == "incidents.rejects.jsonl" && sum.Rejected == 0 {
			continue
		}
		fmt.Fprintf(stdout, "  %s\n", filepath.Join(dir, f))
	}
	return nil
}
