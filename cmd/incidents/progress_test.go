package main

import (
	"bytes"
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/apache/arrow/go/v17/arrow"
)

// syncBuffer is a bytes.Buffer safe for the bar's spinner goroutine.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// The bar draws nothing before its delay, then bytes done of the total;
// Done clears it.
func TestProgress(t *testing.T) {
	var buf syncBuffer
	p := newProgressTo(&buf, "normalize", 4<<20, true, 200*time.Millisecond)
	p.Set(1 << 20)
	if s := buf.String(); s != "" {
		t.Errorf("bar drawn before its delay: %q", s)
	}
	time.Sleep(250 * time.Millisecond)
	p.Set(2 << 20)
	p.Add(1 << 20)
	if p.done != 3<<20 {
		t.Errorf("done = %d, want %d", p.done, 3<<20)
	}
	p.Done()
	out := buf.String()
	if !strings.Contains(out, "normalize") || !strings.Contains(out, "/4.2 MB") {
		t.Errorf("bar output %q lacks the description or byte counts", out)
	}
	// a rate computed from the bar's start, not from its first appearance
	if strings.Contains(out, "GB/s") || strings.Contains(out, "TB/s") {
		t.Errorf("implausible rate in %q", out)
	}
}

// A disabled bar (stderr not a terminal, or --quiet) and a nil one do
// nothing.
func TestProgressDisabled(t *testing.T) {
	root := newRootCmd()
	if root.PersistentFlags().Lookup("quiet") == nil {
		t.Fatal("no persistent --quiet flag")
	}
	if err := root.PersistentFlags().Set("quiet", "true"); err != nil {
		t.Fatal(err)
	}
	p := newProgress(root, "x", 10, false)
	if p.bar != nil {
		t.Error("--quiet: bar enabled")
	}
	p.Set(5)
	p.Add(1)
	p.Done()
	var nilBar *progress
	nilBar.Set(1)
	nilBar.Add(1)
	nilBar.Done()
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

// Bootstrap bars: one per group, named after it, counting replicates;
// each is cleared when its group's bootstrap ends.
func TestBootstrapBars(t *testing.T) {
	var buf syncBuffer
	b := &bootstrapBars{w: &buf, desc: "bootstrap", delay: 0}
	for _, g := range []string{"TJK", "UZB"} {
		for i := 1; i <= 50; i++ {
			b.Update(g, i, 50)
		}
		if b.bar != nil {
			t.Errorf("%s: bar left open after the last replicate", g)
		}
	}
	b.Done()
	out := buf.String()
	for _, want := range []string{"bootstrap TJK", "bootstrap UZB", "replicates"} {
		if !strings.Contains(out, want) {
			t.Errorf("bar output %q lacks %q", out, want)
		}
	}
	var none *bootstrapBars
	none.Done()
	if none.progressFunc() != nil {
		t.Error("a nil bootstrapBars gives a progress function")
	}
}

// stats, plot, report and panel draw normalize's bar of bytes (with
// percentage and time left) over raw files, and count rows over our own.
func TestReadProgress(t *testing.T) {
	root := newRootCmd()
	if err := root.PersistentFlags().Set("quiet", "true"); err != nil {
		t.Fatal(err)
	}
	const csv = "../../testdata/sample/reports.csv"
	if p := readProgress(root, "stats", []string{csv}); !p.bytes {
		t.Error("raw CSV: progress does not count bytes")
	}
	if p := readProgress(root, "stats", []string{"-"}); p.bytes {
		t.Error("stdin: progress counts bytes of an unknown total")
	}
	if p := readProgress(root, "stats", []string{"../../testdata/stats/events.jsonl"}); p.bytes {
		t.Error("normalized JSON Lines: progress counts bytes")
	}

	var buf syncBuffer
	p := newProgressTo(&buf, "stats", inputSize([]string{csv}), true, 0)
	p.bytes = true
	rows := int64(0)
	if _, err := readRecordsSummary(context.Background(), p, []string{csv}, []string{"incident_id"}, nil,
		func(rec arrow.Record) error { rows += rec.NumRows(); return nil }); err != nil {
		t.Fatal(err)
	}
	if rows == 0 || p.done != inputSize([]string{csv}) {
		t.Errorf("read %d rows, bar at %d of %d bytes", rows, p.done, inputSize([]string{csv}))
	}
	p.Done()
	if out := buf.String(); !strings.Contains(out, "%") {
		t.Errorf("bar %q shows no percentage", out)
	}
}
