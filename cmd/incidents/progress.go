package main

import (
	"io"
	"os"
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"
	"golang.org/x/term"
)

// progressDelay is how long a run goes before it gets a bar: a file read in
// under half a second needs no progress report, and its bar would only
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
// stderr. It shows only when stderr is a terminal, --quiet is off and the
// run has lasted progressDelay; otherwise it does nothing. Set is safe for
// concurrent use and matches ingest.Options.Progress.
type progress struct {
	mu      sync.Mutex
	w       io.Writer
	enabled bool
	desc    string
	total   int64 // -1: unknown (a spinner)
	bytes   bool
	start   time.Time
	done    int64
	bar     *progressbar.ProgressBar
}

// newProgress returns the progress of a run over total units (bytes when
// bytes is true, rows otherwise; -1 when unknown), described by desc.
func newProgress(cmd *cobra.Command, desc string, total int64, bytes bool) *progress {
	return &progress{
		w:       os.Stderr,
		enabled: !quiet(cmd) && isTerminal(os.Stderr),
		desc:    desc,
		total:   total,
		bytes:   bytes,
		start:   time.Now(),
	}
}

func isTerminal(f *os.File) bool { return term.IsTerminal(int(f.Fd())) }

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
	if p == nil || !p.enabled {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.setLocked(done)
}

func (p *progress) setLocked(done int64) {
	p.done = done
	if p.bar == nil {
		if time.Since(p.start) < progressDelay {
			return
		}
		opts := []progressbar.Option{
			progressbar.OptionSetWriter(p.w),
			progressbar.OptionSetDescription(p.desc),
			progressbar.OptionSetWidth(30),
			progressbar.OptionThrottle(100 * time.Millisecond),
			progressbar.OptionShowElapsedTimeOnFinish(),
			progressbar.OptionSetPredictTime(true),
			progressbar.OptionClearOnFinish(),
			progressbar.OptionUseANSICodes(true),
		}
		if p.bytes {
			opts = append(opts, progressbar.OptionShowBytes(true), progressbar.OptionShowTotalBytes(true), progressbar.OptionShowCount())
		} else {
			opts = append(opts, progressbar.OptionShowCount(), progressbar.OptionShowIts(), progressbar.OptionSetItsString("rows"))
		}
		p.bar = progressbar.NewOptions64(p.total, opts...)
	}
	_ = p.bar.Set64(done) // drawing to a terminal; a failed redraw is not worth stopping the run
}

// Add records n more units finished.
func (p *progress) Add(n int64) {
	if p == nil || !p.enabled {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.setLocked(p.done + n)
}

// Done removes the bar, leaving the terminal line free for the summary.
func (p *progress) Done() {
	if p == nil || !p.enabled {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.bar != nil {
		_ = p.bar.Finish()
		_ = p.bar.Clear()
	}
}
