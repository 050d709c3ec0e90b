package main

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestExportValidates: export from JSON Lines rejects the rows that break
// the schema (event_type=bogus, latitude 95, fatalities_best=-7, low > best
// > high, date_end < date_start, country_iso3=ZZZ... it used to write them),
// with reasons in the rejects file, read = written + rejected in the
// summary and exit status 3, whatever --columns keeps.
func TestExportValidates(t *testing.T) {
	raw, err := os.ReadFile("../../testdata/export/golden.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(raw)), "\n")
	var base map[string]any
	json.Unmarshal([]byte(lines[0]), &base)
	for i, set := range []map[string]any{
		{"event_type": "bogus"},
		{"latitude": 95},
		{"fatalities_best": -7, "fatalities_low": 0},
		{"fatalities_low": 30, "fatalities_best": 20, "fatalities_high": 10},
		{"date_start": "2019-11-07"},
		{"country_iso3": "zz"},
	} {
		row := map[string]any{}
		for k, v := range base {
			row[k] = v
		}
		row["incident_id"] = "bad-" + string(rune('a'+i))
		for k, v := range set {
			row[k] = v
		}
		j, _ := json.Marshal(row)
		lines = append(lines, string(j))
	}
	dir := t.TempDir()
	in := filepath.Join(dir, "in.jsonl")
	os.WriteFile(in, []byte(strings.Join(lines, "\n")+"\n"), 0o644)

	for _, extra := range [][]string{nil, {"--columns", "incident_id,fatalities_best"}} {
		out := filepath.Join(dir, "out.parquet")
		args := append([]string{"export", "-f", "-o", out}, extra...)
		_, stderr, err := runCmd(t, context.Background(), append(args, in)...)
		var ec *exitCodeError
		if !errors.As(err, &ec) || ec.code != exitRejected {
			t.Fatalf("%v: err = %v, want exit 3\n%s", extra, err, stderr)
		}
		if !strings.Contains(stderr, "rows read 13 = written 7 + rejected 6") || !strings.Contains(stderr, "6 rejects in "+out+".rejects.jsonl") {
			t.Errorf("%v: summary %q", extra, stderr)
		}
		rej := strings.Split(strings.TrimSpace(string(mustRead(t, out+".rejects.jsonl"))), "\n")
		if len(rej) != 6 {
			t.Fatalf("%v: %d rejects", extra, len(rej))
		}
		for i, l := range rej {
			var r struct {
				File, Field, Kind, Reason, Text string
				Line                            int
			}
			if err := json.Unmarshal([]byte(l), &r); err != nil || r.Line != 8+i || r.Kind == "" || r.Field == "" || r.Text == "" {
				t.Errorf("%v: reject %s (%v)", extra, l, err)
			}
		}
	}
	// With --max-rejects 6 the same run succeeds.
	if _, stderr, err := runCmd(t, context.Background(), "export", "-f", "--max-rejects", "6", "-o", filepath.Join(dir, "out.parquet"), in); err != nil {
		t.Errorf("--max-rejects 6: %v\n%s", err, stderr)
	}
}
