// Package idindex is the spillable set of incident-id hashes behind the
// pipeline's duplicate-id check.
package idindex

import (
	"cmp"
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"math/bits"
	"slices"

	"github.com/incidentkit/incidents/internal/spill"
)

// Index is the set of the 64-bit hashes of the incident ids written so far
// in a run, each with a value (the pipeline's: the input and line the id
// was first seen on), in little memory. It is exact for hashes, not for ids:
// two ids of one hash count as one (about 1e-7 for 2 million ids, and the
// pipeline reports it as a duplicate naming both lines). The newest hashes
// live in a table of at most budget entries; the newest ids live in a table of at most budget entries;
// when it fills up, it is sorted and written to a temporary file as a run of
// 16-byte entries, leaving in memory every 256th hash of the run and the
// ids' bits in one blocked Bloom filter over all runs (16 bits an id, one
// cache line a probe; rebuilt half as large again from the runs when it fills).
// Looking up an id probes the table, then the filter, and reads one 4 KB
// block of each run only when the filter says "maybe" (about one lookup in
// a thousand, or a real duplicate). So 10 million ids hold 20 to 30 MB of
// filter besides the table, against ~35 bytes an id (350 MB) for a map.
type Index struct {
	mem     idTable
	budget  int
	runs    []idRun
	spilled int        // ids in the runs
	spills  int        // spills so far (the filter changes with each)
	maybe   []bool     // LookupOrAddAll's scratch
	bloom   []uint64   // blocked Bloom filter of every spilled id: 512-bit blocks
	bloomN  int        // ids it is sized for (idBloomBits each); rebuilt larger from the runs when full
	free    func()     // releases bloom (allocBloom)
	expect  int        // ids the caller expects in all (Expect): the filter's first size
	f       spill.File // the runs, back to back; removed when closed
	size    int64
	buf     []byte
	create  spill.CreateFunc
	inMem   error // why every id is kept in memory (nil: spilling)
}

type idRun struct {
	off   int64    // of the run's first entry in f
	n     int      // entries
	fence []uint64 // the hash of entries 0, 256, 512, ...
}

const (
	idEntryBytes   = 16
	idBlockEntries = 256 // entries a fence covers: one 4 KB read
	idBloomBits    = 16  // filter bits per id
	idBloomProbes  = 8   // bits set per id, within one 512-bit block
)

// defaultIDBudget bounds the in-memory map: about 20 MB.
const defaultIDBudget = 1 << 19

// New returns an index holding budget ids in memory (0: about 20 MB)
// before it spills to a temporary file made by create (nil: spill.Create).
func New(budget int, create spill.CreateFunc) *Index {
	if budget <= 0 {
		budget = defaultIDBudget
	}
	if create == nil {
		create = spill.Create
	}
	return &Index{budget: budget, create: create}
}

// InMemory returns why the index keeps every id in memory (a temporary
// file that could not be created, or a write to it that failed, such as a
// full disk), or nil while it spills.
func (x *Index) InMemory() error { return x.inMem }

// keepInMemory stops spilling: the ids in memory stay there (the runs
// already written stay too), as a map would hold them, rather than fail the
// run.
func (x *Index) keepInMemory(err error) {
	x.inMem = err
	x.budget = math.MaxInt
	x.mem.grow()
}

// idTable is the in-memory part: open addressing with linear probing over
// interleaved (hash, value) pairs, kept at most half full, so that a lookup
// that adds costs one probe sequence and usually one cache line (a Go map
// takes two hash probes for a lookup and an insert, and twice the memory).
type idTable struct {
	slots   []uint64 // hash, value, hash, value...; hash 0 = empty
	n       int
	shift   uint
	zero    bool // hash 0 itself, kept aside
	zeroVal uint64
}

// init sizes the table for n entries at most half full (a power of two).
func (t *idTable) init(n int) {
	size := 1 << bits.Len(uint(2*max(n, 512)-1))
	t.slots = make([]uint64, 2*size)
	t.shift = uint(64 - bits.Len(uint(size-1)))
}

// grow doubles the table when it is half full (small runs stay small).
func (t *idTable) grow() {
	old := t.slots
	t.init(len(old) / 2) // len(old)/2 = the old size: twice the slots
	for i := 0; i < len(old); i += 2 {
		if h := old[i]; h != 0 {
			slot, _ := t.find(h)
			t.slots[2*slot], t.slots[2*slot+1] = h, old[i+1]
		}
	}
}

// find returns the slot of h, or of the empty slot where h belongs, and
// whether h is there (slot -1 stands for hash 0, kept aside).
func (t *idTable) find(h uint64) (int, bool) {
	if h == 0 {
		return -1, t.zero
	}
	mask := len(t.slots)/2 - 1
	for i := int(h >> t.shift); ; i = (i + 1) & mask {
		switch t.slots[2*i] {
		case h:
			return i, true
		case 0:
			return i, false
		}
	}
}

