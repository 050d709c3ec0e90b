package pipeline

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestNormalizeCancelled: a run stopped midway (Ctrl-C cancels the
// context) returns the context's error and leaves no output, no rejects
// file and no temporary folder.
func TestNormalizeCancelled(t *testing.T) {
	dir := t.TempDir()
	genInputs(t, dir, 20000)
	out := filepath.Join(dir, "out")
	ctx, cancel := context.WithCancel(context.Background())
	go func() { time.Sleep(1500 * time.Millisecond); cancel() }()
	done := make(chan error, 1)
	go func() {
		_, err := Normalize(ctx, NormalizeConfig{Inputs: []string{filepath.Join(dir, "in", "*.csv")}, Output: out, Runner: testRunner})
		done <- err
	}()
	var err error
	select {
	case err = <-done:
	case <-time.After(2 * time.Minute): // not a timing assertion: a hang
		t.Fatal("the cancelled run did not return")
	}
	if err == nil {
		t.Skip("the run finished before it was cancelled")
	}
	ents, _ := os.ReadDir(dir)
	for _, e := range ents {
		if e.Name() != "in" {
			t.Errorf("left behind: %s (err %v)", e.Name(), err)
		}
	}
}
