package main

import (
	"errors"

	"github.com/spf13/cobra"
)

// Placeholder until the stats verb lands; its owner replaces this file.
func newStatsCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "stats",
		Short: "(stats: not built yet)",
		RunE: func(*cobra.Command, []string) error {
			return errors.New("stats: not built yet")
		},
	}
}
