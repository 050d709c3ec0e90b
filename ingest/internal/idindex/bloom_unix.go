//go:build unix

package idindex

import (
	"syscall"
	"unsafe"
)

// allocBloom returns a zeroed filter of n words outside the Go heap (an
// anonymous mapping), so that the garbage collector neither scans it nor
// counts it as live heap: a filter that grows with the input (20 MB at 10M
// ids) would otherwise push the live heap past the commands' soft memory
// limit (cmd/incidents/memlimit.go), which then rises by half the heap,
// and resident memory with it (10M rows peaked 28% above 1M's). The
// filter's own bytes are still resident and counted in RSS. free releases
// it; a failed mapping falls back to the heap.
func allocBloom(n int) (words []uint64, free func()) {
	b, err := syscall.Mmap(-1, 0, n*8, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_ANON|syscall.MAP_PRIVATE)
	if err != nil {
		return make([]uint64, n), func() {}
	}
	return unsafe.Slice((*uint64)(unsafe.Pointer(&b[0])), n), func() { syscall.Munmap(b) }
}
