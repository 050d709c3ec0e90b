package diff

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"

	"github.com/incidentkit/incidents/ingest"
	"github.com/incidentkit/incidents/ingest/synth"
	"github.com/incidentkit/incidents/schema"
)

var (
	baseOnce sync.Once
	baseRows []schema.Incident
	baseErr  error
)

// release returns n incidents normalized from generated ACLED rows (seed
// 7): the release the planted changes are made to.
func release(t testing.TB) []schema.Incident {
	t.Helper()
	baseOnce.Do(func() {
		dir, err := os.MkdirTemp("", "diff-test-*")
		if err != nil {
			baseErr = err
			return
		}
		defer os.RemoveAll(dir)
		path := filepath.Join(dir, "acled.csv")
		f, err := os.Create(path)
		if err != nil {
			baseErr = err
			return
		}
		if _, err := synth.Generate(f, "acled", 3000, 7, synth.Options{}); err != nil {
			baseErr = err
			return
		}
		f.Close()
		_, baseErr = ingest.Normalize(context.Background(), []string{path}, ingest.Options{NoChecksum: true}, func(rec arrow.Record) error {
			var err error
			baseRows, err = schema.AppendIncidents(baseRows, rec)
			return err
		})
	})
	if baseErr != nil {
		t.Fatal(baseErr)
	}
	return slices.Clone(baseRows)
}

// cloneIncident copies an incident deeply enough to revise it.
func cloneIncident(in schema.Incident) schema.Incident {
	in.AssocActors = slices.Clone(in.AssocActors)
	in.Sources = slices.Clone(in.Sources)
	return in
}

type changeRow struct {
	id, change, column string
	old, new           *string
}

func (c changeRow) String() string {
	s := func(p *string) string {
		if p == nil {
			return "null"
		}
		return strconv.Quote(*p)
	}
	return fmt.Sprintf("%s %s %s %s -> %s", c.id, c.change, c.column, s(c.old), s(c.new))
}

func str(s string) *string { return &s }

