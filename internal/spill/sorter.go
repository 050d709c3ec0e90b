package spill

import (
	"bufio"
	"bytes"
	"cmp"
	"container/heap"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"slices"
)

// Sorter is an external sort of records (key, seq, payload) by key, then
// seq, in about budget bytes of memory: records gather in memory until they
// take budget bytes, then are sorted and written to a temporary file as a
// run; Sort merges the runs. When the file cannot be created or written
// (no usable $TMPDIR, a full disk), the records that would have spilled stay
// in memory (InMemory says why) and the result is the same.
type Sorter struct {
	budget  int
	create  CreateFunc
	pattern string

	arena []byte // the buffered records' keys and payloads, back to back
	recs  []rec
	runs  []run
	f     File
	size  int64 // bytes of runs in f
	inMem error // why everything stays in memory from now on (nil: spilling)
	n     int64
	wbuf  []byte // the spill's write buffer, kept between spills
}

type rec struct {
	off        int
	klen, plen int
	seq        uint64
}

// recOverhead is what a buffered record costs besides its bytes.
const recOverhead = 40

type run struct {
	off, size int64
	n         int64
}

// NewSorter returns a sorter holding about budget bytes in memory before it
// spills to files made by create (nil: Create) with the pattern.
func NewSorter(budget int, create CreateFunc, pattern string) *Sorter {
	if create == nil {
		create = Create
	}
	return &Sorter{budget: max(budget, 1), create: create, pattern: pattern}
}

// Add adds a record; key and payload are copied.
func (s *Sorter) Add(key []byte, seq uint64, payload []byte) {
	off := len(s.arena)
	s.arena = append(s.arena, key...)
	s.arena = append(s.arena, payload...)
	s.recs = append(s.recs, rec{off: off, klen: len(key), plen: len(payload), seq: seq})
	s.n++
	if s.inMem == nil && len(s.arena)+recOverhead*len(s.recs) >= s.budget {
		s.spill()
	}
}

// Len is the number of records added.
func (s *Sorter) Len() int64 { return s.n }

// Spilled is the number of runs written to disk.
func (s *Sorter) Spilled() int { return len(s.runs) }

// InMemory returns why the sorter stopped spilling (a temporary file that
// could not be created or written), or nil.
func (s *Sorter) InMemory() error { return s.inMem }

func (s *Sorter) key(r *rec) []byte     { return s.arena[r.off : r.off+r.klen] }
func (s *Sorter) payload(r *rec) []byte { return s.arena[r.off+r.klen : r.off+r.klen+r.plen] }

func (s *Sorter) sortBuffer() {
	slices.SortFunc(s.recs, func(a, b rec) int {
		if c := bytes.Compare(s.key(&a), s.key(&b)); c != 0 {
			return c
		}
		return cmp.Compare(a.seq, b.seq)
	})
}

// spill writes the buffer as a sorted run; when it cannot, the buffer stays
// and so does every record added later.
func (s *Sorter) spill() {
	if len(s.recs) == 0 {
		return
	}
	if s.f == nil {
		f, err := s.create(s.pattern)
		if err != nil {
			s.inMem = err
			return
		}
		s.f = f
	}
	s.sortBuffer()
	if s.wbuf == nil {
		s.wbuf = make([]byte, 0, min(256<<10, max(4<<10, s.budget)))
	}
	w := &Writer{f: s.f, off: s.size, buf: s.wbuf[:0]}
	var hdr [2*binary.MaxVarintLen64 + 8]byte
	for i := range s.recs {
		r := &s.recs[i]
		h := binary.AppendUvarint(hdr[:0], uint64(r.klen))
		h = binary.AppendUvarint(h, uint64(r.plen))
		h = binary.LittleEndian.AppendUint64(h, r.seq)
		w.Write(h)
		w.Write(s.key(r))
		w.Write(s.payload(r))
	}
	if err := w.Flush(); err != nil {
		// The run is not kept; what was written of it is overwritten by
		// nothing, as nothing more is written.
		s.inMem = err
		return
	}
	s.runs = append(s.runs, run{off: s.size, size: w.Offset() - s.size, n: int64(len(s.recs))})
	s.size = w.Offset()
	s.arena, s.recs = s.arena[:0], s.recs[:0]
	if cap(s.arena) > 2*s.budget { // after a large record
		s.arena = nil
	}
}

