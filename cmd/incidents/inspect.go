package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/incidentkit/incidents/export"
)

func newInspectCmd() *cobra.Command {
	var rows int
	cmd := &cobra.Command{
		Use:   "inspect [--rows N] FILE",
		Short: "Describe a Parquet or Arrow file: schema, rows, row groups, column statistics, metadata, first rows",
		Long: `Describe a Parquet or Arrow file (IPC file or stream): its size, row count,
row groups (Parquet) or record batches (Arrow), each column's type, null
count, minimum and maximum (Parquet: from the footer statistics, with the
codec, encodings and compressed bytes; Arrow: computed by reading the file),
the key-value metadata (incidents.schema_version, incidents.version,
incidents.inputs, ...) and the first rows as JSON Lines.`,
		Example: `  incidents inspect events.parquet
  incidents inspect --rows 0 events.feather
  incidents inspect --rows 20 events_by_country/year=2019/country_iso3=TJK/part-0000.parquet`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkRange("inspect", "--rows", int64(rows), 0, maxTableRows); err != nil {
				return err
			}
			info, err := export.Inspect(cmd.Context(), args[0], rows)
			if err != nil {
				return err
			}
			return info.WriteText(cmd.OutOrStdout())
		},
	}
	cmd.Flags().IntVar(&rows, "rows", 5, fmt.Sprintf("number of first rows to show (0 to %d; export -o - prints them all)", maxTableRows))
	return cmd
}
