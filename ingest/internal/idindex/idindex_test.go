package idindex

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/incidentkit/incidents/internal/spill"
)

// TestIDIndex: with a small budget (many spilled runs) the index answers
// exactly as a map: every added hash is found with its value, no other is.
func TestIDIndex(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	x := New(300, nil)
	defer x.Close()
	want := map[uint64]uint64{}
	var order []uint64
	for i := 0; i < 20000; i++ {
		var h uint64
		if i%7 == 3 && len(order) > 0 { // a duplicate of an earlier hash
			h = order[rng.IntN(len(order))]
		} else {
			h = rng.Uint64()
		}
		prev, dup, err := x.LookupOrAdd(h, uint64(i))
		if err != nil {
			t.Fatal(err)
		}
		w, seen := want[h]
		if dup != seen || (dup && prev != w) {
			t.Fatalf("add %d (%x): dup %v prev %d, want %v %d", i, h, dup, prev, seen, w)
		}
		if !seen {
			want[h] = uint64(i)
			order = append(order, h)
		}
	}
	if len(x.runs) < 10 {
		t.Fatalf("%d runs: the test should spill many", len(x.runs))
	}
	falsePos := 0
	for i := 0; i < 20000; i++ { // hashes never added
		h := rng.Uint64()
		if _, ok := want[h]; ok {
			continue
		}
		if x.mayHold(h) {
			falsePos++
		}
		if _, dup := x.mem.find(h); dup {
			t.Fatalf("%x found in memory", h)
		}
		for j := range x.runs { // a filter's "maybe" must end in "no"
			if _, dup, err := x.lookupRun(&x.runs[j], h); dup || err != nil {
				t.Fatalf("%x found in run %d (%v)", h, j, err)
			}
		}
	}
	// 16 bits an id or more, 8 probes in a 512-bit block: about 0.1%
	if rate := float64(falsePos) / 20000; rate > 0.005 {
		t.Errorf("Bloom filter false-positive rate %.4f", rate)
	}
	if x.bloomN < x.spilled || x.bloomN < 4*x.budget {
		t.Errorf("filter sized for %d ids, %d spilled", x.bloomN, x.spilled)
	}
}

// TestIDIndexNoTempDir: without a writable temporary folder the index keeps
// every id in memory and stays exact.
func TestIDIndexNoTempDir(t *testing.T) {
	t.Setenv("TMPDIR", filepath.Join(t.TempDir(), "missing"))
	x := New(100, nil)
	defer x.Close()
	for i := uint64(1); i <= 5000; i++ {
		if _, dup, err := x.LookupOrAdd(i*0x9e3779b97f4a7c15, i); dup || err != nil {
			t.Fatalf("add %d: dup %v, %v", i, dup, err)
		}
	}
	for i := uint64(1); i <= 5000; i++ {
		if v, dup, err := x.LookupOrAdd(i*0x9e3779b97f4a7c15, 0); !dup || v != i || err != nil {
			t.Fatalf("id %d: dup %v value %d, %v", i, dup, v, err)
		}
	}
	if len(x.runs) != 0 || x.f != nil {
		t.Errorf("%d runs spilled without a temporary folder", len(x.runs))
	}
}

// TestIDIndexBatch: LookupOrAddAll, whose filter probes run ahead of the
// adds, answers as LookupOrAdd one at a time, spills inside a batch included.
func TestIDIndexBatch(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	hs := make([]uint64, 30000)
	for i := range hs {
		if i > 0 && i%5 == 0 {
			hs[i] = hs[rng.IntN(i)]
		} else {
			hs[i] = rng.Uint64()
		}
	}
	one, all := New(250, nil), New(250, nil)
	defer one.Close()
	defer all.Close()
	var want, got []string
	for i, h := range hs {
		if prev, dup, err := one.LookupOrAdd(h, uint64(i)); err != nil {
			t.Fatal(err)
		} else if dup {
			want = append(want, fmt.Sprint(i, prev))
		}
	}
	for start := 0; start < len(hs); start += 997 { // batches across several spills
		batch := hs[start:min(start+997, len(hs))]
		err := all.LookupOrAddAll(batch, func(i int) uint64 { return uint64(start + i) },
			func(i int, prev uint64) { got = append(got, fmt.Sprint(start+i, prev)) })
		if err != nil {
			t.Fatal(err)
		}
	}
	if len(want) < 5000 || strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("batched lookups found %d duplicates, one at a time %d (or they differ)", len(got), len(want))
	}
}