// Sort ends the adding and returns the records in order. The Sorter must not
// be used after, except for Close.
func (s *Sorter) Sort() *Iter {
	if len(s.runs) > 0 && s.inMem == nil {
		s.spill() // what is left, so that merging holds only read buffers
	}
	s.sortBuffer()
	it := &Iter{s: s}
	// Read buffers: 64 KB a run, less with many runs (a small budget), so
	// that they stay within the budget, but at least 4 KB.
	bufSize := min(64<<10, max(4<<10, s.budget/max(1, len(s.runs))))
	for _, r := range s.runs {
		src := &source{run: r, left: r.n, rd: bufio.NewReaderSize(io.NewSectionReader(s.f, r.off, r.size), bufSize)}
		it.srcs = append(it.srcs, src)
	}
	if len(s.recs) > 0 {
		it.srcs = append(it.srcs, &source{mem: true, left: int64(len(s.recs))})
	}
	for i, src := range it.srcs {
		src.idx = i
		if it.advance(src) {
			it.h = append(it.h, src)
		}
		if it.err != nil {
			return it
		}
	}
	heap.Init(&it.h)
	return it
}

// Close removes the temporary file.
func (s *Sorter) Close() error {
	s.arena, s.recs = nil, nil
	if s.f == nil {
		return nil
	}
	err := s.f.Close()
	s.f = nil
	return err
}

// Iter reads the sorted records.
type Iter struct {
	s    *Sorter
	srcs []*source
	h    srcHeap
	cur  *source
	err  error
}

type source struct {
	idx  int
	run  run
	rd   *bufio.Reader
	mem  bool
	pos  int // mem: next record
	left int64
	key  []byte
	seq  uint64
	pay  []byte
	buf  []byte
}

// advance loads src's next record; false at its end or on an error (it.err).
func (it *Iter) advance(src *source) bool {
	if src.left == 0 {
		return false
	}
	src.left--
	if src.mem {
		r := &it.s.recs[src.pos]
		src.pos++
		src.key, src.seq, src.pay = it.s.key(r), r.seq, it.s.payload(r)
		return true
	}
	klen, err := binary.ReadUvarint(src.rd)
	var plen uint64
	if err == nil {
		plen, err = binary.ReadUvarint(src.rd)
	}
	var seq [8]byte
	if err == nil {
		_, err = io.ReadFull(src.rd, seq[:])
	}
	if err == nil && klen+plen > uint64(src.run.size) {
		err = errors.New("record longer than its run")
	}
	if err == nil {
		n := int(klen + plen)
		if cap(src.buf) < n {
			src.buf = make([]byte, n)
		}
		src.buf = src.buf[:n]
		_, err = io.ReadFull(src.rd, src.buf)
	}
	if err != nil {
		if err == io.EOF {
			err = io.ErrUnexpectedEOF
		}
		it.err = fmt.Errorf("reading back a spilled run: %w", err)
		return false
	}
	src.key, src.seq, src.pay = src.buf[:klen], binary.LittleEndian.Uint64(seq[:]), src.buf[klen:]
	return true
}

// Next moves to the next record; false at the end or on an error (Err).
func (it *Iter) Next() bool {
	if it.err != nil {
		return false
	}
	if it.cur != nil {
		if it.advance(it.cur) {
			heap.Push(&it.h, it.cur)
		}
		it.cur = nil
		if it.err != nil {
			return false
		}
	}
	if len(it.h) == 0 {
		return false
	}
	it.cur = heap.Pop(&it.h).(*source)
	return true
}

// Key, Seq and Payload are the current record's; the slices are valid until
// the next call of Next.
func (it *Iter) Key() []byte     { return it.cur.key }
func (it *Iter) Seq() uint64     { return it.cur.seq }
func (it *Iter) Payload() []byte { return it.cur.pay }

// Err is the error that ended the records early, if any.
func (it *Iter) Err() error { return it.err }

type srcHeap []*source

func (h srcHeap) Len() int { return len(h) }
func (h srcHeap) Less(i, j int) bool {
	if c := bytes.Compare(h[i].key, h[j].key); c != 0 {
		return c < 0
	}
	if h[i].seq != h[j].seq {
		return h[i].seq < h[j].seq
	}
	return h[i].idx < h[j].idx
}
func (h srcHeap) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *srcHeap) Push(x any)   { *h = append(*h, x.(*source)) }
func (h *srcHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}
