package export

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"
)

// badRowsJSONL writes the golden rows plus one row per broken invariant
// (those of issue 11, item 7) and one unreadable line; it returns the path
// and the ids of the bad rows by the kind each must be rejected with.
func badRowsJSONL(t *testing.T) (string, map[string]string) {
	t.Helper()
	raw, err := os.ReadFile("../testdata/export/golden.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(raw)), "\n")
	var base map[string]any
	if err := json.Unmarshal([]byte(lines[0]), &base); err != nil {
		t.Fatal(err)
	}
	bad := []struct {
		kind string
		set  map[string]any
	}{
		{"unknown_code", map[string]any{"event_type": "bogus"}},
		{"bad_coordinates", map[string]any{"latitude": 95}},
		{"negative_count", map[string]any{"fatalities_best": -7, "fatalities_low": -7}},
		{"low_above_high", map[string]any{"fatalities_low": 30, "fatalities_best": 20, "fatalities_high": 10}},
		{"date_order", map[string]any{"date_start": "2019-11-07", "date_end": "2019-11-06"}},
		{"bad_country_code", map[string]any{"country_iso3": "Tjk"}},
		{"bad_number", map[string]any{"fatalities_best": "many"}},
		{"missing_required", map[string]any{"incident_id": nil}},
	}
	out := append([]string{}, lines...)
	want := map[string]string{}
	for i, b := range bad {
		row := map[string]any{}
		for k, v := range base {
			row[k] = v
		}
		row["incident_id"] = "bad-" + b.kind
		row["source_id"] = "bad-" + b.kind
		for k, v := range b.set {
			row[k] = v
		}
		j, _ := json.Marshal(row)
		out = append(out, string(j))
		want[b.kind] = string(rune('a' + i))
	}
	out = append(out, `{"incident_id": "x", `) // cut short
	path := filepath.Join(t.TempDir(), "bad.jsonl")
	if err := os.WriteFile(path, []byte(strings.Join(out, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return path, want
}

// TestTextRowsValidated: rows of a JSON Lines (and CSV) input that break the
// schema's invariants are rejected with their line, column and kind, never
// written; without a Rejects callback the first ends the read naming them.
func TestTextRowsValidated(t *testing.T) {
	path, want := badRowsJSONL(t)
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)

	// Without rejects: an error naming file, line and column.
	rr, err := Open(context.Background(), path, ReadOptions{Mem: mem})
	if err != nil {
		t.Fatal(err)
	}
	for rr.Next() {
	}
	if err := rr.Err(); err == nil || !strings.Contains(err.Error(), "bad.jsonl: line 8: column event_type:") {
		t.Errorf("err = %v", err)
	}
	rr.Release()

	// Through CSV as well: written by our own writer, read back.
	csvPath := filepath.Join(t.TempDir(), "bad.csv")
	for _, p := range []string{path, csvPath} {
		var rejects []Reject
		rr, err := Open(context.Background(), p, ReadOptions{Mem: mem, BatchSize: 4,
			Rejects: func(r Reject) error { rejects = append(rejects, r); return nil }})
		if err != nil {
			t.Fatal(err)
		}
		var w *Writer
		if p == path {
			if w, err = Create(context.Background(), csvPath, WriteOptions{Mem: mem}); err != nil {
				t.Fatal(err)
			}
		}
		var ids []string
		for rr.Next() {
			rec := rr.Record()
			col := rec.Column(0).(*array.String)
			for i := 0; i < col.Len(); i++ {
				ids = append(ids, col.Value(i))
			}
			if w != nil {
				w.Write(rec)
			}
		}
		if err := rr.Err(); err != nil {
			t.Fatal(err)
		}
		rr.Release()
		if len(ids) != 7 {
			t.Errorf("%s: %d rows kept, want the 7 good ones: %v", p, len(ids), ids)
		}
		kinds := map[string]bool{}
		for _, r := range rejects {
			kinds[r.Kind] = true
			if r.Line < 8 || r.File != p || r.Reason == "" {
				t.Errorf("%s: reject %+v", p, r)
			}
			if r.Kind != "syntax" && r.Field == "" {
				t.Errorf("%s: reject without its column: %+v", p, r)
			}
		}
		for k := range want {
			if !kinds[k] {
				t.Errorf("%s: no reject of kind %s: %+v", p, k, rejects)
			}
		}
		if p == path {
			if len(rejects) != len(want)+1 || rejects[len(rejects)-1].Kind != "syntax" {
				t.Errorf("rejects %+v", rejects)
			}
			// The CSV holds the bad rows too, as text: write them by hand.
			if err := w.Close(); err != nil {
				t.Fatal(err)
			}
			appendBadCSV(t, path, csvPath)
		} else if len(rejects) != len(want) {
			t.Errorf("csv: %d rejects, want %d: %+v", len(rejects), len(want), rejects)
		}
	}
}

// appendBadCSV appends the bad rows of the JSON Lines file at src to the CSV
// file dst, converting each through a one-row CSV written by our writer
// (with validation out of the way: AnySchema reads skip nothing of it).
func appendBadCSV(t *testing.T, src, dst string) {
	t.Helper()
	raw, _ := os.ReadFile(src)
	lines := strings.Split(strings.TrimSpace(string(raw)), "\n")
	f, err := os.OpenFile(dst, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	header := strings.SplitN(string(mustReadFile(t, dst)), "\n", 2)[0]
	cols := strings.Split(header, ",")
	for _, l := range lines[7 : len(lines)-1] {
		var m map[string]any
		json.Unmarshal([]byte(l), &m)
		cells := make([]string, len(cols))
		for i, c := range cols {
			switch v := m[c].(type) {
			case nil:
			case string:
				cells[i] = `"` + strings.ReplaceAll(v, `"`, `""`) + `"`
			case []any:
				j, _ := json.Marshal(v)
				cells[i] = `"` + strings.ReplaceAll(string(j), `"`, `""`) + `"`
			default:
				j, _ := json.Marshal(v)
				cells[i] = string(j)
			}
		}
		f.WriteString(strings.Join(cells, ",") + "\n")
	}
}

func mustReadFile(t *testing.T, p string) []byte {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
