package ingest

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/memory"

	"github.com/incidentkit/incidents/ingest/synth"
	"github.com/incidentkit/incidents/schema"
)

// failAfter is an io.Writer that fails once it has taken n bytes, as a full
// disk does.
type failAfter struct{ n int }

var errDiskFull = errors.New("disk full")

func (w *failAfter) Write(p []byte) (int, error) {
	if len(p) > w.n {
		w.n = 0
		return 0, errDiskFull
	}
	w.n -= len(p)
	return len(p), nil
}

// TestAccountingWhenStopped: a run stopped by an error (emit failing, the
// rejects writer full, a truncated input) or a cancellation still accounts
// for every row it read: read = written + merged + rejected + unwritten,
// written being exactly the rows of the records emit took; nothing leaks.
func TestAccountingWhenStopped(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, layout string, n int64) string {
		var buf bytes.Buffer
		if _, err := synth.Generate(&buf, layout, n, 3, synth.Options{Messy: 0.02}); err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	acled := write("acled.csv", "acled", 3000)
	reports := write("reports.csv", "reports", 3000)
	// an input whose reads fail two thirds in (a disk error)
	raw, err := os.ReadFile(write("big.csv", "acled", 20000))
	if err != nil {
		t.Fatal(err)
	}
	errIO := errors.New("input/output error")
	failing := func(string) (io.ReadCloser, error) {
		return io.NopCloser(io.MultiReader(bytes.NewReader(raw[:len(raw)*2/3]), iotest.ErrReader(errIO))), nil
	}
	boom := errors.New("boom")
	cases := []struct {
		name      string
		inputs    []string
		opts      Options
		emitFails int // the emit call that fails (1-based; 0: none)
		cancelAt  int // the emit call that cancels the run (0: none)
		rejects   int // bytes the rejects writer takes (0: unlimited)
		want      error
		left      bool // rows are surely left unwritten (a cancellation between chunks may leave none)
	}{
		{"acled emit fails", []string{acled}, Options{BatchSize: 100}, 4, 0, 0, boom, true},
		{"acled cancelled", []string{acled}, Options{BatchSize: 100}, 0, 3, 0, context.Canceled, false},
		{"acled rejects full", []string{acled}, Options{BatchSize: 100}, 0, 0, 3000, errDiskFull, true},
		{"acled read fails", []string{acled}, Options{BatchSize: 100, Open: failing}, 0, 0, 0, errIO, false},
		{"reports emit fails", []string{reports}, Options{BatchSize: 100}, 4, 0, 0, boom, true},
		{"reports cancelled", []string{reports}, Options{BatchSize: 100}, 0, 3, 0, context.Canceled, true},
		{"reports rejects full", []string{reports}, Options{BatchSize: 100}, 0, 0, 3000, errDiskFull, true},
		{"reports spilled emit fails", []string{reports}, Options{BatchSize: 100, reportBudget: 8 << 10}, 4, 0, 0, boom, true},
		{"reports spilled cancelled", []string{reports}, Options{BatchSize: 100, reportBudget: 8 << 10}, 0, 3, 0, context.Canceled, true},
		{"reports then acled, emit fails", []string{reports, acled}, Options{BatchSize: 100}, 10, 0, 0, boom, true},
		{"acled then reports, cancelled", []string{acled, reports}, Options{BatchSize: 100}, 0, 35, 0, context.Canceled, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
			defer mem.AssertSize(t, 0)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			o := c.opts
			o.Mem, o.Workers = mem, 2
			var rejects bytes.Buffer
			o.Rejects = &rejects
			if c.rejects > 0 {
				o.Rejects = &failAfter{c.rejects}
			}
			calls, taken := 0, int64(0)
			sum, err := Normalize(ctx, c.inputs, o, func(rec arrow.Record) error {
				calls++
				if calls == c.emitFails {
					return boom
				}
				if calls == c.cancelAt {
					cancel()
				}
				rows, err := schema.AppendIncidents(nil, rec)
				taken += int64(len(rows))
				return err
			})
			if err == nil {
				t.Fatalf("the run did not stop (%d emits)", calls)
			}
			if c.want != nil && !errors.Is(err, c.want) {
				t.Errorf("err = %v, want %v", err, c.want)
			}
			checkAccounting(t, sum, err)
			if sum.Incidents != taken {
				t.Errorf("summary says %d rows written, emit took %d", sum.Incidents, taken)
			}
			if sum.RowsRead == 0 || (c.left && sum.Unwritten == 0) {
				t.Errorf("read %d, written %d, merged %d, rejected %d, unwritten %d: the run should stop with rows left",
					sum.RowsRead, sum.Incidents, sum.Merged, sum.Rejected, sum.Unwritten)
			}
			var text bytes.Buffer
			sum.WriteText(&text)
			if sum.Unwritten > 0 && !strings.Contains(text.String(), "not written (the run stopped)") {
				t.Errorf("summary does not say rows were left:\n%s", text.String())
			}
		})
	}
}
