package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync/atomic"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/incidentkit/incidents/export"
	"github.com/incidentkit/incidents/ingest"
)

// Every command that writes follows export's output rule (export/output.go):
// an existing output is replaced only with --overwrite (-f); a folder is
// never replaced by a file nor a file by a folder; an output (data, rejects,
// dataset folder) that is an input, contains one or lies in an input folder
// is refused, inputs compared by device and inode. Outputs are written to a
// temporary file beside the target and renamed when the run succeeds.

// addOverwriteFlag registers --overwrite / -f.
func addOverwriteFlag(fs *pflag.FlagSet, v *bool) {
	fs.BoolVarP(v, "overwrite", "f", false, "replace an existing output (never a folder by a file or a file by a folder, never an input)")
}

// withHints adds the flag that lifts a refusal to errors whose library
// message cannot name it.
func withHints(err error) error {
	switch {
	case errors.Is(err, export.ErrOutputExists):
		return fmt.Errorf("%w; use --overwrite (-f) to replace it", err)
	case errors.Is(err, export.ErrTooManyPartitions):
		return fmt.Errorf("%w; raise --max-partitions or partition by coarser columns", err)
	}
	return err
}

// writeOutput writes data to path atomically under the output rule, or to
// stdout for "-".
func writeOutput(stdout io.Writer, path string, data []byte, overwrite bool, inputs []string) error {
	if path == "-" {
		_, err := stdout.Write(data)
		return err
	}
	return export.WriteFile(path, data, export.OutputOptions{Overwrite: overwrite, Inputs: inputs})
}

// samePath reports whether a and b name the same file: the same inode when
// both exist, the same cleaned absolute path otherwise.
func samePath(a, b string) bool {
	if fa, err := os.Stat(a); err == nil {
		if fb, err := os.Stat(b); err == nil {
			return os.SameFile(fa, fb)
		}
	}
	aa, err1 := filepath.Abs(a)
	bb, err2 := filepath.Abs(b)
	return err1 == nil && err2 == nil && aa == bb
}

// rejectsOut is a run's rejects file: rows go to a temporary file beside
// it, installed by finish only when the run succeeded with at least one
// reject. An existing file at its path is untouched until then.
type rejectsOut struct {
	path      string
	overwrite bool
	f         *export.File
	w         *bufio.Writer
}

// openRejects prepares the rejects file path (nil for ""), refusing it under
// the output rule or when it is the run's output.
func openRejects(cmdName, path, out string, overwrite bool, inputs []string) (*rejectsOut, error) {
	if path == "" {
		return nil, nil
	}
	if out != "-" && samePath(path, out) {
		return nil, fmt.Errorf("%s: --rejects %s is the output file", cmdName, path)
	}
	f, err := export.CreateFile(path, export.OutputOptions{Overwrite: overwrite, Inputs: inputs})
	if err != nil {
		return nil, err
	}
	return &rejectsOut{path: path, overwrite: overwrite, f: f, w: bufio.NewWriterSize(f, 1<<16)}, nil
}

// writer is where the rejected rows go (nil for no rejects file).
func (r *rejectsOut) writer() io.Writer {
	if r == nil {
		return nil
	}
	return r.w
}

// finish installs the rejects when there are some and returns the summary
// line that says where they are. Without rejects no file is written; an
// earlier run's file at the path is removed when --overwrite replaces that
// run's output, so that it cannot pass for this run's.
func (r *rejectsOut) finish(rejected int64) (string, error) {
	if r == nil {
		if rejected == 0 {
			return "no rejects", nil
		}
		return fmt.Sprintf("%d rejects (no rejects file)", rejected), nil
	}
	if rejected == 0 {
		r.f.Abort()
		if r.overwrite {
			if fi, err := os.Lstat(r.path); err == nil && fi.Mode().IsRegular() {
				if err := os.Remove(r.path); err != nil {
					return "", fmt.Errorf("removing the earlier %s: %w", r.path, err)
				}
				return "no rejects (the earlier " + r.path + " was removed)", nil
			}
		}
		return "no rejects", nil
	}
	if err := r.w.Flush(); err != nil {
		r.f.Abort()
		return "", fmt.Errorf("%s: %w", r.path, err)
	}
	if err := r.f.Commit(); err != nil {
		return "", err
	}
	return fmt.Sprintf("%d rejects in %s", rejected, r.path), nil
}

// abort drops the temporary rejects file.
func (r *rejectsOut) abort() {
	if r != nil {
		r.f.Abort()
	}
}

// ctxWriter fails writes once ctx is done, so a producer that only knows an
// io.Writer (gen's synth.Generate) stops on a signal.
type ctxWriter struct {
	ctx   context.Context
	w     io.Writer
	bytes atomic.Int64 // written so far
}

func (c *ctxWriter) Write(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	n, err := c.w.Write(p)
	c.bytes.Add(int64(n))
	return n, err
}

// Bounds of the size flags, so that a typo cannot ask for terabytes.
const (
	maxBatchSize = 1 << 20 // rows per record
	maxWorkers   = 1024
	maxTop       = 1000000 // groups or bars kept
	maxBootstrap = 100000  // replicates (1000 take seconds; 100k a long lunch)
	maxPixels    = 10000   // a chart's width or height: 10000x10000 RGBA is 400 MB
	minPixels    = 50
	maxTableRows = 100000 // report --deadliest, inspect --rows
)

// checkRange refuses a flag value outside lo..hi.
func checkRange(cmdName, flag string, v, lo, hi int64) error {
	if v < lo || v > hi {
		return fmt.Errorf("%s: %s %d is out of range (%d to %d)", cmdName, flag, v, lo, hi)
	}
	return nil
}

// writeFailedSummary reports a run that stopped: what was read, and that
// nothing was written (the output and rejects stay as they were).
func writeFailedSummary(cmd *cobra.Command, sum *ingest.Summary, out, rejects string) {
	w := cmd.ErrOrStderr()
	if sum != nil {
		for _, in := range sum.Inputs {
			fmt.Fprintf(w, "input %s: profile %s, format %s, %d rows read\n", in.Path, in.Profile, in.Format, in.RowsRead)
		}
		fmt.Fprintf(w, "rows read %d before the run stopped\n", sum.RowsRead)
	}
	what := "nothing was written"
	switch {
	case out == "-":
		what = "the output on stdout is incomplete"
	case rejects != "":
		what += " (" + out + " and " + rejects + " were not created or changed)"
	default:
		what += " (" + out + " was not created or changed)"
	}
	fmt.Fprintln(w, what)
}
