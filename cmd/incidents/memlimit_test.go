package main

import (
	"math"
	"runtime"
	"runtime/debug"
	"testing"
	"time"
)

// TestSoftMemoryLimit: the limit is set, follows a live heap that outgrows
// it (never left below what the program holds), and GOMEMLIMIT wins.
func TestSoftMemoryLimit(t *testing.T) {
	defer debug.SetMemoryLimit(math.MaxInt64)
	t.Setenv("GOMEMLIMIT", "")
	stop := softMemoryLimit(16 << 20)
	if got := debug.SetMemoryLimit(-1); got != 16<<20 {
		t.Fatalf("limit %d, want 16 MiB", got)
	}
	hold := make([][]byte, 0, 64)
	for i := 0; i < 48; i++ { // 48 MiB live, three times the limit
		hold = append(hold, make([]byte, 1<<20))
		for j := range hold[i] {
			hold[i][j] = byte(j)
		}
	}
	deadline := time.Now().Add(5 * time.Second)
	for debug.SetMemoryLimit(-1) < 48<<20 && time.Now().Before(deadline) {
		runtime.GC()
		time.Sleep(60 * time.Millisecond)
	}
	if got := debug.SetMemoryLimit(-1); got < 48<<20 {
		t.Errorf("limit %d MiB with 48 MiB live: the watcher should have raised it", got>>20)
	}
	runtime.KeepAlive(hold)
	hold = nil
	deadline = time.Now().Add(5 * time.Second)
	for debug.SetMemoryLimit(-1) > 16<<20 && time.Now().Before(deadline) {
		runtime.GC()
		time.Sleep(60 * time.Millisecond)
	}
	stop()
	if got := debug.SetMemoryLimit(-1); got != 16<<20 {
		t.Errorf("limit %d MiB once the live heap shrank, want back to 16 MiB", got>>20)
	}

	debug.SetMemoryLimit(math.MaxInt64)
	t.Setenv("GOMEMLIMIT", "1GiB")
	softMemoryLimit(16 << 20)()
	if got := debug.SetMemoryLimit(-1); got != math.MaxInt64 {
		t.Errorf("GOMEMLIMIT set, yet the limit became %d", got)
	}
}
