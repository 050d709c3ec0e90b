package main

import (
	"github.com/spf13/cobra"
)

func newRootCmd() *cobra.Command {
	root := &cobra.Command{
		Use:   "incidents",
		Short: "Normalize political-violence incident data, compute statistics, write Parquet and Arrow",
		Long: `incidents turns ACLED and UCDP GED exports, GTD spreadsheets and hand-coded news
reports into one typed schema (see 'incidents schema'), computes casualty and
frequency statistics, and writes Parquet and Arrow files that pandas, polars,
pyarrow and DuckDB read with the right types.

Output formats follow the extension of -o: .parquet, .arrow/.feather (Arrow IPC
file), .arrows (IPC stream), .csv, .jsonl; "-" writes to stdout.
Exit status: 0 success, 1 error, 3 more rows rejected than --max-rejects.`,
		Example: `  incidents demo -o /tmp/incidents-demo
  incidents normalize -o events.parquet acled_export.csv
  incidents stats --by country_iso3 --period year events.parquet`,
		Version:       shortVersion(),
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.AddCommand(
		newNormalizeCmd(),
		newExportCmd(),
		newStatsCmd(),
		newSchemaCmd(),
		newInspectCmd(),
		newDemoCmd(),
		newGenCmd(),
		newPanelCmd(),
		newDiffCmd(),
		newServeCmd(),
		newLinkCmd(),
		newUpdateCmd(),
		newVersionCmd(),
	)
	addPictureCommands(root) // report, plot, --quiet: cmd/incidents/progress.go
	root.SetVersionTemplate(versionText())
	catchUsageErrors(root)
	return root
}
