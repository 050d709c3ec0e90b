package main

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

// The bar draws once the run has lasted progressDelay, shows bytes, and is
// cleared by Done; a disabled bar (not a terminal, or --quiet) writes
// nothing.
func TestProgress(t *testing.T) {
	var buf bytes.Buffer
	p := &progress{w: &buf, enabled: true, desc: "normalize", total: 4 << 20, bytes: true, start: time.Now()}
	p.Set(1 << 20)
	if buf.Len() != 0 {
		t.Errorf("bar drawn before progressDelay: %q", buf.String())
	}
	p.start = time.Now().Add(-time.Second)
	p.Set(2 << 20)
	p.Add(1 << 20)
	if p.done != 3<<20 {
		t.Errorf("done = %d, want %d", p.done, 3<<20)
	}
	out := buf.String()
	if !strings.Contains(out, "normalize") || !strings.Contains(out, "MB") {
		t.Errorf("bar output %q lacks the description or byte counts", out)
	}
	p.Done()

	buf.Reset()
	off := &progress{w: &buf, enabled: false, total: 10, start: time.Now().Add(-time.Hour)}
	off.Set(5)
	off.Add(1)
	off.Done()
	var nilBar *progress
	nilBar.Set(1)
	nilBar.Done()
	if buf.Len() != 0 {
		t.Errorf("disabled bar wrote %q", buf.String())
	}
}

// --quiet turns bars off whatever stderr is.
func TestProgressQuiet(t *testing.T) {
	root := newRootCmd()
	if root.PersistentFlags().Lookup("quiet") == nil {
		t.Fatal("no persistent --quiet flag")
	}
	if err := root.PersistentFlags().Set("quiet", "true"); err != nil {
		t.Fatal(err)
	}
	if p := newProgress(root, "x", 10, false); p.enabled {
		t.Error("--quiet: bar enabled")
	}
}

func TestInputSize(t *testing.T) {
	if n := inputSize([]string{"../../testdata/sample/reports.csv"}); n <= 0 {
		t.Errorf("inputSize(sample) = %d", n)
	}
	if n := inputSize([]string{"-"}); n != -1 {
		t.Errorf("inputSize(stdin) = %d, want -1", n)
	}
	if n := inputSize([]string{"no/such/file"}); n != -1 {
		t.Errorf("inputSize(missing) = %d, want -1", n)
	}
}
