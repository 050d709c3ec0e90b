package main

import (
	"io"
	"os"
	"sync"
	"time"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"
	"golang.org/x/term"
)

// progressDelay is how long a run goes before its bar appears: a file read
// in under half a second needs no progress report, and its bar would only
// flicker.
const progressDelay = 500 * time.Millisecond

// addPictureCommands registers report, plot and the persistent --quiet flag
// on root (cobra adds 'completion bash|zsh|fish|powershell' by itself).
func addPictureCommands(root *cobra.Command) {
	root.AddCommand(newReportCmd(), newPlotCmd())
	root.PersistentFlags().BoolP("quiet", "q", false, "no progress bars on stderr (the final summary line is still printed)")
}

// quiet reports whether --quiet was given.
func quiet(cmd *cobra.Command) bool {
	q, _ := cmd.Flags().GetBool("quiet")
	return q
}

// progress draws a bar of bytes (or rows) done, with rate and time left, on
// stderr. It shows only when stderr is a terminal and --quiet is off, and
// only once the run has lasted progressDelay; otherwise it does nothing.
// Its methods are safe for concurrent use and on a nil *progress; Set
// matches ingest.Options.Progress.
type progress struct {
	mu    sync.Mutex
	done  int64
	bar   *progressbar.ProgressBar // nil when disabled
	bytes bool                     // counts raw input bytes (readProgress), not rows
}

// newProgress returns the progress of a run over total units (bytes when
// bytes is true, rows otherwise; -1 when unknown, which draws a spinner),
// described by desc.
func newProgress(cmd *cobra.Command, desc string, total int64, bytes bool) *progress {
	if quiet(cmd) || !isTerminal(os.Stderr) {
		return &progress{}
	}
	return newProgressTo(os.Stderr, desc, total, bytes, progressDelay)
}

// newProgressTo draws to w after delay. The bar starts counting at once, so
// its rate and time left are right when it first appears.
func newProgressTo(w io.Writer, desc string, total int64, bytes bool, delay time.Duration) *progress {
	unit := "rows"
	if bytes {
		unit = ""
	}
	return newUnitProgressTo(w, desc, total, unit, delay)
}

// newUnitProgressTo is newProgressTo counting unit (bytes when "").
func newUnitProgressTo(w io.Writer, desc string, total int64, unit string, delay time.Duration) *progress {
	opts := []progressbar.Option{
		progressbar.OptionSetWriter(&gatedWriter{w: w, open: time.Now().Add(delay)}),
		progressbar.OptionSetDescription(desc),
		progressbar.OptionSetWidth(30),
		progressbar.OptionThrottle(100 * time.Millisecond),
		progressbar.OptionSetPredictTime(true),
		progressbar.OptionClearOnFinish(),
		progressbar.OptionUseANSICodes(true),
		progressbar.OptionSetRenderBlankState(true), // starts the clock now: the first chunk may be large
	}
	if unit == "" {
		opts = append(opts, progressbar.OptionShowBytes(true), progressbar.OptionShowTotalBytes(true), progressbar.OptionShowCount())
	} else {
		opts = append(opts, progressbar.OptionShowCount(), progressbar.OptionShowIts(), progressbar.OptionSetItsString(unit))
	}
	return &progress{bar: progressbar.NewOptions64(total, opts...)}
}

func isTerminal(f *os.File) bool { return term.IsTerminal(int(f.Fd())) }

// gatedWriter drops what is written before open.
type gatedWriter struct {
	w    io.Writer
	open time.Time
}

func (g *gatedWriter) Write(p []byte) (int, error) {
	if time.Now().Before(g.open) {
		return len(p), nil
	}
	return g.w.Write(p)
}

// inputSize sums the sizes of the named files; -1 when one is stdin ("-")
// or not a regular file, so the bar becomes a spinner.
func inputSize(paths []string) int64 {
	var n int64
	for _, p := range paths {
		st, err := os.Stat(p)
		if p == "-" || err != nil || !st.Mode().IsRegular() {
			return -1
		}
		n += st.Size()
	}
	return n
}

// Set records that done units are finished.
func (p *progress) Set(done int64) {
	if p == nil || p.bar == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.done = done
	_ = p.bar.Set64(done) // drawing to a terminal; a failed redraw is not worth stopping the run
}

// Add records n more units finished.
func (p *progress) Add(n int64) {
	if p == nil || p.bar == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.done += n
	_ = p.bar.Set64(p.done)
}

// countRows wraps a record consumer so that each record's rows count as
// done: the bar of a reader that reports no bytes.
func (p *progress) countRows(fn func(arrow.Record) error) func(arrow.Record) error {
	return func(rec arrow.Record) error {
		p.Add(rec.NumRows())
		return fn(rec)
	}
}

// Done removes the bar, leaving the terminal line free for the summary.
func (p *progress) Done() {
	if p == nil || p.bar == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	_ = p.bar.Finish()
	_ = p.bar.Clear()
}

// bootstrapBars draws one bar of bootstrap replicates per group, as
// stats.Options.Progress reports them: a group's bar appears once its
// bootstrap has run progressDelay and is cleared when it ends. Update is
// safe for concurrent use.
type bootstrapBars struct {
	w     io.Writer
	desc  string
	delay time.Duration

	mu    sync.Mutex
	group string
	bar   *progress
}

// newBootstrapBars returns the bars of a command's tail fits on stderr, or
// nil when stderr is no terminal or --quiet is given: the caller then
// leaves stats.Options.Progress unset.
func newBootstrapBars(cmd *cobra.Command, desc string) *bootstrapBars {
	if quiet(cmd) || !isTerminal(os.Stderr) {
		return nil
	}
	return &bootstrapBars{w: os.Stderr, desc: desc, delay: progressDelay}
}

// Update matches stats.Options.Progress.
func (b *bootstrapBars) Update(group string, done, total int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.bar == nil || group != b.group {
		b.bar.Done()
		desc := b.desc
		if group != "" {
			desc += " " + group
		}
		b.bar = newUnitProgressTo(b.w, desc, int64(total), "replicates", b.delay)
		b.group = group
	}
	b.bar.Set(int64(done))
	if done >= total {
		b.bar.Done()
		b.bar = nil
	}
}

// Done clears a bar left by an interrupted bootstrap.
func (b *bootstrapBars) Done() {
	if b == nil {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	b.bar.Done()
	b.bar = nil
}

// progressFunc is b.Update, or nil for a nil b.
func (b *bootstrapBars) progressFunc() func(group string, done, total int) {
	if b == nil {
		return nil
	}
	return b.Update
}