func (t *idTable) value(slot int) uint64 {
	if slot < 0 {
		return t.zeroVal
	}
	return t.slots[2*slot+1]
}

// set fills the empty slot find returned for h (nothing added in between).
func (t *idTable) set(slot int, h, v uint64) {
	if slot < 0 {
		t.zero, t.zeroVal = true, v
	} else {
		t.slots[2*slot], t.slots[2*slot+1] = h, v
	}
	t.n++
}

func (t *idTable) clear() {
	clear(t.slots)
	t.n, t.zero = 0, false
}

func (t *idTable) each(fn func(h, v uint64)) {
	if t.zero {
		fn(0, t.zeroVal)
	}
	for i := 0; i < len(t.slots); i += 2 {
		if t.slots[i] != 0 {
			fn(t.slots[i], t.slots[i+1])
		}
	}
}

// LookupOrAdd returns the value stored with h and true when h was added
// before; otherwise it adds h with v.
func (x *Index) LookupOrAdd(h, v uint64) (uint64, bool, error) {
	return x.lookupOrAddMaybe(h, v, x.spilled > 0 && x.mayHold(h))
}

// LookupOrAddAll is LookupOrAdd for each of hs in turn (with the value
// val(i)), calling dup with the index and stored value of each hash added
// before. The Bloom filter is probed for the whole batch first: the probes
// are independent loads, which the processor overlaps, where one at a time
// each waits for its cache miss.
func (x *Index) LookupOrAddAll(hs []uint64, val func(i int) uint64, dup func(i int, prev uint64)) error {
	maybe := x.maybe[:0]
	gen := x.spills
	if x.spilled > 0 {
		for _, h := range hs {
			maybe = append(maybe, x.mayHold(h))
		}
	}
	x.maybe = maybe
	for i, h := range hs {
		m := false
		switch {
		case x.spilled == 0:
		case x.spills == gen:
			m = maybe[i]
		default: // a spill in this batch changed the filter
			m = x.mayHold(h)
		}
		prev, ok, err := x.lookupOrAddMaybe(h, val(i), m)
		if err != nil {
			return err
		}
		if ok {
			dup(i, prev)
		}
	}
	return nil
}

// lookupOrAddMaybe is LookupOrAdd given the filter's answer for h.
func (x *Index) lookupOrAddMaybe(h, v uint64, maybe bool) (uint64, bool, error) {
	if x.mem.slots == nil {
		x.mem.init(0)
	}
	slot, ok := x.mem.find(h)
	if ok {
		return x.mem.value(slot), true, nil
	}
	if maybe {
		for i := range x.runs {
			if prev, ok, err := x.lookupRun(&x.runs[i], h); err != nil || ok {
				return prev, ok, err
			}
		}
	}
	x.mem.set(slot, h, v)
	if 4*x.mem.n >= len(x.mem.slots) && x.mem.n < x.budget { // half full
		x.mem.grow()
	}
	if x.mem.n >= x.budget {
		if err := x.spill(); err != nil {
			return 0, false, err
		}
	}
	return 0, false, nil
}

// bloomProbe returns the filter block of h and its probe bits, taken from a
// second mix of h so that they are independent of the block index.
func bloomProbe(h uint64, blocks int) (int, [8]uint64) {
	block := int((h >> 32) * uint64(blocks) >> 32)
	z := h*0x9e3779b97f4a7c15 + 0x632be59bd9b4e019
	z = (z ^ (z >> 29)) * 0xbf58476d1ce4e5b9
	var m [8]uint64
	for i := 0; i < idBloomProbes; i++ {
		b := (z >> (9 * i)) & 511 // 7 probes from z's 63 bits, the 8th from a remix
		if i == 7 {
			b = bits.RotateLeft64(z, 17) * 0x94d049bb133111eb >> 55
		}
		m[b>>6] |= 1 << (b & 63)
	}
	return block, m
}

// mayHold reports whether the filter holds h's bits (false: h is in no run).
func (x *Index) mayHold(h uint64) bool {
	block, m := bloomProbe(h, len(x.bloom)/8)
	words := x.bloom[block*8 : block*8+8]
	for i, w := range m {
		if words[i]&w != w {
			return false
		}
	}
	return true
}

// addBloom sets h's bits.
func (x *Index) addBloom(h uint64) {
	block, m := bloomProbe(h, len(x.bloom)/8)
	for j, w := range m {
		x.bloom[block*8+j] |= w
	}
}

