package main

import (
	"errors"

	"github.com/spf13/cobra"
)

// Placeholder until the demo verb lands; its owner replaces this file.
func newDemoCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "demo",
		Short: "(demo: not built yet)",
		RunE: func(*cobra.Command, []string) error {
			return errors.New("demo: not built yet")
		},
	}
}
