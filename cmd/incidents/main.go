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

// run executes the command line and returns the exit status. SIGINT,
// SIGTERM and SIGHUP cancel the context, so writers remove their temporary
// files; the run then says "interrupted" and exits with 128 + the signal's
// number (130 for Ctrl-C).
func run(args []string) int {
	ctx, cancel := context.WithCancelCause(context.Background())
	defer cancel(nil)
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	defer signal.Stop(sigs)
	go func() {
		select {
		case s := <-sigs:
			cancel(signalError{s.(syscall.Signal)})
		case <-ctx.Done():
		}
	}()
	defer softMemoryLimit(defaultMemoryLimit)()
	root := newRootCmd()
	root.SetArgs(args)
	cmd, err := root.ExecuteContextC(ctx)
	if err == nil {
		return exitOK // finished, its outputs in place, whatever came in at the end
	}
	var sig signalError
	if errors.As(context.Cause(ctx), &sig) {
		fmt.Fprintln(os.Stderr, "incidents:", sig)
		return 128 + int(sig.s)
	}
	fmt.Fprintln(os.Stderr, userMessage(cmd, withHints(err)))
	var ec *exitCodeError
	if errors.As(err, &ec) {
		return ec.code
	}
	return exitError
}

// signalError is the cause of a run cancelled by a signal.
type signalError struct{ s syscall.Signal }

func (e signalError) Error() string {
	if e.s == syscall.SIGINT {
		return "interrupted"
	}
	name := map[syscall.Signal]string{syscall.SIGTERM: "SIGTERM", syscall.SIGHUP: "SIGHUP"}[e.s]
	if name == "" {
		name = e.s.String()
	}
	return "interrupted (" + name + ")"
}
