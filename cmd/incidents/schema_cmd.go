package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/incidentkit/incidents/schema"
)

func newSchemaCmd() *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "schema",
		Short: "Print the incidents schema (version " + schema.Version + ")",
		Long: `Print the columns every normalized file has: as a readable table (default),
as JSON Schema 2020-12 for one JSON Lines row, as the Arrow schema, or as the
Markdown table of SCHEMA.md.`,
		Example: `  incidents schema
  incidents schema --format json-schema > incident.schema.json
  incidents schema --format arrow`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			out := cmd.OutOrStdout()
			switch format {
			case "table":
				fmt.Fprintf(out, "incidents schema version %s\n\n%s", schema.Version, schema.Table())
			case "markdown":
				fmt.Fprint(out, schema.MarkdownTable())
			case "arrow":
				fmt.Fprintln(out, schema.Arrow())
			case "json-schema":
				b, err := schema.JSONSchema()
				if err != nil {
					return err
				}
				fmt.Fprintf(out, "%s\n", b)
			default:
				return fmt.Errorf("schema: unknown --format %q (table, json-schema, arrow, markdown)", format)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&format, "format", "table", "table, json-schema, arrow or markdown")
	return cmd
}
