package ingest

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apache/arrow/go/v17/arrow"

	"github.com/incidentkit/incidents/ingest/synth"
	"github.com/incidentkit/incidents/schema"
)

// TestNormalizeRowsAgreesWithNormalize: NormalizeRows gives the rows
// Normalize writes, plus the duplicates Normalize rejects (whose rejects
// DuplicateReject and RejectJSON write again byte for byte), with their
// lines and input fields.
func TestNormalizeRowsAgreesWithNormalize(t *testing.T) {
	dir := t.TempDir()
	var a, b bytes.Buffer
	if _, err := synth.Generate(&a, "acled", 3000, 7, synth.Options{Messy: 0.02}); err != nil {
		t.Fatal(err)
	}
	if _, err := synth.Generate(&b, "acled", 500, 7, synth.Options{Messy: 0.02}); err != nil { // same ids as a's first 500
		t.Fatal(err)
	}
	pa, pb := filepath.Join(dir, "a.csv"), filepath.Join(dir, "b.csv")
	os.WriteFile(pa, a.Bytes(), 0o644)
	os.WriteFile(pb, b.Bytes(), 0o644)
	inputs := []string{pa, pb}

	var want []schema.Incident
	var wantRej bytes.Buffer
	sum, err := Normalize(context.Background(), inputs, Options{BatchSize: 700, Rejects: &wantRej}, func(rec arrow.Record) error {
		var err error
		want, err = schema.AppendIncidents(want, rec)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if sum.RejectReasons["duplicate_id"] < 400 {
		t.Fatalf("want duplicates across the inputs, got %v", sum.RejectReasons)
	}
	var rows []Row
	var gotRej bytes.Buffer
	rsum, err := NormalizeRows(context.Background(), inputs, Options{BatchSize: 700, Rejects: &gotRej}, func(rs []Row) error {
		rows = append(rows, rs...)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if rsum.Incidents != int64(len(rows)) || rsum.RowsRead != sum.RowsRead ||
		rsum.Incidents+rsum.Rejected != sum.Incidents+sum.Rejected {
		t.Fatalf("accounting: rows %+v, normalize %+v", rsum, sum)
	}
	if _, ok := rsum.RejectReasons["duplicate_id"]; ok {
		t.Fatal("NormalizeRows checked duplicates")
	}
	// the caller's duplicate check, first in input order kept
	first := map[string]int{}
	var kept []schema.Incident
	var dupRej [][]byte
	for i := range rows {
		if rows[i].Fields == nil {
			t.Fatalf("row %d has no fields", i)
		}
		if j, ok := first[rows[i].Incident.IncidentID]; ok {
			e := DuplicateReject(&rows[i], &rows[j], inputs)
			if RejectKind(e.Err) != "duplicate_id" {
				t.Fatalf("kind %q", RejectKind(e.Err))
			}
			dupRej = append(dupRej, RejectJSON(rsum.Inputs[rows[i].Input].Header, rows[i].Fields, e))
			continue
		}
		first[rows[i].Incident.IncidentID] = i
		kept = append(kept, rows[i].Incident)
	}
	if len(kept) != len(want) {
		t.Fatalf("%d rows kept, Normalize wrote %d", len(kept), len(want))
	}
	for i := range kept {
		if !equalIncident(kept[i], want[i]) {
			t.Fatalf("row %d differs:\n%+v\n%+v", i, kept[i], want[i])
		}
	}
	// every duplicate reject of Normalize is one of ours, text and all
	ours := map[string]bool{}
	for _, d := range dupRej {
		ours[string(d)] = true
	}
	n := 0
	for _, line := range strings.SplitAfter(wantRej.String(), "\n") {
		if strings.Contains(line, `"kind":"duplicate_id"`) {
			n++
			if !ours[line] {
				t.Fatalf("Normalize's reject not written again:\n%s", line)
			}
		} else if line != "" && !strings.Contains(gotRej.String(), line) {
			t.Fatalf("reject missing from NormalizeRows:\n%s", line)
		}
	}
	if n != len(dupRej) {
		t.Fatalf("%d duplicate rejects, ours %d", n, len(dupRej))
	}
}

func equalIncident(a, b schema.Incident) bool {
	ra := schema.NewRecordBuilder(nil)
	defer ra.Release()
	ra.Append(&a)
	ra.Append(&b)
	rec := ra.NewRecord()
	defer rec.Release()
	for c := 0; c < int(rec.NumCols()); c++ {
		col := rec.Column(c)
		if col.ValueStr(0) != col.ValueStr(1) {
			return false
		}
	}
	return true
}

func TestNormalizeRowsRefusesReports(t *testing.T) {
	_, err := NormalizeRows(context.Background(), []string{"../testdata/sample/reports.csv"}, Options{}, func([]Row) error { return nil })
	if !errors.Is(err, ErrRowsReports) {
		t.Fatalf("got %v", err)
	}
}
