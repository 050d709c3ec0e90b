package main

import (
	"os"
	"runtime/debug"
	"runtime/metrics"
	"time"
)

// defaultMemoryLimit is the heap size the streaming commands keep to by
// collecting garbage more often than Go's default (GOGC=100 lets the heap
// grow to twice the live data): normalizing 2M ACLED rows to Parquet
// (`/usr/bin/time -f '%M KB %U user' incidents normalize --quiet -o o.parquet
// bench-out/acled-2000000.csv`, with and without GOMEMLIMIT=200MiB) peaks at
// ~225 MB RSS with it and ~365 MB without, for 5-10% more CPU.
const defaultMemoryLimit = 200 << 20

// softMemoryLimit sets Go's soft memory limit to base unless GOMEMLIMIT is
// set (then the user's choice stands). A limit below what the program
// really holds would make the collector run without pause, so a watcher
// raises it to 1.5 times the live heap whenever the live heap passes 85% of
// it (a large reports file held for reconciliation, a spreadsheet): memory
// then grows as with GOGC=50, never stalls; the limit comes back down (not
// below base) when the live heap shrinks, so that a moment's peak does not
// raise it for the rest of the run. The returned func stops the
// watcher.
func softMemoryLimit(base int64) (stop func()) {
	if os.Getenv("GOMEMLIMIT") != "" || base <= 0 {
		return func() {}
	}
	debug.SetMemoryLimit(base)
	done := make(chan struct{})
	go func() {
		sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
		limit := base
		tick := time.NewTicker(50 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-done:
				return
			case <-tick.C:
			}
			metrics.Read(sample)
			if sample[0].Value.Kind() != metrics.KindUint64 {
				return
			}
			live := int64(sample[0].Value.Uint64())
			want := live * 3 / 2
			switch {
			case live > limit*85/100 && want > limit:
				limit = want
				debug.SetMemoryLimit(limit)
			case limit > base && want < limit*3/4: // the data shrank again: back down
				limit = max(base, want)
				debug.SetMemoryLimit(limit)
			}
		}
	}()
	return func() { close(done) }
}
