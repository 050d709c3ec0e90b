package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/incidentkit/incidents/ingest/synth"
)

// incidents gen writes exactly what synth.Generate writes, to a file or to
// stdout, and refuses an unknown layout.
func TestGenCommand(t *testing.T) {
	var want bytes.Buffer
	if _, err := synth.Generate(&want, "ucdp-ged", 3000, 9, synth.Options{Messy: 0.1}); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "ged.csv")
	root := newRootCmd()
	var stderr bytes.Buffer
	root.SetErr(&stderr)
	root.SetArgs([]string{"gen", "--layout", "ucdp-ged", "-n", "3000", "--seed", "9", "--messy", "0.1", "-o", path})
	if err := root.Execute(); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want.Bytes()) {
		t.Errorf("gen -o wrote %d bytes, synth.Generate %d; they differ", len(got), want.Len())
	}
	if !strings.Contains(stderr.String(), "3000 ucdp-ged rows") {
		t.Errorf("summary line %q", stderr.String())
	}

	root = newRootCmd()
	var stdout bytes.Buffer
	root.SetOut(&stdout)
	root.SetArgs([]string{"gen", "--layout", "ucdp-ged", "-n", "3000", "--seed", "9", "--messy", "0.1"})
	if err := root.Execute(); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(stdout.Bytes(), want.Bytes()) {
		t.Error("gen to stdout differs from synth.Generate")
	}

	root = newRootCmd()
	root.SetArgs([]string{"gen", "--layout", "polecat", "-n", "1"})
	if err := root.Execute(); err == nil || !strings.Contains(err.Error(), "unknown layout") {
		t.Errorf("unknown layout: err = %v", err)
	}
}
