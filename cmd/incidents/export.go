package main

import (
	"errors"

	"github.com/spf13/cobra"
)

// Placeholder until the export verb lands; its owner replaces this file.
func newExportCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "export",
		Short: "(export: not built yet)",
		RunE: func(*cobra.Command, []string) error {
			return errors.New("export: not built yet")
		},
	}
}
