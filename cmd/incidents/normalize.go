package main

import (
	"errors"

	"github.com/spf13/cobra"
)

// Placeholder until the normalize verb lands; its owner replaces this file.
func newNormalizeCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "normalize",
		Short: "(normalize: not built yet)",
		RunE: func(*cobra.Command, []string) error {
			return errors.New("normalize: not built yet")
		},
	}
}