// Expect says how many ids the run will add in all, as far as the caller
// can tell (the input's size over the bytes of its first rows): the filter
// is made that large when the first run spills, instead of growing by half
// again from a small size, each growth holding the old filter and the new
// (10M ids: 13.5 and 20 MB at once). A wrong guess costs memory or a
// rebuild, never a wrong answer.
func (x *Index) Expect(n int) {
	x.expect = min(max(n, 0), 1<<31)
}

// sizeBloom makes the filter room for n ids, refilling it from the runs.
func (x *Index) sizeBloom(n int) error {
	x.bloomN = n
	if x.free != nil {
		x.free()
	}
	x.bloom, x.free = allocBloom(max(1, (n*idBloomBits+511)/512) * 8)
	buf := make([]byte, 64<<10)
	for _, r := range x.runs {
		for done := 0; done < r.n; {
			k := min(len(buf)/idEntryBytes, r.n-done)
			b := buf[:k*idEntryBytes]
			if _, err := x.f.ReadAt(b, r.off+int64(done)*idEntryBytes); err != nil {
				return fmt.Errorf("ingest: duplicate-id index: %w", err)
			}
			for i := 0; i < k; i++ {
				x.addBloom(binary.LittleEndian.Uint64(b[i*idEntryBytes:]))
			}
			done += k
		}
	}
	return nil
}

// lookupRun finds h in run r by reading the one block of entries that could
// hold it.
func (x *Index) lookupRun(r *idRun, h uint64) (uint64, bool, error) {
	k, _ := slices.BinarySearch(r.fence, h)
	if k == len(r.fence) || r.fence[k] != h {
		k-- // the block whose first hash is below h
	}
	if k < 0 {
		return 0, false, nil
	}
	first := k * idBlockEntries
	n := min(idBlockEntries, r.n-first)
	buf := x.buf[:n*idEntryBytes]
	if _, err := x.f.ReadAt(buf, r.off+int64(first)*idEntryBytes); err != nil {
		return 0, false, fmt.Errorf("ingest: duplicate-id index: %w", err)
	}
	lo, hi := 0, n
	for lo < hi {
		mid := (lo + hi) / 2
		if binary.LittleEndian.Uint64(buf[mid*idEntryBytes:]) < h {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	if lo < n && binary.LittleEndian.Uint64(buf[lo*idEntryBytes:]) == h {
		return binary.LittleEndian.Uint64(buf[lo*idEntryBytes+8:]), true, nil
	}
	return 0, false, nil
}

// spill writes the map as a sorted run and empties it.
func (x *Index) spill() error {
	if x.f == nil {
		f, err := x.create("incidents-ids-*")
		if err != nil { // no writable temporary folder ($TMPDIR)
			x.keepInMemory(err)
			return nil
		}
		x.f = f
		x.buf = make([]byte, idBlockEntries*idEntryBytes)
	}
	type entry struct{ h, v uint64 }
	keys := make([]entry, 0, x.mem.n)
	x.mem.each(func(h, v uint64) { keys = append(keys, entry{h, v}) })
	slices.SortFunc(keys, func(a, b entry) int { return cmp.Compare(a.h, b.h) })
	r := idRun{off: x.size, n: len(keys), fence: make([]uint64, 0, (len(keys)+idBlockEntries-1)/idBlockEntries)}
	out := make([]byte, 0, 64<<10)
	for i, e := range keys {
		h := e.h
		if i%idBlockEntries == 0 {
			r.fence = append(r.fence, h)
		}
		out = binary.LittleEndian.AppendUint64(out, h)
		out = binary.LittleEndian.AppendUint64(out, e.v)
		if len(out) == cap(out) {
			if err := x.write(out); err != nil {
				x.size = r.off // the run is dropped; its ids are still in memory
				x.keepInMemory(err)
				return nil
			}
			out = out[:0]
		}
	}
	if err := x.write(out); err != nil {
		x.size = r.off
		x.keepInMemory(err)
		return nil
	}
	x.runs = append(x.runs, r)
	x.spilled += r.n
	x.spills++
	if x.spilled > x.bloomN { // rebuilt from every run, this one included
		if err := x.sizeBloom(max(x.bloomN*3/2, 4*x.budget, x.spilled, x.expect*11/10)); err != nil {
			return err
		}
	} else {
		for _, e := range keys {
			x.addBloom(e.h)
		}
	}
	x.mem.clear()
	return nil
}

func (x *Index) write(b []byte) error {
	n, err := x.f.WriteAt(b, x.size)
	x.size += int64(n)
	if err == nil && n < len(b) {
		err = io.ErrShortWrite
	}
	return err
}

// Close removes the temporary file and frees the filter.
func (x *Index) Close() {
	if x.free != nil {
		x.free()
		x.free, x.bloom = nil, nil
	}
	if x.f != nil {
		x.f.Close()
		x.f = nil
	}
}
