package panel

import (
	"testing"

	"github.com/apache/arrow/go/v17/arrow/memory"
)

// FuzzParseBound: --from/--to text never panics; a bound that parses as
// both lower and upper has lower <= upper.
func FuzzParseBound(f *testing.F) {
	for _, s := range []string{"1989", "2019-03", "2019-03-05", "2019-02-30", "0001", "9999-12", "19", "2019-13", "-1", "2019-3-5", " 2020 ", "2020--01"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		lo, err1 := ParseBound(s, false)
		hi, err2 := ParseBound(s, true)
		if (err1 == nil) != (err2 == nil) {
			t.Fatalf("%q: lower err %v, upper err %v", s, err1, err2)
		}
		if err1 == nil && lo > hi {
			t.Fatalf("%q: lower %s after upper %s", s, lo, hi)
		}
		ParseLags(s)
		ParseBBox(s)
	})
}

func TestParseBound(t *testing.T) {
	for _, c := range []struct {
		in     string
		lo, hi string // "" = error
	}{
		{"1989", "1989-01-01", "1989-12-31"},
		{"2020-02", "2020-02-01", "2020-02-29"},
		{"2019-02", "2019-02-01", "2019-02-28"},
		{"2019-11-06", "2019-11-06", "2019-11-06"},
		{"2019-02-30", "", ""},
		{"2019-13", "", ""},
		{"89", "", ""},
		{"next year", "", ""},
	} {
		lo, err := ParseBound(c.in, false)
		hi, err2 := ParseBound(c.in, true)
		if c.lo == "" {
			if err == nil || err2 == nil || err.Error()[:7] != "panel: " {
				t.Errorf("%q: want an error starting panel:, got %v %v", c.in, err, err2)
			}
			continue
		}
		if err != nil || err2 != nil || lo.String() != c.lo || hi.String() != c.hi {
			t.Errorf("%q: %s..%s (%v %v), want %s..%s", c.in, lo, hi, err, err2, c.lo, c.hi)
		}
	}
	if l, err := ParseLags("1, 2,12"); err != nil || len(l) != 3 || l[2] != 12 {
		t.Errorf("ParseLags: %v %v", l, err)
	}
	if _, err := ParseLags("1,0"); err == nil {
		t.Error("ParseLags accepts 0")
	}
	if b, err := ParseBBox("-18,-35,52,38"); err != nil || b.MinLon != -18 || b.MaxLat != 38 {
		t.Errorf("ParseBBox: %v %v", b, err)
	}
	if _, err := NewBuilder(Options{BBox: &BBox{MinLon: 10, MaxLon: 0}}); err == nil {
		t.Error("inverted box accepted")
	}
}

func TestCrosswalkRecordMemory(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	rec, err := CrosswalkRecord(mem)
	if err != nil {
		t.Fatal(err)
	}
	defer rec.Release()
	if rec.NumRows() < 250 || rec.NumCols() != 8 {
		t.Errorf("%d rows, %d columns", rec.NumRows(), rec.NumCols())
	}
}

func TestTooManyByValues(t *testing.T) {
	var evs []ev
	for i := 0; i < maxByValues+1; i++ {
		evs = append(evs, ev{date: "2020-01-01", iso3: "NGA", source: "s" + itoa(int32(i+1))})
	}
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	b, _ := NewBuilder(Options{System: SystemISO, By: "source_dataset"})
	rec := record(t, mem, evs)
	defer rec.Release()
	if err := b.Add(rec); err == nil || err.Error()[:7] != "panel: " {
		t.Errorf("201 --by values: %v", err)
	}
}
