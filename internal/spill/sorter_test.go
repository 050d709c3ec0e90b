package spill

import (
	"bytes"
	"cmp"
	"fmt"
	"math/rand/v2"
	"slices"
	"syscall"
	"testing"
)

type testRec struct {
	key  string
	seq  uint64
	data string
}

// sorted reads every record of s.
func sorted(t *testing.T, s *Sorter) []testRec {
	t.Helper()
	it := s.Sort()
	var got []testRec
	for it.Next() {
		got = append(got, testRec{string(it.Key()), it.Seq(), string(it.Payload())})
	}
	if err := it.Err(); err != nil {
		t.Fatal(err)
	}
	return got
}

func randomRecs(n int) []testRec {
	rng := rand.New(rand.NewPCG(3, 4))
	recs := make([]testRec, n)
	for i := range recs {
		// few keys, some prefixes of others, some empty; payloads up to 300 bytes
		key := fmt.Sprintf("k%d", rng.IntN(n/5+1))
		if rng.IntN(10) == 0 {
			key = key[:rng.IntN(len(key))]
		}
		recs[i] = testRec{key, uint64(i), string(bytes.Repeat([]byte{byte('a' + i%26)}, rng.IntN(300)))}
	}
	return recs
}

func want(recs []testRec) []testRec {
	w := slices.Clone(recs)
	slices.SortFunc(w, func(a, b testRec) int {
		if c := cmp.Compare(a.key, b.key); c != 0 {
			return c
		}
		return cmp.Compare(a.seq, b.seq)
	})
	return w
}

// TestSorter: whatever the budget (all in memory, a few runs, a run a
// record), the records come out sorted by key then seq, payloads intact.
func TestSorter(t *testing.T) {
	recs := randomRecs(5000)
	for _, budget := range []int{1 << 30, 64 << 10, 1} {
		s := NewSorter(budget, nil, "incidents-test-*")
		for _, r := range recs {
			s.Add([]byte(r.key), r.seq, []byte(r.data))
		}
		spilled := s.Spilled()
		got := sorted(t, s)
		s.Close()
		if !slices.Equal(got, want(recs)) {
			t.Errorf("budget %d (%d runs): records out of order or changed", budget, spilled)
		}
		if budget < 1<<20 && spilled < 10 {
			t.Errorf("budget %d: %d runs, the test should spill", budget, spilled)
		}
		if budget == 1<<30 && spilled != 0 {
			t.Errorf("budget %d: %d runs, want none", budget, spilled)
		}
	}
}

// fullFile fails every write after the first n bytes with ENOSPC, as a full
// disk does.
type fullFile struct {
	File
	left int
}

func (f *fullFile) WriteAt(p []byte, off int64) (int, error) {
	if len(p) > f.left {
		n, _ := f.File.WriteAt(p[:f.left], off)
		f.left = 0
		return n, syscall.ENOSPC
	}
	f.left -= len(p)
	return f.File.WriteAt(p, off)
}

// TestSorterFullDisk: a temporary file that fills up mid-run (ENOSPC), or
// cannot be created, leaves the sorter in memory with the same result; the
// runs written before stay readable.
func TestSorterFullDisk(t *testing.T) {
	recs := randomRecs(5000)
	for _, room := range []int{-1, 0, 100 << 10} {
		create := func(pattern string) (File, error) {
			if room < 0 {
				return nil, syscall.EROFS
			}
			f, err := Create(pattern)
			if err != nil {
				return nil, err
			}
			return &fullFile{File: f, left: room}, nil
		}
		s := NewSorter(16<<10, create, "incidents-test-*")
		for _, r := range recs {
			s.Add([]byte(r.key), r.seq, []byte(r.data))
		}
		if s.InMemory() == nil {
			t.Fatalf("room %d: the sorter did not notice the failure", room)
		}
		if room == 100<<10 && s.Spilled() == 0 {
			t.Errorf("room %d: no run written before the disk filled", room)
		}
		got := sorted(t, s)
		s.Close()
		if !slices.Equal(got, want(recs)) {
			t.Errorf("room %d: records out of order or changed after the fallback (%v)", room, s.InMemory())
		}
	}
}
