package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/incidentkit/incidents/export"
)

var updatePanel = flag.Bool("update-panel", false, "rewrite testdata/panel/cli/*.out from the current output")

func runPanel(t *testing.T, args ...string) (string, string, error) {
	t.Helper()
	root := newRootCmd()
	var out, errb bytes.Buffer
	root.SetOut(&out)
	root.SetErr(&errb)
	root.SetArgs(args)
	err := root.ExecuteContext(context.Background())
	return out.String(), errb.String(), err
}

// TestPanelGolden pins the text formats of incidents panel over the nine
// incidents of testdata/stats/events.jsonl (go test ./cmd/incidents -run
// PanelGolden -update-panel rewrites testdata/panel/cli; review the diff).
// The numbers are checked against pandas in interop/test_panel.py.
func TestPanelGolden(t *testing.T) {
	const input = "../../testdata/stats/events.jsonl"
	for _, c := range []struct {
		name string
		args []string
	}{
		{"table_iso_year", []string{"--system", "iso", "--format", "table"}},
		{"csv_iso_quarter_lags", []string{"--system", "iso", "--period", "quarter", "--from", "2019", "--to", "2020", "--lags", "1,4", "--format", "csv"}},
		{"markdown_none_month_by_type", []string{"--unit", "none", "--period", "month", "--from", "2020-01", "--to", "2020-06", "--by", "event_type", "--format", "markdown"}},
		{"json_admin1_year", []string{"--unit", "admin1", "--format", "json", "../../testdata/sample/acled.csv"}},
		{"csv_priogrid_year", []string{"--unit", "priogrid", "--format", "csv", "../../testdata/sample/ucdp_ged.csv"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			out, errs, err := runPanel(t, append(append([]string{"panel", "-o", "-"}, c.args...), input)...)
			if err != nil {
				t.Fatalf("%v: %v\n%s", c.args, err, errs)
			}
			if !strings.HasPrefix(errs, "panel: ") {
				t.Errorf("no summary on stderr: %q", errs)
			}
			path := filepath.Join("..", "..", "testdata", "panel", "cli", c.name+".out")
			if *updatePanel {
				if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, []byte(out), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run with -update-panel)", err)
			}
			if out != string(want) {
				t.Errorf("%s: output differs from %s:\n%s", c.name, path, out)
			}
			if strings.HasPrefix(c.name, "json") {
				var rows []map[string]any
				if err := json.Unmarshal([]byte(out), &rows); err != nil || len(rows) == 0 {
					t.Errorf("json output does not parse: %v", err)
				}
			}
		})
	}
}

// TestPanelParquet writes Parquet, reads it back through export.Open and
// checks the descriptions, the row count the summary states and the output
// rule (no silent overwrite).
func TestPanelParquet(t *testing.T) {
	const input = "../../testdata/stats/events.jsonl"
	path := filepath.Join(t.TempDir(), "p.parquet")
	_, errs, err := runPanel(t, "panel", "--system", "cow", "--period", "month", "-o", path, input)
	if err != nil {
		t.Fatal(err, errs)
	}
	rr, err := export.Open(context.Background(), path, export.ReadOptions{AnySchema: true})
	if err != nil {
		t.Fatal(err)
	}
	defer rr.Release()
	for _, f := range rr.Schema().Fields() {
		if d, ok := f.Metadata.GetValue("description"); !ok || d == "" {
			t.Errorf("field %s has no description", f.Name)
		}
	}
	var n int64
	for rr.Next() {
		n += rr.Record().NumRows()
	}
	if !strings.Contains(errs, " counted in "+itoa64(n)+" rows") {
		t.Errorf("summary %q does not state the %d rows written", errs, n)
	}
	if _, _, err := runPanel(t, "panel", "-o", path, input); err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Errorf("second write without --overwrite: %v", err)
	}
	if _, _, err := runPanel(t, "panel", "--overwrite", "-o", path, input); err != nil {
		t.Errorf("with --overwrite: %v", err)
	}
	if _, _, err := runPanel(t, "panel", "--unit", "county", "-o", "-", input); err == nil || !strings.HasPrefix(err.Error(), "panel: ") {
		t.Errorf("bad unit: %v", err)
	}
}

func itoa64(n int64) string {
	b, _ := json.Marshal(n)
	return string(b)
}