// run diffs old against new in records of batch rows, returning the
// change rows and the summary.
func run(t *testing.T, old, new []schema.Incident, batch int, opts Options) ([]changeRow, *Summary) {
	t.Helper()
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	opts.Mem = mem
	d, err := NewDiffer(opts)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	for side, rows := range [][]schema.Incident{old, new} {
		for lo := 0; lo < len(rows); lo += batch {
			rec := schema.NewRecord(mem, rows[lo:min(lo+batch, len(rows))])
			err := d.Add(Side(side), rec)
			rec.Release()
			if err != nil {
				t.Fatal(err)
			}
		}
	}
	var got []changeRow
	sum, err := d.Run(context.Background(), func(rec arrow.Record) error {
		cols := make([]*array.String, 5)
		for k := range cols {
			cols[k] = rec.Column(k).(*array.String)
		}
		for i := 0; i < int(rec.NumRows()); i++ {
			r := changeRow{id: cols[0].Value(i), change: cols[1].Value(i), column: cols[2].Value(i)}
			if cols[3].IsValid(i) {
				r.old = str(cols[3].Value(i))
			}
			if cols[4].IsValid(i) {
				r.new = str(cols[4].Value(i))
			}
			got = append(got, r)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if sum.ChangeRows != int64(len(got)) {
		t.Errorf("ChangeRows %d, emitted %d", sum.ChangeRows, len(got))
	}
	if sum.OldRows != sum.Deleted+sum.Kept+sum.Revised+sum.Unchanged || sum.NewRows != sum.Added+sum.Revised+sum.Unchanged {
		t.Errorf("counts do not add up: %+v", sum)
	}
	return got, sum
}

// plant is one planted revision: a column of an incident set to a value,
// with the texts the change file must show.
type plant struct {
	column   string
	set      func(*schema.Incident)
	old, new func(schema.Incident) *string // texts before and after (nil: null)
}

func fmtFloat(v schema.NullFloat64) *string {
	if !v.Valid {
		return nil
	}
	return str(strconv.FormatFloat(v.Value, 'f', -1, 64))
}

func fmtCount(v schema.NullInt32) *string {
	if !v.Valid {
		return nil
	}
	return str(strconv.Itoa(int(v.Value)))
}

func textOrNull(s string) *string {
	if s == "" {
		return nil
	}
	return str(s)
}

// plants are the revisions of the golden test, one per kind of column and
// of change: a number up, a known count made unknown, a float moved by one
// ulp, a value made null, a null given a value, text, a list, an enum, a
// date, a time.
var plants = []plant{
	{"fatalities_best", func(in *schema.Incident) { in.Fatalities.Best = schema.Int32(in.Fatalities.Best.Value + 5) },
		func(in schema.Incident) *string { return fmtCount(in.Fatalities.Best) },
		func(in schema.Incident) *string { return str(strconv.Itoa(int(in.Fatalities.Best.Value) + 5)) }},
	{"fatalities_best", func(in *schema.Incident) { in.Fatalities.Best = schema.NullInt32{} },
		func(in schema.Incident) *string { return fmtCount(in.Fatalities.Best) },
		func(schema.Incident) *string { return nil }},
	{"latitude", func(in *schema.Incident) { in.Latitude.Value = nextUp(in.Latitude.Value) },
		func(in schema.Incident) *string { return fmtFloat(in.Latitude) },
		func(in schema.Incident) *string {
			return fmtFloat(schema.Float64(nextUp(in.Latitude.Value)))
		}},
	{"longitude", func(in *schema.Incident) { in.Longitude = schema.NullFloat64{} },
		func(in schema.Incident) *string { return fmtFloat(in.Longitude) },
		func(schema.Incident) *string { return nil }},
	{"notes", func(in *schema.Incident) { in.Notes += " [corrected]" },
		func(in schema.Incident) *string { return textOrNull(in.Notes) },
		func(in schema.Incident) *string { return str(in.Notes + " [corrected]") }},
	{"admin2", func(in *schema.Incident) { in.Admin2 = "Nowhere, \"quoted\"" },
		func(in schema.Incident) *string { return textOrNull(in.Admin2) },
		func(schema.Incident) *string { return str("Nowhere, \"quoted\"") }},
	{"sources", func(in *schema.Incident) { in.Sources = append(in.Sources, "Le Monde") },
		func(in schema.Incident) *string { return jsonList(in.Sources) },
		func(in schema.Incident) *string { return jsonList(append(slices.Clone(in.Sources), "Le Monde")) }},
	{"event_type", func(in *schema.Incident) { in.EventType = otherEventType(in.EventType) },
		func(in schema.Incident) *string { return str(in.EventType.String()) },
		func(in schema.Incident) *string { return str(otherEventType(in.EventType).String()) }},
	{"date_end", func(in *schema.Incident) { in.DateEnd++ },
		func(in schema.Incident) *string { return str(in.DateEnd.String()) },
		func(in schema.Incident) *string { return str((in.DateEnd + 1).String()) }},
	{"time_utc", func(in *schema.Incident) { in.TimeUTC = time.Date(2019, 11, 5, 22, 30, 0, 0, time.UTC) },
		func(in schema.Incident) *string { return nil },
		func(schema.Incident) *string { return str("2019-11-05T22:30:00Z") }},
}

func nextUp(v float64) float64 { return math.Nextafter(v, math.Inf(1)) }

func otherEventType(e schema.EventType) schema.EventType {
	if e == schema.EventBattles {
		return schema.EventProtests
	}
	return schema.EventBattles
}

func jsonList(ss []string) *string {
	var b strings.Builder
	b.WriteByte('[')
	for k, s := range ss {
		if k > 0 {
			b.WriteByte(',')
		}
		b.WriteString(strconv.Quote(s))
	}
	b.WriteByte(']')
	return str(b.String())
}

// TestPlantedChanges: a release and the next one made from it with known
// additions, deletions and revisions (one or two columns each) and its rows
// shuffled: every planted change is found, with its old and new values,
// and none else; the summary's counts agree with the plan; and a tiny sort
// budget (dozens of runs on disk) gives the same result as memory.
func TestPlantedChanges(t *testing.T) {
	base := release(t)
	if len(base) < 2500 {
		t.Fatalf("only %d incidents normalized", len(base))
	}
	rng := rand.New(rand.NewPCG(1, 2))
	perm := rng.Perm(len(base))
	added := map[int]bool{}
	deleted := map[int]bool{}
	revised := map[int][]int{} // base index -> plants
	for k, i := range perm {
		switch {
		case k < 40:
			added[i] = true
		case k < 70:
			deleted[i] = true
		case k < 70+len(plants)*8:
			p := (k - 70) % len(plants)
			ps := []int{p}
			if k%3 == 0 { // a second column, another kind
				ps = append(ps, (p+3)%len(plants))
			}
			revised[i] = ps
		}
	}
	var old, new []schema.Incident
	var want []changeRow
	for i, in := range base {
		if !added[i] {
			old = append(old, in)
		}
		if deleted[i] {
			want = append(want, changeRow{id: in.IncidentID, change: "deleted"})
			continue
		}
		if added[i] {
			want = append(want, changeRow{id: in.IncidentID, change: "added"})
		}
		ps, ok := revised[i]
		if !ok || added[i] {
			new = append(new, in)
			continue
		}
		rev := cloneIncident(in)
		var rows []changeRow
		for _, p := range ps {
			pl := plants[p]
			before := cloneIncident(rev)
			o, n := pl.old(before), pl.new(before)
			pl.set(&rev)
			if (o == nil) == (n == nil) && (o == nil || *o == *n) {
				continue // the plant did not change this row (a null made null)
			}
			rows = append(rows, changeRow{id: in.IncidentID, change: "revised", column: pl.column, old: o, new: n})
		}
		// the change file lists a revised incident's columns in schema order
		slices.SortFunc(rows, func(a, b changeRow) int { return schema.ColumnIndex(a.column) - schema.ColumnIndex(b.column) })
		want = append(want, rows...)
		new = append(new, rev)
	}
	rng.Shuffle(len(new), func(i, j int) { new[i], new[j] = new[j], new[i] })
	slices.SortStableFunc(want, func(a, b changeRow) int { return strings.Compare(a.id, b.id) })

	for _, budget := range []int{0, 8 << 10} {
		t.Run(fmt.Sprintf("budget=%d", budget), func(t *testing.T) {
			got, sum := run(t, old, new, 500, Options{MemoryBytes: budget, By: []string{"country_iso3", "year"}})
			if len(got) != len(want) {
				t.Errorf("%d change rows, want %d", len(got), len(want))
			}
			for k := 0; k < max(len(got), len(want)); k++ {
				var g, w string
				if k < len(got) {
					g = got[k].String()
				}
				if k < len(want) {
					w = want[k].String()
				}
				if g != w {
					t.Errorf("row %d:\n got  %s\n want %s", k, g, w)
					if k > 10 {
						break
					}
				}
			}
			if sum.Added != 40 || sum.Deleted != 30 {
				t.Errorf("added %d deleted %d, want 40 and 30", sum.Added, sum.Deleted)
			}
			var nrev int64
			for _, w := range want {
				if w.change == "revised" {
					nrev++
				}
			}
			var cols int64
			for _, n := range sum.Columns {
				cols += n
			}
			if cols != nrev {
				t.Errorf("columns count %d revisions, want %d", cols, nrev)
			}
			checkNet(t, sum, old, new)
		})
	}
}

// checkNet compares the summary's net effect and per-place changes with
// sums computed here from the two releases.
func checkNet(t *testing.T, sum *Summary, old, new []schema.Incident) {
	t.Helper()
	type agg struct{ events, fat, null int64 }
	sums := func(rows []schema.Incident) map[string]*agg {
		m := map[string]*agg{}
		for _, in := range rows {
			k := in.CountryISO3 + "/" + strconv.Itoa(in.DateStart.Year())
			a := m[k]
			if a == nil {
				a = &agg{}
				m[k] = a
			}
			a.events++
			if in.Fatalities.Best.Valid {
				a.fat += int64(in.Fatalities.Best.Value)
			} else {
				a.null++
			}
		}
		return m
	}
	o, n := sums(old), sums(new)
	keys := map[string]bool{}
	for k := range o {
		keys[k] = true
	}
	for k := range n {
		keys[k] = true
	}
	if len(sum.Net) != len(keys) {
		t.Errorf("%d net groups, want %d", len(sum.Net), len(keys))
	}
	get := func(m map[string]*agg, k string) agg {
		if a := m[k]; a != nil {
			return *a
		}
		return agg{}
	}
	for _, g := range sum.Net {
		k := g.Group[0].Text + "/" + g.Group[1].Text
		if !keys[k] {
			t.Errorf("net group %s not in either release", k)
			continue
		}
		a, b := get(o, k), get(n, k)
		if g.EventsOld != a.events || g.EventsNew != b.events || g.FatalitiesOld != a.fat || g.FatalitiesNew != b.fat ||
			g.FatalitiesNullOld != a.null || g.FatalitiesNullNew != b.null {
			t.Errorf("net %s: got %+v, want old %+v new %+v", k, g, a, b)
		}
	}
	// The places' moved deaths are the net effect: unchanged incidents add
	// the same to both sides.
	for _, p := range sum.Places {
		k := p.CountryISO3 + "/" + strconv.Itoa(p.Year)
		a, b := get(o, k), get(n, k)
		if p.Moved() != b.fat-a.fat {
			t.Errorf("place %s moved %d, want %d", k, p.Moved(), b.fat-a.fat)
		}
	}
}

// TestIdempotent: diff A A is empty, and so is diff A shuffled(A).
func TestIdempotent(t *testing.T) {
	base := release(t)
	shuffled := slices.Clone(base)
	rand.New(rand.NewPCG(3, 4)).Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
	for name, other := range map[string][]schema.Incident{"same": base, "shuffled": shuffled} {
		t.Run(name, func(t *testing.T) {
			got, sum := run(t, base, other, 777, Options{MemoryBytes: 32 << 10})
			if len(got) != 0 || sum.Changed() != 0 || sum.Unchanged != int64(len(base)) {
				t.Errorf("%d change rows, %d changed, %d unchanged of %d", len(got), sum.Changed(), sum.Unchanged, len(base))
			}
			var b strings.Builder
			sum.WriteText(&b, 20)
			if !strings.HasPrefix(b.String(), "no changes: ") {
				t.Errorf("summary:\n%s", b.String())
			}
		})
	}
}

// TestExactValues: floats differ by one ulp and -0 equals 0; a null and a
// value (0, "", []) differ; text differs in case.
func TestExactValues(t *testing.T) {
	base := release(t)[:3]
	for _, c := range []struct {
		name    string
		set     func(*schema.Incident)
		changed string // column, "" for no change
	}{
		{"ulp", func(in *schema.Incident) { in.Latitude = schema.Float64(nextUp(in.Latitude.Value)) }, "latitude"},
		{"minus zero", func(in *schema.Incident) { in.Longitude = schema.Float64(negZero()) }, ""},
		{"zero vs null", func(in *schema.Incident) { in.Injured.Best = schema.NullInt32{} }, "injured_best"},
		{"case", func(in *schema.Incident) { in.Location = strings.ToUpper(in.Location) }, "location"},
		{"same", func(in *schema.Incident) {}, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			old := slices.Clone(base)
			old[0].Longitude = schema.Float64(0)
			old[0].Injured.Best = schema.Int32(0)
			old[0].Location = "Dushanbe"
			new := slices.Clone(old)
			new[0] = cloneIncident(new[0])
			c.set(&new[0])
			got, _ := run(t, old, new, 10, Options{})
			switch {
			case c.changed == "" && len(got) != 0:
				t.Errorf("changes %v, want none", got)
			case c.changed != "" && (len(got) != 1 || got[0].column != c.changed):
				t.Errorf("changes %v, want one in %s", got, c.changed)
			}
		})
	}
}

func negZero() float64 { z := 0.0; return -z }

// TestDuplicateID: a release holding an id twice is an error naming the
// release and both rows.
func TestDuplicateID(t *testing.T) {
	base := release(t)[:50]
	dup := append(slices.Clone(base), base[7])
	d, _ := NewDiffer(Options{OldName: "old.parquet", NewName: "new.parquet"})
	defer d.Close()
	for side, rows := range [][]schema.Incident{base, dup} {
		rec := schema.NewRecord(nil, rows)
		if err := d.Add(Side(side), rec); err != nil {
			t.Fatal(err)
		}
		rec.Release()
	}
	_, err := d.Run(context.Background(), nil)
	if !errors.Is(err, ErrDuplicateID) || !strings.Contains(err.Error(), "new.parquet") || !strings.Contains(err.Error(), "rows 8 and 51") {
		t.Errorf("err = %v", err)
	}
}

// TestVisitAndNoDeletes: Visit sees every incident once in id order, and
// with NoDeletes an incident only in OLD is kept, not deleted.
func TestVisitAndNoDeletes(t *testing.T) {
	base := release(t)[:200]
	old, new := base[:150], base[50:]
	var ids []string
	counts := map[Change]int{}
	got, sum := run(t, old, new, 64, Options{NoDeletes: true, Visit: func(c Change, o, n *Row) error {
		r := n
		if r == nil {
			r = o
		}
		ids = append(ids, r.ID())
		counts[c]++
		if c == Kept && (o == nil || n != nil) {
			t.Errorf("kept %s with rows %v %v", r.ID(), o, n)
		}
		return nil
	}})
	if len(ids) != 200 || !slices.IsSorted(ids) {
		t.Errorf("visited %d ids, sorted %v", len(ids), slices.IsSorted(ids))
	}
	if counts[Kept] != 50 || counts[Added] != 50 || counts[Unchanged] != 100 || sum.Deleted != 0 || sum.Kept != 50 {
		t.Errorf("counts %v, summary %+v", counts, sum)
	}
	if len(got) != 50 {
		t.Errorf("%d change rows, want the 50 added", len(got))
	}
}

// TestCancel: a cancelled context stops Run.
func TestCancel(t *testing.T) {
	base := release(t)
	d, _ := NewDiffer(Options{MemoryBytes: 16 << 10})
	defer d.Close()
	rec := schema.NewRecord(nil, base)
	d.Add(Old, rec)
	d.Add(New, rec)
	rec.Release()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := d.Run(ctx, nil); !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
}

// TestRowAppend: a row decoded from the sort and appended to a builder
// comes back as the incident it was.
func TestRowAppend(t *testing.T) {
	base := release(t)[:300]
	base[0].TimeUTC = time.Date(2019, 11, 5, 22, 30, 0, 0, time.UTC)
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	b := array.NewRecordBuilder(mem, schema.Arrow())
	defer b.Release()
	_, sum := run(t, base, nil, 100, Options{Visit: func(c Change, o, n *Row) error {
		o.Append(b)
		return nil
	}})
	if sum.Deleted != 300 {
		t.Fatalf("deleted %d", sum.Deleted)
	}
	rec := b.NewRecord()
	defer rec.Release()
	back, err := schema.AppendIncidents(nil, rec)
	if err != nil {
		t.Fatal(err)
	}
	want := slices.Clone(base)
	slices.SortFunc(want, func(a, b schema.Incident) int { return strings.Compare(a.IncidentID, b.IncidentID) })
	for i := range want {
		if fmt.Sprintf("%+v", back[i]) != fmt.Sprintf("%+v", want[i]) {
			t.Fatalf("row %d:\n got  %+v\n want %+v", i, back[i], want[i])
		}
	}
}
