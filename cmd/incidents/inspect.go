package main

import (
	"errors"

	"github.com/spf13/cobra"
)

// Placeholder until the inspect verb lands; its owner replaces this file.
func newInspectCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "inspect",
		Short: "(inspect: not built yet)",
		RunE: func(*cobra.Command, []string) error {
			return errors.New("inspect: not built yet")
		},
	}
}
