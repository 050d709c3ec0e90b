package link

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"

	"github.com/incidentkit/incidents/schema"
)

func TestDedupeText(t *testing.T) {
	csvText := "incident_id,source_dataset,cluster_id,cluster_size,representative\n" +
		"acled:A,acled,1,2,true\nucdp-ged:1,ucdp-ged,1,2,false\n"
	jsonText := `{"incident_id":"acled:A","source_dataset":"acled","cluster_id":1,"cluster_size":2,"representative":true}
{"incident_id":"ucdp-ged:1","source_dataset":"ucdp-ged","cluster_id":1,"cluster_size":2,"representative":false}
`
	for name, read := range map[string]func(*Dedupe) error{
		"csv":   func(d *Dedupe) error { return d.ReadCSV(strings.NewReader(csvText), "c.csv") },
		"jsonl": func(d *Dedupe) error { return d.ReadJSONLines(strings.NewReader(jsonText), "c.jsonl") },
	} {
		d := NewDedupe()
		if err := read(d); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if d.Exclude("acled:A") || !d.Exclude("ucdp-ged:1") || d.Exclude("gtd:9") {
			t.Errorf("%s: the representative is left out, or the member kept", name)
		}
		if d.Clusters() != 1 || d.Members() != 1 || d.Excluded() != 1 {
			t.Errorf("%s: clusters %d, members %d, excluded %d; want 1, 1, 1", name, d.Clusters(), d.Members(), d.Excluded())
		}
	}
	// a links file, or a bad value, is an error naming the file and line
	for _, c := range []struct{ text, want string }{
		{"left_id,right_id,score\na,b,0.9\n", "c.csv: not a clusters file"},
		{"incident_id,representative\nacled:A,maybe\n", "c.csv: line 2"},
	} {
		if err := NewDedupe().ReadCSV(strings.NewReader(c.text), "c.csv"); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("ReadCSV(%q) = %v, want %q", c.text, err, c.want)
		}
	}
	if err := NewDedupe().ReadJSONLines(strings.NewReader("{\"left_id\":\"a\"}\n"), "l.jsonl"); err == nil || !strings.Contains(err.Error(), "l.jsonl: line 1: not a clusters row") {
		t.Errorf("ReadJSONLines of a links row: %v", err)
	}
}

// TestCancel: a cancelled context stops Run with its error, and a record
// without the columns link needs is an error naming the column.
func TestCancel(t *testing.T) {
	l, err := New(DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	var ins []schema.Incident
	for i := range 20000 {
		ins = append(ins, schema.Incident{IncidentID: "a:" + strconv.Itoa(i),
			SourceDataset: []string{"a", "b"}[i%2], CountryISO3: "SYR", Country: "Syria",
			DateStart: schema.Date(19000 + i/100), DateEnd: schema.Date(19000 + i/100),
			Latitude: schema.Float64(35), Longitude: schema.Float64(38), GeoPrecision: schema.GeoExact})
	}
	rec := schema.NewRecord(memory.DefaultAllocator, ins)
	defer rec.Release()
	if err := l.Add(rec); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	sum, err := l.Run(ctx, func(arrow.Record) error { return nil })
	if !errors.Is(err, context.Canceled) {
		t.Errorf("Run on a cancelled context: %v, want context.Canceled", err)
	}
	// 100 events a day, a window of 5 days: the whole sweep compares about
	// 20000 * 250 pairs; stopped within 4096 events, it compares a fifth.
	if sum.Compared > 2_000_000 {
		t.Errorf("Run compared %d pairs after the context was cancelled", sum.Compared)
	}
	l2, _ := New(DefaultOptions())
	defer l2.Close()
	proj := rec.NewSlice(0, 1)
	defer proj.Release()
	cols := []arrow.Array{proj.Column(0)}
	sc := arrow.NewSchema([]arrow.Field{proj.Schema().Field(0)}, nil)
	only := array.NewRecord(sc, cols, 1)
	defer only.Release()
	if err := l2.Add(only); err == nil || !strings.Contains(err.Error(), "no source_dataset column") {
		t.Errorf("Add of a record with incident_id only: %v", err)
	}
}
