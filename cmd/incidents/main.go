// Command incidents normalizes political-violence incident records (ACLED,
// UCDP GED, GTD, hand-coded reports) into one typed schema, computes
// casualty and frequency statistics, and writes Parquet and Arrow.
//
// Every verb is a thin shell over an exported library function of the
// ingest, stats and export packages; this package alone prints and exits.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"runtime/pprof"
	"syscall"
)

// Exit statuses.
const (
	exitOK       = 0
	exitError    = 1
	exitRejected = 3 // more rows rejected than --max-rejects allows (output still written)
)

// exitCodeError carries a non-default exit status up to main.
type exitCodeError struct {
	code int
	err  error
}

func (e *exitCodeError) Error() string { return e.err.Error() }
func (e *exitCodeError) Unwrap() error { return e.err }

func main() {
	os.Exit(profiled(func() int { return run(os.Args[1:]) }))
}

// profiled runs f, writing a CPU profile to $INCIDENTS_CPUPROFILE and a heap
// profile (at exit) to $INCIDENTS_MEMPROFILE when they are set: how
// bench/notes.md's end-to-end profiles are taken (go tool pprof -top FILE).
func profiled(f func() int) int {
	if p := os.Getenv("INCIDENTS_CPUPROFILE"); p != "" {
		out, err := os.Create(p)
		if err != nil {
			fmt.Fprintln(os.Stderr, "incidents:", err)
			return exitError
		}
		defer out.Close()
		if err := pprof.StartCPUProfile(out); err != nil {
			fmt.Fprintln(os.Stderr, "incidents:", err)
			return exitError
		}
		defer pprof.StopCPUProfile()
	}
	code := f()
	if p := os.Getenv("INCIDENTS_MEMPROFILE"); p != "" {
		if out, err := os.Create(p); err == nil {
			pprof.Lookup("allocs").WriteTo(out, 0)
			out.Close()
		}
	}
	return code
}

// run executes the command line and returns the exit status. SIGINT and
// SIGTERM cancel the context, so writers remove their temporary files.
func run(args []string) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	defer softMemoryLimit(defaultMemoryLimit)()
	root := newRootCmd()
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return exitOK
	}
	fmt.Fprintln(os.Stderr, "incidents:", err)
	var ec *exitCodeError
	if errors.As(err, &ec) {
		return ec.code
	}
	return exitError
}
