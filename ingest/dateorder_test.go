package ingest

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/incidentkit/incidents/ingest/profile"
	"github.com/incidentkit/incidents/ingest/source"
	"github.com/incidentkit/incidents/ingest/value"
)

// acledWithDates is the sample ACLED file with its event_date column
// rewritten by format (day, month, year of each row's date).
func acledWithDates(t *testing.T, format func(d, m, y int) string) (data []byte, ambiguous []bool) {
	t.Helper()
	raw, err := os.ReadFile("../testdata/sample/acled.csv")
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(raw, []byte("\uFEFF")))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := -1
	for i, n := range recs[0] {
		if n == "event_date" {
			col = i
		}
	}
	for _, r := range recs[1:] {
		d, _, _, err := value.ParseDate(r[col], value.DateOrderNone)
		if err != nil {
			t.Fatal(err)
		}
		tm := d.Time()
		r[col] = format(tm.Day(), int(tm.Month()), tm.Year())
		ambiguous = append(ambiguous, tm.Day() <= 12 && tm.Day() != int(tm.Month()))
	}
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.WriteAll(recs)
	return buf.Bytes(), ambiguous
}

// TestDateOrderLearned: numeric dates whose order some of the file's dates
// show (a part above 12) are read in that order, the ambiguous ones too,
// with a warning; a file showing both orders reads none by guess; an order
// the user gives wins.
func TestDateOrderLearned(t *testing.T) {
	want, _, _, err := runNormalize(t, []string{"../testdata/sample/acled.csv"}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	dmy, ambiguousRow := acledWithDates(t, func(d, m, y int) string { return fmt.Sprintf("%02d/%02d/%04d", d, m, y) })
	mdy, _ := acledWithDates(t, func(d, m, y int) string { return fmt.Sprintf("%02d/%02d/%04d", m, d, y) })
	for name, data := range map[string][]byte{"dmy": dmy, "mdy": mdy} {
		for _, batch := range []int{3, 8192} {
			rows, sum, rejects, err := runNormalize(t, []string{"-"}, Options{Open: source.Opener(bytes.NewReader(data)), BatchSize: batch, Workers: 2})
			if err != nil {
				t.Fatal(err)
			}
			// With 3-row chunks only the first chunk is looked at: it must
			// hold a date with a part above 12 for the order to be learned.
			if sum.Rejected != 0 {
				t.Errorf("%s, batch %d: %d rejects:\n%s", name, batch, sum.Rejected, rejects)
				continue
			}
			for i := range rows {
				if rows[i].DateStart != want[i].DateStart {
					t.Errorf("%s, batch %d: row %d date %v, want %v", name, batch, i, rows[i].DateStart, want[i].DateStart)
				}
			}
			if !strings.Contains(strings.Join(sum.Warnings, "\n"), "numeric dates in event_date read") {
				t.Errorf("%s: no warning on the learned order: %q", name, sum.Warnings)
			}
		}
	}
	// Both orders in one file: nothing learned, ambiguous dates rejected.
	mixed := append(append([]byte(nil), dmy...), mdy[bytes.IndexByte(mdy, '\n')+1:]...)
	// (the ids repeat: the second half are duplicate-id rejects either way)
	_, sum, _, err := runNormalize(t, []string{"-"}, Options{Open: source.Opener(bytes.NewReader(mixed))})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(strings.Join(sum.Warnings, "\n"), "numeric dates in event_date read") {
		t.Errorf("mixed orders: an order was learned: %q", sum.Warnings)
	}
	// The user's order wins: read month first, the day-first file's
	// ambiguous dates (both parts 12 or less, and different) come out
	// month first; those with a day above 12 are unambiguous anyway.
	rows, _, _, err := runNormalize(t, []string{"-"}, Options{Open: source.Opener(bytes.NewReader(dmy)),
		Read: profile.Options{DateOrder: value.DateOrderMDY}})
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != len(want) {
		t.Fatalf("--date-order mdy: %d rows, want %d", len(rows), len(want))
	}
	ambiguous := 0
	for i := range rows {
		if ambiguousRow[i] {
			ambiguous++
			if rows[i].DateStart == want[i].DateStart {
				t.Errorf("--date-order mdy: row %d (%s) read day first: the learned order overrode the user's", i, want[i].DateStart.Time().Format("2006-01-02"))
			}
		}
	}
	if ambiguous == 0 {
		t.Fatal("the sample has no ambiguous date: this check sees nothing")
	}
}