// fullFile fails every write past its first room bytes with ENOSPC, as a
// full disk does.
type fullFile struct {
	spill.File
	room int
}

func (f *fullFile) WriteAt(p []byte, off int64) (int, error) {
	if len(p) > f.room {
		n, _ := f.File.WriteAt(p[:f.room], off)
		f.room = 0
		return n, syscall.ENOSPC
	}
	f.room -= len(p)
	return f.File.WriteAt(p, off)
}

// TestIDIndexFullDisk: when the temporary file fills up (ENOSPC) after a few
// runs, mid-run, the index keeps the rest in memory, says why, and answers
// exactly as before: ids of the written runs and of memory alike.
func TestIDIndexFullDisk(t *testing.T) {
	x := New(100, func(pattern string) (spill.File, error) {
		f, err := spill.Create(pattern)
		if err != nil {
			return nil, err
		}
		return &fullFile{File: f, room: 3*100*idEntryBytes + 40}, nil
	})
	defer x.Close()
	for i := uint64(1); i <= 5000; i++ {
		if _, dup, err := x.LookupOrAdd(i*0x9e3779b97f4a7c15, i); dup || err != nil {
			t.Fatalf("add %d: dup %v, %v", i, dup, err)
		}
	}
	if !errors.Is(x.InMemory(), syscall.ENOSPC) {
		t.Fatalf("InMemory() = %v, want ENOSPC", x.InMemory())
	}
	if len(x.runs) != 3 {
		t.Errorf("%d runs kept, want the 3 written before the disk filled", len(x.runs))
	}
	for i := uint64(1); i <= 5000; i++ {
		if v, dup, err := x.LookupOrAdd(i*0x9e3779b97f4a7c15, 0); !dup || v != i || err != nil {
			t.Fatalf("id %d: dup %v value %d, %v", i, dup, v, err)
		}
	}
}

// TestIDIndexExpect: told how many ids to expect, the index sizes its filter
// once at the first spill (no rebuild holding two filters) and still finds
// every id added before, across runs, and no id that was not.
func TestIDIndexExpect(t *testing.T) {
	const n, budget = 20000, 512
	for _, expect := range []int{0, n, n / 10} {
		x := New(budget, nil)
		x.Expect(expect)
		sizes := map[int]bool{}
		for i := uint64(1); i <= n; i++ {
			if _, ok, err := x.LookupOrAdd(i*0x9e3779b97f4a7c15, i); err != nil || ok {
				t.Fatalf("expect %d: id %d found before it was added (%v)", expect, i, err)
			}
			if x.bloomN > 0 {
				sizes[x.bloomN] = true
			}
		}
		for i := uint64(1); i <= n; i++ {
			if v, ok, err := x.LookupOrAdd(i*0x9e3779b97f4a7c15, 0); err != nil || !ok || v != i {
				t.Fatalf("expect %d: id %d: %d %v %v", expect, i, v, ok, err)
			}
		}
		if expect == n && len(sizes) != 1 {
			t.Errorf("expecting %d ids, the filter was sized %d times (%v)", n, len(sizes), sizes)
		}
		if expect == 0 && len(sizes) < 2 {
			t.Errorf("without Expect the filter grew %d times; the test needs growth to compare", len(sizes))
		}
		x.Close()
	}
}
