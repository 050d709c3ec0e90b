package report

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"

	"github.com/incidentkit/incidents/schema"
)

func TestCollector(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	day := func(d int) schema.Date { return schema.DateOf(2020, time.March, d) }
	mk := func(id string, d int, best schema.NullInt32) schema.Incident {
		return schema.Incident{IncidentID: id, SourceDataset: "reports", DateStart: day(d), DateEnd: day(d),
			CountryISO3: "TJK", Country: "Tajikistan", Admin1: "Sughd", Fatalities: schema.Estimate{Best: best}}
	}
	batches := [][]schema.Incident{
		{mk("a", 1, schema.Int32(5)), mk("b", 2, schema.NullInt32{}), mk("c", 3, schema.Int32(0)), mk("d", 4, schema.Int32(9))},
		{mk("e", 5, schema.Int32(5)), mk("f", 1, schema.Int32(5)), mk("g", 6, schema.Int32(1)), mk("h", 7, schema.Int32(12))},
	}
	batches[1][1].Location = "Khujand"
	c := NewCollector(3)
	for _, b := range batches {
		rec := schema.NewRecord(mem, b)
		err := c.Add(rec)
		rec.Release()
		if err != nil {
			t.Fatal(err)
		}
	}
	if got, want := c.Severity(), []float64{5, 9, 5, 5, 1, 12}; !slices.Equal(got, want) {
		t.Errorf("Severity() = %v, want %v (null and 0 left out)", got, want)
	}
	var got []string
	for _, d := range c.Deadliest() {
		got = append(got, fmt.Sprintf("%s:%d:%s", d.ID, d.Best.Value, d.Place))
	}
	// ties at 5 go by date, then id: a and f share 2020-03-01
	if want := []string{"h:12:Sughd", "d:9:Sughd", "a:5:Sughd"}; !slices.Equal(got, want) {
		t.Errorf("Deadliest() = %v, want %v", got, want)
	}
}

func TestCollectorBadRecord(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	rec := schema.NewRecord(mem, []schema.Incident{{IncidentID: "a", SourceDataset: "reports", CountryISO3: "TJK", Country: "Tajikistan"}})
	defer rec.Release()
	c := NewCollector(3)
	if err := c.Add(rec); err != nil {
		t.Errorf("a row with unknown fatalities: %v", err)
	}
	// a record without fatalities_best is an error, not a panic
	idRec := array.NewRecord(arrow.NewSchema([]arrow.Field{rec.Schema().Field(0)}, nil), []arrow.Array{rec.Column(0)}, 1)
	defer idRec.Release()
	if err := c.Add(idRec); err == nil {
		t.Error("record without fatalities_best: no error")
	}
}

func TestNewRejects(t *testing.T) {
	r := NewRejects(70, 40, 25, 5, map[string]int64{"bad_date": 1, "bad_casualty": 3, "unknown_country": 1})
	var got []string
	for _, b := range r.Reasons {
		got = append(got, fmt.Sprintf("%s:%g:%g", b.Label, b.Value, b.Share))
	}
	want := []string{"bad_casualty:3:0.6", "bad_date:1:0.2", "unknown_country:1:0.2"}
	if !slices.Equal(got, want) || r.Read != 70 || r.Merged != 25 {
		t.Errorf("NewRejects = %+v %v, want %v", r, got, want)
	}
	if r := NewRejects(3, 3, 0, 0, nil); len(r.Reasons) != 0 {
		t.Errorf("no rejects: %+v", r)
	}
}
