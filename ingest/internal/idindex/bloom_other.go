//go:build !unix

package idindex

// allocBloom returns a zeroed filter of n words on the heap.
func allocBloom(n int) (words []uint64, free func()) { return make([]uint64, n), func() {} }
