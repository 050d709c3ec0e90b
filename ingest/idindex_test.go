package ingest

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/incidentkit/incidents/ingest/synth"
)

// TestIDIndex: with a small budget (many spilled runs) the index answers
// exactly as a map: every added hash is found with its value, no other is.
func TestIDIndex(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	x := newIDIndex(300)
	defer x.close()
	want := map[uint64]uint64{}
	var order []uint64
	for i := 0; i < 20000; i++ {
		var h uint64
		if i%7 == 3 && len(order) > 0 { // a duplicate of an earlier hash
			h = order[rng.IntN(len(order))]
		} else {
			h = rng.Uint64()
		}
		prev, dup, err := x.lookupOrAdd(h, uint64(i))
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

// TestDuplicatesAcrossSpills: duplicate ids far apart are rejected with the
// line they were first seen on whether the index holds them in memory or in
// spilled runs.
func TestDuplicatesAcrossSpills(t *testing.T) {
	var buf bytes.Buffer
	if _, err := synth.Generate(&buf, "acled", 2000, 3, synth.Options{}); err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitAfter(buf.String(), "\n")
	lines = lines[:len(lines)-1]
	// repeat rows 5, 700 and 1500 at the end: same ids, far from the first
	data := strings.Join(lines, "") + lines[5] + lines[700] + lines[1500] + lines[5]
	p := filepath.Join(t.TempDir(), "dups.csv")
	if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	_, sum, rejDefault, err := runNormalize(t, []string{p}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Rejected != 4 || sum.RejectReasons["duplicate_id"] != 4 {
		t.Fatalf("rejected %d %v, want 4 duplicate ids", sum.Rejected, sum.RejectReasons)
	}
	for _, want := range []string{"first kept: line 6)", "first kept: line 701)", "first kept: line 1501)"} {
		if !strings.Contains(rejDefault, want) {
			t.Errorf("rejects lack %q:\n%s", want, rejDefault)
		}
	}
	_, sum2, rejSpilled, err := runNormalize(t, []string{p}, Options{idBudget: 64, BatchSize: 100})
	if err != nil {
		t.Fatal(err)
	}
	if sum2.Rejected != 4 || rejSpilled != rejDefault {
		t.Errorf("spilled index: %d rejected, rejects differ:\n%s", sum2.Rejected, firstDiff(rejDefault, rejSpilled))
	}
}

// TestIDIndexNoTempDir: without a writable temporary folder the index keeps
// every id in memory and stays exact.
func TestIDIndexNoTempDir(t *testing.T) {
	t.Setenv("TMPDIR", filepath.Join(t.TempDir(), "missing"))
	x := newIDIndex(100)
	defer x.close()
	for i := uint64(1); i <= 5000; i++ {
		if _, dup, err := x.lookupOrAdd(i*0x9e3779b97f4a7c15, i); dup || err != nil {
			t.Fatalf("add %d: dup %v, %v", i, dup, err)
		}
	}
	for i := uint64(1); i <= 5000; i++ {
		if v, dup, err := x.lookupOrAdd(i*0x9e3779b97f4a7c15, 0); !dup || v != i || err != nil {
			t.Fatalf("id %d: dup %v value %d, %v", i, dup, v, err)
		}
	}
	if len(x.runs) != 0 || x.f != nil {
		t.Errorf("%d runs spilled without a temporary folder", len(x.runs))
	}
}

// TestIDIndexBatch: lookupOrAddAll, whose filter probes run ahead of the
// adds, answers as lookupOrAdd one at a time, spills inside a batch included.
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
	one, all := newIDIndex(250), newIDIndex(250)
	defer one.close()
	defer all.close()
	var want, got []string
	for i, h := range hs {
		if prev, dup, err := one.lookupOrAdd(h, uint64(i)); err != nil {
			t.Fatal(err)
		} else if dup {
			want = append(want, fmt.Sprint(i, prev))
		}
	}
	for start := 0; start < len(hs); start += 997 { // batches across several spills
		batch := hs[start:min(start+997, len(hs))]
		err := all.lookupOrAddAll(batch, func(i int) uint64 { return uint64(start + i) },
			func(i int, prev uint64) { got = append(got, fmt.Sprint(start+i, prev)) })
		if err != nil {
			t.Fatal(err)
		}
	}
	if len(want) < 5000 || strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("batched lookups found %d duplicates, one at a time %d (or they differ)", len(got), len(want))
	}
}
